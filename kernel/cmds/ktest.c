// SPDX-License-Identifier: MIT
/*
 * `ktest SUITE[,SUITE]|all`: run in-kernel test suites from the shell and print their KTAP,
 * without powering off afterwards (`ktest=` on the command line does power off). Some suites
 * assume a freshly booted machine (all memory free, no PCP pages held): run them on a new
 * boot if they fail after experiments with alloc/free.
 *
 * Locking: runs on the boot CPU (the shell), as ktest= does.
 */
#include "kernel/shell.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"

extern const struct ktest_suite __start_ktest_suites[], __stop_ktest_suites[];

static int cmd_ktest(int argc, char **argv)
{
	if (argc != 2) {
		printk("ktest: suites:");
		for (const struct ktest_suite *s = __start_ktest_suites; s < __stop_ktest_suites; s++)
			printk(KERN_CONT " %s", s->name);
		printk(KERN_CONT "\n");
		return SHELL_EUSAGE;
	}
	int failed = ktest_run(argv[1]);

	printk("ktest: %s: %d failed\n", argv[1], failed);
	return failed ? SHELL_EFAIL : 0;
}
SHELL_COMMAND_USAGE(ktest, "SUITE[,SUITE]|all", "run in-kernel test suites (KTAP)", cmd_ktest);
