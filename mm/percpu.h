/* SPDX-License-Identifier: MIT */
/* The memory behind per-CPU areas and secondary CPUs' boot stacks (mm/percpu.c). */
#ifndef MM_PERCPU_H
#define MM_PERCPU_H

/*
 * Give every possible CPU but 0 its per-CPU area and every present CPU but 0 its boot stack,
 * from memblock; kernel/percpu.c fills the areas (percpu_install()) and records the stacks.
 * Context: boot CPU, before SMP: after smp_prepare_cpus() (cpu_possible_mask and the hardware
 * ids are final), before smp_init() starts any CPU and before mm_core_init() ends memblock.
 */
void setup_per_cpu_areas(void);

#endif /* MM_PERCPU_H */
