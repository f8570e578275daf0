// SPDX-License-Identifier: MIT
/*
 * `extfrag [unusable|index]`: the external fragmentation of every populated zone, per order,
 * in the formats of Linux's debugfs files (mm/extfrag.h says what the numbers mean):
 *
 *	extfrag unusable	/sys/kernel/debug/extfrag/unusable_index
 *	extfrag index		/sys/kernel/debug/extfrag/extfrag_index
 *	extfrag			both, each under a heading naming its file
 *
 * Pages on per-CPU lists are not counted (as in buddyinfo); `mmcheck` drains them first.
 *
 * Locking: each zone's counts are read under its zone lock (mm/extfrag.c). Boot CPU (the
 * shell).
 */
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/extfrag.h"

static void show_one(enum extfrag_kind kind, bool heading)
{
	if (heading)
		printk("%s\n", kind == EXTFRAG_UNUSABLE ?
		       "unusable free space index (extfrag/unusable_index):" :
		       "fragmentation index (extfrag/extfrag_index):");
	show_extfrag(kind);
}

static int cmd_extfrag(int argc, char **argv)
{
	if (argc > 2)
		return SHELL_EUSAGE;
	if (argc == 1) {
		show_one(EXTFRAG_UNUSABLE, true);
		show_one(EXTFRAG_INDEX, true);
		return 0;
	}
	if (strcmp(argv[1], "unusable") == 0) {
		show_one(EXTFRAG_UNUSABLE, false);
		return 0;
	}
	if (strcmp(argv[1], "index") == 0) {
		show_one(EXTFRAG_INDEX, false);
		return 0;
	}
	printk("extfrag: '%s' is not an index: use unusable (the unusable free space index) or "
	       "index (the fragmentation index), or nothing for both\n", argv[1]);
	return SHELL_EFAIL;
}
SHELL_COMMAND_USAGE(extfrag, "[unusable|index]", "external fragmentation per zone and order, "
		    "as debugfs extfrag/unusable_index and extfrag/extfrag_index", cmd_extfrag);
