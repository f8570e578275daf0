/* SPDX-License-Identifier: MIT */
/*
 * Host shim for <asm/barrier.h>: the kernel's barrier names as C11 fences, which the
 * compiler, the host CPU and the sanitizers all understand. Full barriers are sequentially
 * consistent fences; the read and write barriers are acquire and release fences, at least
 * as strong as a port's smp_rmb()/smp_wmb() for the load-load and store-store orders they
 * promise. The mandatory (device) barriers are the same here: there are no devices.
 */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)

#endif /* ASM_BARRIER_H */
