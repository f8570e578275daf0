/* SPDX-License-Identifier: MIT */
/*
 * ktest: in-kernel tests in the spirit of KUnit, printed as KTAP version 1.
 *
 *	static void buddy_split_test(struct ktest *t)
 *	{
 *		KT_EXPECT_EQ(t, nr_free_before - 1, nr_free_after);
 *	}
 *	static struct ktest_case mm_cases[] = {
 *		KTEST_CASE(buddy_split_test),
 *		{}
 *	};
 *	KTEST_SUITE(mm, mm_cases);
 *
 * Suites live in the ktest_suites section (ld provides __start_ and __stop_ symbols for it); `ktest=all` or `ktest=mm,smp` selects them.
 * A failed expectation prints the expression and both values as a KTAP diagnostic line and
 * marks the case failed; an ASSERT also ends the case. Any WARN during a case fails it.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include "kernel/compiler.h"

struct ktest {
	const char *name;	/* the running case */
	bool failed;		/* an expectation failed */
	bool skipped;		/* the case called ktest_skip() */
	const char *skip_reason;
	void *jmp;		/* where KT_ASSERT returns to (a saved context) */
	unsigned long warns_allowed; /* WARNs this case provokes on purpose */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases;	/* terminated by an entry with run == NULL */
	int (*init)(void);		/* optional: 0 or the suite is skipped */
	void (*exit)(void);		/* optional */
};

#define KTEST_CASE(fn)	{ #fn, fn }

#define KTEST_SUITE(sname, case_array)					\
	static const struct ktest_suite __ktest_suite_##sname		\
	__section("ktest_suites") __used __aligned(8) = {		\
		.name = #sname, .cases = case_array,			\
	}

#define KTEST_SUITE_INIT(sname, case_array, initfn, exitfn)		\
	static const struct ktest_suite __ktest_suite_##sname		\
	__section("ktest_suites") __used __aligned(8) = {		\
		.name = #sname, .cases = case_array,			\
		.init = initfn, .exit = exitfn,				\
	}

/* Report a failed expectation (called by the macros). */
void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);
__noreturn void ktest_abort(struct ktest *t);
void ktest_skip(struct ktest *t, const char *reason);
/*
 * For hotplug cases: an online CPU other than this one that may go offline, in @victim;
 * false (the case skipped, with the reason) if there is none.
 */
bool ktest_need_offline_victim(struct ktest *t, unsigned int *victim);
/* This case triggers `n` WARNs on purpose; any other WARN still fails it. */
void ktest_allow_warnings(struct ktest *t, unsigned long n);
/*
 * Workers for stress cases: a loop that runs as a cross-CPU call on another CPU (interrupts
 * off) until the controlling case stops it. The loop runs while !ktest_worker_should_stop()
 * and ends with ktest_worker_done(); others may hand it work while ktest_worker_active().
 *	ktest_worker_start(&w->kw, cpu, loop_fn);	...	ktest_worker_stop(t, &w->kw, cpu, ms);
 * After a stop, ktest_workers_flush() waits until no CPU is between reading another's
 * `active` and handing it work (every online CPU answers a waiting call).
 */
struct ktest_worker {
	u32 active;	/* others may hand it work (l: acquire/release) */
	u32 stop;	/* controller -> worker: finish (l) */
	u32 running;	/* the loop has not returned yet (l) */
};

void ktest_worker_start(struct ktest_worker *w, unsigned int cpu, void (*fn)(void *));
/* Stop it and wait (at most @stall_ms); false, with the case failed, if it does not stop. */
bool ktest_worker_stop(struct ktest *t, struct ktest_worker *w, unsigned int cpu,
		       unsigned long stall_ms);
void ktest_workers_flush(void);

static inline bool ktest_worker_should_stop(const struct ktest_worker *w)
{
	return __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE);
}

/* Release: the controller that sees the worker stopped sees its last work done. */
static inline void ktest_worker_done(struct ktest_worker *w)
{
	__atomic_store_n(&w->running, 0, __ATOMIC_RELEASE);
}

static inline bool ktest_worker_active(const struct ktest_worker *w)
{
	return __atomic_load_n(&w->active, __ATOMIC_ACQUIRE);
}

static inline void ktest_worker_set_active(struct ktest_worker *w, bool on)
{
	__atomic_store_n(&w->active, on, __ATOMIC_RELEASE);
}

/* Print a KTAP diagnostic ("# ...") line inside the running case. */
void ktest_log(struct ktest *t, const char *fmt, ...) __printf(2, 3);

/* True while ktest_run() is running suites: panic() then ends QEMU with a failure. */
bool ktest_running(void);

/* Run the suites named in `spec` ("all" or "a,b"). Returns the number of failed cases. */
int ktest_run(const char *spec);

#define KT_EXPECT_TRUE(t, cond)						\
	do {								\
		if (!(cond))						\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "Expected %s to be true", #cond);	\
	} while (0)
#define KT_EXPECT_FALSE(t, cond)					\
	do {								\
		if (cond)						\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "Expected %s to be false", #cond);	\
	} while (0)

/* Integer comparison: both sides printed in decimal and hex. */
#define KT_EXPECT_OP(t, a, op, b)					\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (!(__a op __b))					\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "Expected %s %s %s, but %s == %lld (0x%llx), %s == %lld (0x%llx)", \
				   #a, #op, #b, #a, __a, (unsigned long long)__a, \
				   #b, __b, (unsigned long long)__b);	\
	} while (0)
#define KT_EXPECT_EQ(t, a, b)	KT_EXPECT_OP(t, a, ==, b)
#define KT_EXPECT_NE(t, a, b)	KT_EXPECT_OP(t, a, !=, b)
#define KT_EXPECT_LT(t, a, b)	KT_EXPECT_OP(t, a, <, b)
#define KT_EXPECT_LE(t, a, b)	KT_EXPECT_OP(t, a, <=, b)
#define KT_EXPECT_GT(t, a, b)	KT_EXPECT_OP(t, a, >, b)
#define KT_EXPECT_GE(t, a, b)	KT_EXPECT_OP(t, a, >=, b)

#define KT_EXPECT_STREQ(t, a, b)					\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (!__a || !__b || strcmp(__a, __b) != 0)		\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "Expected %s == %s, but \"%s\" != \"%s\"", \
				   #a, #b, __a ? __a : "(null)",	\
				   __b ? __b : "(null)");		\
	} while (0)

#define KT_EXPECT_NULL(t, p)	KT_EXPECT_TRUE(t, (p) == NULL)
#define KT_EXPECT_NOT_NULL(t, p) KT_EXPECT_TRUE(t, (p) != NULL)

/* Like EXPECT, but a failure ends the case at once (it cannot continue meaningfully). */
#define KT_ASSERT_TRUE(t, cond)						\
	do {								\
		if (!(cond)) {						\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "Asserted %s to be true", #cond);	\
			ktest_abort(t);					\
		}							\
	} while (0)
#define KT_ASSERT_OP(t, a, op, b)					\
	do {								\
		KT_EXPECT_OP(t, a, op, b);				\
		if ((t)->failed)					\
			ktest_abort(t);					\
	} while (0)
#define KT_ASSERT_EQ(t, a, b)	KT_ASSERT_OP(t, a, ==, b)
#define KT_ASSERT_GT(t, a, b)	KT_ASSERT_OP(t, a, >, b)
#define KT_ASSERT_STREQ(t, a, b)					\
	do {								\
		KT_EXPECT_STREQ(t, a, b);				\
		if ((t)->failed)					\
			ktest_abort(t);					\
	} while (0)
#define KT_ASSERT_NOT_NULL(t, p) KT_ASSERT_TRUE(t, (p) != NULL)

#endif /* KERNEL_KTEST_H */
