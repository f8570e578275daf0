// SPDX-License-Identifier: MIT
/*
 * Lock statistics per lock class (see kernel/lockstat.h for what is counted, timed and
 * sampled), printed like /proc/lock_stat:
 *
 *	lock_stat version 0.4
 *	-----------------------------------------------------------------------------...
 *	                              class name    con-bounces    contentions ...
 *	-----------------------------------------------------------------------------...
 *
 *	                             zone->lock:              0             12 ...
 *
 *	# lockstat: ... (what is sampled, and how many holds were timed)
 *
 * What we measure and what we do not: contentions, acquisitions and wait time (contended
 * acquisitions only, as Linux) are exact; hold time is exact for holds that began contended
 * and sampled for the others (the note under the table says how many were timed);
 * con-bounces and acq-bounces (Linux counts acquisitions that moved the lock between CPUs)
 * are printed as 0, and the per-class contention-point lines that Linux prints under each
 * class are left out. Acquisitions are counted at release, as Linux counts them (its
 * acquisitions column is the number of timed holds): a lock held right now is not in them
 * yet. Contended releases are not a lock_stat column: lockstat_get() and the ktest suite
 * read them.
 *
 * Where the figures live. What the uncontended path writes is per CPU: for each class a
 * count of holds and the sums of the sampled hold times (struct lockstat_cpu_class, indexed
 * by the class's slot). What only the contended path writes is class-wide (struct
 * lock_class): by then the waiter has spun on the lock's line for a while. The per-hold state
 * (acquired in which statistics period, contended or not, timed or not, when) sits in the
 * lock itself, which only its holder writes. Readers add the CPUs up.
 *
 * Sampling. Each CPU counts its uncontended acquisitions down; the one that reaches zero is
 * timed, and the countdown restarts at a pseudo-random value with mean about the sample
 * period. The jitter matters: a loop that cycles through 4 locks with a fixed period of 64
 * would time only one of them. An interrupt that takes a lock between the countdown's load
 * and store on the same CPU only shifts the next sample; the counters themselves are updated
 * with relaxed atomics, which on a CPU's own line cost no bouncing and lose nothing.
 *
 * The class table is a fixed open-addressing hash keyed by the name string. A lookup probes
 * from the name's hash; an empty slot is claimed with a CAS on its name, so two CPUs adding
 * the same name race on the same slot and the loser finds the winner's entry one step later.
 * Slots are never freed, so a class pointer cached in a lock (lock->class) stays valid.
 *
 * Locking: (l) for struct lock_class: relaxed atomic adds, min/max by CAS loops; (i) for the
 * per-CPU parts, with relaxed atomics against this CPU's interrupts.
 */
#include "kernel/lockstat.h"
#include "kernel/printk.h"
#include "kernel/percpu.h"
#include "kernel/cpumask.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

struct lock_class lockstat_classes[LOCKSTAT_MAX_CLASSES + 1] = {
	[LOCKSTAT_MAX_CLASSES] = { .name = "(lockstat table full)" },
};
#define classes		lockstat_classes
#define overflow_class	lockstat_classes[LOCKSTAT_MAX_CLASSES]
#define OVERFLOW_INDEX	LOCKSTAT_MAX_CLASSES

DEFINE_PER_CPU(struct lockstat_cpu, lockstat_cpu);

u32 lockstat_epoch = 1;
/* ns per cycle in 8.24 fixed point; 0 until calibrated. */
static u64 ns_per_cycle_q24;
/* Mean uncontended acquisitions per timed hold (l: read by every CPU at each sample). */
static u32 sample_period = LOCKSTAT_SAMPLE_PERIOD;

static inline void add(u64 *v, u64 n)
{
	__atomic_fetch_add(v, n, __ATOMIC_RELAXED);
}

static inline u64 load(const u64 *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

static void update_max(u64 *v, u64 n)
{
	u64 cur = load(v);

	while (n > cur &&
	       !__atomic_compare_exchange_n(v, &cur, n, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Minimums are stored plus one, so that 0 can mean "nothing recorded yet". */
static void update_min(u64 *v, u64 n)
{
	u64 cur = load(v);

	n += 1;
	while ((cur == 0 || n < cur) &&
	       !__atomic_compare_exchange_n(v, &cur, n, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* FNV-1a: a short, well-mixing string hash. */
static unsigned int name_hash(const char *s)
{
	u32 h = 2166136261u;

	while (*s)
		h = (h ^ (u8)*s++) * 16777619u;
	return h;
}

struct lock_class *lockstat_class(const char *name)
{
	if (!name)
		name = "(unnamed)";
	unsigned int start = name_hash(name) % LOCKSTAT_MAX_CLASSES;

	for (unsigned int i = 0; i < LOCKSTAT_MAX_CLASSES; i++) {
		struct lock_class *c = &classes[(start + i) % LOCKSTAT_MAX_CLASSES];
		/* Acquire: pairs with the claiming CAS, though the slot's counters start at 0. */
		const char *cur = __atomic_load_n(&c->name, __ATOMIC_ACQUIRE);

		if (!cur) {
			if (__atomic_compare_exchange_n(&c->name, &cur, name, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return c;
			/* Someone claimed it first: cur now holds their name. */
		}
		if (cur == name || strcmp(cur, name) == 0)
			return c;
	}
	return &overflow_class;
}

static struct lock_class *lock_class_of(spinlock_t *lock)
{
	struct lock_class *c = __atomic_load_n(&lock->class, __ATOMIC_ACQUIRE);

	if (likely(c))
		return c;
	c = lockstat_class(lock->name);
	/* Two CPUs may both look it up; they find the same class, so either store is right. */
	__atomic_store_n(&lock->class, c, __ATOMIC_RELEASE);
	return c;
}

static unsigned int class_index(const struct lock_class *c)
{
	return (unsigned int)(c - classes);
}

/* The next countdown: uniform in [period/2, period/2 + period), mean about `period`. */
static u32 next_countdown(struct lockstat_cpu *lc)
{
	u32 p = __atomic_load_n(&sample_period, __ATOMIC_RELAXED), x = lc->rng;

	if (p <= 1)
		return 1;
	if (!x)		/* first use on this CPU: any non-zero seed that differs per CPU */
		x = 0x9e3779b9u ^ (smp_processor_id() * 0x85ebca6bu);
	/* xorshift32 (Marsaglia): cheap, and good enough to break up periodic patterns. */
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	lc->rng = x;
	/* The high half: xorshift32's low bits are its weakest (parity patterns would bias). */
	return p / 2 + (x >> 16) % p;
}

void lockstat_acquired_contended(spinlock_t *lock, u64 wait_cycles, u64 now)
{
	struct lock_class *c = lock_class_of(lock);

	add(&c->contentions, 1);
	add(&c->wait_total, wait_cycles);
	update_max(&c->wait_max, wait_cycles);
	update_min(&c->wait_min, wait_cycles);
	/* We hold the lock: stat_epoch and hold_start are ours until we release it. */
	lock->hold_start = now;
	lock->stat_epoch = __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED) |
			   STAT_HOLD_CONTENDED | STAT_HOLD_TIMED;
}

void __lockstat_sample(spinlock_t *lock)
{
	struct lockstat_cpu *lc = this_cpu_ptr(&lockstat_cpu);

	lc->countdown = next_countdown(lc);
	lock->stat_epoch = __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED) | STAT_HOLD_TIMED;
	lock->hold_start = arch_cycles();
}

void __lockstat_released_slow(spinlock_t *lock, u32 waiters, u32 st, unsigned int cpu)
{
	struct lock_class *c = lock_class_of(lock);

	lock->stat_epoch = 0;
	if (waiters)
		add(&c->contended_releases, 1);
	/* Acquired with statistics off, or in an earlier period: not counted. */
	if ((st & STAT_EPOCH_MASK) != __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED))
		return;
	struct lockstat_cpu_class *pc = &per_cpu_ptr(&lockstat_cpu, cpu)->cls[class_index(c)];

	add(&pc->holds, 1);
	if (!(st & STAT_HOLD_TIMED))
		return;
	u64 hold = arch_cycles() - lock->hold_start;

	if (st & STAT_HOLD_CONTENDED) {
		add(&c->contended_holds, 1);
		add(&c->contended_hold_total, hold);
	} else {
		add(&pc->sampled, 1);
		add(&pc->sampled_total, hold);
	}
	update_max(&pc->hold_max, hold);
	update_min(&pc->hold_min, hold);
}

unsigned int lockstat_set_sample_period(unsigned int period)
{
	unsigned int old = __atomic_exchange_n(&sample_period, period ? period : 1,
					       __ATOMIC_RELAXED);
	/* This CPU starts the new period at once (tests rely on it); others at their next sample. */
	this_cpu_ptr(&lockstat_cpu)->countdown = 0;
	return old;
}

/* Measure cycles against nanoseconds over a couple of milliseconds. */
static void lockstat_calibrate(void)
{
	u64 ns0 = arch_clock_ns(), cy0 = arch_cycles(), ns1, cy1;

	do {
		arch_cpu_relax();
		ns1 = arch_clock_ns();
	} while (ns1 - ns0 < 2000000);
	cy1 = arch_cycles();
	ns1 = arch_clock_ns();
	if (cy1 == cy0)		/* no cycle counter: treat cycles as nanoseconds */
		__atomic_store_n(&ns_per_cycle_q24, 1ULL << 24, __ATOMIC_RELAXED);
	else
		__atomic_store_n(&ns_per_cycle_q24, ((ns1 - ns0) << 24) / (cy1 - cy0),
				 __ATOMIC_RELAXED);
}

u64 lockstat_cycles_to_ns(u64 cycles)
{
	u64 f = __atomic_load_n(&ns_per_cycle_q24, __ATOMIC_RELAXED);

	if (!f)
		return cycles;
	/* Split so neither product overflows 64 bits for any realistic cycle count. */
	return (cycles >> 24) * f + (((cycles & 0xffffff) * f) >> 24);
}

void lockstat_enable(bool on)
{
	if (on) {
		if (!__atomic_load_n(&ns_per_cycle_q24, __ATOMIC_RELAXED))
			lockstat_calibrate();
		u32 e = __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED) + 1;

		/* Only this function writes the epoch; it skips 0, which means "off". */
		__atomic_store_n(&lockstat_epoch, (e & STAT_EPOCH_MASK) ? e & STAT_EPOCH_MASK : 1,
				 __ATOMIC_RELAXED);
		/* Release: the new epoch is visible before any lock path sees the bit. */
		__atomic_fetch_or(&spinlock_hooks, SPIN_HOOK_LOCKSTAT, __ATOMIC_RELEASE);
	} else {
		__atomic_fetch_and(&spinlock_hooks, ~SPIN_HOOK_LOCKSTAT, __ATOMIC_RELEASE);
	}
}

void lockstat_init(void)
{
	char v[8];

	/*
	 * Off by default: on, an uncontended lock+unlock still costs about 1.5x (bench=lock),
	 * short of the 1.10x at which they would be cheap enough to leave on.
	 */
	if (cmdline_get("lockstat", v, sizeof(v)) && strcmp(v, "on") == 0) {
		lockstat_enable(true);
		pr_info("lockstat: on (lockstat=on)\n");
	}
}

bool lockstat_enabled(void)
{
	return __atomic_load_n(&spinlock_hooks, __ATOMIC_RELAXED) & SPIN_HOOK_LOCKSTAT;
}

static void class_reset(struct lock_class *c)
{
	u64 *fields[] = { &c->contentions, &c->contended_releases, &c->wait_min, &c->wait_max,
			  &c->wait_total, &c->contended_holds, &c->contended_hold_total };

	for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++)
		__atomic_store_n(fields[i], 0, __ATOMIC_RELAXED);
}

/*
 * The CPUs whose per-CPU copy is really theirs: CPU 0, and any CPU with an area. Before
 * setup_per_cpu_areas() every offset is 0 and would alias CPU 0's copy.
 */
#define for_each_stat_cpu(cpu)	for_each_possible_cpu(cpu) \
					if ((cpu) == 0 || __per_cpu_offset[(cpu)])

void lockstat_reset(void)
{
	unsigned int cpu;

	for (unsigned int i = 0; i < LOCKSTAT_MAX_CLASSES; i++)
		class_reset(&classes[i]);
	class_reset(&overflow_class);
	for_each_stat_cpu(cpu) {
		struct lockstat_cpu_class *pc = per_cpu_ptr(&lockstat_cpu, cpu)->cls;

		for (unsigned int i = 0; i <= OVERFLOW_INDEX; i++) {
			u64 *f[] = { &pc[i].holds, &pc[i].sampled, &pc[i].sampled_total,
				     &pc[i].hold_min, &pc[i].hold_max };

			for (unsigned int k = 0; k < ARRAY_SIZE(f); k++)
				__atomic_store_n(f[k], 0, __ATOMIC_RELAXED);
		}
	}
}

static void class_snapshot(const struct lock_class *c, struct lock_class_stats *s)
{
	u64 wmin = load(&c->wait_min), hmin = 0, hmax = 0, sampled_total = 0;
	unsigned int idx = class_index(c), cpu;

	memset(s, 0, sizeof(*s));
	for_each_stat_cpu(cpu) {
		const struct lockstat_cpu_class *pc = &per_cpu_ptr(&lockstat_cpu, cpu)->cls[idx];
		u64 m = load(&pc->hold_min), x = load(&pc->hold_max);

		s->holds += load(&pc->holds);
		s->sampled_holds += load(&pc->sampled);
		sampled_total += load(&pc->sampled_total);
		if (m && (!hmin || m < hmin))
			hmin = m;
		if (x > hmax)
			hmax = x;
	}
	u64 chold = load(&c->contended_holds), ctotal = load(&c->contended_hold_total);
	/* Holds that began uncontended; a reset racing with a release may skew them, clamp. */
	u64 unc = s->holds > chold ? s->holds - chold : 0;
	u64 total = ctotal;

	if (s->sampled_holds) {
		u64 n = unc > s->sampled_holds ? unc : s->sampled_holds;

		u64 mean = sampled_total / s->sampled_holds;
		u64 rem = sampled_total % s->sampled_holds;

		/*
		 * Scale the sample to every uncontended hold: mean * n, plus the remainder's
		 * share (under one cycle per hold: dropped if rem * n would overflow 64 bits).
		 * No 128-bit division: riscv64's libgcc here cannot be linked for it.
		 */
		total += mean * n;
		if (rem && n <= ~0ULL / rem)
			total += rem * n / s->sampled_holds;
	}
	s->acquisitions = s->holds;
	s->timed_holds = chold + s->sampled_holds;
	s->contentions = load(&c->contentions);
	s->contended_releases = load(&c->contended_releases);
	s->wait_min_ns = wmin ? lockstat_cycles_to_ns(wmin - 1) : 0;
	s->wait_max_ns = lockstat_cycles_to_ns(load(&c->wait_max));
	s->wait_total_ns = lockstat_cycles_to_ns(load(&c->wait_total));
	s->hold_min_ns = hmin ? lockstat_cycles_to_ns(hmin - 1) : 0;
	s->hold_max_ns = lockstat_cycles_to_ns(hmax);
	s->hold_total_ns = lockstat_cycles_to_ns(total);
}

bool lockstat_get(const char *name, struct lock_class_stats *out)
{
	for (unsigned int i = 0; i < LOCKSTAT_MAX_CLASSES; i++) {
		const char *n = __atomic_load_n(&classes[i].name, __ATOMIC_ACQUIRE);

		if (n && strcmp(n, name) == 0) {
			class_snapshot(&classes[i], out);
			return true;
		}
	}
	return false;
}

/* lock_stat prints times in microseconds with two decimals, right-aligned in 14 columns. */
static void fmt_time(char *buf, size_t len, u64 ns)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu.%02llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)(ns % 1000 / 10));
	snprintf(buf, len, " %14s", tmp);
}

static void print_rule(void)
{
	char line[40 + 1 + 12 * 15 + 2];
	unsigned int n = 40 + 1 + 12 * 15;

	memset(line, '-', n);
	line[n] = '\n';
	line[n + 1] = '\0';
	printk("%s", line);
}

static void print_class(const char *name, const struct lock_class_stats *s)
{
	char w[4][20], h[4][20];

	fmt_time(w[0], sizeof(w[0]), s->wait_min_ns);
	fmt_time(w[1], sizeof(w[1]), s->wait_max_ns);
	fmt_time(w[2], sizeof(w[2]), s->wait_total_ns);
	fmt_time(w[3], sizeof(w[3]), s->contentions ? s->wait_total_ns / s->contentions : 0);
	fmt_time(h[0], sizeof(h[0]), s->hold_min_ns);
	fmt_time(h[1], sizeof(h[1]), s->hold_max_ns);
	fmt_time(h[2], sizeof(h[2]), s->hold_total_ns);
	fmt_time(h[3], sizeof(h[3]), s->holds ? s->hold_total_ns / s->holds : 0);
	printk("%40s: %14llu %14llu%s%s%s%s %14llu %14llu%s%s%s%s\n", name, 0ULL,
	       (unsigned long long)s->contentions, w[0], w[1], w[2], w[3], 0ULL,
	       (unsigned long long)s->acquisitions, h[0], h[1], h[2], h[3]);
}

void lockstat_print(void)
{
	static u16 order[LOCKSTAT_MAX_CLASSES];	/* (m) the shell runs on one CPU */
	static struct lock_class_stats snap[LOCKSTAT_MAX_CLASSES];
	unsigned int n = 0;

	for (unsigned int i = 0; i < LOCKSTAT_MAX_CLASSES; i++) {
		if (!__atomic_load_n(&classes[i].name, __ATOMIC_ACQUIRE))
			continue;
		class_snapshot(&classes[i], &snap[i]);
		if (!snap[i].acquisitions)
			continue;
		/* Insertion sort, most contended first, then most acquired. */
		unsigned int j = n++;

		while (j > 0 && (snap[order[j - 1]].contentions < snap[i].contentions ||
				 (snap[order[j - 1]].contentions == snap[i].contentions &&
				  snap[order[j - 1]].acquisitions < snap[i].acquisitions))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (u16)i;
	}
	printk("lock_stat version 0.4\n");
	print_rule();
	printk("%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s\n",
	       "class name", "con-bounces", "contentions", "waittime-min", "waittime-max",
	       "waittime-total", "waittime-avg", "acq-bounces", "acquisitions", "holdtime-min",
	       "holdtime-max", "holdtime-total", "holdtime-avg");
	print_rule();
	printk("\n");
	for (unsigned int k = 0; k < n; k++)
		print_class(classes[order[k]].name, &snap[order[k]]);
	struct lock_class_stats ov;

	class_snapshot(&overflow_class, &ov);
	if (ov.acquisitions)
		print_class(overflow_class.name, &ov);
	printk("\n");
	u64 holds = ov.holds, timed = ov.timed_holds;

	for (unsigned int k = 0; k < n; k++) {
		holds += snap[order[k]].holds;
		timed += snap[order[k]].timed_holds;
	}
	printk("# lockstat: contentions, acquisitions and wait times are exact; hold times are "
	       "timed for every hold begun by a contended acquisition and for about 1 in %u "
	       "uncontended ones per CPU (%llu of %llu holds timed): holdtime-total and -avg "
	       "scale the sample up, holdtime-min and -max are over the timed holds; bounces "
	       "are not measured (0)\n",
	       __atomic_load_n(&sample_period, __ATOMIC_RELAXED), (unsigned long long)timed,
	       (unsigned long long)holds);
}
