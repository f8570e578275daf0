// SPDX-License-Identifier: MIT
/*
 * drivers/virtio/ on the host: split virtqueues in both layouts and the core's handshake,
 * negotiation and config reads, driven unchanged against the simulated device and
 * transport of virtio_sim.c. A misbehaving device (bad used ids, lengths and indices, a
 * config that never settles, refused features) must be detected with a precise message,
 * and the tests check byte for byte that nothing outside the queue's own header changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "tests/host/virtio_sim.h"

#define TEST_ID		42

static struct sim_dev sd;
static struct virtqueue *tvq;		/* queue 0, set up by the test driver's probe */
static unsigned int probes, removes, callbacks;
static unsigned int config_changes, config_changes_in_probe;
static bool probe_config_change;	/* the device changes its config during probe */
static int probe_result;
static unsigned int probe_num_max;
static void *detached[64];
static unsigned int nr_detached;

static void test_cb(struct virtqueue *vq)
{
	callbacks++;
}

static int test_probe(struct virtio_device *vdev)
{
	probes++;
	tvq = virtio_find_vq(vdev, 0, probe_num_max, "testq", test_cb);
	if (!tvq)
		return -ENODEV;
	if (probe_config_change)
		sim_config_change(&sd);
	config_changes_in_probe = config_changes;
	return probe_result;
}

static void test_remove(struct virtio_device *vdev)
{
	void *data;

	removes++;
	while ((data = virtqueue_detach_unused_buf(tvq)) && nr_detached < ARRAY_SIZE(detached))
		detached[nr_detached++] = data;
	tvq = NULL;
}

static void test_config_changed(struct virtio_device *vdev)
{
	(void)vdev;
	config_changes++;
}

static const unsigned int test_features[] = { 0, 3 };

static struct virtio_driver test_driver = {
	.name = "testdrv",
	.device_id = TEST_ID,
	.feature_table = test_features,
	.nr_features = ARRAY_SIZE(test_features),
	.probe = test_probe,
	.remove = test_remove,
	.config_changed = test_config_changed,
};

/* A booted allocator and a bound device with queue 0 of qmax entries. */
static void setup(bool legacy, unsigned int qmax, u64 extra_features)
{
	boot_simple(32 * MiB, NULL);
	sim_dev_init(&sd, TEST_ID, legacy, qmax, 16);
	sd.offered |= extra_features;
	virtio_register_driver(&test_driver);
	ASSERT_EQ(virtio_register_device(&sd.vdev), 0);
}

/* One page for buffers, as a driver would have. */
static u8 *buffer_page(void)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	ASSERT_TRUE(p != NULL);
	return page_address(p);
}

static int add_simple(u8 *out, u32 out_len, u8 *in, u32 in_len, void *token)
{
	struct vring_sg sg[2];
	unsigned int n_out = 0, n_in = 0;

	if (out_len) {
		sg[n_out].addr = __pa(out);
		sg[n_out++].len = out_len;
	}
	if (in_len) {
		sg[n_out + n_in].addr = __pa(in);
		sg[n_out + n_in++].len = in_len;
	}
	return virtqueue_add_buf(tvq, sg, n_out, n_in, token);
}

/* ---------------------------------------------------------------------------------- */
/* Round trips, layouts, chains, wraparound                                           */

static void round_trip(bool legacy)
{
	u8 *page;
	u32 len = 0;

	setup(legacy, 8, 0);
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	memset(page, 0x11, 64);
	EXPECT_EQ(sd.status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		  (legacy ? 0 : VIRTIO_STATUS_FEATURES_OK) | VIRTIO_STATUS_DRIVER_OK);

	EXPECT_EQ(add_simple(page, 64, page + 1024, 100, (void *)0x1234), 0);
	EXPECT_EQ(virtqueue_num_free(tvq), 6);
	EXPECT_TRUE(virtqueue_kick(tvq));
	EXPECT_EQ(sd.q[0].notifies, 1);
	EXPECT_EQ(sim_process(&sd, 0, 8), 1);
	EXPECT_EQ(sd.q[0].interrupts, 1);
	EXPECT_TRUE(vring_interrupt(tvq));
	EXPECT_EQ(callbacks, 1);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)0x1234);
	EXPECT_EQ(len, 100);
	/* The device filled the writable part with its head id (0), nothing beyond it. */
	EXPECT_EQ(page[1024], 0);
	EXPECT_EQ(page[1024 + 99], 0);
	EXPECT_EQ(page[0], 0x11);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == NULL);
	EXPECT_EQ(virtqueue_num_free(tvq), 8);
	EXPECT_TRUE(!vring_interrupt(tvq));
	EXPECT_TRUE(!virtqueue_is_broken(tvq));
}

HOST_TEST(virtqueue_round_trip_modern)
{
	round_trip(false);
	/* Three separately allocated areas, each page-aligned (above 16/2/4). */
	EXPECT_EQ(tvq->desc_pa % PAGE_SIZE, 0);
	EXPECT_EQ(tvq->avail_pa % PAGE_SIZE, 0);
	EXPECT_EQ(tvq->used_pa % PAGE_SIZE, 0);
	EXPECT_TRUE(tvq->ring_pages[0] && tvq->ring_pages[1] && tvq->ring_pages[2]);
}

HOST_TEST(virtqueue_round_trip_legacy)
{
	round_trip(true);
	/* One block: avail right after 8 descriptors, used at the next 4096 boundary. */
	EXPECT_EQ(tvq->desc_pa % 4096, 0);
	EXPECT_EQ(tvq->avail_pa - tvq->desc_pa, 16 * 8);
	EXPECT_EQ(tvq->used_pa - tvq->desc_pa, 4096);
	EXPECT_TRUE(tvq->ring_pages[1] == NULL && tvq->ring_pages[2] == NULL);
}

HOST_TEST(virtqueue_legacy_layout_large)
{
	/* 1024 entries: desc 16 KiB + avail 2054 bytes; used at 20480; 8198 bytes of used. */
	setup(true, 1024, 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(tvq->used_pa - tvq->desc_pa, 20480);
	EXPECT_EQ(vring_legacy_bytes(1024), 20480 + 8198);
	EXPECT_EQ(sim_used(&sd, 0), tvq->used);
	EXPECT_EQ(sim_avail(&sd, 0), tvq->avail);
}

HOST_TEST(virtqueue_chains_out_of_order)
{
	u8 *page;
	struct vring_sg sg[16];
	unsigned int sizes[] = { 1, 2, 3, 4, 5 };	/* 15 descriptors of 16 */
	u16 heads[5];
	u32 readable, writable, len;

	setup(false, 16, 0);
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	for (unsigned int i = 0; i < 16; i++) {
		sg[i].addr = __pa(page + 256 * i);
		sg[i].len = 10 + i;
	}
	EXPECT_EQ(virtqueue_add_buf(tvq, sg, 0, 0, (void *)1), -EINVAL);
	EXPECT_EQ(virtqueue_add_buf(tvq, sg, 1, 0, NULL), -EINVAL);
	for (unsigned int c = 0; c < 5; c++) {
		/* chain c: the first half device-readable, the rest device-writable */
		unsigned int out = sizes[c] / 2;

		EXPECT_EQ(virtqueue_add_buf(tvq, sg, out, sizes[c] - out, (void *)(uintptr_t)(c + 1)), 0);
	}
	EXPECT_EQ(virtqueue_num_free(tvq), 1);
	EXPECT_EQ(virtqueue_add_buf(tvq, sg, 1, 1, (void *)99), -ENOSPC);
	virtqueue_kick(tvq);

	for (unsigned int c = 0; c < 5; c++) {
		unsigned int out = sizes[c] / 2;
		u32 want_w = 0, want_r = 0;

		for (unsigned int k = 0; k < sizes[c]; k++)
			*(k < out ? &want_r : &want_w) += 10 + k;
		ASSERT_TRUE(sim_take(&sd, 0, &heads[c], &readable, &writable));
		EXPECT_EQ(readable, want_r);
		EXPECT_EQ(writable, want_w);
	}
	/* The device completes them last first, each with all its writable bytes. */
	for (int c = 4; c >= 0; c--)
		sim_complete(&sd, 0, heads[c], sim_fill(&sd, 0, heads[c], 0xee));
	for (int c = 4; c >= 0; c--) {
		unsigned int out = sizes[c] / 2;
		u32 want_w = 0;

		for (unsigned int k = out; k < sizes[c]; k++)
			want_w += 10 + k;
		EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)(uintptr_t)(c + 1));
		EXPECT_EQ(len, want_w);
	}
	EXPECT_EQ(virtqueue_num_free(tvq), 16);
	/* The free list survived the shuffle: one chain over every descriptor, then none. */
	EXPECT_EQ(virtqueue_add_buf(tvq, sg, 8, 8, (void *)7), 0);
	EXPECT_EQ(virtqueue_num_free(tvq), 0);
	EXPECT_EQ(virtqueue_add_buf(tvq, sg, 1, 0, (void *)8), -ENOSPC);
	virtqueue_kick(tvq);
	EXPECT_EQ(sim_process(&sd, 0, 16), 1);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)7);
	EXPECT_EQ(len, 18 + 19 + 20 + 21 + 22 + 23 + 24 + 25);
	EXPECT_TRUE(!virtqueue_is_broken(tvq));
}

static void wraparound(bool legacy)
{
	const unsigned int trips = 70000;	/* 140000 buffers: indices wrap twice */
	u8 *page;
	u32 len;

	setup(legacy, 4, 0);
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	for (unsigned int t = 0; t < trips; t++) {
		uintptr_t a = 2 * t + 1, b = 2 * t + 2;

		ASSERT_EQ(add_simple(page, 8, page + 512, 16, (void *)a), 0);
		ASSERT_EQ(add_simple(NULL, 0, page + 1024, 4, (void *)b), 0);
		virtqueue_kick(tvq);
		ASSERT_EQ(sim_process(&sd, 0, 4), 2);
		ASSERT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)a);
		ASSERT_EQ(len, 16);
		ASSERT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)b);
		ASSERT_EQ(len, 4);
	}
	EXPECT_EQ(tvq->last_used_idx, (u16)(2 * trips));
	EXPECT_EQ(tvq->avail->idx, (u16)(2 * trips));
	EXPECT_EQ(sd.q[0].used_idx, (u16)(2 * trips));
	EXPECT_EQ(virtqueue_num_free(tvq), 4);
	EXPECT_TRUE(!virtqueue_is_broken(tvq));
}

HOST_TEST(virtqueue_wraparound_modern)
{
	wraparound(false);
}

HOST_TEST(virtqueue_wraparound_legacy)
{
	wraparound(true);
}

static unsigned long allocations;

static void count_alloc(u64 pfn, u64 order, u64 mt, u64 gfp)
{
	allocations++;
}

/*
 * DESIGN.md 5: a virtqueue lock is taken inside the balloon lock and never around an
 * allocation, so nothing a driver does with a live queue may allocate a page.
 */
HOST_TEST(virtqueue_operations_never_allocate)
{
	u8 *page;
	u32 len;

	setup(false, 16, BIT(VIRTIO_F_EVENT_IDX));
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	/* The hook sees allocations: one page now is one event. */
	host_trace_hook(TRACE_mm_page_alloc, count_alloc);
	free_page((unsigned long)buffer_page());
	EXPECT_EQ(allocations, 1);
	allocations = 0;
	for (uintptr_t t = 1; t <= 200; t++) {
		EXPECT_EQ(add_simple(page, 8, page + 64, 32, (void *)t), 0);
		virtqueue_kick(tvq);
		virtqueue_disable_cb(tvq);
		sim_process(&sd, 0, 1);
		virtqueue_enable_cb(tvq);
		vring_interrupt(tvq);
		EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)t);
	}
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)1), 0);
	virtio_unregister_driver(&test_driver);	/* detach and free: frees, no allocation */
	host_trace_hook(TRACE_mm_page_alloc, NULL);
	EXPECT_EQ(allocations, 0);
}

/* ---------------------------------------------------------------------------------- */
/* Notification suppression                                                           */

HOST_TEST(virtqueue_no_notify_no_interrupt)
{
	u8 *page;
	u32 len;

	setup(false, 8, 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_TRUE(!tvq->event_idx);
	page = buffer_page();

	/* The device says it polls: no doorbell. */
	sim_used(&sd, 0)->flags = VRING_USED_F_NO_NOTIFY;
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)1), 0);
	EXPECT_TRUE(!virtqueue_kick(tvq));
	EXPECT_EQ(sd.q[0].notifies, 0);
	EXPECT_EQ(tvq->nr_kicks_suppressed, 1);
	sim_used(&sd, 0)->flags = 0;
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)2), 0);
	EXPECT_TRUE(virtqueue_kick(tvq));
	EXPECT_EQ(sd.q[0].notifies, 1);
	/* Nothing new since the last decision: no doorbell either. */
	EXPECT_TRUE(!virtqueue_kick(tvq));

	/* The driver says it polls: the device does not interrupt. */
	virtqueue_disable_cb(tvq);
	EXPECT_EQ(sim_avail(&sd, 0)->flags, VRING_AVAIL_F_NO_INTERRUPT);
	EXPECT_EQ(sim_process(&sd, 0, 1), 1);
	EXPECT_EQ(sd.q[0].interrupts, 0);
	/* Re-enabling reports the entry that came meanwhile. */
	EXPECT_TRUE(!virtqueue_enable_cb(tvq));
	EXPECT_EQ(sim_avail(&sd, 0)->flags, 0);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)1);
	EXPECT_TRUE(virtqueue_enable_cb(tvq));
	EXPECT_EQ(sim_process(&sd, 0, 1), 1);
	EXPECT_EQ(sd.q[0].interrupts, 1);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)2);
}

HOST_TEST(virtqueue_event_idx_kick)
{
	u8 *page;
	u32 len;

	setup(false, 8, BIT(VIRTIO_F_EVENT_IDX));
	ASSERT_TRUE(tvq != NULL);
	EXPECT_TRUE(tvq->event_idx);
	EXPECT_TRUE(sd.accepted & BIT(VIRTIO_F_EVENT_IDX));
	page = buffer_page();

	/* before: avail idx 0; the device wants a kick when entry 2 is published */
	*sim_avail_event(&sd, 0) = 2;
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)1), 0);
	EXPECT_TRUE(!virtqueue_kick(tvq));		/* published entry 0 */
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)2), 0);
	EXPECT_TRUE(!virtqueue_kick(tvq));		/* entry 1 */
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)3), 0);
	EXPECT_TRUE(virtqueue_kick(tvq));		/* entry 2: asked for */
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)4), 0);
	EXPECT_TRUE(!virtqueue_kick(tvq));		/* entry 3 */
	EXPECT_EQ(sd.q[0].notifies, 1);
	/* Two entries (4, 5) in one kick, the event (5) inside them. */
	*sim_avail_event(&sd, 0) = 5;
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)5), 0);
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)6), 0);
	EXPECT_TRUE(virtqueue_kick(tvq));
	EXPECT_EQ(sd.q[0].notifies, 2);
	/* after: avail idx 6; flags stay 0 under EVENT_IDX */
	EXPECT_EQ(sim_avail(&sd, 0)->flags, 0);
	EXPECT_EQ(sim_process(&sd, 0, 8), 6);
	for (uintptr_t t = 1; t <= 6; t++)
		EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)t);
}

HOST_TEST(virtqueue_event_idx_kick_wraps)
{
	u8 *page;
	u32 len;

	setup(false, 4, BIT(VIRTIO_F_EVENT_IDX));
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	/* Walk avail idx to 65534 with the device asking for nothing close. */
	for (unsigned int t = 0; t < 65534; t++) {
		*sim_avail_event(&sd, 0) = (u16)(t + 30000);
		ASSERT_EQ(add_simple(page, 8, NULL, 0, (void *)1), 0);
		ASSERT_TRUE(!virtqueue_kick(tvq));
		ASSERT_EQ(sim_process(&sd, 0, 1), 1);
		ASSERT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)1);
	}
	EXPECT_EQ(sd.q[0].notifies, 0);
	/* before: idx 65534, event 0: entries 65534 and 65535 do not match, entry 0 does */
	*sim_avail_event(&sd, 0) = 0;
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)2), 0);
	EXPECT_TRUE(!virtqueue_kick(tvq));
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)3), 0);
	EXPECT_TRUE(!virtqueue_kick(tvq));
	EXPECT_EQ(tvq->avail_idx_shadow, 0);
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)4), 0);
	EXPECT_TRUE(virtqueue_kick(tvq));
	EXPECT_EQ(sd.q[0].notifies, 1);
}

HOST_TEST(virtqueue_event_idx_interrupts)
{
	u8 *page;
	u32 len;

	setup(false, 8, BIT(VIRTIO_F_EVENT_IDX));
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	for (uintptr_t t = 1; t <= 5; t++)
		EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)t), 0);
	virtqueue_kick(tvq);

	/* used_event 0: the device's entry 0 is asked for, entry 1 is not (not collected). */
	EXPECT_EQ(*sim_used_event(&sd, 0), 0);
	EXPECT_EQ(sim_process(&sd, 0, 1), 1);
	EXPECT_EQ(sd.q[0].interrupts, 1);
	EXPECT_EQ(sim_process(&sd, 0, 1), 1);
	EXPECT_EQ(sd.q[0].interrupts, 1);
	/* Collecting both asks for entry 2 next. */
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)1);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)2);
	EXPECT_EQ(*sim_used_event(&sd, 0), 2);
	EXPECT_EQ(sim_process(&sd, 0, 1), 1);
	EXPECT_EQ(sd.q[0].interrupts, 2);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)3);

	/* Disabled: used_event points behind us, entry 3 is not asked for. */
	virtqueue_disable_cb(tvq);
	EXPECT_EQ(*sim_used_event(&sd, 0), 2);
	EXPECT_EQ(sim_avail(&sd, 0)->flags, 0);
	EXPECT_EQ(sim_process(&sd, 0, 1), 1);
	EXPECT_EQ(sd.q[0].interrupts, 2);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)4);
	EXPECT_EQ(*sim_used_event(&sd, 0), 2);	/* not moved while disabled */
	/* Enabled with nothing pending: entry 4 is asked for. */
	EXPECT_TRUE(virtqueue_enable_cb(tvq));
	EXPECT_EQ(*sim_used_event(&sd, 0), 4);
	EXPECT_EQ(sim_process(&sd, 0, 1), 1);
	EXPECT_EQ(sd.q[0].interrupts, 3);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)5);
}

/* ---------------------------------------------------------------------------------- */
/* A device that breaks the rules                                                     */

static u8 *mem_copy;

/* Take a copy of all "physical" memory: rings, buffers, allocator state, everything. */
static void mem_snapshot(void)
{
	mem_copy = malloc(host_phys_size);
	ASSERT_TRUE(mem_copy != NULL);
	memcpy(mem_copy, (void *)host_phys_base, host_phys_size);
}

/* Bytes that changed since mem_snapshot(), outside [skip, skip + skip_len). */
static unsigned long mem_changed_outside(const void *skip, size_t skip_len)
{
	const u8 *now = (const u8 *)host_phys_base;
	unsigned long lo = (unsigned long)skip - host_phys_base, changed = 0;

	for (unsigned long off = 0; off < host_phys_size; off += 4096) {
		if (!memcmp(now + off, mem_copy + off, 4096))
			continue;
		for (unsigned long b = off; b < off + 4096; b++)
			if (now[b] != mem_copy[b] && (b < lo || b >= lo + skip_len)) {
				if (!changed)
					fprintf(stderr, "first change at phys 0x%lx\n", b);
				changed++;
			}
	}
	free(mem_copy);
	return changed;
}

/*
 * before: queue of 8; chain A = head 0 (16 readable + 32 writable bytes, descs 0-1),
 * chain B = head 2 (8 readable bytes, desc 2), both taken by the device.
 */
static u8 *rogue_page;

static void bad_setup(bool legacy)
{
	u16 head;
	u32 r, w;

	setup(legacy, 8, 0);
	ASSERT_TRUE(tvq != NULL);
	rogue_page = buffer_page();
	memset(rogue_page, 0x77, PAGE_SIZE);
	ASSERT_EQ(add_simple(rogue_page, 16, rogue_page + 100, 32, (void *)0xa), 0);
	ASSERT_EQ(add_simple(rogue_page + 200, 8, NULL, 0, (void *)0xb), 0);
	virtqueue_kick(tvq);
	ASSERT_TRUE(sim_take(&sd, 0, &head, &r, &w));
	ASSERT_EQ(head, 0);
	ASSERT_TRUE(sim_take(&sd, 0, &head, &r, &w));
	ASSERT_EQ(head, 2);
	host_log_clear();
}

/*
 * get_buf on what the device wrote must return nothing, break queue and device with msg,
 * and change no byte of memory but the queue's own header; then the queue stays shut.
 */
static void expect_broken(const char *msg)
{
	u32 len = 0xdead;

	mem_snapshot();
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == NULL);
	EXPECT_EQ(len, 0xdead);
	EXPECT_EQ(mem_changed_outside(tvq, sizeof(*tvq)), 0);
	EXPECT_TRUE(virtqueue_is_broken(tvq));
	EXPECT_TRUE(virtio_is_broken(&sd.vdev));
	if (!host_log_contains(msg)) {
		fprintf(stderr, "expected message: %s\n", msg);
		host_test_failures++;
	}
	EXPECT_TRUE(strstr(sd.vdev.broken_msg, "queue 0 (testq)") != NULL);
	EXPECT_TRUE(host_log_contains("virtio: sim42: broken: queue 0 (testq): "));
	/* Shut: nothing in, nothing out, no doorbell, no callback. */
	EXPECT_EQ(add_simple(rogue_page, 8, NULL, 0, (void *)0xc), -EIO);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == NULL);
	EXPECT_TRUE(!virtqueue_kick(tvq));
	EXPECT_TRUE(!vring_interrupt(tvq));
	EXPECT_EQ(callbacks, 0);
	EXPECT_EQ(host_log_count("broken:"), 1);
}

HOST_TEST(virtqueue_bad_used_id_out_of_range)
{
	bad_setup(false);
	sim_complete(&sd, 0, 8, 0);
	expect_broken("used id 8 out of range (queue size 8) at used index 0");
}

HOST_TEST(virtqueue_bad_used_id_huge_legacy)
{
	bad_setup(true);
	sim_complete(&sd, 0, 0xffffffffu, 0);
	expect_broken("used id 4294967295 out of range (queue size 8) at used index 0");
}

HOST_TEST(virtqueue_bad_used_id_not_a_head)
{
	bad_setup(false);
	sim_complete(&sd, 0, 1, 0);	/* descriptor 1 is the second of chain A */
	expect_broken("used id 1 is not the head of an outstanding chain (used index 0)");
}

HOST_TEST(virtqueue_bad_used_id_free_descriptor)
{
	bad_setup(false);
	sim_complete(&sd, 0, 5, 0);	/* descriptor 5 was never made available */
	expect_broken("used id 5 is not the head of an outstanding chain (used index 0)");
}

HOST_TEST(virtqueue_bad_used_id_twice)
{
	u32 len;

	bad_setup(false);
	sim_complete(&sd, 0, 2, 0);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)0xb);
	sim_complete(&sd, 0, 2, 0);	/* B again: already returned */
	expect_broken("used id 2 is not the head of an outstanding chain (used index 1)");
}

HOST_TEST(virtqueue_bad_used_len)
{
	bad_setup(false);
	sim_complete(&sd, 0, 0, 33);
	expect_broken("used length 33 for id 0 beyond the chain's 32 device-writable bytes");
}

HOST_TEST(virtqueue_bad_used_len_readonly_chain)
{
	bad_setup(true);
	sim_complete(&sd, 0, 2, 1);	/* B has no device-writable bytes at all */
	expect_broken("used length 1 for id 2 beyond the chain's 0 device-writable bytes");
}

HOST_TEST(virtqueue_bad_used_idx_jump)
{
	bad_setup(false);
	sim_used(&sd, 0)->idx = 9;
	expect_broken("used index moved from 0 to 9: 9 entries, more than the queue size 8");
}

HOST_TEST(virtqueue_bad_used_idx_backwards)
{
	u32 len;

	bad_setup(false);
	sim_complete(&sd, 0, 2, 0);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)0xb);
	sim_used(&sd, 0)->idx = 0;
	expect_broken("used index moved from 1 to 0: 65535 entries, more than the queue size 8");
}

HOST_TEST(virtqueue_bad_used_idx_full_queue_ok)
{
	u32 len;

	/* Exactly num entries ahead is legal: a device may use every buffer at once. */
	setup(false, 4, 0);
	ASSERT_TRUE(tvq != NULL);
	rogue_page = buffer_page();
	for (uintptr_t t = 1; t <= 4; t++)
		EXPECT_EQ(add_simple(rogue_page, 8, NULL, 0, (void *)t), 0);
	virtqueue_kick(tvq);
	EXPECT_EQ(sim_process(&sd, 0, 4), 4);
	for (uintptr_t t = 1; t <= 4; t++)
		EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)t);
	EXPECT_TRUE(!virtqueue_is_broken(tvq));
}

/* ---------------------------------------------------------------------------------- */
/* Queue sizes                                                                        */

static void bad_size(unsigned int qmax, const char *msg)
{
	unsigned long before;

	boot_simple(32 * MiB, NULL);
	before = nr_free_pages();
	sim_dev_init(&sd, TEST_ID, false, qmax, 16);
	virtio_register_driver(&test_driver);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	EXPECT_TRUE(tvq == NULL);
	EXPECT_TRUE(virtio_is_broken(&sd.vdev));
	if (!host_log_contains(msg)) {
		fprintf(stderr, "expected message: %s\n", msg);
		host_test_failures++;
	}
	EXPECT_TRUE(host_log_contains("testdrv: the driver's probe failed"));
	EXPECT_EQ(sd.status, 0);	/* reset */
	EXPECT_TRUE(sd.vdev.driver == NULL);
	EXPECT_EQ(nr_free_pages(), before);
}

HOST_TEST(virtqueue_size_zero)
{
	bad_size(0, "queue 0 (testq): the device has no such queue (size 0)");
}

HOST_TEST(virtqueue_size_not_power_of_two)
{
	bad_size(100, "queue 0 (testq): size 100 is not a power of two (split ring, 2.7)");
}

HOST_TEST(virtqueue_size_too_large)
{
	bad_size(65536, "queue 0 (testq): size 65536 is above the maximum 32768 (2.7)");
}

HOST_TEST(virtqueue_size_driver_limit)
{
	probe_num_max = 64;
	setup(false, 256, 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(tvq->num, 64);
	EXPECT_EQ(sd.q[0].num, 64);
}

HOST_TEST(virtqueue_size_fixed_by_transport)
{
	probe_num_max = 64;
	boot_simple(32 * MiB, NULL);
	sim_dev_init(&sd, TEST_ID, true, 256, 16);
	sd.vdev.fixed_queue_size = true;	/* legacy PCI: QueueNum is read-only */
	virtio_register_driver(&test_driver);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(tvq->num, 256);
}

HOST_TEST(virtqueue_size_max)
{
	/* 32768 entries: the largest blocks a queue needs still come from the allocator. */
	setup(true, 32768, 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(tvq->num, 32768);
	EXPECT_EQ(tvq->used_pa - tvq->desc_pa, vring_legacy_used_offset(32768));
}

/* ---------------------------------------------------------------------------------- */
/* The core: handshake, negotiation, config                                           */

HOST_TEST(virtio_handshake_modern)
{
	setup(false, 8, BIT(0) | BIT(1) | BIT(3) | BIT(VIRTIO_F_EVENT_IDX) | BIT(40));
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(probes, 1);
	EXPECT_EQ(sd.resets, 1);
	/* 3.1.1 step by step: ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK. */
	EXPECT_EQ(sd.nr_status_log, 4);
	EXPECT_EQ(sd.status_log[0], 0x01);
	EXPECT_EQ(sd.status_log[1], 0x03);
	EXPECT_EQ(sd.status_log[2], 0x0b);
	EXPECT_EQ(sd.status_log[3], 0x0f);
	/* The driver's bits (0, 3), the core's (EVENT_IDX, VERSION_1); not 1 nor 40. */
	EXPECT_EQ(sd.accepted, BIT(0) | BIT(3) | BIT(VIRTIO_F_EVENT_IDX) | BIT(VIRTIO_F_VERSION_1));
	EXPECT_EQ(sd.vdev.features, sd.accepted);
	EXPECT_TRUE(sd.vdev.driver == &test_driver);
	EXPECT_TRUE(host_log_contains("virtio: sim42: testdrv bound, features 0x"));
}

HOST_TEST(virtio_handshake_legacy)
{
	/* A legacy device cannot offer VERSION_1 (its word is 32 bits): the core masks it. */
	setup(true, 8, BIT(0) | BIT(VIRTIO_F_EVENT_IDX) | BIT(VIRTIO_F_VERSION_1));
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(sd.nr_status_log, 3);
	EXPECT_EQ(sd.status_log[0], 0x01);
	EXPECT_EQ(sd.status_log[1], 0x03);
	EXPECT_EQ(sd.status_log[2], 0x07);	/* no FEATURES_OK on legacy */
	EXPECT_EQ(sd.accepted, BIT(0) | BIT(VIRTIO_F_EVENT_IDX));
}

HOST_TEST(virtio_handshake_modern_without_version_1)
{
	boot_simple(32 * MiB, NULL);
	sim_dev_init(&sd, TEST_ID, false, 8, 16);
	sd.offered = BIT(0);
	virtio_register_driver(&test_driver);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	EXPECT_EQ(probes, 0);
	EXPECT_EQ(sd.status, 0);
	EXPECT_EQ(sd.resets, 2);
	EXPECT_EQ(sd.status_log[sd.nr_status_log - 1] & VIRTIO_STATUS_FAILED, VIRTIO_STATUS_FAILED);
	EXPECT_TRUE(host_log_contains("sim42: testdrv: a modern transport but the device does not "
				      "offer VERSION_1"));
	EXPECT_TRUE(sd.vdev.driver == NULL);
}

HOST_TEST(virtio_handshake_features_refused)
{
	unsigned long before;

	boot_simple(32 * MiB, NULL);
	before = nr_free_pages();
	sim_dev_init(&sd, TEST_ID, false, 8, 16);
	sd.refuse_features_ok = true;
	virtio_register_driver(&test_driver);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	EXPECT_EQ(probes, 0);
	EXPECT_EQ(sd.status, 0);	/* reset after failing */
	EXPECT_EQ(sd.resets, 2);
	EXPECT_TRUE(host_log_contains("FEATURES_OK did not stay set (3.1.1)"));
	EXPECT_TRUE(host_log_contains("not accepted: status ACKNOWLEDGE|DRIVER"));
	EXPECT_TRUE(sd.vdev.driver == NULL);
	EXPECT_EQ(nr_free_pages(), before);
}

HOST_TEST(virtio_probe_failure_frees_queues)
{
	unsigned long before;

	boot_simple(32 * MiB, NULL);
	before = nr_free_pages();
	sim_dev_init(&sd, TEST_ID, false, 256, 16);
	probe_result = -EIO;
	virtio_register_driver(&test_driver);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	EXPECT_EQ(probes, 1);
	EXPECT_EQ(sd.status, 0);
	EXPECT_TRUE(!sd.q[0].active);
	EXPECT_EQ(nr_free_pages(), before);
	EXPECT_TRUE(host_log_contains("sim42: testdrv: the driver's probe failed (-5); device reset"));
}

HOST_TEST(virtio_driver_after_device_and_unregister)
{
	unsigned long before;
	u8 *page;

	boot_simple(32 * MiB, NULL);
	before = nr_free_pages();
	sim_dev_init(&sd, TEST_ID, false, 8, 16);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	EXPECT_EQ(probes, 0);
	virtio_register_driver(&test_driver);
	EXPECT_EQ(probes, 1);
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	for (uintptr_t t = 1; t <= 3; t++)
		EXPECT_EQ(add_simple(page, 8, page + 64, 8, (void *)t), 0);
	virtio_unregister_device(&sd.vdev);
	EXPECT_EQ(removes, 1);
	EXPECT_EQ(sd.status, 0);
	/* The three buffers the device never returned came back to the driver. */
	EXPECT_EQ(nr_detached, 3);
	free_page((unsigned long)page);
	EXPECT_EQ(nr_free_pages(), before);
}

HOST_TEST(virtio_unregister_driver_unbinds)
{
	unsigned long before;
	u8 *page;

	boot_simple(32 * MiB, NULL);
	before = nr_free_pages();
	sim_dev_init(&sd, TEST_ID, true, 8, 16);
	virtio_register_driver(&test_driver);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	ASSERT_TRUE(tvq != NULL);
	page = buffer_page();
	EXPECT_EQ(add_simple(page, 8, NULL, 0, (void *)1), 0);
	virtio_unregister_driver(&test_driver);
	EXPECT_EQ(removes, 1);
	EXPECT_EQ(nr_detached, 1);
	EXPECT_EQ(sd.status, 0);
	EXPECT_TRUE(sd.vdev.driver == NULL);
	free_page((unsigned long)page);
	EXPECT_EQ(nr_free_pages(), before);
	/* Registered again, it binds again: the device is not left claimed. */
	virtio_register_driver(&test_driver);
	EXPECT_EQ(probes, 2);
	EXPECT_TRUE(sd.vdev.driver == &test_driver);
}

static void config_setup(bool legacy)
{
	boot_simple(32 * MiB, NULL);
	sim_dev_init(&sd, TEST_ID, legacy, 8, 16);
	for (unsigned int i = 0; i < 16; i++)
		sd.config[i] = (u8)(0x10 + i);
	EXPECT_EQ(virtio_register_device(&sd.vdev), 0);
	host_log_clear();
}

HOST_TEST(virtio_config_generation_settles)
{
	u64 v = 0;

	config_setup(false);
	sd.unstable_reads = 3;		/* three reads see a change, the fourth does not */
	EXPECT_EQ(virtio_cread(&sd.vdev, 4, &v, 8), 0);
	EXPECT_EQ(sd.unstable_reads, 0);
	EXPECT_EQ(memcmp(&v, sd.config + 4, 8), 0);
	EXPECT_TRUE(!virtio_is_broken(&sd.vdev));
}

HOST_TEST(virtio_config_generation_never_settles)
{
	u32 v;

	config_setup(false);
	sd.unstable_reads = SIM_UNSTABLE_FOREVER;
	EXPECT_EQ(virtio_cread(&sd.vdev, 0, &v, 4), -EIO);
	EXPECT_TRUE(virtio_is_broken(&sd.vdev));
	EXPECT_TRUE(host_log_contains("virtio: sim42: broken: config generation changed during "
				      "each of 32 reads of 4 bytes at 0: it never settles"));
	/* Broken: no more reads reach the device. */
	sd.unstable_reads = 0;
	EXPECT_EQ(virtio_cread(&sd.vdev, 0, &v, 4), -EIO);
}

HOST_TEST(virtio_config_legacy_reads_twice)
{
	u32 v = 0;

	config_setup(true);
	sd.unstable_reads = 3;
	EXPECT_EQ(virtio_cread(&sd.vdev, 8, &v, 4), 0);
	EXPECT_EQ(memcmp(&v, sd.config + 8, 4), 0);
	EXPECT_TRUE(!virtio_is_broken(&sd.vdev));
	sd.unstable_reads = SIM_UNSTABLE_FOREVER;
	EXPECT_EQ(virtio_cread(&sd.vdev, 8, &v, 4), -EIO);
	EXPECT_TRUE(host_log_contains("legacy config: 32 pairs of reads of 4 bytes at 8 never agreed"));
}

HOST_TEST(virtio_config_out_of_range)
{
	u8 v[16];

	config_setup(false);
	EXPECT_EQ(virtio_cread(&sd.vdev, 12, v, 8), -EINVAL);
	EXPECT_EQ(virtio_cread(&sd.vdev, 0xfffffff0u, v, 0x20), -EINVAL);
	EXPECT_EQ(virtio_cread(&sd.vdev, 17, v, 0), -EINVAL);
	EXPECT_EQ(virtio_cread(&sd.vdev, 16, v, 0), 0);
	EXPECT_EQ(virtio_cread(&sd.vdev, 0, v, 16), 0);
	EXPECT_TRUE(host_log_contains("config read of 8 bytes at 12 outside its 16 bytes"));
	EXPECT_TRUE(!virtio_is_broken(&sd.vdev));
}

/* ---------------------------------------------------------------------------------- */
/* Interrupts: a wired line, polling, config changes                                  */

/* Add one buffer to queue 0, kick, and let the device use it. */
static void one_request(u8 *page)
{
	EXPECT_EQ(add_simple(NULL, 0, page, 16, (void *)0x77), 0);
	virtqueue_kick(tvq);
	EXPECT_EQ(sim_process(&sd, 0, 8), 1);
}

HOST_TEST(virtio_irq_polled_when_the_transport_has_no_line)
{
	u8 *page;
	u32 len;

	setup(false, 8, 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(sd.vdev.irq_mode, VIRTIO_IRQ_POLL);
	EXPECT_TRUE(host_log_contains("sim42: no interrupt the platform can take (-95): "
				      "completions polled every 10 ms"));
	EXPECT_TRUE(host_log_contains("interrupts: poll"));
	page = buffer_page();
	one_request(page);
	EXPECT_EQ(callbacks, 0);	/* nothing runs until the poll does */
	EXPECT_EQ(host_run_work(), 1);
	EXPECT_EQ(callbacks, 1);
	EXPECT_EQ(sd.vdev.nr_interrupts, 1);
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)0x77);
	/* The poll re-armed itself; a poll that finds nothing counts nothing. */
	EXPECT_EQ(host_run_work(), 1);
	EXPECT_EQ(callbacks, 1);
	EXPECT_EQ(sd.vdev.nr_interrupts, 1);
	/* Unbound, the device is polled no more. */
	virtio_unregister_device(&sd.vdev);
	EXPECT_EQ(host_run_work(), 0);
	EXPECT_EQ(sd.vdev.irq_mode, VIRTIO_IRQ_NONE);
}

HOST_TEST(virtio_irq_line_dispatches_queues_and_is_freed)
{
	u8 *page;
	u32 len;

	boot_simple(32 * MiB, NULL);
	sim_dev_init(&sd, TEST_ID, false, 8, 16);
	sd.has_line = true;
	virtio_register_driver(&test_driver);
	ASSERT_EQ(virtio_register_device(&sd.vdev), 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_EQ(sd.vdev.irq_mode, VIRTIO_IRQ_LINE);
	EXPECT_EQ(sd.irq_setups, 1);
	EXPECT_EQ(host_run_work(), 0);	/* not polled */
	page = buffer_page();
	one_request(page);
	sim_raise(&sd);
	EXPECT_EQ(callbacks, 1);
	EXPECT_EQ(sd.isr, 0);		/* the handler's read acknowledged it */
	EXPECT_TRUE(virtqueue_get_buf(tvq, &len) == (void *)0x77);
	/* A shared line that fires for another device: nothing to do, nothing counted. */
	sim_raise(&sd);
	EXPECT_EQ(callbacks, 1);
	EXPECT_EQ(sd.vdev.nr_interrupts, 1);
	virtio_unregister_device(&sd.vdev);
	EXPECT_EQ(sd.irq_frees, 1);
	EXPECT_EQ(sd.vdev.irq_mode, VIRTIO_IRQ_NONE);
}

HOST_TEST(virtio_config_change_during_probe_is_delivered_at_driver_ok)
{
	boot_simple(32 * MiB, NULL);
	sim_dev_init(&sd, TEST_ID, false, 8, 16);
	sd.has_line = true;
	probe_config_change = true;
	virtio_register_driver(&test_driver);
	ASSERT_EQ(virtio_register_device(&sd.vdev), 0);
	/* Signalled inside probe: held, then delivered once the driver is live. */
	EXPECT_EQ(config_changes_in_probe, 0);
	EXPECT_EQ(config_changes, 1);
	sim_config_change(&sd);
	EXPECT_EQ(config_changes, 2);
	/* After unbinding, a change reaches no driver. */
	virtio_unregister_device(&sd.vdev);
	sim_config_change(&sd);
	EXPECT_EQ(config_changes, 2);
}

HOST_TEST(virtio_config_change_polled)
{
	setup(true, 8, 0);	/* legacy, no line */
	ASSERT_TRUE(tvq != NULL);
	sim_config_change(&sd);
	EXPECT_EQ(config_changes, 0);
	EXPECT_EQ(host_run_work(), 1);
	EXPECT_EQ(config_changes, 1);
	EXPECT_EQ(host_run_work(), 1);
	EXPECT_EQ(config_changes, 1);	/* the ISR read acknowledged it: once only */
}

HOST_TEST(virtio_find_vq_refuses_an_index_twice)
{
	setup(false, 8, 0);
	ASSERT_TRUE(tvq != NULL);
	EXPECT_TRUE(virtio_find_vq(&sd.vdev, 0, 0, "again", test_cb) == NULL);
	EXPECT_TRUE(host_log_contains("sim42: queue 0 (again): index taken or above 7"));
	EXPECT_TRUE(virtio_find_vq(&sd.vdev, VIRTIO_MAX_VQS, 0, "far", test_cb) == NULL);
	EXPECT_TRUE(!virtio_is_broken(&sd.vdev));
}
