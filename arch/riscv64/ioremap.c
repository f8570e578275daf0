// SPDX-License-Identifier: MIT
/*
 * arch_ioremap() on riscv64: device registers are reached at their physical address, as
 * everything is (arch/riscv64/mm.c maps each page to itself). The device tree's devices are
 * mapped at boot; a range found later (a PCI BAR the kernel assigned, an MSI-X table) is
 * mapped here, as I/O, in the live tables. With translation off (a hart without Sv39)
 * there is nothing to map and only the range check is left.
 */
#include "arch/arch.h"
#include "arch/riscv64/pgtable.h"
#include "kernel/printk.h"
#include <asm/memory.h>

/* See arch/arch.h. */
void *arch_ioremap(phys_addr_t pa, size_t size)
{
	if (!size || pa + size < pa || pa + size > ARCH_PHYS_ADDR_MAX) {
		pr_err("riscv: ioremap [%#llx+%#zx]: empty, wraps or ends beyond %#lx\n",
		       (unsigned long long)pa, size, ARCH_PHYS_ADDR_MAX);
		return NULL;
	}
	if (!riscv_map_io(pa, size))
		return NULL;
	return (void *)(uintptr_t)pa;
}
