// SPDX-License-Identifier: MIT
/*
 * printk: formats a message, prefixes every line with "[seconds.micros][Ccpu] ", keeps it in a
 * 64 KiB log ring (for `dmesg`) and writes it to the consoles if its level is at or below
 * `loglevel=`.
 *
 * Locking: printk_lock serialises whole messages so lines of different CPUs never interleave.
 * It is taken with interrupts off. A CPU that faults while holding it (an exception inside
 * printk) must still be able to print its dump, so the owner may re-enter, and after a panic
 * the lock is only tried for a while and then ignored: a garbled line beats silence.
 */
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/spinlock.h"
#include "kernel/smp.h"
#include "kernel/lib/string.h"

#define LOG_BUF_SIZE	(64 * 1024)

static spinlock_t printk_lock = SPINLOCK_INIT("printk_lock");
static char log_buf[LOG_BUF_SIZE];	/* ring of everything printed (printk_lock) */
static size_t log_head;			/* total bytes ever written (printk_lock) */
static bool at_line_start = true;	/* the last byte written was '\n' (printk_lock) */
static int console_loglevel = LOGLEVEL_DEFAULT;	/* (l: READ_ONCE) */
bool printk_panic_mode;			/* set once by panic() (l) */

void printk_set_loglevel(int level)
{
	WRITE_ONCE(console_loglevel, level < 0 ? 0 : level > 8 ? 8 : level);
}

int printk_get_loglevel(void)
{
	return READ_ONCE(console_loglevel);
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += n;
}

size_t printk_log_read(char *buf, size_t size)
{
	unsigned long flags = spin_lock_irqsave(&printk_lock);
	size_t avail = log_head < LOG_BUF_SIZE ? log_head : LOG_BUF_SIZE;
	size_t n = size < avail ? size : avail;

	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(log_head - n + i) % LOG_BUF_SIZE];
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

/* Emit text: a prefix at the start of each line, to the ring and (if loud enough) consoles. */
static void emit(const char *text, size_t n, bool to_console)
{
	char prefix[40];
	u64 ns = arch_clock_ns();
	int plen = snprintf(prefix, sizeof(prefix), "[%5llu.%06llu][C%u] ",
			    (unsigned long long)(ns / 1000000000ULL),
			    (unsigned long long)(ns % 1000000000ULL / 1000),
			    smp_processor_id());
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (at_line_start) {
			log_store(prefix, plen);
			if (to_console)
				console_write(prefix, plen);
			at_line_start = false;
		}
		if (text[i] == '\n') {
			log_store(text + start, i + 1 - start);
			if (to_console)
				console_write(text + start, i + 1 - start);
			start = i + 1;
			at_line_start = true;
		}
	}
	if (n > start) {
		log_store(text + start, n - start);
		if (to_console)
			console_write(text + start, n - start);
	}
}

/* Take printk_lock unless this CPU already holds it; in panic mode give up after a while. */
static bool printk_lock_acquire(void)
{
	if (spin_held_by_me(&printk_lock))
		return false;
	if (!READ_ONCE(printk_panic_mode)) {
		spin_lock(&printk_lock);
		return true;
	}
	for (unsigned long i = 0; i < 10000000UL; i++) {
		if (spin_trylock(&printk_lock))
			return true;
		arch_cpu_relax();
	}
	return false;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int level = LOGLEVEL_DEFAULT - 2;	/* no level given: KERN_NOTICE-like, always shown */
	bool cont = false;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	unsigned long flags = arch_local_irq_save();
	bool locked = printk_lock_acquire();

	/* A new message that is not a continuation starts on its own line. */
	if (!cont && !at_line_start)
		emit("\n", 1, true);
	emit(buf, len, level <= READ_ONCE(console_loglevel));
	if (locked)
		spin_unlock(&printk_lock);
	arch_local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
