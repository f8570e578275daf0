// SPDX-License-Identifier: MIT
/*
 * ktest suite `boot`: what the boot loader handed over survives memory management.
 *
 * reservations_held: every page of RAM that memblock reserved (boot_info's reservations, the
 * device tree's /reserved-memory with the regions placed for it, memblock's own allocations)
 * is PG_reserved in the memmap, so the page allocator never had it; and every boot_info
 * reservation is still covered by memblock. Run with a generated device tree holding
 * hundreds of reservations (qemu-riscv64.sh DTB_EDIT=...), it checks each of them.
 *
 * modules_intact: every boot module whose command line carries `crc32=0xXXXXXXXX` (the
 * CRC-32 of its bytes, as zlib and gzip compute it) must keep those bytes, checked right
 * after mm init and again with every free page taken and overwritten. Its pages must never
 * have been the allocator's: the memmap marks them PG_reserved. scripts/mkiso.sh adds the
 * argument for each module it loads (qemu-x86_64.sh MODULES=...); without such a module
 * the case is skipped.
 */
#include "kernel/boot_info.h"
#include "kernel/ktest.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include <asm/memory.h>

/* Pages of boot_info reservation r, inside RAM, that memblock does not hold reserved. */
static unsigned long boot_range_uncovered(const struct boot_range *r)
{
	unsigned long n = 0;

	if (!r->size || r->base + r->size - 1 < r->base || r->base >= ARCH_PHYS_ADDR_MAX)
		return 0;
	phys_addr_t last = min_t(phys_addr_t, r->base + r->size - 1, ARCH_PHYS_ADDR_MAX - 1);

	for (unsigned long pfn = PHYS_PFN(r->base); pfn <= PHYS_PFN(last); pfn++) {
		if (!pfn_valid(pfn)) {		/* no RAM in this section: skip it whole */
			pfn = ALIGN_UP(pfn + 1, PAGES_PER_SECTION) - 1;
			continue;
		}
		n += memblock_is_memory(PFN_PHYS(pfn), PAGE_SIZE) &&
		     !memblock_is_reserved(PFN_PHYS(pfn), PAGE_SIZE);
	}
	return n;
}

static void reservations_held(struct ktest *t)
{
	unsigned long pages = 0, not_reserved = 0, uncovered = 0;
	unsigned int regions = 0;
	struct memblock_region r;

	for (unsigned int i = 0; memblock_reserved_region(i, &r); i++, regions++) {
		for (unsigned long pfn = PHYS_PFN(r.base); pfn < PHYS_PFN(r.base + r.size); pfn++) {
			if (!pfn_valid(pfn)) {	/* no RAM in this section: skip it whole */
				pfn = ALIGN_UP(pfn + 1, PAGES_PER_SECTION) - 1;
				continue;
			}
			if (!memblock_is_memory(PFN_PHYS(pfn), PAGE_SIZE))
				continue;
			pages++;
			if (!PageReserved(pfn_to_page(pfn)) && !not_reserved++)
				ktest_log(t, "pfn %#lx of reserved [%#llx+%#llx] is not PG_reserved",
					  pfn, (unsigned long long)r.base,
					  (unsigned long long)r.size);
		}
	}
	for (unsigned int i = 0; i < boot_info.nr_reserved; i++) {
		unsigned long n = boot_range_uncovered(&boot_info.reserved[i]);

		if (n && !uncovered)
			ktest_log(t, "boot reservation %u [%#llx+%#llx] %s: %lu pages not in memblock",
				  i, (unsigned long long)boot_info.reserved[i].base,
				  (unsigned long long)boot_info.reserved[i].size,
				  boot_rsv_kind_name(boot_info.reserved[i].type), n);
		uncovered += n;
	}
	ktest_log(t, "%u boot reservations, %u memblock regions, %lu reserved pages of RAM",
		  boot_info.nr_reserved, regions, pages);
	KT_EXPECT_EQ(t, not_reserved, 0);
	KT_EXPECT_EQ(t, uncovered, 0);
}

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320), bit by bit: small, and fast enough. */
static u32 crc32_ieee(const u8 *p, size_t n)
{
	u32 crc = 0xffffffffU;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

/* The crc32= value in a module's command line; false if it has none. */
static bool module_crc(const struct boot_module *m, u32 *crc)
{
	for (const char *s = m->cmdline; *s; s++) {
		if ((s == m->cmdline || s[-1] == ' ') && !strncmp(s, "crc32=", 6)) {
			const char *end;
			unsigned long long v = simple_strtoull(s + 6, &end, 16);

			if (end == s + 6 || v > 0xffffffffULL)
				return false;
			*crc = (u32)v;
			return true;
		}
	}
	return false;
}

/* How many modules carry a crc32= that does not match their bytes (each one reported). */
static unsigned int modules_damaged(struct ktest *t, const char *when)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		u32 want, got;

		if (!module_crc(m, &want))
			continue;
		got = crc32_ieee(__va(m->base), m->size);
		if (got != want) {
			ktest_log(t, "module '%s' [%#llx+%#llx] %s: crc32 %#x, expected %#x",
				  m->cmdline, (unsigned long long)m->base,
				  (unsigned long long)m->size, when, got, want);
			bad++;
		}
	}
	return bad;
}

/* Pages of modules that the memmap does not mark reserved: the allocator could own them. */
static unsigned long module_pages_not_reserved(struct ktest *t)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		unsigned long first = PHYS_PFN(m->base);
		unsigned long last = PHYS_PFN(m->base + m->size - 1);
		unsigned long bad = 0;

		for (unsigned long pfn = first; pfn <= last; pfn++)
			bad += pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn));
		if (bad)
			ktest_log(t, "module '%s': %lu of %lu pages are not reserved", m->cmdline,
				  bad, last - first + 1);
		n += bad;
	}
	return n;
}

/* Take every block the allocator gives (biggest first) and fill it; returns pages taken. */
static unsigned long take_everything(struct list_head held[MAX_PAGE_ORDER + 1])
{
#if ARCH_HAS_ZONE_DMA
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_DMA32, GFP_DMA, GFP_ATOMIC | GFP_DMA };
#else
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_DMA32, GFP_ATOMIC | GFP_DMA32 };
#endif
	unsigned long pages = 0;
	struct page *page;

	for (unsigned int g = 0; g < ARRAY_SIZE(gfps); g++) {
		for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
			while ((page = alloc_pages(gfps[g] | __GFP_NOWARN, order))) {
				memset(page_address(page), 0xa5, PAGE_SIZE << order);
				list_add(&page->lru, &held[order]);
				pages += 1UL << order;
			}
		}
	}
	return pages;
}

static void give_everything_back(struct list_head held[MAX_PAGE_ORDER + 1])
{
	for (int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *page, *tmp;

		list_for_each_entry_safe(page, tmp, &held[order], lru) {
			list_del(&page->lru);
			__free_pages(page, order);
		}
	}
}

static void modules_intact(struct ktest *t)
{
	struct list_head held[MAX_PAGE_ORDER + 1];
	unsigned int checked = 0;
	u32 crc;

	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		checked += module_crc(&boot_info.modules[i], &crc);
	if (!checked) {
		ktest_skip(t, "no boot module with crc32= on its command line");
		return;
	}
	KT_EXPECT_EQ(t, module_pages_not_reserved(t), 0);
	KT_EXPECT_EQ(t, modules_damaged(t, "after mm init"), 0);

	for (int order = 0; order <= MAX_PAGE_ORDER; order++)
		INIT_LIST_HEAD(&held[order]);
	unsigned long taken = take_everything(held);

	ktest_log(t, "%u module(s) checked; %lu pages taken and overwritten, %lu left free",
		  checked, taken, nr_free_pages());
	KT_EXPECT_GT(t, taken, 0);
	KT_EXPECT_EQ(t, modules_damaged(t, "with all free memory overwritten"), 0);
	give_everything_back(held);
}

static struct ktest_case boot_cases[] = {
	KTEST_CASE(reservations_held),
	KTEST_CASE(modules_intact),
	{}
};
KTEST_SUITE(boot, boot_cases);
