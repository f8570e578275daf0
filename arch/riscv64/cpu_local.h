/* SPDX-License-Identifier: MIT */
/*
 * riscv64 per-CPU anchors: tp points at this CPU's struct percpu_hdr (kernel/percpu.h), and
 * riscv_cpu_local[] holds what only the arch keeps per CPU.
 *
 * tp is set once per CPU (head.S for the boot CPU, to &percpu_boot_hdr; the secondary entry
 * for the others, through arch_set_percpu_base()) and never changes afterwards: with no user
 * mode there is nobody to hand tp to. The header starts with the logical CPU number and the
 * hart id, so arch_smp_processor_id() is one load from tp, and this_cpu_ptr() finds the
 * per-CPU offset through it.
 *
 * A secondary hart is started with a1 = its riscv_cpu_local entry (arch/riscv64/smp.c), so
 * the entry also carries what the hart's first instructions need: its stack and its header.
 *
 * Locking: each entry belongs to its CPU and is touched only by it (i); hartid and the boot
 * fields are written by the starting CPU before the hart runs (m) and constant afterwards (c);
 * stack_guard and overflow_sp likewise, by arch/riscv64/mm.c before the hart first starts.
 */
#ifndef ARCH_RISCV64_CPU_LOCAL_H
#define ARCH_RISCV64_CPU_LOCAL_H

/* Offsets head.S and trap.S use (checked by static asserts in smp.c). */
#define RISCV_CPU_LOCAL_BOOT_SP		8
#define RISCV_CPU_LOCAL_BOOT_HDR	16
#define RISCV_CPU_LOCAL_TRAP_T0		24
#define RISCV_CPU_LOCAL_TRAP_T1		32
#define RISCV_CPU_LOCAL_TRAP_SP		40
#define RISCV_CPU_LOCAL_STACK_GUARD	48
#define RISCV_CPU_LOCAL_OVERFLOW_SP	56
/* Each CPU's overflow stack (head.S for CPU 0, arch/riscv64/mm.c for the others). */
#define RISCV_OVERFLOW_STACK_SIZE	0x2000	/* 8 KiB: the fault report and nothing else */

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"
#include "kernel/percpu.h"

struct riscv_cpu_local {
	u32 hartid;			/* the hart's hardware id, what SBI calls take (c) */
	u32 oops_depth;			/* fatal traps being dumped: stops recursion (i) */
	unsigned long boot_sp;		/* secondary entry: its stack top (c) */
	struct percpu_hdr *boot_hdr;	/* secondary entry: tp, its per-CPU header (c) */
	/*
	 * The trap entry (trap.S) finds this struct through sscratch and parks t0, t1 and the
	 * interrupted sp here while it decides which stack the frame goes on (i).
	 */
	unsigned long trap_t0;
	unsigned long trap_t1;
	unsigned long trap_sp;
	unsigned long stack_guard;	/* the unmapped page under its stack, 0 if none (c) */
	unsigned long overflow_sp;	/* top of the stack traps use near the guard (c) */
	unsigned long stale_sepc;	/* last page fault retried as a stale TLB entry ... (i) */
	unsigned long stale_addr;	/* ... and its address: a repeat is a real fault (i) */
	bool csr_probing;		/* riscv_csr_probe() runs: an illegal csrr is skipped (i) */
	bool csr_probe_failed;		/* ... and one was (i) */
};

extern struct riscv_cpu_local riscv_cpu_local[NR_CPUS];

/* This CPU's percpu header. tp never changes under a running CPU, so the read may be cached. */
static inline struct percpu_hdr *riscv_percpu_hdr(void)
{
	struct percpu_hdr *p;

	__asm__("mv %0, tp" : "=r"(p));
	return p;
}

static inline struct riscv_cpu_local *this_cpu_local(void)
{
	return &riscv_cpu_local[riscv_percpu_hdr()->cpu];
}

#endif /* __ASSEMBLY__ */
#endif /* ARCH_RISCV64_CPU_LOCAL_H */
