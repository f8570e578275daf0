// SPDX-License-Identifier: MIT
/*
 * The idle loop: what a CPU does when it has nothing to do. It waits for an interrupt with
 * interrupts enabled; an IPI wakes it and runs its queued cross-CPU calls.
 *
 * Before sleeping it tells the page allocator (pcp_idle_enter): while a CPU is idle, the CPU
 * that pushes the first remote-freed page onto its list sends it an IPI so the pages are
 * absorbed at once instead of waiting for its next allocation (mm/pcp.c, "Idle owners").
 */
#include "kernel/smp.h"
#include "mm/pcp.h"
#include "arch/arch.h"

void cpu_idle_loop(void)
{
	for (;;) {
		arch_local_irq_disable();
		/* Calls that arrived while we were busy with interrupts off run now. */
		smp_process_pending_calls();
		pcp_idle_enter();	/* remote frees to an idle owner now send an IPI */
		arch_idle();		/* enables interrupts and waits, atomically */
		pcp_idle_exit();
	}
}
