// SPDX-License-Identifier: MIT
/*
 * Migration and compaction (mm/migrate.c, mm/compaction.c) on the host, against the real
 * allocator in each PCP mode: a zone fragmented with movable pages (test pages filled with
 * a pattern, or balloon pages) among unmovable ones, so that no free block of pageblock
 * order is left, is compacted; pageblock-order blocks must come free, every pattern must
 * survive its copy, and the invariant checker must be clean after each case. Then bad input
 * (an empty zone, an order past MAX_PAGE_ORDER), a page already isolated (skipped), a
 * balloon whose migrations fail (every page put back where it was, contents untouched), the
 * real virtio-balloon driver's pages moved with its simulated device answering, and a
 * concurrent run with threads as CPUs (run it under ThreadSanitizer: `make -C tests/host
 * tsan FILTER=compact`).
 *
 * The shape follows the in-kernel ktest (mm/tests/compact_test.c): take every free block of
 * pageblock order, cut 16 of them into order-0 pages (12 with a movable page at every even
 * pfn and a hole at every odd one; 4 with movable, unmovable, hole, hole repeating).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "tests/host/virtio_sim.h"
#include "drivers/virtio/virtio_balloon.h"
#include "mm/balloon.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/pcp.h"
#include "mm/pcp_internal.h"

#define NCPUS		4
#define MEM		(128 * MiB)
#define MOVABLE		(GFP_KERNEL | __GFP_MOVABLE)
#define NR_TEST_BLOCKS	16	/* pageblocks cut into order-0 pages */
#define NR_MIXED_BLOCKS	4	/* of them, the ones with unmovable pages among the movable */
#define NR_SLOTS	4100	/* the movable table: every movable page of the test blocks */
#define NR_OWNED	3	/* owner mode: CPUs 1..3 each own a block with one movable page */
#define PATTERN_SEED	0xc0ffee

_Static_assert(NR_TEST_BLOCKS * 512 / 2 + NR_OWNED <= NR_SLOTS, "a slot per movable page");

static void boot_mode(const char *mode)
{
	char line[64];

	host_smp_init(NCPUS);
	/* "owner", "trylock", "off", or one of them followed by more of the command line. */
	snprintf(line, sizeof(line), "pcp=%s", mode);
	boot_simple(MEM, line);
	host_set_cpu(0);
}

/* Every free page: the zone lists, isolated ones, and those parked on PCPs and llists. */
static unsigned long total_free(void)
{
	return nr_free_pages() + global_zone_page_state(NR_FREE_ISOLATED) + pcp_pages_everywhere();
}

struct frag {
	struct zone *zone;
	struct list_head held;		/* whole order-9 blocks kept allocated, by head lru */
	unsigned long nr_held;
	struct movable_table table;
	struct page *unmovable[NR_MIXED_BLOCKS * 512 / 4];
	unsigned long nr_unmovable;
	unsigned long nr_movable;
	struct page *first_movable;	/* the lowest movable page (the migrate scanner's first) */
	unsigned long first_slot;	/* its slot (test pages) */
	struct balloon *bal;		/* non-NULL: the movable pages are this balloon's */
	unsigned long boot_free;	/* total_free() before fragment() */
	struct buddy_snapshot boot;
};

static struct page *slots[NR_SLOTS];
static struct frag F;

/* An allocated order-9 block as 512 allocated order-0 pages (Linux: split_page()). */
static void split_to_pages(struct page *page, unsigned int order)
{
	page_clear_flag(page, PG_head);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		set_page_count(page + i, 1);
		set_page_private(page + i, 0);
	}
}

/* One movable page: a test page in the next slot, or a page of the balloon. */
static void make_movable(struct frag *f, struct page *p, unsigned long *slot)
{
	if (!f->first_movable || page_to_pfn(p) < page_to_pfn(f->first_movable)) {
		f->first_movable = p;
		f->first_slot = *slot;
	}
	if (f->bal)
		balloon_pages_enqueue(f->bal, &p, 1);
	else
		movable_table_set(&f->table, (*slot)++, p);
	f->nr_movable++;
}

/* Pages held by the test (allocated) after fragment(). */
static unsigned long held_pages(const struct frag *f)
{
	return f->nr_held * pageblock_nr_pages + f->nr_movable + f->nr_unmovable;
}

/*
 * before: a quiet zone with many free order-9 blocks.
 * after: none on the zone's lists; 12 pageblocks with a movable page at every even pfn and
 * a hole at every odd one; 4 with movable, unmovable, hole, hole repeating; every other
 * order-9 block held. The frees are spread over the CPUs (their PCPs, then drained). With
 * @owned (owner mode), CPUs 1..3 then each claim one more block, whole on their PCP but for
 * one movable page: free pages the zone's lists do not show, in blocks another CPU owns.
 */
static void fragment(struct frag *f, struct balloon *bal, bool owned)
{
	struct page *page, *tests[NR_TEST_BLOCKS], *spare[NR_OWNED];
	unsigned long nt = 0, slot = 0;

	memset(f, 0, sizeof(*f));
	INIT_LIST_HEAD(&f->held);
	f->bal = bal;
	buddy_snapshot(&f->boot);
	f->boot_free = total_free();
	memset(slots, 0, sizeof(slots));
	ASSERT_EQ(movable_table_register(&f->table, slots, NR_SLOTS, PATTERN_SEED), 0);
	page = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order);
	ASSERT_TRUE(page != NULL);
	f->zone = page_zone(page);
	list_add(&page->lru, &f->held);
	f->nr_held = 1;
	/* Every order-9 block the watermarks allow, then the rest past them. */
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
	list_for_each_entry(page, &f->held, lru)
		if (page_zone(page) == f->zone && nt < NR_TEST_BLOCKS + (owned ? NR_OWNED : 0)) {
			if (nt < NR_TEST_BLOCKS)
				tests[nt] = page;
			else
				spare[nt - NR_TEST_BLOCKS] = page;
			nt++;
		}
	ASSERT_EQ(nt, NR_TEST_BLOCKS + (owned ? NR_OWNED : 0));
	for (unsigned long b = 0; b < nt; b++)
		list_del(b < NR_TEST_BLOCKS ? &tests[b]->lru : &spare[b - NR_TEST_BLOCKS]->lru);
	f->nr_held -= nt;
	for (unsigned long b = 0; b < NR_TEST_BLOCKS; b++) {
		bool mixed = b >= NR_TEST_BLOCKS - NR_MIXED_BLOCKS;

		split_to_pages(tests[b], pageblock_order);
		for (unsigned long i = 0; i < pageblock_nr_pages; i++) {
			struct page *p = tests[b] + i;

			if (i % 2 == 0 && (!mixed || i % 4 == 0)) {
				make_movable(f, p, &slot);
			} else if (mixed && i % 4 == 1) {
				f->unmovable[f->nr_unmovable++] = p;
			} else {
				host_set_cpu((unsigned int)(i / 2) % NCPUS);
				__free_pages(p, 0);
			}
		}
	}
	host_set_cpu(0);
	drain_all_pages(NULL);
	if (owned) {
		/* Whole again, each claimed by a CPU whose first allocation takes it. */
		for (unsigned int c = 0; c < NR_OWNED; c++)
			__free_pages(spare[c], pageblock_order);
		drain_all_pages(NULL);	/* off CPU0's PCP, back on the zone's lists */
		for (unsigned int c = 1; c <= NR_OWNED; c++) {
			host_set_cpu(c);
			page = alloc_page(MOVABLE);
			ASSERT_TRUE(page != NULL);
			EXPECT_EQ(pfn_owner_read(f->zone, page_to_pfn(page)), c);
			make_movable(f, page, &slot);
		}
		host_set_cpu(0);
		EXPECT_GE(pcp_pages_everywhere(), NR_OWNED * (pageblock_nr_pages - 1));
	}
	EXPECT_EQ(zone_free_blocks_at_least(f->zone, pageblock_order), 0);
	EXPECT_EQ(total_free() + held_pages(f), f->boot_free);
	ASSERT_EQ(mm_check_invariants(), 0);
}

/* Every test page holds its pattern; returns how many do not. */
static unsigned long patterns_bad(struct frag *f)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < NR_SLOTS; i++)
		if (!movable_table_check(&f->table, i))
			bad++;
	return bad;
}

/* Every pattern intact; then everything freed: the free lists exactly as before fragment(). */
static void unfragment(struct frag *f)
{
	struct page *page, *tmp;
	struct buddy_snapshot end;

	EXPECT_EQ(patterns_bad(f), 0);
	EXPECT_EQ(f->table.pattern_bad, 0);
	for (unsigned long i = 0; i < NR_SLOTS; i++) {
		bool busy;

		page = movable_table_clear(&f->table, i, &busy);
		EXPECT_TRUE(!busy);
		if (page)
			__free_pages(page, 0);
	}
	if (f->bal) {
		EXPECT_EQ(balloon_check(f->bal), 0);
		EXPECT_EQ(f->bal->nr_isolated, 0);
		EXPECT_EQ(balloon_nr_inflated(f->bal), f->nr_movable);
		while (balloon_pages_dequeue(f->bal, &page, 1))
			__free_pages(page, 0);
		EXPECT_EQ(balloon_nr_inflated(f->bal), 0);
	}
	movable_table_unregister(&f->table);
	for (unsigned long i = 0; i < f->nr_unmovable; i++)
		__free_pages(f->unmovable[i], 0);
	list_for_each_entry_safe(page, tmp, &f->held, lru) {
		list_del(&page->lru);
		__free_pages(page, pageblock_order);
	}
	host_set_cpu(0);
	drain_all_pages(NULL);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(total_free(), f->boot_free);
	buddy_snapshot(&end);
	if (!buddy_snapshot_equal(&f->boot, &end)) {
		buddy_snapshot_print("before", &f->boot);
		buddy_snapshot_print("after", &end);
		EXPECT_TRUE(buddy_snapshot_equal(&f->boot, &end));
	}
	EXPECT_EQ(warn_count(), 0);
	EXPECT_TRUE(!host_log_contains("BUG:"));	/* no bad page, no corrupted free page */
}

static void print_result(const char *what, const struct compact_result *r, unsigned long after)
{
	fprintf(stderr, "%s: migrate scanned %lu, free scanned %lu, isolated %lu, migrated %lu, "
		"failed %lu, success %d; free order-9 blocks 0 -> %lu\n", what,
		r->migrate_scanned, r->free_scanned, r->isolated, r->migrated, r->failed,
		r->success, after);
}

/*
 * before: fragmented, no free order-9 block on the zone's lists.
 * after a full run: order-9 blocks again (12 half-full blocks hold 6 blocks' worth, so at
 * least 4 must come free), each migration counted once, every pattern intact.
 */
static void run_full(const char *mode, bool sync)
{
	struct compact_result r;
	unsigned long after, succ = vm_event(PGMIGRATE_SUCCESS);

	boot_mode(mode);
	fragment(&F, NULL, !strncmp(mode, "owner", 5));
	ASSERT_EQ(compact_zone(F.zone, -1, sync, &r), 0);
	after = zone_free_blocks_at_least(F.zone, pageblock_order);
	if (host_verbose)
		print_result(mode, &r, after);
	EXPECT_GT(r.migrated, 0);
	EXPECT_EQ(r.failed, 0);
	EXPECT_EQ(F.table.migrated, r.migrated);
	EXPECT_EQ(vm_event(PGMIGRATE_SUCCESS), succ + r.migrated);
	EXPECT_TRUE(!r.success);		/* a run for no order claims nothing */
	EXPECT_GE(after, 4);
	EXPECT_EQ(pcp_pages_everywhere(), 0);	/* the last drain brought everything home */
	EXPECT_EQ(total_free() + held_pages(&F), F.boot_free);
	EXPECT_EQ(patterns_bad(&F), 0);
	EXPECT_EQ(F.table.pattern_bad, 0);
	EXPECT_EQ(mm_check_invariants(), 0);
	/* A second run finds little to do, and loses nothing either. */
	ASSERT_EQ(compact_zone(F.zone, -1, sync, &r), 0);
	EXPECT_GE(zone_free_blocks_at_least(F.zone, pageblock_order), after);
	EXPECT_EQ(total_free() + held_pages(&F), F.boot_free);
	EXPECT_EQ(mm_check_invariants(), 0);
	unfragment(&F);
}

HOST_TEST(compact_full_async_owner)
{
	run_full("owner", false);
}

HOST_TEST(compact_full_sync_owner)
{
	run_full("owner", true);
}

HOST_TEST(compact_full_async_trylock)
{
	run_full("trylock", false);
}

HOST_TEST(compact_full_sync_off)
{
	run_full("off", true);
}

/*
 * page_poison=1: every free page the free scanner takes as a target is checked for its
 * poison as an allocation would check it, and every page a migration frees is poisoned;
 * nothing reported, nothing lost, patterns intact.
 */
HOST_TEST(compact_full_sync_owner_page_poison)
{
	run_full("owner page_poison=1", true);
}

/* before: fragmented. after a run for order 9: it stopped early, with an order-9 block. */
HOST_TEST(compact_order9_stops_early_owner)
{
	unsigned long success = vm_event(COMPACT_SUCCESS);
	struct compact_result r;

	boot_mode("owner");
	fragment(&F, NULL, true);
	ASSERT_EQ(compact_zone(F.zone, pageblock_order, true, &r), 0);
	EXPECT_TRUE(r.success);
	EXPECT_GE(zone_free_blocks_at_least(F.zone, pageblock_order), 1);
	EXPECT_GT(r.migrated, 0);
	EXPECT_LT(r.migrated, F.nr_movable);
	EXPECT_EQ(vm_event(COMPACT_SUCCESS), success + 1);
	EXPECT_EQ(mm_check_invariants(), 0);
	unfragment(&F);
}

/*
 * The tests can fail: one word of one movable page is scribbled on before the run. The
 * migration that copies it must count a bad pattern, and the check of that slot must fail
 * (and only that slot), so a broken copy in mm/migrate.c would be caught the same way.
 */
HOST_TEST(compact_catches_a_broken_pattern)
{
	struct compact_result r;
	u64 *word;

	boot_mode("off");
	fragment(&F, NULL, false);
	word = (u64 *)page_address(F.first_movable) + 100;
	*word ^= 1;
	ASSERT_EQ(compact_zone(F.zone, -1, false, &r), 0);
	EXPECT_TRUE(movable_table_page(&F.table, F.first_slot) != F.first_movable);
	EXPECT_EQ(F.table.pattern_bad, 1);
	EXPECT_EQ(patterns_bad(&F), 1);
	EXPECT_TRUE(!movable_table_check(&F.table, F.first_slot));
	EXPECT_TRUE(host_log_contains("word 100:"));
	word = (u64 *)page_address(movable_table_page(&F.table, F.first_slot)) + 100;
	*word ^= 1;
	F.table.pattern_bad = 0;
	EXPECT_EQ(patterns_bad(&F), 0);
	unfragment(&F);
}

/* ---- bad input ---- */

/*
 * compact_zone() on an empty zone (ZONE_NORMAL: the 128 MiB machine has none) and with an
 * order past MAX_PAGE_ORDER: -EINVAL, the result zeroed, and nothing changed: the free
 * lists, the pages parked on PCPs (no drain ran), the vm events.
 */
HOST_TEST(compact_bad_input_changes_nothing)
{
	struct buddy_snapshot before, after;
	struct compact_result r;
	struct page *p;
	unsigned long parked, events[3];
	const int orders[] = { MAX_PAGE_ORDER + 1, MAX_PAGE_ORDER + 100, 0x7fffffff, -2, -0x7fffffff - 1 };

	boot_mode("owner");
	p = alloc_page(MOVABLE);		/* CPU0 claims a block: pages on its PCP */
	ASSERT_TRUE(p != NULL);
	parked = pcp_pages_everywhere();
	EXPECT_GT(parked, 0);
	buddy_snapshot(&before);
	events[0] = vm_event(COMPACT_MIGRATE_SCANNED);
	events[1] = vm_event(COMPACT_FAIL);
	events[2] = vm_event(COMPACT_SUCCESS);
	ASSERT_TRUE(!populated_zone(zone_of(ZONE_NORMAL)));
	memset(&r, 0xa5, sizeof(r));
	EXPECT_EQ(compact_zone(zone_of(ZONE_NORMAL), -1, true, &r), -EINVAL);
	EXPECT_EQ(r.migrate_scanned + r.free_scanned + r.isolated + r.migrated + r.failed, 0);
	EXPECT_TRUE(!r.success);
	EXPECT_EQ(compact_zone(zone_of(ZONE_NORMAL), pageblock_order, false, &r), -EINVAL);
	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		memset(&r, 0xa5, sizeof(r));
		EXPECT_EQ(compact_zone(zone_of(ZONE_DMA32), orders[i], true, &r), -EINVAL);
		EXPECT_EQ(r.migrate_scanned + r.free_scanned + r.isolated + r.migrated + r.failed,
			  0);
		EXPECT_TRUE(!r.success);
	}
	EXPECT_EQ(pcp_pages_everywhere(), parked);
	buddy_snapshot(&after);
	EXPECT_TRUE(buddy_snapshot_equal(&before, &after));
	EXPECT_EQ(vm_event(COMPACT_MIGRATE_SCANNED), events[0]);
	EXPECT_EQ(vm_event(COMPACT_FAIL), events[1]);
	EXPECT_EQ(vm_event(COMPACT_SUCCESS), events[2]);
	EXPECT_EQ(zone_free_blocks_at_least(zone_of(ZONE_NORMAL), 0), 0);
	EXPECT_EQ(zone_free_blocks_at_least(zone_of(ZONE_DMA32), MAX_PAGE_ORDER + 1), 0);
	__free_page(p);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), 0);
}

/*
 * The movable-page API refuses what it must: isolating a page that is not movable (an
 * ordinary allocated page, a free page) fails and leaves it alone; migrating or putting back
 * a page that is not isolated WARNs and changes nothing; a migrated page's old frame is an
 * ordinary page again.
 */
HOST_TEST(migrate_api_refuses_bad_pages)
{
	static struct page *one[1];
	struct movable_table t;
	struct page *plain, *freed, *page, *dst;
	unsigned long flags, warns;
	bool busy;

	boot_mode("off");
	plain = alloc_page(GFP_KERNEL);
	freed = alloc_page(GFP_KERNEL);
	page = alloc_page(MOVABLE);
	dst = alloc_page(MOVABLE);
	ASSERT_TRUE(plain && freed && page && dst);
	__free_page(freed);
	flags = page_flags_read(plain);
	EXPECT_TRUE(!isolate_movable_page(plain));
	EXPECT_EQ(page_flags_read(plain), flags);
	flags = page_flags_read(freed);
	EXPECT_TRUE(!isolate_movable_page(freed));
	EXPECT_EQ(page_flags_read(freed), flags);

	ASSERT_EQ(movable_table_register(&t, one, 1, 7), 0);
	movable_table_set(&t, 0, page);
	warns = warn_count();
	EXPECT_EQ(migrate_movable_page(dst, page), -EINVAL);	/* not isolated */
	EXPECT_EQ(warn_count(), warns + 1);
	EXPECT_TRUE(movable_table_page(&t, 0) == page);
	EXPECT_EQ(page_movable_kind(dst), MOVABLE_NONE);
	putback_movable_page(page);				/* not isolated */
	EXPECT_EQ(warn_count(), warns + 2);
	EXPECT_TRUE(movable_table_check(&t, 0));

	/* Isolated twice: the second fails; the owner cannot take it meanwhile. */
	EXPECT_TRUE(isolate_movable_page(page));
	EXPECT_TRUE(!isolate_movable_page(page));
	EXPECT_TRUE(movable_table_clear(&t, 0, &busy) == NULL);
	EXPECT_TRUE(busy);
	EXPECT_EQ(migrate_movable_page(dst, page), 0);
	EXPECT_TRUE(movable_table_page(&t, 0) == dst);
	EXPECT_TRUE(movable_table_check(&t, 0));
	EXPECT_EQ(page_movable_kind(page), MOVABLE_NONE);
	EXPECT_TRUE(!page_test_flag(page, PG_isolated));
	EXPECT_TRUE(!page_test_flag(dst, PG_isolated));
	EXPECT_EQ(page_private(page), 0);
	__free_page(page);
	EXPECT_TRUE(movable_table_clear(&t, 0, &busy) == dst);
	__free_page(dst);
	__free_page(plain);
	movable_table_unregister(&t);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), warns + 2);
}

/*
 * A page some other scanner holds isolated (PG_isolated set) when compaction runs: skipped,
 * not counted as a failure, left where it is, still isolated; put back afterwards, its
 * pattern intact, and the next run may move it.
 */
HOST_TEST(compact_skips_an_isolated_page)
{
	struct compact_result r;
	struct page *p;

	boot_mode("owner");
	fragment(&F, NULL, false);
	p = F.first_movable;
	ASSERT_TRUE(isolate_movable_page(p));
	ASSERT_EQ(compact_zone(F.zone, -1, true, &r), 0);
	EXPECT_GT(r.migrated, 0);
	EXPECT_EQ(r.failed, 0);
	EXPECT_EQ(F.table.migrated, r.migrated);
	EXPECT_TRUE(movable_table_page(&F.table, F.first_slot) == p);
	EXPECT_TRUE(page_test_flag(p, PG_isolated));
	EXPECT_EQ(page_movable_kind(p), MOVABLE_TEST);
	EXPECT_EQ(mm_check_invariants(), 0);
	putback_movable_page(p);
	EXPECT_TRUE(!page_test_flag(p, PG_isolated));
	EXPECT_TRUE(movable_table_check(&F.table, F.first_slot));
	unfragment(&F);
}

/* ---- balloon pages as the movable pages (mm/balloon.c with a migrate callback) ---- */

/*
 * The host's side of a balloon without a device: each migration must name a page that is
 * inflated now as the old one and a page not in the balloon as the new one; fail_every
 * makes every n-th call fail (-EIO), as a host that refuses.
 */
static struct {
	unsigned long calls, bad, failed;
	unsigned int fail_every;
} host;

static int host_migratepage(struct balloon *b, struct page *newpage, struct page *page)
{
	assert_spin_locked(&b->lock);
	host.calls++;
	if (balloon_of_page(newpage) || balloon_of_page(page) != b)
		host.bad++;
	if (host.fail_every && host.calls % host.fail_every == 0) {
		host.failed++;
		return -EIO;
	}
	return 0;
}

/* The balloon's pages and what the test wrote in them (the host owns a page's contents). */
static unsigned long bal_pfn[NR_SLOTS];

static u64 bal_word(unsigned long pfn, unsigned long w)
{
	return pfn * 0x100000001b3ULL ^ w ^ 0x5a5a5a5a5a5a5a5aULL;
}

static void balloon_fill(const struct frag *f)
{
	unsigned long n = 0;
	struct page *page;

	guard(spinlock_irqsave)(&f->bal->lock);
	list_for_each_entry(page, &f->bal->pages, lru) {
		u64 *p = page_address(page);

		bal_pfn[n++] = page_to_pfn(page);
		for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
			p[w] = bal_word(page_to_pfn(page), w);
	}
}

/* Pages recorded by balloon_fill() still in the balloon at their pfn with their contents. */
static unsigned long balloon_unmoved(const struct frag *f, unsigned long *bad)
{
	unsigned long n = 0;

	*bad = 0;
	for (unsigned long i = 0; i < f->nr_movable; i++) {
		struct page *page = pfn_to_page(bal_pfn[i]);
		const u64 *p = page_address(page);

		if (balloon_of_page(page) != f->bal)
			continue;
		n++;
		for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
			if (p[w] != bal_word(bal_pfn[i], w)) {
				(*bad)++;
				break;
			}
	}
	return n;
}

/* before: fragmented with inflated balloon pages as the movable ones. after: order-9 again. */
HOST_TEST(compact_balloon_pages_migrate)
{
	static struct balloon bal;
	struct compact_result r;
	unsigned long after, bad;

	boot_mode("owner");
	ASSERT_EQ(balloon_init(&bal, "host-compact", true), 0);
	bal.migratepage = host_migratepage;
	fragment(&F, &bal, true);
	EXPECT_EQ(balloon_nr_inflated(&bal), F.nr_movable);
	balloon_fill(&F);
	ASSERT_EQ(compact_zone(F.zone, -1, false, &r), 0);
	after = zone_free_blocks_at_least(F.zone, pageblock_order);
	if (host_verbose)
		print_result("balloon", &r, after);
	EXPECT_GT(r.migrated, 0);
	EXPECT_EQ(r.failed, 0);
	EXPECT_EQ(host.calls, r.migrated);
	EXPECT_EQ(host.bad, 0);
	EXPECT_GE(after, 4);
	EXPECT_EQ(balloon_unmoved(&F, &bad), F.nr_movable - r.migrated);
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(balloon_check(&bal), 0);
	EXPECT_EQ(bal.nr_isolated, 0);
	EXPECT_EQ(balloon_nr_inflated(&bal), F.nr_movable);
	EXPECT_EQ(total_free() + held_pages(&F), F.boot_free);
	EXPECT_EQ(mm_check_invariants(), 0);
	unfragment(&F);
	balloon_destroy(&bal);
}

/*
 * A balloon whose host refuses every migration: each isolated page is put back, unmoved,
 * its contents as they were; the targets go back to the free lists (nothing lost), and the
 * failures are counted as such (PGMIGRATE_FAIL). Then a host refusing every third: the
 * others move, the refused stay whole.
 */
HOST_TEST(compact_failed_migrations_put_pages_back)
{
	static struct balloon bal;
	struct compact_result r;
	unsigned long fails = vm_event(PGMIGRATE_FAIL), bad;

	boot_mode("trylock");
	ASSERT_EQ(balloon_init(&bal, "host-refuses", false), 0);
	bal.migratepage = host_migratepage;
	fragment(&F, &bal, false);
	balloon_fill(&F);
	host.fail_every = 1;
	ASSERT_EQ(compact_zone(F.zone, -1, true, &r), 0);
	EXPECT_EQ(r.migrated, 0);
	EXPECT_GT(r.failed, 0);
	EXPECT_EQ(host.failed, r.failed);
	EXPECT_EQ(vm_event(PGMIGRATE_FAIL), fails + r.failed);
	EXPECT_EQ(balloon_unmoved(&F, &bad), F.nr_movable);
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(bal.nr_isolated, 0);
	EXPECT_EQ(balloon_check(&bal), 0);
	EXPECT_EQ(zone_free_blocks_at_least(F.zone, pageblock_order), 0);
	EXPECT_EQ(total_free() + held_pages(&F), F.boot_free);
	EXPECT_EQ(mm_check_invariants(), 0);

	host = (typeof(host)){ .fail_every = 3 };
	ASSERT_EQ(compact_zone(F.zone, -1, true, &r), 0);
	EXPECT_GT(r.migrated, 0);
	EXPECT_GT(r.failed, 0);
	/* Failures: the host's refusals, and pages the free scanner found no target for. */
	EXPECT_EQ(r.migrated + host.failed, host.calls);
	EXPECT_LE(host.failed, r.failed);
	EXPECT_EQ(balloon_unmoved(&F, &bad), F.nr_movable - r.migrated);
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(balloon_check(&bal), 0);
	EXPECT_EQ(total_free() + held_pages(&F), F.boot_free);
	EXPECT_EQ(mm_check_invariants(), 0);
	unfragment(&F);
	balloon_destroy(&bal);
}

/* ---- threads as CPUs: compaction while others allocate and free ---- */

#define W_SLOTS		1024	/* movable test pages per worker: its slots of the table */
#define W_LOCAL		64	/* unmovable blocks a worker keeps to free itself */
#define W_RING		64	/* blocks handed to the next worker, which frees them */
#define W_ITERS		12000
#define CONC_MIN_RUNS	40	/* compactions the workers' steps overlap at least */
#define CONC_MIN_MIGRATED 64	/* and pages they migrate meanwhile */
#define CONC_MAX_SECONDS 20	/* but no longer than this */
#define NR_WORKERS	(NCPUS - 1)	/* CPUs 1..3; CPU0 compacts */

struct worker {
	pthread_t thread;
	unsigned int cpu;
	bool used[W_SLOTS];			/* my slots holding a page (mine alone) */
	struct page *local[W_LOCAL];
	unsigned int lorder[W_LOCAL];
	unsigned int nr_local;
	/* Single producer (me), single consumer (the next worker). */
	struct page *ring[W_RING];
	unsigned int rorder[W_RING];
	unsigned long head;			/* written by me (atomic) */
	unsigned long tail;			/* written by the consumer (atomic) */
	unsigned long seq;			/* tags for the pages I write */
	unsigned long bad_tags, bad_patterns, busy, remote_frees;
};

static struct worker workers[NR_WORKERS];
static unsigned long conc_runs;		/* compactions done (atomic) */
static unsigned long conc_migrated;	/* pages they migrated (atomic) */
/* A table per worker, as each user of movable pages has its own (the shell, a ktest). */
static struct movable_table conc_table[NR_WORKERS];
static struct page *conc_slots[NR_WORKERS][W_SLOTS];
static int conc_finished;		/* threads past their work (atomic) */
static int conc_workers_done;		/* workers past their work: the compactor stops (atomic) */

/* A block's tag: written into the first word of each of its pages, checked at its free. */
static u64 tag_of(const struct worker *w, unsigned long seq)
{
	return ((u64)w->cpu << 56) ^ (seq * 0x9e3779b97f4a7c15ULL);
}

static void tag_block(struct page *p, unsigned int order, u64 tag)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		*(u64 *)page_address(p + i) = tag + i;
}

static bool tag_ok(struct page *p, unsigned int order)
{
	u64 tag = *(u64 *)page_address(p);

	for (unsigned long i = 1; i < (1UL << order); i++)
		if (*(u64 *)page_address(p + i) != tag + i)
			return false;
	return true;
}

/* Free what the previous worker handed over: remote frees of its pages. */
static void conc_consume(struct worker *me, struct worker *from)
{
	unsigned long t = __atomic_load_n(&from->tail, __ATOMIC_RELAXED);

	while (t != __atomic_load_n(&from->head, __ATOMIC_ACQUIRE)) {
		unsigned int i = t % W_RING;

		if (!tag_ok(from->ring[i], from->rorder[i]))
			me->bad_tags++;
		__free_pages(from->ring[i], from->rorder[i]);
		me->remote_frees++;
		t++;
		__atomic_store_n(&from->tail, t, __ATOMIC_RELEASE);
	}
}

/* Hand a block to the next worker; false if its ring is full. */
static bool conc_hand_over(struct worker *me, struct page *p, unsigned int order)
{
	unsigned long h = me->head;

	if (h - __atomic_load_n(&me->tail, __ATOMIC_ACQUIRE) >= W_RING)
		return false;
	tag_block(p, order, tag_of(me, me->seq++));
	me->ring[h % W_RING] = p;
	me->rorder[h % W_RING] = order;
	__atomic_store_n(&me->head, h + 1, __ATOMIC_RELEASE);
	return true;
}

static void *conc_worker(void *arg)
{
	struct worker *me = arg;
	struct worker *prev = &workers[(me->cpu - 1 + NR_WORKERS - 1) % NR_WORKERS];
	struct movable_table *t = &conc_table[me->cpu - 1];
	unsigned int seed = me->cpu * 7919 + 3;

	host_cpu_attach(me->cpu);
	/*
	 * W_ITERS steps, and on until the compactor has run and migrated enough for the
	 * overlap to be sure (where its targets come from depends on the timing), bounded.
	 */
	u64 until = arch_clock_ns() + CONC_MAX_SECONDS * 1000000000ULL;

	for (int iter = 0; iter < W_ITERS ||
	     ((__atomic_load_n(&conc_runs, __ATOMIC_RELAXED) < CONC_MIN_RUNS ||
	       __atomic_load_n(&conc_migrated, __ATOMIC_RELAXED) < CONC_MIN_MIGRATED) &&
	      arch_clock_ns() < until); iter++) {
		unsigned int r = (unsigned int)rand_r(&seed);
		unsigned int i = (r >> 8) % W_SLOTS;

		switch (r % 8) {
		case 0: case 1: case 2:		/* a movable page into a free slot of mine */
			if (!me->used[i]) {
				struct page *p = alloc_page(MOVABLE | __GFP_NOWARN);

				if (p) {
					movable_table_set(t, i, p);
					me->used[i] = true;
				}
			}
			break;
		case 3: case 4:			/* a movable page out: checked, freed here or there */
			if (me->used[i]) {
				struct page *p;
				bool busy;

				if (!movable_table_check(t, i))
					me->bad_patterns++;
				p = movable_table_clear(t, i, &busy);
				if (busy) {
					me->busy++;	/* the compactor holds it: later */
					break;
				}
				me->used[i] = false;
				if (!(r & 0x10000) || !conc_hand_over(me, p, 0))
					__free_pages(p, 0);
			}
			break;
		case 5: {			/* an unmovable block of order 0..3 */
			unsigned int o = (r >> 4) % 4;
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);

			if (!p)
				break;
			if (r & 0x10000 && conc_hand_over(me, p, o))
				break;
			if (me->nr_local < W_LOCAL) {
				tag_block(p, o, tag_of(me, me->seq++));
				me->local[me->nr_local] = p;
				me->lorder[me->nr_local++] = o;
			} else {
				__free_pages(p, o);
			}
			break;
		}
		case 6:				/* one of my unmovable blocks freed here */
			if (me->nr_local) {
				unsigned int k = i % me->nr_local;

				if (!tag_ok(me->local[k], me->lorder[k]))
					me->bad_tags++;
				__free_pages(me->local[k], me->lorder[k]);
				me->local[k] = me->local[--me->nr_local];
				me->lorder[k] = me->lorder[me->nr_local];
			}
			break;
		case 7:
			conc_consume(me, prev);
			break;
		}
		if (iter % 2048 == 0)
			host_idle_enter(), host_idle_exit();
	}
	__atomic_fetch_add(&conc_workers_done, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&conc_finished, 1, __ATOMIC_SEQ_CST);
	/* Stay a CPU that answers IPIs (drains) until every thread is done. */
	while (__atomic_load_n(&conc_finished, __ATOMIC_SEQ_CST) < NCPUS) {
		conc_consume(me, prev);
		host_poll_ipis();
		sched_yield();
	}
	conc_consume(me, prev);
	host_cpu_detach();
	return NULL;
}

static struct compact_result conc_total;
static unsigned long conc_bad_results;

static void *conc_compactor(void *arg)
{
	struct zone *zone = arg;
	unsigned int seed = 99;
	const int orders[] = { -1, 3, (int)pageblock_order };

	host_cpu_attach(0);
	while (__atomic_load_n(&conc_workers_done, __ATOMIC_SEQ_CST) < NR_WORKERS) {
		unsigned int r = (unsigned int)rand_r(&seed);
		struct compact_result res;

		if (compact_zone(zone, orders[r % 3], r & 4, &res))
			conc_bad_results++;
		if (res.migrated + res.failed > res.isolated)
			conc_bad_results++;
		conc_total.migrated += res.migrated;
		__atomic_fetch_add(&conc_migrated, res.migrated, __ATOMIC_RELAXED);
		conc_total.failed += res.failed;
		conc_total.isolated += res.isolated;
		__atomic_fetch_add(&conc_runs, 1, __ATOMIC_RELAXED);
	}
	__atomic_fetch_add(&conc_finished, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&conc_finished, __ATOMIC_SEQ_CST) < NCPUS) {
		host_poll_ipis();
		sched_yield();
	}
	host_cpu_detach();
	return NULL;
}

/*
 * CPU0 compacts the zone again and again (every order, sync and async) while CPUs 1..3
 * allocate movable test pages and unmovable blocks of order 0..3 and free them, a third of
 * them on the next CPU (remote frees: onto the owner's free_llist in owner mode). At the end
 * no page is lost (free + held == what was free at boot), no pattern or tag is broken, the
 * checker is clean, and after freeing the rest the free lists are as at boot.
 */
static void run_concurrent(const char *mode)
{
	unsigned long boot_free, held = 0, bad_tags = 0, bad_patterns = 0, remote = 0, migrated = 0;
	pthread_t compactor;

	boot_mode(mode);
	boot_free = total_free();
	for (unsigned int w = 0; w < NR_WORKERS; w++)
		ASSERT_EQ(movable_table_register(&conc_table[w], conc_slots[w], W_SLOTS, 4242 + w),
			  0);
	/*
	 * The zone fragmented first, as in the single-CPU cases: no free block of pageblock
	 * order, so the workers allocate from the holes and every compaction, whatever its
	 * order, has work (with whole free blocks about, a run for an order stops at once, and
	 * a full run leaves the workers' blocks, pinned by their unmovable pages, alone).
	 */
	fragment(&F, NULL, false);
	pthread_create(&compactor, NULL, conc_compactor, zone_of(ZONE_DMA32));
	for (unsigned int w = 0; w < NR_WORKERS; w++) {
		workers[w].cpu = w + 1;
		pthread_create(&workers[w].thread, NULL, conc_worker, &workers[w]);
	}
	for (unsigned int w = 0; w < NR_WORKERS; w++)
		pthread_join(workers[w].thread, NULL);
	pthread_join(compactor, NULL);

	host_set_cpu(0);
	for (unsigned int w = 0; w < NR_WORKERS; w++) {
		struct worker *me = &workers[w];

		EXPECT_EQ(me->head, me->tail);	/* every hand-over was freed */
		for (unsigned int i = 0; i < W_SLOTS; i++)
			held += me->used[i];
		for (unsigned int k = 0; k < me->nr_local; k++)
			held += 1UL << me->lorder[k];
		bad_tags += me->bad_tags;
		bad_patterns += me->bad_patterns;
		remote += me->remote_frees;
	}
	/*
	 * A drain that waited past its bound is said, not failed: a host thread (unlike a CPU)
	 * can lose its core for that long on a loaded machine. Nothing below depends on it.
	 */
	if (host_verbose)
		fprintf(stderr, "%s: %lu runs: isolated %lu, migrated %lu, failed %lu; "
			"%lu remote frees; %lu pages held at the end; %u drains timed out\n",
			mode, conc_runs, conc_total.isolated, conc_total.migrated,
			conc_total.failed, remote, held, host_log_count("did not drain"));
	EXPECT_EQ(conc_bad_results, 0);
	EXPECT_GT(conc_runs, 0);
	EXPECT_GE(conc_total.migrated, CONC_MIN_MIGRATED);
	EXPECT_GT(remote, 0);
	EXPECT_EQ(bad_tags, 0);
	EXPECT_EQ(bad_patterns, 0);
	for (unsigned int w = 0; w < NR_WORKERS; w++) {
		EXPECT_EQ(conc_table[w].pattern_bad, 0);
		migrated += conc_table[w].migrated;
	}
	held += held_pages(&F);
	migrated += F.table.migrated;
	EXPECT_EQ(migrated, conc_total.migrated);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(patterns_bad(&F), 0);
	EXPECT_EQ(total_free() + held, boot_free);

	for (unsigned int w = 0; w < NR_WORKERS; w++) {
		struct worker *me = &workers[w];

		for (unsigned int i = 0; i < W_SLOTS; i++) {
			struct page *p;
			bool busy;

			if (!me->used[i])
				continue;
			EXPECT_TRUE(movable_table_check(&conc_table[w], i));
			p = movable_table_clear(&conc_table[w], i, &busy);
			EXPECT_TRUE(p != NULL && !busy);
			if (p)
				__free_page(p);
		}
		for (unsigned int k = 0; k < me->nr_local; k++) {
			EXPECT_TRUE(tag_ok(me->local[k], me->lorder[k]));
			__free_pages(me->local[k], me->lorder[k]);
		}
	}
	for (unsigned int w = 0; w < NR_WORKERS; w++)
		movable_table_unregister(&conc_table[w]);
	unfragment(&F);		/* and then the free lists exactly as at boot */
}

HOST_TEST(compact_concurrent_owner)
{
	run_concurrent("owner");
}

HOST_TEST(compact_concurrent_trylock)
{
	run_concurrent("trylock");
}

/* ---- the virtio-balloon driver's pages, its simulated device answering ---- */

#define VB_INFLATEQ	0
#define VB_DEFLATEQ	1
#define VB_BLOCKS	8	/* pageblocks with a balloon page at every even pfn */
#define VB_PADDING	6	/* blocks half free (order 8): inflation stays above its floor */

static struct sim_dev vbdev;

/* The host asks for @pages in the balloon: config written, the config interrupt taken. */
static void vb_target(u32 pages)
{
	memcpy(&vbdev.config[0], &pages, sizeof(pages));
	sim_config_change(&vbdev);
}

static u32 vb_actual(void)
{
	u32 v;

	memcpy(&v, &vbdev.config[4], sizeof(v));
	return v;
}

static unsigned long vb_inflated(void)
{
	unsigned long n = 0;
	bool in_memtotal;

	ASSERT_TRUE(virtio_balloon_state(&n, &in_memtotal));
	return n;
}

static unsigned int vb_requests(void)
{
	return sim_avail(&vbdev, VB_INFLATEQ)->idx + sim_avail(&vbdev, VB_DEFLATEQ)->idx;
}

/* Run the driver's work and acknowledge everything until nothing new happens (bounded). */
static void vb_settle(void)
{
	for (unsigned int i = 0; i < 2000; i++) {
		unsigned int before = vb_requests(), n;

		host_run_work();
		n = sim_process(&vbdev, VB_INFLATEQ, 64) + sim_process(&vbdev, VB_DEFLATEQ, 64);
		if (n)
			sim_raise(&vbdev);
		if (!n && vb_requests() == before)
			return;
	}
	ASSERT_TRUE(!"the balloon never settled");
}

/*
 * drivers/virtio/virtio_balloon.c's pages as the movable ones, moved by compaction with the
 * simulated device acknowledging each request at once. before: 8 pageblocks with a balloon
 * page at (nearly) every even pfn and a hole at every odd one, no free order-9 block. after:
 * order-9 blocks again; for each migration the host heard "inflate new" then "deflate old",
 * in that order, and the new page is the balloon's, the old one not; `actual` and the
 * balloon's size never moved; deflating to 0 brings every page home.
 */
HOST_TEST(compact_virtio_balloon_pages)
{
	struct page *page, *tmp, *blocks[VB_BLOCKS + VB_PADDING];
	struct list_head held, holes, padding;
	struct compact_result r;
	unsigned long free0, nb = 0, in_blocks = 0, after;
	struct zone *zone;
	u32 target = 0;

	boot_mode("off");
	sim_dev_init(&vbdev, VIRTIO_ID_BALLOON, false, 64, 16);
	vbdev.has_line = true;
	virtio_balloon_init();
	ASSERT_EQ(virtio_register_device(&vbdev.vdev), 0);
	vb_settle();
	free0 = total_free();

	/* Every order-9 block held; some cut up below. */
	INIT_LIST_HEAD(&held);
	INIT_LIST_HEAD(&holes);
	INIT_LIST_HEAD(&padding);
	page = alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order);
	ASSERT_TRUE(page != NULL);
	zone = page_zone(page);
	list_add(&page->lru, &held);
	while (zone_free_blocks_at_least(zone, pageblock_order) &&
	       (page = __alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order, NUMA_NO_NODE,
				     ALLOC_NO_WATERMARKS | ALLOC_SINGLE_PASS)))
		list_add(&page->lru, &held);
	list_for_each_entry_safe(page, tmp, &held, lru) {
		if (nb == VB_BLOCKS + VB_PADDING)
			break;
		if (page_zone(page) == zone) {
			list_del(&page->lru);
			blocks[nb++] = page;
		}
	}
	ASSERT_EQ(nb, VB_BLOCKS + VB_PADDING);
	/* Padding: the upper half of each free (an order-8 piece), the lower half held. */
	for (unsigned long b = VB_BLOCKS; b < nb; b++) {
		split_to_pages(blocks[b], pageblock_order);
		for (unsigned long i = 0; i < pageblock_nr_pages; i++) {
			if (i < pageblock_nr_pages / 2)
				list_add(&blocks[b][i].lru, &padding);
			else
				__free_pages(blocks[b] + i, 0);
		}
	}
	/* Test blocks: odd pfns held for now, even pfns freed last, so taken first. */
	for (unsigned long b = 0; b < VB_BLOCKS; b++) {
		split_to_pages(blocks[b], pageblock_order);
		for (unsigned long i = 1; i < pageblock_nr_pages; i += 2)
			list_add(&blocks[b][i].lru, &holes);
	}
	for (unsigned long b = 0; b < VB_BLOCKS; b++)
		for (unsigned long i = 0; i < pageblock_nr_pages; i += 2, target++)
			__free_pages(blocks[b] + i, 0);
	vb_target(target);
	vb_settle();
	ASSERT_EQ(vb_actual(), target);
	ASSERT_EQ(vb_inflated(), target);
	list_for_each_entry_safe(page, tmp, &holes, lru) {
		list_del(&page->lru);
		__free_pages(page, 0);
	}
	for (unsigned long b = 0; b < VB_BLOCKS; b++)
		for (unsigned long i = 0; i < pageblock_nr_pages; i += 2)
			in_blocks += PageBalloon(blocks[b] + i);
	EXPECT_GE(in_blocks, target * 3 / 4);
	EXPECT_EQ(zone_free_blocks_at_least(zone, pageblock_order), 0);
	EXPECT_EQ(mm_check_invariants(), 0);

	vbdev.auto_ack = true;
	vbdev.nr_ack_log = 0;
	ASSERT_EQ(compact_zone(zone, -1, true, &r), 0);
	vbdev.auto_ack = false;
	after = zone_free_blocks_at_least(zone, pageblock_order);
	if (host_verbose)
		print_result("virtio-balloon", &r, after);
	EXPECT_GT(r.migrated, 0);
	/*
	 * The driver refused none; a page or two dozen may find no target where the scanners
	 * meet (put back, counted failed): at most one batch (COMPACT_CLUSTER_MAX, 32).
	 */
	EXPECT_EQ(vm_event(PGMIGRATE_FAIL), 0);
	EXPECT_LE(r.failed, 32);
	EXPECT_GE(after, 1);
	/* The first 32 migrations, as the device saw them: new page in, then old page out. */
	EXPECT_EQ(vbdev.nr_ack_log, r.migrated * 2 < 64 ? r.migrated * 2 : 64);
	for (unsigned int i = 0; i + 1 < vbdev.nr_ack_log; i += 2) {
		EXPECT_EQ(vbdev.ack_log[i].qi, VB_INFLATEQ);
		EXPECT_EQ(vbdev.ack_log[i + 1].qi, VB_DEFLATEQ);
		EXPECT_TRUE(PageBalloon(pfn_to_page(vbdev.ack_log[i].word)));
		EXPECT_TRUE(!PageBalloon(pfn_to_page(vbdev.ack_log[i + 1].word)));
	}
	EXPECT_EQ(vb_actual(), target);
	EXPECT_EQ(vb_inflated(), target);
	EXPECT_EQ(mm_check_invariants(), 0);

	vb_target(0);
	vb_settle();
	EXPECT_EQ(vb_actual(), 0);
	EXPECT_EQ(vb_inflated(), 0);
	list_for_each_entry_safe(page, tmp, &padding, lru) {
		list_del(&page->lru);
		__free_pages(page, 0);
	}
	list_for_each_entry_safe(page, tmp, &held, lru) {
		list_del(&page->lru);
		__free_pages(page, pageblock_order);
	}
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(total_free(), free0);
	EXPECT_EQ(warn_count(), 0);
}

/*
 * page_poison=1 and a free page written after its free (a stray write), at the top of the
 * zone where the free scanner looks first. Taking it as a target, the scanner checks its
 * poison as an allocation would: the damage must be reported once, the page kept out of
 * circulation (PG_bad, NR_BAD_PAGES), and the run must go on with other targets, nothing
 * else lost, every pattern intact, the checker clean. (It once hung: the check, which takes
 * the zone lock to put the page away, ran under the zone lock; the run is bounded at 10 s.)
 */
HOST_TEST(compact_poisoned_target_is_reported_and_skipped)
{
	struct compact_result r;
	unsigned long pfn, end;
	struct page *victim = NULL;
	pid_t pid;
	int status;

	boot_mode("off page_poison=1");
	fragment(&F, NULL, false);
	/* The highest poisoned free piece below pageblock order: an early target. */
	end = zone_end_pfn(F.zone);
	for (pfn = end - 1; pfn >= F.zone->zone_start_pfn && !victim; pfn--) {
		struct page *p = pfn_to_page(pfn);

		if (PageBuddy(p) && buddy_order(p) < pageblock_order && PagePoisoned(p) &&
		    get_pageblock_migratetype(p) == MIGRATE_MOVABLE)
			victim = p;
	}
	ASSERT_TRUE(victim != NULL);
	host_log_clear();
	((u8 *)page_address(victim))[100] ^= 0xff;
	/* In a child with a bound: a run that never ends is a finding too. */
	pid = fork();
	if (pid == 0) {
		alarm(10);
		ASSERT_EQ(compact_zone(F.zone, -1, true, &r), 0);
		EXPECT_GT(r.migrated, 0);
		EXPECT_EQ(host_log_count("BUG: free page corrupted"), 1);
		EXPECT_TRUE(PageBad(victim));
		EXPECT_EQ(zone_page_state(F.zone, NR_BAD_PAGES), 1);
		EXPECT_EQ(total_free() + held_pages(&F) + 1, F.boot_free);
		EXPECT_EQ(patterns_bad(&F), 0);
		EXPECT_EQ(mm_check_invariants(), 0);
		host_test_end();
	}
	ASSERT_TRUE(pid > 0);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		fprintf(stderr, "compaction did not end within 10 s (signal %d)\n",
			WTERMSIG(status));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
