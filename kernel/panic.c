// SPDX-License-Identifier: MIT
/*
 * panic() and WARN: the two ways the kernel reports its own bugs. A panic prints the message,
 * the CPU and a backtrace, then stops this CPU; under ktest it also ends QEMU with a failure
 * status so that a crashed test run is never mistaken for a pass.
 */
#include "kernel/bug.h"
#include "kernel/smp.h"
#include "kernel/ktest.h"

extern bool printk_panic_mode;
static unsigned long warnings;	/* WARNs since boot (l: atomic add) */

unsigned long warn_count(void)
{
	return __atomic_load_n(&warnings, __ATOMIC_RELAXED);
}

void __warn(const char *file, int line, const char *cond)
{
	__atomic_fetch_add(&warnings, 1, __ATOMIC_RELAXED);
	printk(KERN_WARNING "WARNING: CPU: %u at %s:%d: %s\n", smp_processor_id(), file, line,
	       cond);
	arch_dump_stack();
}

void panic(const char *fmt, ...)
{
	static char buf[256];
	va_list ap;

	arch_local_irq_disable();
	/* Only the first panicking CPU reports; later ones would only garble the output. */
	static int panicking;
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
		arch_halt();
	WRITE_ONCE(printk_panic_mode, true);

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic on CPU %u: %s\n", smp_processor_id(), buf);
	arch_dump_stack();
	printk(KERN_EMERG "---[ end Kernel panic: %s ]---\n", buf);
	if (ktest_running())
		arch_test_exit(false);
	arch_halt();
}
