/* SPDX-License-Identifier: MIT */
/*
 * Columns a subsystem adds to the shell's `cpus` table (kernel/cmds/cpus.c), after the
 * kernel's own: mm adds the pages each CPU holds (mm/cmds/cpus.c). They register like shell
 * commands, in a section the table walks, so kernel/ knows nothing of what they show:
 *
 *	static void pcp_cells(unsigned int cpu, char *buf, size_t len) { snprintf(buf, ...); }
 *	CPUS_COLUMNS(pcp, "    PCP  REMOTE  BLOCKS", "PCP and REMOTE are ...", pcp_cells);
 *
 * Locking: the entries are constant (c); cells() gathers its figures in its own way.
 */
#ifndef KERNEL_CMDS_CPUS_H
#define KERNEL_CMDS_CPUS_H

#include "kernel/compiler.h"

struct cpus_columns {
	const char *header;	/* appended to the header line, as wide as the cells */
	const char *legend;	/* appended to the sentences above the table */
	/* Write @cpu's cells into @buf (no newline). Context: the shell's CPU, IRQs on. */
	void (*cells)(unsigned int cpu, char *buf, size_t len);
};

#define CPUS_COLUMNS(cname, header_str, legend_str, func)		\
	static const struct cpus_columns __cpus_columns_##cname	\
	__section("cpus_columns") __used __aligned(8) = {		\
		.header = header_str, .legend = legend_str,		\
		.cells = func,						\
	}

#endif /* KERNEL_CMDS_CPUS_H */
