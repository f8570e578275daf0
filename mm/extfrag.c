// SPDX-License-Identifier: MIT
/*
 * External fragmentation indices per zone and order (mm/extfrag.h): the formulas as Mel
 * Gorman published them with compaction (Linux 2.6.35; mm/vmstat.c fill_contig_page_info(),
 * unusable_free_index(), __fragmentation_index()), and the debugfs files' text.
 *
 * For an order o, with F the free pages, B the free blocks (of any order) and S the free
 * space in blocks of order >= o counted in blocks of order o:
 *
 *	unusable(o) = (F - S * 2^o) / F				(1 when F == 0)
 *	fragmentation(o) = 1 - (1 + F / 2^o) / B		(-1 when S > 0; 0 when B == 0)
 *
 * both in thousandths, with integer division where Linux divides: F * 1000 / 2^o first,
 * then (1000 + that) / B. Worked example, one free order-0 page and nothing else (F = 1,
 * B = 1): order 0 has S = 1, so -1.000; order 1: 1000 - (1000 + 1000 / 2) / 1 = -500; the
 * unusable index of order 1 is (1 - 0) / 1 = 1.000.
 *
 * Locking: extfrag_snapshot_zone() takes the zone lock through its guard; everything else
 * works on the snapshot, with no lock.
 */
#include "mm/extfrag.h"
#include "mm/internal.h"
#include "kernel/printk.h"

void extfrag_snapshot_zone(struct zone *zone, struct extfrag_snapshot *snap)
{
	guard(zone_lock_irqsave)(zone);
	for (unsigned int o = 0; o < EXTFRAG_NR_ORDERS; o++)
		snap->nr_free[o] = zone->free_area[o].nr_free;
}

void extfrag_fill_info(const struct extfrag_snapshot *snap, unsigned int order,
		       struct extfrag_info *info)
{
	*info = (struct extfrag_info){ 0 };
	for (unsigned int o = 0; o < EXTFRAG_NR_ORDERS; o++) {
		unsigned long blocks = snap->nr_free[o];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		/* A free order-(o) block holds 2^(o - order) blocks of the order asked for. */
		if (o >= order)
			info->free_blocks_suitable += blocks << (o - order);
	}
}

int extfrag_unusable_index(const struct extfrag_snapshot *snap, unsigned int order)
{
	struct extfrag_info info;

	extfrag_fill_info(snap, order, &info);
	/* No free memory: all of it (none) is unusable, as Linux defines it. */
	if (!info.free_pages)
		return 1000;
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) * 1000ULL /
		     info.free_pages);
}

int extfrag_fragmentation_index(const struct extfrag_snapshot *snap, unsigned int order)
{
	unsigned long requested = 1UL << order;
	struct extfrag_info info;

	extfrag_fill_info(snap, order, &info);
	if (!info.free_blocks_total)
		return 0;
	/* The index says why an allocation would fail; this one would not. */
	if (info.free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info.free_pages * 1000ULL / requested) /
			    info.free_blocks_total);
}

/*
 * One value: "0.018 " (unusable) or "%2d"-wide before the point (extfrag: "-1.000 ",
 * " 0.998 "). Linux prints a value between -1000 and 0 as "0.-500"; we print "-0.500", the
 * same number written so that a script can read it.
 */
static size_t format_value(char *buf, size_t len, int index, bool wide)
{
	unsigned int mag = index < 0 ? (unsigned int)-index : (unsigned int)index;
	char whole[8];

	snprintf(whole, sizeof(whole), "%s%u", index < 0 ? "-" : "", mag / 1000);
	return (size_t)snprintf(buf, len, "%*s.%03u ", wide ? 2 : 0, whole, mag % 1000);
}

size_t extfrag_format_line(char *buf, size_t len, int node, const char *zone_name,
			   const struct extfrag_snapshot *snap, enum extfrag_kind kind)
{
	size_t n = (size_t)snprintf(buf, len, "Node %d, zone %8s ", node, zone_name);

	for (unsigned int o = 0; o < EXTFRAG_NR_ORDERS; o++) {
		int index = kind == EXTFRAG_INDEX ? extfrag_fragmentation_index(snap, o)
						  : extfrag_unusable_index(snap, o);

		/* Past the end, count what would have been written, as snprintf does. */
		n += format_value(n < len ? buf + n : NULL, n < len ? len - n : 0, index,
				  kind == EXTFRAG_INDEX);
	}
	return n;
}

void show_extfrag(enum extfrag_kind kind)
{
	struct zone *zone;

	for_each_zone(zone) {
		struct extfrag_snapshot snap;
		/* "Node N, zone %8s " and 11 values of at most 7 characters. */
		char line[32 + 8 * EXTFRAG_NR_ORDERS];

		if (!populated_zone(zone))
			continue;
		extfrag_snapshot_zone(zone, &snap);
		extfrag_format_line(line, sizeof(line), zone->node, zone->name, &snap, kind);
		pr_info("%s\n", line);
	}
}
