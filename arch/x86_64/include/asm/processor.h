/* SPDX-License-Identifier: MIT */
/*
 * x86_64 CPU primitives: spin-loop hint, time stamp counter, model-specific registers, control
 * registers, CPUID and TLB flushes. Leaf header: no dependencies beyond kernel/compiler.h.
 * The register numbers and bits are usable from assembly (head.S) as well.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

/* The port's name, for the boot banner and benchmark headers. */
#define ARCH_NAME	"x86_64"

/* Model-specific registers used by Tessera (Intel SDM vol. 4, AMD APM vol. 2). */
#define MSR_EFER		0xc0000080	/* extended features: long mode, NX */
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101	/* %gs base: this CPU's struct x86_cpu_local */
#define MSR_KERNEL_GS_BASE	0xc0000102	/* swapped in by swapgs (unused: no user mode) */

/* Bits as plain hex so that head.S can use them too (the assembler knows no U/UL). */
#define EFER_LME		0x00000100	/* bit 8: long mode enable */
#define EFER_NXE		0x00000800	/* bit 11: no-execute bit in page tables */

#define X86_CR0_PE		0x00000001	/* bit 0: protected mode */
#define X86_CR0_WP		0x00010000	/* bit 16: ring 0 honours read-only pages */
#define X86_CR0_PG		0x80000000	/* bit 31: paging */
#define X86_CR4_PAE		0x00000020	/* bit 5: 64-bit page table entries (long mode) */
#define X86_CR4_PGE		0x00000080	/* bit 7: global pages */

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

/* Spin-wait hint: lets the sibling hyperthread run and avoids a memory-order flush on exit. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/*
 * The time stamp counter. rdtsc is not ordered with earlier loads; callers that time a
 * short stretch of code put a barrier (rdtsc_ordered) in front.
 */
static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* lfence waits for earlier instructions to complete, so the TSC is read after them. */
static inline u64 rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" : : : "memory");
	return rdtsc();
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			     : "memory");
}

static inline void cpuid_count(u32 leaf, u32 subleaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(subleaf));
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

/* Control registers. The "memory" clobber on writes: they change how memory is accessed. */
static inline unsigned long read_cr0(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

/* CR2 holds the linear address of the last page fault. */
static inline unsigned long read_cr2(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_cr3(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v) : : "memory");
	return v;
}

/* Loading CR3 also flushes every non-global TLB entry. */
static inline void write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline unsigned long read_cr4(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* Drop the TLB entry of one page on this CPU. */
static inline void invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* Wait for an interrupt (with interrupts off: forever, barring NMI/SMI). */
static inline void halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

#endif /* !__ASSEMBLY__ */

#endif /* ASM_PROCESSOR_H */
