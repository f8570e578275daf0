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
