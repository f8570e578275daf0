/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line: space-separated `key`, `key=value` or `key="value with spaces"`
 * words, from boot_info.cmdline (GRUB's multiboot2 line or the FDT's /chosen/bootargs).
 * Later words win over earlier ones with the same key.
 *
 * Locking: read-only after boot; safe from any CPU.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/compiler.h"

/* Use this command line (boot CPU, before anything reads it). */
void cmdline_init(const char *line);
/* The raw line, as given. */
const char *cmdline_raw(void);

/*
 * The value of `key`, quotes removed, into buf (truncated to len-1, NUL-terminated).
 * True if the key is present; a bare `key` gives "".
 */
bool cmdline_get(const char *key, char *buf, size_t len);
bool cmdline_has(const char *key);
/* Numbers (0x.. and 0.. prefixes) and sizes (K/M/G/T suffixes). False if absent or bad. */
bool cmdline_get_ulong(const char *key, unsigned long *v);
bool cmdline_get_size(const char *key, unsigned long long *v);

/* The same parser on any string, for tests and for `shell.run` style nested values. */
bool cmdline_find(const char *line, const char *key, char *buf, size_t len);

#endif /* KERNEL_CMDLINE_H */
