// SPDX-License-Identifier: MIT
/*
 * The memmap: struct page for every page of RAM, in 128 MiB sections (see mm/page.h).
 *
 * Only sections that hold memblock memory get a memmap, so a hole costs one NULL pointer per
 * 128 MiB: the 1 GiB PCI hole below 4 GiB on x86_64 costs 64 bytes, not 8 MiB of struct page.
 * A section partly RAM gets a whole memmap (1 MiB); its hole pages stay PG_reserved forever.
 * The section table itself starts at the first section holding RAM, not at address 0: RAM
 * high in riscv64's 56-bit space (a board, or a generated device tree, with RAM at 2^55)
 * would otherwise need 2^28 pointers, 2 GiB, for what lies below it. The holes between RAM
 * ranges are bounded by memblock, which drops RAM whose hole would cost more table than the
 * RAM's own memmap (memblock_trim_far_ram()).
 * Linux: mm/sparse.c (classic sparsemem, without vmemmap).
 *
 * Locking: built by the boot CPU before SMP (m); mem_section[] is constant afterwards (c).
 */
#include "mm/page.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "kernel/bug.h"
#include "kernel/printk.h"

struct page **mem_section;
unsigned long mem_section_first;
unsigned long nr_mem_sections;
static unsigned long memmap_sections_present;	/* (c) */

unsigned long memmap_bytes(void)
{
	return memmap_sections_present * PAGES_PER_SECTION * sizeof(struct page);
}

/*
 * Every page starts out reserved and "in use" (refcount 1): mm_core_init() then frees the
 * pages that are memory and not reserved, which turns them into buddy pages exactly once.
 */
static void memmap_init_section(unsigned long sec)
{
	struct page *map = memblock_alloc_or_panic(PAGES_PER_SECTION * sizeof(struct page),
						   PAGE_SIZE);
	unsigned long start_pfn = sec << PFN_SECTION_SHIFT;

	for (unsigned long i = 0; i < PAGES_PER_SECTION; i++) {
		struct page *page = &map[i];

		page->flags = BIT(PG_reserved) |
			      (sec & PAGE_SECTION_MASK) << PAGE_SECTION_SHIFT |
			      (unsigned long)zone_type_of_pfn(start_pfn + i) << PAGE_ZONE_SHIFT |
			      0UL << PAGE_NODE_SHIFT;	/* node 0 until NUMA */
		INIT_LIST_HEAD(&page->lru);
		page->private = 0;
		page->_refcount = 1;
	}
	mem_section[sec - mem_section_first] = map;
	memmap_sections_present++;
}

/**
 * memmap_init - allocate and initialise struct page for every section holding RAM
 *
 * Context: boot CPU, before SMP, after memblock_init() and arch_mm_init() (the memmap is
 * written through the direct map).
 */
void memmap_init(void)
{
	phys_addr_t start = memblock_start_of_DRAM(), end = memblock_end_of_DRAM();
	struct memblock_region r;

	if (!end)
		panic("memmap: memblock has no memory: no RAM to describe");
	mem_section_first = start >> SECTION_SHIFT;
	nr_mem_sections = ((end - 1) >> SECTION_SHIFT) - mem_section_first + 1;
	memmap_sections_present = 0;
	mem_section = memblock_alloc_or_panic(nr_mem_sections * sizeof(*mem_section), PAGE_SIZE);

	for (unsigned int i = 0; memblock_memory_region(i, &r); i++) {
		unsigned long first = r.base >> SECTION_SHIFT;
		unsigned long last = (r.base + r.size - 1) >> SECTION_SHIFT;

		for (unsigned long sec = first; sec <= last; sec++)
			if (!mem_section[sec - mem_section_first])
				memmap_init_section(sec);
	}
	pr_info("memmap: %lu of %lu sections of %lu MiB from section %lu hold RAM: %luK of struct page (%u bytes each), %lu bytes of section table\n",
		memmap_sections_present, nr_mem_sections, SECTION_SIZE >> 20, mem_section_first,
		memmap_bytes() >> 10, (unsigned int)sizeof(struct page),
		nr_mem_sections * (unsigned long)sizeof(*mem_section));
}
