/* SPDX-License-Identifier: MIT */
/*
 * Lock statistics per lock class, printed in /proc/lock_stat's format (version 0.4).
 *
 * A class is a lock name (spinlock_t.name): every lock with the same name adds to the same
 * line, as every zone's "zone->lock" should. Off by default; `lockstat on` in the shell or
 * `lockstat=on` on the command line (lockstat_init()) starts them. Built to be cheap enough
 * to leave on (bench=lock measures on/off in one boot):
 *
 *  - Uncontended path: no shared cache line is written. An acquisition writes only the lock's
 *    own line (which it writes anyway) and decrements a per-CPU sampling countdown; the
 *    release adds one to a per-CPU counter of the lock's class. The clock is not read.
 *  - Contended path: every contended acquisition is counted and its wait timed, always
 *    (class-wide atomics: the waiter has spun already, so one more line costs little).
 *  - Hold times: timed for every hold that began with a contended acquisition (the waiter's
 *    clock read is reused) and for one uncontended hold in about LOCKSTAT_SAMPLE_PERIOD per
 *    CPU (a jittered countdown, so that loops that cycle through locks do not alias). The
 *    printed hold total and average are estimates: exact for the contended holds, plus the
 *    timed uncontended holds scaled by (uncontended holds / timed ones); min and max are over
 *    the holds actually timed. lockstat_print() says so under the table, with the counts.
 *
 * Times are taken with arch_cycles() and converted to nanoseconds (printed as microseconds,
 * like Linux) with a factor calibrated against arch_clock_ns() when statistics are first
 * enabled.
 *
 * Locking: per-CPU counters (i: this CPU, relaxed atomics so that an interrupt on the same
 * CPU loses nothing); class-wide counters (l: relaxed atomic adds, CAS for min/max); class
 * slots are claimed once with a CAS on the name (l). A reset while locks are in use may lose
 * a few concurrent updates; reset with statistics off for exact figures.
 */
#ifndef KERNEL_LOCKSTAT_H
#define KERNEL_LOCKSTAT_H

#include "kernel/compiler.h"
#include "kernel/spinlock.h"
#include "kernel/percpu.h"

#define LOCKSTAT_MAX_CLASSES	128
/* Mean uncontended acquisitions per timed hold, per CPU (lockstat_set_sample_period()). */
#define LOCKSTAT_SAMPLE_PERIOD	64

/* The class-wide part: what only the contended path writes. */
struct lock_class {
	const char *name;		/* key; NULL = free slot (l: set once by CAS) */
	u64 contentions;		/* acquisitions that had to wait (l) */
	u64 contended_releases;		/* releases that left CPUs queued (l) */
	u64 wait_min;			/* cycles + 1; 0 = none yet (l) */
	u64 wait_max;			/* cycles (l) */
	u64 wait_total;			/* cycles, contended acquisitions only (l) */
	u64 contended_holds;		/* holds begun by a contended acquisition, all timed (l) */
	u64 contended_hold_total;	/* their cycles (l) */
};

/* A copy of one class's figures, times in nanoseconds. */
struct lock_class_stats {
	u64 acquisitions;		/* holds acquired and released while on (lock + trylock) */
	u64 contentions;
	u64 contended_releases;
	u64 wait_min_ns, wait_max_ns, wait_total_ns;
	u64 hold_min_ns, hold_max_ns;	/* over the timed holds */
	u64 hold_total_ns;		/* estimate: contended holds exact + sampled ones scaled */
	u64 holds;			/* holds the hold columns describe (= acquisitions) */
	u64 timed_holds;		/* of which timed: contended ones + uncontended samples */
	u64 sampled_holds;		/* uncontended holds timed (the sample) */
};

/* Turn statistics on or off; turning on calibrates the clock the first time. Any CPU. */
void lockstat_enable(bool on);
bool lockstat_enabled(void);
/* At boot, once clocks work: statistics on if the command line says lockstat=on. */
void lockstat_init(void);
/* Zero every class's figures (the classes stay). Any CPU. */
void lockstat_reset(void);
/*
 * Time one uncontended hold in about `period` per CPU (1 = every hold, exact). Returns the
 * previous period. Any CPU; CPUs pick it up at their next sample.
 */
unsigned int lockstat_set_sample_period(unsigned int period);
/* Print every class with acquisitions, most contended first, as /proc/lock_stat. */
void lockstat_print(void);
/* Copy the figures of the class called `name`; false if no such class. */
bool lockstat_get(const char *name, struct lock_class_stats *out);
/* The class for `name`, created on first use; a shared overflow class once the table fills. */
struct lock_class *lockstat_class(const char *name);
u64 lockstat_cycles_to_ns(u64 cycles);

/* ---- The lock paths' side: kernel/spinlock.c calls these with statistics on ---- */

/* One CPU's figures for one class: everything the uncontended path writes. */
struct lockstat_cpu_class {
	u64 holds;		/* acquired and released while on, on this CPU (i) */
	u64 sampled;		/* of those, uncontended holds that were timed (i) */
	u64 sampled_total;	/* their cycles (i) */
	u64 hold_min;		/* cycles + 1 over every timed hold released here; 0 none (i) */
	u64 hold_max;		/* cycles, likewise (i) */
};

struct lockstat_cpu {
	u32 countdown;		/* uncontended acquisitions left until the next timed one (i) */
	u32 rng;		/* xorshift32 state for the countdown's jitter (i) */
	struct lockstat_cpu_class cls[LOCKSTAT_MAX_CLASSES + 1];	/* + the overflow class */
};
DECLARE_PER_CPU(struct lockstat_cpu, lockstat_cpu);

/* The class table; slot LOCKSTAT_MAX_CLASSES is the overflow class. Slots are never freed. */
extern struct lock_class lockstat_classes[LOCKSTAT_MAX_CLASSES + 1];

/*
 * lock->stat_epoch while a lock is held: the statistics period it was acquired in (low bits;
 * 0 = acquired with statistics off) and two flags about this hold. The period is bumped by
 * each lockstat_enable(true), so a hold begun in an earlier period is not counted.
 */
#define STAT_HOLD_CONTENDED	0x80000000u	/* began with a contended acquisition */
#define STAT_HOLD_TIMED		0x40000000u	/* lock->hold_start is valid */
#define STAT_EPOCH_MASK		0x3fffffffu
extern u32 lockstat_epoch;	/* the current period, never 0 (l: written by enable only) */

/* Out of line: a contended acquisition (wait_cycles spun, `now` the clock at acquisition). */
void lockstat_acquired_contended(spinlock_t *lock, u64 wait_cycles, u64 now);
/* Out of line: this CPU's countdown ran out; time this hold. */
void __lockstat_sample(spinlock_t *lock);
/* Out of line: a release that is timed, contended, unclassed or from another period. */
void __lockstat_released_slow(spinlock_t *lock, u32 waiters, u32 st, unsigned int cpu);

/*
 * An uncontended acquisition (lock or trylock): count the countdown down, mark the hold with
 * the period. Writes only this CPU's countdown and the lock, which we hold.
 * Context: `cpu` (this CPU) just took `lock`.
 */
static __always_inline void lockstat_acquired(spinlock_t *lock, unsigned int cpu)
{
	struct lockstat_cpu *lc = per_cpu_ptr(&lockstat_cpu, cpu);
	u32 left = lc->countdown;

	if (likely(left > 1)) {
		lc->countdown = left - 1;
		lock->stat_epoch = __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED);
		return;
	}
	__lockstat_sample(lock);
}

/*
 * A release: the common case (untimed hold of this period, nobody queued) adds one to this
 * CPU's count for the class, with a relaxed atomic so that an interrupt on this CPU loses
 * nothing; it is this CPU's line, so nothing bounces.
 * Context: `cpu` (this CPU) holds `lock`, just before handing it on.
 */
static __always_inline void lockstat_released(spinlock_t *lock, u32 waiters, unsigned int cpu)
{
	u32 st = lock->stat_epoch;
	struct lock_class *c = __atomic_load_n(&lock->class, __ATOMIC_RELAXED);

	if (likely(!waiters && c && st == __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED))) {
		lock->stat_epoch = 0;
		__atomic_fetch_add(&per_cpu_ptr(&lockstat_cpu, cpu)->cls[c - lockstat_classes].holds,
				   1, __ATOMIC_RELAXED);
		return;
	}
	__lockstat_released_slow(lock, waiters, st, cpu);
}

#endif /* KERNEL_LOCKSTAT_H */
