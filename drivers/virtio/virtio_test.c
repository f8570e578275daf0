// SPDX-License-Identifier: MIT
/*
 * ktest suite "virtio": the core, the split ring and the transport against a real device.
 *
 *	QEMU: make run VIRTIO=mmio|mmio-legacy|pci|pci-legacy CMDLINE=ktest=virtio
 *	      (-device virtio-rng-device on riscv64 virt, with -global
 *	      virtio-mmio.force-legacy=false for version 2; -device virtio-rng-pci on either
 *	      arch, disable-modern=on for legacy)
 *
 * The cases drive the real entropy driver (drivers/virtio/virtio_rng.c), which binds every
 * entropy device at boot, so the whole path runs: the status handshake, the queue in the
 * transport's layout, requests the device completes. One case completes them by polling
 * the used ring (the ring and the transport), one through the interrupt path (the
 * transport's interrupt, the core's dispatch, the driver's callback), which it checks was
 * taken. Without such a device the cases are skipped; the boots of tests/run.py that
 * attach one check that they ran, and in which mode (the log lines below).
 */
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"
#include "drivers/virtio/virtio_rng.h"
#include "drivers/virtio/virtio_mmio.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/cpumask.h"
#include "kernel/ktest.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "arch/arch.h"

#define RNG_REQ_BYTES	64

static u8 buf_a[RNG_REQ_BYTES], buf_b[RNG_REQ_BYTES];	/* (m: ktest runs on one CPU) */

static bool all_same(const u8 *b, u32 len)
{
	for (u32 i = 1; i < len; i++)
		if (b[i] != b[0])
			return false;
	return true;
}

/* The first bound entropy device, or NULL (and the case skipped). */
static struct virtio_rng *need_rng(struct ktest *t)
{
	struct virtio_rng *rng = virtio_rng_get(0);

	if (!rng)
		ktest_skip(t, "no virtio entropy device bound");
	return rng;
}

/* Two reads of 64 bytes in @mode: full, not constant, and different from each other. */
static void expect_two_random_reads(struct ktest *t, struct virtio_rng *rng,
				    enum virtio_rng_mode mode)
{
	int a, b;

	a = virtio_rng_dev_read(rng, buf_a, RNG_REQ_BYTES, mode);
	KT_EXPECT_GT(t, a, 0);
	KT_EXPECT_LE(t, a, RNG_REQ_BYTES);
	KT_EXPECT_FALSE(t, a == RNG_REQ_BYTES && all_same(buf_a, (u32)a));
	b = virtio_rng_dev_read(rng, buf_b, RNG_REQ_BYTES, mode);
	KT_EXPECT_GT(t, b, 0);
	if (a > 0 && b > 0)
		KT_EXPECT_TRUE(t, memcmp(buf_a, buf_b, (size_t)min_t(int, a, b)) != 0);
}

/*
 * before: the driver bound the device at boot (DRIVER_OK), its queue of 8 in the
 *	   transport's layout.
 * after:  requests completed by polling the used ring: random bytes, 300 more through the
 *	   8-entry ring (every slot reused), nothing outstanding, nothing broken.
 */
static void virtio_rng_polled_requests(struct ktest *t)
{
	struct virtio_rng *rng = need_rng(t);
	struct virtio_device *vdev;
	struct virtqueue *vq;
	u16 used_before;
	u8 status;

	if (!rng)
		return;
	vdev = virtio_rng_vdev(rng);
	vq = virtio_vq_at(vdev, 0);
	KT_ASSERT_NOT_NULL(t, vq);
	status = vdev->ops->get_status(vdev);
	KT_EXPECT_TRUE(t, status & VIRTIO_STATUS_DRIVER_OK);
	KT_EXPECT_FALSE(t, status & VIRTIO_STATUS_FAILED);
	if (vdev->legacy) {
		KT_EXPECT_FALSE(t, virtio_has_feature(vdev, VIRTIO_F_VERSION_1));
		KT_EXPECT_EQ(t, vq->used_pa - vq->desc_pa, vring_legacy_used_offset(vq->num));
	} else {
		KT_EXPECT_TRUE(t, virtio_has_feature(vdev, VIRTIO_F_VERSION_1));
		KT_EXPECT_TRUE(t, status & VIRTIO_STATUS_FEATURES_OK);
	}
	ktest_log(t, "%s: %s, queue of %u, features %#llx, interrupts %s", vdev->name,
		  vdev->legacy ? "legacy" : "modern", vq->num, (unsigned long long)vdev->features,
		  virtio_irq_mode_name(vdev->irq_mode));

	used_before = vq->last_used_idx;
	expect_two_random_reads(t, rng, VIRTIO_RNG_POLL);
	/* Many more through an 8-entry ring: every slot reused, nothing lost. */
	for (unsigned int i = 0; i < 300 && !t->failed; i++)
		KT_EXPECT_GT(t, virtio_rng_dev_read(rng, buf_a, 16, VIRTIO_RNG_POLL), 0);
	KT_EXPECT_EQ(t, virtqueue_num_free(vq), vq->num);
	KT_EXPECT_EQ(t, (u16)(vq->last_used_idx - used_before), 302);
	KT_EXPECT_FALSE(t, virtqueue_is_broken(vq));
}

/* Bad sizes are refused before the device sees anything. */
static void virtio_rng_bad_requests(struct ktest *t)
{
	struct virtio_rng *rng = need_rng(t);
	struct virtio_rng_stats before, after;

	if (!rng)
		return;
	virtio_rng_get_stats(rng, &before);
	KT_EXPECT_EQ(t, virtio_rng_dev_read(rng, buf_a, 0, VIRTIO_RNG_POLL), -EINVAL);
	KT_EXPECT_EQ(t, virtio_rng_dev_read(rng, buf_a, VIRTIO_RNG_REQ_MAX + 1,
					    VIRTIO_RNG_WAIT_IRQ), -EINVAL);
	virtio_rng_get_stats(rng, &after);
	KT_EXPECT_EQ(t, after.requests, before.requests);
}

/* Interrupts of @irq taken on every CPU so far. */
static u64 irq_total(unsigned int irq)
{
	unsigned int cpu;
	u64 n = 0;

	for_each_possible_cpu(cpu)
		n += irq_count(irq, cpu);
	return n;
}

#define IRQ_REQUESTS	20

/*
 * before: the device's completions reach the core by interrupt (MSI-X or a wired line).
 * after:  IRQ_REQUESTS requests each completed after a callback of its own, the device's
 *	   interrupt counted as many times at least, the bytes random.
 */
static void virtio_rng_irq_requests(struct ktest *t)
{
	struct virtio_rng *rng = need_rng(t);
	struct virtio_rng_stats before, after;
	struct virtio_device *vdev;
	u64 intr_before, irqs_before = 0;

	if (!rng)
		return;
	vdev = virtio_rng_vdev(rng);
	if (vdev->irq_mode != VIRTIO_IRQ_LINE && vdev->irq_mode != VIRTIO_IRQ_MSIX) {
		ktest_skip(t, "the device is polled by the core (no interrupt the platform can "
			   "take for it yet)");
		return;
	}
	virtio_rng_get_stats(rng, &before);
	intr_before = __atomic_load_n(&vdev->nr_interrupts, __ATOMIC_RELAXED);
	if (vdev->irq_mode == VIRTIO_IRQ_LINE)
		irqs_before = irq_total(vdev->irq);

	expect_two_random_reads(t, rng, VIRTIO_RNG_WAIT_IRQ);
	for (unsigned int i = 2; i < IRQ_REQUESTS; i++)
		KT_EXPECT_GT(t, virtio_rng_dev_read(rng, buf_a, 16, VIRTIO_RNG_WAIT_IRQ), 0);

	virtio_rng_get_stats(rng, &after);
	KT_EXPECT_EQ(t, after.requests - before.requests, IRQ_REQUESTS);
	KT_EXPECT_EQ(t, after.timeouts, before.timeouts);
	/* Interrupt mode collects only after a callback: one per request at least. */
	KT_EXPECT_GE(t, after.callbacks - before.callbacks, IRQ_REQUESTS);
	KT_EXPECT_GE(t, __atomic_load_n(&vdev->nr_interrupts, __ATOMIC_RELAXED) - intr_before,
		     IRQ_REQUESTS);
	if (vdev->irq_mode == VIRTIO_IRQ_LINE)
		KT_EXPECT_GE(t, irq_total(vdev->irq) - irqs_before, IRQ_REQUESTS);
	ktest_log(t, "%s: %s, %u requests by interrupt (%s, irq %u): %llu callbacks, "
		  "%llu interrupts", vdev->name, vdev->legacy ? "legacy" : "modern",
		  IRQ_REQUESTS, virtio_irq_mode_name(vdev->irq_mode), vdev->irq,
		  (unsigned long long)(after.callbacks - before.callbacks),
		  (unsigned long long)(__atomic_load_n(&vdev->nr_interrupts, __ATOMIC_RELAXED) -
				       intr_before));
}

/*
 * before: a virtio-mmio entropy device bound, its line requested ("virtio0" in `interrupts`).
 * after unregistering it: reset, its interrupt freed (no handler), requests refused.
 * after registering it again: bound to the same slot, the line requested again, requests
 *	  completed through it. (virtio-mmio only: the transport's state is all in vdev.)
 */
static void virtio_rng_rebind(struct ktest *t)
{
	struct virtio_rng *rng = need_rng(t);
	struct virtio_rng_stats before, after;
	struct virtio_device *vdev;
	struct irq_desc *desc;
	unsigned int irq;

	if (!rng)
		return;
	vdev = virtio_rng_vdev(rng);
	if (!virtio_mmio_transport(vdev) || vdev->irq_mode != VIRTIO_IRQ_LINE) {
		ktest_skip(t, "needs a virtio-mmio entropy device on its interrupt line");
		return;
	}
	irq = vdev->irq;
	desc = irq_to_desc(irq);
	KT_ASSERT_NOT_NULL(t, desc);
	KT_EXPECT_NOT_NULL(t, READ_ONCE(desc->handler));

	virtio_unregister_device(vdev);
	KT_EXPECT_EQ(t, vdev->irq_mode, VIRTIO_IRQ_NONE);
	KT_EXPECT_NULL(t, READ_ONCE(desc->handler));		/* free_irq() ran */
	KT_EXPECT_EQ(t, vdev->ops->get_status(vdev), 0);	/* reset */
	KT_EXPECT_EQ(t, virtio_rng_dev_read(rng, buf_a, 16, VIRTIO_RNG_POLL), -ENODEV);

	KT_ASSERT_EQ(t, virtio_register_device(vdev), 0);
	KT_EXPECT_TRUE(t, virtio_rng_get(0) == rng);		/* the same slot again */
	KT_EXPECT_EQ(t, vdev->irq_mode, VIRTIO_IRQ_LINE);
	KT_EXPECT_EQ(t, vdev->irq, irq);			/* the slot's one line */
	KT_EXPECT_NOT_NULL(t, READ_ONCE(desc->handler));
	virtio_rng_get_stats(rng, &before);
	expect_two_random_reads(t, rng, VIRTIO_RNG_WAIT_IRQ);
	virtio_rng_get_stats(rng, &after);
	KT_EXPECT_GE(t, after.callbacks - before.callbacks, 2);
}

static struct ktest_case virtio_cases[] = {
	KTEST_CASE(virtio_rng_polled_requests),
	KTEST_CASE(virtio_rng_bad_requests),
	KTEST_CASE(virtio_rng_irq_requests),
	KTEST_CASE(virtio_rng_rebind),
	{}
};
KTEST_SUITE(virtio, virtio_cases);
