// SPDX-License-Identifier: MIT
/*
 * `workqueue`: per-CPU deferred-work counters (kernel/workqueue.h), one row per possible CPU
 * and a total. `workqueue ping CPU [MS]` queues (or delays by MS) a work item for CPU that
 * prints where and how late it ran: for CPU 0 it runs while the shell waits for input.
 *
 * Locking: reads the counters racily (relaxed atomics: figures for a person); the ping items
 * are (m: the boot CPU's shell queues them, each run reads its own). Boot CPU.
 */
#include "kernel/shell.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/workqueue.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

struct wq_ping {
	struct delayed_work dwork;
	u64 queued_ns;			/* arch_clock_ns() when queued (m) */
	unsigned long delay_ms;		/* as asked (m) */
	unsigned int cpu;		/* the CPU asked for (m) */
};
static struct wq_ping pings[NR_CPUS];

/* The ping: say where it ran, how late, and in what state. Context: a work function. */
static void wq_ping_fn(struct work_struct *work)
{
	struct wq_ping *p = container_of(to_delayed_work(work), struct wq_ping, dwork);

	printk("workqueue: ping for CPU%u (delay %lu ms) ran on CPU%u after %llu us, "
	       "interrupts %s\n", p->cpu, p->delay_ms, smp_processor_id(),
	       (unsigned long long)((arch_clock_ns() - p->queued_ns) / 1000),
	       arch_irqs_disabled() ? "off" : "on");
}

static int cmd_workqueue_ping(int argc, char **argv)
{
	unsigned long cpu, ms = 0;
	struct wq_ping *p;

	if (argc < 3 || argc > 4 || !shell_parse_ulong(argv[2], NR_CPUS - 1, &cpu) ||
	    (argc == 4 && !shell_parse_ulong(argv[3], 3600000, &ms)))
		return SHELL_EUSAGE;
	p = &pings[cpu];
	if (work_pending(&p->dwork.work)) {
		printk("workqueue: the ping for CPU%lu is still pending\n", cpu);
		return SHELL_EFAIL;
	}
	if (!p->dwork.work.func)		/* first use: idle, so it may be initialised */
		INIT_DELAYED_WORK(&p->dwork, wq_ping_fn);
	p->cpu = (unsigned int)cpu;
	p->delay_ms = ms;
	p->queued_ns = arch_clock_ns();
	queue_delayed_work_on((unsigned int)cpu, &p->dwork, ms);
	return 0;
}

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

	if (argc > 1 && !strcmp(argv[1], "ping"))
		return cmd_workqueue_ping(argc, argv);
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
SHELL_COMMAND_USAGE(workqueue, "[ping CPU [MS]]",
		    "deferred work per CPU: queued, armed, fired, run, moved; ping: queue a test work",
		    cmd_workqueue);
