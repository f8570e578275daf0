# boot/: boot protocol parsers that fill struct boot_info.
obj-x86_64 += boot/multiboot2.o
# boot/fdt.c reads FDT blobs; boot/fdt_boot.c collects boot_info from their nodes, with
# boot/fdt_devices.c for the device nodes (interrupt controllers, PCI hosts, devices) and
# boot/fdt_numa.c for numa-node-id and /distance-map.
obj-riscv64 += boot/fdt.o boot/fdt_boot.o boot/fdt_devices.o boot/fdt_numa.o
# boot/acpi.c: ACPI RSDP/RSDT/XSDT/MADT/FADT walking; generic C, a no-op without an RSDP.
obj-y += boot/acpi.o
# In-kernel ktest suite `boot`: reservations and boot modules survive mm init.
obj-y += boot/tests/boot_test.o
