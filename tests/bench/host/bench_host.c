// SPDX-License-Identifier: MIT
/*
 * Host side of the benchmark harness: kernel/bench.h's table functions for a normal process,
 * and a main() that boots the allocator on 1 GiB of mmap'ed "RAM", attaches one thread per
 * CPU (pinned to a core where possible) that serves cross-CPU calls, and runs every
 * registered benchmark (the bench_list section, as in the kernel).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/bench.h"
#include "tests/host/mm_helpers.h"

unsigned long bench_param(const char *key, unsigned long def)
{
	return def;
}

static int stop;
static int attached;	/* CPU threads attached so far (atomic) */

static void pin(unsigned int cpu)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % (unsigned long)(n > 0 ? n : 1), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/*
 * An idle CPU: serve cross-CPU calls. It polls for a while after each call (a benchmark's
 * next step comes quickly), then sleeps between polls, as an idle core would halt: a thread
 * spinning on the core next door slows the measured one down (these machines' two cores
 * share a physical core's resources: a pair costs ~40% more beside a busy loop), and the
 * figures are meant for one CPU working while the others are idle.
 */
static void *cpu_thread(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;
	const struct timespec nap = { 0, 20000 };	/* 20 us */
	unsigned long quiet = 0;

	pin(cpu);
	host_cpu_attach(cpu);
	__atomic_fetch_add(&attached, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		if (host_poll_ipis())
			quiet = 0;
		else if (++quiet > 100000)
			nanosleep(&nap, NULL);
		else
			arch_cpu_relax();
	}
	host_cpu_detach();
	return NULL;
}

extern const struct bench __start_bench_list[], __stop_bench_list[];

int main(int argc, char **argv)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int ncpus = argc > 1 ? (unsigned int)atoi(argv[1]) : 8;
	pthread_t th[64];

	if (ncpus > (unsigned int)cores)
		ncpus = (unsigned int)cores;
	if (ncpus < 1)
		ncpus = 1;
	host_smp_init(ncpus);
	boot_simple(1ULL << 30, "pcp=owner");
	pin(0);
	host_cpu_attach(0);
	for (unsigned int c = 1; c < ncpus; c++)
		pthread_create(&th[c], NULL, cpu_thread, (void *)(unsigned long)c);
	/*
	 * Wait until every CPU thread is attached: a call to a CPU nobody is attached as runs on
	 * the caller's thread (the shim's "idle CPU"), and a benchmark worker waiting for its go
	 * flag there would wait for itself.
	 */
	while (__atomic_load_n(&attached, __ATOMIC_ACQUIRE) < (int)ncpus - 1)
		sched_yield();
	printf("host harness: %u CPUs (threads pinned to %ld cores), 1 GiB, cycles = rdtsc\n",
	       ncpus, cores);
	/* The tables are kernel/bench_table.c's, printed through the shim's printk (stderr). */
	host_verbose = true;
	for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++) {
		printf("bench %s: %s\n", b->name, b->desc);
		fflush(stdout);
		b->run();
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (unsigned int c = 1; c < ncpus; c++)
		pthread_join(th[c], NULL);
	printf("invariants: %d problems\n", mm_check_invariants());
	return 0;
}
