// SPDX-License-Identifier: MIT
/*
 * The modern virtio-pci capability checks (drivers/virtio/virtio_pci_caps.c), compiled
 * unchanged, against a simulated 256-byte configuration space laid out as QEMU lays out a
 * virtio-rng-pci (common, ISR, device, notify in BAR 4), then broken one rule at a time: a
 * structure outside its BAR (also by 32-bit wrap-around), too short, in a reserved or
 * unmappable BAR, missing, and random spaces, which must never be read out of bounds and,
 * when accepted, only ever describe structures inside their BARs.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "drivers/pci/pci_regs.h"
#include "drivers/virtio/virtio_pci_caps.h"
#include "kernel/errno.h"

static u8 *space;	/* malloc'd, exactly 256 bytes: ASan catches any read beyond */

static u32 sim_read(const struct pci_cfg_view *v, u16 where, u8 size)
{
	u32 val = 0;

	EXPECT_EQ(where % size, 0);
	EXPECT_LE(where + size, 256);
	for (u8 i = 0; i < size; i++)
		val |= (u32)space[where + i] << (8 * i);
	return val;
}

static const struct pci_cfg_view view = { .read = sim_read, .size = 256 };

static void put32(u16 where, u32 v)
{
	memcpy(space + where, &v, 4);
}

/* A virtio capability at pos, linked to next. */
static void put_cap(u8 pos, u8 next, u8 len, u8 type, u8 bar, u32 offset, u32 length)
{
	space[pos] = PCI_CAP_ID_VNDR;
	space[pos + 1] = next;
	space[pos + VIRTIO_PCI_CAP_LEN] = len;
	space[pos + VIRTIO_PCI_CAP_CFG_TYPE] = type;
	space[pos + VIRTIO_PCI_CAP_BAR] = bar;
	put32(pos + VIRTIO_PCI_CAP_OFFSET, offset);
	put32(pos + VIRTIO_PCI_CAP_LENGTH, length);
}

static struct virtio_pci_bars bars;

/*
 * before: 0x34 -> 0x40 common (BAR 4, 0x0000+0x1000) -> 0x50 ISR (0x1000+0x1000)
 *	   -> 0x60 device (0x2000+0x1000) -> 0x70 notify (0x3000+0x1000, multiplier 4);
 *	   BAR 4: 16K memory. BAR 0: 32 bytes of x86 port I/O (not mappable).
 */
static void qemu_layout(void)
{
	free(space);
	space = calloc(1, 256);
	space[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	space[PCI_CAPABILITY_LIST] = 0x40;
	put_cap(0x40, 0x50, 16, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x0000, 0x1000);
	put_cap(0x50, 0x60, 16, VIRTIO_PCI_CAP_ISR_CFG, 4, 0x1000, 0x1000);
	put_cap(0x60, 0x70, 16, VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x2000, 0x1000);
	put_cap(0x70, 0x00, 20, VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000);
	put32(0x70 + VIRTIO_PCI_NOTIFY_MULTIPLIER, 4);
	memset(&bars, 0, sizeof(bars));
	bars.len[4] = 0x4000;
	bars.mappable[4] = true;
	bars.len[0] = 32;
	bars.mappable[0] = false;
}

HOST_TEST(virtio_pci_caps_qemu_layout_parsed)
{
	struct virtio_pci_caps c;

	qemu_layout();
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), 0);
	EXPECT_EQ(c.nr_vendor, 4);
	EXPECT_EQ(c.cap[VIRTIO_PCI_CAP_COMMON_CFG].pos, 0x40);
	EXPECT_EQ(c.cap[VIRTIO_PCI_CAP_ISR_CFG].offset, 0x1000);
	EXPECT_EQ(c.cap[VIRTIO_PCI_CAP_DEVICE_CFG].length, 0x1000);
	EXPECT_EQ(c.cap[VIRTIO_PCI_CAP_NOTIFY_CFG].bar, 4);
	EXPECT_EQ(c.notify_off_multiplier, 4);
}

HOST_TEST(virtio_pci_caps_outside_bar_refused)
{
	struct virtio_pci_caps c;

	/* after: notify at 0x3800+0x1000 ends 0x800 past the 16K BAR. */
	qemu_layout();
	put32(0x70 + VIRTIO_PCI_CAP_OFFSET, 0x3800);
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -EINVAL);
	EXPECT_EQ(c.bad_type, VIRTIO_PCI_CAP_NOTIFY_CFG);
	EXPECT_TRUE(c.why && strstr(c.why, "outside"));

	/* after: offset + length wraps in 32 bits (0xfffff000 + 0x2000 = 0x1000). */
	qemu_layout();
	put32(0x60 + VIRTIO_PCI_CAP_OFFSET, 0xfffff000);
	put32(0x60 + VIRTIO_PCI_CAP_LENGTH, 0x2000);
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -EINVAL);
	EXPECT_EQ(c.bad_type, VIRTIO_PCI_CAP_DEVICE_CFG);

	/* after: the common structure is in BAR 2, which has no address (length 0). */
	qemu_layout();
	space[0x40 + VIRTIO_PCI_CAP_BAR] = 2;
	bars.mappable[2] = true;
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -EINVAL);
	EXPECT_EQ(c.bad_type, VIRTIO_PCI_CAP_COMMON_CFG);
}

HOST_TEST(virtio_pci_caps_short_structure_refused)
{
	struct virtio_pci_caps c;

	/* after: a 40-byte common config, which must be at least 56. */
	qemu_layout();
	put32(0x40 + VIRTIO_PCI_CAP_LENGTH, 40);
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -EINVAL);
	EXPECT_EQ(c.bad_type, VIRTIO_PCI_CAP_COMMON_CFG);
	EXPECT_TRUE(c.why && strstr(c.why, "shorter"));

	/* after: a notify capability of 16 bytes has no multiplier: passed over, so missing. */
	qemu_layout();
	space[0x70 + VIRTIO_PCI_CAP_LEN] = 16;
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -EINVAL);
	EXPECT_EQ(c.bad_type, VIRTIO_PCI_CAP_NOTIFY_CFG);
	EXPECT_EQ(c.cap[VIRTIO_PCI_CAP_NOTIFY_CFG].pos, 0);
}

HOST_TEST(virtio_pci_caps_unusable_bar_skipped_for_the_next)
{
	struct virtio_pci_caps c;

	/*
	 * after: 0x34 -> 0x80 notify in port BAR 0 -> 0x90 notify in reserved BAR 9 -> 0x40 ...
	 * (QEMU's modern-pio-notify lists its I/O notify first); the memory one is chosen.
	 */
	qemu_layout();
	space[PCI_CAPABILITY_LIST] = 0x80;
	put_cap(0x80, 0x90, 20, VIRTIO_PCI_CAP_NOTIFY_CFG, 0, 0, 4);
	put_cap(0x90, 0x40, 20, VIRTIO_PCI_CAP_NOTIFY_CFG, 9, 0, 4);
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), 0);
	EXPECT_EQ(c.cap[VIRTIO_PCI_CAP_NOTIFY_CFG].pos, 0x70);
	EXPECT_EQ(c.nr_vendor, 6);

	/* after: the only common structure is in a reserved BAR: missing, by name. */
	qemu_layout();
	space[0x40 + VIRTIO_PCI_CAP_BAR] = 6;
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -EINVAL);
	EXPECT_EQ(c.bad_type, VIRTIO_PCI_CAP_COMMON_CFG);
	EXPECT_TRUE(c.why && strstr(c.why, "missing"));
}

HOST_TEST(virtio_pci_caps_none_is_legacy_only)
{
	struct virtio_pci_caps c;

	/* after: no capability list at all, then one with only a non-virtio vendor entry. */
	qemu_layout();
	space[PCI_STATUS] = 0;
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -ENOENT);
	qemu_layout();
	put_cap(0x40, 0x00, 8, 0, 0, 0, 0);
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -ENOENT);
	/* after: a capability at 0xf8 claiming 16 bytes would run off the space: not read. */
	qemu_layout();
	space[PCI_CAPABILITY_LIST] = 0xf8;
	space[0xf8] = PCI_CAP_ID_VNDR;
	space[0xf9] = 0;
	space[0xfa] = 16;
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), -ENOENT);
}

HOST_TEST(virtio_pci_caps_loop_ends)
{
	struct virtio_pci_caps c;

	/* after: notify points back at common: the walk stops; notify was seen once. */
	qemu_layout();
	space[0x71] = 0x40;
	EXPECT_EQ(virtio_pci_parse_caps(&view, &bars, &c), 0);
	EXPECT_EQ(c.nr_vendor, 4);
}

HOST_TEST(virtio_pci_caps_random_spaces)
{
	struct virtio_pci_caps c;
	unsigned int accepted = 0;

	srand(1234);
	for (unsigned int round = 0; round < 20000; round++) {
		qemu_layout();
		/* Scribble over part of the capability area (and sometimes the pointer). */
		for (unsigned int i = 0; i < 24; i++)
			space[0x40 + rand() % 0xc0] = (u8)rand();
		if (rand() % 4 == 0)
			space[PCI_CAPABILITY_LIST] = (u8)rand();
		int err = virtio_pci_parse_caps(&view, &bars, &c);

		EXPECT_TRUE(err == 0 || err == -EINVAL || err == -ENOENT);
		if (err)
			continue;
		accepted++;
		for (unsigned int t = 1; t <= VIRTIO_PCI_CAP_DEVICE_CFG; t++) {
			const struct virtio_pci_cap_info *ci = &c.cap[t];

			if (!ci->pos)
				continue;
			EXPECT_LT(ci->bar, 6);
			EXPECT_TRUE(bars.mappable[ci->bar]);
			EXPECT_LE((u64)ci->offset + ci->length, bars.len[ci->bar]);
		}
		EXPECT_NE(c.cap[VIRTIO_PCI_CAP_COMMON_CFG].pos, 0);
		EXPECT_GE(c.cap[VIRTIO_PCI_CAP_COMMON_CFG].length, VIRTIO_PCI_COMMON_MIN);
	}
	EXPECT_GT(accepted, 0);
	free(space);
	space = NULL;
}
