// SPDX-License-Identifier: MIT
/*
 * drivers/pci/irq_map.c on the host: INTx routing through a device-tree interrupt-map,
 * compiled unchanged, against maps built here. Each map lives in a heap buffer of exactly its
 * cells, so ASan catches any read past the end a malformed map could provoke. The good map
 * is QEMU virt's (4 slots x 4 pins, mask 0x1800 0 0 7, PLIC sources 32..35); the bad ones are
 * cut short, have a mask of the wrong size, name another interrupt parent, or lead nowhere,
 * and each must give its own reason, never a source.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "drivers/pci/pci_lib.h"
#include "drivers/pci/pci_regs.h"

#define PLIC		3u	/* the PLIC's phandle in these maps */
#define OTHER		9u	/* some other interrupt controller */
#define VIRT_BASE	32u	/* QEMU virt: PCIe INTx on PLIC sources 32..35 */

static const u32 virt_mask[4] = { 0x1800, 0, 0, 7 };

struct built {
	u32 *cells;		/* malloc'd, exactly nr cells */
	unsigned int nr;
	struct pci_imap m;
};

/*
 * QEMU virt's map, entries of 6 cells (parent_addr 0) or 7 (a parent address cell of 0):
 * slot s (0..3), pin p (1..4) -> VIRT_BASE + (p - 1 + s) % 4.
 */
static struct built virt_map(u32 parent_addr_cells)
{
	unsigned int per = 4 + 1 + parent_addr_cells + 1;
	struct built b = { .nr = 16 * per };

	b.cells = malloc(b.nr * sizeof(u32));
	for (u32 s = 0; s < 4; s++)
		for (u32 p = 1; p <= 4; p++) {
			u32 *e = b.cells + (s * 4 + p - 1) * per;
			unsigned int i = 0;

			e[i++] = PCI_DEVFN(s, 0) << 8;
			e[i++] = 0;
			e[i++] = 0;
			e[i++] = p;
			e[i++] = PLIC;
			for (u32 a = 0; a < parent_addr_cells; a++)
				e[i++] = 0;
			e[i++] = VIRT_BASE + (p - 1 + s) % 4;
		}
	b.m = (struct pci_imap){ .map = b.cells, .nr_cells = b.nr, .mask = virt_mask,
				 .nr_mask = 4, .addr_cells = 3, .int_cells = 1,
				 .parent_phandle = PLIC, .parent_addr_cells = parent_addr_cells,
				 .parent_int_cells = 1 };
	return b;
}

/* The same map cut to its first @nr cells, in a buffer of exactly that size. */
static void cut(struct built *b, unsigned int nr)
{
	u32 *c = malloc(nr * sizeof(u32));

	memcpy(c, b->cells, nr * sizeof(u32));
	free(b->cells);
	b->cells = c;
	b->nr = nr;
	b->m.map = c;
	b->m.nr_cells = nr;
}

static bool has(const char *why, const char *word)
{
	return why && strstr(why, word);
}

/* before: QEMU virt's map. after: every slot (the mask keeps its low 2 bits) and pin. */
HOST_TEST(pci_imap_virt_every_slot_and_pin)
{
	struct built b = virt_map(0);

	for (u32 slot = 0; slot < 32; slot++)
		for (u8 pin = 1; pin <= 4; pin++) {
			u32 hwirq = 0;
			const char *why = pci_imap_lookup(&b.m, 0, PCI_DEVFN(slot, 0), pin, &hwirq);

			EXPECT_TRUE(why == NULL);
			EXPECT_EQ(hwirq, VIRT_BASE + (pin - 1 + slot) % 4);
		}
	/* Functions of a slot share its pins: the mask drops the function bits. */
	u32 hwirq = 0;

	EXPECT_TRUE(pci_imap_lookup(&b.m, 0, PCI_DEVFN(2, 5), 1, &hwirq) == NULL);
	EXPECT_EQ(hwirq, VIRT_BASE + 2);
	free(b.cells);
}

/* A parent with #address-cells = 1: entries of 7 cells, the source after the address. */
HOST_TEST(pci_imap_parent_address_cells_are_skipped)
{
	struct built b = virt_map(1);
	u32 hwirq = 0;

	EXPECT_TRUE(pci_imap_lookup(&b.m, 0, PCI_DEVFN(3, 0), 4, &hwirq) == NULL);
	EXPECT_EQ(hwirq, VIRT_BASE + (3 + 3) % 4);
	free(b.cells);
}

/* The swizzle, PCI-to-PCI Bridge Architecture table 9-1: INTA of slot 1 is INTB above. */
HOST_TEST(pci_swizzle_pin_table)
{
	for (u8 slot = 0; slot < 32; slot++)
		for (u8 pin = 1; pin <= 4; pin++)
			EXPECT_EQ(pci_swizzle_pin(pin, slot), (pin - 1 + slot) % 4 + 1);
	EXPECT_EQ(pci_swizzle_pin(1, 0), 1);	/* behind a root port: slot 0, unchanged */
	EXPECT_EQ(pci_swizzle_pin(2, 2), 4);	/* the worked example in pci_lib.h */
	EXPECT_EQ(pci_swizzle_pin(4, 1), 1);	/* wraps */
}

/*
 * before: INTB of slot 2 behind a bridge at slot 1, which is behind a bridge at root slot 3.
 * after: swizzled twice (INTB -> INTD -> INTA) and looked up as root slot 3's INTA.
 */
HOST_TEST(pci_imap_device_behind_two_bridges)
{
	struct built b = virt_map(0);
	u8 pin = pci_swizzle_pin(pci_swizzle_pin(2, 2), 1);
	u32 hwirq = 0;

	EXPECT_EQ(pin, 1);
	EXPECT_TRUE(pci_imap_lookup(&b.m, 0, PCI_DEVFN(3, 0), pin, &hwirq) == NULL);
	EXPECT_EQ(hwirq, VIRT_BASE + 3);
	free(b.cells);
}

/* A map cut inside its last entry: that entry is refused; earlier entries still resolve. */
HOST_TEST(pci_imap_short_entry_is_refused)
{
	struct built b = virt_map(0);
	u32 hwirq = 0;

	/* Last entry (slot 3, INTD) loses its source cell. */
	cut(&b, b.nr - 1);
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(3, 0), 4, &hwirq),
			"parent interrupt is cut off"));
	EXPECT_EQ(hwirq, 0);
	/* Now also its phandle and pin. */
	cut(&b, b.nr - 2);
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(3, 0), 4, &hwirq), "truncated"));
	EXPECT_EQ(hwirq, 0);
	EXPECT_TRUE(pci_imap_lookup(&b.m, 0, PCI_DEVFN(0, 0), 1, &hwirq) == NULL);
	EXPECT_EQ(hwirq, VIRT_BASE);
	free(b.cells);
}

/* Every possible cut of the map: a reason or a correct source, never a read past the end. */
HOST_TEST(pci_imap_every_cut_is_safe)
{
	for (unsigned int n = 1; n < 16 * 6; n++) {
		struct built b = virt_map(0);

		cut(&b, n);
		for (u32 slot = 0; slot < 4; slot++)
			for (u8 pin = 1; pin <= 4; pin++) {
				u32 hwirq = 0;
				const char *why = pci_imap_lookup(&b.m, 0, PCI_DEVFN(slot, 0), pin,
								  &hwirq);
				unsigned int end = (slot * 4 + pin) * 6;	/* its entry's end */

				EXPECT_EQ(why == NULL, end <= n);
				if (!why)
					EXPECT_EQ(hwirq, VIRT_BASE + (pin - 1 + slot) % 4);
			}
		free(b.cells);
	}
}

HOST_TEST(pci_imap_mask_of_wrong_size_is_refused)
{
	struct built b = virt_map(0);
	u32 hwirq = 0;

	b.m.nr_mask = 3;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(1, 0), 1, &hwirq),
			"interrupt-map-mask"));
	b.m.nr_mask = 5;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(1, 0), 1, &hwirq),
			"interrupt-map-mask"));
	EXPECT_EQ(hwirq, 0);
	free(b.cells);
}

HOST_TEST(pci_imap_cells_a_pci_map_cannot_have_are_refused)
{
	struct built b = virt_map(0);
	u32 hwirq = 0;

	b.m.addr_cells = 2;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(1, 0), 1, &hwirq), "not 3/1"));
	b.m.addr_cells = 3;
	b.m.int_cells = 2;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(1, 0), 1, &hwirq), "not 3/1"));
	b.m.int_cells = 1;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(1, 0), 0, &hwirq), "pin"));
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(1, 0), 5, &hwirq), "pin"));
	EXPECT_EQ(hwirq, 0);
	free(b.cells);
}

/*
 * An entry naming another parent: its length is unknown, so the walk stops there (an earlier
 * match still resolves); and a map when the PLIC itself is unknown.
 */
HOST_TEST(pci_imap_unknown_parent_is_refused)
{
	struct built b = virt_map(0);
	u32 hwirq = 0;

	b.cells[4 * 6 + 4] = OTHER;		/* slot 1, INTA's parent */
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(1, 0), 1, &hwirq),
			"other than the PLIC"));
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(2, 0), 1, &hwirq),
			"other than the PLIC"));
	EXPECT_EQ(hwirq, 0);
	EXPECT_TRUE(pci_imap_lookup(&b.m, 0, PCI_DEVFN(0, 0), 3, &hwirq) == NULL);
	EXPECT_EQ(hwirq, VIRT_BASE + 2);

	hwirq = 0;
	b.m.parent_phandle = 0;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(0, 0), 1, &hwirq),
			"no interrupt controller"));
	b.m.parent_phandle = PLIC;
	b.m.parent_int_cells = 0;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(0, 0), 1, &hwirq),
			"no interrupt controller"));
	EXPECT_EQ(hwirq, 0);
	free(b.cells);
}

HOST_TEST(pci_imap_no_match_and_source_zero_are_refused)
{
	struct built b = virt_map(0);
	u32 hwirq = 0;
	static const u32 full_mask[4] = { 0xf800, 0, 0, 7 };

	/* The whole device number compared: slots 4..31 have no entry. */
	b.m.mask = full_mask;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(5, 0), 1, &hwirq), "no interrupt-map"));
	/* The bus number is outside the mask (virt has one root bus): bus 1 resolves as 0. */
	EXPECT_TRUE(pci_imap_lookup(&b.m, 1, PCI_DEVFN(1, 0), 1, &hwirq) == NULL);
	EXPECT_EQ(hwirq, VIRT_BASE + 1);

	hwirq = 0;
	b.cells[5] = 0;				/* slot 0, INTA: source 0 */
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(0, 0), 1, &hwirq), "source 0"));
	EXPECT_EQ(hwirq, 0);

	b.m.nr_cells = 0;
	EXPECT_TRUE(has(pci_imap_lookup(&b.m, 0, PCI_DEVFN(0, 0), 1, &hwirq), "no interrupt-map"));
	free(b.cells);
}
