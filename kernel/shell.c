// SPDX-License-Identifier: MIT
/*
 * The serial shell: a dispatcher that splits a line into words and runs the command registered
 * under the first one in the shell_cmds section, plus the built-in commands that belong to no
 * subsystem (help, dmesg, cmdline). Lines come from the line editor (kernel/readline.c) or
 * from `shell.run=` on the command line; the other commands live in kernel/cmds/, one file per
 * area.
 *
 * Locking: boot CPU only (m).
 */
#include "kernel/shell.h"
#include "kernel/readline.h"
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

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

	if (ret && ret != SHELL_EFAIL)
		printk("usage: %s %s\n", c->name, c->usage);
	return ret;
}

bool shell_parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	const char *end;
	unsigned long long n;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	/* Reject long strings before parsing: 18 characters cannot wrap 64 bits in any base. */
	if (strlen(s) > 18)
		return false;
	n = simple_strtoull(s, &end, 0);
	if (*end || n > max)
		return false;
	*v = (unsigned long)n;
	return true;
}

void shell_run_boot_commands(void)
{
	char cmds[READLINE_MAX * 2];

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

void shell_loop(void)
{
	static char line[READLINE_MAX];

	printk("Tessera shell: type 'help' for commands.\n");
	for (;;) {
		puts_raw("tessera> ");
		long n = readline(line, sizeof(line));

		if (n < 0)
			continue;	/* abandoned with Ctrl-C */
		/* Running the part that fitted could do something nobody asked for. */
		if (n >= (long)sizeof(line)) {
			printk("shell: line too long (%ld characters, at most %u): not run\n", n,
			       (unsigned int)sizeof(line) - 1);
			continue;
		}
		shell_exec(line);
	}
}

/* `help`: one line per command; `help CMD`: that command's line and usage. */
static int cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return SHELL_EUSAGE;
	for (const struct shell_command *c = __start_shell_cmds; c < __stop_shell_cmds; c++) {
		if (argc == 2 && strcmp(argv[1], c->name) != 0)
			continue;
		printk("  %-12s %-30s %s\n", c->name, c->usage, c->help);
		if (argc == 2)
			return 0;
	}
	if (argc == 2) {
		printk("help: no command '%s'\n", argv[1]);
		return SHELL_EFAIL;
	}
	return 0;
}
SHELL_COMMAND_USAGE(help, "[COMMAND]", "list the commands, or show one", cmd_help);

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
