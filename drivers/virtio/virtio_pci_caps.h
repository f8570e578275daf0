/* SPDX-License-Identifier: MIT */
/*
 * The modern virtio-pci capabilities (virtio 1.x 4.1.4) read out of a function's
 * configuration space without trusting it: a pure function over a struct pci_cfg_view, so
 * the same checks run on real devices (virtio_pci_modern.c) and against crafted spaces on
 * the host (tests/host/test_virtio_pci.c). Nothing here maps, prints or allocates.
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_PCI_CAPS_H
#define DRIVERS_VIRTIO_VIRTIO_PCI_CAPS_H

#include "kernel/compiler.h"
#include "drivers/pci/pci_lib.h"

/* cfg_type values (4.1.4). */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_PCI_CFG		5	/* config-space window: BARs are mapped instead */
#define VIRTIO_PCI_CAP_TYPES		5

/* struct virtio_pci_cap, offsets from the capability's start in configuration space. */
#define VIRTIO_PCI_CAP_LEN		2	/* u8: length of this capability */
#define VIRTIO_PCI_CAP_CFG_TYPE		3	/* u8: which structure */
#define VIRTIO_PCI_CAP_BAR		4	/* u8: BAR index 0..5; others reserved */
#define VIRTIO_PCI_CAP_OFFSET		8	/* le32: the structure's offset in the BAR */
#define VIRTIO_PCI_CAP_LENGTH		12	/* le32: the structure's length */
#define VIRTIO_PCI_CAP_SIZE		16
#define VIRTIO_PCI_NOTIFY_MULTIPLIER	16	/* le32, notify capability only (4.1.4.4) */
#define VIRTIO_PCI_NOTIFY_CAP_SIZE	20

/* Smallest structure each type may describe: the 1.0 common config is 56 bytes. */
#define VIRTIO_PCI_COMMON_MIN		56
#define VIRTIO_PCI_NOTIFY_MIN		2	/* one 16-bit doorbell */
#define VIRTIO_PCI_ISR_MIN		1

/* One structure as its capability describes it. */
struct virtio_pci_cap_info {
	u8 pos;			/* the capability in config space; 0: none of this type */
	u8 bar;
	u32 offset;
	u32 length;
};

/* What the caller knows about the function's six BARs. */
struct virtio_pci_bars {
	u64 len[6];		/* bytes; 0 for an absent or unassigned BAR */
	bool mappable[6];	/* reachable with readl() and friends (not x86 port I/O) */
};

struct virtio_pci_caps {
	struct virtio_pci_cap_info cap[VIRTIO_PCI_CAP_TYPES + 1];	/* by cfg_type */
	u32 notify_off_multiplier;
	unsigned int nr_vendor;		/* virtio-shaped vendor capabilities seen */
	const char *why;		/* on -EINVAL: the rule broken ... */
	u8 bad_type;			/* ... by the structure of this type */
};

/*
 * Choose the first usable capability of each type (4.1.4: reserved BAR values are ignored,
 * and so is a structure in a BAR that cannot be mapped, for the next of its type) and
 * check each chosen one: long enough for its structure, and [offset, offset + length)
 * inside its BAR. COMMON, NOTIFY and ISR are required; DEVICE is optional.
 * Return: 0; -ENOENT with no virtio capability at all (the device may be legacy only);
 * -EINVAL with out->why and out->bad_type saying which structure broke which rule.
 */
int virtio_pci_parse_caps(const struct pci_cfg_view *v, const struct virtio_pci_bars *bars,
			  struct virtio_pci_caps *out);

/* "common", "notify", ... for messages. */
const char *virtio_pci_cap_name(unsigned int type);

#endif /* DRIVERS_VIRTIO_VIRTIO_PCI_CAPS_H */
