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
 * fields are written by the starting CPU before the hart runs (m) and constant afterwards (c).
 */
#ifndef ARCH_RISCV64_CPU_LOCAL_H
#define ARCH_RISCV64_CPU_LOCAL_H

/* Offsets head.S reads in the secondary entry (checked by static asserts in smp.c). */
#define RISCV_CPU_LOCAL_BOOT_SP		8
#define RISCV_CPU_LOCAL_BOOT_HDR	16

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"
#include "kernel/percpu.h"

struct riscv_cpu_local {
	u32 hartid;			/* the hart's hardware id, what SBI calls take (c) */
	u32 oops_depth;			/* fatal traps being dumped: stops recursion (i) */
	unsigned long boot_sp;		/* secondary entry: its stack top (c) */
	struct percpu_hdr *boot_hdr;	/* secondary entry: tp, its per-CPU header (c) */
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
