/* SPDX-License-Identifier: MIT */
/*
 * pcp->lock: a CPU-local lock for the per-CPU page lists, which costs no atomic instruction.
 *
 * The rule that makes it safe (DESIGN.md 5): only the owning CPU takes its pcp->lock, always
 * with interrupts off, except (a) the drain of a DEAD CPU (pcp_cpu_dead(), after the owner
 * has gone offline and every online CPU has passed an IPI round) and (b) the invariant
 * checker, which takes the locks of offline CPUs and has each running owner take its own
 * for it (mm/check.c). So the lock never has to arbitrate
 * between two CPUs running at once. What it must exclude is the same CPU entering again:
 *	- an interrupt handler cannot: the lock is only ever held with interrupts off;
 *	- an NMI-like context (and a test that holds the lock on purpose) can: it finds the
 *	  lock taken and fails its trylock, as every nolock path must.
 * A flag in memory, tested and set with a plain load and a plain store while interrupts are
 * off, does exactly that: nothing on this CPU can run between the test and the set, and no
 * other CPU writes the flag while its owner is alive. (Linux's local_lock_t on !PREEMPT_RT is
 * the same idea: interrupts off plus a lockdep-only map.) The atomic compare-and-swap and the
 * release store of a spinlock bought nothing here but their cost: a CAS is ~20 cycles on a
 * real core and ~4x a plain read-modify-write under QEMU TCG with two vCPUs or more.
 *
 * `holder` records who holds it (CPU + 1; 0: free), so that "held by me" can be asserted as
 * with spinlocks. The checker asks a running owner to take its own lock for it and releases
 * it afterwards (pcp_unlock_handed()). The two exceptions take it from another CPU with a compare-and-swap
 * (pcp_lock_remote()): correct because the owner is gone or quiet, and checked afterwards:
 * if the owner took its lock meanwhile (the allocator was not quiet after all), the remote
 * holder finds its mark overwritten at unlock and warns.
 *
 * Loads and stores of `holder` are relaxed atomics: plain moves on both ports, but declared
 * so that ThreadSanitizer and the compiler know other threads look at the word. The compiler
 * barriers keep list operations inside the locked section as the program wrote it (the only
 * observer that could see them reordered is an NMI-like context on this CPU).
 *
 * Locking: the lock key (p) of kernel/spinlock.h keeps its meaning: "pcp->lock of the owning
 * CPU held". Lock order is unchanged: pcp->lock -> zone lock.
 */
#ifndef MM_PCP_LOCK_H
#define MM_PCP_LOCK_H

#include "kernel/compiler.h"
#include "kernel/cleanup.h"
#include "kernel/bug.h"
#include "kernel/cpu.h"
#include "arch/arch.h"

struct pcp_lock {
	u32 holder;		/* CPU holding it + 1, 0 when free (l: relaxed; the rule above) */
	u32 cpu;		/* the owning CPU (c) */
};

#define pcp_lock_barrier()	__atomic_signal_fence(__ATOMIC_SEQ_CST)

static inline void pcp_lock_init(struct pcp_lock *l, unsigned int cpu)
{
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELAXED);
	l->cpu = cpu;
}

static __always_inline bool pcp_lock_is_held(const struct pcp_lock *l)
{
	return __atomic_load_n(&l->holder, __ATOMIC_RELAXED) != 0;
}

/**
 * pcp_trylock - take this CPU's pcp->lock unless this CPU already holds it
 * @l: the lock of the calling CPU's per_cpu_pages
 *
 * Return: true with the lock held.
 * Context: the owning CPU, interrupts off (that is what makes test-and-set one step).
 */
static __always_inline bool pcp_trylock(struct pcp_lock *l)
{
	if (__atomic_load_n(&l->holder, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&l->holder, l->cpu + 1, __ATOMIC_RELAXED);
	pcp_lock_barrier();
	return true;
}

/* Context: the holder, interrupts still off. */
static __always_inline void pcp_unlock(struct pcp_lock *l)
{
	pcp_lock_barrier();
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELAXED);
}

/* Interrupts off, then trylock; on failure interrupts are as they were. Owning CPU. */
static __always_inline bool pcp_trylock_irqsave(struct pcp_lock *l, unsigned long *flags)
{
	*flags = arch_local_irq_save();
	if (pcp_trylock(l))
		return true;
	arch_local_irq_restore(*flags);
	return false;
}

static __always_inline void pcp_unlock_irqrestore(struct pcp_lock *l, unsigned long flags)
{
	pcp_unlock(l);
	arch_local_irq_restore(flags);
}

/*
 * Take it from any CPU: the dead-CPU drain, CPU online, the invariant checker, and the
 * owner's own process-context drain (which, by the rule, finds it free at once). Spins only
 * while a remote holder (the checker) has it.
 * Context: interrupts off; never in NMI-like context.
 */
static inline void pcp_lock_remote(struct pcp_lock *l)
{
	u32 me = smp_processor_id() + 1, expect = 0;

	/* Acquire: what the previous holder wrote under the lock is visible to us. */
	while (!__atomic_compare_exchange_n(&l->holder, &expect, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		expect = 0;
		arch_cpu_relax();
	}
}

static inline void pcp_unlock_remote(struct pcp_lock *l)
{
	u32 me = smp_processor_id() + 1;

	/* The owner overwrote our mark: it ran while we held its lock (not quiet). */
	WARN(__atomic_load_n(&l->holder, __ATOMIC_RELAXED) != me,
	     "pcp->lock of CPU %u taken by its owner while CPU %u held it\n", l->cpu, me - 1);
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELEASE);
}

/*
 * Release a lock that its owner took on our behalf (the invariant checker, mm/check.c): the
 * owner marked it as its own and returned; we clear the mark. Release: what we read under
 * it was read before the owner may take it again.
 */
static inline void pcp_unlock_handed(struct pcp_lock *l)
{
	WARN(__atomic_load_n(&l->holder, __ATOMIC_RELAXED) != l->cpu + 1,
	     "pcp->lock of CPU %u handed over but not held by it\n", l->cpu);
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELEASE);
}

/* First line of a function that needs it: BUG unless this CPU holds it. */
static inline void assert_pcp_locked(const struct pcp_lock *l)
{
	BUG_ON(__atomic_load_n(&l->holder, __ATOMIC_RELAXED) != smp_processor_id() + 1);
}

/*
 * Guards, as kernel/spinlock.h's:
 *	scoped_cond_guard(pcp_trylock_irqsave, &pcp->lock) { ... }	owner, any context
 *	scoped_cond_guard(pcp_trylock, &pcp->lock) { ... }		owner, IRQs already off
 *	guard(pcp_lock_remote_irqsave)(&pcp->lock);			the exceptions above
 */
DEFINE_GUARD(pcp_trylock_irqsave, struct pcp_lock,
	     if (!pcp_trylock_irqsave(_T, _flags)) _g._T = NULL,
	     pcp_unlock_irqrestore(_T, _fl))
DEFINE_GUARD(pcp_trylock, struct pcp_lock, if (!pcp_trylock(_T)) _g._T = NULL, pcp_unlock(_T))
DEFINE_GUARD(pcp_lock_remote_irqsave, struct pcp_lock,
	     { *_flags = arch_local_irq_save(); pcp_lock_remote(_T); },
	     { pcp_unlock_remote(_T); arch_local_irq_restore(_fl); })

#endif /* MM_PCP_LOCK_H */
