/* SPDX-License-Identifier: MIT */
/*
 * The virtio entropy device (virtio 1.x 5.4): one request queue; the driver hands the
 * device a device-writable buffer and the device fills it with random bytes.
 *
 *	u8 key[32];
 *	int n = virtio_rng_read(key, sizeof(key), VIRTIO_RNG_WAIT_IRQ);	(n == 32 or -errno)
 *
 * Every entropy device found at boot is bound (virtio_rng_init()) and listed in order;
 * virtio_rng_read() uses the first one that works, virtio_rng_dev_read() a given one.
 * Requests are served one at a time per device, each into the driver's own page (the
 * caller's buffer may be anywhere: the bytes are copied out), and every wait is bounded.
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_RNG_H
#define DRIVERS_VIRTIO_VIRTIO_RNG_H

#include "kernel/compiler.h"

struct virtio_device;
struct virtio_rng;

/* How a request's completion is waited for. */
enum virtio_rng_mode {
	/*
	 * The queue's callback (the device's interrupt) says the request is done; the waiter
	 * spins with IRQs on until then. A device the core polls (VIRTIO_IRQ_POLL) has no
	 * interrupt: there the waiter polls the used ring itself (see virtio_rng.c).
	 */
	VIRTIO_RNG_WAIT_IRQ,
	/* Callbacks off (a hint to the device: no interrupt wanted); spin on the used ring. */
	VIRTIO_RNG_POLL,
};

/* The largest single request: one 256-byte slice of the driver's page. */
#define VIRTIO_RNG_REQ_MAX	256
/* How long a request may take before the device is called unresponsive. */
#define VIRTIO_RNG_TIMEOUT_MS	2000

/* Counters of one device, for tests and bench=virtio (racy snapshots). */
struct virtio_rng_stats {
	u64 requests;		/* requests completed */
	u64 callbacks;		/* queue callbacks run (each one an interrupt, or a poll) */
	u64 bytes;		/* bytes the device returned */
	u64 timeouts;		/* requests that got no answer in time */
};

/*
 * Register the driver: every entropy device (bound or found later) gets a request queue.
 * Context: boot CPU, once, after the transports registered their devices; IRQs on.
 */
void virtio_rng_init(void);
/*
 * Unregister the driver: every entropy device is reset and unbound (its slot stays, gone),
 * for a test that binds a driver of its own; virtio_rng_init() binds them again.
 * Context: process context, IRQs on, no request in progress on this CPU.
 */
void virtio_rng_exit(void);

/*
 * Entropy devices in the order they were first bound, and the i-th (NULL past the end). A
 * device unbound since keeps its place (requests give -ENODEV) and gets it back if it is
 * bound again. Context: any.
 */
unsigned int virtio_rng_count(void);
struct virtio_rng *virtio_rng_get(unsigned int i);
struct virtio_device *virtio_rng_vdev(struct virtio_rng *rng);
void virtio_rng_get_stats(struct virtio_rng *rng, struct virtio_rng_stats *out);

/*
 * One request of at most len bytes (1..VIRTIO_RNG_REQ_MAX) from rng into buf.
 * Return: the bytes the device wrote (it may write fewer than asked, even 0); -EINVAL (len),
 * -ENODEV (the device is gone), -ETIMEDOUT (no answer in VIRTIO_RNG_TIMEOUT_MS, with a
 * message; the request stays with the device and is reclaimed by the next call if it
 * comes back), -EBUSY (an earlier request that timed out is still with the device),
 * -EIO (the device broke a rule).
 * Context: process context, IRQs on (the interrupt must reach us), not in an interrupt;
 * takes the device's request lock, then the virtqueue lock.
 */
int virtio_rng_dev_read(struct virtio_rng *rng, void *buf, unsigned int len,
			enum virtio_rng_mode mode);

/*
 * Fill all len bytes of buf from the first bound device, with as many requests as needed
 * (a device that keeps returning nothing gives -EIO after a bounded number of tries).
 * Return: len, -ENODEV (no entropy device), or the error of a request.
 * Context: as virtio_rng_dev_read().
 */
int virtio_rng_read(void *buf, unsigned int len, enum virtio_rng_mode mode);

#endif /* DRIVERS_VIRTIO_VIRTIO_RNG_H */
