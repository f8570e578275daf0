// SPDX-License-Identifier: MIT
/*
 * ktest suite `boot`: what the boot loader handed over survives memory management.
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
#include "mm/page_alloc.h"
#include <asm/memory.h>

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
	KTEST_CASE(modules_intact),
	{}
};
KTEST_SUITE(boot, boot_cases);
