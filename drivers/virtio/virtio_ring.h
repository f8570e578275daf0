/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueues (virtio 1.x section 2.7) in both layouts: modern (descriptor table,
 * available ring and used ring separately allocated, each with its own alignment) and
 * legacy (one contiguous region, the used ring at the next 4096-byte boundary: the split
 * virtqueue's "Legacy Interfaces: A Note on Virtqueue Layout").
 *
 * The ring memory is shared with the device and the device is not trusted: the driver only
 * ever writes the descriptor table and the available ring (it never reads them back), and
 * reads exactly two things the device writes: used->idx and used->ring[] entries (plus the
 * suppression hints used->flags and avail_event, where any value is harmless). Each is read
 * once, bounded and checked before use; the chain links and per-buffer state live in the
 * driver's own memory (struct vq_desc_state), never in the ring.
 *
 * Locking: vq->lock (irqsave) guards the (s) fields below. It is taken inside the balloon
 * lock (DESIGN.md 5) and never around an allocation: every byte a queue needs is allocated
 * when it is created, so adding a buffer cannot allocate. It spins, so it is not taken in
 * interrupt context: an interrupt handler calls vring_interrupt(), which only reads, and
 * the driver collects used buffers from deferred work.
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_RING_H
#define DRIVERS_VIRTIO_VIRTIO_RING_H

#include "kernel/compiler.h"
#include "kernel/lib/list.h"
#include "kernel/spinlock.h"

struct virtio_device;
struct page;

/*
 * A descriptor ("The Virtqueue Descriptor Table"): one buffer of a chain. Little-endian, as
 * both our CPUs are.
 */
struct vring_desc {
	u64 addr;		/* guest-physical address of the buffer */
	u32 len;		/* its length in bytes */
	u16 flags;		/* VRING_DESC_F_* */
	u16 next;		/* the next descriptor of the chain, if F_NEXT */
};
#define VRING_DESC_F_NEXT	1	/* the chain continues at next */
#define VRING_DESC_F_WRITE	2	/* device-writable (else device-readable) */

/*
 * The available ring ("The Virtqueue Available Ring"), written by the driver; used_event
 * follows ring[num].
 */
struct vring_avail {
	u16 flags;		/* VRING_AVAIL_F_NO_INTERRUPT */
	u16 idx;		/* where the driver puts the next entry (free-running) */
	u16 ring[];		/* heads of chains made available */
};
#define VRING_AVAIL_F_NO_INTERRUPT	1

/*
 * The used ring ("The Virtqueue Used Ring"), written by the device; avail_event follows
 * ring[num].
 */
struct vring_used_elem {
	u32 id;			/* head of the used chain */
	u32 len;		/* bytes the device wrote into the chain */
};
struct vring_used {
	u16 flags;		/* VRING_USED_F_NO_NOTIFY */
	u16 idx;		/* where the device puts the next entry (free-running) */
	struct vring_used_elem ring[];
};
#define VRING_USED_F_NO_NOTIFY		1

_Static_assert(sizeof(struct vring_desc) == 16, "virtio: a descriptor is 16 bytes");
_Static_assert(sizeof(struct vring_used_elem) == 8, "virtio: a used element is 8 bytes");

/* Alignments of the three areas (2.7, table "Virtqueue Part Alignment"). */
#define VRING_DESC_ALIGN	16
#define VRING_AVAIL_ALIGN	2
#define VRING_USED_ALIGN	4
/* Legacy layout: the used ring starts at the next multiple of this (the legacy layout note). */
#define VRING_LEGACY_ALIGN	4096
/* "The maximum Queue Size value is 32768" (2.7). */
#define VIRTQUEUE_MAX_SIZE	32768

static inline unsigned long vring_desc_bytes(unsigned int num)
{
	return 16UL * num;
}

/* flags, idx, ring[num], used_event */
static inline unsigned long vring_avail_bytes(unsigned int num)
{
	return 6UL + 2UL * num;
}

/* flags, idx, ring[num], avail_event */
static inline unsigned long vring_used_bytes(unsigned int num)
{
	return 6UL + 8UL * num;
}

/* Legacy: desc and avail back to back, used at the next 4096-byte boundary. */
static inline unsigned long vring_legacy_used_offset(unsigned int num)
{
	return ALIGN_UP(vring_desc_bytes(num) + vring_avail_bytes(num), VRING_LEGACY_ALIGN);
}

static inline unsigned long vring_legacy_bytes(unsigned int num)
{
	return vring_legacy_used_offset(num) + vring_used_bytes(num);
}

/*
 * Should the side that moved an index from old to new tell the other side, which asked to
 * be told when the entry at index event is published? (VIRTIO_F_EVENT_IDX; the two
 * "Notification Suppression" sections of 2.7.) The entries just published are old, old+1,
 * ..., new-1, all modulo 2^16; the answer is yes exactly when event is one of them.
 * Counting from old in 16-bit arithmetic turns that circular window into the plain range
 * [0, new - old):
 *	old 65534, new 2 (4 entries: 65534, 65535, 0, 1), event 0: 0 - 65534 = 2 < 4, yes;
 *	event 2: 2 - 65534 = 4, not < 4, no (entry 2 is not published yet).
 */
static inline bool vring_need_event(u16 event, u16 new_idx, u16 old_idx)
{
	return (u16)(event - old_idx) < (u16)(new_idx - old_idx);
}

/* One piece of a buffer: a guest-physical range. */
struct vring_sg {
	phys_addr_t addr;
	u32 len;
};

/* The driver's own record of one descriptor: what the device cannot change. */
struct vq_desc_state {
	void *data;		/* the caller's token while this is an outstanding head, else NULL */
	u32 in_len;		/* head: device-writable bytes of its chain */
	u16 ndescs;		/* head: descriptors in its chain */
	u16 next;		/* next descriptor of its chain or of the free list */
};

struct virtqueue {
	struct list_head node;		/* on vdev->vqs (probe/remove) */
	struct virtio_device *vdev;	/* (c) */
	const char *name;		/* the driver's name for it (c) */
	unsigned int index;		/* queue index on the device (c) */
	unsigned int num;		/* entries: a power of two, <= VIRTQUEUE_MAX_SIZE (c) */
	bool legacy;			/* one contiguous legacy region (c) */
	bool event_idx;			/* VIRTIO_F_EVENT_IDX negotiated (c) */
	void (*callback)(struct virtqueue *vq);	/* used buffers to collect (c) */
	void *priv;			/* the driver's (c) */
	void *transport_priv;		/* the transport's, e.g. a notify address (c) */

	/* Where the rings are, for the driver and (as physical addresses) the device (c). */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	phys_addr_t desc_pa;
	phys_addr_t avail_pa;
	phys_addr_t used_pa;
	struct page *ring_pages[3];	/* the blocks behind them: 3 (modern) or 1 (legacy) */
	unsigned int ring_orders[3];
	unsigned int self_order;	/* this struct and state[] share one block */

	spinlock_t lock;		/* guards the (s) fields; see the top of this file */
	bool broken;			/* stopped for good (s; read racily, set once) */
	bool cb_disabled;		/* virtqueue_disable_cb() in force (s) */
	u16 free_head;			/* first free descriptor (s) */
	unsigned int num_free;		/* free descriptors (s) */
	u16 avail_idx_shadow;		/* avail->idx as last written (s) */
	u16 avail_flags_shadow;		/* avail->flags as last written (s) */
	u16 kicked_avail_idx;		/* avail->idx at the last kick decision (s) */
	u16 last_used_idx;		/* next used entry to collect (s) */
	unsigned long nr_kicks;		/* notifications decided on (s) */
	unsigned long nr_kicks_suppressed; /* kicks the device said it did not need (s) */
	struct vq_desc_state state[];	/* one per descriptor (s) */
};

/*
 * Create a queue of num entries (the core validates num first; this checks it again) with
 * every byte it will need, rings zeroed, all descriptors free. NULL with a message naming
 * the device on a bad size or no memory. Context: any CPU, no virtqueue lock held.
 */
struct virtqueue *vring_create_virtqueue(struct virtio_device *vdev, unsigned int index,
					 unsigned int num, bool legacy, bool event_idx,
					 const char *name, void (*callback)(struct virtqueue *vq));
/* Free the queue and its rings; the device must no longer use them (reset/deactivated). */
void vring_del_virtqueue(struct virtqueue *vq);

/*
 * Make one buffer available: sg[0..out) device-readable, then sg[out..out+in)
 * device-writable, as one chain; data (non-NULL) comes back from virtqueue_get_buf().
 * 0, -ENOSPC (not enough free descriptors), -EINVAL (empty, or lengths overflow), -EIO
 * (broken). The device is not told: see virtqueue_kick().
 * Context: any CPU, not in interrupt context; takes vq->lock; never allocates.
 */
int virtqueue_add_buf(struct virtqueue *vq, const struct vring_sg *sg, unsigned int out,
		      unsigned int in, void *data);

/*
 * Decide whether the device wants a notification for the buffers added since the last
 * decision (VRING_USED_F_NO_NOTIFY, or avail_event with EVENT_IDX), then ring the doorbell
 * if so. virtqueue_kick() is the two; true if the device was notified.
 * Context: as virtqueue_add_buf(); the doorbell is rung with vq->lock released.
 */
bool virtqueue_kick_prepare(struct virtqueue *vq);
void virtqueue_notify(struct virtqueue *vq);
bool virtqueue_kick(struct virtqueue *vq);

/*
 * Collect the next used buffer: its token, and in *len the bytes the device wrote. NULL if
 * there is none, or if the device broke a rule now (the queue and device are then marked
 * broken). Context: as virtqueue_add_buf().
 */
void *virtqueue_get_buf(struct virtqueue *vq, u32 *len);

/*
 * After the device was reset: take back one buffer it never returned (NULL when none is
 * left), so the driver can free what the token stands for. Context: remove paths.
 */
void *virtqueue_detach_unused_buf(struct virtqueue *vq);

/*
 * Interrupt suppression (VRING_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX): a hint
 * to the device. virtqueue_enable_cb() returns false when used buffers are already
 * pending, which the caller must collect (they may have come with no interrupt).
 * Context: as virtqueue_add_buf().
 */
void virtqueue_disable_cb(struct virtqueue *vq);
bool virtqueue_enable_cb(struct virtqueue *vq);

/*
 * The device signalled this queue: run its callback if it has used buffers. Reads only
 * (no lock), so it may run in interrupt context. true if the callback ran.
 */
bool vring_interrupt(struct virtqueue *vq);

unsigned int virtqueue_num_free(struct virtqueue *vq);
static inline bool virtqueue_is_broken(const struct virtqueue *vq)
{
	return READ_ONCE(vq->broken);
}

#endif /* DRIVERS_VIRTIO_VIRTIO_RING_H */
