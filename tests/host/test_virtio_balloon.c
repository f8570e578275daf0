// SPDX-License-Identifier: MIT
/*
 * drivers/virtio/virtio_balloon.c on the host, unchanged, against the simulated device of
 * virtio_sim.c: a host that misbehaves in ways QEMU cannot be made to (an acknowledgement
 * that does not come, a target above what the guest can give, a target that moves between
 * every step) must leave the driver consistent: `actual` is written only for acknowledged
 * batches, the balloon's pages are exactly the ones inflated, every page comes home at the
 * end, and the driver says what happened, once.
 *
 * The test plays the device: it decides when the deferred work runs (host_run_work()), when
 * the device acknowledges (sim_process() then sim_raise(), its interrupt), and when time
 * passes (host_clock_advance()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio/virtio_balloon.h"
#include "mm/balloon.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"
#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "tests/host/virtio_sim.h"

#define INFLATEQ	0
#define DEFLATEQ	1
#define F_MUST_TELL_HOST	0
#define F_STATS_VQ		1

static struct sim_dev sd;
static unsigned long free0;

static u32 cfg_u32(unsigned int off)
{
	u32 v;

	memcpy(&v, &sd.config[off], sizeof(v));
	return v;
}

/* The host asks for @pages in the balloon: config written, the config interrupt taken. */
static void host_target(u32 pages)
{
	memcpy(&sd.config[0], &pages, sizeof(pages));
	sim_config_change(&sd);
}

static u32 actual(void)
{
	return cfg_u32(4);
}

/* The device acknowledges everything queued on both queues, and interrupts. */
static unsigned int host_ack_all(void)
{
	unsigned int n = sim_process(&sd, INFLATEQ, 64) + sim_process(&sd, DEFLATEQ, 64);

	if (n)
		sim_raise(&sd);
	return n;
}

/* Requests the driver has made on both queues so far. */
static unsigned int requests_made(void)
{
	unsigned int n = 0;

	if (sd.q[INFLATEQ].active)
		n += sim_avail(&sd, INFLATEQ)->idx;
	if (sd.q[DEFLATEQ].active)
		n += sim_avail(&sd, DEFLATEQ)->idx;
	return n;
}

/*
 * Run the driver's work and acknowledge until a run makes no request and there is nothing
 * to acknowledge (a retry timer may keep re-arming: that is not progress). Bounded.
 */
static void settle(void)
{
	for (unsigned int i = 0; i < 2000; i++) {
		unsigned int before = requests_made();

		host_run_work();
		if (!host_ack_all() && requests_made() == before)
			return;
	}
	ASSERT_TRUE(!"the balloon never settled");
}

static unsigned long inflated(void)
{
	unsigned long n = 0;
	bool in_memtotal;

	ASSERT_TRUE(virtio_balloon_state(&n, &in_memtotal));
	return n;
}

static void setup(void)
{
	boot_simple(64 * MiB, NULL);
	sim_dev_init(&sd, VIRTIO_ID_BALLOON, false, 64, 16);
	sd.has_line = true;
	sd.offered |= BIT(F_MUST_TELL_HOST) | BIT(F_STATS_VQ);
	free0 = nr_free_pages();
	virtio_balloon_init();
	ASSERT_EQ(virtio_register_device(&sd.vdev), 0);
	ASSERT_TRUE(sd.vdev.driver != NULL);
	settle();
	free0 = nr_free_pages();	/* after the driver's own allocations */
}

HOST_TEST(balloon_follows_the_target_and_gives_every_page_back)
{
	setup();
	host_target(1000);
	settle();
	EXPECT_EQ(actual(), 1000);
	EXPECT_EQ(inflated(), 1000);
	EXPECT_EQ(nr_free_pages(), free0 - 1000);
	host_target(0);
	settle();
	EXPECT_EQ(actual(), 0);
	EXPECT_EQ(inflated(), 0);
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_EQ(warn_count(), 0);
}

HOST_TEST(balloon_no_ack_keeps_actual_and_says_so_once)
{
	setup();
	host_target(512);
	EXPECT_EQ(host_run_work(), 1);		/* the config change's work: two batches sent */
	EXPECT_EQ(sim_avail(&sd, INFLATEQ)->idx, 2);
	EXPECT_EQ(actual(), 0);			/* nothing acknowledged, nothing claimed */
	EXPECT_EQ(inflated(), 512);		/* the pages are the balloon's meanwhile */
	EXPECT_EQ(host_log_count("no acknowledgement"), 0);

	/* The host is silent past the bound: said once per batch, however often checked. */
	host_clock_advance(6000ULL * 1000000);
	for (unsigned int i = 0; i < 5; i++)
		host_run_work();
	EXPECT_EQ(host_log_count("no acknowledgement of 256 inflated pages after"), 2);
	EXPECT_TRUE(host_log_contains("actual stays 0, still waiting"));
	EXPECT_EQ(actual(), 0);
	EXPECT_EQ(sim_avail(&sd, INFLATEQ)->idx, 2);	/* nothing sent twice */

	/* A late acknowledgement is still taken: actual catches up. */
	settle();
	EXPECT_EQ(actual(), 512);
	EXPECT_EQ(inflated(), 512);
	host_target(0);
	settle();
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_EQ(warn_count(), 0);
}

HOST_TEST(balloon_target_above_memory_stops_at_the_floor_once)
{
	unsigned long total;

	setup();
	total = totalram_pages();
	host_target(4 * (u32)total);		/* more than the guest has */
	settle();
	EXPECT_EQ(host_log_count("memory low ("), 1);
	EXPECT_TRUE(inflated() < total);
	EXPECT_EQ(actual(), inflated());	/* only what the host acknowledged */
	EXPECT_TRUE(nr_free_pages() > total_wmark_pages(WMARK_HIGH));
	/* The retry timer keeps trying: no second message for the same target. */
	for (unsigned int i = 0; i < 5; i++) {
		host_run_work();
		host_ack_all();
	}
	EXPECT_EQ(host_log_count("memory low ("), 1);
	host_target(0);
	settle();
	EXPECT_EQ(actual(), 0);
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_EQ(warn_count(), 0);
}

HOST_TEST(balloon_target_moving_every_step_stays_consistent)
{
	unsigned int seed = 12345;

	setup();
	for (unsigned int step = 0; step < 400; step++) {
		seed = seed * 1103515245u + 12345u;
		if (seed % 3 == 0)
			host_target((seed >> 8) % 3000);
		host_run_work();
		if (seed % 5 < 3)
			host_ack_all();
		/*
		 * actual moves only on acknowledgements, the list at once: they differ by
		 * at most the batches in flight (4 of 256 pages one way or the other).
		 */
		ASSERT_TRUE(actual() <= inflated() + 1024 && inflated() <= actual() + 1024);
	}
	host_target(777);
	settle();
	EXPECT_EQ(actual(), 777);
	EXPECT_EQ(inflated(), 777);
	host_target(0);
	settle();
	EXPECT_EQ(actual(), 0);
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_EQ(warn_count(), 0);
}

HOST_TEST(balloon_unbind_with_batches_in_flight_returns_every_page)
{
	setup();
	host_target(900);
	host_run_work();			/* batches out, none acknowledged */
	EXPECT_TRUE(inflated() > 0);
	virtio_unregister_device(&sd.vdev);	/* reset, remove: the pages come home */
	EXPECT_EQ(nr_free_pages() >= free0, true);
	EXPECT_EQ(warn_count(), 0);
}

/* Some page of the balloon (the lowest pfn), or NULL. */
static struct page *a_balloon_page(void)
{
	for (unsigned long pfn = 0; pfn < 64 * MiB / PAGE_SIZE; pfn++)
		if (pfn_valid(pfn) && PageBalloon(pfn_to_page(pfn)))
			return pfn_to_page(pfn);
	return NULL;
}

HOST_TEST(balloon_migration_tells_the_host_new_page_before_old)
{
	struct page *src, *dst;

	setup();
	host_target(256);
	settle();
	ASSERT_EQ(actual(), 256);
	src = a_balloon_page();
	ASSERT_TRUE(src != NULL);
	dst = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(dst != NULL);
	ASSERT_TRUE(isolate_movable_page(src));
	sd.auto_ack = true;
	sd.nr_ack_log = 0;
	ASSERT_EQ(migrate_movable_page(dst, src), 0);
	/* Inflate the new page, acknowledged, then deflate the old: nothing else. */
	ASSERT_EQ(sd.nr_ack_log, 2);
	EXPECT_EQ(sd.ack_log[0].qi, INFLATEQ);
	EXPECT_EQ(sd.ack_log[0].word, page_to_pfn(dst));
	EXPECT_EQ(sd.ack_log[1].qi, DEFLATEQ);
	EXPECT_EQ(sd.ack_log[1].word, page_to_pfn(src));
	EXPECT_TRUE(PageBalloon(dst) && !PageBalloon(src));
	__free_page(src);			/* an ordinary page of ours now */
	EXPECT_EQ(actual(), 256);
	EXPECT_EQ(inflated(), 256);
	host_target(0);
	settle();
	EXPECT_EQ(actual(), 0);
	EXPECT_EQ(nr_free_pages(), free0);
	EXPECT_EQ(warn_count(), 0);
}

HOST_TEST(balloon_migration_without_an_answer_breaks_the_device_and_changes_nothing)
{
	struct page *src, *dst;

	setup();
	host_target(256);
	settle();
	src = a_balloon_page();
	ASSERT_TRUE(src != NULL);
	dst = alloc_page(GFP_KERNEL);
	ASSERT_TRUE(dst != NULL);
	ASSERT_TRUE(isolate_movable_page(src));
	/* The device takes the inflate request and never answers (about 1 s of polling). */
	EXPECT_EQ(migrate_movable_page(dst, src), -EIO);
	EXPECT_TRUE(host_log_contains("broken: balloon migration: no acknowledgement of pfn"));
	putback_movable_page(src);
	__free_page(dst);
	EXPECT_TRUE(PageBalloon(src));
	EXPECT_EQ(inflated(), 256);
	EXPECT_EQ(actual(), 256);
	/* A later migration is refused at once, as for any broken device. */
	ASSERT_TRUE(isolate_movable_page(src));
	dst = alloc_page(GFP_KERNEL);
	EXPECT_EQ(migrate_movable_page(dst, src), -EAGAIN);
	putback_movable_page(src);
	__free_page(dst);
	EXPECT_EQ(warn_count(), 0);
}
