// SPDX-License-Identifier: MIT
/*
 * Deferred work (kernel/workqueue.h): per-CPU work lists run by the idle loop, and delayed
 * work armed on the timer tick.
 *
 * ==== One state word per work item ====
 *
 * Everything a queuer decides is published with one compare-and-swap on work->state:
 *
 *	bit 0	PENDING		it will run: queued or armed, not cancelled
 *	bit 1	QUEUED		its node is held by a list (or by whoever took it off one)
 *	bit 2	DELAYED		it waits on a timer list for its expiry
 *	8..15	cpu		the CPU it is for
 *	16..63	expires		DELAYED only: the work_jiffies() at which it is due
 *
 * so a reader never sees a new CPU with an old expiry. PENDING and QUEUED are separate
 * because an llist has no single-entry delete: cancel_work() cannot take the node off its
 * list, it only clears PENDING (and DELAYED), leaving a "cancelled node" that the list's
 * consumer drops when it meets it (clearing QUEUED). Whoever holds the node decides what to
 * do with it from the state at that moment, with a CAS:
 *
 *	state seen by the holder	the runner (process context)	the tick (interrupt)
 *	!PENDING			drop it (state = 0)		drop it
 *	PENDING, cpu elsewhere online	push it to that CPU's list	push it to that CPU's list
 *	PENDING|DELAYED			push it to a timer list		keep it until due, then
 *									clear DELAYED and push it
 *									to this CPU's work list
 *	PENDING, not DELAYED		state = 0, run it		push it to a work list
 *
 * A queuer that finds QUEUED without PENDING (a cancelled node still on some list) only sets
 * PENDING, its CPU and expiry: the holder, which will meet the node, routes it by the rows
 * above. It must not push the node a second time, since a node on two lists corrupts both.
 * The price: work re-queued after a cancel waits for the old holder (at most a tick for a
 * timer list; for a work list, until that CPU next runs its work).
 *
 * PENDING is cleared by the same CAS that decides to run the work, just before its function
 * is called, so the function may queue itself again; the runner never touches the work
 * after the function returns (the function may have freed it). cur_work, set before that
 * CAS and cleared after the call, lets flush_work() see a work that is not pending but still
 * running: it waits until "not PENDING" and "no CPU's cur_work is it" hold together.
 *
 * ==== Waking the CPU the work is for ====
 *
 * A queuer pushes the node (llist_add, a release CAS), issues a full fence, then reads the
 * target's idle flag; if set, it sends the target a dedicated IPI (one csd per target, shared
 * by all senders; -EBUSY means one is on its way already). The idle loop raises the flag
 * (seq_cst store and fence, kernel/idle.c), then reads the work list and does not sleep if it
 * is non-empty. It is the Dekker pair of kernel/idle.h: either the queuer sees the CPU idle
 * and interrupts it, or the CPU sees the work before it sleeps. Work never sits on a sleeping
 * CPU. The boot CPU never enters the idle loop; its shell polls the list between input polls
 * (kernel/readline.c) and wakes at least every tick, and ktest runs it between cases.
 *
 * ==== Delayed work and the tick ====
 *
 * queue_delayed_work_on() pushes the node onto the target's `armed` llist (any context, lock
 * free). The target's tick absorbs `armed` into its private `timers` list (touched only by
 * that CPU with IRQs off) and walks it: due work gets DELAYED cleared by CAS (cancel_work()
 * may race it: the CAS decides who won) and is pushed onto the CPU's own work list; the
 * interrupt returns to the idle loop or the shell, which runs it. The walk is linear in the
 * number of armed items, which is small (a few per driver).
 * Expiries are in work_jiffies(), derived from the global monotonic clock, not from a CPU's
 * own tick count, so moving armed work to another CPU keeps its expiry.
 *
 * ==== CPU hotplug ====
 *
 * Queuers choose the target and push with interrupts off, and never push to a CPU that is
 * not in cpu_online_mask (an offline target is replaced by the next online CPU after it,
 * wrapping). cpu_down() clears the online bit, then makes every CPU take an interrupt
 * (kernel/cpuhp.c), so after that no queuer is between "saw it online" and "pushed".
 * CPUHP_WORKQUEUE is a controller step below CPUHP_BRINGUP_CPU: its teardown
 * (workqueue_cpu_dead()) runs after the CPU has parked, takes its work list, armed list and
 * timer list, rewrites each pending item's CPU to the next online CPU and pushes it there
 * (armed work keeps its expiry). Nothing is lost, and nothing runs twice, because a node is
 * only ever held by one list, and running is decided by the one CAS that clears PENDING.
 * A die request must not kill a CPU in the middle of a work function (it may hold a lock) or
 * while its runner holds nodes it took off the list: while workqueue_cpu_busy(), cpuhp defers
 * the die until the runner returns to the idle loop; the runner stops after the current
 * function and pushes the rest back onto its list for the teardown to move.
 *
 * Locking: work->state (l: CAS); the work and armed lists (l: llist, any producer, the owning
 * CPU consumes, the hotplug controller once it is dead); timers (i: the CPU's tick, or the
 * controller once it is dead); cur_work (l: written by its CPU, read by flushers); busy (i:
 * its CPU, read by its own IPI handler); stats (l: relaxed atomics).
 * Linux: kernel/workqueue.c (queue_work_on, __queue_delayed_work, flush_work), much smaller.
 */
#define pr_fmt(fmt) "workqueue: " fmt

#include "kernel/workqueue.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/idle.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/bug.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "arch/arch.h"

#define WORK_PENDING		0x1ULL
#define WORK_QUEUED		0x2ULL
#define WORK_DELAYED		0x4ULL
#define WORK_CPU_SHIFT		8
#define WORK_CPU_MASK		(0xffULL << WORK_CPU_SHIFT)
#define WORK_EXPIRES_SHIFT	16
#define WORK_EXPIRES_MASK	(~0ULL << WORK_EXPIRES_SHIFT)

_Static_assert(NR_CPUS <= 256, "a work item's cpu field is 8 bits");

struct wq_cpu {
	struct llist_head worklist;	/* work to run here (l: llist; this CPU consumes) */
	struct llist_head armed;	/* delayed work armed here (l: llist; the tick consumes) */
	struct llist_node *timers;	/* armed work the tick absorbed (i: this CPU's tick) */
	struct work_struct *cur_work;	/* the work whose function runs here (l: seq_cst) */
	u32 busy;			/* workqueue_run_pending() depth (i: seq_cst for the IPI) */
	struct workqueue_stats stats;	/* (l: relaxed atomics) */
};

static DEFINE_PER_CPU(struct wq_cpu, wq_cpus);

static void wq_wake_ipi(void *info)
{
	/* Nothing to do here: returning from the IPI sends the idle loop round again. */
	(void)info;
}

/* The wake-up IPI: one csd per target, shared by every sender (l: csd flags). */
static struct call_single_data wake_csd[NR_CPUS] = {
	[0 ... NR_CPUS - 1] = CSD_INIT(wq_wake_ipi, NULL),
};

static struct wq_cpu *wq_cpu(unsigned int cpu)
{
	return per_cpu_ptr(&wq_cpus, cpu);
}

#define wq_stat_inc(cpu, field) \
	__atomic_fetch_add(&wq_cpu(cpu)->stats.field, 1, __ATOMIC_RELAXED)

static unsigned int work_cpu(u64 state)
{
	return (unsigned int)((state & WORK_CPU_MASK) >> WORK_CPU_SHIFT);
}

static u64 work_cpu_bits(unsigned int cpu)
{
	return (u64)cpu << WORK_CPU_SHIFT;
}

static u64 work_expires(u64 state)
{
	return state >> WORK_EXPIRES_SHIFT;
}

static bool work_cas(struct work_struct *work, u64 *old, u64 new)
{
	/* Acq_rel: the holder that sees our bits also sees what we did before queueing. */
	return __atomic_compare_exchange_n(&work->state, old, new, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

u64 work_jiffies(void)
{
	return arch_clock_ns() / (WORK_TICK_MS * 1000000ULL);
}

bool work_pending(const struct work_struct *work)
{
	return __atomic_load_n(&work->state, __ATOMIC_ACQUIRE) & WORK_PENDING;
}

/*
 * @cpu if it is online, else the next online CPU after it, wrapping around.
 * Context: IRQs off, so that cpu_down()'s interrupt round orders us (see "CPU hotplug").
 */
static unsigned int wq_online_target(unsigned int cpu)
{
	unsigned int next;

	if (cpu < NR_CPUS && cpu_online(cpu))
		return cpu;
	next = cpu + 1 < NR_CPUS ? cpumask_next_from(cpu + 1, cpu_online_mask) : NR_CPUS;
	if (next >= NR_CPUS)
		next = cpumask_first(cpu_online_mask);
	BUG_ON(next >= NR_CPUS);	/* this CPU is online, so the mask is not empty */
	return next;
}

/*
 * Put @work on @cpu's work list and wake @cpu if it is idle (see "Waking the CPU").
 * Context: IRQs off; @cpu online (checked with IRQs off); the caller holds the node.
 */
static void wq_push_work(unsigned int cpu, struct work_struct *work)
{
	llist_add(&work->node, &wq_cpu(cpu)->worklist);
	/* Full fence: the push is ordered before the idle-flag read (the Dekker pair). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (cpu != smp_processor_id() && cpu_is_idle(cpu))
		smp_call_function_single_async(cpu, &wake_csd[cpu]);	/* -EBUSY: on its way */
}

/* Put @work on @cpu's armed list; its tick picks it up. Context: IRQs off, @cpu online. */
static void wq_push_armed(unsigned int cpu, struct work_struct *work)
{
	llist_add(&work->node, &wq_cpu(cpu)->armed);
}

/* ---- queueing and cancelling ---- */

bool queue_work_on(unsigned int cpu, struct work_struct *work)
{
	guard_irqsave();
	unsigned int target;
	u64 old = __atomic_load_n(&work->state, __ATOMIC_RELAXED);

	if (WARN(cpu >= NR_CPUS, "queue_work_on: cpu %u >= NR_CPUS\n", cpu))
		cpu = smp_processor_id();
	target = wq_online_target(cpu);
	do {
		if (old & WORK_PENDING)
			return false;
	} while (!work_cas(work, &old, WORK_PENDING | WORK_QUEUED | work_cpu_bits(target)));
	wq_stat_inc(target, queued);
	/* A cancelled node still on a list: its holder will route it (see the table above). */
	if (!(old & WORK_QUEUED))
		wq_push_work(target, work);
	return true;
}

bool queue_work(struct work_struct *work)
{
	return queue_work_on(smp_processor_id(), work);
}

bool queue_delayed_work_on(unsigned int cpu, struct delayed_work *dwork, unsigned long delay_ms)
{
	struct work_struct *work = &dwork->work;

	if (!delay_ms)
		return queue_work_on(cpu, work);

	guard_irqsave();
	unsigned int target;
	u64 old = __atomic_load_n(&work->state, __ATOMIC_RELAXED), new;
	/* +1: the tick period we are in is partly over; the expiry must be a full delay away. */
	u64 expires = work_jiffies() + DIV_ROUND_UP(delay_ms, WORK_TICK_MS) + 1;

	if (WARN(cpu >= NR_CPUS, "queue_delayed_work_on: cpu %u >= NR_CPUS\n", cpu))
		cpu = smp_processor_id();
	target = wq_online_target(cpu);
	new = WORK_PENDING | WORK_QUEUED | WORK_DELAYED | work_cpu_bits(target) |
	      (expires << WORK_EXPIRES_SHIFT);
	do {
		if (old & WORK_PENDING)
			return false;
	} while (!work_cas(work, &old, new));
	wq_stat_inc(target, armed);
	if (!(old & WORK_QUEUED))
		wq_push_armed(target, work);
	return true;
}

bool queue_delayed_work(struct delayed_work *dwork, unsigned long delay_ms)
{
	return queue_delayed_work_on(smp_processor_id(), dwork, delay_ms);
}

bool cancel_work(struct work_struct *work)
{
	u64 old = __atomic_load_n(&work->state, __ATOMIC_RELAXED);

	do {
		if (!(old & WORK_PENDING))
			return false;
		WARN_ON_ONCE(!(old & WORK_QUEUED));
	} while (!work_cas(work, &old, WORK_QUEUED));	/* the node stays where it is */
	return true;
}

/* ---- running ---- */

/*
 * We hold @work, taken off this CPU's work list: drop it, pass it on, or claim it for
 * running (the runner's column of the table in the essay).
 * Return: true if the caller must run it (our CAS cleared PENDING), false if it was dropped
 * or passed on.
 * Context: this CPU (@me), process context, IRQs on.
 */
static bool wq_claim(unsigned int me, struct work_struct *work)
{
	u64 old = __atomic_load_n(&work->state, __ATOMIC_ACQUIRE);

	for (;;) {
		unsigned int cpu = work_cpu(old);

		if (!(old & WORK_PENDING)) {
			if (!work_cas(work, &old, 0))
				continue;
			wq_stat_inc(me, cancelled);
			return false;
		}
		if (old & WORK_DELAYED) {
			/* Armed again while its cancelled node waited here: to a timer list. */
			guard_irqsave();
			wq_push_armed(wq_online_target(cpu), work);
			wq_stat_inc(me, forwarded);
			return false;
		}
		if (cpu != me) {
			guard_irqsave();
			if (cpu_online(cpu)) {
				wq_push_work(cpu, work);
				wq_stat_inc(me, forwarded);
				return false;
			}
			/* Its CPU went offline meanwhile: this one is as good as the next. */
		}
		if (work_cas(work, &old, 0))
			return true;
	}
}

/*
 * Claim @work and run its function. Return: 1 if the function ran, else 0.
 * Context: this CPU (@me), process context, IRQs on.
 */
static unsigned int wq_dispatch(struct wq_cpu *wc, unsigned int me, struct work_struct *work)
{
	struct work_struct *prev = wc->cur_work;
	work_func_t func = work->func;	/* before the claim: afterwards the owner may reuse it */
	unsigned int ran = 0;

	/* Before the CAS that clears PENDING, so a flusher never sees neither (see essay). */
	__atomic_store_n(&wc->cur_work, work, __ATOMIC_SEQ_CST);
	if (wq_claim(me, work)) {
		wq_stat_inc(me, run);
		func(work);
		if (WARN(arch_irqs_disabled(), "work function %p returned with interrupts off\n",
			 (void *)func))
			arch_local_irq_enable();
		ran = 1;
	}
	__atomic_store_n(&wc->cur_work, prev, __ATOMIC_SEQ_CST);
	return ran;
}

bool workqueue_has_pending(void)
{
	return !llist_empty(&this_cpu_ptr(&wq_cpus)->worklist);
}

bool workqueue_cpu_busy(void)
{
	return __atomic_load_n(&this_cpu_ptr(&wq_cpus)->busy, __ATOMIC_SEQ_CST) != 0;
}

/* Put the nodes from @pos on back onto this CPU's list. Context: this CPU, IRQs on. */
static void wq_give_back(struct wq_cpu *wc, struct llist_node *pos)
{
	guard_irqsave();
	while (pos) {
		struct llist_node *next = pos->next;

		llist_add(pos, &wc->worklist);
		pos = next;
	}
}

unsigned int workqueue_run_pending(void)
{
	unsigned int me = smp_processor_id(), nr = 0;
	struct wq_cpu *wc = wq_cpu(me);

	if (WARN_ON_ONCE(arch_irqs_disabled()))
		return 0;
	if (llist_empty(&wc->worklist))
		return 0;
	/* Seq_cst: a die request interrupting us from here on sees us busy (cpuhp defers it). */
	__atomic_fetch_add(&wc->busy, 1, __ATOMIC_SEQ_CST);
	while (!llist_empty(&wc->worklist) && !cpuhp_die_deferred()) {
		struct llist_node *pos = llist_reverse_order(llist_del_all(&wc->worklist));

		while (pos) {
			struct work_struct *work = llist_entry(pos, struct work_struct, node);

			if (cpuhp_die_deferred()) {
				/* Going offline: give the rest back, for the teardown to move. */
				wq_give_back(wc, pos);
				break;
			}
			pos = pos->next;	/* before the hand-over: the node's link is reused */
			nr += wq_dispatch(wc, me, work);
		}
	}
	__atomic_fetch_sub(&wc->busy, 1, __ATOMIC_SEQ_CST);
	return nr;
}

/* ---- the tick ---- */

/*
 * The tick's column of the table in the essay, for one node on this CPU's timer list.
 * Return: what to do with it; for TICK_TO_WORK and TICK_TO_ARMED, *@to says which CPU's
 * list. The caller unlinks the node before any push (the push reuses its link).
 * Context: this CPU's timer interrupt, IRQs off.
 */
enum tick_verdict { TICK_KEEP, TICK_DROP, TICK_TO_WORK, TICK_TO_ARMED };

static enum tick_verdict wq_tick_check(struct work_struct *work, unsigned int me, u64 now,
				       unsigned int *to)
{
	u64 old = __atomic_load_n(&work->state, __ATOMIC_ACQUIRE);

	for (;;) {
		unsigned int cpu = work_cpu(old);

		if (!(old & WORK_PENDING)) {
			if (work_cas(work, &old, 0))
				return TICK_DROP;
			continue;
		}
		if (!(old & WORK_DELAYED)) {
			/* Queued again, not delayed, while its cancelled node waited here. */
			*to = wq_online_target(cpu);
			return TICK_TO_WORK;
		}
		if (cpu != me && cpu_online(cpu)) {
			/* Armed again for another CPU while its cancelled node waited here. */
			*to = cpu;
			return TICK_TO_ARMED;
		}
		if (work_expires(old) > now)
			return TICK_KEEP;
		/* Due: no longer DELAYED, and it runs here (its own CPU, or its CPU is gone). */
		if (work_cas(work, &old, (old & ~(WORK_DELAYED | WORK_EXPIRES_MASK |
						  WORK_CPU_MASK)) | work_cpu_bits(me))) {
			*to = me;
			return TICK_TO_WORK;
		}
	}
}

void workqueue_tick(void)
{
	unsigned int me = smp_processor_id();
	struct wq_cpu *wc = wq_cpu(me);
	struct llist_node *pos, **link;
	u64 now;

	if (!llist_empty(&wc->armed)) {
		/* Newly armed work joins the front of the timer list; its order does not matter. */
		struct llist_node *first = llist_del_all(&wc->armed), *last = first;

		while (last->next)
			last = last->next;
		last->next = wc->timers;
		wc->timers = first;
	}
	if (!wc->timers)
		return;
	now = work_jiffies();
	link = &wc->timers;
	while ((pos = *link)) {
		struct work_struct *work = llist_entry(pos, struct work_struct, node);
		unsigned int to = me;
		enum tick_verdict v = wq_tick_check(work, me, now, &to);

		if (v == TICK_KEEP) {
			link = &pos->next;
			continue;
		}
		*link = pos->next;	/* unlink before the push reuses pos->next */
		switch (v) {
		case TICK_DROP:
			wq_stat_inc(me, cancelled);
			break;
		case TICK_TO_WORK:
			if (to == me)
				wq_stat_inc(me, fired);
			else
				wq_stat_inc(me, forwarded);
			wq_push_work(to, work);
			break;
		case TICK_TO_ARMED:
			wq_stat_inc(me, forwarded);
			wq_push_armed(to, work);
			break;
		case TICK_KEEP:
			break;
		}
	}
}

/* ---- flushing ---- */

/* Is @work's function running on some CPU now? Context: any. */
static bool work_running(const struct work_struct *work)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (__atomic_load_n(&wq_cpu(cpu)->cur_work, __ATOMIC_SEQ_CST) == work)
			return true;
	return false;
}

int flush_work(struct work_struct *work)
{
	u64 start = arch_clock_ns();

	if (WARN(arch_irqs_disabled(), "flush_work(%p) with interrupts off\n", (void *)work))
		return -EINVAL;
	for (;;) {
		/* Our own work list first: work for this CPU runs here, inline. */
		workqueue_run_pending();
		/* Seq_cst pair with wq_dispatch(): cur_work is set before PENDING clears. */
		if (!(__atomic_load_n(&work->state, __ATOMIC_SEQ_CST) & WORK_PENDING) &&
		    !work_running(work))
			return 0;
		if (arch_clock_ns() - start > WORK_FLUSH_TIMEOUT_MS * 1000000ULL)
			return -ETIMEDOUT;
		arch_cpu_relax();
	}
}

bool cancel_work_sync(struct work_struct *work)
{
	bool was_pending = cancel_work(work);
	u64 start = arch_clock_ns();

	if (WARN(arch_irqs_disabled(), "cancel_work_sync(%p) with interrupts off\n",
		 (void *)work))
		return was_pending;
	for (;;) {
		/* A cancelled node on our own list is dropped right here. */
		workqueue_run_pending();
		if (!(__atomic_load_n(&work->state, __ATOMIC_SEQ_CST) &
		      (WORK_PENDING | WORK_QUEUED)) && !work_running(work))
			return was_pending;
		if (WARN(arch_clock_ns() - start > WORK_FLUSH_TIMEOUT_MS * 1000000ULL,
			 "cancel_work_sync(%p): still queued or running after %u ms\n",
			 (void *)work, WORK_FLUSH_TIMEOUT_MS))
			return was_pending;
		arch_cpu_relax();
	}
}

int flush_delayed_work(struct delayed_work *dwork)
{
	struct work_struct *work = &dwork->work;
	u64 old = __atomic_load_n(&work->state, __ATOMIC_RELAXED);

	/* Due now: the tick holding it sees it not DELAYED and moves it to a work list. */
	while ((old & (WORK_PENDING | WORK_DELAYED)) == (WORK_PENDING | WORK_DELAYED) &&
	       !work_cas(work, &old, old & ~(WORK_DELAYED | WORK_EXPIRES_MASK)))
		;
	return flush_work(work);
}

/* ---- CPU hotplug ---- */

/*
 * @work is pending for the dead CPU @dead: make it pending for @to instead (keeping its
 * expiry), so no one routes it back to @dead if that comes online again.
 * Context: the hotplug controller, IRQs off.
 */
static void wq_retarget(struct work_struct *work, unsigned int dead, unsigned int to)
{
	u64 old = __atomic_load_n(&work->state, __ATOMIC_ACQUIRE);

	while ((old & WORK_PENDING) && work_cpu(old) == dead &&
	       !work_cas(work, &old, (old & ~WORK_CPU_MASK) | work_cpu_bits(to)))
		;
}

/**
 * workqueue_cpu_dead - move everything queued or armed on @cpu to an online CPU.
 * @cpu: a CPU that has parked (CPUHP_WORKQUEUE teardown)
 *
 * Return: 0.
 * Context: the hotplug controller, IRQs on, after the CPU has parked and every CPU has
 * passed the interrupt round (no queuer can still push to @cpu).
 */
static int workqueue_cpu_dead(unsigned int cpu)
{
	struct wq_cpu *wc = wq_cpu(cpu);
	struct llist_node *pos, *next;
	unsigned int to;

	WARN(__atomic_load_n(&wc->cur_work, __ATOMIC_RELAXED),
	     "CPU%u went offline inside work %p\n", cpu, (void *)wc->cur_work);
	guard_irqsave();
	to = wq_online_target(cpu);
	/* Oldest first, so the new CPU runs them in the order they were queued. */
	pos = llist_reverse_order(llist_del_all(&wc->worklist));
	for (; pos; pos = next) {
		struct work_struct *work = llist_entry(pos, struct work_struct, node);

		next = pos->next;
		wq_retarget(work, cpu, to);
		wq_push_work(to, work);
		wq_stat_inc(cpu, moved);
	}
	/* The timer list is the dead CPU's own; nothing of it runs any more. */
	pos = wc->timers;
	wc->timers = NULL;
	for (int round = 0; round < 2; round++) {
		for (; pos; pos = next) {
			struct work_struct *work = llist_entry(pos, struct work_struct, node);

			next = pos->next;
			wq_retarget(work, cpu, to);
			wq_push_armed(to, work);
			wq_stat_inc(cpu, moved);
		}
		pos = llist_del_all(&wc->armed);
	}
	return 0;
}

void workqueue_stats(unsigned int cpu, struct workqueue_stats *out)
{
	const struct workqueue_stats *s = &wq_cpu(cpu)->stats;

	out->queued = __atomic_load_n(&s->queued, __ATOMIC_RELAXED);
	out->armed = __atomic_load_n(&s->armed, __ATOMIC_RELAXED);
	out->fired = __atomic_load_n(&s->fired, __ATOMIC_RELAXED);
	out->run = __atomic_load_n(&s->run, __ATOMIC_RELAXED);
	out->forwarded = __atomic_load_n(&s->forwarded, __ATOMIC_RELAXED);
	out->moved = __atomic_load_n(&s->moved, __ATOMIC_RELAXED);
	out->cancelled = __atomic_load_n(&s->cancelled, __ATOMIC_RELAXED);
}

void workqueue_init(void)
{
	int ret = cpuhp_setup_state(CPUHP_WORKQUEUE, "workqueue:dead", NULL, workqueue_cpu_dead);

	BUG_ON(ret < 0);	/* the slot is reserved for us: anything else is a build mistake */
}
