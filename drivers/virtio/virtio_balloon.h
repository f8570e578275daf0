/* SPDX-License-Identifier: MIT */
/* The virtio-balloon driver (drivers/virtio/virtio_balloon.c). */
#ifndef DRIVERS_VIRTIO_VIRTIO_BALLOON_H
#define DRIVERS_VIRTIO_VIRTIO_BALLOON_H

/*
 * Register the driver: it binds to every balloon device the transports registered, and to
 * any found later. Context: boot CPU, after the transports' init, interrupts on.
 */
void virtio_balloon_init(void);

#endif /* DRIVERS_VIRTIO_VIRTIO_BALLOON_H */
