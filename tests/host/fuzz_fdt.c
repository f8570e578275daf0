// SPDX-License-Identifier: MIT
/* libFuzzer target: boot/fdt_boot.c fdt_parse_buf() on arbitrary bytes. */
#include <string.h>

#include "tests/host/mm_helpers.h"
#include "boot/fdt_boot.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct boot_info bi;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	bi_reset(&bi);
	host_log_clear();
	fdt_parse_buf(&bi, data, size, 0x82200000, 0);
	/* More reservations than boot_info holds stop the boot by design (memblock_init). */
	if (!bi.nr_reserved_dropped)
		memblock_init(&bi);
	return 0;
}
