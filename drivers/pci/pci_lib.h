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

#endif /* DRIVERS_PCI_PCI_LIB_H */
