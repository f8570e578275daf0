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
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "kernel/printk.h"

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

/*
 * `mmcheck`: give every per-CPU page back to the zones, then run the invariant checker
 * (mm/check.c) and print what it found with the totals, so that a test can see every page
 * come home (after a balloon deflates, say).
 */
static int cmd_mmcheck(int argc, char **argv)
{
	bool drained;
	int problems;

	(void)argv;
	if (argc != 1)
		return SHELL_EUSAGE;
	drained = drain_all_pages(NULL);
	problems = mm_check_invariants();
	printk("mmcheck: %d problem%s; %lu pages free%s, %lu managed\n", problems,
	       problems == 1 ? "" : "s", nr_free_pages(),
	       drained ? " (per-CPU lists drained)" : " (some per-CPU lists not drained)",
	       totalram_pages());
	return problems ? SHELL_EFAIL : 0;
}
SHELL_COMMAND(mmcheck, "drain the per-CPU lists and check the allocator's invariants",
	      cmd_mmcheck);
