/* SPDX-License-Identifier: MIT */
/*
 * Compaction (mm/compaction.c): migrate movable pages out of the bottom of a zone into free
 * pages at its top, so that high-order free blocks exist again. The essay, with how it
 * meets CPU-owned pageblocks, opens mm/compaction.c.
 */
#ifndef MM_COMPACTION_H
#define MM_COMPACTION_H

#include "kernel/compiler.h"

struct zone;

/* What one run did (the vmstat events count the same, summed over runs). */
struct compact_result {
	unsigned long migrate_scanned;	/* pages the migrate scanner looked at */
	unsigned long free_scanned;	/* pages the free scanner looked at */
	unsigned long isolated;		/* movable pages isolated plus free pages taken */
	unsigned long migrated;		/* pages moved */
	unsigned long failed;		/* isolated pages put back unmoved */
	bool success;			/* a run for an order: a free block of it exists after */
};

/*
 * compact_zone - compact @zone
 * @order: stop once a free block of this order exists (-1: run until the scanners meet)
 * @sync: take movable pages from every ordinary pageblock (false: MOVABLE blocks only)
 * @res: filled with what the run did
 * Return: 0, or -EINVAL for an empty zone or a bad order.
 * Context: any CPU, IRQs on, not interrupt context: drains every CPU's per-CPU pages of
 * the zone before and after (IPIs); takes the zone lock and the movable kinds' locks.
 */
int compact_zone(struct zone *zone, int order, bool sync, struct compact_result *res);
/* Compact every populated zone fully (order -1, sync): `compact`. Same context. */
void compact_node_all(struct compact_result *total);
/* Free blocks on @zone's lists counted in blocks of @order (an order-10 block is two 9s). */
unsigned long zone_free_blocks_at_least(struct zone *zone, unsigned int order);

#endif /* MM_COMPACTION_H */
