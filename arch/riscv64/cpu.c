// SPDX-License-Identifier: MIT
/*
 * riscv64 CPU hooks: idle, spin hint and the clock (the time CSR); the interrupt-flag hooks
 * are inline in <asm/irqflags.h>.
 *
 * Locking: each hook acts on the calling hart only; the clock's boot stamp and frequency are
 * set by the boot CPU before SMP (m) and constant afterwards (c).
 */
#include <asm/csr.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include "arch/arch.h"
#include "arch/riscv64/riscv.h"

#define NSEC_PER_SEC	1000000000ULL

static u64 boot_time;	/* the time CSR when the kernel started (c) */

/*
 * Sleep until an interrupt, then take it; returns with interrupts enabled. The caller checks
 * for work with interrupts off and calls this if there is none; native_safe_halt() (asm/
 * irqflags.h) explains why wfi runs with SIE still clear and SIE is set only afterwards.
 * Context: any CPU, IRQs off (as x86's sti;hlt expects).
 */
void arch_idle(void)
{
	native_safe_halt();
}

void arch_cpu_relax(void)
{
	cpu_relax();
}

void riscv_clock_init(void)
{
	boot_time = rdtime();
}

u64 arch_cycles(void)
{
	return rdtime();
}

/*
 * ticks * 10^9 / hz, split so that nothing overflows: whole seconds times 10^9, plus the
 * remainder (< hz) times 10^9 / hz, which fits 64 bits for any hz below 18 GHz.
 */
u64 arch_clock_ns(void)
{
	u64 t = rdtime() - boot_time;
	u64 hz = riscv_timebase_hz;

	return (t / hz) * NSEC_PER_SEC + (t % hz) * NSEC_PER_SEC / hz;
}
