// SPDX-License-Identifier: MIT
/*
 * Holes between CPU hotplug and pageblock ownership, each found by reading the code and
 * pinned here by a scenario that broke the allocator before its fix (mm/pcp.c, pcp_drain.c).
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "mm/internal.h"
#include "kernel/tracepoints.h"

#define NCPUS	4

/*
 * A CPU goes offline owning a block none of whose pages is free: CPU 2 takes a whole owned
 * pageblock (one order-9 allocation after its refill claimed it) and hands it to CPU 0.
 *	before: CPU 2 owns the block, nr_free 0, pcp->count 0
 *	after pcp_cpu_dead(2): no owner, not on CPU 2's owned_blocks, no WARN
 * CPU 0 then frees it and CPU 1 allocates until it claims blocks; this must never relink
 * an entry still on the dead CPU's list. Repeated, as the scenario that corrupted it was.
 */
HOST_TEST(pcp_dead_cpu_releases_fully_allocated_block)
{
	struct zone *zone;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=owner");
	zone = zone_of(ZONE_DMA32);
	for (int round = 0; round < 3; round++) {
		unsigned long warns = warn_count();
		struct page *block, *p;
		unsigned long pfn, idx, got = 0;

		host_set_cpu(2);
		block = alloc_pages(GFP_KERNEL, pageblock_order);
		ASSERT_TRUE(block != NULL);
		pfn = page_to_pfn(block);
		idx = pageblock_idx(zone, pfn);
		EXPECT_EQ(pageblock_owner_read(zone, idx), 2);
		EXPECT_EQ(zone->pageblock_owner[idx].nr_free, 0);

		host_set_cpu(3);
		pcp_cpu_dead(2);
		EXPECT_EQ(warn_count(), warns);
		EXPECT_EQ(pageblock_owner_read(zone, idx), PB_NO_OWNER);
		EXPECT_EQ(zone_pcp(zone, 2)->nr_owned_blocks, 0);
		EXPECT_TRUE(list_empty(&zone_pcp(zone, 2)->owned_blocks));

		host_set_cpu(0);
		__free_pages(block, pageblock_order);
		EXPECT_EQ(mm_check_invariants(), 0);

		/* CPU 1 claims blocks until it owns the one CPU 2 had (or memory runs out). */
		host_set_cpu(1);
		struct page *held[64];
		unsigned int n = 0;

		while (n < 64 && pageblock_owner_read(zone, idx) != 1 &&
		       (p = alloc_pages(GFP_KERNEL, pageblock_order)) != NULL) {
			held[n++] = p;
			got++;
		}
		EXPECT_EQ(pageblock_owner_read(zone, idx), 1);
		EXPECT_EQ(mm_check_invariants(), 0);
		while (n)
			__free_pages(held[--n], pageblock_order);
		host_set_cpu(3);
		pcp_cpu_online(2);
		host_set_cpu(0);
		drain_all_pages(NULL);
		EXPECT_EQ(mm_check_invariants(), 0);
		(void)got;
	}
}

/*
 * Isolation meets ownership: CPU 1 owns a block whose every page it has allocated (count 0,
 * nothing pushed), so a drain that asks only CPUs holding pages skips it. After the block
 * is isolated it must have no owner, and when CPU 1 frees its pages they must reach the
 * isolate lists, not CPU 1's PCP, from which it would hand them out again.
 */
HOST_TEST(pcp_isolation_ends_ownership_of_full_block)
{
	struct zone *zone;
	struct page *block, *again;
	unsigned long pfn, idx;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=owner");
	zone = zone_of(ZONE_DMA32);
	host_set_cpu(1);
	block = alloc_pages(GFP_KERNEL | __GFP_MOVABLE, pageblock_order);
	ASSERT_TRUE(block != NULL);
	pfn = page_to_pfn(block);
	idx = pageblock_idx(zone, pfn);
	EXPECT_EQ(pageblock_owner_read(zone, idx), 1);

	host_set_cpu(0);
	ASSERT_EQ(start_isolate_page_range(pfn, pfn + pageblock_nr_pages, MIGRATE_MOVABLE), 0);
	EXPECT_EQ(pageblock_owner_read(zone, idx), PB_NO_OWNER);

	host_set_cpu(1);
	__free_pages(block, pageblock_order);
	EXPECT_EQ(zone_pcp(zone, 1)->count, 0);
	again = alloc_pages(GFP_KERNEL | __GFP_MOVABLE, pageblock_order);
	EXPECT_TRUE(again != block);
	host_set_cpu(0);
	EXPECT_EQ(test_pages_isolated(pfn, pfn + pageblock_nr_pages), 0);
	undo_isolate_page_range(pfn, pfn + pageblock_nr_pages, MIGRATE_MOVABLE);
	if (again)
		__free_pages(again, pageblock_order);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* ---- a drain asked for while another one runs ---- */

static int slow_cpu_ready, slow_cpu_go, slow_cpu_stop;

/*
 * CPU 2: holds pages, then takes its IPIs only when told, so a drain waits for it; from then
 * on it answers at once until the test is over (a drain's wait is bounded by wall-clock
 * time: a thread that sleeps between polls on a loaded machine would let it run out).
 */
static void *slow_cpu(void *arg)
{
	host_cpu_attach(2);
	__free_page(alloc_page(GFP_KERNEL));	/* a page on CPU 2's lists: it will be asked */
	__atomic_store_n(&slow_cpu_ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&slow_cpu_go, __ATOMIC_SEQ_CST))
		usleep(1000);
	while (!__atomic_load_n(&slow_cpu_stop, __ATOMIC_SEQ_CST)) {
		host_poll_ipis();
		sched_yield();
	}
	host_poll_ipis();
	host_cpu_detach();
	return arg;
}

static void *first_drainer(void *arg)
{
	host_set_cpu(0);
	drain_all_pages(NULL);
	return arg;
}

static bool second_drained;

static void *second_drainer(void *arg)
{
	host_set_cpu(3);
	second_drained = drain_all_pages(NULL);
	return arg;
}

/*
 * A drain that starts while an older one is still waiting for a slow CPU must not count the
 * older one as its own: pages that reached a CPU after the older drain passed it (here CPU 1,
 * between the two calls) must be drained too, or a caller that changed something first (an
 * isolation) would find pages still cached on a CPU.
 */
HOST_TEST(pcp_drain_during_drain_drains_again)
{
	pthread_t slow, first, second;
	struct zone *zone;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=trylock");
	zone = zone_of(ZONE_DMA32);
	slow_cpu_ready = slow_cpu_go = slow_cpu_stop = 0;
	pthread_create(&slow, NULL, slow_cpu, NULL);
	while (!__atomic_load_n(&slow_cpu_ready, __ATOMIC_SEQ_CST))
		usleep(1000);
	pthread_create(&first, NULL, first_drainer, NULL);
	usleep(20000);				/* the first drain now waits for CPU 2 */

	host_set_cpu(1);
	__free_page(alloc_page(GFP_KERNEL));	/* CPU 1 caches a page after it was drained */
	EXPECT_GT(zone_pcp(zone, 1)->count, 0);
	pthread_create(&second, NULL, second_drainer, NULL);
	usleep(20000);				/* the second drain now waits for the first */
	__atomic_store_n(&slow_cpu_go, 1, __ATOMIC_SEQ_CST);
	pthread_join(second, NULL);
	EXPECT_TRUE(second_drained);
	EXPECT_EQ(zone_pcp(zone, 1)->count, 0);
	pthread_join(first, NULL);
	__atomic_store_n(&slow_cpu_stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(slow, NULL);
	host_set_cpu(0);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* ---- watermarks on every path ---- */

/*
 * Owner mode serves orders up to the pageblock from per-CPU lists, so the watermark check
 * may not insist on a free block of that order in the zone; but it must still count the
 * pages the allocation takes. The zone is brought (in `off` mode, a page at a time) to a
 * little above its low watermark with an order-9 block still free; an order-9 allocation
 * in owner mode then either fails or leaves the zone at or above its min watermark.
 *	before: free = low + 300, one free order-9 block
 *	after:  NULL, or free >= min
 */
HOST_TEST(pcp_owner_high_order_keeps_watermark)
{
	struct zone *zone;
	struct page **held, *p;
	unsigned long n = 0, cap = 1UL << 16, target;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=off");
	zone = zone_of(ZONE_DMA32);
	held = calloc(cap, sizeof(*held));
	ASSERT_TRUE(held != NULL);
	target = low_wmark_pages(zone) + 300;
	ASSERT_TRUE(target >= pageblock_nr_pages);
	while (zone_page_state(zone, NR_FREE_PAGES) > target && n < cap) {
		p = alloc_pages(GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN, 0);
		if (!p)
			break;
		held[n++] = p;
	}
	ASSERT_EQ(zone_page_state(zone, NR_FREE_PAGES), target);
	ASSERT_TRUE(zone->free_area[pageblock_order].nr_free +
		    zone->free_area[MAX_PAGE_ORDER].nr_free > 0);

	ASSERT_EQ(pcp_set_mode(PCP_MODE_OWNER), 0);
	p = alloc_pages(GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN, pageblock_order);
	if (p) {
		EXPECT_GE(zone_page_state(zone, NR_FREE_PAGES), min_wmark_pages(zone));
		__free_pages(p, pageblock_order);
	}
	while (n)
		__free_page(held[--n]);
	free(held);
	drain_all_pages(NULL);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* ---- two CPUs freeing one block at the same moment ---- */

/*
 * Not under ThreadSanitizer: the scenario is a caller's bug made on purpose (two frees of one
 * block racing), so the loser's plain check loads race with the winner's writes by design.
 */
#if !HOST_TSAN

#define DF_ROUNDS	50

static struct page *df_page;
static int df_round, df_arrived[2], df_in_free;

/*
 * The mm_page_free tracepoint fires after a free's checks and before the block goes to any
 * list: hold each freer there until the other one arrives too (or 20 ms pass, when only
 * one free gets that far), so that both are past their checks at once every round.
 */
static void df_hold(u64 pfn, u64 order, u64 a2, u64 a3)
{
	struct timespec t0, t;

	(void)pfn, (void)order, (void)a2, (void)a3;
	__atomic_fetch_add(&df_in_free, 1, __ATOMIC_SEQ_CST);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((__atomic_load_n(&df_in_free, __ATOMIC_SEQ_CST) & 1) &&
		 (t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 20000000L);
}

/* CPU 1 and CPU 2: free df_page together, once per round, released by the same store. */
static void *double_freer(void *arg)
{
	unsigned int me = (unsigned int)(unsigned long)arg;

	host_cpu_attach(me);
	for (int r = 1; r <= DF_ROUNDS; r++) {
		while (__atomic_load_n(&df_round, __ATOMIC_ACQUIRE) < r)
			host_poll_ipis();
		if (__atomic_load_n(&df_round, __ATOMIC_ACQUIRE) > DF_ROUNDS)
			break;		/* the test stopped early */
		__free_page(__atomic_load_n(&df_page, __ATOMIC_RELAXED));
		__atomic_fetch_add(&df_arrived[me - 1], 1, __ATOMIC_RELEASE);
	}
	host_cpu_detach();
	return arg;
}

/*
 * A block freed twice at once, on two CPUs: exactly one free may win; the other is reported
 * (PGBAD_FREE) and changes nothing. Each round the checker must find the block free once.
 *	before: the block allocated, refcount 1
 *	after:  one more free block, one more bad-free report, invariants hold
 */
HOST_TEST(pcp_concurrent_double_free_caught)
{
	pthread_t t1, t2;
	int rounds_bad = 0;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=owner");
	host_log_clear();
	host_trace_hook(TRACE_mm_page_free, df_hold);
	df_round = df_in_free = 0;
	df_arrived[0] = df_arrived[1] = 0;
	pthread_create(&t1, NULL, double_freer, (void *)1UL);
	pthread_create(&t2, NULL, double_freer, (void *)2UL);
	host_set_cpu(0);
	for (int r = 1; r <= DF_ROUNDS; r++) {
		unsigned long bad = vm_event(PGBAD_FREE);

		__atomic_store_n(&df_page, alloc_page(GFP_KERNEL), __ATOMIC_RELAXED);
		ASSERT_TRUE(df_page != NULL);
		__atomic_store_n(&df_round, r, __ATOMIC_RELEASE);
		while (__atomic_load_n(&df_arrived[0], __ATOMIC_ACQUIRE) < r ||
		       __atomic_load_n(&df_arrived[1], __ATOMIC_ACQUIRE) < r)
			host_poll_ipis();
		if (vm_event(PGBAD_FREE) != bad + 1)
			rounds_bad++;
		__atomic_store_n(&df_in_free, 0, __ATOMIC_SEQ_CST);
		if (mm_check_invariants() != 0)
			break;		/* the block is on two lists: stop before worse */
	}
	__atomic_store_n(&df_round, DF_ROUNDS + 1, __ATOMIC_RELEASE);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	host_trace_hook(TRACE_mm_page_free, NULL);
	EXPECT_EQ(rounds_bad, 0);
	drain_all_pages(NULL);
	EXPECT_EQ(mm_check_invariants(), 0);
}
#endif /* !HOST_TSAN */

/* ---- an allocation that may not wait must not wait for other CPUs ---- */

static int busy_cpu_go;

/* CPU 2 caches pages and then takes no IPI until told: a drain waiting for it waits long. */
static void *busy_cpu(void *arg)
{
	host_cpu_attach(2);
	for (int i = 0; i < 8; i++)
		__free_page(alloc_page(GFP_KERNEL));
	__atomic_store_n(&slow_cpu_ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&busy_cpu_go, __ATOMIC_SEQ_CST))
		usleep(1000);
	host_poll_ipis();
	host_cpu_detach();
	return arg;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/*
 * A GFP_ATOMIC allocation with interrupts off (as from an interrupt handler) that finds the
 * zones exhausted while another CPU caches pages: it may ask that CPU to give them back,
 * but must not wait for it (PCP_DRAIN_WAIT_MS with interrupts off). The other CPU here
 * never answers while we look, so any wait is the whole 100 ms.
 */
HOST_TEST(pcp_atomic_alloc_does_not_wait_for_drains)
{
	pthread_t t;
	struct page **held, *p;
	unsigned long n = 0, cap = 1UL << 16, flags;
	struct timespec t0;
	long ms;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=trylock");
	held = calloc(cap, sizeof(*held));
	ASSERT_TRUE(held != NULL);
	slow_cpu_ready = busy_cpu_go = 0;
	pthread_create(&t, NULL, busy_cpu, NULL);
	while (!__atomic_load_n(&slow_cpu_ready, __ATOMIC_SEQ_CST))
		usleep(1000);
	host_set_cpu(0);
	/*
	 * Everything but CPU 2's cached pages, reserves included (GFP_ATOMIC may dig into
	 * them): the last attempt drains, and times out on, CPU 2 with interrupts on.
	 */
	while (n < cap && (p = alloc_page(GFP_ATOMIC | __GFP_NOWARN)) != NULL)
		held[n++] = p;
	EXPECT_GT(zone_pcp(zone_of(ZONE_DMA32), 2)->count, 0);

	flags = arch_local_irq_save();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	ms = elapsed_ms(&t0);
	arch_local_irq_restore(flags);
	EXPECT_TRUE(p == NULL);
	EXPECT_LT(ms, 50);

	__atomic_store_n(&busy_cpu_go, 1, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	if (p)
		held[n++] = p;
	while (n)
		__free_page(held[--n]);
	free(held);
	drain_all_pages(NULL);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* ---- reserves are the last resort: other CPUs' cached pages come back first ---- */

static int holder_stop;

/* CPU 2 caches pages on its lists and then answers IPIs (drains) until told to stop. */
static void *holding_cpu(void *arg)
{
	host_cpu_attach(2);
	for (int i = 0; i < 8; i++)
		__free_page(alloc_page(GFP_KERNEL));
	__atomic_store_n(&slow_cpu_ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&holder_stop, __ATOMIC_SEQ_CST)) {
		host_poll_ipis();
		usleep(100);
	}
	host_cpu_detach();
	return arg;
}

/*
 * DESIGN.md 4.1: an allocation that would fail, or cross the min watermark, while other CPUs
 * hold pages on their lists asks them to give the pages back (and, if it may wait, waits)
 * before it digs into the reserve below min. CPU 0 allocates with __GFP_HIGH (which may use
 * half of the min reserve) and may wait, one page at a time, until nothing is left; after
 * every allocation, the zone may be below its min watermark only if CPU 2 holds no pages.
 *	before: CPU 2 caches pages, the zone well above its watermarks
 *	during: never (free < min && CPU 2's count > 0)
 */
HOST_TEST(pcp_reserve_alloc_drains_before_crossing_min)
{
	pthread_t t;
	struct page **held, *p;
	unsigned long n = 0, cap = 1UL << 16, crossed_holding = 0, crossed = 0;
	struct zone *zone;

	host_smp_init(NCPUS);
	boot_simple(64 * MiB, "pcp=trylock");
	zone = zone_of(ZONE_DMA32);
	held = calloc(cap, sizeof(*held));
	ASSERT_TRUE(held != NULL);
	slow_cpu_ready = holder_stop = 0;
	pthread_create(&t, NULL, holding_cpu, NULL);
	while (!__atomic_load_n(&slow_cpu_ready, __ATOMIC_SEQ_CST))
		usleep(1000);
	host_set_cpu(0);
	EXPECT_GT(zone_pcp(zone, 2)->count, 0);
	while (n < cap && (p = alloc_page(GFP_KERNEL | __GFP_HIGH | __GFP_NOWARN)) != NULL) {
		held[n++] = p;
		if (zone_page_state(zone, NR_FREE_PAGES) < min_wmark_pages(zone)) {
			crossed++;
			if (__atomic_load_n(&zone_pcp(zone, 2)->count, __ATOMIC_RELAXED))
				crossed_holding++;
		}
	}
	EXPECT_GT(crossed, 0);		/* the reserve was used in the end */
	EXPECT_EQ(crossed_holding, 0);

	__atomic_store_n(&holder_stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	while (n)
		__free_page(held[--n]);
	free(held);
	drain_all_pages(NULL);
	EXPECT_EQ(mm_check_invariants(), 0);
}
