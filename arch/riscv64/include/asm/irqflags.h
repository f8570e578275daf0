/* SPDX-License-Identifier: MIT */
/*
 * riscv64 interrupt flag primitives, inline, with the same names as the x86_64 port's:
 * sstatus.SIE is this hart's "interrupts enabled" bit. The saved flags are the whole sstatus
 * value; only SR_SIE in it is ever looked at. The arch_local_irq_*() hooks of arch/arch.h are
 * built on these at the end, inline: they are on every allocator path.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <asm/csr.h>

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

/* The whole sstatus register; only SR_SIE matters to the callers here. */
static inline unsigned long native_save_fl(void)
{
	return csr_read(sstatus);
}

static inline void native_irq_disable(void)
{
	csr_clear(sstatus, SR_SIE);
}

static inline void native_irq_enable(void)
{
	csr_set(sstatus, SR_SIE);
}

/*
 * Disable and return the previous flags. csrrc clears SIE and returns the old sstatus in one
 * instruction, so an interrupt cannot slip in between reading the state and disabling.
 */
static inline unsigned long native_irq_save(void)
{
	return csr_read_clear(sstatus, SR_SIE);
}

/*
 * Re-enable only if they were enabled at the matching save, so nested sections compose.
 * csrs of 0 changes nothing, so this needs no branch.
 */
static inline void native_irq_restore(unsigned long flags)
{
	csr_set(sstatus, flags & SR_SIE);
}

static inline bool native_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & SR_SIE);
}

/*
 * Wait for an interrupt, then take it; returns with interrupts enabled. Call with SIE clear:
 * wfi wakes on any interrupt pending and enabled in sie whatever SIE says, so one that
 * arrived after the caller last checked for work is not lost; SIE is set only after wfi,
 * and the pending interrupt is taken at once. Enabling first would let the interrupt be
 * handled before wfi, which would then sleep with nothing left to wake it.
 */
static inline void native_safe_halt(void)
{
	__asm__ __volatile__("wfi" : : : "memory");
	csr_set(sstatus, SR_SIE);
}

/* The arch.h hooks (their contract is there). */
static __always_inline void arch_local_irq_enable(void)
{
	native_irq_enable();
}

static __always_inline void arch_local_irq_disable(void)
{
	native_irq_disable();
}

static __always_inline unsigned long arch_local_irq_save(void)
{
	return native_irq_save();
}

static __always_inline void arch_local_irq_restore(unsigned long flags)
{
	native_irq_restore(flags);
}

static __always_inline bool arch_irqs_disabled(void)
{
	return native_irqs_disabled_flags(native_save_fl());
}
#endif /* __ASSEMBLY__ */

#endif /* ASM_IRQFLAGS_H */
