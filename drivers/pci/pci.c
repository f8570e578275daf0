// SPDX-License-Identifier: MIT
/*
 * PCI enumeration and the driver-facing API (see drivers/pci/pci.h).
 *
 * Configuration space is reached one of two ways, as boot_info says per host bridge:
 *  - ECAM (PCI Express 7.2.2): every function's 4 KiB of space is memory-mapped at
 *    ecam + (bus - bus_start) << 20 | device << 15 | function << 12, so an access is one
 *    load or store; q35 (ACPI MCFG) and riscv64 virt (the device tree) have it.
 *  - Configuration mechanism #1 (PCI 3.0 3.2.2.3.2), x86 only: write the function's address
 *    with bit 31 set to port 0xcf8, then read or write port 0xcfc + (where & 3). The two
 *    steps must not interleave with another CPU's, hence pci_conf1_lock.
 *
 * Enumeration (depth first, as the bus numbers are handed out): on each bus every device's
 * function 0, and functions 1-7 when function 0's header says multi-function; vendor 0xffff
 * means nothing is there. A PCI-to-PCI bridge (header type 1) keeps the secondary and
 * subordinate numbers the firmware gave it when they are sane, and otherwise gets the next
 * free number, subordinate 0xff while the scan below it runs (so configuration cycles for any
 * bus below are forwarded), then the highest bus found below it.
 *
 * Each BAR is sized with decoding off (writing all ones moves it over the whole address
 * space for a moment), then placed by setup_bus.c.
 *
 * Locking: see pci.h. pci_conf1_lock (irqsave, a leaf lock) covers the 0xcf8/0xcfc pair.
 */
#define pr_fmt(fmt) "pci: " fmt

#include "drivers/pci/internal.h"
#include "arch/arch.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/bug.h"
#include "kernel/lib/string.h"
#include <asm/io.h>

#define PCI_CONF1_ADDRESS	0xcf8
#define PCI_CONF1_DATA		0xcfc
#define PCI_CONF1_ENABLE	0x80000000u
/* Bridges nested deeper than this are not scanned (the recursion's stack is bounded). */
#define PCI_MAX_DEPTH		16

static struct pci_host pci_hosts[BOOT_MAX_PCI_HOSTS];	/* (m), then (c) */
static unsigned int nr_pci_hosts;
static struct pci_dev pci_devs[PCI_MAX_DEVICES];	/* (m), then (c) but for binding */
static unsigned int nr_pci_devs;
static unsigned int nr_pci_devs_dropped;		/* functions beyond PCI_MAX_DEVICES */
static DEFINE_SPINLOCK(pci_conf1_lock);			/* (s) the 0xcf8/0xcfc pair */

/* ---- configuration access ---- */

static u32 all_ones(u8 size)
{
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

/* Is this access inside what the host reaches, and naturally aligned? */
static bool cfg_ok(const struct pci_host *host, u8 bus, u16 where, u8 size)
{
	u16 limit = host->ecam ? PCI_CFG_SPACE_EXP_SIZE : PCI_CFG_SPACE_SIZE;

	if (WARN_ON_ONCE(size != 1 && size != 2 && size != 4) || WARN_ON_ONCE(where & (size - 1)))
		return false;
	return bus >= host->bus_start && bus <= host->bus_end && where + size <= limit;
}

static u8 __iomem *ecam_addr(const struct pci_host *host, u8 bus, u8 devfn, u16 where)
{
	return host->ecam + ((unsigned long)(bus - host->bus_start) << 20) +
	       ((unsigned long)devfn << 12) + where;
}

static u32 conf1_address(u8 bus, u8 devfn, u16 where)
{
	return PCI_CONF1_ENABLE | (u32)bus << 16 | (u32)devfn << 8 | (where & 0xfc);
}

u32 pci_host_cfg_read(const struct pci_host *host, u8 bus, u8 devfn, u16 where, u8 size)
{
	if (!cfg_ok(host, bus, where, size))
		return all_ones(size);
	if (host->ecam) {
		u8 __iomem *a = ecam_addr(host, bus, devfn, where);

		return size == 1 ? readb(a) : size == 2 ? readw(a) : readl(a);
	}
	if (!ARCH_HAS_PORT_IO)
		return all_ones(size);
	u16 port = PCI_CONF1_DATA + (where & 3);

	guard(spinlock_irqsave)(&pci_conf1_lock);
	outl(conf1_address(bus, devfn, where), PCI_CONF1_ADDRESS);
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

void pci_host_cfg_write(const struct pci_host *host, u8 bus, u8 devfn, u16 where, u8 size,
			u32 val)
{
	if (!cfg_ok(host, bus, where, size))
		return;
	if (host->ecam) {
		u8 __iomem *a = ecam_addr(host, bus, devfn, where);

		if (size == 1)
			writeb((u8)val, a);
		else if (size == 2)
			writew((u16)val, a);
		else
			writel(val, a);
		return;
	}
	if (!ARCH_HAS_PORT_IO)
		return;
	u16 port = PCI_CONF1_DATA + (where & 3);

	guard(spinlock_irqsave)(&pci_conf1_lock);
	outl(conf1_address(bus, devfn, where), PCI_CONF1_ADDRESS);
	if (size == 1)
		outb((u8)val, port);
	else if (size == 2)
		outw((u16)val, port);
	else
		outl(val, port);
}

/* Reads beyond the function's own space (256 bytes for conventional PCI) give all ones. */
static u32 dev_read(const struct pci_dev *dev, u16 where, u8 size)
{
	if (where + size > dev->cfg_size)
		return all_ones(size);
	return pci_host_cfg_read(dev->host, dev->bus, dev->devfn, where, size);
}

static void dev_write(const struct pci_dev *dev, u16 where, u8 size, u32 val)
{
	if (where + size <= dev->cfg_size)
		pci_host_cfg_write(dev->host, dev->bus, dev->devfn, where, size, val);
}

u8 pci_read_config8(const struct pci_dev *dev, u16 where)
{
	return (u8)dev_read(dev, where, 1);
}

u16 pci_read_config16(const struct pci_dev *dev, u16 where)
{
	return (u16)dev_read(dev, where, 2);
}

u32 pci_read_config32(const struct pci_dev *dev, u16 where)
{
	return dev_read(dev, where, 4);
}

void pci_write_config8(const struct pci_dev *dev, u16 where, u8 val)
{
	dev_write(dev, where, 1, val);
}

void pci_write_config16(const struct pci_dev *dev, u16 where, u16 val)
{
	dev_write(dev, where, 2, val);
}

void pci_write_config32(const struct pci_dev *dev, u16 where, u32 val)
{
	dev_write(dev, where, 4, val);
}

static u32 view_read(const struct pci_cfg_view *v, u16 where, u8 size)
{
	return dev_read(v->ctx, where, size);
}

void pci_dev_cfg_view(const struct pci_dev *dev, struct pci_cfg_view *v)
{
	v->read = view_read;
	v->size = dev->cfg_size;
	v->ctx = (void *)dev;
}

u8 pci_find_next_capability(const struct pci_dev *dev, u8 from, u8 id)
{
	struct pci_cfg_view v;

	pci_dev_cfg_view(dev, &v);
	return pci_cap_find(&v, from, id);
}

u8 pci_find_capability(const struct pci_dev *dev, u8 id)
{
	return pci_find_next_capability(dev, 0, id);
}

u16 pci_find_ext_capability(const struct pci_dev *dev, u16 id)
{
	struct pci_cfg_view v;

	pci_dev_cfg_view(dev, &v);
	return pci_ext_cap_find(&v, id);
}

/* ---- devices ---- */

const char *pci_size_str(u64 size, char *buf, size_t len)
{
	static const char *const suffix[] = { "", "K", "M", "G", "T" };
	unsigned int i = 0;

	/* lspci's way: the largest unit that divides the size exactly. */
	while (size && i + 1 < ARRAY_SIZE(suffix) && size % 1024 == 0) {
		size /= 1024;
		i++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)size, suffix[i]);
	return buf;
}

const char *pci_name(const struct pci_dev *dev, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%u", dev->segment, dev->bus, PCI_SLOT(dev->devfn),
		 PCI_FUNC(dev->devfn));
	return buf;
}

unsigned int pci_dev_count(void)
{
	return nr_pci_devs;
}

struct pci_dev *pci_dev_get(unsigned int idx)
{
	return idx < nr_pci_devs ? &pci_devs[idx] : NULL;
}

/**
 * pci_disable_dev() - report why a function cannot be used and make sure it decodes
 * nothing and masters nothing; it is never bound to a driver.
 * Context: boot CPU, pci_init().
 */
void pci_disable_dev(struct pci_dev *dev, const char *fmt, ...)
{
	char name[16], why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_warn("%s [%04x:%04x]: %s: device left disabled\n", pci_name(dev, name, sizeof(name)),
		dev->vendor, dev->device, why);
	dev->disabled = true;
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);

	pci_write_config16(dev, PCI_COMMAND,
			   cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
}

/* Write BAR i's bus address (both halves of a 64-bit BAR). */
void pci_write_bar(struct pci_dev *dev, unsigned int i)
{
	const struct pci_bar *b = &dev->bar[i];
	u16 reg = PCI_BASE_ADDRESS_0 + 4 * i;

	pci_write_config32(dev, reg, (u32)b->bus_addr);
	if (b->flags & PCI_BAR_64)
		pci_write_config32(dev, reg + 4, (u32)(b->bus_addr >> 32));
}

/*
 * Size every BAR with decoding off, then put the command register back as it was: a
 * BAR reading back all ones for a moment would otherwise claim every address.
 */
static void pci_size_bars(struct pci_dev *dev)
{
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);

	pci_write_config16(dev, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < dev->nr_bars; i++) {
		u16 reg = PCI_BASE_ADDRESS_0 + 4 * i;
		u32 lo = pci_read_config32(dev, reg), lo_ones, hi = 0, hi_ones = 0;
		bool has_hi = i + 1 < dev->nr_bars;
		bool is64 = !(lo & PCI_BASE_ADDRESS_SPACE_IO) &&
			    (lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64;

		pci_write_config32(dev, reg, 0xffffffffu);
		lo_ones = pci_read_config32(dev, reg);
		pci_write_config32(dev, reg, lo);
		if (is64 && has_hi) {
			hi = pci_read_config32(dev, reg + 4);
			pci_write_config32(dev, reg + 4, 0xffffffffu);
			hi_ones = pci_read_config32(dev, reg + 4);
			pci_write_config32(dev, reg + 4, hi);
		}
		struct pci_bar_decoded d;
		const char *err = pci_bar_decode(lo, lo_ones, hi, hi_ones, has_hi, &d);

		if (err) {
			pci_write_config16(dev, PCI_COMMAND, cmd);
			pci_disable_dev(dev, "BAR %u (%#x, reads back %#x): %s", i, lo, lo_ones,
					err);
			return;
		}
		dev->bar[i] = (struct pci_bar){ .flags = d.flags, .size = d.size,
						.bus_addr = d.addr };
		if (d.flags & PCI_BAR_64)
			i++;		/* the upper half is not a BAR of its own */
	}
	pci_write_config16(dev, PCI_COMMAND, cmd);
}

/* Subsystem ids: in the type 0 header; a bridge may carry them in an SSVID capability. */
static void pci_read_subsystem(struct pci_dev *dev)
{
	if (dev->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		dev->subsystem_vendor = pci_read_config16(dev, PCI_SUBSYSTEM_VENDOR_ID);
		dev->subsystem_device = pci_read_config16(dev, PCI_SUBSYSTEM_ID);
		return;
	}
	u8 pos = pci_find_capability(dev, PCI_CAP_ID_SSVID);

	if (pos) {
		dev->subsystem_vendor = pci_read_config16(dev, pos + 4);
		dev->subsystem_device = pci_read_config16(dev, pos + 6);
	}
}

/* Record the function at bus/devfn (present: its vendor id is not 0xffff). */
static struct pci_dev *pci_add_dev(struct pci_host *host, u8 bus, u8 devfn,
				   struct pci_dev *parent)
{
	if (nr_pci_devs == PCI_MAX_DEVICES) {
		nr_pci_devs_dropped++;
		return NULL;
	}
	struct pci_dev *dev = &pci_devs[nr_pci_devs++];

	host->nr_devs++;
	*dev = (struct pci_dev){ .host = host, .segment = host->segment, .bus = bus,
				 .devfn = devfn, .parent = parent,
				 .cfg_size = PCI_CFG_SPACE_SIZE };
	u32 id = pci_read_config32(dev, PCI_VENDOR_ID);
	u32 cr = pci_read_config32(dev, PCI_CLASS_REVISION);

	dev->vendor = (u16)id;
	dev->device = (u16)(id >> 16);
	dev->revision = (u8)cr;
	dev->class = cr >> 8;
	dev->hdr_type = pci_read_config8(dev, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	/* PCI Express functions have the extended space, reachable through ECAM only. */
	if (host->ecam && pci_find_capability(dev, PCI_CAP_ID_EXP))
		dev->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	pci_read_subsystem(dev);
	pci_msix_init(dev);
	switch (dev->hdr_type) {
	case PCI_HEADER_TYPE_NORMAL:
		dev->nr_bars = 6;
		dev->irq_pin = pci_read_config8(dev, PCI_INTERRUPT_PIN);
		dev->irq_line = pci_read_config8(dev, PCI_INTERRUPT_LINE);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		dev->nr_bars = 2;
		dev->irq_pin = pci_read_config8(dev, PCI_INTERRUPT_PIN);
		dev->irq_line = pci_read_config8(dev, PCI_INTERRUPT_LINE);
		break;
	default:
		/* CardBus and reserved types: listed, never used. */
		pci_disable_dev(dev, "header type %u is not supported", dev->hdr_type);
		return dev;
	}
	if (host->assign) {
		/* Decoding and mastering stay off until a driver asks. */
		u16 cmd = pci_read_config16(dev, PCI_COMMAND);

		pci_write_config16(dev, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
							     PCI_COMMAND_MASTER));
	}
	pci_size_bars(dev);
	return dev;
}

static u8 pci_scan_bus(struct pci_host *host, u8 bus, struct pci_dev *parent, int depth);

/*
 * Give the bridge its bus numbers (firmware's if sane, else `next`) and scan behind it.
 * Return: the highest bus number in use below it.
 */
static u8 pci_scan_bridge(struct pci_host *host, struct pci_dev *br, u8 max, int depth)
{
	u8 sec = pci_read_config8(br, PCI_SECONDARY_BUS);
	u8 sub = pci_read_config8(br, PCI_SUBORDINATE_BUS);
	char name[16];

	if (depth >= PCI_MAX_DEPTH) {
		pci_disable_dev(br, "bridges nested more than %d deep", PCI_MAX_DEPTH);
		return max;
	}
	if (sec > max && sub >= sec && sub <= host->bus_end) {
		br->secondary = sec;
		u8 below = pci_scan_bus(host, sec, br, depth + 1);

		br->subordinate = below > sub ? below : sub;
		if (below > sub) {
			pr_warn("%s: firmware's subordinate bus %02x is below bus %02x found "
				"behind it; raised\n", pci_name(br, name, sizeof(name)), sub, below);
			pci_write_config8(br, PCI_SUBORDINATE_BUS, below);
		}
		return br->subordinate;
	}
	if (max >= host->bus_end) {
		pci_disable_dev(br, "no bus number left for its secondary bus");
		return max;
	}
	sec = max + 1;
	pci_write_config8(br, PCI_PRIMARY_BUS, br->bus);
	pci_write_config8(br, PCI_SECONDARY_BUS, sec);
	pci_write_config8(br, PCI_SUBORDINATE_BUS, host->bus_end);
	br->secondary = sec;
	br->subordinate = pci_scan_bus(host, sec, br, depth + 1);
	pci_write_config8(br, PCI_SUBORDINATE_BUS, br->subordinate);
	return br->subordinate;
}

/* Enumerate `bus`, then the buses behind its bridges. Return: the highest bus in use. */
static u8 pci_scan_bus(struct pci_host *host, u8 bus, struct pci_dev *parent, int depth)
{
	unsigned int first = nr_pci_devs;
	u8 max = bus;

	for (u8 slot = 0; slot < 32; slot++) {
		for (u8 fn = 0; fn < 8; fn++) {
			u8 devfn = PCI_DEVFN(slot, fn);
			u16 vendor = (u16)pci_host_cfg_read(host, bus, devfn, PCI_VENDOR_ID, 2);

			/* 0xffff: nothing answered; 0 is no valid vendor either. */
			if (vendor == 0xffff || vendor == 0) {
				if (fn == 0)
					break;
				continue;
			}
			pci_add_dev(host, bus, devfn, parent);
			if (fn == 0 && !(pci_host_cfg_read(host, bus, devfn, PCI_HEADER_TYPE, 1) &
					 PCI_HEADER_MULTIFUNC))
				break;
		}
	}
	unsigned int last = nr_pci_devs;

	for (unsigned int i = first; i < last; i++) {
		struct pci_dev *dev = &pci_devs[i];

		if (dev->hdr_type == PCI_HEADER_TYPE_BRIDGE && !dev->disabled)
			max = pci_scan_bridge(host, dev, max, depth);
	}
	if (max > host->last_bus)
		host->last_bus = max;
	return max;
}

/* ---- host bridges ---- */

static const char *access_name(u32 access)
{
	return access == BOOT_PCI_ECAM ? "ECAM" : "configuration mechanism #1";
}

static bool pci_host_setup(struct pci_host *host, const struct boot_pci_host *bh)
{
	*host = (struct pci_host){ .bh = bh, .segment = bh->segment, .bus_start = bh->bus_start,
				   .bus_end = bh->bus_end, .assign = bh->nr_windows > 0,
				   .first_dev = nr_pci_devs };
	switch (bh->access) {
	case BOOT_PCI_ECAM: {
		size_t size = (size_t)(bh->bus_end - bh->bus_start + 1) << 20;

		host->ecam = arch_ioremap(bh->ecam_base, size);
		if (!host->ecam) {
			pr_err("segment %u: ECAM at %#llx cannot be mapped; its buses are not "
			       "scanned\n", bh->segment, (unsigned long long)bh->ecam_base);
			return false;
		}
		return true;
	}
	case BOOT_PCI_CONF1:
		if (!ARCH_HAS_PORT_IO) {
			pr_err("segment %u: configuration mechanism #1 needs port I/O, which this "
			       "arch does not have\n", bh->segment);
			return false;
		}
		return true;
	default:
		pr_err("segment %u: unknown access method %u\n", bh->segment, bh->access);
		return false;
	}
}

void pci_init(void)
{
	unsigned int buses = 0;

	if (!boot_info.nr_pci_hosts) {
		pr_info("no PCI host bridge described by the firmware\n");
		return;
	}
	for (unsigned int i = 0; i < boot_info.nr_pci_hosts; i++) {
		const struct boot_pci_host *bh = &boot_info.pci_hosts[i];
		struct pci_host *host = &pci_hosts[nr_pci_hosts];

		if (!pci_host_setup(host, bh))
			continue;
		nr_pci_hosts++;
		host->last_bus = host->bus_start;
		pci_scan_bus(host, host->bus_start, NULL, 0);
		if (host->assign)
			pci_host_assign_resources(host);
		else
			pci_host_check_firmware_bars(host);
		/* Buses in use: the root bus and every bridge's secondary bus. */
		buses++;
		for (unsigned int d = 0; d < host->nr_devs; d++) {
			const struct pci_dev *dev = &pci_devs[host->first_dev + d];

			buses += dev->secondary != 0;
		}
		if (bh->access == BOOT_PCI_ECAM)
			pr_info("segment %04x: %s at %#llx, buses %02x-%02x; %u functions, BARs %s\n",
				host->segment, access_name(bh->access),
				(unsigned long long)bh->ecam_base, host->bus_start, host->bus_end,
				host->nr_devs, host->assign ? "assigned from the host's windows" :
				"as the firmware assigned them");
		else
			pr_info("segment %04x: %s, buses %02x-%02x; %u functions, BARs %s\n",
				host->segment, access_name(bh->access), host->bus_start,
				host->bus_end, host->nr_devs, host->assign ?
				"assigned from the host's windows" : "as the firmware assigned them");
	}
	unsigned int disabled = 0;

	for (unsigned int i = 0; i < nr_pci_devs; i++)
		disabled += pci_devs[i].disabled;
	if (nr_pci_devs_dropped)
		pr_warn("%u functions beyond the %d the kernel keeps were not recorded\n",
			nr_pci_devs_dropped, PCI_MAX_DEVICES);
	pr_info("%u devices on %u bus%s behind %u host bridge%s, %u left disabled\n", nr_pci_devs,
		buses, buses == 1 ? "" : "es", nr_pci_hosts, nr_pci_hosts == 1 ? "" : "s", disabled);
}

unsigned int pci_host_count(void)
{
	return nr_pci_hosts;
}

bool pci_host_get(unsigned int idx, struct pci_host_info *out)
{
	if (idx >= nr_pci_hosts)
		return false;
	const struct pci_host *h = &pci_hosts[idx];

	*out = (struct pci_host_info){ .segment = h->segment, .bus_start = h->bus_start,
				       .bus_end = h->bus_end, .last_bus = h->last_bus,
				       .access = h->bh->access, .ecam_base = h->bh->ecam_base,
				       .nr_windows = h->bh->nr_windows,
				       .windows = h->bh->windows };
	return true;
}

u32 pci_host_read(unsigned int idx, u8 bus, u8 devfn, u16 where, u8 size)
{
	if (idx >= nr_pci_hosts)
		return all_ones(size);
	return pci_host_cfg_read(&pci_hosts[idx], bus, devfn, where, size);
}

/* ---- what drivers call ---- */

phys_addr_t pci_bar_start(const struct pci_dev *dev, unsigned int bar)
{
	if (bar >= PCI_NUM_BARS || !(dev->bar[bar].flags & PCI_BAR_ASSIGNED))
		return 0;
	return dev->bar[bar].cpu_addr;
}

u64 pci_bar_len(const struct pci_dev *dev, unsigned int bar)
{
	return bar < PCI_NUM_BARS ? dev->bar[bar].size : 0;
}

u32 pci_bar_flags(const struct pci_dev *dev, unsigned int bar)
{
	return bar < PCI_NUM_BARS ? dev->bar[bar].flags : 0;
}

void __iomem *pci_iomap(struct pci_dev *dev, unsigned int bar)
{
	if (bar >= PCI_NUM_BARS || dev->disabled)
		return NULL;
	const struct pci_bar *b = &dev->bar[bar];

	if (!(b->flags & PCI_BAR_ASSIGNED) || (b->flags & PCI_BAR_PORT))
		return NULL;
	return arch_ioremap(b->cpu_addr, b->size);
}

/* The decoding bits the function's BARs need. */
static u16 pci_decode_bits(const struct pci_dev *dev)
{
	u16 bits = 0;

	for (unsigned int i = 0; i < dev->nr_bars; i++) {
		if (dev->bar[i].flags & PCI_BAR_IO)
			bits |= PCI_COMMAND_IO;
		if (dev->bar[i].flags & PCI_BAR_MEM)
			bits |= PCI_COMMAND_MEMORY;
	}
	return bits;
}

static void pci_set_command_bits(struct pci_dev *dev, u16 bits)
{
	u16 cmd = pci_read_config16(dev, PCI_COMMAND);

	if ((cmd & bits) != bits)
		pci_write_config16(dev, PCI_COMMAND, cmd | bits);
}

int pci_enable_device(struct pci_dev *dev)
{
	if (dev->disabled)
		return -ENODEV;
	/* A bridge forwards a space only with its own decoding on; windows are set up. */
	for (struct pci_dev *br = dev->parent; br; br = br->parent)
		pci_set_command_bits(br, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	pci_set_command_bits(dev, pci_decode_bits(dev));
	return 0;
}

void pci_set_master(struct pci_dev *dev)
{
	/* Upstream: a bridge forwards its secondary side's requests only as a master. */
	for (struct pci_dev *br = dev->parent; br; br = br->parent)
		pci_set_command_bits(br, PCI_COMMAND_MASTER);
	pci_set_command_bits(dev, PCI_COMMAND_MASTER);
}

static const struct pci_device_id *pci_match(const struct pci_driver *drv,
					     const struct pci_dev *dev)
{
	for (const struct pci_device_id *id = drv->id_table; id && id->vendor; id++) {
		if (id->vendor != PCI_ANY_ID && id->vendor != dev->vendor)
			continue;
		if (id->device != PCI_ANY_ID && id->device != dev->device)
			continue;
		if ((dev->class & id->class_mask) != (id->class & id->class_mask))
			continue;
		return id;
	}
	return NULL;
}

int pci_register_driver(const struct pci_driver *drv)
{
	int bound = 0;
	char name[16];

	for (unsigned int i = 0; i < nr_pci_devs; i++) {
		struct pci_dev *dev = &pci_devs[i];
		const struct pci_device_id *id;

		if (dev->driver || dev->disabled || !(id = pci_match(drv, dev)))
			continue;
		int ret = drv->probe(dev, id);

		/* -ENODEV: "not mine after all", as in Linux; anything else is worth a line. */
		if (ret && ret != -ENODEV)
			pr_warn("%s: %s probe failed (%d)\n", pci_name(dev, name, sizeof(name)),
				drv->name, ret);
		if (ret)
			continue;
		dev->driver = drv;
		bound++;
	}
	return bound;
}
