// SPDX-License-Identifier: MIT
/*
 * Host tests of the buddy allocator: accounting at boot, split and merge, every order,
 * fallback stealing, watermarks, lowmem_reserve, isolation, highatomic, take/put off buddy,
 * zeroing. Each test boots a fresh allocator in its own process.
 */
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"

#define MOVABLE	(GFP_KERNEL | __GFP_MOVABLE)

/* before: boot. after: free == memory - reserved, to the page; checker clean; no WARN. */
HOST_TEST(boot_accounting)
{
	boot_simple(64 * MiB, NULL);
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), 0);
	EXPECT_TRUE(host_log_contains(": match"));
	EXPECT_TRUE(populated_zone(zone_of(ZONE_DMA)));
	EXPECT_TRUE(populated_zone(zone_of(ZONE_DMA32)));
	EXPECT_TRUE(!populated_zone(zone_of(ZONE_NORMAL)));
}

/*
 * before: a zone whose smallest movable block of order >= 0 has order k.
 * after alloc order 0: one block of order k fewer, one more of each order 0..k-1, and each
 * buddy pfn ^ 2^j (j < k) is a free block of order j. After free: the state is as before.
 */
HOST_TEST(split_and_merge)
{
	struct buddy_snapshot before, mid, after;
	struct page *page;
	unsigned long pfn;
	int t, k = -1;

	boot_simple(64 * MiB, NULL);
	buddy_snapshot(&before);
	page = alloc_pages(MOVABLE, 0);
	ASSERT_TRUE(page);
	pfn = page_to_pfn(page);
	t = page_zonenum(page);
	buddy_snapshot(&mid);
	for (int o = 0; o <= MAX_PAGE_ORDER; o++)
		if (mid.nr_free[t][o] + 1 == before.nr_free[t][o])
			k = o;
	ASSERT_TRUE(k >= 0);
	for (int o = 0; o < k; o++) {
		struct page *buddy = pfn_to_page(pfn ^ (1UL << o));

		EXPECT_EQ(mid.nr_free[t][o], before.nr_free[t][o] + 1);
		EXPECT_TRUE(PageBuddy(buddy));
		EXPECT_EQ(buddy_order(buddy), o);
	}
	EXPECT_EQ(page_count(page), 1);
	EXPECT_EQ(mm_check_invariants(), 0);
	__free_pages(page, 0);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* The worked example of mm/internal.h. */
HOST_TEST(buddy_arithmetic)
{
	EXPECT_EQ(__find_buddy_pfn(8, 1), 10);
	EXPECT_EQ(8 & __find_buddy_pfn(8, 1), 8);
	EXPECT_EQ(__find_buddy_pfn(10, 1), 8);
	EXPECT_EQ(__find_buddy_pfn(8, 3), 0);
}

HOST_TEST(every_order_allocatable)
{
	struct buddy_snapshot before, after;
	struct page *pages[MAX_PAGE_ORDER + 1];

	boot_simple(64 * MiB, NULL);
	buddy_snapshot(&before);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		pages[o] = alloc_pages(MOVABLE, o);
		ASSERT_TRUE(pages[o]);
		EXPECT_EQ(page_to_pfn(pages[o]) & ((1UL << o) - 1), 0);
		EXPECT_EQ(page_private(pages[o]), o);
	}
	EXPECT_EQ(alloc_pages(MOVABLE | __GFP_NOWARN, MAX_PAGE_ORDER + 1), NULL);
	EXPECT_EQ(mm_check_invariants(), 0);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		__free_pages(pages[o], o);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(warn_count(), 0);
}

/* Allocate order-0 pages until failure, chained through page->lru; then free them all. */
static unsigned long exhaust(gfp_t gfp, struct list_head *list)
{
	unsigned long n = 0;
	struct page *page;

	while ((page = alloc_pages(gfp | __GFP_NOWARN, 0))) {
		list_add(&page->lru, list);
		n++;
	}
	return n;
}

static void free_list_pages(struct list_head *list)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, list, lru) {
		list_del(&page->lru);
		__free_pages(page, 0);
	}
}

HOST_TEST(exhaust_zone_then_free_restores)
{
	struct buddy_snapshot before, after;
	LIST_HEAD(pages);
	struct zone *dma;
	unsigned long n;

	boot_simple(64 * MiB, NULL);
	dma = zone_of(ZONE_DMA);
	buddy_snapshot(&before);
	n = exhaust(GFP_DMA, &pages);
	EXPECT_GT(n, 1000);
	/* It stopped at the min watermark: what is left is at most min + 1 page. */
	EXPECT_LE(zone_page_state(dma, NR_FREE_PAGES), min_wmark_pages(dma) + 1);
	EXPECT_GE(zone_page_state(dma, NR_FREE_PAGES), min_wmark_pages(dma));
	EXPECT_EQ(mm_check_invariants(), 0);
	free_list_pages(&pages);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(mm_check_invariants(), 0);
}

HOST_TEST(gfp_zones)
{
	struct page *p;

	boot_simple(64 * MiB, NULL);
	p = alloc_pages(GFP_DMA, 0);
	ASSERT_TRUE(p);
	EXPECT_LT(page_to_phys(p), ARCH_ZONE_DMA_LIMIT);
	EXPECT_EQ(page_zonenum(p), ZONE_DMA);
	__free_pages(p, 0);
	p = alloc_pages(GFP_DMA32, 3);
	ASSERT_TRUE(p);
	EXPECT_LT(page_to_phys(p), ARCH_ZONE_DMA32_LIMIT);
	EXPECT_EQ(page_zonenum(p), ZONE_DMA32);	/* DMA32 comes before DMA in the fallback */
	__free_pages(p, 3);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/*
 * Watermarks. before: DMA exhausted down to min by GFP_DMA. after: GFP_DMA still fails,
 * GFP_DMA|__GFP_HIGH (ALLOC_HIGH: min / 2) succeeds until half of min is left, and
 * ALLOC_NO_WATERMARKS goes below that.
 */
HOST_TEST(watermarks)
{
	struct buddy_snapshot before, after;
	LIST_HEAD(pages);
	struct zone *dma;
	struct page *p;
	unsigned long min, n_high;

	boot_simple(64 * MiB, NULL);
	dma = zone_of(ZONE_DMA);
	min = min_wmark_pages(dma);
	EXPECT_GT(min, 4);
	EXPECT_EQ(low_wmark_pages(dma), min + max(min / 4, dma->managed_pages * 10 / 10000));
	EXPECT_GT(high_wmark_pages(dma), low_wmark_pages(dma));
	buddy_snapshot(&before);
	exhaust(GFP_DMA, &pages);
	EXPECT_EQ(alloc_pages(GFP_DMA | __GFP_NOWARN, 0), NULL);
	n_high = exhaust(GFP_DMA | __GFP_HIGH, &pages);
	EXPECT_GT(n_high, 0);
	EXPECT_LE(zone_page_state(dma, NR_FREE_PAGES), min - min / 2 + 1);
	p = __alloc_pages(GFP_DMA, 0, NUMA_NO_NODE, ALLOC_NO_WATERMARKS | ALLOC_SINGLE_PASS);
	EXPECT_TRUE(p);
	if (p)
		list_add(&p->lru, &pages);
	/* zone_watermark_ok() on its own. */
	EXPECT_TRUE(zone_watermark_ok(dma, 0, 100, ZONE_DMA, 0, 101));
	EXPECT_TRUE(!zone_watermark_ok(dma, 0, 100, ZONE_DMA, 0, 100));
	EXPECT_TRUE(zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HIGH, 51));
	EXPECT_TRUE(!zone_watermark_ok(dma, 0, 100, ZONE_DMA, ALLOC_HIGH, 50));
	free_list_pages(&pages);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), 0);
}

/* Failure warnings: printed without __GFP_NOWARN, rate-limited; not with it. */
HOST_TEST(alloc_failure_warning)
{
	LIST_HEAD(pages);

	boot_simple(64 * MiB, NULL);
	exhaust(GFP_DMA, &pages);
	host_log_clear();
	EXPECT_EQ(alloc_pages(GFP_DMA | __GFP_NOWARN, 0), NULL);
	EXPECT_TRUE(!host_log_contains("page allocation failure"));
	for (int i = 0; i < 50; i++)
		EXPECT_EQ(alloc_pages(GFP_DMA, 0), NULL);
	EXPECT_EQ(host_log_count("page allocation failure"), 10);
	EXPECT_GE(vm_event(PGALLOC_FAIL), 51);
	free_list_pages(&pages);
}

/* 5 GiB with the PCI hole: lowmem_reserve ratios, zones, and a hole that costs no memmap. */
HOST_TEST(lowmem_reserve_and_hole)
{
	static struct boot_info bi;
	struct zone *dma, *dma32, *normal;

	bi_reset(&bi);
	boot_add_memory(&bi, 0x1000, 0x9f000, BOOT_MEM_RAM);
	boot_add_memory(&bi, MiB, 3 * GiB - MiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, 4 * GiB, 2 * GiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, 0xfd00000000ULL, 0x300000000ULL, BOOT_MEM_RESERVED);
	boot_add_reserved(&bi, 0, MiB, BOOT_RSV_LOWMEM);
	boot_add_reserved(&bi, MiB, 2 * MiB, BOOT_RSV_KERNEL);
	boot_mm(&bi, NULL);
	dma = zone_of(ZONE_DMA);
	dma32 = zone_of(ZONE_DMA32);
	normal = zone_of(ZONE_NORMAL);
	EXPECT_EQ(normal->zone_start_pfn, PHYS_PFN(4 * GiB));
	EXPECT_EQ(normal->present_pages, PHYS_PFN(2 * GiB));
	EXPECT_EQ(dma32->lowmem_reserve[ZONE_NORMAL], normal->managed_pages / 256);
	EXPECT_EQ(dma->lowmem_reserve[ZONE_DMA32], dma32->managed_pages / 256);
	EXPECT_EQ(dma->lowmem_reserve[ZONE_NORMAL],
		  (dma32->managed_pages + normal->managed_pages) / 256);
	EXPECT_EQ(dma32->lowmem_reserve[ZONE_DMA32], 0);
	/* 24 sections of RAM below 3 GiB and 16 above 4 GiB; the 1 GiB hole costs nothing. */
	EXPECT_EQ(memmap_bytes(), 40UL * PAGES_PER_SECTION * sizeof(struct page));
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));
	/* GFP_KERNEL comes from Normal first. */
	{
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		ASSERT_TRUE(p);
		EXPECT_EQ(page_zonenum(p), ZONE_NORMAL);
		__free_pages(p, 0);
	}
	/* DMA32 keeps lowmem_reserve from GFP_KERNEL: its watermark check includes it. */
	EXPECT_TRUE(!zone_watermark_ok(dma32, 0, min_wmark_pages(dma32), ZONE_NORMAL, 0,
				       (long)(min_wmark_pages(dma32) +
					      dma32->lowmem_reserve[ZONE_NORMAL])));
	EXPECT_TRUE(zone_watermark_ok(dma32, 0, min_wmark_pages(dma32), ZONE_DMA32, 0,
				      (long)(min_wmark_pages(dma32) +
					     dma32->lowmem_reserve[ZONE_NORMAL])));
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), 0);
}

/*
 * Fallback stealing. before: every pageblock is Movable (boot). after an unmovable
 * allocation: one pageblock claimed whole for Unmovable, its free pages moved along.
 */
HOST_TEST(fallback_steals_whole_block)
{
	struct zone *zone;
	struct page *p, *q;
	unsigned long steals = vm_event(PGSTEAL_BLOCK);

	boot_simple(64 * MiB, NULL);
	zone = zone_of(ZONE_DMA32);
	EXPECT_EQ(count_blocks(zone, MIGRATE_UNMOVABLE), 0);
	p = alloc_pages(GFP_KERNEL, 0);
	ASSERT_TRUE(p);
	EXPECT_EQ(page_zonenum(p), ZONE_DMA32);
	EXPECT_EQ(get_pageblock_migratetype(p), MIGRATE_UNMOVABLE);
	EXPECT_GE(vm_event(PGSTEAL_BLOCK), steals + 1);
	EXPECT_GE(count_blocks(zone, MIGRATE_UNMOVABLE), 1);
	EXPECT_EQ(mm_check_invariants(), 0);
	/* The next unmovable page comes from the claimed block: no new steal. */
	steals = vm_event(PGSTEAL_BLOCK);
	q = alloc_pages(GFP_KERNEL, 0);
	ASSERT_TRUE(q);
	EXPECT_EQ(vm_event(PGSTEAL_BLOCK), steals);
	EXPECT_EQ(get_pageblock_migratetype(q), MIGRATE_UNMOVABLE);
	/* Movable allocations stay out of it while Movable blocks have pages. */
	{
		struct page *m = alloc_pages(MOVABLE, 0);

		ASSERT_TRUE(m);
		EXPECT_EQ(get_pageblock_migratetype(m), MIGRATE_MOVABLE);
		__free_pages(m, 0);
	}
	__free_pages(q, 0);
	__free_pages(p, 0);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* A small movable request must not claim a foreign block; it borrows without retyping. */
HOST_TEST(fallback_small_movable_borrows)
{
	struct zone *zone;
	LIST_HEAD(pages);
	struct page *p;
	unsigned long movable_blocks;

	boot_simple(64 * MiB, NULL);
	zone = zone_of(ZONE_DMA32);
	/* Turn every DMA32 pageblock unmovable: allocate order-9 unmovable blocks, free them. */
	while ((p = alloc_pages(GFP_DMA32 | __GFP_NOWARN, pageblock_order)))
		list_add(&p->lru, &pages);
	{
		struct page *pg, *tmp;

		list_for_each_entry_safe(pg, tmp, &pages, lru) {
			list_del(&pg->lru);
			__free_pages(pg, pageblock_order);
		}
	}
	movable_blocks = count_blocks(zone, MIGRATE_MOVABLE);
	EXPECT_EQ(mm_check_invariants(), 0);
	/* Exhaust the DMA zone's movable pages so a movable request must borrow... in DMA32. */
	p = alloc_pages(GFP_DMA32 | __GFP_MOVABLE, 0);
	ASSERT_TRUE(p);
	if (get_pageblock_migratetype(p) != MIGRATE_MOVABLE)
		EXPECT_EQ(count_blocks(zone, MIGRATE_MOVABLE), movable_blocks);
	__free_pages(p, 0);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/*
 * Isolation. before: an allocated pageblock-sized block X. after isolating its pageblock:
 * nothing is allocated from it, X freed lands on the isolate list, the range tests isolated;
 * after undo the free lists are exactly as before X was allocated.
 */
HOST_TEST(isolation)
{
	struct buddy_snapshot before, after;
	struct zone *zone;
	struct page *x;
	unsigned long start, free_before;

	boot_simple(64 * MiB, NULL);
	zone = zone_of(ZONE_DMA32);
	buddy_snapshot(&before);
	x = alloc_pages(MOVABLE | GFP_DMA32, pageblock_order);
	ASSERT_TRUE(x);
	start = page_to_pfn(x);
	free_before = zone_page_state(zone, NR_FREE_PAGES);

	EXPECT_EQ(start_isolate_page_range(start + 1, start + pageblock_nr_pages,
					   MIGRATE_MOVABLE), -EINVAL);
	EXPECT_EQ(start_isolate_page_range(start, start + pageblock_nr_pages, MIGRATE_MOVABLE), 0);
	EXPECT_EQ(get_pageblock_migratetype(x), MIGRATE_ISOLATE);
	EXPECT_EQ(zone_page_state(zone, NR_FREE_ISOLATED), 0);
	EXPECT_EQ(zone_page_state(zone, NR_FREE_PAGES), free_before);
	EXPECT_EQ(test_pages_isolated(start, start + pageblock_nr_pages), -EBUSY);
	EXPECT_EQ(start_isolate_page_range(start, start + pageblock_nr_pages, MIGRATE_MOVABLE),
		  -EBUSY);
	EXPECT_EQ(mm_check_invariants(), 0);

	/* X freed into the isolated block lands on the isolate list, unmerged. */
	__free_pages(x, pageblock_order);
	EXPECT_EQ(zone_page_state(zone, NR_FREE_ISOLATED), pageblock_nr_pages);
	EXPECT_EQ(zone_page_state(zone, NR_FREE_PAGES), free_before);
	EXPECT_EQ(test_pages_isolated(start, start + pageblock_nr_pages), 0);
	EXPECT_EQ(mm_check_invariants(), 0);

	/* Nothing is allocated from the isolated block, even order 9 requests. */
	for (int i = 0; i < 200; i++) {
		struct page *q = alloc_pages(MOVABLE | GFP_DMA32, i % 10);

		ASSERT_TRUE(q);
		EXPECT_NE(ALIGN_DOWN(page_to_pfn(q), pageblock_nr_pages), start);
		__free_pages(q, i % 10);
	}

	undo_isolate_page_range(start, start + pageblock_nr_pages, MIGRATE_MOVABLE);
	EXPECT_EQ(zone_page_state(zone, NR_FREE_ISOLATED), 0);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* Isolating one pageblock of a free order-10 block splits it; undo merges it back. */
HOST_TEST(isolation_splits_large_free_block)
{
	struct buddy_snapshot before, after;
	struct zone *zone;
	struct page *x;
	unsigned long start;

	boot_simple(64 * MiB, NULL);
	zone = zone_of(ZONE_DMA32);
	x = alloc_pages(MOVABLE | GFP_DMA32, MAX_PAGE_ORDER);
	ASSERT_TRUE(x);
	start = page_to_pfn(x);
	__free_pages(x, MAX_PAGE_ORDER);
	buddy_snapshot(&before);
	EXPECT_EQ(start_isolate_page_range(start + pageblock_nr_pages,
					   start + 2 * pageblock_nr_pages, MIGRATE_MOVABLE), 0);
	EXPECT_EQ(zone_page_state(zone, NR_FREE_ISOLATED), pageblock_nr_pages);
	EXPECT_EQ(test_pages_isolated(start + pageblock_nr_pages,
				      start + 2 * pageblock_nr_pages), 0);
	EXPECT_EQ(mm_check_invariants(), 0);
	undo_isolate_page_range(start + pageblock_nr_pages, start + 2 * pageblock_nr_pages,
				MIGRATE_MOVABLE);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(mm_check_invariants(), 0);
}

HOST_TEST(highatomic_reserve_and_unreserve)
{
	struct buddy_snapshot before, after;
	struct zone *zone;
	struct page *p;

	boot_simple(64 * MiB, NULL);
	zone = zone_of(ZONE_DMA32);
	buddy_snapshot(&before);
	p = __alloc_pages(GFP_ATOMIC | GFP_DMA32, 1, NUMA_NO_NODE,
			  ALLOC_SINGLE_PASS | ALLOC_WMARK_MIN | ALLOC_HIGH | ALLOC_HIGHATOMIC);
	ASSERT_TRUE(p);
	EXPECT_EQ(get_pageblock_migratetype(p), MIGRATE_HIGHATOMIC);
	EXPECT_EQ(zone->nr_reserved_highatomic, pageblock_nr_pages);
	EXPECT_EQ(count_blocks(zone, MIGRATE_HIGHATOMIC), 1);
	EXPECT_EQ(mm_check_invariants(), 0);
	/* Ordinary allocations leave the reserve alone. */
	for (int i = 0; i < 300; i++) {
		struct page *q = alloc_pages(MOVABLE | GFP_DMA32, 0);

		ASSERT_TRUE(q);
		EXPECT_NE(get_pageblock_migratetype(q), MIGRATE_HIGHATOMIC);
		__free_pages(q, 0);
	}
	/* The next highatomic request is served from the reserve. */
	{
		struct page *q = __alloc_pages(GFP_ATOMIC | GFP_DMA32, 1, NUMA_NO_NODE,
					       ALLOC_SINGLE_PASS | ALLOC_HIGH | ALLOC_HIGHATOMIC);

		ASSERT_TRUE(q);
		EXPECT_EQ(ALIGN_DOWN(page_to_pfn(q), pageblock_nr_pages),
			  ALIGN_DOWN(page_to_pfn(p), pageblock_nr_pages));
		__free_pages(q, 1);
	}
	__free_pages(p, 1);
	/* Keeps the last block unless forced. */
	EXPECT_TRUE(!unreserve_highatomic_pageblock(zone, MIGRATE_MOVABLE, false));
	EXPECT_TRUE(unreserve_highatomic_pageblock(zone, MIGRATE_MOVABLE, true));
	EXPECT_EQ(zone->nr_reserved_highatomic, 0);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* When everything else is gone, the allocator gives the highatomic reserve back and succeeds. */
HOST_TEST(highatomic_unreserved_when_needed)
{
	LIST_HEAD(pages);
	struct zone *dma;
	struct page *p;

	boot_simple(64 * MiB, NULL);
	dma = zone_of(ZONE_DMA);
	p = __alloc_pages(GFP_ATOMIC | GFP_DMA, 0, NUMA_NO_NODE,
			  ALLOC_SINGLE_PASS | ALLOC_HIGH | ALLOC_HIGHATOMIC);
	ASSERT_TRUE(p);
	__free_pages(p, 0);
	/* order 0 requests never reserve (only order > 0 via gfp); reserve by hand: */
	reserve_highatomic_pageblock(p, 0, dma);
	EXPECT_EQ(dma->nr_reserved_highatomic, pageblock_nr_pages);
	exhaust(GFP_DMA | __GFP_HIGH, &pages);
	EXPECT_EQ(dma->nr_reserved_highatomic, 0);
	EXPECT_GE(vm_event(HIGHATOMIC_UNRESERVE), 1);
	EXPECT_EQ(mm_check_invariants(), 0);
	free_list_pages(&pages);
	EXPECT_EQ(mm_check_invariants(), 0);
}

HOST_TEST(take_page_off_buddy_and_back)
{
	struct buddy_snapshot before, after;
	struct zone *zone;
	struct page *page;
	unsigned long pfn;

	boot_simple(64 * MiB, NULL);
	zone = zone_of(ZONE_DMA32);
	buddy_snapshot(&before);
	pfn = zone->zone_start_pfn + 3 * MAX_ORDER_NR_PAGES + 37;
	page = pfn_to_page(pfn);
	ASSERT_TRUE(take_page_off_buddy(page));
	EXPECT_TRUE(PageHWPoison(page));
	EXPECT_EQ(nr_free_pages(), before.free_pages - 1);
	EXPECT_TRUE(!take_page_off_buddy(page));
	EXPECT_EQ(mm_check_invariants(), 0);
	for (int i = 0; i < 2000; i++) {
		struct page *q = alloc_pages(MOVABLE | GFP_DMA32, 0);

		ASSERT_TRUE(q);
		EXPECT_NE(page_to_pfn(q), pfn);
		list_add(&q->lru, &zone->free_area[0].free_list[0]);	/* placeholder */
		list_del(&q->lru);
		__free_pages(q, 0);
	}
	ASSERT_TRUE(put_page_back_buddy(page));
	EXPECT_TRUE(!PageHWPoison(page));
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(mm_check_invariants(), 0);
}

HOST_TEST(zeroed_pages)
{
	unsigned long addr;
	struct page *p;

	boot_simple(64 * MiB, NULL);
	p = alloc_pages(MOVABLE, 2);
	ASSERT_TRUE(p);
	memset(page_address(p), 0x5a, 4 * PAGE_SIZE);
	__free_pages(p, 2);
	p = alloc_pages(MOVABLE | __GFP_ZERO, 2);
	ASSERT_TRUE(p);
	for (unsigned long i = 0; i < 4 * PAGE_SIZE; i++)
		if (((unsigned char *)page_address(p))[i]) {
			EXPECT_EQ(i, -1);
			break;
		}
	__free_pages(p, 2);
	addr = get_zeroed_page(GFP_KERNEL);
	ASSERT_TRUE(addr);
	EXPECT_EQ(*(unsigned long *)addr, 0);
	EXPECT_EQ(virt_to_page((void *)addr)->_refcount, 1);
	free_page(addr);
	addr = __get_free_pages(GFP_KERNEL, 3);
	ASSERT_TRUE(addr);
	free_pages(addr, 3);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), 0);
}
