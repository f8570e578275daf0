/* SPDX-License-Identifier: MIT */
/*
 * memblock: the boot-time physical memory manager (DESIGN.md 4).
 *
 * Two sorted, merged arrays of ranges, `memory` and `reserved`, filled from struct boot_info
 * and sanitised on the way in (overlapping, unsorted, unaligned, empty and out-of-range
 * entries are fixed or dropped with a warning each). Early allocations come from memory minus
 * reserved, top-down below the current limit. mm_core_init() later hands every page that is
 * memory and not reserved to the buddy allocator exactly once.
 * mm/memblock_init.c imports and sanitises boot_info's map; mm/memblock.c holds the arrays,
 * early allocation and the queries.
 *
 * Locking: boot CPU only, before SMP (m).
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include "kernel/compiler.h"

struct boot_info;

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	u32 kind;	/* reserved: enum boot_rsv_kind (why); memory: 0 */
};

/* Fill memory and reserved from the boot information (sanitising, with warnings). */
void memblock_init(const struct boot_info *bi);
/* Add/reserve after init (the arch reserves its own pages, e.g. the AP trampoline). */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size, u32 kind);
/* Early allocation: physical address, zeroed; 0 on failure. Below the current limit. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
/* Early allocation through the direct map; panics on failure (boot cannot go on). */
void *memblock_alloc_or_panic(phys_addr_t size, phys_addr_t align);
/* Allocations stay below `limit` (exclusive) until raised: what the direct map covers yet. */
void memblock_set_current_limit(phys_addr_t limit);

/* Iterate the sanitised memory regions: for (i = 0; memblock_memory_region(i, &r); i++). */
bool memblock_memory_region(unsigned int i, struct memblock_region *r);
bool memblock_reserved_region(unsigned int i, struct memblock_region *r);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
/* Print the sanitised map, Linux style. */
void memblock_dump(void);

/* ---- Extensions (mm/ and tests) ---- */
/* Reserved-kind of memblock's own early allocations (beyond enum boot_rsv_kind). */
#define MEMBLOCK_RSV_ALLOC	100
/* True if [base, base+size) lies entirely in memory / overlaps a reserved region. */
bool memblock_is_memory(phys_addr_t base, phys_addr_t size);
bool memblock_is_reserved(phys_addr_t base, phys_addr_t size);
/*
 * True if [base, base+size) overlaps a no-map reservation (BOOT_RSV_NOMAP): page tables
 * must leave those bytes unmapped even where they are RAM.
 */
bool memblock_is_nomap(phys_addr_t base, phys_addr_t size);
/* Bytes of memory, and bytes of memory that are also reserved. */
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_in_memory(void);
phys_addr_t memblock_get_current_limit(void);
unsigned int memblock_memory_count(void);
unsigned int memblock_reserved_count(void);

#endif /* MM_MEMBLOCK_H */
