// SPDX-License-Identifier: MIT
/*
 * bench=compact: how much of a fragmented zone's free memory compaction turns back into
 * order-9 (pageblock order) blocks, how fast, and what CPU-owned pageblocks change, in each
 * PCP mode (owner, trylock, off) of one boot.
 *
 * The workload, the same in each mode (DESIGN.md 4.3):
 *  1. Take every free order-9 block of the zone the first one comes from (past the
 *     watermarks for a moment, as ktest compact does), so that no free order-9 block is
 *     left anywhere in it.
 *  2. Cut the lowest `bench.compact_mb` MiB of those blocks (256 by default: the whole
 *     zone at MEM=256M; at most COMPACT_BENCH_MAX_BLOCKS blocks) into order-0 pages: in each
 *     pageblock the pages at even pfns become movable test-kind pages (pattern-filled, in a
 *     movable table, as `alloc 0 N movable` makes them) and the pages at odd pfns stay as
 *     unmovable pages, so half the region's allocated pages are movable, interleaved with
 *     unmovable ones in every block. (Allocating order-0 pages one by one would not
 *     interleave them: the allocator groups pages by migratetype, so movable and unmovable
 *     pages land in different pageblocks. Linux's split_page() is the same cut.)
 *  3. Free the unmovable pages of seven blocks in eight; every eighth block keeps them
 *     ("pinned"). The free memory is now single pages between movable ones: no order-1
 *     block even, and no order-9 block. The other blocks taken in 1 stay allocated.
 *  4. compact_zone(zone, -1, sync), timed with arch_clock_ns(): the whole zone, until the
 *     scanners meet, as `compact` runs it.
 *  5. Check every movable page's pattern, free everything, and check that the free pages
 *     are back to the count before the run and the invariant checker finds nothing.
 * The modes take turns, `bench.compact_rounds` (5) rounds of owner, trylock, off, so that
 * a slow spell of the host (TCG shares it) falls on every mode; each row is the run with
 * the mode's median time. The block and slot arrays are allocated once, in mode off, so
 * that no mode starts with a pageblock its own allocation of them claimed. Proactive
 * compaction is off meanwhile (compaction_quiesce()), so that only our runs move pages.
 *
 * Figures: the share of the zone's free memory in free blocks of order >= 9 before and
 * after the run (1 - the unusable free space index of order 9: mm/extfrag.h); the best
 * share the movable pages allow (below); after/best; MiB of the region compacted per second
 * (its size over the run's time) and pages migrated per second; and each mode's time over
 * mode off's (below 1: the mode compacts faster than without per-CPU pages).
 *
 * The best share. A pageblock can end up a free order-9 block only if every page in it is
 * free or movable: call it a candidate. Emptying it means moving its movable pages into
 * free pages of blocks that stay, and those must be free pages of MOVABLE pageblocks
 * (movable pages stay among their kind: DESIGN.md 4.3, the free scanner's rule); call the
 * zone's free pages in MOVABLE blocks the room R. Emptying a MOVABLE candidate costs 512
 * pages of R whatever its mix (its m movable pages go into R, and its own 512 - m free pages
 * leave R, since they become the free block); emptying another type's candidate costs its
 * movable pages only (0 for a free block). With every candidate worth one block, taking
 * the cheapest first while the cost fits in R gives the most blocks, k; the best share is
 * k * 512 / F, F the zone's free pages. It is computed from the zone page by page just
 * before the run, not from the layout we meant to make. Compaction's own order (targets
 * only above the migrate scanner; movable pages moved out of blocks that cannot become
 * free, such as the pinned ones below the scanners' meeting point) may keep it below. With
 * the layout above, F and R are both about 256 pages for each of the region's unpinned
 * blocks (7/8 of them), so k is about 7/16 of the region's blocks and the best share is
 * close to 1, less the free pages outside MOVABLE blocks.
 *
 * Locking: runs on the boot CPU while the rest of the machine is quiet; switches modes with
 * pcp_set_mode() between runs; the zone lock through its guard for each pageblock looked at.
 */
#include "kernel/bench.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/compaction.h"
#include "mm/extfrag.h"
#include "mm/internal.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "arch/arch.h"

#define PIN_EVERY			8	/* one block in 8 keeps its unmovable pages */
#define COMPACT_BENCH_MIN_BLOCKS	(2 * PIN_EVERY)
#define COMPACT_BENCH_MAX_BLOCKS	1024	/* 2 GiB of region: a 2 MiB slot array */
#define COMPACT_BENCH_MAX_ROUNDS	9
#define BLOCKS_ORDER			3	/* the block array: 32 KiB, 4096 blocks */
#define MAX_ZONE_BLOCKS			((PAGE_SIZE << BLOCKS_ORDER) / sizeof(struct page *))
#define MOVABLE_PER_BLOCK		(pageblock_nr_pages / 2)
#define BLOCK_MIB			((pageblock_nr_pages * PAGE_SIZE) >> 20)

/* What one mode's run measured and checked. */
struct compact_run {
	enum pcp_mode mode;
	const char *zone_name;		/* the zone compacted */
	bool done;			/* the workload ran (enough blocks were free) */
	int err;			/* compact_zone()'s return value */
	unsigned long blocks, pinned;	/* region blocks, of them pinned */
	unsigned long free_pages;	/* the zone's free pages when compaction started */
	unsigned long candidates;	/* pageblocks with only free and movable pages */
	unsigned long best_blocks;	/* free order-9 blocks at best */
	unsigned long after_blocks;	/* free order-9 blocks after the run */
	unsigned int before, after, best;	/* shares in thousandths */
	u64 ns;				/* compact_zone()'s time */
	struct compact_result res;
	unsigned long bad_patterns;	/* movable pages whose pattern was wrong after */
	unsigned long free0, free1;	/* nr_free_pages() before the run and after it all */
	int problems;			/* mm_check_invariants() at the end */
};

/* The run's pages (m: the boot CPU, one run at a time). */
static struct {
	struct zone *zone;
	struct page **blocks;		/* order-9 blocks taken from the zone, by pfn */
	unsigned long nr_blocks;
	struct list_head others;	/* blocks taken from other zones, by lru */
	struct page **slots;		/* the movable table's slots */
	unsigned int slots_order;
	struct movable_table table;
} cb;

static unsigned int order_for_bytes(unsigned long bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* An allocated order-9 block as 512 allocated order-0 pages (Linux: split_page()). */
static void split_to_pages(struct page *page, unsigned int order)
{
	page_clear_flag(page, PG_head);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		set_page_count(page + i, 1);
		set_page_private(page + i, 0);
	}
}

/* Sort the zone's blocks by pfn (a shell sort: a few thousand entries at most). */
static void sort_blocks(void)
{
	for (unsigned long gap = cb.nr_blocks / 2; gap; gap /= 2)
		for (unsigned long i = gap; i < cb.nr_blocks; i++) {
			struct page *x = cb.blocks[i];
			unsigned long j = i;

			for (; j >= gap && page_to_pfn(cb.blocks[j - gap]) > page_to_pfn(x);
			     j -= gap)
				cb.blocks[j] = cb.blocks[j - gap];
			cb.blocks[j] = x;
		}
}

static void keep_block(struct page *page)
{
	if (!cb.zone)
		cb.zone = page_zone(page);
	if (page_zone(page) == cb.zone && cb.nr_blocks < MAX_ZONE_BLOCKS)
		cb.blocks[cb.nr_blocks++] = page;
	else
		list_add(&page->lru, &cb.others);
}

/*
 * Step 1: every free order-9 block of the zone, by the normal path down to the watermarks,
 * then past them. Without __GFP_DIRECT_RECLAIM the last failure runs no direct compaction
 * (which would scan the zone for nothing) and, with __GFP_NORETRY, asks no OOM notifier
 * (a balloon would deflate).
 */
static void take_free_blocks(void)
{
	struct page *page;

	while ((page = alloc_pages(__GFP_MOVABLE | __GFP_NORETRY | __GFP_NOWARN,
				   pageblock_order)))
		keep_block(page);
	drain_all_pages(NULL);
	while (cb.zone && zone_free_blocks_at_least(cb.zone, pageblock_order) &&
	       (page = __alloc_pages(__GFP_MOVABLE | __GFP_NORETRY | __GFP_NOWARN,
				     pageblock_order, NUMA_NO_NODE,
				     ALLOC_NO_WATERMARKS | ALLOC_SINGLE_PASS)))
		keep_block(page);
	sort_blocks();
}

static bool pinned(unsigned long b)
{
	return b % PIN_EVERY == 0;
}

/* Steps 2 and 3 on the lowest @nb blocks. */
static void fragment(unsigned long nb)
{
	unsigned long slot = 0;

	for (unsigned long b = 0; b < nb; b++) {
		struct page *head = cb.blocks[b];

		split_to_pages(head, pageblock_order);
		for (unsigned long i = 0; i < pageblock_nr_pages; i += 2)
			movable_table_set(&cb.table, slot++, head + i);
	}
	for (unsigned long b = 0; b < nb; b++)
		if (!pinned(b))
			for (unsigned long i = 1; i < pageblock_nr_pages; i += 2)
				__free_pages(cb.blocks[b] + i, 0);
	drain_all_pages(NULL);
}

/*
 * The best number of free order-9 blocks the movable pages allow (the essay above): each
 * pageblock's free, movable and other pages, then candidates taken cheapest first while the
 * free pages of MOVABLE blocks can hold what they displace.
 * Context: the zone lock per pageblock; the machine quiet, so a free block of order > 9
 * found at one block's start still covers the next blocks when we reach them.
 */
static unsigned long best_free_blocks(struct zone *zone, unsigned long *candidates)
{
	/* cost_count[c]: candidate blocks that use c pages of the targets' room to empty */
	static unsigned long cost_count[pageblock_nr_pages + 1];
	unsigned long start = ALIGN_UP(zone->zone_start_pfn, pageblock_nr_pages);
	unsigned long end = zone_end_pfn(zone), free_until = 0, room = 0, best = 0;

	memset(cost_count, 0, sizeof(cost_count));
	*candidates = 0;
	for (; start + pageblock_nr_pages <= end; start += pageblock_nr_pages) {
		unsigned long nr_free = 0, nr_movable = 0;
		struct page *first;
		bool other = false, movable_block;

		if (!pfn_valid(start) || page_zone(pfn_to_page(start)) != zone)
			continue;
		first = pfn_to_page(start);
		scoped_guard(zone_lock_irqsave, zone) {
			movable_block = get_pageblock_migratetype(first) == MIGRATE_MOVABLE;
			for (unsigned long pfn = start; pfn < start + pageblock_nr_pages;) {
				struct page *page = first + (pfn - start);

				if (pfn < free_until) {
					/* inside a free block of order > 9 that began lower */
					nr_free += pageblock_nr_pages;
					break;
				}
				if (PageBuddy(page)) {
					unsigned long order = buddy_order(page);

					if (order >= pageblock_order)
						free_until = pfn + (1UL << order);
					nr_free += 1UL << order;
					pfn += 1UL << order;
				} else if (page_movable_kind(page) != MOVABLE_NONE) {
					nr_movable++;
					pfn++;
				} else {
					other = true;
					pfn++;
				}
			}
		}
		/* Movable pages may only go to free pages of MOVABLE blocks (DESIGN.md 4.3). */
		if (movable_block)
			room += nr_free;
		if (other)
			continue;
		(*candidates)++;
		/*
		 * Emptying a MOVABLE candidate moves its movable pages into the room and takes
		 * its own free pages out of it: 512 either way. Another type's block only
		 * displaces its movable pages (0 for a free block).
		 */
		cost_count[movable_block ? pageblock_nr_pages : nr_movable]++;
	}
	for (unsigned long c = 0; c <= pageblock_nr_pages; c++) {
		unsigned long n = cost_count[c];

		if (c)
			n = min(n, room / c);
		best += n;
		room -= n * c;
	}
	return best;
}

/* The share of free memory in blocks of order >= 9, in thousandths; the free pages. */
static unsigned int order9_share(struct zone *zone, unsigned long *free_pages)
{
	struct extfrag_snapshot snap;
	struct extfrag_info info;

	extfrag_snapshot_zone(zone, &snap);
	extfrag_fill_info(&snap, pageblock_order, &info);
	if (free_pages)
		*free_pages = info.free_pages;
	return 1000 - (unsigned int)extfrag_unusable_index(&snap, pageblock_order);
}

/* Step 5: patterns, then every page back. */
static void unfragment(struct compact_run *run, unsigned long nb)
{
	struct page *page, *tmp;

	for (unsigned long i = 0; i < cb.table.nr; i++) {
		bool busy;

		if (!movable_table_check(&cb.table, i))
			run->bad_patterns++;
		page = movable_table_clear(&cb.table, i, &busy);
		if (busy)
			pr_warn("compact bench: slot %lu still isolated after the run\n", i);
		if (page)
			__free_pages(page, 0);
	}
	run->bad_patterns += cb.table.pattern_bad;
	for (unsigned long b = 0; b < nb; b++)
		if (pinned(b))
			for (unsigned long i = 1; i < pageblock_nr_pages; i += 2)
				__free_pages(cb.blocks[b] + i, 0);
	for (unsigned long b = nb; b < cb.nr_blocks; b++)
		__free_pages(cb.blocks[b], pageblock_order);
	list_for_each_entry_safe(page, tmp, &cb.others, lru) {
		list_del(&page->lru);
		__free_pages(page, pageblock_order);
	}
}

/* One run of the workload in @mode on at most @want blocks; the arrays are cb's already. */
static void run_mode(struct compact_run *run, enum pcp_mode mode, unsigned long want)
{
	unsigned long nb;

	*run = (struct compact_run){ .mode = mode };
	pcp_set_mode(mode);
	drain_all_pages(NULL);
	run->free0 = nr_free_pages();
	cb.zone = NULL;
	cb.nr_blocks = 0;
	INIT_LIST_HEAD(&cb.others);
	if (movable_table_register(&cb.table, cb.slots, want * MOVABLE_PER_BLOCK,
				   0xc0ffee ^ mode)) {
		printk("bench compact: no movable table free\n");
		return;
	}
	take_free_blocks();
	nb = min(want, cb.nr_blocks);
	if (nb >= COMPACT_BENCH_MIN_BLOCKS) {
		run->done = true;
		run->blocks = nb;
		run->pinned = DIV_ROUND_UP(nb, PIN_EVERY);
		fragment(nb);
		run->before = order9_share(cb.zone, &run->free_pages);
		run->best_blocks = best_free_blocks(cb.zone, &run->candidates);
		/* As order9_share() rounds: 1000 less the unusable part, rounded down. */
		run->best = run->free_pages ? 1000 - (unsigned int)((run->free_pages -
				run->best_blocks * pageblock_nr_pages) * 1000 / run->free_pages) : 0;

		u64 t0 = arch_clock_ns();

		run->err = compact_zone(cb.zone, -1, true, &run->res);
		run->ns = arch_clock_ns() - t0;
		if (run->err)
			printk("bench compact: compact_zone(%s) returned %d\n", cb.zone->name,
			       run->err);
		run->after = order9_share(cb.zone, NULL);
		run->after_blocks = zone_free_blocks_at_least(cb.zone, pageblock_order);
	} else {
		printk("bench compact: zone %s has %lu free order-9 blocks, the bench needs %u\n",
		       cb.zone ? cb.zone->name : "?", cb.nr_blocks, COMPACT_BENCH_MIN_BLOCKS);
		nb = 0;
	}
	if (cb.zone)
		run->zone_name = cb.zone->name;
	unfragment(run, nb);
	movable_table_unregister(&cb.table);
	drain_all_pages(NULL);
	run->free1 = nr_free_pages();
	run->problems = mm_check_invariants();
}

/* A share in thousandths as a percentage with one decimal. */
static void add_share(struct bench_table *t, unsigned int share)
{
	bench_table_add(t, "%u.%u%%", share / 10, share % 10);
}

static const enum pcp_mode modes[] = { PCP_MODE_OWNER, PCP_MODE_TRYLOCK, PCP_MODE_OFF };
static struct compact_run runs[ARRAY_SIZE(modes)][COMPACT_BENCH_MAX_ROUNDS];	/* (m) */

/* The round of mode @m whose compaction time is the median (its figures are the row's). */
static const struct compact_run *median_run(unsigned int m, unsigned int rounds)
{
	const struct compact_run *by_time[COMPACT_BENCH_MAX_ROUNDS];
	unsigned int n = 0;

	for (unsigned int r = 0; r < rounds; r++)
		if (runs[m][r].done && !runs[m][r].err)
			by_time[n++] = &runs[m][r];
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && by_time[j - 1]->ns > by_time[j]->ns; j--) {
			const struct compact_run *x = by_time[j];

			by_time[j] = by_time[j - 1];
			by_time[j - 1] = x;
		}
	return n ? by_time[n / 2] : NULL;
}

static void print_tables(unsigned int rounds)
{
	static struct bench_table t;	/* (m): 7 KiB, too much for a boot stack */
	const struct compact_run *med[ARRAY_SIZE(modes)], *off = NULL;
	char ratio[16];

	for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
		med[m] = median_run(m, rounds);
		if (modes[m] == PCP_MODE_OFF)
			off = med[m];
	}
	bench_table_init(&t, "compact: free memory in order-9 blocks, before and after "
			 "compact_zone()", 8, "mode", "before", "after", "best", "after/best",
			 "MiB/s", "pages/s", "time/off");
	for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
		const struct compact_run *r = med[m];

		if (!r)
			continue;
		bench_table_add(&t, "%s", pcp_mode_names[r->mode]);
		add_share(&t, r->before);
		add_share(&t, r->after);
		add_share(&t, r->best);
		bench_ratio(ratio, sizeof(ratio), r->after, r->best);
		bench_table_add(&t, "%s", ratio);
		bench_table_add(&t, "%llu", r->ns ? (unsigned long long)(r->blocks * BLOCK_MIB *
							1000000000ULL / r->ns) : 0ULL);
		bench_table_add(&t, "%llu", r->ns ? (unsigned long long)(r->res.migrated *
							1000000000ULL / r->ns) : 0ULL);
		bench_ratio(ratio, sizeof(ratio), r->ns, off ? off->ns : 0);
		bench_table_add(&t, "%s", ratio);
	}
	bench_table_print(&t);

	bench_table_init(&t, "compact: the median run's work; checks of every run", 8, "mode",
			 "ms", "migrated", "failed", "scanned m/f", "bad patterns", "pages lost",
			 "mmcheck");
	for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
		const struct compact_run *r = med[m];
		unsigned long bad = 0, problems = 0;
		long lost = 0;

		if (!r)
			continue;
		for (unsigned int k = 0; k < rounds; k++) {
			bad += runs[m][k].bad_patterns;
			lost += (long)runs[m][k].free0 - (long)runs[m][k].free1;
			problems += (unsigned long)runs[m][k].problems;
		}
		bench_table_add(&t, "%s", pcp_mode_names[r->mode]);
		bench_table_add(&t, "%llu.%01llu", (unsigned long long)(r->ns / 1000000),
				(unsigned long long)(r->ns / 100000 % 10));
		bench_table_add(&t, "%lu", r->res.migrated);
		bench_table_add(&t, "%lu", r->res.failed);
		bench_table_add(&t, "%lu/%lu", r->res.migrate_scanned, r->res.free_scanned);
		bench_table_add(&t, "%lu", bad);
		bench_table_add(&t, "%ld", lost);
		bench_table_add(&t, "%lu problems", problems);
		if (bad || lost || problems)
			pr_warn("compact bench: %s: %lu bad patterns, %ld pages lost, %lu invariant "
				"problems over %u runs\n", pcp_mode_names[r->mode], bad, lost,
				problems, rounds);
	}
	bench_table_print(&t);
	for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++) {
		const struct compact_run *r = med[m];

		if (r)
			printk("bench compact: %s: zone %s, region %lu blocks (%lu MiB, %lu "
			       "pinned); %lu pages free, %lu candidate blocks; free order-9 blocks "
			       "at best %lu, after %lu\n", pcp_mode_names[r->mode], r->zone_name,
			       r->blocks, r->blocks * BLOCK_MIB, r->pinned, r->free_pages,
			       r->candidates, r->best_blocks, r->after_blocks);
	}
}

static void compact_bench(void)
{
	enum pcp_mode saved = pcp_get_mode();
	unsigned int proactiveness;
	unsigned long want = bench_param("compact_mb", 256) / BLOCK_MIB;
	unsigned int rounds = (unsigned int)min(bench_param("compact_rounds", 5),
						 (unsigned long)COMPACT_BENCH_MAX_ROUNDS);
	struct page *blocks, *slots;

	want = max(want, (unsigned long)COMPACT_BENCH_MIN_BLOCKS);
	want = min(want, (unsigned long)COMPACT_BENCH_MAX_BLOCKS);
	/* No proactive run in the middle of ours, moving pages and counting as ours. */
	proactiveness = compaction_quiesce();
	/*
	 * The arrays once, for every run, with no per-CPU pages in play (mode off), so that
	 * no mode's run starts with a pageblock its own allocation of them claimed.
	 */
	pcp_set_mode(PCP_MODE_OFF);
	cb.slots_order = order_for_bytes(want * MOVABLE_PER_BLOCK * sizeof(struct page *));
	blocks = alloc_pages(GFP_KERNEL | __GFP_ZERO, BLOCKS_ORDER);
	slots = alloc_pages(GFP_KERNEL | __GFP_ZERO, cb.slots_order);
	if (!blocks || !slots) {
		printk("bench compact: no memory for the block and slot arrays (orders %u, %u)\n",
		       BLOCKS_ORDER, cb.slots_order);
		if (blocks)
			__free_pages(blocks, BLOCKS_ORDER);
		if (slots)
			__free_pages(slots, cb.slots_order);
		pcp_set_mode(saved);
		compaction_set_proactiveness(proactiveness);
		return;
	}
	cb.blocks = page_address(blocks);
	cb.slots = page_address(slots);
	/* The modes in turns, round by round, so that a slow spell of the host hits all. */
	for (unsigned int r = 0; r < rounds; r++)
		for (unsigned int m = 0; m < ARRAY_SIZE(modes); m++)
			run_mode(&runs[m][r], modes[m], want);
	pcp_set_mode(saved);
	__free_pages(slots, cb.slots_order);
	__free_pages(blocks, BLOCKS_ORDER);
	compaction_set_proactiveness(proactiveness);
	print_tables(rounds);
	printk("bench compact: %u rounds of each mode; bench.compact_mb=%lu, "
	       "bench.compact_rounds=%u\n", rounds, want * BLOCK_MIB, rounds);
}
BENCH(compact, "compaction of a fragmented zone in each PCP mode: order-9 share before, "
      "after and at best; MiB/s, pages/s", compact_bench);
