// SPDX-License-Identifier: MIT
/*
 * Randomized test against a reference model: random allocations and frees of random orders,
 * migratetypes and zones. The model is a bitmap of allocated pfns: after every step no two
 * live blocks overlap and none lies on a free list, and free + allocated pages add up to what
 * boot freed; mm_check_invariants() runs every 16 steps. After freeing everything (and giving
 * back any highatomic reserve) the free lists are exactly as at boot: full coalescing.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"

#define STEPS		20000
#define MAX_LIVE	2048

static unsigned char *allocated;	/* one byte per pfn: the model */

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC,
	GFP_DMA, GFP_DMA32 | __GFP_MOVABLE, GFP_NOWAIT, GFP_ATOMIC | __GFP_RECLAIMABLE,
};

static void run_random(unsigned int seed, unsigned long long mem)
{
	struct page *live[MAX_LIVE];
	unsigned int order[MAX_LIVE], nr = 0;
	unsigned long live_pages = 0, boot_free;
	struct buddy_snapshot boot, end;

	srand(seed);
	boot_simple(mem, NULL);
	buddy_snapshot(&boot);
	boot_free = nr_free_pages();
	allocated = calloc(PHYS_PFN(mem), 1);
	for (int step = 0; step < STEPS; step++) {
		bool do_alloc = nr == 0 || (nr < MAX_LIVE && rand() % 100 < 55);

		if (do_alloc) {
			/* Small orders mostly: order = ctz of a random number, capped. */
			unsigned int o = (unsigned int)__builtin_ctz(rand() | 0x400);
			struct page *p = alloc_pages(gfps[rand() % 8] | __GFP_NOWARN, o);
			unsigned long pfn;

			if (!p)
				continue;
			pfn = page_to_pfn(p);
			ASSERT_EQ(pfn & ((1UL << o) - 1), 0);
			for (unsigned long i = 0; i < (1UL << o); i++) {
				ASSERT_EQ(allocated[pfn + i], 0);	/* no overlap */
				ASSERT_TRUE(!PageBuddy(p + i));
				allocated[pfn + i] = 1;
			}
			live[nr] = p;
			order[nr++] = o;
			live_pages += 1UL << o;
		} else {
			unsigned int k = (unsigned int)rand() % nr;
			unsigned long pfn = page_to_pfn(live[k]);

			for (unsigned long i = 0; i < (1UL << order[k]); i++)
				allocated[pfn + i] = 0;
			live_pages -= 1UL << order[k];
			__free_pages(live[k], order[k]);
			live[k] = live[--nr];
			order[k] = order[nr];
		}
		ASSERT_EQ(nr_free_pages() + live_pages + global_zone_page_state(NR_FREE_ISOLATED),
			  boot_free);
		if (step % 16 == 0)
			ASSERT_EQ(mm_check_invariants(), 0);
	}
	while (nr--)
		__free_pages(live[nr], order[nr]);
	for (int t = 0; t < MAX_NR_ZONES; t++)
		if (populated_zone(zone_of(t)))
			while (unreserve_highatomic_pageblock(zone_of(t), MIGRATE_MOVABLE, true))
				;
	EXPECT_EQ(mm_check_invariants(), 0);
	buddy_snapshot(&end);
	if (!buddy_snapshot_equal(&boot, &end)) {
		buddy_snapshot_print("boot", &boot);
		buddy_snapshot_print("end", &end);
		EXPECT_TRUE(buddy_snapshot_equal(&boot, &end));
	}
	EXPECT_EQ(nr_free_pages(), boot_free);
	EXPECT_EQ(warn_count(), 0);
	free(allocated);
}

HOST_TEST(random_vs_model_64m_seed1)
{
	run_random(1, 64 * MiB);
}

HOST_TEST(random_vs_model_64m_seed2)
{
	run_random(2, 64 * MiB);
}

/* Small memory: allocations fail often, watermarks, fallback and highatomic get exercised. */
HOST_TEST(random_vs_model_24m_pressure)
{
	run_random(3, 24 * MiB);
}
