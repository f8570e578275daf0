/* SPDX-License-Identifier: MIT */
/* Which CPU am I, and how many are there. The SMP issue fills in masks and cross-CPU calls. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "kernel/compiler.h"
#include "arch/arch.h"

#define NR_CPUS 64	/* the most CPUs Tessera handles; boot_info lists at most this many */

static inline unsigned int smp_processor_id(void)
{
	return arch_smp_processor_id();
}

#endif /* KERNEL_SMP_H */
