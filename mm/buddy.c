// SPDX-License-Identifier: MIT
/*
 * The buddy allocator of one zone: free lists per order and migratetype, splitting on
 * allocation, merging on free, fallback between migratetypes, and the highatomic reserve.
 * The public API and the watermark policy are in mm/page_alloc.c; this file only moves free
 * blocks between lists.
 *
 * Locking: every function here runs with the zone lock held (z), asserted on entry, except
 * reserve_highatomic_pageblock(), unreserve_highatomic_pageblock(), take_page_off_buddy() and
 * put_page_back_buddy(), which take it themselves (guard(zone_lock_irqsave)).
 *
 * The invariants (mm/check.c verifies them):
 *  - a free block of order k starts at a pfn that is a multiple of 2^k; its head page has
 *    PG_buddy and private == k; no other page in it has PG_buddy;
 *  - it sits on free_area[k].free_list[t] where t is the migratetype of its pageblock, and a
 *    free block larger than a pageblock has the same migratetype in all its pageblocks;
 *  - NR_FREE_PAGES counts free pages outside MIGRATE_ISOLATE blocks, NR_FREE_ISOLATED the rest.
 */
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "mm/page_reporting.h"
#include "kernel/bug.h"

static void account_freepages(struct zone *zone, long nr_pages, int migratetype)
{
	if (is_migrate_isolate(migratetype))
		__mod_zone_page_state(zone, NR_FREE_ISOLATED, nr_pages);
	else
		__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
}

void add_to_free_list(struct page *page, struct zone *zone, unsigned int order,
		      int migratetype, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	set_page_private(page, order);
	page_set_flag(page, PG_buddy);
	if (tail)
		list_add_tail(&page->lru, &area->free_list[migratetype]);
	else
		list_add(&page->lru, &area->free_list[migratetype]);
	area->nr_free++;
	account_freepages(zone, 1L << order, migratetype);
}

void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order,
			     int migratetype)
{
	list_del(&page->lru);
	/* Leaving the list in any way (allocated, merged, split) ends "reported". */
	page_clear_flag(page, PG_reported);
	page_clear_flag(page, PG_buddy);
	set_page_private(page, 0);
	zone->free_area[order].nr_free--;
	account_freepages(zone, -(1L << order), migratetype);
}

static void move_to_free_list(struct page *page, struct zone *zone, unsigned int order,
			      int old_mt, int new_mt)
{
	list_move_tail(&page->lru, &zone->free_area[order].free_list[new_mt]);
	account_freepages(zone, -(1L << order), old_mt);
	account_freepages(zone, 1L << order, new_mt);
}

/*
 * Is `buddy` the free head of a block of exactly `order` pages in the same zone? The buddy
 * lies in the same 2^MAX_PAGE_ORDER-aligned block as the page, so it is in the same section
 * and has a struct page; holes and reserved pages never have PG_buddy.
 */
static bool page_is_buddy(const struct page *page, const struct page *buddy, unsigned int order)
{
	return PageBuddy(buddy) && buddy_order(buddy) == order &&
	       page_zonenum(buddy) == page_zonenum(page) &&
	       page_to_nid(buddy) == page_to_nid(page);
}

/* Types whose pageblocks may merge into a larger block of another type (taking its type). */
static bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/* What merge_block() asks of the zone: is the buddy free here, and may it join us? */
struct zone_merge {
	struct zone *zone;
	int mt;			/* the freed block's pageblock type */
};

static __always_inline bool zone_take_buddy(void *ctx, struct page *page, struct page *buddy,
					    unsigned int order)
{
	struct zone_merge *m = ctx;
	int buddy_mt = m->mt;

	if (!page_is_buddy(page, buddy, order))
		return false;
	if (order >= pageblock_order) {
		buddy_mt = get_pageblock_migratetype(buddy);
		if (buddy_mt != m->mt && (!migratetype_is_mergeable(m->mt) ||
					  !migratetype_is_mergeable(buddy_mt)))
			return false;
	}
	del_page_from_free_list(buddy, m->zone, order, buddy_mt);
	if (buddy_mt != m->mt)
		set_pageblock_range(buddy, order, m->mt);
	return true;
}

/*
 * Freeing and merging (Linux: mm/page_alloc.c __free_one_page()).
 *
 * A freed block of order k at pfn looks at its buddy (pfn ^ 2^k). If the buddy is a free
 * block of the same order, the two leave the lists and become one block of order k+1 at
 * pfn & ~2^k, and the same question is asked one order up, until the buddy is not free, is
 * split further, or MAX_PAGE_ORDER is reached. The result goes on the free list of its
 * pageblock's migratetype.
 *
 * Below pageblock_order the buddy is in the same pageblock, so it has our type. At and above
 * it, the two halves are different pageblocks: if their types differ, ordinary types merge
 * and the buddy's blocks take ours (so that a later split files both halves on the right
 * list), but HIGHATOMIC and ISOLATE blocks keep to themselves: merging would hand reserved
 * or isolated pages to whoever allocates the bigger block.
 *
 * Context: zone lock held; the block is not on any list; pfn == page_to_pfn(page).
 */
void __free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
		     unsigned int order)
{
	struct zone_merge m = { zone, get_pageblock_migratetype(page) };

	assert_zone_locked(zone);
	page = merge_block(page, &pfn, &order, MAX_PAGE_ORDER, zone_take_buddy, &m);
	add_to_free_list(page, zone, order, m.mt, false);
	page_reporting_notify_free(order);
}

/*
 * A block free page reporting took off the lists (mm/page_reporting.c) comes back: merged
 * with its free buddies as any freed block, but at the tail of its list (the reporter scans
 * from the head and stops at the first reported block), and marked PG_reported if it did
 * not merge: a merged block is new to the host and is reported again. @reported false: the
 * device did not take it; it goes back unmarked.
 * Context: zone lock held; the block is on no list, its pageblocks all of one type.
 */
void __putback_reported_block(struct zone *zone, struct page *page, unsigned int order,
			      bool reported)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned int merged = order;
	struct zone_merge m = { zone, get_pageblock_migratetype(page) };

	assert_zone_locked(zone);
	page = merge_block(page, &pfn, &merged, MAX_PAGE_ORDER, zone_take_buddy, &m);
	add_to_free_list(page, zone, merged, m.mt, true);
	if (reported && merged == order)
		page_set_flag(page, PG_reported);
	else
		page_reporting_notify_free(merged);
}

void __free_pages_to_buddy(struct zone *zone, struct page *page, unsigned long pfn,
			   unsigned int order)
{
	if (order <= pageblock_order) {
		__free_one_page(zone, page, pfn, order);
		return;
	}
	/* Each pageblock may have its own type (one may be isolated): free them one by one. */
	for (unsigned long i = 0; i < (1UL << order); i += pageblock_nr_pages)
		__free_one_page(zone, page + i, pfn + i, pageblock_order);
}

/* What split_block() does with each upper half in the zone: its free list, at the head. */
struct zone_split {
	struct zone *zone;
	int mt;
};

static __always_inline void zone_put_half(void *ctx, struct page *half, unsigned int order)
{
	struct zone_split *sp = ctx;

	add_to_free_list(half, sp->zone, order, sp->mt, false);
}

/*
 * Splitting (Linux: expand()): a block of order `high` serves an order `low` request; the
 * upper halves go back on `migratetype`'s lists (split_block() in mm/internal.h has the
 * worked example).
 * Context: zone lock held.
 */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high,
		   int migratetype)
{
	struct zone_split sp = { zone, migratetype };

	split_block(page, low, high, zone_put_half, &sp);
}

/* Take the first free block of exactly `high` on `migratetype`'s list and split it to `low`. */
static void page_del_and_expand(struct zone *zone, struct page *page, unsigned int low,
				unsigned int high, int migratetype)
{
	del_page_from_free_list(page, zone, high, migratetype);
	expand(zone, page, low, high, migratetype);
}

/*
 * The smallest free block of at least `order` on `migratetype`'s lists, split to `order`.
 * Smallest first keeps big blocks whole for the requests that need them.
 * Context: zone lock held.
 */
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	assert_zone_locked(zone);
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page = list_first_entry_or_null(&area->free_list[migratetype],
							      struct page, lru);

		if (!page)
			continue;
		page_del_and_expand(zone, page, order, o, migratetype);
		return page;
	}
	return NULL;
}

/* Where each type looks when its own lists are empty, best first. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/*
 * May a request of start_mt claim a whole pageblock it finds a free block of `order` in?
 * Unmovable and reclaimable allocations always try (scattering them pollutes many blocks);
 * movable ones only for big blocks (a movable page in a foreign block can be moved away).
 */
static bool can_steal_fallback(unsigned int order, int start_mt)
{
	return order >= pageblock_order / 2 || start_mt == MIGRATE_UNMOVABLE ||
	       start_mt == MIGRATE_RECLAIMABLE;
}

static unsigned long count_free_in_block(unsigned long start_pfn)
{
	unsigned long pfn = start_pfn, end = start_pfn + pageblock_nr_pages, nr = 0;

	while (pfn < end) {
		struct page *page = pfn_to_page(pfn);

		if (PageBuddy(page)) {
			nr += 1UL << buddy_order(page);
			pfn += 1UL << buddy_order(page);
		} else {
			pfn++;
		}
	}
	return nr;
}

struct page *__find_free_block(struct zone *zone, unsigned long pfn, unsigned int *order)
{
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long head_pfn = pfn & ~((1UL << o) - 1);
		struct page *head = pfn_to_page(head_pfn);

		/* A free block of order k >= o at head_pfn covers pfn (pfn - head_pfn < 2^o). */
		if (PageBuddy(head) && buddy_order(head) >= o && page_zone(head) == zone) {
			*order = buddy_order(head);
			return head;
		}
	}
	return NULL;
}

void __split_large_buddy_at(struct zone *zone, unsigned long pfn)
{
	unsigned int order;
	struct page *head = __find_free_block(zone, pfn, &order);
	int mt;

	if (!head || order <= pageblock_order)
		return;
	mt = get_pageblock_migratetype(head);
	del_page_from_free_list(head, zone, order, mt);
	for (unsigned long i = 0; i < (1UL << order); i += pageblock_nr_pages)
		add_to_free_list(head + i, zone, pageblock_order, mt, false);
}

/**
 * move_freepages_block - give a pageblock a new migratetype, moving its free pages along
 * @zone: the zone of @page
 * @page: any page in the pageblock
 * @migratetype: the new type
 *
 * A free block larger than the pageblock is split first, so that only this block changes.
 * Return: the number of free pages moved.
 * Context: zone lock held.
 */
unsigned long move_freepages_block(struct zone *zone, struct page *page, int migratetype)
{
	unsigned long start = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages);
	unsigned long pfn = start, moved = 0;
	struct page *first = page - (page_to_pfn(page) - start);
	int old_mt;

	assert_zone_locked(zone);
	__split_large_buddy_at(zone, start);
	old_mt = get_pageblock_migratetype(first);
	while (pfn < start + pageblock_nr_pages) {
		struct page *p = first + (pfn - start);

		if (PageBuddy(p)) {
			unsigned int order = buddy_order(p);

			if (old_mt != migratetype)
				move_to_free_list(p, zone, order, old_mt, migratetype);
			moved += 1UL << order;
			pfn += 1UL << order;
		} else {
			pfn++;
		}
	}
	set_pageblock_migratetype(first, migratetype);
	return moved;
}

/**
 * __remerge_pageblock - let a wholly free pageblock merge with its buddy block again
 * @zone: the zone
 * @page: the first page of the pageblock
 *
 * After a pageblock changes type back to an ordinary one (isolation undone, highatomic
 * reserve given back) a free block of exactly pageblock_order may now merge with its
 * neighbour; taking it off and freeing it again does that.
 * Context: zone lock held.
 */
void __remerge_pageblock(struct zone *zone, struct page *page)
{
	int mt;

	if (!PageBuddy(page) || buddy_order(page) != pageblock_order)
		return;
	mt = get_pageblock_migratetype(page);
	del_page_from_free_list(page, zone, pageblock_order, mt);
	__free_one_page(zone, page, page_to_pfn(page), pageblock_order);
}

/*
 * Claim the pageblock(s) of a free block found on a fallback list for start_mt, if it is
 * worth it: always when the block is a pageblock or more (all of it is free: take it whole),
 * otherwise when at least half of the pageblock is free (it will mostly serve start_mt from
 * now on). On success the pages are on start_mt's lists and the request is served from them.
 * Returns NULL when the block was not claimed.
 */
static struct page *try_to_claim_block(struct zone *zone, struct page *page,
				       unsigned int current_order, unsigned int order,
				       int start_mt, int fallback_mt)
{
	unsigned long start;

	if (current_order >= pageblock_order) {
		move_to_free_list(page, zone, current_order, fallback_mt, start_mt);
		set_pageblock_range(page, current_order, start_mt);
		count_vm_events(PGSTEAL_BLOCK, 1UL << (current_order - pageblock_order));
		return __rmqueue_smallest(zone, order, start_mt);
	}
	start = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages);
	if (count_free_in_block(start) < pageblock_nr_pages / 2)
		return NULL;
	move_freepages_block(zone, page, start_mt);
	count_vm_events(PGSTEAL_BLOCK, 1);
	return __rmqueue_smallest(zone, order, start_mt);
}

/*
 * Fallback (Linux: __rmqueue_fallback()). start_mt's lists are empty, so borrow from the other
 * ordinary types, in the order of fallbacks[]. First look for the LARGEST free block of a
 * fallback type: if the request may claim blocks, taking a big one whole turns one foreign
 * block into ours instead of leaving a little of our type in many blocks. If nothing can be
 * claimed, take the SMALLEST fallback block instead and leave its pageblock's type alone: the
 * split remainder goes back on the fallback type's lists.
 * Context: zone lock held.
 */
static struct page *__rmqueue_fallback(struct zone *zone, unsigned int order, int start_mt)
{
	for (int o = MAX_PAGE_ORDER; o >= (int)order; o--) {
		if (!can_steal_fallback(o, start_mt))
			break;	/* smaller blocks will not qualify either */
		for (unsigned int i = 0; i < ARRAY_SIZE(fallbacks[0]); i++) {
			int fmt = fallbacks[start_mt][i];
			struct page *page = list_first_entry_or_null(
				&zone->free_area[o].free_list[fmt], struct page, lru);
			struct page *got;

			if (!page)
				continue;
			got = try_to_claim_block(zone, page, o, order, start_mt, fmt);
			if (got) {
				count_vm_events(PGALLOC_FALLBACK, 1);
				return got;
			}
		}
	}
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(fallbacks[0]); i++) {
			int fmt = fallbacks[start_mt][i];

			if (list_empty(&zone->free_area[o].free_list[fmt]))
				continue;
			count_vm_events(PGALLOC_FALLBACK, 1);
			return __rmqueue_smallest(zone, order, fmt);
		}
	}
	return NULL;
}

/**
 * __rmqueue - take a block of 2^order pages for migratetype from the zone's lists
 * @zone: the zone
 * @order: the order wanted
 * @migratetype: the type wanted (MIGRATE_UNMOVABLE, MOVABLE or RECLAIMABLE)
 * @alloc_flags: ALLOC_HIGHATOMIC tries the highatomic reserve first; ALLOC_RESERVES may use
 *	it last
 *
 * Return: the head page, off every list and not PG_buddy; NULL if nothing fits.
 * Context: zone lock held.
 */
struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype,
		       unsigned int alloc_flags)
{
	struct page *page = NULL;

	assert_zone_locked(zone);
	if (alloc_flags & ALLOC_HIGHATOMIC)
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	if (!page)
		page = __rmqueue_smallest(zone, order, migratetype);
	if (!page)
		page = __rmqueue_fallback(zone, order, migratetype);
	if (!page && (alloc_flags & ALLOC_RESERVES))
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	return page;
}

/*
 * The highatomic reserve (Linux: reserve_highatomic_pageblock()). High-order atomic
 * allocations cannot wait for anything to be freed, so once one succeeds its pageblock is set
 * aside as MIGRATE_HIGHATOMIC: ordinary allocations leave it alone and it stays available for
 * the next one. At most 1% of the zone (plus one block) is reserved; when an allocation would
 * otherwise fail, unreserve_highatomic_pageblock() gives blocks back.
 *
 * Context: any CPU; takes the zone lock.
 */
void reserve_highatomic_pageblock(struct page *page, unsigned int order, struct zone *zone)
{
	unsigned long max_managed = zone->managed_pages / 100 + pageblock_nr_pages;
	unsigned long nr_blocks = order > pageblock_order ? 1UL << (order - pageblock_order) : 1;
	int mt;

	if (READ_ONCE(zone->nr_reserved_highatomic) >= max_managed)
		return;

	guard(zone_lock_irqsave)(zone);
	if (zone->nr_reserved_highatomic >= max_managed)
		return;
	mt = get_pageblock_migratetype(page);
	if (is_migrate_highatomic(mt) || is_migrate_isolate(mt))
		return;
	for (unsigned long i = 0; i < nr_blocks; i++) {
		struct page *block = page + i * pageblock_nr_pages;

		if (get_pageblock_migratetype(block) != mt)
			continue;
		move_freepages_block(zone, block, MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += pageblock_nr_pages;
	}
	count_vm_events(HIGHATOMIC_RESERVE, nr_blocks);
}

/**
 * unreserve_highatomic_pageblock - give one highatomic pageblock back to ordinary use
 * @zone: the zone
 * @migratetype: the type the block becomes
 * @force: also give back the last reserved block
 *
 * Return: true if a block was given back.
 * Context: any CPU; takes the zone lock.
 */
bool unreserve_highatomic_pageblock(struct zone *zone, int migratetype, bool force)
{
	guard(zone_lock_irqsave)(zone);
	if (!force && zone->nr_reserved_highatomic <= pageblock_nr_pages)
		return false;
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *page = list_first_entry_or_null(
			&zone->free_area[order].free_list[MIGRATE_HIGHATOMIC], struct page, lru);
		unsigned long nr_blocks = 1;

		if (!page)
			continue;
		if (order > pageblock_order) {
			nr_blocks = 1UL << (order - pageblock_order);
			move_to_free_list(page, zone, order, MIGRATE_HIGHATOMIC, migratetype);
			set_pageblock_range(page, order, migratetype);
		} else {
			struct page *first = page - (page_to_pfn(page) & (pageblock_nr_pages - 1));

			move_freepages_block(zone, page, migratetype);
			__remerge_pageblock(zone, first);
		}
		zone->nr_reserved_highatomic -= min(zone->nr_reserved_highatomic,
						    nr_blocks * pageblock_nr_pages);
		count_vm_events(HIGHATOMIC_UNRESERVE, nr_blocks);
		return true;
	}
	return false;
}

/**
 * take_page_off_buddy - remove one free page from the allocator for good (bad RAM)
 * @page: a page that may be part of a free block
 *
 * The free block holding @page is split down around it, every other part goes back on the
 * free lists, and @page is marked PG_hwpoison and counted NR_OFFLINE_PAGES.
 * Return: true if the page was free and has been taken.
 * Context: any CPU; takes the zone lock.
 */
bool take_page_off_buddy(struct page *page)
{
	struct zone *zone = page_zone(page);
	unsigned long pfn = page_to_pfn(page);
	unsigned int order;
	struct page *head;
	unsigned long head_pfn;
	int mt;

	guard(zone_lock_irqsave)(zone);
	head = __find_free_block(zone, pfn, &order);
	if (!head)
		return false;
	mt = get_pageblock_migratetype(head);
	head_pfn = page_to_pfn(head);
	del_page_from_free_list(head, zone, order, mt);
	/* Halve toward pfn, giving back the half that does not hold it each time. */
	while (order > 0) {
		unsigned long half = 1UL << --order;

		if (pfn >= head_pfn + half) {
			add_to_free_list(head, zone, order, mt, false);
			head += half;
			head_pfn += half;
		} else {
			add_to_free_list(head + half, zone, order, mt, false);
		}
	}
	page_set_flag(page, PG_hwpoison);
	__mod_zone_page_state(zone, NR_OFFLINE_PAGES, 1);
	return true;
}

/**
 * put_page_back_buddy - return a page taken by take_page_off_buddy()
 * @page: the page
 *
 * Return: true if it was offline and is free again.
 * Context: any CPU; takes the zone lock.
 */
bool put_page_back_buddy(struct page *page)
{
	struct zone *zone = page_zone(page);

	guard(zone_lock_irqsave)(zone);
	if (!PageHWPoison(page) || PageBuddy(page))
		return false;
	page_clear_flag(page, PG_hwpoison);
	__mod_zone_page_state(zone, NR_OFFLINE_PAGES, -1);
	__free_one_page(zone, page, page_to_pfn(page), 0);
	return true;
}

/*
 * Free a chain of blocks linked through pcp_llist (each with PG_llist and its order in
 * private) into the buddy lists: the zone's deferred list and the PCP drains' chains.
 * Context: zone lock held.
 */
void __free_llist_to_buddy(struct zone *zone, struct llist_node *n)
{
	assert_zone_locked(zone);
	while (n) {
		struct llist_node *next = n->next;
		struct page *page = llist_entry(n, struct page, pcp_llist);

		page_clear_flag(page, PG_llist);
		__free_pages_to_buddy(zone, page, page_to_pfn(page), page_private(page));
		n = next;
	}
}

/*
 * The zone's deferred frees: blocks that an ALLOC_NOLOCK free or an interrupt-context drain
 * could not give back because the zone lock was busy (mm/pcp.c). The next lock holder frees
 * them here, first thing (zone_lock_irqsave()). Context: zone lock held.
 */
void __zone_free_deferred(struct zone *zone)
{
	__free_llist_to_buddy(zone, llist_del_all(&zone->deferred_free));
}
