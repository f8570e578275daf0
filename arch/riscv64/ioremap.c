// SPDX-License-Identifier: MIT
/*
 * arch_ioremap() on riscv64: Tessera runs in S-mode with translation off (satp = Bare), so
 * a device's registers are reached at their physical address. What is left is to refuse a
 * range the CPU cannot address. Device regions are strongly ordered I/O by the platform's
 * PMAs, so there are no memory attributes to choose either.
 */
#include "arch/arch.h"
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
	return (void *)(uintptr_t)pa;
}
