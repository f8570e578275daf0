// SPDX-License-Identifier: MIT
/*
 * The benchmarks' table printer and statistics helpers, so that every benchmark's figures
 * line up the same way, in the kernel and in the host harness (tests/bench/host links this
 * file as it is):
 *
 *	## spinlock cost (ns per lock+unlock)
 *	case                    cpus  stats off  stats on  on/off
 *	uncontended                1       21.4      60.2    2.81
 *
 * Locking: none; a table belongs to the benchmark that fills it.
 */
#include "kernel/bench.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

void bench_table_init(struct bench_table *t, const char *title, unsigned int ncols, ...)
{
	va_list ap;

	memset(t, 0, sizeof(*t));
	t->title = title;
	t->ncols = ncols > BENCH_MAX_COLS ? BENCH_MAX_COLS : ncols;
	va_start(ap, ncols);
	for (unsigned int i = 0; i < ncols; i++) {
		const char *h = va_arg(ap, const char *);

		if (i < BENCH_MAX_COLS)
			t->head[i] = h;
	}
	va_end(ap);
}

void bench_table_add(struct bench_table *t, const char *fmt, ...)
{
	unsigned int row = t->ncells / t->ncols, col = t->ncells % t->ncols;
	va_list ap;

	t->ncells++;
	if (row >= BENCH_MAX_ROWS)
		return;
	va_start(ap, fmt);
	vsnprintf(t->cell[row][col], BENCH_CELL, fmt, ap);
	va_end(ap);
}

void bench_table_print(const struct bench_table *t)
{
	unsigned int rows = DIV_ROUND_UP(t->ncells, t->ncols);
	unsigned int width[BENCH_MAX_COLS];
	char line[BENCH_MAX_COLS * (BENCH_CELL + 2) + 2];

	if (rows > BENCH_MAX_ROWS)
		rows = BENCH_MAX_ROWS;
	for (unsigned int c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->head[c]);
		for (unsigned int r = 0; r < rows; r++)
			width[c] = max(width[c], (unsigned int)strlen(t->cell[r][c]));
	}
	printk("## %s\n", t->title);
	for (int r = -1; r < (int)rows; r++) {
		size_t n = 0;

		for (unsigned int c = 0; c < t->ncols; c++) {
			const char *s = r < 0 ? t->head[c] : t->cell[r][c];

			/* The first column names the row: left-aligned; figures right-aligned. */
			n += snprintf(line + n, sizeof(line) - n, c == 0 ? "%-*s" : "  %*s",
				      (int)width[c], s);
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
		}
		printk("%s\n", line);
	}
	if (t->ncells > BENCH_MAX_ROWS * t->ncols)
		printk("(%u more rows not shown)\n",
		       DIV_ROUND_UP(t->ncells, t->ncols) - BENCH_MAX_ROWS);
}

u64 bench_percentile(u64 *v, unsigned int n, unsigned int pct)
{
	if (!n)
		return 0;
	/* Shell sort with gaps n/2, n/4, ...: short, in place, fast enough for 10^4 samples. */
	for (unsigned int gap = n / 2; gap; gap /= 2)
		for (unsigned int i = gap; i < n; i++) {
			u64 x = v[i];
			unsigned int j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	unsigned int idx = (unsigned int)((u64)(n - 1) * pct / 100);

	return v[idx];
}

void bench_ratio(char *buf, size_t len, u64 a, u64 b)
{
	if (!b) {
		snprintf(buf, len, "-");
		return;
	}
	u64 r = (a * 100 + b / 2) / b;	/* hundredths, rounded */

	snprintf(buf, len, "%llu.%02llu", (unsigned long long)(r / 100),
		 (unsigned long long)(r % 100));
}

