/* SPDX-License-Identifier: MIT */
/*
 * memblock's internals, for its two files only: mm/memblock.c (the arrays, adding and
 * reserving ranges, early allocation, queries) and mm/memblock_init.c (boot_info's map into
 * the arrays, sanitised). Everyone else uses mm/memblock.h.
 *
 * Locking: boot CPU only, before SMP (m). Read-only once the buddy allocator is up.
 */
#ifndef MM_MEMBLOCK_INTERNAL_H
#define MM_MEMBLOCK_INTERNAL_H

#include "kernel/compiler.h"
#include "mm/memblock.h"

struct boot_range;

/* One array of ranges: `memory` or `reserved`. */
struct memblock_type {
	const char *name;
	unsigned int cnt;			/* (m) */
	unsigned int max;			/* capacity of regions[] (c) */
	struct memblock_region *regions;	/* sorted by base (m) */
};

extern struct memblock_type memblock_memory;
extern struct memblock_type memblock_reserved;

static inline phys_addr_t range_end(phys_addr_t base, phys_addr_t size)
{
	return base + size;
}

/* A reserved kind's name for messages (MEMBLOCK_RSV_ALLOC: "memblock"). */
const char *memblock_rsv_kind_name(u32 kind);
/* Sort @t by base and merge overlapping and touching regions; warn about overlaps if @warn. */
void memblock_normalise(struct memblock_type *t, bool warn);
/* Cut [base, end) out of every region of @t. */
void memblock_cut(struct memblock_type *t, phys_addr_t base, phys_addr_t end);
/* Check, align inward and append one RAM range to `memory` (unsorted: normalise after). */
void memblock_add_ram(const struct boot_range *r);
/*
 * Check, align outward and append one range to `reserved` (unsorted: normalise after).
 * Return: 0 reserved, 1 dropped as bad input (warned), -1 the array is full (reported).
 */
int memblock_add_reserved(const struct boot_range *r);
/* The highest free, aligned @size bytes of memory in [lo, hi); 0 if none. Reserves nothing. */
phys_addr_t memblock_find_in_range(phys_addr_t size, phys_addr_t align, phys_addr_t lo,
				   phys_addr_t hi);

#endif /* MM_MEMBLOCK_INTERNAL_H */
