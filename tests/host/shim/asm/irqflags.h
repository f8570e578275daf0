/* SPDX-License-Identifier: MIT */
/*
 * Host shim for <asm/irqflags.h>: arch/arch.h's interrupt-flag hooks, inline as on the real
 * ports. "Interrupts" are a thread-local flag of the thread pretending to be a CPU
 * (tests/host/shim/host_kernel.c); turning them back on delivers the cross-CPU calls queued
 * for this CPU meanwhile, as a real CPU would take a pending IPI.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <stdbool.h>

extern __thread bool host_irqs_off;
bool host_poll_ipis(void);

static inline void arch_local_irq_enable(void)
{
	host_irqs_off = false;
	host_poll_ipis();
}

static inline void arch_local_irq_disable(void)
{
	host_irqs_off = true;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long was_off = host_irqs_off;

	host_irqs_off = true;
	return was_off;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irqs_off = flags != 0;
	if (!host_irqs_off)
		host_poll_ipis();	/* an "interrupt" pending while they were off arrives now */
}

static inline bool arch_irqs_disabled(void)
{
	return host_irqs_off;
}

#endif /* ASM_IRQFLAGS_H */
