// SPDX-License-Identifier: MIT
/*
 * Bringing the page allocator up: memmap, zones, pageblocks, then every page that is memblock
 * memory and not reserved freed into the buddy allocator exactly once, then watermarks, and a
 * check that nothing was lost: free pages == memory - reserved, to the page.
 * Linux: mm/mm_init.c free_area_init(), mm/memblock.c memblock_free_all().
 *
 * Locking: boot CPU, before SMP (m). The zone locks are taken for the frees only because the
 * functions that do them assert it.
 */
#include "mm/mm_init.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/bug.h"
#include "kernel/printk.h"
#include "kernel/trace.h"

struct pglist_data node_data[MAX_NUMNODES];

static const char *const zone_names[MAX_NR_ZONES] = {
#if ARCH_HAS_ZONE_DMA
	[ZONE_DMA] = "DMA",
#endif
	[ZONE_DMA32] = "DMA32",
	[ZONE_NORMAL] = "Normal",
};

/* The physical range [lo, hi) a zone type may span on this arch. */
static void zone_limits(enum zone_type t, phys_addr_t *lo, phys_addr_t *hi)
{
	*lo = 0;
	*hi = ~(phys_addr_t)0;
#if ARCH_HAS_ZONE_DMA
	if (t == ZONE_DMA) {
		*hi = ARCH_ZONE_DMA_LIMIT;
		return;
	}
	*lo = ARCH_ZONE_DMA_LIMIT;
#endif
	if (t == ZONE_DMA32)
		*hi = ARCH_ZONE_DMA32_LIMIT;
	else
		*lo = ARCH_ZONE_DMA32_LIMIT;
}

/* Span and present pages of every zone, from memblock memory. */
static void zones_size_init(struct pglist_data *pgdat)
{
	struct memblock_region r;

	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *zone = &pgdat->node_zones[t];
		unsigned long start = ~0UL, end = 0;
		phys_addr_t lo, hi;

		zone->name = zone_names[t];
		zone->node = pgdat->node_id;
		zone->present_pages = 0;
		zone_limits(t, &lo, &hi);
		for (unsigned int i = 0; memblock_memory_region(i, &r); i++) {
			phys_addr_t b = max_t(phys_addr_t, r.base, lo);
			phys_addr_t e = min_t(phys_addr_t, r.base + r.size, hi);

			if (b >= e)
				continue;
			start = min(start, PHYS_PFN(b));
			end = max(end, PHYS_PFN(e));
			zone->present_pages += PHYS_PFN(e) - PHYS_PFN(b);
		}
		zone->zone_start_pfn = zone->present_pages ? start : PHYS_PFN(lo);
		zone->spanned_pages = zone->present_pages ? end - start : 0;
	}
}

static void zone_init_free_lists(struct zone *zone)
{
	zone_lock_init(zone);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list[mt]);
		zone->free_area[o].nr_free = 0;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		zone->vm_stat[i] = 0;
	zone->managed_pages = 0;
	zone->nr_reserved_highatomic = 0;
	zone->per_cpu_pageset = NULL;	/* pcp_zone_init() for populated zones */
	zone->pageblock_owner = NULL;
	zone->pageblock_owner_cpu = NULL;
	init_llist_head(&zone->deferred_free);
	zone->lock_acquired = 0;
	zone->lock_contended = 0;
}

static void pgdat_init(struct pglist_data *pgdat, int nid)
{
	int n = 0;

	pgdat->node_id = nid;
	zones_size_init(pgdat);
	pgdat->nr_zones = 0;
	pgdat->node_present_pages = 0;
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *zone = &pgdat->node_zones[t];

		zone_init_free_lists(zone);
		if (!populated_zone(zone))
			continue;
		pageblock_zone_init(zone);
		pcp_zone_init(zone);
		pgdat->nr_zones = t + 1;
		pgdat->node_present_pages += zone->present_pages;
	}
	pgdat->node_start_pfn = PHYS_PFN(memblock_start_of_DRAM());
	pgdat->node_spanned_pages = PHYS_PFN(memblock_end_of_DRAM()) - pgdat->node_start_pfn;

	/* Fallback order: the highest zone first, so low zones are used last. */
	for (int t = MAX_NR_ZONES - 1; t >= 0; t--)
		if (populated_zone(&pgdat->node_zones[t]))
			pgdat->node_zonelists[0].zones[n++] = &pgdat->node_zones[t];
	pgdat->node_zonelists[0].zones[n] = NULL;
}

/* A block fresh from memblock joins the buddy allocator: not reserved, refcount 0, managed. */
static void __free_pages_core(struct page *page, unsigned long pfn, unsigned int order)
{
	struct zone *zone = page_zone(page);
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i++) {
		page_clear_flag(page + i, PG_reserved);
		set_page_count(page + i, 0);
	}
	zone->managed_pages += nr;
	guard(zone_lock_irqsave)(zone);
	__free_pages_to_buddy(zone, page, pfn, order);
}

/*
 * Free [start, end) in the largest naturally aligned blocks that fit, up to MAX_PAGE_ORDER:
 * an aligned block never straddles a zone limit (all multiples of 2^MAX_PAGE_ORDER pages) nor
 * a memmap section, and freeing big blocks costs no merging work.
 */
static unsigned long free_pfn_range(unsigned long start, unsigned long end)
{
	unsigned long pfn = start;

	while (pfn < end) {
		unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : MAX_PAGE_ORDER;

		if (order > MAX_PAGE_ORDER)
			order = MAX_PAGE_ORDER;
		while (pfn + (1UL << order) > end)
			order--;
		__free_pages_core(pfn_to_page(pfn), pfn, order);
		pfn += 1UL << order;
	}
	return end - start;
}

/* Set at the end of mm_core_init() (m), read-only afterwards (c). */
static bool mm_core_done;

bool mm_core_initialized(void)
{
	return READ_ONCE(mm_core_done);
}

/* Every page of memory not covered by a reserved region, exactly once. */
static unsigned long memblock_free_all(void)
{
	struct memblock_region m, r;
	unsigned long freed = 0;

	for (unsigned int i = 0; memblock_memory_region(i, &m); i++) {
		phys_addr_t cur = m.base, end = m.base + m.size;

		/* Reserved regions are sorted and disjoint: free the gaps between them. */
		for (unsigned int j = 0; memblock_reserved_region(j, &r) && cur < end; j++) {
			phys_addr_t r_end = r.base + r.size;

			if (r_end <= cur)
				continue;
			if (r.base >= end)
				break;
			if (r.base > cur)
				freed += free_pfn_range(PHYS_PFN(cur), PHYS_PFN(r.base));
			cur = r_end;
		}
		if (cur < end)
			freed += free_pfn_range(PHYS_PFN(cur), PHYS_PFN(end));
	}
	return freed;
}

static void print_zone_ranges(const struct pglist_data *pgdat)
{
	pr_info("Zone ranges:\n");
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *zone = &pgdat->node_zones[t];

		if (!populated_zone(zone)) {
			pr_info("  %-8s empty\n", zone->name);
			continue;
		}
		pr_info("  %-8s [mem 0x%016llx-0x%016llx]\n", zone->name,
			(unsigned long long)PFN_PHYS(zone->zone_start_pfn),
			(unsigned long long)PFN_PHYS(zone_end_pfn(zone)) - 1);
	}
}

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

/* The trace rings' pages (kernel/trace.c sits below the allocator and cannot call it). */
static void *trace_ring_pages(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);

	return page ? page_address(page) : NULL;
}

void mm_core_init(void)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	unsigned long mem_pages, rsv_pages, freed;

	page_alloc_init_fast_path(false);	/* no fast path while the zones are rebuilt */
	page_poisoning_init();
	memmap_init();
	pgdat_init(pgdat, 0);
	print_zone_ranges(pgdat);

	/* From here on memblock's arrays are final: reserved includes memmap and pageblocks. */
	mem_pages = PHYS_PFN(memblock_phys_mem_size());
	rsv_pages = PHYS_PFN(memblock_reserved_in_memory());
	freed = memblock_free_all();

	setup_per_zone_wmarks();
	setup_per_zone_lowmem_reserve();
	pcp_init();	/* per-CPU pages: high/batch from managed pages, `pcp=` mode */
	page_alloc_init_fast_path(true);
	trace_set_page_source(trace_ring_pages);	/* tracing may allocate its rings now */

	pr_info("Memory: %luK/%luK available (%luK reserved, %luK memmap)\n", K(freed),
		K(mem_pages), K(rsv_pages), memmap_bytes() >> 10);
	for (int t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *zone = &pgdat->node_zones[t];

		if (!populated_zone(zone))
			continue;
		pr_info("  zone %-6s: start_pfn 0x%lx spanned %lu present %lu managed %lu free %lu, min %lu low %lu high %lu\n",
			zone->name, zone->zone_start_pfn, zone->spanned_pages,
			zone->present_pages, zone->managed_pages,
			zone_page_state(zone, NR_FREE_PAGES), min_wmark_pages(zone),
			low_wmark_pages(zone), high_wmark_pages(zone));
	}
	pr_info("mm: free pages %lu, memory %lu - reserved %lu = %lu pages%s\n", nr_free_pages(),
		mem_pages, rsv_pages, mem_pages - rsv_pages,
		nr_free_pages() == mem_pages - rsv_pages ? ": match" : ": MISMATCH");
	WARN(nr_free_pages() != mem_pages - rsv_pages,
	     "mm: %lu free pages, expected %lu (memory %lu - reserved %lu)\n", nr_free_pages(),
	     mem_pages - rsv_pages, mem_pages, rsv_pages);
	WARN(mm_check_invariants() != 0, "mm: the buddy allocator is inconsistent at boot\n");
	WRITE_ONCE(mm_core_done, true);
}
