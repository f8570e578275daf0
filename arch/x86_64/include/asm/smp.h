/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the calling CPU's number, inline (arch/arch.h's arch_smp_processor_id()). GS points
 * at the CPU's struct percpu_hdr (kernel/percpu.h), whose first field is the CPU number
 * (asserted in arch/x86_64/cpu_local.c).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include "kernel/compiler.h"

static __always_inline unsigned int arch_smp_processor_id(void)
{
	unsigned int cpu;

	/*
	 * One load relative to GS: correct in any context, and a CPU never changes under
	 * itself (no preemption). Volatile: not merged across the GS switch at bring-up.
	 */
	__asm__ __volatile__("movl %%gs:0, %0" : "=r"(cpu));
	return cpu;
}

#endif /* ASM_SMP_H */
