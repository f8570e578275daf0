// SPDX-License-Identifier: MIT
/*
 * `cpus`: every possible CPU with its hardware id (APIC id on x86_64, hart id on riscv64),
 * whether it is online, its timer ticks and cross-CPU call counters, and the pages it holds.
 *
 * Locking: reads the CPU masks and per-CPU counters racily (figures for a person). Boot CPU.
 */
#include "kernel/shell.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/printk.h"
#include "kernel/cpuhp.h"

static int cmd_cpus(int argc, char **argv)
{
	unsigned int cpu;

	if (argc != 1)
		return SHELL_EUSAGE;
	printk("%u of %u possible CPUs online (HWID: APIC id on x86_64, hart id on riscv64)\n",
	       num_online_cpus(), num_possible_cpus());
	printk("CPU   HWID  STATE          TICKS   IPIS-SENT   IPIS-RECV   CALLS-RUN\n");
	for_each_possible_cpu(cpu) {
		struct smp_call_stats st;
		u32 hwid = cpu_hwid(cpu);

		smp_call_stats(cpu, &st);
		printk("%3u %6d  %-7s %12llu %11llu %11llu %11llu%s\n", cpu,
		       hwid == ~0u ? -1 : (int)hwid,
		       cpu_online(cpu) ? "online" : (cpu_present(cpu) ? "offline" : "absent"),
		       (unsigned long long)cpu_timer_ticks(cpu),
		       (unsigned long long)st.ipi_sent, (unsigned long long)st.ipi_received,
		       (unsigned long long)st.calls_run,
		       cpu == smp_processor_id() ? "   <- this shell" : "");
	}
	cpuhp_print_cpus();	/* pages each CPU holds on PCPs and remote lists, owned blocks */
	return 0;
}
SHELL_COMMAND(cpus, "CPUs with hardware ids, state, ticks and IPI counts", cmd_cpus);
