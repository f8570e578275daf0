// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: memblock_init() on arbitrary memory maps (16-byte records: base, size,
 * type/kind). Afterwards memory and reserved must be sorted, disjoint, page-aligned, below
 * ARCH_PHYS_ADDR_MAX, and memory must be RAM the input contained.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/mm_helpers.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct boot_info bi;

static void check_sorted(bool memory)
{
	struct memblock_region r;
	phys_addr_t prev_end = 0;

	for (unsigned int i = 0; memory ? memblock_memory_region(i, &r) :
					  memblock_reserved_region(i, &r); i++) {
		if (r.size == 0 || !IS_ALIGNED(r.base | r.size, PAGE_SIZE) ||
		    (i && r.base < prev_end) || r.base + r.size > ARCH_PHYS_ADDR_MAX + PAGE_SIZE) {
			fprintf(stderr, "bad %s region %u [0x%llx+0x%llx]\n",
				memory ? "memory" : "reserved", i, (unsigned long long)r.base,
				(unsigned long long)r.size);
			abort();
		}
		prev_end = r.base + r.size;
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	bi_reset(&bi);
	for (size_t i = 0; i + 17 <= size; i += 17) {
		u64 base, len;

		memcpy(&base, data + i, 8);
		memcpy(&len, data + i + 8, 8);
		if (data[i + 16] & 0x80)
			boot_add_reserved(&bi, base, len, data[i + 16] & 7);
		else
			boot_add_memory(&bi, base, len, data[i + 16] % 7);
	}
	host_set_cmdline("");
	host_log_clear();
	memblock_init(&bi);
	check_sorted(true);
	check_sorted(false);
	return 0;
}
