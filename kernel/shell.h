/* SPDX-License-Identifier: MIT */
/*
 * The serial shell: reads lines from the console, prompt "tessera> ". Commands register
 * themselves with SHELL_COMMAND() in the shell_cmds section, so a subsystem adds its own
 * commands in its own file:
 *
 *	static int cmd_buddyinfo(int argc, char **argv) { show_buddyinfo(); return 0; }
 *	SHELL_COMMAND(buddyinfo, "free blocks per order, as /proc/buddyinfo", cmd_buddyinfo);
 *
 * A command returns 0 on success, SHELL_EUSAGE (or any other non-zero value) for bad
 * arguments, which makes the shell print its usage line, or SHELL_EFAIL when it has already
 * said what went wrong (no usage line then).
 * Locking: the shell runs on the boot CPU only.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include "kernel/compiler.h"

#define SHELL_MAX_ARGS	16

#define SHELL_EUSAGE	1	/* bad arguments: the shell prints the usage line */
#define SHELL_EFAIL	2	/* failed; the command printed why */

struct shell_command {
	const char *name;
	const char *help;	/* one line for `help` */
	const char *usage;	/* argument synopsis, "" if none */
	int (*fn)(int argc, char **argv);
};

#define SHELL_COMMAND_USAGE(cname, usage_str, help_str, func)		\
	static const struct shell_command __shell_cmd_##cname		\
	__section("shell_cmds") __used __aligned(8) = {			\
		.name = #cname, .help = help_str, .usage = usage_str,	\
		.fn = func,						\
	}
#define SHELL_COMMAND(cname, help_str, func) SHELL_COMMAND_USAGE(cname, "", help_str, func)

/* Run one command line ("buddyinfo", "alloc 3 4"). Returns the command's status, -1 if none. */
int shell_exec(char *line);
/*
 * Parse a whole unsigned number (decimal, or hex with 0x) into *v; false (nothing written)
 * for an empty string, trailing junk or a value above max. For commands' arguments.
 */
bool shell_parse_ulong(const char *s, unsigned long max, unsigned long *v);
/* Run the `shell.run="a;b"` commands from the command line, if any. Boot CPU. */
void shell_run_boot_commands(void);
/* Read and run commands forever. Boot CPU. */
__noreturn void shell_loop(void);

#endif /* KERNEL_SHELL_H */
