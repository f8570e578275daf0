# drivers/virtio/: the virtio core, split virtqueues, the virtio-mmio and virtio-pci (modern,
# legacy) transports, the entropy driver (its rng command and bench=virtio), the balloon
# driver, the ktest suites.
obj-y += drivers/virtio/virtio.o
obj-y += drivers/virtio/virtio_ring.o
obj-y += drivers/virtio/virtio_mmio.o
obj-y += drivers/virtio/virtio_pci.o drivers/virtio/virtio_pci_caps.o \
	 drivers/virtio/virtio_pci_modern.o drivers/virtio/virtio_pci_legacy.o
obj-y += drivers/virtio/virtio_rng.o drivers/virtio/virtio_rng_cmd.o drivers/virtio/virtio_bench.o
obj-y += drivers/virtio/virtio_balloon.o drivers/virtio/virtio_balloon_test.o
obj-y += drivers/virtio/virtio_test.o drivers/virtio/virtio_pci_test.o
