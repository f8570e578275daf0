// SPDX-License-Identifier: MIT
/*
 * The console list: printk writes each line to every registered console; the shell reads
 * from the most recently registered console that can read.
 *
 * Locking: the list is changed only by the boot CPU before SMP (m). Writers are serialised by
 * printk's lock, so console drivers need no lock of their own for output.
 */
#include "kernel/console.h"

static struct console *consoles;	/* newest first (m) */

void console_register(struct console *con)
{
	con->next = consoles;
	consoles = con;
}

void console_unregister(struct console *con)
{
	for (struct console **pp = &consoles; *pp; pp = &(*pp)->next) {
		if (*pp == con) {
			*pp = con->next;
			con->next = NULL;
			return;
		}
	}
}

/* Terminals want "\r\n": translate here once instead of in every driver. */
void console_write(const char *s, size_t n)
{
	for (struct console *c = consoles; c; c = c->next) {
		size_t start = 0;

		for (size_t i = 0; i < n; i++) {
			if (s[i] != '\n')
				continue;
			if (i > start)
				c->write(c, s + start, i - start);
			c->write(c, "\r\n", 2);
			start = i + 1;
		}
		if (n > start)
			c->write(c, s + start, n - start);
	}
}

int console_getc(void)
{
	for (struct console *c = consoles; c; c = c->next) {
		if (!c->getc)
			continue;
		int ch = c->getc(c);

		if (ch >= 0)
			return ch;
	}
	return -1;
}
