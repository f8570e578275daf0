/* SPDX-License-Identifier: MIT */
/* A tiny TAP-like harness: one `ok N - name` line per test, a final `N passed, N failed`. */
#ifndef SMP_HOST_HARNESS_H
#define SMP_HOST_HARNESS_H

#include <stdio.h>

extern int h_failed_checks;

#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("#   %s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
			h_failed_checks++;				\
		}							\
	} while (0)
#define EXPECT_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			printf("#   %s:%d: expected %s == %s, but %lld != %lld\n", \
			       __FILE__, __LINE__, #a, #b, _a, _b);	\
			h_failed_checks++;				\
		}							\
	} while (0)

void run_test(const char *name, void (*fn)(void));
void acpi_tests(void);

#endif
