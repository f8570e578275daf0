/* SPDX-License-Identifier: MIT */
/*
 * Balloon page bookkeeping: the pages a memory balloon (drivers/virtio/virtio_balloon.c) has
 * taken from the allocator and given to the host. mm/balloon.c keeps them so that they can
 * be migrated like any movable page (DESIGN.md 4.3, mm/migrate.h): every page knows its
 * balloon, and the balloon knows its pages.
 *
 * A balloon page is an order-0 page allocated MIGRATE_MOVABLE and marked PG_balloon; its
 * page->private holds the balloon's id (struct page has 32 bits there, not a pointer:
 * balloon_of_page() turns the id back into the balloon), and its page->lru links it on the
 * balloon's list. A page between "allocated" and "enqueued", or between "dequeued" and
 * "freed", is the driver's alone and carries neither.
 *
 * Locking: b->lock, the balloon lock (b), guards the list, every enqueued page's PG_balloon,
 * private and lru, and the counts. The seed rule: the list and page->private change only
 * under the balloon lock; there is no page lock, and isolation (for migration) finds the
 * balloon through page->private under that lock and fails when it reads 0. Lock order
 * (DESIGN.md 5): balloon lock -> virtqueue lock, and balloon lock -> pcp->lock -> zone lock;
 * nothing here allocates under it. It is taken with interrupts off (irqsave) because the
 * allocator's OOM notifiers, which may run in interrupt context, trylock it.
 * Linux: mm/balloon_compaction.c, include/linux/balloon_compaction.h.
 */
#ifndef MM_BALLOON_H
#define MM_BALLOON_H

#include "kernel/compiler.h"
#include "kernel/lib/list.h"
#include "kernel/spinlock.h"
#include "mm/gfp.h"
#include "mm/page.h"

/* Balloons one kernel may have at once (one per balloon device). */
#define BALLOON_MAX		4

struct balloon {
	spinlock_t lock;		/* the balloon lock: the (b) fields below */
	struct list_head pages;		/* inflated pages, by page->lru, oldest first (b) */
	unsigned long nr_inflated;	/* pages on the list (b; read racily for display) */
	unsigned long nr_isolated;	/* pages taken off for migration (b) */
	unsigned int id;		/* page->private of its pages, 1..BALLOON_MAX (c) */
	/*
	 * Inflated pages leave their zone's managed_pages (MemTotal), as Linux does unless the
	 * host may want them back on OOM (virtio DEFLATE_ON_OOM) (c after balloon_init()).
	 */
	bool adjust_managed;
	const char *name;		/* for messages (c) */
	/*
	 * Migration (mm/migrate.h, kind MOVABLE_BALLOON): tell the host about @newpage
	 * (inflate) before @page (deflate); 0, or an errno and nothing changes. Called with
	 * the balloon lock held (taken by trylock). NULL: the balloon's pages are not movable
	 * (set before the first enqueue) (c).
	 */
	int (*migratepage)(struct balloon *b, struct page *newpage, struct page *page);
};

/* GFP for balloon pages: movable, no reserves, no warning, no OOM notifiers (no retry). */
#define GFP_BALLOON	(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY)

/*
 * Set up @b, empty, and give it an id. 0, or -ENOSPC when BALLOON_MAX balloons exist.
 * Context: process context, no locks held.
 */
int balloon_init(struct balloon *b, const char *name, bool adjust_managed);
/* Forget @b's id; it must be empty. Context: process context, no locks held. */
void balloon_destroy(struct balloon *b);

/*
 * One page for the balloon, allocated outside the balloon lock with GFP_BALLOON: NULL when
 * the allocator has none to spare. Context: process context, no locks held.
 */
struct page *balloon_page_alloc(void);

/*
 * Enqueue @n pages from balloon_page_alloc() (private = the balloon, PG_balloon, on the
 * list). Context: process context; takes the balloon lock.
 */
void balloon_pages_enqueue(struct balloon *b, struct page **pages, unsigned int n);

/*
 * Dequeue up to @max pages, newest first, into @pages: off the list, private and
 * PG_balloon cleared, refcount 1 and order 0 as the allocator gave them, so each may be
 * freed with __free_page() once the host has let go of it. Return: how many.
 * balloon_pages_dequeue_trylock(): the same, but 0 at once if the lock is busy, for the
 * OOM path (any context). Context: any CPU; process context for the first.
 */
unsigned int balloon_pages_dequeue(struct balloon *b, struct page **pages, unsigned int max);
unsigned int balloon_pages_dequeue_trylock(struct balloon *b, struct page **pages,
					   unsigned int max);
/*
 * Oldest first, with b->lock already held (the OOM path records pfns in the same hold): the
 * pages enqueued longest ago, which a driver knows the host has acknowledged when its
 * unacknowledged ones are the newest.
 */
unsigned int __balloon_pages_dequeue_oldest(struct balloon *b, struct page **pages,
					    unsigned int max);

/*
 * The balloon @page belongs to, or NULL when it is not (or no longer) a balloon page.
 * Context: caller holds the balloon lock of the balloon it expects (the seed rule);
 * without it, only a hint.
 */
struct balloon *balloon_of_page(const struct page *page);

/* Pages inflated, a snapshot. Context: any. */
static inline unsigned long balloon_nr_inflated(const struct balloon *b)
{
	return READ_ONCE(b->nr_inflated);
}

/*
 * Walk @b's list checking that every page is a balloon page of @b, counting them.
 * Return: problems found (each printed), 0 when the list and nr_inflated agree.
 * Context: process context; takes the balloon lock.
 */
int balloon_check(struct balloon *b);

#endif /* MM_BALLOON_H */
