/* SPDX-License-Identifier: MIT */
/*
 * OOM notifiers: the allocator's last step before an allocation fails (mm/page_alloc.c,
 * step 7) asks every registered notifier to give pages back, then tries once more. A
 * virtio balloon with DEFLATE_ON_OOM registers one and deflates there.
 *
 * A notifier runs inside the failing allocation, which may be in interrupt context, with
 * interrupts off, on any CPU: it must only trylock (never spin), never allocate, never wait,
 * and free what it gives back with free_pages_nolock(). It returns the pages it freed.
 *
 * Locking: the list is under oom_notify_lock. oom_notify() takes it by trylock only (a
 * failing allocation whose notifiers another CPU is running gets nothing and fails; it
 * does not wait) and holds it while the notifiers run, so that once
 * oom_notifier_unregister() returns, no call of that notifier is running or will run.
 * Lock order: oom_notify_lock -> the notifiers' own locks (balloon lock, by trylock).
 * Linux: mm/oom_kill.c register_oom_notifier(), out_of_memory()'s oom_notify_list.
 */
#ifndef MM_OOM_NOTIFY_H
#define MM_OOM_NOTIFY_H

#include "kernel/compiler.h"
#include "kernel/lib/list.h"
#include "mm/gfp.h"

struct oom_notifier {
	/* Give pages back for a failing allocation of 2^order pages; return how many. */
	unsigned long (*notify)(struct oom_notifier *nb, unsigned int order, gfp_t gfp);
	struct list_head node;		/* on the notifier list (s: oom_notify_lock) */
};

/* Context: process context, no locks held (takes oom_notify_lock, spinning). */
void oom_notifier_register(struct oom_notifier *nb);
/* On return no call of @nb runs or will run. Context: as register. */
void oom_notifier_unregister(struct oom_notifier *nb);

/*
 * oom_notify - run every notifier for a failing allocation.
 * Return: the pages they freed; 0 when there are none, or the list is busy elsewhere.
 * Context: any, interrupt context included; trylocks only.
 */
unsigned long oom_notify(unsigned int order, gfp_t gfp);

#endif /* MM_OOM_NOTIFY_H */
