/* Kernel-style attribute macros between a declaration's type and its name. */
#include <linux/init.h>

#define __init __section(".init.text")
#define __iomem

static void __iomem *regs;
static int ready __read_mostly = 1;
static const char banner[] __initconst = "probe";

struct __packed wire_header {
	unsigned short len;
	unsigned char kind;
};

static int __init wire_setup(void)
{
	regs = map_registers(0x1000);
	return regs ? 0 : -1;
}

void __init
wire_early_init(void)
{
	ready = wire_setup() == 0;
}

static void __exit wire_cleanup(void)
{
	unmap_registers(regs);
}

asmlinkage __visible void notrace wire_entry(unsigned long __user *arg)
{
	copy_arg(arg, banner);
}

static __printf(2, 3) int wire_log(int level, const char *fmt, ...)
{
	return level;
}

static void wire_lock(struct wire_header *h) __acquires(h->len)
{
	lock_header(h);
}

__visible __cold void
wire_panic(void)
{
	wire_entry(0);
}

__printf(1,
	2) int wire_warn(const char *fmt, ...)
{
	return 0;
}

static unsigned char wire_buf[64] __aligned(sizeof(long));

module_init(wire_setup);
module_exit(wire_cleanup);
