// SPDX-License-Identifier: MIT
/*
 * `numa`: the nodes as numactl --hardware shows them: how many, each node's CPUs, size and
 * free memory, then the distance table. Sizes are the RAM of the node's ranges
 * (numa_info, kernel/numa.h). The allocator has one node yet (mm/mmzone.h), so a node's free
 * figure is counted from the zones' buddy free lists: the free pages whose pfns lie in the
 * node's ranges. Like MemFree (NR_FREE_PAGES), it leaves out pages cached on per-CPU lists
 * and isolated blocks, so the nodes' free figures add up to MemFree.
 *
 * Locking: takes each populated zone's lock in turn (guard) while walking its free lists,
 * with interrupts off for that walk; numa_info is (c). Boot CPU or whichever runs the shell.
 */
#include "kernel/shell.h"
#include "kernel/numa.h"
#include "kernel/printk.h"
#include "mm/mmzone.h"
#include "mm/page.h"

/* Add the pages of free block [pfn, pfn + nr) to the nodes whose ranges hold them. */
static void count_block(unsigned long pfn, unsigned long nr, unsigned long *free)
{
	u64 start = PFN_PHYS(pfn), end = PFN_PHYS(pfn + nr);

	for (unsigned int i = 0; i < numa_info.nr_blks; i++) {
		const struct numa_memblk *b = &numa_info.blks[i];
		u64 lo = max_t(u64, start, b->base), hi = min_t(u64, end, b->base + b->size);

		if (lo < hi)
			free[b->nid] += (unsigned long)((hi - lo) >> PAGE_SHIFT);
	}
}

/* Free pages per node, zone by zone, each under its zone lock. */
static void node_free_pages(unsigned long *free)
{
	for (unsigned int nid = 0; nid < MAX_NUMNODES; nid++) {
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (!populated_zone(zone))
				continue;
			guard(zone_lock_irqsave)(zone);
			for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					struct page *page;

					if (mt == MIGRATE_ISOLATE)
						continue;
					list_for_each_entry(page, &zone->free_area[order].free_list[mt],
							    lru)
						count_block(page_to_pfn(page), 1UL << order, free);
				}
			}
		}
	}
}

/* "0-1", "0,2": the node ids of a mask. */
static void node_list(u64 mask, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int nid = 0; nid < NUMA_MAX_NODES; nid++) {
		if (!(mask & (1ULL << nid)))
			continue;
		int last = nid;

		while (last + 1 < NUMA_MAX_NODES && (mask & (1ULL << (last + 1))))
			last++;
		if (last == nid)
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%d", n ? "," : "", nid);
		else
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%d-%d", n ? "," : "",
				      nid, last);
		nid = last;
	}
}

static unsigned long numa_free[NUMA_MAX_NODES];	/* the shell runs on one CPU at a time */

static int cmd_numa(int argc, char **argv)
{
	const struct numa_info *ni = &numa_info;
	char buf[8 + 4 * NUMA_MAX_NODES];
	size_t n;
	int nid, to;

	if (argc != 1)
		return SHELL_EUSAGE;
	for (nid = 0; nid < NUMA_MAX_NODES; nid++)
		numa_free[nid] = 0;
	node_free_pages(numa_free);
	node_list(ni->node_mask, buf, sizeof(buf));
	printk("available: %u nodes (%s)\n", ni->nr_nodes, buf);
	for_each_numa_node(nid, ni) {
		numa_cpulist(&ni->nodes[nid].cpus, true, buf, sizeof(buf));
		printk("node %d cpus: %s\n", nid, cpumask_empty(&ni->nodes[nid].cpus) ? "" : buf);
		printk("node %d size: %llu MiB\n", nid,
		       (unsigned long long)(ni->nodes[nid].present_bytes >> 20));
		printk("node %d free: %lu MiB\n", nid, numa_free[nid] >> (20 - PAGE_SHIFT));
	}
	printk("node distances:\n");
	n = snprintf(buf, sizeof(buf), "node");
	for_each_numa_node(to, ni)
		n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, " %3d", to);
	printk("%s\n", buf);
	for_each_numa_node(nid, ni) {
		n = snprintf(buf, sizeof(buf), "%3d:", nid);
		for_each_numa_node(to, ni)
			n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, " %3u",
				      ni->distance[nid][to]);
		printk("%s\n", buf);
	}
	if (!ni->source)
		printk("(no NUMA description from the firmware: one node)\n");
	return 0;
}
SHELL_COMMAND(numa, "NUMA nodes: CPUs, size, free memory, distances (numactl --hardware)",
	      cmd_numa);
