// SPDX-License-Identifier: MIT
/*
 * The riscv64 tick: a periodic supervisor timer interrupt on every hart, through SBI TIME.
 *
 * RISC-V has no periodic timer, only a comparator per hart: the supervisor timer interrupt
 * is pending while time >= the deadline that sbi_set_timer() last set. So each tick sets the
 * next deadline (which also clears the pending interrupt) and then calls the generic
 * timer_interrupt(). The next deadline counts from now, not from the previous deadline: a hart
 * that had interrupts off for a long time takes one late tick, not a burst of catch-up ones.
 *
 * Locking: each hart arms only its own comparator, with IRQs off (i); the period derives from
 * riscv_timebase_hz, constant after boot (c).
 */
#include <asm/processor.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "arch/riscv64/riscv.h"

/* Ticks per second: often enough to see activity in `cpus`, rare enough to cost nothing. */
#define RISCV_TIMER_HZ	100

static u64 riscv_timer_period(void)
{
	u64 period = riscv_timebase_hz / RISCV_TIMER_HZ;

	return period ? period : 1;
}

/**
 * riscv_timer_start() - Arm this hart's first tick.
 *
 * Context: the hart itself, IRQs off, after riscv_irq_init() (which unmasks STIE) and once
 * riscv_timebase_hz is known; the tick arrives when the hart enables interrupts.
 */
void riscv_timer_start(void)
{
	sbi_set_timer(rdtime() + riscv_timer_period());
}

/**
 * riscv_timer_interrupt() - The supervisor timer interrupt: re-arm, then the generic tick.
 *
 * Context: the hart that took the interrupt, IRQs off, interrupt context.
 */
void riscv_timer_interrupt(void)
{
	/* Moving the deadline past now is what clears sip.STIP: re-arm first, then count. */
	sbi_set_timer(rdtime() + riscv_timer_period());
	timer_interrupt();
}
