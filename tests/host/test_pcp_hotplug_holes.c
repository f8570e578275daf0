// SPDX-License-Identifier: MIT
/*
 * Holes between CPU hotplug and pageblock ownership, each found by reading the code and
 * pinned here by a scenario that broke the allocator before its fix (mm/pcp.c, pcp_drain.c).
 */
#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "mm/internal.h"

#define NCPUS	4

/*
 * A CPU goes offline owning a block none of whose pages is free: CPU 2 takes a whole owned
 * pageblock (one order-9 allocation after its refill claimed it) and hands it to CPU 0.
 *	before: CPU 2 owns the block, nr_free 0, pcp->count 0
 *	after pcp_cpu_dead(2): no owner, not on CPU 2's owned_blocks, no WARN
 * CPU 0 then frees it and CPU 1 allocates until it claims blocks; this must never relink
 * an entry still on the dead CPU's list. Repeated, as the scenario that corrupted it was.
 */
HOST_TEST(pcp_dead_cpu_releases_fully_allocated_block)
{
	struct zone *zone;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=owner");
	zone = zone_of(ZONE_DMA32);
	for (int round = 0; round < 3; round++) {
		unsigned long warns = warn_count();
		struct page *block, *p;
		unsigned long pfn, idx, got = 0;

		host_set_cpu(2);
		block = alloc_pages(GFP_KERNEL, pageblock_order);
		ASSERT_TRUE(block != NULL);
		pfn = page_to_pfn(block);
		idx = pageblock_idx(zone, pfn);
		EXPECT_EQ(pageblock_owner_read(zone, idx), 2);
		EXPECT_EQ(zone->pageblock_owner[idx].nr_free, 0);

		host_set_cpu(3);
		pcp_cpu_dead(2);
		EXPECT_EQ(warn_count(), warns);
		EXPECT_EQ(pageblock_owner_read(zone, idx), PB_NO_OWNER);
		EXPECT_EQ(zone_pcp(zone, 2)->nr_owned_blocks, 0);
		EXPECT_TRUE(list_empty(&zone_pcp(zone, 2)->owned_blocks));

		host_set_cpu(0);
		__free_pages(block, pageblock_order);
		EXPECT_EQ(mm_check_invariants(), 0);

		/* CPU 1 claims blocks until it owns the one CPU 2 had (or memory runs out). */
		host_set_cpu(1);
		struct page *held[64];
		unsigned int n = 0;

		while (n < 64 && pageblock_owner_read(zone, idx) != 1 &&
		       (p = alloc_pages(GFP_KERNEL, pageblock_order)) != NULL) {
			held[n++] = p;
			got++;
		}
		EXPECT_EQ(pageblock_owner_read(zone, idx), 1);
		EXPECT_EQ(mm_check_invariants(), 0);
		while (n)
			__free_pages(held[--n], pageblock_order);
		host_set_cpu(3);
		pcp_cpu_online(2);
		host_set_cpu(0);
		drain_all_pages(NULL);
		EXPECT_EQ(mm_check_invariants(), 0);
		(void)got;
	}
}
