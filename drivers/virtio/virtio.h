/* SPDX-License-Identifier: MIT */
/*
 * The virtio core: a device as the transports (virtio_pci, virtio_mmio) present it, the
 * operations a transport provides, and the driver registry that binds device drivers to
 * devices (virtio 1.x sections 2 and 3; legacy per their "Legacy Interface" subsections).
 *
 * The core does everything that is the same on every transport: the status handshake and
 * feature negotiation of section 3.1, config-space reads that honour the generation counter,
 * queue setup in the layout the transport needs, and the `broken` state a device enters when
 * it breaks a rule. A device is never trusted: a broken device is left alone (its queues
 * refuse new work and return nothing), and the message says which device and which rule.
 *
 * Locking: the registry (drivers, devices, vdev->driver) is under virtio_registry_lock,
 * taken only around list changes, never around a probe or an allocation. vdev->lock guards
 * the broken message and is a leaf lock (taken inside a virtqueue lock). Everything else in
 * struct virtio_device is written by the probe/remove path of its one device, which the
 * registry serialises by claiming the device (vdev->driver) before it probes.
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_H
#define DRIVERS_VIRTIO_VIRTIO_H

#include "kernel/compiler.h"
#include "kernel/lib/list.h"
#include "kernel/spinlock.h"
#include "kernel/workqueue.h"

/* Device status bits (virtio 1.x 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	0x01	/* the guest found the device */
#define VIRTIO_STATUS_DRIVER		0x02	/* the guest knows how to drive it */
#define VIRTIO_STATUS_DRIVER_OK		0x04	/* the driver is ready */
#define VIRTIO_STATUS_FEATURES_OK	0x08	/* features negotiated (not on legacy) */
#define VIRTIO_STATUS_NEEDS_RESET	0x40	/* the device gave up; reset it */
#define VIRTIO_STATUS_FAILED		0x80	/* the driver gave up on the device */

/* Reserved (transport and ring) feature bits the core itself understands (6). */
#define VIRTIO_F_INDIRECT_DESC		28	/* not used: chains are direct */
#define VIRTIO_F_EVENT_IDX		29	/* used_event / avail_event suppression */
#define VIRTIO_F_VERSION_1		32	/* a modern (1.x) device */
#define VIRTIO_F_ACCESS_PLATFORM	33	/* device addresses go through the platform */

/* Device ids (5). */
#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2
#define VIRTIO_ID_CONSOLE		3
#define VIRTIO_ID_RNG			4
#define VIRTIO_ID_BALLOON		5

#define VIRTIO_BROKEN_MSG_MAX		160

struct virtio_device;
struct virtqueue;
struct vring_layout;

/*
 * What a transport does for the core. Every function is called with no virtio lock held
 * except notify (which may run under the virtqueue lock's caller: see virtqueue_kick()).
 * Config offsets are relative to the device-specific configuration space.
 */
struct virtio_config_ops {
	u8 (*get_status)(struct virtio_device *vdev);
	void (*set_status)(struct virtio_device *vdev, u8 status);
	/* Write 0 to the status; virtio_reset_device() waits for it to read back 0. */
	void (*reset)(struct virtio_device *vdev);
	/* All 64 feature bits the device offers (legacy: the 32 it has). */
	u64 (*get_features)(struct virtio_device *vdev);
	/* Write the driver's accepted features; 0 or -errno. */
	int (*finalize_features)(struct virtio_device *vdev, u64 features);
	/* The configuration generation counter; NULL on legacy transports (they have none). */
	u32 (*generation)(struct virtio_device *vdev);
	/* Copy len bytes of device config at offset into buf, in the transport's own widths. */
	void (*read_config)(struct virtio_device *vdev, unsigned int offset, void *buf,
			    unsigned int len);
	void (*write_config)(struct virtio_device *vdev, unsigned int offset,
			     const void *buf, unsigned int len);
	/* The device's largest size for queue index, 0 if the queue does not exist. */
	unsigned int (*queue_max_size)(struct virtio_device *vdev, unsigned int index);
	/*
	 * Tell the device where the queue lives (vq->layout: three areas on a modern
	 * transport, one 4096-aligned region given as a PFN on a legacy one) and enable it;
	 * 0 or -errno (e.g. an address the transport's registers cannot hold).
	 */
	int (*queue_activate)(struct virtio_device *vdev, struct virtqueue *vq);
	/* Disable a queue the device was told about (legacy: QueuePFN 0); before it is freed. */
	void (*queue_deactivate)(struct virtio_device *vdev, struct virtqueue *vq);
	/* Ring the queue's doorbell. */
	void (*notify)(struct virtqueue *vq);

	/*
	 * Interrupts (virtio.c, "Interrupts"). All three may be NULL: the core then polls.
	 * setup_irqs: route the device's config-change interrupt and (as queue_activate
	 * tells the device about each queue) its queue interrupts to the core's dispatch
	 * functions below, and set vdev->irq_mode; -errno when the platform can take none of
	 * the device's interrupts (the core then polls, and says so once). Called after
	 * feature negotiation, before the driver's probe creates queues.
	 * free_irqs: undo it; on return no handler of the device runs or will run. Called
	 * with the device reset, before its queues are freed.
	 * read_isr: read the ISR status (bit 0: a queue, bit 1: the config changed), which
	 * also acknowledges it; for line interrupts and polling. NULL: cannot be polled.
	 */
	int (*setup_irqs)(struct virtio_device *vdev);
	void (*free_irqs)(struct virtio_device *vdev);
	u32 (*read_isr)(struct virtio_device *vdev);
};

/* The ISR status bits (4.1.4.5, 4.2.2 InterruptStatus). */
#define VIRTIO_ISR_QUEUE		0x1
#define VIRTIO_ISR_CONFIG		0x2

/* How a device's completions and config changes reach the core. */
enum virtio_irq_mode {
	VIRTIO_IRQ_NONE,	/* not set up yet (or torn down) */
	VIRTIO_IRQ_MSIX,	/* MSI-X: a vector for config changes, one per queue where
				   the table has room, the rest sharing one */
	VIRTIO_IRQ_LINE,	/* one wired line (PCI INTx, a virtio-mmio slot): read the ISR */
	VIRTIO_IRQ_POLL,	/* no interrupt: the core reads the ISR every tick */
};

/* Queue indices a device may use; the balloon has the most (5). */
#define VIRTIO_MAX_VQS			8

/* A device as a transport found it. The transport owns the memory and fills the (c) fields. */
struct virtio_device {
	char name[24];				/* "virtio0", for messages (c) */
	u32 device_id;				/* VIRTIO_ID_* (c) */
	u32 vendor_id;				/* subsystem vendor, for lspci-style output (c) */
	bool legacy;				/* a legacy (0.9.5) transport interface (c) */
	bool fixed_queue_size;			/* the transport cannot shrink a queue (c) */
	unsigned int config_len;		/* bytes of device config space, bounds reads (c) */
	const struct virtio_config_ops *ops;	/* the transport (c) */
	void *transport;			/* the transport's own state (c) */

	struct list_head node;			/* registry list (s: registry) */
	struct virtio_driver *driver;		/* bound (or being probed) driver (s: registry) */
	struct virtio_driver *failed_driver;	/* its probe failed: not retried (s: registry) */
	void *priv;				/* the driver's state (probe/remove) */
	u64 features;				/* negotiated features (probe/remove) */
	struct list_head vqs;			/* its virtqueues (probe/remove) */

	/*
	 * Interrupts. irq_mode and the poll fields belong to the probe/remove path; vq_table
	 * is written there too (release stores) and read by handlers on any CPU (acquire
	 * loads): a queue is published before the device is told about it and unpublished
	 * only after free_irqs. config_state is changed by atomics only.
	 */
	enum virtio_irq_mode irq_mode;
	unsigned int irq;			/* LINE: the irq number; MSIX: the config vector's */
	struct virtqueue *vq_table[VIRTIO_MAX_VQS];
	u32 config_state;			/* VIRTIO_CONFIG_* bits (l: atomic) */
	struct delayed_work poll_work;		/* VIRTIO_IRQ_POLL: re-armed every tick */
	bool poll_stop;				/* poll_work must not re-arm (l: atomic) */
	u64 nr_interrupts;			/* interrupts (or polls) that found work (l: atomic) */

	bool broken;				/* broke a rule: left alone (l: set once) */
	spinlock_t lock;			/* guards broken_msg; a leaf lock */
	char broken_msg[VIRTIO_BROKEN_MSG_MAX];	/* the first rule broken (s: lock) */
};

/*
 * A device driver. feature_table lists the device feature bits (0..23 and 50..127 are
 * device-specific) the driver understands: only offered bits in it are accepted, plus the
 * core's own. probe runs after FEATURES_OK, before DRIVER_OK; it sets up its queues with
 * virtio_find_vq(). remove runs with the device already reset.
 */
struct virtio_driver {
	const char *name;
	u32 device_id;
	const unsigned int *feature_table;
	unsigned int nr_features;
	int (*probe)(struct virtio_device *vdev);
	void (*remove)(struct virtio_device *vdev);
	/*
	 * The device changed its config (a balloon's target, say), or NULL. Delivered only
	 * between DRIVER_OK and remove; a change signalled before DRIVER_OK is delivered then.
	 * Context: interrupt context (or the poll work), IRQs off: queue work, do not wait.
	 */
	void (*config_changed)(struct virtio_device *vdev);
	struct list_head node;			/* registry list (s: registry) */
};

/*
 * Registry. Both bind every matching pair they complete; a failed probe leaves the device
 * reset and unbound. Context: any CPU, no locks held; a probe allocates.
 */
void virtio_register_driver(struct virtio_driver *drv);
/* Unbind it from every device (reset, remove, queues freed) and forget it. */
void virtio_unregister_driver(struct virtio_driver *drv);
/* A transport found a device: 0, or -errno if its fields are unusable. */
int virtio_register_device(struct virtio_device *vdev);
/* Unbind (remove, reset, free the queues) and forget the device. */
void virtio_unregister_device(struct virtio_device *vdev);
/* Call fn for every registered device (for a shell listing). Context: no locks held. */
void virtio_for_each_device(void (*fn)(struct virtio_device *vdev, void *arg), void *arg);

static inline bool virtio_has_feature(const struct virtio_device *vdev, unsigned int bit)
{
	return bit < 64 && (vdev->features & BIT(bit));
}

/*
 * Mark the device broken: its queues stop, the first message is kept and printed as
 * "virtio: <name>: broken: <message>". Context: any; takes vdev->lock (a leaf).
 */
__printf(2, 3) void virtio_mark_broken(struct virtio_device *vdev, const char *fmt, ...);
static inline bool virtio_is_broken(const struct virtio_device *vdev)
{
	/* Set once, never cleared while the device is registered: a plain racy read is fine. */
	return READ_ONCE(vdev->broken);
}

/*
 * Read len bytes of device config at offset consistently: retried while the generation
 * counter (legacy: a second read) says the device changed it meanwhile, bounded by
 * VIRTIO_CONFIG_RETRIES; a config that never settles marks the device broken.
 * 0, -EINVAL for a range outside config_len, -EIO if the device is (or becomes) broken.
 */
#define VIRTIO_CONFIG_RETRIES	32
int virtio_cread(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len);
void virtio_cwrite(struct virtio_device *vdev, unsigned int offset, const void *buf,
		   unsigned int len);

/*
 * Set up queue index with at most num_max entries (0: the device's maximum), in the layout
 * the transport needs, and tell the device about it. callback runs from vring_interrupt()
 * when the device used buffers. NULL (with a message) on failure. Context: probe, no locks.
 */
struct virtqueue *virtio_find_vq(struct virtio_device *vdev, unsigned int index,
				 unsigned int num_max, const char *name,
				 void (*callback)(struct virtqueue *vq));
/* Deactivate and free every queue of the device. Context: remove/failure paths, no locks. */
void virtio_del_vqs(struct virtio_device *vdev);

/*
 * Dispatch, for transports' interrupt handlers (any CPU, interrupt context, no locks):
 * virtio_vring_interrupt_all() runs vring_interrupt() on every queue of the device (true if
 * any had used buffers); virtio_config_changed() delivers a config change to the driver
 * (or keeps it pending until DRIVER_OK); virtio_isr_dispatch() does what the ISR bits say.
 */
bool virtio_vring_interrupt_all(struct virtio_device *vdev);
void virtio_config_changed(struct virtio_device *vdev);
void virtio_isr_dispatch(struct virtio_device *vdev, u32 isr);
/* The queue at @index, for a transport's per-queue handler (NULL if none). Any context. */
static inline struct virtqueue *virtio_vq_at(struct virtio_device *vdev, unsigned int index)
{
	if (index >= VIRTIO_MAX_VQS)
		return NULL;
	return __atomic_load_n(&vdev->vq_table[index], __ATOMIC_ACQUIRE);
}
/* "msix", "line", "poll" or "none", for listings. */
const char *virtio_irq_mode_name(enum virtio_irq_mode mode);

/* Status names for messages ("ACKNOWLEDGE|DRIVER"), into buf. */
const char *virtio_status_str(u8 status, char *buf, unsigned int size);

/*
 * Reset: the transport writes 0 to the status, then the device reads back 0 once it has
 * let go of everything (bounded wait). Return: the status last read, 0 when done.
 * Context: any CPU, no locks held.
 */
u8 virtio_reset_device(struct virtio_device *vdev);

/* The device type's name for boot lines ("entropy", "balloon"...; "other"). */
const char *virtio_device_type_name(u32 id);

#endif /* DRIVERS_VIRTIO_VIRTIO_H */
