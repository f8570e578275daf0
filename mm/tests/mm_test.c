// SPDX-License-Identifier: MIT
/*
 * ktest suite `mm`: the page allocator on the real machine (ktest=mm). Each case leaves the
 * allocator as it found it (except the bad-free cases, whose victims stay out of circulation
 * by design) and checks mm_check_invariants() at the end.
 */
#include "kernel/ktest.h"
#include "kernel/bug.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"
#include "mm/pcp.h"
#include "mm/compaction.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"

#define MOVABLE	(GFP_KERNEL | __GFP_MOVABLE)

/* The lowest zone's gfp flag: DMA where the arch has it, DMA32 otherwise. */
#if ARCH_HAS_ZONE_DMA
#define LOWEST_GFP	GFP_DMA
#define LOWEST_ZONE	ZONE_DMA
#else
#define LOWEST_GFP	GFP_DMA32
#define LOWEST_ZONE	ZONE_DMA32
#endif

struct snapshot {
	unsigned long nr_free[MAX_NR_ZONES][MAX_PAGE_ORDER + 1];
};

static void snapshot(struct snapshot *s)
{
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *zone = &NODE_DATA(0)->node_zones[t];

		guard(zone_lock_irqsave)(zone);
		for (int o = 0; o <= MAX_PAGE_ORDER; o++)
			s->nr_free[t][o] = populated_zone(zone) ? zone->free_area[o].nr_free : 0;
	}
}

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

static void free_all(struct list_head *list)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, list, lru) {
		list_del(&page->lru);
		__free_pages(page, 0);
	}
}

/* before: a fresh zone. after: exhausted at order 0, then all freed: buddyinfo identical. */
static void mm_exhaust_zone_restores_buddyinfo(struct ktest *t)
{
	struct snapshot before, after;
	LIST_HEAD(pages);
	struct zone *zone = &NODE_DATA(0)->node_zones[LOWEST_ZONE];
	unsigned long n;

	snapshot(&before);
	n = exhaust(LOWEST_GFP, &pages);
	ktest_log(t, "allocated %lu order-0 pages from %s", n, zone->name);
	KT_EXPECT_GT(t, n, 0);
	KT_EXPECT_LE(t, zone_page_state(zone, NR_FREE_PAGES), min_wmark_pages(zone) + 1);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	free_all(&pages);
	snapshot(&after);
	KT_EXPECT_EQ(t, memcmp(&before, &after, sizeof(before)), 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

static void mm_every_order_allocatable(struct ktest *t)
{
	struct page *pages[MAX_PAGE_ORDER + 1];

	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		pages[o] = alloc_pages(MOVABLE, o);
		KT_ASSERT_NOT_NULL(t, pages[o]);
		KT_EXPECT_EQ(t, page_to_pfn(pages[o]) & ((1UL << o) - 1), 0);
	}
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		__free_pages(pages[o], o);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

static void mm_gfp_zones(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_DMA32, 0);

	KT_ASSERT_NOT_NULL(t, p);
	KT_EXPECT_LT(t, page_to_phys(p), ARCH_ZONE_DMA32_LIMIT);
	__free_pages(p, 0);
#if ARCH_HAS_ZONE_DMA
	p = alloc_pages(GFP_DMA, 0);
	KT_ASSERT_NOT_NULL(t, p);
	KT_EXPECT_LT(t, page_to_phys(p), ARCH_ZONE_DMA_LIMIT);
	KT_EXPECT_EQ(t, page_zonenum(p), ZONE_DMA);
	__free_pages(p, 0);
#endif
	p = alloc_pages(GFP_DMA | __GFP_ZERO, 1);
	KT_ASSERT_NOT_NULL(t, p);
	KT_EXPECT_EQ(t, *(u64 *)page_address(p), 0);
	__free_pages(p, 1);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/*
 * Watermarks. before: the lowest zone exhausted by ordinary allocations, stopped at min.
 * after: an ordinary allocation fails; __GFP_HIGH may go down to min / 2; ALLOC_NO_WATERMARKS
 * beyond.
 */
static void mm_watermarks(struct ktest *t)
{
	struct zone *zone = &NODE_DATA(0)->node_zones[LOWEST_ZONE];
	unsigned long min = min_wmark_pages(zone);
	LIST_HEAD(pages);
	struct page *p;

	exhaust(LOWEST_GFP, &pages);
	KT_EXPECT_NULL(t, alloc_pages(LOWEST_GFP | __GFP_NOWARN, 0));
	KT_EXPECT_GT(t, exhaust(LOWEST_GFP | __GFP_HIGH, &pages), 0);
	KT_EXPECT_LE(t, zone_page_state(zone, NR_FREE_PAGES), min - min / 2 + 1);
	p = __alloc_pages(LOWEST_GFP, 0, NUMA_NO_NODE, ALLOC_NO_WATERMARKS | ALLOC_SINGLE_PASS);
	KT_EXPECT_NOT_NULL(t, p);
	if (p)
		list_add(&p->lru, &pages);
	free_all(&pages);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/* Each bad free is reported and refused: free pages unchanged, checker clean. */
static void mm_bad_frees(struct ktest *t)
{
	unsigned long free, bad = vm_event(PGBAD_FREE);
	struct page *p = alloc_pages(MOVABLE, 2);
	unsigned long addr;

	KT_ASSERT_NOT_NULL(t, p);
	free = nr_free_pages();
	__free_pages(p + 1, 0);			/* a tail page */
	__free_pages(p + 1, 1);			/* pfn not aligned to the order */
	__free_pages(p, 0);			/* wrong order: out of circulation */
	KT_EXPECT_EQ(t, nr_free_pages(), free);
	KT_EXPECT_TRUE(t, PageBad(p));

	p = alloc_pages(MOVABLE, 0);
	KT_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 0);
	free = nr_free_pages();
	__free_pages(p, 0);			/* double free */
	KT_EXPECT_EQ(t, nr_free_pages(), free);

	addr = __get_free_page(MOVABLE);
	KT_ASSERT_TRUE(t, addr != 0);
	free = nr_free_pages();
	free_pages(addr + 8, 0);		/* unaligned address */
	KT_EXPECT_EQ(t, nr_free_pages(), free);
	free_page(addr);

	free = nr_free_pages();
	__free_pages(virt_to_page(&free), 0);	/* the kernel's stack or image: reserved */
	KT_EXPECT_EQ(t, nr_free_pages(), free);
	KT_EXPECT_EQ(t, vm_event(PGBAD_FREE), bad + 6);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

static struct ktest_case mm_cases[] = {
	KTEST_CASE(mm_exhaust_zone_restores_buddyinfo),
	KTEST_CASE(mm_every_order_allocatable),
	KTEST_CASE(mm_gfp_zones),
	KTEST_CASE(mm_watermarks),
	KTEST_CASE(mm_bad_frees),
	{}
};
/*
 * These cases look at exact buddy free-list changes, which per-CPU pages would hide: the
 * suite runs with pcp=off and restores the boot mode after (the `pcp` suite covers PCPs).
 */
static enum pcp_mode mm_saved_mode;
static unsigned int mm_saved_proactiveness;

/* Proactive compaction off too: the cases count free pages and blocks exactly. */
static int mm_suite_init(void)
{
	mm_saved_proactiveness = compaction_quiesce();
	mm_saved_mode = pcp_get_mode();
	return pcp_set_mode(PCP_MODE_OFF);
}

static void mm_suite_exit(void)
{
	pcp_set_mode(mm_saved_mode);
	compaction_set_proactiveness(mm_saved_proactiveness);
}
KTEST_SUITE_INIT(mm, mm_cases, mm_suite_init, mm_suite_exit);
