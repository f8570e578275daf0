// SPDX-License-Identifier: MIT
/*
 * bench=balloon: the guest's share of a virtio-balloon batch, without a device.
 *
 * A batch of the driver (drivers/virtio/virtio_balloon.c) is, on the guest's side, 256 pages
 * allocated and enqueued in a balloon (inflate) or dequeued and freed (deflate); the rest is
 * the host's (the request, its discard, the acknowledgement), which tests/qemu/balloon_test.py
 * --figures measures from the host. This runs the guest's side on a private balloon of
 * mm/balloon.c: `bench.balloon_mib` (64) MiB inflated batch by batch, then deflated, ROUNDS
 * times; figures are medians over the batches of every round, in ns per batch and MiB/s.
 * It leaves at least half of the free memory free.
 *
 * Locking: boot CPU; the balloon lock per batch, as the driver takes it.
 */
#include "kernel/bench.h"
#include "kernel/printk.h"
#include "mm/balloon.h"
#include "mm/page_alloc.h"
#include "arch/arch.h"

#define BATCH		256
#define ROUNDS		3
#define MAX_BATCHES	512

static struct page *pages[BATCH];
static u64 inflate_ns[ROUNDS * MAX_BATCHES], deflate_ns[ROUNDS * MAX_BATCHES];

static void add_rate(struct bench_table *tab, u64 ns)
{
	/* 1 MiB per batch: MiB/s = 1e9 / ns. */
	bench_table_add(tab, "%llu", ns ? 1000000000ULL / ns : 0ULL);
}

static void balloon_bench(void)
{
	static struct balloon b;
	struct bench_table tab;
	unsigned long batches = bench_param("bench.balloon_mib", 64);
	unsigned int n_in = 0, n_out = 0;

	if (batches > MAX_BATCHES)
		batches = MAX_BATCHES;
	if (batches > nr_free_pages() / 2 / BATCH)
		batches = nr_free_pages() / 2 / BATCH;
	if (balloon_init(&b, "bench", true)) {
		printk("bench balloon: no balloon id free\n");
		return;
	}
	for (unsigned int r = 0; r < ROUNDS; r++) {
		for (unsigned long i = 0; i < batches; i++) {
			u64 t0 = arch_clock_ns();
			unsigned int n = 0;

			while (n < BATCH && (pages[n] = balloon_page_alloc()))
				n++;
			balloon_pages_enqueue(&b, pages, n);
			inflate_ns[n_in++] = arch_clock_ns() - t0;
			if (n < BATCH)
				break;
		}
		while (balloon_nr_inflated(&b)) {
			u64 t0 = arch_clock_ns();
			unsigned int n = balloon_pages_dequeue(&b, pages, BATCH);

			for (unsigned int i = 0; i < n; i++)
				__free_page(pages[i]);
			deflate_ns[n_out++] = arch_clock_ns() - t0;
		}
	}
	balloon_destroy(&b);

	u64 in = bench_percentile(inflate_ns, n_in, 50);
	u64 out = bench_percentile(deflate_ns, n_out, 50);

	bench_table_init(&tab, "balloon: the guest's side of a 256-page batch (no device)", 4,
			 "batch", "ns", "ns/page", "MiB/s");
	bench_table_add(&tab, "inflate: alloc+enqueue");
	bench_table_add(&tab, "%llu", (unsigned long long)in);
	bench_table_add(&tab, "%llu", (unsigned long long)in / BATCH);
	add_rate(&tab, in);
	bench_table_add(&tab, "deflate: dequeue+free");
	bench_table_add(&tab, "%llu", (unsigned long long)out);
	bench_table_add(&tab, "%llu", (unsigned long long)out / BATCH);
	add_rate(&tab, out);
	bench_table_print(&tab);
	printk("bench balloon: %u inflate and %u deflate batches of %u pages, %lu MiB a round\n",
	       n_in, n_out, BATCH, batches);
}
BENCH(balloon, "the guest's share of a balloon batch: 256 pages allocated and enqueued, "
      "dequeued and freed (no device)", balloon_bench);
