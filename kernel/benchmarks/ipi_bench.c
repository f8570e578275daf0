// SPDX-License-Identifier: MIT
/*
 * `bench=ipi`: IPI round-trip time. For each other online CPU, the boot CPU makes
 * `bench.rounds=` (default 1000) waiting calls of an empty function and times each with
 * arch_clock_ns(): queue, IPI, the target's handler, its release, our wake-up. Printed as
 * median, p99, min and max in nanoseconds, plus how many IPIs were actually sent (one per
 * empty-queue transition, so at most one per call).
 *
 * Locking: boot CPU; the callback runs on the target with IRQs off.
 */
#include "kernel/bench.h"
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "arch/arch.h"

#define IPI_MAX_ROUNDS 4096

static u64 samples[IPI_MAX_ROUNDS];	/* (m) */

static void ipi_nop(void *info)
{
	(void)info;
}

static void ipi_bench(void)
{
	static struct bench_table t;
	unsigned int rounds = (unsigned int)bench_param("rounds", 1000);
	unsigned int me = smp_processor_id(), cpu;

	if (rounds > IPI_MAX_ROUNDS)
		rounds = IPI_MAX_ROUNDS;
	if (num_online_cpus() < 2) {
		printk("ipi: only one CPU online, nothing to measure\n");
		return;
	}
	if (arch_irqs_disabled())
		arch_local_irq_enable();	/* waiting calls need interrupts on */
	bench_table_init(&t, "IPI round trip (ns): call an empty function on the target, wait",
			 7, "target", "hwid", "rounds", "median", "p99", "min", "ipis sent");
	for_each_online_cpu(cpu) {
		struct smp_call_stats before, after;

		if (cpu == me)
			continue;
		smp_call_function_single(cpu, ipi_nop, NULL, true);	/* warm up */
		smp_call_stats(me, &before);
		for (unsigned int i = 0; i < rounds; i++) {
			u64 t0 = arch_clock_ns();

			smp_call_function_single(cpu, ipi_nop, NULL, true);
			samples[i] = arch_clock_ns() - t0;
		}
		smp_call_stats(me, &after);
		u64 min = bench_percentile(samples, rounds, 0);

		bench_table_add(&t, "CPU%u", cpu);
		bench_table_add(&t, "%u", cpu_hwid(cpu));
		bench_table_add(&t, "%u", rounds);
		bench_table_add(&t, "%llu", (unsigned long long)samples[(rounds - 1) / 2]);
		bench_table_add(&t, "%llu",
				(unsigned long long)samples[(u64)(rounds - 1) * 99 / 100]);
		bench_table_add(&t, "%llu", (unsigned long long)min);
		bench_table_add(&t, "%llu", (unsigned long long)(after.ipi_sent - before.ipi_sent));
	}
	bench_table_print(&t);
}
BENCH(ipi, "IPI round-trip time to every other CPU", ipi_bench);
