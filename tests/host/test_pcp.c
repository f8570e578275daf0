// SPDX-License-Identifier: MIT
/*
 * Per-CPU pages (mm/pcp.c) on the host, with threads as CPUs (tests/host/shim): ownership and
 * the PCP buddy, remote frees and absorb, the hotplug window race, idle-owner IPIs,
 * drain_all_pages() under exhaustion, ALLOC_NOLOCK with the locks held, every mode, a
 * randomized model test with the invariant checker after every step, and a multi-thread
 * stress (run it under ThreadSanitizer: `make -C tests/host tsan FILTER=pcp`).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "mm/internal.h"
#include "kernel/tracepoints.h"

#define NCPUS	4

static void boot_pcp(const char *mode, unsigned int ncpus, unsigned long long mem)
{
	char line[64];

	host_smp_init(ncpus);
	snprintf(line, sizeof(line), "pcp=%s", mode);
	boot_simple(mem, line);
	host_set_cpu(0);
}

static struct zone *normal_zone(void)
{
	return zone_of(ZONE_DMA32);	/* x86_64 host layout, 64 MiB: GFP_KERNEL's zone */
}

static unsigned long total_free(void)
{
	return nr_free_pages() + global_zone_page_state(NR_FREE_ISOLATED) + pcp_pages_everywhere();
}

static unsigned int block_owner(struct page *page)
{
	return pfn_owner_read(page_zone(page), page_to_pfn(page));
}

/* Everything back to the zones; then the free lists must be exactly as at boot. */
static void expect_back_to_boot(const struct buddy_snapshot *boot)
{
	struct buddy_snapshot end;

	host_set_cpu(0);
	drain_all_pages(NULL);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(pcp_pages_everywhere(), 0);
	buddy_snapshot(&end);
	if (!buddy_snapshot_equal(boot, &end)) {
		buddy_snapshot_print("boot", boot);
		buddy_snapshot_print("end", &end);
		EXPECT_TRUE(buddy_snapshot_equal(boot, &end));
	}
}

/*
 * before: CPU0 owns nothing.
 * after:  the first order-0 allocation claims a whole pageblock (one zone-lock hold); every
 *         later order up to 9 comes from that block with no zone lock, and frees merge back
 *         until the block is whole on the PCP.
 */
HOST_TEST(pcp_owner_claims_block_and_merges)
{
	struct buddy_snapshot boot;
	struct zone *zone;
	struct per_cpu_pages *pcp;
	struct page *p0, *p1, *p3, *p9;
	unsigned long locks;

	boot_pcp("owner", NCPUS, 64 * MiB);
	buddy_snapshot(&boot);
	zone = normal_zone();
	pcp = zone_pcp(zone, 0);
	p0 = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(p0 != NULL);
	EXPECT_EQ(block_owner(p0), 0);
	EXPECT_EQ(pcp->nr_owned_blocks, 1);
	EXPECT_EQ(pcp->count, pageblock_nr_pages - 1);
	EXPECT_EQ(mm_check_invariants(), 0);

	locks = zone->lock_acquired;
	p1 = alloc_page(GFP_KERNEL);
	p3 = alloc_pages(GFP_KERNEL, 3);
	ASSERT_TRUE(p1 && p3);
	EXPECT_EQ(block_owner(p1), 0);
	EXPECT_EQ(block_owner(p3), 0);
	__free_pages(p3, 3);
	__free_page(p1);
	__free_page(p0);
	/* The block is whole again: an order-9 allocation takes it from the PCP. */
	p9 = alloc_pages(GFP_KERNEL, pageblock_order);
	ASSERT_TRUE(p9 != NULL);
	EXPECT_EQ(page_to_pfn(p9) & (pageblock_nr_pages - 1), 0);
	EXPECT_EQ(zone->lock_acquired, locks);	/* none of it took the zone lock */
	EXPECT_EQ(pcp->count, 0);
	EXPECT_EQ(mm_check_invariants(), 0);
	__free_pages(p9, pageblock_order);
	EXPECT_EQ(pcp->count, pageblock_nr_pages);
	expect_back_to_boot(&boot);
}

/* Local churn: many pairs and batches; the checker after each round; back to boot at the end. */
HOST_TEST(pcp_local_churn_every_mode)
{
	for (int m = 0; m < NR_PCP_MODES; m++) {
		static struct page *pages[2048];
		struct buddy_snapshot boot;

		if (fork() == 0) {
			boot_pcp(pcp_mode_names[m], NCPUS, 64 * MiB);
			buddy_snapshot(&boot);
			for (int round = 0; round < 8; round++) {
				for (int i = 0; i < 2048; i++) {
					pages[i] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4 == 3));
					ASSERT_TRUE(pages[i] != NULL);
				}
				for (int i = 2047; i >= 0; i--)
					__free_pages(pages[i], (unsigned int)(i % 4 == 3));
				ASSERT_EQ(mm_check_invariants(), 0);
			}
			expect_back_to_boot(&boot);
			exit(host_test_failures ? 1 : 0);
		}
		int status;

		wait(&status);
		EXPECT_EQ(status, 0);
	}
}

/*
 * A remote free is one push onto the owner's free_llist; the owner absorbs it at its next
 * PCP operation. before: CPU0 owns block B, CPU1 frees a page of B. after the free: the page is
 * on CPU0's free_llist (PG_llist), counted free by the checker; after CPU0 allocates: absorbed.
 */
HOST_TEST(pcp_remote_free_and_absorb)
{
	struct buddy_snapshot boot;
	struct zone *zone;
	struct page *p, *q;
	struct pcp_stats st;

	boot_pcp("owner", NCPUS, 64 * MiB);
	buddy_snapshot(&boot);
	zone = normal_zone();
	p = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(p != NULL);
	host_set_cpu(1);
	__free_page(p);
	EXPECT_TRUE(PageLlist(p));
	EXPECT_TRUE(!llist_empty(&zone_pcp(zone, 0)->free_llist));
	EXPECT_EQ(zone_pcp(zone, 1)->count, 0);	/* it did not land on the freer's lists */
	EXPECT_EQ(mm_check_invariants(), 0);
	pcp_get_stats(1, &st);
	EXPECT_EQ(st.remote_pushed, 1);
	EXPECT_EQ(st.ipis_sent, 0);		/* CPU0 is not idle */
	host_set_cpu(0);
	q = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(q != NULL);
	EXPECT_TRUE(llist_empty(&zone_pcp(zone, 0)->free_llist));
	pcp_get_stats(0, &st);
	EXPECT_EQ(st.absorbed, 1);
	__free_page(q);
	EXPECT_EQ(mm_check_invariants(), 0);
	expect_back_to_boot(&boot);
}

/*
 * Isolation reaches into the PCPs: a block owned by CPU0, with free pages on CPU0's lists and
 * one in transit on its free_llist, is isolated. start_isolate_page_range() must have every
 * CPU give its pages back: afterwards nobody owns the block, all of it is free on the
 * isolate list (test_pages_isolated() says 0), and no allocation comes from it until it is
 * given back.
 */
HOST_TEST(pcp_isolation_takes_owned_blocks_back)
{
	struct buddy_snapshot boot;
	struct page *p, *q, *got[64];
	unsigned long start;

	boot_pcp("owner", NCPUS, 64 * MiB);
	buddy_snapshot(&boot);
	p = alloc_page(GFP_KERNEL);
	q = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(p && q);
	ASSERT_EQ(block_owner(p), 0);
	start = page_to_pfn(p) & ~(pageblock_nr_pages - 1);
	__free_page(p);				/* back on CPU0's lists */
	host_set_cpu(1);
	__free_page(q);				/* onto CPU0's free_llist */
	host_set_cpu(0);
	EXPECT_TRUE(PageLlist(q));
	EXPECT_EQ(start_isolate_page_range(start, start + pageblock_nr_pages,
					   MIGRATE_UNMOVABLE), 0);
	EXPECT_EQ(block_owner(pfn_to_page(start)), PB_NO_OWNER);
	EXPECT_EQ(test_pages_isolated(start, start + pageblock_nr_pages), 0);
	EXPECT_EQ(mm_check_invariants(), 0);
	for (int i = 0; i < 64; i++) {
		got[i] = alloc_page(GFP_KERNEL);
		ASSERT_TRUE(got[i] != NULL);
		EXPECT_TRUE(page_to_pfn(got[i]) < start ||
			    page_to_pfn(got[i]) >= start + pageblock_nr_pages);
	}
	for (int i = 0; i < 64; i++)
		__free_page(got[i]);
	undo_isolate_page_range(start, start + pageblock_nr_pages, MIGRATE_UNMOVABLE);
	EXPECT_EQ(mm_check_invariants(), 0);
	expect_back_to_boot(&boot);
}

/* An idle owner gets an IPI on the empty -> non-empty transition and absorbs at once. */
HOST_TEST(pcp_idle_owner_gets_ipi)
{
	struct zone *zone;
	struct page *p[3];
	struct pcp_stats st;

	boot_pcp("owner", NCPUS, 64 * MiB);
	zone = normal_zone();
	host_set_cpu(1);
	for (int i = 0; i < 3; i++)
		p[i] = alloc_page(GFP_KERNEL);
	host_idle_enter();		/* CPU1 goes idle */
	host_set_cpu(2);
	__free_page(p[0]);		/* CPU2 frees CPU1's page: IPI, absorbed now */
	EXPECT_TRUE(llist_empty(&zone_pcp(zone, 1)->free_llist));
	__free_page(p[1]);
	__free_page(p[2]);
	pcp_get_stats(2, &st);
	EXPECT_EQ(st.ipis_sent, 3);	/* each free found the list empty again */
	pcp_get_stats(1, &st);
	EXPECT_EQ(st.absorbed, 3);
	host_set_cpu(1);
	host_idle_exit();
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* ---- the hotplug window: a freer between reading the flag and pushing ---- */

static int window_entered, window_release;

/* The pcp_remote_push tracepoint fires inside the window: park there. */
static void window_hook(u64 pfn, u64 order, u64 owner, u64 unused)
{
	(void)pfn, (void)order, (void)owner, (void)unused;
	__atomic_store_n(&window_entered, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&window_release, __ATOMIC_SEQ_CST))
		usleep(100);
}

static struct page *window_page;
static int dead_done;

static void *window_freer(void *arg)
{
	host_cpu_attach(1);
	__free_page(window_page);	/* parks in window_hook with IRQs off */
	/* Interrupts back on: the pending on_each_cpu call runs here. */
	while (!__atomic_load_n(&dead_done, __ATOMIC_SEQ_CST))
		host_poll_ipis();
	host_cpu_detach();
	return arg;
}

static void *window_killer(void *arg)
{
	host_cpu_attach(2);
	pcp_cpu_dead(0);
	__atomic_store_n(&dead_done, 1, __ATOMIC_SEQ_CST);
	host_cpu_detach();
	return arg;
}

/*
 * CPU1 frees a page owned by CPU0 and stops between reading CPU0's flag (alive) and pushing.
 * CPU2 takes CPU0 offline meanwhile: pcp_cpu_dead() must not drain before CPU1 has pushed
 * (its IPI round waits for CPU1, which has IRQs off in the window), so the page is drained
 * with the rest and nothing is stranded on the dead CPU's list.
 */
HOST_TEST(pcp_hotplug_window_race)
{
	pthread_t freer, killer;
	struct zone *zone;

	boot_pcp("owner", NCPUS, 64 * MiB);
	zone = normal_zone();
	window_page = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(window_page != NULL);
	host_trace_hook(TRACE_pcp_remote_push, window_hook);
	pthread_create(&freer, NULL, window_freer, NULL);
	while (!__atomic_load_n(&window_entered, __ATOMIC_SEQ_CST))
		usleep(100);
	host_trace_hook(TRACE_pcp_remote_push, NULL);
	pthread_create(&killer, NULL, window_killer, NULL);
	usleep(50000);
	/* The killer is stuck in its IPI round behind the freer. */
	EXPECT_EQ(__atomic_load_n(&dead_done, __ATOMIC_SEQ_CST), 0);
	EXPECT_EQ(zone_pcp(zone, 0)->nr_owned_blocks, 1);
	__atomic_store_n(&window_release, 1, __ATOMIC_SEQ_CST);
	pthread_join(killer, NULL);
	pthread_join(freer, NULL);
	host_set_cpu(3);
	EXPECT_EQ(zone_pcp(zone, 0)->count, 0);
	EXPECT_EQ(zone_pcp(zone, 0)->nr_owned_blocks, 0);
	EXPECT_TRUE(llist_empty(&zone_pcp(zone, 0)->free_llist));
	EXPECT_TRUE(PageBuddy(window_page) || !PageLlist(window_page));
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(pcp_pages_everywhere(), 0);
	/* A free after the flag is set goes to the zone; online again: the CPU works normally. */
	pcp_cpu_online(0);
	host_set_cpu(0);
	struct page *p = alloc_page(GFP_KERNEL);

	ASSERT_TRUE(p != NULL);
	__free_page(p);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* A dead owner's pages: frees go to the zone, nothing lands on its list. */
HOST_TEST(pcp_free_to_dead_owner_goes_to_zone)
{
	struct zone *zone;
	struct page *p[4];
	unsigned long before;

	boot_pcp("owner", NCPUS, 64 * MiB);
	zone = normal_zone();
	for (int i = 0; i < 4; i++)
		p[i] = alloc_page(GFP_KERNEL);
	host_set_cpu(1);
	pcp_cpu_dead(0);
	EXPECT_EQ(block_owner(p[0]), PB_NO_OWNER);	/* detached, its pages unowned now */
	before = nr_free_pages();
	for (int i = 0; i < 4; i++)
		__free_page(p[i]);
	EXPECT_TRUE(llist_empty(&zone_pcp(zone, 0)->free_llist));
	EXPECT_EQ(nr_free_pages() + zone_pcp(zone, 1)->count, before + 4);
	EXPECT_EQ(mm_check_invariants(), 0);
	pcp_cpu_online(0);
}

/* ---- drain_all_pages under exhaustion ---- */

/*
 * CPUs 1-3 leave pages parked on their PCPs (allocated and freed there). CPU0 then allocates
 * until failure: it must get the parked pages too (drain by IPI and retry), not fail early.
 */
HOST_TEST(pcp_drain_all_under_exhaustion)
{
	static struct page *got[20000];
	unsigned long n = 0, parked = 0, baseline;
	struct zone *zone;

	boot_pcp("owner", NCPUS, 64 * MiB);
	zone = normal_zone();
	baseline = total_free();
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++) {
		struct page *tmp[600];

		host_set_cpu(cpu);
		for (int i = 0; i < 600; i++)
			tmp[i] = alloc_page(GFP_KERNEL);
		for (int i = 0; i < 600; i++)
			__free_page(tmp[i]);
		parked += zone_pcp(zone, cpu)->count;
	}
	EXPECT_GT(parked, 1000);
	host_set_cpu(0);
	while (n < 20000 && (got[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		n++;
	/* All but the zones' reserves below the min watermark were handed out. */
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++)
		EXPECT_EQ(zone_pcp(zone, cpu)->count, 0);
	EXPECT_GT(n + 2 * (min_wmark_pages(zone) + min_wmark_pages(zone_of(ZONE_DMA))) +
		  zone->lowmem_reserve[ZONE_DMA32] + zone_of(ZONE_DMA)->lowmem_reserve[ZONE_DMA32],
		  baseline);
	EXPECT_EQ(mm_check_invariants(), 0);
	while (n--)
		__free_page(got[n]);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(total_free(), baseline);
}

/* ---- ALLOC_NOLOCK ---- */

/*
 * With this CPU holding its pcp->lock and the zone lock (what an interrupt would find if it
 * hit the allocator), the nolock paths never spin: the allocation fails, a free of an unowned
 * page is deferred to the zone's lock-free list and freed by the next zone-lock holder.
 */
HOST_TEST(pcp_nolock_with_locks_held)
{
	struct zone *zone;
	struct per_cpu_pages *pcp;
	struct page *unowned, *owned, *p;
	unsigned long flags, before;

	boot_pcp("owner", NCPUS, 64 * MiB);
	zone = normal_zone();
	pcp = zone_pcp(zone, 0);
	pcp_set_mode(PCP_MODE_OFF);
	unowned = alloc_page(GFP_KERNEL);	/* straight from the zone: no owner */
	pcp_set_mode(PCP_MODE_OWNER);
	owned = alloc_page(GFP_KERNEL);		/* claims a block for CPU0 */
	ASSERT_TRUE(owned && unowned);
	EXPECT_EQ(block_owner(unowned), PB_NO_OWNER);
	EXPECT_EQ(block_owner(owned), 0);

	flags = arch_local_irq_save();
	ASSERT_TRUE(pcp_trylock(&pcp->lock));	/* what an NMI-like context would find */
	flags = zone_lock_irqsave(zone);
	p = alloc_pages_nolock(GFP_KERNEL, NUMA_NO_NODE, 0);
	/* DMA is another zone, its lock is free: fine. Only our zone must not be touched. */
	EXPECT_TRUE(p == NULL || page_zone(p) != zone);
	if (p)
		free_pages_nolock(p, 0);
	before = zone->vm_stat[NR_FREE_PAGES];
	free_pages_nolock(unowned, 0);
	EXPECT_TRUE(PageLlist(unowned));		/* deferred */
	EXPECT_TRUE(!llist_empty(&zone->deferred_free));
	free_pages_nolock(owned, 0);
	EXPECT_TRUE(PageLlist(owned));		/* our block: our own free_llist */
	zone_unlock_irqrestore(zone, flags);
	pcp_unlock(&pcp->lock);
	arch_local_irq_restore(0);
	/* The next zone-lock holder (the checker) frees the deferred page first. */
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_TRUE(llist_empty(&zone->deferred_free));
	EXPECT_EQ(zone_page_state(zone, NR_FREE_PAGES), before + 1);
	/* And with no lock held, nolock allocations just work. */
	p = alloc_pages_nolock(GFP_KERNEL, NUMA_NO_NODE, 2);
	ASSERT_TRUE(p != NULL);
	free_pages_nolock(p, 2);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* ---- fast sections: pcp->lock with interrupts on (mm/pcp_lock.h) ---- */

/* Inside a fast section, every other taker on this CPU finds the lock busy, and back. */
HOST_TEST(pcp_fast_section_excludes_other_takers)
{
	struct per_cpu_pages *pcp;
	unsigned long f;

	boot_pcp("owner", NCPUS, 64 * MiB);
	pcp = zone_pcp(normal_zone(), 0);
	host_cpu_attach(0);
	ASSERT_TRUE(pcp_fast_trylock(&pcp->lock));
	/* What an interrupt handler would find: a nested fast section and trylock fail. */
	EXPECT_TRUE(!pcp_fast_trylock(&pcp->lock));
	f = arch_local_irq_save();
	EXPECT_TRUE(!pcp_trylock(&pcp->lock));
	arch_local_irq_restore(f);
	pcp_fast_unlock(&pcp->lock);
	/* A holder with interrupts off (or one an interrupt kept): the fast section fails. */
	f = arch_local_irq_save();
	ASSERT_TRUE(pcp_trylock(&pcp->lock));
	EXPECT_TRUE(!pcp_fast_trylock(&pcp->lock));
	EXPECT_TRUE(!pcp_in_fast(&pcp->lock));
	pcp_unlock(&pcp->lock);
	arch_local_irq_restore(f);
	EXPECT_TRUE(pcp_fast_trylock(&pcp->lock));
	pcp_fast_unlock(&pcp->lock);
	host_cpu_detach();
}

/*
 * An interrupt handler inside a fast section allocates and frees: its fast try fails, its
 * slow half looks at `missed`, and must leave the checker's request there for the
 * section's end (taking the lock from inside the section is impossible: it WARNed and
 * dropped the request, and the checker then waited a second for nothing).
 */
HOST_TEST(pcp_missed_requests_wait_for_the_section_not_a_nested_alloc)
{
	struct per_cpu_pages *pcp;
	struct page *p;
	unsigned long f;

	boot_pcp("owner", NCPUS, 64 * MiB);
	pcp = zone_pcp(normal_zone(), 0);
	host_cpu_attach(0);
	__free_page(alloc_page(GFP_KERNEL));
	ASSERT_TRUE(pcp_fast_trylock(&pcp->lock));
	f = arch_local_irq_save();		/* the "interrupt" */
	EXPECT_TRUE(pcp_defer_to_fast(&pcp->lock, PCP_MISSED_CHECK));
	p = alloc_page(GFP_ATOMIC);
	if (p)
		__free_page(p);
	arch_local_irq_restore(f);
	EXPECT_EQ(warn_count(), 0);
	EXPECT_TRUE(pcp->lock.missed & PCP_MISSED_CHECK);
	pcp_fast_unlock(&pcp->lock);		/* takes the lock, as for the checker */
	EXPECT_EQ(pcp->lock.holder, 1);
	EXPECT_EQ(pcp->lock.missed, 0);
	f = arch_local_irq_save();
	pcp_unlock(&pcp->lock);
	arch_local_irq_restore(f);
	EXPECT_EQ(warn_count(), 0);
	host_cpu_detach();
	host_set_cpu(0);
	EXPECT_EQ(mm_check_invariants(), 0);
}

static bool fast_drain_ok;
static int fast_drain_returned;

static void *fast_drainer(void *arg)
{
	host_cpu_attach(1);
	fast_drain_ok = drain_all_pages(NULL);
	__atomic_store_n(&fast_drain_returned, 1, __ATOMIC_SEQ_CST);
	host_cpu_detach();
	return arg;
}

/*
 * CPU1 drains every CPU while CPU0 is inside a fast section: the drain IPI comes in the
 * middle of it (here: CPU0 polls for it there, as a real CPU takes an interrupt), finds the
 * lock taken and leaves the drain for the section's end. CPU1's drain_all_pages() waits
 * until then, and then CPU0 holds nothing. A handler that just gave up would let CPU1
 * return with CPU0's pages still on its lists.
 */
HOST_TEST(pcp_drain_ipi_in_fast_section_runs_at_its_end)
{
	struct per_cpu_pages *pcp;
	struct page *p[8];
	pthread_t t;

	boot_pcp("owner", NCPUS, 64 * MiB);
	pcp = zone_pcp(normal_zone(), 0);
	host_cpu_attach(0);
	for (int i = 0; i < 8; i++)
		p[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 8; i++)
		__free_page(p[i]);
	ASSERT_TRUE(pcp->count > 0);
	ASSERT_TRUE(pcp_fast_trylock(&pcp->lock));
	pthread_create(&t, NULL, fast_drainer, NULL);
	while (!host_ipi_pending())
		usleep(100);
	host_poll_ipis();			/* the drain IPI "interrupts" the section */
	EXPECT_TRUE(pcp->count > 0);		/* deferred, not done */
	EXPECT_TRUE(pcp->lock.missed & PCP_MISSED_DRAIN);
	usleep(20000);
	EXPECT_EQ(__atomic_load_n(&fast_drain_returned, __ATOMIC_SEQ_CST), 0);
	pcp_fast_unlock(&pcp->lock);		/* the drain runs here */
	EXPECT_EQ(pcp->lock.missed, 0);
	pthread_join(t, NULL);
	EXPECT_TRUE(fast_drain_ok);
	EXPECT_EQ(pcp->count, 0);
	EXPECT_EQ(pcp->nr_owned_blocks, 0);
	EXPECT_EQ(warn_count(), 0);
	host_cpu_detach();
	host_set_cpu(0);
	EXPECT_EQ(mm_check_invariants(), 0);
}

static int fast_check_problems = -1;

static void *fast_checker(void *arg)
{
	host_cpu_attach(1);
	__atomic_store_n(&fast_check_problems, mm_check_invariants(), __ATOMIC_SEQ_CST);
	host_cpu_detach();
	return arg;
}

/*
 * The invariant checker asks CPU0, by IPI, to hold its own lock for it; the IPI comes
 * inside a fast section: the section's end takes the lock for the checker, which waits
 * for that (pcp_wait_handed()) instead of walking lists CPU0 is changing, and no WARN.
 */
HOST_TEST(pcp_checker_ipi_in_fast_section_is_handed_the_lock_at_its_end)
{
	struct per_cpu_pages *pcp;
	pthread_t t;

	boot_pcp("owner", NCPUS, 64 * MiB);
	pcp = zone_pcp(normal_zone(), 0);
	host_cpu_attach(0);
	__free_page(alloc_page(GFP_KERNEL));
	ASSERT_TRUE(pcp_fast_trylock(&pcp->lock));
	pthread_create(&t, NULL, fast_checker, NULL);
	/* The checker asks each zone's lock in turn: serve until it asks for this one. */
	for (int i = 0; i < 20000 && !(pcp->lock.missed & PCP_MISSED_CHECK); i++) {
		host_poll_ipis();
		usleep(100);
	}
	EXPECT_TRUE(pcp->lock.missed & PCP_MISSED_CHECK);
	usleep(20000);
	EXPECT_EQ(__atomic_load_n(&fast_check_problems, __ATOMIC_SEQ_CST), -1);
	pcp_fast_unlock(&pcp->lock);		/* takes the lock for the checker */
	while (__atomic_load_n(&fast_check_problems, __ATOMIC_SEQ_CST) == -1)
		host_poll_ipis();
	pthread_join(t, NULL);
	EXPECT_EQ(fast_check_problems, 0);
	EXPECT_EQ(warn_count(), 0);
	EXPECT_TRUE(!pcp_lock_is_held(&pcp->lock));
	host_cpu_detach();
}

/* ---- modes ---- */

HOST_TEST(pcp_mode_switch_drains)
{
	struct buddy_snapshot boot;
	struct page *p;

	boot_pcp("owner", NCPUS, 64 * MiB);
	buddy_snapshot(&boot);
	EXPECT_EQ(pcp_get_mode(), PCP_MODE_OWNER);
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	EXPECT_GT(pcp_pages_everywhere(), 0);
	EXPECT_EQ(pcp_set_mode(PCP_MODE_TRYLOCK), 0);
	EXPECT_EQ(pcp_pages_everywhere(), 0);
	p = alloc_page(GFP_KERNEL);
	EXPECT_EQ(block_owner(p), PB_NO_OWNER);	/* trylock mode: batches, no ownership */
	host_set_cpu(1);
	__free_page(p);				/* lands on the freeing CPU's PCP */
	EXPECT_EQ(zone_pcp(normal_zone(), 1)->count, 1);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(pcp_set_mode(PCP_MODE_OFF), 0);
	EXPECT_EQ(pcp_pages_everywhere(), 0);
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	EXPECT_EQ(pcp_pages_everywhere(), 0);	/* off: nothing is ever parked */
	EXPECT_EQ(pcp_mode_from_name("bogus"), -1);
	expect_back_to_boot(&boot);
}

/* ---- randomized model test: CPUs switch at random, the checker after every step ---- */

static void run_pcp_random(const char *mode, unsigned int seed)
{
	enum { STEPS = 2500, MAX_LIVE = 512 };
	static struct page *live[MAX_LIVE];
	static unsigned int ord[MAX_LIVE];
	unsigned char *model = calloc(PHYS_PFN(32 * MiB), 1);
	unsigned long boot_free, live_pages = 0;
	unsigned int nr = 0;
	struct buddy_snapshot boot;

	srand(seed);
	boot_pcp(mode, NCPUS, 32 * MiB);
	buddy_snapshot(&boot);
	boot_free = total_free();
	for (int step = 0; step < STEPS; step++) {
		host_set_cpu((unsigned int)rand() % NCPUS);
		if (rand() % 64 == 0)
			host_idle_enter();
		if (nr == 0 || (nr < MAX_LIVE && rand() % 100 < 55)) {
			unsigned int o = (unsigned int)__builtin_ctz(rand() | 0x400);
			gfp_t gfp = (rand() & 1 ? __GFP_MOVABLE : 0) | __GFP_NOWARN;
			struct page *p = rand() % 8 ? alloc_pages(gfp, o) :
				alloc_pages_nolock(gfp, NUMA_NO_NODE, o);
			unsigned long pfn;

			if (p) {
				pfn = page_to_pfn(p);
				for (unsigned long i = 0; i < (1UL << o); i++) {
					ASSERT_EQ(model[pfn + i], 0);
					model[pfn + i] = 1;
				}
				live[nr] = p;
				ord[nr++] = o;
				live_pages += 1UL << o;
			}
		} else {
			unsigned int k = (unsigned int)rand() % nr;
			unsigned long pfn = page_to_pfn(live[k]);

			for (unsigned long i = 0; i < (1UL << ord[k]); i++)
				model[pfn + i] = 0;
			live_pages -= 1UL << ord[k];
			if (rand() % 8)
				__free_pages(live[k], ord[k]);
			else
				free_pages_nolock(live[k], ord[k]);
			live[k] = live[--nr];
			ord[k] = ord[nr];
		}
		host_idle_exit();
		if (rand() % 500 == 0)
			drain_all_pages(NULL);
		ASSERT_EQ(mm_check_invariants(), 0);
		ASSERT_EQ(total_free() + live_pages, boot_free);
	}
	while (nr--)
		__free_pages(live[nr], ord[nr]);
	for (int t = 0; t < MAX_NR_ZONES; t++)
		if (populated_zone(zone_of(t)))
			while (unreserve_highatomic_pageblock(zone_of(t), MIGRATE_MOVABLE, true))
				;
	expect_back_to_boot(&boot);
	free(model);
}

HOST_TEST(pcp_random_model_owner)
{
	run_pcp_random("owner", 11);
}

HOST_TEST(pcp_random_model_trylock)
{
	run_pcp_random("trylock", 12);
}

HOST_TEST(pcp_random_model_off)
{
	run_pcp_random("off", 13);
}

/* ---- stress: threads allocate locally and free remotely ---- */

#define STRESS_RING	256

struct stress_cpu {
	pthread_t thread;
	unsigned int cpu;
	unsigned int nthreads;
	/* pages handed to the next CPU, which frees them: a single-producer single-consumer ring */
	struct page *ring[STRESS_RING];
	unsigned int ord[STRESS_RING];
	unsigned long head;	/* written by the producer (atomic) */
	unsigned long tail;	/* written by the consumer (atomic) */
};

static struct stress_cpu stress[8];
static int stress_stop;

static void stress_consume(struct stress_cpu *from)
{
	unsigned long t = __atomic_load_n(&from->tail, __ATOMIC_RELAXED);

	while (t != __atomic_load_n(&from->head, __ATOMIC_ACQUIRE)) {
		unsigned int i = t % STRESS_RING;

		__free_pages(from->ring[i], from->ord[i]);
		t++;
		__atomic_store_n(&from->tail, t, __ATOMIC_RELEASE);
	}
}

static void *stress_thread(void *arg)
{
	struct stress_cpu *me = arg;
	struct stress_cpu *prev = &stress[(me->cpu + me->nthreads - 1) % me->nthreads];
	unsigned int seed = me->cpu * 7919 + 1;

	host_cpu_attach(me->cpu);
	for (int iter = 0; iter < 20000; iter++) {
		unsigned long h = me->head;

		/* Produce: allocate locally, mostly order 0, sometimes up to 3 or a pageblock. */
		if (h - __atomic_load_n(&me->tail, __ATOMIC_ACQUIRE) < STRESS_RING) {
			unsigned int r = (unsigned int)rand_r(&seed);
			unsigned int o = r % 16 < 12 ? 0 : r % 16 < 15 ? r % 4 : 0;
			struct page *p;

			if (r % 997 == 0)
				o = pageblock_order;
			p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
			if (p) {
				/* Touch it, as a user would: a double allocation would show. */
				memset(page_address(p), (int)me->cpu, 64);
				me->ring[h % STRESS_RING] = p;
				me->ord[h % STRESS_RING] = o;
				__atomic_store_n(&me->head, h + 1, __ATOMIC_RELEASE);
			}
		}
		/* Consume: free what the previous CPU allocated (remote frees). */
		if (iter % 4 == 0)
			stress_consume(prev);
		if (iter % 4096 == 0)
			host_idle_enter(), host_idle_exit();
	}
	__atomic_fetch_add(&stress_stop, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&stress_stop, __ATOMIC_SEQ_CST) < (int)me->nthreads) {
		stress_consume(prev);
		host_poll_ipis();
	}
	stress_consume(prev);
	host_cpu_detach();
	return NULL;
}

static void run_stress(const char *mode, unsigned int nthreads)
{
	struct buddy_snapshot boot;
	unsigned long boot_free;

	boot_pcp(mode, nthreads + 1, 128 * MiB);
	buddy_snapshot(&boot);
	boot_free = total_free();
	memset(stress, 0, sizeof(stress));
	stress_stop = 0;
	for (unsigned int i = 0; i < nthreads; i++) {
		stress[i].cpu = i;
		stress[i].nthreads = nthreads;
		pthread_create(&stress[i].thread, NULL, stress_thread, &stress[i]);
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(stress[i].thread, NULL);
	/* Every page was freed by its consumer; the rest is on PCPs and llists. */
	host_set_cpu(nthreads);
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(total_free(), boot_free);
	expect_back_to_boot(&boot);
	EXPECT_EQ(warn_count(), 0);
}

HOST_TEST(pcp_stress_owner_2)
{
	run_stress("owner", 2);
}

HOST_TEST(pcp_stress_owner_4)
{
	run_stress("owner", 4);
}

HOST_TEST(pcp_stress_owner_8)
{
	run_stress("owner", 8);
}

HOST_TEST(pcp_stress_trylock_4)
{
	run_stress("trylock", 4);
}

HOST_TEST(pcp_stress_off_4)
{
	run_stress("off", 4);
}

/* ---- absorb racing with pushes ---- */

static struct page *race_pages[4096];
static int race_go;

static unsigned int race_done;	/* pushers finished (atomic) */

static void *race_pusher(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;

	host_cpu_attach(cpu);
	while (!__atomic_load_n(&race_go, __ATOMIC_ACQUIRE))
		;
	for (unsigned int i = cpu - 1; i < 4096; i += 2)
		__free_page(race_pages[i]);
	__atomic_fetch_add(&race_done, 1, __ATOMIC_RELEASE);
	host_cpu_detach();
	return NULL;
}

/*
 * CPU0 owns 4096 allocated pages; CPUs 1 and 2 free them all (remote pushes) while CPU0
 * keeps allocating and freeing (absorbing at every operation). Nothing is lost.
 */
HOST_TEST(pcp_absorb_while_others_push)
{
	pthread_t t1, t2;
	unsigned long boot_free;

	boot_pcp("owner", NCPUS, 64 * MiB);
	boot_free = total_free();
	for (int i = 0; i < 4096; i++) {
		race_pages[i] = alloc_page(GFP_KERNEL);
		ASSERT_TRUE(race_pages[i] != NULL);
	}
	host_cpu_attach(0);
	pthread_create(&t1, NULL, race_pusher, (void *)1UL);
	pthread_create(&t2, NULL, race_pusher, (void *)2UL);
	__atomic_store_n(&race_done, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&race_go, 1, __ATOMIC_RELEASE);
	/*
	 * At least 20000 pairs, and on until both pushers are done, so that the absorbing
	 * really overlaps the pushing however fast the pair is (it once finished before the
	 * pushers had started). One more pair afterwards absorbs whatever arrived last.
	 */
	for (int i = 0; i < 20000 || __atomic_load_n(&race_done, __ATOMIC_ACQUIRE) < 2; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		ASSERT_TRUE(p != NULL);
		__free_page(p);
	}
	__free_page(alloc_page(GFP_KERNEL));
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	host_cpu_detach();
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(total_free(), boot_free);
	struct pcp_stats st;

	pcp_get_stats(0, &st);
	EXPECT_GT(st.absorbed, 0);
}
