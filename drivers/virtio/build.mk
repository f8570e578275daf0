# drivers/virtio/: the virtio core, split virtqueues, and the virtio-mmio transport.
obj-y += drivers/virtio/virtio.o
obj-y += drivers/virtio/virtio_ring.o
obj-y += drivers/virtio/virtio_mmio.o
