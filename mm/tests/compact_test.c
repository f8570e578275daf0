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
#include "mm/pcp_internal.h"
#include "kernel/cmdline.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/workqueue.h"
#include "kernel/lib/llist.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

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
	unsigned long success;
	struct compact_result r;
	struct frag f;

	if (!fragment(t, &f, NULL))
		return;
	success = vm_event(COMPACT_SUCCESS);	/* fragment()'s allocations may compact */
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

/* ---- direct compaction ---- */

/* Forget every zone's deferral, so that the next failing allocation compacts. */
static void reset_deferral(void)
{
	struct zone *zone;

	for_each_zone(zone) {
		zone->compact.considered = 0;
		zone->compact.defer_shift = 0;
		zone->compact.order_failed = 0;
	}
}

/* before: fragmented, no free order-9 block. An order-9 allocation compacts and succeeds. */
static void compact_direct_on_failed_alloc(struct ktest *t)
{
	unsigned long stall, success;
	struct page *page;
	struct frag f;

	if (!fragment(t, &f, NULL))
		return;
	reset_deferral();
	stall = vm_event(COMPACT_STALL);	/* fragment()'s own order-9 allocations compact */
	success = vm_event(COMPACT_SUCCESS);
	page = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order);
	ktest_log(t, "order-9 allocation %s; compact_stall %lu -> %lu, %lu pages migrated",
		  page ? "served" : "failed", stall, vm_event(COMPACT_STALL), f.table.migrated);
	KT_EXPECT_NOT_NULL(t, page);
	KT_EXPECT_EQ(t, vm_event(COMPACT_STALL), stall + 1);
	KT_EXPECT_GE(t, vm_event(COMPACT_SUCCESS), success + 1);
	KT_EXPECT_GT(t, f.table.migrated, 0);
	/* Async and for one block: it stopped long before moving every movable page. */
	KT_EXPECT_LT(t, f.table.migrated, f.nr_movable);
	if (page)
		__free_pages(page, pageblock_order);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	unfragment(t, &f);
}

/*
 * before: fragmented by unmovable pages only, so compaction cannot help. The first failing
 * order-9 allocation compacts and fails, the next is deferred (no stall), the one after
 * compacts again. The blocks it found nothing in carry skip hints until the run that met
 * is followed by another, which starts afresh.
 */
static void compact_direct_deferred_and_hinted(struct ktest *t)
{
	struct zone *zone;
	struct frag f;
	unsigned long stall, skips = 0;

	if (!fragment(t, &f, NULL))
		return;
	/* The movable pages go: what is left in the test blocks does not move. */
	for (unsigned long i = 0; i < NR_SLOTS; i++) {
		bool busy;
		struct page *page = movable_table_clear(&f.table, i, &busy);

		if (page)
			__free_pages(page, 0);
	}
	/* Nor may their frees have made an order-9 block: the unmovable pages sit in 4. */
	drain_all_pages(NULL);
	zone = f.zone;
	reset_deferral();
	stall = vm_event(COMPACT_STALL);
	for (int i = 0, served = 0; i < 3 && served < 64; i++) {
		struct page *page = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order);

		if (page) {
			/* There was room after all (another zone): hold it, start the count over. */
			list_add(&page->lru, &f.held);
			f.nr_held++;
			served++;
			reset_deferral();
			stall = vm_event(COMPACT_STALL);
			i = -1;
			continue;
		}
		ktest_log(t, "attempt %d: compact_stall %lu, defer_shift %u", i + 1,
			  vm_event(COMPACT_STALL) - stall, zone->compact.defer_shift);
		if (i == 0)
			KT_EXPECT_EQ(t, vm_event(COMPACT_STALL), stall + 1);
		else if (i == 1)
			KT_EXPECT_EQ(t, vm_event(COMPACT_STALL), stall + 1);	/* deferred */
		else
			KT_EXPECT_EQ(t, vm_event(COMPACT_STALL), stall + 2);
	}
	KT_EXPECT_GE(t, zone->compact.defer_shift, 1);
	for (unsigned long pfn = ALIGN_UP(zone->zone_start_pfn, pageblock_nr_pages);
	     pfn + pageblock_nr_pages <= zone_end_pfn(zone); pfn += pageblock_nr_pages)
		if (pfn_valid(pfn) && get_pageblock_skip(pfn_to_page(pfn)))
			skips++;
	ktest_log(t, "%lu of %lu pageblocks carry a skip hint; flush pending %d", skips,
		  zone->nr_pageblocks, zone->compact.blockskip_flush);
	KT_EXPECT_GT(t, skips, 0);
	KT_EXPECT_TRUE(t, zone->compact.blockskip_flush);
	reset_deferral();
	unfragment(t, &f);
}

/* ---- proactive compaction ---- */

/* before: fragmented. With proactiveness 100 the background work makes order-9 blocks. */
static void compact_proactive_makes_order9(struct ktest *t)
{
	unsigned long wakes = vm_event(COMPACT_DAEMON_WAKE), blocks = 0;
	unsigned int low, high, score0;
	struct frag f;
	u64 start;

	if (!fragment(t, &f, NULL))
		return;
	score0 = zone_fragmentation_score(f.zone);
	KT_EXPECT_EQ(t, compaction_set_proactiveness(100), 0);
	compaction_proactive_marks(&low, &high);
	start = arch_clock_ns();
	while (arch_clock_ns() - start < 8000ULL * 1000000 &&
	       (blocks = zone_free_blocks_at_least(f.zone, pageblock_order)) < 4) {
		workqueue_run_pending();	/* in case the work sits on this CPU */
		arch_cpu_relax();
	}
	KT_EXPECT_EQ(t, compaction_set_proactiveness(0), 0);
	compaction_wait_idle();
	ktest_log(t, "score %u (marks %u/%u) -> %u; %lu proactive steps, %lu pages migrated, "
		  "free order-9 blocks 0 -> %lu in %llu ms", score0, low, high,
		  zone_fragmentation_score(f.zone), vm_event(COMPACT_DAEMON_WAKE) - wakes,
		  f.table.migrated, blocks, (unsigned long long)(arch_clock_ns() - start) / 1000000);
	KT_EXPECT_GT(t, score0, high);
	KT_EXPECT_GT(t, vm_event(COMPACT_DAEMON_WAKE), wakes);
	KT_EXPECT_GE(t, blocks, 4);
	KT_EXPECT_GT(t, f.table.migrated, 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	unfragment(t, &f);
}

/* Out-of-range settings are refused and change nothing. */
static void compact_proactiveness_bad_values(struct ktest *t)
{
	unsigned int saved = compaction_proactiveness;

	KT_EXPECT_EQ(t, compaction_set_proactiveness(101), -EINVAL);
	KT_EXPECT_EQ(t, compaction_set_proactiveness(~0UL), -EINVAL);
	KT_EXPECT_EQ(t, compaction_proactiveness, saved);
}

/*
 * ---- concurrency ----
 * compact_concurrent: compaction, direct and proactive, while the other CPUs allocate and
 * free (movable pattern pages and unmovable blocks, half of them freed by another CPU), a
 * balloon inflates and deflates, and CPUs go offline and online; `compact.scale=N`
 * multiplies the rounds (make stress runs 10).
 *  - workers, cross-CPU calls on CPUs 1 .. N-2 with interrupts off: replace a movable page
 *    of their own slots (pattern-filled), allocate an order-0..2 block and hand it to
 *    another worker, free what was handed to them;
 *  - the last CPU runs no worker: the proactive work (proactiveness 100) runs in its idle
 *    loop, and the controller runs it too when it has moved to CPU 0;
 *  - first the controller takes every free order-9 block but CC_FREE_BLOCKS, so that the
 *    rounds run out of them and must compact;
 *  - the controller (CPU 0), each round: order-9 allocations until one fails (direct
 *    compaction; the first time each round with the proactive work off, so that the
 *    blocks must come from direct compaction), each block then cut into pages, half inflated into the balloon and half
 *    freed; an eighth of the balloon deflated; one CPU offline and back online (its worker
 *    stopped first); then everything paused and checked: the invariant checker, the
 *    balloon's count, every pattern.
 * At the end everything is freed and the free total must be what it was: no page lost.
 */
#define CC_ROUNDS		4	/* per scale */
#define CC_SLOTS_PER_CPU	256
#define CC_ITERS_PER_ROUND	2000	/* worker iterations the controller waits for */
#define CC_STALL_MS		20000
#define CC_BALLOON_MAX		8192
#define CC_FREE_BLOCKS		24	/* order-9 blocks left free at the start */
#define CC_ORDER9_MAX		64	/* free order-9 blocks taken per half round, at most */
#define CC_DIRECT		4	/* order-9 allocations after that, by compaction */

struct cc_handoff {
	struct llist_node node;
	unsigned int order;
};

struct cc_worker {
	struct llist_head inbox;	/* blocks handed to this CPU (l: any producer; the worker,
					 * or the controller while it is stopped, consumes) */
	struct ktest_worker kw;		/* active (may be handed blocks), stop, running */
	u64 iters;			/* (i: the worker; read racily) */
	u64 seed;			/* (i) */
};

static struct cc_worker ccw[NR_CPUS];
static struct movable_table cc_table;
static struct balloon cc_bal;

static u64 cc_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void cc_empty_inbox(struct cc_worker *w)
{
	struct llist_node *n = llist_del_all(&w->inbox);

	while (n) {
		struct cc_handoff *h = (struct cc_handoff *)n;
		struct llist_node *next = n->next;

		__free_pages(virt_to_page(h), h->order);
		n = next;
	}
}

static void cc_iter(unsigned int me)
{
	struct cc_worker *w = &ccw[me];
	u64 r = cc_rand(&w->seed);
	unsigned long slot = me * CC_SLOTS_PER_CPU + r % CC_SLOTS_PER_CPU;
	unsigned int order = (unsigned int)((r >> 16) % 3), target = (unsigned int)((r >> 24) %
								      NR_CPUS);
	struct page *page;
	bool busy;

	/* A movable page replaced: freed here, whichever CPU's block it sits in. */
	page = movable_table_clear(&cc_table, slot, &busy);
	if (page)
		__free_pages(page, 0);
	if (!busy) {
		page = alloc_pages(MOVABLE | __GFP_NOWARN, 0);
		if (page)
			movable_table_set(&cc_table, slot, page);
	}
	/* An unmovable block for another CPU to free. */
	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	if (page) {
		struct cc_handoff *h = page_address(page);

		h->order = order;
		if (target == me || !ktest_worker_active(&ccw[target].kw))
			__free_pages(page, order);
		else
			llist_add(&h->node, &ccw[target].inbox);
	}
	cc_empty_inbox(w);
	__atomic_store_n(&w->iters, w->iters + 1, __ATOMIC_RELAXED);
}

static void cc_worker_fn(void *info)
{
	unsigned int me = smp_processor_id();
	struct cc_worker *w = &ccw[me];

	(void)info;
	while (!ktest_worker_should_stop(&w->kw)) {
		cc_iter(me);
		smp_process_pending_calls();
	}
	cc_empty_inbox(w);
	ktest_worker_done(&w->kw);
}

static void cc_start(unsigned int cpu)
{
	ktest_worker_start(&ccw[cpu].kw, cpu, cc_worker_fn);
}

static bool cc_stop(struct ktest *t, unsigned int cpu)
{
	if (!ktest_worker_stop(t, &ccw[cpu].kw, cpu, CC_STALL_MS))
		return false;
	/* No worker is between reading `active` and its llist_add after this; then empty. */
	ktest_workers_flush();
	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (!ktest_worker_active(&ccw[c].kw))
			cc_empty_inbox(&ccw[c]);
	return true;
}

static u64 cc_iters(void)
{
	u64 n = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		n += __atomic_load_n(&ccw[c].iters, __ATOMIC_RELAXED);
	return n;
}

/* Pause: workers stopped, proactive off and idle; then the checks. */
static bool cc_check(struct ktest *t, const bool *worker, unsigned long round)
{
	unsigned long bad = 0;
	int problems;
	bool ok = true;

	for (unsigned int c = 1; c < NR_CPUS; c++)
		if (worker[c] && cpu_online(c))
			ok &= cc_stop(t, c);
	compaction_set_proactiveness(0);
	compaction_wait_idle();
	problems = mm_check_invariants();
	for (unsigned long i = 0; i < cc_table.nr; i++)
		if (!movable_table_check(&cc_table, i))
			bad++;
	if (problems || bad || balloon_check(&cc_bal) || cc_table.pattern_bad) {
		ktest_fail(t, __FILE__, __LINE__, "round %lu: %d invariant problems, %lu bad "
			   "patterns (%lu after migration), balloon check %d", round, problems, bad,
			   cc_table.pattern_bad, balloon_check(&cc_bal));
		ok = false;
	}
	compaction_set_proactiveness(100);
	for (unsigned int c = 1; c < NR_CPUS; c++)
		if (worker[c] && cpu_online(c))
			cc_start(c);
	return ok;
}

/* An allocated order-9 block cut into pages: the even ones inflated, the odd ones freed. */
static void cc_cut_block(struct page *page)
{
	split_to_pages(page, pageblock_order);
	for (unsigned long i = 0; i < pageblock_nr_pages; i++) {
		struct page *p = page + i;

		if (i % 2 == 0 && balloon_nr_inflated(&cc_bal) < CC_BALLOON_MAX)
			balloon_pages_enqueue(&cc_bal, &p, 1);
		else
			__free_pages(p, 0);
	}
}

/*
 * Take every free order-9 block (up to CC_ORDER9_MAX), then cut them all: now no free
 * order-9 block is left but plenty of free memory in holes, so the next CC_DIRECT order-9
 * allocations can only come from compaction. Those are cut too, and an eighth of the
 * balloon deflated. Return: the order-9 allocations served.
 */
static unsigned long cc_order9_round(struct page **bpages, unsigned long *nb)
{
	struct page *blocks[CC_ORDER9_MAX];
	unsigned long got = 0, n = 0;

	while (n < CC_ORDER9_MAX &&
	       (blocks[n] = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order)))
		n++;
	for (unsigned long i = 0; i < n; i++)
		cc_cut_block(blocks[i]);
	got = n;
	for (unsigned long i = 0; i < CC_DIRECT; i++) {
		struct page *page = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order);

		if (!page)
			break;
		cc_cut_block(page);
		got++;
	}
	*nb = balloon_pages_dequeue(&cc_bal, bpages,
				    (unsigned int)(balloon_nr_inflated(&cc_bal) / 8));
	for (unsigned long i = 0; i < *nb; i++)
		__free_pages(bpages[i], 0);
	return got;
}

/* Free pages anywhere in the allocator: zone lists plus every CPU's PCP count. */
static unsigned long cc_free_total(void)
{
	unsigned long sum = nr_free_pages();
	struct zone *zone;

	for_each_pcp_zone(zone)
		for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++)
			sum += pcp_count_read(zone_pcp(zone, cpu));
	return sum;
}

static void compact_concurrent(struct ktest *t)
{
	unsigned long scale = 1, rounds, order9 = 0, cycles = 0, deflated = 0, nb;
	unsigned long stall0 = vm_event(COMPACT_STALL), wake0 = vm_event(COMPACT_DAEMON_WAKE);
	unsigned long mig0 = vm_event(PGMIGRATE_SUCCESS);
	unsigned int victims[NR_CPUS], nv = 0, cpu, last = 0;
	bool worker[NR_CPUS] = { false }, ok = true;
	struct page *page, **slots, **bpages;
	u64 t0 = arch_clock_ns();
	LIST_HEAD(held);
	long lost;

	cmdline_get_ulong("compact.scale", &scale);
	if (!scale)
		scale = 1;
	rounds = CC_ROUNDS * scale;
	for_each_online_cpu(cpu) {
		last = cpu;
		if (cpu != 0 && arch_cpu_can_offline(cpu))
			victims[nv++] = cpu;
	}
	if (smp_processor_id() != 0 || !nv) {
		ktest_skip(t, "runs on CPU 0 with another CPU that can go offline");
		return;
	}
	for_each_online_cpu(cpu)
		worker[cpu] = cpu != 0 && cpu != last;
	drain_all_pages(NULL);
	KT_ASSERT_EQ(t, mm_check_invariants(), 0);	/* also frees deferred blocks */
	const unsigned long free0 = cc_free_total();

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 5);	/* 128 KiB: 16384 slot pointers */
	KT_ASSERT_NOT_NULL(t, page);
	slots = page_address(page);
	page = alloc_pages(GFP_KERNEL, 3);
	KT_ASSERT_NOT_NULL(t, page);
	bpages = page_address(page);
	KT_ASSERT_TRUE(t, movable_table_register(&cc_table, slots,
						 NR_CPUS * CC_SLOTS_PER_CPU, 0x5eed) == 0);
	KT_ASSERT_TRUE(t, balloon_init(&cc_bal, "ktest-concurrent", false) == 0);
	cc_bal.migratepage = kt_balloon_migratepage;
	kt_host.calls = kt_host.bad = 0;
	memset(ccw, 0, sizeof(ccw));
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		init_llist_head(&ccw[cpu].inbox);
		ccw[cpu].seed = 0x9e3779b97f4a7c15ULL * (cpu + 1);
	}
	/* Every order-9 block but CC_FREE_BLOCKS: the rounds will need compaction. */
	while ((page = alloc_pages(MOVABLE | __GFP_NOWARN | __GFP_NORETRY, pageblock_order)))
		list_add(&page->lru, &held);
	for (unsigned int i = 0; i < CC_FREE_BLOCKS && !list_empty(&held); i++) {
		page = list_first_entry(&held, struct page, lru);
		list_del(&page->lru);
		__free_pages(page, pageblock_order);
	}
	reset_deferral();
	compaction_set_proactiveness(100);
	for_each_online_cpu(cpu)
		if (worker[cpu])
			cc_start(cpu);
	for (unsigned long r = 0; ok && r < rounds; r++) {
		unsigned int v = victims[r % nv];
		u64 want = cc_iters() + CC_ITERS_PER_ROUND, start = arch_clock_ns();
		int err;

		/* Proactive work off for this half: the order-9 blocks must come from direct
		 * compaction while the workers run; on again for the rest of the round. */
		compaction_set_proactiveness(0);
		reset_deferral();
		order9 += cc_order9_round(bpages, &nb);
		deflated += nb;
		compaction_set_proactiveness(100);
		/* Some work of our own, and room for the proactive work if it is here. */
		while (cc_iters() < want) {
			cc_iter(0);
			workqueue_run_pending();
			if (arch_clock_ns() - start > CC_STALL_MS * 1000000ULL) {
				ktest_fail(t, __FILE__, __LINE__, "no progress in round %lu", r);
				ok = false;
				break;
			}
		}
		if (worker[v])
			ok &= cc_stop(t, v);
		err = cpu_down(v);
		if (err) {
			ktest_fail(t, __FILE__, __LINE__, "cpu_down(%u): %d", v, err);
			ok = false;
			break;
		}
		order9 += cc_order9_round(bpages, &nb);	/* with one CPU fewer */
		deflated += nb;
		err = cpu_up(v);
		if (err) {
			ktest_fail(t, __FILE__, __LINE__, "cpu_up(%u): %d", v, err);
			ok = false;
			break;
		}
		cycles++;
		if (worker[v])
			cc_start(v);
		ok &= cc_check(t, worker, r);
	}
	for_each_online_cpu(cpu)
		if (worker[cpu])
			ok &= cc_stop(t, cpu);
	compaction_set_proactiveness(0);
	compaction_wait_idle();
	cc_empty_inbox(&ccw[0]);

	/* Everything back; then the free total must be the one we started from. */
	for (unsigned long i = 0; i < cc_table.nr; i++) {
		bool busy;

		if (!movable_table_check(&cc_table, i))
			ok = false;
		page = movable_table_clear(&cc_table, i, &busy);
		KT_EXPECT_FALSE(t, busy);
		if (page)
			__free_pages(page, 0);
	}
	while ((nb = balloon_pages_dequeue(&cc_bal, bpages, 1024)))
		for (unsigned long i = 0; i < nb; i++)
			__free_pages(bpages[i], 0);
	KT_EXPECT_EQ(t, cc_table.pattern_bad, 0);
	KT_EXPECT_EQ(t, kt_host.bad, 0);
	movable_table_unregister(&cc_table);
	balloon_destroy(&cc_bal);
	free_pages((unsigned long)slots, 5);
	free_pages((unsigned long)bpages, 3);
	while (!list_empty(&held)) {
		page = list_first_entry(&held, struct page, lru);
		list_del(&page->lru);
		__free_pages(page, pageblock_order);
	}
	drain_all_pages(NULL);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	lost = (long)free0 - (long)cc_free_total();
	ktest_log(t, "totals: rounds=%lu iterations=%llu cycles=%lu "
		  "order9=%lu stalls=%lu proactive=%lu migrated=%lu balloon_migrated=%lu "
		  "deflated=%lu lost_pages=%ld time_ms=%llu scale=%lu", rounds,
		  (unsigned long long)cc_iters(), cycles, order9,
		  vm_event(COMPACT_STALL) - stall0, vm_event(COMPACT_DAEMON_WAKE) - wake0,
		  vm_event(PGMIGRATE_SUCCESS) - mig0, kt_host.calls, deflated, lost,
		  (unsigned long long)(arch_clock_ns() - t0) / 1000000, scale);
	KT_EXPECT_TRUE(t, ok);
	KT_EXPECT_EQ(t, lost, 0);
	KT_EXPECT_GT(t, vm_event(COMPACT_STALL), stall0);
	KT_EXPECT_GT(t, vm_event(COMPACT_DAEMON_WAKE), wake0);
	KT_EXPECT_GT(t, vm_event(PGMIGRATE_SUCCESS), mig0);
	KT_EXPECT_GT(t, order9, 0);
	reset_deferral();
}

static struct ktest_case compact_cases[] = {
	KTEST_CASE(compact_isolate_once),
	KTEST_CASE(compact_full_makes_order9),
	KTEST_CASE(compact_order9_stops_early),
	KTEST_CASE(compact_balloon_isolated_skipped_by_deflate),
	KTEST_CASE(compact_balloon_pages_migrate),
	KTEST_CASE(compact_direct_on_failed_alloc),
	KTEST_CASE(compact_direct_deferred_and_hinted),
	KTEST_CASE(compact_proactiveness_bad_values),
	KTEST_CASE(compact_proactive_makes_order9),
	KTEST_CASE(compact_concurrent),
	{}
};

/*
 * The cases count what compaction did: background (proactive) runs would add to their
 * counts at random moments, so the suite turns them off and the proactive cases turn them
 * on for themselves. Interrupts on: compaction drains other CPUs and waits for them.
 */
static unsigned int compact_saved_proactiveness;

static int compact_suite_init(void)
{
	if (arch_irqs_disabled())
		arch_local_irq_enable();
	compact_saved_proactiveness = compaction_quiesce();
	return 0;
}

static void compact_suite_exit(void)
{
	compaction_set_proactiveness(compact_saved_proactiveness);
}
KTEST_SUITE_INIT(compact, compact_cases, compact_suite_init, compact_suite_exit);
