/* SPDX-License-Identifier: MIT */
/*
 * struct x86_cpu_local: what the x86_64 port keeps per CPU (its GDT, TSS, APIC id), and how
 * a CPU finds it.
 *
 * GS base (MSR_GS_BASE) points at the CPU's struct percpu_hdr (kernel/percpu.h) for the
 * CPU's whole life: `movl %gs:0, %eax` is smp_processor_id() in one instruction from any
 * context, and the header's `arch` field points at this struct.
 *
 * Locking: (c) set before the CPU runs C code that reads it; (i) this CPU only, IRQs off.
 */
#ifndef ARCH_X86_64_CPU_LOCAL_H
#define ARCH_X86_64_CPU_LOCAL_H

#include "kernel/compiler.h"
#include "kernel/percpu.h"
#include "arch/x86_64/segment.h"

struct x86_cpu_local {
	u32 apic_id;			/* local APIC id from CPUID (c) */
	u32 exception_depth;		/* fatal exception dumps in progress on this CPU (i) */
	u32 icr_high;			/* xAPIC ICR high word last written, ~0 if none (i) */
	u64 gdt[GDT_ENTRIES];		/* this CPU's GDT: flat code/data and its TSS (c) */
	struct x86_tss tss __aligned(16); /* IST stacks (c) */
};

/* The boot CPU's block, static because it is needed before any allocator exists. */
extern struct x86_cpu_local boot_cpu_local;

/*
 * Make `hdr` this CPU's per-CPU header with `cl` as its arch block, and point GS at it.
 * The CPU itself, IRQs off, first thing in C.
 */
void x86_cpu_local_init(struct percpu_hdr *hdr, struct x86_cpu_local *cl, u32 apic_id);

/* This CPU's block; NULL if GS does not point at a header with one yet. */
static inline struct x86_cpu_local *this_cpu_local(void)
{
	struct x86_cpu_local *cl;

	__asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(cl) : "i"(PERCPU_HDR_ARCH));
	return cl;
}

#endif /* ARCH_X86_64_CPU_LOCAL_H */
