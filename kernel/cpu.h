/* SPDX-License-Identifier: MIT */
/*
 * Which CPU am I, and how many can there be: the leaf header every per-CPU array needs.
 * It includes nothing but the compiler and the arch's <asm/smp.h>, so that low-level headers
 * (cpumask, vmstat, the pcp lock) can use it without pulling in the cross-CPU call API
 * (kernel/smp.h) and everything that API needs.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include "kernel/compiler.h"
#include <asm/smp.h>

#define NR_CPUS 64	/* the most CPUs Tessera handles; boot_info lists at most this many */

/* The calling CPU's logical number. Context: any; stable (no preemption, no migration). */
static __always_inline unsigned int smp_processor_id(void)
{
	return arch_smp_processor_id();
}

#endif /* KERNEL_CPU_H */
