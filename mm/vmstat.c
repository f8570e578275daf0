// SPDX-License-Identifier: MIT
/*
 * vmstat: the allocator's counters and their names (printed by mm/show_mem.c).
 *
 * Locking: zone counters are (z), written under the zone lock and read with READ_ONCE;
 * event counters are (i), per CPU, added to with interrupts off and summed when read.
 */
#include "mm/vmstat.h"
#include "mm/internal.h"
#include "arch/arch.h"

struct vm_event_state vm_event_states[NR_CPUS];

void count_vm_events(enum vm_event_item item, unsigned long n)
{
	unsigned long flags = arch_local_irq_save();

	__count_vm_events(smp_processor_id(), item, n);
	arch_local_irq_restore(flags);
}

unsigned long vm_event(enum vm_event_item item)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		sum += __atomic_load_n(&vm_event_states[cpu].event[item], __ATOMIC_RELAXED);
	/* The PCP fast paths count pgalloc and pgfree under their lock, not here. */
	if (item == PGFREE || (item >= PGALLOC_BASE && item < PGALLOC_BASE + MAX_NR_ZONES))
		sum += pcp_vm_event(item);
	return sum;
}

const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	[NR_FREE_PAGES] = "nr_free_pages",
	[NR_FREE_ISOLATED] = "nr_free_isolated",
	[NR_BAD_PAGES] = "nr_bad_pages",
	[NR_OFFLINE_PAGES] = "nr_offline_pages",
	[NR_ZONE_ALLOC_FAIL] = "nr_zone_alloc_fail",
};

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
#if ARCH_HAS_ZONE_DMA
	[PGALLOC_BASE + ZONE_DMA] = "pgalloc_dma",
#endif
	[PGALLOC_BASE + ZONE_DMA32] = "pgalloc_dma32",
	[PGALLOC_BASE + ZONE_NORMAL] = "pgalloc_normal",
	[PGFREE] = "pgfree",
	[PGALLOC_FAIL] = "pgalloc_fail",
	[PGALLOC_FALLBACK] = "pgalloc_fallback",
	[PGSTEAL_BLOCK] = "pgsteal_block",
	[HIGHATOMIC_RESERVE] = "highatomic_reserve",
	[HIGHATOMIC_UNRESERVE] = "highatomic_unreserve",
	[PGBAD_FREE] = "pgbad_free",
	[PGPOISON_CORRUPT] = "pgpoison_corrupt",
	[PCP_REMOTE_FREE] = "pcp_remote_free",
	[BALLOON_INFLATE] = "balloon_inflate",
	[BALLOON_DEFLATE] = "balloon_deflate",
	[PGREPORTED] = "pgreported",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[PGMIGRATE_FAIL] = "pgmigrate_fail",
	[COMPACT_MIGRATE_SCANNED] = "compact_migrate_scanned",
	[COMPACT_FREE_SCANNED] = "compact_free_scanned",
	[COMPACT_ISOLATED] = "compact_isolated",
	[COMPACT_STALL] = "compact_stall",
	[COMPACT_FAIL] = "compact_fail",
	[COMPACT_SUCCESS] = "compact_success",
	[COMPACT_DAEMON_WAKE] = "compact_daemon_wake",
};

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	struct zone *zone;
	unsigned long total = 0;

	for_each_zone(zone)
		total += zone_page_state(zone, item);
	return total;
}

void zone_lock_counts(u64 *acquired, u64 *contended)
{
	struct zone *zone;

	*acquired = 0;
	*contended = 0;
	for_each_zone(zone) {
		if (!populated_zone(zone))
			continue;
		*acquired += READ_ONCE(zone->lock_acquired);
		*contended += READ_ONCE(zone->lock_contended);
	}
}
