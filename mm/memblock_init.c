// SPDX-License-Identifier: MIT
/*
 * memblock_init(): the firmware's memory map, from struct boot_info, into memblock's two
 * arrays (mm/memblock.c), sanitised.
 *
 * Firmware memory maps are messy: entries come unsorted, overlap, start or end inside a page,
 * have size 0, wrap around the address space or lie beyond what the CPU can address, and RAM
 * entries overlap entries of other types. memblock_init() makes two clean arrays of that, in
 * passes over the whole map:
 *
 *	1. RAM entries (BOOT_MEM_RAM) into `memory`, each checked and aligned inward; sorted
 *	   and merged, with a warning if the map was unsorted or entries overlap;
 *	2. ranges that entries of other types claim (reserved, ACPI, bad...) cut out of it;
 *	3. boot reservations into `reserved`, aligned outward; one lost by the parser stops the
 *	   boot, since its owner still uses those bytes;
 *	4. RAM far above the rest, beyond a hole whose memmap section table would cost more than
 *	   the RAM's own struct pages, dropped (memblock_trim_far_ram());
 *	5. `mem=` applied;
 *	6. regions the device tree left to the OS to place, placed last, so that they avoid
 *	   every fixed reservation and land in memory that is kept.
 *
 * Every fix of bad input prints a warning naming the range. ACPI reclaimable memory stays
 * out of `memory` for now: nothing has read the tables yet, and nothing would give them back.
 * Linux: arch/x86/kernel/e820.c, drivers/of/of_reserved_mem.c.
 *
 * Locking: boot CPU only, before SMP (m).
 */
#include "mm/memblock.h"
#include "mm/memblock_internal.h"
#include "mm/page.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include <asm/memory.h>

/* A range of another type that claims bytes we took as RAM: the firmware contradicts itself. */
static void memblock_cut_claimed(const struct boot_range *r)
{
	phys_addr_t end, start;

	if (r->size == 0 || r->base + r->size - 1 < r->base || r->base >= ARCH_PHYS_ADDR_MAX)
		return;
	/* Outward: a page that is partly something else is not RAM we can use. */
	start = ALIGN_DOWN(r->base, PAGE_SIZE);
	/* The inclusive last byte: base + size may wrap to 0 for a range ending at 2^64. */
	end = ALIGN_UP(min_t(phys_addr_t, r->base + r->size - 1, ARCH_PHYS_ADDR_MAX - 1) + 1,
		       PAGE_SIZE);
	for (unsigned int i = 0; i < memblock_memory.cnt; i++) {
		const struct memblock_region *m = &memblock_memory.regions[i];

		if (m->base < end && start < range_end(m->base, m->size)) {
			pr_warn("memblock: RAM overlaps %s [0x%016llx-0x%016llx]: removed from memory\n",
				boot_mem_type_name(r->type), (unsigned long long)r->base,
				(unsigned long long)(r->base + r->size - 1));
			memblock_cut(&memblock_memory, start, end);
			return;
		}
	}
}

/* Bytes of struct page for the sections [first, last] (mm/memmap.c gives each a memmap). */
static phys_addr_t memmap_cost(unsigned long first, unsigned long last)
{
	return (phys_addr_t)(last - first + 1) * PAGES_PER_SECTION * sizeof(struct page);
}

/*
 * The memmap's section table runs from the first section holding RAM to the last, one
 * pointer per 128 MiB section, hole or not (mm/memmap.c). A hole of 2^55 bytes below a few
 * megabytes of RAM (riscv64 allows 56-bit addresses) would cost 2 GiB of pointers. So RAM
 * above a hole is dropped, with a warning, when the hole's table entries would cost more
 * than the struct pages of all the RAM above it: the memmap's cost at most doubles, and
 * real layouts (a PCI hole, RAM at 0 and at 512 GiB) keep every byte.
 */
static void memblock_trim_far_ram(void)
{
	struct memblock_type *t = &memblock_memory;
	unsigned long prev_last;
	phys_addr_t above = 0;

	if (t->cnt < 2)
		return;
	for (unsigned int i = 1; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		above += memmap_cost(r->base >> SECTION_SHIFT,
				     (range_end(r->base, r->size) - 1) >> SECTION_SHIFT);
	}
	prev_last = (range_end(t->regions[0].base, t->regions[0].size) - 1) >> SECTION_SHIFT;
	for (unsigned int i = 1; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		unsigned long first = r->base >> SECTION_SHIFT;
		unsigned long last = (range_end(r->base, r->size) - 1) >> SECTION_SHIFT;
		phys_addr_t table = first > prev_last + 1 ?
			(phys_addr_t)(first - prev_last - 1) * sizeof(struct page *) : 0;

		if (table > above) {
			for (unsigned int j = i; j < t->cnt; j++)
				pr_warn("memblock: dropping RAM [0x%016llx-0x%016llx]: the %lluG hole below it would cost %lluK of section table, more than the %lluK memmap of the RAM above the hole\n",
					(unsigned long long)t->regions[j].base,
					(unsigned long long)(range_end(t->regions[j].base,
								       t->regions[j].size) - 1),
					(unsigned long long)(((phys_addr_t)(first - prev_last - 1) <<
							      SECTION_SHIFT) >> 30),
					(unsigned long long)(table >> 10),
					(unsigned long long)(above >> 10));
			t->cnt = i;
			return;
		}
		above -= memmap_cost(first, last);
		prev_last = max(prev_last, last);
	}
}

/* mem=SIZE: keep only the first SIZE bytes of memory (lowest addresses first). */
static void memblock_apply_mem_limit(void)
{
	unsigned long long limit;
	phys_addr_t left;
	char typed[32];

	if (!cmdline_get_size("mem", &limit))
		return;
	limit = ALIGN_DOWN(limit, PAGE_SIZE);
	if (limit == 0) {
		/* Name the value as typed: "mem=0" for mem=1K would hide what went wrong. */
		cmdline_get("mem", typed, sizeof(typed));
		pr_warn("memblock: ignoring mem=%s: less than one page (%lu bytes)\n", typed,
			PAGE_SIZE);
		return;
	}
	left = limit;
	for (unsigned int i = 0; i < memblock_memory.cnt; i++) {
		struct memblock_region *r = &memblock_memory.regions[i];

		if (r->size <= left) {
			left -= r->size;
			continue;
		}
		r->size = left;
		left = 0;
		if (r->size == 0) {
			memblock_memory.cnt = i;
			break;
		}
	}
	pr_info("memblock: mem=%lluK: memory limited to %lluK\n", limit >> 10,
		(unsigned long long)(memblock_phys_mem_size() >> 10));
}

/*
 * Place a region the device tree left to the OS (a /reserved-memory child with only size):
 * top-down in the first of its alloc-ranges with room, or anywhere in memory without them,
 * aligned as asked, and reserved with its kind. Its bytes are not touched: a no-map region
 * may belong to a device that must not see the CPU's writes. Linux:
 * drivers/of/of_reserved_mem.c __reserved_mem_alloc_size().
 */
static void memblock_place_dynamic(const struct boot_rsv_dynamic *d)
{
	phys_addr_t size = ALIGN_UP(d->size, PAGE_SIZE);
	phys_addr_t align = max_t(phys_addr_t, d->align, PAGE_SIZE);
	phys_addr_t pa = 0;

	if (d->align & (d->align - 1)) {
		pr_warn("memblock: reserved-memory/%s: alignment 0x%llx is not a power of two: not placed\n",
			d->name, (unsigned long long)d->align);
		return;
	}
	if (size < d->size) {		/* rounding up wrapped */
		pr_warn("memblock: reserved-memory/%s: size 0x%llx: not placed\n", d->name,
			(unsigned long long)d->size);
		return;
	}
	if (!d->nr_ranges)
		pa = memblock_find_in_range(size, align, 0, ~(phys_addr_t)0);
	for (unsigned int i = 0; i < d->nr_ranges && !pa; i++) {
		phys_addr_t lo = d->ranges[i].base, hi = lo + d->ranges[i].size;

		if (hi < lo)
			hi = ~(phys_addr_t)0;
		pa = memblock_find_in_range(size, align, lo, hi);
	}
	if (!pa) {
		pr_warn("memblock: reserved-memory/%s: no room for 0x%llx bytes aligned to 0x%llx in %s: not placed\n",
			d->name, (unsigned long long)size, (unsigned long long)align,
			d->nr_ranges ? "its alloc-ranges" : "memory");
		return;
	}
	if (memblock_reserve(pa, size, d->kind)) {
		pr_warn("memblock: reserved-memory/%s: no room in the reserved array: not placed\n",
			d->name);
		return;
	}
	pr_info("memblock: reserved-memory/%s: placed at [0x%016llx-0x%016llx] %s\n", d->name,
		(unsigned long long)pa, (unsigned long long)(pa + size - 1),
		memblock_rsv_kind_name(d->kind));
}

/**
 * memblock_init - fill memory and reserved from the boot information, sanitising
 * @bi: what the boot protocol parser found
 *
 * Prints a warning for each entry fixed or dropped, then the sanitised map.
 * Context: boot CPU, before SMP; may be called again (host tests and fuzzers do).
 */
void memblock_init(const struct boot_info *bi)
{
	phys_addr_t prev = 0;
	bool unsorted = false;

	memblock_memory.cnt = 0;
	memblock_reserved.cnt = 0;
	memblock_set_current_limit(BOOT_DIRECT_MAP_SIZE);

	for (unsigned int i = 0; i < bi->nr_memory && i < BOOT_MAX_RANGES; i++) {
		const struct boot_range *r = &bi->memory[i];

		if (r->base < prev)
			unsorted = true;
		prev = r->base;
		if (r->type == BOOT_MEM_RAM)
			memblock_add_ram(r);
	}
	if (unsorted)
		pr_warn("memblock: the firmware memory map is not sorted: sorting it\n");
	memblock_normalise(&memblock_memory, true);

	for (unsigned int i = 0; i < bi->nr_memory && i < BOOT_MAX_RANGES; i++)
		if (bi->memory[i].type != BOOT_MEM_RAM)
			memblock_cut_claimed(&bi->memory[i]);

	/*
	 * A reservation lost on the way is memory whose owner (firmware, the kernel image, an
	 * initrd) still uses it: the allocator would hand it out. Stop rather than boot on.
	 */
	if (bi->nr_reserved_dropped)
		panic("memblock: %u reserved ranges did not fit in boot_info (it holds %u), the first [0x%016llx+0x%llx] %s: booting on would hand them to the page allocator",
		      bi->nr_reserved_dropped, BOOT_MAX_RESERVED,
		      (unsigned long long)bi->reserved_dropped.base,
		      (unsigned long long)bi->reserved_dropped.size,
		      boot_rsv_kind_name(bi->reserved_dropped.type));
	for (unsigned int i = 0; i < bi->nr_reserved && i < BOOT_MAX_RESERVED; i++) {
		const struct boot_range *r = &bi->reserved[i];

		if (memblock_add_reserved(r) < 0)
			panic("memblock: reserved array full (%u regions) at boot reservation %u of %u, [0x%016llx+0x%llx] %s",
			      memblock_reserved.max, i, bi->nr_reserved,
			      (unsigned long long)r->base, (unsigned long long)r->size,
			      boot_rsv_kind_name(r->type));
	}
	memblock_normalise(&memblock_reserved, false);
	memblock_trim_far_ram();

	if (bi->nr_dropped)
		pr_warn("memblock: %u boot ranges were dropped by the parser (arrays full)\n",
			bi->nr_dropped);
	memblock_apply_mem_limit();
	/* Last: they must avoid every fixed reservation and land in memory we keep. */
	for (unsigned int i = 0; i < bi->nr_rsv_dynamic && i < BOOT_MAX_RSV_DYNAMIC; i++)
		memblock_place_dynamic(&bi->rsv_dynamic[i]);
	memblock_dump();
}
