// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas: CPU 0 uses the `percpu` section itself, every other possible CPU a copy of
 * it in an area that mm/percpu.c allocates and hands to percpu_install() (see kernel/percpu.h
 * for the layout and the rules).
 *
 * Locking: boot CPU only, before SMP (m); read-only afterwards (c).
 */
#include "kernel/percpu.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/bug.h"
#include "kernel/lib/string.h"

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

size_t percpu_area_size(void)
{
	return PERCPU_HDR_SIZE + ALIGN_UP(percpu_section_size(), PERCPU_AREA_ALIGN);
}

void percpu_install(unsigned int cpu, void *area)
{
	struct percpu_hdr *hdr = area;
	char *copy = (char *)area + PERCPU_HDR_SIZE;

	if (cpu == 0 || cpu >= NR_CPUS || percpu_hdrs[cpu] ||
	    ((unsigned long)area & (PERCPU_AREA_ALIGN - 1)))
		panic("percpu_install: CPU %u, area %p: CPU 0, out of range, installed already "
		      "or misaligned", cpu, area);
	memcpy(copy, __start_percpu, percpu_section_size());
	memset(hdr, 0, sizeof(*hdr));
	hdr->cpu = cpu;
	hdr->hwid = cpu_hwid(cpu);
	hdr->offset = copy - __start_percpu;
	hdr->self = hdr;
	__per_cpu_offset[cpu] = hdr->offset;
	percpu_hdrs[cpu] = hdr;
}

void percpu_set_stack_top(unsigned int cpu, unsigned long top)
{
	struct percpu_hdr *hdr = percpu_hdr_of(cpu);

	if (cpu == 0 || !hdr)
		panic("percpu_set_stack_top: CPU %u has no area of its own", cpu);
	hdr->stack_top = top;
}
