/* SPDX-License-Identifier: MIT */
/*
 * Scope-based cleanup: guards that release a lock when the scope ends, on every exit path.
 *
 *	guard(spinlock_irqsave)(&trace_setup_lock);	held until the end of the block
 *	scoped_guard(zone_lock_irqsave, zone) { ... }	held for the braces only
 *
 * (A zone lock is only ever taken through its own guards, zone_lock_irqsave and
 * zone_trylock_irqsave in mm/mmzone.h, which carry its tracepoints; never as a spinlock.)
 *
 * A lock type is declared once with DEFINE_GUARD(name, type, lock-expr, unlock-expr); `_T` is
 * the lock pointer and, for irqsave flavours, `_flags` holds the saved interrupt state.
 * Built on __attribute__((cleanup)). Never mix guards with goto-unwinding in one function.
 * Linux: include/linux/cleanup.h (same idea, written anew here).
 */
#ifndef KERNEL_CLEANUP_H
#define KERNEL_CLEANUP_H

#include "kernel/compiler.h"

#define __PASTE_(a, b)	a##b
#define __PASTE(a, b)	__PASTE_(a, b)
#define __UNIQUE(prefix)	__PASTE(prefix, __COUNTER__)

/* A guard object: the lock pointer and the saved flags (unused by plain locks). */
#define DEFINE_GUARD(name, type, lock, unlock)				\
	struct guard_##name { type *_T; unsigned long _flags; };	\
	static __always_inline struct guard_##name			\
	guard_##name##_ctor(type *_T)					\
	{								\
		struct guard_##name _g = { _T, 0 };			\
		unsigned long *_flags __unused = &_g._flags;		\
		lock;							\
		return _g;						\
	}								\
	static __always_inline void guard_##name##_dtor(struct guard_##name *_g) \
	{								\
		type *_T = _g->_T;					\
		unsigned long _fl __unused = _g->_flags;		\
		if (_T)							\
			unlock;						\
	}

/* __unused: the guard object is never named again; its destructor is the point. */
#define guard(name)							\
	struct guard_##name __UNIQUE(__guard_) __unused			\
		__cleanup(guard_##name##_dtor) = guard_##name##_ctor

/*
 * The body runs once with the lock held; `break` leaves it early, releasing the lock.
 * The guard variables get unique names so that scoped guards can nest without shadowing.
 */
#define scoped_guard(name, lockp) \
	__scoped_guard(name, lockp, __UNIQUE(__sg), __UNIQUE(__sgd))
#define __scoped_guard(name, lockp, sg, sgd)				\
	for (struct guard_##name sg __cleanup(guard_##name##_dtor) =	\
		     guard_##name##_ctor(lockp), *sgd = &sg;		\
	     sgd; sgd = NULL)

/*
 * Conditional guard for trylock: the body runs only if the lock was taken.
 *	scoped_cond_guard(spinlock_try, &l) { ... }
 * The ctor of a _try guard sets _T to NULL on failure.
 */
#define scoped_cond_guard(name, lockp) \
	__scoped_cond_guard(name, lockp, __UNIQUE(__sg), __UNIQUE(__sgd))
#define __scoped_cond_guard(name, lockp, sg, sgd)			\
	for (struct guard_##name sg __cleanup(guard_##name##_dtor) =	\
		     guard_##name##_ctor(lockp), *sgd = &sg;		\
	     sgd && sg._T; sgd = NULL)

#endif /* KERNEL_CLEANUP_H */
