/* SPDX-License-Identifier: MIT */
/*
 * Consoles: where printk's lines go and where the shell reads from. A UART driver (or the
 * SBI console) registers a struct console; printk writes every line to each one.
 *
 * Locking: the list is built by the boot CPU before SMP (m); printk serialises writers.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/compiler.h"

struct console {
	const char *name;					/* "com1", "ns16550a", "sbi" (c) */
	void (*write)(struct console *con, const char *s, size_t n);	/* any context (c) */
	int (*getc)(struct console *con);	/* a byte, or -1 if none waiting; may be NULL (c) */
	void *priv;						/* the driver's (c) */
	struct console *next;					/* (m) */
};

/* Add a console; later ones are preferred for input. Boot CPU, before SMP. */
void console_register(struct console *con);
/* Drop a console (for example the SBI fallback once the UART is up). Boot CPU. */
void console_unregister(struct console *con);
/* Write raw bytes to every console (printk uses this). Caller serialises. */
void console_write(const char *s, size_t n);
/* A byte from the first console that has one, or -1. */
int console_getc(void);

#endif /* KERNEL_CONSOLE_H */
