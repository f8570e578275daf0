// SPDX-License-Identifier: MIT
/*
 * The virtio entropy device (virtio 1.x 5.4): one queue (requestq), no feature bits, no
 * configuration. A request is one device-writable buffer; the device writes random bytes
 * into it (possibly fewer than asked) and returns it on the used ring.
 *
 *	QEMU: -device virtio-rng-device	(virtio-mmio, riscv64 virt)
 *	      -device virtio-rng-pci		(virtio-pci, either arch)
 *
 * Requests. Each device serves one request at a time, into a 256-byte slice of a page the
 * driver owns (so a device writing late, or more than it says, can only touch our page),
 * and the bytes are copied out to the caller. A request completes in one of two ways:
 *  - VIRTIO_RNG_WAIT_IRQ: the queue's callback runs from the device's interrupt (interrupt
 *    context, IRQs off). The virtqueue lock is not taken in interrupt context
 *    (virtio_ring.h, Locking), so the callback only marks "done"; the waiter, spinning
 *    with IRQs on, sees the mark and collects the buffer with virtqueue_get_buf(). A mark
 *    with nothing to collect (a late interrupt for an earlier request) is cleared and the
 *    wait goes on, so every request in this mode is completed by a callback of its own.
 *  - VIRTIO_RNG_POLL: callbacks are disabled (a hint: the device need not interrupt) and the
 *    waiter spins on the used ring.
 * Waiting without a scheduler: there is nothing to sleep on, so the caller spins
 * (arch_cpu_relax()) with IRQs on. Where the core polls the device (VIRTIO_IRQ_POLL: no
 * interrupt the platform can take) its poll work runs only from the idle loop or the
 * workqueue, never while we spin; rather than running other CPUs' or the idle loop's
 * pending work from inside a request (which could be anything, a balloon inflating), the
 * waiter then polls the used ring itself: WAIT_IRQ behaves as POLL on such a device, and
 * the tests that need the interrupt path check the device's irq_mode first. The same
 * fallback applies to a caller that has IRQs off (no interrupt could reach it).
 * Every wait is bounded (VIRTIO_RNG_TIMEOUT_MS): a device that never answers gives
 * -ETIMEDOUT and a message; its request stays outstanding (the device owns the slice) and
 * is reclaimed by a later call if the device ever returns it.
 *
 * Locking: rng->req_lock (r) serialises requests and remove on one device. It is taken in
 * process context only, with IRQs on (so the interrupt that completes the request can
 * arrive on this CPU too) and held across the bounded wait; the virtqueue lock is taken
 * inside it. The callback takes no lock: it writes two atomics. The device table is
 * appended to by probes (the registry serialises them) and published with a release store
 * of nr_rng_devs; a slot belongs to one device for good (gone while it is unbound, live
 * again if it is bound again), so a pointer to it never names another device.
 */
#include "drivers/virtio/virtio_rng.h"
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/page_alloc.h"
#include "arch/arch.h"

#define VIRTIO_RNG_MAX_DEVS	8
/* One request in flight, but a ring that wraps often tests the ring (8 is plenty). */
#define VIRTIO_RNG_QUEUE_SIZE	8
/* virtio_rng_read(): a device that keeps returning 0 bytes is given up on after this. */
#define VIRTIO_RNG_EMPTY_LIMIT	16

struct virtio_rng {
	struct virtio_device *vdev;	/* the slot's device (c once the slot exists) */
	struct virtqueue *vq;		/* requestq, NULL while unbound (r) */
	struct page *page;		/* the driver's buffer page (r) */
	u8 *buf;			/* its first VIRTIO_RNG_REQ_MAX bytes (r) */
	spinlock_t req_lock;		/* serialises requests; see the top of the file */
	bool gone;			/* removed: no more requests (r) */
	bool live;			/* the device reported DRIVER_OK once (r) */
	bool outstanding;		/* a timed-out request is still with the device (r) */
	u32 done;			/* callback -> waiter: a completion to collect (l) */
	u64 callbacks;			/* callbacks run (l: atomic) */
	u64 requests;			/* requests completed (r) */
	u64 bytes;			/* bytes returned (r) */
	u64 timeouts;			/* requests not answered in time (r) */
};

static struct virtio_rng rng_devs[VIRTIO_RNG_MAX_DEVS];
static unsigned int nr_rng_devs;	/* entries in use (written by probe: release) */

unsigned int virtio_rng_count(void)
{
	return __atomic_load_n(&nr_rng_devs, __ATOMIC_ACQUIRE);
}

struct virtio_rng *virtio_rng_get(unsigned int i)
{
	return i < virtio_rng_count() ? &rng_devs[i] : NULL;
}

struct virtio_device *virtio_rng_vdev(struct virtio_rng *rng)
{
	return rng->vdev;
}

void virtio_rng_get_stats(struct virtio_rng *rng, struct virtio_rng_stats *out)
{
	out->requests = READ_ONCE(rng->requests);
	out->callbacks = __atomic_load_n(&rng->callbacks, __ATOMIC_RELAXED);
	out->bytes = READ_ONCE(rng->bytes);
	out->timeouts = READ_ONCE(rng->timeouts);
}

/*
 * The device used a buffer. Context: interrupt context (or the core's poll), IRQs off; any
 * CPU. Takes no lock: the waiter collects.
 */
static void virtio_rng_done(struct virtqueue *vq)
{
	struct virtio_rng *rng = vq->priv;

	__atomic_fetch_add(&rng->callbacks, 1, __ATOMIC_RELAXED);
	/* Release: pairs with the waiter's acquire exchange (the count is seen with it). */
	__atomic_store_n(&rng->done, 1, __ATOMIC_RELEASE);
}

/* Take back a request that timed out, if the device has returned it. Caller holds req_lock. */
static bool __virtio_rng_reclaim(struct virtio_rng *rng)
{
	assert_spin_locked(&rng->req_lock);
	if (!rng->outstanding)
		return true;
	if (virtqueue_get_buf(rng->vq, NULL) != rng)
		return false;
	rng->outstanding = false;
	pr_info("virtio-rng: %s: the request that timed out came back; requests resume\n",
		rng->vdev->name);
	return true;
}

/*
 * One request on a live device whose earlier requests are all collected: add, kick, wait
 * (bounded), copy out. Return as virtio_rng_dev_read().
 * Context: process context; the caller holds rng->req_lock.
 */
static int __virtio_rng_request(struct virtio_rng *rng, void *buf, unsigned int len,
				enum virtio_rng_mode mode)
{
	bool polled = mode == VIRTIO_RNG_POLL, by_irq;
	struct vring_sg sg;
	void *back = NULL;
	u32 got = 0;
	u64 deadline;
	int err;

	assert_spin_locked(&rng->req_lock);
	by_irq = !polled && !arch_irqs_disabled() &&
		 (rng->vdev->irq_mode == VIRTIO_IRQ_LINE || rng->vdev->irq_mode == VIRTIO_IRQ_MSIX);
	if (polled)
		virtqueue_disable_cb(rng->vq);
	/* Before the buffer is added: a mark from now on is about this request or later. */
	__atomic_store_n(&rng->done, 0, __ATOMIC_RELAXED);
	sg.addr = __pa(rng->buf);
	sg.len = len;
	err = virtqueue_add_buf(rng->vq, &sg, 0, 1, rng);
	if (err)
		goto out;
	virtqueue_kick(rng->vq);

	deadline = arch_clock_ns() + VIRTIO_RNG_TIMEOUT_MS * 1000000ULL;
	for (;;) {
		/*
		 * Interrupt mode: look at the ring only once a callback said so. Acquire: what
		 * the device wrote before it interrupted is seen after the mark.
		 */
		if (!by_irq || __atomic_exchange_n(&rng->done, 0, __ATOMIC_ACQUIRE)) {
			back = virtqueue_get_buf(rng->vq, &got);
			if (back)
				break;
		}
		if (virtqueue_is_broken(rng->vq)) {
			err = -EIO;
			goto out;
		}
		if (arch_clock_ns() > deadline) {
			rng->outstanding = true;
			rng->timeouts++;
			pr_err("virtio-rng: %s: no answer to a %u-byte request in %u ms (%s, interrupts %s): "
			       "it stays with the device\n", rng->vdev->name, len,
			       VIRTIO_RNG_TIMEOUT_MS, by_irq ? "waiting for the interrupt" : "polling",
			       virtio_irq_mode_name(rng->vdev->irq_mode));
			err = -ETIMEDOUT;
			goto out;
		}
		arch_cpu_relax();
	}
	if (back != rng) {
		/* Only our token is ever added, so the ring code's checks make this impossible. */
		virtio_mark_broken(rng->vdev, "requestq returned token %p, not ours", back);
		err = -EIO;
		goto out;
	}
	/* virtqueue_get_buf() bounds got by the buffer's length: got <= len. */
	memcpy(buf, rng->buf, got);
	rng->requests++;
	rng->bytes += got;
	err = (int)got;
out:
	if (polled)
		virtqueue_enable_cb(rng->vq);	/* nothing is pending: ours was collected */
	return err;
}

int virtio_rng_dev_read(struct virtio_rng *rng, void *buf, unsigned int len,
			enum virtio_rng_mode mode)
{
	if (len == 0 || len > VIRTIO_RNG_REQ_MAX)
		return -EINVAL;
	guard(spinlock)(&rng->req_lock);
	if (rng->gone)
		return -ENODEV;
	if (virtqueue_is_broken(rng->vq) || virtio_is_broken(rng->vdev))
		return -EIO;
	if (!rng->live) {
		/* Probe publishes the device before the core sets DRIVER_OK (3.1.1 step 8). */
		if (!(rng->vdev->ops->get_status(rng->vdev) & VIRTIO_STATUS_DRIVER_OK))
			return -ENODEV;
		rng->live = true;
	}
	if (!__virtio_rng_reclaim(rng))
		return -EBUSY;
	return __virtio_rng_request(rng, buf, len, mode);
}

int virtio_rng_read(void *buf, unsigned int len, enum virtio_rng_mode mode)
{
	struct virtio_rng *rng = NULL;
	unsigned int done = 0, empty = 0;
	u8 *out = buf;

	for (unsigned int i = 0; i < virtio_rng_count(); i++) {
		if (!READ_ONCE(rng_devs[i].gone) && !virtio_is_broken(rng_devs[i].vdev)) {
			rng = &rng_devs[i];
			break;
		}
	}
	if (!rng)
		return -ENODEV;
	while (done < len) {
		int n = virtio_rng_dev_read(rng, out + done,
					    min_t(unsigned int, len - done, VIRTIO_RNG_REQ_MAX), mode);

		if (n < 0)
			return n;
		if (n == 0 && ++empty >= VIRTIO_RNG_EMPTY_LIMIT) {
			pr_err("virtio-rng: %s: %u requests in a row returned no bytes\n",
			       rng->vdev->name, empty);
			return -EIO;
		}
		if (n > 0)
			empty = 0;
		done += (unsigned int)n;
	}
	return (int)len;
}

/*
 * The slot for @vdev: the one it had before if it is bound again (so a device keeps its
 * index), else a new one; NULL when the table is full. Probes are serialised by the
 * registry, so the table is ours to read plainly here.
 */
static struct virtio_rng *virtio_rng_slot(struct virtio_device *vdev)
{
	unsigned int n = nr_rng_devs;

	for (unsigned int i = 0; i < n; i++)
		if (rng_devs[i].vdev == vdev && rng_devs[i].gone)
			return &rng_devs[i];
	if (n >= VIRTIO_RNG_MAX_DEVS)
		return NULL;
	memset(&rng_devs[n], 0, sizeof(rng_devs[n]));
	spin_lock_init(&rng_devs[n].req_lock, "virtio_rng");
	rng_devs[n].gone = true;	/* until probe has filled it in */
	rng_devs[n].vdev = vdev;
	/* Release: whoever finds the slot counted sees it initialised (and gone). */
	__atomic_store_n(&nr_rng_devs, n + 1, __ATOMIC_RELEASE);
	return &rng_devs[n];
}

/* Context: the core's probe, process context, no locks held; allocates. */
static int virtio_rng_probe(struct virtio_device *vdev)
{
	struct virtio_rng *rng = virtio_rng_slot(vdev);
	struct virtqueue *vq;
	struct page *page;

	if (!rng) {
		pr_err("virtio-rng: %s: already %u entropy devices: left alone\n", vdev->name,
		       VIRTIO_RNG_MAX_DEVS);
		return -ENOSPC;
	}
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page) {
		pr_err("virtio-rng: %s: no page for request buffers\n", vdev->name);
		return -ENOMEM;
	}
	vq = virtio_find_vq(vdev, 0, VIRTIO_RNG_QUEUE_SIZE, "requestq", virtio_rng_done);
	if (!vq) {
		__free_page(page);
		return -ENODEV;
	}
	/* No buffer is out yet, so no callback can run before this store. */
	vq->priv = rng;
	vdev->priv = rng;
	/* A caller that kept the slot from before waits here, then finds it live again. */
	guard(spinlock)(&rng->req_lock);
	rng->vq = vq;
	rng->page = page;
	rng->buf = page_address(page);
	rng->live = false;
	rng->outstanding = false;
	rng->gone = false;
	return 0;
}

/* Context: the core's remove path, the device already reset, IRQs on. */
static void virtio_rng_remove(struct virtio_device *vdev)
{
	struct virtio_rng *rng = vdev->priv;

	guard(spinlock)(&rng->req_lock);	/* a request in progress ends (bounded) first */
	rng->gone = true;
	/* The device is reset: a request it still held is ours again. */
	while (virtqueue_detach_unused_buf(rng->vq))
		;
	rng->outstanding = false;
	__free_page(rng->page);
	rng->page = NULL;
	rng->buf = NULL;
	rng->vq = NULL;
	vdev->priv = NULL;	/* rng->vdev stays: the slot is this device's if it comes back */
}

static struct virtio_driver virtio_rng_driver = {
	.name = "virtio-rng",
	.device_id = VIRTIO_ID_RNG,
	.probe = virtio_rng_probe,
	.remove = virtio_rng_remove,
};

void virtio_rng_exit(void)
{
	virtio_unregister_driver(&virtio_rng_driver);
}

void virtio_rng_init(void)
{
	unsigned int n;

	virtio_register_driver(&virtio_rng_driver);
	n = 0;
	for (unsigned int i = 0; i < virtio_rng_count(); i++)
		if (!rng_devs[i].gone)
			n++;
	if (n == 0)
		pr_info("virtio-rng: no entropy device\n");
	else
		pr_info("virtio-rng: %u entropy device%s bound\n", n, n == 1 ? "" : "s");
}
