/* SPDX-License-Identifier: MIT */
/*
 * The page allocator's public API: blocks of 2^order contiguous pages, as struct page or as a
 * direct-map address. Every function here funnels into one internal entry point
 * (__alloc_pages() in mm/page_alloc.c), so there is exactly one allocation path.
 *
 * Context (all of them): any CPU; may be called with interrupts off or in interrupt context
 * with GFP_ATOMIC/GFP_NOWAIT. Nothing here sleeps (there is no scheduler).
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include "kernel/compiler.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include <asm/memory.h>

/* A block of 2^order pages from node nid (NUMA_NO_NODE: the local node), or NULL. */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp)	alloc_pages(gfp, 0)

/*
 * From interrupt or NMI-like context, or with a lock held that an allocation could need:
 * only ever trylocks (pcp->lock, zone lock); fails (NULL) or, for frees, defers to a
 * lock-free list instead of spinning. No __GFP_DIRECT_RECLAIM, no warning on failure.
 */
struct page *alloc_pages_nolock(gfp_t gfp, int nid, unsigned int order);
void free_pages_nolock(struct page *page, unsigned int order);

/* Free a block from alloc_pages() with the order it was allocated with. */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page)	__free_pages(page, 0)

/* The same through direct-map addresses; 0 on failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp)	__get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr)	free_pages(addr, 0)

static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PHYS_PFN(__pa(addr)));
}

/*
 * adjust_managed_page_count - @page's zone manages @delta more (or fewer) pages: a balloon
 * taking pages out of use shrinks MemTotal, as Linux's function of the same name does.
 * Watermarks are not recomputed. Context: any; one atomic add.
 */
void adjust_managed_page_count(struct page *page, long delta);

/*
 * The byte every free page is filled with (PAGE_POISON) under page_poison=1, or -1 when free
 * pages are not poisoned; for a balloon device's poison_val. Context: any, after boot.
 */
int page_poison_byte(void);

/* The sum of watermark @w (WMARK_MIN/LOW/HIGH) over every zone, in pages. Context: any. */
unsigned long total_wmark_pages(enum zone_watermarks w);

/* Totals for printing and tests: free pages (not isolated) and managed pages, all zones. */
unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);

#endif /* MM_PAGE_ALLOC_H */
