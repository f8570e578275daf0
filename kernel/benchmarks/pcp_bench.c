// SPDX-License-Identifier: MIT
/*
 * bench=pcp: the page allocator's per-CPU pages in each mode (off, trylock, owner), per CPU
 * count. Figures, not verdicts. The same file runs in the host harness on real cores
 * (tests/bench/host: `make -C tests/bench/host run`), with threads as CPUs.
 *
 * Columns (cycles from arch_cycles(): TSC on x86_64 and on the host, rdcycle/time on riscv64):
 *	pair		one order-0 alloc + free on the same CPU; all `cpus` CPUs do it at once
 *	xcpu a/f	producer/consumer across two CPUs: cycles per page in the allocating CPU's
 *			alloc calls / in the freeing CPU's free calls
 *	batch512	512 order-0 allocations then 512 frees, per page
 *	o9 pair		an order-9 alloc + free
 *	zlock/1k	zone-lock acquisitions (contended) per 1,000 operations, cross-CPU run
 *	absorb/ipi	pages absorbed from free_llists and absorb IPIs sent, cross-CPU run
 *
 * Other CPUs run their part as a cross-CPU call (interrupt context, IRQs off) released
 * together by a flag; the boot CPU times its own part.
 *
 * Locking: runs on the boot CPU; switches modes with pcp_set_mode() between runs (quiet).
 */
#include "kernel/bench.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "arch/arch.h"

#define PAIRS		20000
#define XFER		50000
#define RING		512

static u32 bench_go;		/* workers start when it turns 1 (l) */
static u32 bench_running;	/* workers still running (l) */

struct pair_result {
	u64 cycles;
};
static struct pair_result pair_res[NR_CPUS];

static void pair_worker(void *arg)
{
	unsigned int me = smp_processor_id();
	u64 t0;

	(void)arg;
	while (!__atomic_load_n(&bench_go, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	t0 = arch_cycles();
	for (int i = 0; i < PAIRS; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		if (p)
			__free_page(p);
	}
	pair_res[me].cycles = arch_cycles() - t0;
	__atomic_fetch_sub(&bench_running, 1, __ATOMIC_RELEASE);
}

/* Start `fn` on CPUs 1..ncpus-1 (waiting for the go flag). Returns how many started. */
static unsigned int start_workers(unsigned int ncpus, smp_call_func_t fn, void *arg)
{
	unsigned int started = 0, cpu;

	__atomic_store_n(&bench_go, 0, __ATOMIC_RELEASE);
	for_each_online_cpu(cpu) {
		if (cpu == smp_processor_id() || started + 1 >= ncpus)
			continue;
		__atomic_fetch_add(&bench_running, 1, __ATOMIC_RELAXED);
		smp_call_function_single(cpu, fn, arg, false);
		started++;
	}
	return started;
}

static void wait_workers(void)
{
	while (__atomic_load_n(&bench_running, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

/* ---- cross-CPU producer/consumer ---- */

static struct page *ring[RING];
static unsigned long ring_head;	/* producer (l) */
static unsigned long ring_tail;	/* consumer (l) */
static u64 free_cycles;

static void consumer_worker(void *arg)
{
	unsigned long t = 0;
	u64 spent = 0;

	(void)arg;
	while (!__atomic_load_n(&bench_go, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	while (t < XFER) {
		if (t == __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE)) {
			arch_cpu_relax();
			continue;
		}
		struct page *p = ring[t % RING];
		u64 t0 = arch_cycles();

		free_pages_nolock(p, 0);
		spent += arch_cycles() - t0;
		t++;
		__atomic_store_n(&ring_tail, t, __ATOMIC_RELEASE);
	}
	free_cycles = spent;
	__atomic_fetch_sub(&bench_running, 1, __ATOMIC_RELEASE);
}

static void sum_stats(struct pcp_stats *s)
{
	struct pcp_stats one;

	memset(s, 0, sizeof(*s));
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		pcp_get_stats(cpu, &one);
		s->absorbed += one.absorbed;
		s->ipis_sent += one.ipis_sent;
	}
}

static void run_mode(struct bench_table *t, enum pcp_mode mode, unsigned int ncpus)
{
	u64 acq0, cont0, acq1, cont1, t0, pair_cyc = 0, alloc_cyc = 0;
	unsigned long long pair_ns;
	struct pcp_stats s0, s1;
	unsigned int started;
	static struct page *batch[512];
	u64 b_cyc, o9_cyc;
	char xa[BENCH_CELL], zl[BENCH_CELL], ab[BENCH_CELL];

	pcp_set_mode(mode);
	/* Warm up: the first allocations claim blocks / fill batches. */
	for (int i = 0; i < 1024; i++)
		__free_page(alloc_page(GFP_KERNEL));

	/* 1. local pairs, every CPU at once */
	started = start_workers(ncpus, pair_worker, NULL);
	u64 n0 = arch_clock_ns();

	__atomic_fetch_add(&bench_running, 1, __ATOMIC_RELAXED);	/* our own share */
	__atomic_store_n(&bench_go, 1, __ATOMIC_RELEASE);
	pair_worker(NULL);
	wait_workers();
	pair_ns = (arch_clock_ns() - n0) / PAIRS;
	pair_cyc = pair_res[smp_processor_id()].cycles / PAIRS;

	/* 2. cross-CPU producer/consumer (needs a second CPU) */
	zone_lock_counts(&acq0, &cont0);
	sum_stats(&s0);
	snprintf(xa, sizeof(xa), "-");
	if (ncpus >= 2) {
		ring_head = ring_tail = 0;
		start_workers(2, consumer_worker, NULL);
		__atomic_store_n(&bench_go, 1, __ATOMIC_RELEASE);
		for (unsigned long h = 0; h < XFER; h++) {
			struct page *p;

			while (h - __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE) >= RING)
				arch_cpu_relax();
			t0 = arch_cycles();
			p = alloc_page(GFP_KERNEL);
			alloc_cyc += arch_cycles() - t0;
			if (!p)
				break;
			ring[h % RING] = p;
			__atomic_store_n(&ring_head, h + 1, __ATOMIC_RELEASE);
		}
		wait_workers();
		snprintf(xa, sizeof(xa), "%llu/%llu", (unsigned long long)(alloc_cyc / XFER),
			 (unsigned long long)(free_cycles / XFER));
	}
	zone_lock_counts(&acq1, &cont1);
	sum_stats(&s1);
	/* Ops: XFER allocations + XFER frees. */
	snprintf(zl, sizeof(zl), "%llu (%llu)",
		 (unsigned long long)((acq1 - acq0) * 1000 / (2 * XFER)),
		 (unsigned long long)((cont1 - cont0) * 1000 / (2 * XFER)));
	snprintf(ab, sizeof(ab), "%llu/%llu", (unsigned long long)(s1.absorbed - s0.absorbed),
		 (unsigned long long)(s1.ipis_sent - s0.ipis_sent));

	/* 3. 512 allocations, then 512 frees */
	t0 = arch_cycles();
	for (int r = 0; r < 20; r++) {
		for (int i = 0; i < 512; i++)
			batch[i] = alloc_page(GFP_KERNEL);
		for (int i = 0; i < 512; i++)
			if (batch[i])
				__free_page(batch[i]);
	}
	b_cyc = (arch_cycles() - t0) / (20 * 512);

	/* 4. order-9 pairs */
	t0 = arch_cycles();
	for (int i = 0; i < 2000; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, pageblock_order);

		if (p)
			__free_pages(p, pageblock_order);
	}
	o9_cyc = (arch_cycles() - t0) / 2000;

	bench_table_add(t, "%s", pcp_mode_names[mode]);
	bench_table_add(t, "%u", started + 1);
	bench_table_add(t, "%llu (%llu ns)", (unsigned long long)pair_cyc, pair_ns);
	bench_table_add(t, "%s", xa);
	bench_table_add(t, "%llu", (unsigned long long)b_cyc);
	bench_table_add(t, "%llu", (unsigned long long)o9_cyc);
	bench_table_add(t, "%s", zl);
	bench_table_add(t, "%s", ab);
}

static void pcp_bench(void)
{
	struct bench_table t;
	enum pcp_mode saved = pcp_get_mode();
	unsigned int online = num_online_cpus();
	unsigned int counts[] = { 1, 2, 4, 8 };

	bench_table_init(&t, "pcp: page allocator per-CPU pages (cycles)", 8, "mode", "cpus",
			 "pair", "xcpu a/f", "batch512", "o9 pair", "zlock/1k (cont)",
			 "absorb/ipi");
	for (int m = PCP_MODE_OFF; m < NR_PCP_MODES; m++)
		for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++)
			if (counts[i] <= online)
				run_mode(&t, (enum pcp_mode)m, counts[i]);
	pcp_set_mode(saved);
	bench_table_print(&t);
}
BENCH(pcp, "page allocator per-CPU pages: off, trylock, owner", pcp_bench);
