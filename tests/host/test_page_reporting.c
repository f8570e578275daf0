// SPDX-License-Identifier: MIT
/*
 * Host tests of mm/page_reporting.c against the real buddy allocator, with a device that
 * records what it is given.
 */
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "mm/page_reporting.h"

#define MOVABLE	(GFP_KERNEL | __GFP_MOVABLE)

static struct page *got[PAGE_REPORTING_CAPACITY];
static unsigned int got_orders[PAGE_REPORTING_CAPACITY], got_n, calls;

static int record_report(struct page_reporting_dev_info *prdev, struct page *const *pages,
			 const unsigned int *orders, unsigned int n)
{
	(void)prdev;
	memcpy(got, pages, n * sizeof(*pages));
	memcpy(got_orders, orders, n * sizeof(*orders));
	got_n = n;
	calls++;
	return 0;
}

static struct page_reporting_dev_info dev = { .report = record_report, .name = "test" };

static unsigned long got_pages(void)
{
	unsigned long pages = 0;

	for (unsigned int i = 0; i < got_n; i++)
		pages += 1UL << got_orders[i];
	return pages;
}

/*
 * before: a booted zone, a device registered. after one round: at most 32 blocks of order
 * >= pageblock order are out (off the lists, NR_FREE_PAGES lower by their pages, the
 * checker clean); a second round waits; after done() they are back, PG_reported, and free
 * pages are as before.
 */
HOST_TEST(page_reporting_round_trip)
{
	unsigned long free0;

	boot_simple(64 * MiB, NULL);
	free0 = nr_free_pages();
	ASSERT_EQ(page_reporting_register(&dev), 0);
	EXPECT_EQ(page_reporting_register(&dev), -EBUSY);
	page_reporting_run();
	ASSERT_EQ(calls, 1);
	EXPECT_GT(got_n, 0);
	EXPECT_LE(got_n, PAGE_REPORTING_CAPACITY);
	for (unsigned int i = 0; i < got_n; i++) {
		EXPECT_GE(got_orders[i], PAGE_REPORTING_MIN_ORDER);
		EXPECT_TRUE(!PageBuddy(got[i]));
	}
	EXPECT_EQ(nr_free_pages(), free0 - got_pages());
	EXPECT_EQ(mm_check_invariants(), 0);
	page_reporting_run();
	EXPECT_EQ(calls, 1);		/* blocks are out: no second round */

	page_reporting_done(&dev, true);
	EXPECT_EQ(nr_free_pages(), free0);
	for (unsigned int i = 0; i < got_n; i++)
		EXPECT_TRUE(PageBuddy(got[i]) && PageReported(got[i]));
	EXPECT_EQ(mm_check_invariants(), 0);
	page_reporting_unregister(&dev);
}

/*
 * before: every reportable block reported (rounds until none is left). after allocating
 * one block of pageblock order and freeing it: exactly that memory is reported again (it
 * left its list, so it lost PG_reported). A failed report puts blocks back unreported.
 */
HOST_TEST(page_reporting_again_after_reuse)
{
	unsigned int rounds = 0;
	struct page *p;

	boot_simple(64 * MiB, NULL);
	calls = 0;
	ASSERT_EQ(page_reporting_register(&dev), 0);
	do {
		unsigned int before = calls;

		page_reporting_run();
		if (calls == before)
			break;
		page_reporting_done(&dev, true);
	} while (++rounds < 100);
	EXPECT_LT(rounds, 100);
	EXPECT_GT(vm_event(PGREPORTED), 0);
	page_reporting_run();
	EXPECT_EQ(calls, rounds);		/* nothing left to report */

	p = alloc_pages(MOVABLE, PAGE_REPORTING_MIN_ORDER);
	ASSERT_TRUE(p);
	EXPECT_TRUE(!PageReported(p));
	__free_pages(p, PAGE_REPORTING_MIN_ORDER);
	drain_all_pages(NULL);
	page_reporting_run();
	ASSERT_EQ(calls, rounds + 1);
	EXPECT_GE(got_n, 1);
	/* The freed block (or the bigger block it merged into) is what was reported. */
	{
		bool found = false;
		unsigned long pfn = page_to_pfn(p);

		for (unsigned int i = 0; i < got_n; i++) {
			unsigned long start = page_to_pfn(got[i]);

			if (pfn >= start && pfn < start + (1UL << got_orders[i]))
				found = true;
		}
		EXPECT_TRUE(found);
	}
	page_reporting_done(&dev, false);
	for (unsigned int i = 0; i < got_n; i++)
		EXPECT_TRUE(PageBuddy(got[i]) && !PageReported(got[i]));
	EXPECT_EQ(mm_check_invariants(), 0);
	page_reporting_unregister(&dev);
}

/* Unregistering while blocks are with the device puts them back; nothing is lost. */
HOST_TEST(page_reporting_unregister_returns_blocks)
{
	unsigned long free0;

	boot_simple(64 * MiB, NULL);
	free0 = nr_free_pages();
	ASSERT_EQ(page_reporting_register(&dev), 0);
	page_reporting_run();
	EXPECT_LT(nr_free_pages(), free0);
	page_reporting_unregister(&dev);
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_EQ(mm_check_invariants(), 0);
	/* And a new device may register. */
	EXPECT_EQ(page_reporting_register(&dev), 0);
	page_reporting_unregister(&dev);
}
