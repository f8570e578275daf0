// SPDX-License-Identifier: MIT
/*
 * `bench=lock`: spinlock acquire+release cost, with lock statistics off and on, as ratios.
 *
 *  - the clock sources lock statistics could use: arch_cycles() and arch_clock_ns(), ns/call;
 *  - uncontended: the boot CPU takes and drops one lock `bench.lock_iters=` times (1000000);
 *  - contended: every online CPU hammers one lock, started together by an on_each_cpu()
 *    barrier (the callback runs with IRQs off: a benchmark-only use of interrupt context);
 *    each CPU does iters/ncpus rounds; the figure is the mean per-CPU ns per lock+unlock;
 *  - torture: the shape of ktest lock_torture_exact (`bench.lock_torture=` increments in
 *    total, 100000 by default where the ktest does 400000, so that a make bench boot stays
 *    bounded; shared by every online CPU, over 4 locks taken by lock, irqsave and
 *    trylock-spin in turn); the figure is the wall time in ms for the whole total: the
 *    number that grows to tens of seconds on 4 vCPUs over 2 host cores if spinning goes
 *    badly. Contended and torture figures swing with how often the host runs
 *    the vCPUs at the same time: compare on/off within one boot, not across boots.
 *
 * Locking: the callback is the lock's user; counters are checked afterwards.
 */
#include "kernel/bench.h"
#include "kernel/lockstat.h"
#include "kernel/spinlock.h"
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "arch/arch.h"

static spinlock_t bench_lock = SPINLOCK_INIT("bench_lock");
static u64 bench_counter;		/* (s) bench_lock */

struct hammer {
	unsigned long iters;		/* per CPU (c) */
	u32 arrived;			/* start barrier (l: atomic) */
	u64 elapsed_ns[NR_CPUS];	/* each CPU its own slot */
};

static void hammer_fn(void *arg)
{
	struct hammer *h = arg;
	unsigned int ncpus = num_online_cpus(), cpu = smp_processor_id();

	__atomic_fetch_add(&h->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&h->arrived, __ATOMIC_ACQUIRE) < ncpus)
		arch_cpu_relax();
	u64 t0 = arch_clock_ns();

	for (unsigned long i = 0; i < h->iters; i++) {
		spin_lock(&bench_lock);
		bench_counter++;
		spin_unlock(&bench_lock);
	}
	h->elapsed_ns[cpu] = arch_clock_ns() - t0;
}

/* Mean ns per lock+unlock per CPU, all online CPUs hammering. */
static u64 contended(unsigned long iters)
{
	static struct hammer h;
	unsigned int cpu, n = 0;
	u64 sum = 0;

	h = (struct hammer){ .iters = iters };
	bench_counter = 0;
	on_each_cpu(hammer_fn, &h, true);
	for_each_online_cpu(cpu) {
		sum += h.elapsed_ns[cpu];
		n++;
	}
	if (bench_counter != iters * n)
		printk("lock: LOST UPDATES: counter %llu, expected %llu\n",
		       (unsigned long long)bench_counter, (unsigned long long)(iters * n));
	return n && iters ? sum * 1000 / n / iters : 0;	/* picoseconds: two decimals later */
}

#define TORTURE_LOCKS 4
static spinlock_t torture_lock[TORTURE_LOCKS] = {
	SPINLOCK_INIT("bench_torture"), SPINLOCK_INIT("bench_torture"),
	SPINLOCK_INIT("bench_torture"), SPINLOCK_INIT("bench_torture"),
};
static u64 torture_counter[TORTURE_LOCKS];	/* (s) torture_lock[i] */

/* One CPU's share of the torture: the loop of kernel/tests/lock_test.c's torture_fn(). */
static void torture_fn(void *arg)
{
	struct hammer *h = arg;
	unsigned int ncpus = num_online_cpus(), cpu = smp_processor_id();

	__atomic_fetch_add(&h->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&h->arrived, __ATOMIC_ACQUIRE) < ncpus)
		arch_cpu_relax();
	for (unsigned long i = 0; i < h->iters; i++) {
		unsigned int l = (unsigned int)((i + cpu) % TORTURE_LOCKS);

		if (l == 0) {
			guard(spinlock)(&torture_lock[0]);
			torture_counter[0]++;
		} else if (i & 1) {
			scoped_guard(spinlock_irqsave, &torture_lock[l])
				torture_counter[l]++;
		} else {
			while (!spin_trylock(&torture_lock[l]))
				arch_cpu_relax();
			torture_counter[l]++;
			spin_unlock(&torture_lock[l]);
		}
	}
}

/* Wall time in picoseconds' units of ms (two decimals later) for `total` increments. */
static u64 torture(unsigned long total)
{
	static struct hammer h;
	unsigned int ncpus = num_online_cpus();
	u64 sum = 0, t0;

	h = (struct hammer){ .iters = total / ncpus };
	for (unsigned int i = 0; i < TORTURE_LOCKS; i++)
		torture_counter[i] = 0;
	t0 = arch_clock_ns();
	on_each_cpu(torture_fn, &h, true);
	t0 = arch_clock_ns() - t0;
	for (unsigned int i = 0; i < TORTURE_LOCKS; i++)
		sum += torture_counter[i];
	if (sum != h.iters * ncpus)
		printk("lock: LOST UPDATES in torture: %llu, expected %llu\n",
		       (unsigned long long)sum, (unsigned long long)(h.iters * ncpus));
	return t0 / 1000;	/* microseconds: printed as ms with two decimals */
}

static u64 uncontended(unsigned long iters)
{
	unsigned long flags = arch_local_irq_save();
	u64 t0 = arch_clock_ns();

	for (unsigned long i = 0; i < iters; i++) {
		spin_lock(&bench_lock);
		bench_counter++;
		spin_unlock(&bench_lock);
	}
	u64 ns = arch_clock_ns() - t0;

	arch_local_irq_restore(flags);
	return iters ? ns * 1000 / iters : 0;
}

static u64 clock_cost(bool cycles, unsigned long iters)
{
	volatile u64 sink = 0;
	u64 t0 = arch_clock_ns();

	for (unsigned long i = 0; i < iters; i++)
		sink += cycles ? arch_cycles() : arch_clock_ns();
	(void)sink;
	return iters ? (arch_clock_ns() - t0) * 1000 / iters : 0;
}

static void add_ps(struct bench_table *t, u64 ps)
{
	bench_table_add(t, "%llu.%02llu", (unsigned long long)(ps / 1000),
			(unsigned long long)(ps % 1000 / 10));
}

static void lock_bench(void)
{
	static struct bench_table t, c;
	unsigned long iters = bench_param("lock_iters", 1000000);
	unsigned int ncpus = num_online_cpus();
	bool was_on = lockstat_enabled();
	char ratio[16];

	if (arch_irqs_disabled())
		arch_local_irq_enable();	/* on_each_cpu(wait) needs interrupts on */
	bench_table_init(&c, "clock sources (ns per call)", 2, "source", "ns");
	bench_table_add(&c, "arch_cycles()");
	add_ps(&c, clock_cost(true, iters / 10));
	bench_table_add(&c, "arch_clock_ns()");
	add_ps(&c, clock_cost(false, iters / 10));
	bench_table_print(&c);

	bench_table_init(&t, "spinlock cost (ns per lock+unlock; torture: ms in all)", 5, "case", "cpus",
			 "stats off", "stats on", "on/off");
	lockstat_enable(false);
	u64 u_off = uncontended(iters);

	lockstat_enable(true);
	u64 u_on = uncontended(iters);

	lockstat_enable(false);
	bench_table_add(&t, "uncontended");
	bench_table_add(&t, "1");
	add_ps(&t, u_off);
	add_ps(&t, u_on);
	bench_ratio(ratio, sizeof(ratio), u_on, u_off);
	bench_table_add(&t, "%s", ratio);
	if (ncpus > 1) {
		unsigned long per_cpu = iters / ncpus / 4 + 1;
		u64 c_off = contended(per_cpu);

		lockstat_enable(true);
		u64 c_on = contended(per_cpu);

		lockstat_enable(false);
		bench_table_add(&t, "contended");
		bench_table_add(&t, "%u", ncpus);
		add_ps(&t, c_off);
		add_ps(&t, c_on);
		bench_ratio(ratio, sizeof(ratio), c_on, c_off);
		bench_table_add(&t, "%s", ratio);

		unsigned long total = bench_param("lock_torture", 100000);
		u64 t_off = torture(total);

		lockstat_enable(true);
		u64 t_on = torture(total);

		lockstat_enable(false);
		bench_table_add(&t, "torture ms");
		bench_table_add(&t, "%u", ncpus);
		add_ps(&t, t_off);
		add_ps(&t, t_on);
		bench_ratio(ratio, sizeof(ratio), t_on, t_off);
		bench_table_add(&t, "%s", ratio);
	}
	bench_table_print(&t);
	lockstat_enable(was_on);
	struct lock_class_stats s;

	if (lockstat_get("bench_lock", &s))
		printk("lock: bench_lock while stats were on: %llu acquisitions, %llu contentions, "
		       "%llu contended releases\n", (unsigned long long)s.acquisitions,
		       (unsigned long long)s.contentions,
		       (unsigned long long)s.contended_releases);
}
BENCH(lock, "spinlock acquire+release cost, lock statistics off and on", lock_bench);
