// SPDX-License-Identifier: MIT
/*
 * The FDT collector (boot/fdt_boot.c) and memblock on generated device trees: trees too big
 * to write by hand (hundreds of /reserved-memory children, hundreds of cpus) and the
 * /reserved-memory bindings (no-map, reusable, size-only regions placed from memblock).
 *
 * The writer below builds a tree node by node and ends in a blob of exactly its size on the
 * heap, so that any read past it is an ASan report:
 *
 *	fdtb_std_begin(&b, ram_base, ram_size);	root with 2/2 cells, memory, /chosen
 *	fdtb_begin(&b, "reserved-memory"); ... fdtb_end(&b);
 *	fdtb_std_end(&b);
 *	blob = fdtb_finish(&b, &len);		free() it when done
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "boot/fdt_boot.h"

/* ---- a flattened device tree writer ---- */

struct fdt_builder {
	u8 *st;			/* structure block being written */
	size_t st_len, st_cap;
	char *strings;		/* strings block: property names, each once */
	size_t str_len, str_cap;
};

#define TOKEN_BEGIN_NODE	1
#define TOKEN_END_NODE		2
#define TOKEN_PROP		3
#define TOKEN_END		9

static void *grow(void *p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 4096;
	p = realloc(p, *cap);
	if (!p)
		abort();
	return p;
}

static void put(struct fdt_builder *b, const void *p, size_t len)
{
	b->st = grow(b->st, &b->st_cap, b->st_len + len + 4);
	memcpy(b->st + b->st_len, p, len);
	b->st_len += len;
	while (b->st_len % 4)
		b->st[b->st_len++] = 0;
}

static void be32_at(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put32(struct fdt_builder *b, u32 v)
{
	u8 x[4];

	be32_at(x, v);
	put(b, x, 4);
}

/* Offset of name in the strings block, adding it the first time. */
static u32 string_off(struct fdt_builder *b, const char *name)
{
	size_t n = strlen(name) + 1;

	for (size_t off = 0; off < b->str_len; off += strlen(b->strings + off) + 1)
		if (!strcmp(b->strings + off, name))
			return (u32)off;
	b->strings = grow(b->strings, &b->str_cap, b->str_len + n);
	memcpy(b->strings + b->str_len, name, n);
	b->str_len += n;
	return (u32)(b->str_len - n);
}

static void fdtb_init(struct fdt_builder *b)
{
	memset(b, 0, sizeof(*b));
}

static void fdtb_begin(struct fdt_builder *b, const char *name)
{
	put32(b, TOKEN_BEGIN_NODE);
	put(b, name, strlen(name) + 1);
}

static void fdtb_end(struct fdt_builder *b)
{
	put32(b, TOKEN_END_NODE);
}

static void fdtb_prop(struct fdt_builder *b, const char *name, const void *val, u32 len)
{
	put32(b, TOKEN_PROP);
	put32(b, len);
	put32(b, string_off(b, name));
	if (len)
		put(b, val, len);
}

static void fdtb_prop_cells(struct fdt_builder *b, const char *name, const u32 *cells,
			    unsigned int n)
{
	u8 *v = malloc(n * 4 + 1);

	for (unsigned int i = 0; i < n; i++)
		be32_at(v + 4 * i, cells[i]);
	fdtb_prop(b, name, v, n * 4);
	free(v);
}

static void fdtb_prop_u32(struct fdt_builder *b, const char *name, u32 v)
{
	fdtb_prop_cells(b, name, &v, 1);
}

static void fdtb_prop_str(struct fdt_builder *b, const char *name, const char *s)
{
	fdtb_prop(b, name, s, (u32)strlen(s) + 1);
}

static void fdtb_prop_empty(struct fdt_builder *b, const char *name)
{
	fdtb_prop(b, name, NULL, 0);
}

static void fdtb_prop_reg64(struct fdt_builder *b, const char *name, u64 base, u64 size)
{
	u32 cells[4] = { base >> 32, (u32)base, size >> 32, (u32)size };

	fdtb_prop_cells(b, name, cells, 4);
}

/* The blob (malloc'ed, exactly *len bytes); the builder's buffers are freed. */
static u8 *fdtb_finish(struct fdt_builder *b, size_t *len)
{
	const size_t hdr = 40;
	size_t rsv_off = hdr;			/* an empty /memreserve/ map: its terminator */
	size_t st_off = rsv_off + 16;

	put32(b, TOKEN_END);
	size_t str_off = st_off + b->st_len;
	size_t total = str_off + b->str_len;
	u8 *blob = calloc(1, total);

	be32_at(blob + 0, 0xd00dfeed);
	be32_at(blob + 4, (u32)total);
	be32_at(blob + 8, (u32)st_off);
	be32_at(blob + 12, (u32)str_off);
	be32_at(blob + 16, (u32)rsv_off);
	be32_at(blob + 20, 17);			/* version */
	be32_at(blob + 24, 16);			/* last compatible version */
	be32_at(blob + 28, 0);			/* boot cpu id */
	be32_at(blob + 32, (u32)b->str_len);
	be32_at(blob + 36, (u32)b->st_len);
	memcpy(blob + st_off, b->st, b->st_len);
	memcpy(blob + str_off, b->strings, b->str_len);
	free(b->st);
	free(b->strings);
	*len = total;
	return blob;
}

/* A /cpus node with harts 0 .. nr_harts - 1, all with S-mode. */
static void fdtb_cpus(struct fdt_builder *b, unsigned int nr_harts)
{
	char name[32];

	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_prop_u32(b, "timebase-frequency", 10000000);
	for (unsigned int i = 0; i < nr_harts; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fdtb_begin(b, name);
		fdtb_prop_str(b, "device_type", "cpu");
		fdtb_prop_u32(b, "reg", i);
		fdtb_prop_str(b, "mmu-type", "riscv,sv39");
		fdtb_end(b);
	}
	fdtb_end(b);
}

/*
 * Open the usual frame: the root with 2/2 cells, memory [ram_base, +ram_size), /cpus with
 * nr_harts harts, /chosen. The caller adds its nodes, then fdtb_std_end() closes the root.
 */
static void fdtb_std_begin(struct fdt_builder *b, u64 ram_base, u64 ram_size,
			   unsigned int nr_harts)
{
	char name[64];

	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)ram_base);
	fdtb_begin(b, name);
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_reg64(b, "reg", ram_base, ram_size);
	fdtb_end(b);
	fdtb_cpus(b, nr_harts);
	fdtb_begin(b, "chosen");
	fdtb_prop_str(b, "bootargs", "ktest=all");
	fdtb_end(b);
}

static void fdtb_std_end(struct fdt_builder *b)
{
	fdtb_end(b);
}

/* Where the tests say the blob lies: inside RAM, like OpenSBI puts it. */
#define BLOB_PHYS	0x9fe00000ULL
#define RAM_BASE	0x80000000ULL

static struct boot_info bi;

/* Parse the finished tree into bi (which starts fresh); the blob is freed. */
static int parse_tree(struct fdt_builder *b)
{
	size_t len;
	u8 *blob = fdtb_finish(b, &len);
	int ret;

	bi_reset(&bi);
	host_log_clear();
	ret = fdt_parse_buf(&bi, blob, len, BLOB_PHYS, 0);
	free(blob);
	return ret;
}

/* ---- hundreds of reserved ranges ---- */

/*
 * before: 300 /reserved-memory children, one page each with a page between them; boot_info
 *	   kept the first 128 and warned about the rest, which memblock then handed out.
 * after:  every one of them is memblock-reserved.
 */
HOST_TEST(fdt_300_reserved_memory_nodes_all_reserved)
{
	struct fdt_builder b;
	char name[48];
	const unsigned int n = 300;

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 1);
	fdtb_begin(&b, "reserved-memory");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_prop_empty(&b, "ranges");
	for (unsigned int i = 0; i < n; i++) {
		u64 base = RAM_BASE + 16 * MiB + i * 2 * PAGE_SIZE;

		snprintf(name, sizeof(name), "fw@%llx", (unsigned long long)base);
		fdtb_begin(&b, name);
		fdtb_prop_reg64(&b, "reg", base, PAGE_SIZE);
		fdtb_end(&b);
	}
	fdtb_end(&b);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);

	host_set_cmdline("");
	memblock_init(&bi);
	unsigned int missing = 0;

	for (unsigned int i = 0; i < n; i++)
		missing += !memblock_is_reserved(RAM_BASE + 16 * MiB + i * 2 * PAGE_SIZE, PAGE_SIZE);
	EXPECT_EQ(missing, 0);
	EXPECT_GE(memblock_reserved_in_memory(), n * PAGE_SIZE);
}

/* ---- /reserved-memory bindings: no-map, reusable, size-only regions ---- */

static const char *bi_kind_of(u64 base, u64 size)
{
	for (unsigned int i = 0; i < bi.nr_reserved; i++)
		if (bi.reserved[i].base == base && bi.reserved[i].size == size)
			return boot_rsv_kind_name(bi.reserved[i].type);
	return "(not reserved)";
}

/* The kind memblock gives the reserved region that holds [base, base + size). */
static const char *memblock_kind_of(u64 base, u64 size)
{
	struct memblock_region r;

	for (unsigned int i = 0; memblock_reserved_region(i, &r); i++)
		if (r.base <= base && base + size <= r.base + r.size)
			return boot_rsv_kind_name(r.kind);
	return "(not reserved)";
}

static void reserved_memory_begin(struct fdt_builder *b)
{
	fdtb_begin(b, "reserved-memory");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_empty(b, "ranges");
}

/* A child with reg and maybe no-map / reusable. */
static void rsv_static(struct fdt_builder *b, const char *name, u64 base, u64 size,
		       const char *flag)
{
	fdtb_begin(b, name);
	fdtb_prop_reg64(b, "reg", base, size);
	if (flag)
		fdtb_prop_empty(b, flag);
	fdtb_end(b);
}

/*
 * before: no-map, reusable and plain children all became "firmware" reservations.
 * after:  each keeps its own kind in boot_info and in memblock, none reaches the allocator.
 */
HOST_TEST(fdt_reserved_memory_nomap_and_reusable_kinds)
{
	struct fdt_builder b;

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 1);
	reserved_memory_begin(&b);
	rsv_static(&b, "secure@84000000", 0x84000000, 2 * MiB, "no-map");
	rsv_static(&b, "pool@88000000", 0x88000000, 16 * MiB, "reusable");
	rsv_static(&b, "fw@8c000000", 0x8c000000, MiB, NULL);
	fdtb_end(&b);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	EXPECT_TRUE(!strcmp(bi_kind_of(0x84000000, 2 * MiB), "no-map"));
	EXPECT_TRUE(!strcmp(bi_kind_of(0x88000000, 16 * MiB), "reusable"));
	EXPECT_TRUE(!strcmp(bi_kind_of(0x8c000000, MiB), "firmware"));

	boot_mm(&bi, NULL);
	EXPECT_TRUE(!strcmp(memblock_kind_of(0x84000000, 2 * MiB), "no-map"));
	EXPECT_TRUE(!strcmp(memblock_kind_of(0x88000000, 16 * MiB), "reusable"));
	EXPECT_TRUE(!strcmp(memblock_kind_of(0x8c000000, MiB), "firmware"));
	EXPECT_TRUE(memblock_is_nomap(0x84000000 + MiB, PAGE_SIZE));
	EXPECT_TRUE(!memblock_is_nomap(0x88000000, 16 * MiB));
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));
	EXPECT_GE(PHYS_PFN(memblock_reserved_in_memory()), PHYS_PFN(19 * MiB));
}

/* A child with size (and maybe alignment, alloc-ranges, a flag), no reg. */
static void rsv_dynamic(struct fdt_builder *b, const char *name, u64 size, u64 align,
			const u64 *ranges, unsigned int nr_ranges, const char *flag)
{
	u32 cells[16];

	u32 sz[2] = { size >> 32, (u32)size };

	fdtb_begin(b, name);
	fdtb_prop_cells(b, "size", sz, 2);
	if (align) {
		u32 a[2] = { align >> 32, (u32)align };

		fdtb_prop_cells(b, "alignment", a, 2);
	}
	for (unsigned int i = 0; i < nr_ranges; i++) {
		cells[4 * i] = ranges[2 * i] >> 32;
		cells[4 * i + 1] = (u32)ranges[2 * i];
		cells[4 * i + 2] = ranges[2 * i + 1] >> 32;
		cells[4 * i + 3] = (u32)ranges[2 * i + 1];
	}
	if (nr_ranges)
		fdtb_prop_cells(b, "alloc-ranges", cells, 4 * nr_ranges);
	if (flag)
		fdtb_prop_empty(b, flag);
	fdtb_end(b);
}

/* Where memblock put a region of `size` bytes inside [lo, hi), or 0. */
static u64 placed_in(u64 size, u64 lo, u64 hi)
{
	struct memblock_region r;

	for (unsigned int i = 0; memblock_reserved_region(i, &r); i++)
		if (r.size == size && r.base >= lo && r.base + r.size <= hi)
			return r.base;
	return 0;
}

/*
 * before: children with only size (dynamically placed) were skipped without a word.
 * after:  each is allocated from memblock inside its alloc-ranges (anywhere in RAM without
 *	   them), aligned as asked, reserved with its kind, and reported; one that cannot be
 *	   placed is reported precisely and nothing is reserved for it.
 */
HOST_TEST(fdt_reserved_memory_size_only_placed)
{
	static const u64 cma_ranges[] = { 0x88000000, 16 * MiB };
	static const u64 tiny_ranges[] = { 0x8f000000, MiB, 0x8f800000, MiB };
	struct fdt_builder b;

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 1);
	reserved_memory_begin(&b);
	rsv_dynamic(&b, "linux,cma", 4 * MiB, 4 * MiB, cma_ranges, 1, "reusable");
	rsv_dynamic(&b, "dsp", MiB, 0, NULL, 0, "no-map");
	rsv_dynamic(&b, "too-big", 8 * MiB, 0, tiny_ranges, 2, NULL);
	fdtb_end(&b);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);

	boot_mm(&bi, NULL);
	u64 cma = placed_in(4 * MiB, 0x88000000, 0x89000000);

	EXPECT_NE(cma, 0);
	EXPECT_EQ(cma % (4 * MiB), 0);
	EXPECT_TRUE(!strcmp(memblock_kind_of(cma, 4 * MiB), "reusable"));
	u64 dsp = placed_in(MiB, RAM_BASE, RAM_BASE + 256 * MiB);

	EXPECT_NE(dsp, 0);
	EXPECT_TRUE(!strcmp(memblock_kind_of(dsp, MiB), "no-map"));
	EXPECT_TRUE(host_log_contains("reserved-memory/too-big: no room for 0x800000 bytes"));
	EXPECT_EQ(placed_in(8 * MiB, RAM_BASE, RAM_BASE + 256 * MiB), 0);
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* ---- more harts than boot_info holds ---- */

/*
 * before: 300 harts, BOOT_MAX_CPUS 64: "more than 64 cpus: hart N dropped", 236 lines.
 * after:  one line saying how many were dropped and which; the first 64 are kept, and the
 *	   boot hart is always listed, also when its node comes after the 64th.
 */
HOST_TEST(fdt_300_harts_one_summary_line)
{
	struct fdt_builder b;

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 300);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	EXPECT_EQ(bi.nr_cpus, BOOT_MAX_CPUS);
	EXPECT_EQ(bi.cpus[bi.boot_cpu_index].hwid, 0);
	EXPECT_EQ(host_log_count("dropped"), 1);
	EXPECT_TRUE(host_log_contains("236 of 300 harts dropped"));

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 300);
	fdtb_std_end(&b);
	size_t len;
	u8 *blob = fdtb_finish(&b, &len);

	bi_reset(&bi);
	host_log_clear();
	EXPECT_EQ(fdt_parse_buf(&bi, blob, len, BLOB_PHYS, 299), FDT_OK);
	free(blob);
	EXPECT_EQ(bi.nr_cpus, BOOT_MAX_CPUS);
	EXPECT_EQ(bi.cpus[bi.boot_cpu_index].hwid, 299);
	EXPECT_EQ(host_log_count("dropped"), 1);
	EXPECT_TRUE(host_log_contains("236 of 300 harts dropped"));
}

/* ---- ISA extensions the page tables care about ---- */

/*
 * Harts whose riscv,isa / riscv,isa-extensions are given per hart (NULL: property absent).
 * after: BOOT_RISCV_ISA_SVPBMT only if every usable hart lists svpbmt, in either form; a
 * prefix ("svpbmtx") or a single-letter run ("rv64svpbmt" has no '_') does not count.
 */
static u32 isa_ext_of(const char *const *isa, const char *const *list, const u32 *list_len,
		      unsigned int n)
{
	struct fdt_builder b;
	char name[32];

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_begin(&b, "memory@80000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_reg64(&b, "reg", RAM_BASE, 256 * MiB);
	fdtb_end(&b);
	fdtb_begin(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 0);
	for (unsigned int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fdtb_begin(&b, name);
		fdtb_prop_str(&b, "device_type", "cpu");
		fdtb_prop_u32(&b, "reg", i);
		fdtb_prop_str(&b, "mmu-type", "riscv,sv39");
		if (isa[i])
			fdtb_prop_str(&b, "riscv,isa", isa[i]);
		if (list[i])
			fdtb_prop(&b, "riscv,isa-extensions", list[i], list_len[i]);
		fdtb_end(&b);
	}
	fdtb_end(&b);
	fdtb_end(&b);
	if (parse_tree(&b) != FDT_OK)
		return 0xdead;
	return bi.riscv_isa_ext;
}

HOST_TEST(fdt_svpbmt_only_if_every_hart_has_it)
{
	const char *const none[2] = { NULL, NULL };
	static const u32 no_len[2];
	const char *const both[2] = { "rv64imafdc_zicsr_svpbmt", "rv64imac_svpbmt_zifencei" };
	const char *const one[2] = { "rv64imafdc_svpbmt", "rv64imafdc_zicsr" };
	const char *const lookalike[2] = { "rv64imafdc_svpbmtx", "rv64svpbmt" };
	/* The string-list binding: "i\0m\0svpbmt\0", with the terminating NUL counted. */
	const char *const list[2] = { "i\0m\0svpbmt", "svpbmt" };
	const u32 list_len[2] = { 11, 7 };

	EXPECT_EQ(isa_ext_of(both, none, no_len, 2), BOOT_RISCV_ISA_SVPBMT);
	EXPECT_EQ(isa_ext_of(one, none, no_len, 2), 0);
	EXPECT_EQ(isa_ext_of(lookalike, none, no_len, 2), 0);
	EXPECT_EQ(isa_ext_of(none, list, list_len, 2), BOOT_RISCV_ISA_SVPBMT);
	EXPECT_EQ(isa_ext_of(none, none, no_len, 1), 0);
}

/* ---- the PLIC and its contexts ---- */

/*
 * A sifive_u-shaped tree with the PLIC before /cpus (its phandles are resolved after the
 * walk): hart 0 has only an M context; harts 1 and 2 have M then S; the last entry names a
 * phandle that is no cpu-intc.
 * after: base, ndev and every context's (hart, interrupt) recorded in order.
 */
HOST_TEST(fdt_plic_contexts_from_interrupts_extended)
{
	static const u32 ext[] = { 1, 11, 2, 11, 2, 9, 3, 11, 3, 9, 77, 9 };
	struct fdt_builder b;
	char name[32];

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_begin(&b, "memory@80000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_reg64(&b, "reg", RAM_BASE, 256 * MiB);
	fdtb_end(&b);
	fdtb_begin(&b, "soc");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_prop_empty(&b, "ranges");
	fdtb_begin(&b, "interrupt-controller@c000000");
	fdtb_prop_str(&b, "compatible", "sifive,plic-1.0.0");
	fdtb_prop_reg64(&b, "reg", 0xc000000, 0x4000000);
	fdtb_prop_u32(&b, "riscv,ndev", 53);
	fdtb_prop_cells(&b, "interrupts-extended", ext, ARRAY_SIZE(ext));
	/* What a PCI host's interrupt-map names it by (drivers/pci/intx.c). */
	fdtb_prop_u32(&b, "phandle", 0x30);
	fdtb_prop_u32(&b, "#address-cells", 0);
	fdtb_prop_u32(&b, "#interrupt-cells", 1);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 0);
	fdtb_prop_u32(&b, "timebase-frequency", 1000000);
	for (unsigned int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fdtb_begin(&b, name);
		fdtb_prop_str(&b, "device_type", "cpu");
		fdtb_prop_u32(&b, "reg", i);
		if (i)
			fdtb_prop_str(&b, "mmu-type", "riscv,sv39");
		fdtb_begin(&b, "interrupt-controller");
		fdtb_prop_str(&b, "compatible", "riscv,cpu-intc");
		fdtb_prop_u32(&b, "#interrupt-cells", 1);
		fdtb_prop_u32(&b, "phandle", i + 1);
		fdtb_end(&b);
		fdtb_end(&b);
	}
	fdtb_end(&b);
	fdtb_end(&b);
	size_t len;
	u8 *blob = fdtb_finish(&b, &len);

	bi_reset(&bi);
	host_log_clear();
	ASSERT_EQ(fdt_parse_buf(&bi, blob, len, BLOB_PHYS, 1), FDT_OK);
	free(blob);
	EXPECT_TRUE(strcmp(bi.irqchip.compatible, "sifive,plic-1.0.0") == 0);
	EXPECT_EQ(bi.irqchip.base, 0xc000000);
	EXPECT_EQ(bi.irqchip.ndev, 53);
	EXPECT_EQ(bi.irqchip.phandle, 0x30);
	EXPECT_EQ(bi.irqchip.address_cells, 0);
	EXPECT_EQ(bi.irqchip.interrupt_cells, 1);
	ASSERT_EQ(bi.irqchip.nr_contexts, 6);
	static const u32 want_hart[] = { 0, 1, 1, 2, 2, BOOT_IRQ_CTX_NO_HART };
	for (unsigned int i = 0; i < 6; i++) {
		EXPECT_EQ(bi.irqchip.contexts[i].hartid, want_hart[i]);
		EXPECT_EQ(bi.irqchip.contexts[i].irq, ext[2 * i + 1]);
	}
}

/* A tree without a PLIC leaves boot_info's irqchip empty. */
HOST_TEST(fdt_no_plic_no_irqchip)
{
	struct fdt_builder b;

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 2);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	EXPECT_EQ(bi.irqchip.compatible[0], 0);
	EXPECT_EQ(bi.irqchip.nr_contexts, 0);
}

/* ---- PCI host bridges ---- */

/*
 * A pci-host-ecam-generic node under /soc, whose ranges moves its children by 0x1000000000
 * (so every CPU address must be translated): the virt layout of I/O, 32-bit and 64-bit
 * windows, a bus-range of 0-0x0f and a 4-entry interrupt-map.
 */
static void fdtb_pci_host(struct fdt_builder *b, const u32 *bus_range, u64 ecam_size,
			  bool bad_space)
{
	static const u32 soc_ranges[] = { 0x0, 0x0, 0x10, 0x0, 0x1, 0x0 };	/* 0 -> 0x10_0000_0000, 4G */
	const u32 ranges[] = {
		0x01000000, 0, 0,		0, 0x03000000,	0, 0x10000,
		0x02000000, 0, 0x40000000,	0, 0x40000000,	0, 0x40000000,
		bad_space ? 0 : 0x43000000, 0x4, 0, 0, 0x80000000, 0, 0x10000000,
	};
	u32 imap[4 * 6];

	for (u32 i = 0; i < 4; i++) {
		const u32 e[6] = { i << 11, 0, 0, 1, 0x9, 0x20 + i };

		memcpy(imap + 6 * i, e, sizeof(e));
	}
	const u32 mask[4] = { 0x1800, 0, 0, 7 };

	fdtb_begin(b, "soc");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_cells(b, "ranges", soc_ranges, 6);
	fdtb_begin(b, "pci@30000000");
	fdtb_prop_str(b, "compatible", "pci-host-ecam-generic");
	fdtb_prop_str(b, "device_type", "pci");
	fdtb_prop_u32(b, "#address-cells", 3);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_u32(b, "#interrupt-cells", 1);
	fdtb_prop_reg64(b, "reg", 0x30000000, ecam_size);
	if (bus_range)
		fdtb_prop_cells(b, "bus-range", bus_range, 2);
	fdtb_prop_cells(b, "ranges", ranges, ARRAY_SIZE(ranges));
	fdtb_prop_cells(b, "interrupt-map", imap, ARRAY_SIZE(imap));
	fdtb_prop_cells(b, "interrupt-map-mask", mask, 4);
	fdtb_end(b);
	fdtb_end(b);
}

/* before: the node above.  after: one ECAM host, three translated windows, the raw map. */
HOST_TEST(fdt_pci_host_ecam_windows_and_interrupt_map)
{
	struct fdt_builder b;
	static const u32 buses[2] = { 0, 0x0f };

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 1);
	fdtb_pci_host(&b, buses, 16 * MiB, false);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	ASSERT_EQ(bi.nr_pci_hosts, 1);
	const struct boot_pci_host *h = &bi.pci_hosts[0];

	EXPECT_EQ(h->access, BOOT_PCI_ECAM);
	EXPECT_EQ(h->ecam_base, 0x1030000000ULL);
	EXPECT_EQ(h->bus_start, 0);
	EXPECT_EQ(h->bus_end, 0x0f);
	ASSERT_EQ(h->nr_windows, 3);
	EXPECT_EQ(h->windows[0].type, BOOT_PCI_WIN_IO);
	EXPECT_EQ(h->windows[0].pci_base, 0);
	EXPECT_EQ(h->windows[0].cpu_base, 0x1003000000ULL);
	EXPECT_EQ(h->windows[0].size, 0x10000);
	EXPECT_EQ(h->windows[1].type, BOOT_PCI_WIN_MEM32);
	EXPECT_EQ(h->windows[1].pci_base, 0x40000000);
	EXPECT_EQ(h->windows[1].cpu_base, 0x1040000000ULL);
	EXPECT_TRUE(!h->windows[1].prefetchable);
	EXPECT_EQ(h->windows[2].type, BOOT_PCI_WIN_MEM64);
	EXPECT_TRUE(h->windows[2].prefetchable);
	EXPECT_EQ(h->windows[2].pci_base, 0x400000000ULL);
	EXPECT_EQ(h->windows[2].cpu_base, 0x1080000000ULL);
	EXPECT_EQ(h->nr_imap_cells, 24);
	EXPECT_EQ(h->imap[6], 1u << 11);
	EXPECT_EQ(h->imap[11], 0x21);
	EXPECT_EQ(h->nr_imap_mask, 4);
	EXPECT_EQ(h->imap_mask[0], 0x1800);
	EXPECT_EQ(h->imap_addr_cells, 3);
	EXPECT_EQ(h->imap_int_cells, 1);
}

/* An ECAM too small for its bus-range is cut to what it covers; a bad space is skipped. */
HOST_TEST(fdt_pci_host_bad_input)
{
	struct fdt_builder b;

	/* No bus-range: 0-255 by default, but 4 MiB of ECAM covers buses 0-3 only. */
	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 1);
	fdtb_pci_host(&b, NULL, 4 * MiB, true);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	ASSERT_EQ(bi.nr_pci_hosts, 1);
	EXPECT_EQ(bi.pci_hosts[0].bus_end, 3);
	EXPECT_TRUE(host_log_contains("covers buses 00-03 only"));
	EXPECT_EQ(bi.pci_hosts[0].nr_windows, 2);
	EXPECT_TRUE(host_log_contains("unusable; skipped"));

	/* An inverted bus-range: no host at all. */
	static const u32 inverted[2] = { 5, 2 };

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 1);
	fdtb_pci_host(&b, inverted, 16 * MiB, false);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	EXPECT_EQ(bi.nr_pci_hosts, 0);
	EXPECT_TRUE(host_log_contains("bus-range 5-2 invalid"));
}

/* ---- NUMA: numa-node-id and /distance-map (boot/fdt_numa.c), then kernel/numa.c ---- */

#include "kernel/numa.h"

static struct numa_info ni;

/* A memory node [base, +size) with numa-node-id `nid` (none if nid < 0). */
static void numa_memory(struct fdt_builder *b, u64 base, u64 size, int nid)
{
	char name[64];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	fdtb_begin(b, name);
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_reg64(b, "reg", base, size);
	if (nid >= 0)
		fdtb_prop_u32(b, "numa-node-id", (u32)nid);
	fdtb_end(b);
}

/* /cpus with one hart per entry of nids (hart i in node nids[i]; < 0: no numa-node-id). */
static void numa_cpus(struct fdt_builder *b, const int *nids, unsigned int n)
{
	char name[32];

	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_prop_u32(b, "timebase-frequency", 10000000);
	for (unsigned int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fdtb_begin(b, name);
		fdtb_prop_str(b, "device_type", "cpu");
		fdtb_prop_u32(b, "reg", i);
		fdtb_prop_str(b, "mmu-type", "riscv,sv39");
		if (nids[i] >= 0)
			fdtb_prop_u32(b, "numa-node-id", (u32)nids[i]);
		fdtb_end(b);
	}
	fdtb_end(b);
}

static void numa_root(struct fdt_builder *b)
{
	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
}

static void distance_map(struct fdt_builder *b, const u32 *cells, unsigned int n)
{
	fdtb_begin(b, "distance-map");
	fdtb_prop_str(b, "compatible", "numa-distance-map-v1");
	fdtb_prop_cells(b, "distance-matrix", cells, n);
	fdtb_end(b);
}

/* Sanitise bi.numa with bi's memory as RAM and hart i as logical CPU i. */
static void numa_sanitise(unsigned int nr_harts)
{
	static u32 hwid[NR_CPUS];

	for (unsigned int i = 0; i < NR_CPUS; i++)
		hwid[i] = i < nr_harts ? i : ~0u;
	struct numa_input in = {
		.fw = &bi.numa, .ram = bi.memory, .nr_ram = bi.nr_memory,
		.known = bi.memory, .nr_known = bi.nr_memory,
		.cpu_hwid = hwid, .nr_cpu_ids = NR_CPUS,
	};
	host_log_clear();
	numa_build(&in, &ni);
}

/* What QEMU's virt builds for two nodes of 128 MiB and two harts each, distance 20. */
HOST_TEST(fdt_numa_two_nodes)
{
	struct fdt_builder b;
	static const int nids[] = { 0, 0, 1, 1 };
	static const u32 dm[] = { 0, 0, 10, 0, 1, 20, 1, 0, 20, 1, 1, 10 };

	numa_root(&b);
	numa_memory(&b, RAM_BASE + 128 * MiB, 128 * MiB, 1);
	numa_memory(&b, RAM_BASE, 128 * MiB, 0);
	numa_cpus(&b, nids, 4);
	distance_map(&b, dm, ARRAY_SIZE(dm));
	fdtb_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	/* Only the summary line and what a tree without a UART says of its console. */
	EXPECT_EQ(host_log_count("FDT: ") - host_log_count("FDT: /chosen has no stdout-path") -
		  host_log_count("FDT: no usable UART"), 1);
	ASSERT_TRUE(bi.numa.source != NULL);
	EXPECT_TRUE(!strcmp(bi.numa.source, "device tree"));
	EXPECT_TRUE(bi.numa.distance_source && !strcmp(bi.numa.distance_source, "distance-map"));
	EXPECT_EQ(bi.numa.nr_mem, 2);
	EXPECT_EQ(bi.numa.mem[0].node, 1);
	EXPECT_EQ(bi.numa.nr_cpus, 4);
	EXPECT_EQ(bi.numa.cpus[2].node, 1);
	EXPECT_EQ(bi.numa.distance[1][0], 20);

	numa_sanitise(4);
	EXPECT_EQ(ni.nr_warnings, 0);
	EXPECT_EQ(ni.nr_nodes, 2);
	EXPECT_EQ(ni.nodes[0].present_bytes, 128 * MiB);
	EXPECT_EQ(ni.nodes[1].present_bytes, 128 * MiB);
	EXPECT_EQ(ni.blks[0].base, RAM_BASE);		/* sorted, whatever the tree order */
	EXPECT_EQ(ni.blks[1].nid, 1);
	EXPECT_EQ(ni.cpu_node[1], 0);
	EXPECT_EQ(ni.cpu_node[2], 1);
	EXPECT_EQ(ni.distance[0][1], 20);
	EXPECT_TRUE(!strcmp(ni.distance_source, "distance-map"));
}

/* One direction listed, self distances left out: the binding allows both. */
HOST_TEST(fdt_numa_one_direction_distance)
{
	struct fdt_builder b;
	static const int nids[] = { 0, 1 };
	static const u32 dm[] = { 0, 1, 25 };

	numa_root(&b);
	numa_memory(&b, RAM_BASE, 128 * MiB, 0);
	numa_memory(&b, RAM_BASE + 128 * MiB, 128 * MiB, 1);
	numa_cpus(&b, nids, 2);
	distance_map(&b, dm, ARRAY_SIZE(dm));
	fdtb_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	numa_sanitise(2);
	EXPECT_EQ(ni.nr_warnings, 0);
	EXPECT_EQ(ni.distance[0][1], 25);
	EXPECT_EQ(ni.distance[1][0], 25);
	EXPECT_EQ(ni.distance[1][1], LOCAL_DISTANCE);
}

/*
 * A memoryless node as QEMU's virt writes it (a memory node of size 0 with the node id)
 * and a CPU-less node with memory: both kept, neither warned about.
 */
HOST_TEST(fdt_numa_memoryless_and_cpuless_nodes)
{
	struct fdt_builder b;
	static const int nids[] = { 0, 1 };

	numa_root(&b);
	numa_memory(&b, RAM_BASE, 128 * MiB, 0);
	numa_memory(&b, RAM_BASE + 128 * MiB, 0, 1);
	numa_memory(&b, RAM_BASE + 128 * MiB, 64 * MiB, 2);
	numa_cpus(&b, nids, 2);
	fdtb_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	numa_sanitise(2);
	/* The only warning: no distance-map with three nodes. */
	EXPECT_EQ(ni.nr_warnings, 1);
	EXPECT_TRUE(host_log_contains("the device tree gives no distances"));
	EXPECT_EQ(ni.nr_nodes, 3);
	EXPECT_EQ(ni.nodes[1].present_bytes, 0);
	EXPECT_TRUE(cpumask_test_cpu(1, &ni.nodes[1].cpus));
	EXPECT_EQ(ni.nodes[2].present_bytes, 64 * MiB);
	EXPECT_TRUE(cpumask_empty(&ni.nodes[2].cpus));
	EXPECT_EQ(ni.distance[2][1], REMOTE_DISTANCE);
	host_log_clear();
	numa_print(&ni);
	EXPECT_TRUE(host_log_contains("numa: node 1: CPUs 1, no memory (memoryless node)"));
	EXPECT_TRUE(host_log_contains("numa: node 2: CPUs none, memory [mem 0x0000000088000000-"
				      "0x000000008bffffff] 64 MiB (no CPUs)"));
}

/*
 * Malformed: a two-cell numa-node-id (ignored, so its memory is in no node), a hart without
 * numa-node-id, a distance-matrix with a partial triplet, a node id past 63, a distance over
 * 255 and two directions that disagree. Each is reported; the result is still whole.
 */
HOST_TEST(fdt_numa_malformed)
{
	struct fdt_builder b;
	static const int nids[] = { 0, -1, 1 };
	static const u32 dm[] = { 0, 1, 20, 1, 0, 40, 0, 100, 20, 1, 1, 300, 7 };
	static const u32 two_cells[] = { 0, 1 };

	numa_root(&b);
	numa_memory(&b, RAM_BASE, 128 * MiB, 0);
	fdtb_begin(&b, "memory@88000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_reg64(&b, "reg", RAM_BASE + 128 * MiB, 64 * MiB);
	fdtb_prop_cells(&b, "numa-node-id", two_cells, 2);
	fdtb_end(&b);
	numa_memory(&b, RAM_BASE + 192 * MiB, 64 * MiB, 1);
	numa_cpus(&b, nids, 3);
	distance_map(&b, dm, ARRAY_SIZE(dm));
	fdtb_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	EXPECT_TRUE(host_log_contains("numa-node-id is 8 bytes, not one cell: ignored"));
	EXPECT_TRUE(host_log_contains("not whole (a, b, distance) triplets: the last 4 bytes"));
	EXPECT_TRUE(host_log_contains("entry (0, 100, 20) ignored"));
	EXPECT_TRUE(host_log_contains("2 entries ignored in all"));
	EXPECT_EQ(bi.numa.nr_mem, 2);
	EXPECT_EQ(bi.nr_memory, 3);			/* the memory itself is still RAM */

	numa_sanitise(3);
	EXPECT_TRUE(host_log_contains("RAM [mem 0x0000000088000000-0x000000008bffffff] is in no "
				      "node: given to node 0"));
	EXPECT_TRUE(host_log_contains("CPU 1 (hwid 1) is in no node: put in node 0"));
	EXPECT_TRUE(host_log_contains("node 0 to node 1 is 20, back is 40"));
	EXPECT_TRUE(host_log_contains("distance-map not used"));
	EXPECT_EQ(ni.nr_warnings, 4);
	EXPECT_EQ(ni.nodes[0].present_bytes, 192 * MiB);
	EXPECT_EQ(ni.nodes[1].present_bytes, 64 * MiB);
	EXPECT_EQ(ni.cpu_node[1], 0);
	EXPECT_EQ(ni.distance[0][1], REMOTE_DISTANCE);
}

/* A distance-map alone describes nothing: no NUMA, one node, and a warning. */
HOST_TEST(fdt_numa_distance_map_without_node_ids)
{
	struct fdt_builder b;
	static const u32 dm[] = { 0, 1, 20 };

	fdtb_std_begin(&b, RAM_BASE, 256 * MiB, 2);
	distance_map(&b, dm, ARRAY_SIZE(dm));
	fdtb_std_end(&b);
	ASSERT_EQ(parse_tree(&b), FDT_OK);
	EXPECT_TRUE(host_log_contains("distance-map without any numa-node-id: ignored"));
	EXPECT_TRUE(bi.numa.source == NULL);
	EXPECT_TRUE(bi.numa.distance_given[0] == 0);
	numa_sanitise(2);
	EXPECT_EQ(ni.nr_warnings, 0);
	EXPECT_EQ(ni.nr_nodes, 1);
	EXPECT_EQ(ni.nodes[0].present_bytes, 256 * MiB);
	EXPECT_EQ(ni.cpu_node[1], 0);
}

/* ---- the console UART and bad input a board's tree may hold ---- */

/* The harness log holds a line containing s. */
#define EXPECT_LOG(s)	EXPECT_TRUE(host_log_contains(s))

/* A hart: reg = hartid; compat, riscv,isa, mmu-type and status when given. */
static void fdtb_hart(struct fdt_builder *b, u32 hartid, const char *compat, const char *isa,
		      const char *mmu, const char *status)
{
	char name[32];

	snprintf(name, sizeof(name), "cpu@%x", hartid);
	fdtb_begin(b, name);
	fdtb_prop_str(b, "device_type", "cpu");
	fdtb_prop_u32(b, "reg", hartid);
	if (compat)
		fdtb_prop_str(b, "compatible", compat);
	if (isa)
		fdtb_prop_str(b, "riscv,isa", isa);
	if (mmu)
		fdtb_prop_str(b, "mmu-type", mmu);
	if (status)
		fdtb_prop_str(b, "status", status);
	fdtb_end(b);
}

/* An ns16550-style UART node under the current node (2/2 cells). -1: property left out. */
static void fdtb_uart(struct fdt_builder *b, u64 base, const char *compat, int reg_shift,
		      int reg_io_width, u32 clock, const char *status)
{
	char name[48];

	snprintf(name, sizeof(name), "serial@%llx", (unsigned long long)base);
	fdtb_begin(b, name);
	fdtb_prop_str(b, "compatible", compat);
	fdtb_prop_reg64(b, "reg", base, 0x1000);
	if (reg_shift >= 0)
		fdtb_prop_u32(b, "reg-shift", (u32)reg_shift);
	if (reg_io_width >= 0)
		fdtb_prop_u32(b, "reg-io-width", (u32)reg_io_width);
	if (clock)
		fdtb_prop_u32(b, "clock-frequency", clock);
	if (status)
		fdtb_prop_str(b, "status", status);
	fdtb_end(b);
}

/* /soc: a simple-bus with 2/2 cells and identity ranges. */
static void fdtb_soc_begin(struct fdt_builder *b)
{
	fdtb_begin(b, "soc");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_str(b, "compatible", "simple-bus");
	fdtb_prop_empty(b, "ranges");
}

/*
 * A tree with memory, one hart, /aliases serial0 = /soc/serial@10000000, /chosen with
 * stdout-path (left out if NULL), and in /soc: UART A at 0x10000000 (compat_a, reg-shift
 * shift_a) and, if compat_b, UART B at 0x10010000 (ns16550a, okay).
 */
static int parse_console_tree(const char *stdout_path, const char *compat_a, int shift_a,
			      const char *status_a, const char *compat_b)
{
	struct fdt_builder b;

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	fdtb_begin(&b, "memory@80000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_reg64(&b, "reg", RAM_BASE, 256 * MiB);
	fdtb_end(&b);
	fdtb_cpus(&b, 1);
	fdtb_begin(&b, "aliases");
	fdtb_prop_str(&b, "serial0", "/soc/serial@10000000");
	fdtb_end(&b);
	fdtb_begin(&b, "chosen");
	if (stdout_path)
		fdtb_prop_str(&b, "stdout-path", stdout_path);
	fdtb_end(&b);
	fdtb_soc_begin(&b);
	if (compat_a)
		fdtb_uart(&b, 0x10000000, compat_a, shift_a, 1, 3686400, status_a);
	if (compat_b)
		fdtb_uart(&b, 0x10010000, compat_b, 0, 1, 0, NULL);
	fdtb_end(&b);
	fdtb_std_end(&b);
	return parse_tree(&b);
}

static u64 console_base(void)
{
	if (bi.console_device < 0)
		return 0;
	return bi.devices[bi.console_device].base;
}

/*
 * before: stdout-path = "serial0:115200n8"; /aliases serial0 = /soc/serial@10000000.
 * after:  that UART is the console with baud 115200 and its clock-frequency recorded.
 */
HOST_TEST(fdt_console_alias_with_baud)
{
	ASSERT_EQ(parse_console_tree("serial0:115200n8", "ns16550a", 0, NULL, "ns16550a"), FDT_OK);
	ASSERT_EQ(console_base(), 0x10000000ULL);
	EXPECT_EQ(bi.devices[bi.console_device].baud, 115200);
	EXPECT_EQ(bi.devices[bi.console_device].clock, 3686400);
	ASSERT_EQ(parse_console_tree("/soc/serial@10000000:9600", "ns16550a", 0, NULL, NULL),
		  FDT_OK);
	EXPECT_EQ(bi.devices[bi.console_device].baud, 9600);
	/* No options, or options without a number: the firmware's rate is kept (baud 0). */
	ASSERT_EQ(parse_console_tree("serial0", "ns16550a", 0, NULL, NULL), FDT_OK);
	EXPECT_EQ(bi.devices[bi.console_device].baud, 0);
	ASSERT_EQ(parse_console_tree("serial0:n8", "ns16550a", 0, NULL, NULL), FDT_OK);
	EXPECT_EQ(bi.devices[bi.console_device].baud, 0);
	EXPECT_LOG("start with no baud rate");
	ASSERT_EQ(parse_console_tree("serial0:99999999999", "ns16550a", 0, NULL, NULL), FDT_OK);
	EXPECT_EQ(bi.devices[bi.console_device].baud, 0);
}

/*
 * before: stdout-path names /soc/serial@20000000, which is not in the tree.
 * after:  a message, and the first usable UART (serial@10000000) is the console.
 */
HOST_TEST(fdt_console_stdout_path_missing_node_falls_back)
{
	ASSERT_EQ(parse_console_tree("/soc/serial@20000000:115200", "ns16550a", 0, NULL, NULL),
		  FDT_OK);
	EXPECT_LOG("stdout-path /soc/serial@20000000 names no node");
	EXPECT_LOG("falls back to the first usable UART: serial@10000000");
	EXPECT_EQ(console_base(), 0x10000000ULL);
	/* An alias that /aliases lacks: the same fallback. */
	ASSERT_EQ(parse_console_tree("serial3:115200n8", "ns16550a", 0, NULL, NULL), FDT_OK);
	EXPECT_LOG("alias 'serial3' not found");
	EXPECT_EQ(console_base(), 0x10000000ULL);
	/* No stdout-path at all: said, and the same fallback. */
	ASSERT_EQ(parse_console_tree(NULL, "ns16550a", 0, NULL, NULL), FDT_OK);
	EXPECT_LOG("/chosen has no stdout-path");
	EXPECT_EQ(console_base(), 0x10000000ULL);
}

/*
 * before: no UART we drive: stdout-path names an unknown one, the other is disabled.
 * after:  no console device, and a message saying there is no usable UART.
 */
HOST_TEST(fdt_console_no_usable_uart)
{
	ASSERT_EQ(parse_console_tree("serial0", "acme,uart", 0, NULL, NULL), FDT_OK);
	EXPECT_LOG("stdout-path /soc/serial@10000000 is not a UART we drive");
	EXPECT_LOG("no usable UART in the device tree");
	EXPECT_EQ(bi.console_device, -1);
	ASSERT_EQ(parse_console_tree(NULL, "ns16550a", 0, "disabled", NULL), FDT_OK);
	EXPECT_LOG("no usable UART in the device tree");
	EXPECT_EQ(bi.console_device, -1);
	/* The named UART is disabled but another is usable: that one. */
	ASSERT_EQ(parse_console_tree("serial0", "ns16550a", 0, "disabled", "ns16550a"), FDT_OK);
	EXPECT_LOG("console UART serial@10000000 is not enabled");
	EXPECT_EQ(console_base(), 0x10010000ULL);
}

/*
 * before: the stdout-path UART has reg-shift 7 (registers 128 bytes apart: no 16550 is).
 * after:  it is refused with the value named; the other UART is the console, or none.
 */
HOST_TEST(fdt_console_reg_shift_7_refused)
{
	ASSERT_EQ(parse_console_tree("serial0", "ns16550a", 7, NULL, "ns16550a"), FDT_OK);
	EXPECT_LOG("reg-shift 7 is out of range (0 to 3)");
	EXPECT_EQ(console_base(), 0x10010000ULL);
	ASSERT_EQ(parse_console_tree("serial0", "snps,dw-apb-uart", 7, NULL, NULL), FDT_OK);
	EXPECT_EQ(bi.console_device, -1);
	/* 2 (DesignWare's stride) and 3 are fine. */
	ASSERT_EQ(parse_console_tree("serial0", "snps,dw-apb-uart", 2, NULL, NULL), FDT_OK);
	EXPECT_EQ(bi.devices[bi.console_device].reg_shift, 2);
}

/* A tree with memory (unless !memory), /cpus with the given timebase-frequency (or none if
 * tb < 0) and harts 0..3, hart `fail` with status "fail" (none if fail < 0). */
static int parse_cpus_tree(bool memory, long long tb, int fail)
{
	struct fdt_builder b;

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 2);
	if (memory) {
		fdtb_begin(&b, "memory@80000000");
		fdtb_prop_str(&b, "device_type", "memory");
		fdtb_prop_reg64(&b, "reg", RAM_BASE, 256 * MiB);
		fdtb_end(&b);
	}
	fdtb_begin(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 0);
	if (tb >= 0)
		fdtb_prop_u32(&b, "timebase-frequency", (u32)tb);
	for (int i = 0; i < 4; i++)
		fdtb_hart(&b, (u32)i, "riscv", "rv64imac", "riscv,sv39",
			  i == fail ? "fail" : NULL);
	fdtb_end(&b);
	fdtb_std_end(&b);
	return parse_tree(&b);
}

/*
 * before: /cpus timebase-frequency = <0>.
 * after:  timebase_hz stays 0 (the arch then says it assumes its default) and the parse
 *	   says the 0 was ignored; a real rate is kept.
 */
HOST_TEST(fdt_timebase_zero_ignored)
{
	ASSERT_EQ(parse_cpus_tree(true, 0, -1), FDT_OK);
	EXPECT_EQ(bi.timebase_hz, 0);
	EXPECT_LOG("timebase-frequency is 0: ignored");
	ASSERT_EQ(parse_cpus_tree(true, 4000000, -1), FDT_OK);
	EXPECT_EQ(bi.timebase_hz, 4000000);
	EXPECT_TRUE(!host_log_contains("timebase-frequency is 0"));
}

/*
 * before: hart 2 has status "fail" (the firmware found it faulty).
 * after:  it is listed but not enabled, with a message naming it; the others are enabled.
 */
HOST_TEST(fdt_hart_status_fail_not_used)
{
	ASSERT_EQ(parse_cpus_tree(true, 1000000, 2), FDT_OK);
	ASSERT_EQ(bi.nr_cpus, 4);
	EXPECT_EQ(bi.cpus[2].hwid, 2);
	EXPECT_TRUE(!bi.cpus[2].enabled);
	EXPECT_TRUE(bi.cpus[0].enabled && bi.cpus[1].enabled && bi.cpus[3].enabled);
	EXPECT_LOG("hart 2 has status \"fail\"");
	/* The boot hart marked "fail" is used anyway: it is running this code. */
	ASSERT_EQ(parse_cpus_tree(true, 1000000, 0), FDT_OK);
	EXPECT_TRUE(bi.cpus[bi.boot_cpu_index].enabled);
	EXPECT_LOG("boot hart 0 is marked disabled");
}

/*
 * before: no memory node (a tree for a loader that adds /memory, booted without one).
 * after:  nr_memory is 0 and the parse says so (riscv_boot() then panics, naming it).
 */
HOST_TEST(fdt_no_memory_node_reported)
{
	ASSERT_EQ(parse_cpus_tree(false, 1000000, -1), FDT_OK);
	EXPECT_EQ(bi.nr_memory, 0);
	EXPECT_LOG("no memory node");
	ASSERT_EQ(parse_cpus_tree(true, 1000000, -1), FDT_OK);
	EXPECT_EQ(bi.nr_memory, 1);
	EXPECT_TRUE(!host_log_contains("no memory node"));
}

/*
 * ---- board-shaped trees ----
 *
 * Written from the boards' published facts (SoC manuals and vendor guides: memory map, hart
 * layout, UART registers, timer rate), not from any .dts file: the nodes and properties the
 * kernel reads, as the board's U-Boot hands them over (memory filled in, /chosen with
 * stdout-path). Each test checks what the kernel needs from it.
 */

/* /cpus with the given timebase; the caller adds the harts and closes it. */
static void fdtb_cpus_begin(struct fdt_builder *b, u32 timebase)
{
	fdtb_begin(b, "cpus");
	fdtb_prop_u32(b, "#address-cells", 1);
	fdtb_prop_u32(b, "#size-cells", 0);
	fdtb_prop_u32(b, "timebase-frequency", timebase);
}

/* Root, memory [base, +size), /aliases serial0 = uart_path, /chosen stdout-path. */
static void fdtb_board_begin(struct fdt_builder *b, const char *model, u64 base, u64 size,
			     const char *uart_path, const char *stdout_path)
{
	char name[64];

	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", 2);
	fdtb_prop_u32(b, "#size-cells", 2);
	fdtb_prop_str(b, "model", model);
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	fdtb_begin(b, name);
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_prop_reg64(b, "reg", base, size);
	fdtb_end(b);
	fdtb_begin(b, "aliases");
	fdtb_prop_str(b, "serial0", uart_path);
	fdtb_end(b);
	fdtb_begin(b, "chosen");
	fdtb_prop_str(b, "stdout-path", stdout_path);
	fdtb_prop_str(b, "bootargs", "ktest=all");
	fdtb_end(b);
}

static int parse_board(struct fdt_builder *b, u32 boot_hartid)
{
	size_t len;
	u8 *blob = fdtb_finish(b, &len);
	int ret;

	bi_reset(&bi);
	host_log_clear();
	ret = fdt_parse_buf(&bi, blob, len, BLOB_PHYS, boot_hartid);
	free(blob);
	return ret;
}

static unsigned int enabled_cpus(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < bi.nr_cpus; i++)
		n += bi.cpus[i].enabled;
	return n;
}

/*
 * VisionFive 2 (StarFive JH7110): RAM from 0x40000000 (4 GiB model); hart 0 an S7 monitor
 * core (RV64IMAC, no MMU) that the tree disables, harts 1-4 U74 with Sv39; UART0 a
 * DesignWare 8250 at 0x10000000, registers 4 bytes apart and 32-bit access, 24 MHz clock;
 * timer 4 MHz; U-Boot's console "serial0:115200n8". OpenSBI boots on one of harts 1-4.
 */
HOST_TEST(fdt_board_visionfive2)
{
	struct fdt_builder b;

	fdtb_board_begin(&b, "StarFive VisionFive 2", 0x40000000ULL, 4ULL << 30,
			 "/soc/serial@10000000", "serial0:115200n8");
	fdtb_cpus_begin(&b, 4000000);
	fdtb_hart(&b, 0, "sifive,s7", "rv64imac_zba_zbb", NULL, "disabled");
	for (u32 h = 1; h <= 4; h++)
		fdtb_hart(&b, h, "sifive,u74-mc", "rv64imafdc_zba_zbb", "riscv,sv39", "okay");
	fdtb_end(&b);
	fdtb_soc_begin(&b);
	fdtb_uart(&b, 0x10000000, "snps,dw-apb-uart", 2, 4, 24000000, "okay");
	fdtb_uart(&b, 0x10010000, "snps,dw-apb-uart", 2, 4, 24000000, "disabled");
	fdtb_end(&b);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_board(&b, 1), FDT_OK);

	EXPECT_EQ(bi.nr_memory, 1);
	EXPECT_EQ(bi.memory[0].base, 0x40000000ULL);
	EXPECT_EQ(bi.memory[0].size, 4ULL << 30);
	EXPECT_EQ(bi.nr_cpus, 5);
	EXPECT_EQ(enabled_cpus(), 4);
	EXPECT_TRUE(!bi.cpus[0].enabled);	/* the S7 */
	EXPECT_EQ(bi.cpus[bi.boot_cpu_index].hwid, 1);
	EXPECT_EQ(bi.timebase_hz, 4000000);
	ASSERT_TRUE(bi.console_device >= 0);
	const struct boot_device *u = &bi.devices[bi.console_device];

	EXPECT_TRUE(!strcmp(u->compatible, "snps,dw-apb-uart"));
	EXPECT_EQ(u->base, 0x10000000ULL);
	EXPECT_EQ(u->reg_shift, 2);
	EXPECT_EQ(u->reg_io_width, 4);
	EXPECT_EQ(u->clock, 24000000);
	EXPECT_EQ(u->baud, 115200);
	EXPECT_EQ(bi.riscv_isa_ext & BOOT_RISCV_THEAD_CORE, 0);
}

/*
 * HiFive Unmatched (SiFive FU740): RAM from 0x80000000 (16 GiB); hart 0 an S7 monitor core
 * (RV64IMAC, no MMU, left enabled: the kernel must see it has no S-mode), harts 1-4 U74;
 * UART0 a SiFive UART at 0x10010000 whose clock comes from the PRCI (no clock-frequency);
 * timer 1 MHz.
 */
HOST_TEST(fdt_board_hifive_unmatched)
{
	struct fdt_builder b;

	fdtb_board_begin(&b, "SiFive HiFive Unmatched A00", 0x80000000ULL, 16ULL << 30,
			 "/soc/serial@10010000", "serial0:115200n8");
	fdtb_cpus_begin(&b, 1000000);
	fdtb_hart(&b, 0, "sifive,bullet0", "rv64imac", NULL, "okay");
	for (u32 h = 1; h <= 4; h++)
		fdtb_hart(&b, h, "sifive,bullet0", "rv64imafdc", "riscv,sv39", "okay");
	fdtb_end(&b);
	fdtb_soc_begin(&b);
	fdtb_begin(&b, "serial@10010000");
	{
		static const char compat[] = "sifive,fu740-c000-uart\0sifive,uart0";

		fdtb_prop(&b, "compatible", compat, sizeof(compat));
	}
	fdtb_prop_reg64(&b, "reg", 0x10010000, 0x1000);
	fdtb_prop_str(&b, "status", "okay");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_board(&b, 2), FDT_OK);

	EXPECT_EQ(bi.memory[0].base, 0x80000000ULL);
	EXPECT_EQ(bi.memory[0].size, 16ULL << 30);
	EXPECT_EQ(bi.nr_cpus, 5);
	EXPECT_EQ(enabled_cpus(), 4);
	EXPECT_TRUE(!bi.cpus[0].enabled);
	EXPECT_LOG("hart 0 has no S-mode");
	EXPECT_EQ(bi.cpus[bi.boot_cpu_index].hwid, 2);
	EXPECT_EQ(bi.timebase_hz, 1000000);
	ASSERT_TRUE(bi.console_device >= 0);
	const struct boot_device *u = &bi.devices[bi.console_device];

	EXPECT_TRUE(!strcmp(u->compatible, "sifive,uart0"));
	EXPECT_EQ(u->base, 0x10010000ULL);
	EXPECT_EQ(u->clock, 0);		/* divisor left as U-Boot set it */
	EXPECT_EQ(u->baud, 115200);
}

/*
 * LicheePi 4A (T-Head TH1520): RAM from address 0 (8 GiB model); four C910 harts with Sv39;
 * UART0 a DesignWare 8250 at 0xffe7014000 (above 4 GiB: two address cells), registers 4
 * bytes apart, 32-bit access, 100 MHz clock; timer 3 MHz. The cores name themselves
 * "thead,c910": the T-Head hint.
 */
HOST_TEST(fdt_board_licheepi4a)
{
	struct fdt_builder b;

	fdtb_board_begin(&b, "Sipeed Lichee Pi 4A", 0, 8ULL << 30, "/soc/serial@ffe7014000",
			 "serial0:115200n8");
	fdtb_cpus_begin(&b, 3000000);
	for (u32 h = 0; h < 4; h++)
		fdtb_hart(&b, h, "thead,c910", "rv64imafdc", "riscv,sv39", "okay");
	fdtb_end(&b);
	fdtb_soc_begin(&b);
	fdtb_uart(&b, 0xffe7014000ULL, "snps,dw-apb-uart", 2, 4, 100000000, "okay");
	fdtb_end(&b);
	fdtb_std_end(&b);
	ASSERT_EQ(parse_board(&b, 0), FDT_OK);

	EXPECT_EQ(bi.memory[0].base, 0);
	EXPECT_EQ(bi.memory[0].size, 8ULL << 30);
	EXPECT_EQ(bi.nr_cpus, 4);
	EXPECT_EQ(enabled_cpus(), 4);
	EXPECT_EQ(bi.timebase_hz, 3000000);
	EXPECT_EQ(bi.riscv_isa_ext & BOOT_RISCV_THEAD_CORE, BOOT_RISCV_THEAD_CORE);
	ASSERT_TRUE(bi.console_device >= 0);
	const struct boot_device *u = &bi.devices[bi.console_device];

	EXPECT_TRUE(!strcmp(u->compatible, "snps,dw-apb-uart"));
	EXPECT_EQ(u->base, 0xffe7014000ULL);
	EXPECT_EQ(u->reg_shift, 2);
	EXPECT_EQ(u->reg_io_width, 4);
	EXPECT_EQ(u->clock, 100000000);
	EXPECT_EQ(u->baud, 115200);
}
