// SPDX-License-Identifier: MIT
/*
 * Lock statistics per lock class (see kernel/lockstat.h), printed like /proc/lock_stat:
 *
 *	lock_stat version 0.4
 *	-----------------------------------------------------------------------------...
 *	                              class name    con-bounces    contentions ...
 *	-----------------------------------------------------------------------------...
 *
 *	                             zone->lock:              0             12 ...
 *
 * What we measure and what we do not: contentions, acquisitions, wait time (contended
 * acquisitions only, as Linux) and hold time are real; con-bounces and acq-bounces (Linux
 * counts acquisitions that moved the lock between CPUs) are printed as 0, and the per-class
 * contention-point lines that Linux prints under each class are left out. Contended releases
 * are not a lock_stat column: lockstat_get() and the ktest suite read them.
 *
 * The class table is a fixed open-addressing hash keyed by the name string. A lookup probes
 * from the name's hash; an empty slot is claimed with a CAS on its name, so two CPUs adding
 * the same name race on the same slot and the loser finds the winner's entry one step later.
 * Slots are never freed, so a class pointer cached in a lock (lock->class) stays valid.
 *
 * Locking: (l) everywhere: relaxed atomic adds; min/max by CAS loops.
 */
#include "kernel/lockstat.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

static struct lock_class classes[LOCKSTAT_MAX_CLASSES];
static struct lock_class overflow_class = { .name = "(lockstat table full)" };

/* Bumped by each enable: a hold_start stamped in an earlier period is not trusted. */
static u32 lockstat_epoch = 1;
/* ns per cycle in 8.24 fixed point; 0 until calibrated. */
static u64 ns_per_cycle_q24;

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

void lockstat_acquired(spinlock_t *lock, bool contended, u64 wait_cycles, u64 now)
{
	struct lock_class *c = lock_class_of(lock);

	add(&c->acquisitions, 1);
	if (contended) {
		add(&c->contentions, 1);
		add(&c->wait_total, wait_cycles);
		update_max(&c->wait_max, wait_cycles);
		update_min(&c->wait_min, wait_cycles);
	}
	/* We hold the lock: these two fields are ours until we release it. */
	lock->stat_epoch = __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED);
	lock->hold_start = now;
}

void lockstat_released(spinlock_t *lock, u32 waiters, u64 now)
{
	struct lock_class *c = lock_class_of(lock);

	if (waiters)
		add(&c->contended_releases, 1);
	if (lock->hold_start &&
	    lock->stat_epoch == __atomic_load_n(&lockstat_epoch, __ATOMIC_RELAXED)) {
		u64 hold = now - lock->hold_start;

		add(&c->holds, 1);
		add(&c->hold_total, hold);
		update_max(&c->hold_max, hold);
		update_min(&c->hold_min, hold);
	}
	lock->hold_start = 0;
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
		__atomic_fetch_add(&lockstat_epoch, 1, __ATOMIC_RELAXED);
		/* Release: the new epoch is visible before any lock path sees the bit. */
		__atomic_fetch_or(&spinlock_hooks, SPIN_HOOK_LOCKSTAT, __ATOMIC_RELEASE);
	} else {
		__atomic_fetch_and(&spinlock_hooks, ~SPIN_HOOK_LOCKSTAT, __ATOMIC_RELEASE);
	}
}

bool lockstat_enabled(void)
{
	return __atomic_load_n(&spinlock_hooks, __ATOMIC_RELAXED) & SPIN_HOOK_LOCKSTAT;
}

static void class_reset(struct lock_class *c)
{
	u64 *fields[] = { &c->acquisitions, &c->contentions, &c->contended_releases,
			  &c->wait_min, &c->wait_max, &c->wait_total, &c->hold_min,
			  &c->hold_max, &c->hold_total, &c->holds };

	for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++)
		__atomic_store_n(fields[i], 0, __ATOMIC_RELAXED);
}

void lockstat_reset(void)
{
	for (unsigned int i = 0; i < LOCKSTAT_MAX_CLASSES; i++)
		class_reset(&classes[i]);
	class_reset(&overflow_class);
}

static void class_snapshot(const struct lock_class *c, struct lock_class_stats *s)
{
	u64 wmin = load(&c->wait_min), hmin = load(&c->hold_min);

	s->acquisitions = load(&c->acquisitions);
	s->contentions = load(&c->contentions);
	s->contended_releases = load(&c->contended_releases);
	s->wait_min_ns = wmin ? lockstat_cycles_to_ns(wmin - 1) : 0;
	s->wait_max_ns = lockstat_cycles_to_ns(load(&c->wait_max));
	s->wait_total_ns = lockstat_cycles_to_ns(load(&c->wait_total));
	s->hold_min_ns = hmin ? lockstat_cycles_to_ns(hmin - 1) : 0;
	s->hold_max_ns = lockstat_cycles_to_ns(load(&c->hold_max));
	s->hold_total_ns = lockstat_cycles_to_ns(load(&c->hold_total));
	s->holds = load(&c->holds);
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
}
