// SPDX-License-Identifier: MIT
/*
 * Host tests of memblock's sanitising on crafted maps: overlapping, unsorted, unaligned,
 * empty, out of range, wrapping, RAM claimed by other types, reserved far above RAM; mem=;
 * early allocations top-down below the limit.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"

static struct boot_info bi;

static void expect_memory(unsigned int i, phys_addr_t base, phys_addr_t size)
{
	struct memblock_region r;

	EXPECT_TRUE(memblock_memory_region(i, &r));
	EXPECT_EQ(r.base, base);
	EXPECT_EQ(r.size, size);
}

HOST_TEST(memblock_unsorted_overlapping_unaligned)
{
	bi_reset(&bi);
	boot_add_memory(&bi, 64 * MiB, 64 * MiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, MiB + 0x10, 16 * MiB, BOOT_MEM_RAM);	/* unaligned start */
	boot_add_memory(&bi, 8 * MiB, 16 * MiB, BOOT_MEM_RAM);		/* overlaps */
	boot_add_memory(&bi, 24 * MiB, 8 * MiB + 0x800, BOOT_MEM_RAM);	/* adjacent, ragged end */
	boot_add_memory(&bi, 40 * MiB, 0, BOOT_MEM_RAM);		/* empty */
	boot_add_memory(&bi, 48 * MiB + 0x100, 0x200, BOOT_MEM_RAM);	/* no whole page */
	host_set_cmdline("");
	host_log_clear();
	memblock_init(&bi);
	EXPECT_TRUE(host_log_contains("not sorted"));
	EXPECT_TRUE(host_log_contains("overlaps"));
	EXPECT_TRUE(host_log_contains("not page-aligned"));
	EXPECT_TRUE(host_log_contains("dropping empty RAM entry at 0x0000000002800000"));
	EXPECT_TRUE(host_log_contains("no whole page"));
	EXPECT_EQ(memblock_memory_count(), 2);
	expect_memory(0, MiB + PAGE_SIZE, 32 * MiB - MiB - PAGE_SIZE);
	expect_memory(1, 64 * MiB, 64 * MiB);
}

HOST_TEST(memblock_out_of_range)
{
	bi_reset(&bi);
	/* Near the top, so that no hole separates it from the clipped range. */
	boot_add_memory(&bi, ARCH_PHYS_ADDR_MAX - 64 * MiB, 15 * MiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, ARCH_PHYS_ADDR_MAX, GiB, BOOT_MEM_RAM);		/* beyond */
	boot_add_memory(&bi, ~0ULL - MiB, 4 * MiB, BOOT_MEM_RAM);		/* wraps */
	boot_add_memory(&bi, ARCH_PHYS_ADDR_MAX - MiB, 4 * MiB, BOOT_MEM_RAM);	/* clipped */
	boot_add_reserved(&bi, 0xfd00000000ULL, 0x300000000ULL, BOOT_RSV_FIRMWARE);
	boot_add_reserved(&bi, ~0ULL - 10, 100, BOOT_RSV_OTHER);
	host_set_cmdline("");
	host_log_clear();
	memblock_init(&bi);
	EXPECT_TRUE(host_log_contains("beyond the physical address limit"));
	EXPECT_TRUE(host_log_contains("wraps around"));
	EXPECT_TRUE(host_log_contains("clipping RAM"));
	EXPECT_EQ(memblock_memory_count(), 2);
	expect_memory(1, ARCH_PHYS_ADDR_MAX - MiB, MiB);
	EXPECT_EQ(memblock_reserved_count(), 1);
	EXPECT_TRUE(memblock_is_reserved(0xfd00000000ULL, PAGE_SIZE));
	EXPECT_EQ(memblock_reserved_in_memory(), 0);
}

/*
 * A range whose exclusive end is exactly 2^64 (base + size wraps to 0) is not "wrapping":
 * its last byte is 2^64 - 1. It must be clipped at the limit, not become an empty region at 0
 * (before: reserved [0x0+0x0], found by fuzz_memblock).
 */
HOST_TEST(memblock_range_ending_at_2_64)
{
	struct memblock_region r;

	bi_reset(&bi);
	boot_add_memory(&bi, MiB, 15 * MiB, BOOT_MEM_RAM);
	boot_add_reserved(&bi, 1, ~0ULL, BOOT_RSV_OTHER);		/* [1, 2^64) */
	boot_add_memory(&bi, 16 * MiB, ~0ULL - 16 * MiB + 1, BOOT_MEM_ACPI_NVS); /* [16M, 2^64) */
	host_set_cmdline("");
	host_log_clear();
	memblock_init(&bi);
	EXPECT_TRUE(host_log_contains("clipping reserved"));
	for (unsigned int i = 0; memblock_reserved_region(i, &r); i++)
		EXPECT_TRUE(r.size != 0);
	EXPECT_TRUE(memblock_reserved_region(0, &r));
	EXPECT_EQ(r.base, 0);
	EXPECT_EQ(r.base + r.size, ARCH_PHYS_ADDR_MAX);
	/* All RAM is reserved, so none of it may reach the buddy allocator. */
	EXPECT_EQ(memblock_reserved_in_memory(), 15 * MiB);
}

/* A reserved range far above RAM (QEMU's 0xfd00000000) is harmless; accounting exact. */
HOST_TEST(memblock_far_reserved_boot)
{
	bi_reset(&bi);
	boot_add_memory(&bi, 0, 0x9fc00, BOOT_MEM_RAM);
	boot_add_memory(&bi, 0x9fc00, 0x400, BOOT_MEM_RESERVED);
	boot_add_memory(&bi, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
	boot_add_memory(&bi, MiB, 127 * MiB - 0x20000, BOOT_MEM_RAM);
	boot_add_memory(&bi, 0xfd00000000ULL, 0x300000000ULL, BOOT_MEM_RESERVED);
	boot_add_reserved(&bi, 0, MiB, BOOT_RSV_LOWMEM);
	boot_add_reserved(&bi, MiB, 0x123456, BOOT_RSV_KERNEL);		/* unaligned end */
	boot_add_reserved(&bi, 0x9000, 0x100, BOOT_RSV_BOOTINFO);
	boot_add_reserved(&bi, 0xfd00000000ULL, 0x1000, BOOT_RSV_FIRMWARE);
	boot_mm(&bi, NULL);
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));
	EXPECT_TRUE(memblock_is_reserved(MiB + 0x123000, PAGE_SIZE));
	EXPECT_TRUE(host_log_contains("memory[0x0]\t[0x0000000000000000-0x000000000009efff]"));
	EXPECT_EQ(mm_check_invariants(), 0);
	EXPECT_EQ(warn_count(), 0);
}

/* A RAM entry that another entry calls reserved loses those pages. */
HOST_TEST(memblock_ram_claimed_by_other_type)
{
	bi_reset(&bi);
	boot_add_memory(&bi, MiB, 31 * MiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, 8 * MiB + 0x800, 0x1000, BOOT_MEM_ACPI_NVS);
	host_set_cmdline("");
	host_log_clear();
	memblock_init(&bi);
	EXPECT_TRUE(host_log_contains("RAM overlaps"));
	EXPECT_EQ(memblock_memory_count(), 2);
	expect_memory(0, MiB, 7 * MiB);
	expect_memory(1, 8 * MiB + 2 * PAGE_SIZE, 24 * MiB - 2 * PAGE_SIZE);
}

HOST_TEST(memblock_mem_limit)
{
	bi_reset(&bi);
	boot_add_memory(&bi, MiB, 63 * MiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, 128 * MiB, 128 * MiB, BOOT_MEM_RAM);
	boot_add_reserved(&bi, MiB, MiB, BOOT_RSV_KERNEL);
	boot_mm(&bi, "mem=96M");
	EXPECT_EQ(memblock_phys_mem_size(), 96 * MiB);
	expect_memory(1, 128 * MiB, 33 * MiB);
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));
	EXPECT_EQ(mm_check_invariants(), 0);
}

HOST_TEST(memblock_alloc_top_down_below_limit)
{
	phys_addr_t a, b;

	bi_reset(&bi);
	boot_add_memory(&bi, MiB, 255 * MiB, BOOT_MEM_RAM);
	boot_add_reserved(&bi, 30 * MiB, 2 * MiB, BOOT_RSV_FDT);
	host_set_cmdline("");
	host_mem_map(256 * MiB);
	memblock_init(&bi);
	memblock_set_current_limit(32 * MiB);
	a = memblock_phys_alloc(8192, PAGE_SIZE);
	EXPECT_EQ(a, 30 * MiB - 8192);	/* below the reserved FDT, below the limit */
	b = memblock_phys_alloc(SZ_2M, SZ_2M);
	EXPECT_EQ(b, 26 * MiB);	/* 28M would overlap a */
	EXPECT_TRUE(memblock_is_reserved(a, 8192));
	EXPECT_EQ(memblock_phys_alloc(64 * MiB, PAGE_SIZE), 0);
	memblock_set_current_limit(~0ULL);
	EXPECT_EQ(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 256 * MiB - PAGE_SIZE);
}

/*
 * Run fn in a child process that must die by panic(); its stderr is captured into out.
 * Return: true if it was killed by SIGABRT (the shim's panic() aborts).
 */
static bool dies_with_panic(void (*fn)(void), char *out, size_t size)
{
	int fds[2];
	int status;
	ssize_t n, got = 0;

	if (pipe(fds))
		abort();
	fflush(stderr);
	pid_t pid = fork();

	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while (got + 1 < (ssize_t)size && (n = read(fds[0], out + got, size - got - 1)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/*
 * before: the reserved array is full; memblock_phys_alloc() finds a free page at the top of
 *	   RAM, memblock_reserve() fails, and the page is returned anyway: the buddy allocator
 *	   will get it too.
 * after:  the allocation fails (0) or what it returns is reserved.
 */
HOST_TEST(memblock_alloc_with_reserved_array_full)
{
	unsigned int added = 0;

	bi_reset(&bi);
	boot_add_memory(&bi, MiB, 255 * MiB, BOOT_MEM_RAM);
	host_set_cmdline("");
	host_mem_map(256 * MiB);
	memblock_init(&bi);
	/* Single pages with a gap between them: none can merge with another. */
	for (phys_addr_t pa = 2 * MiB; pa < 128 * MiB; pa += 2 * PAGE_SIZE, added++)
		if (memblock_reserve(pa, PAGE_SIZE, BOOT_RSV_OTHER))
			break;
	EXPECT_LT(2 * MiB + added * 2 * PAGE_SIZE, 128 * MiB);	/* it did fill up */
	host_log_clear();
	phys_addr_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);

	EXPECT_TRUE(pa == 0 || memblock_is_reserved(pa, PAGE_SIZE));
}

static struct boot_info many_bi;

static void init_with_1000_reservations(void)
{
	bi_reset(&many_bi);
	boot_add_memory(&many_bi, MiB, 255 * MiB, BOOT_MEM_RAM);
	for (unsigned int i = 0; i < 1000; i++)
		boot_add_reserved(&many_bi, 2 * MiB + i * 2 * PAGE_SIZE, PAGE_SIZE, BOOT_RSV_FIRMWARE);
	host_set_cmdline("");
	memblock_init(&many_bi);
}

/*
 * before: 1000 firmware reservations; boot_info keeps what fits, memblock warns that ranges
 *	   were dropped and boots on, handing the dropped ones to the allocator.
 * after:  memblock_init() stops the boot, naming how many did not fit and the first of them.
 */
HOST_TEST(memblock_too_many_reservations_panics)
{
	char out[8192];

	EXPECT_TRUE(dies_with_panic(init_with_1000_reservations, out, sizeof(out)));
	EXPECT_TRUE(strstr(out, "reserved ranges did not fit") != NULL);
	if (!strstr(out, "reserved ranges did not fit"))
		fprintf(stderr, "child's stderr:\n%s\n", out);
}

/*
 * Overlapping reservations of different kinds merge into one region whose kind restricts
 * the most: no-map over firmware stays no-map, reusable over firmware is not reusable.
 * before: [8M, 12M) firmware  [10M, 11M) no-map   [20M, 24M) reusable  [22M, 26M) firmware
 * after:  [8M, 12M) no-map                        [20M, 26M) firmware
 */
HOST_TEST(memblock_overlapping_kinds_keep_the_stricter)
{
	struct memblock_region r;

	bi_reset(&bi);
	boot_add_memory(&bi, MiB, 63 * MiB, BOOT_MEM_RAM);
	boot_add_reserved(&bi, 8 * MiB, 4 * MiB, BOOT_RSV_FIRMWARE);
	boot_add_reserved(&bi, 10 * MiB, MiB, BOOT_RSV_NOMAP);
	boot_add_reserved(&bi, 20 * MiB, 4 * MiB, BOOT_RSV_REUSABLE);
	boot_add_reserved(&bi, 22 * MiB, 4 * MiB, BOOT_RSV_FIRMWARE);
	host_set_cmdline("");
	memblock_init(&bi);
	ASSERT_EQ(memblock_reserved_count(), 2);
	EXPECT_TRUE(memblock_reserved_region(0, &r));
	EXPECT_EQ(r.base, 8 * MiB);
	EXPECT_EQ(r.size, 4 * MiB);
	EXPECT_EQ(r.kind, BOOT_RSV_NOMAP);
	EXPECT_TRUE(memblock_reserved_region(1, &r));
	EXPECT_EQ(r.base, 20 * MiB);
	EXPECT_EQ(r.size, 6 * MiB);
	EXPECT_EQ(r.kind, BOOT_RSV_FIRMWARE);
}

/*
 * A mem= below one page is ignored, and the warning names what was typed.
 * before: "memblock: ignoring mem=0" for mem=1K (the value after rounding to pages).
 * after:  "memblock: ignoring mem=1K: less than one page"; memory is left whole.
 */
HOST_TEST(memblock_mem_limit_below_a_page_names_the_value)
{
	bi_reset(&bi);
	boot_add_memory(&bi, MiB, 63 * MiB, BOOT_MEM_RAM);
	host_set_cmdline("mem=1K");
	host_log_clear();
	memblock_init(&bi);
	EXPECT_TRUE(host_log_contains("ignoring mem=1K"));
	EXPECT_TRUE(!host_log_contains("mem=0"));
	EXPECT_EQ(memblock_phys_mem_size(), 63 * MiB);
	host_set_cmdline("mem=0x0");
	host_log_clear();
	memblock_init(&bi);
	EXPECT_TRUE(host_log_contains("ignoring mem=0x0"));
	EXPECT_EQ(memblock_phys_mem_size(), 63 * MiB);
}
