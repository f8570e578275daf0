// SPDX-License-Identifier: MIT
/*
 * The virtio core: driver registry, the device status handshake and feature negotiation
 * (virtio 1.x 3.1), consistent config reads ("Device Configuration Space"), queue setup,
 * and the broken state.
 *
 * The handshake (3.1.1), for a device a transport registered and a driver that matches:
 *	reset; status ACKNOWLEDGE; status DRIVER;
 *	read the offered features, keep those the driver and the core understand;
 *	write them; modern: set FEATURES_OK and re-read it (a device that cannot work with
 *	that subset clears it); the driver's probe sets up its queues; status DRIVER_OK.
 * On a modern transport the device must offer VERSION_1 and the driver accepts it; a
 * legacy transport has no FEATURES_OK step and VERSION_1 does not exist there (its
 * feature word is 32 bits wide). Any failure sets FAILED, resets the device, frees its
 * queues and leaves it unbound, with a message naming the device and the step.
 *
 * Interrupts: the transport routes the device's interrupts to the dispatch functions below
 * (setup_irqs, then per queue in queue_activate): MSI-X with a vector per queue where the
 * device's table has room, or one wired line whose handler reads the ISR. Where there is no
 * interrupt the platform can take (x86_64 has no IOAPIC driver, so a PCI device without
 * MSI-X; a transport without setup_irqs), the core polls: delayed work reads the ISR every
 * tick and dispatches as a handler would, so drivers see one interface (callbacks in
 * interrupt context, IRQs off) and lose at most a tick of latency. A config change the
 * device signals before DRIVER_OK is kept pending and delivered at DRIVER_OK.
 *
 * Locking: see virtio.h. virtio_registry_lock guards the two lists and vdev->driver;
 * probes and removes run outside it, on a device the caller claimed under it.
 */
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/bug.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "arch/arch.h"

static DEFINE_SPINLOCK(virtio_registry_lock);
static LIST_HEAD(virtio_drivers);	/* registered drivers (s: virtio_registry_lock) */
static LIST_HEAD(virtio_devices);	/* registered devices (s: virtio_registry_lock) */

const char *virtio_status_str(u8 status, char *buf, unsigned int size)
{
	static const char *const names[8] = {
		"ACKNOWLEDGE", "DRIVER", "DRIVER_OK", "FEATURES_OK", "bit4", "bit5",
		"NEEDS_RESET", "FAILED",
	};
	unsigned int n = 0;

	strlcpy(buf, "0", size);
	for (unsigned int b = 0; b < 8 && n < size; b++)
		if (status & (1u << b))
			n += snprintf(buf + n, size - n, "%s%s", n ? "|" : "", names[b]);
	return buf;
}

void virtio_mark_broken(struct virtio_device *vdev, const char *fmt, ...)
{
	va_list ap;

	guard(spinlock_irqsave)(&vdev->lock);
	if (vdev->broken)
		return;		/* the first rule broken is the one worth reading */
	va_start(ap, fmt);
	vsnprintf(vdev->broken_msg, sizeof(vdev->broken_msg), fmt, ap);
	va_end(ap);
	WRITE_ONCE(vdev->broken, true);
	pr_err("virtio: %s: broken: %s\n", vdev->name, vdev->broken_msg);
}

/* ---- Interrupts ---- */

#define VIRTIO_CONFIG_ENABLED	0x1	/* the driver is live: deliver config changes */
#define VIRTIO_CONFIG_PENDING	0x2	/* a change not delivered yet */

const char *virtio_irq_mode_name(enum virtio_irq_mode mode)
{
	switch (mode) {
	case VIRTIO_IRQ_MSIX:	return "msix";
	case VIRTIO_IRQ_LINE:	return "line";
	case VIRTIO_IRQ_POLL:	return "poll";
	default:		return "none";
	}
}

bool virtio_vring_interrupt_all(struct virtio_device *vdev)
{
	bool any = false;

	for (unsigned int i = 0; i < VIRTIO_MAX_VQS; i++) {
		struct virtqueue *vq = virtio_vq_at(vdev, i);

		if (vq && vring_interrupt(vq))
			any = true;
	}
	return any;
}

/* Whoever clears PENDING while ENABLED is set delivers that change, exactly once. */
static void virtio_config_deliver(struct virtio_device *vdev)
{
	struct virtio_driver *drv;

	if (!(__atomic_fetch_and(&vdev->config_state, ~VIRTIO_CONFIG_PENDING, __ATOMIC_SEQ_CST) &
	      VIRTIO_CONFIG_PENDING))
		return;
	drv = READ_ONCE(vdev->driver);
	if (drv && drv->config_changed)
		drv->config_changed(vdev);
}

void virtio_config_changed(struct virtio_device *vdev)
{
	u32 old = __atomic_fetch_or(&vdev->config_state, VIRTIO_CONFIG_PENDING, __ATOMIC_SEQ_CST);

	if (old & VIRTIO_CONFIG_ENABLED)
		virtio_config_deliver(vdev);
}

void virtio_isr_dispatch(struct virtio_device *vdev, u32 isr)
{
	bool any = false;

	if (isr & VIRTIO_ISR_CONFIG) {
		virtio_config_changed(vdev);
		any = true;
	}
	/*
	 * Look at every queue even when the queue bit is clear: a used buffer costs nothing
	 * to look for, and a device that forgets the bit loses no completion.
	 */
	if (virtio_vring_interrupt_all(vdev) || (isr & VIRTIO_ISR_QUEUE))
		any = true;
	if (any)
		__atomic_fetch_add(&vdev->nr_interrupts, 1, __ATOMIC_RELAXED);
}

static void virtio_poll_fn(struct work_struct *work)
{
	struct virtio_device *vdev = container_of(to_delayed_work(work), struct virtio_device,
						  poll_work);
	unsigned long flags;
	u32 isr;

	if (__atomic_load_n(&vdev->poll_stop, __ATOMIC_ACQUIRE))
		return;
	/* As an interrupt handler would run: callbacks expect IRQs off. */
	flags = arch_local_irq_save();
	isr = vdev->ops->read_isr ? vdev->ops->read_isr(vdev) : VIRTIO_ISR_QUEUE;
	virtio_isr_dispatch(vdev, isr);
	arch_local_irq_restore(flags);
	queue_delayed_work_on(smp_processor_id(), &vdev->poll_work, WORK_TICK_MS);
}

/* Before the driver's probe: interrupts from the transport, or polling. */
static void virtio_setup_irqs(struct virtio_device *vdev)
{
	int err = -EOPNOTSUPP;

	vdev->irq_mode = VIRTIO_IRQ_NONE;
	if (vdev->ops->setup_irqs)
		err = vdev->ops->setup_irqs(vdev);
	if (!err && vdev->irq_mode != VIRTIO_IRQ_NONE)
		return;
	pr_info("virtio: %s: no interrupt the platform can take (%d): completions polled every %u ms\n",
		vdev->name, err, WORK_TICK_MS);
	vdev->irq_mode = VIRTIO_IRQ_POLL;
	__atomic_store_n(&vdev->poll_stop, false, __ATOMIC_RELEASE);
	INIT_DELAYED_WORK(&vdev->poll_work, virtio_poll_fn);
	queue_delayed_work_on(smp_processor_id(), &vdev->poll_work, WORK_TICK_MS);
}

/* The device is reset: after this no handler or poll of it runs. */
static void virtio_free_irqs(struct virtio_device *vdev)
{
	__atomic_fetch_and(&vdev->config_state, ~VIRTIO_CONFIG_ENABLED, __ATOMIC_SEQ_CST);
	if (vdev->irq_mode == VIRTIO_IRQ_POLL) {
		__atomic_store_n(&vdev->poll_stop, true, __ATOMIC_RELEASE);
		cancel_delayed_work_sync(&vdev->poll_work);
	} else if (vdev->irq_mode != VIRTIO_IRQ_NONE && vdev->ops->free_irqs) {
		vdev->ops->free_irqs(vdev);
	}
	vdev->irq_mode = VIRTIO_IRQ_NONE;
	__atomic_store_n(&vdev->config_state, 0, __ATOMIC_SEQ_CST);
}

/* At DRIVER_OK: config changes reach the driver from now on, one kept pending first. */
static void virtio_config_enable(struct virtio_device *vdev)
{
	unsigned long flags;

	__atomic_fetch_or(&vdev->config_state, VIRTIO_CONFIG_ENABLED, __ATOMIC_SEQ_CST);
	flags = arch_local_irq_save();		/* the callback's context, as in a handler */
	virtio_config_deliver(vdev);
	arch_local_irq_restore(flags);
}

/* Set status bits on top of what the device reports, as 3.1.1 does step by step. */
static void virtio_add_status(struct virtio_device *vdev, u8 bits)
{
	vdev->ops->set_status(vdev, vdev->ops->get_status(vdev) | bits);
}

int virtio_cread(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len)
{
	const struct virtio_config_ops *ops = vdev->ops;
	u8 again[16];

	if (virtio_is_broken(vdev))
		return -EIO;
	if (offset > vdev->config_len || len > vdev->config_len - offset ||
	    len > sizeof(again)) {
		pr_err("virtio: %s: config read of %u bytes at %u outside its %u bytes\n",
		       vdev->name, len, offset, vdev->config_len);
		return -EINVAL;
	}
	if (len == 0)
		return 0;	/* nothing to read, and nothing a legacy re-read could compare */

	if (ops->generation) {
		/*
		 * Reads wider than 32 bits, or of several fields, are not atomic ("Device
		 * Configuration Space");
		 * the generation counter is the same before and after only if the device
		 * did not change the config in between.
		 */
		for (unsigned int tries = 0; tries < VIRTIO_CONFIG_RETRIES; tries++) {
			u32 before = ops->generation(vdev), after;

			ops->read_config(vdev, offset, buf, len);
			after = ops->generation(vdev);
			if (before == after)
				return 0;
		}
		virtio_mark_broken(vdev, "config generation changed during each of %u reads of "
				   "%u bytes at %u: it never settles",
				   VIRTIO_CONFIG_RETRIES, len, offset);
		return -EIO;
	}

	/*
	 * Legacy has no generation counter (that section's legacy note): read until two
	 * reads in a row agree.
	 */
	ops->read_config(vdev, offset, buf, len);
	for (unsigned int tries = 0; tries < VIRTIO_CONFIG_RETRIES; tries++) {
		ops->read_config(vdev, offset, again, len);
		if (!memcmp(buf, again, len))
			return 0;
		memcpy(buf, again, len);
	}
	virtio_mark_broken(vdev, "legacy config: %u pairs of reads of %u bytes at %u never agreed",
			   VIRTIO_CONFIG_RETRIES, len, offset);
	return -EIO;
}

void virtio_cwrite(struct virtio_device *vdev, unsigned int offset, const void *buf,
		   unsigned int len)
{
	if (virtio_is_broken(vdev))
		return;
	if (offset > vdev->config_len || len > vdev->config_len - offset) {
		pr_err("virtio: %s: config write of %u bytes at %u outside its %u bytes\n",
		       vdev->name, len, offset, vdev->config_len);
		return;
	}
	vdev->ops->write_config(vdev, offset, buf, len);
}

struct virtqueue *virtio_find_vq(struct virtio_device *vdev, unsigned int index,
				 unsigned int num_max, const char *name,
				 void (*callback)(struct virtqueue *vq))
{
	unsigned int num;
	struct virtqueue *vq;
	int err;

	if (virtio_is_broken(vdev))
		return NULL;
	/* The driver's mistake, not the device's: checked before asking the device. */
	if (index >= VIRTIO_MAX_VQS || virtio_vq_at(vdev, index)) {
		pr_err("virtio: %s: queue %u (%s): index taken or above %u\n", vdev->name,
		       index, name, VIRTIO_MAX_VQS - 1);
		return NULL;
	}
	num = vdev->ops->queue_max_size(vdev, index);
	if (num == 0) {
		virtio_mark_broken(vdev, "queue %u (%s): the device has no such queue (size 0)",
				   index, name);
		return NULL;
	}
	if (num & (num - 1)) {
		virtio_mark_broken(vdev, "queue %u (%s): size %u is not a power of two (split ring, 2.7)",
				   index, name, num);
		return NULL;
	}
	if (num > VIRTQUEUE_MAX_SIZE) {
		virtio_mark_broken(vdev, "queue %u (%s): size %u is above the maximum %u (2.7)",
				   index, name, num, VIRTQUEUE_MAX_SIZE);
		return NULL;
	}
	/* A smaller ring if the driver wants one and the transport can say so. */
	if (num_max && !vdev->fixed_queue_size)
		while (num > num_max && num > 1)
			num /= 2;

	vq = vring_create_virtqueue(vdev, index, num, vdev->legacy,
				    virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX), name, callback);
	if (!vq)
		return NULL;
	/* Handlers find it from now on; it has no used buffers until the driver adds some. */
	__atomic_store_n(&vdev->vq_table[index], vq, __ATOMIC_RELEASE);
	err = vdev->ops->queue_activate(vdev, vq);
	if (err) {
		pr_err("virtio: %s: queue %u (%s): the transport could not set it up (%d)\n",
		       vdev->name, index, name, err);
		/*
		 * A handler may be looking at it: it is freed only once the device's
		 * interrupts are (the failed probe's virtio_del_vqs), so park it on the list.
		 */
		list_add_tail(&vq->node, &vdev->vqs);
		return NULL;
	}
	list_add_tail(&vq->node, &vdev->vqs);
	return vq;
}

void virtio_del_vqs(struct virtio_device *vdev)
{
	struct virtqueue *vq, *tmp;

	/* No handler may look at a queue being freed (a no-op when already done). */
	virtio_free_irqs(vdev);
	list_for_each_entry_safe(vq, tmp, &vdev->vqs, node) {
		list_del(&vq->node);
		__atomic_store_n(&vdev->vq_table[vq->index], NULL, __ATOMIC_RELEASE);
		vdev->ops->queue_deactivate(vdev, vq);
		vring_del_virtqueue(vq);
	}
}

/* The feature bits a driver and the core accept on this transport. */
static u64 virtio_wanted_features(const struct virtio_device *vdev,
				  const struct virtio_driver *drv)
{
	u64 wanted = BIT(VIRTIO_F_EVENT_IDX);

	for (unsigned int i = 0; i < drv->nr_features; i++)
		if (drv->feature_table[i] < 64)
			wanted |= BIT(drv->feature_table[i]);
	if (!vdev->legacy) {
		wanted |= BIT(VIRTIO_F_VERSION_1);
		/*
		 * We hand the device physical addresses and have no IOMMU: what the platform
		 * translates is the identity, so accepting this changes nothing for us, and a
		 * device that offers it may refuse FEATURES_OK without it ("Reserved Feature Bits").
		 */
		wanted |= BIT(VIRTIO_F_ACCESS_PLATFORM);
	}
	return wanted;
}

/* Reads of the status while a reset completes: bounded, not forever. */
#define VIRTIO_RESET_POLL_LIMIT	1000000u

u8 virtio_reset_device(struct virtio_device *vdev)
{
	u8 status = 0;

	vdev->ops->reset(vdev);
	/* Reading it back also flushes the write on transports that post writes (PCI). */
	for (unsigned int i = 0; i < VIRTIO_RESET_POLL_LIMIT; i++) {
		status = vdev->ops->get_status(vdev);
		if (status == 0)
			break;
		arch_cpu_relax();
	}
	return status;
}

const char *virtio_device_type_name(u32 id)
{
	switch (id) {
	case VIRTIO_ID_NET:	return "net";
	case VIRTIO_ID_BLOCK:	return "block";
	case VIRTIO_ID_CONSOLE:	return "console";
	case VIRTIO_ID_RNG:	return "entropy";
	case VIRTIO_ID_BALLOON:	return "balloon";
	default:		return "other";
	}
}

/*
 * The handshake of 3.1.1, then the driver's probe. 0 with the device live (DRIVER_OK), or
 * -errno with it reset and its queues freed.
 * Context: any CPU, no locks held; the caller claimed vdev for drv.
 */
static int virtio_dev_probe(struct virtio_device *vdev, struct virtio_driver *drv)
{
	const struct virtio_config_ops *ops = vdev->ops;
	const char *step;
	u64 offered, features;
	char sbuf[64];
	bool probed = false;
	u8 status;
	int err = -EIO;

	status = virtio_reset_device(vdev);
	if (status != 0) {
		virtio_mark_broken(vdev, "status reads %s after reset, not 0",
				   virtio_status_str(status, sbuf, sizeof(sbuf)));
		return -EIO;
	}
	virtio_add_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_STATUS_DRIVER);

	offered = ops->get_features(vdev);
	if (vdev->legacy) {
		/* The legacy feature word is 32 bits; bits above it do not exist there. */
		offered &= 0xffffffffu;
	} else if (!(offered & BIT(VIRTIO_F_VERSION_1))) {
		step = "a modern transport but the device does not offer VERSION_1";
		goto fail;
	}
	features = offered & virtio_wanted_features(vdev, drv);
	vdev->features = features;
	err = ops->finalize_features(vdev, features);
	if (err) {
		step = "the transport could not write the features";
		goto fail;
	}
	if (!vdev->legacy) {
		virtio_add_status(vdev, VIRTIO_STATUS_FEATURES_OK);
		status = ops->get_status(vdev);
		if (!(status & VIRTIO_STATUS_FEATURES_OK)) {
			pr_err("virtio: %s: features 0x%llx (of 0x%llx offered) not accepted: status %s\n",
			       vdev->name, (unsigned long long)features,
			       (unsigned long long)offered,
			       virtio_status_str(status, sbuf, sizeof(sbuf)));
			step = "FEATURES_OK did not stay set (3.1.1)";
			err = -EIO;
			goto fail;
		}
	}

	virtio_setup_irqs(vdev);
	err = drv->probe(vdev);
	if (err) {
		step = "the driver's probe failed";
		goto fail;
	}
	probed = true;
	if (virtio_is_broken(vdev)) {
		step = "the device broke a rule during probe";
		err = -EIO;
		goto fail;
	}
	virtio_add_status(vdev, VIRTIO_STATUS_DRIVER_OK);
	virtio_config_enable(vdev);
	pr_info("virtio: %s: %s bound, features 0x%llx, %s, interrupts: %s\n", vdev->name,
		drv->name, (unsigned long long)features, vdev->legacy ? "legacy" : "modern",
		virtio_irq_mode_name(vdev->irq_mode));
	return 0;

fail:
	pr_err("virtio: %s: %s: %s (%d); device reset\n", vdev->name, drv->name, step, err);
	virtio_add_status(vdev, VIRTIO_STATUS_FAILED);
	virtio_reset_device(vdev);
	virtio_free_irqs(vdev);
	if (probed)
		drv->remove(vdev);	/* as on unregister: with the device reset */
	virtio_del_vqs(vdev);
	vdev->features = 0;
	return err ? err : -EIO;
}

/* Under the registry lock: claim a device drv may probe, or NULL. */
static struct virtio_device *__virtio_claim_device(struct virtio_driver *drv)
{
	struct virtio_device *vdev;

	assert_spin_locked(&virtio_registry_lock);
	list_for_each_entry(vdev, &virtio_devices, node) {
		if (vdev->driver || vdev->device_id != drv->device_id ||
		    vdev->failed_driver == drv || virtio_is_broken(vdev))
			continue;	/* bound, not ours, failed us before, or left alone */
		vdev->driver = drv;
		return vdev;
	}
	return NULL;
}

static void virtio_bind(struct virtio_device *vdev, struct virtio_driver *drv)
{
	if (virtio_dev_probe(vdev, drv) == 0)
		return;
	guard(spinlock_irqsave)(&virtio_registry_lock);
	vdev->driver = NULL;
	vdev->failed_driver = drv;
}

void virtio_register_driver(struct virtio_driver *drv)
{
	struct virtio_device *vdev;

	scoped_guard(spinlock_irqsave, &virtio_registry_lock)
		list_add_tail(&drv->node, &virtio_drivers);
	for (;;) {
		scoped_guard(spinlock_irqsave, &virtio_registry_lock)
			vdev = __virtio_claim_device(drv);
		if (!vdev)
			break;
		virtio_bind(vdev, drv);
	}
}

int virtio_register_device(struct virtio_device *vdev)
{
	const struct virtio_config_ops *ops = vdev->ops;
	struct virtio_driver *drv, *match = NULL;

	if (!ops || !ops->get_status || !ops->set_status || !ops->reset || !ops->get_features ||
	    !ops->finalize_features || !ops->read_config || !ops->write_config ||
	    !ops->queue_max_size || !ops->queue_activate || !ops->queue_deactivate ||
	    !ops->notify) {
		pr_err("virtio: %s: transport lacks an operation; not registered\n", vdev->name);
		return -EINVAL;
	}
	INIT_LIST_HEAD(&vdev->vqs);
	spin_lock_init(&vdev->lock, "virtio_device");
	vdev->driver = NULL;
	vdev->failed_driver = NULL;
	vdev->features = 0;
	vdev->broken = false;
	vdev->broken_msg[0] = '\0';
	vdev->irq_mode = VIRTIO_IRQ_NONE;
	vdev->config_state = 0;
	vdev->nr_interrupts = 0;
	for (unsigned int i = 0; i < VIRTIO_MAX_VQS; i++)
		vdev->vq_table[i] = NULL;

	scoped_guard(spinlock_irqsave, &virtio_registry_lock) {
		list_add_tail(&vdev->node, &virtio_devices);
		list_for_each_entry(drv, &virtio_drivers, node) {
			if (drv->device_id == vdev->device_id) {
				match = drv;
				vdev->driver = drv;
				break;
			}
		}
	}
	if (match)
		virtio_bind(vdev, match);
	return 0;
}

/*
 * Undo a bind: stop the device before anyone frees what it could still be reading or
 * writing, then let the driver take back its buffers, then free the queues.
 */
static void virtio_unbind(struct virtio_device *vdev, struct virtio_driver *drv)
{
	virtio_reset_device(vdev);
	virtio_free_irqs(vdev);		/* no callback from here on */
	if (drv)
		drv->remove(vdev);
	virtio_del_vqs(vdev);
	vdev->features = 0;
}

void virtio_unregister_device(struct virtio_device *vdev)
{
	struct virtio_driver *drv;

	scoped_guard(spinlock_irqsave, &virtio_registry_lock) {
		list_del(&vdev->node);
		drv = vdev->driver;
	}
	virtio_unbind(vdev, drv);
	vdev->driver = NULL;
}

void virtio_unregister_driver(struct virtio_driver *drv)
{
	struct virtio_device *vdev, *it;

	scoped_guard(spinlock_irqsave, &virtio_registry_lock)
		list_del(&drv->node);
	for (;;) {
		vdev = NULL;
		scoped_guard(spinlock_irqsave, &virtio_registry_lock) {
			list_for_each_entry(it, &virtio_devices, node) {
				if (it->failed_driver == drv)
					it->failed_driver = NULL;
				if (it->driver == drv && !vdev)
					vdev = it;
			}
		}
		if (!vdev)
			break;
		virtio_unbind(vdev, drv);
		scoped_guard(spinlock_irqsave, &virtio_registry_lock)
			vdev->driver = NULL;
	}
}

void virtio_for_each_device(void (*fn)(struct virtio_device *vdev, void *arg), void *arg)
{
	struct virtio_device *vdev;

	/*
	 * Devices are added at boot and removed only by their transport; the listing holds
	 * the lock so the list is stable, and fn must not register or unregister.
	 */
	guard(spinlock_irqsave)(&virtio_registry_lock);
	list_for_each_entry(vdev, &virtio_devices, node)
		fn(vdev, arg);
}
