# drivers/: UARTs, pci/, and each subsystem directory's own fragment (virtio/).
obj-y += drivers/uart_16550.o
obj-riscv64 += drivers/uart_sifive.o
include drivers/virtio/build.mk
# drivers/pci/: host bridges from boot_info, enumeration, BAR placement, capabilities, lspci.
obj-y += drivers/pci/pci.o drivers/pci/setup_bus.o drivers/pci/cap.o drivers/pci/bar.o \
	 drivers/pci/lspci.o drivers/pci/tests/pci_test.o \
	 drivers/pci/msix.o drivers/pci/intx.o drivers/pci/irq_map.o
