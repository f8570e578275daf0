/* SPDX-License-Identifier: MIT */
/*
 * What drivers/pci reads out of a function's configuration space without trusting it: the
 * capability lists (cap.c) and what a BAR's sizing probe means (bar.c). Both work on a
 * struct pci_cfg_view, a read function over one function's space, so the same code runs on
 * real devices in the kernel and against a simulated space on the host (tests/host).
 *
 * Nothing here allocates, locks or prints: errors come back as values with a reason.
 */
#ifndef DRIVERS_PCI_PCI_LIB_H
#define DRIVERS_PCI_PCI_LIB_H

#include "kernel/compiler.h"

/* One function's configuration space as the pure helpers see it. */
struct pci_cfg_view {
	/* Read `size` (1, 2 or 4) bytes at `where` (aligned to size); all ones if absent. */
	u32 (*read)(const struct pci_cfg_view *v, u16 where, u8 size);
	u16 size;			/* 256 (conventional) or 4096 (PCI Express on ECAM) */
	void *ctx;			/* the reader's own */
};

/*
 * Walking a capability list: `pos` is the current capability (0 before the first). A
 * device may present a list that loops or points outside its space; the walk stops there
 * with `broken` set and `why` naming the problem at `bad_pos` (the pointer's value).
 *
 * Conventional list: pointers live in 0x40..0xfc (the header is below), dword aligned; at
 * most 48 capabilities fit, so 48 steps end any honest list and a visited set catches a
 * loop at its first repeat. Extended list: 0x100..0xffc, at most 960 entries, same checks.
 */
#define PCI_CAP_MAX		48	/* (0x100 - 0x40) / 4 */
#define PCI_EXT_CAP_MAX		960	/* (0x1000 - 0x100) / 4 */

struct pci_cap_iter {
	u16 pos;			/* current capability, 0 before the first / at the end */
	u16 steps;			/* capabilities returned so far */
	bool done;			/* the list ended (or broke): no more */
	bool broken;			/* the walk stopped on a bad pointer */
	const char *why;		/* ... because of this */
	u16 bad_pos;			/* ... which pointed here */
	u64 visited[PCI_EXT_CAP_MAX / 64 + 1];	/* dwords seen, from the list's start */
};

/* Start a walk. */
void pci_cap_iter_init(struct pci_cap_iter *it);
/* Advance to the next conventional capability; false at the end or when broken. */
bool pci_cap_next(const struct pci_cfg_view *v, struct pci_cap_iter *it);
/* Advance to the next extended capability (only if v->size is 4096); false at the end. */
bool pci_ext_cap_next(const struct pci_cfg_view *v, struct pci_cap_iter *it);
/* The first conventional capability with this id after `from` (0: from the start); 0 if none. */
u8 pci_cap_find(const struct pci_cfg_view *v, u8 from, u8 id);
/* The first extended capability with this id; 0 if none (or conventional space only). */
u16 pci_ext_cap_find(const struct pci_cfg_view *v, u16 id);

/* ---- BARs ---- */

/* What a BAR is (struct pci_bar's flags, drivers/pci/pci.h). */
#define PCI_BAR_IO		0x01u	/* I/O space */
#define PCI_BAR_MEM		0x02u	/* memory space */
#define PCI_BAR_64		0x04u	/* 64-bit memory: takes this BAR and the next */
#define PCI_BAR_PREFETCH	0x08u	/* prefetchable memory */
#define PCI_BAR_ASSIGNED	0x10u	/* holds an address inside a host window (or firmware's) */
#define PCI_BAR_PORT		0x20u	/* I/O reached with port instructions (x86), not mapped */

/* What decoding one BAR's probe found. */
struct pci_bar_decoded {
	u32 flags;			/* PCI_BAR_IO/MEM/64/PREFETCH; 0: not implemented */
	u64 addr;			/* the bus address it held before the probe */
	u64 size;			/* a power of two; 0: not implemented */
};

/*
 * Decode a BAR from its original value(s) and what it read back after all ones were
 * written: `lo`/`lo_ones` the BAR, `hi`/`hi_ones` the next one (only looked at for a
 * 64-bit memory BAR; `has_hi` false when this is the last BAR slot).
 * Return: NULL and *out filled (flags 0 for an unimplemented BAR), or a reason the BAR is
 * unusable: a reserved memory type, a 64-bit BAR without an upper half, or a size mask
 * whose ones are not contiguous from the top (not a power of two).
 */
const char *pci_bar_decode(u32 lo, u32 lo_ones, u32 hi, u32 hi_ones, bool has_hi,
			   struct pci_bar_decoded *out);

/* ---- INTx routing through a device tree interrupt-map (irq_map.c) ---- */

/*
 * A host bridge's interrupt-map as boot_info keeps it (raw cells in blob order) and the one
 * interrupt parent the kernel knows (the PLIC). Each entry is: child unit address
 * (addr_cells; for PCI phys.hi = bus << 16 | devfn << 8, then phys.mid, phys.lo), child
 * interrupt (int_cells; the pin, 1..4), parent phandle, parent unit address
 * (parent_addr_cells), parent interrupt (parent_int_cells; the first cell is the source).
 * An entry's length depends on its parent, so an entry naming another parent cannot be
 * stepped over: the lookup stops there with a reason.
 */
struct pci_imap {
	const u32 *map;			/* the entries' cells */
	unsigned int nr_cells;
	const u32 *mask;		/* interrupt-map-mask: addr_cells + int_cells cells */
	unsigned int nr_mask;
	u32 addr_cells;			/* the host node's #address-cells (3 for PCI) */
	u32 int_cells;			/* its #interrupt-cells (1 for PCI) */
	u32 parent_phandle;		/* the parent the kernel drives; 0: none known */
	u32 parent_addr_cells;		/* its #address-cells */
	u32 parent_int_cells;		/* its #interrupt-cells (>= 1) */
};

/*
 * The pin a device behind a PCI-to-PCI bridge raises on the bridge's own bus (PCI-to-PCI
 * Bridge Architecture 1.2, table 9-1): INTA of slot 1 is INTB above. @pin 1..4, @slot the
 * device number on the bridge's secondary bus. Worked example: slot 2, INTB (2) ->
 * (2 - 1 + 2) % 4 + 1 = 4, INTD.
 */
static inline u8 pci_swizzle_pin(u8 pin, u8 slot)
{
	return (u8)((pin - 1u + slot) % 4u + 1u);
}

/*
 * The parent interrupt of (@bus, @devfn, @pin) on the host's root bus: the first entry whose
 * child address and interrupt, masked, equal the device's, masked (a device behind bridges
 * is looked up as its root-bus bridge with the swizzled pin).
 * Return: NULL and *@hwirq set (> 0), or a reason: a mask of the wrong size, cell counts a PCI
 * map cannot have, a truncated entry, an entry naming an unknown parent before the match, no
 * entry matching, or a match naming source 0.
 */
const char *pci_imap_lookup(const struct pci_imap *m, u8 bus, u8 devfn, u8 pin, u32 *hwirq);

#endif /* DRIVERS_PCI_PCI_LIB_H */
