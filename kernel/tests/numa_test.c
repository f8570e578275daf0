// SPDX-License-Identifier: MIT
/*
 * ktest suite `numa`: what numa_init() built is whole, whatever the firmware said, so that
 * the allocator by node can take it as it is.
 *
 * ram_in_exactly_one_node: the node ranges are sorted, disjoint, inside RAM, and add up to
 * all of memblock's RAM: every page has exactly one node.
 * cpus_in_exactly_one_node: every possible CPU is in the node cpu_node[] names, in no other,
 * and that node exists; every existing node has CPUs or memory.
 * distances_sane: between existing nodes, 10 to itself, more than 10 to any other, the same
 * both ways.
 * Cheap (a few hundred comparisons), so ktest=all runs it on every boot of the matrix.
 */
#include "kernel/ktest.h"
#include "kernel/numa.h"
#include "kernel/cpumask.h"
#include "mm/memblock.h"

static void ram_in_exactly_one_node(struct ktest *t)
{
	const struct numa_info *ni = &numa_info;
	phys_addr_t sum = 0, outside = 0;

	for (unsigned int i = 0; i < ni->nr_blks; i++) {
		const struct numa_memblk *b = &ni->blks[i];

		KT_EXPECT_GT(t, b->size, 0);
		KT_EXPECT_TRUE(t, ni->node_mask & (1ULL << b->nid));
		if (i)
			KT_EXPECT_LE(t, ni->blks[i - 1].base + ni->blks[i - 1].size, b->base);
		if (!memblock_is_memory(b->base, b->size))
			outside += b->size;
		sum += b->size;
	}
	ktest_log(t, "%u nodes, %u ranges, %llu bytes", ni->nr_nodes, ni->nr_blks,
		  (unsigned long long)sum);
	KT_EXPECT_EQ(t, outside, 0);
	KT_EXPECT_EQ(t, sum, memblock_phys_mem_size());
}

static void cpus_in_exactly_one_node(struct ktest *t)
{
	const struct numa_info *ni = &numa_info;
	unsigned int cpu, misplaced = 0;
	int nid;

	for_each_possible_cpu(cpu) {
		int home = numa_cpu_to_node(cpu);

		KT_EXPECT_TRUE(t, home >= 0 && home < NUMA_MAX_NODES &&
			       (ni->node_mask & (1ULL << home)));
		for_each_numa_node(nid, ni)
			misplaced += cpumask_test_cpu(cpu, &ni->nodes[nid].cpus) != (nid == home);
	}
	KT_EXPECT_EQ(t, misplaced, 0);
	for_each_numa_node(nid, ni)
		KT_EXPECT_TRUE(t, ni->nodes[nid].present_bytes ||
			       !cpumask_empty(&ni->nodes[nid].cpus));
	KT_EXPECT_EQ(t, ni->nr_nodes, (unsigned int)__builtin_popcountll(ni->node_mask));
}

static void distances_sane(struct ktest *t)
{
	const struct numa_info *ni = &numa_info;
	unsigned int bad = 0;
	int a, b;

	for_each_numa_node(a, ni) {
		for_each_numa_node(b, ni) {
			unsigned int d = numa_node_distance(a, b);

			if (a == b ? d != LOCAL_DISTANCE :
			    d <= LOCAL_DISTANCE || d != numa_node_distance(b, a)) {
				if (!bad)
					ktest_log(t, "node %d to node %d: %u", a, b, d);
				bad++;
			}
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
}

static struct ktest_case numa_cases[] = {
	KTEST_CASE(ram_in_exactly_one_node),
	KTEST_CASE(cpus_in_exactly_one_node),
	KTEST_CASE(distances_sane),
	{ 0 },
};
KTEST_SUITE(numa, numa_cases);
