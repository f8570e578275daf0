// SPDX-License-Identifier: MIT
/*
 * Resolving a PCI function's INTx pin through its host bridge's device-tree interrupt-map
 * (Devicetree Specification 2.4.3 "Interrupt Nexus Properties"; the PCI binding, IEEE 1275
 * "PCI Bus Binding", for the child unit address). A pure function over boot_info's raw
 * cells, so the host tests (tests/host/test_pci_irq.c) feed it malformed maps.
 *
 * The lookup: the child unit address is (phys.hi, phys.mid, phys.lo) with phys.hi =
 * bus << 16 | devfn << 8, the child interrupt the pin (1..4). Both are ANDed with
 * interrupt-map-mask (QEMU virt: 0x1800 0 0 7, i.e. the slot's low two bits and the pin)
 * and compared with each entry's, also masked. The map is a list of variable-length
 * entries: its length after the child part is 1 (the parent's phandle) plus that parent's
 * #address-cells and #interrupt-cells, known here only for the PLIC. The map comes from
 * firmware, so every length is checked before a cell is read.
 */
#include "drivers/pci/pci_lib.h"

const char *pci_imap_lookup(const struct pci_imap *m, u8 bus, u8 devfn, u8 pin, u32 *hwirq)
{
	u32 child[4];
	unsigned int child_cells = m->addr_cells + m->int_cells, pos = 0;

	if (!m->nr_cells)
		return "the host bridge has no interrupt-map";
	/* PCI: 3 address cells, 1 interrupt cell; anything else is not a PCI map. */
	if (m->addr_cells != 3 || m->int_cells != 1)
		return "#address-cells/#interrupt-cells are not 3/1 as a PCI interrupt-map needs";
	if (m->nr_mask != child_cells)
		return "interrupt-map-mask does not have #address-cells + #interrupt-cells cells";
	if (!m->parent_phandle || m->parent_int_cells < 1 || m->parent_int_cells > 3 ||
	    m->parent_addr_cells > 3)
		return "no interrupt controller the kernel drives (PLIC phandle or cells unknown)";
	if (pin < 1 || pin > 4)
		return "the pin is not INTA..INTD";

	child[0] = (u32)bus << 16 | (u32)devfn << 8;
	child[1] = 0;
	child[2] = 0;
	child[3] = pin;
	for (unsigned int i = 0; i < child_cells; i++)
		child[i] &= m->mask[i];

	while (pos < m->nr_cells) {
		unsigned int left = m->nr_cells - pos, len;
		bool match = true;

		/* Child part plus the phandle: needed before the entry's length is known. */
		if (left < child_cells + 1)
			return "an entry is truncated (shorter than its child address, pin and parent)";
		if (m->map[pos + child_cells] != m->parent_phandle)
			return "an entry names an interrupt parent other than the PLIC";
		len = child_cells + 1 + m->parent_addr_cells + m->parent_int_cells;
		if (left < len)
			return "an entry is truncated (its parent interrupt is cut off)";
		for (unsigned int i = 0; i < child_cells; i++)
			if ((m->map[pos + i] & m->mask[i]) != child[i])
				match = false;
		if (match) {
			u32 src = m->map[pos + child_cells + 1 + m->parent_addr_cells];

			if (!src)
				return "the matching entry names source 0 (no interrupt)";
			*hwirq = src;
			return NULL;
		}
		pos += len;
	}
	return "no interrupt-map entry matches the device and pin";
}
