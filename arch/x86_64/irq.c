// SPDX-License-Identifier: MIT
/*
 * The arch.h hooks for the interrupt flag, idling and spin-waiting, as out-of-line wrappers
 * around <asm/irqflags.h> and <asm/processor.h>.
 *
 * Locking: none; each acts on the calling CPU only.
 */
#include "arch/arch.h"
#include <asm/irqflags.h>
#include <asm/processor.h>

void arch_local_irq_enable(void)
{
	native_irq_enable();
}

void arch_local_irq_disable(void)
{
	native_irq_disable();
}

unsigned long arch_local_irq_save(void)
{
	return native_irq_save();
}

void arch_local_irq_restore(unsigned long flags)
{
	native_irq_restore(flags);
}

bool arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

void arch_idle(void)
{
	native_safe_halt();
}

void arch_cpu_relax(void)
{
	cpu_relax();
}
