/* SPDX-License-Identifier: MIT */
/*
 * Movable pages and their migration (DESIGN.md 4.3). A movable page is an
 * allocated order-0 page whose kind (two flag bits, PG_mkind0/1: struct page has no room for
 * an ops pointer) names a struct movable_operations registered for that kind: isolate,
 * migrate, putback. A scanner (mm/compaction.c) isolates a page (sets PG_isolated by
 * compare-and-swap, so two scanners never isolate one page), migrates it to a page of its
 * own choosing, or puts it back.
 *
 * The test kind (MOVABLE_TEST) is the kind with contents: pages in a struct movable_table (a
 * ktest's or the shell's array of page pointers) filled with a per-page pattern. Migrating
 * one copies it, points the table's slot at the new page and checks the pattern.
 *
 * Locking: the kind's own lock (a table's lock, the balloon lock) guards "which page is the
 * one"; PG_isolated and the kind bits change only by compare-and-swap while a page is
 * movable. Lock order: a kind's lock -> pcp->lock -> zone lock (nothing here allocates
 * under a kind's lock).
 * Linux: mm/migrate.c, include/linux/migrate.h (movable_operations).
 */
#ifndef MM_MIGRATE_H
#define MM_MIGRATE_H

#include "kernel/compiler.h"
#include "kernel/spinlock.h"
#include "mm/page.h"

enum movable_kind {
	MOVABLE_NONE,		/* not movable: flags bits 0 */
	MOVABLE_TEST,		/* a page of a struct movable_table, with a pattern */
	MOVABLE_BALLOON,	/* a balloon page whose balloon can migrate (mm/balloon.c) */
	NR_MOVABLE_KINDS
};
_Static_assert(NR_MOVABLE_KINDS <= 4, "the kind is two flag bits");

#define PAGE_MKIND_MASK		(BIT(PG_mkind0) | BIT(PG_mkind1))

static inline enum movable_kind page_movable_kind(const struct page *page)
{
	return (enum movable_kind)((page_flags_read(page) & PAGE_MKIND_MASK) >> PG_mkind0);
}

struct movable_operations {
	const char *name;
	/*
	 * The scanner won PG_isolated: take the page from its owner (false: it is not the
	 * owner's any more, or the owner is busy). After a true, page->lru is the scanner's.
	 */
	bool (*isolate)(struct page *page);
	/*
	 * Move @src's contents and its owner's reference to @dst (an allocated order-0 page on
	 * no list, already marked with the kind and PG_isolated). 0, or -EAGAIN (busy: try
	 * later).
	 */
	int (*migrate)(struct page *dst, struct page *src);
	/* Give an isolated page back to its owner unchanged. */
	void (*putback)(struct page *page);
};

/* Register @ops for @kind, once, at boot. */
void movable_ops_register(enum movable_kind kind, const struct movable_operations *ops);

/*
 * isolate_movable_page - take a movable page for migration
 * Return: true if this caller now holds it isolated (then migrate or put it back).
 * Context: any CPU, not interrupt context; takes the kind's lock.
 */
bool isolate_movable_page(struct page *page);
/*
 * migrate_movable_page - move isolated @src to @dst (an allocated order-0 page of ours)
 * Return: 0 (@src is then an ordinary allocated page for the caller to free; @dst belongs
 * to @src's owner), or a negative errno (both unchanged: put @src back, free @dst).
 */
int migrate_movable_page(struct page *dst, struct page *src);
/* putback_movable_page - return an isolated page to its owner. */
void putback_movable_page(struct page *page);

/*
 * Change a movable page's flags by compare-and-swap: clear @clear, set @set; with
 * @not_isolated only while the page has a kind and PG_isolated is clear. Return: false if
 * refused. For a kind's own flags (PG_balloon) while the page carries the kind.
 */
bool movable_flags_update(struct page *page, unsigned long clear, unsigned long set,
			  bool not_isolated);

/* ---- the test kind ---- */

#define MOVABLE_TABLES		8	/* tables registered at once */
#define MOVABLE_TABLE_SLOTS	(1UL << 24)	/* slot index bits in page->private */

struct movable_table {
	spinlock_t lock;		/* the (t) fields and the slots' pages' private */
	struct page **slots;		/* NULL or a MOVABLE_TEST page (t) */
	unsigned long nr;		/* entries in slots (c) */
	unsigned int id;		/* 1..MOVABLE_TABLES while registered (c) */
	u64 seed;			/* pattern seed (c) */
	unsigned long migrated;		/* pages migrated (t) */
	unsigned long pattern_bad;	/* migrations after which the pattern was wrong (t) */
};

/* Register @t over @slots[@nr] (all NULL). 0, -EINVAL (nr too big), -ENOSPC. */
int movable_table_register(struct movable_table *t, struct page **slots, unsigned long nr,
			   u64 seed);
/* Unregister @t; every slot must have been released. */
void movable_table_unregister(struct movable_table *t);
/* Fill @page (allocated, order 0) with slot @idx's pattern and make it movable there. */
void movable_table_set(struct movable_table *t, unsigned long idx, struct page *page);
/*
 * Take slot @idx's page out of the table: not movable any more, ready for __free_pages().
 * Return: the page; NULL if the slot is empty, or with *busy set if a scanner holds the page
 * isolated right now (try again after the migration).
 */
struct page *movable_table_clear(struct movable_table *t, unsigned long idx, bool *busy);
/* The page in slot @idx now (NULL if empty). */
struct page *movable_table_page(struct movable_table *t, unsigned long idx);
/* True if slot @idx's page holds its pattern (an empty slot is fine). */
bool movable_table_check(struct movable_table *t, unsigned long idx);

#endif /* MM_MIGRATE_H */
