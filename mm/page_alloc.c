// SPDX-License-Identifier: MIT
/*
 * The page allocator's policy and public API: which zone, which watermark, how hard to try,
 * and what happens to a page on its way out (checks, poison, zeroing) and back in (checks).
 *
 * One path. Every allocation, whatever function the caller used, ends in __alloc_pages(gfp,
 * order, nid, alloc_flags), which walks the zonelist in get_page_from_freelist():
 *
 *	0. fast path: a block straight off this CPU's per-CPU lists of the first zone the walk
 *	   would try (alloc_fast_zone[]), when this CPU's cached watermark answer says that zone
 *	   is comfortably above its low watermark (zone_fast_alloc_ok(); the reasoning is "The
 *	   fast path" in mm/pcp.c). It is step 1 with the walk, the check and rmqueue() already
 *	   decided; whatever it cannot serve goes on to step 1;
 *	1. fast attempt: the low watermark, no reserves;
 *	2. slow attempt: the caller's watermark (gfp_to_alloc_flags(): min), not below it;
 *	3. if other CPUs hold pages on their per-CPU lists or remote-free llists: ask them by
 *	   IPI to give them back (drain_all_pages(), bounded wait; a caller that may not wait
 *	   only asks) and retry step 2, once: before failing, and before digging below min;
 *	4. below min, if the caller may: ALLOC_HIGH for __GFP_HIGH, half of min (steps 2-5
 *	   also carry ALLOC_HIGHATOMIC for high-order atomic requests: use and grow the
 *	   highatomic reserve);
 *	5. give highatomic pageblocks back to ordinary use and retry while that helps;
 *	6. order > 0, if the caller may wait: direct compaction (mm/compaction.c) of the zones
 *	   it may use, each once unless deferred, and retry once;
 *	7. ask the OOM notifiers (mm/oom_notify.h) to give pages back, and retry once;
 *	8. fail, with a rate-limited warning unless __GFP_NOWARN.
 *
 * Each zone attempt goes through this CPU's per-CPU pages first (mm/pcp.c) and the zone's
 * buddy allocator only if they cannot serve it. ALLOC_NOLOCK (alloc_pages_nolock(), interrupt
 * or NMI-like context) takes the same path with trylocks only and skips steps 3, 5 and 6,
 * which would need locks or other CPUs (step 7 is trylock-only and stays): it fails rather
 * than waits.
 *
 * Each zone is tried only if it keeps its watermark plus lowmem_reserve[] for the highest
 * zone the request could have used (zone_watermark_ok()), so that DMA and DMA32 are not eaten
 * by allocations that could have come from NORMAL. Linux: mm/page_alloc.c __alloc_pages(),
 * get_page_from_freelist(), __zone_watermark_ok().
 *
 * Locking: pcp->lock then zone lock (mm/pcp.c), zone locks through guards, never two zones.
 */
#include "mm/page_alloc.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "mm/oom_notify.h"
#include "mm/compaction.h"
#include "kernel/bug.h"
#include "kernel/printk.h"
#include "kernel/tracepoints.h"
#include "arch/arch.h"

#define _RET_IP_	((unsigned long)__builtin_return_address(0))

/*
 * The fast path's zone for each highest zone a request may use: the first zone of node 0's
 * zonelist it allows, if that zone has per-CPU pages; NULL: no fast path (c, set by
 * page_alloc_init_fast_path()).
 */
static struct zone *alloc_fast_zone[MAX_NR_ZONES];

/* Everything an allocation attempt needs to know, computed once. */
struct alloc_context {
	struct zonelist *zonelist;
	enum zone_type highest_zoneidx;
	int migratetype;
};

unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	if (gfp & __GFP_HIGH) {
		alloc_flags |= ALLOC_HIGH;
		/* Cannot wait and needs contiguous pages: the highatomic reserve is for this. */
		if (!(gfp & __GFP_DIRECT_RECLAIM) && order > 0)
			alloc_flags |= ALLOC_HIGHATOMIC;
	}
	return alloc_flags;
}

/**
 * zone_watermark_ok - may an allocation of 2^order pages leave zone @z at @mark?
 * @z: the zone
 * @order: the order wanted
 * @mark: the watermark in pages
 * @highest_zoneidx: the highest zone the request could use (selects lowmem_reserve[])
 * @alloc_flags: ALLOC_HIGH lowers the mark by half; without ALLOC_RESERVES the highatomic
 *	reserve does not count as free
 * @free_pages: the zone's free pages now
 *
 * After the allocation more than mark + lowmem_reserve pages must stay free, and for
 * order > 0 a free block of at least @order must exist on a list the request may use.
 * Context: any; reads the free lists without the lock (a hint, rechecked by __rmqueue()).
 */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx, unsigned int alloc_flags,
		       long free_pages)
{
	if (!zone_watermark_pages_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return false;
	if (order == 0)
		return true;
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++) {
		struct free_area *area = &z->free_area[o];

		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & ALLOC_RESERVES) &&
		    !list_empty(&area->free_list[MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

/**
 * zone_fast_alloc_ok - may the fast path serve from a CPU's lists of @z without checking?
 * @z: the zone
 * @high: the CPU's `high` (the pages its lists may hold)
 *
 * The fast path's cached watermark answer (pcp->fast_ok, mm/pcp.c "The fast path"): free
 * pages above the low watermark plus the largest lowmem_reserve (whatever the request's
 * highest zone), the highatomic reserve and @high, so that a stale "yes" needs a large swing.
 * Context: any; a lockless read, as zone_watermark_ok().
 */
bool zone_fast_alloc_ok(const struct zone *z, unsigned int high)
{
	unsigned long need = low_wmark_pages(z) + READ_ONCE(z->nr_reserved_highatomic) + high;
	unsigned long reserve = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		reserve = max(reserve, z->lowmem_reserve[i]);
	return zone_page_state(z, NR_FREE_PAGES) > need + reserve;
}

unsigned long zone_free_floor(const struct zone *z, unsigned long mark,
			      enum zone_type highest_zoneidx, unsigned int alloc_flags)
{
	unsigned long floor = mark;

	if (alloc_flags & ALLOC_HIGH)
		floor -= floor / 2;
	if (!(alloc_flags & ALLOC_RESERVES))
		floor += READ_ONCE(z->nr_reserved_highatomic);
	return floor + z->lowmem_reserve[highest_zoneidx];
}

bool zone_watermark_pages_ok(const struct zone *z, unsigned int order, unsigned long mark,
			     enum zone_type highest_zoneidx, unsigned int alloc_flags,
			     long free_pages)
{
	long floor = (long)zone_free_floor(z, mark, highest_zoneidx, alloc_flags);

	return free_pages - ((1L << order) - 1) > floor;
}

/* Clear with 8-byte stores: under TCG `rep stosb` runs a byte per iteration, 10x slower. */
void clear_pages(struct page *page, unsigned int order)
{
	volatile u64 *p = page_address(page);
	unsigned long n = (PAGE_SIZE << order) / sizeof(u64);

	/* volatile: stops the compiler from turning the loop back into a memset() call. */
	for (unsigned long i = 0; i < n; i += 8) {
		p[i + 0] = 0;
		p[i + 1] = 0;
		p[i + 2] = 0;
		p[i + 3] = 0;
		p[i + 4] = 0;
		p[i + 5] = 0;
		p[i + 6] = 0;
		p[i + 7] = 0;
	}
}

/*
 * Turn a block fresh off the free lists into an allocated one: poison check, refcount 1,
 * the order recorded in the head page (so that a free with another order is caught).
 * Returns false if the block failed the poison check: debug.c has taken the damaged pages out
 * and freed the rest, and the caller tries again.
 */
static __always_inline bool prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	if (page_poisoning_enabled && !check_poisoned_pages(page, order))
		return false;
	prep_new_block(page, order, gfp);
	return true;
}

/* @floor: the free pages the zone must keep (zone_free_floor(); 0: no watermark). */
static struct page *rmqueue(struct zone *zone, unsigned int order, int migratetype,
			    unsigned int alloc_flags, unsigned long floor)
{
	struct page *page = NULL;

	/* This CPU's per-CPU pages first (owner mode: every order up to the pageblock). */
	page = pcp_rmqueue(zone, order, migratetype, alloc_flags, floor);
	if (page)
		return page;
	if (alloc_flags & ALLOC_NOLOCK) {
		/* Must not spin: an interrupted holder of this lock may be this very CPU. */
		scoped_cond_guard(zone_trylock_irqsave, zone)
			page = __rmqueue(zone, order, migratetype, alloc_flags);
	} else {
		scoped_guard(zone_lock_irqsave, zone)
			page = __rmqueue(zone, order, migratetype, alloc_flags);
	}
	return page;
}

/* Walk the zonelist, highest allowed zone first, and take the block from the first that may. */
static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					   unsigned int alloc_flags,
					   const struct alloc_context *ac)
{
	for (struct zone **zp = ac->zonelist->zones; *zp; zp++) {
		struct zone *zone = *zp;

		unsigned long floor = 0;

		if (zone_idx(zone) > ac->highest_zoneidx)
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
			long free = (long)zone_page_state(zone, NR_FREE_PAGES);

			floor = zone_free_floor(zone, mark, ac->highest_zoneidx, alloc_flags);
			/*
			 * Orders the per-CPU lists serve need only the pages counted, all 2^order
			 * of them: the block may be on this CPU's lists rather than the zone's (a
			 * PCP miss still goes through __rmqueue(), which finds out for itself).
			 */
			if (order <= pageblock_order && pcp_get_mode() == PCP_MODE_OWNER) {
				if (!zone_watermark_pages_ok(zone, order, mark,
							     ac->highest_zoneidx, alloc_flags,
							     free))
					continue;
			} else if (!zone_watermark_ok(zone, order, mark, ac->highest_zoneidx,
						      alloc_flags, free)) {
				continue;
			}
		}
		/* A block that fails its poison check is gone; the zone may have another. */
		for (;;) {
			struct page *page = rmqueue(zone, order, ac->migratetype, alloc_flags,
						    floor);

			if (!page)
				break;
			if (!prep_new_page(page, order, gfp))
				continue;
			count_vm_events(PGALLOC_BASE + zone_idx(zone), 1UL << order);
			if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_NOLOCK)) == ALLOC_HIGHATOMIC)
				reserve_highatomic_pageblock(page, order, zone);
			return page;
		}
	}
	return NULL;
}

/* Give one highatomic pageblock of any zone in the list back; true if one was. */
static bool unreserve_highatomic_any(const struct alloc_context *ac)
{
	for (struct zone **zp = ac->zonelist->zones; *zp; zp++)
		if (unreserve_highatomic_pageblock(*zp, ac->migratetype, true))
			return true;
	return false;
}

static void warn_alloc(gfp_t gfp, unsigned int order, int nid)
{
	static u64 window_start;
	static unsigned int printed;
	u64 now = arch_clock_ns();

	/* Rate limit: a burst of 10 reports per 5 seconds; an exhausted zone fails a lot. */
	if (now - window_start > 5000000000ULL) {
		window_start = now;
		printed = 0;
	}
	if (printed++ >= 10)
		return;
	pr_warn("page allocation failure: order:%u, mode:0x%x, nid:%d, free:%lu\n", order, gfp,
		nid, nr_free_pages());
	show_buddyinfo();
}

/*
 * Steps 1-8 of __alloc_pages() (see the top of this file): the zonelist walk, the slow
 * attempt, draining and the reserves. Out of line so that step 0, the fast path, runs
 * without this function's frame.
 */
__noinline struct page *__alloc_pages_walk(gfp_t gfp, unsigned int order, int nid,
					   unsigned int alloc_flags)
{
	struct alloc_context ac;
	struct page *page;
	unsigned int fast_flags, slow_flags;

	if (order > MAX_PAGE_ORDER) {
		WARN(!(gfp & __GFP_NOWARN), "page allocation of order %u > MAX_PAGE_ORDER %u\n",
		     order, MAX_PAGE_ORDER);
		return NULL;
	}
	if (nid == NUMA_NO_NODE || nid < 0 || nid >= MAX_NUMNODES)
		nid = 0;	/* one node (MAX_NUMNODES 1) */
	ac.zonelist = &NODE_DATA(nid)->node_zonelists[0];
	ac.highest_zoneidx = gfp_zone(gfp);
	ac.migratetype = gfp_migratetype(gfp);

	if (alloc_flags & ALLOC_SINGLE_PASS) {
		page = get_page_from_freelist(gfp, order, alloc_flags, &ac);
		goto out;
	}

	/* 1. Fast: keep above the low watermark, touch no reserve. */
	fast_flags = alloc_flags & ~(ALLOC_WMARK_MASK | ALLOC_RESERVES);
	if (!(alloc_flags & ALLOC_NO_WATERMARKS))
		fast_flags |= max_t(unsigned int, alloc_flags & ALLOC_WMARK_MASK,
				    ALLOC_WMARK_LOW);
	page = get_page_from_freelist(gfp, order, fast_flags, &ac);
	if (page)
		goto out;

	/*
	 * 2. Slow: the caller's watermark, not yet below it (ALLOC_HIGH); the highatomic
	 * reserve is a matter of migratetype, not of the watermark, and stays allowed.
	 */
	slow_flags = alloc_flags & ~ALLOC_HIGH;
	page = get_page_from_freelist(gfp, order, slow_flags, &ac);
	if (page)
		goto out;

	/*
	 * 3. Pages parked on other CPUs' lists: have them given back, then retry once, before
	 * failing or digging below the min watermark (DESIGN.md 4.1). A caller that may not wait
	 * (no __GFP_DIRECT_RECLAIM: GFP_ATOMIC, interrupt context) only asks: it must not spin
	 * for other CPUs, maybe with interrupts off; the pages come back for its next attempt.
	 * NOLOCK callers cannot even ask (the requests take locks).
	 */
	if (!(alloc_flags & ALLOC_NOLOCK) && pcp_zone_has_pages(NULL)) {
		if (gfp & __GFP_DIRECT_RECLAIM)
			drain_all_pages(NULL);
		else
			drain_all_pages_nowait(NULL);
		page = get_page_from_freelist(gfp, order, slow_flags, &ac);
		if (page)
			goto out;
	}

	/* 4. Below min, if the caller may (__GFP_HIGH: down to half of it). */
	if (slow_flags != alloc_flags) {
		page = get_page_from_freelist(gfp, order, alloc_flags, &ac);
		if (page)
			goto out;
	}

	/* 5. Highatomic blocks back to ordinary use, while that helps (it spins on zone
	 * locks: not for NOLOCK callers). */
	if (!(alloc_flags & ALLOC_NOLOCK))
		while (!page && unreserve_highatomic_any(&ac))
			page = get_page_from_freelist(gfp, order, alloc_flags, &ac);

	/*
	 * 6. Direct compaction: free memory may be there but cut up. Only callers that may
	 * wait (compaction drains other CPUs and waits for them, and migrates pages), with
	 * interrupts on, not from inside a compaction (a migration's own allocation).
	 */
	if (!page && order > 0 && (gfp & __GFP_DIRECT_RECLAIM) &&
	    !(alloc_flags & ALLOC_NOLOCK) && compaction_direct_ok() &&
	    try_to_compact_zones(ac.zonelist->zones, ac.highest_zoneidx, order, alloc_flags))
		page = get_page_from_freelist(gfp, order, alloc_flags, &ac);

	/*
	 * 7. The OOM notifiers (a balloon with DEFLATE_ON_OOM gives pages back): trylock-only,
	 * so every caller may ask them, NOLOCK ones too; then one more attempt. Not for
	 * __GFP_NORETRY, which the balloon's own allocations carry. What they free lands on
	 * this CPU's lists, which the zone's watermark does not count: drain them into the
	 * zone first (as step 3 does), where a lock may be taken.
	 */
	if (!page && !(gfp & __GFP_NORETRY) && oom_notify(order, gfp)) {
		if (!(alloc_flags & ALLOC_NOLOCK))
			drain_local_pages(NULL);
		page = get_page_from_freelist(gfp, order, alloc_flags, &ac);
	}
out:
	if (page)
		trace_mm_page_alloc(page_to_pfn(page), order, ac.migratetype, gfp);
	if (!page) {
		count_vm_events(PGALLOC_FAIL, 1);
		if (!(gfp & __GFP_NOWARN) && !(alloc_flags & ALLOC_NOLOCK))
			warn_alloc(gfp, order, nid);
	}
	return page;
}

/*
 * The fast path's second try, out of line so that __alloc_pages() calls it in tail position:
 * any order up to the pageblock off this CPU's lists (pcp_alloc_cached()), else the full path.
 */
static __noinline struct page *alloc_pages_cached(gfp_t gfp, unsigned int order, int nid,
						  unsigned int alloc_flags, struct zone *zone)
{
	int migratetype = gfp_migratetype(gfp);
	struct page *page = pcp_alloc_cached(zone, order, migratetype);

	if (!page)
		return __alloc_pages_walk(gfp, order, nid, alloc_flags);
	prep_new_block(page, order, gfp);
	trace_mm_page_alloc(page_to_pfn(page), order, migratetype, gfp);
	return page;
}

/**
 * __alloc_pages - the allocation entry point every API function funnels into
 * @gfp: what to allocate (zones, migratetype, __GFP_ZERO...)
 * @order: 2^order contiguous pages, at most MAX_PAGE_ORDER
 * @nid: the node, or NUMA_NO_NODE for this CPU's node
 * @alloc_flags: the flags of the final attempt (usually gfp_to_alloc_flags()); with
 *	ALLOC_SINGLE_PASS, exactly one attempt with exactly these flags
 *
 * Step 0, the fast path, here; steps 1-8 in __alloc_pages_walk(). Every call on the way is a
 * tail call, and the commonest case (an order-0 page off this CPU's lazy list) calls nothing,
 * so this function builds no stack frame.
 * Return: the head page of the block (refcount 1), or NULL.
 * Context: any CPU; interrupt context only without __GFP_DIRECT_RECLAIM. Takes zone locks
 * (only trylocks with ALLOC_NOLOCK).
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int nid, unsigned int alloc_flags)
{
	struct zone *zone = alloc_fast_zone[gfp_zone(gfp)];

	/*
	 * 0. The fast path. Not for what needs more than step 1 would do with the low watermark:
	 * a higher watermark, highatomic reserves, another node, or page_poison's check (which
	 * may refuse a block).
	 */
	if (likely(zone && order <= pageblock_order && !page_poisoning_enabled &&
		   (alloc_flags & (ALLOC_WMARK_MASK | ALLOC_HIGHATOMIC)) <= ALLOC_WMARK_LOW &&
		   (nid == NUMA_NO_NODE || nid == 0))) {
		if (likely(order == 0 && !(gfp & __GFP_ZERO) && !trace_event_on(mm_page_alloc))) {
			struct page *page = pcp_alloc_lazy(zone, gfp_migratetype(gfp));

			if (likely(page)) {
				prep_new_block(page, 0, gfp);
				return page;
			}
		}
		return alloc_pages_cached(gfp, order, nid, alloc_flags, zone);
	}
	return __alloc_pages_walk(gfp, order, nid, alloc_flags);
}

void page_alloc_init_fast_path(bool on)
{
	for (int hz = 0; hz < MAX_NR_ZONES; hz++) {
		alloc_fast_zone[hz] = NULL;
		if (!on)
			continue;
		for (struct zone **zp = NODE_DATA(0)->node_zonelists[0].zones; *zp; zp++) {
			if ((int)zone_idx(*zp) <= hz) {
				if ((*zp)->per_cpu_pageset)
					alloc_fast_zone[hz] = *zp;
				break;
			}
		}
	}
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order, nid, gfp_to_alloc_flags(gfp, order));
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order, NUMA_NO_NODE, gfp_to_alloc_flags(gfp, order));
}

struct page *alloc_pages_nolock(gfp_t gfp, int nid, unsigned int order)
{
	/* No waiting, no warning (printing takes locks): the same path, trylocks only. */
	gfp = (gfp & ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN;
	return __alloc_pages(gfp, order, nid, gfp_to_alloc_flags(gfp, order) | ALLOC_NOLOCK);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/*
 * A block whose check passed: its state as a free block, then the routing (mm/pcp_remote.c) to a
 * per-CPU list, the owner's free_llist or the zone. private keeps the order (the check
 * proved it equal): the lists and free_llists read a free block's order there.
 */
static __always_inline void free_checked_block(struct page *page, unsigned long pfn,
					       unsigned int order, bool nolock)
{
	page_clear_flag(page, PG_head);
	pcp_free(page_zone(page), page, pfn, order, nolock);
}

/*
 * The frees that are not the common case, out of line so that the common one calls nothing
 * before its tail call (and so needs no stack frame): a block the quick check refused
 * (reported and refused here, unless the full check finds nothing wrong after all), a block
 * whose last reference another CPU dropped first (a double free at the same moment),
 * page_poison=1's poisoning, and the mm_page_free tracepoint while it is on. @put: the
 * caller has already dropped the reference (the check passed and the put won).
 */
static __noinline void __free_pages_unusual(struct page *page, unsigned int order,
					    unsigned long caller, bool nolock, bool put)
{
	unsigned long pfn;

	if (put) {
		pfn = page_to_pfn(page);
	} else {
		if (!free_pages_check_ok(page, order, &pfn)) {
			if (__free_pages_check_bad(page, order, caller))
				return;
			pfn = page_to_pfn(page);
		}
		if (!page_ref_put_last(page)) {
			bad_page(page, "double free: another CPU freed this block at the same time",
				 order, caller);
			return;
		}
	}
	trace_mm_page_free(pfn, order);
	if (page_poisoning_enabled)
		kernel_poison_pages(page, 1U << order);
	free_checked_block(page, pfn, order, nolock);
}

/**
 * __free_pages_ok - free a block, reporting misuse against @caller
 * @page: the head page from alloc_pages()
 * @order: the order it was allocated with
 * @caller: return address of the API function's caller, for reports
 * @nolock: ALLOC_NOLOCK context: only trylocks
 *
 * A bad free (double free, wrong order, reserved page...) is reported and refused: the
 * allocator's lists are never touched by it. The checks are plain loads, so two CPUs freeing
 * one block at once could both pass them; the atomic drop of the last reference
 * (page_ref_put_last()) decides which one frees it, and the other is reported.
 * Context: any CPU; takes the zone lock unless @nolock.
 */
static void __free_pages_ok(struct page *page, unsigned int order, unsigned long caller,
			    bool nolock)
{
	unsigned long pfn;
	bool put = free_pages_check_ok(page, order, &pfn) && page_ref_put_last(page);

	if (unlikely(!put || page_poisoning_enabled || trace_event_on(mm_page_free))) {
		__free_pages_unusual(page, order, caller, nolock, put);
		return;
	}
	free_checked_block(page, pfn, order, nolock);
}

void free_pages_caller(struct page *page, unsigned int order, unsigned long caller)
{
	__free_pages_ok(page, order, caller, false);
}

void free_pages_nolock(struct page *page, unsigned int order)
{
	__free_pages_ok(page, order, _RET_IP_, true);
}

void __free_pages(struct page *page, unsigned int order)
{
	free_pages_caller(page, order, _RET_IP_);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr == 0)
		return;
	if (free_addr_check_bad(addr, order, _RET_IP_))
		return;
	free_pages_caller(virt_to_page((void *)addr), order, _RET_IP_);
}

unsigned long nr_free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

void adjust_managed_page_count(struct page *page, long delta)
{
	__atomic_fetch_add(&page_zone(page)->managed_pages, (unsigned long)delta,
			   __ATOMIC_RELAXED);
}

unsigned long total_wmark_pages(enum zone_watermarks w)
{
	struct zone *zone;
	unsigned long total = 0;

	for_each_zone(zone)
		if (populated_zone(zone))
			total += wmark_pages(zone, w);
	return total;
}

unsigned long totalram_pages(void)
{
	struct zone *zone;
	unsigned long total = 0;

	for_each_zone(zone)
		total += READ_ONCE(zone->managed_pages);
	return total;
}
