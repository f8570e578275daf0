// SPDX-License-Identifier: MIT
/*
 * `alloc` and `free`: allocate and free page blocks by hand, to watch buddyinfo, pagemap,
 * the PCP lists and the tracepoints react.
 *
 *	alloc ORDER [COUNT] [GFP...]	COUNT blocks of 2^ORDER pages; GFP: kernel (default),
 *					atomic, nowait, dma, dma32, movable, zero (several may
 *					be given, separated by spaces or commas)
 *	alloc list			what is held
 *	free HANDLE|all			give a block back (or everything)
 *
 * Each block gets a small number, its handle, printed with its pfn, zone and pageblock
 * migratetype. Handles are reused after a free.
 *
 * An order-0 movable block is a movable page of the test kind (mm/migrate.h): filled with a
 * pattern, kept in the shell's movable table, so `compact` may migrate it; its handle then
 * shows the new pfn, and `free` checks the pattern first.
 *
 * Locking: the handle table is the shell's (m: boot CPU only); the movable table's slots
 * are under its own lock (compaction changes them).
 */
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/migrate.h"

#define ALLOC_HANDLES	256

struct held_block {
	struct page *page;	/* NULL: free slot; for a movable page, the page at alloc time */
	unsigned int order;
	gfp_t gfp;
	bool movable;		/* the page is shell_slots[handle - 1]: it may move */
};

static struct held_block held[ALLOC_HANDLES];	/* index = handle - 1 (m) */
static struct page *shell_slots[ALLOC_HANDLES];	/* the movable table's slots (its lock) */
static struct movable_table shell_table;
static bool shell_table_ready;			/* (m) */

/* The block's page now: a movable one may have been migrated since. */
static struct page *held_page(unsigned int i)
{
	if (held[i].page && held[i].movable)
		return movable_table_page(&shell_table, i);
	return held[i].page;
}

static const struct {
	const char *name;
	gfp_t gfp;
} gfp_names[] = {
	{ "kernel", GFP_KERNEL },
	{ "atomic", GFP_ATOMIC },
	{ "nowait", GFP_NOWAIT },
	{ "dma", GFP_DMA },
	{ "dma32", GFP_DMA32 },
	{ "movable", __GFP_MOVABLE },
	{ "zero", __GFP_ZERO },
};

/* Add the flags named in `s` ("dma32,zero") to *gfp; false on an unknown name. */
static bool parse_gfp(const char *s, gfp_t *gfp)
{
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		bool found = false;

		for (unsigned int i = 0; i < ARRAY_SIZE(gfp_names); i++) {
			if (strlen(gfp_names[i].name) == len &&
			    strncmp(gfp_names[i].name, s, len) == 0) {
				*gfp |= gfp_names[i].gfp;
				found = true;
			}
		}
		if (!found && len) {
			printk("alloc: unknown gfp flag '%.*s' (kernel, atomic, nowait, dma, dma32, "
			       "movable, zero)\n", (int)len, s);
			return false;
		}
		s += len + (comma ? 1 : 0);
	}
	return true;
}

static void print_block(unsigned int handle, const struct held_block *b)
{
	struct page *page = held_page(handle - 1);
	unsigned long pfn = page_to_pfn(page);
	int mt = get_pageblock_migratetype(page);

	printk("handle %u: pfn %#lx-%#lx order %u (%lu KiB) zone %s, pageblock %s%s\n", handle,
	       pfn, pfn + (1UL << b->order) - 1, b->order, (PAGE_SIZE << b->order) / 1024,
	       page_zone(page)->name, migratetype_names[mt], b->movable ? ", movable" : "");
}

static int alloc_list(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ALLOC_HANDLES; i++) {
		if (held[i].page) {
			print_block(i + 1, &held[i]);
			n++;
		}
	}
	printk("alloc: %u block%s held\n", n, n == 1 ? "" : "s");
	return 0;
}

static int cmd_alloc(int argc, char **argv)
{
	unsigned long order, count = 1;
	gfp_t gfp = 0;
	int argi = 2;

	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return alloc_list();
	if (argc < 2)
		return SHELL_EUSAGE;
	if (!shell_parse_ulong(argv[1], MAX_PAGE_ORDER, &order)) {
		printk("alloc: ORDER must be a number from 0 to %d, not '%s'\n", MAX_PAGE_ORDER,
		       argv[1]);
		return SHELL_EUSAGE;
	}
	if (argc > 2 && argv[2][0] >= '0' && argv[2][0] <= '9') {
		if (!shell_parse_ulong(argv[2], ALLOC_HANDLES, &count) || !count) {
			printk("alloc: COUNT must be a number from 1 to %d, not '%s'\n",
			       ALLOC_HANDLES, argv[2]);
			return SHELL_EUSAGE;
		}
		argi = 3;
	}
	for (; argi < argc; argi++)
		if (!parse_gfp(argv[argi], &gfp))
			return SHELL_EUSAGE;
	if (!gfp)
		gfp = GFP_KERNEL;
	if (!shell_table_ready && order == 0 && (gfp & __GFP_MOVABLE)) {
		int err = movable_table_register(&shell_table, shell_slots, ALLOC_HANDLES,
						 0x5eed5e11ULL);

		if (err)
			printk("alloc: no movable table (%d): the pages will not be movable\n", err);
		shell_table_ready = !err;
	}

	unsigned int done = 0;

	for (unsigned int i = 0; i < ALLOC_HANDLES && done < count; i++) {
		if (held[i].page)
			continue;
		struct page *page = alloc_pages(gfp | __GFP_NOWARN, (unsigned int)order);

		if (!page) {
			printk("alloc: allocation %u of %lu (order %lu) failed: no free block in "
			       "the allowed zones\n", done + 1, count, order);
			break;
		}
		held[i] = (struct held_block){ .page = page, .order = (unsigned int)order,
					       .gfp = gfp };
		if (order == 0 && (gfp & __GFP_MOVABLE) && shell_table_ready) {
			held[i].movable = true;
			movable_table_set(&shell_table, i, page);
		}
		print_block(i + 1, &held[i]);
		done++;
	}
	if (done < count) {
		unsigned int used = 0;

		for (unsigned int i = 0; i < ALLOC_HANDLES; i++)
			used += held[i].page != NULL;
		if (used == ALLOC_HANDLES)
			printk("alloc: all %d handles in use ('free all' releases them)\n",
			       ALLOC_HANDLES);
	}
	return done == count ? 0 : SHELL_EFAIL;
}
SHELL_COMMAND_USAGE(alloc, "ORDER [COUNT] [GFP..]|list",
		    "allocate blocks, print their handles (GFP: kernel atomic dma ...)", cmd_alloc);

/* Free block @idx; a movable page's pattern is checked first. False if it failed. */
static bool free_one(unsigned int idx)
{
	struct page *page = held[idx].page;
	bool ok = true;

	if (held[idx].movable) {
		bool busy;

		ok = movable_table_check(&shell_table, idx);
		if (!ok)
			printk("free: handle %u: pattern damaged\n", idx + 1);
		page = movable_table_clear(&shell_table, idx, &busy);
		if (!page) {
			printk("free: handle %u is being migrated; try again\n", idx + 1);
			return false;
		}
	}
	__free_pages(page, held[idx].order);
	held[idx] = (struct held_block){ 0 };
	return ok;
}

static int cmd_free(int argc, char **argv)
{
	unsigned long h;

	if (argc != 2)
		return SHELL_EUSAGE;
	if (strcmp(argv[1], "all") == 0) {
		unsigned int n = 0, bad = 0;
		unsigned long pages = 0;

		for (unsigned int i = 0; i < ALLOC_HANDLES; i++) {
			if (held[i].page) {
				pages += 1UL << held[i].order;
				bad += !free_one(i);
				n++;
			}
		}
		printk("free: %u block%s freed (%lu pages)\n", n, n == 1 ? "" : "s", pages);
		return bad ? SHELL_EFAIL : 0;
	}
	if (!shell_parse_ulong(argv[1], ~0UL, &h)) {
		printk("free: '%s' is not a handle number\n", argv[1]);
		return SHELL_EUSAGE;
	}
	if (h == 0 || h > ALLOC_HANDLES || !held[h - 1].page) {
		printk("free: no block with handle %lu ('alloc list' shows them)\n", h);
		return SHELL_EFAIL;
	}
	printk("free: handle %lu, pfn %#lx order %u\n", h, page_to_pfn(held_page(h - 1)),
	       held[h - 1].order);
	return free_one((unsigned int)(h - 1)) ? 0 : SHELL_EFAIL;
}
SHELL_COMMAND_USAGE(free, "HANDLE|all", "free a block from alloc, or all of them", cmd_free);
