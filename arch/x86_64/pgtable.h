/* SPDX-License-Identifier: MIT */
/*
 * x86_64 4-level page tables: entry bits and index arithmetic, usable from head.S.
 *
 * A virtual address splits into four 9-bit indexes and a 12-bit offset:
 *	47..39 PML4, 38..30 PDPT, 29..21 PD, 20..12 PT, 11..0 byte.
 * A PDPT entry with PS maps 1 GiB, a PD entry with PS maps 2 MiB, a PT entry maps 4 KiB.
 *
 * The layout constants are repeated here without C suffixes because the assembler cannot read
 * asm/memory.h's "UL" numbers; mm.c checks at compile time that both agree.
 */
#ifndef ARCH_X86_64_PGTABLE_H
#define ARCH_X86_64_PGTABLE_H

#define X86_PAGE_OFFSET		0xffff888000000000	/* = PAGE_OFFSET */
#define X86_KERNEL_VIRT_BASE	0xffffffff80000000	/* = KERNEL_VIRT_BASE */

#define PTE_PRESENT		0x001
#define PTE_RW			0x002
#define PTE_USER		0x004
#define PTE_PWT			0x008
#define PTE_PCD			0x010
#define PTE_ACCESSED		0x020
#define PTE_DIRTY		0x040
#define PTE_PS			0x080	/* in a PD/PDPT entry: a 2 MiB/1 GiB page, not a table */
#define PTE_GLOBAL		0x100

#define PTRS_PER_TABLE		512
#define PML4_SHIFT		39
#define PDPT_SHIFT		30
#define PD_SHIFT		21
#define PT_SHIFT		12

/* Index of a virtual address in each level (asm-safe: no casts). */
#define PML4_INDEX(va)		(((va) >> PML4_SHIFT) & 511)
#define PDPT_INDEX(va)		(((va) >> PDPT_SHIFT) & 511)
#define PD_INDEX(va)		(((va) >> PD_SHIFT) & 511)
#define PT_INDEX(va)		(((va) >> PT_SHIFT) & 511)

/* The slots head.S fills: PAGE_OFFSET is slot 273, the kernel's top 2 GiB are 511/510. */
#define DIRECT_PML4_INDEX	273
#define KERNEL_PML4_INDEX	511
#define KERNEL_PDPT_INDEX	510

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

typedef u64 pteval_t;	/* one page table entry of any level */

/* Physical address bits of an entry: 12..51 (bit 63 is NX, 52..62 are software/PK). */
#define PTE_ADDR_MASK		0x000ffffffffff000UL

/* True if `va` is mapped in the current address space (page table walk, no access). */
bool x86_virt_mapped(unsigned long va);
/* Map device registers uncached at PAGE_OFFSET + pa (mm.c). Boot CPU, before mm_core_init. */
void *x86_ioremap_uc(phys_addr_t pa, size_t size);
#endif

#endif /* ARCH_X86_64_PGTABLE_H */
