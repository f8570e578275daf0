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
 * Locking: each entry belongs to its CPU and is touched only by it (i); hartid is set
 * before the CPU runs C code and constant afterwards (c).
 */
#ifndef ARCH_RISCV64_CPU_LOCAL_H
#define ARCH_RISCV64_CPU_LOCAL_H

#include "kernel/compiler.h"
#include "kernel/percpu.h"

struct riscv_cpu_local {
	u32 hartid;			/* the hart's hardware id, what SBI calls take (c) */
	u32 oops_depth;			/* fatal traps being dumped: stops recursion (i) */
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

#endif /* ARCH_RISCV64_CPU_LOCAL_H */
