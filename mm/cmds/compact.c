// SPDX-License-Identifier: MIT
/*
 * `compact [ZONE]`: compact every populated zone (as writing /proc/sys/vm/compact_memory) or
 * the one named (DMA, DMA32, Normal: the names buddyinfo prints), and print what moved and
 * the free blocks of pageblock order before and after. vmstat counts the same as
 * compact_* and pgmigrate_*.
 *
 * Context: the shell's CPU (compaction drains every CPU's per-CPU pages by IPI).
 */
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/compaction.h"
#include "mm/internal.h"

static void compact_one(struct zone *zone)
{
	unsigned long before = zone_free_blocks_at_least(zone, pageblock_order), after;
	struct compact_result r;

	compact_zone(zone, -1, true, &r);
	after = zone_free_blocks_at_least(zone, pageblock_order);
	printk("compact: zone %s: scanned %lu migrate, %lu free; isolated %lu, migrated %lu, "
	       "failed %lu; free order-%d blocks %lu -> %lu\n", zone->name, r.migrate_scanned,
	       r.free_scanned, r.isolated, r.migrated, r.failed, pageblock_order, before, after);
}

static int cmd_compact(int argc, char **argv)
{
	struct zone *zone;

	if (argc > 2)
		return SHELL_EUSAGE;
	for_each_zone(zone) {
		if (!populated_zone(zone))
			continue;
		if (argc == 2 && strcmp(argv[1], zone->name) != 0)
			continue;
		compact_one(zone);
		if (argc == 2)
			return 0;
	}
	if (argc == 2) {
		printk("compact: no populated zone named '%s' (the names buddyinfo prints:", argv[1]);
		for_each_zone(zone)
			if (populated_zone(zone))
				pr_cont(" %s", zone->name);
		pr_cont(")\n");
		return SHELL_EFAIL;
	}
	return 0;
}
SHELL_COMMAND_USAGE(compact, "[ZONE]", "compact all zones, or ZONE: migrate movable pages to "
		    "make high-order free blocks", cmd_compact);
