# drivers/: UARTs, and each subsystem directory's own fragment (virtio/).
obj-y += drivers/uart_16550.o
obj-riscv64 += drivers/uart_sifive.o
include drivers/virtio/build.mk
