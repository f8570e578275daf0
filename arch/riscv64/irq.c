// SPDX-License-Identifier: MIT
/*
 * riscv64 device-interrupt hooks of arch/arch.h beside the PLIC driver (plic.c): MSI, and
 * the irq ktest's source.
 *
 * Message-signalled interrupts need an IMSIC (the AIA), which Tessera does not drive: QEMU
 * virt without aia= has none, and its PCI devices use INTx through the PLIC instead.
 *
 * Locking: none.
 */
#include "arch/arch.h"
#include "arch/riscv64/riscv.h"
#include "drivers/uart_16550.h"
#include "drivers/uart_sifive.h"
#include "kernel/boot_info.h"
#include "kernel/errno.h"

int arch_msi_irq_alloc(void)
{
	return -EOPNOTSUPP;
}

void arch_msi_irq_free(unsigned int irq)
{
	(void)irq;
}

int arch_msi_compose(unsigned int irq, u64 *addr, u32 *data)
{
	(void)irq;
	(void)addr;
	(void)data;
	return -EINVAL;
}

/*
 * ---- The test source: the console UART's transmit interrupt through the PLIC ----
 * A 16550's THR-empty interrupt (IER bit 1; QEMU virt) or a SiFive UART's transmit
 * watermark (ie.txwm; sifive_u): both are raised at once by an idle transmitter when enabled,
 * stay raised (level) until disabled, and leave console input alone.
 */

/* The console UART's boot_device, if we can drive its transmit interrupt. */
static const struct boot_device *test_uart_dev(void)
{
	int idx = boot_info.console_device;

	if ((!riscv_console_16550() && !riscv_console_sifive()) || idx < 0 ||
	    (unsigned int)idx >= boot_info.nr_devices)
		return NULL;
	return boot_info.devices[idx].irq ? &boot_info.devices[idx] : NULL;
}

static void test_uart_irq(bool on)
{
	if (riscv_console_16550())
		uart_16550_thre_irq(riscv_console_16550(), on);
	else
		uart_sifive_txwm_irq(riscv_console_sifive(), on);
}

int arch_irq_test_source(const char **what)
{
	const struct boot_device *dev = test_uart_dev();

	if (!dev) {
		*what = "none: the console UART has no interrupt we drive";
		return -ENODEV;
	}
	*what = riscv_console_16550() ?
		"the console 16550's THR-empty interrupt (IER bit 1) through the PLIC" :
		"the console SiFive UART's transmit watermark (ie.txwm) through the PLIC";
	return arch_platform_irq(dev->irq);
}

void arch_irq_test_raise(unsigned int irq)
{
	(void)irq;
	test_uart_irq(true);
}

void arch_irq_test_ack(unsigned int irq)
{
	(void)irq;
	test_uart_irq(false);
}

/* PLIC interrupts stay allocated: the next request gets the same one back. */
void arch_irq_test_release(unsigned int irq)
{
	(void)irq;
}
