// SPDX-License-Identifier: MIT
/*
 * Host tests of mm/extfrag.c: the unusable free space index and the fragmentation index on
 * hand-made free-block counts (the edge cases and two published Linux outputs), the text of
 * a line, and a snapshot of a real booted zone.
 */
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "mm/extfrag.h"

/* A snapshot with nr_free[o] = counts[o] for the orders given, zero above. */
static struct extfrag_snapshot snap_of(const unsigned long *counts, unsigned int n)
{
	struct extfrag_snapshot s = { { 0 } };

	for (unsigned int o = 0; o < n; o++)
		s.nr_free[o] = counts[o];
	return s;
}

static void expect_line(const struct extfrag_snapshot *s, enum extfrag_kind kind,
			const char *want)
{
	char buf[256];
	size_t n = extfrag_format_line(buf, sizeof(buf), 0, "DMA32", s, kind);

	EXPECT_EQ(n, strlen(want));
	if (strcmp(buf, want) != 0) {
		fprintf(stderr, "line:     '%s'\nexpected: '%s'\n", buf, want);
		host_test_failures++;
	}
}

/*
 * before: no free page at all. after: every order's unusable index is 1.000 (no free memory
 * counts as all of it unusable) and every fragmentation index 0.000 (no free block: a
 * failure would be for lack of memory).
 */
HOST_TEST(extfrag_no_free_pages)
{
	struct extfrag_snapshot s = { { 0 } };
	struct extfrag_info info;

	for (unsigned int o = 0; o < EXTFRAG_NR_ORDERS; o++) {
		EXPECT_EQ(extfrag_unusable_index(&s, o), 1000);
		EXPECT_EQ(extfrag_fragmentation_index(&s, o), 0);
	}
	extfrag_fill_info(&s, 0, &info);
	EXPECT_EQ(info.free_pages, 0);
	EXPECT_EQ(info.free_blocks_total, 0);
	EXPECT_EQ(info.free_blocks_suitable, 0);
	expect_line(&s, EXTFRAG_UNUSABLE, "Node 0, zone    DMA32 1.000 1.000 1.000 1.000 1.000 "
		    "1.000 1.000 1.000 1.000 1.000 1.000 ");
	expect_line(&s, EXTFRAG_INDEX, "Node 0, zone    DMA32  0.000  0.000  0.000  0.000  0.000 "
		    " 0.000  0.000  0.000  0.000  0.000  0.000 ");
}

/*
 * before: all free memory in one block of MAX_PAGE_ORDER. after: nothing is unusable at any
 * order (0.000), and every order is satisfied (-1.000).
 */
HOST_TEST(extfrag_one_max_order_block)
{
	struct extfrag_snapshot s = { { 0 } };
	struct extfrag_info info;

	s.nr_free[MAX_PAGE_ORDER] = 1;
	for (unsigned int o = 0; o < EXTFRAG_NR_ORDERS; o++) {
		EXPECT_EQ(extfrag_unusable_index(&s, o), 0);
		EXPECT_EQ(extfrag_fragmentation_index(&s, o), -1000);
	}
	/* Order 9: one order-10 block is two order-9 blocks. */
	extfrag_fill_info(&s, 9, &info);
	EXPECT_EQ(info.free_pages, 1UL << MAX_PAGE_ORDER);
	EXPECT_EQ(info.free_blocks_total, 1);
	EXPECT_EQ(info.free_blocks_suitable, 2);
	expect_line(&s, EXTFRAG_UNUSABLE, "Node 0, zone    DMA32 0.000 0.000 0.000 0.000 0.000 "
		    "0.000 0.000 0.000 0.000 0.000 0.000 ");
	expect_line(&s, EXTFRAG_INDEX, "Node 0, zone    DMA32 -1.000 -1.000 -1.000 -1.000 -1.000 "
		    "-1.000 -1.000 -1.000 -1.000 -1.000 -1.000 ");
}

/*
 * before: free blocks of orders 0, 1 and 9: 10 x order 0, 5 x order 1, 1 x order 9 (532
 * pages in 16 blocks). after: an order with a free block of it or above is -1.000, and only
 * order 10 is a failure: 1000 - (1000 + 532000 / 1024) / 16 = 1000 - 1519 / 16 = 906.
 * Unusable: order 1 leaves the 10 single pages (10000 / 532 = 18), order 2..9 the 20 pages
 * below order 9... (20000 / 532 = 37) and order 10 everything (1000).
 */
HOST_TEST(extfrag_request_satisfied_is_minus_one)
{
	static const unsigned long counts[] = { 10, 5, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct extfrag_snapshot s = snap_of(counts, ARRAY_SIZE(counts));

	for (unsigned int o = 0; o <= 9; o++)
		EXPECT_EQ(extfrag_fragmentation_index(&s, o), -1000);
	EXPECT_EQ(extfrag_fragmentation_index(&s, 10), 906);
	EXPECT_EQ(extfrag_unusable_index(&s, 0), 0);
	EXPECT_EQ(extfrag_unusable_index(&s, 1), 18);
	for (unsigned int o = 2; o <= 9; o++)
		EXPECT_EQ(extfrag_unusable_index(&s, o), 37);
	EXPECT_EQ(extfrag_unusable_index(&s, 10), 1000);
	expect_line(&s, EXTFRAG_INDEX, "Node 0, zone    DMA32 -1.000 -1.000 -1.000 -1.000 -1.000 "
		    "-1.000 -1.000 -1.000 -1.000 -1.000  0.906 ");
	expect_line(&s, EXTFRAG_UNUSABLE, "Node 0, zone    DMA32 0.000 0.018 0.037 0.037 0.037 "
		    "0.037 0.037 0.037 0.037 0.037 1.000 ");
}

/*
 * before: 1983 free order-0 pages and nothing else, the zone of a published Linux example
 * (linux-mm, 2018: `head -1 extfrag_index` beside `head -1 /proc/buddyinfo`). after: the
 * same line Linux printed, -1.000 0.500 0.750 ... 0.999; unusable: everything above order 0.
 */
HOST_TEST(extfrag_matches_linux_1983_single_pages)
{
	static const unsigned long counts[] = { 1983 };
	struct extfrag_snapshot s = snap_of(counts, ARRAY_SIZE(counts));

	expect_line(&s, EXTFRAG_INDEX, "Node 0, zone    DMA32 -1.000  0.500  0.750  0.875  0.937 "
		    " 0.969  0.984  0.992  0.996  0.998  0.999 ");
	expect_line(&s, EXTFRAG_UNUSABLE, "Node 0, zone    DMA32 0.000 1.000 1.000 1.000 1.000 "
		    "1.000 1.000 1.000 1.000 1.000 1.000 ");
}

/*
 * before: one free page (the same message's second example). after: Linux's formula goes
 * below zero (1000 - (1000 + 1000 / 2^o) / 1): -500, -250, ... -1, then 0 at order 10, which
 * Linux printed "0.-500"; we print the same numbers as "-0.500".
 */
HOST_TEST(extfrag_single_page_goes_negative)
{
	static const int want[] = { -1000, -500, -250, -125, -62, -31, -15, -7, -3, -1, 0 };
	static const unsigned long counts[] = { 1 };
	struct extfrag_snapshot s = snap_of(counts, ARRAY_SIZE(counts));

	for (unsigned int o = 0; o < EXTFRAG_NR_ORDERS; o++)
		EXPECT_EQ(extfrag_fragmentation_index(&s, o), want[o]);
	expect_line(&s, EXTFRAG_INDEX, "Node 0, zone    DMA32 -1.000 -0.500 -0.250 -0.125 -0.062 "
		    "-0.031 -0.015 -0.007 -0.003 -0.001  0.000 ");
}

/* A short buffer: the line is cut, NUL-terminated, and its full length still returned. */
HOST_TEST(extfrag_line_truncates_like_snprintf)
{
	struct extfrag_snapshot s = { { 0 } };
	char full[256], cut[20];
	size_t n = extfrag_format_line(full, sizeof(full), 0, "DMA32", &s, EXTFRAG_INDEX);

	memset(cut, 'x', sizeof(cut));
	EXPECT_EQ(extfrag_format_line(cut, sizeof(cut), 0, "DMA32", &s, EXTFRAG_INDEX), n);
	EXPECT_EQ(strlen(cut), sizeof(cut) - 1);
	EXPECT_EQ(strncmp(cut, full, sizeof(cut) - 1), 0);
}

/*
 * before: a booted 64 MiB machine, its per-CPU lists drained. after: the snapshot is the
 * zone's free_area counts, its pages are the zone's free pages, and show_extfrag() prints
 * exactly the formatted line for each populated zone. One order-0 page allocated from a
 * quiet zone leaves a split block behind: the order-0 unusable index stays 0.
 */
HOST_TEST(extfrag_snapshot_of_a_booted_zone)
{
	struct zone *zone;
	struct page *page;

	boot_simple(64 * MiB, NULL);
	page = alloc_pages(GFP_KERNEL, 0);
	ASSERT_TRUE(page);
	drain_all_pages(NULL);
	host_log_clear();
	show_extfrag(EXTFRAG_UNUSABLE);
	for_each_zone(zone) {
		struct extfrag_snapshot s;
		struct extfrag_info info;
		char line[256];

		if (!populated_zone(zone))
			continue;
		extfrag_snapshot_zone(zone, &s);
		for (unsigned int o = 0; o < EXTFRAG_NR_ORDERS; o++)
			EXPECT_EQ(s.nr_free[o], zone->free_area[o].nr_free);
		extfrag_fill_info(&s, 0, &info);
		EXPECT_EQ(info.free_pages, zone_page_state(zone, NR_FREE_PAGES) +
					   zone_page_state(zone, NR_FREE_ISOLATED));
		EXPECT_EQ(extfrag_unusable_index(&s, 0), 0);
		extfrag_format_line(line, sizeof(line), zone->node, zone->name, &s,
				    EXTFRAG_UNUSABLE);
		EXPECT_TRUE(host_log_contains(line));
	}
	__free_pages(page, 0);
	EXPECT_EQ(mm_check_invariants(), 0);
}
