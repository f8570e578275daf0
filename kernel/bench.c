// SPDX-License-Identifier: MIT
/*
 * The benchmark registry and runner behind `bench=` (see kernel/bench.h). The tables the
 * benchmarks print are kernel/bench_table.c's.
 *
 * Locking: boot CPU only (m).
 */
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

extern const struct bench __start_bench_list[], __stop_bench_list[];

unsigned long bench_param(const char *key, unsigned long def)
{
	char k[48];
	unsigned long v;

	snprintf(k, sizeof(k), "bench.%s", key);
	return cmdline_get_ulong(k, &v) && v ? v : def;
}

/* Names in the spec that match no benchmark: each is reported; returns how many. */
static int unknown_benchmarks(const char *spec)
{
	int unknown = 0;

	for (const char *p = spec; *p;) {
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
	return unknown;
}

int bench_run(const char *spec)
{
	bool all = strcmp(spec, "all") == 0;
	int unknown;

	printk("# bench: %s\n", spec);
	/*
	 * A name that matches nothing is most likely a typo: run nothing rather than run the
	 * rest for minutes and report the mistake at the end, where it scrolls by unseen.
	 */
	unknown = all ? 0 : unknown_benchmarks(spec);
	if (unknown) {
		char names[256];
		size_t n = 0;

		for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++)
			n += snprintf(names + n, n < sizeof(names) ? sizeof(names) - n : 0, " %s",
				      b->name);
		printk("# bench: nothing run; the benchmarks are:%s (or all)\n", names);
		return unknown;
	}
	for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++) {
		if (!all && !strlist_has(spec, b->name))
			continue;
		printk("# bench: %s -- %s\n", b->name, b->desc);
		u64 t0 = arch_clock_ns();

		b->run();
		printk("# bench: %s took %llu ms\n", b->name,
		       (unsigned long long)((arch_clock_ns() - t0) / 1000000));
	}
	printk("# bench: done\n");
	return 0;
}

void bench_run_if_asked(void)
{
	char spec[128];

	if (!cmdline_get("bench", spec, sizeof(spec)))
		return;
	if (!spec[0])
		snprintf(spec, sizeof(spec), "all");
	/* A request that names nothing fails like a failed test run: QEMU exits non-zero. */
	arch_test_exit(bench_run(spec) == 0);
}
