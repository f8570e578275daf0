// SPDX-License-Identifier: MIT
/*
 * Compaction: move movable pages so that high-order free blocks exist again (DESIGN.md 4.3).
 * Linux: mm/compaction.c (compact_zone(), isolate_migratepages_block(), isolate_freepages()).
 *
 * The two scanners. Per zone, a migrate scanner walks pageblocks up from the bottom and
 * isolates movable pages (isolate_movable_page(): mm/migrate.c); a free scanner walks
 * pageblocks down from the top and takes free pages off the buddy lists as migration
 * targets. Each batch (up to COMPACT_CLUSTER_MAX pages) is migrated, the old pages are
 * freed, and the scanners go on until they meet (the pages below the meeting point have
 * moved above it) or, when the run was asked for an order, until a free block of that order
 * exists. Async mode takes movable pages only from MIGRATE_MOVABLE pageblocks (the cheap,
 * likely ones); sync mode from any ordinary pageblock. The free scanner takes targets only
 * in MOVABLE pageblocks (movable pages stay among their kind), never a free block of
 * pageblock order or more (breaking one to make one gains nothing), and stops when the
 * zone's free pages would fall to its min watermark.
 *
 * CPU-owned pageblocks (DESIGN.md 4.1). With pcp=owner a CPU owns whole pageblocks and
 * keeps their free pages on its per-CPU lists, where the zone lock does not reach. Three
 * rules:
 *  1. The free scanner takes only PG_buddy pages, under the zone lock, and skips any block
 *     with an owner. A page on another CPU's PCP is PG_pcp (or PG_llist in transit), never
 *     PG_buddy, so it is never taken; skipping owned blocks also keeps the scanner off
 *     blocks whose pieces an owner may merge with at any moment.
 *  2. A movable page migrated out of an owned block is freed with __free_pages(), the
 *     normal path: for another CPU's block that is one llist_add onto the owner's
 *     free_llist (mm/pcp_remote.c), and the owner merges it on its PCP buddy.
 *  3. An owned block that becomes entirely free must reach the zone whole. We chose the
 *     simplest honest way: drain_all_pages(zone) once before a run (every CPU gives back
 *     what it holds and gives up its ownerships there, so the scanners see the zone's
 *     real free space, and owned blocks stop being off limits) and once after it (the
 *     blocks the run emptied, whose last pages went to an owner's llist or to our own
 *     PCP, come home and merge into order-9 and larger blocks). Between the two, CPUs may
 *     claim blocks again; rule 1 keeps the free scanner off them, and rule 2 routes what
 *     the migrate scanner frees there. The cost is two IPI rounds per run, and each owner
 *     refills from the zone afterwards: the price of compaction meeting ownership, paid
 *     only when someone compacts. (Asking an owner to give back exactly its wholly free
 *     blocks would keep the other ownerships; it is left for the direct-compaction path,
 *     which runs far more often.)
 *
 * Not yet: skip hints and cached scanner positions per zone, direct compaction
 * in the allocator's slow path, proactive compaction.
 *
 * Locking: the zone lock only through its guards, for each free-scanner block and for the
 * checks of free blocks; isolation takes the kind's lock (a movable table's, the balloon
 * lock) with no zone lock held, and frees go through __free_pages() (pcp->lock -> zone lock).
 * Order: kind lock -> pcp->lock -> zone lock, never nested here beyond what free does.
 * Context: any CPU, IRQs on, not interrupt context (drain_all_pages() waits for IPIs).
 */
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/vmstat.h"
#include "kernel/bug.h"
#include "kernel/lib/list.h"

#define COMPACT_CLUSTER_MAX	32	/* pages isolated, and migrated, per batch */

struct compact_control {
	struct zone *zone;
	int order;			/* stop when a free block of this order exists; -1: never */
	bool sync;			/* migrate from any ordinary block, not MOVABLE only */
	unsigned long migrate_pfn;	/* next pfn of the migrate scanner (going up) */
	unsigned long free_pfn;		/* start of the block the free scanner takes next (down) */
	struct list_head migratepages;	/* isolated movable pages, by lru */
	unsigned long nr_migratepages;
	struct list_head freepages;	/* free targets, allocated order-0 pages, by lru */
	unsigned long nr_freepages;
	struct compact_result *res;
};

/* The zone's pageblock holding @pfn exists and has a memmap (no hole at its start). */
static bool block_usable(struct zone *zone, unsigned long start)
{
	return pfn_valid(start) && start >= zone->zone_start_pfn &&
	       start + pageblock_nr_pages <= zone_end_pfn(zone) &&
	       page_zone(pfn_to_page(start)) == zone;
}

/* Is there a free block of at least @order on the zone's lists? (racy: a hint) */
static bool zone_has_free_order(struct zone *zone, unsigned int order)
{
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++)
		if (READ_ONCE(zone->free_area[o].nr_free))
			return true;
	return false;
}

/* Free pages the zone must keep: the min watermark and a batch of slack. */
static bool free_scanner_may_take(struct zone *zone, unsigned long nr)
{
	return zone_page_state(zone, NR_FREE_PAGES) >
	       min_wmark_pages(zone) + COMPACT_CLUSTER_MAX + nr;
}

/*
 * Take the free pages of one pageblock as migration targets (rule 1 of the essay).
 * Context: takes the zone lock.
 */
static void isolate_freepages_block(struct compact_control *cc, unsigned long start)
{
	struct zone *zone = cc->zone;
	unsigned long pfn = start, end = start + pageblock_nr_pages, scanned = 0, taken = 0;
	struct page *first = pfn_to_page(start);

	guard(zone_lock_irqsave)(zone);
	if (get_pageblock_migratetype(first) != MIGRATE_MOVABLE ||
	    (zone->pageblock_owner_cpu && pfn_owner_read(zone, start) != PB_NO_OWNER))
		return;
	while (pfn < end && cc->nr_freepages < cc->nr_migratepages) {
		struct page *page = first + (pfn - start);
		unsigned int order;

		scanned++;
		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		order = buddy_order(page);
		if (order >= pageblock_order || !free_scanner_may_take(zone, 1UL << order))
			break;
		del_page_from_free_list(page, zone, order, MIGRATE_MOVABLE);
		/*
		 * Take no more than the batch needs: while the lower half alone would do, give
		 * the upper half back (order 8 at pfn 0x100, need 3: 0x180 (order 7) ...
		 * 0x104 (order 2) go back, 0x100..0x103 are taken).
		 */
		while (order > 0 &&
		       (1UL << (order - 1)) >= cc->nr_migratepages - cc->nr_freepages) {
			order--;
			add_to_free_list(page + (1UL << order), zone, order, MIGRATE_MOVABLE,
					 false);
		}
		for (unsigned long i = 0; i < (1UL << order); i++) {
			struct page *p = page + i;

			/* Poisoned free pages: checked as every allocation checks them. */
			if (page_poisoning_enabled && !check_poisoned_pages(p, 0))
				continue;	/* taken out by the check, not ours */
			prep_new_block(p, 0, 0);
			list_add_tail(&p->lru, &cc->freepages);
			cc->nr_freepages++;
			taken++;
		}
		pfn += 1UL << order;
	}
	cc->res->free_scanned += scanned;
	cc->res->isolated += taken;
}

/* Walk the free scanner down until there are targets for every isolated page. */
static void isolate_freepages(struct compact_control *cc)
{
	while (cc->nr_freepages < cc->nr_migratepages &&
	       cc->free_pfn >= cc->migrate_pfn + pageblock_nr_pages) {
		unsigned long start = cc->free_pfn;

		if (block_usable(cc->zone, start))
			isolate_freepages_block(cc, start);
		if (cc->nr_freepages >= cc->nr_migratepages)
			break;	/* the block may have more: look at it again next time */
		cc->free_pfn -= pageblock_nr_pages;
	}
}

/* May the migrate scanner take pages of the block starting at @start? */
static bool migrate_block_suitable(struct compact_control *cc, unsigned long start)
{
	int mt;

	if (!block_usable(cc->zone, start))
		return false;
	mt = get_pageblock_migratetype(pfn_to_page(start));
	if (!cc->sync)
		return mt == MIGRATE_MOVABLE;
	return mt < MIGRATE_PCPTYPES;
}

/*
 * Isolate movable pages from [*pfnp, block end), up to COMPACT_CLUSTER_MAX in all.
 * Context: no lock held (isolation takes the kind's lock).
 */
static void isolate_migratepages_block(struct compact_control *cc, unsigned long *pfnp,
				       unsigned long end)
{
	unsigned long pfn = *pfnp;

	for (; pfn < end && cc->nr_migratepages < COMPACT_CLUSTER_MAX; pfn++) {
		struct page *page = pfn_to_page(pfn);

		cc->res->migrate_scanned++;
		/* A cheap racy look first; isolation decides under its CAS and the kind's lock. */
		if (page_movable_kind(page) == MOVABLE_NONE)
			continue;
		if (!isolate_movable_page(page))
			continue;
		list_add_tail(&page->lru, &cc->migratepages);
		cc->nr_migratepages++;
		cc->res->isolated++;
	}
	*pfnp = pfn;
}

/* Migrate the isolated pages to the targets; put back what cannot move. */
static void migrate_pages(struct compact_control *cc)
{
	struct page *src, *tmp;

	list_for_each_entry_safe(src, tmp, &cc->migratepages, lru) {
		struct page *dst = list_first_entry_or_null(&cc->freepages, struct page, lru);

		list_del(&src->lru);
		cc->nr_migratepages--;
		if (!dst) {
			putback_movable_page(src);
			cc->res->failed++;
			continue;
		}
		/* Off our list first: the kind may link the new page on its own (a balloon's). */
		list_del(&dst->lru);
		cc->nr_freepages--;
		if (migrate_movable_page(dst, src)) {
			putback_movable_page(src);
			list_add(&dst->lru, &cc->freepages);
			cc->nr_freepages++;
			cc->res->failed++;
			continue;
		}
		cc->res->migrated++;
		/* Rule 2: the normal free path routes it (an owner's llist, a PCP, the zone). */
		__free_pages(src, 0);
	}
}

static void release_freepages(struct compact_control *cc)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &cc->freepages, lru) {
		list_del(&page->lru);
		__free_pages(page, 0);
	}
	cc->nr_freepages = 0;
}

static bool compact_finished(struct compact_control *cc)
{
	if (cc->migrate_pfn + pageblock_nr_pages > cc->free_pfn)
		return true;	/* the scanners met */
	return cc->order > 0 && zone_has_free_order(cc->zone, (unsigned int)cc->order);
}

int compact_zone(struct zone *zone, int order, bool sync, struct compact_result *res)
{
	struct compact_control cc = {
		.zone = zone,
		.order = order,
		.sync = sync,
		.res = res,
	};
	unsigned long end = zone_end_pfn(zone);

	*res = (struct compact_result){ 0 };
	if (!populated_zone(zone) || order > MAX_PAGE_ORDER)
		return -EINVAL;
	INIT_LIST_HEAD(&cc.migratepages);
	INIT_LIST_HEAD(&cc.freepages);
	cc.migrate_pfn = ALIGN_UP(zone->zone_start_pfn, pageblock_nr_pages);
	if (end < pageblock_nr_pages)
		return 0;
	cc.free_pfn = ALIGN_DOWN(end, pageblock_nr_pages) - pageblock_nr_pages;

	drain_all_pages(zone);	/* rule 3: owners give back what they hold */
	while (!compact_finished(&cc)) {
		unsigned long start = cc.migrate_pfn;
		unsigned long block_end = start + pageblock_nr_pages;
		unsigned long pfn = start;

		if (!migrate_block_suitable(&cc, start)) {
			cc.migrate_pfn = block_end;
			continue;
		}
		while (pfn < block_end) {
			isolate_migratepages_block(&cc, &pfn, block_end);
			if (!cc.nr_migratepages)
				break;
			isolate_freepages(&cc);
			migrate_pages(&cc);
			if (cc.nr_freepages == 0 &&
			    cc.free_pfn < cc.migrate_pfn + pageblock_nr_pages)
				break;	/* no targets left above us */
		}
		cc.migrate_pfn = block_end;
		if (cc.order > 0 && res->migrated)
			drain_local_pages(zone);	/* let this block's frees merge now */
	}
	release_freepages(&cc);
	drain_all_pages(zone);	/* rule 3: emptied owned blocks come home whole */

	res->success = order >= 0 && zone_has_free_order(zone, (unsigned int)order);
	count_vm_events(COMPACT_MIGRATE_SCANNED, res->migrate_scanned);
	count_vm_events(COMPACT_FREE_SCANNED, res->free_scanned);
	count_vm_events(COMPACT_ISOLATED, res->isolated);
	if (order >= 0)
		count_vm_events(res->success ? COMPACT_SUCCESS : COMPACT_FAIL, 1);
	return 0;
}

void compact_node_all(struct compact_result *total)
{
	struct zone *zone;

	*total = (struct compact_result){ 0 };
	for_each_zone(zone) {
		struct compact_result r;

		if (!populated_zone(zone) || compact_zone(zone, -1, true, &r))
			continue;
		total->migrate_scanned += r.migrate_scanned;
		total->free_scanned += r.free_scanned;
		total->isolated += r.isolated;
		total->migrated += r.migrated;
		total->failed += r.failed;
	}
}

unsigned long zone_free_blocks_at_least(struct zone *zone, unsigned int order)
{
	unsigned long n = 0;

	guard(zone_lock_irqsave)(zone);
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++)
		n += zone->free_area[o].nr_free << (o - order);
	return n;
}
