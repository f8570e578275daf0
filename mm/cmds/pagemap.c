// SPDX-License-Identifier: MIT
/*
 * `pagemap`: a picture of every zone, one character per pageblock (2^pageblock_order pages),
 * 64 to a row with the row's first pfn at the left:
 *
 *	Zone   DMA32: pfn 0x1000-0x1ffff, 120 pageblocks of 512 pages
 *	0x00001000 UUU.....MMMMMMMMM...
 *	    owner  0001----2222------
 *
 * The first row of each pair is the pageblock's migratetype (U unmovable, M movable,
 * R reclaimable, H highatomic, I isolated), or '.' when the whole block is free in the zone's
 * buddy lists, ' ' for a hole. The second, printed when some block of the zone is owned by a
 * CPU's per-CPU pages (DESIGN.md 4.1), names the owner: 0-9, then a-z, then A-Z; '-' for none.
 *
 * Locking: each row is read under the zone lock (free-block test and migratetypes), then
 * printed without it; owners are read with relaxed loads. Boot CPU (the shell).
 */
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "mm/internal.h"
#include "mm/pcp.h"

#define PAGEMAP_COLS	64

static const char mt_chars[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = 'U',
	[MIGRATE_MOVABLE] = 'M',
	[MIGRATE_RECLAIMABLE] = 'R',
	[MIGRATE_HIGHATOMIC] = 'H',
	[MIGRATE_ISOLATE] = 'I',
};

static char owner_char(unsigned int owner)
{
	if (owner == PB_NO_OWNER)
		return '-';
	if (owner < 10)
		return (char)('0' + owner);
	if (owner < 36)
		return (char)('a' + owner - 10);
	if (owner < 62)
		return (char)('A' + owner - 36);
	return '*';
}

/* True if the pageblock at pfn is one free block (or part of a bigger one). Zone lock held. */
static bool pageblock_free(struct zone *zone, unsigned long pfn)
{
	unsigned int order;

	return __find_free_block(zone, pfn, &order) && order >= pageblock_order;
}

/* Fill one row of `n` blocks from block index `first`. */
static void pagemap_row(struct zone *zone, unsigned long first, unsigned int n, char *mt_row,
			char *owner_row, bool *any_owner)
{
	guard(zone_lock_irqsave)(zone);
	for (unsigned int i = 0; i < n; i++) {
		unsigned long pfn = zone->pageblock_base_pfn + ((first + i) << pageblock_order);
		unsigned long probe = pfn < zone->zone_start_pfn ? zone->zone_start_pfn : pfn;
		unsigned int owner = PB_NO_OWNER;

		if (!pfn_valid(probe) || !zone_spans_pfn(zone, probe)) {
			mt_row[i] = ' ';
		} else if (pfn == probe && pageblock_free(zone, pfn)) {
			mt_row[i] = '.';
		} else {
			int mt = get_pageblock_migratetype(pfn_to_page(probe));

			mt_row[i] = mt >= 0 && mt < MIGRATE_TYPES ? mt_chars[mt] : '?';
		}
		if (zone->pageblock_owner_cpu)
			owner = pageblock_owner_read(zone, first + i);
		owner_row[i] = owner_char(owner);
		if (owner != PB_NO_OWNER)
			*any_owner = true;
	}
	mt_row[n] = owner_row[n] = '\0';
}

static bool zone_has_owner(struct zone *zone)
{
	if (!zone->pageblock_owner_cpu)
		return false;
	for (unsigned long i = 0; i < zone->nr_pageblocks; i++)
		if (pageblock_owner_read(zone, i) != PB_NO_OWNER)
			return true;
	return false;
}

static void pagemap_zone(struct zone *zone)
{
	char mt_row[PAGEMAP_COLS + 1], owner_row[PAGEMAP_COLS + 1];
	bool owners = zone_has_owner(zone);

	printk("Zone %7s: pfn %#lx-%#lx, %lu pageblocks of %lu pages\n", zone->name,
	       zone->zone_start_pfn, zone_end_pfn(zone) - 1, zone->nr_pageblocks,
	       pageblock_nr_pages);
	for (unsigned long first = 0; first < zone->nr_pageblocks; first += PAGEMAP_COLS) {
		unsigned int n = (unsigned int)min_t(unsigned long, PAGEMAP_COLS,
						     zone->nr_pageblocks - first);
		bool any = false;

		pagemap_row(zone, first, n, mt_row, owner_row, &any);
		printk("%#010lx %s\n", zone->pageblock_base_pfn + (first << pageblock_order),
		       mt_row);
		if (owners)
			printk("    owner  %s\n", owner_row);
	}
}

static int cmd_pagemap(int argc, char **argv)
{
	struct zone *zone;

	if (argc != 1)
		return SHELL_EUSAGE;
	printk("pagemap: one character per pageblock of %lu pages (%lu KiB)\n",
	       pageblock_nr_pages, (pageblock_nr_pages * PAGE_SIZE) / 1024);
	printk("legend: U unmovable  M movable  R reclaimable  H highatomic  I isolated  "
	       ". free block  (blank) hole\n");
	printk("        owner rows: the CPU whose per-CPU pages own the block (0-9 a-z A-Z), "
	       "- none\n");
	for_each_zone(zone)
		if (populated_zone(zone))
			pagemap_zone(zone);
	return 0;
}
SHELL_COMMAND(pagemap, "pageblocks of each zone by migratetype and owner CPU", cmd_pagemap);
