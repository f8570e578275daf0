/* SPDX-License-Identifier: MIT */
/*
 * The console line editor: reads one line from the console with echo, in-line editing and
 * a history of earlier lines, for the shell (kernel/shell.c) to run.
 *
 * Locking: one reader, the boot CPU (m); the console is polled.
 */
#ifndef KERNEL_READLINE_H
#define KERNEL_READLINE_H

#include "kernel/compiler.h"

/* The longest line the editor keeps, with its NUL; history entries are this size too. */
#define READLINE_MAX	256

/*
 * readline() - read one line from the console into buf (at most size - 1 characters).
 * Keys: backspace/Ctrl-H, Delete/Ctrl-D, Ctrl-U (erase the line), Ctrl-C (abandon it),
 * Left/Right, Home/End/Ctrl-A/Ctrl-E, Up/Down through the history; Tab types a space;
 * other control bytes are ignored; characters past the buffer's room ring the bell and are
 * dropped, but counted.
 * Returns -1 if the line was abandoned with Ctrl-C, otherwise the length of the line. If
 * characters were dropped (since the line was last erased or replaced from the history), it
 * is the most the line held as typed, always more than size - 1: buf then holds only the
 * part that fitted, and must not be taken for what was typed.
 * Context: boot CPU; IRQs on lets it idle between keys.
 */
long readline(char *buf, size_t size);

#endif /* KERNEL_READLINE_H */
