// SPDX-License-Identifier: MIT
/*
 * Checks that turn allocator misuse and memory corruption into a precise report, and no
 * damage: a bad free is refused before it reaches the free lists, and a free page found
 * corrupted is never handed out.
 *
 *	double free		the page is already free (PG_buddy, or inside a free block)
 *	wrong order		freed with an order other than the one it was allocated with
 *				(the allocation records it in the head page's private)
 *	reserved page		memblock-reserved, or a hole in the memmap (then: "not RAM")
 *	not RAM			the address has no struct page at all
 *	unaligned		address not page-aligned, pfn not aligned to the order
 *	refcount		not 1 (a tail page, or a page freed twice after a merge)
 *	poison			page_poison=1: each freed page is filled with PAGE_POISON and
 *				checked when allocated again; the first damaged byte is reported
 *				with pfn, offset, expected and found
 *
 * A report names the pfn, flags, order, refcount and the caller's return address. A page
 * whose owner got it wrong (wrong order, bad refcount) is taken out of circulation for good:
 * marked PG_bad and counted NR_BAD_PAGES, never freed. A free of a page that is already free,
 * reserved or not RAM changes nothing. Every refusal counts PGBAD_FREE.
 * Linux: mm/page_alloc.c bad_page(), free_page_is_bad(); mm/page_poison.c.
 *
 * Locking: reports take the zone lock only to update counters and look for free blocks.
 */
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

bool page_poisoning_enabled;

#define POISON_WORD	0xaaaaaaaaaaaaaaaaULL	/* PAGE_POISON in every byte */

static const char *const pageflag_names[NR_PAGEFLAGS] = {
	[PG_buddy] = "buddy",
	[PG_reserved] = "reserved",
	[PG_head] = "head",
	[PG_poisoned] = "poisoned",
	[PG_bad] = "bad",
	[PG_hwpoison] = "hwpoison",
	[PG_pcp] = "pcp",
	[PG_llist] = "llist",
	[PG_balloon] = "balloon",
	[PG_reported] = "reported",
	[PG_mkind0] = "mkind0",
	[PG_mkind1] = "mkind1",
	[PG_isolated] = "isolated",
};

const char *page_flags_string(unsigned long flags, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int f = 0; f < NR_PAGEFLAGS && used < len; f++)
		if (flags & BIT(f))
			used += snprintf(buf + used, len - used, "%s%s", used ? "|" : "",
					 pageflag_names[f]);
	return buf;
}

/* page_poison=1 on the command line. Boot CPU, before the first free. */
void page_poisoning_init(void)
{
	unsigned long v;

	page_poisoning_enabled = cmdline_get_ulong("page_poison", &v) && v;
	if (page_poisoning_enabled)
		pr_info("mm: page_poison=1: free pages are poisoned and checked on allocation\n");
}

int page_poison_byte(void)
{
	return page_poisoning_enabled ? (int)PAGE_POISON : -1;
}

/**
 * bad_page - report a page in a state it must not be in
 * @page: the page
 * @reason: what is wrong, in words
 * @order: the order of the operation
 * @caller: the return address of the API caller (0 if unknown)
 *
 * Context: any CPU; does not take locks.
 */
void bad_page(struct page *page, const char *reason, unsigned int order, unsigned long caller)
{
	char flags[64];

	pr_err("BUG: Bad page state: pfn:0x%lx flags:0x%lx(%s) order:%u refcount:%d private:%lu\n",
	       page_to_pfn(page), page->flags & PAGE_FLAGS_MASK,
	       page_flags_string(page->flags, flags, sizeof(flags)), order, page_count(page),
	       page_private(page));
	pr_err("BUG: Bad page state: %s, caller 0x%lx (see kernel.sym)\n", reason, caller);
	count_vm_events(PGBAD_FREE, 1);
}

/* Leak an allocated block for good: its owner's bookkeeping is wrong, so nobody may reuse it. */
static void take_out_allocated(struct page *page)
{
	struct zone *zone = page_zone(page);
	unsigned long nr = 1UL << min_t(unsigned long, page_private(page), MAX_PAGE_ORDER);

	page_set_flag(page, PG_bad);
	guard(zone_lock_irqsave)(zone);
	__mod_zone_page_state(zone, NR_BAD_PAGES, (long)nr);
}

bool free_addr_check_bad(unsigned long addr, unsigned int order, unsigned long caller)
{
	unsigned long pfn;

	if (!IS_ALIGNED(addr, PAGE_SIZE)) {
		pr_err("BUG: Bad page free: address 0x%lx (order %u) is not page-aligned, caller 0x%lx\n",
		       addr, order, caller);
		count_vm_events(PGBAD_FREE, 1);
		return true;
	}
	pfn = PHYS_PFN(__pa((void *)addr));
	if (!pfn_valid(pfn)) {
		pr_err("BUG: Bad page free: address 0x%lx (pfn 0x%lx, order %u) is not RAM, caller 0x%lx\n",
		       addr, pfn, order, caller);
		count_vm_events(PGBAD_FREE, 1);
		return true;
	}
	return false;
}

static bool page_inside_free_block(struct page *page)
{
	struct zone *zone = page_zone(page);
	unsigned int order;

	guard(zone_lock_irqsave)(zone);
	return __find_free_block(zone, page_to_pfn(page), &order) != NULL;
}

/**
 * __free_pages_check_bad - may (page, order) be freed? The reporting half
 * (free_pages_check_ok() in mm/internal.h is the quick test; a block it refuses comes here).
 * @page: what the caller passed
 * @order: the order the caller passed
 * @caller: the caller's return address
 *
 * Return: true if the free must be refused; the report has been printed.
 * Context: any CPU.
 */
bool __free_pages_check_bad(struct page *page, unsigned int order, unsigned long caller)
{
	unsigned long pfn;

	if (!page_in_memmap(page)) {
		pr_err("BUG: Bad page free: %p (order %u) is not a struct page of RAM, caller 0x%lx\n",
		       (void *)page, order, caller);
		count_vm_events(PGBAD_FREE, 1);
		return true;
	}
	pfn = page_to_pfn(page);
	if (order > MAX_PAGE_ORDER) {
		bad_page(page, "order above MAX_PAGE_ORDER", order, caller);
		return true;
	}
	if (PageReserved(page)) {
		bad_page(page, memblock_is_memory(PFN_PHYS(pfn), PAGE_SIZE) ?
			 "freeing a reserved page" : "pfn is not RAM (a hole in the memory map)",
			 order, caller);
		return true;
	}
	if (PageBuddy(page) || PagePcp(page) || PageLlist(page)) {
		bad_page(page, "double free: the page is already free", order, caller);
		return true;
	}
	if (PageBad(page) || PageHWPoison(page)) {
		bad_page(page, "the page was taken out of circulation", order, caller);
		return true;
	}
	if (PageBalloon(page)) {
		bad_page(page, "the page is still in a balloon (not dequeued)", order, caller);
		return true;
	}
	if (!IS_ALIGNED(pfn, 1UL << order)) {
		bad_page(page, "pfn not aligned to the order", order, caller);
		return true;
	}
	if (page_count(page) == 0) {
		bad_page(page, page_inside_free_block(page) ?
			 "double free: the page is inside a free block" :
			 "refcount 0: not an allocated head page (a tail page?)", order, caller);
		return true;
	}
	if (page_count(page) != 1) {
		bad_page(page, "refcount is not 1", order, caller);
		take_out_allocated(page);
		return true;
	}
	if (page_private(page) != order) {
		char why[80];

		snprintf(why, sizeof(why), "wrong order: freed with order %u, allocated with order %lu",
			 order, page_private(page));
		bad_page(page, why, order, caller);
		take_out_allocated(page);
		return true;
	}
	return false;
}

void kernel_poison_pages(struct page *page, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		memset(page_address(page + i), PAGE_POISON, PAGE_SIZE);
		page_set_flag(page + i, PG_poisoned);
	}
}

/* Offset of the first byte that is not PAGE_POISON, or PAGE_SIZE if the page is intact. */
static unsigned long poison_damage(const struct page *page, u8 *found)
{
	const u64 *p = page_address(page);

	for (unsigned long i = 0; i < PAGE_SIZE / sizeof(u64); i++) {
		if (p[i] == POISON_WORD)
			continue;
		for (unsigned long b = 0; b < sizeof(u64); b++) {
			u8 v = ((const u8 *)&p[i])[b];

			if (v != PAGE_POISON) {
				*found = v;
				return i * sizeof(u64) + b;
			}
		}
	}
	return PAGE_SIZE;
}

/**
 * check_poisoned_pages - check a block taken off the free lists before handing it out
 * @page: the head page (off the lists, not yet prepared)
 * @order: its order
 *
 * Return: true if every page is intact (their PG_poisoned is cleared). Otherwise each damaged
 * page is reported, marked PG_bad and counted NR_BAD_PAGES, the intact pages go back to the
 * free lists, and false is returned: the caller must allocate again.
 * Context: any CPU; takes the zone lock on failure.
 */
bool check_poisoned_pages(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order, bad = 0;
	struct zone *zone = page_zone(page);
	unsigned long pfn = page_to_pfn(page);

	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = page + i;
		unsigned long off;
		u8 found = 0;

		if (!PagePoisoned(p))
			continue;
		off = poison_damage(p, &found);
		if (off == PAGE_SIZE)
			continue;
		pr_err("BUG: free page corrupted: pfn:0x%lx offset:0x%lx expected:0x%02x found:0x%02x\n",
		       pfn + i, off, PAGE_POISON, found);
		page_set_flag(p, PG_bad);
		bad++;
	}
	if (!bad) {
		for (unsigned long i = 0; i < nr; i++)
			page_clear_flag(page + i, PG_poisoned);
		return true;
	}
	count_vm_events(PGPOISON_CORRUPT, bad);
	guard(zone_lock_irqsave)(zone);
	__mod_zone_page_state(zone, NR_BAD_PAGES, (long)bad);
	for (unsigned long i = 0; i < nr; i++)
		if (!PageBad(page + i))
			__free_one_page(zone, page + i, pfn + i, 0);
	return false;
}
