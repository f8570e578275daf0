// SPDX-License-Identifier: MIT
/*
 * The serial shell: line editing (backspace, Ctrl-U to erase the line, Ctrl-C to abandon it),
 * a dispatcher over the commands registered in the shell_cmds section, and the built-in
 * commands that belong to no subsystem (help, poweroff, reboot, dmesg, cmdline).
 *
 * Locking: boot CPU only; the console is polled.
 */
#include "kernel/shell.h"
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

#define LINE_MAX 256

extern const struct shell_command __start_shell_cmds[], __stop_shell_cmds[];

static void puts_raw(const char *s)
{
	console_write(s, strlen(s));
}

static const struct shell_command *find_command(const char *name)
{
	for (const struct shell_command *c = __start_shell_cmds; c < __stop_shell_cmds; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Split in place at spaces; returns argc. Extra words beyond SHELL_MAX_ARGS are an error. */
static int split_args(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == SHELL_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

int shell_exec(char *line)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = split_args(line, argv);

	if (argc < 0) {
		printk("shell: too many arguments (at most %d)\n", SHELL_MAX_ARGS - 1);
		return -1;
	}
	if (argc == 0)
		return 0;
	const struct shell_command *c = find_command(argv[0]);

	if (!c) {
		printk("shell: unknown command '%s' (try 'help')\n", argv[0]);
		return -1;
	}
	int ret = c->fn(argc, argv);

	if (ret)
		printk("usage: %s %s\n", c->name, c->usage);
	return ret;
}

void shell_run_boot_commands(void)
{
	char cmds[LINE_MAX * 2];

	if (!cmdline_get("shell.run", cmds, sizeof(cmds)))
		return;
	for (char *p = cmds; p && *p;) {
		char *semi = strchr(p, ';');

		if (semi)
			*semi = '\0';
		printk("tessera> %s\n", p);
		shell_exec(p);
		p = semi ? semi + 1 : NULL;
	}
}

/* Read one line with echo and editing. Returns false if the line was abandoned (Ctrl-C). */
static bool read_line(char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		int c = console_getc();

		if (c < 0) {
			arch_cpu_relax();
			continue;
		}
		if (c == '\r' || c == '\n') {
			puts_raw("\n");
			buf[n] = '\0';
			return true;
		}
		if (c == 0x03) {		/* Ctrl-C */
			puts_raw("^C\n");
			return false;
		}
		if (c == 0x15) {		/* Ctrl-U: erase the whole line */
			for (; n; n--)
				puts_raw("\b \b");
			continue;
		}
		if (c == 0x7f || c == 0x08) {	/* backspace / delete */
			if (n) {
				n--;
				puts_raw("\b \b");
			}
			continue;
		}
		if (c < 0x20 || c > 0x7e)	/* other control bytes and escapes are ignored */
			continue;
		if (n + 1 >= size)
			continue;		/* full: drop, the user sees nothing echoed */
		buf[n++] = (char)c;
		char echo[2] = { (char)c, 0 };

		puts_raw(echo);
	}
}

void shell_loop(void)
{
	char line[LINE_MAX];

	printk("Tessera shell: type 'help' for commands.\n");
	for (;;) {
		puts_raw("tessera> ");
		if (read_line(line, sizeof(line)))
			shell_exec(line);
	}
}

static int cmd_help(int argc, char **argv)
{
	for (const struct shell_command *c = __start_shell_cmds; c < __stop_shell_cmds; c++)
		printk("  %-12s %s\n", c->name, c->help);
	return 0;
}
SHELL_COMMAND(help, "list the commands", cmd_help);

static int cmd_poweroff(int argc, char **argv)
{
	printk("Powering off.\n");
	arch_power_off();
}
SHELL_COMMAND(poweroff, "power off (QEMU exits with status 0)", cmd_poweroff);

static int cmd_reboot(int argc, char **argv)
{
	printk("Rebooting.\n");
	arch_reboot();
}
SHELL_COMMAND(reboot, "reboot the machine", cmd_reboot);

static int cmd_dmesg(int argc, char **argv)
{
	static char buf[16384];
	size_t n = printk_log_read(buf, sizeof(buf));

	/* Start at a line boundary so the first line is not a fragment. */
	size_t start = 0;

	if (n == sizeof(buf))
		while (start < n && buf[start++] != '\n')
			;
	console_write(buf + start, n - start);
	return 0;
}
SHELL_COMMAND(dmesg, "the newest 16 KiB of the kernel log", cmd_dmesg);

static int cmd_cmdline(int argc, char **argv)
{
	printk("%s\n", cmdline_raw());
	return 0;
}
SHELL_COMMAND(cmdline, "the kernel command line", cmd_cmdline);
