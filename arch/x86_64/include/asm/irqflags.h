/* SPDX-License-Identifier: MIT */
/*
 * x86_64 interrupt flag (RFLAGS.IF) primitives, inline, and the arch_local_irq_*() hooks of
 * arch/arch.h built on them (at the end), inline too: they are on every allocator path.
 * arch_local_save_flags() and arch_irqs_disabled_flags() exist on both ports (Linux's
 * names); the native_*() ones are x86's.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include "kernel/compiler.h"

#define X86_EFLAGS_IF	(1UL << 9)	/* maskable interrupts enabled */

/* The whole RFLAGS register; only IF matters to the callers here. */
static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	/* pushf/pop: RFLAGS cannot be read any other way. "memory" keeps it in program order. */
	__asm__ __volatile__("pushfq; popq %0" : "=rm"(flags) : : "memory");
	return flags;
}

static inline void native_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static inline void native_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

/* Disable and return the previous flags: the "save" half of save/restore. */
static inline unsigned long native_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	native_irq_disable();
	return flags;
}

/* Re-enable only if they were enabled at the matching save, so nested sections compose. */
static inline void native_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		native_irq_enable();
}

static inline bool arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

/*
 * sti;hlt: sti takes effect only after the next instruction, so an interrupt that is already
 * pending is taken after hlt starts and wakes it. Enabling and halting as two separate steps
 * could lose that wakeup.
 */
static inline void native_safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" : : : "memory");
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
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

#endif /* ASM_IRQFLAGS_H */
