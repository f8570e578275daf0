// SPDX-License-Identifier: MIT
/*
 * The idle loop: what a CPU does when it has nothing to do. It waits for an interrupt with
 * interrupts enabled; an IPI wakes it and runs its queued cross-CPU calls. Before sleeping it
 * raises its idle flag and runs the registered idle hooks (kernel/idle.h), so that work
 * published for it meanwhile is either seen by the hook or makes its publisher send an IPI.
 * Deferred work (kernel/workqueue.h) runs at the top of each round, in process context with
 * interrupts on; the same handshake keeps a CPU from sleeping on queued work.
 */
#include "kernel/idle.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/smp.h"
#include "kernel/cpuhp.h"
#include "kernel/workqueue.h"
#include "arch/arch.h"

#define NR_IDLE_HOOKS	4

static void (*idle_hooks[NR_IDLE_HOOKS])(void);	/* (m) */
static unsigned int nr_idle_hooks;			/* (m) */
static u8 cpu_idle[NR_CPUS];		/* (l: seq_cst store + fence; see kernel/idle.h) */

int idle_hook_register(void (*enter)(void))
{
	if (nr_idle_hooks == NR_IDLE_HOOKS)
		return -ENOSPC;
	idle_hooks[nr_idle_hooks++] = enter;
	return 0;
}

bool cpu_is_idle(unsigned int cpu)
{
	return cpu < NR_CPUS && __atomic_load_n(&cpu_idle[cpu], __ATOMIC_SEQ_CST);
}

void cpu_idle_loop(void)
{
	unsigned int me = smp_processor_id();

	for (;;) {
		/* Work functions run with interrupts on (a new CPU arrives with them off). */
		arch_local_irq_enable();
		workqueue_run_pending();
		arch_local_irq_disable();
		/* A die request that found us running work goes ahead now (kernel/cpuhp.c). */
		cpuhp_die_if_deferred();
		/* Calls that arrived while we were busy with interrupts off run now. */
		smp_process_pending_calls();
		__atomic_store_n(&cpu_idle[me], 1, __ATOMIC_SEQ_CST);
		/* Full fence: the hooks' reads come after the flag is visible (the Dekker pair). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		for (unsigned int i = 0; i < nr_idle_hooks; i++)
			idle_hooks[i]();
		/* Work queued before the flag was visible: its queuer sent no IPI; run it. */
		if (!workqueue_has_pending())
			arch_idle();	/* enables interrupts and waits, atomically */
		__atomic_store_n(&cpu_idle[me], 0, __ATOMIC_RELAXED);
	}
}
