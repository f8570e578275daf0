// SPDX-License-Identifier: MIT
/*
 * OOM notifiers (mm/oom_notify.h): a list of callbacks the allocator runs before it fails.
 * Kept trylock-only end to end, so that the allocator may call it from any context.
 */
#include "mm/oom_notify.h"
#include "kernel/spinlock.h"

static DEFINE_SPINLOCK(oom_notify_lock);
static LIST_HEAD(oom_notify_list);	/* struct oom_notifier.node (s: oom_notify_lock) */

void oom_notifier_register(struct oom_notifier *nb)
{
	guard(spinlock_irqsave)(&oom_notify_lock);
	list_add_tail(&nb->node, &oom_notify_list);
}

void oom_notifier_unregister(struct oom_notifier *nb)
{
	guard(spinlock_irqsave)(&oom_notify_lock);
	list_del(&nb->node);
}

unsigned long oom_notify(unsigned int order, gfp_t gfp)
{
	unsigned long freed = 0;

	/* Unlocked peek (a stale answer only delays a new notifier by one failure): the
	 * common case, nobody registered, costs no atomic. */
	if (READ_ONCE(oom_notify_list.next) == &oom_notify_list)
		return 0;
	scoped_cond_guard(spinlock_try_irqsave, &oom_notify_lock) {
		struct list_head *pos;

		for (pos = oom_notify_list.next; pos != &oom_notify_list; pos = pos->next) {
			struct oom_notifier *nb = container_of(pos, struct oom_notifier, node);

			freed += nb->notify(nb, order, gfp);
		}
	}
	return freed;
}
