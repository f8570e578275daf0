// SPDX-License-Identifier: MIT
/*
 * The riscv64 half of CPU hotplug (kernel/cpuhp.c): a hart goes offline through SBI HSM
 * hart_stop and comes back through hart_start (arch_cpu_start()), the same path OpenSBI
 * offers real boards; hart_get_status confirms each transition.
 *
 * Going down, the hart pushes its timer to "never", masks every supervisor interrupt source
 * in sie (so a pending IPI cannot wake anything) and asks the firmware to stop it. HSM moves
 * it STARTED -> STOP_PENDING -> STOPPED; the controller polls hart_get_status until STOPPED,
 * which is also the state arch_cpu_start() requires before it starts the hart again.
 *
 * Any hart may go offline (there is no boot-processor role after boot); the generic code
 * keeps the last online CPU, and the CPU running the operation, from going.
 *
 * Locking: none; each call acts on the calling hart or asks the firmware about another.
 */
#define pr_fmt(fmt) "hotplug: " fmt

#include <asm/csr.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/errno.h"

/* HSM stops a hart in microseconds; TCG with busy host threads can take far longer. */
#define WAIT_DEAD_MS		2000

/**
 * arch_cpu_can_offline() - any hart (see arch/arch.h; the generic code keeps the last).
 * Context: any CPU.
 */
bool arch_cpu_can_offline(unsigned int cpu)
{
	(void)cpu;
	return true;
}

/**
 * arch_cpu_die() - disarm the timer, mask interrupts, SBI HSM hart_stop.
 *
 * Context: the CPU going offline, IRQs off, after the generic teardown. Never returns:
 * hart_stop does not return on success, and on failure we halt with everything masked.
 */
void arch_cpu_die(void)
{
	long err;

	csr_clear(sstatus, SR_SIE);
	sbi_set_timer(~0ULL);		/* no deadline: STIP stays clear */
	csr_write(sie, 0);		/* no source can become pending-and-enabled */
	csr_write(sip, 0);		/* drop a software interrupt already raised (SSIP) */
	err = sbi_hart_stop();
	pr_emerg("CPU%u: SBI HSM hart_stop failed: %ld (%s); halting\n", arch_smp_processor_id(),
		 err, sbi_err_name(err));
	arch_halt();
}

/**
 * arch_cpu_wait_dead() - poll HSM until @cpu's hart is STOPPED (bounded).
 * Return: 0; -ETIMEDOUT if it is still not stopped; -EIO if the firmware cannot say.
 * Context: the CPU driving the hotplug.
 */
int arch_cpu_wait_dead(unsigned int cpu)
{
	u32 hartid = cpu_hwid(cpu);
	u64 start = arch_clock_ns();
	long state;

	for (;;) {
		state = sbi_hart_get_status(hartid);
		if (state == SBI_HSM_STOPPED)
			return 0;
		if (state < 0) {
			pr_err("CPU%u: hart %u: hart_get_status failed: %ld (%s)\n", cpu, hartid,
			       state, sbi_err_name(state));
			return -EIO;
		}
		if (arch_clock_ns() - start > WAIT_DEAD_MS * 1000000ULL) {
			pr_err("CPU%u: hart %u still in HSM state %ld after %u ms\n", cpu, hartid,
			       state, WAIT_DEAD_MS);
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
}
