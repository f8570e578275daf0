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
 *     only when someone compacts, and the same for the direct and proactive runs below.
 *     (Asking an owner to give back exactly its wholly free blocks would keep the other
 *     ownerships; bench=compact puts a number on what the drains cost in each PCP mode.)
 *
 * One run per zone at a time: zone->compact.running, taken by atomic exchange. A direct
 * or proactive run that finds it taken passes the zone by (the run in progress is making
 * the blocks it wants); the shell's `compact` waits for it.
 *
 * Skip hints and cached positions (Linux: the pageblock skip bit, compact_cached_*_pfn).
 * Direct and proactive runs remember where their scanners stopped and start there the
 * next time, and mark the pageblocks in which the migrate scanner isolated nothing or the
 * free scanner found nothing, so that the next runs pass them by. When a run's scanners
 * meet, the whole zone has been seen: the positions go back to the zone's ends and the
 * next run clears every hint first. The shell's full run uses neither.
 *
 * Direct compaction (try_to_compact_zones(), called by the allocator's slow path after the
 * drain, before the OOM notifiers): an order > 0 allocation that may wait compacts each zone
 * it may use once, async, stopping as soon as a free block of its order exists, and then
 * retries. A zone whose run met without making one is deferred (Linux: defer_compaction()):
 * it sits out the next 1, 2, 4 ... 63 attempts at that order or above; a success resets it.
 * An allocation made inside a compaction (compacting_on[]) never compacts again.
 *
 * Proactive compaction: see proactive_step() below.
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
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/workqueue.h"
#include "mm/pcp_internal.h"
#include "arch/arch.h"

#define COMPACT_CLUSTER_MAX	32	/* pages isolated, and migrated, per batch */
#define COMPACT_MAX_DEFER_SHIFT	6	/* direct compaction skips at most 63 attempts */
#define PROACTIVE_PERIOD_MS	500	/* how often the proactive work looks at the scores */
#define PROACTIVE_STEP_MS	10	/* the next step of a proactive run that is not done */
#define PROACTIVE_STEP_BLOCKS	16	/* pageblocks the migrate scanner walks per step */
#define PROACTIVE_DEFER_PERIODS	8	/* periods a zone sits out after a step with no gain */

struct compact_control {
	struct zone *zone;
	int order;			/* stop when a free block of this order exists; -1: never */
	bool sync;			/* migrate from any ordinary block, not MOVABLE only */
	bool use_hints;			/* start at the cached positions, honour and set skip bits */
	unsigned long max_blocks;	/* migrate-scanner pageblocks per run; 0: no limit */
	unsigned long blocks;		/* migrate-scanner pageblocks walked so far */
	unsigned long migrate_pfn;	/* next pfn of the migrate scanner (going up) */
	unsigned long free_pfn;		/* start of the block the free scanner takes next (down) */
	struct list_head migratepages;	/* isolated movable pages, by lru */
	unsigned long nr_migratepages;
	struct list_head freepages;	/* free targets, allocated order-0 pages, by lru */
	unsigned long nr_freepages;
	struct compact_result *res;
};

unsigned int compaction_proactiveness = 20;	/* 0..100 (l: relaxed atomic) */

/* Which CPU is inside a compaction: an allocation made from there must not compact again. */
static bool compacting_on[NR_CPUS];		/* (i: this CPU only) */

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

/* The scanners' starting points when nothing is cached: the zone's first and last blocks. */
static unsigned long zone_first_block(const struct zone *zone)
{
	return ALIGN_UP(zone->zone_start_pfn, pageblock_nr_pages);
}

static unsigned long zone_last_block(const struct zone *zone)
{
	return ALIGN_DOWN(zone_end_pfn(zone), pageblock_nr_pages) - pageblock_nr_pages;
}

/* Forget the cached positions: the next run starts at the zone's ends. (k) */
static void reset_cached_positions(struct zone *zone)
{
	zone->compact.cached_migrate_pfn[0] = zone_first_block(zone);
	zone->compact.cached_migrate_pfn[1] = zone_first_block(zone);
	zone->compact.cached_free_pfn = zone_last_block(zone);
}

/*
 * Take the free pages of one pageblock as migration targets (rule 1 of the essay). With
 * page_poison=1 each page taken is checked as an allocation checks it, after the zone lock
 * is dropped: check_poisoned_pages() takes that lock itself to put a damaged page away.
 * Return: true if the block was looked at whole and had nothing to give (worth a skip bit).
 * Context: takes the zone lock.
 */
static bool isolate_freepages_block(struct compact_control *cc, unsigned long start)
{
	struct zone *zone = cc->zone;
	unsigned long pfn = start, end = start + pageblock_nr_pages, scanned = 0, taken = 0;
	unsigned long got = 0;	/* pages off the free lists, not yet checked */
	struct page *first = pfn_to_page(start), *p, *tmp;
	LIST_HEAD(pages);

	scoped_guard(zone_lock_irqsave, zone) {
		if (get_pageblock_migratetype(first) != MIGRATE_MOVABLE ||
		    (zone->pageblock_owner_cpu && pfn_owner_read(zone, start) != PB_NO_OWNER))
			return false;	/* may change: no hint */
		while (pfn < end && cc->nr_freepages + got < cc->nr_migratepages) {
			struct page *page = first + (pfn - start);
			unsigned int order;

			scanned++;
			if (!PageBuddy(page)) {
				pfn++;
				continue;
			}
			order = buddy_order(page);
			if (order >= pageblock_order ||
			    !free_scanner_may_take(zone, 1UL << order))
				break;
			del_page_from_free_list(page, zone, order, MIGRATE_MOVABLE);
			/*
			 * Take no more than the batch needs: while the lower half alone would
			 * do, give the upper half back (order 8 at pfn 0x100, need 3: 0x180
			 * (order 7) ... 0x104 (order 2) go back, 0x100..0x103 are taken).
			 */
			while (order > 0 && (1UL << (order - 1)) >=
			       cc->nr_migratepages - cc->nr_freepages - got) {
				order--;
				add_to_free_list(page + (1UL << order), zone, order,
						 MIGRATE_MOVABLE, false);
			}
			for (unsigned long i = 0; i < (1UL << order); i++)
				list_add_tail(&page[i].lru, &pages);
			got += 1UL << order;
			pfn += 1UL << order;
		}
	}
	list_for_each_entry_safe(p, tmp, &pages, lru) {
		list_del(&p->lru);
		/* Poisoned free pages: checked as every allocation checks them. */
		if (page_poisoning_enabled && !check_poisoned_pages(p, 0))
			continue;	/* taken out by the check, not ours */
		prep_new_block(p, 0, 0);
		list_add_tail(&p->lru, &cc->freepages);
		cc->nr_freepages++;
		taken++;
	}
	cc->res->free_scanned += scanned;
	cc->res->isolated += taken;
	return pfn >= end && got == 0;
}

/* Walk the free scanner down until there are targets for every isolated page. */
static void isolate_freepages(struct compact_control *cc)
{
	while (cc->nr_freepages < cc->nr_migratepages &&
	       cc->free_pfn >= cc->migrate_pfn + pageblock_nr_pages) {
		unsigned long start = cc->free_pfn;

		if (block_usable(cc->zone, start) &&
		    !(cc->use_hints && get_pageblock_skip(pfn_to_page(start))) &&
		    isolate_freepages_block(cc, start) && cc->use_hints)
			set_pageblock_skip(pfn_to_page(start));
		if (cc->nr_freepages >= cc->nr_migratepages)
			break;	/* the block may have more: look at it again next time */
		cc->free_pfn -= pageblock_nr_pages;
	}
	if (cc->use_hints)
		cc->zone->compact.cached_free_pfn = cc->free_pfn;
}

/*
 * Could the block at @start become entirely free? Only if every page in it is free or
 * movable. A block holding one unmovable page never will: moving its movable pages out
 * only spends free pages of other blocks, which may be the ones that would have come
 * free whole (a racy look, without locks: a wrong answer costs a missed block or a
 * wasted batch, nothing else).
 */
static bool block_may_empty(unsigned long start)
{
	for (unsigned long pfn = start; pfn < start + pageblock_nr_pages;) {
		struct page *page = pfn_to_page(pfn);
		unsigned long order = 0;

		if (PageBuddy(page))
			order = buddy_order(page);
		else if (PagePcp(page))
			order = page_private(page);	/* a PCP piece keeps its order there */
		else if (page_movable_kind(page) == MOVABLE_NONE && !PageLlist(page))
			return false;
		pfn += 1UL << (order < pageblock_order ? order : pageblock_order);
	}
	return true;
}

/* May the migrate scanner take pages of the block starting at @start? */
static bool migrate_block_suitable(struct compact_control *cc, unsigned long start)
{
	int mt;

	if (!block_usable(cc->zone, start))
		return false;
	if (cc->use_hints && get_pageblock_skip(pfn_to_page(start)))
		return false;
	mt = get_pageblock_migratetype(pfn_to_page(start));
	if (!cc->sync)
		return mt == MIGRATE_MOVABLE;
	return mt < MIGRATE_PCPTYPES;
}

/*
 * Isolate movable pages from [*pfnp, block end), up to COMPACT_CLUSTER_MAX in all.
 * Return: how many it isolated.
 * Context: no lock held (isolation takes the kind's lock).
 */
static unsigned long isolate_migratepages_block(struct compact_control *cc, unsigned long *pfnp,
						unsigned long end)
{
	unsigned long pfn = *pfnp, isolated = 0;

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
		isolated++;
	}
	*pfnp = pfn;
	return isolated;
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

static enum compact_end compact_finished(struct compact_control *cc)
{
	if (cc->migrate_pfn + pageblock_nr_pages > cc->free_pfn)
		return COMPACT_END_MET;
	if (cc->order > 0 && zone_has_free_order(cc->zone, (unsigned int)cc->order))
		return COMPACT_END_ORDER;
	if (cc->max_blocks && cc->blocks >= cc->max_blocks)
		return COMPACT_END_BUDGET;
	return COMPACT_END_NONE;
}

/*
 * Lock order (DESIGN.md 5): compaction takes kind locks, then frees (pcp->lock -> zone
 * lock). Entering it with this CPU's pcp->lock or the zone lock held would invert that, and
 * entering it from inside a compaction (an allocation a migration made) would nest two runs.
 */
static bool compact_context_ok(struct zone *zone)
{
	unsigned int cpu = smp_processor_id();

	if (WARN(spin_held_by_me(&zone->_lock), "compaction: zone %s lock held on entry\n",
		 zone->name))
		return false;
	if (zone->per_cpu_pageset &&
	    WARN(pcp_lock_is_held(&zone_pcp(zone, cpu)->lock),
		 "compaction: CPU %u's pcp lock of zone %s held on entry\n", cpu, zone->name))
		return false;
	return !compacting_on[cpu];
}

static bool compact_trylock_zone(struct zone *zone)
{
	return __atomic_exchange_n(&zone->compact.running, 1, __ATOMIC_ACQUIRE) == 0;
}

static void compact_unlock_zone(struct zone *zone)
{
	__atomic_store_n(&zone->compact.running, 0, __ATOMIC_RELEASE);
}

/*
 * One run over @cc->zone. Context: this CPU holds zone->compact.running, IRQs on.
 */
static enum compact_end compact_zone_locked(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	struct compact_result *res = cc->res;
	enum compact_end end;
	int sync = cc->sync;

	INIT_LIST_HEAD(&cc->migratepages);
	INIT_LIST_HEAD(&cc->freepages);
	if (cc->use_hints) {
		/* The last run met in the middle: every hint is stale, start afresh. */
		if (zone->compact.blockskip_flush) {
			clear_zone_pageblock_skip(zone);
			reset_cached_positions(zone);
			zone->compact.blockskip_flush = false;
		}
		cc->migrate_pfn = zone->compact.cached_migrate_pfn[sync];
		cc->free_pfn = zone->compact.cached_free_pfn;
		if (cc->migrate_pfn < zone_first_block(zone) ||
		    cc->free_pfn > zone_last_block(zone) ||
		    cc->migrate_pfn + pageblock_nr_pages > cc->free_pfn) {
			reset_cached_positions(zone);
			cc->migrate_pfn = zone->compact.cached_migrate_pfn[sync];
			cc->free_pfn = zone->compact.cached_free_pfn;
		}
	} else {
		cc->migrate_pfn = zone_first_block(zone);
		cc->free_pfn = zone_last_block(zone);
	}

	drain_all_pages(zone);	/* rule 3: owners give back what they hold */
	while ((end = compact_finished(cc)) == COMPACT_END_NONE) {
		unsigned long start = cc->migrate_pfn;
		unsigned long block_end = start + pageblock_nr_pages;
		unsigned long pfn = start, isolated = 0;

		cc->blocks++;
		if (!migrate_block_suitable(cc, start)) {
			cc->migrate_pfn = block_end;
			continue;
		}
		/*
		 * Runs that want whole blocks (a full run, or one for pageblock order and more)
		 * leave pinned blocks alone. A run for a smaller order still empties them: a
		 * free order-3 block there serves it as well as anywhere.
		 */
		if ((cc->order < 0 || cc->order >= (int)pageblock_order) &&
		    !block_may_empty(start)) {
			if (cc->use_hints) {
				set_pageblock_skip(pfn_to_page(start));
				zone->compact.cached_migrate_pfn[sync] = block_end;
			}
			cc->migrate_pfn = block_end;
			continue;
		}
		while (pfn < block_end) {
			unsigned long n = isolate_migratepages_block(cc, &pfn, block_end);

			isolated += n;
			if (!cc->nr_migratepages)
				break;
			isolate_freepages(cc);
			migrate_pages(cc);
			if (cc->nr_freepages == 0 &&
			    cc->free_pfn < cc->migrate_pfn + pageblock_nr_pages)
				break;	/* no targets left above us */
		}
		/* Nothing to move here: later runs need not look until the hints are reset. */
		if (cc->use_hints && !isolated && pfn >= block_end)
			set_pageblock_skip(pfn_to_page(start));
		cc->migrate_pfn = block_end;
		if (cc->use_hints)
			zone->compact.cached_migrate_pfn[sync] = block_end;
		if (cc->order > 0 && res->migrated)
			drain_local_pages(zone);	/* let this block's frees merge now */
	}
	release_freepages(cc);
	drain_all_pages(zone);	/* rule 3: emptied owned blocks come home whole */

	if (end == COMPACT_END_MET) {
		/* The whole zone has been seen: the next hint-using run starts over. */
		reset_cached_positions(zone);
		zone->compact.blockskip_flush = true;
	}
	res->end = end;
	res->success = cc->order >= 0 && zone_has_free_order(zone, (unsigned int)cc->order);
	count_vm_events(COMPACT_MIGRATE_SCANNED, res->migrate_scanned);
	count_vm_events(COMPACT_FREE_SCANNED, res->free_scanned);
	count_vm_events(COMPACT_ISOLATED, res->isolated);
	if (cc->order >= 0)
		count_vm_events(res->success ? COMPACT_SUCCESS : COMPACT_FAIL, 1);
	return end;
}

/* Run @cc on its zone, owning the zone's compaction state; @wait: for another CPU's run. */
static int compact_run(struct compact_control *cc, bool wait)
{
	struct zone *zone = cc->zone;
	unsigned int cpu;

	*cc->res = (struct compact_result){ .end = COMPACT_END_SKIPPED };
	if (!populated_zone(zone) || cc->order < -1 || cc->order > MAX_PAGE_ORDER ||
	    zone_end_pfn(zone) < zone_first_block(zone) + pageblock_nr_pages)
		return -EINVAL;
	if (!compact_context_ok(zone))
		return -EBUSY;
	while (!compact_trylock_zone(zone)) {
		if (!wait)
			return -EBUSY;
		arch_cpu_relax();
	}
	cpu = smp_processor_id();
	compacting_on[cpu] = true;
	compact_zone_locked(cc);
	compacting_on[cpu] = false;
	compact_unlock_zone(zone);
	return 0;
}

int compact_zone(struct zone *zone, int order, bool sync, struct compact_result *res)
{
	struct compact_control cc = {
		.zone = zone,
		.order = order,
		.sync = sync,
		.res = res,
	};
	return compact_run(&cc, true);
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

/*
 * Deferral (Linux: defer_compaction(), compaction_deferred()): after a direct run for
 * some order fails, the zone sits out the next 1, 2, 4 ... 63 direct attempts at that order
 * or above, so that an allocator that keeps failing does not compact on every try.
 * Context: the CPU holding zone->compact.running.
 */
static void defer_compaction(struct zone *zone, unsigned int order)
{
	zone->compact.considered = 0;
	if (zone->compact.defer_shift < COMPACT_MAX_DEFER_SHIFT)
		zone->compact.defer_shift++;
	if (order < zone->compact.order_failed || !zone->compact.order_failed)
		zone->compact.order_failed = order;
}

static bool compaction_deferred(struct zone *zone, unsigned int order)
{
	if (!zone->compact.order_failed || order < zone->compact.order_failed)
		return false;
	if (++zone->compact.considered >= 1U << zone->compact.defer_shift) {
		zone->compact.considered = 0;
		return false;
	}
	return true;
}

static void compaction_defer_reset(struct zone *zone, unsigned int order)
{
	zone->compact.considered = 0;
	zone->compact.defer_shift = 0;
	if (order >= zone->compact.order_failed)
		zone->compact.order_failed = order + 1;
}

/*
 * Can compaction make a free block of @order here at all, for a request whose highest zone
 * is @highest? It only rearranges: the zone needs room above its low watermark and the
 * reserve it keeps against such requests (lowmem_reserve[]) for the targets of a block's
 * worth of pages.
 */
static bool compaction_suitable(struct zone *zone, unsigned int order, enum zone_type highest)
{
	return zone_watermark_pages_ok(zone, 0, low_wmark_pages(zone) + (2UL << order), highest,
				       0, (long)zone_page_state(zone, NR_FREE_PAGES));
}

/* Would the allocation that asked get its block from @zone now? */
static bool compaction_served(struct zone *zone, unsigned int order, enum zone_type highest,
			      unsigned int alloc_flags)
{
	if (alloc_flags & ALLOC_NO_WATERMARKS)
		return zone_has_free_order(zone, order);
	return zone_watermark_ok(zone, order, wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK),
				 highest, alloc_flags, (long)zone_page_state(zone, NR_FREE_PAGES));
}

bool compaction_direct_ok(void)
{
	return !compacting_on[smp_processor_id()] && !arch_irqs_disabled();
}

bool try_to_compact_zones(struct zone *const *zones, enum zone_type highest,
			  unsigned int order, unsigned int alloc_flags)
{
	bool ran = false, made = false;

	for (; *zones && !made; zones++) {
		struct zone *zone = *zones;
		struct compact_result r;
		struct compact_control cc = {
			.zone = zone,
			.order = (int)order,
			.use_hints = true,
			.res = &r,
		};

		if (zone_idx(zone) > highest || !compaction_suitable(zone, order, highest))
			continue;
		if (!compact_context_ok(zone) || !compact_trylock_zone(zone))
			continue;	/* another CPU compacts it: its blocks will do */
		if (compaction_deferred(zone, order)) {
			compact_unlock_zone(zone);
			continue;
		}
		compacting_on[smp_processor_id()] = true;
		ran = true;
		compact_zone_locked(&cc);
		compacting_on[smp_processor_id()] = false;
		/* A free block the request may not take (the zone's reserve) is no success. */
		made = compaction_served(zone, order, highest, alloc_flags);
		if (made)
			compaction_defer_reset(zone, order);
		else
			defer_compaction(zone, order);
		compact_unlock_zone(zone);
	}
	if (ran)
		count_vm_events(COMPACT_STALL, 1);
	return made;
}

unsigned int zone_fragmentation_score(struct zone *zone)
{
	unsigned long free = 0, big = 0;

	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long n = READ_ONCE(zone->free_area[o].nr_free) << o;

		free += n;
		if (o >= pageblock_order)
			big += n;
	}
	if (!free || big > free)
		return 0;
	return (unsigned int)((free - big) * 100 / free);
}

void compaction_proactive_marks(unsigned int *low, unsigned int *high)
{
	unsigned int p = __atomic_load_n(&compaction_proactiveness, __ATOMIC_RELAXED);

	*low = p >= 95 ? 5 : 100 - p;
	*high = *low + 10 > 100 ? 100 : *low + 10;
}

/*
 * Proactive compaction (Linux: kcompactd's proactive_compact_node()). Every
 * PROACTIVE_PERIOD_MS the work looks at each zone's fragmentation score: the share of its
 * free memory that sits in blocks smaller than a pageblock. A zone whose score rises above
 * the high mark is compacted in steps of PROACTIVE_STEP_BLOCKS pageblocks (async, with the
 * skip hints and cached positions, so each step goes on where the last one stopped), one
 * step every PROACTIVE_STEP_MS, until its score falls to the low mark. The steps of one
 * pass over the zone (until the scanners meet) are judged together: a step that moves
 * nothing may only be passing blocks whose hints are stale, and the pass's end clears them.
 * A pass that moved nothing or did not lower the score sends the zone away for
 * PROACTIVE_DEFER_PERIODS periods: what is left is unmovable, and looking again at once
 * would only cost drains.
 * The marks come from vm.compaction_proactiveness (0: off), as in Linux: low = 100 - it,
 * high = low + 10.
 *
 * Context: a work item on one CPU (it moves when that CPU goes offline); one instance.
 */
static struct delayed_work proactive_work;
static u32 proactive_inside;	/* 1 while proactive_fn() runs (l: seq_cst, see wait_idle) */

static bool proactive_step(struct zone *zone, unsigned int low, unsigned int high)
{
	unsigned int score = zone_fragmentation_score(zone);
	struct compact_result r;
	struct compact_control cc = {
		.zone = zone,
		.order = -1,
		.use_hints = true,
		.max_blocks = PROACTIVE_STEP_BLOCKS,
		.res = &r,
	};

	if (zone->compact.proactive_defer) {
		zone->compact.proactive_defer--;
		return false;
	}
	if (score > high)
		zone->compact.proactive_active = true;
	if (score <= low) {
		/* Done: a later pass judges itself against its own start. */
		zone->compact.proactive_active = false;
		zone->compact.proactive_pass_score = 0;
		zone->compact.proactive_pass_migrated = 0;
	}
	/* Room for targets: above the high watermark by two pageblocks' worth. */
	if (!zone->compact.proactive_active ||
	    zone_page_state(zone, NR_FREE_PAGES) < high_wmark_pages(zone) + 2 * pageblock_nr_pages)
		return false;
	if (!zone->compact.proactive_pass_score)
		zone->compact.proactive_pass_score = score + 1;	/* a pass begins */
	if (compact_run(&cc, false))
		return false;	/* another CPU compacts the zone right now */
	count_vm_events(COMPACT_DAEMON_WAKE, 1);
	zone->compact.proactive_pass_migrated += r.migrated;
	if (r.end != COMPACT_END_MET)
		return true;	/* the pass goes on at the next step */
	/* The pass is over: did it help? */
	if (!zone->compact.proactive_pass_migrated ||
	    zone_fragmentation_score(zone) + 1 >= zone->compact.proactive_pass_score) {
		zone->compact.proactive_active = false;
		zone->compact.proactive_defer = PROACTIVE_DEFER_PERIODS;
	}
	zone->compact.proactive_pass_score = 0;
	zone->compact.proactive_pass_migrated = 0;
	return zone->compact.proactive_active;
}

/* The highest online CPU: not the boot CPU, which runs the shell and the tests, if any. */
static unsigned int proactive_cpu(void)
{
	unsigned int cpu, last = 0;

	for_each_online_cpu(cpu)
		last = cpu;
	return last;
}

static void proactive_fn(struct work_struct *work)
{
	unsigned int low, high;
	bool more = false, on;
	struct zone *zone;

	/* Paired with compaction_wait_idle(): see there. */
	__atomic_store_n(&proactive_inside, 1, __ATOMIC_SEQ_CST);
	on = __atomic_load_n(&compaction_proactiveness, __ATOMIC_SEQ_CST) != 0;
	if (on) {
		compaction_proactive_marks(&low, &high);
		for_each_zone(zone)
			if (populated_zone(zone) && proactive_step(zone, low, high))
				more = true;
	}
	/*
	 * Off: the work stops here (setting proactiveness again queues it). On: again in a
	 * period, or at the next step; back on the highest online CPU if hotplug moved it.
	 * Queued before leaving, so that compaction_quiesce() can cancel what we queue.
	 */
	if (on)
		queue_delayed_work_on(proactive_cpu(), to_delayed_work(work),
				      more ? PROACTIVE_STEP_MS : PROACTIVE_PERIOD_MS);
	__atomic_store_n(&proactive_inside, 0, __ATOMIC_RELEASE);
}

void compaction_wait_idle(void)
{
	struct zone *zone;

	/*
	 * The caller stored proactiveness 0 (seq_cst) before this load of proactive_inside
	 * (seq_cst); the work stores proactive_inside before it loads proactiveness. So
	 * either we see the work inside and wait, or it sees 0 and runs nothing.
	 */
	while (__atomic_load_n(&proactive_inside, __ATOMIC_SEQ_CST))
		arch_cpu_relax();
	for_each_zone(zone)
		while (__atomic_load_n(&zone->compact.running, __ATOMIC_ACQUIRE))
			arch_cpu_relax();
}

unsigned int compaction_quiesce(void)
{
	unsigned int old = __atomic_load_n(&compaction_proactiveness, __ATOMIC_RELAXED);

	compaction_set_proactiveness(0);
	compaction_wait_idle();
	/* Nothing armed either: it would only find the setting off, but it would be there. */
	if (proactive_work.work.func)
		cancel_delayed_work(&proactive_work);
	return old;
}

int compaction_set_proactiveness(unsigned long v)
{
	struct zone *zone;

	if (v > 100)
		return -EINVAL;
	__atomic_store_n(&compaction_proactiveness, (unsigned int)v, __ATOMIC_SEQ_CST);
	/* A new setting deserves a fresh look at every zone (racy with the work: a hint). */
	for_each_zone(zone)
		WRITE_ONCE(zone->compact.proactive_defer, 0);
	/*
	 * ... and now, not at the end of a period; the work stopped if it was off (before
	 * compaction_init(): nothing to queue). If it is running, it runs once more.
	 */
	if (v && proactive_work.work.func) {
		cancel_delayed_work(&proactive_work);
		queue_delayed_work_on(proactive_cpu(), &proactive_work, 0);
	}
	return 0;
}

void compaction_init(void)
{
	unsigned long v;
	struct zone *zone;
	unsigned int cpu;

	for_each_zone(zone)
		if (populated_zone(zone))
			reset_cached_positions(zone);
	if (cmdline_get_ulong("compaction_proactiveness", &v) && compaction_set_proactiveness(v))
		pr_warn("compaction: compaction_proactiveness=%lu is not 0..100: keeping %u\n",
			v, compaction_proactiveness);
	cpu = proactive_cpu();
	INIT_DELAYED_WORK(&proactive_work, proactive_fn);
	if (compaction_proactiveness)
		queue_delayed_work_on(cpu, &proactive_work, PROACTIVE_PERIOD_MS);
	pr_info("compaction: proactive on CPU %u every %u ms, proactiveness %u\n", cpu,
		PROACTIVE_PERIOD_MS, compaction_proactiveness);
}

unsigned long zone_free_blocks_at_least(struct zone *zone, unsigned int order)
{
	unsigned long n = 0;

	guard(zone_lock_irqsave)(zone);
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++)
		n += zone->free_area[o].nr_free << (o - order);
	return n;
}
