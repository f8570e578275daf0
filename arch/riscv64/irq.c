// SPDX-License-Identifier: MIT
/*
 * riscv64 device-interrupt hooks of arch/arch.h that do not depend on a controller driver.
 *
 * Message-signalled interrupts need an IMSIC (the AIA), which Tessera does not drive: QEMU
 * virt without aia= has none, and its PCI devices use INTx through the PLIC instead.
 *
 * Locking: none.
 */
#include "arch/arch.h"
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

/* No interrupt controller driver yet: nothing the tests could raise. */
int arch_irq_test_source(const char **what)
{
	*what = "none";
	return -ENODEV;
}

void arch_irq_test_raise(unsigned int irq)
{
	(void)irq;
}

void arch_irq_test_ack(unsigned int irq)
{
	(void)irq;
}

void arch_irq_test_release(unsigned int irq)
{
	(void)irq;
}
