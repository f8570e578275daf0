// SPDX-License-Identifier: MIT
/*
 * `compact [ZONE]`: compact every populated zone (as writing /proc/sys/vm/compact_memory) or
 * the one named (DMA, DMA32, Normal: the names buddyinfo prints), and print what moved and
 * the free blocks of pageblock order before and after. vmstat counts the same as
 * compact_* and pgmigrate_*.
 * `compact proactiveness [N]`: show or set vm.compaction_proactiveness (0..100, 0: off).
 * `compact status`: each zone's fragmentation score against the proactive marks, and the
 * state direct and proactive runs keep (cached positions, skip hints, deferral).
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

static unsigned long zone_skip_hints(struct zone *zone)
{
	unsigned long n = 0;

	for (unsigned long pfn = ALIGN_UP(zone->zone_start_pfn, pageblock_nr_pages);
	     pfn + pageblock_nr_pages <= zone_end_pfn(zone); pfn += pageblock_nr_pages)
		if (pfn_valid(pfn) && page_zone(pfn_to_page(pfn)) == zone &&
		    get_pageblock_skip(pfn_to_page(pfn)))
			n++;
	return n;
}

static void compact_status(void)
{
	unsigned int low, high;
	struct zone *zone;

	compaction_proactive_marks(&low, &high);
	if (compaction_proactiveness)
		printk("compact: proactiveness %u: a zone scoring above %u is compacted down to "
		       "%u\n", compaction_proactiveness, high, low);
	else
		printk("compact: proactiveness 0: no proactive compaction\n");
	for_each_zone(zone) {
		const struct zone_compact *c = &zone->compact;

		if (!populated_zone(zone))
			continue;
		/* Racy reads of another CPU's run state: a snapshot for people. */
		printk("compact: zone %s: score %u%s, %s; next runs start at migrate %#lx (async) "
		       "%#lx (sync), free %#lx; %lu of %lu pageblocks skipped%s; ", zone->name,
		       zone_fragmentation_score(zone), READ_ONCE(c->proactive_active) ?
		       " (proactive)" : "", READ_ONCE(c->running) ? "running" : "idle",
		       READ_ONCE(c->cached_migrate_pfn[0]), READ_ONCE(c->cached_migrate_pfn[1]),
		       READ_ONCE(c->cached_free_pfn), zone_skip_hints(zone), zone->nr_pageblocks,
		       READ_ONCE(c->blockskip_flush) ? " (cleared at the next run)" : "");
		if (READ_ONCE(c->defer_shift))
			pr_cont("direct runs for order %u and up skip %u of every %u attempts\n",
				READ_ONCE(c->order_failed), (1U << READ_ONCE(c->defer_shift)) - 1,
				1U << READ_ONCE(c->defer_shift));
		else
			pr_cont("direct runs not deferred\n");
	}
}

static int compact_proactiveness(int argc, char **argv)
{
	const char *end;
	unsigned long long v;

	if (argc == 2) {
		printk("vm.compaction_proactiveness = %u\n", compaction_proactiveness);
		return 0;
	}
	v = simple_strtoull(argv[2], &end, 10);
	if (end == argv[2] || *end || v > 100) {
		printk("compact: proactiveness '%s': want a number from 0 (off) to 100\n", argv[2]);
		return SHELL_EFAIL;
	}
	compaction_set_proactiveness((unsigned long)v);
	printk("vm.compaction_proactiveness = %u\n", compaction_proactiveness);
	return 0;
}

static int cmd_compact(int argc, char **argv)
{
	struct zone *zone;

	if (argc >= 2 && !strcmp(argv[1], "proactiveness"))
		return argc > 3 ? SHELL_EUSAGE : compact_proactiveness(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "status")) {
		if (argc > 2)
			return SHELL_EUSAGE;
		compact_status();
		return 0;
	}
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
SHELL_COMMAND_USAGE(compact, "[ZONE | status | proactiveness [0..100]]", "compact all zones, or "
		    "ZONE: migrate movable pages to make high-order free blocks; show the "
		    "compaction state; show or set proactive compaction", cmd_compact);
