// SPDX-License-Identifier: MIT
/*
 * The device tree collector for riscv64: walks the nodes of the FDT blob (read through
 * boot/fdt.c) and fills struct boot_info with what they say: memory, reservations
 * (/memreserve/, /reserved-memory, the initrd, the blob itself), CPUs, the console UART
 * named by /chosen/stdout-path (or else the first usable one), the test finisher and
 * virtio-mmio devices, the PLIC with its per-hart contexts, PCI host bridges
 * ("pci-host-ecam-generic"), the command line, and NUMA (numa-node-id, /distance-map). The
 * devices' nodes are read by boot/fdt_devices.c and the NUMA properties by boot/fdt_numa.c;
 * this file walks and decides.
 *
 * It runs in three walks over a blob that fdt_open() has accepted as a whole, so a malformed
 * blob leaves boot_info as it was. The first walk collects memory, reservations, CPUs and
 * devices; /chosen is read after it; the last walk looks for the node that
 * /chosen/stdout-path names, which may come before /chosen or /aliases in the blob (and one
 * more, only if that fails, takes the first usable UART).
 *
 * Nothing here is arch-specific and nothing is allocated: it builds and is fuzzed on the
 * host, where only boot_add_*() and printk are stubbed.
 *
 * Locking: boot CPU, before SMP (m).
 */
#include "boot/fdt_boot.h"
#include "boot/fdt_boot_internal.h"
#include "boot/fdt.h"
#include "kernel/boot_info.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

/* Real device trees are a few KiB; like Linux on arm64, refuse anything over 2 MiB. */
#define FDT_MAX_SIZE		0x200000U
/* The blob is reserved in whole pages: memblock works in pages anyway. */
#define FDT_PAGE_SIZE		4096ULL

/* Count a hart that did not fit in boot_info; fdt_parse_buf() reports them in one line. */
static void fdt_drop_hart(struct fdt_parse_state *st, u32 hartid)
{
	if (!st->harts_dropped++ || hartid < st->min_dropped)
		st->min_dropped = hartid;
	if (hartid > st->max_dropped)
		st->max_dropped = hartid;
}

/* ---- what the collecting walk does with each node ---- */

static void fdt_add_memory(struct fdt_walk *w, int level)
{
	u32 n = fdt_reg_count(w, level), nid;
	bool numa = fdt_numa_node_id(w, level, &nid);

	if (n == 0)
		pr_warn("FDT: memory node %s has no usable reg\n", w->stack[level].name);
	for (u32 i = 0; i < n; i++) {
		u64 base, size;

		if (!fdt_reg(w, level, i, &base, &size))
			continue;
		boot_add_memory(fdt_state(w)->bi, base, size, BOOT_MEM_RAM);
		if (numa)
			boot_numa_add_mem(&fdt_state(w)->bi->numa, base, size, nid, false);
	}
}

/*
 * What a /reserved-memory child's flags make of it (Devicetree spec 3.5.2). "no-map": the
 * OS must not even map it. "reusable": the OS may use it while its owner does not. Neither:
 * off limits to the page allocator, mapped: OpenSBI lists its own 512 KiB at the start of
 * RAM that way, and PMP makes touching it fault.
 */
static u32 fdt_reserved_kind(const struct fdt *f, const struct fdt_node *n)
{
	bool nomap = fdt_getprop(f, n, "no-map", NULL) != NULL;
	bool reusable = fdt_getprop(f, n, "reusable", NULL) != NULL;

	if (nomap && reusable)
		pr_warn("FDT: reserved-memory/%s is both no-map and reusable: treated as no-map\n",
			n->name);
	return nomap ? BOOT_RSV_NOMAP : reusable ? BOOT_RSV_REUSABLE : BOOT_RSV_FIRMWARE;
}

/*
 * A child with "size" and no "reg": the OS is to place it, aligned to "alignment", inside
 * one of its "alloc-ranges" (anywhere in RAM without them). Placing needs every fixed
 * reservation first, so it is recorded for memblock_init(), which places it.
 */
static void fdt_add_reserved_dynamic(struct fdt_walk *w, int level, u32 kind)
{
	const struct fdt_node *n = &w->stack[level];
	u32 count = fdt_addr_range_count(w, level, "alloc-ranges");
	struct boot_rsv_dynamic d = {
		.size = fdt_getprop_num(w->f, n, "size", 0),
		.align = fdt_getprop_num(w->f, n, "alignment", 0),
		.kind = kind,
	};

	strlcpy(d.name, n->name, sizeof(d.name));
	if (d.size == 0) {
		pr_warn("FDT: reserved-memory/%s: size is 0 or not 1 or 2 cells: not placed\n",
			n->name);
		return;
	}
	if (count == 0 && fdt_getprop(w->f, n, "alloc-ranges", NULL)) {
		pr_warn("FDT: reserved-memory/%s: alloc-ranges cannot be decoded: not placed\n",
			n->name);
		return;
	}
	if (count > BOOT_RSV_DYNAMIC_RANGES)
		pr_warn("FDT: reserved-memory/%s: %u alloc-ranges, only the first %d are used\n",
			n->name, count, BOOT_RSV_DYNAMIC_RANGES);
	for (u32 i = 0; i < count && d.nr_ranges < BOOT_RSV_DYNAMIC_RANGES; i++) {
		u64 base, len;

		if (!fdt_addr_range(w, level, "alloc-ranges", i, &base, &len)) {
			pr_warn("FDT: reserved-memory/%s: alloc-ranges entry %u untranslatable: skipped\n",
				n->name, i);
			continue;
		}
		d.ranges[d.nr_ranges].base = base;
		d.ranges[d.nr_ranges].size = len;
		d.nr_ranges++;
	}
	if (count && !d.nr_ranges) {
		/* Placed outside every allowed range, it would break its device. */
		pr_warn("FDT: reserved-memory/%s: no usable alloc-ranges entry: not placed\n",
			n->name);
		return;
	}
	if (!boot_add_rsv_dynamic(fdt_state(w)->bi, &d))
		pr_warn("FDT: reserved-memory/%s: more than %d regions to place: not placed\n",
			n->name, BOOT_MAX_RSV_DYNAMIC);
}

/* A /reserved-memory child: fixed (reg) or to be placed (size). */
static void fdt_add_reserved_memory(struct fdt_walk *w, int level)
{
	const struct fdt_node *n = &w->stack[level];
	u32 count = fdt_reg_count(w, level);
	u32 kind = fdt_reserved_kind(w->f, n);

	if (fdt_has_prefix(n->name, "mmode_resv"))
		fdt_state(w)->seen_opensbi = true;
	if (count == 0) {
		if (fdt_getprop(w->f, n, "reg", NULL))
			pr_warn("FDT: reserved-memory/%s: reg cannot be decoded with %u address and %u size cells: ignored\n",
				n->name, w->stack[level - 1].addr_cells,
				w->stack[level - 1].size_cells);
		else if (fdt_getprop(w->f, n, "size", NULL))
			fdt_add_reserved_dynamic(w, level, kind);
		else
			pr_warn("FDT: reserved-memory/%s has neither reg nor size: ignored\n",
				n->name);
		return;
	}
	for (u32 i = 0; i < count; i++) {
		u64 base, size;

		if (fdt_reg(w, level, i, &base, &size)) {
			boot_add_reserved(fdt_state(w)->bi, base, size, kind);
			continue;
		}
		/* Reserving too much is harmless; not reserving firmware memory is not. */
		const struct fdt_node *parent = &w->stack[level - 1];
		u32 len;
		const u8 *reg = fdt_getprop(w->f, n, "reg", &len);
		u32 ac = parent->addr_cells, sc = parent->size_cells;

		if (reg && ac && ac <= FDT_CELLS_MAX && sc <= FDT_CELLS_MAX) {
			reg += i * (ac + sc) * 4;
			pr_warn("FDT: reserved-memory/%s: no ranges to translate reg, using it as is\n",
				n->name);
			boot_add_reserved(fdt_state(w)->bi, fdt_cells(reg, ac),
					  fdt_cells(reg + ac * 4, sc), kind);
		}
	}
}

/* Is `ext` one of the multi-letter extensions of a riscv,isa string ("rv64imac_svpbmt")? */
static bool isa_string_has(const char *isa, const char *ext)
{
	size_t n = strlen(ext);

	for (const char *p = isa; (p = strchr(p, '_')) != NULL; p++)
		if (strncmp(p + 1, ext, n) == 0 && (p[1 + n] == '_' || p[1 + n] == 0))
			return true;
	return false;
}

/*
 * The BOOT_RISCV_ISA_* extensions a cpu node lists: in riscv,isa-extensions (a string list,
 * the newer binding) or in the riscv,isa string; and BOOT_RISCV_THEAD_CORE from compatible.
 */
static u32 fdt_cpu_isa_ext(const struct fdt *f, const struct fdt_node *n)
{
	u32 len;
	const char *list = (const char *)fdt_getprop(f, n, "riscv,isa-extensions", &len);
	const char *isa = fdt_getprop_str(f, n, "riscv,isa");
	u32 ext = 0;

	if (list && len && list[len - 1] == 0) {
		for (const char *p = list; p < list + len; p += strlen(p) + 1)
			if (strcmp(p, "svpbmt") == 0)
				ext |= BOOT_RISCV_ISA_SVPBMT;
	}
	if (isa && isa_string_has(isa, "svpbmt"))
		ext |= BOOT_RISCV_ISA_SVPBMT;
	/* A T-Head core names itself in compatible ("thead,c910", "thead,c906"). */
	if (fdt_is_compatible(f, n, "thead,c910") || fdt_is_compatible(f, n, "thead,c906") ||
	    fdt_is_compatible(f, n, "thead,c908"))
		ext |= BOOT_RISCV_THEAD_CORE;
	return ext;
}

/*
 * timebase-frequency of /cpus or a cpu node, 0 if absent. A 0 in the tree is no rate at
 * all (the timer would divide by it): remembered so that the parse can say so, and ignored.
 */
static u64 fdt_timebase(const struct fdt *f, const struct fdt_node *n,
			struct fdt_parse_state *st)
{
	u64 hz = fdt_getprop_num(f, n, "timebase-frequency", 0);

	if (!hz && fdt_getprop(f, n, "timebase-frequency", NULL))
		st->timebase_zero = true;
	return hz;
}

/*
 * A hart whose status is not "okay". "disabled" is ordinary (a monitor core, a hart kept for
 * firmware); "fail" or "fail-<why>" means the firmware found it broken (Devicetree spec 2.3.4),
 * which a board owner wants to hear about.
 */
static void fdt_report_hart_status(const struct fdt *f, const struct fdt_node *n, u64 hartid)
{
	const char *status = fdt_getprop_str(f, n, "status");

	if (status && fdt_has_prefix(status, "fail"))
		pr_warn("FDT: hart %llu has status \"%s\": the firmware found it faulty: not used\n",
			(unsigned long long)hartid, status);
}

/*
 * A /cpus/cpu@N node. Hart ids are reg; "okay" (or no status) means usable. S-mode is
 * what we need, and riscv,isa does not say whether a hart has it (the letters are unprivileged
 * extensions). A hart with an MMU has S-mode, so "mmu-type" present and not "riscv,none"
 * is the test: sifive_u's hart 0 (an E51 monitor core, "rv64imac", no mmu-type) fails it.
 */
static void fdt_add_cpu(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = fdt_state(w);
	struct boot_info *bi = st->bi;
	const struct fdt_node *n = &w->stack[level];
	const struct fdt_node *parent = &w->stack[level - 1];
	u32 len;
	const u8 *reg = fdt_getprop(w->f, n, "reg", &len);
	u32 ac = parent->addr_cells;

	if (!reg || ac == 0 || ac > FDT_CELLS_MAX || len < ac * 4) {
		pr_warn("FDT: cpu node %s has no usable reg: skipped\n", n->name);
		return;
	}
	u64 hartid = fdt_cells(reg, ac);

	if (hartid > 0xffffffffULL) {
		pr_warn("FDT: cpu %s: hart id 0x%llx does not fit 32 bits: skipped\n",
			n->name, (unsigned long long)hartid);
		return;
	}

	u32 nid;

	if (fdt_numa_node_id(w, level, &nid))
		boot_numa_add_cpu(&bi->numa, (u32)hartid, nid);

	const char *mmu = fdt_getprop_str(w->f, n, "mmu-type");
	bool smode = mmu && !fdt_streq(mmu, "riscv,none");
	bool okay = fdt_is_enabled(w->f, n);
	bool is_boot = hartid == st->boot_hartid;

	if (!st->timebase_cpu)
		st->timebase_cpu = fdt_timebase(w->f, n, st);
	if (!okay)
		fdt_report_hart_status(w->f, n, hartid);
	if (is_boot && !(okay && smode)) {
		/* We are running on it, so it works whatever the tree says. */
		pr_warn("FDT: boot hart %u is marked %s%s in the tree: using it anyway\n",
			(u32)hartid, okay ? "" : "disabled", smode ? "" : " without S-mode");
		okay = smode = true;
	}
	if (bi->nr_cpus == BOOT_MAX_CPUS) {
		if (!is_boot) {
			fdt_drop_hart(st, (u32)hartid);
			return;
		}
		/* The boot hart must be listed: it replaces the last one. */
		bi->nr_cpus--;
		fdt_drop_hart(st, bi->cpus[bi->nr_cpus].hwid);
	}

	struct boot_cpu *cpu = &bi->cpus[bi->nr_cpus];

	cpu->hwid = (u32)hartid;
	cpu->enabled = okay && smode;
	if (cpu->enabled) {
		/* The page tables are shared: an extension counts only if every hart has it. */
		u32 ext = fdt_cpu_isa_ext(w->f, n);

		st->isa_ext_all = st->isa_ext_seen ? st->isa_ext_all & ext : ext;
		st->isa_ext_seen = true;
	}
	cpu->online_capable = false;
	if (is_boot) {
		bi->boot_cpu_index = bi->nr_cpus;
		st->boot_cpu_found = true;
	}
	if (!smode)
		pr_info("FDT: hart %u has no S-mode (mmu-type %s): not usable\n",
			(u32)hartid, mmu ? mmu : "absent");
	bi->nr_cpus++;
}

static void fdt_visit_collect(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = fdt_state(w);
	const struct fdt *f = w->f;
	const struct fdt_node *n = &w->stack[level];
	const struct fdt_node *parent = level > 0 ? &w->stack[level - 1] : NULL;
	const char *dt = fdt_getprop_str(f, n, "device_type");

	if (level == 0) {
		/* U-Boot's control tree and fixups leave these in the root or /chosen. */
		if (fdt_getprop(f, n, "u-boot,version", NULL))
			st->seen_uboot = true;
		return;
	}
	if (level == 1 && fdt_node_is(n->name, "chosen")) {
		st->chosen = *n;
		st->have_chosen = true;
		if (fdt_getprop(f, n, "u-boot,version", NULL) ||
		    fdt_getprop(f, n, "u-boot,bootconf", NULL))
			st->seen_uboot = true;
		return;
	}
	if (level == 1 && fdt_node_is(n->name, "aliases")) {
		st->aliases = *n;
		st->have_aliases = true;
		return;
	}
	if (level == 1 && fdt_is_compatible(f, n, "numa-distance-map-v1")) {
		fdt_add_distance_map(w, level);
		return;
	}
	if (level == 1 && fdt_node_is(n->name, "cpus")) {
		st->bi->timebase_hz = fdt_timebase(f, n, st);
		return;
	}
	if (level == 2 && fdt_node_is(parent->name, "cpus")) {
		if (dt && fdt_streq(dt, "cpu"))
			fdt_add_cpu(w, level);
		return;
	}
	if (level == 3 && fdt_node_is(w->stack[1].name, "cpus")) {
		if (fdt_is_compatible(f, n, "riscv,cpu-intc"))
			fdt_add_cpu_intc(w, level);
		return;
	}
	if (!fdt_is_enabled(f, n))
		return;
	/* The spec wants device_type "memory"; some old trees only name the node so. */
	if (level == 1 && ((dt && fdt_streq(dt, "memory")) ||
			   (!dt && fdt_node_is(n->name, "memory")))) {
		fdt_add_memory(w, level);
		return;
	}
	if (level == 2 && fdt_node_is(parent->name, "reserved-memory")) {
		fdt_add_reserved_memory(w, level);
		return;
	}
	if (fdt_is_compatible(f, n, "virtio,mmio")) {
		fdt_add_device(w, level, "virtio,mmio");
		return;
	}
	if (!st->have_plic) {
		static const char *const plics[] = { "sifive,plic-1.0.0", "riscv,plic0" };

		for (unsigned int i = 0; i < ARRAY_SIZE(plics); i++) {
			if (fdt_is_compatible(f, n, plics[i])) {
				fdt_add_plic(w, level, plics[i]);
				return;
			}
		}
	}
	if (fdt_is_compatible(f, n, "pci-host-ecam-generic")) {
		fdt_add_pci_host(w, level);
		return;
	}
	if (!st->have_finisher && fdt_is_finisher(f, n))
		st->have_finisher = fdt_add_device(w, level, "sifive,test0") != NULL;
}

/* ---- stdout-path and the console UART ---- */

/* Does one path component (len bytes, maybe without "@unit") name this node? */
static bool fdt_component_matches(const char *name, const char *comp, size_t len)
{
	bool has_unit = false;

	for (size_t i = 0; i < len; i++)
		has_unit |= comp[i] == '@';
	for (size_t i = 0; i < len; i++)
		if (name[i] != comp[i] || !name[i])
			return false;
	return name[len] == '\0' || (!has_unit && name[len] == '@');
}

/* Is the node at `level` the one the absolute path (len bytes) names? */
static bool fdt_path_matches(const struct fdt_walk *w, int level, const char *path, size_t len)
{
	int k = 0;
	size_t i = 0;

	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		size_t start = i;

		while (i < len && path[i] != '/')
			i++;
		if (++k > level || !fdt_component_matches(w->stack[k].name, path + start,
							  i - start))
			return false;
	}
	return k == level && level > 0;
}

/* A NUL-terminated copy of the n bytes at s for messages (printk has no "%.*s"). */
static const char *fdt_msg_str(char *buf, size_t size, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = s[i];
	buf[i] = '\0';
	return buf;
}

/* The UARTs we have drivers for, in the names boot_device and arch code use. */
static const char *const fdt_uarts[] = {
	"ns16550a", "ns16550", "snps,dw-apb-uart", "sifive,uart0",
};

/* A 16550 has 8 registers; a stride over 8 bytes (reg-shift 3) is a broken tree. */
#define FDT_UART_MAX_REG_SHIFT	3

/* The fdt_uarts[] entry the node is compatible with, or NULL. */
static const char *fdt_uart_compat(const struct fdt *f, const struct fdt_node *n)
{
	for (size_t i = 0; i < ARRAY_SIZE(fdt_uarts); i++)
		if (fdt_is_compatible(f, n, fdt_uarts[i]))
			return fdt_uarts[i];
	return NULL;
}

/*
 * Make the UART node at `level` the console if it can be one: enabled, a register stride a
 * 16550 can have, a reg we can translate. Says why not (pr_warn) and returns false otherwise.
 */
static bool fdt_take_console(struct fdt_walk *w, int level, const char *compat, u32 baud)
{
	struct fdt_parse_state *st = fdt_state(w);
	const struct fdt_node *n = &w->stack[level];
	/* ns16550 binding defaults: byte registers, one byte apart. */
	u64 shift = fdt_getprop_num(w->f, n, "reg-shift", 0);
	u64 clk = fdt_getprop_num(w->f, n, "clock-frequency", 0);

	if (!fdt_is_enabled(w->f, n)) {
		pr_warn("FDT: console UART %s is not enabled (status): not used\n", n->name);
		return false;
	}
	if (shift > FDT_UART_MAX_REG_SHIFT) {
		pr_warn("FDT: console UART %s: reg-shift %llu is out of range (0 to %u): not used\n",
			n->name, (unsigned long long)shift, FDT_UART_MAX_REG_SHIFT);
		return false;
	}
	struct boot_device *dev = fdt_add_device(w, level, compat);

	if (!dev)
		return false;	/* fdt_add_device() said why */
	dev->reg_shift = (u32)shift;
	dev->reg_io_width = (u32)fdt_getprop_num(w->f, n, "reg-io-width", 1);
	dev->clock = clk > 0xffffffffULL ? 0 : (u32)clk;
	dev->baud = baud;
	st->bi->console_device = (int)(dev - st->bi->devices);
	return true;
}

static void fdt_visit_stdout(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = fdt_state(w);
	const struct fdt_node *n = &w->stack[level];
	const char *compat;

	if (st->stdout_found || !fdt_path_matches(w, level, st->stdout_path, st->stdout_len))
		return;
	st->stdout_found = true;
	compat = fdt_uart_compat(w->f, n);
	if (compat) {
		fdt_take_console(w, level, compat, st->stdout_baud);
		return;
	}
	char buf[64];

	pr_warn("FDT: stdout-path %s is not a UART we drive\n",
		fdt_msg_str(buf, sizeof(buf), st->stdout_path, st->stdout_len));
}

/* The fallback walk: the first enabled UART we drive, in tree order, becomes the console. */
static void fdt_visit_first_uart(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = fdt_state(w);
	const struct fdt_node *n = &w->stack[level];
	const char *compat;

	if (st->bi->console_device >= 0 || level == 0 || !fdt_is_enabled(w->f, n))
		return;
	compat = fdt_uart_compat(w->f, n);
	if (compat && fdt_take_console(w, level, compat, 0))
		pr_info("FDT: console falls back to the first usable UART: %s (%s)\n",
			n->name, compat);
}

/*
 * The baud that stdout-path's options start with: "115200n8" is 115200 baud, no parity,
 * 8 bits (Devicetree spec 3.6, "chosen"; the format of Linux's earlycon options). Parity
 * and bits are not read: every UART here runs 8N1. 0 if the options carry no number.
 */
static u32 fdt_stdout_baud(const char *opt)
{
	u64 baud = 0;
	size_t i;

	for (i = 0; opt[i] >= '0' && opt[i] <= '9'; i++) {
		baud = baud * 10 + (u64)(opt[i] - '0');
		if (baud > 0xffffffffULL)
			break;
	}
	if (i == 0 || baud == 0 || baud > 0xffffffffULL) {
		pr_warn("FDT: stdout-path options '%s' start with no baud rate: keeping the firmware's\n",
			opt);
		return 0;
	}
	return (u32)baud;
}

/* stdout-path is "/path[:options]" or "alias[:options]": find the path it means. */
static void fdt_resolve_stdout(const struct fdt *f, struct fdt_parse_state *st)
{
	const char *s = NULL;
	size_t len;

	if (st->have_chosen) {
		s = fdt_getprop_str(f, &st->chosen, "stdout-path");
		if (!s)
			s = fdt_getprop_str(f, &st->chosen, "linux,stdout-path");
	}
	if (!s)
		return;
	for (len = 0; s[len] && s[len] != ':'; len++)
		;
	if (s[len] == ':')
		st->stdout_baud = fdt_stdout_baud(s + len + 1);
	if (len > 0 && s[0] != '/') {
		const char *alias = NULL;

		if (st->have_aliases) {
			u32 vlen;
			const u8 *v = fdt_getprop_n(f, &st->aliases, s, len, &vlen);

			if (v && vlen > 1 && v[vlen - 1] == '\0' && v[0] == '/')
				alias = (const char *)v;
		}
		if (!alias) {
			char buf[64];

			pr_warn("FDT: stdout-path alias '%s' not found in /aliases\n",
				fdt_msg_str(buf, sizeof(buf), s, len));
			return;
		}
		s = alias;
		for (len = 0; s[len] && s[len] != ':'; len++)
			;
	}
	st->stdout_path = s;
	st->stdout_len = len;
}

/*
 * The console UART: the node /chosen/stdout-path names if it is a usable UART, otherwise
 * (no stdout-path, an alias or node that is not there, a node we cannot drive) the first
 * usable UART in the tree, saying so. With none, boot_info names no console and the arch
 * stays on its firmware console.
 */
static void fdt_find_console(struct fdt_walk *w, struct fdt_parse_state *st)
{
	char buf[64];

	fdt_resolve_stdout(w->f, st);
	if (st->stdout_path) {
		w->visit = fdt_visit_stdout;
		fdt_walk(w);
		if (!st->stdout_found)
			pr_warn("FDT: stdout-path %s names no node\n",
				fdt_msg_str(buf, sizeof(buf), st->stdout_path, st->stdout_len));
	} else if (!st->have_chosen || (!fdt_getprop(w->f, &st->chosen, "stdout-path", NULL) &&
					!fdt_getprop(w->f, &st->chosen, "linux,stdout-path", NULL))) {
		pr_info("FDT: /chosen has no stdout-path\n");
	}
	if (st->bi->console_device >= 0)
		return;
	w->visit = fdt_visit_first_uart;
	fdt_walk(w);
	if (st->bi->console_device < 0)
		pr_warn("FDT: no usable UART in the device tree: no console UART\n");
}

/* ---- /chosen and the reservation map ---- */

static void fdt_read_chosen(const struct fdt *f, struct fdt_parse_state *st)
{
	struct boot_info *bi = st->bi;
	u32 len;
	const u8 *v;

	if (!st->have_chosen)
		return;
	v = fdt_getprop(f, &st->chosen, "bootargs", &len);
	if (v && len > 0) {
		size_t n = fdt_strnlen((const char *)v, len);

		if (n >= sizeof(bi->cmdline)) {
			pr_warn("FDT: bootargs of %lu bytes truncated to %lu\n",
				(unsigned long)n, (unsigned long)sizeof(bi->cmdline) - 1);
			n = sizeof(bi->cmdline) - 1;
		}
		for (size_t i = 0; i < n; i++)
			bi->cmdline[i] = (char)v[i];
		bi->cmdline[n] = '\0';
	}

	/* The initrd bounds are 32- or 64-bit numbers; end is exclusive. */
	u64 start = fdt_getprop_num(f, &st->chosen, "linux,initrd-start", 0);
	u64 end = fdt_getprop_num(f, &st->chosen, "linux,initrd-end", 0);

	if (end > start)
		boot_add_module(bi, start, end - start, "initrd");
	else if (start || end)
		pr_warn("FDT: initrd [0x%llx, 0x%llx) is empty or inverted: ignored\n",
			(unsigned long long)start, (unsigned long long)end);
}

/* /memreserve/ entries (the map before the structure block): firmware-owned memory. */
static void fdt_read_rsvmap(const struct fdt *f, struct boot_info *bi)
{
	u64 base, size;

	for (u32 i = 0; fdt_rsvmap_entry(f, i, &base, &size); i++)
		boot_add_reserved(bi, base, size, BOOT_RSV_FIRMWARE);
}

int fdt_parse_buf(struct boot_info *bi, const void *blob, size_t len, phys_addr_t blob_phys,
		  u32 boot_hartid)
{
	struct fdt f;
	struct fdt_parse_state st = { .bi = bi, .boot_hartid = boot_hartid };
	struct fdt_walk w = { .f = &f, .data = &st };
	int ret;

	bi->console_device = -1;
	if (!blob)
		return FDT_ERR_NOFDT;
	ret = fdt_open(&f, blob, len);
	if (ret)
		return ret;

	/* Valid: from here on, only boot_info's own limits can drop anything. */
	bi->fdt = blob_phys;
	bi->fdt_size = f.size;
	u64 first = blob_phys & ~(FDT_PAGE_SIZE - 1);
	u64 last = ALIGN_UP(blob_phys + f.size, FDT_PAGE_SIZE);

	boot_add_reserved(bi, first, last - first, BOOT_RSV_FDT);
	fdt_read_rsvmap(&f, bi);

	w.visit = fdt_visit_collect;
	fdt_walk(&w);
	fdt_read_chosen(&f, &st);
	fdt_resolve_plic(&f, &st);
	fdt_numa_finish(&st);

	if (!bi->timebase_hz)
		bi->timebase_hz = st.timebase_cpu;
	if (!bi->timebase_hz && st.timebase_zero)
		pr_warn("FDT: timebase-frequency is 0: ignored\n");
	if (!bi->nr_memory)
		pr_warn("FDT: no memory node (device_type \"memory\") in the device tree\n");
	bi->riscv_isa_ext = st.isa_ext_seen ? st.isa_ext_all : 0;
	if (!st.boot_cpu_found) {
		pr_warn("FDT: boot hart %u is not in /cpus: adding it\n", boot_hartid);
		if (bi->nr_cpus == BOOT_MAX_CPUS)
			fdt_drop_hart(&st, bi->cpus[--bi->nr_cpus].hwid);
		bi->cpus[bi->nr_cpus] = (struct boot_cpu){ .hwid = boot_hartid, .enabled = true };
		bi->boot_cpu_index = bi->nr_cpus++;
	}
	/* One line, not one per hart: a tree may list hundreds more than fit. */
	if (st.harts_dropped)
		pr_warn("FDT: %u of %u harts dropped (boot_info holds %d), hart ids %u to %u among them\n",
			st.harts_dropped, st.harts_dropped + bi->nr_cpus, BOOT_MAX_CPUS,
			st.min_dropped, st.max_dropped);

	fdt_find_console(&w, &st);

	bi->loader_name = st.seen_uboot ? "U-Boot" : st.seen_opensbi ? "OpenSBI" : "FDT";
	pr_info("FDT: version %u, %u bytes at 0x%llx; %u cpus, boot hart %u; loader %s\n",
		f.version, f.size, (unsigned long long)blob_phys, bi->nr_cpus, boot_hartid,
		bi->loader_name);
	return FDT_OK;
}

int fdt_parse(struct boot_info *bi, phys_addr_t fdt_phys, u32 boot_hartid)
{
	/*
	 * riscv64 runs with translation off, so the physical address is the pointer. The
	 * header says how long the blob is; fdt_parse_buf() re-checks every field against it.
	 */
	const u8 *blob = (const u8 *)(uintptr_t)fdt_phys;

	if (!fdt_phys) {
		bi->console_device = -1;
		pr_warn("FDT: the loader passed no device tree (a1 = 0)\n");
		return FDT_ERR_NOFDT;
	}
	if (fdt_be32(blob) != FDT_MAGIC)
		return fdt_parse_buf(bi, blob, 4, fdt_phys, boot_hartid);
	/* A garbage totalsize must not send the parser reading to the end of the world. */
	u32 size = fdt_be32(blob + 4);

	if (size > FDT_MAX_SIZE) {
		bi->console_device = -1;
		pr_warn("FDT: totalsize %u is over the %u-byte limit\n", size, FDT_MAX_SIZE);
		return FDT_ERR_HEADER;
	}
	return fdt_parse_buf(bi, blob, size, fdt_phys, boot_hartid);
}
