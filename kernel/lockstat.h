/* SPDX-License-Identifier: MIT */
/*
 * Lock statistics per lock class, printed in /proc/lock_stat's format (version 0.4).
 *
 * A class is a lock name (spinlock_t.name): every lock with the same name adds to the same
 * line, as every zone's "zone->lock" should. Off by default; while off the lock paths pay
 * one branch on spinlock_hooks (kernel/spinlock.h). Times are taken with arch_cycles() and
 * converted to nanoseconds (printed as microseconds, like Linux) with a factor calibrated
 * against arch_clock_ns() when statistics are first enabled.
 *
 * Locking: counters are (l: relaxed atomic adds, CAS for min/max), updated by any CPU;
 * class slots are claimed once with a CAS on the name (l). A reset while locks are in use
 * may lose a few concurrent updates; reset with statistics off for exact figures.
 */
#ifndef KERNEL_LOCKSTAT_H
#define KERNEL_LOCKSTAT_H

#include "kernel/compiler.h"
#include "kernel/spinlock.h"

#define LOCKSTAT_MAX_CLASSES	256

struct lock_class {
	const char *name;		/* key; NULL = free slot (l: set once by CAS) */
	u64 acquisitions;		/* lock and successful trylock (l) */
	u64 contentions;		/* acquisitions that had to wait (l) */
	u64 contended_releases;		/* releases that left CPUs queued (l) */
	u64 wait_min;			/* cycles + 1; 0 = none yet (l) */
	u64 wait_max;			/* cycles (l) */
	u64 wait_total;			/* cycles, contended acquisitions only (l) */
	u64 hold_min;			/* cycles + 1; 0 = none yet (l) */
	u64 hold_max;			/* cycles (l) */
	u64 hold_total;			/* cycles (l) */
	u64 holds;			/* timed holds (acquired and released while on) (l) */
};

/* A copy of one class's figures, times in nanoseconds. */
struct lock_class_stats {
	u64 acquisitions;
	u64 contentions;
	u64 contended_releases;
	u64 wait_min_ns, wait_max_ns, wait_total_ns;
	u64 hold_min_ns, hold_max_ns, hold_total_ns;
	u64 holds;
};

/* Turn statistics on or off; turning on calibrates the clock the first time. Any CPU. */
void lockstat_enable(bool on);
bool lockstat_enabled(void);
/* Zero every class's figures (the classes stay). Any CPU. */
void lockstat_reset(void);
/* Print every class with acquisitions, most contended first, as /proc/lock_stat. */
void lockstat_print(void);
/* Copy the figures of the class called `name`; false if no such class. */
bool lockstat_get(const char *name, struct lock_class_stats *out);
/* The class for `name`, created on first use; a shared overflow class once the table fills. */
struct lock_class *lockstat_class(const char *name);
u64 lockstat_cycles_to_ns(u64 cycles);

/* Called by kernel/spinlock.c with statistics on. Context: the CPU taking/holding `lock`. */
void lockstat_acquired(spinlock_t *lock, bool contended, u64 wait_cycles, u64 now);
void lockstat_released(spinlock_t *lock, u32 waiters, u64 now);

#endif /* KERNEL_LOCKSTAT_H */
