# boot/: boot protocol parsers that fill struct boot_info.
obj-x86_64 += boot/multiboot2.o
obj-riscv64 += boot/fdt.o
