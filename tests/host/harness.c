// SPDX-License-Identifier: MIT
/*
 * The host test runner: one forked child per test, TAP-style output, and a summary line
 * `host: N passed, N failed`; exit status non-zero on any failure. A failing test's captured
 * printk log is printed after its failure messages. `<program> FILTER` runs only the tests
 * whose name contains FILTER. Tests run in name order, each in its own process, so no test
 * depends on another having run first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tests/host/harness.h"

#define MAX_TESTS	256

static struct {
	const char *name;
	void (*fn)(void);
	const char *todo;	/* a known bug (HOST_TEST_TODO): why, or NULL */
} tests[MAX_TESTS];
static int nr_tests;
int host_test_failures;

void host_test_register(const char *name, void (*fn)(void))
{
	if (nr_tests < MAX_TESTS) {
		tests[nr_tests].name = name;
		tests[nr_tests].fn = fn;
		nr_tests++;
	}
}

void host_test_register_todo(const char *name, void (*fn)(void), const char *why)
{
	host_test_register(name, fn);
	if (nr_tests && tests[nr_tests - 1].fn == fn)
		tests[nr_tests - 1].todo = why;
}

void host_test_end(void)
{
	if (host_test_failures) {
		fprintf(stderr, "---- captured log ----\n");
		host_log_dump();
		fprintf(stderr, "---- end of log ----\n");
	}
	fflush(stdout);
	fflush(stderr);
	_exit(host_test_failures ? 1 : 0);
}

static int cmp_tests(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, todo = 0, n = 0;

	/* Registration order is link order; sort by name for stable numbering. */
	qsort(tests, nr_tests, sizeof(tests[0]), cmp_tests);
	host_verbose = getenv("HOST_VERBOSE") != NULL;
	for (int i = 0; i < nr_tests; i++) {
		int status;
		pid_t pid;

		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		n++;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			tests[i].fn();
			host_test_end();
		}
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("ok %d - %s", n, tests[i].name);
			if (tests[i].todo)
				printf(" # TODO %s (passes now: make it a HOST_TEST)", tests[i].todo);
			printf("\n");
			passed++;
		} else {
			printf("not ok %d - %s", n, tests[i].name);
			if (WIFSIGNALED(status))
				printf(" (signal %d)", WTERMSIG(status));
			if (tests[i].todo) {
				printf(" # TODO %s", tests[i].todo);
				todo++;
			} else {
				failed++;
			}
			printf("\n");
		}
	}
	if (todo)
		printf("host: %d known bug%s (TODO) still failing, not counted as failed\n", todo,
		       todo == 1 ? "" : "s");
	printf("host: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
