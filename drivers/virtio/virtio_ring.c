// SPDX-License-Identifier: MIT
/*
 * Split virtqueues (virtio 1.x section 2.7): the driver side of the descriptor table, the
 * available ring and the used ring, in the modern and the legacy layout.
 *
 * How a buffer travels. add_buf takes descriptors off the free list (a list threaded
 * through state[].next, the driver's private copy of the links), fills them with the
 * caller's pieces (device-readable first, then device-writable), records the token at the
 * head's state, writes the head into avail->ring and publishes it by moving avail->idx.
 * The device reads the chain, writes the used ring (head id and bytes written) and moves
 * used->idx. get_buf checks each used entry against the driver's own record before it
 * believes it, then puts the chain back on the free list by walking state[], not the ring.
 *
 * Distrust. The device can write any value anywhere in the rings at any time. So:
 *  - the driver never reads the descriptor table or the available ring back;
 *  - used->idx is read once per get_buf; a value more than num entries ahead of the
 *    driver's position is impossible for an honest device (it cannot use more than was
 *    made available) and breaks the queue;
 *  - a used entry is read once into locals; its id must be < num and the head of an
 *    outstanding chain, its length at most that chain's device-writable bytes;
 *  - every ring slot index is masked with num - 1 (num is a power of two).
 * A rule broken marks the queue and its device broken (virtio_mark_broken) with the values
 * involved; a broken queue takes no buffers and returns none, so a device that lies cannot
 * make the driver complete a buffer twice or touch memory that is not its own.
 *
 * Barriers: the device is another agent reading and writing this normal, cacheable memory
 * (the hypervisor on another host CPU), so the SMP barriers are the right strength: they
 * order this CPU's accesses to RAM as other CPUs see them. The doorbell itself is a device
 * write, ordered after the RAM writes by the transport's MMIO/port accessors (asm/io.h).
 * Byte order: virtio's is little-endian (legacy: the guest's), and so are both our ports.
 *
 * Linux: drivers/virtio/virtio_ring.c (same concepts and names; written anew here).
 */
#include "drivers/virtio/virtio_ring.h"
#include "drivers/virtio/virtio.h"
#include "kernel/bug.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include <asm/barrier.h>
#include <asm/memory.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "ring fields are stored natively: virtio (and legacy on our ports) is little-endian");
_Static_assert(PAGE_SIZE % VRING_LEGACY_ALIGN == 0,
	       "a page-aligned block gives the legacy ring its 4096-byte alignment");
_Static_assert(PAGE_SIZE % VRING_DESC_ALIGN == 0 && PAGE_SIZE % VRING_USED_ALIGN == 0,
	       "page-aligned blocks satisfy every modern area's alignment");

/*
 * avail->ring[num] is used_event; used->ring[num] is followed by avail_event (the available
 * and used ring layouts, 2.7).
 */
static u16 *vring_used_event(struct virtqueue *vq)
{
	return &vq->avail->ring[vq->num];
}

static u16 *vring_avail_event(struct virtqueue *vq)
{
	return (u16 *)&vq->used->ring[vq->num];
}

/* The smallest order whose block holds bytes. */
static unsigned int bytes_to_order(unsigned long bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static void *vring_alloc_area(unsigned long bytes, struct page **pagep, unsigned int *orderp)
{
	unsigned int order = bytes_to_order(bytes);
	struct page *page;

	if (order > MAX_PAGE_ORDER)
		return NULL;
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	if (!page)
		return NULL;
	*pagep = page;
	*orderp = order;
	return page_address(page);
}

static void vring_free_areas(struct virtqueue *vq)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(vq->ring_pages); i++) {
		if (vq->ring_pages[i])
			__free_pages(vq->ring_pages[i], vq->ring_orders[i]);
		vq->ring_pages[i] = NULL;
	}
}

/* Modern: three areas, each its own block (page-aligned, which exceeds 16/2/4). */
static bool vring_alloc_modern(struct virtqueue *vq)
{
	unsigned int n = vq->num;

	vq->desc = vring_alloc_area(vring_desc_bytes(n), &vq->ring_pages[0], &vq->ring_orders[0]);
	vq->avail = vring_alloc_area(vring_avail_bytes(n), &vq->ring_pages[1],
				     &vq->ring_orders[1]);
	vq->used = vring_alloc_area(vring_used_bytes(n), &vq->ring_pages[2], &vq->ring_orders[2]);
	if (!vq->desc || !vq->avail || !vq->used)
		return false;
	vq->desc_pa = __pa(vq->desc);
	vq->avail_pa = __pa(vq->avail);
	vq->used_pa = __pa(vq->used);
	return true;
}

/* Legacy: one block; desc at 0, avail right after, used at the next 4096 boundary. */
static bool vring_alloc_legacy(struct virtqueue *vq)
{
	unsigned int n = vq->num;
	char *base = vring_alloc_area(vring_legacy_bytes(n), &vq->ring_pages[0],
				      &vq->ring_orders[0]);

	if (!base)
		return false;
	vq->desc = (struct vring_desc *)base;
	vq->avail = (struct vring_avail *)(base + vring_desc_bytes(n));
	vq->used = (struct vring_used *)(base + vring_legacy_used_offset(n));
	vq->desc_pa = __pa(vq->desc);
	vq->avail_pa = __pa(vq->avail);
	vq->used_pa = __pa(vq->used);
	return true;
}

struct virtqueue *vring_create_virtqueue(struct virtio_device *vdev, unsigned int index,
					 unsigned int num, bool legacy, bool event_idx,
					 const char *name, void (*callback)(struct virtqueue *vq))
{
	unsigned long self_bytes = sizeof(struct virtqueue) + num * sizeof(struct vq_desc_state);
	struct virtqueue *vq;
	struct page *self_page;
	unsigned int self_order;
	bool ok;

	if (num == 0 || num > VIRTQUEUE_MAX_SIZE || (num & (num - 1))) {
		pr_err("virtio: %s: queue %u (%s): size %u is not a power of two in 1..%u (2.7)\n",
		       vdev->name, index, name, num, VIRTQUEUE_MAX_SIZE);
		return NULL;
	}
	vq = vring_alloc_area(self_bytes, &self_page, &self_order);
	if (!vq) {
		pr_err("virtio: %s: queue %u (%s): no memory for %u entries\n", vdev->name,
		       index, name, num);
		return NULL;
	}
	INIT_LIST_HEAD(&vq->node);
	vq->vdev = vdev;
	vq->name = name;
	vq->index = index;
	vq->num = num;
	vq->legacy = legacy;
	vq->event_idx = event_idx;
	vq->callback = callback;
	vq->self_order = self_order;
	spin_lock_init(&vq->lock, "virtqueue");

	ok = legacy ? vring_alloc_legacy(vq) : vring_alloc_modern(vq);
	if (!ok) {
		pr_err("virtio: %s: queue %u (%s): no memory for %s rings of %u entries\n",
		       vdev->name, index, name, legacy ? "legacy" : "modern", num);
		vring_free_areas(vq);
		__free_pages(self_page, self_order);
		return NULL;
	}

	/* Every descriptor free, linked 0 -> 1 -> ... -> num-1 in the driver's own state. */
	for (unsigned int i = 0; i < num; i++)
		vq->state[i].next = (u16)(i + 1);
	vq->free_head = 0;
	vq->num_free = num;
	return vq;
}

void vring_del_virtqueue(struct virtqueue *vq)
{
	vring_free_areas(vq);
	__free_pages(virt_to_page(vq), vq->self_order);
}

/* Stop the queue for good and say why, naming the device, the queue and the values. */
__printf(2, 3) static void vq_mark_broken(struct virtqueue *vq, const char *fmt, ...)
{
	char msg[112];
	va_list ap;

	assert_spin_locked(&vq->lock);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	WRITE_ONCE(vq->broken, true);
	virtio_mark_broken(vq->vdev, "queue %u (%s): %s", vq->index, vq->name, msg);
}

int virtqueue_add_buf(struct virtqueue *vq, const struct vring_sg *sg, unsigned int out,
		      unsigned int in, void *data)
{
	unsigned int total = out + in;
	u64 in_len = 0;
	u16 head, i;

	if (!data || total == 0 || total < out)
		return -EINVAL;
	for (unsigned int k = out; k < total; k++)
		in_len += sg[k].len;
	if (in_len > 0xffffffffu)	/* used->len is 32 bits: it could not report more */
		return -EINVAL;

	guard(spinlock_irqsave)(&vq->lock);
	if (vq->broken)
		return -EIO;
	if (total > vq->num_free)
		return -ENOSPC;

	head = i = vq->free_head;
	for (unsigned int k = 0; k < total; k++) {
		struct vring_desc *d = &vq->desc[i];
		u16 flags = k >= out ? VRING_DESC_F_WRITE : 0;

		if (k + 1 < total)
			flags |= VRING_DESC_F_NEXT;
		d->addr = sg[k].addr;
		d->len = sg[k].len;
		d->flags = flags;
		/* The link the device follows is copied from ours, never the other way round. */
		d->next = k + 1 < total ? vq->state[i].next : 0;
		i = vq->state[i].next;
	}
	vq->free_head = i;
	vq->num_free -= total;
	vq->state[head].data = data;
	vq->state[head].ndescs = (u16)total;
	vq->state[head].in_len = (u32)in_len;

	vq->avail->ring[vq->avail_idx_shadow & (vq->num - 1)] = head;
	/*
	 * The chain's descriptors and its ring slot must be visible to the device before the
	 * index that publishes them: a device that sees the new idx first would read a stale
	 * head or half-written descriptors (2.7, "Supplying Buffers to The Device": a
	 * barrier before the idx update).
	 */
	smp_wmb();
	vq->avail_idx_shadow++;
	WRITE_ONCE(vq->avail->idx, vq->avail_idx_shadow);
	return 0;
}

bool virtqueue_kick_prepare(struct virtqueue *vq)
{
	u16 old, new;
	bool needed;

	guard(spinlock_irqsave)(&vq->lock);
	if (vq->broken)
		return false;
	/*
	 * The avail->idx store must be visible to the device before we read its suppression
	 * field: otherwise the device could read the old idx, decide to sleep and set
	 * "notify me", while we read its stale "no need" and skip the kick: a lost
	 * notification. That is a store followed by a load, which only a full barrier orders
	 * (2.7, "Notifying The Device": a barrier before reading flags or avail_event).
	 */
	smp_mb();
	old = vq->kicked_avail_idx;
	new = vq->avail_idx_shadow;
	vq->kicked_avail_idx = new;
	if (new == old)
		return false;
	if (vq->event_idx)
		needed = vring_need_event(READ_ONCE(*vring_avail_event(vq)), new, old);
	else
		needed = !(READ_ONCE(vq->used->flags) & VRING_USED_F_NO_NOTIFY);
	if (needed)
		vq->nr_kicks++;
	else
		vq->nr_kicks_suppressed++;
	return needed;
}

void virtqueue_notify(struct virtqueue *vq)
{
	if (virtqueue_is_broken(vq))
		return;
	vq->vdev->ops->notify(vq);
}

bool virtqueue_kick(struct virtqueue *vq)
{
	if (!virtqueue_kick_prepare(vq))
		return false;
	virtqueue_notify(vq);
	return true;
}

/* Put the chain at head back on the free list, by the driver's own links. */
static void __vq_detach_chain(struct virtqueue *vq, u16 head)
{
	struct vq_desc_state *st = &vq->state[head];
	u16 tail = head;

	assert_spin_locked(&vq->lock);
	for (unsigned int k = 1; k < st->ndescs; k++)
		tail = vq->state[tail].next;
	vq->state[tail].next = vq->free_head;
	vq->free_head = head;
	vq->num_free += st->ndescs;
	st->data = NULL;
	st->ndescs = 0;
	st->in_len = 0;
}

void *virtqueue_get_buf(struct virtqueue *vq, u32 *len)
{
	u16 used_idx, ahead, slot;
	u32 id, used_len;
	void *data;

	guard(spinlock_irqsave)(&vq->lock);
	if (vq->broken)
		return NULL;

	used_idx = READ_ONCE(vq->used->idx);
	ahead = (u16)(used_idx - vq->last_used_idx);
	if (ahead == 0)
		return NULL;
	if (ahead > vq->num) {
		vq_mark_broken(vq, "used index moved from %u to %u: %u entries, more than the queue size %u",
			       vq->last_used_idx, used_idx, ahead, vq->num);
		return NULL;
	}
	/*
	 * Read the entry only after the index that says it is there: the device writes the
	 * entry, then (after its own barrier) the index, and without this our load of the
	 * entry could be performed before the load of the index and see the old contents
	 * (2.7, "Receiving Used Buffers From The Device").
	 */
	smp_rmb();
	slot = vq->last_used_idx & (vq->num - 1);
	id = READ_ONCE(vq->used->ring[slot].id);
	used_len = READ_ONCE(vq->used->ring[slot].len);

	if (id >= vq->num) {
		vq_mark_broken(vq, "used id %u out of range (queue size %u) at used index %u",
			       id, vq->num, vq->last_used_idx);
		return NULL;
	}
	data = vq->state[id].data;
	if (!data) {
		vq_mark_broken(vq, "used id %u is not the head of an outstanding chain (used index %u)",
			       id, vq->last_used_idx);
		return NULL;
	}
	if (used_len > vq->state[id].in_len) {
		vq_mark_broken(vq, "used length %u for id %u beyond the chain's %u device-writable bytes",
			       used_len, id, vq->state[id].in_len);
		return NULL;
	}

	__vq_detach_chain(vq, (u16)id);
	vq->last_used_idx++;
	if (len)
		*len = used_len;
	if (vq->event_idx && !vq->cb_disabled) {
		/*
		 * Ask for an interrupt when the device uses the next entry. The store must be
		 * visible before the caller's next read of used->idx (store then load, so a
		 * full barrier): otherwise the device could use that entry while reading our
		 * old used_event, not interrupt, and we would miss the entry.
		 */
		WRITE_ONCE(*vring_used_event(vq), vq->last_used_idx);
		smp_mb();
	}
	return data;
}

void *virtqueue_detach_unused_buf(struct virtqueue *vq)
{
	guard(spinlock_irqsave)(&vq->lock);
	for (unsigned int i = 0; i < vq->num; i++) {
		void *data = vq->state[i].data;

		if (!data)
			continue;
		/* The device is reset: it reads no ring any more, so the chain is ours. */
		__vq_detach_chain(vq, (u16)i);
		return data;
	}
	return NULL;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	guard(spinlock_irqsave)(&vq->lock);
	vq->cb_disabled = true;
	if (vq->event_idx) {
		/*
		 * With EVENT_IDX, avail->flags must stay 0 ("Used Buffer Notification
		 * Suppression"); instead point used_event just behind our position. The
		 * device only publishes entries in [last_used_idx, last_used_idx + num)
		 * before we collect them, and last_used_idx - 1 is 65535 entries ahead,
		 * outside that window for any num <= 32768, so it never asks for an interrupt.
		 */
		WRITE_ONCE(*vring_used_event(vq), (u16)(vq->last_used_idx - 1));
	} else {
		vq->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
		WRITE_ONCE(vq->avail->flags, vq->avail_flags_shadow);
	}
}

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	guard(spinlock_irqsave)(&vq->lock);
	vq->cb_disabled = false;
	if (vq->event_idx) {
		WRITE_ONCE(*vring_used_event(vq), vq->last_used_idx);
	} else {
		vq->avail_flags_shadow &= (u16)~VRING_AVAIL_F_NO_INTERRUPT;
		WRITE_ONCE(vq->avail->flags, vq->avail_flags_shadow);
	}
	/*
	 * The request for interrupts must be visible before we look for entries that came
	 * while they were off: if the load of used->idx were performed first, an entry
	 * used in between would find interrupts still off and not be reported by either
	 * (store then load: a full barrier).
	 */
	smp_mb();
	return READ_ONCE(vq->used->idx) == vq->last_used_idx;
}

bool vring_interrupt(struct virtqueue *vq)
{
	/*
	 * No lock (this may be interrupt context): a racy look at both indices is enough to
	 * decide whether to run the callback, which collects under the lock and rechecks.
	 */
	if (virtqueue_is_broken(vq))
		return false;
	if (READ_ONCE(vq->used->idx) == READ_ONCE(vq->last_used_idx))
		return false;
	if (vq->callback)
		vq->callback(vq);
	return true;
}

unsigned int virtqueue_num_free(struct virtqueue *vq)
{
	guard(spinlock_irqsave)(&vq->lock);
	return vq->num_free;
}
