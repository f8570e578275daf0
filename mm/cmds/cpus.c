// SPDX-License-Identifier: MIT
/*
 * mm's columns in the shell's `cpus` table (kernel/cmds/cpus.h): the pages each CPU holds on
 * its per-CPU lists and remote-free lists, and the pageblocks it owns.
 *
 * Locking: pcp_held_pages() counts on the CPU itself, or under the hotplug lock when it is
 * offline (mm/pcp.h). The shell's CPU, IRQs on.
 */
#include "kernel/cmds/cpus.h"
#include "kernel/printk.h"
#include "mm/pcp.h"

static void pcp_cells(unsigned int cpu, char *buf, size_t len)
{
	struct pcp_held_pages h;

	pcp_held_pages(cpu, &h);
	snprintf(buf, len, " %6lu %7lu %7lu", h.pcp, h.remote, h.owned_blocks);
}
CPUS_COLUMNS(pcp, "    PCP  REMOTE  BLOCKS",
	     "PCP and REMOTE are pages held on the\n"
	     "CPU's per-CPU lists and on its remote-free lists; BLOCKS are pageblocks it owns.",
	     pcp_cells);
