// SPDX-License-Identifier: MIT
/*
 * ktest suite `lock`: spinlocks under SMP and lock statistics. A torture where every CPU
 * increments shared counters under several locks (exact totals), lock statistics counting
 * (exact acquisitions on one CPU, contentions under contention), and guards releasing on
 * every way out of a scope. The multi-CPU loops are started by on_each_cpu() and so run
 * with IRQs off (test-only use of interrupt context).
 */
#include "kernel/ktest.h"
#include "kernel/spinlock.h"
#include "kernel/lockstat.h"
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

#define TORTURE_LOCKS 4

struct torture {
	spinlock_t lock[TORTURE_LOCKS];
	u64 counter[TORTURE_LOCKS];	/* (s) lock[i] */
	u64 pair_a, pair_b;		/* (s) lock[0]: always equal when it is held */
	unsigned long iters;		/* (c) */
	u32 arrived;			/* (l) start barrier */
	u32 bad_pairs;			/* (l) */
};
static struct torture tort;

static void torture_fn(void *info)
{
	unsigned int ncpus = num_online_cpus(), cpu = smp_processor_id();

	(void)info;
	__atomic_fetch_add(&tort.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&tort.arrived, __ATOMIC_ACQUIRE) < ncpus)
		arch_cpu_relax();
	for (unsigned long i = 0; i < tort.iters; i++) {
		unsigned int l = (unsigned int)((i + cpu) % TORTURE_LOCKS);

		if (l == 0) {
			guard(spinlock)(&tort.lock[0]);
			if (tort.pair_a != tort.pair_b)
				__atomic_fetch_add(&tort.bad_pairs, 1, __ATOMIC_RELAXED);
			tort.pair_a++;
			tort.counter[0]++;
			tort.pair_b++;
		} else if (i & 1) {
			scoped_guard(spinlock_irqsave, &tort.lock[l])
				tort.counter[l]++;
		} else {
			/* trylock path too: spin on trylock, then count. */
			while (!spin_trylock(&tort.lock[l]))
				arch_cpu_relax();
			tort.counter[l]++;
			spin_unlock(&tort.lock[l]);
		}
	}
}

static void run_torture(unsigned long iters)
{
	memset(&tort, 0, sizeof(tort));
	for (unsigned int i = 0; i < TORTURE_LOCKS; i++)
		spin_lock_init(&tort.lock[i], "torture_lock");
	tort.iters = iters;
	on_each_cpu(torture_fn, NULL, true);
}

static void lock_torture_exact(struct ktest *t)
{
	unsigned long total = 400000, iters;
	unsigned int ncpus = num_online_cpus();
	u64 sum = 0;

	if (ncpus < 2) {
		ktest_skip(t, "needs at least 2 online CPUs");
		return;
	}
	if (arch_irqs_disabled())
		arch_local_irq_enable();
	/*
	 * A fixed total shared by the CPUs: under TCG, 8 vCPUs on 2 host cores run the same
	 * total in about the time 2 do, instead of four times as long.
	 */
	cmdline_get_ulong("lock_test.iters", &total);
	iters = total / ncpus;
	u64 t0 = arch_clock_ns();

	run_torture(iters);
	for (unsigned int i = 0; i < TORTURE_LOCKS; i++) {
		sum += tort.counter[i];
		KT_EXPECT_FALSE(t, spin_is_locked(&tort.lock[i]));
	}
	KT_EXPECT_EQ(t, sum, (u64)iters * ncpus);
	KT_EXPECT_EQ(t, tort.pair_a, tort.counter[0]);
	KT_EXPECT_EQ(t, tort.pair_b, tort.counter[0]);
	KT_EXPECT_EQ(t, tort.bad_pairs, 0);
	ktest_log(t, "%llu increments on %u CPUs in %llu ms", (unsigned long long)sum, ncpus,
		  (unsigned long long)((arch_clock_ns() - t0) / 1000000));
}

static void lockstat_counts_exact(struct ktest *t)
{
	static spinlock_t l = SPINLOCK_INIT("ktest_lockstat_single");
	struct lock_class_stats s;
	bool was = lockstat_enabled();

	lockstat_enable(false);
	lockstat_reset();
	spin_lock(&l);		/* with statistics off: not counted */
	spin_unlock(&l);
	lockstat_enable(true);
	for (int i = 0; i < 1000; i++) {
		spin_lock(&l);
		spin_unlock(&l);
	}
	KT_EXPECT_TRUE(t, spin_trylock(&l));
	spin_unlock(&l);
	lockstat_enable(was);
	KT_ASSERT_TRUE(t, lockstat_get("ktest_lockstat_single", &s));
	KT_EXPECT_EQ(t, s.acquisitions, 1001);
	KT_EXPECT_EQ(t, s.contentions, 0);
	KT_EXPECT_EQ(t, s.contended_releases, 0);
	KT_EXPECT_EQ(t, s.holds, 1001);
	KT_EXPECT_LE(t, s.hold_min_ns, s.hold_max_ns);
}

/* The contention test's lock and its hand-shake with the waiting CPU. */
static spinlock_t contend_lock = SPINLOCK_INIT("ktest_lockstat_contended");
static u32 waiter_done;		/* (l) set by the waiter after its lock/unlock */

static void contend_waiter(void *info)
{
	(void)info;
	spin_lock(&contend_lock);	/* spins: the test CPU holds it */
	spin_unlock(&contend_lock);
	__atomic_store_n(&waiter_done, 1, __ATOMIC_RELEASE);
}

/*
 * Contention made deterministic: this CPU holds `contend_lock` until it sees another CPU
 * queued on it (a ticket taken: next - owner_ticket == 2), and 20 ms more, then releases it.
 * Each round is one contention for the waiter and one contended release for us. (Without the
 * 20 ms a waiter whose vCPU the host paused right after it took its ticket found the lock
 * already handed over at its first look: queued, but never spinning, so not contended.)
 * Returns false (after failing the test) if the other CPU did not follow.
 */
static bool contend_rounds(struct ktest *t, unsigned int other, int rounds)
{
	for (int r = 0; r < rounds; r++) {
		__atomic_store_n(&waiter_done, 0, __ATOMIC_RELAXED);
		spin_lock(&contend_lock);
		smp_call_function_single(other, contend_waiter, NULL, false);
		u64 deadline = arch_clock_ns() + 5000000000ULL;

		/* Wait until the other CPU has taken a ticket behind ours. */
		while (__atomic_load_n(&contend_lock.next, __ATOMIC_ACQUIRE) -
		       READ_ONCE(contend_lock.owner_ticket) < 2 && arch_clock_ns() < deadline)
			arch_cpu_relax();
		/* Let it reach its spin loop: its vCPU may be paused between the two steps. */
		for (u64 until = arch_clock_ns() + 20000000ULL; arch_clock_ns() < until;)
			arch_cpu_relax();
		spin_unlock(&contend_lock);
		while (!__atomic_load_n(&waiter_done, __ATOMIC_ACQUIRE) &&
		       arch_clock_ns() < deadline)
			arch_cpu_relax();
		KT_EXPECT_TRUE(t, __atomic_load_n(&waiter_done, __ATOMIC_ACQUIRE));
		if (!__atomic_load_n(&waiter_done, __ATOMIC_ACQUIRE))
			return false;
	}
	return true;
}

/* Another online CPU than this one, or NR_CPUS if there is none. */
static unsigned int other_cpu(void)
{
	unsigned int me = smp_processor_id(), cpu;

	for_each_online_cpu(cpu)
		if (cpu != me)
			return cpu;
	return NR_CPUS;
}

static void lockstat_sees_contention(struct ktest *t)
{
	struct lock_class_stats s;
	bool was = lockstat_enabled();
	unsigned int other = other_cpu();
	const int rounds = 10;

	if (other == NR_CPUS) {
		ktest_skip(t, "needs at least 2 online CPUs");
		return;
	}
	if (arch_irqs_disabled())
		arch_local_irq_enable();
	lockstat_reset();
	lockstat_enable(true);
	bool ok = contend_rounds(t, other, rounds);

	lockstat_enable(was);
	KT_ASSERT_TRUE(t, ok);
	KT_ASSERT_TRUE(t, lockstat_get("ktest_lockstat_contended", &s));
	KT_EXPECT_EQ(t, s.acquisitions, 2 * rounds);
	KT_EXPECT_EQ(t, s.contentions, rounds);
	KT_EXPECT_EQ(t, s.contended_releases, rounds);
	KT_EXPECT_GT(t, s.wait_total_ns, 0);
	KT_EXPECT_LE(t, s.wait_max_ns, s.wait_total_ns);
	ktest_log(t, "%llu acquisitions, %llu contentions, %llu contended releases",
		  (unsigned long long)s.acquisitions, (unsigned long long)s.contentions,
		  (unsigned long long)s.contended_releases);
}

/*
 * Sampling never hides contention: with a sample period so long that no uncontended hold is
 * timed after the first, every contended acquisition is still counted, its wait timed, and
 * the hold it begins timed (timed_holds - sampled_holds = the contended holds).
 */
static void lockstat_contended_always_timed(struct ktest *t)
{
	struct lock_class_stats s;
	bool was = lockstat_enabled();
	unsigned int other = other_cpu();
	const int rounds = 5;

	if (other == NR_CPUS) {
		ktest_skip(t, "needs at least 2 online CPUs");
		return;
	}
	if (arch_irqs_disabled())
		arch_local_irq_enable();
	lockstat_enable(true);
	unsigned int period = lockstat_set_sample_period(1u << 30);

	lockstat_reset();
	/* Uncontended traffic in between: the countdown is far from its next sample. */
	for (int i = 0; i < 100; i++) {
		spin_lock(&contend_lock);
		spin_unlock(&contend_lock);
	}
	bool ok = contend_rounds(t, other, rounds);

	lockstat_set_sample_period(period);
	lockstat_enable(was);
	KT_ASSERT_TRUE(t, ok);
	KT_ASSERT_TRUE(t, lockstat_get("ktest_lockstat_contended", &s));
	/* before: 100 + 2 * rounds holds, rounds of them contended; after: all counted. */
	KT_EXPECT_EQ(t, s.acquisitions, 100 + 2 * rounds);
	KT_EXPECT_EQ(t, s.contentions, rounds);
	KT_EXPECT_EQ(t, s.timed_holds - s.sampled_holds, rounds);
	/* At most the first acquisition after the period change, on each CPU, was sampled. */
	KT_EXPECT_LE(t, s.sampled_holds, 2);
	KT_EXPECT_GT(t, s.wait_total_ns, 0);
	KT_EXPECT_GT(t, s.hold_total_ns, 0);
}

/* Hold `lock` for about `cycles` cycles, `n` times; returns the cycles the holds took. */
static u64 timed_holds(spinlock_t *lock, unsigned int n, u64 short_cy, u64 long_cy)
{
	u64 sum = 0;

	for (unsigned int i = 0; i < n; i++) {
		u64 want = (i % 2) ? long_cy : short_cy;

		spin_lock(lock);
		u64 t0 = arch_cycles();

		while (arch_cycles() - t0 < want)
			;
		sum += arch_cycles() - t0;
		spin_unlock(lock);
	}
	return sum;
}

/*
 * Sampled hold times scale to the right total. Holds alternate short (~0) and long (~20 us),
 * so a sampler that always picked the same parity (a fixed period of 64 does) would be off by
 * a factor of two. With period 1 every hold is timed and the estimate is the measured sum;
 * with period 16 about 1 hold in 16 is timed and the estimate must land within 25% of the
 * sum the test measured itself. The host may stop our vCPU inside a hold (milliseconds, on
 * a loaded host): inside a timed one it inflates the estimate sixteenfold, inside an untimed
 * one only the measured sum. A try where either happened (the longest timed hold over 5x
 * the long hold, or the measured sum over 1.5x the holds asked for) is not judged; the
 * period-1 and the sampled runs each get up to eight tries to find one where neither did.
 */
static void lockstat_sampled_holds_scale(struct ktest *t)
{
	static spinlock_t l = SPINLOCK_INIT("ktest_lockstat_sampled");
	struct lock_class_stats s;
	bool was = lockstat_enabled();
	const unsigned int n = 4000;
	u64 long_cy, sum, est = 0;
	unsigned int tries;

	lockstat_enable(true);	/* calibrates cycles against ns the first time */
	/* ~20 us in cycles: the inverse of lockstat_cycles_to_ns() for 1,000,000 cycles. */
	long_cy = 20000ULL * 1000000ULL / (lockstat_cycles_to_ns(1000000) ? : 1);
	unsigned long irq = arch_local_irq_save();
	unsigned int period = lockstat_set_sample_period(1);

	u64 asked_ns = lockstat_cycles_to_ns(long_cy * (n / 2));
	bool judged = false;

	/*
	 * Period 1: the exact sum, give or take the clock reads around each hold. A host stop
	 * between lockstat's clock read and the test's own inflates one and not the other, so
	 * tries whose measured sum is far over what was asked are not judged either.
	 */
	for (tries = 0; tries < 8 && !judged; tries++) {
		lockstat_reset();
		sum = timed_holds(&l, n, 0, long_cy);
		KT_ASSERT_TRUE(t, lockstat_get("ktest_lockstat_sampled", &s));
		KT_EXPECT_EQ(t, s.holds, n);
		KT_EXPECT_EQ(t, s.timed_holds, n);
		KT_EXPECT_GE(t, s.hold_total_ns, lockstat_cycles_to_ns(sum));
		judged = lockstat_cycles_to_ns(sum) <= asked_ns * 3 / 2;
		if (judged)
			KT_EXPECT_LE(t, s.hold_total_ns, lockstat_cycles_to_ns(sum) * 11 / 10);
		else
			ktest_log(t, "period 1, try %u not judged: sum %llu us for %llu us asked",
				  tries + 1, (unsigned long long)(lockstat_cycles_to_ns(sum) / 1000),
				  (unsigned long long)(asked_ns / 1000));
	}
	if (!judged) {
		lockstat_set_sample_period(period);
		arch_local_irq_restore(irq);
		lockstat_enable(was);
		ktest_skip(t, "the host stopped this vCPU inside holds in all 8 period-1 tries");
		return;
	}
	lockstat_set_sample_period(16);
	judged = false;

	for (tries = 0; tries < 8 && !judged; tries++) {
		lockstat_reset();
		sum = timed_holds(&l, n, 0, long_cy);
		KT_ASSERT_TRUE(t, lockstat_get("ktest_lockstat_sampled", &s));
		est = s.hold_total_ns;
		judged = s.hold_max_ns <= lockstat_cycles_to_ns(long_cy) * 5 &&
			 lockstat_cycles_to_ns(sum) <= asked_ns * 3 / 2;
		if (!judged)
			ktest_log(t, "try %u not judged: longest timed hold %llu us, sum %llu us "
				  "for %llu us asked", tries + 1,
				  (unsigned long long)(s.hold_max_ns / 1000),
				  (unsigned long long)(lockstat_cycles_to_ns(sum) / 1000),
				  (unsigned long long)(asked_ns / 1000));
	}
	lockstat_set_sample_period(period);
	arch_local_irq_restore(irq);
	lockstat_enable(was);
	if (!judged) {
		ktest_skip(t, "the host stopped this vCPU inside holds in all 8 tries");
		return;
	}
	tries--;
	KT_EXPECT_GE(t, est, lockstat_cycles_to_ns(sum) * 3 / 4);
	KT_EXPECT_LE(t, est, lockstat_cycles_to_ns(sum) * 5 / 4);
	KT_EXPECT_EQ(t, s.holds, n);
	/* About n / 16 = 250 timed; generous bounds, the countdown is pseudo-random. */
	KT_EXPECT_GE(t, s.sampled_holds, n / 32);
	KT_EXPECT_LE(t, s.sampled_holds, n / 8);
	ktest_log(t, "period 16: %llu of %u holds timed, estimate %llu us, measured %llu us "
		  "(try %u)", (unsigned long long)s.sampled_holds, n,
		  (unsigned long long)(est / 1000),
		  (unsigned long long)(lockstat_cycles_to_ns(sum) / 1000), tries + 1);
}

/* Leave a guarded scope by return, break, continue and goto-free early exit. */
static int guard_exits(spinlock_t *l, int how)
{
	for (int i = 0; i < 3; i++) {
		guard(spinlock_irqsave)(l);
		if (how == 0)
			return 10;
		if (how == 1)
			break;
		if (how == 2)
			continue;
	}
	scoped_guard(spinlock, l) {
		if (how == 3)
			return 13;
	}
	return 20 + how;
}

static void guard_unlocks_every_exit(struct ktest *t)
{
	DEFINE_SPINLOCK(l);
	bool irqs = arch_irqs_disabled();

	KT_EXPECT_EQ(t, guard_exits(&l, 0), 10);
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	KT_EXPECT_EQ(t, guard_exits(&l, 1), 21);
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	KT_EXPECT_EQ(t, guard_exits(&l, 2), 22);
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	KT_EXPECT_EQ(t, guard_exits(&l, 3), 13);
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	KT_EXPECT_EQ(t, arch_irqs_disabled(), irqs);
	/* Nested guards release in reverse order and restore the outer interrupt state. */
	DEFINE_SPINLOCK(m);
	/* (Nested scoped_guard()s trip -Wshadow in cleanup.h: plain guard() in blocks.) */
	{
		guard(spinlock_irqsave)(&l);
		{
			guard(spinlock_irqsave)(&m);
			KT_EXPECT_TRUE(t, arch_irqs_disabled());
		}
		KT_EXPECT_FALSE(t, spin_is_locked(&m));
		KT_EXPECT_TRUE(t, spin_held_by_me(&l));
		KT_EXPECT_TRUE(t, arch_irqs_disabled());
	}
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	KT_EXPECT_EQ(t, arch_irqs_disabled(), irqs);
}

static void contended_release_hook_fires(struct ktest *t)
{
	/* Single CPU: a release with nobody queued must not call the hook. */
	static spinlock_t l = SPINLOCK_INIT("ktest_hook");
	static u32 calls;

	calls = 0;
	spin_set_contended_release_hook(NULL);
	spin_lock(&l);
	spin_unlock(&l);
	KT_EXPECT_EQ(t, calls, 0);
	KT_EXPECT_EQ(t, spinlock_hooks & SPIN_HOOK_TRACE, 0);
}

static struct ktest_case lock_cases[] = {
	KTEST_CASE(lockstat_counts_exact),
	KTEST_CASE(guard_unlocks_every_exit),
	KTEST_CASE(contended_release_hook_fires),
	KTEST_CASE(lock_torture_exact),
	KTEST_CASE(lockstat_sees_contention),
	KTEST_CASE(lockstat_contended_always_timed),
	KTEST_CASE(lockstat_sampled_holds_scale),
	{}
};
KTEST_SUITE(lock, lock_cases);
