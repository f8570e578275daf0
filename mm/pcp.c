// SPDX-License-Identifier: MIT
/*
 * Per-CPU pages: each CPU's cache of free pages per zone, with pageblock ownership, the PCP
 * buddy, the remote-free llist, IPI-driven draining and the three comparison modes.
 * The struct and the public contract are in mm/pcp.h; DESIGN.md 4.1 and 4.2 are the design.
 *
 * Locking: pcp->lock (p) is taken by its own CPU with IRQs off (trylock on every allocation
 * and free path, so an interrupt or NMI-like context never spins on it); the zone lock nests
 * inside it (pcp->lock -> zone lock). Another CPU's pcp->lock is taken only to drain a dead
 * CPU and by the invariant checker, which is why it can be a CPU-local lock with no atomic
 * instruction (mm/pcp_lock.h). free_llist is (l): any CPU pushes, the owner consumes.
 * Linux: mm/page_alloc.c rmqueue_pcplist(), free_unref_page(), free_pcppages_bulk(),
 * drain_all_pages(), zone_batchsize(); the 2026 "split-path PCP free" RFC for the llist idea.
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
 * __alloc_pages() first tail-calls pcp_alloc_fast(), step 0, which skips the layers between
 * the API and the lists (zonelist walk, watermark check, rmqueue()) when they cannot change
 * the answer, and tail-calls the full walk itself when they might. pcp_alloc_fast() itself
 * only serves the commonest case, an order-0 page off the lazy list, and tail-calls the rest
 * of step 0 (pcp_alloc_step0()) for anything else; step 0's conditions:
 *   - the zone is the first one the zonelist walk would try for the request's highest zone
 *     (pcp_fast_zone[], constant after boot);
 *   - the watermark check is cached per CPU in pcp->fast_ok, refreshed at every slow-path PCP
 *     allocation of this CPU (and so at every refill). Why a cached answer is good enough:
 *     serving a block from this CPU's lists never lowers the zone's free count, which is what
 *     the watermarks protect (PCP pages were taken out of it at refill, under the check); a
 *     stale "ok" only means this CPU goes on using pages it set aside while another CPU
 *     pushed the zone down, until its next slow-path allocation. To make even that need a
 *     large swing, fast_ok asks for free pages above the low watermark plus the largest
 *     lowmem_reserve, the highatomic reserve and this CPU's `high`;
 *   - the lists must hold a piece of the right migratetype and order or above (absorbing
 *     remote frees first, as always): no refill, no drain, no zone lock. Anything else
 *     (an empty list, page_poison=1, a highatomic request, the `off` mode) returns NULL and
 *     the caller takes the full path, which is the one path with all its steps (DESIGN.md 4:
 *     the fast path is its first step, not a second copy of it).
 * The free side's step 0 is inside pcp_free(): the two common routes (a page of our own
 * block, a remote push) inline, the full routing out of line. On all these common paths
 * every call is a tail call: whatever is rare (a bad free's report, poisoning, a traced
 * event, an IPI to wake an idle owner, a refill) is left for the out-of-line path, so no
 * frame of saved registers is built for it. Counted by callgrind on the host harness: a
 * pair went from 404 instructions (four nested frames) to 288; a remote free from 170 to
 * 148.
 * Both sides count their vm events per CPU in the same IRQs-off section as the list
 * operation, and the lock is CPU-local: an order-0 pair executes no atomic instruction.
 *
 * ==== Free routing and the remote free ====
 *
 * A freed block (order <= pageblock_order) looks at its pageblock's owner:
 *   - this CPU or nobody: this CPU's PCP, with a trylock of pcp->lock. If the trylock fails
 *     (another CPU holds it: the checker or a dead-CPU drain; or an NMI-like context)
 *     an owned page goes on our own free_llist, an unowned one to the zone (its lock, or in
 *     ALLOC_NOLOCK context a trylock and else the zone's deferred llist);
 *   - another CPU, B: llist_add() onto B's free_llist. One compare-and-swap, no lock, safe in
 *     any context. B absorbs its free_llist (one atomic exchange for the whole list) at the
 *     start of every PCP allocation, bulk free and drain, merging each page into its block.
 * A page in transit carries PG_llist and its order in private, and is counted as free by the
 * checker. The freeing side of a remote free is therefore one atomic and a few loads: the
 * owner pays for the merge, in batches, with its own lock, which no one else wants.
 *
 * ==== Idle owners ====
 *
 * If B is busy it absorbs soon enough. If B is idle, the pages would sit there, counted as
 * free but usable by nobody, so the freer that makes B's list non-empty (llist_add() returns
 * true) sends B an IPI if B's idle flag is set. The IPI is a dedicated one: one csd per target
 * CPU, shared by all senders, queued with smp_call_function_single_async(). -EBUSY from it
 * means an absorb is already on its way, which is exactly what we want, and it never waits,
 * so it may be sent from any context (smp_call_function_single(..., false) would wait for this
 * CPU's previous call to the same target). The handshake with the idle loop is Dekker's:
 *	freer:  push(page) (a seq_cst CAS);	read idle[B] (seq_cst)
 *	B:      idle[B] = 1 (seq_cst); full fence; read free_llist (pcp_idle_enter())
 * so either the freer sees B idle and interrupts it, or B sees the page before it sleeps.
 *
 * ==== Draining ====
 *
 * drain_all_pages() asks every CPU that holds pages (count or a non-empty free_llist) to
 * absorb and give everything back, by IPI, and waits (bounded) for their "drains done"
 * counters to move. In the IPI (interrupt context) nothing may spin: a drain that finds the
 * zone lock busy pushes its pages onto the zone's deferred llist, which the next zone-lock
 * holder frees first thing (zone_lock_irqsave()). So a drain never fails to give pages back,
 * and the allocation that asked for it, retrying under the zone lock, frees them itself.
 * The allocator calls it when an allocation would fail (or cross the min watermark) while
 * other CPUs hold pages; one drain runs at a time, and a CPU that finds one running waits for
 * it instead of starting another.
 *
 * ==== Hotplug drain ordering (DESIGN.md 4.2) ====
 *
 * A freer reads the owner's PCPF_CPU_DEAD flag and then pushes; if the owner died between
 * the two, the page would be stranded on a dead CPU's list. So the read..push window runs with
 * IRQs off, and pcp_cpu_dead() (1) sets the flag, (2) runs an empty function on every online
 * CPU and waits (on_each_cpu): a CPU that runs it is not inside the window, and any window it
 * enters afterwards sees the flag (the IPI's release/acquire orders it) and frees to the zone,
 * (3) only then absorbs and drains the dead CPU's lists, detaching each owned block from
 * owned_blocks before resetting its entry. pcp_cpu_online() clears the flag and absorbs.
 */
#include "mm/pcp.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/vmstat.h"
#include "kernel/bug.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/tracepoints.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

const char *const pcp_mode_names[NR_PCP_MODES] = {
	[PCP_MODE_OFF] = "off",
	[PCP_MODE_TRYLOCK] = "trylock",
	[PCP_MODE_OWNER] = "owner",
};

/* OFF until pcp_init(): boot frees go straight to the buddy allocator (l: relaxed). */
static u32 pcp_mode_cur = PCP_MODE_OFF;
unsigned int pcp_nr_cpus;			/* (c) */
static u8 cpu_idle[NR_CPUS];			/* (l: seq_cst, the Dekker pair above) */
static struct call_single_data absorb_csd[NR_CPUS];	/* one per target (l: csd flags) */
static struct call_single_data drain_csd[NR_CPUS];	/* one per target (l: csd flags) */
static u64 drains_done[NR_CPUS];		/* per CPU (l: atomic) */
/* The first zone a request with this highest zone tries (node 0's zonelist walk) (c). */
static struct zone *pcp_fast_zone[MAX_NR_ZONES];
static u32 drain_busy;				/* a drain_all_pages() runs (l: atomic) */
/*
 * pcp_set_test_window_hook()'s function (c: stored, release, before any PCPF_TEST_WINDOW is
 * set, and never cleared, so a freer that saw the flag always finds it).
 */
static void (*pcp_test_window_hook)(void);

#define for_each_pcp_zone(z)					\
	for_each_zone(z)					\
		if (!populated_zone(z) || !(z)->per_cpu_pageset) {} else

enum pcp_mode pcp_get_mode(void)
{
	return (enum pcp_mode)__atomic_load_n(&pcp_mode_cur, __ATOMIC_RELAXED);
}

int pcp_mode_from_name(const char *name)
{
	for (int m = 0; m < NR_PCP_MODES; m++)
		if (!strcmp(name, pcp_mode_names[m]))
			return m;
	return -1;
}

/* ---- small helpers ---- */

static inline unsigned long pcp_count_read(const struct per_cpu_pages *pcp)
{
	return __atomic_load_n(&pcp->count, __ATOMIC_RELAXED);
}

/* Context: pcp->lock held. A relaxed store: drain_all_pages() reads count without the lock. */
static inline void pcp_count_add(struct per_cpu_pages *pcp, long n)
{
	__atomic_store_n(&pcp->count, pcp->count + (unsigned long)n, __ATOMIC_RELAXED);
}

static inline u32 pcp_flags_read(const struct per_cpu_pages *pcp)
{
	return __atomic_load_n(&pcp->flags, __ATOMIC_RELAXED);
}

static inline bool pcp_dead(const struct per_cpu_pages *pcp)
{
	return pcp_flags_read(pcp) & PCPF_CPU_DEAD;
}

/* Orders an unowned page may sit on a PCP with: 0..3 and the pageblock order. */
static inline bool unowned_order_ok(unsigned int order)
{
	return order <= PCP_MAX_UNOWNED_ORDER || order == pageblock_order;
}

static inline unsigned int unowned_pindex(unsigned int order)
{
	return order <= PCP_MAX_UNOWNED_ORDER ? order : PCP_MAX_UNOWNED_ORDER + 1;
}

static inline bool pcp_order_ok(enum pcp_mode mode, unsigned int order)
{
	if (mode == PCP_MODE_OWNER)
		return order <= pageblock_order;
	return mode == PCP_MODE_TRYLOCK && unowned_order_ok(order);
}

static inline void pcp_add_piece(struct list_head *list, struct page *page, unsigned int order)
{
	set_page_private(page, order);
	page_set_flag(page, PG_pcp);
	list_add(&page->lru, list);
}

static inline void pcp_del_piece(struct page *page)
{
	list_del(&page->lru);
	page_clear_flag(page, PG_pcp);
}

/* Context: the owner's pcp->lock and the zone lock held (or boot). */
static inline void pageblock_owner_set(struct zone *zone, struct pageblock_owner *b,
				       unsigned int owner)
{
	__atomic_store_n(&zone->pageblock_owner_cpu[b - zone->pageblock_owner], (u16)owner,
			 __ATOMIC_RELAXED);
}

/* ---- giving pieces back to the zone ---- */

/* A chain of free pieces on their way to the zone (PG_llist, order in private). */
struct zone_chain {
	struct llist_node *first;
	struct llist_node *last;
	unsigned long nr_pages;
};

static void chain_add(struct zone_chain *c, struct page *page, unsigned int order)
{
	set_page_private(page, order);
	page_set_flag(page, PG_llist);
	page->pcp_llist.next = c->first;
	c->first = &page->pcp_llist;
	if (!c->last)
		c->last = c->first;
	c->nr_pages += 1UL << order;
}

/*
 * Give a chain to the zone: under its lock, or, if @nolock and the lock is busy, onto its
 * deferred list for the next lock holder. Never spins with @nolock.
 * Context: any; pcp->lock may be held (it nests outside the zone lock).
 */
static void zone_free_chain(struct zone *zone, struct zone_chain *c, bool nolock)
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

/* One block to the zone, the same way. */
static void free_to_zone(struct zone *zone, struct page *page, unsigned int order, bool nolock)
{
	struct zone_chain c = { NULL, NULL, 0 };

	chain_add(&c, page, order);
	zone_free_chain(zone, &c, nolock);
}

/* ---- the PCP buddy ---- */

/*
 * Merge a free piece of an owned block with its free buddies on this PCP, as __free_one_page()
 * does in the zone, but only up to pageblock_order (the buddy is then always inside the same
 * owned block, so a PG_pcp buddy is necessarily one of ours) and without touching counters.
 *	pfn 0x1003 order 0, 0x1002 free at order 0: merge -> 0x1002 order 1;
 *	its buddy 0x1000 free at order 1: merge -> 0x1000 order 2, and so on.
 * Context: pcp->lock held; the piece is on no list.
 */
static __noinline void __pcp_merge(struct per_cpu_pages *pcp, int mt, struct page *page,
				   unsigned long pfn, unsigned int order)
{
	while (order < pageblock_order) {
		unsigned long buddy_pfn = __find_buddy_pfn(pfn, order);
		struct page *buddy = page + ((long)buddy_pfn - (long)pfn);
		unsigned long combined_pfn;

		if (!PagePcp(buddy) || buddy_order(buddy) != order)
			break;
		pcp_del_piece(buddy);
		combined_pfn = buddy_pfn & pfn;
		page = page + ((long)combined_pfn - (long)pfn);
		pfn = combined_pfn;
		order++;
	}
	pcp_add_piece(&pcp->lists[mt][order], page, order);
}

/* Merge every lazy order-0 page of @mt. Context: pcp->lock held. */
static void __pcp_merge_lazy(struct per_cpu_pages *pcp, int mt)
{
	while (!list_empty(&pcp->lazy[mt])) {
		struct page *page = list_first_entry(&pcp->lazy[mt], struct page, lru);

		pcp_del_piece(page);
		__pcp_merge(pcp, mt, page, page_to_pfn(page), 0);
	}
}

/* Split a piece of order @high down to @low, the upper halves back on the lists (expand()). */
static void __pcp_expand(struct per_cpu_pages *pcp, int mt, struct page *page, unsigned int low,
			 unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		pcp_add_piece(&pcp->lists[mt][high], &page[size], high);
	}
}

/*
 * Put a freed block on this CPU's lists: merged into its block if we own it, else as an
 * unowned page. Return: false if it cannot live on a PCP (the caller frees it to the zone).
 * Context: pcp->lock held, this CPU (or the drain of a dead CPU).
 */
static __always_inline void __pcp_free_owned(struct per_cpu_pages *pcp,
					     struct pageblock_owner *b, struct page *page,
					     unsigned long pfn, unsigned int order)
{
	b->nr_free += 1U << order;
	pcp_count_add(pcp, 1L << order);
	if (order == 0)
		pcp_add_piece(&pcp->lazy[b->mt], page, 0);
	else
		__pcp_merge(pcp, b->mt, page, pfn, order);
}

static bool __pcp_free_local(struct per_cpu_pages *pcp, struct page *page, unsigned long pfn,
			     unsigned int order)
{
	unsigned long idx = pageblock_idx(pcp->zone, pfn);
	int mt;

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

/*
 * Absorb: take everything other CPUs pushed onto our free_llist (one atomic exchange) and put
 * each block where it belongs (see "Why the owner ... is stable" above).
 * Context: pcp->lock held.
 */
static __noinline void __pcp_absorb(struct per_cpu_pages *pcp, bool nolock)
{
	struct llist_node *n = llist_del_all(&pcp->free_llist);
	struct zone_chain zc = { NULL, NULL, 0 };
	unsigned long nr = 0;

	while (n) {
		struct llist_node *next = n->next;
		struct page *page = llist_entry(n, struct page, pcp_llist);
		unsigned int order = page_private(page);

		/* The owner's check of what others pushed: the freer checked the rest. */
		if (unlikely(!PageLlist(page) || order > pageblock_order)) {
			bad_page(page, "corrupt page on a free_llist", order, 0);
			n = next;
			continue;
		}
		page_clear_flag(page, PG_llist);
		nr += 1UL << order;
		if (!__pcp_free_local(pcp, page, page_to_pfn(page), order))
			chain_add(&zc, page, order);
		n = next;
	}
	pcp->stats.absorbed += nr;
	if (nr)
		trace_pcp_absorb(pcp->zone->name, nr);
	zone_free_chain(pcp->zone, &zc, nolock);
}

static inline void pcp_absorb_if_needed(struct per_cpu_pages *pcp, bool nolock)
{
	if (!llist_empty(&pcp->free_llist))
		__pcp_absorb(pcp, nolock);
}

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
 * Context: pcp->lock held.
 */
static void __pcp_drain(struct per_cpu_pages *pcp, unsigned long target, bool nolock)
{
	struct zone_chain zc = { NULL, NULL, 0 };
	unsigned long limit = target ? pcp->batch : ~0UL, moved = 0;
	struct pageblock_owner *b, *tmp;

	if (!target)
		pcp->fast_ok = false;	/* emptied: the next allocation takes the full path */
	if (pcp->count <= target)
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
	while (pcp->count > target && (target == 0 || pcp->count > target + pageblock_nr_pages)) {
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

/* Take the piece `page` (order @order, owned block) off the PCP's books. */
static inline struct page *take_owned(struct per_cpu_pages *pcp, struct page *page,
				      unsigned int order)
{
	pageblock_owner_of(pcp->zone, page_to_pfn(page))->nr_free -= 1U << order;
	pcp_count_add(pcp, -(1L << order));
	return page;
}

/* The newest lazy order-0 free of @mt, or NULL: two list operations. Context: pcp->lock. */
static __always_inline struct page *pcp_take_lazy(struct per_cpu_pages *pcp, int mt)
{
	struct page *page = list_first_entry_or_null(&pcp->lazy[mt], struct page, lru);

	if (page) {
		pcp_del_piece(page);
		take_owned(pcp, page, 0);
	}
	return page;
}

/* A block of @order and @mt from this PCP's lists, or NULL. Context: pcp->lock held. */
static __noinline struct page *__rmqueue_pcp(struct per_cpu_pages *pcp, unsigned int order,
					  int mt)
{
	struct page *page;

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
 * spare one above its low watermark and `high` can hold one), else a batch of unowned pages
 * of @order. Return: true if anything was added.
 * Context: pcp->lock and zone lock held.
 */
static bool __pcp_refill(struct per_cpu_pages *pcp, unsigned int order, int mt, bool claim)
{
	struct zone *zone = pcp->zone;
	unsigned int n;

	assert_zone_locked(zone);
	if (claim && zone->vm_stat[NR_FREE_PAGES] >= low_wmark_pages(zone) + pageblock_nr_pages) {
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

static bool pcp_refill(struct per_cpu_pages *pcp, unsigned int order, int mt, bool nolock)
{
	bool claim = pcp_get_mode() == PCP_MODE_OWNER && pcp->high >= pageblock_nr_pages;
	bool got = false;

	if (!claim && !unowned_order_ok(order))
		return false;
	if (nolock) {
		scoped_cond_guard(zone_trylock_irqsave, pcp->zone)
			got = __pcp_refill(pcp, order, mt, claim);
	} else {
		scoped_guard(zone_lock_irqsave, pcp->zone)
			got = __pcp_refill(pcp, order, mt, claim);
	}
	if (got)
		pcp->stats.refills++;
	return got;
}

/*
 * Is the zone comfortably above its low watermark, for the fast path's cached answer
 * (pcp->fast_ok)? Low watermark + the largest lowmem_reserve (whatever the request's highest
 * zone) + the highatomic reserve + this CPU's high. A lockless read, as zone_watermark_ok().
 */
static bool pcp_zone_comfortable(const struct per_cpu_pages *pcp)
{
	const struct zone *z = pcp->zone;
	unsigned long need = low_wmark_pages(z) + READ_ONCE(z->nr_reserved_highatomic) + pcp->high;
	unsigned long reserve = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		reserve = max(reserve, z->lowmem_reserve[i]);
	return zone_page_state(z, NR_FREE_PAGES) > need + reserve;
}

/**
 * pcp_rmqueue - allocate a block from this CPU's per-CPU lists
 * @zone: the zone
 * @order: the order
 * @migratetype: the type wanted
 * @alloc_flags: ALLOC_NOLOCK: only trylocks; ALLOC_HIGHATOMIC requests bypass the PCP
 *
 * Absorbs remote frees first, refills from the zone when the lists cannot serve the request.
 * Return: the head page (off every list, no PG_pcp), or NULL: the caller tries the zone.
 * Context: any CPU, any context; IRQs off inside.
 */
struct page *pcp_rmqueue(struct zone *zone, unsigned int order, int migratetype,
			 unsigned int alloc_flags)
{
	enum pcp_mode mode = pcp_get_mode();
	bool nolock = alloc_flags & ALLOC_NOLOCK;
	struct per_cpu_pages *pcp;
	struct page *page = NULL;

	if (!pcp_order_ok(mode, order) || migratetype >= MIGRATE_PCPTYPES ||
	    (alloc_flags & ALLOC_HIGHATOMIC))
		return NULL;
	pcp = zone_pcp(zone, smp_processor_id());
	scoped_cond_guard(pcp_trylock_irqsave, &pcp->lock) {
		if (pcp_dead(pcp))
			break;
		pcp_absorb_if_needed(pcp, nolock);
		page = __rmqueue_pcp(pcp, order, migratetype);
		if (!page && pcp_refill(pcp, order, migratetype, nolock))
			page = __rmqueue_pcp(pcp, order, migratetype);
		if (pcp->count > pcp->high)
			__pcp_drain(pcp, pcp->high, nolock);
		pcp->fast_ok = pcp_zone_comfortable(pcp);
	}
	return page;
}

/*
 * Step 0 in full (see pcp_alloc_fast() below, which tries the commonest case first): serves
 * the block straight off this CPU's lists, absorbing first, and prepares it
 * (prep_new_block()); when that needs anything more it tail-calls the full path,
 * __alloc_pages_walk(), which then does every step itself.
 */
static __noinline struct page *pcp_alloc_step0(gfp_t gfp, unsigned int order, int nid,
					       unsigned int alloc_flags)
{
	struct zone *zone = pcp_fast_zone[gfp_zone(gfp)];
	unsigned int cpu = smp_processor_id();
	int migratetype = gfp_migratetype(gfp);
	struct per_cpu_pages *pcp;
	struct page *page = NULL;
	unsigned long flags;

	if (unlikely(!zone || !pcp_order_ok(pcp_get_mode(), order)))
		goto walk;
	pcp = zone_pcp(zone, cpu);
	if (unlikely(!pcp_trylock_irqsave(&pcp->lock, &flags)))
		goto walk;
	if (likely(pcp->fast_ok && !pcp_dead(pcp))) {
		/* Absorb in nolock style: a busy zone lock defers rather than waits. */
		pcp_absorb_if_needed(pcp, true);
		page = __rmqueue_pcp(pcp, order, migratetype);
		if (page)
			__count_vm_events(cpu, pcp->pgalloc_event, 1UL << order);
	}
	pcp_unlock_irqrestore(&pcp->lock, flags);
	if (likely(page)) {
		prep_new_block(page, order, gfp);
		trace_mm_page_alloc(page_to_pfn(page), order, migratetype, gfp);
		return page;
	}
walk:
	return __alloc_pages_walk(gfp, order, nid, alloc_flags);
}

/**
 * pcp_alloc_fast - step 0 of the allocator (see "The fast path" above)
 * @gfp: the request
 * @order: the order
 * @nid: the node (the caller checked it is this one)
 * @alloc_flags: the request's flags, for the full path
 *
 * The commonest allocation of all, an order-0 page when a lazy free of the right
 * migratetype waits on this CPU's lists and nothing is to be absorbed, inline: nothing to
 * call, so no stack frame. Anything else (another order, __GFP_ZERO, the event traced,
 * pages to absorb, an empty lazy list, a busy lock...) tail-calls step 0 in full,
 * pcp_alloc_step0(), which starts again from scratch. The caller has checked what step 0
 * cannot judge (order up to the pageblock, no page_poison, at most the low watermark, no
 * highatomic request).
 * Return: the allocated block, or NULL if the full path fails too.
 * Context: any CPU, any context: only trylocks, never touches the zone lock; IRQs off inside.
 */
struct page *pcp_alloc_fast(gfp_t gfp, unsigned int order, int nid, unsigned int alloc_flags)
{
	struct zone *zone = pcp_fast_zone[gfp_zone(gfp)];
	unsigned int cpu = smp_processor_id();
	struct per_cpu_pages *pcp;
	struct page *page;
	unsigned long flags;

	if (likely(zone && order == 0 && !(gfp & __GFP_ZERO) &&
		   pcp_get_mode() == PCP_MODE_OWNER && !trace_event_on(mm_page_alloc))) {
		pcp = zone_pcp(zone, cpu);
		flags = arch_local_irq_save();
		if (likely(pcp_trylock(&pcp->lock))) {
			if (likely(pcp->fast_ok && !pcp_dead(pcp) && llist_empty(&pcp->free_llist))) {
				page = pcp_take_lazy(pcp, gfp_migratetype(gfp));
				if (likely(page)) {
					__count_vm_events(cpu, pcp->pgalloc_event, 1);
					pcp_unlock_irqrestore(&pcp->lock, flags);
					prep_new_block(page, 0, gfp);
					return page;
				}
			}
			pcp_unlock(&pcp->lock);
		}
		arch_local_irq_restore(flags);
	}
	return pcp_alloc_step0(gfp, order, nid, alloc_flags);
}

/* ---- free ---- */

/*
 * llist_add() with a sequentially consistent compare-and-swap: the one atomic of a remote
 * free is also the store half of the idle handshake's Dekker pair (see "Idle owners"), so no
 * separate full fence follows it. On x86 a locked cmpxchg is a full barrier anyway (the fence
 * was an mfence on top); on riscv the AMO loop gets .aqrl. Release is implied: the page's
 * fields are visible to the owner that takes it with llist_del_all() (acquire).
 * Return: true if the list was empty.
 */
static inline bool pcp_llist_push(struct llist_node *n, struct llist_head *h)
{
	struct llist_node *old = __atomic_load_n(&h->first, __ATOMIC_RELAXED);

	do {
		n->next = old;
	} while (!__atomic_compare_exchange_n(&h->first, &old, n, true, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return old == NULL;
}

/* A freer saw PCPF_TEST_WINDOW: the hook stored before the flag was set (acquire). */
static __noinline void pcp_test_window(void)
{
	void (*fn)(void);

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	fn = __atomic_load_n(&pcp_test_window_hook, __ATOMIC_RELAXED);
	if (fn)
		fn();
}

/*
 * The remote free's push, once the owner's flags were read clear: the page goes onto
 * @opcp's free_llist, counted on this CPU (@cpu). A free block's order is already in
 * private (mm/page_alloc.c) and stays there.
 * Return: true if the list was empty: the caller then wakes the owner if it is idle.
 * Context: IRQs off (the hotplug window, see the essay).
 */
static __always_inline bool pcp_push_remote(unsigned int cpu, struct per_cpu_pages *opcp,
					    struct page *page, unsigned int order)
{
	page_set_flag(page, PG_llist);
	/* Both counters in this CPU's vm_event_states line: one address for the two adds. */
	__count_vm_events(cpu, PCP_REMOTE_FREE, 1);
	__count_vm_events(cpu, PGFREE, 1UL << order);
	return pcp_llist_push(&page->pcp_llist, &opcp->free_llist);
}

/*
 * After a push that made @owner's free_llist non-empty: an IPI if the owner is idle (see
 * "Idle owners"; whoever pushes onto a non-empty list leaves this to the first). @me: this
 * CPU's set, where the IPI is counted.
 * Context: IRQs off.
 */
static void pcp_wake_owner(struct per_cpu_pages *me, unsigned int owner)
{
	/* The push was seq_cst: it is ordered before this seq_cst read (Dekker pair). */
	if (pcp_cpu_is_idle(owner) &&
	    smp_call_function_single_async(owner, &absorb_csd[owner]) == 0)
		me->stats.ipis_sent++;
}

/*
 * The same, then interrupts back to @flags: out of line and called last, so that the remote
 * free's common case (pcp_free(), step 0) calls nothing and needs no stack frame.
 * Context: IRQs off; restores them.
 */
static __noinline void pcp_wake_owner_irqrestore(struct per_cpu_pages *me, unsigned int owner,
						 unsigned long flags)
{
	pcp_wake_owner(me, owner);
	arch_local_irq_restore(flags);
}

/*
 * The remote free from the full routing: push onto the owner's free_llist unless the owner
 * is dead (then false: the zone). Host race tests park the freer in its window here, and
 * the push is traced here.
 * Context: IRQs off (the hotplug window, see the essay).
 */
static bool pcp_free_remote(unsigned int cpu, struct per_cpu_pages *me, unsigned int owner,
			    struct per_cpu_pages *opcp, struct page *page, unsigned long pfn,
			    unsigned int order)
{
	u32 pflags = pcp_flags_read(opcp);

	if (pflags & PCPF_CPU_DEAD)
		return false;
	if (unlikely(pflags & PCPF_TEST_WINDOW))
		pcp_test_window();
	trace_pcp_remote_push(pfn, order, owner);
	if (pcp_push_remote(cpu, opcp, page, order))
		pcp_wake_owner(me, owner);
	return true;
}

/*
 * The full free routing (see "Free routing" above).
 * Return: true if the block is taken care of; false: the caller frees it to the zone.
 */
static bool pcp_free_route(struct zone *zone, struct page *page, unsigned long pfn,
			   unsigned int order, bool nolock)
{
	enum pcp_mode mode = pcp_get_mode();
	unsigned int me = smp_processor_id(), owner = PB_NO_OWNER;
	unsigned long idx = pageblock_idx(zone, pfn);
	struct per_cpu_pages *pcp;

	if (unlikely(!pcp_order_ok(mode, order)))
		return false;
	/* IRQs off from reading the owner's flag to the push: the hotplug window. */
	guard_irqsave();
	if (mode == PCP_MODE_OWNER) {
		owner = pageblock_owner_read(zone, idx);
		if (owner != PB_NO_OWNER && owner != me)
			return pcp_free_remote(me, zone_pcp(zone, me), owner,
					       zone_pcp(zone, owner), page, pfn, order);
	}
	pcp = zone_pcp(zone, me);
	scoped_cond_guard(pcp_trylock, &pcp->lock) {
		if (unlikely(pcp_dead(pcp)))
			return false;
		/* Our own block (the common case: the owner read above stands, see the essay). */
		if (owner == me)
			__pcp_free_owned(pcp, &zone->pageblock_owner[idx], page, pfn, order);
		else if (!__pcp_free_local(pcp, page, pfn, order))
			return false;
		__count_vm_events(me, PGFREE, 1UL << order);
		if (unlikely(pcp->count > pcp->high)) {
			pcp_absorb_if_needed(pcp, nolock);
			__pcp_drain(pcp, pcp->high, nolock);
		}
		return true;
	}
	/* The lock is busy (the checker, a dead-CPU drain, or we interrupted its holder). */
	if (owner == me) {
		/* Our own block: our own free_llist keeps it out of the zone; absorbed soon. */
		set_page_private(page, order);
		page_set_flag(page, PG_llist);
		llist_add(&page->pcp_llist, &pcp->free_llist);
		__count_vm_events(me, PGFREE, 1UL << order);
		return true;
	}
	return false;
}

/* The routing, and the zone for what no PCP takes: out of line, pcp_free()'s step 1. */
static __noinline void pcp_free_slow(struct zone *zone, struct page *page, unsigned long pfn,
				     unsigned int order, bool nolock)
{
	if (likely(pcp_free_route(zone, page, pfn, order, nolock)))
		return;
	count_vm_events(PGFREE, 1UL << order);
	free_pages_to_zone(zone, page, order, nolock);
}

/**
 * pcp_free - route a freed block: a per-CPU list, the owner's free_llist or the zone
 * @zone: its zone
 * @page: the head page, already prepared for freeing (refcount 0, no PG_head)
 * @pfn: its pfn
 * @order: its order
 * @nolock: ALLOC_NOLOCK context: only trylocks
 *
 * Step 0 is the routing's two most common outcomes, inline: a single page of one of our own
 * pageblocks while our lists are below `high` (lazy: no merge, so no call to make), and a
 * block of another CPU's pageblock (the remote free). It reads the owner with interrupts
 * off, which a remote free needs anyway (the hotplug window) and which keeps a drain IPI
 * from giving our own block up before the page is on its lists. Anything else (no owner,
 * another mode, a drain due, a busy lock, a dead owner) takes the full routing, which
 * starts again from scratch. Counted in pgfree either way.
 * Context: any CPU, any context.
 */
void pcp_free(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order,
	      bool nolock)
{
	unsigned int me = smp_processor_id(), owner;
	unsigned long idx = pageblock_idx(zone, pfn), flags;

	if (likely(pcp_get_mode() == PCP_MODE_OWNER && order <= pageblock_order)) {
		flags = arch_local_irq_save();
		owner = pageblock_owner_read(zone, idx);
		if (owner == me) {
			struct per_cpu_pages *pcp = zone_pcp(zone, me);

			if (order == 0 && likely(pcp_trylock(&pcp->lock))) {
				if (likely(!pcp_dead(pcp) && pcp->count < pcp->high)) {
					__pcp_free_owned(pcp, &zone->pageblock_owner[idx], page,
							 pfn, 0);
					__count_vm_events(me, PGFREE, 1);
					pcp_unlock_irqrestore(&pcp->lock, flags);
					return;
				}
				pcp_unlock(&pcp->lock);
			}
		} else if (owner != PB_NO_OWNER) {
			struct per_cpu_pages *opcp = zone_pcp(zone, owner);

			/*
			 * Any flag (a dead owner, a test's window) or the push traced: the
			 * full routing. So this path calls nothing but in tail position.
			 */
			if (likely(!pcp_flags_read(opcp) &&
				   !trace_event_on(pcp_remote_push))) {
				if (unlikely(pcp_push_remote(me, opcp, page, order))) {
					pcp_wake_owner_irqrestore(zone_pcp(zone, me), owner,
								  flags);
					return;
				}
				arch_local_irq_restore(flags);
				return;
			}
		}
		arch_local_irq_restore(flags);
	}
	pcp_free_slow(zone, page, pfn, order, nolock);
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
	if (!nolock) {
		guard(zone_lock_irqsave)(zone);
		__free_pages_to_buddy(zone, page, page_to_pfn(page), order);
		return;
	}
	free_to_zone(zone, page, order, true);
}

/* ---- draining ---- */

/*
 * Absorb and drain this CPU's lists of @zone (NULL: all). From the drain IPI: to nothing; from
 * the absorb IPI (info == NULL through pcp_absorb_ipi) and idle entry: down to high.
 */
static void __drain_local(struct zone *only, bool full, bool nolock)
{
	unsigned int me = smp_processor_id();
	struct zone *zone;

	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, me);

		if (only && zone != only)
			continue;
		if (!pcp_count_read(pcp) && llist_empty(&pcp->free_llist))
			continue;
		if (nolock) {
			scoped_cond_guard(pcp_trylock_irqsave, &pcp->lock) {
				__pcp_absorb(pcp, true);
				__pcp_drain(pcp, full ? 0 : pcp->high, true);
			}
		} else {
			/* Our own lock, free by the rule: "remote" only in that it may wait. */
			scoped_guard(pcp_lock_remote_irqsave, &pcp->lock) {
				__pcp_absorb(pcp, false);
				__pcp_drain(pcp, full ? 0 : pcp->high, false);
			}
		}
	}
}

/**
 * drain_local_pages - give this CPU's PCP pages back to the zone
 * @zone: the zone, or NULL for all
 *
 * Context: this CPU; from an IPI handler too (only trylocks there: arch_irqs_disabled()).
 */
void drain_local_pages(struct zone *zone)
{
	__drain_local(zone, true, arch_irqs_disabled());
}

/* Both IPIs run in interrupt context: never spin (nolock), see "Draining". */
static void pcp_drain_ipi(void *info)
{
	unsigned int me = smp_processor_id();

	__drain_local(NULL, true, true);
	/* Release: the waiter that sees the count move also sees our pages in the zone. */
	__atomic_fetch_add(&drains_done[me], 1, __ATOMIC_RELEASE);
	(void)info;
}

static void pcp_absorb_only_ipi(void *info)
{
	__drain_local(NULL, false, true);
	(void)info;
}

static bool cpu_has_pcp_pages(unsigned int cpu, struct zone *only)
{
	struct zone *zone;

	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		if (only && zone != only)
			continue;
		if (pcp_count_read(pcp) || !llist_empty(&pcp->free_llist))
			return true;
	}
	return false;
}

bool pcp_zone_has_pages(struct zone *zone)
{
	if (pcp_get_mode() == PCP_MODE_OFF && !zone)
		return false;
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++)
		if (cpu_has_pcp_pages(cpu, zone))
			return true;
	return false;
}

static void wait_tick(void)
{
	/* With IRQs off we still serve calls queued for us: a waiter may be waiting on us. */
	if (arch_irqs_disabled())
		smp_process_pending_calls();
	arch_cpu_relax();
}

bool drain_all_pages(struct zone *zone)
{
	u64 seen[NR_CPUS];
	struct cpumask asked;
	unsigned int me = smp_processor_id(), cpu;
	u64 deadline = arch_clock_ns() + PCP_DRAIN_WAIT_MS * 1000000ULL;
	u32 expect = 0;
	bool all = true;

	if (!__atomic_compare_exchange_n(&drain_busy, &expect, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED)) {
		/* Someone is draining already: their drain is ours too. Wait for it, bounded. */
		while (__atomic_load_n(&drain_busy, __ATOMIC_ACQUIRE) &&
		       arch_clock_ns() < deadline)
			wait_tick();
		return !__atomic_load_n(&drain_busy, __ATOMIC_ACQUIRE);
	}
	cpumask_clear(&asked);
	for_each_online_cpu(cpu) {
		if (cpu == me || cpu >= pcp_nr_cpus || !cpu_has_pcp_pages(cpu, zone))
			continue;
		seen[cpu] = __atomic_load_n(&drains_done[cpu], __ATOMIC_ACQUIRE);
		cpumask_set_cpu(cpu, &asked);
		/* -EBUSY: a drain IPI is already queued there; it runs after now, which is enough. */
		smp_call_function_single_async(cpu, &drain_csd[cpu]);
	}
	drain_local_pages(zone);
	for_each_cpu(cpu, &asked) {
		while (__atomic_load_n(&drains_done[cpu], __ATOMIC_ACQUIRE) == seen[cpu]) {
			if (arch_clock_ns() >= deadline) {
				all = false;
				break;
			}
			wait_tick();
		}
	}
	if (!all)
		pr_warn("pcp: drain_all_pages: a CPU did not drain within %u ms\n",
			PCP_DRAIN_WAIT_MS);
	__atomic_store_n(&drain_busy, 0, __ATOMIC_RELEASE);
	return all;
}

/* ---- modes, hotplug, idle ---- */

int pcp_set_mode(enum pcp_mode mode)
{
	if ((unsigned int)mode >= NR_PCP_MODES)
		return -EINVAL;
	/* New frees follow the new mode from here; what the old mode parked goes back. */
	__atomic_store_n(&pcp_mode_cur, (u32)mode, __ATOMIC_RELAXED);
	drain_all_pages(NULL);
	return 0;
}

static void pcp_nop(void *info)
{
	(void)info;
}

void pcp_cpu_dead(unsigned int cpu)
{
	struct zone *zone;

	if (cpu >= pcp_nr_cpus)
		return;
	for_each_pcp_zone(zone)
		__atomic_fetch_or(&zone_pcp(zone, cpu)->flags, PCPF_CPU_DEAD, __ATOMIC_RELEASE);
	/* Every online CPU passes a point outside its read-flag..push window (IRQs on there). */
	on_each_cpu(pcp_nop, NULL, true);
	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		/* The one place another CPU's pcp->lock is taken: its owner is gone. */
		guard(pcp_lock_remote_irqsave)(&pcp->lock);
		__pcp_absorb(pcp, false);
		__pcp_drain(pcp, 0, false);
		WARN_ON(pcp->count || pcp->nr_owned_blocks || !llist_empty(&pcp->free_llist));
	}
}

void pcp_cpu_online(unsigned int cpu)
{
	struct zone *zone;

	if (cpu >= pcp_nr_cpus)
		return;
	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		guard(pcp_lock_remote_irqsave)(&pcp->lock);
		__atomic_fetch_and(&pcp->flags, ~PCPF_CPU_DEAD, __ATOMIC_RELEASE);
		__pcp_absorb(pcp, false);
	}
}

void pcp_set_test_window_hook(void (*fn)(void))
{
	struct zone *zone;

	if (fn)
		__atomic_store_n(&pcp_test_window_hook, fn, __ATOMIC_RELEASE);
	for_each_pcp_zone(zone)
		for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
			u32 *f = &zone_pcp(zone, cpu)->flags;

			if (fn)
				__atomic_fetch_or(f, PCPF_TEST_WINDOW, __ATOMIC_RELEASE);
			else
				__atomic_fetch_and(f, ~PCPF_TEST_WINDOW, __ATOMIC_RELEASE);
		}
}

bool pcp_cpu_is_idle(unsigned int cpu)
{
	return cpu < NR_CPUS && __atomic_load_n(&cpu_idle[cpu], __ATOMIC_SEQ_CST);
}

void pcp_idle_enter(void)
{
	unsigned int me = smp_processor_id();
	struct zone *zone;

	__atomic_store_n(&cpu_idle[me], 1, __ATOMIC_SEQ_CST);
	/* Full fence, the other half of the Dekker pair in pcp_push_remote(). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for_each_pcp_zone(zone) {
		if (me < pcp_nr_cpus && !llist_empty(&zone_pcp(zone, me)->free_llist)) {
			__drain_local(NULL, false, true);
			break;
		}
	}
}

void pcp_idle_exit(void)
{
	__atomic_store_n(&cpu_idle[smp_processor_id()], 0, __ATOMIC_RELAXED);
}

/* ---- statistics and printing ---- */

void pcp_get_stats(unsigned int cpu, struct pcp_stats *out)
{
	struct zone *zone;

	memset(out, 0, sizeof(*out));
	if (cpu >= pcp_nr_cpus)
		return;
	out->remote_pushed = READ_ONCE(vm_event_states[cpu].event[PCP_REMOTE_FREE]);
	for_each_pcp_zone(zone) {
		const struct pcp_stats *s = &zone_pcp(zone, cpu)->stats;

		out->absorbed += READ_ONCE(s->absorbed);
		out->ipis_sent += READ_ONCE(s->ipis_sent);
		out->blocks_claimed += READ_ONCE(s->blocks_claimed);
		out->blocks_released += READ_ONCE(s->blocks_released);
		out->refills += READ_ONCE(s->refills);
		out->drains += READ_ONCE(s->drains);
	}
}

void zone_lock_counts(u64 *acquired, u64 *contended)
{
	struct zone *zone;

	*acquired = 0;
	*contended = 0;
	for_each_zone(zone) {
		if (!populated_zone(zone))
			continue;
		*acquired += READ_ONCE(zone->lock_acquired);
		*contended += READ_ONCE(zone->lock_contended);
	}
}

void show_zone_pagesets(struct zone *zone)
{
	if (!zone->per_cpu_pageset)
		return;
	pr_info("  pagesets (pcp=%s)\n", pcp_mode_names[pcp_get_mode()]);
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		if (!cpu_possible(cpu))
			continue;
		pr_info("    cpu: %u\n", cpu);
		pr_info("              count: %lu\n", pcp_count_read(pcp));
		pr_info("              high:  %u\n", pcp->high);
		pr_info("              batch: %u\n", pcp->batch);
		pr_info("              owned_blocks: %lu%s\n", READ_ONCE(pcp->nr_owned_blocks),
			pcp_dead(pcp) ? " (dead)" : "");
	}
}

/* ---- boot ---- */

void pcp_zone_init(struct zone *zone)
{
	unsigned int cpu;

	if (!pcp_nr_cpus) {
		for_each_possible_cpu(cpu)
			pcp_nr_cpus = cpu + 1;
		if (!pcp_nr_cpus)
			pcp_nr_cpus = 1;
	}
	/* No fast path until pcp_init() has chosen its zones (host tests boot many times). */
	memset(pcp_fast_zone, 0, sizeof(pcp_fast_zone));
	zone->pageblock_owner = memblock_alloc_or_panic(zone->nr_pageblocks *
							sizeof(struct pageblock_owner), 64);
	/* Its own cache lines: read by every freer, not written beside the bookkeeping. */
	zone->pageblock_owner_cpu = memblock_alloc_or_panic(zone->nr_pageblocks * sizeof(u16),
							    64);
	for (unsigned long i = 0; i < zone->nr_pageblocks; i++) {
		struct pageblock_owner *b = &zone->pageblock_owner[i];

		zone->pageblock_owner_cpu[i] = PB_NO_OWNER;
		b->mt = 0;
		b->nr_free = 0;
		INIT_LIST_HEAD(&b->node);
	}
	zone->per_cpu_pageset = memblock_alloc_or_panic(pcp_nr_cpus *
							sizeof(struct per_cpu_pages),
							PCP_CACHELINE);
	for (cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		memset(pcp, 0, sizeof(*pcp));
		pcp_lock_init(&pcp->lock, cpu);
		pcp->cpu = cpu;
		pcp->zone = zone;
		pcp->pgalloc_event = PGALLOC_BASE + zone_idx(zone);
		init_llist_head(&pcp->free_llist);
		INIT_LIST_HEAD(&pcp->owned_blocks);
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			for (unsigned int o = 0; o < NR_PCP_BUDDY_ORDERS; o++)
				INIT_LIST_HEAD(&pcp->lists[mt][o]);
			for (unsigned int i = 0; i < NR_PCP_UNOWNED_LISTS; i++)
				INIT_LIST_HEAD(&pcp->unowned[mt][i]);
			INIT_LIST_HEAD(&pcp->lazy[mt]);
		}
	}
	init_llist_head(&zone->deferred_free);
}

/*
 * high and batch. All CPUs' PCPs together may hold up to a quarter of the zone: each CPU's
 * high is managed / (4 * CPUs), at most 8 pageblocks (4096 pages: beyond that a cache only
 * hides memory) and at least 2 * batch. batch is high / 8, between 1 and 63 (Linux's 63-page
 * batches keep a zone-lock hold short). A CPU claims whole pageblocks only if high can hold
 * one (else a claimed block would go straight back: claim/release on every pair).
 *	512 MiB, 4 CPUs: Normal/DMA32 ~126000 pages -> high 4096, batch 63.
 *	16 MiB DMA, 4 CPUs: ~3970 pages -> high 248, batch 31: no claims, unowned batches only.
 */
static void pcp_zone_set_high_batch(struct zone *zone, unsigned int ncpus)
{
	unsigned long high = zone->managed_pages / (4UL * ncpus);
	unsigned long batch;

	high = min(high, 8 * pageblock_nr_pages);
	batch = min(max(high / 8, 1UL), 63UL);
	high = max(high, 2 * batch);
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		zone_pcp(zone, cpu)->high = (unsigned int)high;
		zone_pcp(zone, cpu)->batch = (unsigned int)batch;
	}
}

void pcp_init(void)
{
	unsigned int ncpus = num_possible_cpus();
	struct zone *zone;
	char buf[16];
	int mode = PCP_MODE_OWNER;

	if (cmdline_get("pcp", buf, sizeof(buf))) {
		mode = pcp_mode_from_name(buf);
		if (mode < 0) {
			pr_warn("pcp: unknown pcp=%s (owner|trylock|off): using owner\n", buf);
			mode = PCP_MODE_OWNER;
		}
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		absorb_csd[cpu].func = pcp_absorb_only_ipi;
		drain_csd[cpu].func = pcp_drain_ipi;
	}
	for_each_pcp_zone(zone)
		pcp_zone_set_high_batch(zone, ncpus ? ncpus : 1);
	/* The fast path's zone per highest zone: the first of node 0's zonelist it allows. */
	for (int hz = 0; hz < MAX_NR_ZONES; hz++) {
		pcp_fast_zone[hz] = NULL;
		for (struct zone **zp = NODE_DATA(0)->node_zonelists[0].zones; *zp; zp++) {
			if ((int)zone_idx(*zp) <= hz) {
				if ((*zp)->per_cpu_pageset)
					pcp_fast_zone[hz] = *zp;
				break;
			}
		}
	}
	__atomic_store_n(&pcp_mode_cur, (u32)mode, __ATOMIC_RELAXED);
	pr_info("pcp: mode %s, %u CPUs\n", pcp_mode_names[mode], pcp_nr_cpus);
}
