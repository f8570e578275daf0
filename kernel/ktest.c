// SPDX-License-Identifier: MIT
/*
 * ktest: runs the in-kernel suites named by `ktest=` and prints KTAP version 1, the format
 * Linux's KUnit prints, so that existing KTAP parsers read it:
 *
 *	KTAP version 1
 *	1..2
 *	    KTAP version 1
 *	    # Subtest: kernel
 *	    1..3
 *	    ok 1 cmdline_quoted_value
 *	    # vsnprintf_widths: EXPECTATION FAILED at kernel/tests/kernel_test.c:40
 *	    # Expected n == 5, but n == 4 (0x4), 5 == 5 (0x5)
 *	    not ok 2 vsnprintf_widths
 *	    ok 3 fault_on_request # SKIP needs ktest_fault on the command line
 *	# kernel: pass:2 fail:1 skip:1 total:3
 *	not ok 1 kernel
 *	...
 *	# ktest: 5 passed, 1 failed, 1 skipped
 *
 * A case fails on a failed expectation, on an unexpected WARN, or (through panic()) on a
 * crash, which ends QEMU with a failure status. A name that matches no suite fails the run
 * before any suite runs (as `bench=` does), so that a typo never passes silently.
 */
#include "kernel/ktest.h"
#include "kernel/bug.h"
#include "kernel/cpumask.h"
#include "kernel/namelist.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "kernel/workqueue.h"
#include "kernel/smp.h"
#include "arch/arch.h"

/* ld defines these for any section whose name is a C identifier: no linker-script entry. */
extern const struct ktest_suite __start_ktest_suites[], __stop_ktest_suites[];
#define __ktest_suites_start __start_ktest_suites
#define __ktest_suites_end __stop_ktest_suites

/* The i-th suite's name, for namelist_check(). */
static const char *suite_name(unsigned int i)
{
	return __ktest_suites_start[i].name;
}

static bool running;		/* (m) ktest runs on the boot CPU */
static struct ktest *current;	/* the running case (m) */

bool ktest_running(void)
{
	return READ_ONCE(running);
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
	printk("    # %s\n", msg);
}

void ktest_abort(struct ktest *t)
{
	__builtin_longjmp((void **)t->jmp, 1);
}

bool ktest_need_offline_victim(struct ktest *t, unsigned int *victim)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (cpu != smp_processor_id() && arch_cpu_can_offline(cpu)) {
			*victim = cpu;
			return true;
		}
	}
	ktest_skip(t, "needs a second online CPU that can go offline");
	return false;
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}

void ktest_allow_warnings(struct ktest *t, unsigned long n)
{
	t->warns_allowed += n;
}

void ktest_log(struct ktest *t, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: %s\n", t->name, msg);
}

/* Kept out of line so __builtin_setjmp's frame outlives the case it protects. */
static __noinline void run_case(struct ktest *t, const struct ktest_case *c)
{
	void *jmp[5];

	t->jmp = jmp;
	if (__builtin_setjmp(jmp) == 0)
		c->run(t);
}

static bool suite_selected(const char *spec, const struct ktest_suite *s)
{
	return strcmp(spec, "all") == 0 || strlist_has(spec, s->name);
}

int ktest_run(const char *spec)
{
	const struct namelist_registry suites = {
		.tag = "ktest", .one = "suite", .all = "suites",
		.count = (unsigned int)(__ktest_suites_end - __ktest_suites_start),
		.name = suite_name,
	};
	int nsuites = 0, idx = 0, passed = 0, failed = 0, skipped = 0;

	/*
	 * A name that matches nothing is most likely a typo: run nothing rather than run the
	 * rest and report the mistake at the end, where it scrolls by unseen.
	 */
	failed = namelist_check(spec, &suites);
	if (failed) {	/* each unknown name counts as a failure */
		printk("# ktest: 0 passed, %d failed, 0 skipped\n", failed);
		return failed;
	}
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		nsuites += suite_selected(spec, s);

	WRITE_ONCE(running, true);
	printk("KTAP version 1\n");
	printk("1..%d\n", nsuites);
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++) {
		int sp = 0, sf = 0, ss = 0, ncases = 0;

		if (!suite_selected(spec, s))
			continue;
		idx++;
		for (const struct ktest_case *c = s->cases; c->run; c++)
			ncases++;
		printk("    KTAP version 1\n");
		printk("    # Subtest: %s\n", s->name);
		printk("    1..%d\n", ncases);
		if (s->init && s->init() != 0) {
			printk("ok %d %s # SKIP suite init failed\n", idx, s->name);
			skipped += ncases;
			continue;
		}
		int ci = 0;

		for (const struct ktest_case *c = s->cases; c->run; c++) {
			struct ktest t = { .name = c->name };
			unsigned long warns = warn_count();

			ci++;
			/* The boot CPU is not idle while tests run: its deferred work runs here. */
			if (!arch_irqs_disabled())
				workqueue_run_pending();
			current = &t;
			run_case(&t, c);
			current = NULL;
			unsigned long new_warns = warn_count() - warns;

			if (new_warns > t.warns_allowed) {
				printk("    # %s: %lu unexpected WARNING(s)\n", c->name,
				       new_warns - t.warns_allowed);
				t.failed = true;
			}
			if (t.failed) {
				printk("    not ok %d %s\n", ci, c->name);
				sf++;
			} else if (t.skipped) {
				printk("    ok %d %s # SKIP %s\n", ci, c->name,
				       t.skip_reason ? t.skip_reason : "");
				ss++;
			} else {
				printk("    ok %d %s\n", ci, c->name);
				sp++;
			}
		}
		if (s->exit)
			s->exit();
		printk("# %s: pass:%d fail:%d skip:%d total:%d\n", s->name, sp, sf, ss, ncases);
		printk("%s %d %s\n", sf ? "not ok" : "ok", idx, s->name);
		passed += sp;
		failed += sf;
		skipped += ss;
	}
	WRITE_ONCE(running, false);
	printk("# ktest: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed;
}

/* ---- workers for stress cases (kernel/ktest.h) ---- */

void ktest_worker_start(struct ktest_worker *w, unsigned int cpu, void (*fn)(void *))
{
	__atomic_store_n(&w->stop, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&w->running, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&w->active, 1, __ATOMIC_RELEASE);
	if (smp_call_function_single(cpu, fn, NULL, false))
		__atomic_store_n(&w->running, 0, __ATOMIC_RELEASE);
}

bool ktest_worker_stop(struct ktest *t, struct ktest_worker *w, unsigned int cpu,
		       unsigned long stall_ms)
{
	u64 start = arch_clock_ns();

	__atomic_store_n(&w->active, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&w->running, __ATOMIC_ACQUIRE)) {
		if (arch_clock_ns() - start > stall_ms * 1000000ULL) {
			ktest_fail(t, __FILE__, __LINE__, "CPU%u's worker did not stop", cpu);
			return false;
		}
		arch_cpu_relax();
	}
	return true;
}

static void ktest_nop(void *info)
{
	(void)info;
}

void ktest_workers_flush(void)
{
	smp_call_function_many(cpu_online_mask, ktest_nop, NULL, true);
}
