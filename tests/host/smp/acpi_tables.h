/* SPDX-License-Identifier: MIT */
/*
 * Building synthetic ACPI tables in a fake physical memory for the host tests and the fuzzer.
 * "Physical" addresses are offsets into mem[] plus ACPI_FAKE_BASE.
 */
#ifndef SMP_HOST_ACPI_TABLES_H
#define SMP_HOST_ACPI_TABLES_H

#include "boot/acpi.h"
#include <string.h>

#define ACPI_FAKE_BASE	0x10000ULL

struct fake_mem {
	unsigned char *mem;
	size_t size;
};

/* acpi_map_fn over fake memory: NULL outside it. */
static inline const void *fake_map(phys_addr_t pa, size_t len, void *ctx)
{
	struct fake_mem *m = ctx;

	if (pa < ACPI_FAKE_BASE || len > m->size || pa - ACPI_FAKE_BASE > m->size - len)
		return NULL;
	return m->mem + (pa - ACPI_FAKE_BASE);
}

static inline void put32(unsigned char *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline void put64(unsigned char *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

static inline void fix_checksum(unsigned char *p, size_t len, size_t at)
{
	unsigned char sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (unsigned char)-sum;
}

/* A table header at mem[off]: signature, length; checksum fixed by the caller. */
static inline void sdt_header(unsigned char *t, const char *sig, u32 len)
{
	memset(t, 0, 36);
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "TESSER", 6);
}

#endif
