// SPDX-License-Identifier: MIT
/*
 * The periodic tick (kernel/tick.h): count each CPU's timer interrupts, move due delayed
 * work to the work list (kernel/workqueue.c) and run the one-shot callbacks tests arm on
 * them. The arch's timer code calls timer_interrupt() (arch/arch.h).
 */
#include "kernel/tick.h"
#include "kernel/percpu.h"
#include "kernel/workqueue.h"
#include "arch/arch.h"

static DEFINE_PER_CPU(u64, timer_ticks);			/* (i) */
/* timer_interrupt_run_once(): set by its CPU, taken by the CPU's timer handler (l: xchg). */
static DEFINE_PER_CPU(timer_once_fn, timer_once);

/* The arch's timer vector lands here. Context: this CPU, IRQs off. */
void timer_interrupt(void)
{
	timer_once_fn fn = __atomic_exchange_n(this_cpu_ptr(&timer_once), NULL, __ATOMIC_ACQUIRE);

	/* Atomic: cpu_timer_ticks() reads it from other CPUs. */
	__atomic_fetch_add(this_cpu_ptr(&timer_ticks), 1, __ATOMIC_RELAXED);
	workqueue_tick();
	if (fn)
		fn();
}

bool timer_interrupt_run_once(timer_once_fn fn)
{
	timer_once_fn none = NULL;

	/* Release: what the caller set up for fn is visible to the interrupt that runs it. */
	return __atomic_compare_exchange_n(this_cpu_ptr(&timer_once), &none, fn, false,
					   __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

u64 cpu_timer_ticks(unsigned int cpu)
{
	return __atomic_load_n(per_cpu_ptr(&timer_ticks, cpu), __ATOMIC_RELAXED);
}
