// SPDX-License-Identifier: MIT
/*
 * The modern virtio-pci capabilities, chosen and checked without trusting the device
 * (virtio 1.x 4.1.4). See virtio_pci_caps.h.
 *
 * The list itself is walked by drivers/pci's walker, which stops at loops and pointers
 * outside the capability area. Each vendor capability is read only inside its own stated
 * length, and only once that length is known to fit the 256-byte conventional space; a
 * capability shorter than struct virtio_pci_cap is not a virtio one and is passed over.
 */
#include "drivers/virtio/virtio_pci_caps.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"

static const char *const cap_names[VIRTIO_PCI_CAP_TYPES + 1] = {
	[0] = "unknown",
	[VIRTIO_PCI_CAP_COMMON_CFG] = "common",
	[VIRTIO_PCI_CAP_NOTIFY_CFG] = "notify",
	[VIRTIO_PCI_CAP_ISR_CFG] = "ISR",
	[VIRTIO_PCI_CAP_DEVICE_CFG] = "device",
	[VIRTIO_PCI_CAP_PCI_CFG] = "pci-cfg",
};

const char *virtio_pci_cap_name(unsigned int type)
{
	return type <= VIRTIO_PCI_CAP_TYPES ? cap_names[type] : cap_names[0];
}

static int caps_bad(struct virtio_pci_caps *out, u8 type, const char *why)
{
	out->bad_type = type;
	out->why = why;
	return -EINVAL;
}

/* The chosen structure of `type` fits its BAR and is at least min bytes long. */
static int cap_check(struct virtio_pci_caps *out, const struct virtio_pci_bars *bars,
		     u8 type, u32 min)
{
	const struct virtio_pci_cap_info *c = &out->cap[type];

	if (c->length < min)
		return caps_bad(out, type, "is shorter than its structure");
	/* 64-bit sum: offset and length are each 32 bits the device chose. */
	if ((u64)c->offset + c->length > bars->len[c->bar])
		return caps_bad(out, type, "points outside its BAR");
	return 0;
}

int virtio_pci_parse_caps(const struct pci_cfg_view *v, const struct virtio_pci_bars *bars,
			  struct virtio_pci_caps *out)
{
	struct pci_cap_iter it;
	int err;

	*out = (struct virtio_pci_caps){ 0 };
	pci_cap_iter_init(&it);
	while (pci_cap_next(v, &it)) {
		u16 pos = it.pos;
		u8 cap_len, type, bar;

		if ((u8)v->read(v, pos, 1) != PCI_CAP_ID_VNDR)
			continue;
		cap_len = (u8)v->read(v, pos + VIRTIO_PCI_CAP_LEN, 1);
		if (cap_len < VIRTIO_PCI_CAP_SIZE || pos + cap_len > 0x100)
			continue;	/* not a virtio structure, or runs off the space */
		out->nr_vendor++;
		type = (u8)v->read(v, pos + VIRTIO_PCI_CAP_CFG_TYPE, 1);
		bar = (u8)v->read(v, pos + VIRTIO_PCI_CAP_BAR, 1);
		if (type == 0 || type > VIRTIO_PCI_CAP_TYPES || out->cap[type].pos)
			continue;	/* a type we do not use, or not the first of its type */
		if (bar >= 6 || !bars->mappable[bar])
			continue;	/* reserved BAR value, or one we cannot reach: the next */
		if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
			if (cap_len < VIRTIO_PCI_NOTIFY_CAP_SIZE)
				continue;	/* no room for the multiplier */
			out->notify_off_multiplier = v->read(v, pos + VIRTIO_PCI_NOTIFY_MULTIPLIER, 4);
		}
		out->cap[type] = (struct virtio_pci_cap_info){
			.pos = (u8)pos, .bar = bar,
			.offset = v->read(v, pos + VIRTIO_PCI_CAP_OFFSET, 4),
			.length = v->read(v, pos + VIRTIO_PCI_CAP_LENGTH, 4),
		};
	}
	if (!out->nr_vendor)
		return -ENOENT;
	for (u8 t = VIRTIO_PCI_CAP_COMMON_CFG; t <= VIRTIO_PCI_CAP_ISR_CFG; t++)
		if (!out->cap[t].pos)
			return caps_bad(out, t, "is missing (or only in unusable BARs)");
	err = cap_check(out, bars, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_MIN);
	if (!err)
		err = cap_check(out, bars, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_MIN);
	if (!err)
		err = cap_check(out, bars, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_MIN);
	if (!err && out->cap[VIRTIO_PCI_CAP_DEVICE_CFG].pos)
		err = cap_check(out, bars, VIRTIO_PCI_CAP_DEVICE_CFG, 0);
	return err;
}
