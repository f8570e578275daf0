// SPDX-License-Identifier: MIT
/*
 * Free page reporting (mm/page_reporting.h): large free blocks to the host, and back.
 *
 * A round (deferred work, PAGE_REPORTING_DELAY_MS after a free that left a block of order
 * >= pageblock order on a zone's list):
 *
 *	under each zone lock in turn: take up to PAGE_REPORTING_CAPACITY blocks of order >=
 *	    PAGE_REPORTING_MIN_ORDER that are not PG_reported off the heads of the free lists of
 *	    the ordinary types (not HIGHATOMIC, not ISOLATE), while the zone keeps its high
 *	    watermark plus one pageblock free; they leave NR_FREE_PAGES meanwhile;
 *	without any lock: hand them to the device (the report call);
 *	when the driver says the device let go (page_reporting_done()): back to the zone, at the
 *	    tail of their lists, PG_reported (mm/buddy.c __putback_reported_block()).
 *
 * Why the heads and the tail: freed and merged blocks go on at the head, reported ones at
 * the tail, so a list reads [not yet reported ... reported] and the scan stops at the first
 * reported block. A block that leaves its list in any way (allocated, split, merged into a
 * bigger one) loses PG_reported in del_page_from_free_list(), so a merged block is reported
 * again: it is new memory to the host. (A block moved to another type's list by fallback
 * stealing goes to that list's tail unreported, and waits there until the reported blocks
 * ahead of it are allocated: a rare, harmless delay.)
 *
 * CPU-owned pageblocks: a pageblock a CPU owns (mm/pcp.c) is not on the zone's free lists
 * even when entirely free, so it is never reported while owned; when its owner gives it back
 * whole (beyond `high`, on a drain or at hotplug) it is freed into the zone, which counts as
 * a qualifying free, and it is reported then.
 *
 * While blocks are with the device they are on no list and carry no PG_buddy: to the rest of
 * the allocator (and to the invariant checker) they look allocated. A buddy freed meanwhile
 * does not merge with them; it merges when they come back.
 *
 * Locking: pr_lock guards pr_dev, pr_busy and the held blocks (s); it is taken outside the
 * zone locks (lock order pr_lock -> zone lock), never around the report call, and never
 * from the buddy allocator's hook, which only queues the work (lock-free).
 */
#include "mm/page_reporting.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/workqueue.h"

static DEFINE_SPINLOCK(pr_lock);
static struct page_reporting_dev_info *pr_dev;	/* the registered device (s) */
static bool pr_busy;				/* blocks are out: taken, or with the device (s) */
static struct page *pr_pages[PAGE_REPORTING_CAPACITY];	/* the blocks out (s: pr_busy) */
static unsigned int pr_orders[PAGE_REPORTING_CAPACITY];
static unsigned int pr_n;			/* how many (s: pr_busy) */
static struct page_reporting_stats pr_stats;	/* (s) */
bool page_reporting_enabled;

static void page_reporting_fn(struct work_struct *work);
static struct delayed_work pr_work = { WORK_INITIALIZER(page_reporting_fn) };

void __page_reporting_notify_free(void)
{
	/* Lock-free: may run under a zone lock. Pending work keeps its earlier expiry. */
	queue_delayed_work_on(smp_processor_id(), &pr_work, PAGE_REPORTING_DELAY_MS);
}

/*
 * Take unreported blocks off @zone's lists into pr_pages[n..]. Return: the new count.
 * Context: zone lock held; pr_busy is ours.
 */
static unsigned int __take_blocks(struct zone *zone, unsigned int n)
{
	unsigned long floor = high_wmark_pages(zone) + pageblock_nr_pages;
	unsigned long free = zone_page_state(zone, NR_FREE_PAGES);

	assert_zone_locked(zone);
	for (int order = MAX_PAGE_ORDER; order >= PAGE_REPORTING_MIN_ORDER; order--) {
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			struct list_head *head = &zone->free_area[order].free_list[mt];

			while (n < PAGE_REPORTING_CAPACITY && !list_empty(head)) {
				struct page *page = container_of(head->next, struct page, lru);

				if (PageReported(page))
					break;		/* the rest of this list is reported */
				if (free < floor + (1UL << order))
					return n;
				del_page_from_free_list(page, zone, order, mt);
				free -= 1UL << order;
				pr_pages[n] = page;
				pr_orders[n] = order;
				n++;
			}
		}
	}
	return n;
}

/* Are all pageblocks of the block (@page, @order) of the head's type? */
static bool one_type(struct page *page, unsigned int order)
{
	int mt = get_pageblock_migratetype(page);

	for (unsigned long i = pageblock_nr_pages; i < (1UL << order); i += pageblock_nr_pages)
		if (get_pageblock_migratetype(page + i) != mt)
			return false;
	return true;
}

/*
 * One block back to its zone. A block bigger than a pageblock whose pageblocks changed type
 * while it was out (isolation, fallback stealing) goes back pageblock by pageblock, so that
 * no free block mixes types, and unreported (its parts may merge as they can).
 */
static void putback(struct page *page, unsigned int order, bool reported)
{
	struct zone *zone = page_zone(page);

	guard(zone_lock_irqsave)(zone);
	if (order > pageblock_order && !one_type(page, order)) {
		for (unsigned long i = 0; i < (1UL << order); i += pageblock_nr_pages)
			__putback_reported_block(zone, page + i, pageblock_order, false);
		return;
	}
	__putback_reported_block(zone, page, order, reported);
}

/* Every block out goes back; the next round may start. Context: process context. */
static void putback_all(bool reported)
{
	unsigned int n;
	bool full;

	scoped_guard(spinlock_irqsave, &pr_lock)
		n = pr_n;
	for (unsigned int i = 0; i < n; i++)
		putback(pr_pages[i], pr_orders[i], reported);
	scoped_guard(spinlock_irqsave, &pr_lock) {
		pr_stats.held = 0;
		pr_n = 0;
		pr_busy = false;
	}
	/* A full round may have left more behind: look again soon. */
	full = n == PAGE_REPORTING_CAPACITY;
	if (reported && full)
		queue_delayed_work_on(smp_processor_id(), &pr_work, 0);
}

void page_reporting_run(void)
{
	struct page_reporting_dev_info *dev;
	unsigned int n = 0, pages = 0;
	struct zone *zone;
	int err;

	scoped_guard(spinlock_irqsave, &pr_lock) {
		dev = pr_dev;
		if (!dev || pr_busy)
			return;
		pr_busy = true;
	}
	for_each_zone(zone) {
		if (!populated_zone(zone) || n == PAGE_REPORTING_CAPACITY)
			continue;
		scoped_guard(zone_lock_irqsave, zone)
			n = __take_blocks(zone, n);
	}
	for (unsigned int i = 0; i < n; i++)
		pages += 1U << pr_orders[i];
	scoped_guard(spinlock_irqsave, &pr_lock) {
		pr_n = n;
		pr_stats.held = pages;
		if (!n)
			pr_busy = false;
	}
	if (!n)
		return;
	err = dev->report(dev, pr_pages, pr_orders, n);
	if (err) {
		putback_all(false);
		return;
	}
	scoped_guard(spinlock_irqsave, &pr_lock) {
		pr_stats.reports++;
		pr_stats.pages_reported += pages;
	}
	count_vm_events(PGREPORTED, pages);
}

static void page_reporting_fn(struct work_struct *work)
{
	(void)work;
	page_reporting_run();
}

void page_reporting_done(struct page_reporting_dev_info *prdev, bool ok)
{
	scoped_guard(spinlock_irqsave, &pr_lock)
		if (prdev != pr_dev || !pr_busy)
			return;
	putback_all(ok);
}

int page_reporting_register(struct page_reporting_dev_info *prdev)
{
	scoped_guard(spinlock_irqsave, &pr_lock) {
		if (pr_dev)
			return -EBUSY;
		pr_dev = prdev;
	}
	WRITE_ONCE(page_reporting_enabled, true);
	pr_info("page_reporting: %s: free blocks of order %u and up are reported\n",
		prdev->name, PAGE_REPORTING_MIN_ORDER);
	/* What is free already counts too. */
	queue_delayed_work_on(smp_processor_id(), &pr_work, PAGE_REPORTING_DELAY_MS);
	return 0;
}

void page_reporting_unregister(struct page_reporting_dev_info *prdev)
{
	bool out;

	scoped_guard(spinlock_irqsave, &pr_lock) {
		if (prdev != pr_dev)
			return;
		WRITE_ONCE(page_reporting_enabled, false);
	}
	cancel_delayed_work_sync(&pr_work);	/* no round runs after this */
	scoped_guard(spinlock_irqsave, &pr_lock)
		out = pr_busy;
	if (out)
		putback_all(false);
	scoped_guard(spinlock_irqsave, &pr_lock)
		pr_dev = NULL;
}

void page_reporting_stats(struct page_reporting_stats *out)
{
	guard(spinlock_irqsave)(&pr_lock);
	*out = pr_stats;
}
