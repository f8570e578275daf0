// SPDX-License-Identifier: MIT
/*
 * A function's INTx pin as a kernel interrupt. On riscv64 `virt` the host bridge's
 * device-tree interrupt-map says which PLIC source each (slot, pin) of the root bus drives;
 * a function behind PCI-to-PCI bridges (a pcie-root-port) raises its pin on the bridge's
 * bus swizzled by its slot, at every bridge level up to the root bus, and the root-bus
 * bridge's (devfn, swizzled pin) is what the map is searched for (irq_map.c).
 *
 *	QEMU: -machine virt -device virtio-rng-pci  (riscv64; slot 1, INTA -> PLIC source 33)
 *
 * x86_64 records no interrupt-map (the routing lives in ACPI's _PRT, AML) and drives no
 * IOAPIC: pci_intx_irq() says -EOPNOTSUPP there, and a device without MSI-X is polled.
 *
 * Locking: reads boot_info and constant pci_dev fields; dev->irq is the driver's (d).
 */
#include "drivers/pci/internal.h"
#include "arch/arch.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

int pci_intx_irq(struct pci_dev *dev)
{
	const struct boot_pci_host *bh = dev->host->bh;
	const struct pci_dev *at = dev;
	u8 pin = dev->irq_pin;
	const char *why;
	char name[16];
	u32 hwirq = 0;
	int irq;

	if (pin < 1 || pin > 4)
		return -ENOENT;
	if (!bh || !bh->nr_imap_cells)
		return -EOPNOTSUPP;
	/* Up to the root bus: each bridge passes the pin on swizzled by the slot below it. */
	while (at->parent) {
		pin = pci_swizzle_pin(pin, PCI_SLOT(at->devfn));
		at = at->parent;
	}
	struct pci_imap map = {
		.map = bh->imap, .nr_cells = bh->nr_imap_cells,
		.mask = bh->imap_mask, .nr_mask = bh->nr_imap_mask,
		.addr_cells = bh->imap_addr_cells, .int_cells = bh->imap_int_cells,
		.parent_phandle = boot_info.irqchip.phandle,
		.parent_addr_cells = boot_info.irqchip.address_cells,
		.parent_int_cells = boot_info.irqchip.interrupt_cells,
	};

	pci_name(dev, name, sizeof(name));
	why = pci_imap_lookup(&map, at->bus, at->devfn, pin, &hwirq);
	if (why) {
		pr_err("pci: %s: INT%c (INT%c at %02x:%02x.%u on the root bus): %s: no INTx\n",
		       name, 'A' + dev->irq_pin - 1, 'A' + pin - 1, at->bus, PCI_SLOT(at->devfn),
		       PCI_FUNC(at->devfn), why);
		return -EINVAL;
	}
	irq = arch_platform_irq(hwirq);
	if (irq < 0) {
		pr_err("pci: %s: INT%c: interrupt-map gives source %u, which the interrupt "
		       "controller refuses (%d)\n", name, 'A' + dev->irq_pin - 1, hwirq, irq);
		return irq;
	}
	dev->irq = (unsigned int)irq;
	return irq;
}
