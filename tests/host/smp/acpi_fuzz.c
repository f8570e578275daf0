// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for boot/acpi.c and, on what its SRAT/SLIT gave, kernel/numa.c's
 * sanitiser. The first input byte picks the mode (its bits, before it is forced back to 'R'):
 *
 *   bit 1 clear: the input's first 36 bytes are the RSDP, the rest is "physical memory" at
 *	ACPI_FAKE_BASE; bit 0 picks ACPI_PARSE_NO_CHECKSUM so that the fuzzer reaches the
 *	table walkers behind the checksums, otherwise checksums are enforced.
 *   bit 1 set: the SRAT/SLIT mode. Byte 1 splits the rest of the input into an SRAT body
 *	(entries after the 48-byte fixed part) and a SLIT body (from its locality count on);
 *	the harness wraps them in valid headers and an RSDT, so every run reaches the two
 *	parsers, and byte 2 perturbs the tables' length fields by -4..+3 bytes.
 */
#include "tests/host/smp/acpi_tables.h"
#include "tests/host/smp/shim.h"
#include "kernel/numa.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct acpi_info info;
static struct numa_info ni;

/* Run the sanitiser on the parsed description with a small pc-like RAM map. */
static void sanitise(void)
{
	static const struct boot_range ram[] = {
		{ 0, 0x9f000, BOOT_MEM_RAM }, { 0x100000, 0x7f00000, BOOT_MEM_RAM },
		{ 0x100000000ULL, 0x40000000, BOOT_MEM_RAM },
	};
	static const struct boot_range known[] = {
		{ 0, 0xa0000, BOOT_MEM_RAM }, { 0x100000, 0x7f00000, BOOT_MEM_RAM },
		{ 0xfec00000, 0x1400000, BOOT_MEM_RESERVED },
		{ 0x100000000ULL, 0x40000000, BOOT_MEM_RAM },
	};
	static u32 hwid[NR_CPUS];

	for (unsigned int i = 0; i < NR_CPUS; i++)
		hwid[i] = i < 8 ? i * 2 : ~0u;	/* 8 CPUs, APIC ids 0, 2, ... 14 */
	struct numa_input in = {
		.fw = &info.numa, .ram = ram, .nr_ram = ARRAY_SIZE(ram),
		.known = known, .nr_known = ARRAY_SIZE(known),
		.cpu_hwid = hwid, .nr_cpu_ids = NR_CPUS,
	};

	numa_build(&in, &ni);
	numa_print(&ni);
}

/* SRAT/SLIT mode: RSDT at 0 -> SRAT at 0x100 -> SLIT after it, bodies from the input. */
static void srat_slit_mode(const uint8_t *data, size_t size)
{
	if (size < 3)
		return;
	size_t split = (size_t)data[1] * 8, n = size - 3;
	int delta = (int)(data[2] & 7) - 4;
	const uint8_t *body = data + 3;

	if (split > n)
		split = n;
	size_t srat_len = 48 + split, slit_len = 36 + (n - split);
	size_t total = 0x100 + srat_len + slit_len;
	unsigned char *mem = calloc(1, total);
	u8 rsdp[36] = { 0 };

	sdt_header(mem, "RSDT", 44);
	put32(mem + 36, (u32)(ACPI_FAKE_BASE + 0x100));
	put32(mem + 40, (u32)(ACPI_FAKE_BASE + 0x100 + srat_len));
	fix_checksum(mem, 44, 9);
	unsigned char *srat = mem + 0x100, *slit = srat + srat_len;

	sdt_header(srat, "SRAT", (u32)((int)srat_len + delta));
	memcpy(srat + 48, body, split);
	sdt_header(slit, "SLIT", (u32)((int)slit_len + delta));
	memcpy(slit + 36, body + split, n - split);
	memcpy(rsdp, "RSD PTR ", 8);
	put32(rsdp + 16, (u32)ACPI_FAKE_BASE);
	fix_checksum(rsdp, 20, 8);
	struct fake_mem fm = { mem, total };

	/* Checksums off: a length perturbed past the data must be caught by the map check. */
	acpi_parse(rsdp, 36, fake_map, &fm, ACPI_PARSE_NO_CHECKSUM, &info);
	free(mem);
	sanitise();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 rsdp[36];

	if (size < 1)
		return 0;
	host_log_clear();		/* the parser's warnings for the previous input */
	if (data[0] & 2) {
		srat_slit_mode(data, size);
		return 0;
	}
	if (size < 36)
		return 0;
	memcpy(rsdp, data, 36);
	unsigned int flags = (rsdp[0] & 1) ? ACPI_PARSE_NO_CHECKSUM : 0;

	memcpy(rsdp, "RSD PTR ", 8);
	/* A private copy: the parser must not depend on memory beyond what map() returns. */
	size_t n = size - 36;
	unsigned char *mem = malloc(n ? n : 1);

	memcpy(mem, data + 36, n);
	struct fake_mem fm = { mem, n };

	acpi_parse(rsdp, 36, fake_map, &fm, flags, &info);
	free(mem);
	if (info.numa.source)
		sanitise();
	return 0;
}
