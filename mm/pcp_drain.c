// SPDX-License-Identifier: MIT
/*
 * Per-CPU pages, giving them back: drain_all_pages() (every CPU's pages to the zones, by
 * IPI) and the CPU hotplug steps that drain a CPU going offline and wake one coming online.
 *
 * Locking: each CPU drains its own lists under its own pcp->lock; the one exception is
 * pcp_cpu_dead(), which takes a dead CPU's lock (its owner no longer runs). drains_done[] and
 * drain_busy are (l: atomics, see below).
 * Linux: mm/page_alloc.c drain_all_pages(), drain_local_pages(), page_alloc_cpu_dead().
 *
 * ==== Draining ====
 *
 * drain_all_pages() asks every CPU that holds pages (count or a non-empty free_llist) to
 * absorb and give everything back, by IPI, and waits (bounded) for their "drains done"
 * counters to move. In the IPI (interrupt context) nothing may spin: a drain that finds the
 * zone lock busy pushes its pages onto the zone's deferred llist, which the next zone-lock
 * holder frees first thing (zone_lock_irqsave()). So a drain never fails to give pages back,
 * and the allocation that asked for it, retrying under the zone lock, frees them itself.
 * The allocator calls it when an allocation would otherwise fail while other CPUs hold
 * pages (a caller that may not wait, GFP_ATOMIC or interrupt context, calls
 * drain_all_pages_nowait() instead: the requests go out, nobody waits for them); isolation
 * and mode switches call it after their change. One drain runs at a time,
 * and a CPU that finds one running waits for it to end and then drains itself: the running
 * drain may have passed a CPU before the caller's change, and that CPU may hold pages since.
 * A full drain also ends every ownership, even of a block with no free page on the owner's
 * lists (nothing of it would be drained, but its owner would go on taking its pages back).
 *
 * ==== Hotplug drain ordering (DESIGN.md 4.2) ====
 *
 * A freer reads the owner's PCPF_CPU_DEAD flag and then pushes; if the owner died between
 * the two, the page would be stranded on a dead CPU's list. So the read..push window runs with
 * IRQs off, and pcp_cpu_dead() (1) sets the flag, (2) runs an empty function on every online
 * CPU and waits (on_each_cpu): a CPU that runs it is not inside the window, and any window it
 * enters afterwards sees the flag (the IPI's release/acquire orders it) and frees to the zone,
 * (3) only then absorbs and drains the dead CPU's lists, detaching each owned block from
 * owned_blocks before resetting its entry. Both run as the CPUHP_PAGE_ALLOC step
 * (kernel/cpuhp.c), on the controller after the CPU has parked, so the dead CPU's pcp->lock is
 * free to take (the one exception to "only your own pcp->lock"). Remote frees that reach the
 * dying CPU's llist between "left the online mask" and "flag set" are absorbed by that drain;
 * their absorb IPIs fail with -ENXIO (the CPU is offline), which is harmless. Coming up,
 * pcp_cpu_online() clears the flag before the CPU runs and absorbs what arrived; what arrives
 * later the CPU absorbs itself on its first idle entry.
 */
#include "mm/internal.h"
#include "kernel/bug.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "arch/arch.h"

static void pcp_drain_ipi(void *info);

/* The drain IPI: one csd per target (l: csd flags). */
static struct call_single_data drain_csd[NR_CPUS] = {
	[0 ... NR_CPUS - 1] = CSD_INIT(pcp_drain_ipi, NULL),
};
static u64 drains_done[NR_CPUS];	/* drain IPIs each CPU has finished (l: atomic) */
static u32 drain_busy;			/* a drain_all_pages() runs (l: atomic) */

bool pcp_drain_local(struct zone *only, bool full, bool nolock, u8 defer)
{
	unsigned int me = smp_processor_id();
	struct zone *zone;
	bool deferred = false;

	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, me);

		if (only && zone != only)
			continue;
		/* A full drain also ends the ownership of blocks with no free page here. */
		if (!pcp_has_pages(pcp) && !(full && READ_ONCE(pcp->nr_owned_blocks)))
			continue;
		if (nolock) {
			scoped_cond_guard(pcp_trylock_irqsave, &pcp->lock) {
				__pcp_absorb(pcp, true);
				__pcp_drain(pcp, full ? 0 : pcp->high, true);
				continue;
			}
			/* Busy: a fast section we interrupted runs the request at its end
			 * (@defer is an interrupt handler's: interrupts are off). */
			deferred |= pcp_defer_to_fast(&pcp->lock, defer);
		} else {
			/* Our own lock, free by the rule: "remote" only in that it may wait. */
			scoped_guard(pcp_lock_remote_irqsave, &pcp->lock) {
				__pcp_absorb(pcp, false);
				__pcp_drain(pcp, full ? 0 : pcp->high, false);
			}
		}
	}
	return deferred;
}

/**
 * drain_local_pages - give this CPU's PCP pages back to the zone
 * @zone: the zone, or NULL for all
 *
 * Context: this CPU; from an IPI handler too (only trylocks there: arch_irqs_disabled()).
 */
void drain_local_pages(struct zone *zone)
{
	pcp_drain_local(zone, true, arch_irqs_disabled(), 0);
}

/*
 * The drain IPI runs in interrupt context: never spin (nolock), see "Draining". If it
 * interrupted a fast section of ours, the section's end runs it again (pcp_fast_missed())
 * and that run counts it done: the waiter waits those few instructions more.
 */
static void pcp_drain_ipi(void *info)
{
	unsigned int me = smp_processor_id();

	if (pcp_drain_local(NULL, true, true, PCP_MISSED_DRAIN))
		return;
	/* Release: the waiter that sees the count move also sees our pages in the zone. */
	__atomic_fetch_add(&drains_done[me], 1, __ATOMIC_RELEASE);
	(void)info;
}

/*
 * Context: this CPU, right out of a fast section of @l (mm/pcp_lock.h), or in the slow half
 * of an allocation or free that may be an interrupt handler's inside a fast section of @l
 * (its own fast try failed on `fast`): then the requests stay for that section's end,
 * which is the only place the lock can be taken for them.
 */
void pcp_fast_missed(struct pcp_lock *l)
{
	unsigned long flags = arch_local_irq_save();
	u8 m = __atomic_load_n(&l->missed, __ATOMIC_RELAXED);

	if (pcp_in_fast(l)) {
		arch_local_irq_restore(flags);
		return;
	}
	__atomic_store_n(&l->missed, 0, __ATOMIC_RELAXED);
	if (m & PCP_MISSED_DRAIN)
		pcp_drain_ipi(NULL);
	if (m & PCP_MISSED_ABSORB)
		pcp_drain_local(NULL, false, true, 0);
	/* Last: it leaves the lock held, for the checker (mm/check.c) to release. */
	if (m & PCP_MISSED_CHECK) {
		/* Release: our list writes before the checker's reads (pcp_wait_handed()). */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		WARN_ON(!pcp_trylock(l));
	}
	arch_local_irq_restore(flags);
}

/* Does @cpu hold free pages of @only (NULL: any zone), or also (@owned) own blocks there? */
static bool cpu_holds(unsigned int cpu, struct zone *only, bool owned)
{
	struct zone *zone;

	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		if (only && zone != only)
			continue;
		if (pcp_has_pages(pcp) || (owned && READ_ONCE(pcp->nr_owned_blocks)))
			return true;
	}
	return false;
}

static bool cpu_has_pcp_pages(unsigned int cpu, struct zone *only)
{
	return cpu_holds(cpu, only, false);
}

static bool cpu_has_pcp_state(unsigned int cpu, struct zone *only)
{
	return cpu_holds(cpu, only, true);
}

bool pcp_zone_has_pages(struct zone *zone)
{
	if (pcp_get_mode() == PCP_MODE_OFF && !zone)
		return false;
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++)
		if (cpu_has_pcp_pages(cpu, zone))
			return true;
	return false;
}

static void wait_tick(void)
{
	/* With IRQs off we still serve calls queued for us: a waiter may be waiting on us. */
	if (arch_irqs_disabled())
		smp_process_pending_calls();
	arch_cpu_relax();
}

/* Take the one drain slot, waiting (bounded) for a drain that runs already to end. */
static bool drain_slot_get(void)
{
	u64 deadline = arch_clock_ns() + PCP_DRAIN_WAIT_MS * 1000000ULL;
	u32 expect = 0;

	while (!__atomic_compare_exchange_n(&drain_busy, &expect, 1, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		expect = 0;
		if (arch_clock_ns() >= deadline)
			return false;
		wait_tick();
	}
	return true;
}

bool drain_all_pages(struct zone *zone)
{
	u64 seen[NR_CPUS];
	struct cpumask asked;
	unsigned int me = smp_processor_id(), cpu;
	u64 deadline;
	bool all = true;

	/*
	 * A drain already running is not ours: it may have passed a CPU before our caller
	 * changed something (isolated a block, switched modes), and that CPU may have cached
	 * pages since. So wait for it to end, then drain ourselves.
	 */
	if (!drain_slot_get()) {
		pr_warn("pcp: drain_all_pages: another drain did not end within %u ms\n",
			PCP_DRAIN_WAIT_MS);
		return false;
	}
	deadline = arch_clock_ns() + PCP_DRAIN_WAIT_MS * 1000000ULL;
	cpumask_clear(&asked);
	for_each_online_cpu(cpu) {
		/* Owned blocks count even with no free page: the drain ends their ownership. */
		if (cpu == me || cpu >= pcp_nr_cpus || !cpu_has_pcp_state(cpu, zone))
			continue;
		seen[cpu] = __atomic_load_n(&drains_done[cpu], __ATOMIC_ACQUIRE);
		cpumask_set_cpu(cpu, &asked);
		/* -EBUSY: a drain IPI is already queued there; it runs after now, which is enough. */
		smp_call_function_single_async(cpu, &drain_csd[cpu]);
	}
	drain_local_pages(zone);
	for_each_cpu(cpu, &asked) {
		while (__atomic_load_n(&drains_done[cpu], __ATOMIC_ACQUIRE) == seen[cpu]) {
			if (arch_clock_ns() >= deadline) {
				all = false;
				break;
			}
			wait_tick();
		}
	}
	if (!all)
		pr_warn("pcp: drain_all_pages: a CPU did not drain within %u ms\n",
			PCP_DRAIN_WAIT_MS);
	__atomic_store_n(&drain_busy, 0, __ATOMIC_RELEASE);
	return all;
}

void drain_all_pages_nowait(struct zone *zone)
{
	unsigned int me = smp_processor_id(), cpu;
	u32 expect = 0;

	/* The slot only keeps two senders apart; a drain running already covers us. */
	if (__atomic_compare_exchange_n(&drain_busy, &expect, 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
		for_each_online_cpu(cpu)
			if (cpu != me && cpu < pcp_nr_cpus && cpu_has_pcp_state(cpu, zone))
				smp_call_function_single_async(cpu, &drain_csd[cpu]);
		__atomic_store_n(&drain_busy, 0, __ATOMIC_RELEASE);
	}
	drain_local_pages(zone);
}

/* ---- CPU hotplug ---- */

static void pcp_nop(void *info)
{
	(void)info;
}

int pcp_cpu_dead(unsigned int cpu)
{
	struct zone *zone;

	if (cpu >= pcp_nr_cpus)
		return 0;
	for_each_pcp_zone(zone)
		__atomic_fetch_or(&zone_pcp(zone, cpu)->flags, PCPF_CPU_DEAD, __ATOMIC_RELEASE);
	/* Every online CPU passes a point outside its read-flag..push window (IRQs on there). */
	on_each_cpu(pcp_nop, NULL, true);
	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		/* The one place another CPU's pcp->lock is taken: its owner is gone. */
		guard(pcp_lock_remote_irqsave)(&pcp->lock);
		__pcp_absorb(pcp, false);
		__pcp_drain(pcp, 0, false);
		WARN_ON(pcp->count || pcp->nr_owned_blocks || !llist_empty(&pcp->free_llist));
	}
	return 0;
}

int pcp_cpu_online(unsigned int cpu)
{
	struct zone *zone;

	if (cpu >= pcp_nr_cpus)
		return 0;
	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		guard(pcp_lock_remote_irqsave)(&pcp->lock);
		__atomic_fetch_and(&pcp->flags, ~PCPF_CPU_DEAD, __ATOMIC_RELEASE);
		__pcp_absorb(pcp, false);
	}
	return 0;
}

static void count_held(void *info)
{
	struct pcp_held_pages *h = info;
	unsigned int cpu = h->cpu;
	struct zone *zone;

	h->pcp = h->remote = h->owned_blocks = 0;
	if (cpu >= pcp_nr_cpus)
		return;
	for_each_pcp_zone(zone) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);
		struct llist_node *n = __atomic_load_n(&pcp->free_llist.first, __ATOMIC_ACQUIRE);

		h->pcp += pcp_count_read(pcp);
		h->owned_blocks += READ_ONCE(pcp->nr_owned_blocks);
		for (; n; n = n->next)
			h->remote += 1UL << page_private(llist_entry(n, struct page, pcp_llist));
	}
}

void pcp_held_pages(unsigned int cpu, struct pcp_held_pages *h)
{
	h->cpu = cpu;
	cpuhp_call_on_cpu(cpu, count_held, h);
}
