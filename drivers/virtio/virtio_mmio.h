/* SPDX-License-Identifier: MIT */
/* The virtio-mmio transport (virtio 1.x 4.2): devices from boot_info's "virtio,mmio" slots. */
#ifndef DRIVERS_VIRTIO_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_VIRTIO_MMIO_H

/*
 * Probe every "virtio,mmio" slot the bootloader described: print a line per device found
 * (empty slots are skipped silently) and register it with the virtio core, which binds a
 * driver if one is registered.
 * Context: boot CPU, once, after the page allocator is up (a driver's probe allocates).
 */
void virtio_mmio_init(void);

struct virtio_device;
/* "mmio v1" or "mmio v2" if vdev is one of this transport's devices, else NULL. Any context. */
const char *virtio_mmio_transport(const struct virtio_device *vdev);

#endif /* DRIVERS_VIRTIO_VIRTIO_MMIO_H */
