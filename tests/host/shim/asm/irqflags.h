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
#include "kernel/lib/llist.h"

extern __thread bool host_irqs_off;
extern __thread unsigned int host_this_cpu;
extern struct llist_head host_call_q[];
bool host_poll_ipis(void);

/*
 * host_poll_ipis() for the restore below. A real port's restore is an instruction that
 * clobbers no register; a plain call here would make every allocator fast path save and
 * restore the callee-saved registers around it. clang's preserve_most convention keeps the
 * caller's registers intact instead, so the harness measures what a kernel would run.
 */
#if defined(__clang__) && defined(__x86_64__)
__attribute__((preserve_most))
#endif
void host_take_pending_ipis(void);

/* A call queued for this CPU? (A relaxed look; host_poll_ipis() takes the queue.) */
static inline bool host_ipi_pending(void)
{
	return __atomic_load_n(&host_call_q[host_this_cpu].first, __ATOMIC_RELAXED) != NULL;
}

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
	if (!host_irqs_off && host_ipi_pending())
		host_take_pending_ipis();	/* an "interrupt" pending while they were off arrives now */
}

static inline bool arch_irqs_disabled(void)
{
	return host_irqs_off;
}

#endif /* ASM_IRQFLAGS_H */
