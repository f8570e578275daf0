// SPDX-License-Identifier: MIT
/*
 * The benchmark registry and runner behind `bench=` (see kernel/bench.h), and a small table
 * printer so that every benchmark's figures line up the same way:
 *
 *	# bench: lock -- spinlock acquire+release cost
 *	## spinlock cost (ns per lock+unlock)
 *	case                    cpus  stats off  stats on  on/off
 *	uncontended                1       21.4      60.2    2.81
 *
 * Locking: boot CPU only (m).
 */
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

extern const struct bench __start_bench_list[], __stop_bench_list[];

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

unsigned long bench_param(const char *key, unsigned long def)
{
	char k[48];
	unsigned long v;

	snprintf(k, sizeof(k), "bench.%s", key);
	return cmdline_get_ulong(k, &v) && v ? v : def;
}

int bench_run(const char *spec)
{
	bool all = strcmp(spec, "all") == 0;
	int unknown = 0;

	printk("# bench: %s\n", spec);
	for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++) {
		if (!all && !strlist_has(spec, b->name))
			continue;
		printk("# bench: %s -- %s\n", b->name, b->desc);
		u64 t0 = arch_clock_ns();

		b->run();
		printk("# bench: %s took %llu ms\n", b->name,
		       (unsigned long long)((arch_clock_ns() - t0) / 1000000));
	}
	/* Names that match no benchmark: said out loud, so a typo is not an empty run. */
	for (const char *p = spec; !all && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		bool found = false;

		for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++)
			if (strlen(b->name) == len && strncmp(b->name, p, len) == 0)
				found = true;
		if (!found && len) {
			printk("# bench: no benchmark named '%.*s'\n", (int)len, p);
			unknown++;
		}
		if (!e)
			break;
		p = e + 1;
	}
	printk("# bench: done\n");
	return unknown;
}

void bench_run_if_asked(void)
{
	char spec[128];

	if (!cmdline_get("bench", spec, sizeof(spec)))
		return;
	if (!spec[0])
		snprintf(spec, sizeof(spec), "all");
	bench_run(spec);
	arch_power_off();
}
