/* An else branch that only a configuration option compiles, as network code writes it. */
#include <linux/in.h>

static int addr_len(const struct addr *addr)
{
	int len = 1;

	if (addr->family == AF_INET) {
		len += 4;
	}
#if IS_ENABLED(CONFIG_IPV6)
	else if (addr->family == AF_INET6) {
		len += 16;
	}
#endif
	return len;
}

static int addr_port(const struct addr *addr)
{
#ifdef CONFIG_PORTS
	if (addr->port)
		return addr->port;
#else
	if (addr->fallback)
		return 1;
#endif
	return 0;
}
