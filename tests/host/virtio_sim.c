// SPDX-License-Identifier: MIT
/*
 * The simulated virtio device and transport of virtio_sim.h. The device side is written
 * from the spec's device rules, independently of drivers/virtio/: it locates a legacy
 * ring from its base alone, walks chains through desc[].next, and decides on interrupts
 * by looking for used_event among the entries it published (a loop, not the driver's
 * arithmetic), so the two sides check each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "tests/host/virtio_sim.h"
#include <asm/memory.h>

static struct sim_dev *to_sim(struct virtio_device *vdev)
{
	return container_of(vdev, struct sim_dev, vdev);
}

static void sim_fatal(const char *what, unsigned int a, unsigned int b)
{
	fprintf(stderr, "virtio_sim: %s (%u, %u)\n", what, a, b);
	abort();
}

static u8 sim_get_status(struct virtio_device *vdev)
{
	return to_sim(vdev)->status;
}

static void sim_set_status(struct virtio_device *vdev, u8 status)
{
	struct sim_dev *sd = to_sim(vdev);

	if (sd->nr_status_log < ARRAY_SIZE(sd->status_log))
		sd->status_log[sd->nr_status_log++] = status;
	if (sd->refuse_features_ok)
		status &= (u8)~VIRTIO_STATUS_FEATURES_OK;
	sd->status = status;
}

static void sim_reset(struct virtio_device *vdev)
{
	struct sim_dev *sd = to_sim(vdev);

	sd->status = 0;
	sd->accepted = 0;
	sd->resets++;
	for (unsigned int i = 0; i < SIM_MAX_QUEUES; i++)
		memset(&sd->q[i], 0, sizeof(sd->q[i]));
}

static u64 sim_get_features(struct virtio_device *vdev)
{
	return to_sim(vdev)->offered;
}

static int sim_finalize_features(struct virtio_device *vdev, u64 features)
{
	struct sim_dev *sd = to_sim(vdev);

	if (features & ~sd->offered)
		sim_fatal("driver accepted features not offered", (unsigned int)(features >> 32),
			  (unsigned int)features);
	sd->accepted = features;
	return 0;
}

static u32 sim_generation(struct virtio_device *vdev)
{
	return to_sim(vdev)->generation;
}

static void sim_read_config(struct virtio_device *vdev, unsigned int offset, void *buf,
			    unsigned int len)
{
	struct sim_dev *sd = to_sim(vdev);

	if (offset + len > SIM_CONFIG_LEN || offset + len > vdev->config_len)
		sim_fatal("config read out of range", offset, len);
	memcpy(buf, sd->config + offset, len);
	if (sd->unstable_reads) {
		/* The device changes the config while the driver reads it. */
		sd->generation++;
		sd->config[offset] ^= 0x5a;
		if (sd->unstable_reads != SIM_UNSTABLE_FOREVER)
			sd->unstable_reads--;
	}
}

static void sim_write_config(struct virtio_device *vdev, unsigned int offset, const void *buf,
			     unsigned int len)
{
	struct sim_dev *sd = to_sim(vdev);

	if (offset + len > SIM_CONFIG_LEN)
		sim_fatal("config write out of range", offset, len);
	memcpy(sd->config + offset, buf, len);
}

static unsigned int sim_queue_max_size(struct virtio_device *vdev, unsigned int index)
{
	return index < SIM_MAX_QUEUES ? to_sim(vdev)->qmax[index] : 0;
}

static int sim_queue_activate(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct sim_dev *sd = to_sim(vdev);
	struct sim_queue *q;

	if (vq->index >= SIM_MAX_QUEUES)
		sim_fatal("activate of a queue that does not exist", vq->index, 0);
	q = &sd->q[vq->index];
	memset(q, 0, sizeof(*q));
	q->num = vq->num;
	if (vdev->legacy) {
		/* Legacy registers hold one page frame number; the rest follows from num. */
		phys_addr_t pfn = vq->desc_pa >> 12;

		if (vq->desc_pa & 4095)
			sim_fatal("legacy ring not 4096-aligned", (unsigned int)vq->desc_pa, 0);
		q->desc_pa = pfn << 12;
		q->avail_pa = q->desc_pa + 16UL * q->num;
		q->used_pa = (q->avail_pa + 6 + 2UL * q->num + 4095) & ~4095UL;
	} else {
		if ((vq->desc_pa & 15) || (vq->avail_pa & 1) || (vq->used_pa & 3))
			sim_fatal("modern ring areas misaligned", (unsigned int)vq->desc_pa,
				  (unsigned int)vq->used_pa);
		q->desc_pa = vq->desc_pa;
		q->avail_pa = vq->avail_pa;
		q->used_pa = vq->used_pa;
	}
	q->active = true;
	return 0;
}

static void sim_queue_deactivate(struct virtio_device *vdev, struct virtqueue *vq)
{
	to_sim(vdev)->q[vq->index].active = false;
}

static void sim_notify(struct virtqueue *vq)
{
	struct sim_dev *sd = to_sim(vq->vdev);
	u32 readable, writable;
	u16 head;

	sd->q[vq->index].notifies++;
	while (sd->auto_ack && sim_take(sd, vq->index, &head, &readable, &writable)) {
		if (sd->nr_ack_log < ARRAY_SIZE(sd->ack_log)) {
			sd->ack_log[sd->nr_ack_log].qi = vq->index;
			memcpy(&sd->ack_log[sd->nr_ack_log].word,
			       __va(sim_desc(sd, vq->index)[head].addr), sizeof(u32));
			sd->nr_ack_log++;
		}
		sim_complete(sd, vq->index, head, 0);
	}
}

static int sim_setup_irqs(struct virtio_device *vdev)
{
	struct sim_dev *sd = to_sim(vdev);

	if (!sd->has_line)
		return -EOPNOTSUPP;
	sd->irq_setups++;
	vdev->irq_mode = VIRTIO_IRQ_LINE;
	return 0;
}

static void sim_free_irqs(struct virtio_device *vdev)
{
	to_sim(vdev)->irq_frees++;
}

static u32 sim_read_isr(struct virtio_device *vdev)
{
	struct sim_dev *sd = to_sim(vdev);
	u32 isr = sd->isr;

	sd->isr = 0;		/* reading acknowledges, as on PCI */
	return isr;
}

void sim_config_change(struct sim_dev *sd)
{
	sd->generation++;
	sd->isr |= VIRTIO_ISR_CONFIG;
	if (sd->has_line)
		sim_raise(sd);
}

void sim_raise(struct sim_dev *sd)
{
	virtio_isr_dispatch(&sd->vdev, sim_read_isr(&sd->vdev));
}

static const struct virtio_config_ops sim_modern_ops = {
	.get_status = sim_get_status,
	.set_status = sim_set_status,
	.reset = sim_reset,
	.get_features = sim_get_features,
	.finalize_features = sim_finalize_features,
	.generation = sim_generation,
	.read_config = sim_read_config,
	.write_config = sim_write_config,
	.queue_max_size = sim_queue_max_size,
	.queue_activate = sim_queue_activate,
	.queue_deactivate = sim_queue_deactivate,
	.notify = sim_notify,
	.setup_irqs = sim_setup_irqs,
	.free_irqs = sim_free_irqs,
	.read_isr = sim_read_isr,
};

/* Legacy transports have no generation counter. */
static const struct virtio_config_ops sim_legacy_ops = {
	.get_status = sim_get_status,
	.set_status = sim_set_status,
	.reset = sim_reset,
	.get_features = sim_get_features,
	.finalize_features = sim_finalize_features,
	.read_config = sim_read_config,
	.write_config = sim_write_config,
	.queue_max_size = sim_queue_max_size,
	.queue_activate = sim_queue_activate,
	.queue_deactivate = sim_queue_deactivate,
	.notify = sim_notify,
	.setup_irqs = sim_setup_irqs,
	.free_irqs = sim_free_irqs,
	.read_isr = sim_read_isr,
};

void sim_dev_init(struct sim_dev *sd, u32 id, bool legacy, unsigned int qmax,
		  unsigned int config_len)
{
	/* A new device in the same place: the old one's polling (if any) goes with it. */
	cancel_work(&sd->vdev.poll_work.work);
	memset(sd, 0, sizeof(*sd));
	snprintf(sd->vdev.name, sizeof(sd->vdev.name), "sim%u", id);
	sd->vdev.device_id = id;
	sd->vdev.legacy = legacy;
	sd->vdev.config_len = config_len;
	sd->vdev.ops = legacy ? &sim_legacy_ops : &sim_modern_ops;
	sd->offered = legacy ? 0 : BIT(VIRTIO_F_VERSION_1);
	for (unsigned int i = 0; i < SIM_MAX_QUEUES; i++)
		sd->qmax[i] = qmax;
}

static struct sim_queue *sim_q(struct sim_dev *sd, unsigned int qi)
{
	if (qi >= SIM_MAX_QUEUES || !sd->q[qi].active)
		sim_fatal("device access to an inactive queue", qi, 0);
	return &sd->q[qi];
}

struct vring_desc *sim_desc(struct sim_dev *sd, unsigned int qi)
{
	return __va(sim_q(sd, qi)->desc_pa);
}

struct vring_avail *sim_avail(struct sim_dev *sd, unsigned int qi)
{
	return __va(sim_q(sd, qi)->avail_pa);
}

struct vring_used *sim_used(struct sim_dev *sd, unsigned int qi)
{
	return __va(sim_q(sd, qi)->used_pa);
}

u16 *sim_used_event(struct sim_dev *sd, unsigned int qi)
{
	return &sim_avail(sd, qi)->ring[sim_q(sd, qi)->num];
}

u16 *sim_avail_event(struct sim_dev *sd, unsigned int qi)
{
	return (u16 *)&sim_used(sd, qi)->ring[sim_q(sd, qi)->num];
}

/*
 * Walk the chain at head, summing its bytes (and filling the writable ones). Aborts on a bad
 * chain.
 */
static void sim_walk(struct sim_dev *sd, unsigned int qi, u16 head, u32 *readable,
		     u32 *writable, u8 fill, bool do_fill)
{
	struct sim_queue *q = sim_q(sd, qi);
	struct vring_desc *desc = sim_desc(sd, qi);
	bool seen_write = false;
	u16 i = head;

	*readable = *writable = 0;
	for (unsigned int n = 0;; n++) {
		struct vring_desc *d;

		if (i >= q->num || n >= q->num)
			sim_fatal("chain leaves the table or loops", i, n);
		d = &desc[i];
		if (d->flags & VRING_DESC_F_WRITE) {
			seen_write = true;
			*writable += d->len;
			if (do_fill)
				memset(__va(d->addr), fill, d->len);
		} else {
			/* Device-readable descriptors come before device-writable ones. */
			if (seen_write)
				sim_fatal("readable descriptor after a writable one", head, i);
			*readable += d->len;
			/* Touch what the device reads, so ASan sees a bad address. */
			for (u32 k = 0; k < d->len; k++)
				(void)*(volatile u8 *)__va(d->addr + k);
		}
		if (!(d->flags & VRING_DESC_F_NEXT))
			break;
		i = d->next;
	}
}

bool sim_take(struct sim_dev *sd, unsigned int qi, u16 *head, u32 *readable, u32 *writable)
{
	struct sim_queue *q = sim_q(sd, qi);
	struct vring_avail *avail = sim_avail(sd, qi);

	if (q->last_avail == __atomic_load_n(&avail->idx, __ATOMIC_ACQUIRE))
		return false;
	*head = avail->ring[q->last_avail % q->num];
	q->last_avail++;
	sim_walk(sd, qi, *head, readable, writable, 0, false);
	return true;
}

u32 sim_fill(struct sim_dev *sd, unsigned int qi, u16 head, u8 fill)
{
	u32 readable, writable;

	sim_walk(sd, qi, head, &readable, &writable, fill, true);
	return writable;
}

void sim_complete(struct sim_dev *sd, unsigned int qi, u32 id, u32 len)
{
	struct sim_queue *q = sim_q(sd, qi);
	struct vring_used *used = sim_used(sd, qi);
	u16 old = q->used_idx, event;
	bool interrupt;

	used->ring[q->used_idx % q->num].id = id;
	used->ring[q->used_idx % q->num].len = len;
	q->used_idx++;
	__atomic_store_n(&used->idx, q->used_idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (sd->accepted & BIT(VIRTIO_F_EVENT_IDX)) {
		/*
		 * Used buffer notification suppression: interrupt if one of the entries just
		 * published is used_event.
		 */
		event = *sim_used_event(sd, qi);
		interrupt = false;
		for (u16 i = old; i != q->used_idx; i++)
			if (i == event)
				interrupt = true;
	} else {
		interrupt = !(sim_avail(sd, qi)->flags & VRING_AVAIL_F_NO_INTERRUPT);
	}
	if (interrupt) {
		q->interrupts++;
		sd->isr |= VIRTIO_ISR_QUEUE;
	}
}

unsigned int sim_process(struct sim_dev *sd, unsigned int qi, unsigned int max)
{
	unsigned int done = 0;
	u32 readable, writable;
	u16 head;

	while (done < max && sim_take(sd, qi, &head, &readable, &writable)) {
		sim_complete(sd, qi, head, sim_fill(sd, qi, head, (u8)head));
		done++;
	}
	return done;
}
