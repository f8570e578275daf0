/* SPDX-License-Identifier: MIT */
/*
 * CPU masks: a bitmap with one bit per logical CPU (0 .. NR_CPUS-1), and the three masks
 * every SMP kernel keeps:
 *
 *	cpu_possible_mask  CPUs that may ever run this boot (firmware list, maxcpus=, nosmp)
 *	cpu_present_mask   possible CPUs that exist now and that smp_init() will try to start
 *	cpu_online_mask    CPUs running kernel code and taking cross-CPU calls
 *
 * online is a subset of present, present a subset of possible.
 *
 * Locking: possible and present are written by the boot CPU before SMP (m) and then constant
 * (c), except that smp_init() drops a CPU that fails to start from present. online changes
 * with the atomic variants only (l: atomic bit operations), since a CPU sets its own bit.
 * Plain cpumask_set_cpu()/cpumask_clear_cpu() are for masks one CPU owns (a local variable).
 * Shared words are read with relaxed __atomic loads (the same instructions as READ_ONCE, but
 * a race ThreadSanitizer understands: tests/host/smp).
 * Linux: include/linux/cpumask.h (same names, written anew here).
 */
#ifndef KERNEL_CPUMASK_H
#define KERNEL_CPUMASK_H

#include "kernel/compiler.h"
#include "kernel/cpu.h"

#define BITS_PER_LONG		(8 * (int)sizeof(unsigned long))
#define CPUMASK_LONGS		DIV_ROUND_UP(NR_CPUS, BITS_PER_LONG)

struct cpumask {
	unsigned long bits[CPUMASK_LONGS];
};

/* The word holding `cpu`, and its bit in that word. */
#define __cpu_word(cpu)		((cpu) / BITS_PER_LONG)
#define __cpu_bit(cpu)		(1UL << ((cpu) % BITS_PER_LONG))

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		m->bits[i] = 0;
}

static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		dst->bits[i] = __atomic_load_n(&src->bits[i], __ATOMIC_RELAXED);
}

/* Non-atomic: only for masks no other CPU writes at the same time. */
static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	m->bits[__cpu_word(cpu)] |= __cpu_bit(cpu);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	m->bits[__cpu_word(cpu)] &= ~__cpu_bit(cpu);
}

/*
 * Atomic: for shared masks (cpu_online_mask). Release ordering on set: a CPU that sees the
 * bit also sees everything the CPU wrote before setting it (its per-CPU area, its call queue).
 */
static inline void cpumask_set_cpu_atomic(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits[__cpu_word(cpu)], __cpu_bit(cpu), __ATOMIC_RELEASE);
}

static inline void cpumask_clear_cpu_atomic(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits[__cpu_word(cpu)], ~__cpu_bit(cpu), __ATOMIC_RELEASE);
}

/* Acquire pairs with the release in the atomic set: see the comment there. */
static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	if (cpu >= NR_CPUS)
		return false;
	return __atomic_load_n(&m->bits[__cpu_word(cpu)], __ATOMIC_ACQUIRE) & __cpu_bit(cpu);
}

static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		n += (unsigned int)__builtin_popcountl(__atomic_load_n(&m->bits[i],
								       __ATOMIC_RELAXED));
	return n;
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	return cpumask_weight(m) == 0;
}

static inline void cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		dst->bits[i] = __atomic_load_n(&a->bits[i], __ATOMIC_RELAXED) &
			       __atomic_load_n(&b->bits[i], __ATOMIC_RELAXED);
}

/* True if every CPU in `a` is also in `b`. */
static inline bool cpumask_subset(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		if (__atomic_load_n(&a->bits[i], __ATOMIC_RELAXED) &
		    ~__atomic_load_n(&b->bits[i], __ATOMIC_RELAXED))
			return false;
	return true;
}

/* The first CPU >= `cpu` in the mask, or NR_CPUS if none. */
static inline unsigned int cpumask_next_from(unsigned int cpu, const struct cpumask *m)
{
	while (cpu < NR_CPUS) {
		unsigned long w = __atomic_load_n(&m->bits[__cpu_word(cpu)], __ATOMIC_RELAXED);

		/* Drop the bits below `cpu` in this word, then take the lowest remaining. */
		w &= ~(__cpu_bit(cpu) - 1);
		if (w)
			return (unsigned int)(__cpu_word(cpu) * BITS_PER_LONG +
					      __builtin_ctzl(w));
		cpu = (unsigned int)((__cpu_word(cpu) + 1) * BITS_PER_LONG);
	}
	return NR_CPUS;
}

static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return cpumask_next_from(0, m);
}

/* Every CPU set in the mask, in increasing order. */
#define for_each_cpu(cpu, mask)						\
	for ((cpu) = cpumask_next_from(0, (mask)); (cpu) < NR_CPUS;	\
	     (cpu) = cpumask_next_from((cpu) + 1, (mask)))

extern struct cpumask __cpu_possible_mask;	/* (m), then (c) */
extern struct cpumask __cpu_present_mask;	/* (m), then (c) */
extern struct cpumask __cpu_online_mask;	/* (l) atomic bit operations */

#define cpu_possible_mask	((const struct cpumask *)&__cpu_possible_mask)
#define cpu_present_mask	((const struct cpumask *)&__cpu_present_mask)
#define cpu_online_mask		((const struct cpumask *)&__cpu_online_mask)

#define for_each_possible_cpu(cpu)	for_each_cpu((cpu), cpu_possible_mask)
#define for_each_present_cpu(cpu)	for_each_cpu((cpu), cpu_present_mask)
#define for_each_online_cpu(cpu)	for_each_cpu((cpu), cpu_online_mask)

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_online_mask);
}

static inline bool cpu_present(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_present_mask);
}

static inline bool cpu_possible(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_possible_mask);
}

static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(cpu_online_mask);
}

static inline unsigned int num_possible_cpus(void)
{
	return cpumask_weight(cpu_possible_mask);
}

#endif /* KERNEL_CPUMASK_H */
