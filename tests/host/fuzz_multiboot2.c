// SPDX-License-Identifier: MIT
/* libFuzzer target: boot/multiboot2.c multiboot2_parse_buf() on arbitrary bytes. */
#include <string.h>

#include "tests/host/mm_helpers.h"
#include "boot/multiboot2.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct boot_info bi;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	bi_reset(&bi);
	host_log_clear();
	multiboot2_parse_buf(&bi, data, size, 0x10000);
	/* The result must at least be something memblock can digest. */
	memblock_init(&bi);
	return 0;
}
