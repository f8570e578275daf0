// SPDX-License-Identifier: MIT
/*
 * Placing BARs and bridge windows in the host bridge's windows (where the firmware left
 * that to the OS: riscv64 virt, whose OpenSBI assigns nothing), and checking the firmware's
 * placement where the windows are unknown (x86, whose windows are in ACPI _CRS methods).
 *
 * The layout. Resources come in three classes, each with its own host window: I/O, 32-bit
 * non-prefetchable memory, and prefetchable memory (a 64-bit window when every prefetchable
 * BAR and every bridge's prefetchable window below can be 64-bit, else after the 32-bit
 * memory). On one bus the items of a class are its devices' BARs and the windows of the
 * bridges on it, each with a size and an alignment (a BAR's is its size; a bridge window's
 * is the largest alignment inside it, at least the bridge's granularity: 4 KiB for I/O,
 * 1 MiB for memory). Placing the items in order of decreasing alignment leaves no gaps
 * between power-of-two sizes: each next item's alignment divides the current offset.
 *
 *	bus 1 behind a root port: BARs 16K (pref), 4K, 4K  ->  window MEM 1M (8K used)
 *	bus 0: BAR 4K, bridge MEM 1M                        ->  bridge at +0, BAR at +1M
 *
 * Passes: bottom-up, each bridge's window sizes from what is behind it (the same
 * placement run at offset 0 without writing anything); then a dry run top-down from the
 * host windows, in which an item that does not fit disables its device (or, for a bridge
 * window, everything behind the bridge), with a message naming the device and BAR; sizes
 * and dry run again until nothing fails, so a disabled device holds no addresses; then the
 * same run for real, writing BARs and bridge base/limit registers. The boot goes on.
 *
 * Locking: boot CPU, pci_init() (m).
 */
#define pr_fmt(fmt) "pci: " fmt

#include "drivers/pci/internal.h"
#include "kernel/printk.h"
#include <asm/io.h>

#define ITEMS_PER_DEV		(PCI_NUM_BARS + 1)	/* the BARs, then a bridge's window */
#define ITEM_WINDOW		PCI_NUM_BARS
#define PCI_IO_AVOID		0x1000	/* low I/O ports: legacy ISA decoders may claim them */

static const u64 bridge_gran[PCI_NR_RES] = { 0x1000, SZ_1M, SZ_1M };
static const char *const class_name[PCI_NR_RES] = { "I/O", "memory", "prefetchable memory" };

enum pci_res_class pci_bar_class(u32 flags)
{
	if (flags & PCI_BAR_IO)
		return PCI_RES_IO;
	return flags & PCI_BAR_PREFETCH ? PCI_RES_PREF : PCI_RES_MEM;
}

static struct pci_dev *host_dev(struct pci_host *host, unsigned int i)
{
	return pci_dev_get(host->first_dev + i);
}

/* Item `i` of `dev` in class `c`: its size and alignment; false if there is none. */
static bool item_of(const struct pci_dev *dev, unsigned int i, enum pci_res_class c,
		    u64 *size, u64 *align)
{
	if (dev->disabled)
		return false;
	if (i < dev->nr_bars) {
		const struct pci_bar *b = &dev->bar[i];

		if (!b->size || pci_bar_class(b->flags) != c)
			return false;
		*size = b->size;
		*align = b->size;
		return true;
	}
	if (i != ITEM_WINDOW || dev->hdr_type != PCI_HEADER_TYPE_BRIDGE || !dev->secondary ||
	    !dev->win_size[c])
		return false;
	*size = dev->win_size[c];
	*align = dev->win_align[c];
	return true;
}

/* Disable every function behind bridge `br` (its subtree). */
static void disable_below(struct pci_host *host, struct pci_dev *br)
{
	for (unsigned int i = 0; i < host->nr_devs; i++) {
		struct pci_dev *dev = host_dev(host, i);

		for (struct pci_dev *p = dev->parent; p; p = p->parent) {
			if (p == br) {
				if (!dev->disabled)
					pci_disable_dev(dev, "behind a bridge whose window does "
							"not fit");
				break;
			}
		}
	}
}

static void item_failed(struct pci_host *host, struct pci_dev *dev, unsigned int i,
			enum pci_res_class c, u64 size)
{
	char sz[16];

	pci_size_str(size, sz, sizeof(sz));
	if (i < dev->nr_bars) {
		const struct pci_bar *b = &dev->bar[i];

		pci_disable_dev(dev, "BAR %u (%s%s, size %s) fits no host window", i,
				class_name[c], b->flags & PCI_BAR_64 ? ", 64-bit" : "", sz);
		return;
	}
	pci_disable_dev(dev, "its %s window (size %s) fits no host window", class_name[c], sz);
	disable_below(host, dev);
}

/*
 * What a layout run does: only measure (bridge window sizes), check each item against the
 * limit (disabling what does not fit, writing nothing), or place and write everything.
 */
enum layout_mode {
	LAYOUT_SIZE,
	LAYOUT_CHECK,
	LAYOUT_COMMIT,
};

static u64 layout_bus(struct pci_host *host, u8 bus, enum pci_res_class c, u64 base,
		      u64 limit, enum layout_mode mode, u64 *max_align, unsigned int *failed);

static void item_place(struct pci_host *host, struct pci_dev *dev, unsigned int i,
		       enum pci_res_class c, u64 addr, u64 size)
{
	if (i < dev->nr_bars) {
		dev->bar[i].bus_addr = addr;
		dev->bar[i].flags |= PCI_BAR_ASSIGNED;
		pci_write_bar(dev, i);
		return;
	}
	u64 unused_align;
	unsigned int unused_failed = 0;

	dev->win_base[c] = addr;
	layout_bus(host, dev->secondary, c, addr, addr + size - 1, LAYOUT_COMMIT, &unused_align,
		   &unused_failed);
}

/*
 * Lay out class `c`'s items of `bus` from `base` in decreasing alignment. Checking and
 * committing fail what passes `limit` (counted in *failed); committing writes the rest.
 * Return: the bytes used from base (the end of the last item placed); *max_align: the
 * largest alignment, 0 if there is no item.
 */
static u64 layout_bus(struct pci_host *host, u8 bus, enum pci_res_class c, u64 base,
		      u64 limit, enum layout_mode mode, u64 *max_align, unsigned int *failed)
{
	u64 cur = base, upper = ~0ULL;

	*max_align = 0;
	for (;;) {
		u64 a = 0, size, align;

		/* The largest alignment below the last one: one pass per power of two. */
		for (unsigned int d = 0; d < host->nr_devs; d++) {
			const struct pci_dev *dev = host_dev(host, d);

			for (unsigned int i = 0; dev->bus == bus && i < ITEMS_PER_DEV; i++)
				if (item_of(dev, i, c, &size, &align) && align < upper &&
				    align > a)
					a = align;
		}
		if (!a)
			break;
		if (!*max_align)
			*max_align = a;
		for (unsigned int d = 0; d < host->nr_devs; d++) {
			struct pci_dev *dev = host_dev(host, d);

			for (unsigned int i = 0; dev->bus == bus && i < ITEMS_PER_DEV; i++) {
				if (!item_of(dev, i, c, &size, &align) || align != a)
					continue;
				u64 addr = ALIGN_UP(cur, a);

				if (mode != LAYOUT_SIZE) {
					if (addr < cur || addr + (size - 1) < addr ||
					    addr + (size - 1) > limit) {
						item_failed(host, dev, i, c, size);
						(*failed)++;
						continue;
					}
					if (mode == LAYOUT_COMMIT)
						item_place(host, dev, i, c, addr, size);
				}
				cur = addr + size;
			}
		}
		upper = a;
	}
	return cur - base;
}

/* Bottom-up: every bridge's window sizes from what is behind it. */
static void size_bridges(struct pci_host *host, u8 bus)
{
	for (unsigned int d = 0; d < host->nr_devs; d++) {
		struct pci_dev *br = host_dev(host, d);

		if (br->bus != bus || br->disabled || br->hdr_type != PCI_HEADER_TYPE_BRIDGE ||
		    !br->secondary)
			continue;
		size_bridges(host, br->secondary);
		for (int c = 0; c < PCI_NR_RES; c++) {
			unsigned int none = 0;
			u64 align, used = layout_bus(host, br->secondary, c, 0, ~0ULL, LAYOUT_SIZE,
						     &align, &none);

			br->win_size[c] = used ? ALIGN_UP(used, bridge_gran[c]) : 0;
			br->win_align[c] = align > bridge_gran[c] ? align : bridge_gran[c];
		}
	}
}

/* Write a bridge's three windows; a class without a window gets base > limit (closed). */
static void program_bridge(struct pci_dev *br)
{
	u64 b, l;

	if (br->win_size[PCI_RES_IO]) {
		b = br->win_base[PCI_RES_IO];
		l = b + br->win_size[PCI_RES_IO] - 1;
		pci_write_config8(br, PCI_IO_BASE, (u8)((b >> 8) & 0xf0));
		pci_write_config8(br, PCI_IO_LIMIT, (u8)((l >> 8) & 0xf0));
		pci_write_config16(br, PCI_IO_BASE_UPPER16, (u16)(b >> 16));
		pci_write_config16(br, PCI_IO_LIMIT_UPPER16, (u16)(l >> 16));
	} else {
		pci_write_config8(br, PCI_IO_BASE, 0xf0);
		pci_write_config8(br, PCI_IO_LIMIT, 0);
		pci_write_config16(br, PCI_IO_BASE_UPPER16, 0);
		pci_write_config16(br, PCI_IO_LIMIT_UPPER16, 0);
	}
	if (br->win_size[PCI_RES_MEM]) {
		b = br->win_base[PCI_RES_MEM];
		l = b + br->win_size[PCI_RES_MEM] - 1;
		pci_write_config16(br, PCI_MEMORY_BASE, (u16)((b >> 16) & 0xfff0));
		pci_write_config16(br, PCI_MEMORY_LIMIT, (u16)((l >> 16) & 0xfff0));
	} else {
		pci_write_config16(br, PCI_MEMORY_BASE, 0xfff0);
		pci_write_config16(br, PCI_MEMORY_LIMIT, 0);
	}
	if (br->win_size[PCI_RES_PREF]) {
		b = br->win_base[PCI_RES_PREF];
		l = b + br->win_size[PCI_RES_PREF] - 1;
		pci_write_config16(br, PCI_PREF_MEMORY_BASE, (u16)((b >> 16) & 0xfff0));
		pci_write_config16(br, PCI_PREF_MEMORY_LIMIT, (u16)((l >> 16) & 0xfff0));
		pci_write_config32(br, PCI_PREF_BASE_UPPER32, (u32)(b >> 32));
		pci_write_config32(br, PCI_PREF_LIMIT_UPPER32, (u32)(l >> 32));
	} else {
		pci_write_config16(br, PCI_PREF_MEMORY_BASE, 0xfff0);
		pci_write_config16(br, PCI_PREF_MEMORY_LIMIT, 0);
		pci_write_config32(br, PCI_PREF_BASE_UPPER32, 0);
		pci_write_config32(br, PCI_PREF_LIMIT_UPPER32, 0);
	}
}

/* Can every prefetchable BAR and bridge prefetchable window of the host go above 4 GiB? */
static bool pref_all_64(struct pci_host *host)
{
	for (unsigned int d = 0; d < host->nr_devs; d++) {
		const struct pci_dev *dev = host_dev(host, d);

		if (dev->disabled)
			continue;
		for (unsigned int i = 0; i < dev->nr_bars; i++)
			if ((dev->bar[i].flags & PCI_BAR_PREFETCH) &&
			    !(dev->bar[i].flags & PCI_BAR_64))
				return false;
		if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE && dev->win_size[PCI_RES_PREF] &&
		    (pci_read_config16(dev, PCI_PREF_MEMORY_BASE) & PCI_PREF_RANGE_TYPE_MASK) !=
		    PCI_PREF_RANGE_TYPE_64)
			return false;
	}
	return true;
}

static const struct boot_pci_window *find_window(const struct boot_pci_host *bh, u32 type,
						 int prefetchable)
{
	for (unsigned int i = 0; i < bh->nr_windows; i++) {
		const struct boot_pci_window *w = &bh->windows[i];

		if (w->type == type && (prefetchable < 0 || w->prefetchable == prefetchable))
			return w;
	}
	return NULL;
}

/* The host windows each class goes to (see the layout essay above). */
static void choose_windows(struct pci_host *host, const struct boot_pci_window **win)
{
	const struct boot_pci_host *bh = host->bh;
	bool all64 = pref_all_64(host);

	win[PCI_RES_IO] = find_window(bh, BOOT_PCI_WIN_IO, -1);
	win[PCI_RES_MEM] = find_window(bh, BOOT_PCI_WIN_MEM32, false);
	if (!win[PCI_RES_MEM])
		win[PCI_RES_MEM] = find_window(bh, BOOT_PCI_WIN_MEM32, -1);
	win[PCI_RES_PREF] = all64 ? find_window(bh, BOOT_PCI_WIN_MEM64, true) : NULL;
	if (!win[PCI_RES_PREF])
		win[PCI_RES_PREF] = find_window(bh, BOOT_PCI_WIN_MEM32, true);
	if (!win[PCI_RES_PREF] && all64)
		win[PCI_RES_PREF] = find_window(bh, BOOT_PCI_WIN_MEM64, -1);
}

/*
 * Lay out the root bus's three classes in their windows. Prefetchable memory without a
 * window of its own shares the 32-bit one, after the non-prefetchable memory; a class
 * without any window fails each of its items. Return: the number of items that failed.
 */
static unsigned int layout_root(struct pci_host *host, const struct boot_pci_window **win,
				enum layout_mode mode)
{
	unsigned int failed = 0;
	u64 align, used[PCI_NR_RES] = { 0 };
	const struct boot_pci_window *w[PCI_NR_RES] = { win[0], win[1], win[2] };

	if (!w[PCI_RES_PREF])
		w[PCI_RES_PREF] = w[PCI_RES_MEM];
	for (int c = 0; c < PCI_NR_RES; c++) {
		u64 base, limit;

		if (!w[c]) {
			/* An empty range (limit below base): every item of the class fails. */
			layout_bus(host, host->bus_start, c, 1, 0, mode, &align, &failed);
			continue;
		}
		base = w[c]->pci_base;
		limit = w[c]->pci_base + w[c]->size - 1;
		if (c == PCI_RES_IO && base < PCI_IO_AVOID && limit >= 2 * PCI_IO_AVOID)
			base = PCI_IO_AVOID;
		if (c == PCI_RES_PREF && w[c] == w[PCI_RES_MEM])
			base += used[PCI_RES_MEM];
		used[c] = layout_bus(host, host->bus_start, c, base, limit, mode, &align, &failed);
	}
	return failed;
}

void pci_host_assign_resources(struct pci_host *host)
{
	const struct boot_pci_window *win[PCI_NR_RES];

	/*
	 * Dry runs first: an item that does not fit disables its device (or the bridge's
	 * subtree), which frees room and changes bridge windows, so size and check again
	 * until nothing more fails. Each round disables at least one device, so it ends.
	 * Only then write: a device disabled late must not keep addresses it never uses.
	 */
	for (unsigned int round = 0; round <= host->nr_devs; round++) {
		size_bridges(host, host->bus_start);
		choose_windows(host, win);
		if (!layout_root(host, win, LAYOUT_CHECK))
			break;
	}
	layout_root(host, win, LAYOUT_COMMIT);
	if (!win[PCI_RES_PREF])
		win[PCI_RES_PREF] = win[PCI_RES_MEM];	/* shared, as layout_root() did */

	/* CPU addresses, and the bridges' windows now that every base is known. */
	for (unsigned int d = 0; d < host->nr_devs; d++) {
		struct pci_dev *dev = host_dev(host, d);

		if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE && dev->secondary) {
			/* A disabled bridge gets its windows closed: it forwards nothing. */
			if (dev->disabled)
				for (int c = 0; c < PCI_NR_RES; c++)
					dev->win_size[c] = 0;
			program_bridge(dev);
		}
		for (unsigned int i = 0; i < dev->nr_bars; i++) {
			struct pci_bar *b = &dev->bar[i];
			const struct boot_pci_window *w = win[pci_bar_class(b->flags)];

			if (!(b->flags & PCI_BAR_ASSIGNED) || dev->disabled) {
				b->flags &= ~PCI_BAR_ASSIGNED;
				continue;
			}
			b->cpu_addr = w->cpu_base + (b->bus_addr - w->pci_base);
			if ((b->flags & PCI_BAR_IO) && ARCH_HAS_PORT_IO)
				b->flags |= PCI_BAR_PORT;
		}
	}
}

void pci_host_check_firmware_bars(struct pci_host *host)
{
	for (unsigned int d = 0; d < host->nr_devs; d++) {
		struct pci_dev *dev = host_dev(host, d);

		for (unsigned int i = 0; i < dev->nr_bars && !dev->disabled; i++) {
			struct pci_bar *b = &dev->bar[i];
			char sz[16];

			if (!b->size)
				continue;
			if (!b->bus_addr) {
				pci_disable_dev(dev, "BAR %u (%s, size %s) left unassigned by the "
						"firmware, and the host's windows are unknown", i,
						class_name[pci_bar_class(b->flags)],
						pci_size_str(b->size, sz, sizeof(sz)));
				break;
			}
			/* No translation is described: the bus address is the CPU's. */
			b->cpu_addr = b->bus_addr;
			b->flags |= PCI_BAR_ASSIGNED;
			if ((b->flags & PCI_BAR_IO) && ARCH_HAS_PORT_IO)
				b->flags |= PCI_BAR_PORT;
		}
	}
}
