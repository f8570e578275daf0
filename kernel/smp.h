/* SPDX-License-Identifier: MIT */
/*
 * SMP: bringing the other CPUs up, and cross-CPU function calls (which CPU am I, and
 * NR_CPUS, are in the leaf header kernel/cpu.h).
 *
 *	smp_call_function_single(cpu, fn, info, wait)	run fn(info) on one CPU
 *	smp_call_function_many(mask, fn, info, wait)	on every online CPU of mask but this one
 *	on_each_cpu(fn, info, wait)			on every online CPU, this one included
 *	smp_call_function_single_async(cpu, csd)	caller-owned csd, never waits
 *
 * The callback runs on the target in interrupt context (smp_ipi_handler()), IRQs off; on the
 * calling CPU itself it runs directly, with IRQs off too, so a callback always sees the same
 * state. Rules for callers (checked, see kernel/smp.c):
 *  - wait == true needs interrupts on: two CPUs waiting for each other with interrupts off
 *    would deadlock. Breaking this rule WARNs (and the waiter drains its own queue while it
 *    waits, so the pair still makes progress).
 *  - wait == false is allowed from any context, interrupt handlers included.
 *  - A csd passed to smp_call_function_single_async() must not be reused until csd_busy()
 *    says it is free. The target releases it just before running the callback, so the
 *    callback must not read the csd (or memory reused with it): pass what it needs in info.
 *  - Callbacks must be short and must not wait for other CPUs.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "kernel/compiler.h"
#include "kernel/cpu.h"
#include "kernel/lib/llist.h"
#include "arch/arch.h"
#include "kernel/errno.h"

struct cpumask;

typedef void (*smp_call_func_t)(void *info);

#define CSD_FLAG_LOCK	0x1u	/* queued or running: the owner must not touch it (l) */
#define CSD_FLAG_SYNC	0x2u	/* a waiter spins on LOCK: release after the callback */

/* A cross-CPU call in flight: one node on the target's call queue. */
struct call_single_data {
	struct llist_node llist;	/* on the target's queue (l: llist rules) */
	smp_call_func_t func;		/* written by the owner while unlocked */
	void *info;
	u32 flags;			/* CSD_FLAG_*; LOCK cleared by the target (l: atomic) */
	u16 src;			/* CPU that queued it, for stuck-call reports */
	u16 dst;			/* CPU that runs it */
};

#define CSD_INIT(fn, arg)	{ .func = (fn), .info = (arg) }

static inline bool csd_busy(const struct call_single_data *csd)
{
	return __atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_FLAG_LOCK;
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait);
int smp_call_function_single_async(unsigned int cpu, struct call_single_data *csd);
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait);
void on_each_cpu(smp_call_func_t func, void *info, bool wait);

/* The hardware id (APIC id / hart id) of a logical CPU; ~0u if unknown. */
u32 cpu_hwid(unsigned int cpu);

/* Per-CPU cross-call counters (for tests, benchmarks and the shell). */
struct smp_call_stats {
	u64 ipi_sent;		/* IPIs this CPU sent (one per queue transition from empty) */
	u64 ipi_received;	/* smp_ipi_handler() runs on this CPU */
	u64 calls_run;		/* callbacks this CPU ran for others */
	u64 calls_queued;	/* calls this CPU queued for others */
};
void smp_call_stats(unsigned int cpu, struct smp_call_stats *out);

/* Run calls queued for this CPU now (long IRQs-off loops). Context: this CPU, IRQs off. */
void smp_process_pending_calls(void);

/*
 * How long a caller waits for a call before it reports the target as stuck (a warning naming
 * both CPUs and the callback), and when it gives up with a panic (the csd may live on the
 * caller's stack, so it cannot simply return). Milliseconds; `smp.call_timeout_ms=`.
 */
extern unsigned long smp_call_warn_ms;
extern unsigned long smp_call_timeout_ms;

/* ---- Bring-up (kernel/main.c calls these) ---- */

/*
 * Build cpu_possible/present from boot_info.cpus (honouring `maxcpus=N` and `nosmp`), record
 * each CPU's hardware id, register CPU 0. setup_per_cpu_areas() (mm/percpu.c) runs next.
 * Context: boot CPU, before SMP, after arch_platform_init() (the CPU list from ACPI on
 * x86_64).
 */
void smp_prepare_cpus(void);
/*
 * Start every present CPU but this one through arch_cpu_start() and wait (bounded) for each
 * to come online; print "smp: Brought up N CPUs" and each CPU's hardware id.
 * Context: boot CPU, IRQs on or off, after setup_per_cpu_areas().
 */
void smp_init(void);
/*
 * The generic half of a secondary CPU's start: set its per-CPU base, mark it online.
 * Context: the new CPU, IRQs off, on its own stack, from start_secondary().
 */
void smp_secondary_init(unsigned int cpu);
/* Start an offline CPU again (CPU hotplug); 0 or -errno. Context: hotplug controller. */
int smp_cpu_restart(unsigned int cpu);
/* Size of each secondary CPU's boot stack. */
#define SMP_STACK_SIZE	(16 * 1024)

#endif /* KERNEL_SMP_H */
