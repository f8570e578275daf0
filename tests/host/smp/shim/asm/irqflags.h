/* SPDX-License-Identifier: MIT */
/*
 * SMP host-test shim for <asm/irqflags.h>: arch/arch.h's interrupt-flag hooks, inline as on
 * the real ports, over a thread-local flag (tests/host/smp/shim.c); turning "interrupts"
 * back on takes an IPI that arrived meanwhile.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <stdbool.h>

extern __thread bool tls_irqs_off;
void shim_take_ipi(void);

static inline void arch_local_irq_enable(void)
{
	tls_irqs_off = false;
	shim_take_ipi();
}

static inline void arch_local_irq_disable(void)
{
	tls_irqs_off = true;
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long was_off = tls_irqs_off;

	tls_irqs_off = true;
	return was_off;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	tls_irqs_off = flags;
	shim_take_ipi();
}

static inline bool arch_irqs_disabled(void)
{
	return tls_irqs_off;
}

#endif /* ASM_IRQFLAGS_H */
