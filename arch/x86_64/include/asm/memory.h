/* SPDX-License-Identifier: MIT */
/*
 * x86_64 memory layout: the constants that parameterise mm/ for this arch.
 *
 *	0xffff888000000000  PAGE_OFFSET: the direct map, all RAM at phys + PAGE_OFFSET
 *	0xffffffff80000000  KERNEL_VIRT_BASE: the kernel image (-mcmodel=kernel needs the top 2 GiB)
 *
 * The boot page tables (arch/x86_64/head.S) map the first BOOT_DIRECT_MAP_SIZE of physical
 * memory both at identity and at PAGE_OFFSET; arch_mm_init() extends the direct map to all
 * RAM using page tables allocated from memblock below that limit.
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define PAGE_OFFSET		0xffff888000000000UL
#define KERNEL_VIRT_BASE	0xffffffff80000000UL
/* The kernel is linked to run at KERNEL_VIRT_BASE + its physical load address (1 MiB up). */
#define KERNEL_PHYS_BASE	0x100000UL
/* Mapped by head.S before any C runs: enough for the kernel, boot info and early page tables. */
#define BOOT_DIRECT_MAP_SIZE	0x40000000UL	/* 1 GiB */

/*
 * Below 1 MiB, the only RAM kept from the page allocator (arch/x86_64/setup.c): the first
 * page (real-mode interrupt vector table and BIOS data area) and the page the SMP code copies
 * its 16-bit AP start-up trampoline to, since a STARTUP IPI can only name a 4 KiB page below
 * 1 MiB (vector 0x08 -> 0x8000).
 */
#define X86_LOWMEM_RESERVED_SIZE	0x1000UL
#define X86_TRAMPOLINE_PHYS		0x8000UL
#define X86_TRAMPOLINE_SIZE		0x1000UL

/*
 * Zone limits (exclusive physical end): ISA DMA can reach only 16 MiB; 32-bit DMA masters
 * only 4 GiB. ZONE_NORMAL has everything above.
 */
#define ARCH_ZONE_DMA_LIMIT	0x1000000UL
#define ARCH_ZONE_DMA32_LIMIT	0x100000000UL
#define ARCH_HAS_ZONE_DMA	1

/* The largest buddy order: 2^10 pages = 4 MiB blocks, as Linux on x86_64. */
#define MAX_PAGE_ORDER		10
/* A pageblock is one 2 MiB large page: the unit of migratetype and PCP ownership. */
#define PAGEBLOCK_ORDER		9

/* The highest physical address the kernel handles: 46 bits, x86_64's 4-level paging limit. */
#define ARCH_PHYS_ADDR_MAX	(1UL << 46)

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

static inline void *__va(phys_addr_t pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

/* Accepts direct-map and kernel-image addresses alike. */
static inline phys_addr_t __pa(const void *va)
{
	unsigned long v = (unsigned long)va;

	return v >= KERNEL_VIRT_BASE ? v - KERNEL_VIRT_BASE : v - PAGE_OFFSET;
}
#endif

#endif /* ASM_MEMORY_H */
