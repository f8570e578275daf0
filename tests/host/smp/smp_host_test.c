// SPDX-License-Identifier: MIT
/*
 * Host tests for the generic SMP code: kernel/smp.c, percpu.c, spinlock.c and lockstat.c, with
 * mm/percpu.c (the areas' memory), compiled unchanged against shim.c, with threads as CPUs,
 * under ThreadSanitizer or ASan+UBSan. Each test runs in its own process
 * (tests/host/harness.c) and brings the CPUs up itself with boot_cpus().
 *
 * Environment: SMP_HOST_CALLS (default 200000) sets the cross-call stress size.
 */
#include "tests/host/harness.h"
#include "tests/host/smp/shim.h"
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/lockstat.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "mm/percpu.h"
#include <stdlib.h>
#include <string.h>

#define NCPUS 4

HOST_TEST(cpumask_ops)
{
	struct cpumask m, n;
	unsigned int cpu, count = 0, last = 0;

	cpumask_clear(&m);
	EXPECT_TRUE(cpumask_empty(&m));
	EXPECT_EQ(cpumask_first(&m), NR_CPUS);
	cpumask_set_cpu(0, &m);
	cpumask_set_cpu(5, &m);
	cpumask_set_cpu_atomic(63, &m);
	EXPECT_EQ(cpumask_weight(&m), 3);
	EXPECT_TRUE(cpumask_test_cpu(63, &m));
	EXPECT_TRUE(!cpumask_test_cpu(64, &m));
	for_each_cpu(cpu, &m) {
		EXPECT_TRUE(cpu >= last);
		last = cpu;
		count++;
	}
	EXPECT_EQ(count, 3);
	EXPECT_EQ(last, 63);
	cpumask_copy(&n, &m);
	cpumask_clear_cpu_atomic(5, &n);
	EXPECT_TRUE(cpumask_subset(&n, &m));
	EXPECT_TRUE(!cpumask_subset(&m, &n));
	cpumask_and(&n, &n, &m);
	EXPECT_EQ(cpumask_weight(&n), 2);
	EXPECT_EQ(cpumask_next_from(1, &m), 5);
	EXPECT_EQ(cpumask_next_from(6, &m), 63);
}

/*
 * The machine every SMP test runs on. boot_info: 5 entries, the boot CPU is entry 1 (hwid 3),
 * entry 4 is online-capable only; so NCPUS CPUs come online, one more is possible.
 */
static void boot_cpus(void)
{
	static const u32 hw[] = { 7, 3, 12, 5, 9 };

	memset(&boot_info, 0, sizeof(boot_info));
	for (unsigned int i = 0; i < 5; i++)
		boot_info.cpus[i] = (struct boot_cpu){ .hwid = hw[i], .enabled = i < 4,
						       .online_capable = i == 4 };
	boot_info.nr_cpus = 5;
	boot_info.boot_cpu_index = 1;
	shim_become_boot_cpu();
	smp_prepare_cpus();
	setup_per_cpu_areas();
	smp_init();
}

HOST_TEST(smp_bringup_masks_and_hwids)
{
	boot_cpus();
	EXPECT_EQ(num_online_cpus(), NCPUS);
	EXPECT_EQ(cpumask_weight(cpu_present_mask), NCPUS);
	EXPECT_EQ(num_possible_cpus(), 5);
	EXPECT_EQ(cpu_hwid(0), 3);
	EXPECT_EQ(cpu_hwid(1), 7);
	EXPECT_EQ(cpu_hwid(2), 12);
	EXPECT_EQ(cpu_hwid(3), 5);
	EXPECT_EQ(cpu_hwid(4), 9);
	EXPECT_TRUE(!cpu_online(4));
	EXPECT_TRUE(cpu_possible(4));
	for (unsigned int c = 0; c < 5; c++) {
		EXPECT_TRUE(percpu_hdr_of(c) != NULL);
		EXPECT_EQ(percpu_hdr_of(c)->cpu, c);
		EXPECT_EQ(percpu_hdr_of(c)->hwid, cpu_hwid(c));
	}
}

static DEFINE_PER_CPU(unsigned long, probe) = 42;
static unsigned long seen[NR_CPUS];

static void probe_fn(void *info)
{
	unsigned int cpu = smp_processor_id();

	seen[cpu] = (unsigned long)this_cpu_ptr(&probe);
	*this_cpu_ptr(&probe) += cpu + (unsigned long)info;
}

HOST_TEST(percpu_copies_distinct)
{
	unsigned int cpu;

	boot_cpus();
	memset(seen, 0, sizeof(seen));
	on_each_cpu(probe_fn, (void *)100UL, true);
	for_each_online_cpu(cpu) {
		EXPECT_EQ(seen[cpu], (unsigned long)&per_cpu(probe, cpu));
		EXPECT_EQ(per_cpu(probe, cpu), 142 + cpu);
		per_cpu(probe, cpu) = 42;
	}
	EXPECT_TRUE(&per_cpu(probe, 0) == &probe);	/* CPU 0 uses the section itself */
	EXPECT_TRUE(&per_cpu(probe, 1) != &per_cpu(probe, 2));
}

struct echo {
	unsigned int cpu;
	bool irqs_off;
	unsigned long token;
};
static struct echo echoes[NR_CPUS];

static void echo_fn(void *info)
{
	unsigned int cpu = smp_processor_id();

	echoes[cpu].cpu = cpu;
	echoes[cpu].irqs_off = arch_irqs_disabled();
	/* Release: a poller that sees the token sees the other fields. */
	__atomic_store_n(&echoes[cpu].token, (unsigned long)info + cpu, __ATOMIC_RELEASE);
}

HOST_TEST(call_single_each_cpu)
{
	boot_cpus();
	for (unsigned int cpu = 0; cpu < NCPUS; cpu++) {
		echoes[cpu].token = 0;
		EXPECT_EQ(smp_call_function_single(cpu, echo_fn, (void *)7UL, true), 0);
		EXPECT_EQ(echoes[cpu].token, 7 + cpu);
		EXPECT_TRUE(echoes[cpu].irqs_off);		/* self call: IRQs off too */
	}
	EXPECT_EQ(smp_call_function_single(4, echo_fn, NULL, true), -ENXIO);
	EXPECT_EQ(smp_call_function_single(NR_CPUS + 5, echo_fn, NULL, true), -ENXIO);
}

HOST_TEST(on_each_cpu_and_call_many)
{
	boot_cpus();
	memset(echoes, 0, sizeof(echoes));
	on_each_cpu(echo_fn, (void *)0x500UL, true);
	for (unsigned int cpu = 0; cpu < NCPUS; cpu++)
		EXPECT_EQ(echoes[cpu].token, 0x500 + cpu);
	memset(echoes, 0, sizeof(echoes));
	smp_call_function_many(cpu_online_mask, echo_fn, (void *)1UL, true);
	EXPECT_EQ(echoes[0].token, 0);
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++)
		EXPECT_EQ(echoes[cpu].token, 1 + cpu);
	/* Not waiting: eventually done. */
	memset(echoes, 0, sizeof(echoes));
	on_each_cpu(echo_fn, (void *)2UL, false);
	for (unsigned int cpu = 1; cpu < NCPUS; cpu++)
		while (__atomic_load_n(&echoes[cpu].token, __ATOMIC_ACQUIRE) != 2 + cpu)
			arch_cpu_relax();
	EXPECT_EQ(echoes[0].token, 2);
}

static u32 hold_state;

static void hold_cpu(void *info)
{
	(void)info;
	__atomic_store_n(&hold_state, 2, __ATOMIC_RELEASE);
	while (__atomic_load_n(&hold_state, __ATOMIC_ACQUIRE) != 3)
		arch_cpu_relax();		/* IRQs are off here: no IPI is taken */
}

static void count_fn(void *info)
{
	__atomic_fetch_add((u32 *)info, 1, __ATOMIC_RELAXED);
}

/* A burst of calls to a CPU that is busy with IRQs off costs one IPI; all of them run. */
HOST_TEST(one_ipi_per_burst)
{
	static struct call_single_data csds[16];
	u32 ran = 0;

	boot_cpus();
	__atomic_store_n(&hold_state, 1, __ATOMIC_RELEASE);
	smp_call_function_single(2, hold_cpu, NULL, false);
	while (__atomic_load_n(&hold_state, __ATOMIC_ACQUIRE) != 2)
		arch_cpu_relax();
	unsigned long before = shim_ipis_sent();

	for (unsigned int i = 0; i < 16; i++) {
		csds[i] = (struct call_single_data)CSD_INIT(count_fn, &ran);
		EXPECT_EQ(smp_call_function_single_async(2, &csds[i]), 0);
	}
	EXPECT_EQ(shim_ipis_sent() - before, 1);
	EXPECT_EQ(smp_call_function_single_async(2, &csds[3]), -EBUSY);
	__atomic_store_n(&hold_state, 3, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < 16; i++)
		while (csd_busy(&csds[i]))
			arch_cpu_relax();
	EXPECT_EQ(__atomic_load_n(&ran, __ATOMIC_RELAXED), 16);
}

/* ---- Stress: every CPU sends to every other; per (src, dst) counts must match ---- */

#define POOL 16
struct slot {
	struct call_single_data csd;
	unsigned int src;
};
static struct {
	unsigned long per_cpu;
	u32 arrived;
	u64 sent[NCPUS][NCPUS];
	u64 ran[NCPUS][NCPUS];
	struct slot pool[NCPUS][POOL];
} st;

static void stress_target(void *info)
{
	/* The csd is released before this runs: the source is in info, not in the slot. */
	st.ran[(unsigned long)info][smp_processor_id()]++;
}

static void stress_source(void *info)
{
	unsigned int me = smp_processor_id();

	(void)info;
	__atomic_fetch_add(&st.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&st.arrived, __ATOMIC_ACQUIRE) < NCPUS)
		smp_process_pending_calls();
	for (unsigned long i = 0; i < st.per_cpu; i++) {
		struct slot *s = &st.pool[me][i % POOL];
		unsigned int dst = (unsigned int)((me + 1 + i % (NCPUS - 1)) % NCPUS);

		while (csd_busy(&s->csd))
			smp_process_pending_calls();
		s->src = me;
		s->csd.func = stress_target;
		s->csd.info = (void *)(unsigned long)me;
		if (smp_call_function_single_async(dst, &s->csd) == 0)
			st.sent[me][dst]++;
	}
	for (unsigned int i = 0; i < POOL; i++)
		while (csd_busy(&st.pool[me][i].csd))
			smp_process_pending_calls();
}

static void nop_fn(void *info)
{
	(void)info;
}

HOST_TEST(cross_call_stress_exact)
{
	const char *env = getenv("SMP_HOST_CALLS");
	unsigned long total = env ? strtoul(env, NULL, 0) : 200000;
	u64 sum = 0;

	boot_cpus();
	memset(&st, 0, sizeof(st));
	st.per_cpu = total / NCPUS;
	on_each_cpu(stress_source, NULL, true);
	/*
	 * A fire-and-forget csd is released before its callback runs, so "every csd free" does
	 * not mean "every callback finished". One waiting call to each CPU does: it runs after
	 * everything queued there before it.
	 */
	on_each_cpu(nop_fn, NULL, true);
	for (unsigned int s = 0; s < NCPUS; s++)
		for (unsigned int d = 0; d < NCPUS; d++) {
			EXPECT_EQ(st.sent[s][d], st.ran[s][d]);
			sum += st.ran[s][d];
		}
	EXPECT_EQ(sum, st.per_cpu * NCPUS);
	printf("# %llu cross-CPU calls, %lu IPIs so far\n", (unsigned long long)sum,
	       shim_ipis_sent());
}

HOST_TEST(wait_with_irqs_off_warns)
{
	boot_cpus();

	unsigned long w = warn_count();
	unsigned long flags = arch_local_irq_save();

	echoes[1].token = 0;
	smp_call_function_single(1, echo_fn, (void *)3UL, true);
	arch_local_irq_restore(flags);
	EXPECT_EQ(warn_count() - w, 1);
	EXPECT_EQ(echoes[1].token, 4);
}

/* Two CPUs call each other, waiting, with IRQs off: the drain-while-waiting keeps both going. */
static u32 cross_go;
static void cross_call(void *info)
{
	unsigned int other = (unsigned int)(unsigned long)info;

	__atomic_fetch_add(&cross_go, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&cross_go, __ATOMIC_ACQUIRE) < 2)
		arch_cpu_relax();
	smp_call_function_single(other, echo_fn, (void *)9UL, true);
}

HOST_TEST(cross_wait_irqs_off_no_deadlock)
{
	boot_cpus();

	unsigned long w = warn_count();

	cross_go = 0;
	memset(echoes, 0, sizeof(echoes));
	smp_call_function_single(1, cross_call, (void *)2UL, false);
	smp_call_function_single(2, cross_call, (void *)1UL, false);
	while (__atomic_load_n(&echoes[1].token, __ATOMIC_ACQUIRE) != 10 ||
	       __atomic_load_n(&echoes[2].token, __ATOMIC_ACQUIRE) != 11)
		arch_cpu_relax();
	/* Let both callbacks return before the WARN count is read. */
	smp_call_function_single(1, echo_fn, NULL, true);
	smp_call_function_single(2, echo_fn, NULL, true);
	EXPECT_EQ(warn_count() - w, 2);
}

/* ---- Spinlocks and lock statistics ---- */

static struct {
	spinlock_t lock[3];
	u64 counter[3];
	unsigned long iters;
	u32 arrived;
} tort;

static void torture_fn(void *info)
{
	unsigned int cpu = smp_processor_id();

	(void)info;
	__atomic_fetch_add(&tort.arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&tort.arrived, __ATOMIC_ACQUIRE) < NCPUS)
		arch_cpu_relax();
	for (unsigned long i = 0; i < tort.iters; i++) {
		unsigned int l = (unsigned int)((i + cpu) % 3);

		if (l == 2) {
			while (!spin_trylock(&tort.lock[l]))
				arch_cpu_relax();
			tort.counter[l]++;
			spin_unlock(&tort.lock[l]);
		} else {
			guard(spinlock_irqsave)(&tort.lock[l]);
			tort.counter[l]++;
		}
	}
}

static void run_torture(unsigned long iters)
{
	memset(&tort, 0, sizeof(tort));
	for (unsigned int i = 0; i < 3; i++)
		spin_lock_init(&tort.lock[i], "host_torture");
	tort.iters = iters;
	on_each_cpu(torture_fn, NULL, true);
}

HOST_TEST(lock_torture_exact)
{
	boot_cpus();
	run_torture(20000);
	EXPECT_EQ(tort.counter[0] + tort.counter[1] + tort.counter[2], 20000ULL * NCPUS);
	for (unsigned int i = 0; i < 3; i++)
		EXPECT_TRUE(!spin_is_locked(&tort.lock[i]));
}

HOST_TEST(lockstat_exact_single_cpu)
{
	static spinlock_t l = SPINLOCK_INIT("host_single");
	struct lock_class_stats s;

	boot_cpus();
	lockstat_reset();
	spin_lock(&l);
	spin_unlock(&l);		/* off: not counted */
	lockstat_enable(true);
	for (int i = 0; i < 1000; i++) {
		spin_lock(&l);
		spin_unlock(&l);
	}
	EXPECT_TRUE(spin_trylock(&l));
	spin_unlock(&l);
	lockstat_enable(false);
	spin_lock(&l);
	spin_unlock(&l);		/* off again: not counted */
	EXPECT_TRUE(lockstat_get("host_single", &s));
	EXPECT_EQ(s.acquisitions, 1001);
	EXPECT_EQ(s.holds, 1001);
	EXPECT_EQ(s.contentions, 0);
	EXPECT_EQ(s.contended_releases, 0);
	EXPECT_TRUE(s.hold_min_ns <= s.hold_max_ns);
	EXPECT_TRUE(s.hold_max_ns <= s.hold_total_ns);
}

/* A held lock, a CPU queued behind it, then release: one contention, one contended release. */
static spinlock_t ctl = SPINLOCK_INIT("host_contended");
static u32 ct_state;
static u32 hook_calls, hook_waiters;

static void hook(spinlock_t *lock, u32 waiters)
{
	if (lock == &ctl) {
		__atomic_fetch_add(&hook_calls, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&hook_waiters, waiters, __ATOMIC_RELAXED);
	}
}

static void holder(void *info)
{
	(void)info;
	spin_lock(&ctl);
	__atomic_store_n(&ct_state, 1, __ATOMIC_RELEASE);
	/* Wait until CPU 0 has taken its ticket: next is two ahead of the owner. */
	while (__atomic_load_n(&ctl.next, __ATOMIC_ACQUIRE) - ctl.owner_ticket < 2)
		arch_cpu_relax();
	spin_unlock(&ctl);
}

HOST_TEST(lockstat_contention_and_hook)
{
	struct lock_class_stats s;

	boot_cpus();
	lockstat_reset();
	lockstat_enable(true);
	spin_set_contended_release_hook(hook);
	ct_state = 0;
	smp_call_function_single(3, holder, NULL, false);
	while (!__atomic_load_n(&ct_state, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	spin_lock(&ctl);
	spin_unlock(&ctl);
	spin_set_contended_release_hook(NULL);
	lockstat_enable(false);
	EXPECT_TRUE(lockstat_get("host_contended", &s));
	EXPECT_EQ(s.acquisitions, 2);
	EXPECT_EQ(s.contentions, 1);
	EXPECT_EQ(s.contended_releases, 1);
	EXPECT_TRUE(s.wait_total_ns > 0);
	EXPECT_EQ(hook_calls, 1);
	EXPECT_EQ(hook_waiters, 1);
	/* Many CPUs: acquisitions stay exact. */
	lockstat_reset();
	lockstat_enable(true);
	run_torture(5000);
	lockstat_enable(false);
	EXPECT_TRUE(lockstat_get("host_torture", &s));
	EXPECT_EQ(s.acquisitions, 5000ULL * NCPUS);
	/* Whether threads overlap depends on the host scheduler: reported, not required. */
	printf("# torture: %llu contentions, %llu contended releases\n",
	       (unsigned long long)s.contentions, (unsigned long long)s.contended_releases);
}

static char names[NCPUS][40][16];
static struct lock_class *found[NCPUS][40];

static void register_names(void *info)
{
	unsigned int cpu = smp_processor_id();

	(void)info;
	for (int i = 0; i < 40; i++) {
		/* Each CPU its own copy of the string: classes are keyed by content. */
		snprintf(names[cpu][i], sizeof(names[cpu][i]), "race_%d", i);
		found[cpu][i] = lockstat_class(names[cpu][i]);
	}
}

HOST_TEST(lockstat_registry_race)
{
	boot_cpus();
	on_each_cpu(register_names, NULL, true);
	for (int i = 0; i < 40; i++)
		for (unsigned int c = 1; c < NCPUS; c++)
			EXPECT_TRUE(found[c][i] == found[0][i]);
	EXPECT_TRUE(found[0][0] != found[0][1]);
}

HOST_TEST(lockstat_print_format)
{
	static spinlock_t l = SPINLOCK_INIT("host_print");
	const char *buf;

	boot_cpus();
	lockstat_reset();
	lockstat_enable(true);
	spin_lock(&l);
	spin_unlock(&l);
	lockstat_enable(false);
	host_log_clear();
	lockstat_print();
	buf = host_log_text();
	EXPECT_TRUE(strncmp(buf, "lock_stat version 0.4\n", 22) == 0);
	EXPECT_TRUE(strstr(buf, "                              class name    con-bounces    contentions"
			   "   waittime-min   waittime-max waittime-total   waittime-avg"
			   "    acq-bounces   acquisitions   holdtime-min   holdtime-max"
			   " holdtime-total   holdtime-avg\n") != NULL);
	EXPECT_TRUE(strstr(buf, "                              host_print:              0"
			   "              0           0.00") != NULL);
	const char *rule = strchr(buf, '\n') + 1;

	EXPECT_TRUE(strspn(rule, "-") == 40 + 1 + 12 * 15);
}

HOST_TEST(lockstat_cycles_to_ns_plausible)
{
	u64 ns;

	lockstat_enable(true);		/* the first enable calibrates cycles against time */
	lockstat_enable(false);
	/* A million cycles is a plausible time. */
	ns = lockstat_cycles_to_ns(1000000);

	EXPECT_TRUE(ns > 0);
	EXPECT_TRUE(ns < 1000000000ULL);
}
