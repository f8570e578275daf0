/* SPDX-License-Identifier: MIT */
/* The virtio-balloon driver (drivers/virtio/virtio_balloon.c). */
#ifndef DRIVERS_VIRTIO_VIRTIO_BALLOON_H
#define DRIVERS_VIRTIO_VIRTIO_BALLOON_H

#include "kernel/compiler.h"

/*
 * Register the driver: it binds to every balloon device the transports registered, and to
 * any found later. Context: boot CPU, after the transports' init, interrupts on.
 */
void virtio_balloon_init(void);
/* Unbind from every balloon device and forget the driver (tests). Context: as init. */
void virtio_balloon_exit(void);
/*
 * The bound balloon's pages in *inflated, and whether they count in MemTotal
 * (DEFLATE_ON_OOM); false when no balloon device is bound. Context: any; a snapshot.
 */
bool virtio_balloon_state(unsigned long *inflated, bool *in_memtotal);

#endif /* DRIVERS_VIRTIO_VIRTIO_BALLOON_H */
