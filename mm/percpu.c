// SPDX-License-Identifier: MIT
/*
 * The memory behind per-CPU areas and secondary CPUs' boot stacks, taken from memblock before
 * the buddy allocator exists. What an area holds and how a CPU finds its copy is
 * kernel/percpu.h's business: this file only allocates and hands each area to
 * percpu_install(), each stack to percpu_set_stack_top().
 *
 * The areas come first, in CPU order, then the stacks: memblock allocates top-down, and a
 * stack is aligned to its own size, so interleaving the two would leave a gap below each stack.
 *
 * Locking: boot CPU only, before SMP (m).
 * Linux: mm/percpu.c setup_per_cpu_areas() (much simpler here: one copy per CPU, no chunks).
 */
#include "mm/percpu.h"
#include "mm/memblock.h"
#include "kernel/percpu.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/printk.h"

void setup_per_cpu_areas(void)
{
	size_t area = percpu_area_size();
	unsigned int cpu, n = 0;

	for_each_possible_cpu(cpu) {
		if (cpu == 0 || percpu_hdr_of(cpu))
			continue;
		percpu_install(cpu, memblock_alloc_or_panic(area, PERCPU_AREA_ALIGN));
		n++;
	}
	pr_info("percpu: %zu bytes per CPU, %u copies besides CPU 0's section\n",
		percpu_section_size(), n);
	for_each_present_cpu(cpu) {
		if (cpu == 0)
			continue;
		char *stack = memblock_alloc_or_panic(SMP_STACK_SIZE, SMP_STACK_SIZE);

		percpu_set_stack_top(cpu, (unsigned long)(stack + SMP_STACK_SIZE));
	}
}
