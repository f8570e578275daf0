# drivers/virtio/: the virtio core and split virtqueues (transport-independent).
obj-y += drivers/virtio/virtio.o
obj-y += drivers/virtio/virtio_ring.o
