// SPDX-License-Identifier: MIT
/*
 * Per-CPU pages, setting up: the per-CPU sets and ownership arrays of each zone at boot,
 * high and batch, the comparison modes (`pcp=`, pcp_set_mode()), the hooks that connect the
 * layer to CPU hotplug and the idle loop, and the per-CPU statistics.
 *
 * Locking: the mode is (l: relaxed; switched only while the allocator is quiet); everything
 * else here is (c), written by the boot CPU before SMP.
 * Linux: mm/page_alloc.c setup_per_cpu_pageset(), zone_batchsize(), zone_highsize().
 */
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/vmstat.h"
#include "kernel/cmdline.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/idle.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

const char *const pcp_mode_names[NR_PCP_MODES] = {
	[PCP_MODE_OFF] = "off",
	[PCP_MODE_TRYLOCK] = "trylock",
	[PCP_MODE_OWNER] = "owner",
};

/* OFF until pcp_init(): boot frees go straight to the buddy allocator (l: relaxed). */
u32 pcp_mode_cur = PCP_MODE_OFF;
unsigned int pcp_nr_cpus;			/* (c) */

int pcp_mode_from_name(const char *name)
{
	for (int m = 0; m < NR_PCP_MODES; m++)
		if (!strcmp(name, pcp_mode_names[m]))
			return m;
	return -1;
}

int pcp_set_mode(enum pcp_mode mode)
{
	if ((unsigned int)mode >= NR_PCP_MODES)
		return -EINVAL;
	/* New frees follow the new mode from here; what the old mode parked goes back. */
	__atomic_store_n(&pcp_mode_cur, (u32)mode, __ATOMIC_RELAXED);
	drain_all_pages(NULL);
	return 0;
}

void pcp_get_stats(unsigned int cpu, struct pcp_stats *out)
{
	struct zone *zone;

	memset(out, 0, sizeof(*out));
	if (cpu >= pcp_nr_cpus)
		return;
	out->remote_pushed = READ_ONCE(vm_event_states[cpu].event[PCP_REMOTE_FREE]);
	for_each_pcp_zone(zone) {
		const struct pcp_stats *s = &zone_pcp(zone, cpu)->stats;

		out->absorbed += READ_ONCE(s->absorbed);
		out->ipis_sent += READ_ONCE(s->ipis_sent);
		out->blocks_claimed += READ_ONCE(s->blocks_claimed);
		out->blocks_released += READ_ONCE(s->blocks_released);
		out->refills += READ_ONCE(s->refills);
		out->drains += READ_ONCE(s->drains);
	}
}

unsigned long pcp_vm_event(enum vm_event_item item)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_pcp_zone(zone) {
		for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
			const struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

			if (item == PGFREE)
				sum += __atomic_load_n(&pcp->fast_frees, __ATOMIC_RELAXED);
			else if (item == pcp->pgalloc_event)
				sum += __atomic_load_n(&pcp->fast_allocs, __ATOMIC_RELAXED);
		}
	}
	return sum;
}

void pcp_zone_init(struct zone *zone)
{
	unsigned int cpu;

	if (!pcp_nr_cpus) {
		for_each_possible_cpu(cpu)
			pcp_nr_cpus = cpu + 1;
		if (!pcp_nr_cpus)
			pcp_nr_cpus = 1;
	}
	zone->pageblock_owner = memblock_alloc_or_panic(zone->nr_pageblocks *
							sizeof(struct pageblock_owner), 64);
	/* Its own cache lines: read by every freer, not written beside the bookkeeping. */
	zone->pageblock_owner_cpu = memblock_alloc_or_panic(zone->nr_pageblocks * sizeof(u16),
							    64);
	for (unsigned long i = 0; i < zone->nr_pageblocks; i++) {
		struct pageblock_owner *b = &zone->pageblock_owner[i];

		zone->pageblock_owner_cpu[i] = PB_NO_OWNER;
		b->mt = 0;
		b->nr_free = 0;
		INIT_LIST_HEAD(&b->node);
	}
	zone->per_cpu_pageset = memblock_alloc_or_panic(pcp_nr_cpus *
							sizeof(struct per_cpu_pages),
							PCP_CACHELINE);
	for (cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = zone_pcp(zone, cpu);

		memset(pcp, 0, sizeof(*pcp));
		pcp_lock_init(&pcp->lock, cpu);
		pcp->cpu = cpu;
		pcp->zone = zone;
		pcp->pgalloc_event = PGALLOC_BASE + zone_idx(zone);
		init_llist_head(&pcp->free_llist);
		INIT_LIST_HEAD(&pcp->owned_blocks);
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			for (unsigned int o = 0; o < NR_PCP_BUDDY_ORDERS; o++)
				INIT_LIST_HEAD(&pcp->lists[mt][o]);
			for (unsigned int i = 0; i < NR_PCP_UNOWNED_LISTS; i++)
				INIT_LIST_HEAD(&pcp->unowned[mt][i]);
			INIT_LIST_HEAD(&pcp->lazy[mt]);
		}
	}
	init_llist_head(&zone->deferred_free);
}

/*
 * high and batch. All CPUs' PCPs together may hold up to a quarter of the zone: each CPU's
 * high is managed / (4 * CPUs), at most 8 pageblocks (4096 pages: beyond that a cache only
 * hides memory) and at least 2 * batch. batch is high / 8, between 1 and 63 (Linux's 63-page
 * batches keep a zone-lock hold short). A CPU claims whole pageblocks only if high can hold
 * one (else a claimed block would go straight back: claim/release on every pair).
 *	512 MiB, 4 CPUs: Normal/DMA32 ~126000 pages -> high 4096, batch 63.
 *	16 MiB DMA, 4 CPUs: ~3970 pages -> high 248, batch 31: no claims, unowned batches only.
 */
static void pcp_zone_set_high_batch(struct zone *zone, unsigned int ncpus)
{
	unsigned long high = zone->managed_pages / (4UL * ncpus);
	unsigned long batch;

	high = min(high, 8 * pageblock_nr_pages);
	batch = min(max(high / 8, 1UL), 63UL);
	high = max(high, 2 * batch);
	for (unsigned int cpu = 0; cpu < pcp_nr_cpus; cpu++) {
		zone_pcp(zone, cpu)->high = (unsigned int)high;
		zone_pcp(zone, cpu)->batch = (unsigned int)batch;
	}
}

void pcp_init(void)
{
	unsigned int ncpus = num_possible_cpus();
	struct zone *zone;
	char buf[16];
	int mode = PCP_MODE_OWNER;

	if (cmdline_get("pcp", buf, sizeof(buf))) {
		mode = pcp_mode_from_name(buf);
		if (mode < 0) {
			pr_warn("pcp: unknown pcp=%s (owner|trylock|off): using owner\n", buf);
			mode = PCP_MODE_OWNER;
		}
	}
	for_each_pcp_zone(zone)
		pcp_zone_set_high_batch(zone, ncpus ? ncpus : 1);
	__atomic_store_n(&pcp_mode_cur, (u32)mode, __ATOMIC_RELAXED);
	/* CPU hotplug and the idle loop call us through their own registries. */
	if (cpuhp_setup_state(CPUHP_PAGE_ALLOC, "mm:pcp", pcp_cpu_online, pcp_cpu_dead) < 0)
		pr_warn("pcp: cannot register the CPU hotplug step\n");
	if (idle_hook_register(pcp_idle_enter))
		pr_warn("pcp: cannot register the idle hook\n");
	pr_info("pcp: mode %s, %u CPUs\n", pcp_mode_names[mode], pcp_nr_cpus);
}
