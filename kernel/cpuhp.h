/* SPDX-License-Identifier: MIT */
/*
 * CPU hotplug: take a CPU offline and bring it back, through an ordered list of states whose
 * callbacks the subsystems provide (Linux: include/linux/cpuhotplug.h, much smaller).
 *
 *	cpu_down(2)	ONLINE -> IRQ_AFFINITY -> AP_ONLINE_DYN.. -> AP_SMPCFD -> BRINGUP_CPU
 *			-> WORKQUEUE -> PAGE_ALLOC -> OFFLINE
 *	cpu_up(2)	the same states in the other order, startup callbacks instead of teardown
 *
 * A state runs either on the controlling CPU (the one calling cpu_down()/cpu_up(): "BP"
 * states, below CPUHP_BRINGUP_CPU, and CPUHP_IRQ_AFFINITY, which runs while the CPU is fully
 * online) or on the CPU going up or down itself ("AP" states). The essay in kernel/cpuhp.c
 * gives the order and why.
 *
 * Locking: cpuhp_lock (h) serialises cpu_down()/cpu_up(); a CPU's hotplug state is (h).
 */
#ifndef KERNEL_CPUHP_H
#define KERNEL_CPUHP_H

#include "kernel/compiler.h"
#include "kernel/smp.h"
#include "kernel/errno.h"

enum cpuhp_state {
	CPUHP_OFFLINE,		/* parked (x86_64: cli;hlt, riscv64: HSM stopped) */
	CPUHP_PAGE_ALLOC,	/* BP: the page allocator's step (mm registers it) */
	CPUHP_WORKQUEUE,	/* BP: move the dead CPU's deferred work (kernel/workqueue.c) */
	CPUHP_BRINGUP_CPU,	/* BP: arch_cpu_start() / the die request and arch_cpu_wait_dead() */
	CPUHP_AP_SMPCFD,	/* AP: leave cpu_online_mask, run every call queued for it */
	CPUHP_AP_ONLINE_DYN,	/* AP: slots for cpuhp_setup_state() (tracing, lock stats...) */
	CPUHP_AP_ONLINE_DYN_END = CPUHP_AP_ONLINE_DYN + 4,
	CPUHP_IRQ_AFFINITY,	/* BP, CPU fully online: device interrupts move off it (irq) */
	CPUHP_ONLINE,		/* running, taking calls and interrupts */
	CPUHP_NR_STATES,
};

/*
 * Register callbacks for @state (CPUHP_AP_ONLINE_DYN: the first free dynamic slot).
 * @startup runs when a CPU comes up through the state, @teardown when it goes down; either
 * may be NULL. AP callbacks run on the CPU itself: startup with IRQs off from a cross-CPU
 * call once it is online, teardown with IRQs off on its way to arch_cpu_die(); they must be
 * short and must not wait for other CPUs. BP callbacks (below CPUHP_BRINGUP_CPU, and
 * CPUHP_IRQ_AFFINITY) run on the controller with IRQs on and cpuhp_lock held, and may wait
 * for other CPUs. Not called for CPUs already online.
 * Return: the state used, or -EBUSY (slot taken / no free dynamic slot), -EINVAL.
 * Context: any CPU, not during a hotplug operation (takes cpuhp_lock).
 */
int cpuhp_setup_state(enum cpuhp_state state, const char *name, int (*startup)(unsigned int cpu),
		      int (*teardown)(unsigned int cpu));

/*
 * Take @cpu offline / bring it back online.
 * Return: 0; -EINVAL (no such CPU), -ENODEV (not present), -EALREADY (already in that
 * state), -EPERM (arch refuses: the x86_64 boot CPU), -EBUSY (the last online CPU, or the
 * calling CPU itself), -EOPNOTSUPP (kernel/smp.c cannot restart CPUs), or the error of the
 * step that failed.
 * Context: any CPU with IRQs on, not from a cross-CPU call; sleeps by spinning.
 */
int cpu_down(unsigned int cpu);
int cpu_up(unsigned int cpu);

/*
 * A die request that arrives while this CPU runs deferred work (workqueue_cpu_busy()) does
 * not kill it in the middle of a work function: it is deferred until the idle loop.
 * cpuhp_die_deferred(): is one waiting? (the work runner stops early). Context: this CPU.
 * cpuhp_die_if_deferred(): go down now if one is waiting (never returns then).
 * Context: this CPU's idle loop, IRQs off.
 */
bool cpuhp_die_deferred(void);
void cpuhp_die_if_deferred(void);

/* A cpu_down()/cpu_up() error as words, for the shell. */
const char *cpuhp_strerror(int err);
/* Name of @cpu's hotplug state ("online", "offline", or the state it is stuck in). */
const char *cpuhp_state_name(unsigned int cpu);
/*
 * Whether @cpu left the online mask without confirming that it parked: it may still run,
 * so nobody may take its per-CPU locks from outside (cpuhp_down_locked() in kernel/cpuhp.c).
 * Context: any CPU.
 */
bool cpuhp_unparked(unsigned int cpu);
/* Completed offline and online transitions since boot. */
void cpuhp_counts(unsigned long *downs, unsigned long *ups);

/*
 * Run @func(@info) on @cpu if it is online (waiting for it), else here, under the hotplug
 * lock, so that @cpu cannot come online meanwhile: for looking at per-CPU state that only
 * its CPU may touch while it runs.
 * Return: 0, or smp_call_function_single()'s error, -EINVAL for a CPU beyond NR_CPUS.
 * Context: any CPU with IRQs on, not during a hotplug operation (takes the hotplug lock).
 */
int cpuhp_call_on_cpu(unsigned int cpu, smp_call_func_t func, void *info);
/* Offline and online transitions since boot. Context: any CPU; takes the hotplug lock. */
void cpuhp_transitions(unsigned long *downs, unsigned long *ups);

/*
 * Fault injection, for tests of the failure paths (Linux has the same idea in
 * /sys/devices/system/cpu/cpuN/hotplug/fail). The next cpu_down(@cpu) meets @fault once:
 *	CPUHP_FAULT_DIE_REQUEST	its die request cannot be queued (what a busy or refused
 *				cross-CPU call would do): -EAGAIN before anything is sent
 *	CPUHP_FAULT_PARK	it does not confirm in time that it parked (it does park: the
 *				confirmation is not looked at): -ETIMEDOUT
 * Return: 0, or -EINVAL for a CPU beyond NR_CPUS. Context: any CPU.
 */
enum cpuhp_fault {
	CPUHP_FAULT_NONE,
	CPUHP_FAULT_DIE_REQUEST,
	CPUHP_FAULT_PARK,
};
int cpuhp_inject_fault(unsigned int cpu, enum cpuhp_fault fault);

#endif /* KERNEL_CPUHP_H */
