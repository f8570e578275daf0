/* SPDX-License-Identifier: MIT */
/*
 * struct page: one 32-byte descriptor per page frame of RAM, and the memmap that holds them.
 *
 * The memmap is sparse (Linux: "classic sparsemem"): physical memory is cut into sections of
 * SECTION_SIZE (128 MiB); each section that holds any RAM gets its own array of struct page,
 * allocated from memblock at boot (mm/memmap.c). The section table mem_section[] runs from
 * the first section holding RAM to the last, so the address space below RAM costs nothing
 * and a section of hole between RAM costs one NULL pointer. pfn_to_page() indexes the
 * section table, page_to_pfn() reads the section number stored in page->flags, so both are
 * a few instructions and need no search.
 *
 * page->flags layout (64 bits):
 *	bits  0..15	PG_* flags below
 *	bits 16..47	section number (up to 2^32 sections: 2^59 bytes, more than any arch needs)
 *	bits 48..49	zone index (enum zone_type)
 *	bits 50..55	node id (one node for now; NUMA fills it later)
 *
 * Migratetypes are NOT in struct page: they belong to pageblocks and live in a per-zone array
 * (mm/pageblock.c), so a page needs no update when its block changes type.
 *
 * Locking: the lock key is in kernel/spinlock.h. A free page (PG_buddy) belongs to its zone and
 * every field is (z). An allocated page belongs to whoever allocated it; the allocator reads
 * flags/private/_refcount again only when it is freed.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include "kernel/compiler.h"
#include "kernel/lib/list.h"
#include "kernel/lib/llist.h"
#include <asm/memory.h>

enum pageflags {
	PG_buddy,	/* head of a free block on a zone free list; private = its order */
	PG_reserved,	/* never handed to the buddy allocator (memblock-reserved or a hole) */
	PG_head,	/* head of an allocated block of order > 0 (the order is in private) */
	PG_poisoned,	/* free page filled with PAGE_POISON (page_poison=1), checked on alloc */
	PG_bad,		/* failed a check: out of circulation for good (counted NR_BAD_PAGES) */
	PG_hwpoison,	/* taken off the buddy lists by take_page_off_buddy() */
	PG_pcp,		/* head of a free piece on a per-CPU list; private = its order (p) */
	PG_llist,	/* free, in transit on a free_llist or deferred list; private = order */
	PG_balloon,	/* allocated, on a balloon's list; private = its id (mm/balloon.h) (b) */
	PG_reported,	/* PG_buddy head already reported to the host (mm/page_reporting.c) (z) */
	PG_mkind0,	/* allocated, movable: two bits of enum movable_kind (mm/migrate.h) */
	PG_mkind1,
	PG_isolated,	/* movable page taken by a scanner for migration: compare-and-swap only
			 * (mm/migrate.c explains why the relaxed accessors stay correct) */
	NR_PAGEFLAGS
};

struct page {
	unsigned long flags;	/* PG_* bits, section, zone, node: see above (z when free) */
	union {
		struct list_head lru;	/* free: zone free_list or PCP list link (z/p);
					 * allocated: the owner's */
		struct llist_node pcp_llist; /* in transit on a free_llist (l) */
	};
	u32 private;		/* free: buddy order (z); allocated head: the order allocated */
	s32 _refcount;		/* 0 when free or a tail page; 1 for an allocated head page */
};

/* Every memmap byte counts: 32 bytes is 0.78% of RAM; Linux's 64 bytes are 1.56%. */
_Static_assert(sizeof(struct page) <= 32, "struct page must stay at most 32 bytes");

#define PAGE_POISON	0xaaU	/* the byte written over a free page with page_poison=1 */

/*
 * ---- flags ----
 * Relaxed atomic loads and stores, not read-modify-write atomics: a page's flags word is
 * written by one party at a time (the zone-lock holder for a free page, the pcp->lock holder
 * for a PCP page, the owner of an allocated page), but another CPU may read it meanwhile
 * (buddy checks look at a neighbour's flags). Word-sized relaxed accesses compile to plain
 * loads and stores and make those reads well defined (and clean under ThreadSanitizer).
 */
static inline unsigned long page_flags_read(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_RELAXED);
}

static inline bool page_test_flag(const struct page *page, enum pageflags f)
{
	return page_flags_read(page) & BIT(f);
}

static inline void page_set_flag(struct page *page, enum pageflags f)
{
	__atomic_store_n(&page->flags, page_flags_read(page) | BIT(f), __ATOMIC_RELAXED);
}

static inline void page_clear_flag(struct page *page, enum pageflags f)
{
	__atomic_store_n(&page->flags, page_flags_read(page) & ~BIT(f), __ATOMIC_RELAXED);
}

#define PageBuddy(p)		page_test_flag(p, PG_buddy)
#define PageReserved(p)		page_test_flag(p, PG_reserved)
#define PageHead(p)		page_test_flag(p, PG_head)
#define PagePoisoned(p)		page_test_flag(p, PG_poisoned)
#define PageBad(p)		page_test_flag(p, PG_bad)
#define PageHWPoison(p)		page_test_flag(p, PG_hwpoison)
#define PagePcp(p)		page_test_flag(p, PG_pcp)
#define PageLlist(p)		page_test_flag(p, PG_llist)
#define PageBalloon(p)		page_test_flag(p, PG_balloon)
#define PageReported(p)		page_test_flag(p, PG_reported)

#define PAGE_FLAGS_MASK		(BIT(NR_PAGEFLAGS) - 1)
#define PAGE_SECTION_SHIFT	16
#define PAGE_SECTION_MASK	0xffffffffUL
#define PAGE_ZONE_SHIFT		48
#define PAGE_ZONE_MASK		0x3UL
#define PAGE_NODE_SHIFT		50
#define PAGE_NODE_MASK		0x3fUL

static inline unsigned int page_zonenum(const struct page *page)
{
	return (page_flags_read(page) >> PAGE_ZONE_SHIFT) & PAGE_ZONE_MASK;
}

static inline int page_to_nid(const struct page *page)
{
	return (page_flags_read(page) >> PAGE_NODE_SHIFT) & PAGE_NODE_MASK;
}

static inline unsigned long page_private(const struct page *page)
{
	return page->private;
}

static inline void set_page_private(struct page *page, unsigned long v)
{
	page->private = (u32)v;
}

static inline int page_count(const struct page *page)
{
	return READ_ONCE(page->_refcount);
}

static inline void set_page_count(struct page *page, int v)
{
	WRITE_ONCE(page->_refcount, v);
}

/*
 * Drop the last reference of an allocated block: 1 -> 0 in one atomic step, so that of two
 * CPUs freeing the same block at once exactly one wins (Linux: put_page_testzero()).
 * Acquire and release: the winner sees everything the block's users wrote before their
 * frees. Return: true if this call took it to 0.
 */
static __always_inline bool page_ref_put_last(struct page *page)
{
	int one = 1;

	return __atomic_compare_exchange_n(&page->_refcount, &one, 0, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}

/* ---- the memmap: sections ---- */

/* 128 MiB sections: 1 MiB of memmap each; small enough that a hole of 128 MiB costs nothing. */
#define SECTION_SHIFT		27
#define SECTION_SIZE		(1UL << SECTION_SHIFT)
#define PFN_SECTION_SHIFT	(SECTION_SHIFT - PAGE_SHIFT)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)

extern struct page **mem_section;	/* [nr_mem_sections], NULL for no RAM (c) */
extern unsigned long mem_section_first;	/* section number of mem_section[0] (c) */
extern unsigned long nr_mem_sections;	/* sections from the first to the last with RAM (c) */

/*
 * The memmap of section number sec, or NULL. One compare covers both bounds: below
 * mem_section_first, the unsigned difference wraps to a huge index.
 */
static inline struct page *section_mem_map(unsigned long sec)
{
	unsigned long idx = sec - mem_section_first;

	return idx < nr_mem_sections ? mem_section[idx] : NULL;
}

#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PFN_UP(x)	((unsigned long)(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT))
#define PFN_DOWN(x)	PHYS_PFN(x)

/* True if pfn has a struct page: its section holds RAM. Holes inside it are PG_reserved. */
static inline bool pfn_valid(unsigned long pfn)
{
	return section_mem_map(pfn >> PFN_SECTION_SHIFT) != NULL;
}

/* Only for a pfn_valid() pfn. */
static inline struct page *pfn_to_page(unsigned long pfn)
{
	return &mem_section[(pfn >> PFN_SECTION_SHIFT) - mem_section_first]
			   [pfn & (PAGES_PER_SECTION - 1)];
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	unsigned long sec = (page_flags_read(page) >> PAGE_SECTION_SHIFT) & PAGE_SECTION_MASK;

	return (sec << PFN_SECTION_SHIFT) +
	       (unsigned long)(page - mem_section[sec - mem_section_first]);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

/* Build the memmap for every section holding memblock memory (mm/memmap.c). Boot CPU. */
void memmap_init(void);
/* Bytes of struct page allocated for the memmap. */
unsigned long memmap_bytes(void);

#endif /* MM_PAGE_H */
