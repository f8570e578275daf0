// SPDX-License-Identifier: MIT
/*
 * Watermarks and lowmem_reserve: how many free pages each zone keeps back, and from whom.
 *
 * min_free_kbytes grows with the square root of memory, as in Linux: sqrt(lowmem_kbytes * 16),
 * clamped to [128 KiB, 256 MiB] (64 MiB of RAM: ~1 MiB; 4 GiB: ~8 MiB). It is shared out
 * among the zones in proportion to their managed pages: that is each zone's WMARK_MIN. Above
 * it, a gap of max(min / 4, 0.1% of the zone) gives WMARK_LOW = min + gap and
 * WMARK_HIGH = min + 2 * gap. The fast path allocates only above LOW, ordinary slow-path
 * allocations down to MIN, __GFP_HIGH ones down to MIN / 2 (mm/page_alloc.c).
 *
 * lowmem_reserve: an allocation that could have used a higher zone (GFP_KERNEL may use
 * NORMAL) must leave a lower zone (DMA32) lowmem_reserve[NORMAL] pages more than its
 * watermark: the managed pages of the zones above, divided by the lower zone's ratio (256 for
 * DMA and DMA32, as Linux). Only allocations that must have low memory dig into it.
 * Linux: mm/page_alloc.c __setup_per_zone_wmarks(), setup_per_zone_lowmem_reserve(),
 * init_per_zone_wmark_min().
 *
 * Locking: computed by the boot CPU before SMP (c). (A runtime change would take each zone
 * lock around the update.)
 */
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "kernel/printk.h"

unsigned long min_free_kbytes;

#define WATERMARK_SCALE_FACTOR	10	/* the gap is at least this many 1/10000 of the zone */

static const unsigned int lowmem_reserve_ratio[MAX_NR_ZONES] = {
#if ARCH_HAS_ZONE_DMA
	[ZONE_DMA] = 256,
#endif
	[ZONE_DMA32] = 256,
	[ZONE_NORMAL] = 32,	/* nothing is above NORMAL: unused */
};

/* floor(sqrt(x)), bit by bit. */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long res = 0, bit = 1UL << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= res + bit) {
			x -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return res;
}

void setup_per_zone_lowmem_reserve(void)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			unsigned long above = 0;

			for (int j = 0; j <= i; j++)
				zone->lowmem_reserve[j] = 0;
			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				above += pgdat->node_zones[j].managed_pages;
				zone->lowmem_reserve[j] = zone->managed_pages ?
					above / lowmem_reserve_ratio[i] : 0;
			}
		}
	}
}

void setup_per_zone_wmarks(void)
{
	unsigned long lowmem_pages = totalram_pages(), pages_min;
	struct zone *zone;

	min_free_kbytes = int_sqrt((lowmem_pages << (PAGE_SHIFT - 10)) * 16);
	/* Two steps: nesting min()/max() shadows their temporaries (-Wshadow). */
	min_free_kbytes = max_t(unsigned long, min_free_kbytes, 128);
	min_free_kbytes = min_t(unsigned long, min_free_kbytes, 262144);
	pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);

	for_each_zone(zone) {
		unsigned long min, gap;

		if (!zone->managed_pages || !lowmem_pages) {
			zone->_watermark[WMARK_MIN] = 0;
			zone->_watermark[WMARK_LOW] = 0;
			zone->_watermark[WMARK_HIGH] = 0;
			continue;
		}
		min = pages_min * zone->managed_pages / lowmem_pages;
		gap = max(min / 4, zone->managed_pages * WATERMARK_SCALE_FACTOR / 10000);
		zone->_watermark[WMARK_MIN] = min;
		zone->_watermark[WMARK_LOW] = min + gap;
		zone->_watermark[WMARK_HIGH] = min + 2 * gap;
	}
}
