// SPDX-License-Identifier: MIT
/*
 * ktest suite `hotplug`: CPU hotplug (kernel/cpuhp.c) and the allocator's part of it
 * (DESIGN.md 4.2), under load.
 *
 * The stress case reproduces the remote-free PCP series' QEMU run ("234K worker iterations +
 * 5 hotplug cycles + 30 hugepages: zero WARN/BUG") and `hotplug.scale=N` multiplies all three
 * (`make stress` passes 10):
 *  - a worker on every online CPU allocates pages locally (orders 0..3), stamps them and hands
 *    each to another CPU through that CPU's hand-off inbox (an llist threaded through the
 *    pages themselves); the receiver checks the stamp and frees the page, which is a remote
 *    free back to the allocating CPU's pageblock in `owner` mode;
 *  - CPU 0, the controller, works too between steps, and takes every other hotpluggable CPU
 *    offline and back online `5 * scale` times, with an order-9 allocation after each step;
 *  - after every step all workers pause and mm_check_invariants() must find nothing wrong,
 *    and no offline CPU may hold a page (PCP lists, free_llist, owned blocks);
 *  - at the end the free page count must equal the one at the start; any WARN fails the case
 *    (ktest), any BUG ends the run.
 *
 * Workers are cross-CPU calls (smp_call_function_single(..., wait=false)) that loop with IRQs
 * off until their stop flag is set, serving their CPU's call queue between iterations
 * (smp_process_pending_calls()), so drain_all_pages() and the hotplug IPI rounds still reach
 * them. A CPU is taken offline only after its worker has stopped and freed what it held: a
 * CPU going down must be idle (see the die request in kernel/cpuhp.c), so the test quiesces
 * the victim while the other workers keep allocating and freeing into it, which is the race
 * the PCPF_CPU_DEAD ordering exists for.
 *
 * Hand-off window. A worker reads the target's `active` flag and pushes onto its inbox with
 * IRQs off and without serving its queue in between. The controller clears `active`, then
 * sends every online CPU a waiting call: once that returns, no worker is between the two, so
 * the inbox can be emptied by the controller and stays empty (the same argument as the PCP
 * hotplug window).
 */
#define pr_fmt(fmt) "hotplug_test: " fmt

#include "kernel/ktest.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/lib/llist.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"
#include "mm/compaction.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "arch/arch.h"

#define HP_ITERS		234000UL	/* worker iterations, all CPUs together */
#define HP_CYCLES		5UL		/* offline+online cycles per hotpluggable CPU */
#define HP_ORDER9		30UL		/* order-9 allocations */
#define HP_INBOX_MAX		256U		/* pages waiting in one inbox before senders
						 * free locally instead */
#define HP_STALL_MS		20000ULL	/* a phase that makes no progress this long fails */
#define HP_MAGIC		0x7e55e4a0c0ffee00ULL

/* Written at the start of every handed-over block; the last word of the block repeats it. */
struct handoff {
	struct llist_node node;		/* on the receiver's inbox (l) */
	u32 src;			/* allocating CPU */
	u32 order;
	u64 stamp;			/* HP_MAGIC ^ seq ^ pfn */
};

struct hp_worker {
	struct llist_head inbox;	/* pages handed to this CPU (l: any producer; the worker,
					 * or the controller while the worker is stopped, consumes) */
	u32 inbox_len;			/* approximate length (l: relaxed atomics) */
	struct ktest_worker kw;		/* active (others may hand it pages), stop, running */
	u64 seq;			/* stamps (i: the worker) */
	unsigned int next;		/* round-robin hand-off target (i) */
	u64 iters;			/* iterations done (i; read racily by the controller) */
	u64 handed;			/* blocks pushed to other inboxes (i) */
	u64 received;			/* blocks taken off this inbox and freed (i / controller) */
	u64 bad;			/* blocks with a wrong stamp (i / controller) */
	u64 alloc_fail;			/* allocations that returned NULL (i) */
} __aligned(64);

static struct hp_worker hpw[NR_CPUS];

static unsigned int hotplug_saved_proactiveness;

static int hotplug_suite_init(void)
{
	/* cpu_down()/cpu_up() and waiting calls need interrupts on. */
	if (arch_irqs_disabled())
		arch_local_irq_enable();
	/* Proactive compaction off: the cases count what each CPU holds. */
	hotplug_saved_proactiveness = compaction_quiesce();
	return 0;
}

static void hotplug_suite_exit(void)
{
	compaction_set_proactiveness(hotplug_saved_proactiveness);
}

/* ---- the worker ---- */

static u64 block_stamp(u64 seq, unsigned long pfn)
{
	return HP_MAGIC ^ (seq << 20) ^ pfn;
}

static u64 *block_tail(struct handoff *h, unsigned int order)
{
	return (u64 *)((char *)h + (PAGE_SIZE << order) - sizeof(u64));
}

/* Check a received block's stamp and free it. Context: IRQs off or on; any CPU. */
static void receive_block(struct hp_worker *w, struct handoff *h)
{
	struct page *page = virt_to_page(h);
	unsigned int order = h->order;

	/* The stamp's low 20 bits are the pfn's (seq sits above them); the tail repeats it. */
	if (order > 3 || h->src >= NR_CPUS || h->stamp != *block_tail(h, order) ||
	    ((h->stamp ^ HP_MAGIC ^ page_to_pfn(page)) & 0xfffffULL)) {
		w->bad++;
		if (order > 3)
			return;		/* unknown size: leak it rather than corrupt the allocator */
	}
	w->received++;
	__free_pages(page, order);
}

/* Free everything on @w's inbox. Context: its worker, or the controller while it is stopped. */
static void empty_inbox(struct hp_worker *w)
{
	struct llist_node *n = llist_del_all(&w->inbox), *next;

	for (; n; n = next) {
		next = n->next;
		__atomic_fetch_sub(&w->inbox_len, 1, __ATOMIC_RELAXED);
		receive_block(w, llist_entry(n, struct handoff, node));
	}
}

/* The next active CPU after w->next, not @me; NR_CPUS if there is none. */
static unsigned int pick_target(struct hp_worker *w, unsigned int me)
{
	for (unsigned int i = 1; i <= NR_CPUS; i++) {
		unsigned int cpu = (w->next + i) % NR_CPUS;

		if (cpu != me && ktest_worker_active(&hpw[cpu].kw)) {
			w->next = cpu;
			return cpu;
		}
	}
	return NR_CPUS;
}

/*
 * One iteration: allocate a block here, stamp it, hand it to another CPU (or free it if
 * nobody takes any); then free what was handed to us.
 * Context: IRQs off (the hand-off window, see the file comment), the worker's CPU.
 */
static void worker_iter(unsigned int me)
{
	struct hp_worker *w = &hpw[me];
	u64 seq = ++w->seq;
	/* Mostly order 0, every 16th block order 1..3: the PCP buddy splits and merges. */
	unsigned int order = (seq & 15) == 15 ? (unsigned int)(seq >> 4) % 3 + 1 : 0;
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

	if (page) {
		struct handoff *h = page_address(page);
		unsigned int to = pick_target(w, me);

		h->src = me;
		h->order = order;
		h->stamp = block_stamp(seq, page_to_pfn(page));
		*block_tail(h, order) = h->stamp;
		if (to < NR_CPUS &&
		    __atomic_load_n(&hpw[to].inbox_len, __ATOMIC_RELAXED) < HP_INBOX_MAX) {
			__atomic_fetch_add(&hpw[to].inbox_len, 1, __ATOMIC_RELAXED);
			llist_add(&h->node, &hpw[to].inbox);
			w->handed++;
		} else {
			__free_pages(page, order);
		}
	} else {
		w->alloc_fail++;
	}
	empty_inbox(w);
	WRITE_ONCE(w->iters, w->iters + 1);
}

/* The worker loop: a cross-CPU call that runs until told to stop. IRQs off. */
static void worker_fn(void *info)
{
	unsigned int me = smp_processor_id();
	struct hp_worker *w = &hpw[me];

	(void)info;
	while (!ktest_worker_should_stop(&w->kw)) {
		worker_iter(me);
		/* Outside the hand-off window: the controller's rounds and drains get through. */
		smp_process_pending_calls();
	}
	empty_inbox(w);
	ktest_worker_done(&w->kw);
}

/* ---- the controller's side ---- */

static void start_worker(unsigned int cpu)
{
	ktest_worker_start(&hpw[cpu].kw, cpu, worker_fn);
}

/* Stop @cpu's worker (if any) and stop handing it pages. False if it does not stop. */
static bool stop_worker(struct ktest *t, unsigned int cpu)
{
	return ktest_worker_stop(t, &hpw[cpu].kw, cpu, HP_STALL_MS);
}

/* No worker is inside its hand-off window after this; then empty inactive inboxes. */
static void flush_handoffs(void)
{
	unsigned int cpu;

	ktest_workers_flush();
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (!ktest_worker_active(&hpw[cpu].kw))
			empty_inbox(&hpw[cpu]);
}

static bool stop_all(struct ktest *t)
{
	unsigned int cpu;
	bool ok = true;

	ktest_worker_set_active(&hpw[0].kw, false);
	for_each_online_cpu(cpu)
		if (cpu != 0)
			ok &= stop_worker(t, cpu);
	flush_handoffs();
	return ok;
}

static void start_all(void)
{
	unsigned int cpu;

	ktest_worker_set_active(&hpw[0].kw, true);
	for_each_online_cpu(cpu)
		if (cpu != 0)
			start_worker(cpu);
}

static u64 total_iters(void)
{
	u64 sum = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += READ_ONCE(hpw[cpu].iters);
	return sum;
}

/* Pages on @cpu's PCP lists and free_llists, and its owned blocks. Context: @cpu offline. */
static unsigned long pages_held(unsigned int cpu, unsigned long *owned)
{
	struct pcp_held_pages h;

	pcp_held_pages(cpu, &h);
	*owned = h.owned_blocks;
	return h.pcp + h.remote;
}

/* Free pages anywhere in the allocator: zone lists plus every CPU's PCP count. */
static unsigned long free_total(void)
{
	unsigned long sum = nr_free_pages();
	struct zone *zone;

	for_each_pcp_zone(zone)
		for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++)
			sum += pcp_count_read(zone_pcp(zone, cpu));
	return sum;
}

/*
 * Pause every worker, check the allocator and that no offline CPU holds anything, resume.
 * Context: CPU 0, IRQs on.
 */
static bool check_quiet(struct ktest *t, const char *when, unsigned int victim)
{
	unsigned int cpu;
	bool ok = stop_all(t);
	int problems = mm_check_invariants();

	if (problems) {
		ktest_fail(t, __FILE__, __LINE__, "%s CPU%u: mm_check_invariants() found %d problems",
			   when, victim, problems);
		ok = false;
	}
	for_each_possible_cpu(cpu) {
		unsigned long owned, held;

		if (cpu_online(cpu))
			continue;
		held = pages_held(cpu, &owned);
		if (held || owned) {
			ktest_fail(t, __FILE__, __LINE__,
				   "%s CPU%u: offline CPU%u holds %lu pages and %lu owned blocks",
				   when, victim, cpu, held, owned);
			ok = false;
		}
	}
	start_all();
	return ok;
}

/* One order-9 allocation, stamped and checked at both ends. Context: CPU 0, IRQs on. */
static bool order9_once(struct ktest *t)
{
	struct page *page = NULL;

	for (int tries = 0; !page && tries < 4; tries++)
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 9);
	if (!page) {
		ktest_log(t, "order-9 allocation failed (%lu pages free)", nr_free_pages());
		return false;
	}
	u64 *p = page_address(page);
	u64 *end = (u64 *)((char *)p + (PAGE_SIZE << 9)) - 1;
	u64 stamp = HP_MAGIC ^ page_to_pfn(page);

	*p = stamp;
	*end = ~stamp;
	bool good = *p == stamp && *end == ~stamp;

	__free_pages(page, 9);
	if (!good)
		ktest_fail(t, __FILE__, __LINE__, "order-9 block at pfn 0x%lx lost its stamp",
			   page_to_pfn(page));
	return good;
}

/* CPU 0 works (with the others) until the total reaches @target. */
static bool run_phase(struct ktest *t, u64 target)
{
	u64 last = total_iters(), last_t = arch_clock_ns();

	while (total_iters() < target) {
		for (int i = 0; i < 64; i++) {
			unsigned long flags = arch_local_irq_save();

			worker_iter(0);
			arch_local_irq_restore(flags);
		}
		u64 now_iters = total_iters(), now = arch_clock_ns();

		if (now_iters != last) {
			last = now_iters;
			last_t = now;
		} else if (now - last_t > HP_STALL_MS * 1000000ULL) {
			ktest_fail(t, __FILE__, __LINE__, "no worker progress for %llu ms",
				   HP_STALL_MS);
			return false;
		}
	}
	return true;
}

/* ---- cases ---- */

/* Refusals: no such CPU, already online, the x86_64 boot CPU, ourselves. */
static void hotplug_refusals(struct ktest *t)
{
	unsigned int me = smp_processor_id();

	KT_EXPECT_EQ(t, cpu_down(NR_CPUS), -EINVAL);
	KT_EXPECT_EQ(t, cpu_up(NR_CPUS + 5), -EINVAL);
	KT_EXPECT_EQ(t, cpu_up(me), -EALREADY);
	if (!arch_cpu_can_offline(0))
		KT_EXPECT_EQ(t, cpu_down(0), -EPERM);
	KT_EXPECT_NE(t, cpu_down(me), 0);
	KT_EXPECT_TRUE(t, cpu_online(me));
	if (num_online_cpus() == 1)
		KT_EXPECT_NE(t, cpu_down(me), 0);	/* the last one, too */
}

static u32 answered[NR_CPUS];

static void answer_fn(void *info)
{
	(void)info;
	__atomic_fetch_add(&answered[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

/* @cpu is online, in the "online" state, and runs a call sent to it. */
static void expect_online_and_answering(struct ktest *t, unsigned int cpu)
{
	KT_EXPECT_TRUE(t, cpu_online(cpu));
	KT_EXPECT_STREQ(t, cpuhp_state_name(cpu), "online");
	u32 before = __atomic_load_n(&answered[cpu], __ATOMIC_RELAXED);

	KT_EXPECT_EQ(t, smp_call_function_single(cpu, answer_fn, NULL, true), 0);
	KT_EXPECT_EQ(t, __atomic_load_n(&answered[cpu], __ATOMIC_RELAXED), before + 1);
}

#define HELD_PAGES	64
static struct page *held[HELD_PAGES];

/* On the victim: allocate pages there, so its PCP owns a block and holds the rest of it. */
static void alloc_on_victim(void *info)
{
	(void)info;
	for (unsigned int i = 0; i < HELD_PAGES; i++)
		held[i] = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0);
}

/*
 * before: victim online, answering calls, holding pages on its PCP; 64 of its pages
 * allocated and in CPU 0's hands.
 * after cpu_down: out of cpu_online_mask, calls to it refused, holds no pages, a second
 * cpu_down says -EALREADY; freeing its 64 pages now (owner dead) goes to the zone and loses
 * nothing. After cpu_up: online again and answering.
 */
static void hotplug_down_up_once(struct ktest *t)
{
	unsigned int victim;
	unsigned long owned;
	unsigned long downs0, ups0, downs, ups;

	if (!ktest_need_offline_victim(t, &victim))
		return;
	cpuhp_counts(&downs0, &ups0);
	drain_all_pages(NULL);
	KT_ASSERT_EQ(t, mm_check_invariants(), 0);
	unsigned long free0 = free_total();

	KT_ASSERT_EQ(t, smp_call_function_single(victim, alloc_on_victim, NULL, true), 0);
	for (unsigned int i = 0; i < HELD_PAGES; i++)
		KT_ASSERT_NOT_NULL(t, held[i]);
	KT_ASSERT_EQ(t, cpu_down(victim), 0);
	KT_EXPECT_FALSE(t, cpu_online(victim));
	KT_EXPECT_STREQ(t, cpuhp_state_name(victim), "offline");
	KT_EXPECT_EQ(t, smp_call_function_single(victim, answer_fn, NULL, true), -ENXIO);
	KT_EXPECT_EQ(t, pages_held(victim, &owned), 0);
	KT_EXPECT_EQ(t, owned, 0);
	KT_EXPECT_EQ(t, cpu_down(victim), -EALREADY);
	/* Frees of its pages now go to the zone; the allocator stays consistent. */
	for (unsigned int i = 0; i < HELD_PAGES; i++)
		__free_pages(held[i], 0);
	KT_EXPECT_EQ(t, pages_held(victim, &owned), 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	KT_EXPECT_EQ(t, free_total(), free0);
	KT_ASSERT_EQ(t, cpu_up(victim), 0);
	expect_online_and_answering(t, victim);
	cpuhp_counts(&downs, &ups);
	KT_EXPECT_EQ(t, downs, downs0 + 1);
	KT_EXPECT_EQ(t, ups, ups0 + 1);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/*
 * Have @victim allocate HELD_PAGES (so its lists hold the rest of a block), then take it
 * down with @fault injected: cpu_down() must say @err. Return: the pages it held before.
 */
static unsigned long hold_then_fail_down(struct ktest *t, unsigned int victim,
					 enum cpuhp_fault fault, int err)
{
	unsigned long owned, held_before;

	KT_ASSERT_EQ(t, smp_call_function_single(victim, alloc_on_victim, NULL, true), 0);
	held_before = pages_held(victim, &owned);
	KT_ASSERT_GT(t, held_before, 0);
	KT_ASSERT_EQ(t, cpuhp_inject_fault(victim, fault), 0);
	KT_EXPECT_EQ(t, cpu_down(victim), err);
	return held_before;
}

/*
 * A CPU whose die request cannot be queued never heard it: it is alive and online, so
 * nothing of it may be torn down. If the page allocator's dead-CPU step ran anyway, it would
 * drain a live CPU's lists with the remote lock while the owner takes its own by trylock
 * (mm/pcp_lock.h: the two do not exclude each other), and a later cpu_up() would restart a
 * running CPU. before: victim online, holding pages. after the failed cpu_down: -EAGAIN,
 * still online and "online", still holding its pages, answering calls and allocating; a
 * plain cpu_down/cpu_up afterwards works and loses nothing.
 */
static void hotplug_die_request_not_queued(struct ktest *t)
{
	unsigned int victim;
	unsigned long owned, held_before;

	if (!ktest_need_offline_victim(t, &victim))
		return;
	drain_all_pages(NULL);
	KT_ASSERT_EQ(t, mm_check_invariants(), 0);
	unsigned long free0 = free_total();

	held_before = hold_then_fail_down(t, victim, CPUHP_FAULT_DIE_REQUEST, -EAGAIN);
	KT_ASSERT_TRUE(t, cpu_online(victim));
	KT_ASSERT_STREQ(t, cpuhp_state_name(victim), "online");
	KT_EXPECT_EQ(t, pages_held(victim, &owned), held_before);
	expect_online_and_answering(t, victim);
	for (unsigned int i = 0; i < HELD_PAGES; i++)
		__free_pages(held[i], 0);
	KT_ASSERT_EQ(t, smp_call_function_single(victim, alloc_on_victim, NULL, true), 0);
	for (unsigned int i = 0; i < HELD_PAGES; i++)
		__free_pages(held[i], 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	KT_ASSERT_EQ(t, cpu_down(victim), 0);
	KT_EXPECT_EQ(t, pages_held(victim, &owned), 0);
	KT_ASSERT_EQ(t, cpu_up(victim), 0);
	drain_all_pages(NULL);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	KT_EXPECT_EQ(t, free_total(), free0);
}

/*
 * A CPU that left the online mask but does not confirm that it parked may still be running:
 * its lists are not drained (the remote lock would race its own trylock) and it is not
 * restarted (that would start a running CPU). It stays "unparked", holding its pages, until
 * a later cpu_up()/cpu_down() sees it parked; then the drain runs and nothing is lost.
 */
static void hotplug_park_unconfirmed(struct ktest *t)
{
	unsigned int victim;
	unsigned long owned, held_before, downs0, ups0, downs, ups;

	if (!ktest_need_offline_victim(t, &victim))
		return;
	drain_all_pages(NULL);
	KT_ASSERT_EQ(t, mm_check_invariants(), 0);
	unsigned long free0 = free_total();

	cpuhp_counts(&downs0, &ups0);
	held_before = hold_then_fail_down(t, victim, CPUHP_FAULT_PARK, -ETIMEDOUT);
	KT_EXPECT_FALSE(t, cpu_online(victim));
	KT_EXPECT_STREQ(t, cpuhp_state_name(victim), "unparked");
	KT_EXPECT_EQ(t, pages_held(victim, &owned), held_before);
	KT_EXPECT_NE(t, mm_check_invariants(), 0);	/* its lists cannot be checked */
	for (unsigned int i = 0; i < HELD_PAGES; i++)
		__free_pages(held[i], 0);
	/* It did park: bringing it up confirms that, drains it, then starts it. */
	KT_ASSERT_EQ(t, cpu_up(victim), 0);
	expect_online_and_answering(t, victim);
	cpuhp_counts(&downs, &ups);
	KT_EXPECT_EQ(t, downs, downs0 + 1);
	KT_EXPECT_EQ(t, ups, ups0 + 1);
	drain_all_pages(NULL);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	KT_EXPECT_EQ(t, free_total(), free0);
	/* And the next offline waits for a real park again (no stale confirmation). */
	KT_ASSERT_EQ(t, cpu_down(victim), 0);
	KT_EXPECT_EQ(t, pages_held(victim, &owned), 0);
	KT_ASSERT_EQ(t, cpu_up(victim), 0);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

static void hotplug_stress(struct ktest *t)
{
	unsigned long scale = 1, downs = 0, ups = 0, order9 = 0, order9_fail = 0;
	unsigned int victims[NR_CPUS], nv = 0, cpu;
	bool ok = true;

	if (!ktest_need_offline_victim(t, &cpu))
		return;
	cmdline_get_ulong("hotplug.scale", &scale);
	if (!scale)
		scale = 1;
	for_each_online_cpu(cpu)
		if (cpu != 0 && arch_cpu_can_offline(cpu))
			victims[nv++] = cpu;
	if (smp_processor_id() != 0 || !nv) {
		ktest_skip(t, "runs on CPU 0 with another CPU that can go offline");
		return;
	}

	const unsigned long cycles = HP_CYCLES * scale, want9 = HP_ORDER9 * scale;
	const u64 want_iters = HP_ITERS * scale;
	const unsigned long phases = 2 * cycles * nv;
	const u64 per_phase = DIV_ROUND_UP(want_iters, phases);
	u64 t0 = arch_clock_ns(), target = 0;

	memset(hpw, 0, sizeof(hpw));
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		init_llist_head(&hpw[cpu].inbox);
	drain_all_pages(NULL);
	KT_ASSERT_EQ(t, mm_check_invariants(), 0);	/* also frees deferred blocks */
	const unsigned long free0 = free_total();

	ktest_log(t, "%u CPUs online, %u to cycle, scale %lu: %llu iterations, %lu cycles each, "
		  "%lu order-9 allocations", num_online_cpus(), nv, scale,
		  (unsigned long long)want_iters, cycles, want9);
	start_all();
	for (unsigned long c = 0; ok && c < cycles; c++) {
		for (unsigned int i = 0; ok && i < nv; i++) {
			unsigned int v = victims[i];
			int err;

			/* Down: the victim's worker stops; the others keep freeing into it. */
			ok &= stop_worker(t, v);
			flush_handoffs();
			err = cpu_down(v);
			if (err) {
				ktest_fail(t, __FILE__, __LINE__, "cpu_down(%u): %d (%s)", v, err,
					   cpuhp_strerror(err));
				ok = false;
				break;
			}
			downs++;
			if (order9_once(t))
				order9++;
			else
				order9_fail++;
			target += per_phase;
			ok &= run_phase(t, target);
			ok &= check_quiet(t, "after offlining", v);

			/* Up: its pages come back into play. */
			err = cpu_up(v);
			if (err) {
				ktest_fail(t, __FILE__, __LINE__, "cpu_up(%u): %d (%s)", v, err,
					   cpuhp_strerror(err));
				ok = false;
				break;
			}
			ups++;
			start_worker(v);
			if (order9_once(t))
				order9++;
			else
				order9_fail++;
			target += per_phase;
			ok &= run_phase(t, target);
			ok &= check_quiet(t, "after onlining", v);
		}
	}
	/* Top up what the cycles did not reach (few hotpluggable CPUs). */
	while (ok && (order9 < want9 || total_iters() < want_iters)) {
		if (order9 < want9) {
			if (order9_once(t))
				order9++;
			else if (++order9_fail > want9)
				break;
		}
		ok &= run_phase(t, min(total_iters() + per_phase, want_iters));
	}

	/* Everything back: every worker stopped, every CPU online, every page home. */
	stop_all(t);
	for (unsigned int i = 0; i < nv; i++)
		if (!cpu_online(victims[i]))
			KT_EXPECT_EQ(t, cpu_up(victims[i]), 0);
	drain_all_pages(NULL);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	const unsigned long free1 = free_total();
	u64 iters = total_iters(), handed = 0, bad = 0, fails = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		handed += hpw[cpu].handed;
		bad += hpw[cpu].bad;
		fails += hpw[cpu].alloc_fail;
		KT_EXPECT_EQ(t, hpw[cpu].inbox_len, 0);
	}
	u64 ms = (arch_clock_ns() - t0) / 1000000;

	KT_EXPECT_EQ(t, free1, free0);
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_GE(t, iters, want_iters);
	KT_EXPECT_GE(t, downs, cycles * nv);
	KT_EXPECT_EQ(t, ups, downs);
	KT_EXPECT_GE(t, order9, want9);
	ktest_log(t, "%llu worker iterations (%llu blocks handed between CPUs, %llu failed "
		  "allocations), %lu offline + %lu online on %u CPUs, %lu order-9 allocations, "
		  "free pages %lu -> %lu, %llu ms", (unsigned long long)iters,
		  (unsigned long long)handed, (unsigned long long)fails, downs, ups, nv, order9,
		  free0, free1, (unsigned long long)ms);
	pr_info("totals: iterations=%llu cycles=%lu cpus=%u order9=%lu lost_pages=%ld "
		"time_ms=%llu scale=%lu\n", (unsigned long long)iters, downs, nv, order9,
		(long)free0 - (long)free1, (unsigned long long)ms, scale);
}

static struct ktest_case hotplug_cases[] = {
	KTEST_CASE(hotplug_refusals),
	KTEST_CASE(hotplug_down_up_once),
	KTEST_CASE(hotplug_die_request_not_queued),
	KTEST_CASE(hotplug_park_unconfirmed),
	KTEST_CASE(hotplug_stress),
	{}
};
KTEST_SUITE_INIT(hotplug, hotplug_cases, hotplug_suite_init, hotplug_suite_exit);
