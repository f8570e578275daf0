// SPDX-License-Identifier: MIT
/*
 * `workqueue`: per-CPU deferred-work counters (kernel/workqueue.h), one row per possible CPU
 * and a total.
 *
 * Locking: reads the counters racily (relaxed atomics: figures for a person). Boot CPU.
 */
#include "kernel/shell.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/workqueue.h"

static void print_row(const char *label, const struct workqueue_stats *s, const char *state)
{
	printk("%-5s %-8s %10llu %10llu %10llu %10llu %10llu %10llu %10llu\n", label, state,
	       (unsigned long long)s->queued, (unsigned long long)s->armed,
	       (unsigned long long)s->fired, (unsigned long long)s->run,
	       (unsigned long long)s->forwarded, (unsigned long long)s->moved,
	       (unsigned long long)s->cancelled);
}

static int cmd_workqueue(int argc, char **argv)
{
	struct workqueue_stats total = { 0 };
	unsigned int cpu;

	(void)argv;
	if (argc != 1)
		return SHELL_EUSAGE;
	printk("QUEUED: work queued for the CPU; ARMED: delayed work armed for it; FIRED: delayed\n"
	       "work its tick found due; RUN: work functions it ran; FORWARDED: work it passed on\n"
	       "to the CPU it was for; MOVED: work moved off it when it went offline; CANCELLED:\n"
	       "cancelled entries it dropped. Delays are in ticks of %u ms.\n", WORK_TICK_MS);
	printk("CPU   STATE        QUEUED      ARMED      FIRED        RUN  FORWARDED      MOVED"
	       "  CANCELLED\n");
	for_each_possible_cpu(cpu) {
		struct workqueue_stats s;
		char label[8];

		workqueue_stats(cpu, &s);
		snprintf(label, sizeof(label), "%u", cpu);
		print_row(label, &s, cpu_online(cpu) ? "online" : "offline");
		total.queued += s.queued;
		total.armed += s.armed;
		total.fired += s.fired;
		total.run += s.run;
		total.forwarded += s.forwarded;
		total.moved += s.moved;
		total.cancelled += s.cancelled;
	}
	print_row("all", &total, "");
	return 0;
}
SHELL_COMMAND(workqueue, "deferred work per CPU: queued, armed, fired, run, moved",
	      cmd_workqueue);
