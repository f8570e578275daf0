// SPDX-License-Identifier: MIT
/*
 * Shell commands for the allocator's state, in Linux's /proc formats so that habits (and
 * scripts) from Linux apply: meminfo, buddyinfo, zoneinfo, pagetypeinfo, vmstat. The
 * printers themselves are mm/show_mem.c's; these only check the arguments.
 *
 * Locking: the printers take each zone lock in turn (see mm/vmstat.h). Boot CPU (the shell).
 */
#include "kernel/shell.h"
#include "mm/vmstat.h"

/* One table for five commands that take no arguments. */
#define MM_VIEW(cmd, printer, help_str)					\
	static int cmd_##cmd(int argc, char **argv)			\
	{								\
		if (argc != 1)						\
			return SHELL_EUSAGE;				\
		printer();						\
		return 0;						\
	}								\
	SHELL_COMMAND(cmd, help_str, cmd_##cmd)

MM_VIEW(meminfo, show_meminfo, "memory totals, as /proc/meminfo");
MM_VIEW(buddyinfo, show_buddyinfo, "free blocks per order and zone, as /proc/buddyinfo");
MM_VIEW(zoneinfo, show_zoneinfo, "each zone's watermarks, counters, pagesets, as /proc/zoneinfo");
MM_VIEW(pagetypeinfo, show_pagetypeinfo, "free blocks per migratetype, as /proc/pagetypeinfo");
MM_VIEW(vmstat, show_vmstat, "allocator counters, as /proc/vmstat");
