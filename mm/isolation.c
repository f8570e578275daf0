// SPDX-License-Identifier: MIT
/*
 * Pageblock isolation: take a range of pageblocks out of use without allocating it.
 *
 * An isolated pageblock has type MIGRATE_ISOLATE: its free pages move to the ISOLATE free
 * lists, which no allocation ever searches, and pages freed into it later land there too
 * (__free_one_page files a block by its pageblock's type, and never merges an isolated block
 * with a neighbour of another type). Once every page of the range is free, the caller owns it
 * (test_pages_isolated() says when); undo gives the blocks back with a type of its choosing.
 * Compaction, memory offlining and contiguous allocations build on this.
 * Linux: mm/page_isolation.c.
 *
 * Locking: each pageblock changes type under its zone's lock.
 */
#include "mm/internal.h"
#include "kernel/bug.h"

/* The zone whose pageblock array covers pfn, or NULL (a hole or outside every zone). */
static struct zone *pageblock_zone(unsigned long pfn)
{
	struct zone *zone;

	if (!pfn_valid(pfn))
		return NULL;
	zone = page_zone(pfn_to_page(pfn));
	if (!populated_zone(zone) || pfn < zone->pageblock_base_pfn ||
	    pfn >= zone->pageblock_base_pfn + zone->nr_pageblocks * pageblock_nr_pages)
		return NULL;
	return zone;
}

static int set_migratetype_isolate(unsigned long pfn)
{
	struct zone *zone = pageblock_zone(pfn);
	struct page *page;
	int mt;

	if (!zone)
		return -EINVAL;
	page = pfn_to_page(pfn);
	guard(zone_lock_irqsave)(zone);
	mt = get_pageblock_migratetype(page);
	if (is_migrate_isolate(mt))
		return -EBUSY;
	if (is_migrate_highatomic(mt))	/* the block leaves the reserve for good */
		zone->nr_reserved_highatomic -= min(zone->nr_reserved_highatomic,
						    pageblock_nr_pages);
	move_freepages_block(zone, page, MIGRATE_ISOLATE);
	return 0;
}

static void unset_migratetype_isolate(unsigned long pfn, int migratetype)
{
	struct zone *zone = pageblock_zone(pfn);
	struct page *page;

	if (!zone)
		return;
	page = pfn_to_page(pfn);
	guard(zone_lock_irqsave)(zone);
	if (!is_migrate_isolate(get_pageblock_migratetype(page)))
		return;
	move_freepages_block(zone, page, migratetype);
	/* A wholly free block could not merge with its buddy block while isolated: now it can. */
	__remerge_pageblock(zone, page);
}

/**
 * start_isolate_page_range - isolate every pageblock of [start_pfn, end_pfn)
 * @start_pfn: first pfn, pageblock-aligned
 * @end_pfn: end (exclusive), pageblock-aligned
 * @migratetype: the type to restore if this fails part way
 *
 * Free pages of the range may sit on per-CPU lists, whole blocks of them owned by a CPU
 * (mm/pcp.c), where the type change does not reach: an owner would go on handing them out.
 * So once the blocks are isolated, every CPU gives back its pages of their zones
 * (drain_all_pages(), which also ends every ownership there); they land on the isolate
 * lists, and nothing takes them again: a refill or a claim never searches those.
 *
 * Return: 0, -EINVAL for a misaligned range or one outside the zones, -EBUSY if a block was
 * isolated already (nothing stays isolated on failure).
 * Context: any CPU, not interrupt context (it waits for the other CPUs' drains); takes zone
 * locks.
 */
int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype)
{
	struct zone *drained = NULL;

	if (!IS_ALIGNED(start_pfn, pageblock_nr_pages) ||
	    !IS_ALIGNED(end_pfn, pageblock_nr_pages) || start_pfn >= end_pfn)
		return -EINVAL;
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		int err = set_migratetype_isolate(pfn);

		if (err) {
			undo_isolate_page_range(start_pfn, pfn, migratetype);
			return err;
		}
	}
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		struct zone *zone = pageblock_zone(pfn);

		if (zone != drained) {
			drain_all_pages(zone);
			drained = zone;
		}
	}
	return 0;
}

/**
 * undo_isolate_page_range - give isolated pageblocks back, with type @migratetype
 * @start_pfn: first pfn, pageblock-aligned
 * @end_pfn: end (exclusive)
 * @migratetype: the type the blocks get
 *
 * Context: any CPU; takes zone locks.
 */
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype)
{
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages)
		unset_migratetype_isolate(pfn, migratetype);
}

/**
 * test_pages_isolated - is every page of an isolated range free (or offline)?
 * @start_pfn: first pfn
 * @end_pfn: end (exclusive)
 *
 * Return: 0 if the caller may now use the whole range, -EBUSY otherwise.
 * Context: any CPU; takes zone locks.
 */
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;

	while (pfn < end_pfn) {
		struct zone *zone = pageblock_zone(pfn);
		struct page *page;

		if (!zone)
			return -EBUSY;
		page = pfn_to_page(pfn);
		guard(zone_lock_irqsave)(zone);
		if (!is_migrate_isolate(get_pageblock_migratetype(page)))
			return -EBUSY;
		if (PageBuddy(page))
			pfn += 1UL << buddy_order(page);
		else if (PageHWPoison(page) || PageBad(page))
			pfn++;
		else
			return -EBUSY;
	}
	return 0;
}
