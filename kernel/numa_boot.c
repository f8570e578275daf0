// SPDX-License-Identifier: MIT
/*
 * numa_init(): the kernel's NUMA description, built at boot from boot_info.numa (what the
 * SRAT/SLIT or the device tree said), memblock's RAM and the logical CPU numbers, by
 * numa_build() (kernel/numa.c), and printed.
 *
 * Locking: boot CPU, before SMP (m); numa_info is constant afterwards (c).
 */
#include "kernel/numa.h"
#include "kernel/boot_info.h"
#include "kernel/smp.h"
#include "kernel/printk.h"
#include "mm/memblock.h"

struct numa_info numa_info;

static struct boot_range numa_ram[BOOT_MAX_RANGES];	/* memblock's RAM, for numa_build() */
static u32 numa_cpu_hwid[NR_CPUS];

void numa_init(void)
{
	struct memblock_region r;
	unsigned int nr_ram = 0, cpu;

	for (unsigned int i = 0; memblock_memory_region(i, &r); i++) {
		if (nr_ram == ARRAY_SIZE(numa_ram)) {
			pr_warn("numa: more than %u RAM regions: the rest are in no node\n",
				(unsigned int)ARRAY_SIZE(numa_ram));
			break;
		}
		numa_ram[nr_ram++] = (struct boot_range){ r.base, r.size, BOOT_MEM_RAM };
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		numa_cpu_hwid[cpu] = cpu_possible(cpu) ? cpu_hwid(cpu) : ~0u;

	struct numa_input in = {
		.fw = &boot_info.numa,
		.ram = numa_ram, .nr_ram = nr_ram,
		.known = boot_info.memory, .nr_known = min_t(unsigned int, boot_info.nr_memory,
							     BOOT_MAX_RANGES),
		.cpu_hwid = numa_cpu_hwid, .nr_cpu_ids = NR_CPUS,
	};

	numa_build(&in, &numa_info);
	numa_print(&numa_info);
}
