// SPDX-License-Identifier: MIT
/*
 * Host tests of the checks in mm/debug.c: every bad free is reported precisely and refused,
 * and the allocator stays consistent (mm_check_invariants() == 0) after each; page_poison=1
 * catches a write to a free page and never hands that page out.
 */
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"

#define MOVABLE	(GFP_KERNEL | __GFP_MOVABLE)

static void expect_refused(const char *what, unsigned long free_before)
{
	EXPECT_TRUE(host_log_contains(what));
	EXPECT_EQ(nr_free_pages(), free_before);
	EXPECT_EQ(mm_check_invariants(), 0);
	host_log_clear();
}

HOST_TEST(bad_free_double)
{
	struct page *p;
	unsigned long free;

	boot_simple(64 * MiB, NULL);
	p = alloc_pages(MOVABLE, 0);
	ASSERT_TRUE(p);
	__free_pages(p, 0);
	free = nr_free_pages();
	host_log_clear();
	__free_pages(p, 0);
	expect_refused("double free", free);
	EXPECT_GE(vm_event(PGBAD_FREE), 1);
}

HOST_TEST(bad_free_wrong_order)
{
	struct page *p;
	unsigned long free;

	boot_simple(64 * MiB, NULL);
	p = alloc_pages(MOVABLE, 2);
	ASSERT_TRUE(p);
	free = nr_free_pages();
	host_log_clear();
	__free_pages(p, 0);
	expect_refused("wrong order: freed with order 0, allocated with order 2", free);
	EXPECT_TRUE(PageBad(p));
	EXPECT_EQ(global_zone_page_state(NR_BAD_PAGES), 4);
	/* Out of circulation: a correct free now is refused too. */
	__free_pages(p, 2);
	expect_refused("taken out of circulation", free);
}

HOST_TEST(bad_free_tail_page)
{
	struct page *p;
	unsigned long free;

	boot_simple(64 * MiB, NULL);
	p = alloc_pages(MOVABLE, 2);
	ASSERT_TRUE(p);
	free = nr_free_pages();
	host_log_clear();
	__free_pages(p + 1, 0);
	expect_refused("refcount 0", free);
	__free_pages(p, 2);
	EXPECT_EQ(mm_check_invariants(), 0);
}

HOST_TEST(bad_free_reserved_and_not_ram)
{
	unsigned long free;

	boot_simple(64 * MiB, NULL);
	free = nr_free_pages();
	host_log_clear();
	__free_pages(pfn_to_page(PHYS_PFN(2 * MiB)), 0);	/* the kernel image */
	expect_refused("freeing a reserved page", free);
	__free_pages(pfn_to_page(PHYS_PFN(100 * MiB)), 0);	/* a hole in section 0 */
	expect_refused("pfn is not RAM", free);
	free_pages((unsigned long)__va(200 * MiB), 0);		/* no memmap at all */
	expect_refused("is not RAM", free);
	__free_pages((struct page *)&free, 0);			/* not a struct page */
	expect_refused("not a struct page", free);
}

HOST_TEST(bad_free_unaligned)
{
	struct page *p;
	unsigned long free, addr;

	boot_simple(64 * MiB, NULL);
	addr = __get_free_pages(MOVABLE, 0);
	ASSERT_TRUE(addr);
	free = nr_free_pages();
	host_log_clear();
	free_pages(addr + 8, 0);
	expect_refused("not page-aligned", free);
	free_pages(addr, 0);
	/* An odd pfn freed as order 1. */
	p = alloc_pages(MOVABLE, 1);
	ASSERT_TRUE(p);
	free = nr_free_pages();
	host_log_clear();
	__free_pages(p + 1, 1);
	expect_refused("pfn not aligned to the order", free);
	__free_pages(p, 1);
	EXPECT_EQ(mm_check_invariants(), 0);
}

HOST_TEST(bad_free_refcount)
{
	struct page *p;
	unsigned long free;

	boot_simple(64 * MiB, NULL);
	p = alloc_pages(MOVABLE, 0);
	ASSERT_TRUE(p);
	set_page_count(p, 2);
	free = nr_free_pages();
	host_log_clear();
	__free_pages(p, 0);
	EXPECT_TRUE(host_log_contains("caller 0x"));
	EXPECT_TRUE(host_log_contains("pfn:0x"));
	expect_refused("refcount is not 1", free);
}

/* page_poison=1: a write to a free page is reported and the page is never handed out. */
HOST_TEST(poison_catches_write_after_free)
{
	LIST_HEAD(pages);
	struct page *p, *q, *tmp;
	unsigned long pfn, n = 0;
	bool seen = false;

	boot_simple(64 * MiB, "page_poison=1");
	EXPECT_TRUE(page_poisoning_enabled);
	p = alloc_pages(MOVABLE, 0);
	ASSERT_TRUE(p);
	pfn = page_to_pfn(p);
	__free_pages(p, 0);
	EXPECT_TRUE(PagePoisoned(p));
	EXPECT_EQ(((unsigned char *)page_address(p))[100], PAGE_POISON);
	((unsigned char *)page_address(p))[100] = 0x17;	/* the use after free */
	host_log_clear();
	while ((q = alloc_pages(MOVABLE | __GFP_NOWARN, 0))) {
		EXPECT_NE(page_to_pfn(q), pfn);
		list_add(&q->lru, &pages);
		n++;
		if (host_log_contains("free page corrupted")) {
			seen = true;
			break;
		}
	}
	EXPECT_TRUE(seen);
	EXPECT_TRUE(host_log_contains("offset:0x64 expected:0xaa found:0x17"));
	EXPECT_TRUE(PageBad(p));
	EXPECT_EQ(global_zone_page_state(NR_BAD_PAGES), 1);
	EXPECT_EQ(mm_check_invariants(), 0);
	list_for_each_entry_safe(q, tmp, &pages, lru) {
		list_del(&q->lru);
		__free_pages(q, 0);
	}
	EXPECT_EQ(mm_check_invariants(), 0);
	(void)n;
}
