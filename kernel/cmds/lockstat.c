// SPDX-License-Identifier: MIT
/*
 * `lockstat [on|off|reset]`: lock statistics per lock class (kernel/lockstat.h). Without an
 * argument it prints them in /proc/lock_stat's format.
 *
 * Locking: see kernel/lockstat.h. Boot CPU (the shell).
 */
#include "kernel/shell.h"
#include "kernel/lockstat.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

static int cmd_lockstat(int argc, char **argv)
{
	if (argc == 1) {
		lockstat_print();
		if (!lockstat_enabled())
			printk("lockstat: statistics are off ('lockstat on' starts them)\n");
		return 0;
	}
	if (argc != 2)
		return SHELL_EUSAGE;
	if (strcmp(argv[1], "on") == 0) {
		lockstat_enable(true);
		printk("lockstat: on\n");
	} else if (strcmp(argv[1], "off") == 0) {
		lockstat_enable(false);
		printk("lockstat: off\n");
	} else if (strcmp(argv[1], "reset") == 0) {
		lockstat_reset();
		printk("lockstat: figures reset\n");
	} else {
		return SHELL_EUSAGE;
	}
	return 0;
}
SHELL_COMMAND_USAGE(lockstat, "[on|off|reset]", "lock statistics, as /proc/lock_stat",
		    cmd_lockstat);
