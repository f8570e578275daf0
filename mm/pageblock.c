// SPDX-License-Identifier: MIT
/*
 * Pageblocks: 2^PAGEBLOCK_ORDER-page units of a zone, each with a migratetype.
 *
 * The allocator groups pages by how they will be used (enum migratetype) at pageblock
 * granularity, so that unmovable allocations do not scatter over every block and high-order
 * blocks can still be formed later. Each zone has one byte per pageblock:
 *	bits 0..2	migratetype
 *	bit  3		reserved: compaction's "skip this block" hint
 * The owning CPU of a pageblock (mm/pcp.h) is a parallel per-zone array, not bits here, so
 * that reading a block's owner never races with a migratetype update.
 * Every pageblock starts MIGRATE_MOVABLE, as in Linux; other types claim blocks by fallback.
 * Linux: mm/page_alloc.c get_pfnblock_flags_mask(), include/linux/pageblock-flags.h.
 *
 * Locking: written with the zone lock held (z); read without it in a few places (free path
 * before taking the lock, statistics), with relaxed atomic loads: a stale type there is
 * rechecked or harmless.
 */
#include "mm/internal.h"
#include "mm/memblock.h"
#include "kernel/bug.h"

#define PB_MIGRATETYPE_MASK	0x07u

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

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	u8 *e = pageblock_entry(page);

	__atomic_store_n(e, (u8)((*e & ~PB_MIGRATETYPE_MASK) | (unsigned int)migratetype),
			 __ATOMIC_RELAXED);
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
	zone->pageblock_flags = memblock_alloc_or_panic(zone->nr_pageblocks, 8);
	for (unsigned long i = 0; i < zone->nr_pageblocks; i++)
		zone->pageblock_flags[i] = MIGRATE_MOVABLE;
}
