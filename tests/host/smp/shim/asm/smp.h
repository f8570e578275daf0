/* SPDX-License-Identifier: MIT */
/* SMP host-test shim for <asm/smp.h>: the CPU this thread runs as (tests/host/smp/shim.c). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

extern __thread unsigned int tls_cpu;

static inline unsigned int arch_smp_processor_id(void)
{
	return tls_cpu;
}

#endif /* ASM_SMP_H */
