// SPDX-License-Identifier: MIT
/*
 * The arch.h hooks for idling and spin-waiting, as out-of-line wrappers around
 * <asm/irqflags.h> and <asm/processor.h> (the interrupt-flag hooks are inline there).
 *
 * Locking: none; each acts on the calling CPU only.
 */
#include "arch/arch.h"
#include <asm/irqflags.h>
#include <asm/processor.h>

void arch_idle(void)
{
	native_safe_halt();
}

void arch_cpu_relax(void)
{
	cpu_relax();
}
