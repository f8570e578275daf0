/* SPDX-License-Identifier: MIT */
/*
 * Free page reporting: tell a device (a virtio balloon with REPORTING) which large blocks of
 * guest memory are free, so that the host can take their backing memory back without a
 * balloon target (virtio 1.x 5.5.6.5; Linux: mm/page_reporting.c).
 *
 * mm/page_reporting.c takes free buddy blocks of order >= PAGE_REPORTING_MIN_ORDER (the
 * pageblock order) off the zones' free lists, at most PAGE_REPORTING_CAPACITY at a time and
 * only while the zone stays above its high watermark plus a margin, hands them to the
 * device, and when the device has let go puts them back at the tail of their lists, marked
 * PG_reported, so they are not reported again until they are allocated or merge.
 *
 * Locking: pr_lock (in the .c file) guards the registration and the blocks held; it is
 * taken outside the zone locks and never around the device's report call. The buddy
 * allocator's hook (page_reporting_notify_free()) takes no lock.
 */
#ifndef MM_PAGE_REPORTING_H
#define MM_PAGE_REPORTING_H

#include "kernel/compiler.h"
#include "mm/mmzone.h"
#include "mm/page.h"

#define PAGE_REPORTING_MIN_ORDER	pageblock_order
#define PAGE_REPORTING_CAPACITY		32	/* blocks per report */
#define PAGE_REPORTING_DELAY_MS		2000	/* after a qualifying free, before reporting */

struct page_reporting_dev_info {
	/*
	 * Hand @n free blocks to the device: @pages[i] heads a block of order @orders[i]. 0:
	 * they are with the device, and the driver calls page_reporting_done() once it has let
	 * go of them; -errno: nothing was sent, the blocks go back unreported.
	 * Context: the reporting work (process context), no locks held.
	 */
	int (*report)(struct page_reporting_dev_info *prdev, struct page *const *pages,
		      const unsigned int *orders, unsigned int n);
	const char *name;
};

/*
 * Start reporting to @prdev (one device at a time): 0, or -EBUSY.
 * Context: process context, no locks held.
 */
int page_reporting_register(struct page_reporting_dev_info *prdev);
/*
 * Stop: blocks the device holds go back (it must no longer use them: reset it first), and
 * no report call runs or will run on return. Context: process context, no locks held.
 */
void page_reporting_unregister(struct page_reporting_dev_info *prdev);
/*
 * The device has let go of the blocks of the last report (@ok: it took them; false: it
 * failed, they go back unreported); the next report may follow at once.
 * Context: process context, no locks held.
 */
void page_reporting_done(struct page_reporting_dev_info *prdev, bool ok);

/* Run one round now, as the delayed work would (tests). Context: process context. */
void page_reporting_run(void);

/* Figures for vmstat and the balloon command. */
struct page_reporting_stats {
	u64 reports;		/* report calls that sent blocks */
	u64 pages_reported;	/* pages in them */
	u64 held;		/* pages with the device now */
};
void page_reporting_stats(struct page_reporting_stats *out);

/* The buddy allocator's hook: a free block of @order is on a zone's list. */
extern bool page_reporting_enabled;	/* a device is registered (l: read racily) */
void __page_reporting_notify_free(void);
static __always_inline void page_reporting_notify_free(unsigned int order)
{
	if (order >= PAGE_REPORTING_MIN_ORDER && READ_ONCE(page_reporting_enabled))
		__page_reporting_notify_free();
}

#endif /* MM_PAGE_REPORTING_H */
