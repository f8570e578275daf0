// SPDX-License-Identifier: MIT
/*
 * The invariant checker: walks every free list of every zone, every per-CPU list of every CPU,
 * every remote-free llist and the zone's deferred list, and checks the allocator's
 * bookkeeping against itself (the buddy invariants are listed in mm/buddy.c, the PCP ones in
 * mm/pcp.c). Tests call it after every step; the shell can call it at any time.
 *
 * What it proves, per zone:
 *  - every free page is in exactly one place: the head of each free piece carries exactly one
 *    of PG_buddy (zone free list), PG_pcp (a PCP list) or PG_llist (in transit on a free_llist
 *    or the deferred list); the memmap holds as many such heads as the lists hold entries;
 *    no two free pieces overlap;
 *  - counters are exact: nr_free per order, NR_FREE_PAGES and NR_FREE_ISOLATED against the
 *    zone lists; pcp->count against each CPU's lists; each owned block's nr_free against its
 *    pieces; nr_owned_blocks against owned_blocks and the owner array;
 *  - ownership: a piece on CPU A's owned lists lies in a block owned by A; an unowned piece
 *    lies in a block nobody owns (so no page of a block owned by A sits on B's lists); a page
 *    on A's free_llist lies in a block owned by A or by nobody; an owned block holds no
 *    zone-free page.
 * The counting convention (as Linux): NR_FREE_PAGES counts the zone's free lists only. Pages
 * on PCP lists and llists are free but not in NR_FREE_PAGES (zoneinfo shows them per CPU under
 * "pagesets"); drain_all_pages() puts them back in it.
 *
 * Locking: for an exact picture the allocator must be quiet (a page between "taken off a list"
 * and "pushed" is nowhere). Each zone is checked holding every CPU's pcp->lock of that zone
 * (in CPU order: the one exception, with the dead-CPU drain, to "only your own pcp->lock"; no
 * other path holds two pcp locks, so the order cannot deadlock) and then its zone lock.
 * pcp->lock is CPU-local (mm/pcp_lock.h): taking another CPU's excludes nothing by itself,
 * the quiet allocator does; an owner that ran meanwhile is reported when the checker unlocks.
 * A CPU that went offline without confirming that it parked (kernel/cpuhp.h) may still run:
 * the checker refuses to check rather than lock its lists.
 */
#include "mm/internal.h"
#include "mm/pcp.h"
#include "mm/vmstat.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/cpuhp.h"

#define MAX_REPORTS	20

struct check_state {
	const struct zone *zone;
	int problems;
	unsigned long memmap_heads[3];	/* PG_buddy, PG_pcp, PG_llist heads in the memmap */
	unsigned long listed[3];	/* pieces found on zone lists, PCP lists, llists */
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
	if (cs->zone)
		pr_err("mm_check: zone %s: %s\n", cs->zone->name, buf);
	else
		pr_err("mm_check: %s\n", buf);
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
			page_flags_read(page) & PAGE_FLAGS_MASK);
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

/*
 * One pass over the zone's memmap: count the heads of free pieces of each kind and check that
 * no page is two kinds at once and that no piece starts inside another.
 */
static void walk_memmap(struct check_state *cs, struct zone *zone)
{
	unsigned long covered_end = 0, covered_start = 0;

	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
		struct page *page;
		unsigned long f;
		int kinds;

		if (!pfn_valid(pfn)) {
			pfn = ALIGN_UP(pfn + 1, PAGES_PER_SECTION) - 1;
			continue;
		}
		page = pfn_to_page(pfn);
		f = page_flags_read(page);
		kinds = !!(f & BIT(PG_buddy)) + !!(f & BIT(PG_pcp)) + !!(f & BIT(PG_llist));
		if (!kinds)
			continue;
		if (kinds > 1)
			problem(cs, "pfn 0x%lx is free in %d places at once (flags 0x%lx)", pfn,
				kinds, f & PAGE_FLAGS_MASK);
		/* A movable kind or PG_isolated on a free page: freed while still movable. */
		if (f & (BIT(PG_mkind0) | BIT(PG_mkind1) | BIT(PG_isolated)))
			problem(cs, "free pfn 0x%lx is still movable (flags 0x%lx)", pfn,
				f & PAGE_FLAGS_MASK);
		cs->memmap_heads[0] += !!(f & BIT(PG_buddy));
		cs->memmap_heads[1] += !!(f & BIT(PG_pcp));
		cs->memmap_heads[2] += !!(f & BIT(PG_llist));
		if (pfn < covered_end)
			problem(cs, "free piece at pfn 0x%lx lies inside the free piece at 0x%lx",
				pfn, covered_start);
		if (page_private(page) > MAX_PAGE_ORDER) {
			problem(cs, "free pfn 0x%lx has order %lu", pfn, page_private(page));
			continue;
		}
		if (pfn + (1UL << page_private(page)) > covered_end) {
			covered_start = pfn;
			covered_end = pfn + (1UL << page_private(page));
		}
	}
}

/* A free piece off a PCP list or llist: where it is, what it is. */
static bool check_piece(struct check_state *cs, struct zone *zone, struct page *page,
			unsigned int order, unsigned int flag, unsigned int cpu, const char *where)
{
	unsigned long pfn;

	if (!page_in_memmap(page)) {
		problem(cs, "CPU%u %s holds %p, not a struct page", cpu, where, (void *)page);
		return false;
	}
	pfn = page_to_pfn(page);
	if (!page_test_flag(page, flag))
		problem(cs, "CPU%u %s: pfn 0x%lx lacks PG_%s", cpu, where, pfn,
			flag == PG_pcp ? "pcp" : "llist");
	if (page_private(page) != order)
		problem(cs, "CPU%u %s: pfn 0x%lx has order %lu, expected %u", cpu, where, pfn,
			page_private(page), order);
	if (page_zone(page) != zone || !zone_spans_pfn(zone, pfn) ||
	    !zone_spans_pfn(zone, pfn + (1UL << order) - 1) || !IS_ALIGNED(pfn, 1UL << order))
		problem(cs, "CPU%u %s: pfn 0x%lx order %u misplaced", cpu, where, pfn, order);
	if (page_count(page) != 0 || PageReserved(page) || PageBad(page) || PageHWPoison(page))
		problem(cs, "CPU%u %s: free pfn 0x%lx has refcount %d flags 0x%lx", cpu, where,
			pfn, page_count(page), page_flags_read(page) & PAGE_FLAGS_MASK);
	return true;
}

/* Walk a PCP list; every piece has @order and lies in a block owned by @owner. */
static unsigned long check_pcp_list(struct check_state *cs, struct zone *zone,
				    struct list_head *head, unsigned int order, unsigned int cpu,
				    unsigned int owner, int mt, const char *what)
{
	unsigned long pages = 0, nr = 0, limit = zone->spanned_pages + 1;
	struct list_head *pos;

	for (pos = head->next; pos != head; pos = pos->next) {
		struct page *page = list_entry(pos, struct page, lru);
		struct pageblock_owner *b;

		if (pos->next->prev != pos || ++nr > limit) {
			problem(cs, "CPU%u %s list order %u is corrupted", cpu, what, order);
			break;
		}
		if (!check_piece(cs, zone, page, order, PG_pcp, cpu, what))
			break;
		b = pageblock_owner_of(zone, page_to_pfn(page));
		if (pfn_owner_read(zone, page_to_pfn(page)) != owner)
			problem(cs, "CPU%u %s: pfn 0x%lx lies in a block owned by %u, expected %u",
				cpu, what, page_to_pfn(page),
				pfn_owner_read(zone, page_to_pfn(page)), owner);
		if (owner != PB_NO_OWNER && b->mt != mt)
			problem(cs, "CPU%u %s: pfn 0x%lx on the %s list, its block was claimed %s",
				cpu, what, page_to_pfn(page), migratetype_names[mt],
				migratetype_names[b->mt]);
		pages += 1UL << order;
		cs->listed[1]++;
	}
	return pages;
}

/* Walk an llist without taking it (its consumer's lock, or the zone lock, is held). */
static unsigned long check_llist(struct check_state *cs, struct zone *zone,
				 struct llist_head *h, unsigned int cpu, const char *what)
{
	unsigned long pages = 0, nr = 0, limit = zone->spanned_pages + 1;

	for (struct llist_node *n = __atomic_load_n(&h->first, __ATOMIC_ACQUIRE); n;
	     n = n->next) {
		struct page *page = llist_entry(n, struct page, pcp_llist);
		unsigned int order;

		if (++nr > limit) {
			problem(cs, "CPU%u %s does not end", cpu, what);
			break;
		}
		order = page_in_memmap(page) ? (unsigned int)page_private(page) : 0;
		if (!check_piece(cs, zone, page, order, PG_llist, cpu, what))
			break;
		if (cpu != PB_NO_OWNER) {
			unsigned int o = pfn_owner_read(zone, page_to_pfn(page));

			if (o != cpu && o != PB_NO_OWNER)
				problem(cs, "CPU%u %s: pfn 0x%lx lies in a block owned by CPU%u",
					cpu, what, page_to_pfn(page), o);
		}
		pages += 1UL << order;
		cs->listed[2]++;
	}
	return pages;
}

/* Every CPU's lists of one zone. Context: every pcp->lock and the zone lock held. */
static void check_zone_pcps(struct check_state *cs, struct zone *zone)
{
	unsigned long owned_per_cpu[NR_CPUS] = { 0 };

	for (unsigned long i = 0; i < zone->nr_pageblocks; i++) {
		unsigned int o = pageblock_owner_read(zone, i);

		if (o == PB_NO_OWNER)
			continue;
		if (o >= pcp_nr_cpus) {
			problem(cs, "pageblock %lu is owned by CPU%u, which has no PCP", i, o);
			continue;
		}
		owned_per_cpu[o]++;
	}
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);
		unsigned long pages = 0, blocks = 0;
		struct pageblock_owner *b;

		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			for (unsigned int o = 0; o < NR_PCP_BUDDY_ORDERS; o++)
				pages += check_pcp_list(cs, zone, &pcp->lists[mt][o], o, cpu, cpu,
							mt, "owned");
			pages += check_pcp_list(cs, zone, &pcp->lazy[mt], 0, cpu, cpu, mt,
						"lazy");
			for (unsigned int i = 0; i < NR_PCP_UNOWNED_LISTS; i++)
				pages += check_pcp_list(cs, zone, &pcp->unowned[mt][i],
							i <= PCP_MAX_UNOWNED_ORDER ? i :
							pageblock_order, cpu, PB_NO_OWNER, mt,
							"unowned");
		}
		if (pages != pcp->count)
			problem(cs, "CPU%u pcp->count %lu but %lu pages on its lists", cpu,
				pcp->count, pages);
		check_llist(cs, zone, &pcp->free_llist, cpu, "free_llist");

		list_for_each_entry(b, &pcp->owned_blocks, node) {
			unsigned long idx = (unsigned long)(b - zone->pageblock_owner);
			unsigned long start = zone->pageblock_base_pfn + (idx << pageblock_order);
			unsigned long free = 0;

			if (++blocks > zone->nr_pageblocks) {
				problem(cs, "CPU%u owned_blocks does not end", cpu);
				break;
			}
			if (pageblock_owner_read(zone, idx) != cpu)
				problem(cs, "CPU%u owned_blocks holds block %lu owned by %u", cpu,
					idx, pageblock_owner_read(zone, idx));
			for (unsigned long pfn = start; pfn < start + pageblock_nr_pages; pfn++) {
				struct page *p = pfn_to_page(pfn);

				if (PagePcp(p))
					free += 1UL << buddy_order(p);
				if (PageBuddy(p))
					problem(cs, "CPU%u owns block %lu but pfn 0x%lx is zone-free",
						cpu, idx, pfn);
			}
			if (free != b->nr_free)
				problem(cs, "CPU%u block %lu: nr_free %u but %lu pages on the lists",
					cpu, idx, b->nr_free, free);
		}
		if (blocks != pcp->nr_owned_blocks || blocks != owned_per_cpu[cpu])
			problem(cs, "CPU%u: %lu blocks on owned_blocks, nr_owned_blocks %lu, %lu in the owner array",
				cpu, blocks, pcp->nr_owned_blocks, owned_per_cpu[cpu]);
	}
	check_llist(cs, zone, &zone->deferred_free, PB_NO_OWNER, "deferred list");
}

/* Context: every pcp->lock of @zone and its zone lock held. */
static void check_zone_locked(struct check_state *cs, struct zone *zone)
{
	unsigned long free = 0, isolated = 0, blocks = 0, heads = 0, highatomic = 0;

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
				cs->listed[0]++;
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
	heads = cs->memmap_heads[0];
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

	if (zone->per_cpu_pageset)
		check_zone_pcps(cs, zone);
	if (cs->memmap_heads[1] != cs->listed[1])
		problem(cs, "%lu PG_pcp pages in the memmap but %lu pieces on PCP lists",
			cs->memmap_heads[1], cs->listed[1]);
	if (cs->memmap_heads[2] != cs->listed[2])
		problem(cs, "%lu PG_llist pages in the memmap but %lu pieces on llists (stranded?)",
			cs->memmap_heads[2], cs->listed[2]);
}

/*
 * Holding the PCP locks of running CPUs. By the rule of mm/pcp_lock.h only an owner takes
 * its own lock while it runs, so the checker does not grab them from here: it asks each
 * online owner, by IPI, to take its own lock (in the handler its interrupts are off, so it is
 * not inside a PCP section) and leave it held; the checker releases it when done. Meanwhile
 * the owner's allocations and frees find their lock taken and use their trylock fallbacks,
 * and its drains wait. The locks of this CPU and of offline CPUs are taken directly.
 * (Taking a running CPU's lock from here raced with that CPU absorbing remote frees in its
 * idle IPI: found by `make stress`.)
 */
static void lock_own_pcp_ipi(void *info)
{
	struct zone *zone = info;
	struct pcp_lock *l = &zone_pcp(zone, smp_processor_id())->lock;

	/*
	 * Nothing on this CPU holds it now but maybe a fast section we interrupted, which
	 * takes it for us at its end (mm/pcp_lock.h); WARN (and go on unlocked) otherwise.
	 */
	if (!pcp_trylock(l))
		WARN_ON(!pcp_defer_to_fast(l, PCP_MISSED_CHECK));
}

/* Whether the checker must ask @cpu to lock for it (running, and not this CPU). */
static bool lock_by_ipi(unsigned int cpu, bool irqs_were_on)
{
	return irqs_were_on && cpu != smp_processor_id() && cpu_online(cpu);
}

static void check_zone(struct check_state *cs, struct zone *zone)
{
	bool irqs_on = !arch_irqs_disabled();	/* waiting calls need interrupts on */

	for (unsigned int i = 0; i < 3; i++)
		cs->memmap_heads[i] = cs->listed[i] = 0;
	/* Explicit pairs: a guard cannot hold a run-time number of locks. */
	if (zone->per_cpu_pageset)
		for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++)
			if (lock_by_ipi(cpu, irqs_on)) {
				smp_call_function_single(cpu, lock_own_pcp_ipi, zone, true);
				pcp_wait_handed(&zone_pcp(zone, cpu)->lock);
			}
	unsigned long flags = arch_local_irq_save();

	if (zone->per_cpu_pageset)
		for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++)
			if (!lock_by_ipi(cpu, irqs_on))
				pcp_lock_remote(&zone_pcp(zone, cpu)->lock);
	scoped_guard(zone_lock_irqsave, zone) {
		walk_memmap(cs, zone);
		check_zone_locked(cs, zone);
	}
	if (zone->per_cpu_pageset)
		for (unsigned int cpu = pcp_nr_cpus; cpu-- > 0;) {
			struct pcp_lock *l = &zone_pcp(zone, cpu)->lock;

			if (lock_by_ipi(cpu, irqs_on))
				pcp_unlock_handed(l);
			else
				pcp_unlock_remote(l);
		}
	arch_local_irq_restore(flags);
}

int mm_check_invariants(void)
{
	struct check_state cs = { .zone = NULL, .problems = 0 };
	struct zone *zone;

	/*
	 * A CPU that left the online mask without confirming that it parked may still run: its
	 * lists cannot be locked from here (nothing would exclude it), so nothing is proven.
	 */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpuhp_unparked(cpu))
			problem(&cs, "CPU%u has not confirmed that it parked: its per-CPU lists "
				"cannot be checked", cpu);
	if (cs.problems)
		return cs.problems;
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
