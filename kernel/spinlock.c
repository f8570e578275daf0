// SPDX-License-Identifier: MIT
/*
 * Ticket spinlocks. A CPU takes a ticket with one atomic fetch-add on `next`, then waits until
 * `owner_ticket` reaches it: CPUs are served in arrival order, so none starves however hard
 * the others hammer the lock. Unlock is a plain release store, since only the holder writes
 * owner_ticket.
 *
 * Each lock records the CPU holding it, so assert_spin_locked() is exact and a CPU that tries
 * to take a lock it already holds gets a precise report instead of a silent hang.
 */
#include "kernel/spinlock.h"
#include "kernel/bug.h"
#include "kernel/smp.h"

void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->next = 0;
	lock->owner_ticket = 0;
	lock->owner_cpu = SPIN_NO_OWNER;
	lock->name = name;
	lock->class = NULL;
}

void spin_lock(spinlock_t *lock)
{
	unsigned int cpu = smp_processor_id();

	if (unlikely(READ_ONCE(lock->owner_cpu) == cpu))
		panic("spin_lock: recursive lock of %s (%p) on CPU %u",
		      lock->name ? lock->name : "?", lock, cpu);
	u32 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	/* Acquire: the critical section's loads may not move above this point. */
	while (__atomic_load_n(&lock->owner_ticket, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
	WRITE_ONCE(lock->owner_cpu, cpu);
}

bool spin_trylock(spinlock_t *lock)
{
	u32 owner = __atomic_load_n(&lock->owner_ticket, __ATOMIC_RELAXED);
	u32 expect = owner;

	/*
	 * Free means next == owner_ticket. Taking ticket `owner` by CAS on next succeeds only if
	 * nobody queued meanwhile; owner_ticket never passes next, so it is then ours.
	 */
	if (!__atomic_compare_exchange_n(&lock->next, &expect, owner + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	WRITE_ONCE(lock->owner_cpu, smp_processor_id());
	return true;
}

void spin_unlock(spinlock_t *lock)
{
	if (unlikely(READ_ONCE(lock->owner_cpu) != smp_processor_id()))
		panic("spin_unlock: %s (%p) released by CPU %u but held by %d",
		      lock->name ? lock->name : "?", lock, smp_processor_id(),
		      (int)READ_ONCE(lock->owner_cpu));
	WRITE_ONCE(lock->owner_cpu, SPIN_NO_OWNER);
	/* Release: the critical section's stores are visible before the next holder enters. */
	__atomic_store_n(&lock->owner_ticket, lock->owner_ticket + 1, __ATOMIC_RELEASE);
}

bool spin_is_locked(spinlock_t *lock)
{
	return READ_ONCE(lock->next) != READ_ONCE(lock->owner_ticket);
}

bool spin_held_by_me(spinlock_t *lock)
{
	return spin_is_locked(lock) && READ_ONCE(lock->owner_cpu) == smp_processor_id();
}

void __assert_spin_locked(spinlock_t *lock, const char *func)
{
	if (unlikely(!spin_held_by_me(lock)))
		panic("%s: lock %s (%p) not held by CPU %u (owner %d)", func,
		      lock->name ? lock->name : "?", lock, smp_processor_id(),
		      (int)READ_ONCE(lock->owner_cpu));
}
