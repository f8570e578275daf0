// SPDX-License-Identifier: MIT
/*
 * The memmap on RAM far from address 0: its section table must cover RAM, not the holes
 * below and between it (DESIGN.md 4).
 *
 * The host's physical address limit is x86_64's 2^46, so "high" here is 2^45 (32 TiB); the
 * same layouts on riscv64 (2^56) cost 1024 times more with a flat table from address 0:
 * RAM at 2^55 would have needed a 2 GiB table. RAM that far up cannot come from the
 * usual one-region mapping of the host direct map, so these tests map "physical" memory
 * themselves: phys 0 at HOST_PHYS0, and each RAM range at HOST_PHYS0 + its base.
 */
#include <string.h>
#include <sys/mman.h>

#include "tests/host/harness.h"
#include "tests/host/mm_helpers.h"

/* Not under ThreadSanitizer: its shadow memory sits where these tests map their RAM. */
#if !HOST_TSAN

/* Inside x86_64's user half and above ASan's shadow, with room for 2^45 + a bit above it. */
#define HOST_PHYS0	0x200000000000UL
#define HIGH_RAM	(1ULL << 45)

static struct boot_info bi;

/* Back [base, base + size) of "physical" memory, with phys 0 at HOST_PHYS0. */
static void map_phys(phys_addr_t base, phys_addr_t size)
{
	void *want = (void *)(HOST_PHYS0 + (unsigned long)base);
	void *p = mmap(want, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	ASSERT_TRUE(p == want);
	host_phys_base = HOST_PHYS0;
}

static void boot_mapped(void)
{
	host_set_cmdline("pcp=off");
	host_log_clear();
	memblock_init(&bi);
	mm_core_init();
}

/* Bytes memblock handed out beyond the struct pages themselves: the other metadata. */
static phys_addr_t metadata_beyond_memmap(void)
{
	return memblock_reserved_in_memory() - memmap_bytes();
}

/*
 * before: 64 MiB of RAM at 2^45 and nothing below: the section table ran from address 0,
 *	   2^18 entries, 2 MiB for one section of RAM (2 GiB for RAM at 2^55 on riscv64).
 * after:  the table covers the sections that hold RAM; the metadata besides the memmap
 *	   stays small and the allocator works on that RAM.
 */
HOST_TEST(memmap_small_ram_high_up)
{
	bi_reset(&bi);
	boot_add_memory(&bi, HIGH_RAM, 64 * MiB, BOOT_MEM_RAM);
	map_phys(HIGH_RAM, 64 * MiB);
	boot_mapped();
	EXPECT_EQ(memmap_bytes(), MiB);		/* one 128 MiB section: 32768 struct pages */
	EXPECT_LE(metadata_beyond_memmap(), 256 * 1024);
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));

	struct page *page = alloc_pages(GFP_KERNEL, 3);

	ASSERT_TRUE(page != NULL);
	EXPECT_GE(page_to_phys(page), HIGH_RAM);
	EXPECT_TRUE(pfn_valid(page_to_pfn(page)));
	EXPECT_TRUE(pfn_to_page(page_to_pfn(page)) == page);
	EXPECT_TRUE(!pfn_valid(0));
	EXPECT_TRUE(!pfn_valid(PHYS_PFN(HIGH_RAM) - 1));
	__free_pages(page, 3);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/*
 * before: 64 MiB low and 64 MiB at 2^45: one table over the 32 TiB between them, 2 MiB of
 *	   pointers to 2 MiB of struct pages (2 GiB of pointers on riscv64 with RAM at 2^55).
 * after:  the far range, whose hole would cost more table than its own memmap, is
 *	   dropped with a warning that says so; the rest boots with small metadata.
 */
HOST_TEST(memmap_ram_beyond_a_huge_hole)
{
	bi_reset(&bi);
	boot_add_memory(&bi, 16 * MiB, 64 * MiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, HIGH_RAM, 64 * MiB, BOOT_MEM_RAM);
	map_phys(0, 128 * MiB);
	map_phys(HIGH_RAM, 64 * MiB);
	boot_mapped();
	EXPECT_LE(metadata_beyond_memmap(), 256 * 1024);
	EXPECT_TRUE(host_log_contains("memblock: dropping RAM [0x0000200000000000-0x0000200003ffffff]"));
	EXPECT_EQ(memblock_end_of_DRAM(), 80 * MiB);
	EXPECT_EQ(mm_check_invariants(), 0);
}

/* A hole that costs little table (1 TiB: 64 KiB of pointers) keeps the RAM above it. */
HOST_TEST(memmap_ram_beyond_a_modest_hole)
{
	bi_reset(&bi);
	boot_add_memory(&bi, 16 * MiB, 64 * MiB, BOOT_MEM_RAM);
	boot_add_memory(&bi, 1ULL << 40, 64 * MiB, BOOT_MEM_RAM);
	map_phys(0, 128 * MiB);
	map_phys(1ULL << 40, 64 * MiB);
	boot_mapped();
	EXPECT_EQ(memblock_end_of_DRAM(), (1ULL << 40) + 64 * MiB);
	EXPECT_EQ(memmap_bytes(), 2 * MiB);
	EXPECT_EQ(nr_free_pages(), PHYS_PFN(memblock_phys_mem_size()) -
				   PHYS_PFN(memblock_reserved_in_memory()));
	EXPECT_EQ(mm_check_invariants(), 0);
}

#endif /* !HOST_TSAN */
