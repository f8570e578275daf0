// SPDX-License-Identifier: MIT
/*
 * The benchmark registry and runner behind `bench=` (see kernel/bench.h). The tables the
 * benchmarks print are kernel/bench_table.c's.
 *
 * Locking: boot CPU only (m).
 */
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/namelist.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

extern const struct bench __start_bench_list[], __stop_bench_list[];

/* The i-th benchmark's name, for namelist_check(). */
static const char *bench_name(unsigned int i)
{
	return __start_bench_list[i].name;
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
	const struct namelist_registry benchmarks = {
		.tag = "bench", .one = "benchmark", .all = "benchmarks",
		.count = (unsigned int)(__stop_bench_list - __start_bench_list),
		.name = bench_name,
	};
	bool all = strcmp(spec, "all") == 0;
	int unknown;

	printk("# bench: %s\n", spec);
	/*
	 * A name that matches nothing is most likely a typo: run nothing rather than run the
	 * rest for minutes and report the mistake at the end, where it scrolls by unseen.
	 */
	unknown = namelist_check(spec, &benchmarks);
	if (unknown)
		return unknown;
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
