// SPDX-License-Identifier: MIT
/*
 * ktest suite `compact`: movable pages, migration and compaction on the real machine
 * (ktest=compact; DESIGN.md 4.3). The fragmenting cases take every free block of
 * pageblock order of the zone, so that none is left, cut 16 of them into order-0 pages
 * (movable pages with a pattern, unmovable pages, and holes), compact, and look for order-9
 * blocks, the patterns and the invariant checker. They run in the boot's PCP mode (owner
 * by default), so compaction meets CPU-owned pageblocks.
 */
#include "kernel/ktest.h"
#include "kernel/bug.h"
#include "mm/balloon.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/vmstat.h"

#define MOVABLE		(GFP_KERNEL | __GFP_MOVABLE)
#define NR_TEST_BLOCKS	16	/* pageblocks cut into order-0 pages */
#define NR_MIXED_BLOCKS	4	/* of them, the ones with unmovable pages among the movable */
#define SLOTS_ORDER	3	/* the slot array: 32 KiB, 4096 pointers */
#define NR_SLOTS	((PAGE_SIZE << SLOTS_ORDER) / sizeof(struct page *))
#define NR_UNMOVABLE	(NR_MIXED_BLOCKS * pageblock_nr_pages / 4)

_Static_assert(NR_TEST_BLOCKS * 512 / 2 <= 4096, "slots for every movable page");

struct frag {
	struct zone *zone;
	struct list_head held;		/* whole order-9 blocks kept allocated, by head lru */
	unsigned long nr_held;
	struct page **slots;		/* the movable table's */
	struct movable_table table;
	struct page **unmovable;	/* unmovable order-0 pages in the mixed blocks */
	unsigned long nr_unmovable;
	unsigned long nr_movable;
	struct balloon *bal;		/* non-NULL: the movable pages are this balloon's */
};

/* An allocated order-9 block as 512 allocated order-0 pages (Linux: split_page()). */
static void split_to_pages(struct page *page, unsigned int order)
{
	page_clear_flag(page, PG_head);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		set_page_count(page + i, 1);
		set_page_private(page + i, 0);
	}
}

/*
 * before: a quiet zone with many free order-9 blocks.
 * after: none; 12 pageblocks with a movable page at every even pfn and a hole at every odd
 * one; 4 with movable, unmovable, hole, hole repeating; every other order-9 block held.
 */
static bool fragment(struct ktest *t, struct frag *f, struct balloon *bal)
{
	struct page *page, *tests[NR_TEST_BLOCKS];
	unsigned long nt = 0, slot = 0;

	*f = (struct frag){ .held = LIST_HEAD_INIT(f->held), .bal = bal };
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, SLOTS_ORDER);
	KT_ASSERT_NOT_NULL(t, page);
	f->slots = page_address(page);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	KT_ASSERT_NOT_NULL(t, page);
	f->unmovable = page_address(page);
	KT_ASSERT_TRUE(t, movable_table_register(&f->table, f->slots, NR_SLOTS, 0xc0ffee) == 0);
	page = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order);
	KT_ASSERT_NOT_NULL(t, page);
	f->zone = page_zone(page);
	list_add(&page->lru, &f->held);
	f->nr_held = 1;
	/* Every order-9 block the watermarks allow, then the rest past them, for a moment. */
	while ((page = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order))) {
		list_add(&page->lru, &f->held);
		f->nr_held++;
	}
	drain_all_pages(NULL);
	while (zone_free_blocks_at_least(f->zone, pageblock_order) &&
	       (page = __alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order, NUMA_NO_NODE,
				     ALLOC_NO_WATERMARKS | ALLOC_SINGLE_PASS))) {
		list_add(&page->lru, &f->held);
		f->nr_held++;
	}
	/* The test blocks: held blocks of our zone. */
	list_for_each_entry(page, &f->held, lru)
		if (page_zone(page) == f->zone && nt < NR_TEST_BLOCKS)
			tests[nt++] = page;
	for (unsigned long b = 0; b < nt; b++)
		list_del(&tests[b]->lru);
	f->nr_held -= nt;
	ktest_log(t, "zone %s: %lu order-9 blocks held, %lu cut into pages", f->zone->name,
		  f->nr_held, nt);
	KT_ASSERT_TRUE(t, nt == NR_TEST_BLOCKS);
	for (unsigned long b = 0; b < nt; b++) {
		bool mixed = b >= NR_TEST_BLOCKS - NR_MIXED_BLOCKS;

		split_to_pages(tests[b], pageblock_order);
		for (unsigned long i = 0; i < pageblock_nr_pages; i++) {
			struct page *p = tests[b] + i;

			if (i % 2 == 0 && (!mixed || i % 4 == 0)) {
				if (bal)
					balloon_pages_enqueue(bal, &p, 1);
				else
					movable_table_set(&f->table, slot++, p);
				f->nr_movable++;
			} else if (mixed && i % 4 == 1) {
				f->unmovable[f->nr_unmovable++] = p;
			} else {
				__free_pages(p, 0);
			}
		}
	}
	drain_all_pages(NULL);
	KT_EXPECT_EQ(t, zone_free_blocks_at_least(f->zone, pageblock_order), 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	return true;
}

/* Every movable page's pattern intact; then everything freed and the table gone. */
static void unfragment(struct ktest *t, struct frag *f)
{
	struct page *page, *tmp;
	unsigned long bad = 0;

	for (unsigned long i = 0; i < NR_SLOTS; i++) {
		bool busy;

		if (!movable_table_check(&f->table, i))
			bad++;
		page = movable_table_clear(&f->table, i, &busy);
		KT_EXPECT_FALSE(t, busy);
		if (page)
			__free_pages(page, 0);
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, f->table.pattern_bad, 0);
	if (f->bal) {
		KT_EXPECT_EQ(t, balloon_check(f->bal), 0);
		KT_EXPECT_EQ(t, f->bal->nr_isolated, 0);
		KT_EXPECT_EQ(t, balloon_nr_inflated(f->bal), f->nr_movable);
		while (balloon_pages_dequeue(f->bal, &page, 1))
			__free_pages(page, 0);
		KT_EXPECT_EQ(t, balloon_nr_inflated(f->bal), 0);
	}
	movable_table_unregister(&f->table);
	for (unsigned long i = 0; i < f->nr_unmovable; i++)
		__free_pages(f->unmovable[i], 0);
	list_for_each_entry_safe(page, tmp, &f->held, lru) {
		list_del(&page->lru);
		__free_pages(page, pageblock_order);
	}
	free_pages((unsigned long)f->slots, SLOTS_ORDER);
	free_pages((unsigned long)f->unmovable, 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/* before: fragmented, no free order-9 block. after a full async run: order-9 blocks again. */
static void compact_full_makes_order9(struct ktest *t)
{
	struct compact_result r;
	struct frag f;
	unsigned long after;

	if (!fragment(t, &f, NULL))
		return;
	KT_EXPECT_EQ(t, compact_zone(f.zone, -1, false, &r), 0);
	after = zone_free_blocks_at_least(f.zone, pageblock_order);
	ktest_log(t, "%lu movable pages; migrate scanned %lu, free scanned %lu, isolated %lu, "
		  "migrated %lu, failed %lu; free order-9 blocks 0 -> %lu", f.nr_movable,
		  r.migrate_scanned, r.free_scanned, r.isolated, r.migrated, r.failed, after);
	KT_EXPECT_GT(t, r.migrated, 0);
	KT_EXPECT_EQ(t, f.table.migrated, r.migrated);
	/* 12 half-full blocks hold 6 blocks' worth: at least 4 blocks must come free. */
	KT_EXPECT_GE(t, after, 4);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	unfragment(t, &f);
}

/* before: fragmented. after a run for order 9: it stopped early with an order-9 block. */
static void compact_order9_stops_early(struct ktest *t)
{
	unsigned long success = vm_event(COMPACT_SUCCESS);
	struct compact_result r;
	struct frag f;

	if (!fragment(t, &f, NULL))
		return;
	KT_EXPECT_EQ(t, compact_zone(f.zone, pageblock_order, true, &r), 0);
	ktest_log(t, "migrated %lu of %lu movable pages", r.migrated, f.nr_movable);
	KT_EXPECT_TRUE(t, r.success);
	KT_EXPECT_GE(t, zone_free_blocks_at_least(f.zone, pageblock_order), 1);
	KT_EXPECT_LT(t, r.migrated, f.nr_movable);
	KT_EXPECT_EQ(t, vm_event(COMPACT_SUCCESS), success + 1);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	unfragment(t, &f);
}

/* Two isolations of one page: the second fails; the owner cannot free it meanwhile. */
static void compact_isolate_once(struct ktest *t)
{
	static struct page *slots[1];
	struct movable_table table;
	struct page *page = alloc_pages(MOVABLE, 0), *dst = alloc_pages(MOVABLE, 0);
	bool busy;

	KT_ASSERT_NOT_NULL(t, page);
	KT_ASSERT_NOT_NULL(t, dst);
	KT_ASSERT_TRUE(t, movable_table_register(&table, slots, 1, 42) == 0);
	movable_table_set(&table, 0, page);
	KT_EXPECT_EQ(t, page_movable_kind(page), MOVABLE_TEST);
	KT_EXPECT_TRUE(t, isolate_movable_page(page));
	KT_EXPECT_FALSE(t, isolate_movable_page(page));
	KT_EXPECT_NULL(t, movable_table_clear(&table, 0, &busy));
	KT_EXPECT_TRUE(t, busy);
	putback_movable_page(page);
	KT_EXPECT_TRUE(t, isolate_movable_page(page));
	KT_EXPECT_EQ(t, migrate_movable_page(dst, page), 0);
	KT_EXPECT_TRUE(t, movable_table_page(&table, 0) == dst);
	KT_EXPECT_TRUE(t, movable_table_check(&table, 0));
	KT_EXPECT_EQ(t, page_movable_kind(page), MOVABLE_NONE);
	KT_EXPECT_EQ(t, page_movable_kind(dst), MOVABLE_TEST);
	KT_EXPECT_FALSE(t, page_test_flag(dst, PG_isolated));
	__free_pages(page, 0);	/* the old page: an ordinary page of ours now */
	KT_EXPECT_TRUE(t, movable_table_clear(&table, 0, &busy) == dst);
	__free_pages(dst, 0);
	movable_table_unregister(&table);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/*
 * The host's side of a balloon without a device: each migration must name a page that is
 * inflated now as the old one, and a page not in the balloon as the new one, and tell the
 * host about the new page before the old (the order of the two records).
 */
static struct {
	unsigned long calls, bad;
} kt_host;

static int kt_balloon_migratepage(struct balloon *b, struct page *newpage, struct page *page)
{
	assert_spin_locked(&b->lock);
	kt_host.calls++;
	/* "inflate newpage": it must not be a balloon page yet; "deflate page": it must be. */
	if (balloon_of_page(newpage) || balloon_of_page(page) != b)
		kt_host.bad++;
	return 0;
}

/* before: fragmented with inflated balloon pages as the movable ones. after: order-9 again. */
static void compact_balloon_pages_migrate(struct ktest *t)
{
	static struct balloon bal;
	struct compact_result r;
	struct frag f;
	unsigned long after;

	KT_ASSERT_TRUE(t, balloon_init(&bal, "ktest-compact", false) == 0);
	bal.migratepage = kt_balloon_migratepage;
	kt_host.calls = kt_host.bad = 0;
	if (!fragment(t, &f, &bal))
		return;
	KT_EXPECT_EQ(t, balloon_nr_inflated(&bal), f.nr_movable);
	KT_EXPECT_EQ(t, compact_zone(f.zone, -1, false, &r), 0);
	after = zone_free_blocks_at_least(f.zone, pageblock_order);
	ktest_log(t, "%lu balloon pages; migrated %lu, failed %lu, host told %lu times; free "
		  "order-9 blocks 0 -> %lu", f.nr_movable, r.migrated, r.failed, kt_host.calls,
		  after);
	KT_EXPECT_GT(t, r.migrated, 0);
	KT_EXPECT_EQ(t, kt_host.calls, r.migrated);
	KT_EXPECT_EQ(t, kt_host.bad, 0);
	KT_EXPECT_GE(t, after, 4);
	KT_EXPECT_EQ(t, balloon_check(&bal), 0);
	KT_EXPECT_EQ(t, bal.nr_isolated, 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	unfragment(t, &f);
	balloon_destroy(&bal);
}

/* A balloon page isolated by a scanner: a deflate passes it by; putback relinks it. */
static void compact_balloon_isolated_skipped_by_deflate(struct ktest *t)
{
	static struct balloon bal;
	struct page *page = alloc_pages(MOVABLE, 0), *out;

	KT_ASSERT_NOT_NULL(t, page);
	KT_ASSERT_TRUE(t, balloon_init(&bal, "ktest-isolate", false) == 0);
	bal.migratepage = kt_balloon_migratepage;
	balloon_pages_enqueue(&bal, &page, 1);
	KT_EXPECT_EQ(t, page_movable_kind(page), MOVABLE_BALLOON);
	KT_EXPECT_TRUE(t, isolate_movable_page(page));
	KT_EXPECT_EQ(t, bal.nr_isolated, 1);
	KT_EXPECT_EQ(t, balloon_check(&bal), 0);	/* 0 listed + 1 isolated == 1 inflated */
	KT_EXPECT_EQ(t, balloon_pages_dequeue(&bal, &out, 1), 0);
	putback_movable_page(page);
	KT_EXPECT_EQ(t, bal.nr_isolated, 0);
	KT_EXPECT_EQ(t, balloon_pages_dequeue(&bal, &out, 1), 1);
	KT_EXPECT_TRUE(t, out == page);
	KT_EXPECT_EQ(t, page_movable_kind(page), MOVABLE_NONE);
	KT_EXPECT_FALSE(t, PageBalloon(page));
	__free_pages(page, 0);
	balloon_destroy(&bal);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

static struct ktest_case compact_cases[] = {
	KTEST_CASE(compact_isolate_once),
	KTEST_CASE(compact_full_makes_order9),
	KTEST_CASE(compact_order9_stops_early),
	KTEST_CASE(compact_balloon_isolated_skipped_by_deflate),
	KTEST_CASE(compact_balloon_pages_migrate),
	{}
};
KTEST_SUITE(compact, compact_cases);
