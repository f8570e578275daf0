/* SPDX-License-Identifier: MIT */
/*
 * A simulated virtio device and transport for host tests of drivers/virtio/: the transport
 * operations the core calls (status, features, config with a generation counter, queue
 * setup, doorbell) and a device side that finds the rings only from what the transport was
 * told (three physical addresses, or one legacy base), reads the available ring and writes
 * the used ring as a device would. Tests and the fuzzer also write the used ring directly
 * to play a device that breaks the rules.
 */
#ifndef TESTS_HOST_VIRTIO_SIM_H
#define TESTS_HOST_VIRTIO_SIM_H

#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"

#define SIM_MAX_QUEUES		4
#define SIM_CONFIG_LEN		64
#define SIM_UNSTABLE_FOREVER	0xffffffffu

struct sim_queue {
	bool active;		/* the driver set it up */
	unsigned int num;
	phys_addr_t desc_pa;	/* the device's view, from the transport registers */
	phys_addr_t avail_pa;
	phys_addr_t used_pa;
	u16 last_avail;		/* next available entry the device will take */
	u16 used_idx;		/* the device's used index */
	unsigned long notifies;	/* doorbells rung */
	unsigned long interrupts; /* used-buffer notifications the device decided to send */
};

struct sim_dev {
	struct virtio_device vdev;
	u8 status;
	u8 status_log[16];	/* every value written to the status register */
	unsigned int nr_status_log;
	u64 offered;		/* features offered */
	u64 accepted;		/* features the driver wrote */
	bool refuse_features_ok; /* clear FEATURES_OK as a device that cannot cope */
	unsigned int resets;
	u32 generation;
	u32 unstable_reads;	/* config reads still to change underneath (or _FOREVER) */
	u8 config[SIM_CONFIG_LEN];
	unsigned int qmax[SIM_MAX_QUEUES];
	struct sim_queue q[SIM_MAX_QUEUES];

	/* Interrupts: the ISR bits the device set; a wired line if has_line, else polled. */
	u32 isr;
	bool has_line;
	unsigned int irq_setups, irq_frees;

	/*
	 * A device that answers at once: each doorbell takes and completes what is available
	 * on that queue, logging (queue, first 4 bytes of the chain) in order.
	 */
	bool auto_ack;
	struct { unsigned int qi; u32 word; } ack_log[64];
	unsigned int nr_ack_log;
};

/* A device of type id, modern or legacy, every queue of size qmax, config_len bytes. */
void sim_dev_init(struct sim_dev *sd, u32 id, bool legacy, unsigned int qmax,
		  unsigned int config_len);

/* The device's view of queue qi's rings, from the physical addresses it was given. */
struct vring_desc *sim_desc(struct sim_dev *sd, unsigned int qi);
struct vring_avail *sim_avail(struct sim_dev *sd, unsigned int qi);
struct vring_used *sim_used(struct sim_dev *sd, unsigned int qi);
u16 *sim_used_event(struct sim_dev *sd, unsigned int qi);
u16 *sim_avail_event(struct sim_dev *sd, unsigned int qi);

/*
 * Take the next available chain: its head, device-readable and device-writable bytes.
 * false if none. Aborts on a malformed chain (a driver bug, the point of the tests).
 */
bool sim_take(struct sim_dev *sd, unsigned int qi, u16 *head, u32 *readable, u32 *writable);
/*
 * Fill the chain's device-writable bytes with fill, byte by byte; returns how many.
 */
u32 sim_fill(struct sim_dev *sd, unsigned int qi, u16 head, u8 fill);
/* Write a used entry and move used->idx by one; decides on an interrupt as 2.7.7.2 says. */
void sim_complete(struct sim_dev *sd, unsigned int qi, u32 id, u32 len);
/* Take, fill with (u8)head and complete up to max chains in order; returns how many. */
unsigned int sim_process(struct sim_dev *sd, unsigned int qi, unsigned int max);

/*
 * The device changed its config: the generation moves, the ISR's config bit is set, and
 * with a line the interrupt is taken at once (sim_raise).
 */
void sim_config_change(struct sim_dev *sd);
/* The line fires: what a transport's handler does (read the ISR, dispatch). */
void sim_raise(struct sim_dev *sd);

#endif /* TESTS_HOST_VIRTIO_SIM_H */
