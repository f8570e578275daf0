// SPDX-License-Identifier: MIT
/*
 * Per-CPU pages, the free side: where a freed block goes (this CPU's lists, its owner's
 * remote-free llist, or the zone), how an owner absorbs what others pushed, and how an idle
 * owner is woken to do so. The lists themselves are mm/pcp.c.
 *
 * Locking: free_llist is (l): any CPU pushes (one compare-and-swap), its owner consumes with
 * one exchange under its own pcp->lock. The read of an owner's flags and the push happen
 * with IRQs off (the hotplug window, mm/pcp_drain.c).
 * Linux: mm/page_alloc.c free_unref_page(), free_unref_page_commit().
 *
 * ==== Free routing and the remote free ====
 *
 * A freed block (order <= pageblock_order) looks at its pageblock's owner:
 *   - this CPU or nobody: this CPU's PCP, with a trylock of pcp->lock. If the trylock fails
 *     (another CPU holds it: the checker or a dead-CPU drain; or an NMI-like context)
 *     an owned page goes on our own free_llist, an unowned one to the zone (its lock, or in
 *     ALLOC_NOLOCK context a trylock and else the zone's deferred llist);
 *   - another CPU, B: llist_add() onto B's free_llist. One compare-and-swap, no lock, safe in
 *     any context. B absorbs its free_llist (one atomic exchange for the whole list) at the
 *     start of every PCP allocation, bulk free and drain, merging each page into its block.
 * A page in transit carries PG_llist and its order in private, and is counted as free by the
 * checker. The freeing side of a remote free is therefore one atomic and a few loads: the
 * owner pays for the merge, in batches, with its own lock, which no one else wants.
 *
 * ==== Idle owners ====
 *
 * If B is busy it absorbs soon enough. If B is idle, the pages would sit there, counted as
 * free but usable by nobody, so the freer that makes B's list non-empty (llist_add() returns
 * true) sends B an IPI if B is idle (cpu_is_idle(), kernel/idle.h). The IPI is a dedicated
 * one: one csd per target CPU, shared by all senders, queued with
 * smp_call_function_single_async(). -EBUSY from it means an absorb is already on its way,
 * which is exactly what we want, and it never waits, so it may be sent from any context
 * (smp_call_function_single(..., false) would wait for this CPU's previous call to the same
 * target). The handshake with the idle loop is Dekker's:
 *	freer:  push(page) (a seq_cst CAS);	read idle[B] (seq_cst, cpu_is_idle())
 *	B:      idle[B] = 1 (seq_cst); full fence (cpu_idle_loop());
 *		read free_llist (pcp_idle_enter(), the idle hook pcp_init() registers)
 * so either the freer sees B idle and interrupts it, or B sees the page before it sleeps.
 */
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "kernel/bug.h"
#include "kernel/idle.h"
#include "kernel/smp.h"
#include "kernel/tracepoints.h"
#include "arch/arch.h"

/* Interrupting a fast section of ours, it is left for the section's end (mm/pcp_lock.h). */
static void pcp_absorb_only_ipi(void *info)
{
	pcp_drain_local(NULL, false, true, PCP_MISSED_ABSORB);
	(void)info;
}

/* The absorb IPI: one csd per target, shared by all senders (l: csd flags). */
static struct call_single_data absorb_csd[NR_CPUS] = {
	[0 ... NR_CPUS - 1] = CSD_INIT(pcp_absorb_only_ipi, NULL),
};

/* ---- absorbing ---- */

/*
 * Absorb: take everything other CPUs pushed onto our free_llist (one atomic exchange) and put
 * each block where it belongs (see "Why the owner ... is stable" in mm/pcp.c).
 * Context: pcp->lock held.
 */
__noinline void __pcp_absorb(struct per_cpu_pages *pcp, bool nolock)
{
	struct llist_node *n = llist_del_all(&pcp->free_llist);
	struct zone_chain zc = ZONE_CHAIN_INIT;
	unsigned long nr = 0;

	assert_pcp_locked(&pcp->lock);
	while (n) {
		struct llist_node *next = n->next;
		struct page *page = llist_entry(n, struct page, pcp_llist);
		unsigned int order = page_private(page);

		/* The owner's check of what others pushed: the freer checked the rest. */
		if (unlikely(!PageLlist(page) || order > pageblock_order)) {
			bad_page(page, "corrupt page on a free_llist", order, 0);
			n = next;
			continue;
		}
		page_clear_flag(page, PG_llist);
		nr += 1UL << order;
		if (!__pcp_free_local(pcp, page, page_to_pfn(page), order))
			chain_add(&zc, page, order);
		n = next;
	}
	pcp->stats.absorbed += nr;
	if (nr)
		trace_pcp_absorb(pcp->zone->name, nr);
	zone_free_chain(pcp->zone, &zc, nolock);
}

/* ---- freeing ---- */

/*
 * llist_add() with a sequentially consistent compare-and-swap: the one atomic of a remote
 * free is also the store half of the idle handshake's Dekker pair (see "Idle owners"), so no
 * separate full fence follows it. On x86 a locked cmpxchg is a full barrier anyway (the fence
 * was an mfence on top); on riscv the AMO loop gets .aqrl. Release is implied: the page's
 * fields are visible to the owner that takes it with llist_del_all() (acquire).
 * Return: true if the list was empty.
 */
static inline bool pcp_llist_push(struct llist_node *n, struct llist_head *h)
{
	struct llist_node *old = __atomic_load_n(&h->first, __ATOMIC_RELAXED);

	do {
		n->next = old;
	} while (!__atomic_compare_exchange_n(&h->first, &old, n, true, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return old == NULL;
}

/*
 * The remote free's push, once the owner's flags were read clear: the page goes onto
 * @opcp's free_llist, counted on this CPU (@cpu). A free block's order is already in
 * private (mm/page_alloc.c) and stays there.
 * Return: true if the list was empty: the caller then wakes the owner if it is idle.
 * Context: IRQs off (the hotplug window, mm/pcp_drain.c).
 */
static __always_inline bool pcp_push_remote(unsigned int cpu, struct per_cpu_pages *opcp,
					    struct page *page, unsigned int order)
{
	page_set_flag(page, PG_llist);
	/* Both counters in this CPU's vm_event_states line: one address for the two adds. */
	__count_vm_events(cpu, PCP_REMOTE_FREE, 1);
	__count_vm_events(cpu, PGFREE, 1UL << order);
	return pcp_llist_push(&page->pcp_llist, &opcp->free_llist);
}

/*
 * After a push that made @owner's free_llist non-empty: an IPI if the owner is idle (see
 * "Idle owners"; whoever pushes onto a non-empty list leaves this to the first). @me: this
 * CPU's set, where the IPI is counted.
 * Context: IRQs off.
 */
static void pcp_wake_owner(struct per_cpu_pages *me, unsigned int owner)
{
	/* The push was seq_cst: it is ordered before this seq_cst read (Dekker pair). */
	if (cpu_is_idle(owner) &&
	    smp_call_function_single_async(owner, &absorb_csd[owner]) == 0)
		me->stats.ipis_sent++;
}

/*
 * The same, then interrupts back to @flags: out of line and called last, so that the remote
 * free's common case (pcp_free(), step 0) calls nothing and needs no stack frame.
 * Context: IRQs off; restores them.
 */
static __noinline void pcp_wake_owner_irqrestore(struct per_cpu_pages *me, unsigned int owner,
						 unsigned long flags)
{
	pcp_wake_owner(me, owner);
	arch_local_irq_restore(flags);
}

/*
 * The remote free from the full routing: push onto the owner's free_llist unless the owner
 * is dead (then false: the zone). The push is traced here, inside the window (the host's
 * hotplug race test parks a freer there through this tracepoint).
 * Context: IRQs off (the hotplug window, mm/pcp_drain.c).
 */
static bool pcp_free_remote(unsigned int cpu, struct per_cpu_pages *me, unsigned int owner,
			    struct per_cpu_pages *opcp, struct page *page, unsigned long pfn,
			    unsigned int order)
{
	u32 pflags = pcp_flags_read(opcp);

	if (pflags & PCPF_CPU_DEAD)
		return false;
	trace_pcp_remote_push(pfn, order, owner);
	if (pcp_push_remote(cpu, opcp, page, order))
		pcp_wake_owner(me, owner);
	return true;
}

/*
 * The full free routing (see "Free routing" above).
 * Return: true if the block is taken care of; false: the caller frees it to the zone.
 */
static bool pcp_free_route(struct zone *zone, struct page *page, unsigned long pfn,
			   unsigned int order, bool nolock)
{
	enum pcp_mode mode = pcp_get_mode();
	unsigned int me = smp_processor_id(), owner = PB_NO_OWNER;
	unsigned long idx = pageblock_idx(zone, pfn);
	struct per_cpu_pages *pcp;

	if (unlikely(!pcp_order_ok(mode, order)))
		return false;
	/* IRQs off from reading the owner's flag to the push: the hotplug window. */
	guard_irqsave();
	if (mode == PCP_MODE_OWNER) {
		owner = pageblock_owner_read(zone, idx);
		if (owner != PB_NO_OWNER && owner != me)
			return pcp_free_remote(me, zone_pcp(zone, me), owner,
					       zone_pcp(zone, owner), page, pfn, order);
	}
	pcp = zone_pcp(zone, me);
	scoped_cond_guard(pcp_trylock, &pcp->lock) {
		if (unlikely(pcp_dead(pcp)))
			return false;
		/* Our own block (the common case: the owner read above stands, see the essay). */
		if (owner == me) {
			assert_pcp_locked(&pcp->lock);
			__pcp_free_owned(pcp, &zone->pageblock_owner[idx], page, pfn, order);
		}
		else if (!__pcp_free_local(pcp, page, pfn, order))
			return false;
		__count_vm_events(me, PGFREE, 1UL << order);
		if (unlikely(pcp->count > pcp->high)) {
			pcp_absorb_if_needed(pcp, nolock);
			__pcp_drain(pcp, pcp->high, nolock);
		}
		return true;
	}
	/* The lock is busy (the checker, a dead-CPU drain, or we interrupted its holder). */
	if (owner == me) {
		/* Our own block: our own free_llist keeps it out of the zone; absorbed soon. */
		set_page_private(page, order);
		page_set_flag(page, PG_llist);
		llist_add(&page->pcp_llist, &pcp->free_llist);
		__count_vm_events(me, PGFREE, 1UL << order);
		return true;
	}
	return false;
}

/* The routing, and the zone for what no PCP takes: out of line, pcp_free()'s step 1. */
static __noinline void pcp_free_slow(struct zone *zone, struct page *page, unsigned long pfn,
				     unsigned int order, bool nolock)
{
	/* What interrupts deferred to a fast section pcp_free() then left. */
	if (zone->per_cpu_pageset)
		pcp_fast_missed_check(&zone_pcp(zone, smp_processor_id())->lock);
	if (likely(pcp_free_route(zone, page, pfn, order, nolock)))
		return;
	count_vm_events(PGFREE, 1UL << order);
	free_pages_to_zone(zone, page, order, nolock);
}

/**
 * pcp_free - route a freed block: a per-CPU list, the owner's free_llist or the zone
 * @zone: its zone
 * @page: the head page, already prepared for freeing (refcount 0, no PG_head)
 * @pfn: its pfn
 * @order: its order
 * @nolock: ALLOC_NOLOCK context: only trylocks
 *
 * Step 0 is the routing's two most common outcomes, inline: a single page of one of our own
 * pageblocks while our lists are below `high` (lazy: no merge, so no call to make), and a
 * block of another CPU's pageblock (the remote free). The first is a fast section of
 * pcp->lock, interrupts as they are (mm/pcp_lock.h): it reads the owner again inside, since
 * a drain IPI before the section may have given our block up (inside, none can). The
 * second reads the owner's flags and pushes with interrupts off (the hotplug window).
 * Anything else (no owner, another mode, a drain due, a busy lock, a dead owner) takes the
 * full routing, which starts again from scratch. Counted in pgfree either way.
 * Context: any CPU, any context.
 */
void pcp_free(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order,
	      bool nolock)
{
	unsigned int me = smp_processor_id(), owner;
	unsigned long idx = pageblock_idx(zone, pfn), flags;

	if (likely(pcp_get_mode() == PCP_MODE_OWNER && order <= pageblock_order)) {
		owner = pageblock_owner_read(zone, idx);
		if (owner == me) {
			struct per_cpu_pages *pcp = zone_pcp(zone, me);

			if (order == 0 && likely(pcp_fast_trylock(&pcp->lock))) {
				if (likely(pageblock_owner_read(zone, idx) == me && !pcp_dead(pcp) &&
					   pcp->count < pcp->high)) {
					__pcp_free_owned(pcp, &zone->pageblock_owner[idx], page,
							 pfn, 0);
					pcp_fast_count(&pcp->fast_frees);
					pcp_fast_unlock(&pcp->lock);
					return;
				}
				/* pcp_free_slow() runs what was deferred meanwhile. */
				pcp_fast_leave(&pcp->lock);
			}
		} else if (owner != PB_NO_OWNER) {
			/*
			 * Read with interrupts on, the owner stands: it can only become nobody
			 * (mm/pcp.c's essay), as it could with them off, and the owner then
			 * treats the page as unowned when it absorbs it.
			 */
			struct per_cpu_pages *opcp = zone_pcp(zone, owner);

			flags = arch_local_irq_save();
			/*
			 * A dead owner or the push traced: the full routing. So this path
			 * calls nothing but in tail position.
			 */
			if (likely(!pcp_flags_read(opcp) &&
				   !trace_event_on(pcp_remote_push))) {
				if (unlikely(pcp_push_remote(me, opcp, page, order))) {
					pcp_wake_owner_irqrestore(zone_pcp(zone, me), owner,
								  flags);
					return;
				}
				arch_local_irq_restore(flags);
				return;
			}
			arch_local_irq_restore(flags);
		}
	}
	pcp_free_slow(zone, page, pfn, order, nolock);
}

/* ---- idle owners ---- */

void pcp_idle_enter(void)
{
	unsigned int me = smp_processor_id();
	struct zone *zone;

	if (me >= pcp_nr_cpus)
		return;
	/* cpu_idle_loop() made our idle flag visible (and fenced) before calling us. */
	for_each_pcp_zone(zone) {
		if (!llist_empty(&zone_pcp(zone, me)->free_llist)) {
			pcp_drain_local(NULL, false, true, 0);
			break;
		}
	}
}
