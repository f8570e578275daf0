// SPDX-License-Identifier: MIT
/*
 * ACPI table walking (see boot/acpi.h). The path, with the checks made at each step:
 *
 *	RSDP (copy in boot_info)  "RSD PTR ", checksum over 20 bytes; revision >= 2: extended
 *	  |                       checksum over its length, XSDT address
 *	  v
 *	XSDT (64-bit entries) or RSDT (32-bit entries): signature, length >= header, length
 *	  |     within ACPI_MAX_TABLE_SIZE and mappable, checksum; a bad XSDT falls back to the RSDT
 *	  v
 *	"APIC" MADT: local APIC address, then variable-length entries, each with type and
 *	  length: length < 2 or past the table's end stops the walk; an entry shorter than its
 *	  type needs is skipped. Types used: 0 local APIC, 1 I/O APIC, 5 local APIC address
 *	  override, 9 local x2APIC.
 *	"FACP" FADT: PM1a/PM1b control blocks (X_ generic addresses preferred), DSDT -> \_S5.
 *	"MCFG": 8 reserved bytes after the header, then 16-byte entries (base, segment, start
 *	  and end bus); an entry with end < start, or a base that is not 1 MiB aligned, is
 *	  skipped: every bus takes 1 MiB of ECAM.
 *	"SRAT": 12 reserved bytes after the header, then type/length entries walked like the
 *	  MADT's. Types used, each only with its Enabled flag (bit 0) set: 0 Processor Local
 *	  APIC Affinity (16 bytes: domain bits 7:0 at 2, APIC id at 3, flags at 4, domain bits
 *	  31:8 at 9..11), 1 Memory Affinity (40 bytes: domain at 2, base at 8, length at 16,
 *	  flags at 28, bit 1 Hot Pluggable), 2 Processor Local x2APIC Affinity (24 bytes:
 *	  domain at 4, x2APIC id at 8, flags at 12).
 *	"SLIT": the number of localities N (64-bit) at 36, then N*N one-byte distances, row i
 *	  from locality i; a table too short for N*N is ignored as a whole.
 *
 * Multi-byte fields are read byte by byte: tables need not be aligned. Offsets are from the
 * ACPI specification (6.5), sections 5.2.5 (RSDP) to 5.2.12 (MADT) and 5.2.9 (FADT).
 */
#include "boot/acpi.h"
#include "kernel/boot_info.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include <asm/memory.h>

#define pr_acpi_warn(info, fmt, ...)					\
	do {								\
		(info)->nr_warnings++;					\
		pr_warn("acpi: " fmt, ##__VA_ARGS__);			\
	} while (0)

#define ACPI_HDR_LEN		36	/* the common System Description Table header */
#define MADT_ENTRIES		44	/* header + local APIC address + flags */

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_LAPIC_OVERRIDE	5
#define MADT_X2APIC		9

#define SRAT_ENTRIES		48	/* header + 4 bytes (revision 1) + 8 reserved */
#define SRAT_CPU		0
#define SRAT_MEMORY		1
#define SRAT_X2APIC		2
#define SRAT_ENABLED		0x1u
#define SRAT_MEM_HOTPLUGGABLE	0x2u

#define SLIT_ENTRIES		44	/* header + the 64-bit number of localities */

#define MADT_ENABLED		0x1u
#define MADT_ONLINE_CAPABLE	0x2u

struct acpi_info acpi_info;

struct parser {
	acpi_map_fn map;
	void *ctx;
	unsigned int flags;
	struct acpi_info *info;
};

static u16 get16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 get64(const u8 *p)
{
	return (u64)get32(p) | (u64)get32(p + 4) << 32;
}

/* ACPI checksums: all bytes, the checksum byte included, add up to 0 modulo 256. */
static bool checksum_ok(const struct parser *ps, const u8 *p, size_t len)
{
	u8 sum = 0;

	if (ps->flags & ACPI_PARSE_NO_CHECKSUM)
		return true;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/*
 * Map a whole table at `pa` after checking its header: signature (if `sig`), a length that
 * covers the header and is not absurd, and the checksum. *len gets the table's length.
 */
static const u8 *map_table(const struct parser *ps, phys_addr_t pa, const char *sig,
			   u32 *len)
{
	const u8 *hdr;
	u32 n;

	if (!pa)
		return NULL;
	hdr = ps->map(pa, ACPI_HDR_LEN, ps->ctx);
	if (!hdr) {
		pr_acpi_warn(ps->info, "table at %#llx cannot be read\n", (unsigned long long)pa);
		return NULL;
	}
	if (sig && memcmp(hdr, sig, 4) != 0)
		return NULL;	/* not the one we want: not an error */
	n = get32(hdr + 4);
	if (n < ACPI_HDR_LEN || n > ACPI_MAX_TABLE_SIZE) {
		pr_acpi_warn(ps->info, "%.4s at %#llx has a bad length %u\n", (const char *)hdr,
			     (unsigned long long)pa, n);
		return NULL;
	}
	char name[5];

	memcpy(name, hdr, 4);	/* the next map() may move the header */
	name[4] = '\0';
	const u8 *t = ps->map(pa, n, ps->ctx);

	if (!t) {
		pr_acpi_warn(ps->info, "%s at %#llx: %u bytes cannot be read\n", name,
			     (unsigned long long)pa, n);
		return NULL;
	}
	if (!checksum_ok(ps, t, n)) {
		pr_acpi_warn(ps->info, "%s at %#llx has a bad checksum; ignored\n", name,
			     (unsigned long long)pa);
		return NULL;
	}
	*len = n;
	return t;
}

static void add_cpu(struct acpi_info *info, u32 apic_id, u32 uid, u32 flags, bool x2apic)
{
	bool enabled = flags & MADT_ENABLED;
	/* Online Capable is defined only for entries that are not enabled (ACPI 6.3+). */
	bool capable = !enabled && (flags & MADT_ONLINE_CAPABLE);

	if (!enabled && !capable) {
		info->nr_cpus_disabled++;
		return;
	}
	for (unsigned int i = 0; i < info->nr_cpus; i++) {
		if (info->cpus[i].apic_id == apic_id) {
			/* Firmware may list a CPU as both xAPIC and x2APIC: keep the first. */
			return;
		}
	}
	if (info->nr_cpus == ACPI_MAX_CPUS) {
		info->nr_cpus_dropped++;
		return;
	}
	info->cpus[info->nr_cpus++] = (struct acpi_cpu){
		.apic_id = apic_id, .uid = uid, .enabled = enabled,
		.online_capable = capable, .x2apic = x2apic,
	};
}

static void parse_madt(const struct parser *ps, const u8 *t, u32 len)
{
	struct acpi_info *info = ps->info;
	static const u8 min_len[] = {
		[MADT_LAPIC] = 8, [MADT_IOAPIC] = 12, [MADT_LAPIC_OVERRIDE] = 12,
		[MADT_X2APIC] = 16,
	};

	if (len < MADT_ENTRIES) {
		pr_acpi_warn(info, "MADT too short (%u bytes)\n", len);
		return;
	}
	info->have_madt = true;
	info->lapic_base = get32(t + 36);
	info->madt_flags = get32(t + 40);
	for (u32 off = MADT_ENTRIES; off < len;) {
		if (len - off < 2) {
			pr_acpi_warn(info, "MADT: %u stray bytes at the end\n", len - off);
			break;
		}
		const u8 *e = t + off;
		u8 type = e[0], elen = e[1];

		if (elen < 2 || elen > len - off) {
			pr_acpi_warn(info, "MADT: entry type %u at offset %u has length %u "
				     "(table length %u); rest of the MADT ignored\n",
				     type, off, elen, len);
			break;
		}
		off += elen;
		if (type < sizeof(min_len) && min_len[type] && elen < min_len[type]) {
			pr_acpi_warn(info, "MADT: entry type %u is %u bytes, needs %u; skipped\n",
				     type, elen, min_len[type]);
			continue;
		}
		switch (type) {
		case MADT_LAPIC:
			/* APIC id 0xff is the broadcast id: never a real CPU. */
			if (e[3] != 0xff)
				add_cpu(info, e[3], e[2], get32(e + 4), false);
			break;
		case MADT_X2APIC:
			add_cpu(info, get32(e + 4), get32(e + 12), get32(e + 8), true);
			break;
		case MADT_IOAPIC:
			if (!info->nr_ioapics++) {
				info->ioapic_id = e[2];
				info->ioapic_base = get32(e + 4);
				info->ioapic_gsi_base = get32(e + 8);
			}
			break;
		case MADT_LAPIC_OVERRIDE:
			info->lapic_base = get64(e + 4);
			break;
		default:
			break;	/* interrupt overrides, NMI sources...: not needed yet */
		}
	}
	if (info->nr_cpus_dropped)
		pr_acpi_warn(info, "MADT lists %u more CPUs than the %u Tessera handles\n",
			     info->nr_cpus_dropped, ACPI_MAX_CPUS);
}

/* One element of \_S5's package: a byte constant in one of AML's encodings. */
static bool aml_small_int(const u8 *p, const u8 *end, u8 *val, const u8 **next)
{
	if (p >= end)
		return false;
	switch (*p) {
	case 0x00:	/* ZeroOp */
	case 0x01:	/* OneOp */
		*val = *p;
		*next = p + 1;
		return true;
	case 0x0a:	/* BytePrefix */
		if (end - p < 2)
			return false;
		*val = p[1];
		*next = p + 2;
		return true;
	default:
		return false;
	}
}

/*
 * Find `Name(_S5, Package() { typa, typb, ... })` in the DSDT's AML without an interpreter:
 * NameOp (0x08) "_S5_" PackageOp (0x12) PkgLength NumElements, then the two values.
 * PkgLength's first byte says in bits 7:6 how many more length bytes follow.
 */
static void find_s5(const struct parser *ps, const u8 *t, u32 len)
{
	const u8 *end = t + len;

	for (const u8 *p = t + ACPI_HDR_LEN; end - p >= 8; p++) {
		if (memcmp(p, "_S5_", 4) != 0)
			continue;
		/* NameOp directly before, or before a root prefix '\'. */
		if (!(p[-1] == 0x08 || (p[-1] == '\\' && p - t > ACPI_HDR_LEN &&
					p[-2] == 0x08)))
			continue;
		size_t left = (size_t)(end - p) - 4;	/* bytes after "_S5_", at least 4 */
		const u8 *q = p + 4;
		size_t skip;

		if (q[0] != 0x12)
			continue;
		skip = 1 + 1 + ((q[1] >> 6) & 3) + 1;	/* PackageOp, PkgLength, NumElements */
		if (skip >= left)
			continue;
		q += skip;
		u8 a, b;

		if (!aml_small_int(q, end, &a, &q) || !aml_small_int(q, end, &b, &q))
			continue;
		ps->info->have_s5 = true;
		ps->info->s5_slp_typa = a;
		ps->info->s5_slp_typb = b;
		return;
	}
}

/* A generic address structure (12 bytes): space id, widths, then a 64-bit address. */
static void get_gas(const u8 *g, phys_addr_t *addr, u8 *space)
{
	u64 a = get64(g + 4);

	if (a) {
		*addr = a;
		*space = g[0] == ACPI_SPACE_MEM ? ACPI_SPACE_MEM : ACPI_SPACE_IO;
	}
}

static void parse_fadt(const struct parser *ps, const u8 *t, u32 len)
{
	struct acpi_info *info = ps->info;

	if (len < 90) {
		pr_acpi_warn(info, "FADT too short (%u bytes)\n", len);
		return;
	}
	info->have_fadt = true;
	info->dsdt = get32(t + 40);
	info->sci_irq = get16(t + 46);
	info->smi_cmd = get32(t + 48);
	info->acpi_enable = t[52];
	info->pm1a_cnt = get32(t + 64);
	info->pm1a_cnt_space = ACPI_SPACE_IO;
	info->pm1b_cnt = get32(t + 68);
	info->pm1b_cnt_space = ACPI_SPACE_IO;
	info->pm1_cnt_len = t[89];
	/* ACPI 2.0+ fields, when the table is long enough: the X_ versions win if set. */
	if (len >= 148 && get64(t + 140))
		info->dsdt = get64(t + 140);
	if (len >= 184)
		get_gas(t + 172, &info->pm1a_cnt, &info->pm1a_cnt_space);
	if (len >= 196)
		get_gas(t + 184, &info->pm1b_cnt, &info->pm1b_cnt_space);

	u32 dlen;
	const u8 *dsdt = map_table(ps, info->dsdt, "DSDT", &dlen);

	if (dsdt)
		find_s5(ps, dsdt, dlen);
}

#define MCFG_ENTRIES		44	/* header + 8 reserved bytes */
#define MCFG_ENTRY_LEN		16

static void parse_mcfg(const struct parser *ps, const u8 *t, u32 len)
{
	struct acpi_info *info = ps->info;

	if (len < MCFG_ENTRIES || (len - MCFG_ENTRIES) % MCFG_ENTRY_LEN)
		pr_acpi_warn(info, "MCFG length %u is not header + whole entries\n", len);
	for (u32 off = MCFG_ENTRIES; len >= MCFG_ENTRY_LEN && off <= len - MCFG_ENTRY_LEN;
	     off += MCFG_ENTRY_LEN) {
		const u8 *e = t + off;
		u64 base = get64(e);
		u16 seg = get16(e + 8);
		u8 start = e[10], end = e[11];

		if (end < start || !base || base & (SZ_1M - 1) ||
		    base + ((u64)end + 1) * SZ_1M > ARCH_PHYS_ADDR_MAX) {
			pr_acpi_warn(info, "MCFG: segment %u buses %02x-%02x at %#llx unusable; "
				     "skipped\n", seg, start, end, (unsigned long long)base);
			continue;
		}
		if (info->nr_mcfg == ACPI_MAX_MCFG) {
			pr_acpi_warn(info, "MCFG: more than %u ECAM regions; segment %u dropped\n",
				     ACPI_MAX_MCFG, seg);
			continue;
		}
		info->mcfg[info->nr_mcfg].base = base;
		info->mcfg[info->nr_mcfg].segment = seg;
		info->mcfg[info->nr_mcfg].bus_start = start;
		info->mcfg[info->nr_mcfg].bus_end = end;
		info->nr_mcfg++;
	}
}

/*
 * The SRAT: which proximity domain each CPU (by APIC or x2APIC id) and each memory range
 * belongs to. Disabled entries are the firmware's spare slots and are skipped; everything
 * else is recorded as given (kernel/numa.c judges overlaps, unknown CPUs, huge domains).
 */
static void parse_srat(const struct parser *ps, const u8 *t, u32 len)
{
	struct acpi_info *info = ps->info;
	struct boot_numa *bn = &info->numa;
	static const u8 min_len[] = {
		[SRAT_CPU] = 16, [SRAT_MEMORY] = 40, [SRAT_X2APIC] = 24,
	};

	if (len < SRAT_ENTRIES) {
		pr_acpi_warn(info, "SRAT too short (%u bytes)\n", len);
		return;
	}
	info->have_srat = true;
	for (u32 off = SRAT_ENTRIES; off < len;) {
		if (len - off < 2) {
			pr_acpi_warn(info, "SRAT: %u stray bytes at the end\n", len - off);
			break;
		}
		const u8 *e = t + off;
		u8 type = e[0], elen = e[1];

		if (elen < 2 || elen > len - off) {
			pr_acpi_warn(info, "SRAT: entry type %u at offset %u has length %u "
				     "(table length %u); rest of the SRAT ignored\n",
				     type, off, elen, len);
			break;
		}
		off += elen;
		if (type < sizeof(min_len) && elen < min_len[type]) {
			pr_acpi_warn(info, "SRAT: entry type %u is %u bytes, needs %u; skipped\n",
				     type, elen, min_len[type]);
			continue;
		}
		switch (type) {
		case SRAT_CPU:
			if (get32(e + 4) & SRAT_ENABLED)
				boot_numa_add_cpu(bn, e[3], e[2] | (u32)e[9] << 8 |
					(u32)e[10] << 16 | (u32)e[11] << 24);
			break;
		case SRAT_X2APIC:
			if (get32(e + 12) & SRAT_ENABLED)
				boot_numa_add_cpu(bn, get32(e + 8), get32(e + 4));
			break;
		case SRAT_MEMORY: {
			u32 flags = get32(e + 28);
			u64 base = get64(e + 8), size = get64(e + 16);

			if (!(flags & SRAT_ENABLED))
				break;
			if (!size || base + size < base) {
				pr_acpi_warn(info, "SRAT: memory range %#llx+%#llx of domain %u "
					     "is empty or wraps; skipped\n",
					     (unsigned long long)base, (unsigned long long)size,
					     get32(e + 2));
				break;
			}
			boot_numa_add_mem(bn, base, size, get32(e + 2),
					  flags & SRAT_MEM_HOTPLUGGABLE);
			break;
		}
		default:
			break;	/* GICC, generic initiators...: not for these arches */
		}
	}
	if (bn->nr_dropped)
		pr_acpi_warn(info, "SRAT: %u entries beyond the %u ranges and %u CPUs kept\n",
			     bn->nr_dropped, BOOT_NUMA_MAX_MEM, BOOT_NUMA_MAX_CPUS);
	if (bn->nr_mem || bn->nr_cpus)
		bn->source = "ACPI SRAT";
	else
		pr_acpi_warn(info, "SRAT has no enabled CPU or memory entry\n");
}

/*
 * The SLIT: an N x N byte matrix of distances between proximity domains 0..N-1. Only the
 * first BOOT_NUMA_MAX_NODES domains can be recorded (more cannot be nodes anyway).
 */
static void parse_slit(const struct parser *ps, const u8 *t, u32 len)
{
	struct acpi_info *info = ps->info;
	struct boot_numa *bn = &info->numa;

	if (len < SLIT_ENTRIES) {
		pr_acpi_warn(info, "SLIT too short (%u bytes)\n", len);
		return;
	}
	u64 n = get64(t + 36);

	/* n * n cannot overflow past this check: len is at most ACPI_MAX_TABLE_SIZE. */
	if (n == 0 || n > len || n * n > len - SLIT_ENTRIES) {
		pr_acpi_warn(info, "SLIT: %llu localities do not fit its %u bytes; ignored\n",
			     (unsigned long long)n, len);
		return;
	}
	if (n > BOOT_NUMA_MAX_NODES)
		pr_acpi_warn(info, "SLIT: %llu localities; distances kept for the first %u\n",
			     (unsigned long long)n, BOOT_NUMA_MAX_NODES);
	u32 keep = (u32)min_t(u64, n, BOOT_NUMA_MAX_NODES);

	for (u32 i = 0; i < keep; i++)
		for (u32 j = 0; j < keep; j++)
			boot_numa_set_distance(bn, i, j, t[SLIT_ENTRIES + i * n + j]);
	info->have_slit = true;
	bn->distance_source = "ACPI SLIT";
}

/* Walk the RSDT (entry 4 bytes) or XSDT (8 bytes). False if the table is unusable. */
static bool walk_root(const struct parser *ps, phys_addr_t pa, bool xsdt)
{
	struct acpi_info *info = ps->info;
	const char *sig = xsdt ? "XSDT" : "RSDT";
	unsigned int esize = xsdt ? 8 : 4;
	phys_addr_t madt = 0, fadt = 0, mcfg = 0, srat = 0, slit = 0;
	u32 len;
	const u8 *t = map_table(ps, pa, NULL, &len);

	if (!t)
		return false;
	if (memcmp(t, sig, 4) != 0) {
		pr_acpi_warn(info, "root table at %#llx is not an %s\n", (unsigned long long)pa,
			     sig);
		return false;
	}
	u32 n = (len - ACPI_HDR_LEN) / esize;

	if ((len - ACPI_HDR_LEN) % esize)
		pr_acpi_warn(info, "%s length %u is not header + whole entries\n", sig, len);
	if (n > ACPI_MAX_ROOT_ENTRIES) {
		pr_acpi_warn(info, "%s lists %u tables; looking at the first %u\n", sig, n,
			     ACPI_MAX_ROOT_ENTRIES);
		n = ACPI_MAX_ROOT_ENTRIES;
	}
	/*
	 * Collect the addresses first: mapping another table may reuse the mapping the root
	 * table sits in (the host fuzzer's map does exactly that).
	 */
	phys_addr_t entries[ACPI_MAX_ROOT_ENTRIES];

	for (u32 i = 0; i < n; i++) {
		const u8 *e = t + ACPI_HDR_LEN + i * esize;

		entries[i] = xsdt ? get64(e) : get32(e);
	}
	for (u32 i = 0; i < n; i++) {
		const u8 *h = entries[i] ? ps->map(entries[i], 4, ps->ctx) : NULL;

		if (!h)
			continue;
		if (!madt && memcmp(h, "APIC", 4) == 0)
			madt = entries[i];
		else if (!fadt && memcmp(h, "FACP", 4) == 0)
			fadt = entries[i];
		else if (!mcfg && memcmp(h, "MCFG", 4) == 0)
			mcfg = entries[i];
		else if (!srat && memcmp(h, "SRAT", 4) == 0)
			srat = entries[i];
		else if (!slit && memcmp(h, "SLIT", 4) == 0)
			slit = entries[i];
	}
	info->used_xsdt = xsdt;
	if (madt && (t = map_table(ps, madt, "APIC", &len)))
		parse_madt(ps, t, len);
	if (fadt && (t = map_table(ps, fadt, "FACP", &len)))
		parse_fadt(ps, t, len);
	if (mcfg && (t = map_table(ps, mcfg, "MCFG", &len)))
		parse_mcfg(ps, t, len);
	if (srat && (t = map_table(ps, srat, "SRAT", &len)))
		parse_srat(ps, t, len);
	/* Distances mean something only with the SRAT's domains to attach them to. */
	if (slit && info->numa.source && (t = map_table(ps, slit, "SLIT", &len)))
		parse_slit(ps, t, len);
	return true;
}

int acpi_parse(const u8 *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
	       unsigned int flags, struct acpi_info *out)
{
	struct parser ps = { .map = map, .ctx = ctx, .flags = flags, .info = out };
	phys_addr_t xsdt = 0;

	memset(out, 0, sizeof(*out));
	if (!rsdp || rsdp_len < 20 || memcmp(rsdp, "RSD PTR ", 8) != 0) {
		pr_acpi_warn(out, "no valid RSDP (%zu bytes)\n", rsdp_len);
		return -1;
	}
	if (!checksum_ok(&ps, rsdp, 20)) {
		pr_acpi_warn(out, "RSDP checksum is bad\n");
		return -1;
	}
	out->rsdp_revision = rsdp[15];
	if (rsdp[15] >= 2) {
		u32 len = rsdp_len >= 24 ? get32(rsdp + 20) : 0;

		if (len < 36 || len > rsdp_len)
			pr_acpi_warn(out, "RSDP v2 length %u unusable (have %zu bytes); using "
				     "the RSDT\n", len, rsdp_len);
		else if (!checksum_ok(&ps, rsdp, len))
			pr_acpi_warn(out, "RSDP extended checksum is bad; using the RSDT\n");
		else
			xsdt = get64(rsdp + 24);
	}
	if (xsdt && walk_root(&ps, xsdt, true)) {
		out->valid = true;
		return 0;
	}
	if (xsdt)
		pr_acpi_warn(out, "XSDT unusable; trying the RSDT\n");
	if (walk_root(&ps, get32(rsdp + 16), false)) {
		out->valid = true;
		return 0;
	}
	pr_acpi_warn(out, "no usable RSDT or XSDT\n");
	return -1;
}

/* ---- The kernel side ---- */

/*
 * Tables are read through the direct map, and only where the firmware memory map says
 * something is (RAM, reserved, ACPI reclaim or NVS): a wild pointer in a table must not
 * make us read a hole or device memory.
 */
static const void *acpi_map_direct(phys_addr_t pa, size_t len, void *ctx)
{
	const struct boot_info *bi = ctx;

	if (!len || pa + len < pa || pa + len > ARCH_PHYS_ADDR_MAX)
		return NULL;
	for (unsigned int i = 0; i < bi->nr_memory; i++) {
		const struct boot_range *r = &bi->memory[i];

		if (r->type == BOOT_MEM_BAD || r->type == BOOT_MEM_OTHER)
			continue;
		if (pa >= r->base && pa + len <= r->base + r->size)
			return __va(pa);
	}
	return NULL;
}

/*
 * The boot CPU's APIC id, if the arch entry recorded it: on x86_64, setup.c lists the running
 * CPU (CPUID) as boot_info.cpus[boot_cpu_index] before start_kernel(). The MADT does not say
 * which of its CPUs is running, so this is the only reliable source. -1 if unknown.
 */
static long boot_cpu_hwid(const struct boot_info *bi)
{
	if (bi->nr_cpus && bi->boot_cpu_index < bi->nr_cpus &&
	    bi->boot_cpu_index < BOOT_MAX_CPUS)
		return bi->cpus[bi->boot_cpu_index].hwid;
	return -1;
}

/* Without a usable MADT: the boot CPU alone (APIC id 0, what QEMU and most PCs use, if the
 * arch entry did not record it). */
static void cpus_fallback(struct boot_info *bi, long bsp_hwid, const char *why)
{
	pr_warn("acpi: %s; running on the boot CPU only\n", why);
	bi->nr_cpus = 1;
	bi->cpus[0] = (struct boot_cpu){ .hwid = bsp_hwid < 0 ? 0 : (u32)bsp_hwid,
					 .enabled = true };
	bi->boot_cpu_index = 0;
}

/* Record each MCFG region as a PCI host, its base moved to the first bus it decodes. */
static void acpi_pci_hosts(struct boot_info *bi, const struct acpi_info *info)
{
	for (unsigned int i = 0; i < info->nr_mcfg; i++) {
		struct boot_pci_host *h = boot_add_pci_host(bi, BOOT_PCI_ECAM);

		if (!h) {
			pr_warn("acpi: no room in boot_info for PCI segment %u\n",
				info->mcfg[i].segment);
			continue;
		}
		h->segment = info->mcfg[i].segment;
		h->bus_start = info->mcfg[i].bus_start;
		h->bus_end = info->mcfg[i].bus_end;
		h->ecam_base = info->mcfg[i].base + (phys_addr_t)h->bus_start * SZ_1M;
		pr_info("acpi: MCFG: PCI segment %u buses %02x-%02x, ECAM at %#llx\n",
			h->segment, h->bus_start, h->bus_end, (unsigned long long)h->ecam_base);
	}
}

void acpi_init(void)
{
	struct boot_info *bi = &boot_info;
	struct acpi_info *info = &acpi_info;
	long bsp = boot_cpu_hwid(bi);

	if (!bi->acpi_rsdp_len) {
		if (!bi->nr_cpus)
			cpus_fallback(bi, bsp, "no ACPI RSDP and no CPU list from the bootloader");
		return;
	}
	if (acpi_parse(bi->acpi_rsdp_copy, min_t(size_t, bi->acpi_rsdp_len,
						 sizeof(bi->acpi_rsdp_copy)),
		       acpi_map_direct, bi, 0, info) < 0) {
		cpus_fallback(bi, bsp, "ACPI tables unusable");
		return;
	}
	pr_info("acpi: RSDP revision %u, %s; MADT %s, FADT %s; SRAT %s, SLIT %s\n",
		info->rsdp_revision, info->used_xsdt ? "XSDT" : "RSDT",
		info->have_madt ? "found" : "missing", info->have_fadt ? "found" : "missing",
		info->have_srat ? "found" : "none", info->have_slit ? "found" : "none");
	acpi_pci_hosts(bi, info);
	/* NUMA as the SRAT/SLIT say it; kernel/numa.c sanitises it once CPUs are numbered. */
	if (info->numa.source)
		bi->numa = info->numa;
	if (!info->have_madt || !info->nr_cpus) {
		cpus_fallback(bi, bsp, "no CPUs in the MADT");
		return;
	}
	unsigned int first_enabled = BOOT_MAX_CPUS;

	bi->nr_cpus = 0;
	bi->boot_cpu_index = BOOT_MAX_CPUS;
	for (unsigned int i = 0; i < info->nr_cpus && i < BOOT_MAX_CPUS; i++) {
		const struct acpi_cpu *c = &info->cpus[i];

		bi->cpus[bi->nr_cpus++] = (struct boot_cpu){
			.hwid = c->apic_id, .enabled = c->enabled,
			.online_capable = c->online_capable,
		};
		if (c->enabled && first_enabled == BOOT_MAX_CPUS)
			first_enabled = i;
		/* The boot CPU is the entry with the running CPU's APIC id, wherever it is. */
		if (bsp >= 0 && c->apic_id == (u32)bsp)
			bi->boot_cpu_index = i;
	}
	if (bi->boot_cpu_index == BOOT_MAX_CPUS && bsp >= 0) {
		/*
		 * The running CPU is not in the MADT (or was dropped past ACPI_MAX_CPUS): it
		 * runs anyway, so list it, replacing the last entry if the list is full.
		 */
		pr_acpi_warn(info, "the boot CPU (APIC id %ld) is not in the MADT; adding it\n",
			     bsp);
		unsigned int i = bi->nr_cpus < BOOT_MAX_CPUS ? bi->nr_cpus++ : BOOT_MAX_CPUS - 1;

		bi->cpus[i] = (struct boot_cpu){ .hwid = (u32)bsp, .enabled = true };
		bi->boot_cpu_index = i;
	}
	if (bi->boot_cpu_index == BOOT_MAX_CPUS) {
		/* Nobody recorded the boot CPU (host tests): firmware lists it first. */
		if (first_enabled == BOOT_MAX_CPUS) {
			cpus_fallback(bi, bsp, "no enabled CPU in the MADT");
			return;
		}
		bi->boot_cpu_index = first_enabled;
	}
	pr_info("acpi: %u CPUs (%u disabled ignored), local APIC at %#llx, I/O APIC at %#llx, "
		"PM1a_CNT %#llx%s, S5 %s\n", info->nr_cpus, info->nr_cpus_disabled,
		(unsigned long long)info->lapic_base, (unsigned long long)info->ioapic_base,
		(unsigned long long)info->pm1a_cnt,
		info->pm1a_cnt_space == ACPI_SPACE_MEM ? " (MMIO)" : "",
		info->have_s5 ? "found" : "not found");
}
