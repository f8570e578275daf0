/* SPDX-License-Identifier: MIT */
/*
 * The host test harness, for every host test program (tests/host and tests/host/smp):
 * HOST_TEST(name) { ... } registers a test; the runner (harness.c) forks one child per test,
 * so each test starts from a fresh process (a fresh allocator, fresh CPU threads), and prints
 * TAP-style `ok N - name` lines and a last line `host: N passed, N failed`.
 * EXPECT_* print the expression and both values to stderr and mark the test failed;
 * ASSERT_* also end it.
 */
#ifndef TESTS_HOST_HARNESS_H
#define TESTS_HOST_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

void host_test_register(const char *name, void (*fn)(void));
void host_test_register_todo(const char *name, void (*fn)(void), const char *why);
extern int host_test_failures;

/*
 * What the harness needs from the shim it is linked with (tests/host/shim/host_kernel.c or
 * tests/host/smp/shim.c): printk output is kept in a log, host_log_dump() prints it to
 * stderr (the runner does so after a failing test's messages), and host_verbose, set from
 * HOST_VERBOSE in the environment, echoes printk to stderr as it happens.
 */
void host_log_dump(void);
extern bool host_verbose;

/*
 * HOST_TSAN: this build runs under ThreadSanitizer, which owns parts of the address space
 * (its shadow) and reports any unsynchronised access, even one a test makes on purpose.
 */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HOST_TSAN	1
#endif
#endif
#ifndef HOST_TSAN
#define HOST_TSAN	0
#endif

#define HOST_TEST(fn)							\
	static void fn(void);						\
	__attribute__((constructor)) static void fn##_register(void)	\
	{								\
		host_test_register(#fn, fn);				\
	}								\
	static void fn(void)

/*
 * HOST_TEST_TODO(name, "why") { ... }: a test of a known bug in code this suite may not fix
 * (the fix is proposed to its owner). It runs like any test; while it fails the runner prints
 * `not ok N - name # TODO why` (TAP's marker for a known failure) and a line naming it before
 * the summary, and does not count it as failed; once it passes, `ok N - name # TODO why
 * (passes now: make it a HOST_TEST)`.
 */
#define HOST_TEST_TODO(fn, why)						\
	static void fn(void);						\
	__attribute__((constructor)) static void fn##_register(void)	\
	{								\
		host_test_register_todo(#fn, fn, why);			\
	}								\
	static void fn(void)

#define EXPECT_OP(a, op, b)						\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (!(__a op __b)) {					\
			fprintf(stderr, "%s:%d: expected %s %s %s, but %s == %lld (0x%llx), %s == %lld (0x%llx)\n", \
				__FILE__, __LINE__, #a, #op, #b, #a, __a,	\
				(unsigned long long)__a, #b, __b,	\
				(unsigned long long)__b);		\
			host_test_failures++;				\
		}							\
	} while (0)
#define EXPECT_EQ(a, b)	EXPECT_OP(a, ==, b)
#define EXPECT_NE(a, b)	EXPECT_OP(a, !=, b)
#define EXPECT_LT(a, b)	EXPECT_OP(a, <, b)
#define EXPECT_LE(a, b)	EXPECT_OP(a, <=, b)
#define EXPECT_GT(a, b)	EXPECT_OP(a, >, b)
#define EXPECT_GE(a, b)	EXPECT_OP(a, >=, b)
#define EXPECT_TRUE(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "%s:%d: expected %s\n", __FILE__,	\
				__LINE__, #c);				\
			host_test_failures++;				\
		}							\
	} while (0)
#define ASSERT_TRUE(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "%s:%d: assertion %s failed\n",	\
				__FILE__, __LINE__, #c);		\
			host_test_failures++;				\
			host_test_end();				\
		}							\
	} while (0)
#define ASSERT_EQ(a, b)							\
	do {								\
		int __f = host_test_failures;				\
		EXPECT_EQ(a, b);					\
		if (host_test_failures != __f)				\
			host_test_end();				\
	} while (0)

/* End the running test now (in its child process). */
__attribute__((noreturn)) void host_test_end(void);

#endif /* TESTS_HOST_HARNESS_H */
