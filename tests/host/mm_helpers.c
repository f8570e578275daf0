// SPDX-License-Identifier: MIT
/* Helpers for host tests of mm/ (see mm_helpers.h). */
#include <stdio.h>
#include <string.h>

#include "tests/host/mm_helpers.h"

void bi_reset(struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->console_device = -1;
}

void boot_mm(struct boot_info *bi, const char *cmdline)
{
	phys_addr_t end = 0;

	for (unsigned int i = 0; i < bi->nr_memory; i++) {
		const struct boot_range *r = &bi->memory[i];

		if (r->type == BOOT_MEM_RAM && r->base + r->size > end && r->base < (1ULL << 40))
			end = r->base + r->size;
	}
	static char line[512];

	/*
	 * The buddy tests look at exact free-list changes: per-CPU pages would hide them, so a
	 * test runs with pcp=off unless it says otherwise (the PCP tests do: test_pcp.c).
	 */
	snprintf(line, sizeof(line), "%s%s", cmdline ? cmdline : "",
		 cmdline && strstr(cmdline, "pcp=") ? "" : " pcp=off");
	host_set_cmdline(line);
	host_mem_map(ALIGN_UP(end, SECTION_SIZE));
	memblock_init(bi);
	mm_core_init();
}

void boot_simple(unsigned long long size, const char *cmdline)
{
	static struct boot_info bi;

	bi_reset(&bi);
	boot_add_memory(&bi, 0x1000, 0x9f000, BOOT_MEM_RAM);
	boot_add_memory(&bi, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
	boot_add_memory(&bi, MiB, size - MiB, BOOT_MEM_RAM);
	boot_add_reserved(&bi, 0, MiB, BOOT_RSV_LOWMEM);
	boot_add_reserved(&bi, MiB, 2 * MiB, BOOT_RSV_KERNEL);
	boot_mm(&bi, cmdline);
}

void buddy_snapshot(struct buddy_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *zone = &NODE_DATA(0)->node_zones[t];

		if (!populated_zone(zone))
			continue;
		guard(zone_lock_irqsave)(zone);
		for (int o = 0; o <= MAX_PAGE_ORDER; o++)
			s->nr_free[t][o] = zone->free_area[o].nr_free;
	}
	s->free_pages = nr_free_pages();
}

bool buddy_snapshot_equal(const struct buddy_snapshot *a, const struct buddy_snapshot *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

void buddy_snapshot_print(const char *what, const struct buddy_snapshot *s)
{
	fprintf(stderr, "%s: free %lu\n", what, s->free_pages);
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		fprintf(stderr, "  zone %d:", t);
		for (int o = 0; o <= MAX_PAGE_ORDER; o++)
			fprintf(stderr, " %lu", s->nr_free[t][o]);
		fprintf(stderr, "\n");
	}
}

struct zone *zone_of(enum zone_type t)
{
	return &NODE_DATA(0)->node_zones[t];
}

unsigned long count_blocks(struct zone *zone, int mt)
{
	unsigned long n = 0;

	guard(zone_lock_irqsave)(zone);
	for (unsigned long i = 0; i < zone->nr_pageblocks; i++)
		if ((zone->pageblock_flags[i] & 7) == mt)
			n++;
	return n;
}

unsigned long pcp_pages_everywhere(void)
{
	struct zone *zone;
	unsigned long n = 0;

	for_each_zone(zone) {
		if (!populated_zone(zone) || !zone->per_cpu_pageset)
			continue;
		for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
			struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

			n += __atomic_load_n(&pcp->count, __ATOMIC_RELAXED);
			for (struct llist_node *l = __atomic_load_n(&pcp->free_llist.first,
								    __ATOMIC_ACQUIRE); l; l = l->next)
				n += 1UL << page_private(llist_entry(l, struct page, pcp_llist));
		}
		for (struct llist_node *l = __atomic_load_n(&zone->deferred_free.first,
							    __ATOMIC_ACQUIRE); l; l = l->next)
			n += 1UL << page_private(llist_entry(l, struct page, pcp_llist));
	}
	return n;
}
