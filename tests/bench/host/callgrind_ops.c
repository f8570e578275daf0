// SPDX-License-Identifier: MIT
/*
 * Instruction counts of the PCP fast paths, for `make -C tests/bench/host callgrind`: the real
 * mm/ sources and the host shim, built as the host harness builds them (-O2, tracing compiled
 * out), driven by one thread playing two CPUs, run under valgrind's callgrind with
 * collection on only inside one of the loops below (--toggle-collect), so that the count
 * divided by the loop's trips is the cost of one operation plus the loop's own few
 * instructions (an increment, a compare, a branch; a load of the page pointer for the
 * remote frees).
 *
 *	callgrind_ops pair	N order-0 alloc_page() + __free_page() on CPU 0, in owner mode:
 *				the lazy-list alloc and the owned-page free, both fast paths
 *	callgrind_ops remote	N free_pages_nolock() on CPU 0 of order-0 pages of blocks CPU 1
 *				owns, CPU 1 busy (not idle: no absorb IPI), as bench=pcp's
 *				"remote free alone"; CPU 1 absorbs them between rounds, uncounted
 *
 * Counts do not swing with the machine as cycles do, so a change's effect on the paths shows
 * at once; they say nothing of cache misses or atomics' latency (the harness's cycles do).
 * Everything outside the measured loop (boot, warm-up, CPU 1's allocations) is not counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/mm_helpers.h"

#define CG_OPS		100000		/* measured operations per run */
#define CG_ROUND	1000		/* remote frees per round (between absorbs) */

static struct page *remote_pages[CG_ROUND];

/* The measured loops: noinline, named in the Makefile's --toggle-collect. */
__attribute__((noinline)) void cg_pairs(unsigned int n);
__attribute__((noinline)) void cg_remote_frees(struct page **v, unsigned int n);

__attribute__((noinline)) void cg_pairs(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		if (p)
			__free_page(p);
	}
}

__attribute__((noinline)) void cg_remote_frees(struct page **v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		free_pages_nolock(v[i], 0);
}

static void run_pairs(void)
{
	cg_pairs(1000);		/* warm-up: CPU 0 claims a block, its pages go lazy */
	cg_pairs(CG_OPS);
}

static void run_remote(void)
{
	for (unsigned int r = 0; r < CG_OPS / CG_ROUND; r++) {
		host_set_cpu(1);
		for (unsigned int i = 0; i < CG_ROUND; i++) {
			remote_pages[i] = alloc_page(GFP_KERNEL);
			if (!remote_pages[i]) {
				fprintf(stderr, "callgrind_ops: allocation %u failed\n", i);
				exit(1);
			}
		}
		/* Every page must be CPU 1's, or this is not the remote free. */
		for (unsigned int i = 0; i < CG_ROUND; i++) {
			if (pfn_owner_read(page_zone(remote_pages[i]),
					   page_to_pfn(remote_pages[i])) != 1) {
				fprintf(stderr, "callgrind_ops: page %u not owned by CPU 1\n", i);
				exit(1);
			}
		}
		host_set_cpu(0);
		cg_remote_frees(remote_pages, CG_ROUND);
		host_set_cpu(1);
		__free_page(alloc_page(GFP_KERNEL));	/* CPU 1 absorbs */
	}
	host_set_cpu(0);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	unsigned long before, after;

	host_smp_init(2);
	boot_simple(1ULL << 30, "pcp=owner");
	host_cpu_attach(0);
	before = vm_event(PCP_REMOTE_FREE);
	if (!strcmp(what, "pair")) {
		run_pairs();
	} else if (!strcmp(what, "remote")) {
		run_remote();
		after = vm_event(PCP_REMOTE_FREE);
		/* The count is meaningless if the frees took another route. */
		if (after - before != CG_OPS) {
			fprintf(stderr, "callgrind_ops: %lu remote frees, expected %u\n",
				after - before, CG_OPS);
			return 1;
		}
	} else {
		fprintf(stderr, "usage: %s pair|remote\n", argv[0]);
		return 2;
	}
	printf("callgrind_ops %s: %u operations, invariants: %d problems\n", what, CG_OPS,
	       mm_check_invariants());
	return 0;
}
