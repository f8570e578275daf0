// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: boot/fdt_boot.c fdt_parse_buf() on arbitrary bytes, then memblock and
 * the NUMA sanitiser (kernel/numa.c) on whatever it collected.
 */
#include <string.h>

#include "tests/host/mm_helpers.h"
#include "boot/fdt_boot.h"
#include "kernel/numa.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct boot_info bi;
static struct numa_info ni;
static u32 hwid[NR_CPUS];

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	bi_reset(&bi);
	host_log_clear();
	fdt_parse_buf(&bi, data, size, 0x82200000, 0);
	/* More reservations than boot_info holds stop the boot by design (memblock_init). */
	if (!bi.nr_reserved_dropped)
		memblock_init(&bi);
	/* The tree's harts in order as logical CPUs, its memory as RAM, unsanitised. */
	for (unsigned int i = 0; i < NR_CPUS; i++)
		hwid[i] = i < bi.nr_cpus ? bi.cpus[i].hwid : ~0u;
	struct numa_input in = {
		.fw = &bi.numa, .ram = bi.memory, .nr_ram = bi.nr_memory,
		.known = bi.memory, .nr_known = bi.nr_memory,
		.cpu_hwid = hwid, .nr_cpu_ids = NR_CPUS,
	};

	numa_build(&in, &ni);
	numa_print(&ni);
	return 0;
}
