// SPDX-License-Identifier: MIT
/*
 * The device nodes of the riscv64 device tree, for boot/fdt_boot.c's collecting walk: each
 * hart's interrupt-controller phandle and the PLIC with its per-hart contexts, devices a
 * driver may want (UARTs, virtio-mmio, the test finisher) and PCI host bridges
 * ("pci-host-ecam-generic": ECAM, bus-range, the ranges windows, the raw interrupt-map).
 * Every value is checked before it goes into boot_info; a node that does not make sense is
 * reported and left out.
 *
 * Locking: boot CPU, before SMP (m).
 */
#include "boot/fdt_boot_internal.h"
#include "boot/fdt.h"
#include "kernel/boot_info.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

/*
 * /cpus/cpu@N/interrupt-controller ("riscv,cpu-intc"): the hart's local interrupt inputs.
 * Remember its phandle with the hart id from the cpu node's reg.
 */
void fdt_add_cpu_intc(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = fdt_state(w);
	const struct fdt_node *n = &w->stack[level];
	const struct fdt_node *cpu = &w->stack[level - 1];
	u32 ac = w->stack[level - 2].addr_cells, len;
	const u8 *reg = fdt_getprop(w->f, cpu, "reg", &len);
	u64 phandle = fdt_getprop_num(w->f, n, "phandle", 0);

	if (!phandle)
		phandle = fdt_getprop_num(w->f, n, "linux,phandle", 0);
	if (!reg || ac == 0 || ac > FDT_CELLS_MAX || len < ac * 4 || !phandle ||
	    phandle > 0xffffffffULL)
		return;		/* nothing can name it, or no hart to name */
	if (st->nr_intc == BOOT_MAX_CPUS)
		return;		/* its hart did not fit in cpus[] either */
	st->intc[st->nr_intc].phandle = (u32)phandle;
	st->intc[st->nr_intc].hartid = (u32)fdt_cells(reg, ac);
	st->nr_intc++;
}

/* The PLIC: where it is and how many sources; contexts come from fdt_resolve_plic(). */
void fdt_add_plic(struct fdt_walk *w, int level, const char *compat)
{
	struct fdt_parse_state *st = fdt_state(w);
	struct boot_irqchip *ic = &st->bi->irqchip;
	const struct fdt_node *n = &w->stack[level];
	u64 base, size;

	if (!fdt_reg(w, level, 0, &base, &size)) {
		pr_warn("FDT: %s (%s): reg missing or untranslatable: skipped\n", n->name, compat);
		return;
	}
	strlcpy(ic->compatible, compat, sizeof(ic->compatible));
	ic->base = base;
	ic->size = size;
	ic->ndev = (u32)fdt_getprop_num(w->f, n, "riscv,ndev", 0);
	/* A PCI host's interrupt-map names it by phandle, then its address and interrupt cells. */
	u64 phandle = fdt_getprop_num(w->f, n, "phandle", 0);

	if (!phandle)
		phandle = fdt_getprop_num(w->f, n, "linux,phandle", 0);
	ic->phandle = phandle <= 0xffffffffULL ? (u32)phandle : 0;
	ic->address_cells = (u32)fdt_getprop_num(w->f, n, "#address-cells", 0);
	ic->interrupt_cells = (u32)fdt_getprop_num(w->f, n, "#interrupt-cells", 1);
	st->plic = *n;
	st->have_plic = true;
}

/*
 * interrupts-extended = <&intc0 11 &intc0 9 &intc1 11 ...>: context i is pair i, a cpu-intc
 * phandle and one cell (riscv,cpu-intc has #interrupt-cells = 1).
 */
void fdt_resolve_plic(const struct fdt *f, struct fdt_parse_state *st)
{
	struct boot_irqchip *ic = &st->bi->irqchip;
	u32 len;
	const u8 *p;

	if (!st->have_plic)
		return;
	p = fdt_getprop(f, &st->plic, "interrupts-extended", &len);
	if (!p) {
		pr_warn("FDT: %s has no interrupts-extended: no hart can take its interrupts\n",
			ic->compatible);
		return;
	}
	if (len / 8 > BOOT_MAX_IRQ_CONTEXTS)
		pr_warn("FDT: %s has %u contexts; the first %u are kept\n", ic->compatible,
			len / 8, BOOT_MAX_IRQ_CONTEXTS);
	for (u32 i = 0; i < len / 8 && i < BOOT_MAX_IRQ_CONTEXTS; i++) {
		u32 phandle = fdt_be32(p + 8 * i);
		struct boot_irqchip_context *c = &ic->contexts[i];

		c->irq = fdt_be32(p + 8 * i + 4);
		c->hartid = BOOT_IRQ_CTX_NO_HART;
		for (unsigned int j = 0; j < st->nr_intc; j++)
			if (st->intc[j].phandle == phandle)
				c->hartid = st->intc[j].hartid;
		ic->nr_contexts = i + 1;
	}
}

/* Copy a device's common fields; NULL if the table is full or reg is unusable. */
struct boot_device *fdt_add_device(struct fdt_walk *w, int level, const char *compat)
{
	const struct fdt_node *n = &w->stack[level];
	u64 base, size;
	struct boot_device *dev;

	if (!fdt_reg(w, level, 0, &base, &size)) {
		pr_warn("FDT: %s (%s): reg missing or untranslatable: skipped\n", n->name, compat);
		return NULL;
	}
	dev = boot_add_device(fdt_state(w)->bi, compat);
	if (!dev)
		return NULL;	/* boot_add_device() reported it */
	dev->base = base;
	dev->size = size;
	dev->irq = fdt_irq(w->f, n);
	return dev;
}

/*
 * The test finisher: QEMU virt's "sifive,test1"/"sifive,test0" device (also a "syscon"
 * named test@...). Writing 0x5555 to it ends QEMU with status 0, (code << 16) | 0x3333
 * with status code. It is recorded as "sifive,test0", which arch_test_exit() looks for.
 */
bool fdt_is_finisher(const struct fdt *f, const struct fdt_node *n)
{
	return fdt_is_compatible(f, n, "sifive,test0") ||
	       fdt_is_compatible(f, n, "sifive,test1") ||
	       (fdt_is_compatible(f, n, "syscon") && fdt_node_is(n->name, "test"));
}

/*
 * "ranges" of a PCI host bridge (PCI bus binding, IEEE 1275 PCI supplement 2.2.1.1): each
 * entry is a 3-cell PCI address, a CPU address in the parent's cells and a size in the
 * node's. The first PCI cell, phys.hi, is npt000ss bbbbbbbb dddddfff rrrrrrrr: ss is the
 * space (01 I/O, 10 32-bit memory, 11 64-bit memory), p prefetchable; the other two cells
 * are the 64-bit PCI address.
 */
#define FDT_PCI_SPACE(hi)	(((hi) >> 24) & 3)
#define FDT_PCI_PREFETCH	(1u << 30)

static void fdt_pci_windows(struct fdt_walk *w, int level, struct boot_pci_host *h)
{
	const struct fdt_node *n = &w->stack[level];
	u32 pac = w->stack[level - 1].addr_cells, sc = n->size_cells, len;
	const u8 *r = fdt_getprop(w->f, n, "ranges", &len);

	if (!r || n->addr_cells != 3 || pac == 0 || pac > FDT_CELLS_MAX || sc == 0 ||
	    sc > FDT_CELLS_MAX) {
		pr_warn("FDT: %s: no usable ranges (#address-cells %u, #size-cells %u): no "
			"windows for PCI BARs\n", n->name, n->addr_cells, sc);
		return;
	}
	u32 entry = (3 + pac + sc) * 4;

	if (len % entry)
		pr_warn("FDT: %s: ranges is %u bytes, not whole %u-byte entries\n", n->name,
			len, entry);
	for (u32 off = 0; off + entry <= len; off += entry) {
		u32 hi = fdt_be32(r + off);
		u64 pci = fdt_be64(r + off + 4);
		u64 cpu = fdt_cells(r + off + 12, pac);
		u64 size = fdt_cells(r + off + 12 + pac * 4, sc);
		static const u32 types[] = { 0, BOOT_PCI_WIN_IO, BOOT_PCI_WIN_MEM32,
					     BOOT_PCI_WIN_MEM64 };
		u32 type = types[FDT_PCI_SPACE(hi)];

		if (!type || !size || !fdt_translate(w, level, &cpu) || cpu + size < cpu) {
			pr_warn("FDT: %s: ranges entry at %u (space %u, size %#llx) unusable; "
				"skipped\n", n->name, off / entry, FDT_PCI_SPACE(hi),
				(unsigned long long)size);
			continue;
		}
		if (h->nr_windows == BOOT_PCI_MAX_WINDOWS) {
			pr_warn("FDT: %s: more than %d ranges; the rest ignored\n", n->name,
				BOOT_PCI_MAX_WINDOWS);
			return;
		}
		struct boot_pci_window *win = &h->windows[h->nr_windows++];

		win->type = type;
		win->prefetchable = hi & FDT_PCI_PREFETCH;
		win->pci_base = pci;
		win->cpu_base = cpu;
		win->size = size;
	}
}

/* interrupt-map and its mask, kept as raw cells for the interrupt code to resolve later. */
static void fdt_pci_interrupt_map(struct fdt_walk *w, int level, struct boot_pci_host *h)
{
	const struct fdt_node *n = &w->stack[level];
	u32 len, mlen;
	const u8 *map = fdt_getprop(w->f, n, "interrupt-map", &len);
	const u8 *mask = fdt_getprop(w->f, n, "interrupt-map-mask", &mlen);

	h->imap_addr_cells = n->addr_cells;
	h->imap_int_cells = (u32)fdt_getprop_num(w->f, n, "#interrupt-cells", 1);
	if (!map)
		return;
	if (len / 4 > BOOT_PCI_IMAP_MAX_CELLS || !mask || mlen / 4 > ARRAY_SIZE(h->imap_mask)) {
		pr_warn("FDT: %s: interrupt-map of %u bytes (mask %u bytes) does not fit "
			"boot_info: PCI INTx unroutable\n", n->name, len, mask ? mlen : 0);
		return;
	}
	for (u32 i = 0; i < len / 4; i++)
		h->imap[i] = fdt_be32(map + 4 * i);
	h->nr_imap_cells = len / 4;
	for (u32 i = 0; i < mlen / 4; i++)
		h->imap_mask[i] = fdt_be32(mask + 4 * i);
	h->nr_imap_mask = mlen / 4;
}

/*
 * A "pci-host-ecam-generic" node: reg is the ECAM region of the buses in bus-range (default
 * 0-255, 1 MiB each); ranges are the windows BARs are placed in.
 */
void fdt_add_pci_host(struct fdt_walk *w, int level)
{
	const struct fdt_node *n = &w->stack[level];
	u64 base, size;
	u32 len;
	const u8 *br = fdt_getprop(w->f, n, "bus-range", &len);
	u32 start = 0, end = 0xff;

	if (!fdt_reg(w, level, 0, &base, &size) || size < SZ_1M || base & (SZ_1M - 1)) {
		pr_warn("FDT: %s: ECAM reg missing, untranslatable or not 1 MiB aligned: "
			"skipped\n", n->name);
		return;
	}
	if (br && len == 8) {
		start = fdt_be32(br);
		end = fdt_be32(br + 4);
	}
	if (start > end || end > 0xff) {
		pr_warn("FDT: %s: bus-range %u-%u invalid: skipped\n", n->name, start, end);
		return;
	}
	if ((end - start + 1) * (u64)SZ_1M > size) {
		u32 fit = start + (u32)(size / SZ_1M) - 1;

		pr_warn("FDT: %s: ECAM of %#llx bytes covers buses %02x-%02x only, not up to %02x\n",
			n->name, (unsigned long long)size, start, fit, end);
		end = fit;
	}
	struct boot_pci_host *h = boot_add_pci_host(fdt_state(w)->bi, BOOT_PCI_ECAM);

	if (!h) {
		pr_warn("FDT: %s: more than %d PCI hosts: skipped\n", n->name,
			BOOT_MAX_PCI_HOSTS);
		return;
	}
	h->segment = (u16)fdt_getprop_num(w->f, n, "linux,pci-domain", 0);
	h->bus_start = (u8)start;
	h->bus_end = (u8)end;
	h->ecam_base = base;
	fdt_pci_windows(w, level, h);
	fdt_pci_interrupt_map(w, level, h);
}

