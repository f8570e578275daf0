/* SPDX-License-Identifier: MIT */
/*
 * riscv64 memory layout: the constants that parameterise mm/ for this arch.
 *
 * Tessera runs riscv64 in S-mode with Sv39 page tables that map every page to its own
 * physical address (arch/riscv64/mm.c): the "direct map" is the identity and PAGE_OFFSET is
 * 0, as it was with translation off (satp = Bare, where arch_mm_init() switches from). The
 * tables add permissions, guard pages and holes, not a second address. OpenSBI's PMP still
 * protects its own memory from S-mode, which is why its range is reserved (boot/fdt_boot.c).
 */
#ifndef ASM_MEMORY_H
#define ASM_MEMORY_H

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define PAGE_OFFSET		0UL
/* Everything is mapped from the start: there is no boot-time limit on memblock. */
#define BOOT_DIRECT_MAP_SIZE	(~0UL)

/* riscv64 has no ISA DMA: devices with 32-bit masks need memory below 4 GiB. */
#define ARCH_ZONE_DMA32_LIMIT	0x100000000UL
#define ARCH_HAS_ZONE_DMA	0

#define MAX_PAGE_ORDER		10
/* 2 MiB, the Sv39 megapage: the unit of migratetype and PCP ownership. */
#define PAGEBLOCK_ORDER		9

/* Sv39/Sv48 physical addresses are 56 bits. */
#define ARCH_PHYS_ADDR_MAX	(1UL << 56)

/*
 * Where the kernel is linked (linker/riscv64.ld): RAM base 0x80000000 plus the Image header's
 * 2 MiB text_offset, which is where QEMU -kernel and U-Boot booti place it on QEMU virt and
 * sifive_u. Loaded anywhere else (a board whose RAM starts at 0x40000000), head.S applies
 * the image's relocations and runs there. Plain numbers: head.S uses them too.
 */
#define KERNEL_LINK_ADDR	0x80200000
#define KERNEL_TEXT_OFFSET	0x200000
/* The load address must keep page-aligned sections page-aligned. */
#define KERNEL_LOAD_ALIGN	0x1000

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

static inline void *__va(phys_addr_t pa)
{
	return (void *)(unsigned long)pa;
}

static inline phys_addr_t __pa(const void *va)
{
	return (phys_addr_t)(unsigned long)va;
}
#endif

#endif /* ASM_MEMORY_H */
