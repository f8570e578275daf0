/* SPDX-License-Identifier: MIT */
/*
 * pcp->lock: a CPU-local lock for the per-CPU page lists, which costs no atomic instruction.
 *
 * The rule that makes it safe (DESIGN.md 5): only the owning CPU takes its pcp->lock, with
 * interrupts off except in the two fast sections (below), and except (a) the drain of a
 * DEAD CPU (pcp_cpu_dead(), after the owner has gone offline and every online CPU has
 * passed an IPI round) and (b) the invariant checker, which takes the locks of offline CPUs
 * and has each running owner take its own for it (mm/check.c). So the lock never has to
 * arbitrate between two CPUs running at once. What it must exclude is the same CPU entering
 * again:
 *	- an interrupt handler: it can interrupt a fast section, never anything else, and
 *	  never waits for the lock: it finds it taken and falls back or defers (below);
 *	- an NMI-like context (and a test that holds the lock on purpose): it finds the
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
 *
 * ==== The fast sections: the lock with interrupts on ====
 *
 * The two commonest operations, an order-0 allocation off the lazy list and an order-0 free
 * of a page of one of our own blocks (pcp_alloc_lazy(), pcp_free()), hold the lock for a
 * dozen instructions. Turning interrupts off and on around them cost more than the lists
 * themselves: on x86 a pushf/cli and an sti, which are dear under QEMU TCG (bench=pcp there,
 * x86_64 -smp 2: 212 -> 157 ns per order-0 pair without them).
 * The lock alone is enough against interrupts, because no interrupt handler ever waits for
 * it (DESIGN.md 5): every taker in interrupt context trylocks and, finding it busy, falls
 * back (the zone, our own free_llist) or defers. So these sections run with interrupts as
 * they were, and mark themselves in `fast` instead of `holder`:
 *	enter:	if fast is set, fail (we interrupted a fast section: nested, as an NMI would);
 *		set fast; then if holder is set, clear fast and fail (a holder with interrupts
 *		off from before, or one an interrupt took while we looked: the checker's IPI
 *		below keeps the lock it takes after it returns, the one taker that does);
 *	exit:	clear fast; then run what an interrupt handler asked for meanwhile (`missed`).
 * Set-then-check on two words is what makes it safe with plain loads and stores: an
 * interrupt that comes before `fast` is set ran to its end (releasing what it took, or
 * keeping `holder`, which we then see); one that comes after finds `fast` set. Every other
 * taker (pcp_trylock(), pcp_lock_remote() on this CPU) fails on `fast` as on `holder`.
 * Nothing in a fast section calls anything, so `fast` is never set while this CPU runs
 * anything else of the allocator, and only an interrupt can find it set.
 *
 * What an interrupt handler may not simply skip it defers: the drain IPI (drain_all_pages()
 * waits for it), the absorb IPI (an idle owner's pages) and the checker's request to hold
 * the lock. Finding `fast` set, the handler records its request in `missed` and returns;
 * the fast section, right after clearing `fast`, sees it and runs it (pcp_fast_missed(),
 * interrupts off), a few instructions later than the IPI would have run it before. Clear
 * first, then read `missed`: a handler that comes between the two finds `fast` clear and
 * does its work itself.
 * What the fast sections write stays theirs: the lists and counters under this lock, and
 * their own event counters (per_cpu_pages' fast_allocs/fast_frees), not vm_event_states[],
 * whose load-add-store an interrupt counting the same event could split.
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
	u8 fast;		/* 1 inside a fast section of the owner (l: relaxed; the owner
				 * and its interrupt handlers only) */
	u8 missed;		/* PCP_MISSED_*: what interrupt handlers left for the fast
				 * section's end (l: as fast) */
};

/* Requests an interrupt handler defers to the end of the fast section it interrupted. */
#define PCP_MISSED_DRAIN	0x1	/* the drain IPI (mm/pcp_drain.c) */
#define PCP_MISSED_ABSORB	0x2	/* the absorb IPI (mm/pcp_remote.c) */
#define PCP_MISSED_CHECK	0x4	/* the checker's "hold your lock for me" (mm/check.c) */

#define pcp_lock_barrier()	__atomic_signal_fence(__ATOMIC_SEQ_CST)

static inline void pcp_lock_init(struct pcp_lock *l, unsigned int cpu)
{
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->fast, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->missed, 0, __ATOMIC_RELAXED);
	l->cpu = cpu;
}

static __always_inline bool pcp_in_fast(const struct pcp_lock *l)
{
	return __atomic_load_n(&l->fast, __ATOMIC_RELAXED) != 0;
}

static __always_inline bool pcp_lock_is_held(const struct pcp_lock *l)
{
	return __atomic_load_n(&l->holder, __ATOMIC_RELAXED) != 0 || pcp_in_fast(l);
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
	/* A fast section we interrupted holds it too (see "The fast sections"). */
	if (__atomic_load_n(&l->holder, __ATOMIC_RELAXED) || pcp_in_fast(l))
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

/*
 * The end of a fast section found requests in `missed`: run them, interrupts off.
 * Context: the owning CPU, just out of a fast section (mm/pcp_drain.c).
 */
void pcp_fast_missed(struct pcp_lock *l);

/**
 * pcp_fast_trylock - enter a fast section of this CPU's pcp->lock, interrupts as they are
 * @l: the lock of the calling CPU's per_cpu_pages
 *
 * For a section that calls nothing (see "The fast sections"). On failure the section is
 * already left (pcp_fast_leave(): requests deferred meanwhile wait for the caller's slow
 * half).
 * Return: true inside the section; leave it with pcp_fast_unlock().
 * Context: the owning CPU, any context.
 */
static __always_inline bool pcp_fast_trylock(struct pcp_lock *l);

/*
 * Leave a fast section without looking at `missed`: for a path that goes on to its slow
 * half, which runs pcp_fast_missed_check() first (pcp_alloc_cached(), pcp_free_slow()), so
 * that no call is made here with the caller's arguments still needed after it.
 */
static __always_inline void pcp_fast_leave(struct pcp_lock *l)
{
	pcp_lock_barrier();
	__atomic_store_n(&l->fast, 0, __ATOMIC_RELAXED);
	/* Clear, then look (in the caller): a handler after the clear does its work itself. */
	pcp_lock_barrier();
}

static __always_inline bool pcp_fast_has_missed(const struct pcp_lock *l)
{
	return __atomic_load_n(&l->missed, __ATOMIC_RELAXED) != 0;
}

/* Run what interrupt handlers deferred to the end of a fast section already left. */
static __always_inline void pcp_fast_missed_check(struct pcp_lock *l)
{
	if (unlikely(pcp_fast_has_missed(l)))
		pcp_fast_missed(l);
}

/* Leave a fast section, then run what interrupt handlers deferred to its end. */
static __always_inline void pcp_fast_unlock(struct pcp_lock *l)
{
	pcp_fast_leave(l);
	pcp_fast_missed_check(l);
}

/* On failure the section is left, and `missed` is for the caller's slow half to run. */
static __always_inline bool pcp_fast_trylock(struct pcp_lock *l)
{
	if (unlikely(pcp_in_fast(l)))		/* we interrupted a fast section */
		return false;
	__atomic_store_n(&l->fast, 1, __ATOMIC_RELAXED);
	/* Set, then check: see "The fast sections". */
	pcp_lock_barrier();
	if (likely(!__atomic_load_n(&l->holder, __ATOMIC_RELAXED)))
		return true;
	pcp_fast_leave(l);
	return false;
}

/*
 * An interrupt handler on the owning CPU whose trylock failed: if it interrupted a fast
 * section, leave @req for the section's end. Return: true if deferred (the handler's work
 * will be done there), false if the lock is held otherwise (the handler falls back).
 * Context: the owning CPU, interrupts off.
 */
static inline bool pcp_defer_to_fast(struct pcp_lock *l, u8 req)
{
	if (!req || !pcp_in_fast(l))
		return false;
	__atomic_store_n(&l->missed, __atomic_load_n(&l->missed, __ATOMIC_RELAXED) | req,
			 __ATOMIC_RELAXED);
	return true;
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

	/* Our own lock inside our own fast section: only an interrupt could be here, and it
	 * may not wait (it would wait for itself). */
	BUG_ON(l->cpu + 1 == me && pcp_in_fast(l));
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

/*
 * After the checker's IPI returned: wait until @l's owner holds it for us, which it does at
 * once, or at the end of the fast section the IPI interrupted (PCP_MISSED_CHECK). Acquire:
 * the owner's list writes before it took the lock are visible to the checker's reads.
 * Return: false (after a warning) if it did not within a second.
 * Context: another CPU, the owner running.
 */
static inline bool pcp_wait_handed(struct pcp_lock *l)
{
	u64 t0 = arch_clock_ns();

	while (__atomic_load_n(&l->holder, __ATOMIC_ACQUIRE) != l->cpu + 1) {
		if (arch_clock_ns() - t0 > 1000000000ULL) {
			WARN(1, "pcp->lock of CPU %u not handed over within 1 s\n", l->cpu);
			return false;
		}
		arch_cpu_relax();
	}
	return true;
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
