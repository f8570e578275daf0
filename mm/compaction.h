/* SPDX-License-Identifier: MIT */
/*
 * Compaction (mm/compaction.c): migrate movable pages out of the bottom of a zone into free
 * pages at its top, so that high-order free blocks exist again. The essay, with how it
 * meets CPU-owned pageblocks, opens mm/compaction.c.
 */
#ifndef MM_COMPACTION_H
#define MM_COMPACTION_H

#include "kernel/compiler.h"
#include "mm/mmzone.h"

struct zone;

/* Why a run ended. */
enum compact_end {
	COMPACT_END_NONE,	/* (still running) */
	COMPACT_END_MET,	/* the scanners met: the whole zone was seen */
	COMPACT_END_ORDER,	/* a free block of the order asked for exists */
	COMPACT_END_BUDGET,	/* the run's pageblock budget is spent (proactive steps) */
	COMPACT_END_SKIPPED,	/* it did not run (bad zone, busy, wrong context) */
};

/* What one run did (the vmstat events count the same, summed over runs). */
struct compact_result {
	unsigned long migrate_scanned;	/* pages the migrate scanner looked at */
	unsigned long free_scanned;	/* pages the free scanner looked at */
	unsigned long isolated;		/* movable pages isolated plus free pages taken */
	unsigned long migrated;		/* pages moved */
	unsigned long failed;		/* isolated pages put back unmoved */
	bool success;			/* a run for an order: a free block of it exists after */
	enum compact_end end;
};

/*
 * compact_zone - compact @zone from its ends, as `compact` and /proc/sys/vm/compact_memory
 * @order: stop once a free block of this order exists (-1: run until the scanners meet)
 * @sync: take movable pages from every ordinary pageblock (false: MOVABLE blocks only)
 * @res: filled with what the run did
 * The skip hints and cached positions are neither used nor set; a run that completes
 * makes the next hint-using run start afresh. One run per zone at a time: this waits for
 * a direct or proactive run on another CPU to end.
 * Return: 0; -EINVAL for an empty zone or a bad order; -EBUSY if called from inside a
 * compaction on this CPU or with the zone's lock or this CPU's pcp->lock held (warns).
 * Context: any CPU, IRQs on, not interrupt context: drains every CPU's per-CPU pages of
 * the zone before and after (IPIs); takes the zone lock and the movable kinds' locks.
 */
int compact_zone(struct zone *zone, int order, bool sync, struct compact_result *res);
/* Compact every populated zone fully (order -1, sync): `compact`. Same context. */
void compact_node_all(struct compact_result *total);
/*
 * Direct compaction, for the allocator's slow path (mm/page_alloc.c step 6): compact the
 * zones of the NULL-terminated list @zones up to @highest, async with the skip hints and
 * cached positions, each once unless deferred after recent failures or busy on another
 * CPU, stopping at the first that could now serve the request (@order with the watermark
 * of @alloc_flags and the zone's reserve against @highest). Counts compact_stall.
 * Return: true if a zone could serve it now (worth retrying the allocation).
 * Context: as compact_zone(); the caller checks compaction_direct_ok() first.
 */
bool try_to_compact_zones(struct zone *const *zones, enum zone_type highest,
			  unsigned int order, unsigned int alloc_flags);
/* May this CPU compact now? (not from inside a compaction, interrupts on) */
bool compaction_direct_ok(void);

/*
 * Proactive compaction (the essay in mm/compaction.c): vm.compaction_proactiveness, 0..100,
 * 20 by default or `compaction_proactiveness=` on the command line; 0 turns it off.
 */
extern unsigned int compaction_proactiveness;
/* Return: 0, or -EINVAL above 100. Context: any. */
int compaction_set_proactiveness(unsigned long v);
/*
 * Wait until no compaction runs on any zone and the proactive work is not running. With
 * proactiveness 0 set before, and no direct compaction possible meanwhile, none starts
 * after it returns. Context: process context, IRQs on, not from a compaction.
 */
void compaction_wait_idle(void);
/*
 * For tests that count pages, ownerships or pending work: turn proactive compaction off,
 * wait for a run in progress and cancel its armed work. Return: the setting, for compaction_set_proactiveness() afterwards.
 * Context: as compaction_wait_idle().
 */
unsigned int compaction_quiesce(void);
/* The score marks the setting gives: start above @high, stop at @low. */
void compaction_proactive_marks(unsigned int *low, unsigned int *high);
/* 0..100: the share of @zone's free pages in blocks below pageblock order (racy). */
unsigned int zone_fragmentation_score(struct zone *zone);
/* Cached positions, the command line, the proactive work. Context: boot CPU, after SMP. */
void compaction_init(void);

/* Free blocks on @zone's lists counted in blocks of @order (an order-10 block is two 9s). */
unsigned long zone_free_blocks_at_least(struct zone *zone, unsigned int order);

#endif /* MM_COMPACTION_H */
