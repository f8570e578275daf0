// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: migration and compaction (mm/migrate.c, mm/compaction.c, mm/balloon.c).
 * Boots one allocator (32 MiB, x86 zones, pcp=owner, 4 CPUs played by one thread, all but 3
 * of DMA32's free pageblocks held for good) on the first input; each input starts with
 * those 3 blocks fragmented by one movable page each (fixture_build()) and is a byte
 * program of two-byte steps:
 *   alloc movable (order 0..3: 2^order test pages with a pattern, contiguous), alloc
 *   unmovable (order 0..3, tagged), free the k-th live block, isolate a movable page, migrate
 *   an isolated page to a fresh page, put one back, compact (a zone, order -1..pageblock
 *   order or past MAX_PAGE_ORDER, sync or async), switch CPU, inflate or deflate a balloon
 *   page, and make the balloon's host refuse migrations or accept them.
 * After every step the invariant checker must be clean, every result must be what the API
 * promises (a page we hold isolated never moves, an isolation of it again fails, a bad order
 * or empty zone is -EINVAL), and no migration may break a pattern. At the end everything is
 * freed, each pattern and tag checked on the way, and the free lists must be exactly as at
 * boot. Crashes, sanitizer reports and abort() on a broken promise are the findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/mm_helpers.h"
#include "mm/balloon.h"
#include "mm/compaction.h"
#include "mm/migrate.h"

#define NCPUS		4
#define MAX_LIVE	128	/* live blocks */
#define NR_SLOTS	(MAX_LIVE * 8)	/* test pages: a block of order 3 is 8 of them */
#define MAX_ISOLATED	16	/* pages the program holds isolated */
#define MAX_BALLOON	256
#define FREE_BLOCKS	3	/* free pageblocks of DMA32 left to the programs */
#define MAX_STEPS	160	/* steps per input: the checker after each costs a memmap walk */
#define MOVABLE		(GFP_KERNEL | __GFP_MOVABLE)

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct buddy_snapshot boot_state;
static unsigned long boot_free;
static bool booted;
static struct movable_table table;
static struct page *slots[NR_SLOTS];
static struct balloon bal;
static bool host_refuses;	/* the balloon's host refuses migrations (fuzzed) */

struct block {
	bool movable;
	unsigned int order;
	struct page *page;	/* unmovable: the block */
	unsigned int slot;	/* movable: slots [slot, slot + 2^order) */
	u64 tag;		/* unmovable: in the first word of each page */
};

static void check(bool ok, const char *what)
{
	if (!ok) {
		host_log_dump();
		fprintf(stderr, "fuzz_compact: %s\n", what);
		abort();
	}
}

static unsigned long total_free(void)
{
	return nr_free_pages() + global_zone_page_state(NR_FREE_ISOLATED) + pcp_pages_everywhere();
}

static int host_migratepage(struct balloon *b, struct page *newpage, struct page *page)
{
	check(balloon_of_page(page) == b && !balloon_of_page(newpage),
	      "balloon migration names a page outside the balloon or a new page inside it");
	return host_refuses ? -EIO : 0;
}

/* 2^order contiguous free slots, or -1. */
static int slots_get(unsigned int order)
{
	unsigned int n = 1U << order;

	for (unsigned int s = 0; s + n <= NR_SLOTS; s += n) {
		unsigned int i;

		for (i = 0; i < n && !movable_table_page(&table, s + i); i++)
			;
		if (i == n)
			return (int)s;
	}
	return -1;
}

/* An allocated block as 2^order allocated order-0 pages (Linux: split_page()). */
static void split_to_pages(struct page *page, unsigned int order)
{
	page_clear_flag(page, PG_head);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		set_page_count(page + i, 1);
		set_page_private(page + i, 0);
	}
}

static bool tag_ok(const struct block *b)
{
	for (unsigned long i = 0; i < (1UL << b->order); i++)
		if (*(u64 *)page_address(b->page + i) != b->tag + i)
			return false;
	return true;
}

/* The isolated pages we hold: by slot. */
static unsigned int iso_slot[MAX_ISOLATED], nr_iso;

static int iso_find(unsigned int slot)
{
	for (unsigned int k = 0; k < nr_iso; k++)
		if (iso_slot[k] == slot)
			return (int)k;
	return -1;
}

static void iso_putback(unsigned int k)
{
	putback_movable_page(movable_table_page(&table, iso_slot[k]));
	iso_slot[k] = iso_slot[--nr_iso];
}

static void free_block(struct block *b)
{
	if (!b->movable) {
		check(tag_ok(b), "an unmovable block's tag changed");
		__free_pages(b->page, b->order);
		return;
	}
	for (unsigned int s = b->slot; s < b->slot + (1U << b->order); s++) {
		int k = iso_find(s);
		struct page *p;
		bool busy;

		if (k >= 0)
			iso_putback((unsigned int)k);
		check(movable_table_check(&table, s), "a test page lost its pattern");
		p = movable_table_clear(&table, s, &busy);
		check(p && !busy, "a test page could not be taken out of its slot");
		__free_page(p);
	}
}

/* What compaction must leave alone: the pages we hold isolated. */
static void check_isolated_held(struct page *const *before)
{
	for (unsigned int k = 0; k < nr_iso; k++) {
		struct page *p = movable_table_page(&table, iso_slot[k]);

		check(p == before[k], "compaction moved a page someone else held isolated");
		check(page_test_flag(p, PG_isolated), "a held page lost PG_isolated");
	}
}

/* HOST_VERBOSE=1: at exit, what the inputs made compaction do (is the corpus reaching it?). */
static void print_stats(void)
{
	fprintf(stderr, "fuzz_compact: migrated %lu (failed %lu), compaction scanned %lu and "
		"isolated %lu, order runs %lu succeeded %lu failed\n", vm_event(PGMIGRATE_SUCCESS),
		vm_event(PGMIGRATE_FAIL), vm_event(COMPACT_MIGRATE_SCANNED),
		vm_event(COMPACT_ISOLATED), vm_event(COMPACT_SUCCESS), vm_event(COMPACT_FAIL));
}

static struct page *pinned[64];	/* DMA32's blocks held for good (some freed at boot) */
static unsigned int nr_pinned;

static int by_pfn(const void *a, const void *b)
{
	unsigned long x = page_to_pfn(*(struct page *const *)a);
	unsigned long y = page_to_pfn(*(struct page *const *)b);

	return x < y ? -1 : x > y;
}

/*
 * The fixture every input starts from: DMA32's free blocks (the lowest, a middle one, the
 * highest) each with one movable test page in its middle, so that no free block of pageblock
 * order is left and a run for order 9 must move one. Built from the boot state the same way
 * for each input (the only whole free blocks of DMA32 are those three); taken down at the end.
 */
static struct movable_table fixture;
static struct page *fixture_slots[FREE_BLOCKS];

static void fixture_build(void)
{
	struct page *blocks[FREE_BLOCKS];

	host_set_cpu(0);
	for (unsigned int b = 0; b < FREE_BLOCKS; b++) {
		blocks[b] = __alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order, NUMA_NO_NODE,
					  ALLOC_NO_WATERMARKS | ALLOC_SINGLE_PASS);
		check(blocks[b] && page_zone(blocks[b]) == zone_of(ZONE_DMA32), "fixture block");
	}
	for (unsigned int b = 0; b < FREE_BLOCKS; b++) {
		split_to_pages(blocks[b], pageblock_order);
		for (unsigned long i = 0; i < pageblock_nr_pages; i++) {
			if (i == pageblock_nr_pages / 2)
				movable_table_set(&fixture, b, blocks[b] + i);
			else
				__free_pages(blocks[b] + i, 0);
		}
	}
	drain_all_pages(NULL);
	check(!zone_free_blocks_at_least(zone_of(ZONE_DMA32), pageblock_order), "fixture");
}

static void fixture_take_down(void)
{
	for (unsigned int b = 0; b < FREE_BLOCKS; b++) {
		struct page *p;
		bool busy;

		check(movable_table_check(&fixture, b), "a fixture page lost its pattern");
		p = movable_table_clear(&fixture, b, &busy);
		check(p && !busy, "a fixture page could not be taken out of its slot");
		__free_page(p);
	}
}

static void boot_once(void)
{
	if (getenv("HOST_VERBOSE"))
		atexit(print_stats);
	host_smp_init(NCPUS);
	boot_simple(32 * MiB, "pcp=owner");
	host_set_cpu(0);
	check(movable_table_register(&table, slots, NR_SLOTS, 0xf00d) == 0, "table");
	check(movable_table_register(&fixture, fixture_slots, FREE_BLOCKS, 0xbeef) == 0,
	      "fixture table");
	check(balloon_init(&bal, "fuzz", true) == 0, "balloon");
	bal.migratepage = host_migratepage;
	/*
	 * A nearly full DMA32: every free pageblock held for good but FREE_BLOCKS, the lowest,
	 * a middle one and the highest, so that the programs' pages land at both ends of the
	 * scanners' walk and a compaction for an order has work to do (with whole free blocks
	 * to spare, every such run would stop before it started).
	 */
	drain_all_pages(NULL);
	while (zone_free_blocks_at_least(zone_of(ZONE_DMA32), pageblock_order)) {
		struct page *p = __alloc_pages(MOVABLE | __GFP_NOWARN, pageblock_order,
					       NUMA_NO_NODE, ALLOC_NO_WATERMARKS | ALLOC_SINGLE_PASS);

		check(p && page_zone(p) == zone_of(ZONE_DMA32) && nr_pinned < ARRAY_SIZE(pinned),
		      "holding DMA32's blocks");
		pinned[nr_pinned++] = p;
	}
	check(nr_pinned >= FREE_BLOCKS, "DMA32 has too few blocks");
	qsort(pinned, nr_pinned, sizeof(pinned[0]), by_pfn);
	__free_pages(pinned[0], pageblock_order);
	__free_pages(pinned[nr_pinned / 2], pageblock_order);
	__free_pages(pinned[nr_pinned - 1], pageblock_order);
	drain_all_pages(NULL);
	buddy_snapshot(&boot_state);
	boot_free = total_free();
	booted = true;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct block live[MAX_LIVE];
	unsigned int nr = 0, steps = 0;
	unsigned long seq = 0;

	if (!booted)
		boot_once();
	host_log_clear();
	fixture_build();
	nr_iso = 0;
	host_refuses = false;
	for (size_t i = 0; i + 1 < size && steps < MAX_STEPS; i += 2, steps++) {
		unsigned char op = data[i], arg = data[i + 1];

		switch (op % 11) {
		case 0: case 1: {	/* alloc movable test pages: order 0..3, contiguous */
			unsigned int o = arg % 4;
			struct page *p;
			int s;

			if (nr == MAX_LIVE || (s = slots_get(o)) < 0)
				break;
			p = alloc_pages(MOVABLE | __GFP_NOWARN, o);
			if (!p)
				break;
			split_to_pages(p, o);
			for (unsigned int j = 0; j < (1U << o); j++)
				movable_table_set(&table, (unsigned int)s + j, p + j);
			live[nr++] = (struct block){ .movable = true, .order = o,
						     .slot = (unsigned int)s };
			break;
		}
		case 2: {		/* alloc unmovable, tagged */
			unsigned int o = arg % 4;
			struct page *p;

			if (nr == MAX_LIVE)
				break;
			p = alloc_pages((arg & 0x80 ? GFP_DMA : GFP_KERNEL) | __GFP_NOWARN, o);
			if (!p)
				break;
			live[nr] = (struct block){ .order = o, .page = p, .tag = ++seq << 8 };
			for (unsigned long j = 0; j < (1UL << o); j++)
				*(u64 *)page_address(p + j) = live[nr].tag + j;
			nr++;
			break;
		}
		case 3:			/* free the k-th live block */
			if (nr) {
				unsigned int k = arg % nr;

				free_block(&live[k]);
				live[k] = live[--nr];
			}
			break;
		case 4: {		/* isolate a test page */
			unsigned int s = (arg * 7u) % NR_SLOTS;
			struct page *p = movable_table_page(&table, s);
			bool got;

			if (!p)
				break;
			got = isolate_movable_page(p);
			if (iso_find(s) >= 0)
				check(!got, "a page we hold isolated was isolated again");
			else if (nr_iso < MAX_ISOLATED)
				check(got, "a test page nobody holds could not be isolated");
			else if (got)
				putback_movable_page(p);
			if (got && nr_iso < MAX_ISOLATED)
				iso_slot[nr_iso++] = s;
			break;
		}
		case 5:			/* migrate an isolated page to a fresh one */
			if (nr_iso) {
				unsigned int k = arg % nr_iso, s = iso_slot[k];
				struct page *src = movable_table_page(&table, s);
				struct page *dst = alloc_page(MOVABLE | __GFP_NOWARN);

				if (!dst)
					break;
				check(migrate_movable_page(dst, src) == 0, "a migration failed");
				check(movable_table_page(&table, s) == dst, "the slot was not moved");
				check(page_movable_kind(src) == MOVABLE_NONE &&
				      !page_test_flag(dst, PG_isolated), "flags after a migration");
				__free_page(src);
				iso_slot[k] = iso_slot[--nr_iso];
			}
			break;
		case 6:			/* put one back */
			if (nr_iso)
				iso_putback(arg % nr_iso);
			break;
		case 7: {		/* compact */
			static const enum zone_type zones[4] = { ZONE_DMA32, ZONE_DMA32, ZONE_DMA,
								 ZONE_NORMAL };
			struct zone *zone = zone_of(zones[arg & 3]);
			int order = (int)((arg >> 3) % (pageblock_order + 3)) - 1;
			struct page *held[MAX_ISOLATED];
			struct compact_result r;
			int err;

			for (unsigned int k = 0; k < nr_iso; k++)
				held[k] = movable_table_page(&table, iso_slot[k]);
			if (order == (int)pageblock_order + 1)
				order = MAX_PAGE_ORDER + 1 + arg % 4;
			err = compact_zone(zone, order, arg & 4, &r);
			if (!populated_zone(zone) || order > MAX_PAGE_ORDER)
				check(err == -EINVAL && !r.migrated && !r.isolated,
				      "compact_zone took a bad zone or order");
			else
				check(err == 0, "compact_zone failed on a good zone and order");
			check(r.migrated + r.failed <= r.isolated, "result counts");
			check(!r.success || order >= 0, "success for no order");
			check_isolated_held(held);
			break;
		}
		case 8:			/* play another CPU */
			host_set_cpu(arg % NCPUS);
			break;
		case 9:			/* inflate or deflate a balloon page */
			if (arg & 1 && balloon_nr_inflated(&bal) < MAX_BALLOON) {
				struct page *p = balloon_page_alloc();

				if (p)
					balloon_pages_enqueue(&bal, &p, 1);
			} else {
				struct page *p;

				if (balloon_pages_dequeue(&bal, &p, 1))
					__free_page(p);
			}
			break;
		case 10:		/* the balloon's host refuses migrations, or accepts them */
			host_refuses = arg & 1;
			break;
		}
		check(mm_check_invariants() == 0, "invariants after a step");
		check(table.pattern_bad == 0 && fixture.pattern_bad == 0,
		      "a migration broke a pattern");
		check(balloon_check(&bal) == 0, "the balloon's list");
	}
	while (nr_iso)
		iso_putback(0);
	while (nr--)
		free_block(&live[nr]);
	for (struct page *p; balloon_pages_dequeue(&bal, &p, 1);)
		__free_page(p);
	fixture_take_down();
	host_set_cpu(0);
	drain_all_pages(NULL);
	for (int t = 0; t < MAX_NR_ZONES; t++)
		if (populated_zone(zone_of(t)))
			while (unreserve_highatomic_pageblock(zone_of(t), MIGRATE_MOVABLE, true))
				;
	check(mm_check_invariants() == 0, "invariants after freeing everything");
	check(total_free() == boot_free, "pages lost");
	{
		struct buddy_snapshot now;

		buddy_snapshot(&now);
		if (!buddy_snapshot_equal(&boot_state, &now)) {
			buddy_snapshot_print("boot", &boot_state);
			buddy_snapshot_print("now", &now);
			check(false, "free lists differ from boot after freeing everything");
		}
	}
	check(warn_count() == 0, "a WARN fired");
	return 0;
}
