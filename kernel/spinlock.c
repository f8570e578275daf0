// SPDX-License-Identifier: MIT
/*
 * Ticket spinlocks. A CPU takes a ticket with one atomic fetch-add on `next`, then waits until
 * `owner_ticket` reaches it: CPUs are served in arrival order, so none starves however hard
 * the others hammer the lock. Unlock is a plain release store, since only the holder writes
 * owner_ticket.
 *
 * Each lock records the CPU holding it, so assert_spin_locked() is exact and a CPU that tries
 * to take a lock it already holds gets a precise report instead of a silent hang.
 *
 * Hooks. Lock statistics and the contended-release tracepoint sit behind one global word
 * (spinlock_hooks): with every hook off, lock and unlock pay one load and one well-predicted
 * branch more than a bare ticket lock (`bench=lock` measures it). Lock statistics (off by
 * default; `lockstat=on` or the lockstat command) keep their uncontended part inline
 * (kernel/lockstat.h: a per-CPU countdown and a per-CPU count, no clock read); everything
 * else is out of line.
 * The waiters left behind at a release are next - owner_ticket - 1, read by the holder before
 * it hands the lock on.
 *
 * Every lock word another CPU may read at the same time is accessed with a relaxed
 * __atomic builtin rather than READ_ONCE: the same instructions, but a data race that
 * ThreadSanitizer (tests/host/smp) understands instead of reporting.
 *
 * Locking: the lock words are (l) as their comments say; spinlock_hooks is (l: atomic).
 */
#include "kernel/spinlock.h"
#include "kernel/lockstat.h"
#include "kernel/bug.h"
#include "kernel/smp.h"

u32 spinlock_hooks;
static spin_contended_release_fn contended_release_hook;	/* (l: set, then the bit) */

void spin_set_contended_release_hook(spin_contended_release_fn fn)
{
	if (fn) {
		/* Release: a CPU that sees the bit also sees the function pointer. */
		__atomic_store_n(&contended_release_hook, fn, __ATOMIC_RELEASE);
		__atomic_fetch_or(&spinlock_hooks, SPIN_HOOK_TRACE, __ATOMIC_RELEASE);
	} else {
		__atomic_fetch_and(&spinlock_hooks, ~SPIN_HOOK_TRACE, __ATOMIC_RELEASE);
	}
}

void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->next = 0;
	lock->owner_ticket = 0;
	lock->owner_cpu = SPIN_NO_OWNER;
	lock->stat_epoch = 0;
	lock->name = name;
	lock->class = NULL;
	lock->hold_start = 0;
}

static __cold __noreturn void spin_recursion(spinlock_t *lock, unsigned int cpu)
{
	panic("spin_lock: recursive lock of %s (%p) on CPU %u", lock->name ? lock->name : "?",
	      lock, cpu);
}

/*
 * Wait until `ticket` is served. Acquire: the critical section's loads may not move above the
 * load that sees it.
 *
 * The next in line (one ticket from being served) looks without the spin-loop hint, and
 * gives one (arch_cpu_relax()) only every SPIN_NEXT_POLLS looks; everyone further back gives
 * it on every look. Why: under QEMU's TCG (how Tessera is usually run) x86's PAUSE is not a
 * cheap hint. QEMU 7.2 ends the vCPU's run on it ("let another CPU run") and the vCPU thread
 * re-enters through its outer loop, which takes QEMU's global lock (BQL) each time; riscv64's
 * PAUSE only ends the translation block. With every waiter pausing on every look, the waiter
 * whose turn had come was often blocked on the BQL behind the others, and the whole queue
 * waited for it: ktest lock_torture_exact took 43 s on x86_64 and 0.45-2.2 s on riscv64.
 * The next in line must react at once, so it stays inside translated code; the ones behind
 * it cannot get the lock soon anyway, and their hint (a BQL round trip that may sleep, under
 * TCG; a pause-loop exit under a hypervisor; a pipeline pause for an SMT sibling) gives the
 * host time to run the vCPUs that hold or are next for the lock.
 *
 * What did not change: tickets are served in arrival order (FIFO: no waiter starves), the
 * lock word layout, the acquire/release pairing, and the waiter count next - owner_ticket - 1
 * that lock statistics and the tracepoints read. What did: on hardware the next waiter
 * spins with a hint only every SPIN_NEXT_POLLS looks, so it yields less of its core to an
 * SMT sibling for the (short) time before its turn.
 */
#define SPIN_NEXT_POLLS		64

static inline void spin_wait_ticket(spinlock_t *lock, u32 ticket)
{
	unsigned int looks = 0;

	for (;;) {
		u32 owner = __atomic_load_n(&lock->owner_ticket, __ATOMIC_ACQUIRE);

		if (owner == ticket)
			return;
		if (ticket - owner != 1 || ++looks % SPIN_NEXT_POLLS == 0)
			arch_cpu_relax();
	}
}

/*
 * The contended half of spin_lock(): the first look found the lock taken. With statistics
 * on, the wait is timed from that first look (not from the ticket: the difference is one
 * load), so an uncontended acquisition never reads the clock.
 */
static __noinline void spin_lock_contended(spinlock_t *lock, u32 ticket, unsigned int cpu,
					   u32 hooks)
{
	u64 t0 = (hooks & SPIN_HOOK_LOCKSTAT) ? arch_cycles() : 0;

	spin_wait_ticket(lock, ticket);
	__atomic_store_n(&lock->owner_cpu, cpu, __ATOMIC_RELAXED);
	if (hooks & SPIN_HOOK_LOCKSTAT) {
		u64 t1 = arch_cycles();

		lockstat_acquired_contended(lock, t1 - t0, t1);
	}
}

void spin_lock(spinlock_t *lock)
{
	unsigned int cpu = smp_processor_id();

	if (unlikely(__atomic_load_n(&lock->owner_cpu, __ATOMIC_RELAXED) == cpu))
		spin_recursion(lock, cpu);
	u32 hooks = __atomic_load_n(&spinlock_hooks, __ATOMIC_RELAXED);
	u32 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	/* Acquire: the critical section's loads may not move above this point. */
	if (unlikely(__atomic_load_n(&lock->owner_ticket, __ATOMIC_ACQUIRE) != ticket)) {
		spin_lock_contended(lock, ticket, cpu, hooks);
		return;
	}
	__atomic_store_n(&lock->owner_cpu, cpu, __ATOMIC_RELAXED);
	if (unlikely(hooks & SPIN_HOOK_LOCKSTAT))
		lockstat_acquired(lock, cpu);
}

bool spin_trylock(spinlock_t *lock)
{
	/*
	 * Acquire on this load, not only on the CAS below: it is the load that reads the
	 * previous holder's release store, and so what orders its critical section before ours.
	 */
	u32 owner = __atomic_load_n(&lock->owner_ticket, __ATOMIC_ACQUIRE);
	u32 expect = owner;
	unsigned int cpu;

	/*
	 * Free means next == owner_ticket. Taking ticket `owner` by CAS on next succeeds only if
	 * nobody queued meanwhile; owner_ticket never passes next, so it is then ours.
	 */
	if (!__atomic_compare_exchange_n(&lock->next, &expect, owner + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	cpu = smp_processor_id();
	__atomic_store_n(&lock->owner_cpu, cpu, __ATOMIC_RELAXED);
	if (unlikely(__atomic_load_n(&spinlock_hooks, __ATOMIC_RELAXED) & SPIN_HOOK_LOCKSTAT))
		lockstat_acquired(lock, cpu);
	return true;
}

/* The contended-release tracepoint's call, out of the unlock path's way. */
static __noinline void spin_contended_release(spinlock_t *lock, u32 waiters)
{
	spin_contended_release_fn fn = __atomic_load_n(&contended_release_hook, __ATOMIC_ACQUIRE);

	if (fn)
		fn(lock, waiters);
}

void spin_unlock(spinlock_t *lock)
{
	unsigned int cpu = smp_processor_id();

	if (unlikely(__atomic_load_n(&lock->owner_cpu, __ATOMIC_RELAXED) != cpu))
		panic("spin_unlock: %s (%p) released by CPU %u but held by %d",
		      lock->name ? lock->name : "?", lock, cpu,
		      (int)__atomic_load_n(&lock->owner_cpu, __ATOMIC_RELAXED));
	u32 hooks = __atomic_load_n(&spinlock_hooks, __ATOMIC_RELAXED);

	/* The hooks run while we still hold it, just before it is handed on. */
	if (unlikely(hooks)) {
		/* Tickets handed out beyond ours: CPUs spinning for the lock right now. */
		u32 waiters = __atomic_load_n(&lock->next, __ATOMIC_RELAXED) -
			      lock->owner_ticket - 1;

		if (hooks & SPIN_HOOK_LOCKSTAT)
			lockstat_released(lock, waiters, cpu);
		if ((hooks & SPIN_HOOK_TRACE) && waiters)
			spin_contended_release(lock, waiters);
	}
	__atomic_store_n(&lock->owner_cpu, SPIN_NO_OWNER, __ATOMIC_RELAXED);
	/* Release: the critical section's stores are visible before the next holder enters. */
	__atomic_store_n(&lock->owner_ticket, lock->owner_ticket + 1, __ATOMIC_RELEASE);
}

bool spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&lock->owner_ticket, __ATOMIC_RELAXED);
}

bool spin_held_by_me(spinlock_t *lock)
{
	return spin_is_locked(lock) &&
	       __atomic_load_n(&lock->owner_cpu, __ATOMIC_RELAXED) == smp_processor_id();
}

void __assert_spin_locked(spinlock_t *lock, const char *func)
{
	if (unlikely(!spin_held_by_me(lock)))
		panic("%s: lock %s (%p) not held by CPU %u (owner %d)", func,
		      lock->name ? lock->name : "?", lock, smp_processor_id(),
		      (int)__atomic_load_n(&lock->owner_cpu, __ATOMIC_RELAXED));
}
