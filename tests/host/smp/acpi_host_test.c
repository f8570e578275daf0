// SPDX-License-Identifier: MIT
/*
 * Host tests for boot/acpi.c's parser on synthetic tables: RSDP v1/v2, RSDT/XSDT, MADT with
 * local APIC and x2APIC entries and their flags, FADT and \_S5, MCFG, SRAT and SLIT (with
 * kernel/numa.c's sanitiser on what they say), and malformed tables (bad checksums, lengths
 * past the end, zero-length entries, overlapping ranges, asymmetric distances) that must give
 * warnings, not crashes.
 */
#include "tests/host/harness.h"
#include "tests/host/smp/shim.h"
#include "tests/host/smp/acpi_tables.h"
#include "kernel/boot_info.h"
#include "kernel/numa.h"
#include <stdlib.h>

/*
 * Layout in fake memory (offsets): RSDT 0x100, XSDT 0x200, MADT 0x400, FADT 0x800, DSDT 0xc00,
 * MCFG 0xe00, SRAT 0x1000, SLIT 0x1800.
 */
static unsigned char mem[0x2000];
static struct fake_mem fm = { mem, sizeof(mem) };
static unsigned char rsdp[36];
#define PA(off)	(ACPI_FAKE_BASE + (off))

static u32 madt_len;

static u64 get64_test(const unsigned char *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void madt_add(const unsigned char *e, size_t n)
{
	memcpy(mem + 0x400 + madt_len, e, n);
	madt_len += (u32)n;
}

static void lapic(u8 uid, u8 id, u32 flags)
{
	unsigned char e[8] = { 0, 8, uid, id };

	put32(e + 4, flags);
	madt_add(e, 8);
}

static void x2apic(u32 id, u32 uid, u32 flags)
{
	unsigned char e[16] = { 9, 16 };

	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, uid);
	madt_add(e, 16);
}

static void finish_madt(void)
{
	sdt_header(mem + 0x400, "APIC", madt_len);
	put32(mem + 0x400 + 36, 0xfee00000);
	put32(mem + 0x400 + 40, 1);
	fix_checksum(mem + 0x400, madt_len, 9);
}

/* A standard machine: 3 enabled LAPICs, 1 disabled, 1 online-capable x2APIC, an I/O APIC. */
static void build(int rev)
{
	memset(mem, 0, sizeof(mem));
	madt_len = 44;
	lapic(0, 0, 1);
	lapic(1, 1, 1);
	lapic(2, 4, 1);
	lapic(3, 5, 0);			/* disabled, not online-capable: ignored */
	{
		unsigned char io[12] = { 1, 12, 2, 0 };

		put32(io + 4, 0xfec00000);
		madt_add(io, 12);
	}
	x2apic(300, 9, 2);		/* online-capable */
	x2apic(1, 1, 1);		/* duplicate of APIC id 1: ignored */
	finish_madt();
	/* DSDT with Name(\_S5, Package(2) { 0x05, Zero }) */
	static const unsigned char aml[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x02,
					     0x0a, 0x05, 0x00 };
	sdt_header(mem + 0xc00, "DSDT", 36 + sizeof(aml));
	memcpy(mem + 0xc00 + 36, aml, sizeof(aml));
	fix_checksum(mem + 0xc00, 36 + sizeof(aml), 9);
	/* FADT, ACPI 1.0 size (116 bytes) */
	sdt_header(mem + 0x800, "FACP", 116);
	put32(mem + 0x800 + 40, (u32)PA(0xc00));
	mem[0x800 + 46] = 9;
	put32(mem + 0x800 + 64, 0x604);
	mem[0x800 + 89] = 2;
	fix_checksum(mem + 0x800, 116, 9);
	/* RSDT: MADT, FADT */
	sdt_header(mem + 0x100, "RSDT", 36 + 8);
	put32(mem + 0x100 + 36, (u32)PA(0x400));
	put32(mem + 0x100 + 40, (u32)PA(0x800));
	fix_checksum(mem + 0x100, 44, 9);
	/* XSDT: FADT, MADT */
	sdt_header(mem + 0x200, "XSDT", 36 + 16);
	put64(mem + 0x200 + 36, PA(0x800));
	put64(mem + 0x200 + 44, PA(0x400));
	fix_checksum(mem + 0x200, 52, 9);
	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "TESSER", 6);
	rsdp[15] = (u8)rev;
	put32(rsdp + 16, (u32)PA(0x100));
	fix_checksum(rsdp, 20, 8);
	if (rev >= 2) {
		put32(rsdp + 20, 36);
		put64(rsdp + 24, PA(0x200));
		fix_checksum(rsdp, 36, 32);
	}
}

static struct acpi_info info;

static int parse(void)
{
	return acpi_parse(rsdp, sizeof(rsdp), fake_map, &fm, 0, &info);
}

static void check_machine(void)
{
	EXPECT_TRUE(info.valid);
	EXPECT_TRUE(info.have_madt);
	EXPECT_EQ(info.nr_cpus, 4);
	EXPECT_EQ(info.cpus[0].apic_id, 0);
	EXPECT_EQ(info.cpus[2].apic_id, 4);
	EXPECT_TRUE(info.cpus[2].enabled);
	EXPECT_EQ(info.cpus[3].apic_id, 300);
	EXPECT_TRUE(!info.cpus[3].enabled);
	EXPECT_TRUE(info.cpus[3].online_capable);
	EXPECT_TRUE(info.cpus[3].x2apic);
	EXPECT_EQ(info.nr_cpus_disabled, 1);
	EXPECT_EQ(info.lapic_base, 0xfee00000);
	EXPECT_EQ(info.ioapic_base, 0xfec00000);
	EXPECT_EQ(info.nr_ioapics, 1);
	EXPECT_TRUE(info.have_fadt);
	EXPECT_EQ(info.pm1a_cnt, 0x604);
	EXPECT_EQ(info.pm1a_cnt_space, ACPI_SPACE_IO);
	EXPECT_EQ(info.sci_irq, 9);
	EXPECT_TRUE(info.have_s5);
	EXPECT_EQ(info.s5_slp_typa, 5);
	EXPECT_EQ(info.s5_slp_typb, 0);
}

HOST_TEST(acpi_rsdp_v1_rsdt)
{
	build(0);
	EXPECT_EQ(parse(), 0);
	EXPECT_TRUE(!info.used_xsdt);
	check_machine();
	EXPECT_EQ(info.nr_warnings, 0);
}

HOST_TEST(acpi_rsdp_v2_xsdt)
{
	build(2);
	EXPECT_EQ(parse(), 0);
	EXPECT_TRUE(info.used_xsdt);
	check_machine();
	EXPECT_EQ(info.nr_warnings, 0);
}

HOST_TEST(acpi_bad_rsdp)
{
	build(0);
	rsdp[8] ^= 1;
	EXPECT_TRUE(parse() < 0);
	EXPECT_TRUE(!info.valid);
	build(0);
	memcpy(rsdp, "RSD PTX ", 8);
	EXPECT_TRUE(parse() < 0);
}

HOST_TEST(acpi_bad_xsdt_falls_back_to_rsdt)
{
	build(2);
	mem[0x200 + 20] ^= 0x55;	/* XSDT checksum broken */
	EXPECT_EQ(parse(), 0);
	EXPECT_TRUE(!info.used_xsdt);
	EXPECT_TRUE(info.nr_warnings >= 1);
	check_machine();
	build(2);
	rsdp[33] ^= 1;			/* extended checksum broken: RSDT */
	EXPECT_EQ(parse(), 0);
	EXPECT_TRUE(!info.used_xsdt);
}

HOST_TEST(acpi_bad_madt_checksum)
{
	build(0);
	mem[0x400 + 50] ^= 1;
	EXPECT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_madt);
	EXPECT_EQ(info.nr_cpus, 0);
	EXPECT_TRUE(info.nr_warnings >= 1);
}

HOST_TEST(acpi_madt_entry_length_zero)
{
	build(0);
	madt_len = 44;
	lapic(0, 0, 1);
	unsigned char bad[4] = { 0, 0, 0, 0 };	/* length 0: would loop forever */

	madt_add(bad, 4);
	lapic(1, 1, 1);
	finish_madt();
	EXPECT_EQ(parse(), 0);
	EXPECT_EQ(info.nr_cpus, 1);
	EXPECT_TRUE(info.nr_warnings >= 1);
}

HOST_TEST(acpi_madt_entry_past_end)
{
	build(0);
	madt_len = 44;
	lapic(0, 0, 1);
	unsigned char bad[2] = { 9, 200 };	/* claims 200 bytes */

	madt_add(bad, 2);
	finish_madt();
	EXPECT_EQ(parse(), 0);
	EXPECT_EQ(info.nr_cpus, 1);
	EXPECT_TRUE(info.nr_warnings >= 1);
	/* A short x2APIC entry is skipped, the next one still read. */
	build(0);
	madt_len = 44;
	unsigned char short_x2[8] = { 9, 8 };

	madt_add(short_x2, 8);
	lapic(3, 3, 1);
	finish_madt();
	EXPECT_EQ(parse(), 0);
	EXPECT_EQ(info.nr_cpus, 1);
	EXPECT_EQ(info.cpus[0].apic_id, 3);
}

HOST_TEST(acpi_table_length_past_memory)
{
	build(0);
	put32(mem + 0x400 + 4, 0x100000);	/* MADT length beyond fake memory */
	EXPECT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_madt);
	build(0);
	put32(mem + 0x100 + 36, 0xdeadbeef);	/* RSDT entry pointing nowhere */
	fix_checksum(mem + 0x100, 44, 9);
	EXPECT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_madt);
	EXPECT_TRUE(info.have_fadt);
}

HOST_TEST(acpi_too_many_cpus)
{
	build(0);
	madt_len = 44;
	for (u32 i = 0; i < 70; i++)
		x2apic(i, i, 1);
	finish_madt();
	EXPECT_EQ(parse(), 0);
	EXPECT_EQ(info.nr_cpus, ACPI_MAX_CPUS);
	EXPECT_EQ(info.nr_cpus_dropped, 6);
}

/* MCFG at 0xe00 with `n` 16-byte entries, listed third in the XSDT. */
static void add_mcfg(const unsigned char (*entries)[16], unsigned int n)
{
	u32 len = 44 + 16 * n;

	sdt_header(mem + 0xe00, "MCFG", len);
	for (unsigned int i = 0; i < n; i++)
		memcpy(mem + 0xe00 + 44 + 16 * i, entries[i], 16);
	fix_checksum(mem + 0xe00, len, 9);
	sdt_header(mem + 0x200, "XSDT", 36 + 24);
	put64(mem + 0x200 + 36, PA(0x800));
	put64(mem + 0x200 + 44, PA(0x400));
	put64(mem + 0x200 + 52, PA(0xe00));
	fix_checksum(mem + 0x200, 60, 9);
}

/* q35's one ECAM region is recorded; an inverted bus range and an unaligned base are not. */
HOST_TEST(acpi_mcfg_ecam_regions)
{
	unsigned char e[3][16] = { { 0 } };

	build(2);
	put64(e[0], 0xb0000000);		/* segment 0, buses 00-ff */
	e[0][11] = 0xff;
	put64(e[1], 0xc0000000);		/* segment 1, buses 20-10: inverted */
	e[1][8] = 1;
	e[1][10] = 0x20;
	e[1][11] = 0x10;
	put64(e[2], 0xd0001000);		/* segment 2, not 1 MiB aligned */
	e[2][8] = 2;
	add_mcfg(e, 3);
	ASSERT_EQ(parse(), 0);
	check_machine();
	EXPECT_EQ(info.nr_mcfg, 1);
	EXPECT_EQ(info.mcfg[0].base, 0xb0000000);
	EXPECT_EQ(info.mcfg[0].segment, 0);
	EXPECT_EQ(info.mcfg[0].bus_start, 0);
	EXPECT_EQ(info.mcfg[0].bus_end, 0xff);
	EXPECT_EQ(info.nr_warnings, 2);
	/* A table cut in the middle of an entry: the whole entries before it still count. */
	sdt_header(mem + 0xe00, "MCFG", 44 + 16 + 8);
	fix_checksum(mem + 0xe00, 44 + 16 + 8, 9);
	ASSERT_EQ(parse(), 0);
	EXPECT_EQ(info.nr_mcfg, 1);
	EXPECT_EQ(info.nr_warnings, 1);
}

/* acpi_init() on boot_info: MADT CPUs land in boot_info.cpus; garbage falls back to one. */
HOST_TEST(acpi_init_fills_boot_info)
{
	build(2);
	memset(&boot_info, 0, sizeof(boot_info));
	/* The kernel mapper accepts only ranges in the memory map: describe fake memory. */
	boot_info.memory[0] = (struct boot_range){ (phys_addr_t)(unsigned long)mem, sizeof(mem),
						   BOOT_MEM_ACPI_RECLAIM };
	boot_info.nr_memory = 1;
	/* Point the tables at real host addresses: rebuild with a different base. */
	u64 delta = (u64)(unsigned long)mem - ACPI_FAKE_BASE;

	put64(rsdp + 24, PA(0x200) + delta);
	fix_checksum(rsdp, 36, 32);
	put64(mem + 0x200 + 36, PA(0x800) + delta);
	put64(mem + 0x200 + 44, PA(0x400) + delta);
	fix_checksum(mem + 0x200, 52, 9);
	put32(mem + 0x800 + 40, 0);		/* no 32-bit DSDT: the host address is 64-bit */
	fix_checksum(mem + 0x800, 116, 9);
	memcpy(boot_info.acpi_rsdp_copy, rsdp, 36);
	boot_info.acpi_rsdp_len = 36;
	acpi_init();
	EXPECT_EQ(boot_info.nr_cpus, 4);
	EXPECT_EQ(boot_info.boot_cpu_index, 0);
	EXPECT_EQ(boot_info.cpus[3].hwid, 300);
	EXPECT_TRUE(boot_info.cpus[3].online_capable);
	EXPECT_EQ(acpi_info.lapic_base, 0xfee00000);
	/* Broken RSDP: one CPU, no crash. */
	boot_info.acpi_rsdp_copy[8] ^= 1;
	acpi_init();
	EXPECT_EQ(boot_info.nr_cpus, 1);
	EXPECT_TRUE(boot_info.cpus[0].enabled);
	/* No RSDP but a CPU list (riscv64): untouched. */
	boot_info.acpi_rsdp_len = 0;
	boot_info.nr_cpus = 3;
	acpi_init();
	EXPECT_EQ(boot_info.nr_cpus, 3);
}

/* ---- SRAT and SLIT, and the sanitiser on what they say ---- */

#define SRAT_OFF	0x1000
#define SLIT_OFF	0x1800
#define MiB		(1024ULL * 1024)

static u32 srat_len;

static void srat_add(const unsigned char *e, size_t n)
{
	memcpy(mem + SRAT_OFF + srat_len, e, n);
	srat_len += (u32)n;
}

/* Processor Local APIC Affinity: domain bits 7:0 at 2, bits 31:8 at 9..11. */
static void srat_cpu(u8 apic_id, u32 pxm, u32 flags)
{
	unsigned char e[16] = { 0, 16, (u8)pxm, apic_id };

	put32(e + 4, flags);
	e[9] = (u8)(pxm >> 8);
	e[10] = (u8)(pxm >> 16);
	e[11] = (u8)(pxm >> 24);
	srat_add(e, 16);
}

static void srat_x2apic(u32 id, u32 pxm, u32 flags)
{
	unsigned char e[24] = { 2, 24 };

	put32(e + 4, pxm);
	put32(e + 8, id);
	put32(e + 12, flags);
	srat_add(e, 24);
}

static void srat_mem(u64 base, u64 size, u32 pxm, u32 flags)
{
	unsigned char e[40] = { 1, 40 };

	put32(e + 2, pxm);
	put64(e + 8, base);
	put64(e + 16, size);
	put32(e + 28, flags);
	srat_add(e, 40);
}

/* The SLIT: n localities, the matrix row by row; `len` 0 means the right length. */
static void slit(u64 n, const u8 *matrix, unsigned int cells, u32 len)
{
	u32 want = 44 + cells;

	if (!len)
		len = want;
	memset(mem + SLIT_OFF, 0, 0x800);
	sdt_header(mem + SLIT_OFF, "SLIT", len);
	put64(mem + SLIT_OFF + 36, n);
	memcpy(mem + SLIT_OFF + 44, matrix, cells);
	fix_checksum(mem + SLIT_OFF, len, 9);
}

/* Close the SRAT and list FADT, MADT, SRAT and (if with_slit) the SLIT in the XSDT. */
static void numa_tables(bool with_slit)
{
	sdt_header(mem + SRAT_OFF, "SRAT", srat_len);
	put32(mem + SRAT_OFF + 36, 1);
	fix_checksum(mem + SRAT_OFF, srat_len, 9);
	u32 len = 36 + 8 * (with_slit ? 4 : 3);

	sdt_header(mem + 0x200, "XSDT", len);
	put64(mem + 0x200 + 36, PA(0x800));
	put64(mem + 0x200 + 44, PA(0x400));
	put64(mem + 0x200 + 52, PA(SRAT_OFF));
	if (with_slit)
		put64(mem + 0x200 + 60, PA(SLIT_OFF));
	fix_checksum(mem + 0x200, len, 9);
}

/* build(2), then an empty SRAT to fill. */
static void srat_begin(void)
{
	build(2);
	memset(mem + SRAT_OFF, 0, 0x800);
	srat_len = 48;
}

static struct numa_info ni;
/* RAM as memblock would have it on a 256 MiB pc: below 640K and from 1 MiB. */
static struct boot_range ram[4] = {
	{ 0, 0x9f000, BOOT_MEM_RAM }, { MiB, 255 * MiB, BOOT_MEM_RAM },
};
static unsigned int nr_ram = 2;
static struct boot_range known[] = {
	{ 0, 0x9fc00, BOOT_MEM_RAM }, { 0x9fc00, 0x400, BOOT_MEM_RESERVED },
	{ 0xf0000, 0x10000, BOOT_MEM_RESERVED }, { MiB, 255 * MiB, BOOT_MEM_RAM },
};

/* Sanitise what acpi_parse() found, the MADT's CPUs numbered in order (as smp.c does). */
static void sanitise(void)
{
	static u32 hwid[NR_CPUS];

	for (unsigned int i = 0; i < NR_CPUS; i++)
		hwid[i] = i < info.nr_cpus ? info.cpus[i].apic_id : ~0u;
	struct numa_input in = {
		.fw = &info.numa, .ram = ram, .nr_ram = nr_ram,
		.known = known, .nr_known = ARRAY_SIZE(known),
		.cpu_hwid = hwid, .nr_cpu_ids = NR_CPUS,
	};
	host_log_clear();
	numa_build(&in, &ni);
}

/*
 * A two-node pc: APIC ids 0, 1 in domain 0, 4 and x2APIC 300 in domain 1; node 0 is the
 * memory below 128 MiB, node 1 the rest, plus a hot-pluggable range not populated and a
 * disabled entry; SLIT 10/21.
 */
static void two_node_srat(void)
{
	srat_begin();
	srat_cpu(0, 0, 1);
	srat_cpu(1, 0, 1);
	srat_cpu(4, 1, 1);
	srat_cpu(5, 1, 0);				/* disabled: not recorded */
	srat_x2apic(300, 1, 1);
	srat_mem(0, 0xa0000, 0, 1);
	srat_mem(MiB, 127 * MiB, 0, 1);
	srat_mem(128 * MiB, 128 * MiB, 1, 1);
	srat_mem(256 * MiB, 256 * MiB, 1, 3);		/* enabled, hot-pluggable */
	srat_mem(2048 * MiB, 1024 * MiB, 1, 2);		/* not enabled: ignored */
}

HOST_TEST(acpi_srat_slit_two_nodes)
{
	static const u8 d[] = { 10, 21, 21, 10 };

	two_node_srat();
	slit(2, d, 4, 0);
	numa_tables(true);
	ASSERT_EQ(parse(), 0);
	check_machine();
	EXPECT_EQ(info.nr_warnings, 0);
	EXPECT_TRUE(info.have_srat);
	EXPECT_TRUE(info.have_slit);
	EXPECT_EQ(info.numa.nr_cpus, 4);
	EXPECT_EQ(info.numa.cpus[3].hwid, 300);
	EXPECT_EQ(info.numa.cpus[3].node, 1);
	EXPECT_EQ(info.numa.nr_mem, 4);
	EXPECT_TRUE(info.numa.mem[3].hotpluggable);
	EXPECT_TRUE(!info.numa.mem[2].hotpluggable);
	EXPECT_EQ(info.numa.distance[0][1], 21);

	sanitise();
	EXPECT_EQ(ni.nr_warnings, 0);
	EXPECT_EQ(ni.nr_nodes, 2);
	EXPECT_EQ(ni.node_mask, 3);
	EXPECT_EQ(ni.nodes[0].present_bytes, 0x9f000 + 127 * MiB);
	EXPECT_EQ(ni.nodes[1].present_bytes, 128 * MiB);
	EXPECT_EQ(ni.cpu_node[0], 0);
	EXPECT_EQ(ni.cpu_node[1], 0);
	EXPECT_EQ(ni.cpu_node[2], 1);
	EXPECT_EQ(ni.cpu_node[3], 1);
	EXPECT_EQ(ni.cpu_node[4], NUMA_NO_NODE_ID);
	EXPECT_EQ(ni.distance[1][0], 21);
	EXPECT_EQ(ni.distance[1][1], 10);
	EXPECT_TRUE(host_log_contains("hot-pluggable"));
	/* The boot lines and numactl's CPU list. */
	char buf[64];

	numa_cpulist(&ni.nodes[1].cpus, false, buf, sizeof(buf));
	EXPECT_TRUE(!strcmp(buf, "2-3"));
	numa_cpulist(&ni.nodes[1].cpus, true, buf, sizeof(buf));
	EXPECT_TRUE(!strcmp(buf, "2 3"));
	host_log_clear();
	numa_print(&ni);
	EXPECT_TRUE(host_log_contains("numa: node 1: CPUs 2-3, memory [mem 0x0000000008000000-"
				      "0x000000000fffffff] 128 MiB"));
	EXPECT_TRUE(host_log_contains("numa:     1:  21  10"));
}

/* Without an SRAT: no description, and the sanitiser makes one node of everything. */
HOST_TEST(acpi_no_srat_one_node)
{
	build(2);
	ASSERT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_srat);
	EXPECT_TRUE(info.numa.source == NULL);
	sanitise();
	EXPECT_EQ(ni.nr_warnings, 0);
	EXPECT_EQ(ni.nr_nodes, 1);
	EXPECT_TRUE(ni.source == NULL);
	EXPECT_EQ(ni.nodes[0].present_bytes, 0x9f000 + 255 * MiB);
	EXPECT_EQ(ni.cpu_node[3], 0);
	numa_print(&ni);
	EXPECT_TRUE(host_log_contains("numa: no NUMA description: one node"));
}

/* Bad entry lengths: a zero length ends the walk, a short entry is skipped, no crash. */
HOST_TEST(acpi_srat_bad_entry_lengths)
{
	unsigned char zero[4] = { 1, 0 };		/* length 0: would loop forever */
	unsigned char short_mem[24] = { 1, 24 };	/* memory affinity needs 40 */

	srat_begin();
	srat_cpu(0, 0, 1);
	srat_add(short_mem, sizeof(short_mem));
	srat_mem(0, 128 * MiB, 0, 1);			/* still read after the short one */
	srat_add(zero, sizeof(zero));
	srat_mem(128 * MiB, 128 * MiB, 1, 1);		/* behind the zero length: never read */
	numa_tables(false);
	ASSERT_EQ(parse(), 0);
	EXPECT_EQ(info.numa.nr_mem, 1);
	EXPECT_EQ(info.numa.nr_cpus, 1);
	EXPECT_EQ(info.nr_warnings, 2);
	EXPECT_TRUE(host_log_contains("needs 40; skipped"));

	/* An entry running past the table's end, and a few stray bytes. */
	unsigned char past[2] = { 2, 200 };

	srat_begin();
	srat_x2apic(7, 0, 1);
	srat_add(past, sizeof(past));
	numa_tables(false);
	ASSERT_EQ(parse(), 0);
	EXPECT_EQ(info.numa.nr_cpus, 1);
	EXPECT_EQ(info.nr_warnings, 1);
	srat_begin();
	srat_x2apic(7, 0, 1);
	srat_add(past, 1);
	numa_tables(false);
	ASSERT_EQ(parse(), 0);
	EXPECT_EQ(info.numa.nr_cpus, 1);
	EXPECT_TRUE(host_log_contains("stray bytes"));

	/* An SRAT shorter than its fixed part: no description at all. */
	srat_begin();
	srat_len = 40;
	numa_tables(false);
	ASSERT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_srat);
	EXPECT_TRUE(info.numa.source == NULL);
	EXPECT_EQ(info.nr_warnings, 1);
}

/* A SLIT whose matrix does not fit its length is ignored whole; then 10/20 with a warning. */
HOST_TEST(acpi_slit_bad_lengths)
{
	static const u8 d[] = { 10, 21, 21, 10 };

	two_node_srat();
	slit(3, d, 4, 0);				/* 3 localities, 4 bytes */
	numa_tables(true);
	ASSERT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_slit);
	EXPECT_EQ(info.nr_warnings, 1);
	sanitise();
	EXPECT_EQ(ni.nr_warnings, 1);
	EXPECT_TRUE(host_log_contains("gives no distances"));
	EXPECT_EQ(ni.distance[0][1], REMOTE_DISTANCE);
	EXPECT_EQ(ni.distance[1][1], LOCAL_DISTANCE);

	/* Locality counts whose square overflows, and a table shorter than the count. */
	two_node_srat();
	slit(~0ULL >> 1, d, 4, 0);
	numa_tables(true);
	ASSERT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_slit);
	two_node_srat();
	slit(2, d, 4, 40);				/* header cut short */
	numa_tables(true);
	ASSERT_EQ(parse(), 0);
	EXPECT_TRUE(!info.have_slit);
	EXPECT_TRUE(host_log_contains("SLIT too short"));
}

/*
 * before: node 0 claims [1M, 256M), node 1 claims [128M, 384M); RAM runs to 512M; the SLIT
 *	   says 20 one way and 30 the other.
 * after:  the overlap stays in node 0 (one warning), node 1 keeps [256M, 384M), RAM above
 *	   384M goes to node 1 (the node below it), the SLIT is replaced by 10/20.
 */
HOST_TEST(numa_overlap_uncovered_ram_asymmetric_slit)
{
	static const u8 d[] = { 10, 20, 30, 10 };

	srat_begin();
	srat_cpu(0, 0, 1);
	srat_cpu(1, 0, 1);
	srat_cpu(4, 1, 1);
	srat_x2apic(300, 1, 1);
	srat_mem(MiB, 255 * MiB, 0, 1);
	srat_mem(128 * MiB, 256 * MiB, 1, 1);
	slit(2, d, 4, 0);
	numa_tables(true);
	ASSERT_EQ(parse(), 0);
	ram[1] = (struct boot_range){ MiB, 511 * MiB, BOOT_MEM_RAM };
	known[3].size = 511 * MiB;
	sanitise();
	ram[1].size = known[3].size = 255 * MiB;
	EXPECT_TRUE(host_log_contains("is claimed by node 0 and by node 1: kept in node 0"));
	EXPECT_TRUE(host_log_contains("[mem 0x0000000018000000-0x000000001fffffff] is in no node: "
				      "given to node 1"));
	EXPECT_TRUE(host_log_contains("node 0 to node 1 is 20, back is 30"));
	EXPECT_TRUE(host_log_contains("ACPI SLIT not used"));
	/* RAM below 640K is in no node either: given to node 0, the node above it. */
	EXPECT_TRUE(host_log_contains("-0x000000000009efff] is in no node: given to node 0"));
	EXPECT_EQ(ni.nr_warnings, 5);
	EXPECT_EQ(ni.nodes[0].present_bytes, 0x9f000 + 255 * MiB);
	EXPECT_EQ(ni.nodes[1].present_bytes, 256 * MiB);
	EXPECT_EQ(ni.distance[0][1], REMOTE_DISTANCE);
	EXPECT_EQ(ni.distance[1][0], REMOTE_DISTANCE);
	EXPECT_TRUE(!strcmp(ni.distance_source, "default 10/20"));
	/* Sorted and disjoint, whatever the claims looked like. */
	for (unsigned int i = 1; i < ni.nr_blks; i++)
		EXPECT_LE(ni.blks[i - 1].base + ni.blks[i - 1].size, ni.blks[i].base);
}

/* Self distances other than 10 and remote ones of 10 or less: the whole table goes. */
HOST_TEST(numa_slit_bad_diagonal_and_remote)
{
	static const u8 self20[] = { 20, 21, 21, 10 };
	static const u8 remote10[] = { 10, 10, 10, 10 };

	two_node_srat();
	slit(2, self20, 4, 0);
	numa_tables(true);
	ASSERT_EQ(parse(), 0);
	sanitise();
	EXPECT_TRUE(host_log_contains("node 0's distance to itself is 20"));
	EXPECT_EQ(ni.distance[0][0], LOCAL_DISTANCE);
	EXPECT_EQ(ni.distance[0][1], REMOTE_DISTANCE);
	EXPECT_EQ(ni.nr_warnings, 2);
	two_node_srat();
	slit(2, remote10, 4, 0);
	numa_tables(true);
	ASSERT_EQ(parse(), 0);
	sanitise();
	EXPECT_TRUE(host_log_contains("node 0 to node 1 is 10, not more than 10"));
	EXPECT_EQ(ni.distance[1][0], REMOTE_DISTANCE);
	EXPECT_EQ(ni.nr_warnings, 3);	/* both directions, and "not used" */
}

/*
 * before: a CPU in domain 1000, a CPU the SRAT does not list, memory in domain 70, and a
 *	   range far outside the memory map; x2APIC 300 alone in domain 1, no SLIT.
 * after:  the first three land in node 0 with a warning each, the range is ignored with a
 *	   warning, node 1 is a memoryless node (noted, no warning), distances 10/20.
 */
HOST_TEST(numa_huge_ids_cpu_in_no_node_memoryless_node)
{
	srat_begin();
	srat_cpu(0, 0, 1);
	srat_cpu(1, 1000, 1);
	srat_x2apic(300, 1, 1);
	srat_mem(0, 128 * MiB, 0, 1);
	srat_mem(128 * MiB, 128 * MiB, 70, 1);
	srat_mem(0xfd00000000ULL, 1024 * MiB, 1, 1);
	numa_tables(false);
	ASSERT_EQ(parse(), 0);
	sanitise();
	EXPECT_TRUE(host_log_contains("CPU 1 (hwid 1) in node 1000: node ids stop at 63"));
	EXPECT_TRUE(host_log_contains("CPU 2 (hwid 4) is in no node: put in node 0"));
	EXPECT_TRUE(host_log_contains("in node 70: node ids stop at 63: folded into node 0"));
	EXPECT_TRUE(host_log_contains("in no memory map entry: ignored"));
	EXPECT_TRUE(host_log_contains("gives no distances"));
	EXPECT_EQ(ni.nr_warnings, 5);
	EXPECT_EQ(ni.nr_nodes, 2);
	EXPECT_EQ(ni.nodes[0].present_bytes, 0x9f000 + 255 * MiB);
	EXPECT_EQ(ni.nodes[1].present_bytes, 0);
	EXPECT_EQ(ni.cpu_node[1], 0);
	EXPECT_EQ(ni.cpu_node[2], 0);
	EXPECT_EQ(ni.cpu_node[3], 1);
	host_log_clear();
	numa_print(&ni);
	EXPECT_TRUE(host_log_contains("numa: node 1: CPUs 3, no memory (memoryless node)"));
}

/* acpi_init() hands the SRAT's description to boot_info.numa. */
HOST_TEST(acpi_init_copies_numa)
{
	static const u8 d[] = { 10, 21, 21, 10 };

	two_node_srat();
	slit(2, d, 4, 0);
	numa_tables(true);
	memset(&boot_info, 0, sizeof(boot_info));
	boot_info.memory[0] = (struct boot_range){ (phys_addr_t)(unsigned long)mem, sizeof(mem),
						   BOOT_MEM_ACPI_RECLAIM };
	boot_info.nr_memory = 1;
	u64 delta = (u64)(unsigned long)mem - ACPI_FAKE_BASE;

	put64(rsdp + 24, PA(0x200) + delta);
	fix_checksum(rsdp, 36, 32);
	for (unsigned int i = 0; i < 4; i++)
		put64(mem + 0x200 + 36 + 8 * i, get64_test(mem + 0x200 + 36 + 8 * i) + delta);
	fix_checksum(mem + 0x200, 68, 9);
	put32(mem + 0x800 + 40, 0);
	fix_checksum(mem + 0x800, 116, 9);
	memcpy(boot_info.acpi_rsdp_copy, rsdp, 36);
	boot_info.acpi_rsdp_len = 36;
	acpi_init();
	EXPECT_TRUE(boot_info.numa.source && !strcmp(boot_info.numa.source, "ACPI SRAT"));
	EXPECT_EQ(boot_info.numa.nr_cpus, 4);
	EXPECT_EQ(boot_info.numa.nr_mem, 4);
	EXPECT_TRUE(boot_info.numa.distance_source != NULL);
	EXPECT_EQ(boot_info.numa.distance[1][0], 21);
}
