// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: allocator operation sequences. Boots one allocator (64 MiB, x86 zones)
 * on the first input; each input is a byte program: alloc (gfp, order), free the k-th live
 * block, isolate/undo a pageblock, take a page off the buddy and back. After the program
 * everything is freed and undone, and the free lists must be exactly as at boot (full
 * coalescing) with mm_check_invariants() == 0. Crashes, sanitizer reports and abort() on a
 * broken invariant are the findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/mm_helpers.h"

#define MAX_LIVE	256

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct buddy_snapshot boot_state;
static bool booted;

static const gfp_t gfps[8] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC,
	GFP_DMA, GFP_DMA32 | __GFP_MOVABLE, GFP_NOWAIT | __GFP_ZERO, GFP_ATOMIC | GFP_DMA32,
};

static void check(bool ok, const char *what)
{
	if (!ok) {
		host_log_dump();
		fprintf(stderr, "fuzz_alloc: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct page *live[MAX_LIVE];
	unsigned int order[MAX_LIVE], nr = 0;
	long isolated = -1;
	struct buddy_snapshot now;

	if (!booted) {
		boot_simple(64 * MiB, NULL);
		buddy_snapshot(&boot_state);
		booted = true;
	}
	host_log_clear();
	for (size_t i = 0; i + 1 < size; i += 2) {
		unsigned char op = data[i], arg = data[i + 1];

		switch (op % 5) {
		case 0: case 1:		/* alloc */
			if (nr < MAX_LIVE) {
				unsigned int o = arg % (MAX_PAGE_ORDER + 1);
				struct page *p = alloc_pages(gfps[op / 5 % 8] | __GFP_NOWARN, o);

				if (p) {
					live[nr] = p;
					order[nr++] = o;
				}
			}
			break;
		case 2:			/* free one */
			if (nr) {
				unsigned int k = arg % nr;

				__free_pages(live[k], order[k]);
				live[k] = live[--nr];
				order[k] = order[nr];
			}
			break;
		case 3:			/* isolate or undo one pageblock of DMA32 */
			if (isolated < 0) {
				struct zone *z = zone_of(ZONE_DMA32);
				unsigned long pfn = ALIGN_UP(z->zone_start_pfn, pageblock_nr_pages) +
					(arg % 16) * pageblock_nr_pages;

				if (start_isolate_page_range(pfn, pfn + pageblock_nr_pages,
							     MIGRATE_MOVABLE) == 0)
					isolated = (long)pfn;
			} else {
				undo_isolate_page_range(isolated, isolated + pageblock_nr_pages,
							MIGRATE_MOVABLE);
				isolated = -1;
			}
			break;
		case 4:			/* a page off the buddy lists and back */
			{
				struct page *p = pfn_to_page(zone_of(ZONE_DMA32)->zone_start_pfn +
							     arg * 37UL);

				if (take_page_off_buddy(p))
					check(put_page_back_buddy(p), "put_page_back_buddy");
			}
			break;
		}
		if ((i & 31) == 0)
			check(mm_check_invariants() == 0, "invariants during the program");
	}
	while (nr--)
		__free_pages(live[nr], order[nr]);
	if (isolated >= 0)
		undo_isolate_page_range(isolated, isolated + pageblock_nr_pages, MIGRATE_MOVABLE);
	for (int t = 0; t < MAX_NR_ZONES; t++)
		if (populated_zone(zone_of(t)))
			while (unreserve_highatomic_pageblock(zone_of(t), MIGRATE_MOVABLE, true))
				;
	check(mm_check_invariants() == 0, "invariants after freeing everything");
	buddy_snapshot(&now);
	if (!buddy_snapshot_equal(&boot_state, &now)) {
		buddy_snapshot_print("boot", &boot_state);
		buddy_snapshot_print("now", &now);
		check(false, "free lists differ from boot after freeing everything");
	}
	check(warn_count() == 0, "a WARN fired");
	return 0;
}
