// SPDX-License-Identifier: MIT
/*
 * ktest suite "virtio": the core, the split ring and the transport against a real device.
 *
 *	QEMU: make run VIRTIO=mmio|mmio-legacy|pci|pci-legacy CMDLINE=ktest=virtio
 *	      (-device virtio-rng-device on riscv64 virt, with -global
 *	      virtio-mmio.force-legacy=false for version 2; -device virtio-rng-pci on either
 *	      arch, disable-modern=on for legacy)
 *
 * A test driver binds to an unbound entropy device, so the whole path runs: the status
 * handshake, the queue in the transport's layout, requests the device completes. There is
 * no interrupt layer yet, so completions are found by polling the used ring (bounded by a
 * deadline), which tests the ring and transport, not interrupt delivery. Without such a
 * device (or with one another driver holds) the case is skipped; the boots of tests/run.py
 * that attach one check that it ran, and in which mode (the log line below).
 */
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include "arch/arch.h"

#define RNG_REQ_BYTES	64
#define POLL_NS		2000000000ULL	/* QEMU answers in microseconds; 2 s is a dead device */

static struct virtqueue *kt_vq;		/* the bound device's request queue (one CPU, ktest) */
static struct virtio_device *kt_vdev;

static int kt_rng_probe(struct virtio_device *vdev)
{
	if (kt_vdev)
		return -EBUSY;		/* one device is enough; leave any other alone */
	/* 8 entries: 300 requests wrap the ring's slots many times on the real device. */
	kt_vq = virtio_find_vq(vdev, 0, 8, "kt-req", NULL);
	if (!kt_vq)
		return -ENODEV;
	kt_vdev = vdev;
	return 0;
}

static void kt_rng_remove(struct virtio_device *vdev)
{
	/* Buffers still out belong to the test's page, freed by the test. */
	while (virtqueue_detach_unused_buf(kt_vq))
		;
	kt_vq = NULL;
	kt_vdev = NULL;
}

static struct virtio_driver kt_rng_driver = {
	.name = "ktest-rng",
	.device_id = VIRTIO_ID_RNG,
	.probe = kt_rng_probe,
	.remove = kt_rng_remove,
};

static void find_unbound_rng(struct virtio_device *vdev, void *arg)
{
	bool *found = arg;

	if (vdev->device_id == VIRTIO_ID_RNG && !vdev->driver && !virtio_is_broken(vdev))
		*found = true;
}

/* One request: len bytes of entropy into buf; the bytes the device wrote, or 0. */
static u32 rng_request(struct ktest *t, u8 *buf, u32 len, void *token)
{
	struct vring_sg sg = { .addr = __pa(buf), .len = len };
	u64 deadline;
	u32 got = 0;
	void *back;

	KT_ASSERT_EQ(t, virtqueue_add_buf(kt_vq, &sg, 0, 1, token), 0);
	virtqueue_kick(kt_vq);
	deadline = arch_clock_ns() + POLL_NS;
	while (!(back = virtqueue_get_buf(kt_vq, &got))) {
		if (virtqueue_is_broken(kt_vq) || arch_clock_ns() > deadline)
			break;
		arch_cpu_relax();
	}
	KT_EXPECT_TRUE(t, back == token);
	return back == token ? got : 0;
}

static bool all_same(const u8 *b, u32 len)
{
	for (u32 i = 1; i < len; i++)
		if (b[i] != b[0])
			return false;
	return true;
}

static void virtio_rng_polled_requests(struct ktest *t)
{
	bool found = false;
	struct page *page;
	u8 *a, *b, status;
	u32 got;

	virtio_for_each_device(find_unbound_rng, &found);
	if (!found) {
		ktest_skip(t, "no unbound virtio entropy device");
		return;
	}
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT_NOT_NULL(t, page);
	a = page_address(page);
	b = a + 2048;

	virtio_register_driver(&kt_rng_driver);
	KT_ASSERT_NOT_NULL(t, kt_vdev);
	status = kt_vdev->ops->get_status(kt_vdev);
	KT_EXPECT_TRUE(t, status & VIRTIO_STATUS_DRIVER_OK);
	KT_EXPECT_FALSE(t, status & VIRTIO_STATUS_FAILED);
	if (kt_vdev->legacy) {
		KT_EXPECT_FALSE(t, virtio_has_feature(kt_vdev, VIRTIO_F_VERSION_1));
		KT_EXPECT_EQ(t, kt_vq->used_pa - kt_vq->desc_pa,
			     vring_legacy_used_offset(kt_vq->num));
	} else {
		KT_EXPECT_TRUE(t, virtio_has_feature(kt_vdev, VIRTIO_F_VERSION_1));
		KT_EXPECT_TRUE(t, status & VIRTIO_STATUS_FEATURES_OK);
	}
	ktest_log(t, "%s: %s, queue of %u, features %#llx", kt_vdev->name,
		  kt_vdev->legacy ? "legacy" : "modern", kt_vq->num,
		  (unsigned long long)kt_vdev->features);

	got = rng_request(t, a, RNG_REQ_BYTES, (void *)1);
	KT_EXPECT_GT(t, got, 0);
	KT_EXPECT_LE(t, got, RNG_REQ_BYTES);
	KT_EXPECT_FALSE(t, got == RNG_REQ_BYTES && all_same(a, got));
	got = rng_request(t, b, RNG_REQ_BYTES, (void *)2);
	KT_EXPECT_GT(t, got, 0);
	KT_EXPECT_TRUE(t, memcmp(a, b, min_t(u32, got, RNG_REQ_BYTES)) != 0);

	/* Many more through an 8-entry ring: every slot reused, nothing lost. */
	for (unsigned int i = 0; i < 300 && !t->failed; i++)
		KT_EXPECT_GT(t, rng_request(t, a, 16, (void *)(uintptr_t)(3 + i)), 0);
	KT_EXPECT_EQ(t, virtqueue_num_free(kt_vq), kt_vq->num);
	KT_EXPECT_EQ(t, kt_vq->last_used_idx, 302);
	KT_EXPECT_FALSE(t, virtqueue_is_broken(kt_vq));

	virtio_unregister_driver(&kt_rng_driver);
	KT_EXPECT_NULL(t, kt_vdev);
	__free_page(page);
}

static struct ktest_case virtio_cases[] = {
	KTEST_CASE(virtio_rng_polled_requests),
	{}
};
KTEST_SUITE(virtio, virtio_cases);
