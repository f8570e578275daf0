// SPDX-License-Identifier: MIT
/*
 * Host tests for boot/acpi.c's parser on synthetic tables: RSDP v1/v2, RSDT/XSDT, MADT with
 * local APIC and x2APIC entries and their flags, FADT and \_S5, and malformed tables (bad
 * checksums, lengths past the end, zero-length entries) that must give warnings, not crashes.
 */
#include "tests/host/harness.h"
#include "tests/host/smp/shim.h"
#include "tests/host/smp/acpi_tables.h"
#include "kernel/boot_info.h"
#include <stdlib.h>

/* Layout in fake memory (offsets): RSDT 0x100, XSDT 0x200, MADT 0x400, FADT 0x800, DSDT 0xc00. */
static unsigned char mem[0x1000];
static struct fake_mem fm = { mem, sizeof(mem) };
static unsigned char rsdp[36];
#define PA(off)	(ACPI_FAKE_BASE + (off))

static u32 madt_len;

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
