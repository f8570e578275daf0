// SPDX-License-Identifier: MIT
/*
 * pagebench: Tessera's bench=pcp workloads (mm/bench/pcp_bench.c), run on Linux, so that
 * `make compare` (tests/compare/compare.py) can put the two kernels side by side under the
 * same QEMU. Written for Linux 6.1 (Debian's 6.1.0-*-amd64); loaded by the busybox /init
 * that tests/compare/mkinitramfs.sh builds, which powers off afterwards.
 *
 * Every workload is the same shape as Tessera's, with the same constants, the same timing
 * and the same statistics (change both files together):
 *	pair		order-0 alloc + free on the same CPU, 40 chunks of 500 pairs, each CPU
 *			taking the median of its chunks; with `cpus` CPUs looping at once the
 *			figure is the mean over those CPUs of their medians
 *	xcpu_alloc/free	CPU 0 allocates chunks of 256 pages into a ring of 4 chunks, CPU 1 frees
 *			the chunk before, both at once; per page, medians of 195 chunks per side
 *	batch_alloc/free 512 order-0 allocations then 512 frees, per page, median of 20
 *	o9_pair		order-9 (2 MiB) alloc + free, 20 chunks of 100, median
 * for cpus = 1, 2, 4, 8 up to the number of online CPUs (bench=pcp's `counts`), and the two
 * calibration loops (load+add+store, lock cmpxchg: the fastest of three runs of 10^6).
 *
 * Timing: the TSC (rdtsc, as Tessera's arch_cycles() on x86_64) around whole chunks,
 * converted to ns with a rate measured against the kernel's clock over 20 ms at load time,
 * as pcp_bench.c's calibrate() does against arch_clock_ns().
 *
 * CPU placement and context: the measuring side runs in a kthread bound to CPU 0 (Tessera's
 * boot CPU, in process context with interrupts on); every other CPU runs its part as a
 * cross-CPU function call (smp_call_function_single(), hard-IRQ context, interrupts off),
 * released together by a flag, exactly as bench=pcp runs its workers. So the cross-CPU
 * consumer frees in IPI context here too, with __free_pages(): Linux 6.1 has no
 * free_pages_nolock() (it came in 6.15), and __free_pages() is the free that Linux allows in
 * hard-IRQ context (6.1 takes the per-CPU list lock with a trylock and falls back to the
 * zone). Tessera has no kernel threads to move its consumer into process context, which is
 * why the Linux side moves instead. Allocations in IPI context use GFP_NOWAIT (GFP_KERNEL
 * without the right to sleep, which Linux forbids there); CPU 0 uses GFP_KERNEL as Tessera
 * does everywhere. Neither path sleeps or reclaims with 1 GiB mostly free.
 *
 * Output, one line per figure on the console (the /init raises the console log level):
 *	@pagebench mode=linux cpus=2 op=pair ns=826 cyc=1734
 *	@pagebench calib op=load_add_store ns100=228
 *	@pagebench done
 * Tessera's bench=pcp prints the same lines with mode=owner (trylock, off).
 *
 * Parameter: max_cpus (default 8), the largest CPU count to run with.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <asm/msr.h>

#define PAIRS		20000
#define CHUNK		500
#define NCHUNKS		(PAIRS / CHUNK)
#define XCHUNK		256
#define XCHUNKS		195
#define RING		(4 * XCHUNK)
#define BATCH		512
#define REPS		20
#define O9_PER_REP	100
#define O9_ORDER	9		/* pageblock_order on x86_64, Tessera's order-9 figure */
#define CALIB_ITERS	1000000UL
#define MAX_CPUS	8
#define MAX_CPU_ID	64		/* per-CPU results are indexed by CPU number below this */

static unsigned int max_cpus = MAX_CPUS;
module_param(max_cpus, uint, 0444);
MODULE_PARM_DESC(max_cpus, "largest number of CPUs to run the pair test on at once (1-8)");

/* Median of v[0..n) (sorts it): the same insertion sort and index as pcp_bench.c's. */
static u64 median(u64 *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--)
			swap(v[j], v[j - 1]);
	return n ? v[n / 2] : 0;
}

static u64 cyc_per_ms;		/* TSC rate, measured at load */

static void calibrate(void)
{
	u64 n0 = ktime_get_ns(), c0 = rdtsc();

	while (ktime_get_ns() - n0 < 20000000ULL)
		cpu_relax();
	cyc_per_ms = (rdtsc() - c0) * 1000000ULL / (ktime_get_ns() - n0);
}

static u64 cyc_to_ns(u64 cyc)
{
	return cyc_per_ms ? cyc * 1000000ULL / cyc_per_ms : 0;
}

/* ns per operation from a whole chunk's cycles, converted before dividing (as Tessera). */
static u64 ns_per_op(u64 chunk_cycles, unsigned int ops)
{
	return cyc_to_ns(chunk_cycles) / ops;
}

static int bench_go;		/* workers start when it turns 1 */
static atomic_t bench_running;	/* workers still running */
static unsigned int bench_cpu[MAX_CPUS];	/* the CPUs of this run, [0] the measuring one */
static unsigned int nr_bench_cpus;

/* Process context on CPU 0 may sleep in principle; a cross-CPU call must not. */
static gfp_t bench_gfp(void)
{
	return in_task() ? GFP_KERNEL : GFP_NOWAIT;
}

static u64 pair_chunk[MAX_CPU_ID][NCHUNKS];
static u64 pair_med[MAX_CPU_ID];

static void pair_worker(void *arg)
{
	/* raw_: CPU 0's kthread is preemptible but bound, so the CPU cannot change under it. */
	unsigned int me = raw_smp_processor_id();
	gfp_t gfp = bench_gfp();
	int c, i;

	while (!smp_load_acquire(&bench_go))
		cpu_relax();
	for (c = 0; c < NCHUNKS; c++) {
		u64 t0 = rdtsc();

		for (i = 0; i < CHUNK; i++) {
			struct page *p = alloc_page(gfp);

			if (p)
				__free_page(p);
		}
		pair_chunk[me][c] = rdtsc() - t0;
	}
	pair_med[me] = median(pair_chunk[me], NCHUNKS);
	smp_mb__before_atomic();
	atomic_dec(&bench_running);
}

/* Start fn on ncpus - 1 other online CPUs (they wait for bench_go); records the CPUs. */
static unsigned int start_workers(unsigned int ncpus, smp_call_func_t fn)
{
	unsigned int started = 0, cpu, self = raw_smp_processor_id();

	WRITE_ONCE(bench_go, 0);
	bench_cpu[0] = self;
	for_each_online_cpu(cpu) {
		if (cpu == self || cpu >= MAX_CPU_ID || started + 1 >= ncpus)
			continue;
		atomic_inc(&bench_running);
		bench_cpu[started + 1] = cpu;
		smp_call_function_single(cpu, fn, NULL, 0);
		started++;
	}
	nr_bench_cpus = started + 1;
	return started;
}

static void wait_workers(void)
{
	while (atomic_read_acquire(&bench_running))
		cpu_relax();
}

static struct page *ring[RING];
static unsigned long ring_head;	/* pages published by the producer */
static unsigned long ring_tail;	/* pages freed by the consumer */
static u64 free_chunk[XCHUNKS], alloc_chunk[XCHUNKS];

/* The consumer, in IPI context on the second CPU: frees each published chunk whole. */
static void consumer_worker(void *arg)
{
	unsigned long c, i;

	while (!smp_load_acquire(&bench_go))
		cpu_relax();
	for (c = 0; c < XCHUNKS; c++) {
		unsigned long t = c * XCHUNK;
		u64 t0;

		while (smp_load_acquire(&ring_head) < t + XCHUNK)
			cpu_relax();
		t0 = rdtsc();
		for (i = t; i < t + XCHUNK; i++)
			if (ring[i % RING])
				__free_pages(ring[i % RING], 0);
		free_chunk[c] = rdtsc() - t0;
		smp_store_release(&ring_tail, t + XCHUNK);
	}
	smp_mb__before_atomic();
	atomic_dec(&bench_running);
}

static void report(unsigned int cpus, const char *op, u64 ns, u64 cyc)
{
	pr_info("@pagebench mode=linux cpus=%u op=%s ns=%llu cyc=%llu\n", cpus, op, ns, cyc);
}

static struct page *batch[BATCH];

static void run(unsigned int ncpus)
{
	u64 ba[REPS], bf[REPS], o9[REPS], t0, ns_sum = 0, cyc_sum = 0;
	unsigned long failed = 0, c, i;
	unsigned int n, k;
	int r;

	/* Warm up: the first allocations fill the per-CPU lists. */
	for (k = 0; k < 1024; k++)
		__free_page(alloc_page(GFP_KERNEL));

	/* 1. order-0 pairs, ncpus CPUs at once: the mean of the CPUs' medians */
	n = start_workers(ncpus, pair_worker) + 1;	/* every figure of this run is labelled n */
	atomic_inc(&bench_running);	/* our own share */
	smp_store_release(&bench_go, 1);
	pair_worker(NULL);
	wait_workers();
	for (k = 0; k < nr_bench_cpus; k++) {
		ns_sum += ns_per_op(pair_med[bench_cpu[k]], CHUNK);
		cyc_sum += pair_med[bench_cpu[k]] / CHUNK;
	}
	report(n, "pair", ns_sum / n, cyc_sum / n);

	/* 2. cross-CPU producer (here) and consumer (the next CPU) */
	if (ncpus >= 2) {
		ring_head = ring_tail = 0;
		start_workers(2, consumer_worker);
		smp_store_release(&bench_go, 1);
		for (c = 0; c < XCHUNKS; c++) {
			unsigned long h = c * XCHUNK;

			while (h + XCHUNK - smp_load_acquire(&ring_tail) > RING)
				cpu_relax();
			t0 = rdtsc();
			for (i = h; i < h + XCHUNK; i++)
				ring[i % RING] = alloc_page(GFP_KERNEL);
			alloc_chunk[c] = rdtsc() - t0;
			for (i = h; i < h + XCHUNK; i++)
				if (!ring[i % RING])
					failed++;
			smp_store_release(&ring_head, h + XCHUNK);
		}
		wait_workers();
		if (failed)
			pr_warn("pagebench: %lu cross-CPU allocations failed\n", failed);
		t0 = median(alloc_chunk, XCHUNKS);
		report(n, "xcpu_alloc", ns_per_op(t0, XCHUNK), t0 / XCHUNK);
		t0 = median(free_chunk, XCHUNKS);
		report(n, "xcpu_free", ns_per_op(t0, XCHUNK), t0 / XCHUNK);
	}

	/* 3. 512 allocations, then 512 frees */
	for (r = 0; r < REPS; r++) {
		t0 = rdtsc();
		for (k = 0; k < BATCH; k++)
			batch[k] = alloc_page(GFP_KERNEL);
		ba[r] = rdtsc() - t0;
		t0 = rdtsc();
		for (k = 0; k < BATCH; k++)
			if (batch[k])
				__free_page(batch[k]);
		bf[r] = rdtsc() - t0;
	}
	t0 = median(ba, REPS);
	report(n, "batch_alloc", ns_per_op(t0, BATCH), t0 / BATCH);
	t0 = median(bf, REPS);
	report(n, "batch_free", ns_per_op(t0, BATCH), t0 / BATCH);

	/* 4. order-9 pairs */
	for (r = 0; r < REPS; r++) {
		t0 = rdtsc();
		for (k = 0; k < O9_PER_REP; k++) {
			struct page *p = alloc_pages(GFP_KERNEL, O9_ORDER);

			if (p)
				__free_pages(p, O9_ORDER);
		}
		o9[r] = rdtsc() - t0;
	}
	t0 = median(o9, REPS);
	report(n, "o9_pair", ns_per_op(t0, O9_PER_REP), t0 / O9_PER_REP);
}

static volatile u64 calib_word;

/* One loop per figure, hundredths of a ns per iteration: pcp_bench.c's calib_loop(). */
static u64 calib_loop(int what)
{
	u64 t0 = ktime_get_ns(), expect;
	unsigned long i;

	if (what == 0) {
		for (i = 0; i < CALIB_ITERS; i++)
			calib_word = calib_word + 1;
	} else {
		for (i = 0; i < CALIB_ITERS; i++) {
			expect = calib_word;
			__atomic_compare_exchange_n(&calib_word, &expect, expect + 1, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
		}
	}
	return (ktime_get_ns() - t0) * 100 / CALIB_ITERS;
}

static DECLARE_COMPLETION(bench_done);

static int pagebench_main(void *unused)
{
	static const char *const calib_names[2] = { "load_add_store", "lock_cmpxchg" };
	static const unsigned int counts[] = { 1, 2, 4, 8 };
	unsigned int online = num_online_cpus(), i;
	int what, k;

	calibrate();
	pr_info("@pagebench kernel=linux online=%u cyc_per_ms=%llu\n", online, cyc_per_ms);
	for (i = 0; i < ARRAY_SIZE(counts); i++)
		if (counts[i] <= online && counts[i] <= max_cpus)
			run(counts[i]);
	for (what = 0; what < 2; what++) {
		u64 v = ~0ULL;

		/* The fastest of three: the first also pays for translating the loop. */
		for (k = 0; k < 3; k++)
			v = min(v, calib_loop(what));
		pr_info("@pagebench calib op=%s ns100=%llu\n", calib_names[what], v);
	}
	pr_info("@pagebench done\n");
	complete(&bench_done);
	return 0;
}

static int __init pagebench_init(void)
{
	struct task_struct *t;

	if (max_cpus < 1 || max_cpus > MAX_CPUS) {
		pr_err("pagebench: max_cpus=%u is not in 1..%u\n", max_cpus, MAX_CPUS);
		return -EINVAL;
	}
	t = kthread_create(pagebench_main, NULL, "pagebench");
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, 0);	/* CPU 0, as Tessera's boot CPU */
	wake_up_process(t);
	wait_for_completion(&bench_done);
	return 0;
}

static void __exit pagebench_exit(void)
{
}

module_init(pagebench_init);
module_exit(pagebench_exit);
MODULE_DESCRIPTION("Tessera's bench=pcp page allocator workloads, for make compare");
MODULE_LICENSE("Dual MIT/GPL");
