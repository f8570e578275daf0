// SPDX-License-Identifier: MIT
/*
 * ktest suite `pcp`: per-CPU pages on the real machine (ktest=pcp), in owner mode: local
 * churn, a cross-CPU producer/consumer, mixed orders up to the pageblock, the nolock paths
 * with the locks held, drain_all_pages() under exhaustion. mm_check_invariants() after each.
 *
 * Code on other CPUs runs as cross-CPU calls, i.e. in interrupt context: it uses the nolock
 * API there, as interrupt handlers must. pcp_nolock_from_timer_irq runs the nolock API from
 * a real timer interrupt (timer_interrupt_run_once()) that hits this CPU while it holds its
 * pcp->lock and the zone lock; pcp_nolock_locks_held does the same from process context
 * with IRQs off, as an NMI-like context would.
 */
#include "kernel/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/tick.h"
#include "kernel/trace.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/compaction.h"
#include "mm/vmstat.h"

static enum pcp_mode pcp_saved_mode;
static unsigned int pcp_saved_proactiveness;

/* Proactive compaction off: its drains would empty the lists the cases count. */
static int pcp_suite_init(void)
{
	pcp_saved_proactiveness = compaction_quiesce();
	pcp_saved_mode = pcp_get_mode();
	return pcp_set_mode(PCP_MODE_OWNER);
}

static void pcp_suite_exit(void)
{
	pcp_set_mode(pcp_saved_mode);
	compaction_set_proactiveness(pcp_saved_proactiveness);
}

static struct zone *kernel_zone(void)
{
	struct zone **zp = NODE_DATA(0)->node_zonelists[0].zones;

	return zp[0];	/* the highest populated zone: where GFP_KERNEL comes from */
}

static unsigned int owner_of(struct page *page)
{
	return pfn_owner_read(page_zone(page), page_to_pfn(page));
}

#define CHURN	2048
static struct page *pages[CHURN];

static void pcp_local_churn(struct ktest *t)
{
	for (int round = 0; round < 8; round++) {
		for (int i = 0; i < CHURN; i++) {
			pages[i] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4 == 3));
			KT_ASSERT_NOT_NULL(t, pages[i]);
		}
		for (int i = CHURN - 1; i >= 0; i--)
			__free_pages(pages[i], (unsigned int)(i % 4 == 3));
	}
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

static void pcp_mixed_orders(struct ktest *t)
{
	struct page *p[10];

	for (unsigned int o = 0; o <= pageblock_order; o++) {
		p[o] = alloc_pages(GFP_KERNEL, o);
		KT_ASSERT_NOT_NULL(t, p[o]);
		KT_EXPECT_EQ(t, page_to_pfn(p[o]) & ((1UL << o) - 1), 0);
	}
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	for (int o = (int)pageblock_order; o >= 0; o--)
		__free_pages(p[o], (unsigned int)o);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/* ---- cross-CPU: CPU0 allocates, CPU1 frees (remote frees onto CPU0's free_llist) ---- */

struct xfer {
	struct page *pages[256];
	unsigned int n;
};

static void free_on_target(void *arg)
{
	struct xfer *x = arg;

	for (unsigned int i = 0; i < x->n; i++)
		free_pages_nolock(x->pages[i], 0);
}

static unsigned int other_cpu(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			return cpu;
	return NR_CPUS;
}

static void pcp_cross_cpu_producer_consumer(struct ktest *t)
{
	static struct xfer x;
	unsigned int target = other_cpu();
	struct pcp_stats before, after;

	if (num_online_cpus() < 2 || target == NR_CPUS) {
		ktest_skip(t, "needs 2 online CPUs");
		return;
	}
	pcp_get_stats(smp_processor_id(), &before);
	for (int round = 0; round < 16; round++) {
		x.n = 256;
		for (unsigned int i = 0; i < x.n; i++) {
			x.pages[i] = alloc_page(GFP_KERNEL);
			KT_ASSERT_NOT_NULL(t, x.pages[i]);
			KT_EXPECT_EQ(t, owner_of(x.pages[i]), smp_processor_id());
		}
		smp_call_function_single(target, free_on_target, &x, true);
	}
	/* One more allocation absorbs what is left on our free_llist. */
	__free_page(alloc_page(GFP_KERNEL));
	pcp_get_stats(smp_processor_id(), &after);
	KT_EXPECT_EQ(t, after.absorbed - before.absorbed, 16 * 256);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/* ---- nolock with the locks held ---- */

static void pcp_nolock_locks_held(struct ktest *t)
{
	struct zone *zone = kernel_zone();
	struct per_cpu_pages *pcp = zone_pcp(zone, smp_processor_id());
	struct page *owned = alloc_page(GFP_KERNEL), *p;
	unsigned long irq, zflags;

	KT_ASSERT_NOT_NULL(t, owned);
	irq = arch_local_irq_save();
	KT_EXPECT_TRUE(t, pcp_trylock(&pcp->lock));	/* what an NMI-like context would find */
	zflags = zone_lock_irqsave(zone);
	/* Only this zone's locks are held: a lower zone may still serve it. */
	p = alloc_pages_nolock(GFP_KERNEL, NUMA_NO_NODE, 0);
	KT_EXPECT_TRUE(t, p == NULL || page_zone(p) != zone);
	if (p)
		free_pages_nolock(p, 0);
	free_pages_nolock(owned, 0);		/* our block: onto our own free_llist */
	KT_EXPECT_TRUE(t, PageLlist(owned));
	zone_unlock_irqrestore(zone, zflags);
	pcp_unlock(&pcp->lock);
	arch_local_irq_restore(irq);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	p = alloc_pages_nolock(GFP_KERNEL, NUMA_NO_NODE, 3);
	KT_ASSERT_NOT_NULL(t, p);
	free_pages_nolock(p, 3);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/* What the timer interrupt of pcp_nolock_from_timer_irq saw (l: published by irq_ran). */
static struct page *irq_owned, *irq_got;
static bool irq_owned_on_llist;
static u32 irq_ran;

/* Context: the timer interrupt, which found this CPU holding both locks. */
static void nolock_in_timer_irq(void)
{
	irq_got = alloc_pages_nolock(GFP_KERNEL, NUMA_NO_NODE, 0);
	free_pages_nolock(irq_owned, 0);	/* our block, our lock busy: our own llist */
	irq_owned_on_llist = PageLlist(irq_owned);
	if (irq_got)
		free_pages_nolock(irq_got, 0);
	__atomic_store_n(&irq_ran, 1, __ATOMIC_RELEASE);
}

/*
 * A real interrupt in the middle of an allocation: this CPU takes its pcp->lock and the zone
 * lock, then lets interrupts in (what only an NMI could otherwise do) and waits for its
 * timer interrupt, which allocates and frees with the nolock API. Neither may spin on the
 * held locks: the allocation fails or comes from another zone, the free of a page of our
 * own block goes onto our own free_llist; all of it is accounted for afterwards.
 */
static void pcp_nolock_from_timer_irq(struct ktest *t)
{
	struct zone *zone = kernel_zone();
	struct per_cpu_pages *pcp = zone_pcp(zone, smp_processor_id());
	unsigned long irq, zflags;
	u64 t0;

	irq_owned = alloc_page(GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, irq_owned);
	KT_ASSERT_EQ(t, pfn_owner_read(zone, page_to_pfn(irq_owned)), smp_processor_id());
	irq_got = NULL;
	irq_owned_on_llist = false;
	__atomic_store_n(&irq_ran, 0, __ATOMIC_RELAXED);
	irq = arch_local_irq_save();
	KT_EXPECT_TRUE(t, pcp_trylock(&pcp->lock));
	zflags = zone_lock_irqsave(zone);
	KT_EXPECT_TRUE(t, timer_interrupt_run_once(nolock_in_timer_irq));
	arch_local_irq_enable();
	t0 = arch_clock_ns();
	while (!__atomic_load_n(&irq_ran, __ATOMIC_ACQUIRE) &&
	       arch_clock_ns() - t0 < 500000000ULL)	/* ticks are 10 ms apart */
		arch_cpu_relax();
	arch_local_irq_disable();
	zone_unlock_irqrestore(zone, zflags);
	pcp_unlock(&pcp->lock);
	arch_local_irq_restore(irq);
	KT_ASSERT_EQ(t, __atomic_load_n(&irq_ran, __ATOMIC_ACQUIRE), 1);
	KT_EXPECT_TRUE(t, irq_got == NULL || page_zone(irq_got) != zone);
	KT_EXPECT_TRUE(t, irq_owned_on_llist);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	/* The next allocation absorbs it: the page is usable again. */
	__free_page(alloc_page(GFP_KERNEL));
	KT_EXPECT_FALSE(t, PageLlist(irq_owned));
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/* ---- drain_all_pages under exhaustion ---- */

static void park_on_target(void *arg)
{
	struct xfer *x = arg;

	/* Allocate and free here: the pages stay on this CPU's lists. */
	for (unsigned int i = 0; i < x->n; i++)
		x->pages[i] = alloc_pages_nolock(GFP_KERNEL, NUMA_NO_NODE, 0);
	for (unsigned int i = 0; i < x->n; i++)
		if (x->pages[i])
			free_pages_nolock(x->pages[i], 0);
}

/* Free pages a GFP_KERNEL allocation may take, zone by zone (see the comment at the use). */
static unsigned long gfp_kernel_reachable(void)
{
	enum zone_type highest = gfp_zone(GFP_KERNEL);
	unsigned long sum = 0;
	struct zone *z;

	for_each_zone(z) {
		if (!z->managed_pages || zone_idx(z) > highest)
			continue;
		unsigned long keep = min_wmark_pages(z) + z->lowmem_reserve[highest] +
				     z->nr_reserved_highatomic;
		unsigned long free = zone_page_state(z, NR_FREE_PAGES);

		if (free > keep)
			sum += free - keep;
	}
	return sum;
}

static void pcp_drain_all_under_exhaustion(struct ktest *t)
{
	static struct xfer x;
	struct list_head got;
	unsigned long n = 0, parked = 0, free_before, reachable_before;
	unsigned int cpu;
	struct page *p;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs 2 online CPUs");
		return;
	}
	drain_all_pages(NULL);
	free_before = nr_free_pages();
	reachable_before = gfp_kernel_reachable();
	for_each_online_cpu(cpu) {
		if (cpu == smp_processor_id())
			continue;
		x.n = 256;
		smp_call_function_single(cpu, park_on_target, &x, true);
		parked += pcp_get_mode() == PCP_MODE_OWNER ?
			  zone_pcp(kernel_zone(), cpu)->count : 0;
	}
	KT_EXPECT_GT(t, parked, 0);
	INIT_LIST_HEAD(&got);
	while ((p = alloc_page(GFP_KERNEL | __GFP_NOWARN))) {
		list_add(&p->lru, &got);
		n++;
	}
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, zone_pcp(kernel_zone(), cpu)->count, 0);
	/*
	 * Everything GFP_KERNEL may reach was handed out, parked pages included. What it may not
	 * reach, per zone: the min watermark, lowmem_reserve[] against this gfp's highest zone
	 * (at 4 GiB on x86_64 that keeps it out of ZONE_DMA entirely) and highatomic blocks.
	 * 64 pages of slack cover the watermark check's rounding.
	 */
	KT_EXPECT_GE(t, n + 64, reachable_before);
	KT_EXPECT_LE(t, n, free_before);
	ktest_log(t, "allocated %lu of %lu free pages (%lu reachable by GFP_KERNEL) with %lu "
		  "parked on other CPUs", n, free_before, reachable_before, parked);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	while (!list_empty(&got)) {
		p = list_first_entry(&got, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	drain_all_pages(NULL);
	KT_EXPECT_EQ(t, nr_free_pages(), free_before);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

static struct trace_iter events_iter;	/* 4 KiB: static, not on the stack */

/* How many records of event @id with these (pfn, order) args, and on which CPU the last was. */
static int count_page_events(unsigned int id, unsigned long pfn, unsigned int order,
			     unsigned int *cpu, u64 *arg2)
{
	struct trace_entry e;
	int n = 0;

	trace_iter_start(&events_iter, 0);
	while (trace_iter_next(&events_iter, &e))
		if (e.id == id && e.args[0] == pfn && e.args[1] == order) {
			n++;
			*cpu = e.cpu;
			*arg2 = e.args[2];
		}
	return n;
}

static void remote_free(void *info)
{
	free_pages_nolock(info, 0);
}

/*
 * The page events fire on every free path, fast ones included: the fast paths leave their
 * events to the full paths while the events are on (mm/page_alloc.c, mm/pcp_remote.c), so this
 * checks that turning them on really does take the frees there. A local alloc + free, and
 * (owner mode, two CPUs) a free on another CPU of a page of our block: a remote push.
 */
static void page_events_fire(struct ktest *t)
{
	unsigned int me = smp_processor_id(), other = NR_CPUS, cpu = NR_CPUS;
	struct page *page;
	unsigned long pfn;
	u64 arg2 = 0;

	trace_all_off();
	trace_clear();
	KT_ASSERT_EQ(t, trace_set_events("mm_page_alloc", true), 1);
	KT_ASSERT_EQ(t, trace_set_events("mm_page_free", true), 1);
	KT_ASSERT_EQ(t, trace_set_events("pcp_remote_push", true), 1);
	page = alloc_page(GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, page);
	pfn = page_to_pfn(page);
	__free_page(page);
	KT_EXPECT_EQ(t, count_page_events(TRACE_mm_page_alloc, pfn, 0, &cpu, &arg2), 1);
	KT_EXPECT_EQ(t, count_page_events(TRACE_mm_page_free, pfn, 0, &cpu, &arg2), 1);
	KT_EXPECT_EQ(t, cpu, me);

	for_each_online_cpu(cpu)
		if (cpu != me && other == NR_CPUS)
			other = cpu;
	trace_clear();		/* the next page is likely the same one: count afresh */
	page = alloc_page(GFP_KERNEL);
	KT_ASSERT_NOT_NULL(t, page);
	pfn = page_to_pfn(page);
	if (other == NR_CPUS || pcp_get_mode() != PCP_MODE_OWNER ||
	    pfn_owner_read(page_zone(page), pfn) != me) {
		__free_page(page);
		trace_all_off();
	trace_clear();
		ktest_skip(t, "the remote push needs owner mode, 2 CPUs and a page of our block");
		return;
	}
	KT_ASSERT_EQ(t, smp_call_function_single(other, remote_free, page, true), 0);
	trace_all_off();
	KT_EXPECT_EQ(t, count_page_events(TRACE_mm_page_free, pfn, 0, &cpu, &arg2), 1);
	KT_EXPECT_EQ(t, cpu, other);
	KT_EXPECT_EQ(t, count_page_events(TRACE_pcp_remote_push, pfn, 0, &cpu, &arg2), 1);
	KT_EXPECT_EQ(t, cpu, other);
	KT_EXPECT_EQ(t, arg2, me);
	__free_page(alloc_page(GFP_KERNEL));	/* absorbs it */
	trace_all_off();
	trace_clear();
}

static struct ktest_case pcp_cases[] = {
	KTEST_CASE(pcp_local_churn),
	KTEST_CASE(pcp_mixed_orders),
	KTEST_CASE(pcp_cross_cpu_producer_consumer),
	KTEST_CASE(pcp_nolock_locks_held),
	KTEST_CASE(pcp_nolock_from_timer_irq),
	KTEST_CASE(pcp_drain_all_under_exhaustion),
	KTEST_CASE(page_events_fire),
	{}
};
KTEST_SUITE_INIT(pcp, pcp_cases, pcp_suite_init, pcp_suite_exit);
