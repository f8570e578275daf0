// SPDX-License-Identifier: MIT
/*
 * Balloon page bookkeeping (mm/balloon.h): which pages a balloon holds, shaped for migration.
 *
 * A page's life in a balloon:
 *
 *	balloon_page_alloc()		the driver's: refcount 1, order 0, MIGRATE_MOVABLE
 *	balloon_pages_enqueue()		under the lock: PG_balloon, private = b->id, on b->pages
 *	  ... the host is told (inflate) and owns the frame's contents ...
 *	balloon_pages_dequeue()		under the lock: off the list, private 0, PG_balloon clear
 *	  ... the host is told (deflate) ...
 *	__free_page()			back to the allocator
 *
 * Why page->private holds an id and not a pointer: struct page has 32 bits there (32-byte
 * struct page, DESIGN.md 4). The ids index a small table that is written only when a balloon
 * device is set up or torn down.
 *
 * Why the count and the list change together under one lock: migration (mm/migrate.c)
 * isolates a page (find its balloon through page->private, take the lock, check private
 * again, take the page off the list, nr_isolated++), copies nothing (the host owns the
 * contents), tells the host new-then-old and puts a new page in; with that protocol every page
 * is on the list, isolated, or the driver's, and nothing else.
 *
 * Managed pages: for a balloon with adjust_managed, every enqueued page leaves its zone's
 * managed_pages and every dequeued page comes back, inside the same lock hold, so MemTotal
 * plus the balloon's pages is always the boot MemTotal.
 *
 * Locking: see mm/balloon.h. The id table: balloon_ids_lock, taken only around a table
 * change; readers (balloon_of_page()) read a slot racily, which is safe because a balloon
 * leaves the table only once it is empty, so no page names it any more.
 * Linux: mm/balloon_compaction.c balloon_page_alloc(), balloon_page_list_enqueue(),
 * balloon_page_list_dequeue() (names kept; the page-lock half is not needed here).
 */
#include "mm/balloon.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/cpu.h"
#include "kernel/bug.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

static DEFINE_SPINLOCK(balloon_ids_lock);
static struct balloon *balloon_ids[BALLOON_MAX];	/* [id - 1] (s: balloon_ids_lock) */

/* ---- migration (mm/migrate.h): the balloon's movable_ops ---- */

static bool balloon_isolate(struct page *page)
{
	struct balloon *b = balloon_of_page(page);	/* a hint: checked under the lock */

	if (!b)
		return false;
	/*
	 * Lock order: the balloon lock comes before the allocator's locks, so an allocation
	 * made under it must not compact (it would spin here on itself).
	 */
	if (WARN(spin_held_by_me(&b->lock), "balloon %u: isolation under its own lock\n", b->id))
		return false;
	guard(spinlock_irqsave)(&b->lock);
	if (balloon_of_page(page) != b)
		return false;	/* deflated meanwhile */
	list_del(&page->lru);
	b->nr_isolated++;
	return true;
}

static int balloon_migrate(struct page *dst, struct page *src)
{
	struct balloon *b = balloon_of_page(src);	/* stable: isolated pages keep it */
	int err;

	if (WARN_ON(!b))
		return -EINVAL;
	/* Trylock only: a busy balloon (inflating, deflating) means "try again later". */
	scoped_cond_guard(spinlock_try_irqsave, &b->lock) {
		err = b->migratepage(b, dst, src);
		if (err)
			return err;
		movable_flags_update(dst, 0, BIT(PG_balloon), false);
		set_page_private(dst, b->id);
		list_add_tail(&dst->lru, &b->pages);
		movable_flags_update(src, BIT(PG_balloon), 0, false);
		set_page_private(src, 0);
		b->nr_isolated--;
		if (b->adjust_managed) {
			adjust_managed_page_count(dst, -1);
			adjust_managed_page_count(src, 1);
		}
		return 0;
	}
	return -EAGAIN;
}

static void balloon_putback(struct page *page)
{
	struct balloon *b = balloon_of_page(page);

	if (WARN_ON(!b))
		return;
	guard(spinlock_irqsave)(&b->lock);
	list_add_tail(&page->lru, &b->pages);
	b->nr_isolated--;
}

static const struct movable_operations balloon_movable_ops = {
	.name = "balloon",
	.isolate = balloon_isolate,
	.migrate = balloon_migrate,
	.putback = balloon_putback,
};
static bool balloon_ops_registered;	/* (s: balloon_ids_lock) */

int balloon_init(struct balloon *b, const char *name, bool adjust_managed)
{
	spin_lock_init(&b->lock, "balloon");
	INIT_LIST_HEAD(&b->pages);
	b->nr_inflated = 0;
	b->nr_isolated = 0;
	b->adjust_managed = adjust_managed;
	b->name = name;
	b->id = 0;
	b->migratepage = NULL;
	guard(spinlock_irqsave)(&balloon_ids_lock);
	if (!balloon_ops_registered) {
		movable_ops_register(MOVABLE_BALLOON, &balloon_movable_ops);
		balloon_ops_registered = true;
	}
	for (unsigned int i = 0; i < BALLOON_MAX; i++) {
		if (!balloon_ids[i]) {
			b->id = i + 1;
			__atomic_store_n(&balloon_ids[i], b, __ATOMIC_RELEASE);
			return 0;
		}
	}
	return -ENOSPC;
}

void balloon_destroy(struct balloon *b)
{
	WARN(b->nr_inflated || b->nr_isolated,
	     "balloon_destroy(%s): %lu pages inflated, %lu isolated\n", b->name, b->nr_inflated,
	     b->nr_isolated);
	if (!b->id)
		return;
	guard(spinlock_irqsave)(&balloon_ids_lock);
	__atomic_store_n(&balloon_ids[b->id - 1], NULL, __ATOMIC_RELEASE);
	b->id = 0;
}

struct page *balloon_page_alloc(void)
{
	return alloc_page(GFP_BALLOON);
}

/* One page onto the list. Context: b->lock held. */
static void __balloon_page_enqueue(struct balloon *b, struct page *page)
{
	assert_spin_locked(&b->lock);
	BUG_ON(PageBalloon(page) || page_private(page) != 0 || page_count(page) != 1 ||
	       page_movable_kind(page) != MOVABLE_NONE);
	set_page_private(page, b->id);
	/*
	 * One store: the page is the driver's until now. With a migratepage hook it becomes
	 * movable here, and from now on its flags change only by compare-and-swap.
	 */
	__atomic_store_n(&page->flags, page_flags_read(page) | BIT(PG_balloon) |
			 (b->migratepage ? (unsigned long)MOVABLE_BALLOON << PG_mkind0 : 0),
			 __ATOMIC_RELEASE);
	list_add_tail(&page->lru, &b->pages);
	b->nr_inflated++;
	if (b->adjust_managed)
		adjust_managed_page_count(page, -1);
}

/*
 * One page off the list, as the allocator gave it. Return: false (page left alone) if a
 * scanner has just isolated it and waits for this lock to unlink it. Context: b->lock held.
 */
static bool __balloon_page_dequeue(struct balloon *b, struct page *page)
{
	assert_spin_locked(&b->lock);
	BUG_ON(!PageBalloon(page) || page_private(page) != b->id);
	if (page_movable_kind(page) != MOVABLE_NONE) {
		if (!movable_flags_update(page, PAGE_MKIND_MASK | BIT(PG_balloon), 0, true))
			return false;
	} else {
		page_clear_flag(page, PG_balloon);
	}
	list_del(&page->lru);
	set_page_private(page, 0);	/* the allocator's "order 0" again */
	b->nr_inflated--;
	if (b->adjust_managed)
		adjust_managed_page_count(page, 1);
	return true;
}

void balloon_pages_enqueue(struct balloon *b, struct page **pages, unsigned int n)
{
	scoped_guard(spinlock_irqsave, &b->lock)
		for (unsigned int i = 0; i < n; i++)
			__balloon_page_enqueue(b, pages[i]);
	count_vm_events(BALLOON_INFLATE, n);
}

/* Newest first: the pages the host most recently took are the likeliest still untouched. */
static unsigned int __balloon_pages_dequeue(struct balloon *b, struct page **pages,
					    unsigned int max)
{
	unsigned int n = 0;

	assert_spin_locked(&b->lock);
	for (struct list_head *pos = b->pages.prev, *prev; n < max && pos != &b->pages;
	     pos = prev) {
		struct page *page = container_of(pos, struct page, lru);

		prev = pos->prev;
		if (__balloon_page_dequeue(b, page))
			pages[n++] = page;
	}
	/* Interrupts are off under the lock: the per-CPU add needs no more. */
	__count_vm_events(smp_processor_id(), BALLOON_DEFLATE, n);
	return n;
}

unsigned int __balloon_pages_dequeue_oldest(struct balloon *b, struct page **pages,
					    unsigned int max)
{
	unsigned int n = 0;

	assert_spin_locked(&b->lock);
	for (struct list_head *pos = b->pages.next, *next; n < max && pos != &b->pages;
	     pos = next) {
		struct page *page = container_of(pos, struct page, lru);

		next = pos->next;
		if (__balloon_page_dequeue(b, page))
			pages[n++] = page;
	}
	__count_vm_events(smp_processor_id(), BALLOON_DEFLATE, n);
	return n;
}

unsigned int balloon_pages_dequeue(struct balloon *b, struct page **pages, unsigned int max)
{
	guard(spinlock_irqsave)(&b->lock);
	return __balloon_pages_dequeue(b, pages, max);
}

unsigned int balloon_pages_dequeue_trylock(struct balloon *b, struct page **pages,
					   unsigned int max)
{
	scoped_cond_guard(spinlock_try_irqsave, &b->lock)
		return __balloon_pages_dequeue(b, pages, max);
	return 0;
}

struct balloon *balloon_of_page(const struct page *page)
{
	unsigned long id;

	if (!PageBalloon(page))
		return NULL;
	id = page_private(page);
	if (id == 0 || id > BALLOON_MAX)
		return NULL;
	return __atomic_load_n(&balloon_ids[id - 1], __ATOMIC_ACQUIRE);
}

int balloon_check(struct balloon *b)
{
	unsigned long n = 0;
	int problems = 0;
	struct list_head *pos;

	guard(spinlock_irqsave)(&b->lock);
	for (pos = b->pages.next; pos != &b->pages; pos = pos->next) {
		struct page *page = container_of(pos, struct page, lru);

		if (balloon_of_page(page) != b || page_count(page) != 1) {
			if (problems++ < 10)
				pr_err("balloon %s: pfn %#lx on the list: flags %#lx private %lu "
				       "refcount %d\n", b->name, page_to_pfn(page),
				       page_flags_read(page), page_private(page),
				       page_count(page));
		}
		n++;
	}
	/* Isolated pages are still inflated, off the list until migrated or put back. */
	if (n + b->nr_isolated != b->nr_inflated) {
		pr_err("balloon %s: %lu pages on the list, %lu isolated, nr_inflated %lu\n",
		       b->name, n, b->nr_isolated, b->nr_inflated);
		problems++;
	}
	return problems;
}
