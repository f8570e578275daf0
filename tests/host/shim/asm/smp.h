/* SPDX-License-Identifier: MIT */
/* Host shim for <asm/smp.h>: the CPU this thread pretends to be (host_cpu_attach()). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

extern __thread unsigned int host_this_cpu;

static inline unsigned int arch_smp_processor_id(void)
{
	return host_this_cpu;
}

#endif /* ASM_SMP_H */
