/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU pages (DESIGN.md 4.1): each CPU keeps a struct per_cpu_pages per zone, a cache of
 * free pages it can hand out and take back without the zone lock. In the default `owner` mode
 * a CPU owns whole pageblocks, merges their pages on its own lists ("PCP buddy") and receives
 * the frees other CPUs make of its pages on a lock-free list. The algorithms and their
 * reasoning are in the essay at the top of mm/pcp.c.
 *
 * What the rest of the kernel uses: the mode switch, drain_all_pages(), the hotplug hooks and
 * the idle-loop hooks. What only mm/ uses is in the second half (after the struct).
 *
 * Locking: pcp->lock (p) of the owning CPU protects its lists and counters; it is taken with
 * IRQs off, only by the owner, except when draining a dead CPU and in the invariant checker
 * (which runs when the allocator is quiet). That rule lets it be a CPU-local lock with no
 * atomic instruction (mm/pcp_lock.h). Lock order: pcp->lock -> zone lock.
 */
#ifndef MM_PCP_H
#define MM_PCP_H

#include "kernel/compiler.h"
#include "kernel/spinlock.h"
#include "mm/pcp_lock.h"
#include "kernel/lib/list.h"
#include "kernel/lib/llist.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"

/* The three ways of running the allocator, for comparison in one boot (`pcp=`). */
enum pcp_mode {
	PCP_MODE_OFF,		/* no per-CPU pages: every operation takes the zone lock */
	PCP_MODE_TRYLOCK,	/* per-CPU lists without ownership: frees go to the freeing CPU */
	PCP_MODE_OWNER,		/* pageblock ownership, PCP buddy, remote-free llist (default) */
	NR_PCP_MODES
};

extern const char *const pcp_mode_names[NR_PCP_MODES];

enum pcp_mode pcp_get_mode(void);
/*
 * Switch modes: drain every CPU's pages back to the zones, then switch. The allocator must be
 * quiet (no allocation or free running on another CPU), as between benchmark runs.
 * Return: 0, or -EINVAL for an unknown mode.
 * Context: any CPU, IRQs on (drains other CPUs by IPI).
 */
int pcp_set_mode(enum pcp_mode mode);
/* "owner", "trylock", "off" -> mode; -1 if unknown. */
int pcp_mode_from_name(const char *name);

/*
 * Give every page on every CPU's per-CPU lists and remote-free lists of @zone (NULL: all
 * zones) back to the zone: by IPI on the other CPUs, directly on this one. Waits, bounded
 * (PCP_DRAIN_WAIT_MS), for the others. Only one drain runs at a time; a caller that finds one
 * running waits for it instead.
 * Return: true if every CPU asked has drained in time.
 * Context: any CPU, not ALLOC_NOLOCK context; IRQs on or off (with IRQs off the waiter runs
 * its own pending cross-CPU calls while it waits).
 */
bool drain_all_pages(struct zone *zone);
#define PCP_DRAIN_WAIT_MS	100
/* Absorb and drain this CPU's pages of @zone (NULL: all zones). Context: this CPU. */
void drain_local_pages(struct zone *zone);

/*
 * CPU hotplug (DESIGN.md 4.2); the hotplug issue calls these.
 * pcp_cpu_dead: mark @cpu's PCPs dead, make every online CPU pass a point where it cannot be
 * between reading the flag and pushing onto @cpu's free_llist (on_each_cpu), then absorb and
 * drain everything of @cpu into the zones and detach its owned blocks.
 * Context: any CPU but @cpu (which is offline or parked), IRQs on.
 * pcp_cpu_online: clear the flag and absorb anything that arrived.
 * Context: the CPU coming online (or any CPU before it runs), IRQs on or off.
 */
void pcp_cpu_dead(unsigned int cpu);
void pcp_cpu_online(unsigned int cpu);

/*
 * The idle loop's part (the lead wires these into cpu_idle_loop()):
 *	pcp_idle_enter();	before arch_idle(), IRQs off
 *	arch_idle();
 *	pcp_idle_exit();	after waking
 * While a CPU is idle, a CPU that pushes the first page onto its free_llist sends it an IPI
 * so that it absorbs at once; a busy CPU absorbs at its next PCP operation. pcp_idle_enter()
 * absorbs anything pushed before the flag became visible (see "Idle owners" in mm/pcp.c).
 */
void pcp_idle_enter(void);
void pcp_idle_exit(void);
bool pcp_cpu_is_idle(unsigned int cpu);

/* Counters for benchmarks and the shell, summed over zones; per CPU. */
struct pcp_stats {
	u64 remote_pushed;	/* frees this CPU pushed onto another CPU's free_llist (kept
				 * in the PCP_REMOTE_FREE vm event, not per zone: 0 here) */
	u64 absorbed;		/* pages this CPU took off its own free_llists */
	u64 ipis_sent;		/* absorb IPIs this CPU sent to idle owners */
	u64 blocks_claimed;	/* whole pageblocks this CPU took ownership of */
	u64 blocks_released;	/* owned blocks given back to the zone (whole or partial) */
	u64 refills;		/* zone-lock refills of this CPU's lists */
	u64 drains;		/* zone-lock drains of this CPU's lists */
};
void pcp_get_stats(unsigned int cpu, struct pcp_stats *out);
/* Zone-lock acquisitions and contended acquisitions, summed over zones. */
void zone_lock_counts(u64 *acquired, u64 *contended);

/* Print the "pagesets" section of zoneinfo for @zone. */
void show_zone_pagesets(struct zone *zone);

/* ---- mm-internal from here ---- */

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
/* Host race tests: remote frees to this CPU call pcp_test_window_hook in their window. */
#define PCPF_TEST_WINDOW	0x2u

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
 * Lock order: pcp->lock -> zone lock. Only the owning CPU takes pcp->lock, with IRQs off,
 * except the drain of a dead CPU and the invariant checker (quiet allocator only).
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
	u32 flags;			/* PCPF_* (l: relaxed atomic loads, see the hotplug essay;
					 * read by every freer, written at hotplug and by
					 * pcp_set_test_window_hook() only) */
} __aligned(PCP_CACHELINE);

/* Boot: allocate the owner array and per-CPU sets (before memblock_free_all). */
void pcp_zone_init(struct zone *zone);
/* Boot: high/batch from the zone's managed pages; the mode from `pcp=`. After the frees. */
void pcp_init(void);

/*
 * The allocator's PCP entry points (mm/page_alloc.c).
 * pcp_rmqueue: a block from this CPU's lists (refilled from the zone if needed), or NULL if
 * the PCP cannot serve this request (then the caller uses the zone).
 * pcp_free: route a freed block (free routing essay): this CPU's lists, the owner's
 * free_llist, or the zone when no PCP takes it; counted in pgfree.
 * Context: any; with ALLOC_NOLOCK only trylocks.
 */
struct page *pcp_rmqueue(struct zone *zone, unsigned int order, int migratetype,
			 unsigned int alloc_flags);
void pcp_free(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order,
	      bool nolock);
/*
 * pcp_alloc_fast: step 0 of __alloc_pages() (see "The fast path" in mm/pcp.c): a block
 * straight off this CPU's lists of the first zone the request would try, prepared and
 * counted in pgalloc; if that needs anything more (refill, watermark check, another zone,
 * another mode) it tail-calls the full path, __alloc_pages_walk().
 * Context: any CPU, any context (trylock only); IRQs off inside.
 */
struct page *pcp_alloc_fast(gfp_t gfp, unsigned int order, int nid, unsigned int alloc_flags);
/* True if some CPU holds pages of @zone on its PCP lists or free_llist (a racy hint). */
bool pcp_zone_has_pages(struct zone *zone);

/* For the invariant checker (mm/check.c). */
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
	/* Relaxed: the owner of an allocated page's block is stable (see the essay). */
	return __atomic_load_n(&zone->pageblock_owner_cpu[idx], __ATOMIC_RELAXED);
}

/* The CPU owning the block of @pfn, or PB_NO_OWNER. */
static inline unsigned int pfn_owner_read(const struct zone *zone, unsigned long pfn)
{
	return pageblock_owner_read(zone, pageblock_idx(zone, pfn));
}

extern unsigned int pcp_nr_cpus;	/* entries in each per_cpu_pageset[] (c) */
/*
 * Host race tests: have every remote free call @fn between reading its owner's flags and
 * pushing (NULL: stop). Sets or clears PCPF_TEST_WINDOW on every CPU's PCPs.
 */
void pcp_set_test_window_hook(void (*fn)(void));

#endif /* MM_PCP_H */
