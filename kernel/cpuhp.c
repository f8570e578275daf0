// SPDX-License-Identifier: MIT
/*
 * The CPU hotplug state machine: cpu_down() and cpu_up() walk a CPU through ordered states,
 * calling each state's teardown (going down) or startup (going up) callback.
 *
 * ==== The states and their order ====
 *
 *	state			runs on		startup			teardown
 *	CPUHP_PAGE_ALLOC	controller	the page allocator's step, registered by mm
 *				(mm/pcp_setup.c: pcp_cpu_online(), pcp_cpu_dead())
 *	CPUHP_WORKQUEUE		controller	-			move its deferred work
 *				(kernel/workqueue.c: workqueue_cpu_dead())
 *	CPUHP_BRINGUP_CPU	controller	smp_cpu_restart()	the die request, wait for it
 *	CPUHP_AP_SMPCFD		the CPU		(online bit: smp.c)	leave cpu_online_mask,
 *								run every queued call
 *	CPUHP_AP_ONLINE_DYN..	the CPU		cpuhp_setup_state() slots (tracing, lock stats)
 *	CPUHP_IRQ_AFFINITY	controller	device interrupts (kernel/irq.c): none is moved
 *				back going up; going down, every one targeted at the CPU moves
 *
 * CPUHP_IRQ_AFFINITY is a controller state above the AP states: going down it runs first,
 * while the CPU is still fully online, so that the CPU can still take (and hand over) what a
 * device raised before its interrupt was moved, and the move may wait for the CPU with
 * cross-CPU calls. Going up it runs last, once the CPU takes calls again.
 *
 * Going down, the states above BRINGUP run on the dying CPU itself, in one cross-CPU call
 * (the "die request") that never returns: teardown callbacks from the top, then
 * CPUHP_AP_SMPCFD, then arch_cpu_die(). The controller meanwhile waits for the CPU to leave
 * cpu_online_mask, makes every other CPU pass an interrupt (so nobody is still between
 * "cpu_online(cpu) was true" and "queued a call for it" with IRQs off), lets the CPU go, and
 * waits for arch_cpu_wait_dead(). Only then does it run the allocator's teardown.
 *
 * ==== Where the page allocator comes in (DESIGN.md 4.2) ====
 *
 * CPUHP_PAGE_ALLOC is a controller state below BRINGUP: its teardown runs after the CPU has
 * parked, so nothing of the dead CPU runs any more and its per-CPU pages can be drained by
 * another CPU; its startup runs before the CPU does. The page allocator registers the step
 * itself (pcp_init() -> cpuhp_setup_state()); mm/pcp_drain.c has its half of the ordering.
 *
 * ==== Why the die request walks the rest of its batch ====
 *
 * A cross-CPU call runs inside smp.c's flush_call_queue(), which took the whole queue with one
 * exchange: calls queued after ours in the same batch would run after our callback returns,
 * and ours never does. Their owners would wait forever (and an async csd would stay busy), so
 * the die request runs them itself, from its own csd's link onwards, with smp.c's release
 * rule (kernel/smp.h). Then it keeps serving new calls until the controller's IPI round is
 * over. A CPU must be idle to go down: a long-running call that itself serves the queue
 * (smp_process_pending_calls(), as test workers do) would be abandoned mid-way, so such work
 * has to be stopped first.
 *
 * ==== Deferred work: the die request waits for the idle loop ====
 *
 * Idle CPUs run deferred work (kernel/workqueue.h) with interrupts on, so the die request
 * may interrupt a work function, which may hold a lock, or the runner while it holds work it
 * took off its list. Then (workqueue_cpu_busy()) the request only marks itself deferred and
 * returns; the runner stops after the current function, gives the rest back to its list,
 * and the idle loop calls cpuhp_die_if_deferred() with interrupts off, which does what the
 * request would have done, minus the rest of the batch: the request returned, so
 * flush_call_queue() ran that batch itself.
 *
 * Locking: cpuhp_lock (h) serialises whole operations and protects cpuhp_cur[] and the
 * step table; it is held with IRQs on (the operations wait for other CPUs). die_stage[] is
 * (l: acquire/release between the controller and the dying CPU).
 * Linux: kernel/cpu.c (cpuhp_invoke_callback, take_cpu_down, bringup_cpu), much smaller.
 */
#define pr_fmt(fmt) "cpuhp: " fmt

#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/bug.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/tracepoints.h"
#include "kernel/workqueue.h"
#include "arch/arch.h"

struct cpuhp_step {
	const char *name;			/* "subsystem:what", for traces and messages */
	int (*startup)(unsigned int cpu);	/* NULL: nothing to do going up */
	int (*teardown)(unsigned int cpu);	/* NULL: nothing to do going down */
};

static int bringup_cpu(unsigned int cpu);
static int takedown_cpu(unsigned int cpu);
static int smpcfd_dying_cpu(unsigned int cpu);

static DEFINE_SPINLOCK(cpuhp_lock);
static struct cpuhp_step cpuhp_steps[CPUHP_NR_STATES] = {		/* (h) */
	[CPUHP_OFFLINE]		= { .name = "offline" },
	[CPUHP_PAGE_ALLOC]	= { },	/* the page allocator registers its step */
	[CPUHP_WORKQUEUE]	= { },	/* kernel/workqueue.c registers its step */
	[CPUHP_BRINGUP_CPU]	= { "cpu:bringup", bringup_cpu, takedown_cpu },
	[CPUHP_AP_SMPCFD]	= { "smpcfd:dying", NULL, smpcfd_dying_cpu },
	[CPUHP_ONLINE]		= { .name = "online" },
};

static u8 cpuhp_cur[NR_CPUS];		/* each CPU's state (h; the dying CPU writes its own) */
static bool cpuhp_ready;		/* cpuhp_cur[] filled from cpu_online_mask (h) */
static unsigned long nr_downs, nr_ups;	/* completed transitions (h) */

/* The die request, one per target, and its handshake (l: acquire/release). */
enum die_stage {
	DIE_NONE,
	DIE_REQUESTED,		/* controller: the request is queued */
	DIE_LEFT_ONLINE,	/* the CPU: out of cpu_online_mask, serving its queue */
	DIE_GO,			/* controller: every CPU has passed the IPI round: park */
};
static struct call_single_data die_csd[NR_CPUS];
static u32 die_stage[NR_CPUS];
/* A die request found its CPU running deferred work (l: set by the CPU's IPI, read by it). */
static u8 die_deferred[NR_CPUS];
/* The die request runs inside a call batch, whose rest it must run (i: the dying CPU). */
static bool die_in_batch[NR_CPUS];

/*
 * Left the online mask, not confirmed parked: see cpuhp_down_locked(). Written under
 * cpuhp_lock, read without it by cpuhp_unparked() (h; l: relaxed).
 */
static u8 unparked[NR_CPUS];

/* cpuhp_inject_fault(): taken (exchanged for NONE) by the next cpu_down() (l: atomic). */
static u32 injected_fault[NR_CPUS];

/* How long the controller waits for the CPU to answer the die request. */
#define CPUHP_DIE_TIMEOUT_MS	5000


static const char *const target_name[2] = { "offline", "online" };

static void cpuhp_sync_states(void)
{
	unsigned int cpu;

	if (cpuhp_ready)
		return;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		cpuhp_cur[cpu] = cpu_online(cpu) ? CPUHP_ONLINE : CPUHP_OFFLINE;
	__atomic_store_n(&cpuhp_ready, true, __ATOMIC_RELAXED);
}

static void set_state(unsigned int cpu, enum cpuhp_state st)
{
	__atomic_store_n(&cpuhp_cur[cpu], (u8)st, __ATOMIC_RELAXED);
}

static enum cpuhp_state get_state(unsigned int cpu)
{
	return (enum cpuhp_state)__atomic_load_n(&cpuhp_cur[cpu], __ATOMIC_RELAXED);
}

static int run_step(unsigned int cpu, enum cpuhp_state st, bool up)
{
	const struct cpuhp_step *s = &cpuhp_steps[st];
	int (*fn)(unsigned int) = up ? s->startup : s->teardown;
	int ret;

	if (!fn)
		return 0;
	ret = fn(cpu);
	trace_cpuhp_step(cpu, s->name, target_name[up], ret);
	return ret;
}

/* ---- CPUHP_BRINGUP_CPU ---- */

/* Context: the controller, IRQs on. */
static int bringup_cpu(unsigned int cpu)
{
	return smp_cpu_restart(cpu);
}

static void cpuhp_nop(void *info)
{
	(void)info;
}

/*
 * Run the calls that were queued behind @self in the batch flush_call_queue() took, with the
 * same release rule (kernel/smp.h): a waiter's csd is released after its callback, a
 * fire-and-forget one before it. The link was read by the flush before it called us, and
 * nobody reuses @self while its CPU dies, so self->llist.next is still the rest of the batch.
 * Context: the dying CPU, IRQs off, inside its die request.
 */
static void run_rest_of_batch(struct call_single_data *self)
{
	struct llist_node *pos = self->llist.next, *next;

	for (; pos; pos = next) {
		struct call_single_data *csd = llist_entry(pos, struct call_single_data, llist);
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		next = pos->next;	/* before the release: the owner may reuse it at once */
		if (__atomic_load_n(&csd->flags, __ATOMIC_RELAXED) & CSD_FLAG_SYNC) {
			func(info);
			__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&csd->flags, 0, __ATOMIC_RELEASE);
			func(info);
		}
	}
}

/**
 * smpcfd_dying_cpu - the CPU's last generic step: leave cpu_online_mask, empty its queue.
 * @cpu: this CPU
 *
 * After the online bit is clear no new call may target us (smp_call_function_*() check it),
 * but a caller may have checked just before; the controller's IPI round flushes those out
 * while we keep serving our queue, and DIE_GO says the round is over.
 * Context: the dying CPU, IRQs off, inside its die request.
 */
static int smpcfd_dying_cpu(unsigned int cpu)
{
	/* Release: whoever sees us offline also sees every teardown step done. */
	cpumask_clear_cpu_atomic(cpu, &__cpu_online_mask);
	if (die_in_batch[cpu])
		run_rest_of_batch(&die_csd[cpu]);
	__atomic_store_n(&die_stage[cpu], DIE_LEFT_ONLINE, __ATOMIC_RELEASE);
	while (__atomic_load_n(&die_stage[cpu], __ATOMIC_ACQUIRE) != DIE_GO) {
		smp_process_pending_calls();
		arch_cpu_relax();
	}
	smp_process_pending_calls();
	return 0;
}

/*
 * Every AP teardown from the top down to CPUHP_AP_SMPCFD, then park. @in_batch: called as
 * the die request itself, from a call batch (else from the idle loop, deferred).
 * Context: the dying CPU, IRQs off. Never returns.
 */
static __noreturn void cpuhp_ap_die_now(unsigned int cpu, bool in_batch)
{
	die_in_batch[cpu] = in_batch;
	/* The state is the last step brought up: tear down from there. */
	for (int st = (int)get_state(cpu); st >= CPUHP_AP_SMPCFD; st--) {
		int ret = run_step(cpu, (enum cpuhp_state)st, false);

		WARN(ret, "cpuhp: CPU%u: teardown %s failed (%d) on the way down\n", cpu,
		     cpuhp_steps[st].name, ret);
		set_state(cpu, (enum cpuhp_state)(st - 1));
	}
	trace_cpuhp_step(cpu, "arch:die", "offline", 0);
	arch_cpu_die();
}

/*
 * The die request: go down now, or, if it interrupted deferred work, at the idle loop.
 * Context: the dying CPU, IRQs off, from its call queue. Returns only when deferred.
 */
static void cpuhp_ap_die(void *info)
{
	unsigned int cpu = smp_processor_id();

	(void)info;
	if (workqueue_cpu_busy()) {
		__atomic_store_n(&die_deferred[cpu], 1, __ATOMIC_SEQ_CST);
		trace_cpuhp_step(cpu, "die:deferred", "offline", 0);
		return;
	}
	cpuhp_ap_die_now(cpu, true);
}

bool cpuhp_die_deferred(void)
{
	return __atomic_load_n(&die_deferred[smp_processor_id()], __ATOMIC_SEQ_CST);
}

void cpuhp_die_if_deferred(void)
{
	unsigned int cpu = smp_processor_id();

	if (!__atomic_load_n(&die_deferred[cpu], __ATOMIC_SEQ_CST))
		return;
	__atomic_store_n(&die_deferred[cpu], 0, __ATOMIC_RELAXED);
	cpuhp_ap_die_now(cpu, false);
}

/**
 * takedown_cpu - send @cpu its die request and wait until it has parked.
 * @cpu: an online CPU other than this one, idle
 *
 * Return: 0, or arch_cpu_wait_dead()'s error (the CPU left the online mask but did not
 * confirm that it parked).
 * Context: the controller, IRQs on, cpuhp_lock held.
 */
static int takedown_cpu(unsigned int cpu)
{
	struct call_single_data *csd = &die_csd[cpu];
	u64 start = arch_clock_ns();
	int err;

	u32 fault = __atomic_exchange_n(&injected_fault[cpu], CPUHP_FAULT_NONE, __ATOMIC_RELAXED);

	__atomic_store_n(&die_stage[cpu], DIE_REQUESTED, __ATOMIC_RELAXED);
	csd->func = cpuhp_ap_die;
	csd->info = NULL;
	err = fault == CPUHP_FAULT_DIE_REQUEST ? -EAGAIN : smp_call_function_single_async(cpu, csd);
	if (err)
		return err;
	while (__atomic_load_n(&die_stage[cpu], __ATOMIC_ACQUIRE) != DIE_LEFT_ONLINE) {
		/*
		 * It takes interrupts only where its callbacks allow; after this long something
		 * holds it with IRQs off for good, and our request is queued there: we cannot
		 * take it back, so we cannot pretend the CPU is still usable either.
		 */
		if (arch_clock_ns() - start > CPUHP_DIE_TIMEOUT_MS * 1000000ULL)
			panic("cpuhp: CPU%u did not answer its die request in %u ms", cpu,
			      CPUHP_DIE_TIMEOUT_MS);
		arch_cpu_relax();
	}
	/*
	 * Every other online CPU takes an interrupt: none of them is still inside a call
	 * queueing path that saw @cpu online with IRQs off, so nothing new reaches its queue.
	 */
	smp_call_function_many(cpu_online_mask, cpuhp_nop, NULL, true);
	__atomic_store_n(&die_stage[cpu], DIE_GO, __ATOMIC_RELEASE);
	err = fault == CPUHP_FAULT_PARK ? -ETIMEDOUT : arch_cpu_wait_dead(cpu);
	trace_cpuhp_step(cpu, "arch:wait_dead", "offline", err);
	/* Not yet DIE_NONE without the confirmation: the CPU may still be waiting for DIE_GO. */
	if (!err)
		__atomic_store_n(&die_stage[cpu], DIE_NONE, __ATOMIC_RELAXED);
	return err;
}

/* ---- AP startups: on the new CPU, from a cross-CPU call ---- */

struct ap_up_args {
	enum cpuhp_state st;
	int ret;
};

static void ap_startup_call(void *info)
{
	struct ap_up_args *a = info;

	a->ret = run_step(smp_processor_id(), a->st, true);
}

/* ---- Walking the states ---- */

/*
 * A CPU that left the online mask without confirming that it parked: ask the arch again.
 * Context: the controller, IRQs on, cpuhp_lock held.
 */
static int confirm_parked(unsigned int cpu)
{
	int err = arch_cpu_wait_dead(cpu);

	trace_cpuhp_step(cpu, "arch:wait_dead", "offline", err);
	if (err)
		return err;
	__atomic_store_n(&die_stage[cpu], DIE_NONE, __ATOMIC_RELAXED);
	__atomic_store_n(&unparked[cpu], 0, __ATOMIC_RELAXED);
	pr_info("CPU%u has parked after all\n", cpu);
	return 0;
}

/*
 * Down from whatever state @cpu reached to CPUHP_OFFLINE. Two failures stop the walk, and
 * neither may be taken for a death:
 *  - the die request cannot be sent: the CPU never heard it and runs on, online, in the
 *    state it was in;
 *  - the CPU left the online mask but does not confirm that it parked: it may still run, so
 *    its per-CPU pages are not drained (the dead-CPU drain takes its pcp->lock from here,
 *    which excludes nothing the owner does, mm/pcp_lock.h) and it is not restarted. It stays
 *    at CPUHP_BRINGUP_CPU, "unparked"; the next cpu_down() or cpu_up() asks again.
 * Return: 0, or the error; the CPU is offline only on 0.
 * Context: the controller, IRQs on, cpuhp_lock held.
 */
static int cpuhp_down_locked(unsigned int cpu)
{
	bool irqs_moved = false;
	int err = 0, st;

	if (get_state(cpu) >= CPUHP_IRQ_AFFINITY) {
		run_step(cpu, CPUHP_IRQ_AFFINITY, false);
		set_state(cpu, (enum cpuhp_state)(CPUHP_IRQ_AFFINITY - 1));
		irqs_moved = true;
	}
	st = get_state(cpu);
	if (st >= CPUHP_BRINGUP_CPU) {
		err = unparked[cpu] ? confirm_parked(cpu) : run_step(cpu, CPUHP_BRINGUP_CPU, false);
		if (err && cpu_online(cpu)) {
			/*
			 * The die request never ran: nothing of the CPU was torn down but its
			 * device interrupts, which stay where they went; it may take them again.
			 */
			pr_err("CPU%u: its die request could not be sent (%d); it stays online\n",
			       cpu, err);
			if (irqs_moved) {
				run_step(cpu, CPUHP_IRQ_AFFINITY, true);
				set_state(cpu, CPUHP_ONLINE);
			}
			return err;
		}
		if (err) {
			if (!unparked[cpu])
				pr_err("CPU%u left the online mask but has not confirmed that it "
				       "parked (%d): it keeps its per-CPU pages and is not restarted "
				       "until it does\n", cpu, err);
			__atomic_store_n(&unparked[cpu], 1, __ATOMIC_RELAXED);
			return err;
		}
		st = CPUHP_BRINGUP_CPU - 1;
		set_state(cpu, (enum cpuhp_state)st);
	}
	/* The controller's steps below BRINGUP (the allocator's, deferred work's), top down. */
	for (; st > CPUHP_OFFLINE; st--) {
		run_step(cpu, (enum cpuhp_state)st, false);
		set_state(cpu, (enum cpuhp_state)(st - 1));
	}
	return err;
}

/* Context: the controller, IRQs on, cpuhp_lock held. */
static int cpuhp_up_locked(unsigned int cpu)
{
	int err;

	for (int st = CPUHP_PAGE_ALLOC; st < CPUHP_ONLINE; st++) {
		if (st <= CPUHP_BRINGUP_CPU || st == CPUHP_IRQ_AFFINITY) {
			err = run_step(cpu, (enum cpuhp_state)st, true);
		} else if (cpuhp_steps[st].startup) {
			struct ap_up_args a = { .st = (enum cpuhp_state)st, .ret = 0 };

			err = smp_call_function_single(cpu, ap_startup_call, &a, true);
			if (!err)
				err = a.ret;
		} else {
			err = 0;
		}
		if (err) {
			pr_err("CPU%u: %s failed (%d); taking it back down\n", cpu,
			       cpuhp_steps[st].name, err);
			/* The state still names the last step that succeeded: undo from there. */
			cpuhp_down_locked(cpu);
			return err;
		}
		set_state(cpu, (enum cpuhp_state)st);
	}
	set_state(cpu, CPUHP_ONLINE);
	return 0;
}

/* ---- The API ---- */

static int check_cpu(unsigned int cpu, bool up)
{
	if (cpu >= NR_CPUS || !cpu_possible(cpu))
		return -EINVAL;
	if (!cpu_present(cpu))
		return -ENODEV;
	if (up ? get_state(cpu) == CPUHP_ONLINE : get_state(cpu) == CPUHP_OFFLINE)
		return -EALREADY;
	return 0;
}

int cpu_down(unsigned int cpu)
{
	struct percpu_hdr *hdr;
	int err;

	guard(spinlock)(&cpuhp_lock);
	cpuhp_sync_states();
	err = check_cpu(cpu, false);
	if (err)
		return err;
	if (!arch_cpu_can_offline(cpu))
		return -EPERM;
	/* Without a boot stack there is nothing to start it on again (CPU 0 has none). */
	hdr = percpu_hdr_of(cpu);
	if (!hdr || !hdr->stack_top)
		return -EPERM;
	if (cpu == smp_processor_id() || num_online_cpus() <= 1)
		return -EBUSY;
	trace_cpuhp_step(cpu, "begin", "offline", 0);
	err = cpuhp_down_locked(cpu);
	trace_cpuhp_step(cpu, "end", "offline", err);
	if (err)
		return err;
	nr_downs++;
	pr_info("CPU%u is offline\n", cpu);
	return 0;
}

int cpu_up(unsigned int cpu)
{
	int err;

	guard(spinlock)(&cpuhp_lock);
	cpuhp_sync_states();
	err = check_cpu(cpu, true);
	if (err)
		return err;
	if (unparked[cpu]) {
		/* Never start a CPU that may be running: first it must be seen parked. */
		err = cpuhp_down_locked(cpu);
		if (err)
			return err;
		nr_downs++;
		pr_info("CPU%u is offline\n", cpu);
	}
	trace_cpuhp_step(cpu, "begin", "online", 0);
	err = cpuhp_up_locked(cpu);
	trace_cpuhp_step(cpu, "end", "online", err);
	if (err)
		return err;
	nr_ups++;
	pr_info("CPU%u is online\n", cpu);
	return 0;
}

int cpuhp_setup_state(enum cpuhp_state state, const char *name, int (*startup)(unsigned int cpu),
		      int (*teardown)(unsigned int cpu))
{
	int first = state, last = state;

	if (state <= CPUHP_OFFLINE || state >= CPUHP_ONLINE || !name)
		return -EINVAL;
	if (state == CPUHP_AP_ONLINE_DYN)
		last = CPUHP_AP_ONLINE_DYN_END;
	guard(spinlock)(&cpuhp_lock);
	for (int st = first; st <= last; st++) {
		struct cpuhp_step *s = &cpuhp_steps[st];

		if (s->startup || s->teardown || s->name)
			continue;
		s->name = name;
		s->startup = startup;
		s->teardown = teardown;
		return st;
	}
	return -EBUSY;
}

const char *cpuhp_strerror(int err)
{
	switch (err) {
	case 0:
		return "done";
	case -EINVAL:
		return "no such CPU";
	case -ENODEV:
		return "CPU not present";
	case -EALREADY:
		return "already in that state";
	case -EPERM:
		return "this CPU cannot go offline (boot CPU, or no stack to restart it on)";
	case -EBUSY:
		return "busy: the last online CPU, or the CPU running this command";
	case -EOPNOTSUPP:
		return "restarting CPUs is not supported by this kernel";
	case -EAGAIN:
		return "its die request could not be sent: it stays online";
	case -ETIMEDOUT:
		return "timed out: it left the online mask but has not confirmed that it parked";
	default:
		return "failed";
	}
}

const char *cpuhp_state_name(unsigned int cpu)
{
	if (cpu >= NR_CPUS)
		return "none";
	if (!__atomic_load_n(&cpuhp_ready, __ATOMIC_RELAXED))
		return cpu_online(cpu) ? "online" : "offline";
	enum cpuhp_state st = get_state(cpu);

	if (cpuhp_unparked(cpu))
		return "unparked";
	if (st == CPUHP_ONLINE || st == CPUHP_OFFLINE)
		return cpuhp_steps[st].name;
	return cpuhp_steps[st].name ? cpuhp_steps[st].name : "in transition";
}

bool cpuhp_unparked(unsigned int cpu)
{
	return cpu < NR_CPUS && __atomic_load_n(&unparked[cpu], __ATOMIC_RELAXED);
}

int cpuhp_inject_fault(unsigned int cpu, enum cpuhp_fault fault)
{
	if (cpu >= NR_CPUS)
		return -EINVAL;
	__atomic_store_n(&injected_fault[cpu], (u32)fault, __ATOMIC_RELAXED);
	return 0;
}

void cpuhp_counts(unsigned long *downs, unsigned long *ups)
{
	*downs = READ_ONCE(nr_downs);
	*ups = READ_ONCE(nr_ups);
}

/* ---- `cpus`: pages each CPU holds ---- */

/*
 * Count @cpu's pages. Only the owner consumes a free_llist (and the dead-CPU drain, which
 * holds cpuhp_lock), and producers only add in front, so the owner, or anyone while the CPU
 * is offline and cpuhp_lock is held, may walk it from a snapshot of its head.
 * Context: @cpu itself with IRQs off, or any CPU for an offline @cpu under cpuhp_lock.
 */
int cpuhp_call_on_cpu(unsigned int cpu, smp_call_func_t func, void *info)
{
	guard(spinlock)(&cpuhp_lock);	/* an offline CPU stays offline while we hold it */
	if (cpu_online(cpu))
		return smp_call_function_single(cpu, func, info, true);
	if (cpu >= NR_CPUS)
		return -EINVAL;
	func(info);
	return 0;
}

void cpuhp_transitions(unsigned long *downs, unsigned long *ups)
{
	guard(spinlock)(&cpuhp_lock);
	cpuhp_sync_states();
	*downs = nr_downs;
	*ups = nr_ups;
}
