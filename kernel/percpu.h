/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables.
 *
 *	static DEFINE_PER_CPU(struct llist_head, call_queue);
 *	struct llist_head *q = this_cpu_ptr(&call_queue);	this CPU's copy
 *	per_cpu(call_queue, 3)					CPU 3's copy
 *
 * DEFINE_PER_CPU places the variable in the `percpu` section. Its name is a C identifier, so
 * ld provides __start_percpu and __stop_percpu without a linker-script entry (ktest's
 * registry uses the same trick).
 *
 * Which copy is which:
 *  - CPU 0 (the boot CPU) uses the section itself: its offset is 0, so per-CPU variables work
 *    from the first instruction of C, before any allocator exists.
 *  - Every other possible CPU gets an area: a struct percpu_hdr followed by a copy of the
 *    section. The copy's distance from the section is that CPU's offset, __per_cpu_offset[cpu],
 *    added to a variable's address to find its copy. mm/percpu.c's setup_per_cpu_areas()
 *    allocates the areas from memblock and hands each to percpu_install(), which copies the
 *    section and fills the header; this file and percpu.c own the layout, mm/ only the memory.
 *    The section is copied as it is at that moment (its static initialisers plus whatever the
 *    boot CPU wrote until then), so setup_per_cpu_areas() runs early: right after
 *    smp_prepare_cpus() has made cpu_possible_mask final, before any other CPU starts.
 *
 * The per-CPU base register (GS base on x86_64, reached through tp on riscv64) holds the
 * address of the CPU's struct percpu_hdr: arch_percpu_base() returns it and this_cpu_ptr()
 * reads the offset from it. The header's first fields are for the arch (see below), so an
 * arch may point its base register straight at the header and read the CPU number with one
 * load (%gs:0 on x86_64).
 *
 * Locking: a CPU's copy is used by that CPU (i) unless a variable's comment says otherwise;
 * offsets and headers are written before the CPU starts (m) and constant afterwards (c).
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/compiler.h"
#include "kernel/smp.h"

/* Offsets of struct percpu_hdr fields, for assembly (checked by static asserts in percpu.c). */
#define PERCPU_HDR_CPU		0
#define PERCPU_HDR_HWID		4
#define PERCPU_HDR_ARCH		8
#define PERCPU_HDR_OFFSET	16
#define PERCPU_HDR_SELF		24
#define PERCPU_HDR_STACK_TOP	32
#define PERCPU_HDR_SIZE		64	/* one cache line: the copy after it starts aligned */

#ifndef __ASSEMBLY__

struct percpu_hdr {
	u32 cpu;		/* logical CPU number (c) */
	u32 hwid;		/* APIC id / hart id (c) */
	void *arch;		/* reserved for the arch: its own per-CPU struct, if any (c) */
	long offset;		/* add to a DEFINE_PER_CPU variable's address (c) */
	struct percpu_hdr *self; /* this header: %gs:PERCPU_HDR_SELF gives the base (c) */
	unsigned long stack_top; /* top of the CPU's boot stack, 0 for CPU 0 (c) */
	unsigned long pad[3];
};

/* CPU 0's header: the arch entry points CPU 0's base register at it before start_kernel. */
extern struct percpu_hdr percpu_boot_hdr;
/* Every possible CPU's offset (m, then c). Entries for CPUs without an area are 0. */
extern long __per_cpu_offset[NR_CPUS];
extern char __start_percpu[], __stop_percpu[];

#define DEFINE_PER_CPU(type, name)	__section("percpu") __typeof__(type) name
#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name

/* Offset of this CPU's copy. The base register never changes under a running CPU. */
static inline long __this_cpu_offset(void)
{
	return ((struct percpu_hdr *)arch_percpu_base())->offset;
}

#define __percpu_add(ptr, off)	((__typeof__(ptr))((char *)(ptr) + (off)))
/* ptr is the address of a DEFINE_PER_CPU variable: the same variable in another CPU's copy. */
#define per_cpu_ptr(ptr, cpu)	__percpu_add((ptr), __per_cpu_offset[(cpu)])
#define per_cpu(name, cpu)	(*per_cpu_ptr(&(name), (cpu)))
/* This CPU's copy. Only meaningful while the caller cannot move CPUs (always, here). */
#define this_cpu_ptr(ptr)	__percpu_add((ptr), __this_cpu_offset())
#define this_cpu_read(name)	READ_ONCE(*this_cpu_ptr(&(name)))
#define this_cpu_write(name, v)	WRITE_ONCE(*this_cpu_ptr(&(name)), (v))

/* One CPU's area is PERCPU_HDR_SIZE + the section rounded up to this, and aligned to it. */
#define PERCPU_AREA_ALIGN	64	/* the copy keeps every variable's alignment up to a line */
/* Bytes of one CPU's area: the header, then the section's copy. */
size_t percpu_area_size(void);
/*
 * Make @area (percpu_area_size() bytes, PERCPU_AREA_ALIGN-aligned) @cpu's per-CPU area: copy
 * the section into it, fill the header (cpu, hwid, offset, self), record the offset. Panics
 * for CPU 0, a CPU that has an area already, or a misaligned area.
 * Context: boot CPU, before SMP, after smp_prepare_cpus() (cpu_hwid() is known).
 */
void percpu_install(unsigned int cpu, void *area);
/*
 * Record the top of @cpu's boot stack in its header (arch_cpu_start() runs the CPU on it).
 * Context: boot CPU, before SMP, after percpu_install(@cpu).
 */
void percpu_set_stack_top(unsigned int cpu, unsigned long top);
/* The header of `cpu` (CPU 0: &percpu_boot_hdr); NULL if it has no area. Any context. */
struct percpu_hdr *percpu_hdr_of(unsigned int cpu);
/* Bytes of per-CPU data per CPU (the section's size). */
size_t percpu_section_size(void);

#endif /* __ASSEMBLY__ */
#endif /* KERNEL_PERCPU_H */
