/* SPDX-License-Identifier: MIT */
/*
 * Deferred work: run a function later, in process context with interrupts on, on a chosen
 * CPU. There is no scheduler (DESIGN.md 5), so "later" means "when that CPU has nothing else
 * to do": its idle loop runs the work (the boot CPU's shell prompt too, see kernel/readline.c).
 *
 *	static struct work_struct inflate_work;
 *	INIT_WORK(&inflate_work, balloon_inflate_fn);		once
 *	queue_work_on(2, &inflate_work);			from an interrupt handler, say
 *
 *	static struct delayed_work report_work;
 *	INIT_DELAYED_WORK(&report_work, report_fn);
 *	queue_delayed_work_on(1, &report_work, 500);		in 500 ms or a tick later
 *	cancel_delayed_work(&report_work);			true if it was still pending
 *
 * What may run where:
 *  - queue_work_on(), queue_delayed_work_on(), cancel_work(): any CPU, any context, interrupt
 *    handlers included; they never spin on a lock and never wait.
 *  - A work function runs on the CPU it was queued for (or, if that CPU goes offline first,
 *    on the one the work was moved to: see "CPU hotplug" in kernel/workqueue.c), in process
 *    context, interrupts on. It may take spinlocks (irqsave guards where an interrupt handler
 *    takes the same lock), allocate with GFP_KERNEL, queue work (itself included); it must
 *    not wait for ever and must not flush itself. It delays everything else queued on that
 *    CPU while it runs, so it should be short: split long jobs into steps that requeue.
 *  - flush_work(): process context, interrupts on (it runs this CPU's work while it waits).
 *  - The tick (kernel/tick.c) moves delayed work whose time has come onto the work list; it
 *    never runs a work function in the interrupt.
 *
 * Locking: a work item's state is one word changed by compare-and-swap (l); the per-CPU lists
 * are llists (l: any producer, the owning CPU consumes); see kernel/workqueue.c.
 * Linux: include/linux/workqueue.h (names kept; one implicit "system" queue per CPU, no pools).
 */
#ifndef KERNEL_WORKQUEUE_H
#define KERNEL_WORKQUEUE_H

#include "kernel/compiler.h"
#include "kernel/lib/llist.h"

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

/*
 * One piece of deferred work. Embed it in the structure the function needs and find that
 * with container_of(). INIT_WORK() it while it is idle; free it only after
 * cancel_work_sync() (or once its function has run and nothing queues it). The state word
 * holds, so that one compare-and-swap changes them together (bit layout in
 * kernel/workqueue.c):
 *	PENDING	it will run (queued, or armed as delayed work), not cancelled
 *	QUEUED	its node is held by a list or by whoever took it off one
 *	DELAYED	it waits for its expiry on a CPU's timer list
 *	cpu	the CPU it is for
 *	expires	for DELAYED work, the workqueue clock (work_jiffies()) at which it is due
 */
struct work_struct {
	struct llist_node node;		/* on one CPU's work or timer list (l: QUEUED owns it) */
	work_func_t func;		/* set by INIT_WORK() while idle (c while queued) */
	u64 state;			/* WORK_STATE_* bits, cpu, expiry (l: CAS) */
};

/* Work that becomes due after a delay. The expiry and the CPU live in work.state. */
struct delayed_work {
	struct work_struct work;
};

#define WORK_INITIALIZER(fn)	{ .node = { NULL }, .func = (fn), .state = 0 }

static inline void INIT_WORK(struct work_struct *work, work_func_t func)
{
	work->node.next = NULL;
	work->func = func;
	__atomic_store_n(&work->state, 0, __ATOMIC_RELAXED);
}

static inline void INIT_DELAYED_WORK(struct delayed_work *dwork, work_func_t func)
{
	INIT_WORK(&dwork->work, func);
}

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

/* The tick period both arches' timers use (100 Hz): the granularity of delayed work. */
#define WORK_TICK_MS	10
/*
 * The workqueue clock: tick periods since boot, from the global monotonic clock, so an
 * expiry means the same on every CPU and survives moving the work to another CPU.
 */
u64 work_jiffies(void);

/*
 * queue_work_on - queue @work to run on @cpu.
 * An offline @cpu (or one >= NR_CPUS, which WARNs) is replaced by the next online CPU after
 * it, wrapping around: the same rule as for work moved off a CPU going offline. An idle
 * target is woken by an IPI.
 * Return: true if queued; false if it was pending already (it will run once, as queued
 * before, on the CPU chosen then).
 * Context: any CPU, any context.
 */
bool queue_work_on(unsigned int cpu, struct work_struct *work);
/* queue_work_on() this CPU. Context: any. */
bool queue_work(struct work_struct *work);

/*
 * queue_delayed_work_on - run @dwork on @cpu, no sooner than @delay_ms from now.
 * It becomes due at the tick after work_jiffies() has advanced by DIV_ROUND_UP(delay_ms,
 * WORK_TICK_MS) + 1 (the +1 because the current tick period is partly over), so it waits at
 * least @delay_ms and usually less than @delay_ms + 2 ticks. @delay_ms == 0 queues it now.
 * @cpu is replaced as in queue_work_on().
 * Return: true if armed; false if it was pending already (the earlier expiry stands).
 * Context: any CPU, any context.
 */
bool queue_delayed_work_on(unsigned int cpu, struct delayed_work *dwork,
			   unsigned long delay_ms);
bool queue_delayed_work(struct delayed_work *dwork, unsigned long delay_ms);

/*
 * cancel_work - make pending @work not run.
 * Return: true if it was pending (it will not run for this queueing), false if it was not
 * (never queued, or already running or run). A run that has started is not waited for:
 * flush_work() afterwards does that.
 * Context: any CPU, any context (the tick included); never waits.
 */
bool cancel_work(struct work_struct *work);
static inline bool cancel_delayed_work(struct delayed_work *dwork)
{
	return cancel_work(&dwork->work);
}

/*
 * cancel_work_sync - cancel_work(), then wait until @work is idle: not pending, not running,
 * and its node on no list (a cancelled node stays on its list until that list's consumer
 * drops it, at the latest a tick later for delayed work). Only then may its memory be freed
 * or INIT_WORK() be used on it again. Bounded by WORK_FLUSH_TIMEOUT_MS (WARNs at the bound).
 * Return: true if it was pending.
 * Context: process context, interrupts on; not from @work's own function.
 */
bool cancel_work_sync(struct work_struct *work);
static inline bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return cancel_work_sync(&dwork->work);
}

/*
 * flush_work - wait until @work is neither pending nor running anywhere.
 * The rule: the caller runs its own CPU's work list while it waits, so work pending for the
 * calling CPU runs right here, inline; work for another CPU runs there and the caller waits
 * for it (delayed work first waits for its expiry). Work that keeps requeueing itself is
 * waited for until it stops. Bounded by WORK_FLUSH_TIMEOUT_MS.
 * Return: 0, or -ETIMEDOUT (still pending or running at the bound).
 * Context: process context, interrupts on; not from @work's own function.
 */
#define WORK_FLUSH_TIMEOUT_MS	10000
int flush_work(struct work_struct *work);
/* Make armed delayed work due now (at its CPU's next tick), then flush_work(). Same context. */
int flush_delayed_work(struct delayed_work *dwork);

/* Is @work pending (queued or armed, not cancelled)? A snapshot. Context: any. */
bool work_pending(const struct work_struct *work);

/*
 * Run the work queued for this CPU, oldest first, until its list is empty.
 * Return: the number of work functions run.
 * Context: this CPU in process context, interrupts on: the idle loop, the shell's input
 * wait, ktest between cases, flush_work().
 */
unsigned int workqueue_run_pending(void);
/* Is work waiting on this CPU's work list? Context: this CPU, any context. */
bool workqueue_has_pending(void);

/*
 * The tick's part: move due delayed work onto this CPU's work list.
 * Context: this CPU's timer interrupt (timer_interrupt()), IRQs off.
 */
void workqueue_tick(void);

/*
 * Is this CPU inside workqueue_run_pending() (running work, or holding work it took off its
 * list)? CPU hotplug defers a die request that interrupts it (kernel/cpuhp.c).
 * Context: this CPU, any context.
 */
bool workqueue_cpu_busy(void);

/* Per-CPU counters, for the `workqueue` shell command and tests (l: relaxed atomics). */
struct workqueue_stats {
	u64 queued;	/* queue_work_on() calls that queued work for this CPU */
	u64 armed;	/* queue_delayed_work_on() calls that armed work for this CPU */
	u64 fired;	/* delayed work this CPU's tick found due and moved to its work list */
	u64 run;	/* work functions this CPU ran */
	u64 forwarded;	/* work this CPU's runner or tick passed on to the CPU it was for */
	u64 moved;	/* work moved off this CPU when it went offline */
	u64 cancelled;	/* cancelled entries this CPU dropped from its lists */
};
void workqueue_stats(unsigned int cpu, struct workqueue_stats *out);

/* Register the hotplug step. Context: boot CPU, before SMP, after the per-CPU areas. */
void workqueue_init(void);

#endif /* KERNEL_WORKQUEUE_H */
