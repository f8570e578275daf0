// SPDX-License-Identifier: MIT
/*
 * ktest suite `pci`: what pci_init() found on this machine holds together — a host bridge
 * on the root bus, all ones from functions that are not there, every BAR inside a host
 * window (where the kernel placed them), aligned and overlapping no other, bridges'
 * bus numbers nested, capability walks that end — and the walkers and BAR decoding stop
 * on a simulated device whose list loops or points outside its space.
 *
 * Boots without any PCI host (riscv64 sifive_u) skip the machine cases.
 */
#include "kernel/ktest.h"
#include "kernel/boot_info.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "drivers/pci/pci.h"
#include <asm/io.h>

static bool need_pci(struct ktest *t)
{
	if (!pci_host_count()) {
		ktest_skip(t, "no PCI host bridge on this machine");
		return false;
	}
	return true;
}

/* Every host described by the firmware was set up, and bus 0 holds a host bridge. */
static void host_bridge_found(struct ktest *t)
{
	struct pci_host_info h;
	struct pci_dev *dev;
	unsigned int i;
	bool found = false;

	if (!need_pci(t))
		return;
	KT_EXPECT_EQ(t, pci_host_count(), boot_info.nr_pci_hosts);
	KT_ASSERT_TRUE(t, pci_host_get(0, &h));
	for_each_pci_dev(dev, i)
		if (dev->bus == h.bus_start && dev->class >> 8 == 0x0600)
			found = true;
	KT_EXPECT_TRUE(t, found);
	KT_EXPECT_GE(t, h.last_bus, h.bus_start);
	KT_EXPECT_LE(t, h.last_bus, h.bus_end);
}

/* A slot nobody answers on reads as all ones, in every width; so does a bus out of range. */
static void absent_function_reads_ones(struct ktest *t)
{
	struct pci_host_info h;
	unsigned int checked = 0;

	if (!need_pci(t))
		return;
	KT_ASSERT_TRUE(t, pci_host_get(0, &h));
	for (u8 slot = 1; slot < 32 && !checked; slot++) {
		u8 devfn = PCI_DEVFN(slot, 0);

		if (pci_host_read(0, h.bus_start, devfn, PCI_VENDOR_ID, 2) != 0xffff)
			continue;
		KT_EXPECT_EQ(t, pci_host_read(0, h.bus_start, devfn, PCI_VENDOR_ID, 4),
			     0xffffffffu);
		KT_EXPECT_EQ(t, pci_host_read(0, h.bus_start, devfn, PCI_HEADER_TYPE, 1), 0xff);
		KT_EXPECT_EQ(t, pci_host_read(0, h.bus_start, devfn, PCI_CLASS_DEVICE, 2),
			     0xffff);
		checked++;
	}
	KT_EXPECT_EQ(t, checked, 1);
	if (h.bus_end < 0xff)
		KT_EXPECT_EQ(t, pci_host_read(0, h.bus_end + 1, 0, PCI_VENDOR_ID, 2), 0xffff);
	/* Beyond 4 KiB, and beyond 256 bytes without ECAM: nothing there. */
	KT_EXPECT_EQ(t, pci_host_read(0, h.bus_start, 0, 0xffc + 4, 4), 0xffffffffu);
	if (h.access != BOOT_PCI_ECAM)
		KT_EXPECT_EQ(t, pci_host_read(0, h.bus_start, 0, 0x100, 4), 0xffffffffu);
}

static bool in_window(const struct pci_host_info *h, const struct pci_bar *b)
{
	for (unsigned int i = 0; i < h->nr_windows; i++) {
		const struct boot_pci_window *w = &h->windows[i];
		bool io = w->type == BOOT_PCI_WIN_IO;

		if (io != !!(b->flags & PCI_BAR_IO))
			continue;
		if (b->bus_addr >= w->pci_base && b->bus_addr + b->size <= w->pci_base + w->size &&
		    b->cpu_addr == w->cpu_base + (b->bus_addr - w->pci_base))
			return true;
	}
	return false;
}

/* Where the kernel placed BARs: each lies in a window of its kind, at the right CPU address. */
static void bars_within_windows(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int i, n = 0;

	if (!need_pci(t))
		return;
	for_each_pci_dev(dev, i) {
		struct pci_host_info h;

		for (unsigned int k = 0; k < pci_host_count(); k++) {
			KT_ASSERT_TRUE(t, pci_host_get(k, &h));
			if (h.segment == dev->segment)
				break;
		}
		for (unsigned int b = 0; b < dev->nr_bars; b++) {
			const struct pci_bar *bar = &dev->bar[b];

			if (!(bar->flags & PCI_BAR_ASSIGNED))
				continue;
			/* Every assigned BAR is naturally aligned and nonzero. */
			KT_EXPECT_EQ(t, bar->bus_addr & (bar->size - 1), 0);
			KT_EXPECT_NE(t, bar->bus_addr, 0);
			if (!h.nr_windows)
				continue;	/* x86: the firmware's placement, windows unknown */
			if (!in_window(&h, bar))
				ktest_log(t, "%02x:%02x.%u BAR %u at %#llx size %#llx outside every window",
					  dev->bus, PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn), b,
					  (unsigned long long)bar->bus_addr,
					  (unsigned long long)bar->size);
			KT_EXPECT_TRUE(t, in_window(&h, bar));
			n++;
		}
	}
	ktest_log(t, "%u BARs checked against the host windows", n);
}

/* No two BARs of the same space overlap. */
static void bars_do_not_overlap(struct ktest *t)
{
	struct pci_dev *a, *b;
	unsigned int i, j, pairs = 0;

	if (!need_pci(t))
		return;
	for_each_pci_dev(a, i) {
		for_each_pci_dev(b, j) {
			for (unsigned int x = 0; x < a->nr_bars; x++) {
				for (unsigned int y = 0; y < b->nr_bars; y++) {
					const struct pci_bar *p = &a->bar[x], *q = &b->bar[y];

					if ((a == b && x == y) || !(p->flags & PCI_BAR_ASSIGNED) ||
					    !(q->flags & PCI_BAR_ASSIGNED) ||
					    (p->flags & PCI_BAR_PORT) != (q->flags & PCI_BAR_PORT))
						continue;
					pairs++;
					KT_EXPECT_TRUE(t, p->cpu_addr + p->size <= q->cpu_addr ||
						       q->cpu_addr + q->size <= p->cpu_addr);
				}
			}
		}
	}
	ktest_log(t, "%u BAR pairs checked", pairs);
}

/* Bridges: secondary above the bridge's bus, subordinate covering everything behind it. */
static void bridge_bus_numbers_nest(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int i;

	if (!need_pci(t))
		return;
	for_each_pci_dev(dev, i) {
		if (dev->parent) {
			KT_EXPECT_GE(t, dev->bus, dev->parent->secondary);
			KT_EXPECT_LE(t, dev->bus, dev->parent->subordinate);
		}
		if (dev->hdr_type != PCI_HEADER_TYPE_BRIDGE || dev->disabled)
			continue;
		KT_EXPECT_GT(t, dev->secondary, dev->bus);
		KT_EXPECT_GE(t, dev->subordinate, dev->secondary);
		KT_EXPECT_EQ(t, pci_read_config8(dev, PCI_SECONDARY_BUS), dev->secondary);
		KT_EXPECT_EQ(t, pci_read_config8(dev, PCI_SUBORDINATE_BUS), dev->subordinate);
	}
}

/* Every real device's capability lists end cleanly, within the bound. */
static void capability_walks_end(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int i, caps = 0;

	if (!need_pci(t))
		return;
	for_each_pci_dev(dev, i) {
		struct pci_cfg_view v;
		struct pci_cap_iter it;

		pci_dev_cfg_view(dev, &v);
		pci_cap_iter_init(&it);
		while (pci_cap_next(&v, &it))
			caps++;
		KT_EXPECT_FALSE(t, it.broken);
		KT_EXPECT_LE(t, it.steps, PCI_CAP_MAX);
		pci_cap_iter_init(&it);
		while (pci_ext_cap_next(&v, &it))
			caps++;
		KT_EXPECT_FALSE(t, it.broken);
		/* The MSI-X capability found by id is one the walk saw. */
		u8 msix = pci_find_capability(dev, PCI_CAP_ID_MSIX);

		if (msix)
			KT_EXPECT_EQ(t, pci_read_config8(dev, msix), PCI_CAP_ID_MSIX);
	}
	ktest_log(t, "%u capabilities walked", caps);
}

/* Decoding stays off until a driver asks, where the kernel placed the BARs. */
static void decoding_off_until_enabled(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int i, n = 0;

	if (!need_pci(t))
		return;
	for_each_pci_dev(dev, i) {
		struct pci_host_info h;

		KT_ASSERT_TRUE(t, pci_host_get(0, &h));
		if (!h.nr_windows || dev->driver || dev->hdr_type != PCI_HEADER_TYPE_NORMAL)
			continue;
		KT_EXPECT_EQ(t, pci_read_config16(dev, PCI_COMMAND) &
				(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER), 0);
		n++;
	}
	if (!n)
		ktest_skip(t, "the firmware placed the BARs (x86): its command bits stand");
}

/*
 * The registry matches by vendor/device and by class under a mask: a driver for every
 * host bridge (class 06 00) is offered each one and nothing else. Its probe declines
 * (-ENODEV), so nothing stays bound and the real drivers are not disturbed.
 */
static unsigned int probe_calls, probe_mismatches;

static int decline_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	probe_calls++;
	if (dev->class >> 8 != 0x0600 || id->class != 0x060000)
		probe_mismatches++;
	return -ENODEV;
}

static void driver_match_by_class(struct ktest *t)
{
	static const struct pci_device_id ids[] = {
		{ .vendor = PCI_ANY_ID, .device = PCI_ANY_ID, .class = 0x060000,
		  .class_mask = 0xffff00 },
		{ 0 }
	};
	static const struct pci_driver drv = { .name = "ktest-decline", .id_table = ids,
					       .probe = decline_probe };
	struct pci_dev *dev;
	unsigned int i, want = 0;

	if (!need_pci(t))
		return;
	for_each_pci_dev(dev, i)
		want += dev->class >> 8 == 0x0600 && !dev->driver && !dev->disabled;
	probe_calls = probe_mismatches = 0;
	KT_EXPECT_EQ(t, pci_register_driver(&drv), 0);
	KT_EXPECT_EQ(t, probe_calls, want);
	KT_EXPECT_EQ(t, probe_mismatches, 0);
	for_each_pci_dev(dev, i)
		KT_EXPECT_TRUE(t, dev->driver != &drv);
}

/* A device-tree host keeps its interrupt-map raw: the mask is one child specifier long. */
static void host_interrupt_map_recorded(struct ktest *t)
{
	if (!need_pci(t))
		return;
	const struct boot_pci_host *h = &boot_info.pci_hosts[0];

	if (!boot_info.fdt || !h->nr_imap_cells) {
		ktest_skip(t, "no device-tree interrupt-map for this host");
		return;
	}
	KT_EXPECT_EQ(t, h->imap_addr_cells, 3);
	KT_EXPECT_EQ(t, h->nr_imap_mask, h->imap_addr_cells + h->imap_int_cells);
	/* Each entry: child address and interrupt, a phandle, at least one parent cell. */
	KT_EXPECT_GE(t, h->nr_imap_cells, h->nr_imap_mask + 2);
	KT_EXPECT_LE(t, h->nr_imap_cells, BOOT_PCI_IMAP_MAX_CELLS);
}

/*
 * pci_iomap() reaches the device: the MSI-X table's first entry reads back masked (its
 * reset state, PCI 3.0 6.8.2.9) through the mapping. On x86 the BAR lies in a hole of the
 * direct map, so this maps it with page tables from the page allocator. The command
 * register is put back afterwards: only a driver enables a device for good. A bound
 * function counts too (virtio-pci binds every virtio-rng here) as long as its MSI-X is
 * not enabled: no driver has unmasked an entry then, and the read changes nothing.
 */
static void iomap_reaches_msix_table(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int i;

	if (!need_pci(t))
		return;
	for_each_pci_dev(dev, i) {
		u8 pos = pci_find_capability(dev, PCI_CAP_ID_MSIX);

		if (!pos || dev->disabled)
			continue;
		u32 table = pci_read_config32(dev, pos + PCI_MSIX_TABLE);
		unsigned int bir = table & 7;
		u32 off = table & ~7u;

		if (bir >= PCI_NUM_BARS || !(dev->bar[bir].flags & PCI_BAR_MEM) ||
		    !(dev->bar[bir].flags & PCI_BAR_ASSIGNED) || off + 16 > dev->bar[bir].size ||
		    (pci_read_config16(dev, pos + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE))
			continue;
		u16 cmd = pci_read_config16(dev, PCI_COMMAND);

		KT_ASSERT_EQ(t, pci_enable_device(dev), 0);
		KT_EXPECT_NE(t, pci_read_config16(dev, PCI_COMMAND) & PCI_COMMAND_MEMORY, 0);
		u8 __iomem *regs = pci_iomap(dev, bir);

		KT_EXPECT_NOT_NULL(t, regs);
		if (regs) {
			u32 ctrl = readl(regs + off + 12);

			ktest_log(t, "%02x:%02x.%u BAR %u at %#llx: MSI-X entry 0 vector control %#x",
				  dev->bus, PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn), bir,
				  (unsigned long long)dev->bar[bir].cpu_addr, ctrl);
			KT_EXPECT_EQ(t, ctrl, 1);
		}
		pci_write_config16(dev, PCI_COMMAND, cmd);
		return;
	}
	ktest_skip(t, "no function with an MSI-X table (not enabled) in a memory BAR");
}

/* ---- a simulated function, for the walkers' bad-input paths ---- */

static u8 sim_space[256];

static u32 sim_read(const struct pci_cfg_view *v, u16 where, u8 size)
{
	u32 val = 0;

	for (u8 i = 0; i < size; i++)
		val |= (u32)sim_space[where + i] << (8 * i);
	return val;
}

static void sim_reset(void)
{
	memset(sim_space, 0, sizeof(sim_space));
	sim_space[PCI_STATUS] = PCI_STATUS_CAP_LIST;
}

static unsigned int sim_walk(struct pci_cap_iter *it)
{
	struct pci_cfg_view v = { .read = sim_read, .size = 256 };
	unsigned int n = 0;

	pci_cap_iter_init(it);
	while (pci_cap_next(&v, it))
		n++;
	return n;
}

/* before: 0x40 -> 0x50 -> 0x40 ...  after: two entries, then "loops back" at 0x40. */
static void capability_loop_is_cut(struct ktest *t)
{
	struct pci_cap_iter it;

	sim_reset();
	sim_space[PCI_CAPABILITY_LIST] = 0x40;
	sim_space[0x40] = PCI_CAP_ID_MSIX;
	sim_space[0x41] = 0x50;
	sim_space[0x50] = PCI_CAP_ID_VNDR;
	sim_space[0x51] = 0x40;
	KT_EXPECT_EQ(t, sim_walk(&it), 2);
	KT_EXPECT_TRUE(t, it.broken);
	KT_EXPECT_EQ(t, it.bad_pos, 0x40);
	/* A self-loop too. */
	sim_space[0x51] = 0x50;
	KT_EXPECT_EQ(t, sim_walk(&it), 2);
	KT_EXPECT_TRUE(t, it.broken);
}

/* Pointers into the header, or not dword aligned, end the walk where they are. */
static void capability_bad_pointers_stop(struct ktest *t)
{
	struct pci_cap_iter it;
	struct pci_cfg_view v = { .read = sim_read, .size = 256 };

	sim_reset();
	sim_space[PCI_CAPABILITY_LIST] = 0x10;		/* inside the header */
	KT_EXPECT_EQ(t, sim_walk(&it), 0);
	KT_EXPECT_TRUE(t, it.broken);
	sim_space[PCI_CAPABILITY_LIST] = 0x42;		/* unaligned */
	KT_EXPECT_EQ(t, sim_walk(&it), 0);
	KT_EXPECT_TRUE(t, it.broken);
	sim_space[PCI_CAPABILITY_LIST] = 0xfc;		/* the last legal entry, ending */
	sim_space[0xfc] = PCI_CAP_ID_PM;
	KT_EXPECT_EQ(t, sim_walk(&it), 1);
	KT_EXPECT_FALSE(t, it.broken);
	KT_EXPECT_EQ(t, pci_cap_find(&v, 0, PCI_CAP_ID_PM), 0xfc);
	KT_EXPECT_EQ(t, pci_cap_find(&v, 0, PCI_CAP_ID_MSI), 0);
	/* A status without the list bit: no walk at all, whatever 0x34 says. */
	sim_space[PCI_STATUS] = 0;
	KT_EXPECT_EQ(t, sim_walk(&it), 0);
	KT_EXPECT_FALSE(t, it.broken);
}

/* BAR probes: the size is the lowest set address bit of the read-back mask. */
static void bar_decode_sizes(struct ktest *t)
{
	struct pci_bar_decoded d;

	/* 16 KiB 64-bit prefetchable at 0xfe000000. */
	KT_EXPECT_NULL(t, pci_bar_decode(0xfe00000c, 0xffffc00c, 0, 0xffffffff, true, &d));
	KT_EXPECT_EQ(t, d.size, 0x4000);
	KT_EXPECT_EQ(t, d.addr, 0xfe000000);
	KT_EXPECT_EQ(t, d.flags, PCI_BAR_MEM | PCI_BAR_64 | PCI_BAR_PREFETCH);
	/* 32 ports of I/O at 0xc000, a 16-bit decoder. */
	KT_EXPECT_NULL(t, pci_bar_decode(0xc001, 0xffe1, 0, 0, true, &d));
	KT_EXPECT_EQ(t, d.size, 32);
	KT_EXPECT_EQ(t, d.flags, PCI_BAR_IO);
	/* Not implemented. */
	KT_EXPECT_NULL(t, pci_bar_decode(0, 0, 0, 0, true, &d));
	KT_EXPECT_EQ(t, d.flags, 0);
	/* A mask with a hole: no power of two. */
	KT_EXPECT_NOT_NULL(t, pci_bar_decode(0, 0xfff0f000, 0, 0, true, &d));
	/* 64-bit in the last slot, and the reserved type. */
	KT_EXPECT_NOT_NULL(t, pci_bar_decode(0x4, 0xfffff004, 0, 0, false, &d));
	KT_EXPECT_NOT_NULL(t, pci_bar_decode(0x6, 0xfffff006, 0, 0, true, &d));
}

static struct ktest_case pci_cases[] = {
	KTEST_CASE(host_bridge_found),
	KTEST_CASE(absent_function_reads_ones),
	KTEST_CASE(bars_within_windows),
	KTEST_CASE(bars_do_not_overlap),
	KTEST_CASE(bridge_bus_numbers_nest),
	KTEST_CASE(capability_walks_end),
	KTEST_CASE(decoding_off_until_enabled),
	KTEST_CASE(driver_match_by_class),
	KTEST_CASE(iomap_reaches_msix_table),
	KTEST_CASE(host_interrupt_map_recorded),
	KTEST_CASE(capability_loop_is_cut),
	KTEST_CASE(capability_bad_pointers_stop),
	KTEST_CASE(bar_decode_sizes),
	{}
};
KTEST_SUITE(pci, pci_cases);
