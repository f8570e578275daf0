/* SPDX-License-Identifier: MIT */
/*
 * The idle loop, and the hooks other subsystems hang on it.
 *
 *	idle_hook_register(pcp_idle_enter);	at boot, before SMP
 *	cpu_is_idle(cpu)			any CPU: is @cpu asleep in its idle loop?
 *
 * Each CPU's idle flag is set with a sequentially consistent store followed by a full fence
 * before the hooks run and the CPU sleeps, so a subsystem can build a Dekker handshake on it:
 * "I published work for CPU B, then read cpu_is_idle(B)" on one side, "the flag is set, then
 * my hook looks for published work" on the other; one of the two sees the other (mm/pcp's
 * idle owners use it to decide whether to wake an owner by IPI).
 * Locking: the hook table is (m): written by the boot CPU before SMP; the flags are (l).
 */
#ifndef KERNEL_IDLE_H
#define KERNEL_IDLE_H

#include "kernel/compiler.h"

/*
 * The idle loop: wait for interrupts with them enabled (arch_idle()); an IPI wakes the CPU
 * and runs its queued calls. Context: any CPU that has nothing else to do; never returns.
 */
__noreturn void cpu_idle_loop(void);

/*
 * Run @enter on every idle entry, after the idle flag is visible, before the CPU sleeps.
 * It must be short; it may find work and do it (then the loop checks again before sleeping).
 * Return: 0, or -ENOSPC when the table is full.
 * Context: the boot CPU before SMP.
 */
int idle_hook_register(void (*enter)(void));

/* Is @cpu in its idle loop (flag set, about to sleep or asleep)? Context: any CPU. */
bool cpu_is_idle(unsigned int cpu);

#endif /* KERNEL_IDLE_H */
