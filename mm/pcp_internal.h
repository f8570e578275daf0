/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU pages, what only mm/ uses: struct per_cpu_pages, pageblock ownership, the
 * allocator's entry points into the PCP layer, and the helpers the pcp*.c files share.
 * The public half is mm/pcp.h; the design essays open mm/pcp.c (ownership, the PCP buddy,
 * the fast path), mm/pcp_remote.c (free routing, remote frees, idle owners) and
 * mm/pcp_drain.c (draining, the hotplug ordering).
 *
 * Locking: pcp->lock (p) of the owning CPU protects its lists and counters; it is taken with
 * IRQs off (as they are in the two fast sections, mm/pcp_lock.h), only by the owner, except
 * when draining a dead CPU and in the invariant checker
 * (which runs when the allocator is quiet). That rule lets it be a CPU-local lock with no
 * atomic instruction (mm/pcp_lock.h). Lock order: pcp->lock -> zone lock.
 */
#ifndef MM_PCP_INTERNAL_H
#define MM_PCP_INTERNAL_H

#include "kernel/compiler.h"
#include "kernel/cpu.h"
#include "kernel/lib/list.h"
#include "kernel/lib/llist.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/page.h"
#include "mm/pcp.h"
#include "mm/pcp_lock.h"
#include "mm/vmstat.h"
#include "arch/arch.h"

/* The cache line size the layouts below are padded to (both ports and the host: 64). */
#define PCP_CACHELINE		64

/* Owner value of a pageblock nobody owns. */
#define PB_NO_OWNER		0xffffu

/* PCP buddy lists cover every order up to the pageblock: the owner merges up to there. */
#define NR_PCP_BUDDY_ORDERS	(PAGEBLOCK_ORDER + 1)
/* Unowned pages: orders 0..PCP_MAX_UNOWNED_ORDER and the pageblock order (as Linux's PCP). */
#define PCP_MAX_UNOWNED_ORDER	3
#define NR_PCP_UNOWNED_LISTS	(PCP_MAX_UNOWNED_ORDER + 2)

#define PCPF_CPU_DEAD		0x1u	/* the CPU is going or gone offline: free to the zone */

/*
 * Ownership is two arrays per zone, one entry per pageblock, kept apart on purpose:
 *   zone->pageblock_owner_cpu[]: the owning CPU or PB_NO_OWNER, a u16. Every freer reads it
 *	(relaxed atomic loads, anywhere); it is stored only when a block is claimed or given
 *	up (under the owner's pcp->lock and the zone lock). Read-mostly, 32 blocks a cache
 *	line, so the line stays shared in every CPU's cache.
 *   zone->pageblock_owner[]: the owner's bookkeeping below, written on every allocation and
 *	free of the block's pages. Were the owner number beside nr_free, each remote free
 *	would miss on the line the owner had just written (false sharing).
 * Both are apart from the migratetype byte, so reading an owner never races with a
 * migratetype update.
 */
struct pageblock_owner {
	u8 mt;			/* migratetype when claimed: the PCP lists it lives on (p) */
	u8 pad[3];
	u32 nr_free;		/* its pages now on the owner's PCP lists (p) */
	struct list_head node;	/* on the owner's owned_blocks (p) */
	/*
	 * Neighbouring blocks may have different owners, each writing nr_free on every
	 * operation: a cache line each (64 bytes per 2 MiB block; the array is line-aligned).
	 * Padded rather than __aligned: list_for_each_entry() forms a pointer to this type
	 * from the list head in struct per_cpu_pages, which is not line-aligned.
	 */
	u8 pad_to_line[PCP_CACHELINE - 24];
};
_Static_assert(sizeof(struct pageblock_owner) == PCP_CACHELINE, "one line per block");

/*
 * struct per_cpu_pages: one per CPU per zone (zone->per_cpu_pageset[cpu]).
 * Lock order: pcp->lock -> zone lock. Only the owning CPU takes pcp->lock, with IRQs off
 * (but in the fast sections, mm/pcp_lock.h), except the drain of a dead CPU and the
 * invariant checker (quiet allocator only).
 *
 * Layout: the owner writes the first part on every allocation and free; other CPUs touch
 * only the "remote" part (push onto free_llist, read flags), which starts a cache line of
 * its own, and the struct is a whole number of lines, so that a remote free never steals
 * the line holding the owner's lock word and counters, nor another CPU's set.
 */
struct per_cpu_pages {
	struct pcp_lock lock;		/* protects the (p) fields: CPU-local (mm/pcp_lock.h) */
	unsigned long count;		/* pages on the lists below (p; stored with relaxed atomics
					 * so drain_all_pages() may read it without the lock) */
	unsigned long fast_allocs;	/* fast-path order-0 allocations: this zone's pgalloc
					 * event, added to it by vm_event() (p; relaxed stores) */
	unsigned long fast_frees;	/* fast-path order-0 frees: PGFREE, likewise (p) */
	unsigned int high;		/* drain down when count goes above this (c) */
	unsigned int batch;		/* pages moved per zone-lock hold when refilling or
					 * draining unowned pages (c) */
	unsigned int cpu;		/* the CPU these pages belong to (c) */
	bool fast_ok;			/* the zone was comfortably above its low watermark at
					 * this CPU's last slow-path allocation: the fast path
					 * may serve from these lists (p; see "The fast path") */
	struct zone *zone;		/* (c) */
	unsigned int pgalloc_event;	/* PGALLOC_BASE + the zone's index: its vm event (c) */
	struct list_head owned_blocks;	/* struct pageblock_owner of blocks we own (p) */
	unsigned long nr_owned_blocks;	/* entries on owned_blocks (p) */
	/* PCP buddy: free pieces of owned blocks by migratetype at claim and order (p). */
	struct list_head lists[MIGRATE_PCPTYPES][NR_PCP_BUDDY_ORDERS];
	/* Order-0 frees of owned pages not merged yet: merged when a bigger piece is needed (p). */
	struct list_head lazy[MIGRATE_PCPTYPES];
	/* Pages of no owned block: orders 0..3 and pageblock order; never merge (p). */
	struct list_head unowned[MIGRATE_PCPTYPES][NR_PCP_UNOWNED_LISTS];
	struct pcp_stats stats;		/* (i: this CPU, IRQs off; read racily for printing) */

	/* ---- the remote part: read and written by other CPUs ---- */
	struct llist_head free_llist __aligned(PCP_CACHELINE);
					/* frees of our pages by other CPUs (l: llist, any
					 * producer; consumed by this CPU under pcp->lock) */
	u32 flags;			/* PCPF_* (l: relaxed atomic loads, see the hotplug essay
					 * in mm/pcp_drain.c; read by every freer, written at
					 * hotplug only) */
} __aligned(PCP_CACHELINE);

extern unsigned int pcp_nr_cpus;	/* entries in each per_cpu_pageset[] (c) */

#define for_each_pcp_zone(z)					\
	for_each_zone(z)					\
		if (!populated_zone(z) || !(z)->per_cpu_pageset) {} else

static inline struct per_cpu_pages *zone_pcp(struct zone *zone, unsigned int cpu)
{
	return &zone->per_cpu_pageset[cpu];
}

static inline unsigned long pageblock_idx(const struct zone *zone, unsigned long pfn)
{
	return (pfn - zone->pageblock_base_pfn) >> pageblock_order;
}

static inline struct pageblock_owner *pageblock_owner_of(struct zone *zone, unsigned long pfn)
{
	return &zone->pageblock_owner[pageblock_idx(zone, pfn)];
}

/* The CPU owning block @idx of @zone, or PB_NO_OWNER. */
static inline unsigned int pageblock_owner_read(const struct zone *zone, unsigned long idx)
{
	/* Relaxed: the owner of an allocated page's block is stable (mm/pcp.c's essay). */
	return __atomic_load_n(&zone->pageblock_owner_cpu[idx], __ATOMIC_RELAXED);
}

/* The CPU owning the block of @pfn, or PB_NO_OWNER. */
static inline unsigned int pfn_owner_read(const struct zone *zone, unsigned long pfn)
{
	return pageblock_owner_read(zone, pageblock_idx(zone, pfn));
}

/* Context: the owner's pcp->lock and the zone lock held (or boot). */
static inline void pageblock_owner_set(struct zone *zone, struct pageblock_owner *b,
				       unsigned int owner)
{
	__atomic_store_n(&zone->pageblock_owner_cpu[b - zone->pageblock_owner], (u16)owner,
			 __ATOMIC_RELAXED);
}

/* ---- counters and flags ---- */

/* One more fast-path event on @c (fast_allocs, fast_frees). Context: pcp->lock held. */
static __always_inline void pcp_fast_count(unsigned long *c)
{
	/* A relaxed store, not an atomic add: only the lock holder writes it. */
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* The fast paths' share of vm event @item, summed over CPUs and zones (vm_event()). */
unsigned long pcp_vm_event(enum vm_event_item item);

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

/* Something on @pcp's lists or free_llist (a racy hint: no lock). */
static inline bool pcp_has_pages(const struct per_cpu_pages *pcp)
{
	return pcp_count_read(pcp) || !llist_empty(&pcp->free_llist);
}

/* ---- the lists ---- */

/* Orders an unowned page may sit on a PCP with: 0..3 and the pageblock order. */
static inline bool unowned_order_ok(unsigned int order)
{
	return order <= PCP_MAX_UNOWNED_ORDER || order == pageblock_order;
}

static inline unsigned int unowned_pindex(unsigned int order)
{
	return order <= PCP_MAX_UNOWNED_ORDER ? order : PCP_MAX_UNOWNED_ORDER + 1;
}

/* May a block of @order sit on a PCP in @mode at all? */
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

/* Take the piece @page (order @order, owned block) off the PCP's books. Context: pcp->lock. */
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

/*
 * A freed block of one of our owned blocks onto our lists: order 0 lazily (no merge), larger
 * ones merged into their block (mm/pcp.c, "The PCP buddy").
 * Context: pcp->lock held, this CPU (or the drain of a dead CPU).
 */
void __pcp_merge(struct per_cpu_pages *pcp, int mt, struct page *page, unsigned long pfn,
		 unsigned int order);

static __always_inline void __pcp_free_owned(struct per_cpu_pages *pcp,
					     struct pageblock_owner *b, struct page *page,
					     unsigned long pfn, unsigned int order)
{
	/* The caller asserts the lock: the fast section holds it without a holder mark. */
	b->nr_free += 1U << order;
	pcp_count_add(pcp, 1L << order);
	if (order == 0)
		pcp_add_piece(&pcp->lazy[b->mt], page, 0);
	else
		__pcp_merge(pcp, b->mt, page, pfn, order);
}

/*
 * Put a freed block on this CPU's lists: merged into its block if we own it, else as an
 * unowned page. Return: false if it cannot live on a PCP (the caller frees it to the zone).
 * Context: pcp->lock held, this CPU (or the drain of a dead CPU).
 */
bool __pcp_free_local(struct per_cpu_pages *pcp, struct page *page, unsigned long pfn,
		      unsigned int order);

/*
 * Bring @pcp down to @target pages (0: everything, ownership included); what goes back goes
 * under one zone-lock hold, or with @nolock onto the zone's deferred list if it is busy.
 * Context: pcp->lock held.
 */
void __pcp_drain(struct per_cpu_pages *pcp, unsigned long target, bool nolock);

/* ---- chains of pieces on their way to the zone (mm/pcp.c) ---- */

/* Free pieces linked through pcp_llist (PG_llist, order in private), for one zone hold. */
struct zone_chain {
	struct llist_node *first;
	struct llist_node *last;
	unsigned long nr_pages;
};
#define ZONE_CHAIN_INIT	{ NULL, NULL, 0 }

void chain_add(struct zone_chain *c, struct page *page, unsigned int order);
/*
 * Give a chain to the zone: under its lock, or, if @nolock and the lock is busy, onto its
 * deferred list for the next lock holder. Never spins with @nolock.
 * Context: any; pcp->lock may be held (it nests outside the zone lock).
 */
void zone_free_chain(struct zone *zone, struct zone_chain *c, bool nolock);
/* Free a prepared block to the zone (lock; with nolock: trylock, else its deferred list). */
void free_pages_to_zone(struct zone *zone, struct page *page, unsigned int order, bool nolock);

/*
 * Absorb and drain this CPU's lists of @only (NULL: all zones) down to nothing (@full: the
 * drain IPI, drain_local_pages()) or to `high` (the absorb IPI and idle entry); with
 * @nolock only trylocks. An interrupt handler passes @defer (PCP_MISSED_*): a lock it
 * finds in a fast section it interrupted gets the request for the section's end.
 * Return: true if something was deferred so. Context: this CPU (mm/pcp_drain.c).
 */
bool pcp_drain_local(struct zone *only, bool full, bool nolock, u8 defer);

/* ---- absorbing remote frees (mm/pcp_remote.c) ---- */

/*
 * Take everything other CPUs pushed onto @pcp's free_llist (one atomic exchange) and put each
 * block where it belongs. Context: pcp->lock held.
 */
void __pcp_absorb(struct per_cpu_pages *pcp, bool nolock);

static __always_inline void pcp_absorb_if_needed(struct per_cpu_pages *pcp, bool nolock)
{
	if (!llist_empty(&pcp->free_llist))
		__pcp_absorb(pcp, nolock);
}

/* ---- the allocator's entry points (mm/page_alloc.c calls these) ---- */

/*
 * pcp_rmqueue: a block from this CPU's lists, absorbing remote frees first and refilling
 * from the zone when the lists cannot serve, never taking the zone below @floor free pages
 * (the caller's watermark, zone_free_floor(); 0: none) beyond the one block its check
 * allowed; NULL if the PCP cannot serve this request (the caller uses the zone).
 * Refreshes pcp->fast_ok.
 * Context: any; with ALLOC_NOLOCK only trylocks; IRQs off inside.
 */
struct page *pcp_rmqueue(struct zone *zone, unsigned int order, int migratetype,
			 unsigned int alloc_flags, unsigned long floor);
/*
 * pcp_alloc_cached: a block straight off this CPU's lists, when pcp->fast_ok says the zone
 * was comfortably above its watermark at this CPU's last pcp_rmqueue(): absorb (deferring
 * to the zone's deferred list rather than waiting for its lock), take, count in pgalloc.
 * No refill, no drain, no zone lock. NULL on a miss: the caller takes the full path.
 * Context: any CPU, any context (trylock only); IRQs off inside.
 */
struct page *pcp_alloc_cached(struct zone *zone, unsigned int order, int migratetype);

/*
 * pcp_alloc_lazy: the commonest allocation of all, an order-0 page of @mt off this CPU's
 * lazy list, when nothing waits to be absorbed: no call, so inlined into __alloc_pages()
 * it costs no stack frame. A fast section of pcp->lock: interrupts stay as they are
 * (mm/pcp_lock.h, "The fast sections"). NULL otherwise (then pcp_alloc_cached()).
 * Context: any CPU, any context (trylock only).
 */
static __always_inline struct page *pcp_alloc_lazy(struct zone *zone, int mt)
{
	struct per_cpu_pages *pcp = zone_pcp(zone, smp_processor_id());
	struct page *page = NULL;

	if (unlikely(pcp_get_mode() != PCP_MODE_OWNER))
		return NULL;
	if (likely(pcp_fast_trylock(&pcp->lock))) {
		if (likely(pcp->fast_ok && !pcp_dead(pcp) && llist_empty(&pcp->free_llist))) {
			page = pcp_take_lazy(pcp, mt);
			if (likely(page))
				pcp_fast_count(&pcp->fast_allocs);
		}
		pcp_fast_leave(&pcp->lock);
		/* On a miss, pcp_alloc_cached() runs what was deferred: no call here. */
		if (unlikely(page && pcp_fast_has_missed(&pcp->lock)))
			pcp_fast_missed(&pcp->lock);
	}
	return page;
}

/*
 * pcp_free: route a freed block (mm/pcp_remote.c): this CPU's lists, the owner's free_llist,
 * or the zone when no PCP takes it; counted in pgfree.
 * Context: any CPU, any context; with @nolock only trylocks.
 */
void pcp_free(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order,
	      bool nolock);
/* True if some CPU holds pages of @zone (NULL: any) on its PCP lists or free_llist (racy). */
bool pcp_zone_has_pages(struct zone *zone);

/* ---- boot (mm/pcp_setup.c) ---- */

/* Allocate the owner arrays and per-CPU sets of @zone (before memblock_free_all). */
void pcp_zone_init(struct zone *zone);
/* high/batch from the zones' managed pages; the mode from `pcp=`; hooks. After the frees. */
void pcp_init(void);

/* ---- CPU hotplug (mm/pcp_drain.c), called through the cpuhp step pcp_init() registers ---- */

/*
 * pcp_cpu_dead: mark @cpu's PCPs dead, make every online CPU pass a point where it cannot be
 * between reading the flag and pushing onto @cpu's free_llist (on_each_cpu), then absorb and
 * drain everything of @cpu into the zones and detach its owned blocks.
 * Context: any CPU but @cpu (which is offline or parked), IRQs on.
 * pcp_cpu_online: clear the flag and absorb anything that arrived.
 * Context: the CPU coming online (or any CPU before it runs), IRQs on or off.
 */
int pcp_cpu_dead(unsigned int cpu);
int pcp_cpu_online(unsigned int cpu);

/* The idle loop's hook (mm/pcp_remote.c): absorb what was pushed before the idle flag. */
void pcp_idle_enter(void);

/* Print the "pagesets" section of zoneinfo for @zone (mm/show_mem.c). */
void show_zone_pagesets(struct zone *zone);

#endif /* MM_PCP_INTERNAL_H */
