/* SPDX-License-Identifier: MIT */
/*
 * The periodic tick: every CPU's 100 Hz timer interrupt (armed by the arch's timer code)
 * lands in timer_interrupt(), which counts it and runs what was asked of it.
 * Locking: each CPU's tick state is its own (i); timer_interrupt_run_once()'s slot is set by
 * its CPU and taken by its timer handler (l: exchange).
 */
#ifndef KERNEL_TICK_H
#define KERNEL_TICK_H

#include "kernel/compiler.h"

/* Timer interrupts taken by `cpu` since boot (timer_interrupt()). Any CPU. */
u64 cpu_timer_ticks(unsigned int cpu);

/*
 * Run @fn once, from this CPU's next timer interrupt: for tests of code that must work in
 * a real interrupt hitting this CPU mid-operation (the nolock allocator paths). @fn runs in
 * interrupt context with IRQs off. Return: false if a call is pending already.
 * Context: this CPU, any context.
 */
typedef void (*timer_once_fn)(void);
bool timer_interrupt_run_once(timer_once_fn fn);

#endif /* KERNEL_TICK_H */
