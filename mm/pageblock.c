// SPDX-License-Identifier: MIT
/*
 * Pageblocks: 2^PAGEBLOCK_ORDER-page units of a zone, each with a migratetype.
 *
 * The allocator groups pages by how they will be used (enum migratetype) at pageblock
 * granularity, so that unmovable allocations do not scatter over every block and high-order
 * blocks can still be formed later. Each zone has one byte per pageblock:
 *	bits 0..2	migratetype
 *	bit  3		compaction's "skip this block" hint (mm/compaction.c)
 * The owning CPU of a pageblock (mm/pcp.h) is a parallel per-zone array, not bits here, so
 * that reading a block's owner never races with a migratetype update.
 * Every pageblock starts MIGRATE_MOVABLE, as in Linux; other types claim blocks by fallback.
 * Linux: mm/page_alloc.c get_pfnblock_flags_mask(), include/linux/pageblock-flags.h.
 *
 * Locking: the migratetype is written with the zone lock held (z) and read without it in a
 * few places (free path before taking the lock, statistics), with relaxed atomic loads: a
 * stale type there is rechecked or harmless. The skip bit is a hint written by compaction
 * without the zone lock; so that neither write can undo the other, every write is an atomic
 * read-modify-write of the byte (a compare-and-swap for the type, fetch-or/and for the bit).
 */
#include "mm/internal.h"
#include "mm/memblock.h"
#include "kernel/bug.h"

#define PB_MIGRATETYPE_MASK	0x07u
#define PB_MIGRATE_SKIP		0x08u

const char *const migratetype_names[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = "Unmovable",
	[MIGRATE_MOVABLE] = "Movable",
	[MIGRATE_RECLAIMABLE] = "Reclaimable",
	[MIGRATE_HIGHATOMIC] = "HighAtomic",
	[MIGRATE_ISOLATE] = "Isolate",
};

static u8 *pageblock_entry(const struct page *page)
{
	const struct zone *zone = page_zone(page);
	unsigned long idx = (page_to_pfn(page) - zone->pageblock_base_pfn) >> pageblock_order;

	/* A page outside its zone's span (a hole page) has no pageblock: a caller's bug. */
	BUG_ON(idx >= zone->nr_pageblocks);
	return &zone->pageblock_flags[idx];
}

int get_pageblock_migratetype(const struct page *page)
{
	/* Relaxed atomic: may be read without the zone lock (see the file header). */
	return __atomic_load_n(pageblock_entry(page), __ATOMIC_RELAXED) & PB_MIGRATETYPE_MASK;
}

/*
 * Replace the bits @mask of the byte @e with @bits, atomically. RISC-V has no byte-sized
 * atomics (its AMOs and LR/SC work on 32 and 64 bits), so both ports do it the same way: a
 * compare-and-swap of the aligned 32-bit word holding the byte (little-endian on both). The
 * array is allocated in whole words so that the last word is ours too.
 */
static void pageblock_byte_update(u8 *e, u8 mask, u8 bits)
{
	uintptr_t a = (uintptr_t)e;
	u32 *w = (u32 *)(a & ~(uintptr_t)3);
	u32 shift = (u32)(a & 3) * 8;
	u32 old = __atomic_load_n(w, __ATOMIC_RELAXED), new;

	do
		new = (old & ~((u32)mask << shift)) | ((u32)bits << shift);
	while (!__atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED));
}

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	pageblock_byte_update(pageblock_entry(page), PB_MIGRATETYPE_MASK, (u8)migratetype);
}

bool get_pageblock_skip(const struct page *page)
{
	return __atomic_load_n(pageblock_entry(page), __ATOMIC_RELAXED) & PB_MIGRATE_SKIP;
}

void set_pageblock_skip(struct page *page)
{
	pageblock_byte_update(pageblock_entry(page), PB_MIGRATE_SKIP, PB_MIGRATE_SKIP);
}

void clear_zone_pageblock_skip(struct zone *zone)
{
	for (unsigned long i = 0; i < zone->nr_pageblocks; i++)
		if (__atomic_load_n(&zone->pageblock_flags[i], __ATOMIC_RELAXED) & PB_MIGRATE_SKIP)
			pageblock_byte_update(&zone->pageblock_flags[i], PB_MIGRATE_SKIP, 0);
}

void set_pageblock_range(struct page *page, unsigned int order, int migratetype)
{
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i += pageblock_nr_pages)
		set_pageblock_migratetype(page + i, migratetype);
}

/* Context: boot CPU, after the zone's span is known. */
void pageblock_zone_init(struct zone *zone)
{
	zone->pageblock_base_pfn = ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages);
	zone->nr_pageblocks = DIV_ROUND_UP(zone_end_pfn(zone) - zone->pageblock_base_pfn,
					   pageblock_nr_pages);
	/* Whole 32-bit words: pageblock_byte_update() works on the word holding a byte. */
	zone->pageblock_flags = memblock_alloc_or_panic(ALIGN_UP(zone->nr_pageblocks, 4), 8);
	for (unsigned long i = 0; i < zone->nr_pageblocks; i++)
		zone->pageblock_flags[i] = MIGRATE_MOVABLE;
}
