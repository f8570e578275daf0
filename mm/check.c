// SPDX-License-Identifier: MIT
/*
 * The invariant checker: walks every free list of every zone and checks the buddy
 * allocator's bookkeeping against itself (the invariants are listed in mm/buddy.c).
 * Tests call it after every step; the shell can call it at any time. The PCP issue extends
 * it to pages on per-CPU lists and remote-free llists ("no stranded pages").
 *
 * Locking: each zone is checked under its zone lock, one zone at a time.
 */
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "kernel/printk.h"

#define MAX_REPORTS	20

struct check_state {
	const struct zone *zone;
	int problems;
};

static __printf(2, 3) void problem(struct check_state *cs, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	if (cs->problems++ >= MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_err("mm_check: zone %s: %s\n", cs->zone->name, buf);
}

/* Is the free block (pfn, order) inside a bigger free block? Then two blocks overlap. */
static bool inside_other_block(unsigned long pfn, unsigned int order)
{
	for (unsigned int o = order + 1; o <= MAX_PAGE_ORDER; o++) {
		struct page *head = pfn_to_page(pfn & ~((1UL << o) - 1));

		if (PageBuddy(head) && buddy_order(head) >= o)
			return true;
	}
	return false;
}

static void check_block(struct check_state *cs, struct zone *zone, struct page *page,
			unsigned int order, int mt)
{
	unsigned long pfn;

	if (!page_in_memmap(page)) {
		problem(cs, "order %u %s list holds %p, not a struct page", order,
			migratetype_names[mt], (void *)page);
		return;
	}
	pfn = page_to_pfn(page);
	if (!PageBuddy(page))
		problem(cs, "pfn 0x%lx on the order-%u %s list is not PG_buddy", pfn, order,
			migratetype_names[mt]);
	if (buddy_order(page) != order)
		problem(cs, "pfn 0x%lx on the order-%u list has order %lu", pfn, order,
			buddy_order(page));
	if (page_zone(page) != zone || !zone_spans_pfn(zone, pfn) ||
	    !zone_spans_pfn(zone, pfn + (1UL << order) - 1))
		problem(cs, "pfn 0x%lx order %u is not inside the zone", pfn, order);
	if (!IS_ALIGNED(pfn, 1UL << order))
		problem(cs, "pfn 0x%lx is not aligned to its order %u", pfn, order);
	if (page_count(page) != 0 || PageReserved(page) || PageBad(page) || PageHWPoison(page))
		problem(cs, "free pfn 0x%lx has refcount %d flags 0x%lx", pfn, page_count(page),
			page->flags & PAGE_FLAGS_MASK);
	for (unsigned long i = 0; i < (1UL << order); i += pageblock_nr_pages) {
		int bmt = get_pageblock_migratetype(page + i);

		if (bmt != mt) {
			problem(cs, "pfn 0x%lx order %u on the %s list, its pageblock is %s",
				pfn + i, order, migratetype_names[mt], migratetype_names[bmt]);
			break;
		}
	}
	if (inside_other_block(pfn, order))
		problem(cs, "free block pfn 0x%lx order %u overlaps a bigger free block", pfn,
			order);
}

static void check_zone(struct check_state *cs, struct zone *zone)
{
	unsigned long free = 0, isolated = 0, blocks = 0, heads = 0, highatomic = 0;

	guard(zone_lock_irqsave)(zone);
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct free_area *area = &zone->free_area[order];
		unsigned long nr = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *head = &area->free_list[mt], *pos;
			unsigned long limit = zone->spanned_pages + 1;

			for (pos = head->next; pos != head; pos = pos->next) {
				if (pos->next->prev != pos) {
					problem(cs, "order %u %s list is corrupted", order,
						migratetype_names[mt]);
					break;
				}
				if (nr > limit) {
					problem(cs, "order %u %s list does not end", order,
						migratetype_names[mt]);
					break;
				}
				check_block(cs, zone, list_entry(pos, struct page, lru), order, mt);
				nr++;
				if (is_migrate_isolate(mt))
					isolated += 1UL << order;
				else
					free += 1UL << order;
			}
		}
		if (nr != area->nr_free)
			problem(cs, "order %u: nr_free %lu but %lu blocks on the lists", order,
				area->nr_free, nr);
		blocks += nr;
	}
	if (free != zone->vm_stat[NR_FREE_PAGES])
		problem(cs, "NR_FREE_PAGES %lu but %lu pages on the free lists",
			zone->vm_stat[NR_FREE_PAGES], free);
	if (isolated != zone->vm_stat[NR_FREE_ISOLATED])
		problem(cs, "NR_FREE_ISOLATED %lu but %lu pages on the isolate lists",
			zone->vm_stat[NR_FREE_ISOLATED], isolated);

	/* Every PG_buddy page in the memmap must be one of the blocks just walked. */
	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
		if (!pfn_valid(pfn)) {
			pfn = ALIGN_UP(pfn + 1, PAGES_PER_SECTION) - 1;
			continue;
		}
		if (PageBuddy(pfn_to_page(pfn)))
			heads++;
	}
	if (heads != blocks)
		problem(cs, "%lu PG_buddy pages in the memmap but %lu blocks on the lists", heads,
			blocks);

	for (unsigned long i = 0; i < zone->nr_pageblocks; i++) {
		if ((zone->pageblock_flags[i] & 0x7) == MIGRATE_HIGHATOMIC)
			highatomic += pageblock_nr_pages;
	}
	if (highatomic != zone->nr_reserved_highatomic)
		problem(cs, "nr_reserved_highatomic %lu but %lu pages in highatomic pageblocks",
			zone->nr_reserved_highatomic, highatomic);
}

int mm_check_invariants(void)
{
	struct check_state cs = { NULL, 0 };
	struct zone *zone;

	for_each_zone(zone) {
		if (!populated_zone(zone))
			continue;
		cs.zone = zone;
		check_zone(&cs, zone);
	}
	if (cs.problems > MAX_REPORTS)
		pr_err("mm_check: %d problems (first %d shown)\n", cs.problems, MAX_REPORTS);
	return cs.problems;
}
