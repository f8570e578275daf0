// SPDX-License-Identifier: MIT
/*
 * `bench NAME[,NAME]|all`: run benchmarks (kernel/bench.h) from the shell and print their
 * tables, without powering off (`bench=` on the command line does). Without a name it lists
 * them.
 *
 * Locking: runs on the boot CPU (the shell), as bench= does.
 */
#include "kernel/shell.h"
#include "kernel/bench.h"
#include "kernel/printk.h"

extern const struct bench __start_bench_list[], __stop_bench_list[];

static int cmd_bench(int argc, char **argv)
{
	if (argc != 2) {
		for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++)
			printk("  %-12s %s\n", b->name, b->desc);
		return SHELL_EUSAGE;
	}
	if (bench_run(argv[1])) {
		printk("bench: no benchmark '%s' ('bench' lists them)\n", argv[1]);
		return SHELL_EFAIL;
	}
	return 0;
}
SHELL_COMMAND_USAGE(bench, "NAME[,NAME]|all", "run benchmarks and print their tables",
		    cmd_bench);
