// SPDX-License-Identifier: MIT
/*
 * bench=pcp: the page allocator's per-CPU pages in each mode (off, trylock, owner), per CPU
 * count. Figures, not verdicts. The same file runs in the host harness on real cores
 * (tests/bench/host: `make -C tests/bench/host run`), with threads as CPUs.
 *
 * Columns (cycles from arch_cycles(): TSC on x86_64 and on the host, rdcycle/time on riscv64):
 *	pair		one order-0 alloc + free on the same CPU; all `cpus` CPUs do it at once
 *			(each CPU's median of 40 chunks of 500 pairs: a preempted chunk does not
 *			count; the figure is the mean of those medians over the `cpus` CPUs)
 *	xcpu a/f	producer/consumer across two CPUs: cycles per page in the allocating CPU's
 *			alloc calls / in the freeing CPU's free calls. A ring of 4 chunks of 256
 *			pages: the producer allocates a chunk while the consumer frees the one
 *			before, so both run at once; each side times whole chunks, with no wait
 *			inside (medians of 195 chunks). Timing each call alone, as this did first,
 *			measured the counter too: under QEMU TCG reading the TSC takes a lock
 *			shared by all vCPUs, and two CPUs reading it at once doubled the figure.
 *	batch a/f	512 order-0 allocations, then 512 frees: per page, each half (median of 20)
 *	o9 pair		an order-9 alloc + free
 *	zlock/1k	zone-lock acquisitions (contended) per 1,000 operations, cross-CPU run
 *	absorb/ipi	pages absorbed from free_llists and absorb IPIs sent, cross-CPU run
 *
 * A second table, for owner mode with two CPUs or more: "remote free alone", the freeing
 * side of 256 remote frees while the owner does nothing (uncontended: the figure the
 * design aims at, one atomic and at most 40 cycles), once as it comes (the struct pages are in the
 * owner's cache: a miss per line on the freer) and once "warm" (prefetched for writing
 * first: the free path alone). In the kernel, a third table gives this boot's calibration
 * loops (load+add+store, lock cmpxchg), so that boots on a machine whose speed swings can be
 * told apart.
 *
 * Every figure is also printed as one machine-readable line, in ns and cycles per operation:
 *	@pagebench mode=owner cpus=2 op=pair ns=235 cyc=494
 *	@pagebench calib op=load_add_store ns100=228
 * `make compare` (tests/compare/compare.py) reads these next to the same lines from
 * tests/compare/linux/pagebench.c, a Linux module that runs these workloads with the same
 * constants, timing and statistics on Linux 6.1 under the same QEMU: change both together.
 * No Linux figure is compiled in here: a figure from another boot is not a ratio.
 * With several CPUs looping at once, "pair" is the mean over those CPUs of each one's
 * median chunk (the module reports the same).
 *
 * Other CPUs run their part as a cross-CPU call (interrupt context, IRQs off) released
 * together by a flag; the boot CPU times its own part.
 *
 * Locking: runs on the boot CPU; switches modes with pcp_set_mode() between runs (quiet).
 */
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "arch/arch.h"

#define PAIRS		20000
#define CHUNK		500
#define NCHUNKS		(PAIRS / CHUNK)
#define XCHUNK		256
#define XCHUNKS		195
#define XFER		(XCHUNKS * XCHUNK)
#define RING		(4 * XCHUNK)
#define RFREE		256

/* Median of v[0..n) (sorts it): robust to the chunks a host or TCG thread was preempted in. */
static u64 median(u64 *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return n ? v[n / 2] : 0;
}

static u64 cyc_per_ms;		/* arch_cycles() rate (m) */

/* Calibrate: the counter's rate against arch_clock_ns(). */
static void calibrate(void)
{
	u64 n0 = arch_clock_ns(), c0 = arch_cycles();

	while (arch_clock_ns() - n0 < 20000000ULL)
		arch_cpu_relax();
	cyc_per_ms = (arch_cycles() - c0) * 1000000ULL / (arch_clock_ns() - n0);
}

static u64 cyc_to_ns(u64 cyc)
{
	return cyc_per_ms ? cyc * 1000000ULL / cyc_per_ms : 0;
}

/*
 * ns per operation from a whole chunk's cycles: converted before dividing, so that a coarse
 * counter (riscv64's 10 MHz time CSR: 100 ns a tick) still gives the per-op figure in ns.
 */
static u64 ns_per_op(u64 chunk_cycles, unsigned int ops)
{
	return cyc_to_ns(chunk_cycles) / ops;
}

static u32 bench_go;		/* workers start when it turns 1 (l) */
static u32 bench_running;	/* workers still running (l) */
static unsigned int bench_cpu[NR_CPUS];	/* the last start_workers()'s CPUs, [0] this one (m) */
static unsigned int nr_bench_cpus;	/* entries in bench_cpu[] (m) */

struct pair_result {
	u64 chunk_med;		/* the median chunk (CHUNK pairs) */
	u64 chunk[NCHUNKS];
};
static struct pair_result pair_res[NR_CPUS];

static void pair_worker(void *arg)
{
	unsigned int me = smp_processor_id();

	(void)arg;
	while (!__atomic_load_n(&bench_go, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	for (int c = 0; c < NCHUNKS; c++) {
		u64 t0 = arch_cycles();

		for (int i = 0; i < CHUNK; i++) {
			struct page *p = alloc_page(GFP_KERNEL);

			if (p)
				__free_page(p);
		}
		pair_res[me].chunk[c] = arch_cycles() - t0;
	}
	pair_res[me].chunk_med = median(pair_res[me].chunk, NCHUNKS);
	__atomic_fetch_sub(&bench_running, 1, __ATOMIC_RELEASE);
}

/* Start `fn` on CPUs 1..ncpus-1 (waiting for the go flag). Returns how many started. */
static unsigned int start_workers(unsigned int ncpus, smp_call_func_t fn, void *arg)
{
	unsigned int started = 0, cpu;

	__atomic_store_n(&bench_go, 0, __ATOMIC_RELEASE);
	bench_cpu[0] = smp_processor_id();
	for_each_online_cpu(cpu) {
		if (cpu == smp_processor_id() || started + 1 >= ncpus)
			continue;
		__atomic_fetch_add(&bench_running, 1, __ATOMIC_RELAXED);
		bench_cpu[started + 1] = cpu;
		smp_call_function_single(cpu, fn, arg, false);
		started++;
	}
	nr_bench_cpus = started + 1;
	return started;
}

static void wait_workers(void)
{
	while (__atomic_load_n(&bench_running, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

/* ---- cross-CPU producer/consumer ---- */

static struct page *ring[RING];
static unsigned long ring_head;	/* pages published by the producer (l) */
static unsigned long ring_tail;	/* pages freed by the consumer (l) */
static u64 free_chunk[XCHUNKS], alloc_chunk[XCHUNKS];

/*
 * The consumer: waits for a whole chunk of XCHUNK pages to be published, then frees it with
 * no wait inside the timed loop, while the producer allocates the next chunk (the ring holds
 * RING / XCHUNK chunks, so the two sides run at the same time).
 */
static void consumer_worker(void *arg)
{
	(void)arg;
	memset(free_chunk, 0, sizeof(free_chunk));
	while (!__atomic_load_n(&bench_go, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	for (unsigned long c = 0; c < XCHUNKS; c++) {
		unsigned long t = c * XCHUNK;
		u64 t0;

		while (__atomic_load_n(&ring_head, __ATOMIC_ACQUIRE) < t + XCHUNK)
			arch_cpu_relax();
		t0 = arch_cycles();
		for (unsigned long i = t; i < t + XCHUNK; i++)
			if (ring[i % RING])
				free_pages_nolock(ring[i % RING], 0);
		free_chunk[c] = arch_cycles() - t0;
		__atomic_store_n(&ring_tail, t + XCHUNK, __ATOMIC_RELEASE);
	}
	__atomic_fetch_sub(&bench_running, 1, __ATOMIC_RELEASE);
}

/* ---- remote free alone: the freeing side, uncontended ---- */

static struct page *rfree_pages[RFREE];
static u64 rfree_cycles;

static void rfree_worker(void *arg)
{
	u64 t0;

	/*
	 * warm: bring the struct pages into this CPU's cache first (a prefetch for writing), so
	 * that the figure is the free path itself, without the cache misses on struct pages the
	 * owner wrote last (which any remote free pays, whatever the allocator).
	 */
	if (arg)
		for (int i = 0; i < RFREE; i++)
			__builtin_prefetch(rfree_pages[i], 1, 3);
	t0 = arch_cycles();
	for (int i = 0; i < RFREE; i++)
		free_pages_nolock(rfree_pages[i], 0);
	rfree_cycles = arch_cycles() - t0;
	__atomic_fetch_sub(&bench_running, 1, __ATOMIC_RELEASE);
}

/* RFREE frees, median of 8 rounds; the owner (this CPU) only waits meanwhile. */
static u64 remote_free_alone(bool warm)
{
	u64 v[8];

	for (int r = 0; r < 8; r++) {
		for (int i = 0; i < RFREE; i++)
			rfree_pages[i] = alloc_page(GFP_KERNEL);
		start_workers(2, rfree_worker, warm ? (void *)1 : NULL);
		wait_workers();
		v[r] = rfree_cycles;
		/* Absorb what they pushed before the next round. */
		__free_page(alloc_page(GFP_KERNEL));
	}
	return median(v, 8);
}

/* What one owner-mode run measured of the remote free alone. */
struct owner_figures {
	unsigned int cpus;
	/* per page: ns, and cycles */
	u64 rfree, rfree_warm;
	u64 rfree_cyc, rfree_warm_cyc;
	bool xcpu;
};
static struct owner_figures owner_fig[4];
static unsigned int nr_owner_fig;

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

/* One machine-readable line for make compare: a whole chunk's cycles, per operation. */
static void report(enum pcp_mode mode, unsigned int cpus, const char *op, u64 chunk_cycles,
		   unsigned int ops)
{
	printk("@pagebench mode=%s cpus=%u op=%s ns=%llu cyc=%llu\n", pcp_mode_names[mode], cpus,
	       op, (unsigned long long)ns_per_op(chunk_cycles, ops),
	       (unsigned long long)(chunk_cycles / ops));
}

static void run_mode(struct bench_table *t, enum pcp_mode mode, unsigned int ncpus)
{
	u64 acq0, cont0, acq1, cont1, t0, pair_cyc = 0, pair_ns = 0;
	unsigned long failed = 0;
	struct pcp_stats s0, s1;
	unsigned int started;
	static struct page *batch[512];
	u64 ba[20], bf[20], o9[20], balloc, bfree, o9_cyc, xalloc = 0, xfree = 0;
	u64 xa_med = 0, xf_med = 0, ba_med, bf_med, o9_med;
	char xa[BENCH_CELL], zl[BENCH_CELL], ab[BENCH_CELL];

	pcp_set_mode(mode);
	/* Warm up: the first allocations claim blocks / fill batches. */
	for (int i = 0; i < 1024; i++)
		__free_page(alloc_page(GFP_KERNEL));

	/* 1. local pairs, every CPU at once: the mean over the CPUs of each one's median */
	started = start_workers(ncpus, pair_worker, NULL);
	__atomic_fetch_add(&bench_running, 1, __ATOMIC_RELAXED);	/* our own share */
	__atomic_store_n(&bench_go, 1, __ATOMIC_RELEASE);
	pair_worker(NULL);
	wait_workers();
	for (unsigned int k = 0; k < nr_bench_cpus; k++) {
		pair_cyc += pair_res[bench_cpu[k]].chunk_med / CHUNK;
		pair_ns += ns_per_op(pair_res[bench_cpu[k]].chunk_med, CHUNK);
	}
	pair_cyc /= nr_bench_cpus;
	pair_ns /= nr_bench_cpus;
	printk("@pagebench mode=%s cpus=%u op=pair ns=%llu cyc=%llu\n", pcp_mode_names[mode],
	       started + 1, (unsigned long long)pair_ns, (unsigned long long)pair_cyc);

	/* 2. cross-CPU producer/consumer (needs a second CPU) */
	zone_lock_counts(&acq0, &cont0);
	sum_stats(&s0);
	snprintf(xa, sizeof(xa), "-");
	if (ncpus >= 2) {
		ring_head = ring_tail = 0;
		memset(alloc_chunk, 0, sizeof(alloc_chunk));
		start_workers(2, consumer_worker, NULL);
		__atomic_store_n(&bench_go, 1, __ATOMIC_RELEASE);
		for (unsigned long c = 0; c < XCHUNKS; c++) {
			unsigned long h = c * XCHUNK;

			while (h + XCHUNK - __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE) > RING)
				arch_cpu_relax();
			t0 = arch_cycles();
			for (unsigned long i = h; i < h + XCHUNK; i++)
				ring[i % RING] = alloc_page(GFP_KERNEL);
			alloc_chunk[c] = arch_cycles() - t0;
			for (unsigned long i = h; i < h + XCHUNK; i++)
				if (!ring[i % RING])
					failed++;
			/* Published whole; the consumer skips a failed allocation (NULL). */
			__atomic_store_n(&ring_head, h + XCHUNK, __ATOMIC_RELEASE);
		}
		wait_workers();
		if (failed)
			pr_warn("pcp bench: %lu of %u cross-CPU allocations failed\n", failed, XFER);
		xa_med = median(alloc_chunk, XCHUNKS);
		xf_med = median(free_chunk, XCHUNKS);
		xalloc = xa_med / XCHUNK;
		xfree = xf_med / XCHUNK;
		snprintf(xa, sizeof(xa), "%llu/%llu", (unsigned long long)xalloc,
			 (unsigned long long)xfree);
		report(mode, started + 1, "xcpu_alloc", xa_med, XCHUNK);
		report(mode, started + 1, "xcpu_free", xf_med, XCHUNK);
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
	for (int r = 0; r < 20; r++) {
		t0 = arch_cycles();
		for (int i = 0; i < 512; i++)
			batch[i] = alloc_page(GFP_KERNEL);
		ba[r] = arch_cycles() - t0;
		t0 = arch_cycles();
		for (int i = 0; i < 512; i++)
			if (batch[i])
				__free_page(batch[i]);
		bf[r] = arch_cycles() - t0;
	}
	ba_med = median(ba, 20);
	bf_med = median(bf, 20);
	balloc = ba_med / 512;
	bfree = bf_med / 512;
	report(mode, started + 1, "batch_alloc", ba_med, 512);
	report(mode, started + 1, "batch_free", bf_med, 512);

	/* 4. order-9 pairs */
	for (int r = 0; r < 20; r++) {
		t0 = arch_cycles();
		for (int i = 0; i < 100; i++) {
			struct page *p = alloc_pages(GFP_KERNEL, pageblock_order);

			if (p)
				__free_pages(p, pageblock_order);
		}
		o9[r] = arch_cycles() - t0;
	}
	o9_med = median(o9, 20);
	o9_cyc = o9_med / 100;
	report(mode, started + 1, "o9_pair", o9_med, 100);

	if (mode == PCP_MODE_OWNER && nr_owner_fig < ARRAY_SIZE(owner_fig)) {
		struct owner_figures *f = &owner_fig[nr_owner_fig++];

		memset(f, 0, sizeof(*f));

		f->cpus = started + 1;
		f->xcpu = ncpus >= 2;
		if (ncpus >= 2) {
			u64 cold = remote_free_alone(false), warm = remote_free_alone(true);

			f->rfree = ns_per_op(cold, RFREE);
			f->rfree_warm = ns_per_op(warm, RFREE);
			f->rfree_cyc = cold / RFREE;
			f->rfree_warm_cyc = warm / RFREE;
		}
	}

	bench_table_add(t, "%s", pcp_mode_names[mode]);
	bench_table_add(t, "%u", started + 1);
	bench_table_add(t, "%llu (%llu ns)", (unsigned long long)pair_cyc,
			(unsigned long long)pair_ns);
	bench_table_add(t, "%s", xa);
	bench_table_add(t, "%llu/%llu", (unsigned long long)balloc, (unsigned long long)bfree);
	bench_table_add(t, "%llu", (unsigned long long)o9_cyc);
	bench_table_add(t, "%s", zl);
	bench_table_add(t, "%s", ab);
}

#ifndef HOST_BENCH
/* Tables are static: 7 KiB each would be too much for a boot stack (riscv64: 16 KiB). */
static struct bench_table pcp_table;

/*
 * What TCG makes simple things cost in this boot, in hundredths of a ns per iteration: these
 * machines swing by up to ~2x from hour to hour, so a boot's figures mean little without
 * them. tests/compare/linux/pagebench.c runs the same two loops on Linux.
 */
#define CALIB_ITERS	1000000UL

static volatile u64 calib_word;

/* One loop per figure, no dispatch inside: hundredths of a ns per iteration. */
static u64 calib_loop(int what)
{
	u64 t0 = arch_clock_ns(), expect;

	if (what == 0) {
		for (unsigned long i = 0; i < CALIB_ITERS; i++)
			calib_word = calib_word + 1;
	} else {
		for (unsigned long i = 0; i < CALIB_ITERS; i++) {
			expect = calib_word;
			__atomic_compare_exchange_n(&calib_word, &expect, expect + 1, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
		}
	}
	return (arch_clock_ns() - t0) * 100 / CALIB_ITERS;
}

static void print_calibration(void)
{
	static const char *const names[2] = { "load+add+store", "lock cmpxchg" };
	static const char *const keys[2] = { "load_add_store", "lock_cmpxchg" };
	struct bench_table *tp = &pcp_table;
	u64 v[2];

	for (int i = 0; i < 2; i++) {
		v[i] = ~0ULL;
		/* The fastest of three: the first also pays for translating the loop. */
		for (int k = 0; k < 3; k++)
			v[i] = min(v[i], calib_loop(i));
	}
	bench_table_init(tp, "pcp: this boot's calibration (ns per iteration)", 2,
			 "calibration", "ns");
	for (int i = 0; i < 2; i++) {
		bench_table_add(tp, "%s", names[i]);
		bench_table_add(tp, "%llu.%02llu", (unsigned long long)(v[i] / 100),
				(unsigned long long)(v[i] % 100));
	}
	bench_table_print(tp);
	for (int i = 0; i < 2; i++)
		printk("@pagebench calib op=%s ns100=%llu\n", keys[i], (unsigned long long)v[i]);
}
#endif

static void pcp_bench(void)
{
	static struct bench_table t;	/* (m): benchmarks run on the boot CPU */
	enum pcp_mode saved = pcp_get_mode();
	unsigned int online = num_online_cpus();
	unsigned int counts[] = { 1, 2, 4, 8 };

	char modes[64];

	/* bench.pcp_modes=owner,trylock: only those modes (make compare needs owner). */
	if (!cmdline_get("bench.pcp_modes", modes, sizeof(modes)) || !modes[0])
		snprintf(modes, sizeof(modes), "off,trylock,owner");
	int nmodes = 0;

	for (int m = PCP_MODE_OFF; m < NR_PCP_MODES; m++)
		nmodes += strlist_has(modes, pcp_mode_names[m]);
	if (!nmodes)
		pr_warn("pcp bench: bench.pcp_modes=%s names no mode (off, trylock, owner)\n",
			modes);
	calibrate();
	printk("@pagebench kernel=tessera online=%u cyc_per_ms=%llu\n", online,
	       (unsigned long long)cyc_per_ms);
	nr_owner_fig = 0;
	bench_table_init(&t, "pcp: page allocator per-CPU pages (cycles)", 8, "mode", "cpus",
			 "pair", "xcpu a/f", "batch a/f", "o9 pair", "zlock/1k (cont)",
			 "absorb/ipi");
	for (int m = PCP_MODE_OFF; m < NR_PCP_MODES; m++)
		for (unsigned int i = 0; i < ARRAY_SIZE(counts); i++)
			if (counts[i] <= online && strlist_has(modes, pcp_mode_names[m]))
				run_mode(&t, (enum pcp_mode)m, counts[i]);
	pcp_set_mode(saved);
	bench_table_print(&t);

	bench_table_init(&t, "pcp: owner mode, remote free alone (freeing side, uncontended)", 5,
			 "cpus", "cycles/page", "ns/page", "warm cycles", "warm ns");
	for (unsigned int i = 0; i < nr_owner_fig; i++)
		if (owner_fig[i].xcpu) {
			bench_table_add(&t, "%u", owner_fig[i].cpus);
			bench_table_add(&t, "%llu", (unsigned long long)owner_fig[i].rfree_cyc);
			bench_table_add(&t, "%llu", (unsigned long long)owner_fig[i].rfree);
			bench_table_add(&t, "%llu", (unsigned long long)owner_fig[i].rfree_warm_cyc);
			bench_table_add(&t, "%llu", (unsigned long long)owner_fig[i].rfree_warm);
		}
	bench_table_print(&t);
#ifndef HOST_BENCH
	print_calibration();
#endif
	printk("@pagebench done\n");
}
BENCH(pcp, "page allocator per-CPU pages: off, trylock, owner", pcp_bench);
