/* SPDX-License-Identifier: MIT */
/*
 * Host shim for <asm/memory.h>: the constants of a real port, but the "direct map" is one big
 * mmap'ed region per test (host_phys_base is its address for physical 0), so mm/ can read and
 * write the pages it manages. -Itests/host/shim comes before the arch include paths, so this
 * file shadows arch/<arch>/include/asm/memory.h for the mm/ sources compiled on the host.
 *
 * Zone layout: x86_64's by default (DMA < 16 MiB, DMA32 < 4 GiB, Normal); with
 * -DHOST_LAYOUT_RISCV64 riscv64's (no ZONE_DMA).
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define BOOT_DIRECT_MAP_SIZE	(~0UL)

#ifdef HOST_LAYOUT_RISCV64
#define ARCH_ZONE_DMA32_LIMIT	0x100000000UL
#define ARCH_HAS_ZONE_DMA	0
#define ARCH_PHYS_ADDR_MAX	(1UL << 56)
#else
#define ARCH_ZONE_DMA_LIMIT	0x1000000UL
#define ARCH_ZONE_DMA32_LIMIT	0x100000000UL
#define ARCH_HAS_ZONE_DMA	1
#define ARCH_PHYS_ADDR_MAX	(1UL << 46)
#endif

#define MAX_PAGE_ORDER		10
#define PAGEBLOCK_ORDER		9

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

extern unsigned long host_phys_base;	/* host address of physical address 0 */
extern unsigned long host_phys_size;	/* bytes of "physical" address space mapped */
#define PAGE_OFFSET		host_phys_base

static inline void *__va(phys_addr_t pa)
{
	return (void *)(unsigned long)(pa + host_phys_base);
}

static inline phys_addr_t __pa(const void *va)
{
	return (phys_addr_t)((unsigned long)va - host_phys_base);
}
#endif

#endif /* ASM_MEMORY_H */
