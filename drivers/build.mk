# drivers/: UARTs (and later pci, virtio).
obj-y += drivers/uart_16550.o
obj-riscv64 += drivers/uart_sifive.o
