// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for boot/acpi.c: the input's first 36 bytes are the RSDP, the rest is
 * "physical memory" at ACPI_FAKE_BASE. The first input byte's low bit (before it is forced
 * back to 'R') picks ACPI_PARSE_NO_CHECKSUM so that the fuzzer reaches the table walkers
 * behind the checksums; otherwise checksums are enforced.
 */
#include "tests/host/smp/acpi_tables.h"
#include "tests/host/smp/shim.h"
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_info info;
	u8 rsdp[36];

	if (size < 36)
		return 0;
	host_log_clear();		/* the parser's warnings for the previous input */
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
	return 0;
}
