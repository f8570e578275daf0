/* SPDX-License-Identifier: MIT */
/* Host stand-in for <asm/memory.h>: "physical" addresses are host pointers. */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#include "kernel/compiler.h"

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define ARCH_PHYS_ADDR_MAX	(~0UL)

static inline void *__va(phys_addr_t pa)
{
	return (void *)(unsigned long)pa;
}

#endif /* ASM_MEMORY_H */
