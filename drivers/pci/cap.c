// SPDX-License-Identifier: MIT
/*
 * Capability lists, walked without trusting the device (PCI 3.0 6.7; PCI Express 7.6).
 *
 * A capability list is a linked list the device stores in its own configuration space: the
 * status register says whether there is one, PCI_CAPABILITY_LIST (0x34) points at the
 * first entry, and each entry's second byte points at the next, 0 ending the list. Nothing
 * stops a broken or hostile device from pointing back at an earlier entry, at the header,
 * or at an odd address. So each pointer is checked before it is followed:
 *  - conventional entries live between 0x40 (the end of the header) and 0xfc, dword
 *    aligned (the spec reserves the two low bits; a device setting them is broken);
 *  - extended entries (PCI Express, reachable through ECAM only) live between 0x100 and
 *    0xffc, also dword aligned;
 *  - a pointer to a dword already visited is a loop: found at its first repeat, so the walk
 *    is bounded by the number of dwords (48 or 960) whatever the device does.
 * A broken list ends the walk with the reason kept for the caller's message; the entries
 * before the bad pointer stay usable.
 */
#include "drivers/pci/pci_lib.h"
#include "drivers/pci/pci_regs.h"

void pci_cap_iter_init(struct pci_cap_iter *it)
{
	*it = (struct pci_cap_iter){ 0 };
}

/* Record a bad pointer and end the walk. */
static bool cap_broken(struct pci_cap_iter *it, u16 ptr, const char *why)
{
	it->broken = true;
	it->done = true;
	it->why = why;
	it->bad_pos = ptr;
	it->pos = 0;
	return false;
}

/* Mark dword `idx` of the list's range visited; false if it was already (a loop). */
static bool cap_visit(struct pci_cap_iter *it, unsigned int idx)
{
	u64 bit = 1ULL << (idx % 64);

	if (it->visited[idx / 64] & bit)
		return false;
	it->visited[idx / 64] |= bit;
	return true;
}

bool pci_cap_next(const struct pci_cfg_view *v, struct pci_cap_iter *it)
{
	u16 ptr;

	if (it->done)
		return false;
	if (!it->pos) {
		u16 status = (u16)v->read(v, PCI_STATUS, 2);

		/* All ones: the function is gone, not a list with every bit set. */
		if (status == 0xffff || !(status & PCI_STATUS_CAP_LIST)) {
			it->done = true;
			return false;
		}
		ptr = (u16)v->read(v, PCI_CAPABILITY_LIST, 1);
	} else {
		ptr = (u16)v->read(v, it->pos + PCI_CAP_LIST_NEXT, 1);
	}
	if (!ptr) {
		it->done = true;
		it->pos = 0;
		return false;
	}
	if (ptr < 0x40 || ptr > 0xfc)
		return cap_broken(it, ptr, "points outside 0x40..0xfc");
	if (ptr & 3)
		return cap_broken(it, ptr, "is not dword aligned");
	if (it->steps >= PCI_CAP_MAX || !cap_visit(it, (ptr - 0x40) / 4))
		return cap_broken(it, ptr, "loops back to an entry already seen");
	it->pos = ptr;
	it->steps++;
	return true;
}

bool pci_ext_cap_next(const struct pci_cfg_view *v, struct pci_cap_iter *it)
{
	u16 ptr;

	if (it->done)
		return false;
	if (v->size < PCI_CFG_SPACE_EXP_SIZE) {
		it->done = true;
		return false;
	}
	if (!it->pos) {
		u32 hdr = v->read(v, PCI_EXT_CAP_START, 4);

		/* 0: no extended capabilities; all ones: no extended space behind ECAM. */
		if (hdr == 0 || hdr == 0xffffffff) {
			it->done = true;
			return false;
		}
		ptr = PCI_EXT_CAP_START;
	} else {
		ptr = (u16)(v->read(v, it->pos, 4) >> 20);
		if (!ptr) {
			it->done = true;
			it->pos = 0;
			return false;
		}
	}
	if (ptr < PCI_EXT_CAP_START)
		return cap_broken(it, ptr, "points below 0x100");
	if (ptr & 3)
		return cap_broken(it, ptr, "is not dword aligned");
	if (it->steps >= PCI_EXT_CAP_MAX || !cap_visit(it, (ptr - PCI_EXT_CAP_START) / 4))
		return cap_broken(it, ptr, "loops back to an entry already seen");
	it->pos = ptr;
	it->steps++;
	return true;
}

u8 pci_cap_find(const struct pci_cfg_view *v, u8 from, u8 id)
{
	struct pci_cap_iter it;
	bool past = from == 0;

	pci_cap_iter_init(&it);
	while (pci_cap_next(v, &it)) {
		if (past && (u8)v->read(v, it.pos + PCI_CAP_LIST_ID, 1) == id)
			return (u8)it.pos;
		if (it.pos == from)
			past = true;
	}
	return 0;
}

u16 pci_ext_cap_find(const struct pci_cfg_view *v, u16 id)
{
	struct pci_cap_iter it;

	pci_cap_iter_init(&it);
	while (pci_ext_cap_next(v, &it))
		if (PCI_EXT_CAP_ID(v->read(v, it.pos, 4)) == id)
			return it.pos;
	return 0;
}
