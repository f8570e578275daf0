/* SPDX-License-Identifier: MIT */
/*
 * Zones and nodes: struct zone (a physical range served by one buddy allocator with its own
 * free lists, watermarks and lock) and struct pglist_data (one per NUMA node, holding its
 * zones and the zonelist that says where an allocation falls back to).
 *
 * Zones per arch come from <asm/memory.h>: x86_64 has DMA (< 16 MiB), DMA32 (< 4 GiB) and
 * NORMAL; riscv64 has DMA32 and NORMAL (ARCH_HAS_ZONE_DMA == 0).
 *
 * Locking: the zone lock (z) protects the free lists, nr_free, the pageblock migratetypes,
 * nr_reserved_highatomic and vm_stat; it is taken only through zone_lock_irqsave() and
 * friends or the zone_lock_irqsave guard, never as zone->_lock directly. Everything else in
 * struct zone is (c), set up by mm_core_init() on the boot CPU before SMP.
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include "kernel/compiler.h"
#include "kernel/spinlock.h"
#include "kernel/tracepoints.h"
#include "kernel/lib/list.h"
#include "kernel/lib/llist.h"
#include "mm/page.h"
#include <asm/memory.h>

enum migratetype {
	MIGRATE_UNMOVABLE,	/* kernel allocations that stay where they are */
	MIGRATE_MOVABLE,	/* pages compaction may move (balloon pages, later) */
	MIGRATE_RECLAIMABLE,	/* could be freed on demand (caches, later) */
	MIGRATE_PCPTYPES,	/* the types a normal allocation asks for */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,	/* reserve for high-order atomic allocations */
	MIGRATE_ISOLATE,	/* taken out of use: frees land here, nothing allocates here */
	MIGRATE_TYPES
};

#define pageblock_order		PAGEBLOCK_ORDER
#define pageblock_nr_pages	(1UL << PAGEBLOCK_ORDER)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)

_Static_assert(PAGEBLOCK_ORDER <= MAX_PAGE_ORDER, "a pageblock must fit a max-order block");

enum zone_type {
#if ARCH_HAS_ZONE_DMA
	ZONE_DMA,	/* below ARCH_ZONE_DMA_LIMIT (16 MiB on x86_64): ISA DMA */
#endif
	ZONE_DMA32,	/* below ARCH_ZONE_DMA32_LIMIT (4 GiB): 32-bit DMA masters */
	ZONE_NORMAL,	/* everything else */
	MAX_NR_ZONES
};

enum zone_watermarks {
	WMARK_MIN,	/* only __GFP_HIGH/atomic allocations may go below this */
	WMARK_LOW,	/* the fast path needs more than this free */
	WMARK_HIGH,	/* "enough": reclaim (later) stops here */
	NR_WMARK
};

/* Per-zone counters, updated under the zone lock (see mm/vmstat.c for the names). */
enum zone_stat_item {
	NR_FREE_PAGES,		/* free pages usable by allocations (not isolated) */
	NR_FREE_ISOLATED,	/* free pages sitting in MIGRATE_ISOLATE blocks */
	NR_BAD_PAGES,		/* pages taken out of circulation by a failed check */
	NR_OFFLINE_PAGES,	/* pages taken off the buddy lists (take_page_off_buddy) */
	NR_ZONE_ALLOC_FAIL,	/* allocations this zone could not serve */
	NR_VM_ZONE_STAT_ITEMS
};

struct per_cpu_pages;
struct pageblock_owner;

/*
 * Compaction's memory of a zone between runs (mm/compaction.c): where the scanners stopped,
 * when the skip hints are stale, and how often direct compaction has failed lately.
 * Locking: `running` is taken with an atomic exchange by the one CPU that compacts the zone
 * at a time; the (k) fields are written only by that CPU while it holds `running` and read
 * racily by the shell. The (w) fields belong to the proactive work item, which is one item
 * and never runs on two CPUs at once.
 */
struct zone_compact {
	u32 running;				/* 1 while a CPU compacts the zone */
	unsigned long cached_migrate_pfn[2];	/* next async [0] / sync [1] run starts here (k) */
	unsigned long cached_free_pfn;		/* the next free scanner starts here (k) */
	bool blockskip_flush;			/* scanners met: clear hints on the next run (k) */
	unsigned int considered;		/* direct attempts seen while deferred (k) */
	unsigned int defer_shift;		/* skip 2^shift direct attempts after failing (k) */
	unsigned int order_failed;		/* the lowest order that failed lately (k) */
	bool proactive_active;			/* score went above the high mark (w) */
	unsigned int proactive_defer;		/* proactive periods to sit out (w) */
	unsigned int proactive_pass_score;	/* score + 1 when this pass began; 0: none (w) */
	unsigned long proactive_pass_migrated;	/* pages this pass migrated (w) */
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];	/* blocks of this order, by type (z) */
	unsigned long nr_free;				/* blocks on all free_list[] (z) */
};

/*
 * struct zone: one contiguous range of pfns with its own buddy allocator.
 *
 * Locking rules:
 *	_lock		the zone lock; only via zone_lock_irqsave()/zone_unlock_irqrestore(),
 *			zone_trylock_irqsave() and guard(zone_lock_irqsave)(zone).
 *	(z) fields	read and written with the zone lock held; read without it only through
 *			READ_ONCE for statistics (a stale value is fine there).
 *	(c) fields	written by mm_core_init() on the boot CPU before SMP, constant after.
 *	Lock order: pcp->lock -> zone lock. Never spin on it in interrupt context.
 */
struct zone {
	const char *name;			/* "DMA", "DMA32", "Normal" (c) */
	int node;				/* node id (c) */
	unsigned long zone_start_pfn;		/* first pfn spanned (c) */
	unsigned long spanned_pages;		/* pfns from start to the end, holes included (c) */
	unsigned long present_pages;		/* RAM pages in the span (c) */
	/*
	 * Pages handed to the buddy allocator (c*: set at boot; afterwards changed only by
	 * adjust_managed_page_count(), an atomic add, as a balloon takes pages out of use;
	 * read racily, a stale value is fine for every reader).
	 */
	unsigned long managed_pages;
	unsigned long _watermark[NR_WMARK];	/* in pages; read with wmark_pages() (c) */
	/*
	 * Pages kept back from allocations that could have used a higher zone: an allocation
	 * whose highest allowed zone is j must leave lowmem_reserve[j] pages free here.
	 */
	unsigned long lowmem_reserve[MAX_NR_ZONES];	/* (c) */
	unsigned long nr_reserved_highatomic;	/* pages in MIGRATE_HIGHATOMIC blocks (z) */

	/* Pageblock migratetypes: one byte per pageblock from pageblock_base_pfn (z). */
	u8 *pageblock_flags;
	unsigned long pageblock_base_pfn;	/* zone_start_pfn rounded down to a block (c) */
	unsigned long nr_pageblocks;		/* entries in pageblock_flags (c) */
	/* Per-CPU pages (mm/pcp.h, DESIGN.md 4.1): one set per possible CPU (c: the array). */
	struct per_cpu_pages *per_cpu_pageset;
	/* Owning CPU per pageblock, and the owner's bookkeeping (c: the arrays; mm/pcp.h). */
	u16 *pageblock_owner_cpu;
	struct pageblock_owner *pageblock_owner;
	/*
	 * Frees that found the zone lock busy in ALLOC_NOLOCK context (interrupts): pushed here
	 * with one atomic and freed by the next zone-lock holder (l: llist).
	 */
	struct llist_head deferred_free;
	/* Zone-lock statistics for benchmarks: acquisitions, and those that had to wait (z). */
	unsigned long lock_acquired;
	unsigned long lock_contended;

	struct zone_compact compact;		/* mm/compaction.c (its rules above) */

	spinlock_t _lock;			/* the zone lock: use the wrappers below */
	struct free_area free_area[MAX_PAGE_ORDER + 1];	/* (z) */
	unsigned long vm_stat[NR_VM_ZONE_STAT_ITEMS];	/* (z) writes; READ_ONCE reads */
};

/* Zonelist: the zones an allocation may use, best first (highest zone first). */
struct zonelist {
	struct zone *zones[MAX_NR_ZONES + 1];	/* populated zones, NULL-terminated (c) */
};

/* One per NUMA node. Only node 0 exists until NUMA discovery (SRAT, numa-node-id) arrives. */
struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];	/* this node's zones, by enum zone_type */
	struct zonelist node_zonelists[1];	/* fallback order (c); NUMA adds a per-node list */
	int nr_zones;				/* highest populated zone index + 1 (c) */
	int node_id;				/* (c) */
	unsigned long node_start_pfn;		/* (c) */
	unsigned long node_spanned_pages;	/* (c) */
	unsigned long node_present_pages;	/* (c) */
};

#define MAX_NUMNODES	1
#define NUMA_NO_NODE	(-1)

extern struct pglist_data node_data[MAX_NUMNODES];
#define NODE_DATA(nid)	(&node_data[nid])

#define for_each_online_node(nid) for ((nid) = 0; (nid) < MAX_NUMNODES; (nid)++)

/* Every zone of every node, populated or not. */
#define for_each_zone(z)						\
	for ((z) = &node_data[0].node_zones[0];				\
	     (z) < &node_data[MAX_NUMNODES - 1].node_zones[MAX_NR_ZONES];	\
	     (z)++)

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline enum zone_type zone_idx(const struct zone *zone)
{
	return (enum zone_type)(zone - NODE_DATA(zone->node)->node_zones);
}

/* The zone a page's flags word names (node and zone number): one load for page_zone(). */
static inline struct zone *page_zone_of_flags(unsigned long flags)
{
	return &NODE_DATA((flags >> PAGE_NODE_SHIFT) & PAGE_NODE_MASK)
			->node_zones[(flags >> PAGE_ZONE_SHIFT) & PAGE_ZONE_MASK];
}

static inline struct zone *page_zone(const struct page *page)
{
	return page_zone_of_flags(page_flags_read(page));
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < zone->zone_start_pfn + zone->spanned_pages;
}

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline unsigned long wmark_pages(const struct zone *zone, enum zone_watermarks w)
{
	return zone->_watermark[w];
}
#define min_wmark_pages(z)	wmark_pages(z, WMARK_MIN)
#define low_wmark_pages(z)	wmark_pages(z, WMARK_LOW)
#define high_wmark_pages(z)	wmark_pages(z, WMARK_HIGH)

static inline unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item i)
{
	/* Relaxed atomic: read without the zone lock, written under it with relaxed stores. */
	return __atomic_load_n(&zone->vm_stat[i], __ATOMIC_RELAXED);
}

/*
 * Free what ALLOC_NOLOCK frees deferred onto zone->deferred_free (mm/buddy.c).
 * Context: zone lock held.
 */
void __zone_free_deferred(struct zone *zone);

/* Everything a new zone-lock holder does first: count the acquisition, free deferred pages. */
static inline void __zone_lock_acquired(struct zone *zone, bool contended)
{
	zone->lock_acquired++;
	if (contended)
		zone->lock_contended++;
	if (unlikely(!llist_empty(&zone->deferred_free)))
		__zone_free_deferred(zone);
}

/*
 * The zone lock wrappers. They are the one place a zone lock is taken, so that the zone-lock
 * tracepoints (start / acquired / released with hold time: kernel/tracepoints.h) have one home, and
 * so that the lock's counters and the deferred-free list are handled in one place.
 */
static inline unsigned long zone_lock_irqsave(struct zone *zone) __acquires(&zone->_lock)
{
	unsigned long flags = arch_local_irq_save();
	bool contended = false;

	trace_zone_lock_start_locking(zone->name, &zone->_lock);

	/* One trylock first: a failure is what the benchmarks count as a contention. */
	if (!spin_trylock(&zone->_lock)) {
		contended = true;
		spin_lock(&zone->_lock);
	}
	trace_zone_lock_acquire_returned(zone->name, &zone->_lock, contended);
	__zone_lock_acquired(zone, contended);
	return flags;
}

static inline void zone_unlock_irqrestore(struct zone *zone, unsigned long flags)
	__releases(&zone->_lock)
{
	trace_zone_lock_released(zone->name, &zone->_lock);	/* still held: hold time ends here */
	spin_unlock_irqrestore(&zone->_lock, flags);
}

/* True with the lock held and *flags set; false (interrupts as they were) if it is busy. */
static inline bool zone_trylock_irqsave(struct zone *zone, unsigned long *flags)
{
	if (!spin_trylock_irqsave(&zone->_lock, flags))
		return false;
	trace_zone_lock_acquire_returned(zone->name, &zone->_lock, false);
	__zone_lock_acquired(zone, false);
	return true;
}

#define assert_zone_locked(zone)	assert_spin_locked(&(zone)->_lock)

DEFINE_GUARD(zone_lock_irqsave, struct zone, *_flags = zone_lock_irqsave(_T),
	     zone_unlock_irqrestore(_T, _fl))
DEFINE_GUARD(zone_trylock_irqsave, struct zone,
	     if (!zone_trylock_irqsave(_T, _flags)) _g._T = NULL,
	     zone_unlock_irqrestore(_T, _fl))

/* Zone lock init, used once per zone by mm_core_init(). */
static inline void zone_lock_init(struct zone *zone)
{
	spin_lock_init(&zone->_lock, "zone->lock");
}

#endif /* MM_MMZONE_H */
