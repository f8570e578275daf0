/* SPDX-License-Identifier: MIT */
/*
 * printk: the kernel log. Each line is printed as "[    1.234567] cpuN: message" on every
 * registered console; lines above `loglevel=` are kept out of the console.
 *
 * Locking: printk may be called from any context, interrupts included; a line is never
 * interleaved with another CPU's line (see printk.c).
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include "kernel/compiler.h"

/* Log levels as Linux spells them: a "\001N" prefix on the format string. */
#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
/* Continues the previous line: no timestamp, no level. */
#define KERN_CONT	KERN_SOH "c"

#define LOGLEVEL_DEFAULT 6	/* messages at level <= this reach the console */

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);
void printk_set_loglevel(int level);
/* Copy the newest `size` bytes of the log ring into buf; returns the count (for dmesg). */
size_t printk_log_read(char *buf, size_t size);
int printk_get_loglevel(void);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/* Formatting without printing: kernel/lib/vsnprintf.c. */
__printf(3, 0) int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

#endif /* KERNEL_PRINTK_H */
