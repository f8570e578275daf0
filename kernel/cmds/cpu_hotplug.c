// SPDX-License-Identifier: MIT
/*
 * `cpu offline N` and `cpu online N`: CPU hotplug from the shell (kernel/cpuhp.c).
 * `cpus` (kernel/cmds/cpus.c) shows each CPU's state with the pages it holds on its
 * per-CPU lists.
 *
 * Locking: cpu_down()/cpu_up() take the hotplug lock. Boot CPU, IRQs on (the shell).
 */
#include "kernel/shell.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

static int cmd_cpu(int argc, char **argv)
{
	unsigned long cpu;
	bool up;
	u64 start;
	int err;

	if (argc != 3 || !shell_parse_ulong(argv[2], ~0UL, &cpu))
		return SHELL_EUSAGE;
	if (!strcmp(argv[1], "online"))
		up = true;
	else if (!strcmp(argv[1], "offline"))
		up = false;
	else
		return SHELL_EUSAGE;
	/* A number that is no CPU here: say which numbers are (possible CPUs are 0..n-1). */
	if (cpu >= NR_CPUS || !cpu_possible((unsigned int)cpu)) {
		unsigned int n = num_possible_cpus();

		if (n == 1)
			printk("cpu %s: there is no CPU %lu: this machine has 1 CPU, CPU 0\n",
			       argv[1], cpu);
		else
			printk("cpu %s: there is no CPU %lu: this machine has %u CPUs, 0 to %u\n",
			       argv[1], cpu, n, n - 1);
		return SHELL_EFAIL;
	}
	start = arch_clock_ns();
	err = up ? cpu_up((unsigned int)cpu) : cpu_down((unsigned int)cpu);
	if (err) {
		printk("cpu %s %lu: %s (%d)\n", argv[1], cpu, cpuhp_strerror(err), err);
		return SHELL_EFAIL;
	}
	printk("CPU%lu (hwid %u) is %s (%llu us)\n", cpu, cpu_hwid((unsigned int)cpu), argv[1],
	       (unsigned long long)((arch_clock_ns() - start) / 1000));
	return 0;
}
SHELL_COMMAND_USAGE(cpu, "offline|online N", "take CPU N offline, or bring it back online",
		    cmd_cpu);
