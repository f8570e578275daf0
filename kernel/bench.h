/* SPDX-License-Identifier: MIT */
/*
 * Benchmarks: `bench=name[,name]` (or `bench=all`) on the command line runs them after the
 * tests would, prints their tables and powers off (DESIGN.md 7). Figures, not verdicts; but
 * a name that matches no benchmark is an error, as an unknown ktest suite is.
 *
 *	static void ipi_bench(void) { ... bench_table_print(&t); }
 *	BENCH(ipi, "IPI round-trip time to every other CPU", ipi_bench);
 *
 * Benchmarks register in the bench_list section (ld provides __start_ and __stop_ symbols,
 * as for ktest suites). A table collects cells and prints them in aligned columns.
 *
 * Locking: benchmarks run on the boot CPU (m); what they run elsewhere is their business.
 */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include "kernel/compiler.h"

struct bench {
	const char *name;
	const char *desc;
	void (*run)(void);
};

#define BENCH(bname, bdesc, fn)						\
	static const struct bench __bench_##bname			\
	__section("bench_list") __used __aligned(8) = {			\
		.name = #bname, .desc = bdesc, .run = fn,		\
	}

#define BENCH_MAX_COLS	8
#define BENCH_MAX_ROWS	32
#define BENCH_CELL	28

struct bench_table {
	const char *title;
	unsigned int ncols;
	const char *head[BENCH_MAX_COLS];
	unsigned int ncells;				/* cells added so far */
	char cell[BENCH_MAX_ROWS][BENCH_MAX_COLS][BENCH_CELL];
};

/* Start a table with `ncols` columns named by the following const char * arguments. */
void bench_table_init(struct bench_table *t, const char *title, unsigned int ncols, ...);
/* Add the next cell, row by row (extra rows are dropped with a note when printed). */
void bench_table_add(struct bench_table *t, const char *fmt, ...) __printf(2, 3);
/* Print: title, header, rows; first column left-aligned, the rest right-aligned. */
void bench_table_print(const struct bench_table *t);

/* Sort v[0..n) ascending in place and return the value at percentile pct (0..100). */
u64 bench_percentile(u64 *v, unsigned int n, unsigned int pct);
/* "a/b" as a decimal with two places, e.g. "1.07". */
void bench_ratio(char *buf, size_t len, u64 a, u64 b);
/* A numeric `bench.<key>=` option, or `def`. */
unsigned long bench_param(const char *key, unsigned long def);

/*
 * Run the benchmarks in `spec` ("all" or "a,b"). If a name matches no benchmark, nothing
 * runs: each such name and the list of benchmarks are printed. Returns how many names
 * matched nothing.
 */
int bench_run(const char *spec);
/*
 * If `bench=` is on the command line: run those benchmarks, then power off (QEMU exits 0),
 * or end with a failure status (as a failed ktest run does) if a name matched nothing.
 * Otherwise return at once. Context: boot CPU, after smp_init() and ktest.
 */
void bench_run_if_asked(void);

#endif /* KERNEL_BENCH_H */
