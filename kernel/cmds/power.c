// SPDX-License-Identifier: MIT
/*
 * `poweroff` and `reboot`. In QEMU, poweroff ends QEMU with exit status 0 (DESIGN.md 7);
 * reboot restarts the machine (QEMU started with -no-reboot exits instead).
 *
 * Locking: none; the arch stops the other CPUs first where it can. Boot CPU (the shell).
 */
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "arch/arch.h"

static int cmd_poweroff(int argc, char **argv)
{
	if (argc != 1)
		return SHELL_EUSAGE;
	printk("Powering off.\n");
	arch_power_off();
}
SHELL_COMMAND(poweroff, "power off (QEMU exits with status 0)", cmd_poweroff);

static int cmd_reboot(int argc, char **argv)
{
	if (argc != 1)
		return SHELL_EUSAGE;
	printk("Rebooting.\n");
	arch_reboot();
}
SHELL_COMMAND(reboot, "reboot the machine", cmd_reboot);
