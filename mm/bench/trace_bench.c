// SPDX-License-Identifier: MIT
/*
 * bench=trace: what the tracepoints cost on the allocator's order-0 alloc+free path.
 *
 * "Off" against "compiled out", in one boot. The allocator in this kernel is built with its
 * tracepoints in (CONFIG_TRACE=1); a build without them cannot run in the same boot. So the
 * benchmark measures the two things the difference is made of and adds them up:
 *   k  tracepoints the pair passes, counted by switching every event on for a short run
 *      and dividing the records written by the pairs (an event that is off costs the same
 *      branch as one that is on and takes it: the same tracepoint sites);
 *   c  the cost of one disabled tracepoint, from two copies of the same pair loop: one as
 *      is, one with 8 more (disabled) tracepoints per pair, compiled in this file.
 * The compiled-out pair is then pair_off - k*c, and the ratio pair_off / (pair_off - k*c) is
 * the "off" overhead (target: at most 1.02). With the switch at compile time instead
 * (-DCONFIG_TRACE=0) every trace_*() is an empty inline and the tracepoint costs nothing.
 * "On": (pair_on - pair_off) / k is the cost of recording one event.
 *
 * Figures are medians of ROUNDS runs of PAIRS pairs, in nanoseconds (arch_clock_ns()).
 *
 * Locking: boot CPU; switches tracing on and off, and leaves it off.
 */
#include "kernel/bench.h"
#include "kernel/trace.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include "arch/arch.h"

#define PAIRS	20000
#define ROUNDS	7
#define EXTRA	8

/* The pair, as every allocator user calls it. */
static __noinline u64 pair_loop(unsigned long n)
{
	u64 t0 = arch_clock_ns();

	for (unsigned long i = 0; i < n; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		if (p)
			__free_page(p);
	}
	return arch_clock_ns() - t0;
}

/* The same pair with EXTRA more tracepoints (tracing_mark, off while this runs). */
static __noinline u64 pair_loop_extra(unsigned long n)
{
	u64 t0 = arch_clock_ns();

	for (unsigned long i = 0; i < n; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		trace_tracing_mark(1, i);
		trace_tracing_mark(2, i);
		trace_tracing_mark(3, i);
		trace_tracing_mark(4, i);
		if (p)
			__free_page(p);
		trace_tracing_mark(5, i);
		trace_tracing_mark(6, i);
		trace_tracing_mark(7, i);
		trace_tracing_mark(8, i);
	}
	return arch_clock_ns() - t0;
}

static u64 median_of(u64 (*loop)(unsigned long), unsigned long n)
{
	u64 v[ROUNDS];

	for (unsigned int r = 0; r < ROUNDS; r++)
		v[r] = loop(n);
	return bench_percentile(v, ROUNDS, 50);
}

/* Hundredths of a nanosecond per pair, so small differences survive the division. */
static u64 centi_ns_per(u64 ns, unsigned long n)
{
	return ns * 100 / n;
}

/* A cell "12.34" from hundredths. */
static void add_centi(struct bench_table *t, u64 v)
{
	bench_table_add(t, "%llu.%02llu", (unsigned long long)(v / 100),
			(unsigned long long)(v % 100));
}

static void trace_bench(void)
{
	struct bench_table tab;
	char ratio[16];
	u64 written, in_buf;
	unsigned long pairs = bench_param("bench.trace_pairs", PAIRS);

	if (!pairs)
		pairs = PAIRS;
	trace_all_off();
	pair_loop(pairs / 4);	/* warm the PCP lists and the caches */

	/* Alternate the two copies so drift affects both alike. */
	u64 off = 0, extra = 0;

	for (unsigned int i = 0; i < 3; i++) {
		off += median_of(pair_loop, pairs);
		extra += median_of(pair_loop_extra, pairs);
	}
	off /= 3;
	extra /= 3;
	u64 off_c = centi_ns_per(off, pairs);
	u64 extra_c = centi_ns_per(extra, pairs);
	u64 tp_c = extra_c > off_c ? (extra_c - off_c) / EXTRA : 0;	/* c, centi-ns */

	/* k: records per pair with everything on but the marker. */
	if (trace_set_events("all", true) < 0) {
		printk("bench trace: no memory for the trace rings\n");
		return;
	}
	trace_set_events("tracing_mark", false);
	trace_set_events("spinlock_contended_release", false);	/* not on this path */
	trace_clear();
	u64 on = median_of(pair_loop, pairs);

	trace_counts(&written, &in_buf);
	trace_all_off();
	trace_clear();
	u64 on_c = centi_ns_per(on, pairs);
	/* Events per pair, in hundredths: 7 rounds of `pairs` pairs were recorded. */
	u64 k_c = written * 100 / ((u64)pairs * ROUNDS);
	u64 out_c = off_c > k_c * tp_c / 100 ? off_c - k_c * tp_c / 100 : off_c;
	u64 per_event_c = k_c && on_c > off_c ? (on_c - off_c) * 100 / k_c : 0;

	bench_ratio(ratio, sizeof(ratio), off_c, out_c);
	bench_table_init(&tab, "trace: order-0 alloc+free pair, tracepoints off / on", 2,
			 "figure", "value");
	bench_table_add(&tab, "pair, tracing off (ns)");
	add_centi(&tab, off_c);
	bench_table_add(&tab, "pair, compiled out (ns)");
	add_centi(&tab, out_c);
	bench_table_add(&tab, "off / compiled out");
	bench_table_add(&tab, "%s", ratio);
	bench_table_add(&tab, "disabled tracepoint (ns)");
	add_centi(&tab, tp_c);
	bench_table_add(&tab, "tracepoints per pair (k)");
	add_centi(&tab, k_c);
	bench_table_add(&tab, "pair, all events on (ns)");
	add_centi(&tab, on_c);
	bench_table_add(&tab, "cost per event on (ns)");
	if (k_c)
		add_centi(&tab, per_event_c);
	else
		bench_table_add(&tab, "n/a (no events)");
	bench_table_print(&tab);
	if (!k_c)
		printk("bench trace: the pair passed no tracepoint: the allocator does not call "
		       "any yet (zone-lock/mm_page_* tracepoints not wired in mm/)\n");
}
BENCH(trace, "tracepoint cost on the order-0 alloc+free pair: off vs compiled out, on",
      trace_bench);
