// SPDX-License-Identifier: MIT
/*
 * `cpus`: every possible CPU with its hardware id (APIC id on x86_64, hart id on riscv64),
 * whether it is online, its timer ticks and cross-CPU call counters, then the columns other
 * subsystems add (kernel/cmds/cpus.h; mm's: the pages the CPU holds).
 *
 * Locking: reads the CPU masks and per-CPU counters racily (figures for a person). Boot CPU.
 */
#include "kernel/cmds/cpus.h"
#include "kernel/shell.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/tick.h"
#include "kernel/printk.h"
#include "kernel/cpuhp.h"
#include "kernel/lib/string.h"

/* ld defines these for any section whose name is a C identifier: no linker-script entry. */
extern const struct cpus_columns __start_cpus_columns[], __stop_cpus_columns[];

#define CPUS_LINE	256	/* the legend, the header, one row */

static int cmd_cpus(int argc, char **argv)
{
	char line[CPUS_LINE];
	unsigned long downs, ups;
	unsigned int cpu;
	size_t n;

	if (argc != 1)
		return SHELL_EUSAGE;
	cpuhp_transitions(&downs, &ups);
	printk("%u of %u possible CPUs online, %lu offline and %lu online transitions so far\n",
	       num_online_cpus(), num_possible_cpus(), downs, ups);
	n = snprintf(line, sizeof(line), "HWID: APIC id on x86_64, hart id on riscv64.");
	for (const struct cpus_columns *c = __start_cpus_columns; c < __stop_cpus_columns; c++)
		n += snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0, " %s", c->legend);
	printk("%s\n", line);
	n = snprintf(line, sizeof(line),
		     "CPU   HWID  STATE      TICKS  IPIS-SENT  IPIS-RECV  CALLS-RUN");
	for (const struct cpus_columns *c = __start_cpus_columns; c < __stop_cpus_columns; c++)
		n += snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0, "%s", c->header);
	printk("%s\n", line);
	for_each_possible_cpu(cpu) {
		struct smp_call_stats st;
		u32 hwid = cpu_hwid(cpu);

		smp_call_stats(cpu, &st);
		/* Each subsystem's cells after the previous one's, as long as the line has room. */
		n = 0;
		line[0] = '\0';
		for (const struct cpus_columns *c = __start_cpus_columns;
		     c < __stop_cpus_columns && n + 1 < sizeof(line); c++) {
			c->cells(cpu, line + n, sizeof(line) - n);
			n += strlen(line + n);
		}
		printk("%3u %6d  %-7s %8llu %10llu %10llu %10llu%s%s\n", cpu,
		       hwid == ~0u ? -1 : (int)hwid,
		       cpu_online(cpu) ? "online" : (cpu_present(cpu) ? "offline" : "absent"),
		       (unsigned long long)cpu_timer_ticks(cpu),
		       (unsigned long long)st.ipi_sent, (unsigned long long)st.ipi_received,
		       (unsigned long long)st.calls_run, line,
		       cpu == smp_processor_id() ? "  <- this shell" : "");
	}
	return 0;
}
SHELL_COMMAND(cpus, "CPUs with hardware ids, state, ticks and IPI counts", cmd_cpus);
