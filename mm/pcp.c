// SPDX-License-Identifier: MIT
/*
 * Per-CPU pages, the lists: pageblock ownership, the PCP buddy, refill from the zone, the
 * local drain back to it, and the PCP half of every allocation. The struct and the shared
 * helpers are in mm/pcp_internal.h; how frees reach these lists (the remote-free llist and
 * absorb) is mm/pcp_remote.c; drain_all_pages() and CPU hotplug are mm/pcp_drain.c.
 *
 * Locking: pcp->lock (p) is taken by its own CPU with IRQs off, or with IRQs as they are in
 * the two fast sections (mm/pcp_lock.h), by trylock on every allocation and free path, so
 * an interrupt or NMI-like context never spins on it; the zone lock nests
 * inside it (pcp->lock -> zone lock). Another CPU's pcp->lock is taken only to drain a dead
 * CPU and by the invariant checker, which is why it can be a CPU-local lock with no atomic
 * instruction (mm/pcp_lock.h).
 * Linux: mm/page_alloc.c rmqueue_pcplist(), free_pcppages_bulk(), nr_pcp_alloc(); the 2026
 * "split-path PCP free" RFC for the llist idea.
 *
 * ==== Ownership ====
 *
 * A plain per-CPU cache (Linux's, and our `trylock` mode) has two costs. Pages are taken from
 * the zone in batches of single pages, so each CPU's cache holds pieces of many pageblocks
 * and nothing above order 3 can be served from it. And a page freed on another CPU lands in
 * that CPU's cache, so under producer/consumer traffic pages drift to the consumers, whose
 * caches overflow into the zone while the producer's run dry and refill from it: the zone
 * lock is taken twice per batch moved, by two CPUs at once.
 *
 * In `owner` mode a refill takes a whole free pageblock (512 pages) from the zone in one
 * zone-lock hold and writes this CPU's number into the block's owner entry
 * (zone->pageblock_owner[], beside the migratetype byte). From then on every free page of the
 * block lives on the owner's PCP lists, and nowhere else: the owner splits and merges them
 * exactly as the zone's buddy allocator would ("PCP buddy": __pcp_merge() is a
 * __free_one_page() that stops at the block boundary and looks for PG_pcp instead of
 * PG_buddy), so it serves every order up to pageblock_order without the zone lock. The block
 * goes back to the zone whole, and loses its owner, only when it is entirely free and the CPU
 * holds more than `high` pages. Where no whole pageblock is free (a small or fragmented zone)
 * refill falls back to a batch of single pages with no owner; those never merge on the PCP
 * and go back to the zone one by one.
 *
 * Order-0 frees are merged lazily: they go on lazy[mt] (LIFO, cache-hot) and the next order-0
 * allocation takes them straight back, so an alloc/free pair is two list operations, not a
 * split and a merge all the way up to the block. An allocation of order > 0 that finds no
 * piece big enough first merges the lazy pages (each one is merged once, so this is O(1)
 * per free, amortised); a block is found "entirely free" by its nr_free counter, whatever its
 * merge state, and collected by walking its 512 pages when it is released.
 *
 * Why the owner of an allocated page's block is stable. A block is claimed only when it is
 * entirely free in the zone. So while any page of it is allocated or in transit, nobody can
 * claim it; the only change possible is owner -> no owner (the owner gives it up in a drain).
 * A freer that read "owned by A" may therefore find, once its page reaches A, that A has let
 * the block go: A then treats the page as an unowned one. It can never belong to a third CPU.
 *
 * ==== The fast path ====
 *
 * An order-0 alloc+free pair is the allocator's most common operation, and in owner mode it
 * is two list operations on this CPU's lazy list. Everything around them is overhead, so
 * __alloc_pages() (mm/page_alloc.c) asks this layer first, before the zonelist walk, the
 * watermark check and rmqueue(), when they cannot change the answer; the policy of when that
 * holds (which zone, which watermark) is page_alloc.c's, the lists are ours:
 *   - pcp_alloc_lazy() (inline, mm/pcp_internal.h): an order-0 page off the lazy list when
 *     nothing waits to be absorbed. It calls nothing, so the caller builds no stack frame;
 *   - pcp_alloc_cached(): any order up to the pageblock off this CPU's lists, absorbing
 *     remote frees first (deferring to the zone's deferred list rather than waiting for
 *     its lock): no refill, no drain, no zone lock;
 *   - both only while pcp->fast_ok, this CPU's cached watermark answer, refreshed by every
 *     pcp_rmqueue() of this CPU (and so at every refill) from zone_fast_alloc_ok(). Why a
 *     cached answer is good enough: serving a block from this CPU's lists never lowers the
 *     zone's free count, which is what the watermarks protect (PCP pages were taken out of
 *     it at refill, under the check); a stale "ok" only means this CPU goes on using pages
 *     it set aside while another CPU pushed the zone down, until its next slow-path
 *     allocation. page_alloc.c's answer asks for a wide margin so that needs a large swing.
 * Both return NULL on a miss and __alloc_pages() goes on to the full path, the one path
 * with all its steps (DESIGN.md 4: the fast path is its first step, not a second copy).
 * The free side's first step is inside pcp_free() (mm/pcp_remote.c): the two common routes
 * (a page of our own block, a remote push) inline, the full routing out of line. On these
 * common paths every call is a tail call: whatever is rare (a bad free's report, poisoning,
 * a traced event, an IPI to wake an idle owner, a refill) is left to an out-of-line path, so
 * no frame of saved registers is built for it. The order-0 alloc and the free of a page of
 * our own block are fast sections of pcp->lock, with interrupts left as they are
 * (mm/pcp_lock.h) and their vm events counted under the lock on per_cpu_pages; the remote
 * push counts its with interrupts off. The lock is CPU-local: the one
 * atomic instruction of an order-0 pair is the free's drop of the last reference
 * (page_ref_put_last(), mm/page_alloc.c), which makes two CPUs freeing one block at once
 * a reported double free instead of a block on two lists.
 */
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "kernel/bug.h"
#include "kernel/tracepoints.h"
#include "arch/arch.h"

/* ---- the PCP buddy ---- */

/*
 * The PCP buddy merges a free piece of an owned block with its free buddies on the owner's
 * lists, as __free_one_page() does in the zone (the same merge_block()), but only up to
 * pageblock_order: the buddy is then always inside the same owned block, so a PG_pcp buddy
 * is necessarily one of ours. Counters are the caller's.
 */
static __always_inline bool pcp_take_buddy(void *ctx, struct page *page, struct page *buddy,
					   unsigned int order)
{
	if (!PagePcp(buddy) || buddy_order(buddy) != order)
		return false;
	pcp_del_piece(buddy);
	return true;
}

/* Context: pcp->lock held; the piece is on no list. */
__noinline void __pcp_merge(struct per_cpu_pages *pcp, int mt, struct page *page,
			    unsigned long pfn, unsigned int order)
{
	assert_pcp_locked(&pcp->lock);
	page = merge_block(page, &pfn, &order, pageblock_order, pcp_take_buddy, NULL);
	pcp_add_piece(&pcp->lists[mt][order], page, order);
}

/* Merge every lazy order-0 page of @mt. Context: pcp->lock held. */
static void __pcp_merge_lazy(struct per_cpu_pages *pcp, int mt)
{
	assert_pcp_locked(&pcp->lock);
	while (!list_empty(&pcp->lazy[mt])) {
		struct page *page = list_first_entry(&pcp->lazy[mt], struct page, lru);

		pcp_del_piece(page);
		__pcp_merge(pcp, mt, page, page_to_pfn(page), 0);
	}
}

/* @ctx: the lists of one migratetype, indexed by order. */
static __always_inline void pcp_put_half(void *ctx, struct page *half, unsigned int order)
{
	struct list_head *lists = ctx;

	pcp_add_piece(&lists[order], half, order);
}

/*
 * Split a piece of order @high down to @low, the upper halves back on @mt's lists (the same
 * split_block() as the zone's expand()). Context: pcp->lock held.
 */
static void __pcp_expand(struct per_cpu_pages *pcp, int mt, struct page *page, unsigned int low,
			 unsigned int high)
{
	assert_pcp_locked(&pcp->lock);
	split_block(page, low, high, pcp_put_half, pcp->lists[mt]);
}

bool __pcp_free_local(struct per_cpu_pages *pcp, struct page *page, unsigned long pfn,
		      unsigned int order)
{
	unsigned long idx = pageblock_idx(pcp->zone, pfn);
	int mt;

	assert_pcp_locked(&pcp->lock);
	if (pageblock_owner_read(pcp->zone, idx) == pcp->cpu) {
		__pcp_free_owned(pcp, &pcp->zone->pageblock_owner[idx], page, pfn, order);
		return true;
	}
	if (!unowned_order_ok(order))
		return false;
	mt = get_pageblock_migratetype(page);
	if (mt >= MIGRATE_PCPTYPES)	/* highatomic and isolated pages go to their lists */
		return false;
	pcp_add_piece(&pcp->unowned[mt][unowned_pindex(order)], page, order);
	pcp_count_add(pcp, 1L << order);
	return true;
}

/* ---- giving pieces back to the zone ---- */

void chain_add(struct zone_chain *c, struct page *page, unsigned int order)
{
	set_page_private(page, order);
	page_set_flag(page, PG_llist);
	page->pcp_llist.next = c->first;
	c->first = &page->pcp_llist;
	if (!c->last)
		c->last = c->first;
	c->nr_pages += 1UL << order;
}

void zone_free_chain(struct zone *zone, struct zone_chain *c, bool nolock)
{
	if (!c->first)
		return;
	if (nolock) {
		scoped_cond_guard(zone_trylock_irqsave, zone) {
			__free_llist_to_buddy(zone, c->first);
			return;
		}
		llist_add_batch(c->first, c->last, &zone->deferred_free);
		return;
	}
	scoped_guard(zone_lock_irqsave, zone)
		__free_llist_to_buddy(zone, c->first);
}

/**
 * free_pages_to_zone - the zone half of freeing, for a block the PCP did not take
 * @zone: its zone
 * @page: the prepared head page
 * @order: its order
 * @nolock: trylock, and defer to the zone's deferred list if the lock is busy
 *
 * Context: any CPU; with @nolock any context.
 */
void free_pages_to_zone(struct zone *zone, struct page *page, unsigned int order, bool nolock)
{
	struct zone_chain c = ZONE_CHAIN_INIT;

	if (!nolock) {
		guard(zone_lock_irqsave)(zone);
		__free_pages_to_buddy(zone, page, page_to_pfn(page), order);
		return;
	}
	chain_add(&c, page, order);
	zone_free_chain(zone, &c, true);
}

/* ---- the local drain ---- */

/*
 * Take an owned block off this PCP: collect its free pieces (lazy or merged: walk the block)
 * and give up ownership. Entirely free, it goes to the zone as one pageblock; otherwise its
 * free pieces go and its allocated pages become unowned. Detached from owned_blocks before
 * its entry is reset (DESIGN.md 4.2).
 * Context: pcp->lock held.
 */
static void __pcp_release_block(struct per_cpu_pages *pcp, struct pageblock_owner *b,
				struct zone_chain *zc)
{
	struct zone *zone = pcp->zone;
	unsigned long start = zone->pageblock_base_pfn +
			      ((unsigned long)(b - zone->pageblock_owner) << pageblock_order);
	struct page *first = pfn_to_page(start);
	unsigned long nr = b->nr_free;

	assert_pcp_locked(&pcp->lock);
	list_del_init(&b->node);
	pcp->nr_owned_blocks--;
	if (nr == pageblock_nr_pages) {
		/* All free: every page is on our lists, as pieces of some orders. */
		for (unsigned long pfn = start; pfn < start + pageblock_nr_pages;) {
			struct page *p = first + (pfn - start);
			unsigned int o = buddy_order(p);

			pcp_del_piece(p);
			pfn += 1UL << o;
		}
		chain_add(zc, first, pageblock_order);
	} else {
		for (unsigned long pfn = start; pfn < start + pageblock_nr_pages;) {
			struct page *p = first + (pfn - start);

			if (!PagePcp(p)) {
				pfn++;
				continue;
			}
			unsigned int o = buddy_order(p);

			pcp_del_piece(p);
			chain_add(zc, p, o);
			pfn += 1UL << o;
		}
	}
	b->nr_free = 0;
	pageblock_owner_set(zone, b, PB_NO_OWNER);
	pcp_count_add(pcp, -(long)nr);
	pcp->stats.blocks_released++;
}

/*
 * Bring this PCP down to @target pages (0: give everything back, ownership included):
 * unowned pages first (the oldest, up to `batch` per call unless draining fully), then
 * entirely free owned blocks, then, for a full drain or far above target, partially free
 * owned blocks, the emptiest-of-allocations first. One zone-lock hold for all of it (or the
 * deferred list with @nolock).
 * A full drain gives up every owned block, even one with no free page on our lists (count
 * says nothing about those): a dead CPU must own nothing, or its blocks would stay linked on
 * its owned_blocks while their pages are freed to the zone and claimed by another CPU.
 * Context: pcp->lock held.
 */
void __pcp_drain(struct per_cpu_pages *pcp, unsigned long target, bool nolock)
{
	struct zone_chain zc = ZONE_CHAIN_INIT;
	unsigned long limit = target ? pcp->batch : ~0UL, moved = 0;
	struct pageblock_owner *b, *tmp;

	assert_pcp_locked(&pcp->lock);
	if (!target)
		pcp->fast_ok = false;	/* emptied: the next allocation takes the full path */
	if (pcp->count <= target && (target || list_empty(&pcp->owned_blocks)))
		return;
	for (unsigned int i = 0; i < NR_PCP_UNOWNED_LISTS && pcp->count > target; i++) {
		for (int mt = 0; mt < MIGRATE_PCPTYPES && pcp->count > target; mt++) {
			struct list_head *list = &pcp->unowned[mt][i];

			while (!list_empty(list) && pcp->count > target && moved < limit) {
				struct page *page = list_last_entry(list, struct page, lru);
				unsigned int order = buddy_order(page);

				pcp_del_piece(page);
				pcp_count_add(pcp, -(1L << order));
				chain_add(&zc, page, order);
				moved += 1UL << order;
			}
		}
	}
	list_for_each_entry_safe(b, tmp, &pcp->owned_blocks, node) {
		if (pcp->count <= target)
			break;
		if (b->nr_free == pageblock_nr_pages)
			__pcp_release_block(pcp, b, &zc);
	}
	/* Hysteresis: a partially used block is given up only far above target (or for good). */
	while (target ? pcp->count > target + pageblock_nr_pages :
			!list_empty(&pcp->owned_blocks)) {
		struct pageblock_owner *best = NULL;

		list_for_each_entry(b, &pcp->owned_blocks, node)
			if (!best || b->nr_free > best->nr_free)
				best = b;
		if (!best)
			break;
		__pcp_release_block(pcp, best, &zc);
	}
	if (zc.first) {
		pcp->stats.drains++;
		trace_pcp_drain(pcp->zone->name, pcp->cpu, zc.nr_pages);
		zone_free_chain(pcp->zone, &zc, nolock);
	}
}

/* ---- allocation ---- */

/* A block of @order and @mt from this PCP's lists, or NULL. Context: pcp->lock held. */
static __noinline struct page *__rmqueue_pcp(struct per_cpu_pages *pcp, unsigned int order,
					  int mt)
{
	struct page *page;

	assert_pcp_locked(&pcp->lock);
	if (order == 0) {
		page = pcp_take_lazy(pcp, mt);
		if (page)
			return page;
	}
	if (unowned_order_ok(order)) {
		page = list_first_entry_or_null(&pcp->unowned[mt][unowned_pindex(order)],
						struct page, lru);
		if (page) {
			pcp_del_piece(page);
			pcp_count_add(pcp, -(1L << order));
			return page;
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int o = order; o <= pageblock_order; o++) {
			page = list_first_entry_or_null(&pcp->lists[mt][o], struct page, lru);
			if (!page)
				continue;
			pcp_del_piece(page);
			__pcp_expand(pcp, mt, page, order, o);
			return take_owned(pcp, page, order);
		}
		if (list_empty(&pcp->lazy[mt]))
			break;
		__pcp_merge_lazy(pcp, mt);
	}
	return NULL;
}

/*
 * Refill under one zone-lock hold: claim a whole free pageblock (owner mode, when the zone can
 * spare one above its low watermark and @floor, and `high` can hold one), else a batch of
 * unowned pages of @order, as many as keep the zone at or above @floor (at least the one
 * block the caller's watermark check allowed). Return: true if anything was added.
 * Context: pcp->lock and zone lock held.
 */
static bool __pcp_refill(struct per_cpu_pages *pcp, unsigned int order, int mt, bool claim,
			 unsigned long floor)
{
	struct zone *zone = pcp->zone;
	unsigned long free = zone->vm_stat[NR_FREE_PAGES];
	unsigned long spare = free > floor ? free - floor : 0;
	unsigned int n;

	assert_pcp_locked(&pcp->lock);
	assert_zone_locked(zone);
	if (claim && free >= low_wmark_pages(zone) + pageblock_nr_pages &&
	    spare >= pageblock_nr_pages) {
		struct page *page = __rmqueue(zone, pageblock_order, mt, 0);

		if (page && get_pageblock_migratetype(page) == mt) {
			struct pageblock_owner *b = pageblock_owner_of(zone, page_to_pfn(page));

			b->mt = (u8)mt;
			b->nr_free = pageblock_nr_pages;
			list_add(&b->node, &pcp->owned_blocks);
			pcp->nr_owned_blocks++;
			pageblock_owner_set(zone, b, pcp->cpu);
			pcp_add_piece(&pcp->lists[mt][pageblock_order], page, pageblock_order);
			pcp_count_add(pcp, pageblock_nr_pages);
			pcp->stats.blocks_claimed++;
			trace_pcp_refill(zone->name, pageblock_nr_pages, pageblock_order,
					 page_to_pfn(page));
			return true;
		}
		if (page)	/* not of our type after all: give it back */
			__free_pages_to_buddy(zone, page, page_to_pfn(page), pageblock_order);
	}
	if (!unowned_order_ok(order))
		return false;
	n = max(1U, pcp->batch >> order);
	n = min_t(unsigned long, n, max(1UL, spare >> order));
	for (unsigned int i = 0; i < n; i++) {
		struct page *page = __rmqueue(zone, order, mt, 0);

		if (!page) {
			if (i)
				trace_pcp_refill(zone->name, i << order, order, ~0UL);
			return i > 0;
		}
		/* Tail: refill pages are used after the hot pages already there. */
		set_page_private(page, order);
		page_set_flag(page, PG_pcp);
		list_add_tail(&page->lru, &pcp->unowned[mt][unowned_pindex(order)]);
		pcp_count_add(pcp, 1L << order);
	}
	trace_pcp_refill(zone->name, n << order, order, ~0UL);
	return true;
}

static bool pcp_refill(struct per_cpu_pages *pcp, unsigned int order, int mt, bool nolock,
		       unsigned long floor)
{
	bool claim = pcp_get_mode() == PCP_MODE_OWNER && pcp->high >= pageblock_nr_pages;
	bool got = false;

	if (!claim && !unowned_order_ok(order))
		return false;
	if (nolock) {
		scoped_cond_guard(zone_trylock_irqsave, pcp->zone)
			got = __pcp_refill(pcp, order, mt, claim, floor);
	} else {
		scoped_guard(zone_lock_irqsave, pcp->zone)
			got = __pcp_refill(pcp, order, mt, claim, floor);
	}
	if (got)
		pcp->stats.refills++;
	return got;
}

/*
 * This CPU's set of @zone, locked with IRQs off, if its CPU is alive; NULL (IRQs as they
 * were) if the lock is busy or the set is dead (hotplug: its pages are being drained).
 */
static __always_inline struct per_cpu_pages *pcp_lock_live(struct zone *zone,
							   unsigned long *flags)
{
	struct per_cpu_pages *pcp = zone_pcp(zone, smp_processor_id());

	if (unlikely(!pcp_trylock_irqsave(&pcp->lock, flags)))
		return NULL;
	if (unlikely(pcp_dead(pcp))) {
		pcp_unlock_irqrestore(&pcp->lock, *flags);
		return NULL;
	}
	return pcp;
}

/* Absorb, then a block off the lists, or NULL. Context: pcp->lock held. */
static __always_inline struct page *__pcp_take(struct per_cpu_pages *pcp, unsigned int order,
					       int mt, bool nolock)
{
	assert_pcp_locked(&pcp->lock);
	pcp_absorb_if_needed(pcp, nolock);
	return __rmqueue_pcp(pcp, order, mt);
}

struct page *pcp_rmqueue(struct zone *zone, unsigned int order, int migratetype,
			 unsigned int alloc_flags, unsigned long floor)
{
	bool nolock = alloc_flags & ALLOC_NOLOCK;
	struct per_cpu_pages *pcp;
	struct page *page;
	unsigned long flags;

	if (!pcp_order_ok(pcp_get_mode(), order) || migratetype >= MIGRATE_PCPTYPES ||
	    (alloc_flags & ALLOC_HIGHATOMIC))
		return NULL;
	pcp = pcp_lock_live(zone, &flags);
	if (!pcp)
		return NULL;
	page = __pcp_take(pcp, order, migratetype, nolock);
	if (!page && pcp_refill(pcp, order, migratetype, nolock, floor))
		page = __rmqueue_pcp(pcp, order, migratetype);
	if (pcp->count > pcp->high)
		__pcp_drain(pcp, pcp->high, nolock);
	pcp->fast_ok = zone_fast_alloc_ok(zone, pcp->high);
	pcp_unlock_irqrestore(&pcp->lock, flags);
	return page;
}

struct page *pcp_alloc_cached(struct zone *zone, unsigned int order, int migratetype)
{
	struct per_cpu_pages *pcp;
	struct page *page = NULL;
	unsigned long flags;

	/* What interrupts deferred to a fast section pcp_alloc_lazy() then left. */
	pcp_fast_missed_check(&zone_pcp(zone, smp_processor_id())->lock);
	if (unlikely(!pcp_order_ok(pcp_get_mode(), order)))
		return NULL;
	pcp = pcp_lock_live(zone, &flags);
	if (unlikely(!pcp))
		return NULL;
	if (likely(pcp->fast_ok)) {
		/* Absorb in nolock style: a busy zone lock defers rather than waits. */
		page = __pcp_take(pcp, order, migratetype, true);
		if (page)
			__count_vm_events(pcp->cpu, pcp->pgalloc_event, 1UL << order);
	}
	pcp_unlock_irqrestore(&pcp->lock, flags);
	return page;
}
