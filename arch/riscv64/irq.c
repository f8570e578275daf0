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

/* ---- The test source: the console 16550's THR-empty interrupt through the PLIC ---- */

/* The console UART's boot_device, if it is a 16550 with an interrupt. */
static const struct boot_device *test_uart_dev(void)
{
	int idx = boot_info.console_device;

	if (!riscv_console_16550() || idx < 0 || (unsigned int)idx >= boot_info.nr_devices)
		return NULL;
	return boot_info.devices[idx].irq ? &boot_info.devices[idx] : NULL;
}

int arch_irq_test_source(const char **what)
{
	const struct boot_device *dev = test_uart_dev();

	if (!dev) {
		*what = "none: the console is not a 16550 with an interrupt";
		return -ENODEV;
	}
	*what = "the console 16550's THR-empty interrupt (IER bit 1) through the PLIC";
	return arch_platform_irq(dev->irq);
}

/* Its transmit register is empty between console writes: enabling the source raises it. */
void arch_irq_test_raise(unsigned int irq)
{
	(void)irq;
	uart_16550_thre_irq(riscv_console_16550(), true);
}

/* The line stays high until the source is disabled again (a level interrupt). */
void arch_irq_test_ack(unsigned int irq)
{
	(void)irq;
	uart_16550_thre_irq(riscv_console_16550(), false);
}

/* PLIC interrupts stay allocated: the next request gets the same one back. */
void arch_irq_test_release(unsigned int irq)
{
	(void)irq;
}
