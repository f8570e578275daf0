// SPDX-License-Identifier: MIT
/*
 * Host tests of mm/balloon.c (a balloon's page bookkeeping) and mm/oom_notify.c (the
 * allocator's last step before failing), against the real allocator.
 */
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "mm/balloon.h"
#include "mm/oom_notify.h"

#define NPAGES	100

/*
 * before: an empty balloon that leaves MemTotal. after enqueuing 100 pages: each is
 * PG_balloon and names the balloon, MemTotal is 100 pages lower, balloon_inflate counts
 * them. Dequeue gives them back newest first, as the allocator made them; after freeing,
 * free and managed pages are as at the start and the checker finds nothing.
 */
HOST_TEST(balloon_enqueue_dequeue)
{
	static struct balloon b;
	struct page *pages[NPAGES], *out[NPAGES];
	unsigned long free0, total0;
	unsigned int n;

	boot_simple(64 * MiB, NULL);
	ASSERT_EQ(balloon_init(&b, "test", true), 0);
	free0 = nr_free_pages() + pcp_pages_everywhere();
	total0 = totalram_pages();
	for (int i = 0; i < NPAGES; i++) {
		pages[i] = balloon_page_alloc();
		ASSERT_TRUE(pages[i]);
	}
	balloon_pages_enqueue(&b, pages, NPAGES);
	EXPECT_EQ(balloon_nr_inflated(&b), NPAGES);
	EXPECT_EQ(totalram_pages(), total0 - NPAGES);
	EXPECT_EQ(vm_event(BALLOON_INFLATE), NPAGES);
	for (int i = 0; i < NPAGES; i++) {
		EXPECT_TRUE(PageBalloon(pages[i]));
		EXPECT_TRUE(balloon_of_page(pages[i]) == &b);
	}
	EXPECT_EQ(balloon_check(&b), 0);

	n = balloon_pages_dequeue(&b, out, 60);
	EXPECT_EQ(n, 60);
	for (unsigned int i = 0; i < n; i++) {
		EXPECT_TRUE(out[i] == pages[NPAGES - 1 - i]);
		EXPECT_TRUE(!PageBalloon(out[i]));
		EXPECT_TRUE(balloon_of_page(out[i]) == NULL);
		EXPECT_EQ(page_private(out[i]), 0);
		__free_page(out[i]);
	}
	EXPECT_EQ(balloon_nr_inflated(&b), NPAGES - 60);
	EXPECT_EQ(totalram_pages(), total0 - (NPAGES - 60));
	n = balloon_pages_dequeue(&b, out, NPAGES);
	EXPECT_EQ(n, NPAGES - 60);
	for (unsigned int i = 0; i < n; i++)
		__free_page(out[i]);
	EXPECT_EQ(balloon_pages_dequeue(&b, out, NPAGES), 0);
	EXPECT_EQ(vm_event(BALLOON_DEFLATE), NPAGES);
	EXPECT_EQ(totalram_pages(), total0);
	EXPECT_EQ(nr_free_pages() + pcp_pages_everywhere(), free0);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), 0);
	balloon_destroy(&b);
}

/* A balloon with DEFLATE_ON_OOM's accounting keeps MemTotal; ids are reused after destroy. */
HOST_TEST(balloon_keeps_managed_and_ids)
{
	static struct balloon b[BALLOON_MAX + 1];
	unsigned long total0;
	struct page *p, *out;

	boot_simple(64 * MiB, NULL);
	total0 = totalram_pages();
	for (int i = 0; i < BALLOON_MAX; i++)
		EXPECT_EQ(balloon_init(&b[i], "test", false), 0);
	EXPECT_EQ(balloon_init(&b[BALLOON_MAX], "one too many", false), -ENOSPC);
	p = balloon_page_alloc();
	ASSERT_TRUE(p);
	balloon_pages_enqueue(&b[1], &p, 1);
	EXPECT_EQ(totalram_pages(), total0);
	EXPECT_TRUE(balloon_of_page(p) == &b[1]);
	EXPECT_EQ(balloon_pages_dequeue(&b[1], &out, 1), 1);
	__free_page(out);
	balloon_destroy(&b[1]);
	EXPECT_EQ(balloon_init(&b[BALLOON_MAX], "reuses id 2", false), 0);
	EXPECT_EQ(b[BALLOON_MAX].id, 2);
	EXPECT_EQ(warn_count(), 0);
}

/*
 * before: a page on a balloon's list. after __free_page() on it: refused as a bad free
 * naming the balloon; it stays on the list, and the trylock dequeue fails while the balloon
 * lock is held, then succeeds.
 */
HOST_TEST(balloon_page_free_refused_and_trylock)
{
	static struct balloon b;
	struct page *p, *out;
	unsigned long free;

	boot_simple(64 * MiB, NULL);
	ASSERT_EQ(balloon_init(&b, "test", true), 0);
	p = balloon_page_alloc();
	ASSERT_TRUE(p);
	balloon_pages_enqueue(&b, &p, 1);
	free = nr_free_pages() + pcp_pages_everywhere();
	host_log_clear();
	__free_page(p);
	EXPECT_TRUE(host_log_contains("still in a balloon"));
	EXPECT_EQ(nr_free_pages() + pcp_pages_everywhere(), free);
	EXPECT_EQ(balloon_nr_inflated(&b), 1);
	EXPECT_EQ(balloon_check(&b), 0);

	spin_lock(&b.lock);
	EXPECT_EQ(balloon_pages_dequeue_trylock(&b, &out, 1), 0);
	spin_unlock(&b.lock);
	/* Oldest first, under the lock: a second, newer page stays. */
	{
		struct page *q = balloon_page_alloc(), *o;

		ASSERT_TRUE(q);
		balloon_pages_enqueue(&b, &q, 1);
		spin_lock(&b.lock);
		EXPECT_EQ(__balloon_pages_dequeue_oldest(&b, &o, 1), 1);
		spin_unlock(&b.lock);
		EXPECT_TRUE(o == p);
		balloon_pages_enqueue(&b, &o, 1);	/* now p is the newest again */
	}
	EXPECT_EQ(balloon_pages_dequeue_trylock(&b, &out, 1), 1);
	EXPECT_TRUE(out == p);
	__free_page(out);
	EXPECT_EQ(balloon_pages_dequeue(&b, &out, 1), 1);
	__free_page(out);
	EXPECT_EQ(balloon_nr_inflated(&b), 0);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* A notifier holding pages back, as a balloon does: gives them all on the first call. */
static struct page *held[256];
static unsigned int nr_held, nr_calls;

static unsigned long give_back(struct oom_notifier *nb, unsigned int order, gfp_t gfp)
{
	unsigned long n = nr_held;

	(void)nb;
	(void)order;
	(void)gfp;
	nr_calls++;
	while (nr_held)
		free_pages_nolock(held[--nr_held], 0);
	return n;
}

/*
 * before: 256 pages held by a notifier, everything else allocated. after: the next
 * allocation (order 2) succeeds through the notifier (called once); a __GFP_NORETRY one fails without
 * calling it; once unregistered, nothing is called.
 */
HOST_TEST(oom_notifier_gives_pages_to_the_failing_allocation)
{
	static struct oom_notifier nb = { .notify = give_back };
	static struct page *all[20000];
	unsigned int n = 0;
	struct page *p;

	boot_simple(64 * MiB, NULL);
	for (nr_held = 0; nr_held < 256; nr_held++)
		ASSERT_TRUE((held[nr_held] = alloc_page(GFP_KERNEL)));
	while (n < 20000 && (all[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		n++;
	ASSERT_TRUE(n < 20000);
	oom_notifier_register(&nb);
	EXPECT_TRUE(alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY) == NULL);
	EXPECT_EQ(nr_calls, 0);
	/* Order 2: the pages given back must merge again for it (they were allocated in a row). */
	p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2);
	EXPECT_TRUE(p != NULL);
	EXPECT_EQ(nr_calls, 1);
	EXPECT_EQ(nr_held, 0);
	if (p)
		__free_pages(p, 2);
	while (n < 20000 && (all[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		n++;
	oom_notifier_unregister(&nb);
	EXPECT_TRUE(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	EXPECT_EQ(nr_calls, 2);		/* the refill's last failure asked; nothing since */
	while (n)
		__free_page(all[--n]);
	EXPECT_EQ(mm_check_invariants(), 0);
}
