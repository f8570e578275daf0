// SPDX-License-Identifier: MIT
/*
 * Printers for the allocator's state in Linux's /proc formats (buddyinfo, zoneinfo,
 * pagetypeinfo, vmstat, meminfo), one printk line each, for the shell, tests and failures.
 * Linux: mm/vmstat.c frag_show(), zoneinfo_show(), pagetypeinfo_show(); fs/proc/meminfo.c.
 *
 * Locking: each zone's free-list figures are read under its zone lock (so one zone's line is
 * a consistent snapshot); counters are read with READ_ONCE.
 */
#include "mm/vmstat.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "kernel/printk.h"
#include "kernel/cpumask.h"

void show_zone_pagesets(struct zone *zone)
{
	if (!zone->per_cpu_pageset)
		return;
	pr_info("  pagesets (pcp=%s)\n", pcp_mode_names[pcp_get_mode()]);
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		if (!cpu_possible(cpu))
			continue;
		pr_info("    cpu: %u\n", cpu);
		pr_info("              count: %lu\n", pcp_count_read(pcp));
		pr_info("              high:  %u\n", pcp->high);
		pr_info("              batch: %u\n", pcp->batch);
		pr_info("              owned_blocks: %lu%s\n", READ_ONCE(pcp->nr_owned_blocks),
			pcp_dead(pcp) ? " (dead)" : "");
	}
}

#define SHOW_LINE_MAX	256

/* A line built piecewise with snprintf, printed once. */
struct line {
	char buf[SHOW_LINE_MAX];
	size_t len;
};

static __printf(2, 3) void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->len >= sizeof(l->buf))
		return;
	va_start(ap, fmt);
	l->len += vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
}

static void line_print(struct line *l)
{
	pr_info("%s\n", l->buf);
	l->len = 0;
	l->buf[0] = '\0';
}

#define for_each_populated_zone(z)				\
	for_each_zone(z)					\
		if (!populated_zone(z)) {} else

void show_buddyinfo(void)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		struct line l = { .len = 0 };
		unsigned long nr[MAX_PAGE_ORDER + 1];

		scoped_guard(zone_lock_irqsave, zone)
			for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
				nr[o] = zone->free_area[o].nr_free;
		line_add(&l, "Node %d, zone %8s ", zone->node, zone->name);
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
			line_add(&l, "%6lu ", nr[o]);
		line_print(&l);
	}
}

static unsigned long count_list(struct list_head *head)
{
	unsigned long n = 0;
	struct list_head *pos;

	list_for_each(pos, head)
		n++;
	return n;
}

void show_pagetypeinfo(void)
{
	struct zone *zone;
	struct line l = { .len = 0 };

	pr_info("Page block order: %d\n", pageblock_order);
	pr_info("Pages per block:  %lu\n", pageblock_nr_pages);
	pr_info("\n");
	line_add(&l, "%-43s ", "Free pages count per migrate type at order");
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		line_add(&l, "%6u ", o);
	line_print(&l);
	for_each_populated_zone(zone) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			unsigned long nr[MAX_PAGE_ORDER + 1];

			scoped_guard(zone_lock_irqsave, zone)
				for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
					nr[o] = count_list(&zone->free_area[o].free_list[mt]);
			line_add(&l, "Node %4d, zone %8s, type %12s ", zone->node, zone->name,
				 migratetype_names[mt]);
			for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
				line_add(&l, "%6lu ", nr[o]);
			line_print(&l);
		}
	}
	pr_info("\n");
	line_add(&l, "%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		line_add(&l, "%12s ", migratetype_names[mt]);
	line_print(&l);
	for_each_populated_zone(zone) {
		unsigned long count[MIGRATE_TYPES] = { 0 };

		scoped_guard(zone_lock_irqsave, zone)
			for (unsigned long i = 0; i < zone->nr_pageblocks; i++)
				count[zone->pageblock_flags[i] & 0x7]++;
		line_add(&l, "Node %d, zone %8s ", zone->node, zone->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			line_add(&l, "%12lu ", count[mt]);
		line_print(&l);
	}
}

void show_zoneinfo(void)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		struct line l = { .len = 0 };

		pr_info("Node %d, zone %8s\n", zone->node, zone->name);
		pr_info("  pages free     %lu\n", zone_page_state(zone, NR_FREE_PAGES));
		pr_info("        min      %lu\n", min_wmark_pages(zone));
		pr_info("        low      %lu\n", low_wmark_pages(zone));
		pr_info("        high     %lu\n", high_wmark_pages(zone));
		pr_info("        spanned  %lu\n", zone->spanned_pages);
		pr_info("        present  %lu\n", zone->present_pages);
		pr_info("        managed  %lu\n", zone->managed_pages);
		pr_info("        reserved_highatomic %lu\n", READ_ONCE(zone->nr_reserved_highatomic));
		line_add(&l, "        protection: (");
		for (int j = 0; j < MAX_NR_ZONES; j++)
			line_add(&l, "%s%lu", j ? ", " : "", zone->lowmem_reserve[j]);
		line_add(&l, ")");
		line_print(&l);
		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			pr_info("      %-12s %lu\n", zone_stat_names[i], zone_page_state(zone, i));
		show_zone_pagesets(zone);
		pr_info("  start_pfn:           %lu\n", zone->zone_start_pfn);
	}
}

void show_vmstat(void)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		pr_info("%s %lu\n", zone_stat_names[i], global_zone_page_state(i));
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (vm_event_names[i])
			pr_info("%s %lu\n", vm_event_names[i], vm_event(i));
}

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

void show_meminfo(void)
{
	unsigned long free = nr_free_pages(), avail = free, wmark_low = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		wmark_low += low_wmark_pages(zone);
	/* Roughly what can be allocated without dipping into the reserves. */
	avail = free > wmark_low ? free - wmark_low : 0;
	pr_info("MemTotal:       %8lu kB\n", K(totalram_pages()));
	pr_info("MemFree:        %8lu kB\n", K(free));
	pr_info("MemAvailable:   %8lu kB\n", K(avail));
	pr_info("MemIsolated:    %8lu kB\n", K(global_zone_page_state(NR_FREE_ISOLATED)));
	pr_info("HardwareCorrupted: %5lu kB\n", K(global_zone_page_state(NR_BAD_PAGES) +
						  global_zone_page_state(NR_OFFLINE_PAGES)));
}

void show_mem(void)
{
	pr_info("Mem-Info:\n");
	show_meminfo();
	show_buddyinfo();
}
