// SPDX-License-Identifier: MIT
/*
 * ktest suite `smp`: CPU masks, per-CPU variables and cross-CPU calls. Cases that need a
 * second CPU skip with -smp 1. The stress case makes `smp_test.calls=` (default 1000000)
 * fire-and-forget calls spread over every ordered pair of CPUs and checks that each one ran
 * exactly once: each source CPU keeps a pool of csds, each target counts per source.
 *
 * Cases that make every CPU run a long loop start it with on_each_cpu(): the loop then runs
 * in interrupt context with IRQs off, and keeps other CPUs' calls moving with
 * smp_process_pending_calls() (test-only; real callbacks are short).
 */
#include "kernel/ktest.h"
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/percpu.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

static int smp_suite_init(void)
{
	/* Waiting calls need interrupts on (the rule smp.c WARNs about). */
	if (arch_irqs_disabled()) {
		pr_warn("smp_test: interrupts were off on CPU%u; turning them on\n",
			smp_processor_id());
		arch_local_irq_enable();
	}
	return 0;
}

static bool need_two_cpus(struct ktest *t)
{
	if (num_online_cpus() >= 2)
		return true;
	ktest_skip(t, "needs at least 2 online CPUs");
	return false;
}

static void masks_nest(struct ktest *t)
{
	KT_EXPECT_TRUE(t, cpu_online(0));
	KT_EXPECT_TRUE(t, cpumask_subset(cpu_online_mask, cpu_present_mask));
	KT_EXPECT_TRUE(t, cpumask_subset(cpu_present_mask, cpu_possible_mask));
	KT_EXPECT_EQ(t, num_online_cpus(), cpumask_weight(cpu_online_mask));
	KT_EXPECT_EQ(t, smp_processor_id(), 0);
	KT_EXPECT_NE(t, cpu_hwid(0), ~0u);
}

static DEFINE_PER_CPU(unsigned long, pcpu_probe) = 42;
static unsigned long seen_cpu[NR_CPUS];
static unsigned long seen_slot[NR_CPUS];

static void percpu_probe_fn(void *info)
{
	unsigned int cpu = smp_processor_id();

	(void)info;
	seen_cpu[cpu] = cpu + 1000;
	seen_slot[cpu] = (unsigned long)this_cpu_ptr(&pcpu_probe);
	*this_cpu_ptr(&pcpu_probe) += cpu;
}

/* this_cpu_ptr() on each CPU is that CPU's per_cpu() copy; copies are distinct. */
static void percpu_copies_distinct(struct ktest *t)
{
	unsigned int cpu, other;

	memset(seen_cpu, 0, sizeof(seen_cpu));
	for_each_online_cpu(cpu)
		per_cpu(pcpu_probe, cpu) = 42;
	on_each_cpu(percpu_probe_fn, NULL, true);
	for_each_online_cpu(cpu) {
		KT_EXPECT_EQ(t, seen_cpu[cpu], cpu + 1000);
		KT_EXPECT_EQ(t, seen_slot[cpu], (unsigned long)&per_cpu(pcpu_probe, cpu));
		KT_EXPECT_EQ(t, per_cpu(pcpu_probe, cpu), 42 + cpu);
		KT_EXPECT_EQ(t, percpu_hdr_of(cpu)->cpu, cpu);
		for_each_online_cpu(other)
			if (other != cpu)
				KT_EXPECT_NE(t, (unsigned long)&per_cpu(pcpu_probe, cpu),
					     (unsigned long)&per_cpu(pcpu_probe, other));
	}
}

struct echo {
	u32 cpu;
	u32 irqs_off;
	u64 token;
};
static struct echo echoes[NR_CPUS];

static void echo_fn(void *info)
{
	unsigned int cpu = smp_processor_id();

	echoes[cpu].cpu = cpu;
	echoes[cpu].irqs_off = arch_irqs_disabled();
	echoes[cpu].token = (u64)(unsigned long)info + cpu;
}

/* Every CPU runs a function by IPI and its result comes back. */
static void each_cpu_answers(struct ktest *t)
{
	unsigned int cpu;

	memset(echoes, 0xff, sizeof(echoes));
	on_each_cpu(echo_fn, (void *)0x5000UL, true);
	for_each_online_cpu(cpu) {
		KT_EXPECT_EQ(t, echoes[cpu].cpu, cpu);
		KT_EXPECT_EQ(t, echoes[cpu].irqs_off, 1);
		KT_EXPECT_EQ(t, echoes[cpu].token, 0x5000 + cpu);
	}
	ktest_log(t, "%u CPUs answered", num_online_cpus());
}

static void call_single_each(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		echoes[cpu].token = 0;
		KT_EXPECT_EQ(t, smp_call_function_single(cpu, echo_fn, (void *)7UL, true), 0);
		KT_EXPECT_EQ(t, echoes[cpu].token, 7 + cpu);
		KT_EXPECT_EQ(t, echoes[cpu].irqs_off, 1);	/* self calls too */
	}
	KT_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, echo_fn, NULL, true), -ENXIO);
}

static void call_many_skips_self(struct ktest *t)
{
	unsigned int cpu;

	if (!need_two_cpus(t))
		return;
	memset(echoes, 0, sizeof(echoes));
	smp_call_function_many(cpu_online_mask, echo_fn, (void *)1UL, true);
	KT_EXPECT_EQ(t, echoes[0].token, 0);	/* the caller is not in "many" */
	for_each_online_cpu(cpu)
		if (cpu != 0)
			KT_EXPECT_EQ(t, echoes[cpu].token, 1 + cpu);
}

/* ---- The stress: every CPU sends to every other, counts must match exactly ---- */

#define STRESS_POOL 32

struct stress_slot {
	struct call_single_data csd;
	u32 src;
};

struct stress {
	unsigned long per_cpu_calls;			/* (c) */
	u32 arrived;					/* start barrier (l) */
	u64 sent[NR_CPUS][NR_CPUS];			/* [src][dst], written by src */
	u64 ran[NR_CPUS][NR_CPUS];			/* [src][dst], written by dst */
	struct stress_slot pool[NR_CPUS][STRESS_POOL];	/* [src][i], owned by src */
};
static struct stress stress;

static void stress_target(void *info)
{
	/* The csd is released before this runs: the source is in info, not in the slot. */
	stress.ran[(unsigned long)info][smp_processor_id()]++;
}

static void stress_source(void *info)
{
	unsigned int me = smp_processor_id(), ncpus = num_online_cpus();
	unsigned int targets[NR_CPUS], nt = 0, cpu;

	(void)info;
	for_each_online_cpu(cpu)
		if (cpu != me)
			targets[nt++] = cpu;
	__atomic_fetch_add(&stress.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&stress.arrived, __ATOMIC_ACQUIRE) < ncpus)
		smp_process_pending_calls();
	for (unsigned long i = 0; i < stress.per_cpu_calls; i++) {
		struct stress_slot *s = &stress.pool[me][i % STRESS_POOL];
		unsigned int dst = targets[i % nt];

		while (csd_busy(&s->csd))
			smp_process_pending_calls();
		s->src = me;
		s->csd.func = stress_target;
		s->csd.info = (void *)(unsigned long)me;
		if (smp_call_function_single_async(dst, &s->csd) == 0)
			stress.sent[me][dst]++;
	}
	for (unsigned int i = 0; i < STRESS_POOL; i++)
		while (csd_busy(&stress.pool[me][i].csd))
			smp_process_pending_calls();
}

static void nop_fn(void *info)
{
	(void)info;
}

static void call_stress_exact(struct ktest *t)
{
	unsigned long total = 1000000, ncpus = num_online_cpus();
	unsigned int src, dst;

	if (!need_two_cpus(t))
		return;
	cmdline_get_ulong("smp_test.calls", &total);
	memset(&stress, 0, sizeof(stress));
	stress.per_cpu_calls = DIV_ROUND_UP(total, ncpus);
	u64 t0 = arch_clock_ns();

	on_each_cpu(stress_source, NULL, true);
	/*
	 * A fire-and-forget csd is released before its callback runs, so "every csd free" does
	 * not mean "every callback finished". One waiting call to each CPU does: it runs after
	 * everything queued there before it.
	 */
	on_each_cpu(nop_fn, NULL, true);
	u64 ms = (arch_clock_ns() - t0) / 1000000;
	u64 sum = 0;

	for_each_online_cpu(src)
		for_each_online_cpu(dst) {
			if (stress.sent[src][dst] != stress.ran[src][dst])
				KT_EXPECT_EQ(t, stress.sent[src][dst], stress.ran[src][dst]);
			sum += stress.ran[src][dst];
		}
	KT_EXPECT_EQ(t, sum, stress.per_cpu_calls * ncpus);
	ktest_log(t, "%llu cross-CPU calls on %lu CPUs in %llu ms, none lost or repeated",
		  (unsigned long long)sum, ncpus, (unsigned long long)ms);
}

/* One IPI per empty -> non-empty transition: a burst to a busy CPU costs one interrupt. */
static volatile u32 hold_target;
static void spin_until_released(void *info)
{
	(void)info;
	__atomic_store_n(&hold_target, 2, __ATOMIC_RELEASE);
	while (__atomic_load_n(&hold_target, __ATOMIC_ACQUIRE) != 3)
		arch_cpu_relax();
}

static void count_call(void *info)
{
	__atomic_fetch_add((u32 *)info, 1, __ATOMIC_RELAXED);
}

static void one_ipi_per_burst(struct ktest *t)
{
	static struct call_single_data csds[16];
	struct smp_call_stats before, after;
	u32 ran = 0;

	if (!need_two_cpus(t))
		return;
	__atomic_store_n(&hold_target, 1, __ATOMIC_RELEASE);
	smp_call_function_single(1, spin_until_released, NULL, false);
	while (__atomic_load_n(&hold_target, __ATOMIC_ACQUIRE) != 2)
		arch_cpu_relax();
	/* CPU 1 is inside a callback with IRQs off: its queue fills without being drained. */
	smp_call_stats(0, &before);
	for (unsigned int i = 0; i < ARRAY_SIZE(csds); i++) {
		csds[i] = (struct call_single_data)CSD_INIT(count_call, &ran);
		KT_EXPECT_EQ(t, smp_call_function_single_async(1, &csds[i]), 0);
	}
	smp_call_stats(0, &after);
	KT_EXPECT_EQ(t, after.ipi_sent - before.ipi_sent, 1);
	KT_EXPECT_EQ(t, smp_call_function_single_async(1, &csds[0]), -EBUSY);
	__atomic_store_n(&hold_target, 3, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < ARRAY_SIZE(csds); i++)
		while (csd_busy(&csds[i]))
			arch_cpu_relax();
	KT_EXPECT_EQ(t, __atomic_load_n(&ran, __ATOMIC_RELAXED), ARRAY_SIZE(csds));
}

static void wait_with_irqs_off_warns(struct ktest *t)
{
	if (!need_two_cpus(t))
		return;
	ktest_allow_warnings(t, 1);
	unsigned long flags = arch_local_irq_save();

	echoes[1].token = 0;
	smp_call_function_single(1, echo_fn, (void *)3UL, true);	/* WARNs, completes */
	arch_local_irq_restore(flags);
	KT_EXPECT_EQ(t, echoes[1].token, 3 + 1);
}

static struct ktest_case smp_cases[] = {
	KTEST_CASE(masks_nest),
	KTEST_CASE(percpu_copies_distinct),
	KTEST_CASE(each_cpu_answers),
	KTEST_CASE(call_single_each),
	KTEST_CASE(call_many_skips_self),
	KTEST_CASE(one_ipi_per_burst),
	KTEST_CASE(call_stress_exact),
	KTEST_CASE(wait_with_irqs_off_warns),
	{}
};
KTEST_SUITE_INIT(smp, smp_cases, smp_suite_init, NULL);
