/* SPDX-License-Identifier: MIT */
/*
 * The host test harness: HOST_TEST(name) { ... } registers a test; the runner forks one child
 * per test (so every test boots a fresh allocator) and prints TAP-style `ok N - name` lines.
 * EXPECT_* print both values and mark the test failed; ASSERT_* also end it.
 */
#ifndef TESTS_HOST_HARNESS_H
#define TESTS_HOST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>

void host_test_register(const char *name, void (*fn)(void));
extern int host_test_failures;

#define HOST_TEST(fn)							\
	static void fn(void);						\
	__attribute__((constructor)) static void fn##_register(void)	\
	{								\
		host_test_register(#fn, fn);				\
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
