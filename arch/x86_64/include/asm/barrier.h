/* SPDX-License-Identifier: MIT */
/*
 * x86_64 memory barriers.
 *
 * x86 is "total store order": a CPU's loads are not reordered with its other loads, its stores
 * are not reordered with its other stores, and a load is not moved above an earlier store to
 * the same address. The one reordering other CPUs can see is a store followed by a load of a
 * different address: the load may complete while the store still sits in the store buffer.
 * Only smp_mb() has to stop that; the other SMP barriers need only stop the compiler.
 *
 * The mandatory barriers also order non-temporal stores, write-combining memory and device
 * access, where x86 is weaker, so they are real fence instructions. All of them clobber
 * "memory" so the compiler does not move accesses across them either.
 */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

/* Full barrier: no load or store, to RAM or a device, moves across it in either direction. */
#define mb()		__asm__ __volatile__("mfence" : : : "memory")
/* Loads before it complete before loads after it (also for weakly ordered memory types). */
#define rmb()		__asm__ __volatile__("lfence" : : : "memory")
/* Stores before it are visible before stores after it (also non-temporal/WC stores). */
#define wmb()		__asm__ __volatile__("sfence" : : : "memory")

/*
 * A locked read-modify-write of the stack top is a full barrier for normal memory and is
 * cheaper than mfence on most CPUs. It drains the store buffer before later loads, which is
 * exactly the store->load ordering TSO lacks.
 */
#define smp_mb()	__asm__ __volatile__("lock; addl $0, -4(%%rsp)" : : : "memory", "cc")
/* TSO already keeps loads in order and stores in order: only the compiler must be stopped. */
#define smp_rmb()	__asm__ __volatile__("" : : : "memory")
#define smp_wmb()	__asm__ __volatile__("" : : : "memory")

#endif /* ASM_BARRIER_H */
