// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas: CPU 0 uses the `percpu` section itself, every other possible CPU a copy of
 * it allocated from memblock (see kernel/percpu.h for the layout and the rules).
 *
 * Locking: boot CPU only, before SMP (m); read-only afterwards (c).
 */
#include "kernel/percpu.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/bug.h"
#include "kernel/lib/string.h"
#include "mm/memblock.h"

_Static_assert(offsetof(struct percpu_hdr, cpu) == PERCPU_HDR_CPU, "percpu_hdr.cpu");
_Static_assert(offsetof(struct percpu_hdr, hwid) == PERCPU_HDR_HWID, "percpu_hdr.hwid");
_Static_assert(offsetof(struct percpu_hdr, arch) == PERCPU_HDR_ARCH, "percpu_hdr.arch");
_Static_assert(offsetof(struct percpu_hdr, offset) == PERCPU_HDR_OFFSET, "percpu_hdr.offset");
_Static_assert(offsetof(struct percpu_hdr, self) == PERCPU_HDR_SELF, "percpu_hdr.self");
_Static_assert(offsetof(struct percpu_hdr, stack_top) == PERCPU_HDR_STACK_TOP,
	       "percpu_hdr.stack_top");
_Static_assert(sizeof(struct percpu_hdr) == PERCPU_HDR_SIZE, "percpu_hdr size");

/*
 * The section must exist even in a kernel with no per-CPU variable, or __start_percpu would
 * be undefined; this marker is also the first thing a debugger sees in every copy.
 */
static DEFINE_PER_CPU(u64, percpu_magic) __used = 0x7065726370750a00ULL;

struct percpu_hdr percpu_boot_hdr __aligned(64) = {
	.cpu = 0,
	.offset = 0,			/* CPU 0 uses the section itself */
	.self = &percpu_boot_hdr,
};

long __per_cpu_offset[NR_CPUS];				/* (m), then (c) */
static struct percpu_hdr *percpu_hdrs[NR_CPUS] = { &percpu_boot_hdr }; /* (m), then (c) */

size_t percpu_section_size(void)
{
	return (size_t)(__stop_percpu - __start_percpu);
}

struct percpu_hdr *percpu_hdr_of(unsigned int cpu)
{
	return cpu < NR_CPUS ? READ_ONCE(percpu_hdrs[cpu]) : NULL;
}

void setup_per_cpu_areas(void)
{
	size_t size = percpu_section_size();
	size_t area = PERCPU_HDR_SIZE + ALIGN_UP(size, 64);
	unsigned int cpu, n = 0;

	for_each_possible_cpu(cpu) {
		if (cpu == 0 || percpu_hdrs[cpu])
			continue;
		/* 64-byte aligned: the copy keeps the alignment of every variable up to a line. */
		char *base = memblock_alloc_or_panic(area, 64);
		struct percpu_hdr *hdr = (struct percpu_hdr *)base;
		char *copy = base + PERCPU_HDR_SIZE;

		memcpy(copy, __start_percpu, size);
		memset(hdr, 0, sizeof(*hdr));
		hdr->cpu = cpu;
		hdr->offset = copy - __start_percpu;
		hdr->self = hdr;
		__per_cpu_offset[cpu] = hdr->offset;
		percpu_hdrs[cpu] = hdr;
		n++;
	}
	pr_info("percpu: %zu bytes per CPU, %u copies besides CPU 0's section\n", size, n);
}
