/* A branch that opens a brace which a later #ifdef closes, and two heads for one function. */
#include <linux/interrupt.h>

static int request_irqs(struct adapter *adapter)
{
	int err;

#ifdef CONFIG_PCI_MSI
	if (adapter->msix) {
		err = request_msix(adapter);
	} else {
#endif
		err = request_irq(adapter->irq, handler, 0, "adapter", adapter);
#ifdef CONFIG_PCI_MSI
	}
#endif
	return err;
}

#ifdef CONFIG_PM
static int adapter_suspend(struct device *dev, int state)
{
#else
static int adapter_suspend(struct device *dev)
{
	int state = 0;
#endif
	return state;
}

static const struct adapter_ops adapter_ops = {
	.suspend = adapter_suspend,
};

static void free_irqs(struct adapter *adapter)
{
	free_irq(adapter->irq, adapter);
}
