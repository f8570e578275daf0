# drivers/virtio/: the virtio core, split virtqueues, the virtio-mmio transport, the ktest suite.
obj-y += drivers/virtio/virtio.o
obj-y += drivers/virtio/virtio_ring.o
obj-y += drivers/virtio/virtio_mmio.o
obj-y += drivers/virtio/virtio_test.o
