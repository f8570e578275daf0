/* SPDX-License-Identifier: MIT */
/*
 * External fragmentation, measured per zone and order from the free-block counts (Linux:
 * mm/vmstat.c, the debugfs files extfrag/extfrag_index and extfrag/unusable_index). Two
 * indices, each in thousandths (an integer: no floating point in the kernel):
 *
 *  unusable free space index: the share of the free memory that sits in blocks too small
 *	for an allocation of the order. 0 (every free page is usable) .. 1000 (none is);
 *	1000 for a zone with no free page. 1000 - it is the share an order's blocks hold.
 *  fragmentation index: why an allocation of the order would fail. -1000 (printed -1.000)
 *	when a free block of the order exists (it would not fail); else towards 0: a lack of
 *	memory, towards 1000: external fragmentation (compaction would help); 0 for a zone
 *	with no free page.
 *
 * The functions work on a snapshot of the zone's free_area[].nr_free taken under the zone
 * lock, so that one zone's line is consistent and the formulas are pure (tests/host/
 * test_extfrag.c checks them on hand-made counts). Pages on per-CPU lists are not in the
 * zone's free lists and are not counted, as in buddyinfo.
 */
#ifndef MM_EXTFRAG_H
#define MM_EXTFRAG_H

#include "kernel/compiler.h"
#include "mm/mmzone.h"

#define EXTFRAG_NR_ORDERS	(MAX_PAGE_ORDER + 1)

/* A zone's free blocks per order at one moment. */
struct extfrag_snapshot {
	unsigned long nr_free[EXTFRAG_NR_ORDERS];	/* free blocks of each order */
};

/* What both indices are computed from, for one order (Linux: struct contig_page_info). */
struct extfrag_info {
	unsigned long free_pages;		/* free pages, in blocks of every order */
	unsigned long free_blocks_total;	/* free blocks of every order */
	unsigned long free_blocks_suitable;	/* free space in blocks of >= the order, counted
						 * in blocks of the order (an order-10 block is
						 * two order-9 blocks) */
};

enum extfrag_kind {
	EXTFRAG_UNUSABLE,	/* the unusable free space index: unusable_index */
	EXTFRAG_INDEX,		/* the fragmentation index: extfrag_index */
};

/*
 * Copy @zone's free-block counts into @snap.
 * Context: any CPU, not interrupt context; takes the zone lock (its guard).
 */
void extfrag_snapshot_zone(struct zone *zone, struct extfrag_snapshot *snap);

/* The totals behind both indices, for @order (<= MAX_PAGE_ORDER). Pure. */
void extfrag_fill_info(const struct extfrag_snapshot *snap, unsigned int order,
		       struct extfrag_info *info);
/* The unusable free space index of @order, 0..1000. Pure. */
int extfrag_unusable_index(const struct extfrag_snapshot *snap, unsigned int order);
/*
 * The fragmentation index of @order: -1000 if a block of the order is free, else normally
 * 0..1000; Linux's formula goes below 0 (down to -999) when there are fewer free pages than
 * the order asks for in very few blocks (1 free page, order 1: -500). Pure.
 */
int extfrag_fragmentation_index(const struct extfrag_snapshot *snap, unsigned int order);

/*
 * One zone's line in the debugfs file's format into @buf (at most @len bytes, NUL
 * included): "Node 0, zone    DMA32 " and, for each order, the index as a decimal with
 * three places and a space: unusable "0.018 ", extfrag "-1.000 " / " 0.998 " (two columns
 * before the point). Return: the line's length (as snprintf: it may exceed @len - 1).
 */
size_t extfrag_format_line(char *buf, size_t len, int node, const char *zone_name,
			   const struct extfrag_snapshot *snap, enum extfrag_kind kind);

/*
 * Print one line per populated zone, as the debugfs file would list them.
 * Context: any CPU, not interrupt context; takes each zone lock in turn.
 */
void show_extfrag(enum extfrag_kind kind);

#endif /* MM_EXTFRAG_H */
