// SPDX-License-Identifier: MIT
/*
 * What a BAR's sizing probe means (PCI 3.0 6.2.5.1).
 *
 * A BAR's low bits say what it is: bit 0 set is I/O space (bits 1:0 read-only), else memory
 * with bits 2:1 the type (00 32-bit, 10 64-bit: this BAR and the next form one address) and
 * bit 3 prefetchable (bits 3:0 read-only). The address bits a device does not decode are
 * hard-wired to 0, so after writing all ones the BAR reads back a mask whose lowest set
 * address bit is the size. Worked example: a 16 KiB 64-bit prefetchable BAR reads back
 * 0xffffc00c in the low half and 0xffffffff in the high one: the mask is
 * 0xffffffffffffc000, and ~mask + 1 = 0x4000.
 *
 * Checks: the mask's ones must run contiguously from the top (else the "size" is not a
 * power of two and no placement is right); a 64-bit BAR needs a next slot; memory type 01
 * (below 1 MiB, dropped in PCI 2.2) and 11 are reserved. I/O BARs may implement only the
 * low 16 address bits (x86 ports), so a mask with an empty upper half counts as 16-bit.
 */
#include "drivers/pci/pci_lib.h"
#include "drivers/pci/pci_regs.h"

/* Is mask of the form 1...10...0 (at least one 1)? Then ~mask + 1 is a power of two. */
static bool mask_contiguous(u64 mask)
{
	u64 size = ~mask + 1;

	return mask && (size & (size - 1)) == 0;
}

const char *pci_bar_decode(u32 lo, u32 lo_ones, u32 hi, u32 hi_ones, bool has_hi,
			   struct pci_bar_decoded *out)
{
	*out = (struct pci_bar_decoded){ 0 };
	if (lo & PCI_BASE_ADDRESS_SPACE_IO) {
		u32 mask = lo_ones & PCI_BASE_ADDRESS_IO_MASK;

		if (!mask)
			return NULL;		/* not implemented */
		if (!(mask & 0xffff0000u))
			mask |= 0xffff0000u;	/* decodes 16 address bits only */
		if (!mask_contiguous(0xffffffff00000000ull | mask))
			return "I/O size mask is not a power of two";
		out->flags = PCI_BAR_IO;
		out->addr = lo & PCI_BASE_ADDRESS_IO_MASK;
		out->size = (u32)(~mask + 1);
		return NULL;
	}
	u64 mask = lo_ones & PCI_BASE_ADDRESS_MEM_MASK;
	u64 addr = lo & PCI_BASE_ADDRESS_MEM_MASK;
	u32 flags = PCI_BAR_MEM;

	switch (lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) {
	case PCI_BASE_ADDRESS_MEM_TYPE_32:
		if (!mask)
			return NULL;
		mask |= 0xffffffff00000000ull;	/* a 32-bit BAR decodes nothing above 4 GiB */
		break;
	case PCI_BASE_ADDRESS_MEM_TYPE_64:
		if (!has_hi)
			return "64-bit memory BAR in the last slot (no upper half)";
		mask |= (u64)hi_ones << 32;
		addr |= (u64)hi << 32;
		flags |= PCI_BAR_64;
		if (!mask)
			return NULL;
		break;
	default:
		return "reserved memory type";
	}
	if (!mask_contiguous(mask))
		return "memory size mask is not a power of two";
	if (lo & PCI_BASE_ADDRESS_MEM_PREFETCH)
		flags |= PCI_BAR_PREFETCH;
	out->flags = flags;
	out->addr = addr;
	out->size = ~mask + 1;
	return NULL;
}
