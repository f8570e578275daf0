/* SPDX-License-Identifier: MIT */
/*
 * riscv64: the calling CPU's number, inline (arch/arch.h's arch_smp_processor_id()). tp
 * points at the CPU's struct percpu_hdr (kernel/percpu.h), whose first field is the CPU
 * number (asserted in arch/riscv64/setup.c).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

static __always_inline unsigned int arch_smp_processor_id(void)
{
	unsigned int cpu;

	/* One load relative to tp: any context, and a CPU never changes under itself. */
	__asm__ __volatile__("lw %0, 0(tp)" : "=r"(cpu));
	return cpu;
}
#endif /* __ASSEMBLY__ */

#endif /* ASM_SMP_H */
