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
#include "kernel/tick.h"
#include "kernel/printk.h"
#include "kernel/cpuhp.h"
#include "mm/pcp.h"

static int cmd_cpus(int argc, char **argv)
{
	unsigned long downs, ups;
	unsigned int cpu;

	if (argc != 1)
		return SHELL_EUSAGE;
	cpuhp_transitions(&downs, &ups);
	printk("%u of %u possible CPUs online, %lu offline and %lu online transitions so far\n",
	       num_online_cpus(), num_possible_cpus(), downs, ups);
	printk("HWID: APIC id on x86_64, hart id on riscv64. PCP and REMOTE are pages held on the\n"
	       "CPU's per-CPU lists and on its remote-free lists; BLOCKS are pageblocks it owns.\n");
	printk("CPU   HWID  STATE      TICKS  IPIS-SENT  IPIS-RECV  CALLS-RUN    PCP  REMOTE  BLOCKS\n");
	for_each_possible_cpu(cpu) {
		struct smp_call_stats st;
		struct pcp_held_pages h;
		u32 hwid = cpu_hwid(cpu);

		smp_call_stats(cpu, &st);
		pcp_held_pages(cpu, &h);
		printk("%3u %6d  %-7s %8llu %10llu %10llu %10llu %6lu %7lu %7lu%s\n", cpu,
		       hwid == ~0u ? -1 : (int)hwid,
		       cpu_online(cpu) ? "online" : (cpu_present(cpu) ? "offline" : "absent"),
		       (unsigned long long)cpu_timer_ticks(cpu),
		       (unsigned long long)st.ipi_sent, (unsigned long long)st.ipi_received,
		       (unsigned long long)st.calls_run, h.pcp, h.remote, h.owned_blocks,
		       cpu == smp_processor_id() ? "  <- this shell" : "");
	}
	return 0;
}
SHELL_COMMAND(cpus, "CPUs with hardware ids, state, ticks and IPI counts", cmd_cpus);
