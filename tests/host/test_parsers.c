// SPDX-License-Identifier: MIT
/*
 * The boot protocol parsers on crafted input: a valid multiboot2 block and a valid FDT built
 * here byte by byte, then the same inputs damaged (truncated, bad magic, a tag or property
 * running past the end, zero entry sizes, huge counts). Valid input must come out exactly;
 * damaged input must be refused or cut short with nothing read out of bounds (ASan checks
 * that: each blob is copied into a buffer of exactly its length).
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"
#include "kernel/boot_info.h"
#if HAVE_MULTIBOOT2
#include "boot/multiboot2.h"
#endif
#if HAVE_FDT
#include "boot/fdt_boot.h"
#endif

static struct boot_info bi;

/* A byte buffer being built, with little- and big-endian appenders. */
struct blob {
	unsigned char b[4096];
	size_t n;
};

static void put_le32(struct blob *x, u32 v)
{
	memcpy(x->b + x->n, &v, 4);
	x->n += 4;
}

static void put_le64(struct blob *x, u64 v)
{
	memcpy(x->b + x->n, &v, 8);
	x->n += 8;
}

static void set_le32(struct blob *x, size_t at, u32 v)
{
	memcpy(x->b + at, &v, 4);
}

static void put_be32(struct blob *x, u32 v)
{
	x->b[x->n++] = v >> 24;
	x->b[x->n++] = v >> 16;
	x->b[x->n++] = v >> 8;
	x->b[x->n++] = v;
}

static void set_be32(struct blob *x, size_t at, u32 v)
{
	x->b[at] = v >> 24;
	x->b[at + 1] = v >> 16;
	x->b[at + 2] = v >> 8;
	x->b[at + 3] = v;
}

static void put_bytes(struct blob *x, const void *p, size_t len)
{
	memcpy(x->b + x->n, p, len);
	x->n += len;
}

static void align(struct blob *x, size_t a)
{
	while (x->n % a)
		x->b[x->n++] = 0;
}

/* Run a parser on an exact-size heap copy, so any overread is an ASan report. */
static unsigned char *exact_copy(const struct blob *x, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	memcpy(p, x->b, len);
	return p;
}

static bool has_reserved(u64 base, u64 size, u32 kind)
{
	for (unsigned int i = 0; i < bi.nr_reserved; i++)
		if (bi.reserved[i].base == base && bi.reserved[i].size == size &&
		    bi.reserved[i].type == kind)
			return true;
	return false;
}

#if HAVE_MULTIBOOT2
#define MB2_INFO_PHYS	0x10000

/* header; cmdline; loader; mmap with RAM, reserved, an unknown type; end. Offsets out. */
static void mb2_build(struct blob *x, size_t *mmap_at)
{
	memset(x, 0, sizeof(*x));
	put_le32(x, 0);				/* total_size, set below */
	put_le32(x, 0);
	put_le32(x, 1);				/* cmdline */
	put_le32(x, 8 + 12);
	put_bytes(x, "ktest=all\0\0", 12);
	align(x, 8);
	put_le32(x, 2);				/* boot loader name */
	put_le32(x, 8 + 10);
	put_bytes(x, "GRUB 2.06", 10);
	align(x, 8);
	*mmap_at = x->n;
	put_le32(x, 6);				/* memory map */
	put_le32(x, 16 + 4 * 24);
	put_le32(x, 24);			/* entry_size */
	put_le32(x, 0);				/* entry_version */
	put_le64(x, 0);           put_le64(x, 0x9fc00);        put_le32(x, 1);  put_le32(x, 0);
	put_le64(x, 0x100000);    put_le64(x, 0x7ee0000);      put_le32(x, 1);  put_le32(x, 0);
	put_le64(x, 0xfffc0000);  put_le64(x, 0x40000);        put_le32(x, 2);  put_le32(x, 0);
	put_le64(x, 0xfd00000000ULL); put_le64(x, 0x300000000ULL); put_le32(x, 20); put_le32(x, 0);
	align(x, 8);
	put_le32(x, 0);				/* end tag */
	put_le32(x, 8);
	set_le32(x, 0, (u32)x->n);
}

HOST_TEST(multiboot2_valid_block)
{
	struct blob x;
	size_t mmap_at;

	mb2_build(&x, &mmap_at);
	unsigned char *p = exact_copy(&x, x.n);

	bi_reset(&bi);
	EXPECT_EQ(multiboot2_parse_buf(&bi, p, x.n, MB2_INFO_PHYS), 0);
	EXPECT_EQ(bi.nr_memory, 4);
	EXPECT_EQ(bi.memory[1].base, 0x100000);
	EXPECT_EQ(bi.memory[1].size, 0x7ee0000);
	EXPECT_EQ(bi.memory[1].type, BOOT_MEM_RAM);
	EXPECT_EQ(bi.memory[2].type, BOOT_MEM_RESERVED);
	EXPECT_EQ(bi.memory[3].type, BOOT_MEM_OTHER);	/* type 20: unknown, never used */
	EXPECT_TRUE(strcmp(bi.cmdline, "ktest=all") == 0);
	EXPECT_TRUE(has_reserved(MB2_INFO_PHYS, x.n, BOOT_RSV_BOOTINFO));
	EXPECT_EQ(bi.nr_dropped, 0);
	free(p);
}

HOST_TEST(multiboot2_truncated_block_refused)
{
	struct blob x;
	size_t mmap_at;

	mb2_build(&x, &mmap_at);
	unsigned char *p = exact_copy(&x, x.n - 8);	/* total_size says more than there is */

	bi_reset(&bi);
	host_log_clear();
	EXPECT_EQ(multiboot2_parse_buf(&bi, p, x.n - 8, MB2_INFO_PHYS), -1);
	EXPECT_EQ(bi.nr_memory, 0);
	free(p);
	p = exact_copy(&x, 4);				/* not even a header */
	bi_reset(&bi);
	EXPECT_EQ(multiboot2_parse_buf(&bi, p, 4, MB2_INFO_PHYS), -1);
	free(p);
}

HOST_TEST(multiboot2_tag_past_end_stops_walk)
{
	struct blob x;
	size_t mmap_at;

	mb2_build(&x, &mmap_at);
	set_le32(&x, mmap_at + 4, 0x10000);		/* the memory map claims 64 KiB */
	unsigned char *p = exact_copy(&x, x.n);

	bi_reset(&bi);
	host_log_clear();
	multiboot2_parse_buf(&bi, p, x.n, MB2_INFO_PHYS);
	EXPECT_EQ(bi.nr_memory, 0);			/* the bad tag is not used... */
	EXPECT_TRUE(strcmp(bi.cmdline, "ktest=all") == 0);	/* ...what came before is */
	free(p);
}

HOST_TEST(multiboot2_bad_entry_sizes)
{
	struct blob x;
	size_t mmap_at;

	mb2_build(&x, &mmap_at);
	set_le32(&x, mmap_at + 8, 0);			/* entry_size 0: would never advance */
	unsigned char *p = exact_copy(&x, x.n);

	bi_reset(&bi);
	multiboot2_parse_buf(&bi, p, x.n, MB2_INFO_PHYS);
	EXPECT_EQ(bi.nr_memory, 0);
	free(p);
	mb2_build(&x, &mmap_at);
	set_le32(&x, mmap_at + 8, 16);			/* shorter than an entry */
	p = exact_copy(&x, x.n);
	bi_reset(&bi);
	multiboot2_parse_buf(&bi, p, x.n, MB2_INFO_PHYS);
	EXPECT_EQ(bi.nr_memory, 0);
	free(p);
}
/* ---- blocks built tag by tag ---- */

struct mb2_range {
	u64 base, len;
	u32 type;			/* multiboot2 type (tag 6) or EFI type (tag 17) */
};

static void mb2_begin(struct blob *x)
{
	memset(x, 0, sizeof(*x));
	put_le32(x, 0);				/* total_size, set by mb2_finish() */
	put_le32(x, 0);
	put_le32(x, 2);				/* boot loader name */
	put_le32(x, 8 + 10);
	put_bytes(x, "GRUB 2.06", 10);
	align(x, 8);
}

static void mb2_mmap(struct blob *x, const struct mb2_range *r, unsigned int n)
{
	put_le32(x, 6);
	put_le32(x, 16 + n * 24);
	put_le32(x, 24);			/* entry_size */
	put_le32(x, 0);				/* entry_version */
	for (unsigned int i = 0; i < n; i++) {
		put_le64(x, r[i].base);
		put_le64(x, r[i].len);
		put_le32(x, r[i].type);
		put_le32(x, 0);
	}
	align(x, 8);
}

/*
 * Tag 17 with 48-byte descriptors (40 defined, as OVMF pads them); len is in bytes and
 * becomes NumberOfPages (4 KiB).
 */
static void mb2_efi_mmap(struct blob *x, const struct mb2_range *r, unsigned int n)
{
	put_le32(x, 17);
	put_le32(x, 16 + n * 48);
	put_le32(x, 48);			/* descr_size */
	put_le32(x, 1);				/* descr_vers */
	for (unsigned int i = 0; i < n; i++) {
		put_le32(x, r[i].type);
		put_le32(x, 0);
		put_le64(x, r[i].base);
		put_le64(x, 0);			/* virtual address */
		put_le64(x, r[i].len >> 12);
		put_le64(x, 0xf);		/* attributes: UC WC WT WB */
		put_le64(x, 0);			/* firmware's descriptors are longer */
	}
	align(x, 8);
}

/* Tag 3: a boot module GRUB loaded at [start, end) with its command line. */
static void mb2_module(struct blob *x, u32 start, u32 end, const char *string)
{
	size_t len = strlen(string) + 1;

	put_le32(x, 3);
	put_le32(x, (u32)(16 + len));
	put_le32(x, start);
	put_le32(x, end);
	put_bytes(x, string, len);
	align(x, 8);
}

static void mb2_finish(struct blob *x)
{
	put_le32(x, 0);				/* end tag */
	put_le32(x, 8);
	set_le32(x, 0, (u32)x->n);
}

static bool has_memory(u64 base, u64 size, u32 type)
{
	for (unsigned int i = 0; i < bi.nr_memory; i++)
		if (bi.memory[i].base == base && bi.memory[i].size == size &&
		    bi.memory[i].type == type)
			return true;
	return false;
}

/* Parse the block from an exact-size copy into a fresh bi. */
static int mb2_parse(const struct blob *x)
{
	unsigned char *p = exact_copy(x, x->n);
	int ret;

	bi_reset(&bi);
	host_log_clear();
	ret = multiboot2_parse_buf(&bi, p, x->n, MB2_INFO_PHYS);
	free(p);
	return ret;
}

/*
 * before: an e820 entry that wraps past 2^64 and one of 2^60 bytes went into boot_info as
 *	   given: memblock clipped the huge RAM entry at the physical address limit (64 TiB
 *	   of "RAM"), and the x86 direct map clipped both and mapped them in full.
 * after:  both are rejected by the parser with a warning naming them; the sane ones stay.
 */
HOST_TEST(multiboot2_absurd_e820_entries_rejected)
{
	static const struct mb2_range map[] = {
		{ 0x100000, 0x7ee0000, 1 },				/* RAM, fine */
		{ 0x100000000ULL, 0xffffffff00001000ULL, 2 },		/* wraps past 2^64 */
		{ 0x200000000ULL, 1ULL << 60, 1 },			/* 2^60 bytes of "RAM" */
		{ ARCH_PHYS_ADDR_MAX - 0x1000, 0x2000, 3 },		/* ends past the limit */
		{ 0xfffc0000, 0x40000, 2 },				/* reserved, fine */
	};
	struct blob x;

	mb2_begin(&x);
	mb2_mmap(&x, map, ARRAY_SIZE(map));
	mb2_finish(&x);
	EXPECT_EQ(mb2_parse(&x), 0);
	EXPECT_EQ(bi.nr_memory, 2);
	EXPECT_TRUE(has_memory(0x100000, 0x7ee0000, BOOT_MEM_RAM));
	EXPECT_TRUE(has_memory(0xfffc0000, 0x40000, BOOT_MEM_RESERVED));
	EXPECT_TRUE(host_log_contains("[0x0000000100000000+0xffffffff00001000] type 2 wraps around"));
	EXPECT_TRUE(host_log_contains("[0x0000000200000000+0x1000000000000000] type 1 ends beyond"));
	EXPECT_EQ(host_log_count("ignored"), 3);

	/* What memblock makes of it: 128 MiB of RAM, not 64 TiB. */
	host_set_cmdline("");
	memblock_init(&bi);
	EXPECT_EQ(memblock_end_of_DRAM(), 0x7fe0000);
}

/* The same for UEFI descriptors: NumberOfPages that reach past the limit or wrap. */
HOST_TEST(multiboot2_absurd_efi_descriptors_rejected)
{
	static const struct mb2_range map[] = {
		{ 0x100000, 0x7f00000, 7 },				/* conventional, fine */
		{ 0x10000000000ULL, 1ULL << 62, 7 },			/* 2^62 bytes */
		{ 0xfffffffffff00000ULL, 0x200000, 0 },			/* wraps */
		{ 0xfec00000, 0x1000, 11 },				/* MMIO, fine */
	};
	struct blob x;

	mb2_begin(&x);
	mb2_efi_mmap(&x, map, ARRAY_SIZE(map));
	mb2_finish(&x);
	EXPECT_EQ(mb2_parse(&x), 0);
	EXPECT_TRUE(bi.efi_boot);
	EXPECT_EQ(bi.nr_memory, 2);
	EXPECT_TRUE(has_memory(0x100000, 0x7f00000, BOOT_MEM_RAM));
	EXPECT_TRUE(has_memory(0xfec00000, 0x1000, BOOT_MEM_RESERVED));
	EXPECT_EQ(host_log_count("ignored"), 2);
}
/*
 * before: module tags (GRUB's module2, an initrd) were skipped: nothing reserved the
 *	   modules, and the page allocator handed their pages out.
 * after:  each module is reserved as an initrd, with its exact bounds.
 */
HOST_TEST(multiboot2_modules_reserved)
{
	static const struct mb2_range map[] = { { 0x100000, 0x7ee0000, 1 } };
	struct blob x;

	mb2_begin(&x);
	mb2_module(&x, 0x200000, 0x500000, "initrd crc32=0x12345678");
	mb2_mmap(&x, map, ARRAY_SIZE(map));
	mb2_module(&x, 0x600000, 0x601234, "second");
	mb2_finish(&x);
	EXPECT_EQ(mb2_parse(&x), 0);
	EXPECT_TRUE(has_reserved(0x200000, 0x300000, BOOT_RSV_INITRD));
	EXPECT_TRUE(has_reserved(0x600000, 0x1234, BOOT_RSV_INITRD));
	ASSERT_EQ(bi.nr_modules, 2);
	EXPECT_EQ(bi.modules[0].base, 0x200000);
	EXPECT_EQ(bi.modules[0].size, 0x300000);
	EXPECT_TRUE(strcmp(bi.modules[0].cmdline, "initrd crc32=0x12345678") == 0);
	EXPECT_TRUE(strcmp(bi.modules[1].cmdline, "second") == 0);
	EXPECT_EQ(bi.nr_memory, 1);		/* the tags around them are still read */
}

/* Damaged module tags: too short, inverted, a name without its NUL; nothing out of bounds. */
HOST_TEST(multiboot2_bad_module_tags)
{
	struct blob x;

	mb2_begin(&x);
	mb2_module(&x, 0x500000, 0x200000, "inverted");
	mb2_module(&x, 0x300000, 0x300000, "empty");
	put_le32(&x, 3);			/* 12 bytes: no room for mod_end */
	put_le32(&x, 12);
	put_le32(&x, 0x100000);
	align(&x, 8);
	put_le32(&x, 3);			/* a name that runs to the end of its tag */
	put_le32(&x, 16 + 6);
	put_le32(&x, 0x700000);
	put_le32(&x, 0x701000);
	put_bytes(&x, "nonul!", 6);
	align(&x, 8);
	mb2_finish(&x);
	EXPECT_EQ(mb2_parse(&x), 0);
	EXPECT_TRUE(host_log_contains("module 'inverted' at [0x500000, 0x200000) is empty or inverted: ignored"));
	EXPECT_TRUE(host_log_contains("module 'empty'"));
	EXPECT_TRUE(host_log_contains("module tag of 12 bytes is shorter than its header"));
	ASSERT_EQ(bi.nr_modules, 1);
	EXPECT_TRUE(strcmp(bi.modules[0].cmdline, "nonul!") == 0);
	EXPECT_TRUE(has_reserved(0x700000, 0x1000, BOOT_RSV_INITRD));
}
#endif /* HAVE_MULTIBOOT2 */

#if HAVE_FDT
#define FDT_PHYS	0x9fe00000ULL

/*
 * / { #address-cells = <2>; #size-cells = <2>;
 *     memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x8000000>; };
 *     cpus { timebase-frequency = <10000000>;
 *            cpu@0 { device_type = "cpu"; reg = <0>; mmu-type = "riscv,sv39"; }; };
 *     chosen { bootargs = "ktest=all"; }; }
 * with one /memreserve/ entry. *reg_len_at: the offset of memory's reg length field.
 */
static const char fdt_strings[] =
	"#address-cells\0#size-cells\0device_type\0reg\0timebase-frequency\0mmu-type\0bootargs";
enum { S_AC = 0, S_SC = 15, S_DT = 27, S_REG = 39, S_TB = 43, S_MMU = 62, S_BA = 71 };

static void fdt_prop(struct blob *x, u32 nameoff, const void *val, u32 len)
{
	put_be32(x, 3);
	put_be32(x, len);
	put_be32(x, nameoff);
	put_bytes(x, val, len);
	align(x, 4);
}

static void fdt_prop_u32(struct blob *x, u32 nameoff, u32 v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	fdt_prop(x, nameoff, b, 4);
}

static void fdt_node(struct blob *x, const char *name)
{
	put_be32(x, 1);
	put_bytes(x, name, strlen(name) + 1);
	align(x, 4);
}

static void fdt_build(struct blob *x, size_t *reg_len_at)
{
	static const unsigned char reg[16] = { 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0 };

	memset(x, 0, sizeof(*x));
	x->n = 40;				/* header, filled in below */
	size_t rsv = x->n;
	put_be32(x, 0); put_be32(x, 0x80000000); put_be32(x, 0); put_be32(x, 0x80000); /* 512K */
	put_be32(x, 0); put_be32(x, 0); put_be32(x, 0); put_be32(x, 0);
	size_t st = x->n;
	fdt_node(x, "");
	fdt_prop_u32(x, S_AC, 2);
	fdt_prop_u32(x, S_SC, 2);
	fdt_node(x, "memory@80000000");
	fdt_prop(x, S_DT, "memory", 7);
	*reg_len_at = x->n + 4;
	fdt_prop(x, S_REG, reg, sizeof(reg));
	put_be32(x, 2);
	fdt_node(x, "cpus");
	fdt_prop_u32(x, S_AC, 1);
	fdt_prop_u32(x, S_SC, 0);
	fdt_prop_u32(x, S_TB, 10000000);
	fdt_node(x, "cpu@0");
	fdt_prop(x, S_DT, "cpu", 4);
	fdt_prop_u32(x, S_REG, 0);
	fdt_prop(x, S_MMU, "riscv,sv39", 11);
	put_be32(x, 2);
	put_be32(x, 2);
	fdt_node(x, "chosen");
	fdt_prop(x, S_BA, "ktest=all", 10);
	put_be32(x, 2);
	put_be32(x, 2);
	put_be32(x, 9);				/* FDT_END */
	size_t strs = x->n;
	put_bytes(x, fdt_strings, sizeof(fdt_strings));
	set_be32(x, 0, 0xd00dfeed);
	set_be32(x, 4, (u32)x->n);		/* totalsize */
	set_be32(x, 8, (u32)st);
	set_be32(x, 12, (u32)strs);
	set_be32(x, 16, (u32)rsv);
	set_be32(x, 20, 17);			/* version */
	set_be32(x, 24, 16);			/* last compatible version */
	set_be32(x, 28, 0);
	set_be32(x, 32, (u32)sizeof(fdt_strings));
	set_be32(x, 36, (u32)(strs - st));
}

HOST_TEST(fdt_valid_blob)
{
	struct blob x;
	size_t reg_len_at;

	fdt_build(&x, &reg_len_at);
	unsigned char *p = exact_copy(&x, x.n);

	bi_reset(&bi);
	EXPECT_EQ(fdt_parse_buf(&bi, p, x.n, FDT_PHYS, 0), FDT_OK);
	ASSERT_TRUE(bi.nr_memory == 1);
	EXPECT_EQ(bi.memory[0].base, 0x80000000ULL);
	EXPECT_EQ(bi.memory[0].size, 0x8000000ULL);
	EXPECT_EQ(bi.memory[0].type, BOOT_MEM_RAM);
	EXPECT_TRUE(has_reserved(0x80000000ULL, 0x80000, BOOT_RSV_FIRMWARE));	/* /memreserve/ */
	EXPECT_EQ(bi.fdt, FDT_PHYS);
	EXPECT_TRUE(strcmp(bi.cmdline, "ktest=all") == 0);
	EXPECT_EQ(bi.nr_cpus, 1);
	EXPECT_EQ(bi.cpus[0].hwid, 0);
	EXPECT_TRUE(bi.cpus[0].enabled);
	EXPECT_EQ(bi.timebase_hz, 10000000);
	free(p);
}

/* Each damage must be refused before boot_info changes. */
static void expect_refused(struct blob *x, size_t len)
{
	unsigned char *p = exact_copy(x, len);

	bi_reset(&bi);
	host_log_clear();
	EXPECT_NE(fdt_parse_buf(&bi, p, len, FDT_PHYS, 0), FDT_OK);
	EXPECT_EQ(bi.nr_memory, 0);
	EXPECT_EQ(bi.nr_reserved, 0);
	EXPECT_EQ(bi.nr_cpus, 0);
	free(p);
}

HOST_TEST(fdt_damaged_blobs_refused)
{
	struct blob x;
	size_t reg_len_at;

	fdt_build(&x, &reg_len_at);
	expect_refused(&x, x.n - 1);			/* truncated: totalsize > len */
	expect_refused(&x, 39);				/* shorter than the header */
	set_be32(&x, 0, 0xd00dfeee);			/* bad magic */
	expect_refused(&x, x.n);
	fdt_build(&x, &reg_len_at);
	set_be32(&x, reg_len_at, 0x7ffffff0);		/* a property running past the end */
	expect_refused(&x, x.n);
	fdt_build(&x, &reg_len_at);
	set_be32(&x, reg_len_at + 4, 0x10000);		/* name offset outside the strings */
	expect_refused(&x, x.n);
	fdt_build(&x, &reg_len_at);
	set_be32(&x, 8, (u32)x.n + 64);			/* structure block outside the blob */
	expect_refused(&x, x.n);
	fdt_build(&x, &reg_len_at);
	set_be32(&x, 20, 15);				/* unsupported version */
	expect_refused(&x, x.n);
}
#endif /* HAVE_FDT */
