/* SPDX-License-Identifier: MIT */
/*
 * What only mm/ may use: alloc_flags, the buddy allocator's internals, pageblocks, checks.
 * Sections are labelled by the file that implements them. Code outside mm/ uses mm/gfp.h,
 * mm/page_alloc.h, mm/vmstat.h and mm/memblock.h.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "kernel/compiler.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/page.h"

/*
 * ---- alloc_flags (mm/page_alloc.c) ----
 * How hard one allocation attempt may dig. The low two bits index zone->_watermark[]; the
 * rest are independent bits. Linux: mm/internal.h ALLOC_*.
 */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04u	/* ignore watermarks entirely (tests, emergencies) */
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_HIGH		0x20u	/* __GFP_HIGH: may use half of the min reserve */
#define ALLOC_HIGHATOMIC	0x200u	/* may use, and grows, the MIGRATE_HIGHATOMIC reserve */
#define ALLOC_SINGLE_PASS	0x400u	/* one attempt with exactly these flags, no slow path */
/* Interrupt/NMI-like context: only ever trylock (pcp->lock, zone lock); fail or defer. */
#define ALLOC_NOLOCK		0x800u
#define ALLOC_RESERVES		(ALLOC_HIGH | ALLOC_HIGHATOMIC)

/*
 * The one allocation entry point: every public allocation function ends here.
 * Context: any CPU, any context for gfp without __GFP_DIRECT_RECLAIM; takes zone locks.
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int nid, unsigned int alloc_flags);
/* The alloc_flags a gfp mask maps to for the slow (final) attempt. */
unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx, unsigned int alloc_flags,
		       long free_pages);
/*
 * The page-count half of zone_watermark_ok(): may 2^order pages leave @z with more than
 * zone_free_floor() free? (Without the check that a free block of @order exists in the
 * zone: for requests the per-CPU lists may serve.)
 */
bool zone_watermark_pages_ok(const struct zone *z, unsigned int order, unsigned long mark,
			     enum zone_type highest_zoneidx, unsigned int alloc_flags,
			     long free_pages);
/*
 * The free pages @z must keep for a request with @mark, @highest_zoneidx and @alloc_flags:
 * the mark (halved for ALLOC_HIGH), lowmem_reserve[], and the highatomic reserve unless the
 * request may use it.
 */
unsigned long zone_free_floor(const struct zone *z, unsigned long mark,
			      enum zone_type highest_zoneidx, unsigned int alloc_flags);
/* The fast path's cached watermark answer for a CPU with @high pages (mm/pcp.c). */
bool zone_fast_alloc_ok(const struct zone *z, unsigned int high);
/* Boot: choose the fast path's zones (@on), or none while the zones are being set up. */
void page_alloc_init_fast_path(bool on);
/* Free with the caller's return address for reports. */
void free_pages_caller(struct page *page, unsigned int order, unsigned long caller);

/* The zone a pfn belongs to, from the arch's zone limits (<asm/memory.h>). */
static inline enum zone_type zone_type_of_pfn(unsigned long pfn)
{
#if ARCH_HAS_ZONE_DMA
	if (PFN_PHYS(pfn) < ARCH_ZONE_DMA_LIMIT)
		return ZONE_DMA;
#endif
	if (PFN_PHYS(pfn) < ARCH_ZONE_DMA32_LIMIT)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

/* ---- per-CPU pages (mm/pcp*.c): see mm/pcp_internal.h ---- */
#include "mm/pcp_internal.h"
#include "kernel/errno.h"

/* ---- pageblocks (mm/pageblock.c) ---- */
int get_pageblock_migratetype(const struct page *page);
/* Context: zone lock held, or boot before the zone is in use. */
void set_pageblock_migratetype(struct page *page, int migratetype);
/* Compaction's skip hint for the page's pageblock (any context, no lock: a hint). */
bool get_pageblock_skip(const struct page *page);
void set_pageblock_skip(struct page *page);
/* Clear the hint on every pageblock of @zone. */
void clear_zone_pageblock_skip(struct zone *zone);
void pageblock_zone_init(struct zone *zone);
extern const char *const migratetype_names[MIGRATE_TYPES];

static inline bool is_migrate_isolate(int mt)
{
	return mt == MIGRATE_ISOLATE;
}

static inline bool is_migrate_highatomic(int mt)
{
	return mt == MIGRATE_HIGHATOMIC;
}

/* ---- the buddy allocator (mm/buddy.c) ---- */

/*
 * Buddy arithmetic. The buddy of the block of 2^order pages at pfn is the other half of the
 * 2^(order+1)-aligned block that contains it: flip bit `order`. Their parent starts where the
 * lower of the two does: clear bit `order`.
 *   pfn 8, order 1: buddy 8 ^ 2 = 10, parent 8 & ~2 = 8.
 *   pfn 10, order 1: buddy 10 ^ 2 = 8, parent 10 & ~2 = 8.
 *   pfn 8, order 3: buddy 8 ^ 8 = 0, parent 0 (an order-4 block).
 */
static inline unsigned long __find_buddy_pfn(unsigned long pfn, unsigned int order)
{
	return pfn ^ (1UL << order);
}

static inline unsigned long buddy_order(const struct page *page)
{
	return page_private(page);
}

/*
 * The arithmetic of merging and splitting, shared by the zone's buddy allocator
 * (__free_one_page(), expand() in mm/buddy.c) and the PCP buddy of owned pageblocks
 * (__pcp_merge(), __pcp_expand() in mm/pcp.c). The two differ only in their lists and in
 * when a buddy counts as free, so each passes a function for that; both helpers are
 * always inlined, and so are the functions, which are constants at every call site.
 *
 * merge_block: while the buddy of the block (@page, *@pfnp, *@orderp) is free at the same
 * order and @take_buddy() has taken it off its list, become the parent one order up, at
 * most up to @max_order. Return: the head page of the merged block; *@pfnp and *@orderp
 * are its pfn and order.
 *	pfn 0x1003 order 0, 0x1002 free at order 0: merge -> 0x1002 order 1;
 *	its buddy 0x1000 free at order 1: merge -> 0x1000 order 2, and so on.
 */
static __always_inline struct page *
merge_block(struct page *page, unsigned long *pfnp, unsigned int *orderp, unsigned int max_order,
	    bool (*take_buddy)(void *ctx, struct page *page, struct page *buddy,
			       unsigned int order),
	    void *ctx)
{
	unsigned long pfn = *pfnp;
	unsigned int order = *orderp;

	while (order < max_order) {
		unsigned long buddy_pfn = __find_buddy_pfn(pfn, order);
		struct page *buddy = page + ((long)buddy_pfn - (long)pfn);
		unsigned long combined_pfn;

		if (!take_buddy(ctx, page, buddy, order))
			break;
		combined_pfn = buddy_pfn & pfn;
		page = page + ((long)combined_pfn - (long)pfn);
		pfn = combined_pfn;
		order++;
	}
	*pfnp = pfn;
	*orderp = order;
	return page;
}

/*
 * split_block: a block of order @high was taken to serve an order @low request: keep the
 * lowest 2^low pages and hand every upper half, from order high-1 down to low, to @put_half().
 *	order 3 block at pfn 8, request order 1:
 *	  high 3 -> 2: pfns 12..15 go back as an order-2 block
 *	  high 2 -> 1: pfns 10..11 go back as an order-1 block (the buddy of 8: 8 ^ 2 = 10)
 *	  pfns 8..9 are returned (parent of 8 and 10: 8 & ~2 = 8)
 */
static __always_inline void
split_block(struct page *page, unsigned int low, unsigned int high,
	    void (*put_half)(void *ctx, struct page *half, unsigned int order), void *ctx)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		put_half(ctx, &page[size], high);
	}
}

/* Context: zone lock held for all of these. */
void __free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
		     unsigned int order);
/* A block free page reporting held goes back, at the tail, PG_reported unless it merged. */
void __putback_reported_block(struct zone *zone, struct page *page, unsigned int order,
			      bool reported);
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype);
struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype,
		       unsigned int alloc_flags);
unsigned long move_freepages_block(struct zone *zone, struct page *page, int migratetype);
void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order,
			     int migratetype);
void add_to_free_list(struct page *page, struct zone *zone, unsigned int order,
		      int migratetype, bool tail);
/* Free a block of any order, pageblock by pageblock above pageblock_order (each chunk goes
 * to the lists of its own pageblock's type, then merges where the types allow). */
void __free_pages_to_buddy(struct zone *zone, struct page *page, unsigned long pfn,
			   unsigned int order);
void __free_llist_to_buddy(struct zone *zone, struct llist_node *n);
/* Set the migratetype of every pageblock in [pfn, pfn + 2^order). */
void set_pageblock_range(struct page *page, unsigned int order, int migratetype);
/* The free block containing pfn (its head), or NULL if pfn is not free. */
struct page *__find_free_block(struct zone *zone, unsigned long pfn, unsigned int *order);
void __remerge_pageblock(struct zone *zone, struct page *page);
/* Split the free block containing pfn so that no free block straddles pfn's pageblock. */
void __split_large_buddy_at(struct zone *zone, unsigned long pfn);

/* Take the zone lock themselves. */
void reserve_highatomic_pageblock(struct page *page, unsigned int order, struct zone *zone);
bool unreserve_highatomic_pageblock(struct zone *zone, int migratetype, bool force);
bool take_page_off_buddy(struct page *page);
bool put_page_back_buddy(struct page *page);

/* ---- isolation (mm/isolation.c) ---- */
int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype);
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype);
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn);

/* ---- checks (mm/debug.c) ---- */
extern bool page_poisoning_enabled;	/* page_poison=1 (c) */
void page_poisoning_init(void);
/* Report a bad page: pfn, flags, order, reason and the caller; count it. */
void bad_page(struct page *page, const char *reason, unsigned int order, unsigned long caller);
/* True if freeing (page, order) would corrupt the allocator; the report is already printed. */
bool __free_pages_check_bad(struct page *page, unsigned int order, unsigned long caller);
/* A physical address handed to free_pages(): false (reported) if it is not a freeable block. */
bool free_addr_check_bad(unsigned long addr, unsigned int order, unsigned long caller);
void kernel_poison_pages(struct page *page, unsigned int nr);
/* True if every poisoned page of the block is intact; else reports the first damage. */
bool check_poisoned_pages(struct page *page, unsigned int order);
/* A struct page pointer that really points into the memmap. */
static inline bool page_in_memmap(const struct page *page)
{
	const struct page *base;

	if (!page || !IS_ALIGNED((unsigned long)page, sizeof(unsigned long)))
		return false;
	base = section_mem_map((page_flags_read(page) >> PAGE_SECTION_SHIFT) & PAGE_SECTION_MASK);
	return base && page >= base && page < base + PAGES_PER_SECTION;
}

/* Flags no block being freed may carry: already free, never the allocator's, or taken out. */
#define PAGE_FLAGS_CHECK_AT_FREE	(BIT(PG_buddy) | BIT(PG_pcp) | BIT(PG_llist) |	\
					 BIT(PG_reserved) | BIT(PG_bad) | BIT(PG_hwpoison) |	\
					 BIT(PG_balloon) | BIT(PG_mkind0) | BIT(PG_mkind1) |	\
					 BIT(PG_isolated))

/*
 * free_pages_check_ok - may (page, order) be freed? The quick test on every free.
 * The same conditions as __free_pages_check_bad() (a struct page of the memmap; order <=
 * MAX_PAGE_ORDER; none of the flags above, so no double free; refcount exactly 1; freed with
 * the order it was allocated with, which is in private; aligned), read with one load of the
 * flags word, and nothing called: a block that fails goes to the reporting half, which finds
 * out which condition failed, reports it, and refuses the free. The checks run on the
 * freeing CPU, before any routing, for local and remote frees alike: a remote free is
 * refused before it reaches the owner's free_llist. The owner checks again what it absorbs
 * (PG_llist set, order in range: __pcp_absorb()).
 * Return: true, with the block's pfn in *pfnp, if it passed.
 * Context: any CPU.
 */
static __always_inline bool free_pages_check_ok(struct page *page, unsigned int order,
						unsigned long *pfnp)
{
	unsigned long flags, sec, pfn;
	const struct page *base;

	if (likely(page && IS_ALIGNED((unsigned long)page, sizeof(unsigned long)))) {
		/* page_in_memmap() and page_to_pfn() with one section lookup. */
		flags = page_flags_read(page);
		sec = (flags >> PAGE_SECTION_SHIFT) & PAGE_SECTION_MASK;
		base = section_mem_map(sec);
		if (likely(base && page >= base && page < base + PAGES_PER_SECTION &&
			   order <= MAX_PAGE_ORDER && !(flags & PAGE_FLAGS_CHECK_AT_FREE) &&
			   page_count(page) == 1 && page_private(page) == order)) {
			pfn = (sec << PFN_SECTION_SHIFT) + (unsigned long)(page - base);
			if (likely(IS_ALIGNED(pfn, 1UL << order))) {
				*pfnp = pfn;
				return true;
			}
		}
	}
	return false;
}

/* Zero a block with 8-byte stores (mm/page_alloc.c). */
void clear_pages(struct page *page, unsigned int order);

/*
 * What every allocation does to a block fresh off the free lists, after the poison check
 * (prep_new_page()): refcount 1, the order recorded in the head page (so that a free with
 * another order is caught), zeroed for __GFP_ZERO.
 */
static __always_inline void prep_new_block(struct page *page, unsigned int order, gfp_t gfp)
{
	set_page_count(page, 1);
	set_page_private(page, order);
	if (order)
		page_set_flag(page, PG_head);
	if (gfp & __GFP_ZERO)
		clear_pages(page, order);
}

/* Steps 1-5 of the allocator (mm/page_alloc.c): what the fast path falls back to. */
struct page *__alloc_pages_walk(gfp_t gfp, unsigned int order, int nid,
				unsigned int alloc_flags);
const char *page_flags_string(unsigned long flags, char *buf, size_t len);

/* ---- mm_init.c / watermark.c ---- */
void setup_per_zone_wmarks(void);
void setup_per_zone_lowmem_reserve(void);
extern unsigned long min_free_kbytes;		/* (c) */
extern unsigned long nr_kernel_pages_reserved;	/* memblock-reserved RAM pages at boot (c) */

/* ---- vmstat (mm/vmstat.c) ---- */
/* Context: zone lock held. */
static inline void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item,
					 long delta)
{
	/* A relaxed store, not an atomic add: the lock serialises writers; readers are lockless. */
	__atomic_store_n(&zone->vm_stat[item], zone->vm_stat[item] + (unsigned long)delta,
			 __ATOMIC_RELAXED);
}

#endif /* MM_INTERNAL_H */
