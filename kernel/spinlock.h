/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks: fair ticket locks that record their owner CPU, irqsave variants, trylock, and
 * the guards every generic file uses to hold them.
 *
 * The lock key. Every shared field says, in a trailing comment, what protects it:
 *	(c)  constant after boot
 *	(m)  boot CPU only, before SMP
 *	(z)  zone->lock (through zone_lock_irqsave()/guards only)
 *	(p)  pcp->lock of the owning CPU
 *	(l)  lock-free: atomics or an llist; the comment says which rule
 *	(b)  balloon device lock
 *	(h)  hotplug lock
 *	(i)  this CPU only, with interrupts off
 *	(s)  the lock named in the struct's own "Locking:" comment
 *
 * Lock order (also in DESIGN.md 5): balloon device lock -> pcp->lock -> zone lock.
 * Never spin on a lock in interrupt context: use trylock there.
 *
 * Interrupt disabling nests (push_off/pop_off style): spin_lock_irqsave() returns the state to
 * restore, so nested irqsave sections restore correctly in reverse order.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/compiler.h"
#include "kernel/cleanup.h"
#include "arch/arch.h"

#define SPIN_NO_OWNER	0xffffffffu

/*
 * Two full 32-bit words rather than packed 16-bit halves: riscv64 has no sub-word atomics,
 * and a packed unlock could carry from one half into the other.
 */
typedef struct spinlock {
	u32 next;		/* next ticket to hand out (l: atomic fetch-add) */
	u32 owner_ticket;	/* ticket now served (l: written by the holder only) */
	u32 owner_cpu;		/* CPU holding it, SPIN_NO_OWNER if free (s: the lock) */
	u32 stat_epoch;		/* lockstat period and flags of this hold (s: the lock) */
	const char *name;	/* lock class name for lock_stat and reports (c) */
	struct lock_class *class; /* statistics, NULL until first use (l: set once) */
	u64 hold_start;		/* arch_cycles() at acquisition, timed holds only (s: the lock) */
} spinlock_t;

#define SPINLOCK_INIT(n)	{ .next = 0, .owner_ticket = 0, .owner_cpu = SPIN_NO_OWNER, \
				  .stat_epoch = 0, .name = (n), .class = NULL, .hold_start = 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = SPINLOCK_INIT(#x)

/*
 * Hooks on the lock paths, all behind one word so that with every hook off a lock or unlock
 * pays one load and one predictable branch. Bits: lock statistics (kernel/lockstat.c) and
 * the "contended release" tracepoint (the tracing code sets it with
 * spin_set_contended_release_hook()). Written rarely (l: atomic), read on every lock op.
 */
#define SPIN_HOOK_LOCKSTAT	0x1u
#define SPIN_HOOK_TRACE		0x2u
extern u32 spinlock_hooks;

/*
 * Called on every release that leaves `waiters` CPUs queued (waiters > 0), before the next
 * one gets the lock, while the hook is set. NULL turns it off. Context: the releasing CPU,
 * holding the lock, any interrupt state.
 */
typedef void (*spin_contended_release_fn)(spinlock_t *lock, u32 waiters);
void spin_set_contended_release_hook(spin_contended_release_fn fn);

void spin_lock_init(spinlock_t *lock, const char *name);
void spin_lock(spinlock_t *lock) __acquires(lock);
void spin_unlock(spinlock_t *lock) __releases(lock);
bool spin_trylock(spinlock_t *lock);
bool spin_is_locked(spinlock_t *lock);
/* True if this CPU holds it: cheap because locks record their owner. */
bool spin_held_by_me(spinlock_t *lock);

static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = arch_local_irq_save();

	spin_lock(lock);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	arch_local_irq_restore(flags);
}

/* Returns true with the lock held and *flags set; false with interrupts as they were. */
static inline bool spin_trylock_irqsave(spinlock_t *lock, unsigned long *flags)
{
	*flags = arch_local_irq_save();
	if (spin_trylock(lock))
		return true;
	arch_local_irq_restore(*flags);
	return false;
}

/* First line of any function that needs a lock held: BUG if this CPU does not hold it. */
void __assert_spin_locked(spinlock_t *lock, const char *func);
#define assert_spin_locked(l)	__assert_spin_locked((l), __func__)

/* Guards: guard(spinlock)(&l), guard(spinlock_irqsave)(&l), scoped_cond_guard(spinlock_try...). */
DEFINE_GUARD(spinlock, spinlock_t, spin_lock(_T), spin_unlock(_T))
DEFINE_GUARD(spinlock_irqsave, spinlock_t, *_flags = spin_lock_irqsave(_T),
	     spin_unlock_irqrestore(_T, _fl))
DEFINE_GUARD(spinlock_try, spinlock_t, if (!spin_trylock(_T)) _g._T = NULL,
	     spin_unlock(_T))
DEFINE_GUARD(spinlock_try_irqsave, spinlock_t,
	     if (!spin_trylock_irqsave(_T, _flags)) _g._T = NULL,
	     spin_unlock_irqrestore(_T, _fl))

/* Interrupts off for a scope, restored on exit: guard(irqsave)(NULL). */
struct irq_guard_dummy;
DEFINE_GUARD(irqsave, struct irq_guard_dummy, *_flags = arch_local_irq_save(),
	     arch_local_irq_restore(_fl))
#define guard_irqsave() guard(irqsave)((struct irq_guard_dummy *)1)

#endif /* KERNEL_SPINLOCK_H */
