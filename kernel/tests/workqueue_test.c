// SPDX-License-Identifier: MIT
/*
 * ktest suite `workqueue`: deferred work (kernel/workqueue.h). Each work function records
 * where and how it ran (CPU, interrupt state, clock), so the cases check the rules of the
 * header: runs on the requested CPU, in process context with interrupts on, once per
 * successful queueing, never before its delay, never after a cancel, and not lost or run
 * twice when its CPU goes offline. Cases that need more CPUs skip.
 *
 * The cases run on the boot CPU, which is not idle: work queued for it runs only when the
 * case calls flush_work() or wait_runs() (which run this CPU's list), as the header says.
 */
#include "kernel/ktest.h"
#include "kernel/workqueue.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/tick.h"
#include "kernel/printk.h"
#include "mm/compaction.h"
#include "arch/arch.h"

#define NS_PER_MS	1000000ULL

struct probe {
	struct work_struct work;
	struct delayed_work dwork;	/* used instead of work by the delayed cases */
	u32 runs;			/* times the function ran (l: atomic) */
	u32 cpu;			/* where it ran last */
	bool irqs_off;			/* interrupts were off inside the function */
	bool in_irq;			/* it ran inside the test's interrupt handler, on its CPU */
	u64 ns;				/* arch_clock_ns() when it ran */
	u64 jiffies;			/* work_jiffies() when it ran */
	u64 ticks;			/* its CPU's timer ticks when it ran */
};

static u32 irq_active;		/* 1 + the CPU whose timer runs the test's callback, or 0 (l) */

static void probe_record(struct probe *p)
{
	p->cpu = smp_processor_id();
	p->irqs_off = arch_irqs_disabled();
	/* Only our own CPU's interrupt counts: another CPU may run work meanwhile. */
	p->in_irq = __atomic_load_n(&irq_active, __ATOMIC_RELAXED) == p->cpu + 1;
	p->ns = arch_clock_ns();
	p->jiffies = work_jiffies();
	p->ticks = cpu_timer_ticks(p->cpu);
	__atomic_fetch_add(&p->runs, 1, __ATOMIC_RELEASE);
}

static void probe_fn(struct work_struct *work)
{
	probe_record(container_of(work, struct probe, work));
}

static void probe_delayed_fn(struct work_struct *work)
{
	probe_record(container_of(to_delayed_work(work), struct probe, dwork));
}

static void probe_init(struct probe *p)
{
	*p = (struct probe){ 0 };
	INIT_WORK(&p->work, probe_fn);
	INIT_DELAYED_WORK(&p->dwork, probe_delayed_fn);
}

static u32 probe_runs(struct probe *p)
{
	return __atomic_load_n(&p->runs, __ATOMIC_ACQUIRE);
}

/* Wait up to @ms for @p to have run @n times, running this CPU's work meanwhile. */
static bool wait_runs(struct probe *p, u32 n, u64 ms)
{
	u64 start = arch_clock_ns();

	while (probe_runs(p) < n) {
		if (arch_clock_ns() - start > ms * NS_PER_MS)
			return false;
		workqueue_run_pending();
		arch_cpu_relax();
	}
	return true;
}

/* Spin @ms, running this CPU's work meanwhile (so nothing is held back by our waiting). */
static void spin_ms(u64 ms)
{
	u64 start = arch_clock_ns();

	while (arch_clock_ns() - start < ms * NS_PER_MS) {
		workqueue_run_pending();
		arch_cpu_relax();
	}
}

/* Another online CPU than this one, or this one if it is alone. */
static unsigned int other_cpu(void)
{
	unsigned int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu)
		if (cpu != me)
			return cpu;
	return me;
}

/* The CPU queue_work_on(@cpu) picks while @cpu is offline: the next online one, wrapping. */
static unsigned int next_online_after(unsigned int cpu)
{
	for (unsigned int i = 1; i <= NR_CPUS; i++) {
		unsigned int c = (cpu + i) % NR_CPUS;

		if (cpu_online(c))
			return c;
	}
	return NR_CPUS;
}

static unsigned int wq_saved_proactiveness;

static int workqueue_suite_init(void)
{
	/* flush_work(), cpu_down() and waiting calls need interrupts on. */
	if (arch_irqs_disabled())
		arch_local_irq_enable();
	/*
	 * The cases count the work a CPU holds and moves; proactive compaction's work, which
	 * lives on the highest online CPU, would be counted with theirs: off, so it stops.
	 */
	wq_saved_proactiveness = compaction_quiesce();
	return 0;
}

static void workqueue_suite_exit(void)
{
	compaction_set_proactiveness(wq_saved_proactiveness);
}

static struct probe probes[NR_CPUS];

/*
 * before: one idle probe per online CPU.
 * after: each queued for its CPU, flushed: ran exactly once, there, with interrupts on.
 */
static void work_runs_on_requested_cpu(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		probe_init(&probes[cpu]);
		KT_EXPECT_TRUE(t, queue_work_on(cpu, &probes[cpu].work));
	}
	for_each_online_cpu(cpu) {
		KT_EXPECT_EQ(t, flush_work(&probes[cpu].work), 0);
		KT_EXPECT_EQ(t, probe_runs(&probes[cpu]), 1);
		KT_EXPECT_EQ(t, probes[cpu].cpu, cpu);
		KT_EXPECT_FALSE(t, probes[cpu].irqs_off);
		KT_EXPECT_FALSE(t, work_pending(&probes[cpu].work));
	}
}

static struct probe irq_local, irq_remote;
static unsigned int irq_remote_cpu;
static bool irq_queued_local, irq_queued_remote;
static u32 irq_done;

/* From the timer interrupt: queue one work here and one on another CPU. */
static void queue_from_irq(void)
{
	__atomic_store_n(&irq_active, smp_processor_id() + 1, __ATOMIC_RELAXED);
	irq_queued_local = queue_work(&irq_local.work);
	irq_queued_remote = queue_work_on(irq_remote_cpu, &irq_remote.work);
	__atomic_store_n(&irq_active, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&irq_done, 1, __ATOMIC_RELEASE);
}

/*
 * before: nothing queued; a timer callback armed on this CPU.
 * after the interrupt: both works queued (true), this CPU's not run inside the interrupt
 * nor before we let it; each runs once, later, with interrupts on, outside the handler.
 */
static void work_queued_from_interrupt(struct ktest *t)
{
	u64 start = arch_clock_ns();

	probe_init(&irq_local);
	probe_init(&irq_remote);
	irq_remote_cpu = other_cpu();
	__atomic_store_n(&irq_done, 0, __ATOMIC_RELAXED);
	KT_ASSERT_TRUE(t, timer_interrupt_run_once(queue_from_irq));
	while (!__atomic_load_n(&irq_done, __ATOMIC_ACQUIRE)) {
		KT_ASSERT_TRUE(t, arch_clock_ns() - start < 2000 * NS_PER_MS);
		arch_cpu_relax();
	}
	KT_EXPECT_TRUE(t, irq_queued_local);
	KT_EXPECT_TRUE(t, irq_queued_remote);
	/* Ours waits for process context on this CPU: we have not run our list yet. */
	KT_EXPECT_EQ(t, probe_runs(&irq_local), 0);
	KT_EXPECT_TRUE(t, work_pending(&irq_local.work));
	KT_EXPECT_EQ(t, flush_work(&irq_local.work), 0);
	KT_EXPECT_EQ(t, flush_work(&irq_remote.work), 0);
	KT_EXPECT_EQ(t, probe_runs(&irq_local), 1);
	KT_EXPECT_EQ(t, probe_runs(&irq_remote), 1);
	KT_EXPECT_EQ(t, irq_local.cpu, smp_processor_id());
	KT_EXPECT_EQ(t, irq_remote.cpu, irq_remote_cpu);
	KT_EXPECT_FALSE(t, irq_local.irqs_off);
	KT_EXPECT_FALSE(t, irq_remote.irqs_off);
	KT_EXPECT_FALSE(t, irq_local.in_irq);
	KT_EXPECT_FALSE(t, irq_remote.in_irq);
}

/*
 * before: an idle probe. Queued on this CPU (which runs it only when we flush), queueing it
 * again, here or elsewhere, says false. after the flush: it ran once, here; queueing works
 * again.
 */
static void work_pending_semantics(struct ktest *t)
{
	struct probe *p = &probes[0];
	unsigned int me = smp_processor_id();

	probe_init(p);
	KT_EXPECT_FALSE(t, work_pending(&p->work));
	KT_EXPECT_TRUE(t, queue_work(&p->work));
	KT_EXPECT_TRUE(t, work_pending(&p->work));
	KT_EXPECT_FALSE(t, queue_work(&p->work));
	KT_EXPECT_FALSE(t, queue_work_on(other_cpu(), &p->work));
	KT_EXPECT_EQ(t, probe_runs(p), 0);
	KT_EXPECT_EQ(t, flush_work(&p->work), 0);
	KT_EXPECT_EQ(t, probe_runs(p), 1);
	KT_EXPECT_EQ(t, p->cpu, me);
	KT_EXPECT_FALSE(t, work_pending(&p->work));
	KT_EXPECT_TRUE(t, queue_work(&p->work));
	KT_EXPECT_EQ(t, flush_work(&p->work), 0);
	KT_EXPECT_EQ(t, probe_runs(p), 2);
}

#define REQUEUES	5
static struct work_struct requeue_work;
static u32 requeue_runs, requeue_failed, requeue_wrong_cpu, requeue_cpu;

static void requeue_fn(struct work_struct *work)
{
	u32 n = __atomic_add_fetch(&requeue_runs, 1, __ATOMIC_RELAXED);

	if (smp_processor_id() != requeue_cpu)
		requeue_wrong_cpu++;
	/* PENDING was cleared before we were called: queueing ourselves must succeed. */
	if (n < REQUEUES && !queue_work(work))
		requeue_failed++;
}

/* A function that requeues itself REQUEUES - 1 times: it runs REQUEUES times, on its CPU. */
static void work_self_requeue(struct ktest *t)
{
	requeue_cpu = other_cpu();
	requeue_runs = requeue_failed = requeue_wrong_cpu = 0;
	INIT_WORK(&requeue_work, requeue_fn);
	KT_EXPECT_TRUE(t, queue_work_on(requeue_cpu, &requeue_work));
	KT_EXPECT_EQ(t, flush_work(&requeue_work), 0);
	KT_EXPECT_EQ(t, __atomic_load_n(&requeue_runs, __ATOMIC_RELAXED), REQUEUES);
	KT_EXPECT_EQ(t, requeue_failed, 0);
	KT_EXPECT_EQ(t, requeue_wrong_cpu, 0);
	KT_EXPECT_FALSE(t, work_pending(&requeue_work));
}

#define DELAY_MS	50
/* Slack for "fires within a bound": two ticks plus what a loaded emulator adds. */
#define DELAY_SLACK_MS	500

/*
 * before: delayed work armed for DELAY_MS on another CPU.
 * after: not run at DELAY_MS / 2; run once on that CPU, at least DELAY_MS later by the clock,
 * at least DELAY_MS / WORK_TICK_MS + 1 ticks of the workqueue clock later, and not more than
 * DELAY_SLACK_MS late.
 */
static void delayed_work_fires_after_delay(struct ktest *t)
{
	struct probe *p = &probes[0];
	unsigned int cpu = other_cpu();
	u64 t0, j0, ticks0;

	probe_init(p);
	ticks0 = cpu_timer_ticks(cpu);
	j0 = work_jiffies();
	t0 = arch_clock_ns();
	KT_ASSERT_TRUE(t, queue_delayed_work_on(cpu, &p->dwork, DELAY_MS));
	KT_EXPECT_FALSE(t, queue_delayed_work_on(cpu, &p->dwork, DELAY_MS));
	KT_EXPECT_TRUE(t, work_pending(&p->dwork.work));
	spin_ms(DELAY_MS / 2);
	KT_EXPECT_EQ(t, probe_runs(p), 0);
	KT_ASSERT_TRUE(t, wait_runs(p, 1, DELAY_MS + DELAY_SLACK_MS + 1000));
	KT_EXPECT_EQ(t, p->cpu, cpu);
	KT_EXPECT_FALSE(t, p->irqs_off);
	KT_EXPECT_GE(t, p->ns - t0, DELAY_MS * NS_PER_MS);
	KT_EXPECT_LE(t, p->ns - t0, (DELAY_MS + DELAY_SLACK_MS) * NS_PER_MS);
	KT_EXPECT_GE(t, p->jiffies - j0, DIV_ROUND_UP(DELAY_MS, WORK_TICK_MS) + 1);
	ktest_log(t, "%u ms delay on CPU%u: ran after %llu us, %llu of its ticks", DELAY_MS, cpu,
		  (unsigned long long)((p->ns - t0) / 1000),
		  (unsigned long long)(p->ticks - ticks0));
	spin_ms(2 * WORK_TICK_MS);
	KT_EXPECT_EQ(t, probe_runs(p), 1);
}

/*
 * before: delayed work armed for 100 ms, cancelled at once (true; a second cancel false).
 * after 300 ms: it never ran. Armed again (its cancelled node may still sit on a timer list):
 * it runs once. cancel_delayed_work_sync() leaves the work idle (state 0). The same for plain
 * work cancelled on this CPU's list.
 */
static void cancel_before_expiry_never_runs(struct ktest *t)
{
	struct probe *p = &probes[0];
	unsigned int cpu = other_cpu();

	probe_init(p);
	KT_ASSERT_TRUE(t, queue_delayed_work_on(cpu, &p->dwork, 100));
	KT_EXPECT_TRUE(t, cancel_delayed_work(&p->dwork));
	KT_EXPECT_FALSE(t, cancel_delayed_work(&p->dwork));
	KT_EXPECT_FALSE(t, work_pending(&p->dwork.work));
	spin_ms(300);
	KT_EXPECT_EQ(t, probe_runs(p), 0);

	KT_ASSERT_TRUE(t, queue_delayed_work_on(cpu, &p->dwork, 20));
	KT_EXPECT_TRUE(t, wait_runs(p, 1, 2000));
	spin_ms(50);
	KT_EXPECT_EQ(t, probe_runs(p), 1);
	KT_EXPECT_EQ(t, p->cpu, cpu);

	/* cancel_work_sync(): on return the node is off every list (QUEUED clear). */
	probe_init(p);
	KT_ASSERT_TRUE(t, queue_delayed_work_on(cpu, &p->dwork, 100));
	KT_EXPECT_TRUE(t, cancel_delayed_work_sync(&p->dwork));
	KT_EXPECT_EQ(t, __atomic_load_n(&p->dwork.work.state, __ATOMIC_ACQUIRE), 0);
	KT_EXPECT_FALSE(t, cancel_delayed_work_sync(&p->dwork));
	KT_ASSERT_TRUE(t, queue_work_on(cpu, &p->work));
	KT_EXPECT_EQ(t, flush_work(&p->work), 0);
	KT_EXPECT_FALSE(t, cancel_work_sync(&p->work));
	KT_EXPECT_EQ(t, probe_runs(p), 1);

	/* Plain work, on our own list: cancelled, the runner drops it; queued again, it runs. */
	probe_init(p);
	KT_ASSERT_TRUE(t, queue_work(&p->work));
	KT_EXPECT_TRUE(t, cancel_work(&p->work));
	workqueue_run_pending();
	KT_EXPECT_EQ(t, probe_runs(p), 0);
	KT_ASSERT_TRUE(t, queue_work(&p->work));
	KT_EXPECT_TRUE(t, cancel_work(&p->work));
	KT_ASSERT_TRUE(t, queue_work(&p->work));	/* over its cancelled node */
	KT_EXPECT_EQ(t, flush_work(&p->work), 0);
	KT_EXPECT_EQ(t, probe_runs(p), 1);
}

/* flush_delayed_work() of work armed for 5 s runs it now (well under a second), once. */
static void flush_delayed_runs_it_now(struct ktest *t)
{
	struct probe *p = &probes[0];
	u64 t0 = arch_clock_ns();

	probe_init(p);
	KT_ASSERT_TRUE(t, queue_delayed_work_on(other_cpu(), &p->dwork, 5000));
	KT_EXPECT_EQ(t, flush_delayed_work(&p->dwork), 0);
	KT_EXPECT_EQ(t, probe_runs(p), 1);
	KT_EXPECT_LT(t, p->ns - t0, 1000 * NS_PER_MS);
	KT_EXPECT_FALSE(t, work_pending(&p->dwork.work));
}

/*
 * before: delayed work armed for 200 ms on the victim CPU.
 * after cpu_down(victim): still pending (moved, not lost); it runs once, not before its
 * delay, on the next online CPU after the victim. Work queued for the offline victim runs
 * there too; after cpu_up, work for the victim runs on it again.
 */
static void hotplug_moves_pending_work(struct ktest *t)
{
	struct probe *p = &probes[0], *q = &probes[1];
	struct workqueue_stats s0, s1;
	unsigned int victim, expect;
	u64 t0;

	if (!ktest_need_offline_victim(t, &victim))
		return;
	probe_init(p);
	probe_init(q);
	workqueue_stats(victim, &s0);
	t0 = arch_clock_ns();
	KT_ASSERT_TRUE(t, queue_delayed_work_on(victim, &p->dwork, 200));
	KT_ASSERT_EQ(t, cpu_down(victim), 0);
	expect = next_online_after(victim);
	workqueue_stats(victim, &s1);
	KT_EXPECT_EQ(t, s1.moved, s0.moved + 1);
	KT_EXPECT_TRUE(t, work_pending(&p->dwork.work));
	KT_EXPECT_EQ(t, probe_runs(p), 0);
	KT_EXPECT_TRUE(t, queue_work_on(victim, &q->work));
	KT_EXPECT_EQ(t, flush_work(&q->work), 0);
	KT_EXPECT_EQ(t, probe_runs(q), 1);
	KT_EXPECT_EQ(t, q->cpu, expect);
	KT_EXPECT_TRUE(t, wait_runs(p, 1, 3000));
	spin_ms(30);
	KT_EXPECT_EQ(t, probe_runs(p), 1);
	KT_EXPECT_EQ(t, p->cpu, expect);
	KT_EXPECT_GE(t, p->ns - t0, 200 * NS_PER_MS);
	KT_ASSERT_EQ(t, cpu_up(victim), 0);
	KT_EXPECT_TRUE(t, queue_work_on(victim, &q->work));
	KT_EXPECT_EQ(t, flush_work(&q->work), 0);
	KT_EXPECT_EQ(t, probe_runs(q), 2);
	KT_EXPECT_EQ(t, q->cpu, victim);
}

#define BEHIND_ITEMS	8
static struct work_struct blocker;
static u32 blocker_started, blocker_saw_die, blocker_finished;

/* On the victim: run until its die request arrives (and is deferred), at most 3 s. */
static void blocker_fn(struct work_struct *work)
{
	u64 start = arch_clock_ns();

	(void)work;
	__atomic_store_n(&blocker_started, 1, __ATOMIC_RELEASE);
	while (arch_clock_ns() - start < 3000 * NS_PER_MS) {
		if (cpuhp_die_deferred()) {
			__atomic_store_n(&blocker_saw_die, 1, __ATOMIC_RELAXED);
			break;
		}
		arch_cpu_relax();
	}
	__atomic_store_n(&blocker_finished, 1, __ATOMIC_RELEASE);
}

/*
 * before: the victim runs a work function that lasts until its die request arrives; 8 works
 * wait behind it on the victim's list.
 * after cpu_down(victim): the function was not abandoned (the die waited for it to return),
 * the 8 were not run on the victim but moved (its moved count + 8) and each ran once on the
 * next online CPU.
 */
static void hotplug_waits_for_running_work(struct ktest *t)
{
	struct workqueue_stats s0, s1;
	unsigned int victim, expect;
	u64 start;

	if (!ktest_need_offline_victim(t, &victim))
		return;
	blocker_started = blocker_saw_die = blocker_finished = 0;
	INIT_WORK(&blocker, blocker_fn);
	for (unsigned int i = 0; i < BEHIND_ITEMS; i++)
		probe_init(&probes[i]);
	workqueue_stats(victim, &s0);
	KT_ASSERT_TRUE(t, queue_work_on(victim, &blocker));
	start = arch_clock_ns();
	while (!__atomic_load_n(&blocker_started, __ATOMIC_ACQUIRE)) {
		KT_ASSERT_TRUE(t, arch_clock_ns() - start < 2000 * NS_PER_MS);
		arch_cpu_relax();
	}
	for (unsigned int i = 0; i < BEHIND_ITEMS; i++)
		KT_EXPECT_TRUE(t, queue_work_on(victim, &probes[i].work));
	KT_ASSERT_EQ(t, cpu_down(victim), 0);
	expect = next_online_after(victim);
	KT_EXPECT_EQ(t, __atomic_load_n(&blocker_finished, __ATOMIC_ACQUIRE), 1);
	KT_EXPECT_EQ(t, blocker_saw_die, 1);
	workqueue_stats(victim, &s1);
	KT_EXPECT_EQ(t, s1.moved - s0.moved, BEHIND_ITEMS);
	for (unsigned int i = 0; i < BEHIND_ITEMS; i++) {
		KT_EXPECT_EQ(t, flush_work(&probes[i].work), 0);
		KT_EXPECT_EQ(t, probe_runs(&probes[i]), 1);
		KT_EXPECT_EQ(t, probes[i].cpu, expect);
	}
	KT_EXPECT_EQ(t, cpu_up(victim), 0);
}

#define STORM_ITEMS	64
static struct probe storm[STORM_ITEMS];
static u32 storm_queued[STORM_ITEMS];	/* successful queue_work_on() per item (queuer only) */
static unsigned int storm_victim;
static u32 storm_stop, storm_started;
static u64 storm_rounds;
static struct work_struct storm_queuer;

/* An item: ~50 us of work, so the die request likely finds the victim inside its runner. */
static void storm_item_fn(struct work_struct *work)
{
	u64 start = arch_clock_ns();

	while (arch_clock_ns() - start < 50000)
		arch_cpu_relax();
	probe_record(container_of(work, struct probe, work));
}

/* On a third CPU: queue the items for the victim over and over until told to stop. */
static void storm_queuer_fn(struct work_struct *work)
{
	u64 start = arch_clock_ns();

	(void)work;
	__atomic_store_n(&storm_started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&storm_stop, __ATOMIC_ACQUIRE) &&
	       arch_clock_ns() - start < 5000 * NS_PER_MS) {
		for (unsigned int i = 0; i < STORM_ITEMS; i++)
			if (queue_work_on(storm_victim, &storm[i].work))
				storm_queued[i]++;
		storm_rounds++;
	}
}

/*
 * before: a third CPU queues 64 items for the victim, over and over, while the victim runs
 * them; cpu_down(victim) lands in the middle (its die request may find it running work).
 * after: every successful queueing ran exactly once (runs == queued per item), some on the
 * victim before it left and the rest elsewhere; nothing is left pending.
 */
static void hotplug_storm_runs_each_once(struct ktest *t)
{
	unsigned int victim, queuer = NR_CPUS, cpu, me = smp_processor_id();
	struct workqueue_stats s0, s1;
	u32 on_victim = 0, elsewhere = 0;
	u64 start;

	if (!ktest_need_offline_victim(t, &victim))
		return;
	for_each_online_cpu(cpu)
		if (cpu != me && cpu != victim)
			queuer = cpu;
	if (queuer == NR_CPUS) {
		ktest_skip(t, "needs a third online CPU to queue from");
		return;
	}
	for (unsigned int i = 0; i < STORM_ITEMS; i++) {
		probe_init(&storm[i]);
		INIT_WORK(&storm[i].work, storm_item_fn);
		storm_queued[i] = 0;
	}
	storm_victim = victim;
	storm_stop = storm_started = 0;
	storm_rounds = 0;
	workqueue_stats(victim, &s0);
	INIT_WORK(&storm_queuer, storm_queuer_fn);
	KT_ASSERT_TRUE(t, queue_work_on(queuer, &storm_queuer));
	start = arch_clock_ns();
	while (!__atomic_load_n(&storm_started, __ATOMIC_ACQUIRE)) {
		KT_ASSERT_TRUE(t, arch_clock_ns() - start < 2000 * NS_PER_MS);
		arch_cpu_relax();
	}
	spin_ms(20);
	KT_EXPECT_EQ(t, cpu_down(victim), 0);
	spin_ms(20);
	__atomic_store_n(&storm_stop, 1, __ATOMIC_RELEASE);
	KT_EXPECT_EQ(t, flush_work(&storm_queuer), 0);
	for (unsigned int i = 0; i < STORM_ITEMS; i++) {
		KT_EXPECT_EQ(t, flush_work(&storm[i].work), 0);
		if (probe_runs(&storm[i]) != storm_queued[i])
			ktest_fail(t, __FILE__, __LINE__, "item %u: queued %u times, ran %u", i,
				   storm_queued[i], probe_runs(&storm[i]));
		if (storm[i].cpu == victim)
			on_victim++;
		else
			elsewhere++;
	}
	workqueue_stats(victim, &s1);
	ktest_log(t, "%llu rounds; items last ran on the victim: %u, elsewhere: %u; moved: %llu",
		  (unsigned long long)storm_rounds, on_victim, elsewhere,
		  (unsigned long long)(s1.moved - s0.moved));
	KT_EXPECT_GT(t, storm_rounds, 0);
	KT_EXPECT_EQ(t, cpu_up(victim), 0);
}

static struct ktest_case workqueue_cases[] = {
	KTEST_CASE(work_runs_on_requested_cpu),
	KTEST_CASE(work_queued_from_interrupt),
	KTEST_CASE(work_pending_semantics),
	KTEST_CASE(work_self_requeue),
	KTEST_CASE(delayed_work_fires_after_delay),
	KTEST_CASE(cancel_before_expiry_never_runs),
	KTEST_CASE(flush_delayed_runs_it_now),
	KTEST_CASE(hotplug_moves_pending_work),
	KTEST_CASE(hotplug_waits_for_running_work),
	KTEST_CASE(hotplug_storm_runs_each_once),
	{}
};
KTEST_SUITE_INIT(workqueue, workqueue_cases, workqueue_suite_init, workqueue_suite_exit);
