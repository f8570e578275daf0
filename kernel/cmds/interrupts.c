// SPDX-License-Identifier: MIT
/*
 * `interrupts`: device interrupts per CPU, in /proc/interrupts' format (kernel/irq.c).
 *
 * Locking: irq_show_interrupts() takes irq_lock; counts are racy snapshots. Boot CPU.
 */
#include "kernel/shell.h"
#include "kernel/irq.h"

static int cmd_interrupts(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return SHELL_EUSAGE;
	irq_show_interrupts();
	return 0;
}
SHELL_COMMAND(interrupts, "device interrupts per CPU, as /proc/interrupts", cmd_interrupts);
