/* SPDX-License-Identifier: MIT */
/*
 * Memory statistics and their printers, in Linux's /proc formats: buddyinfo, zoneinfo,
 * pagetypeinfo, vmstat and meminfo. For the shell, tests and boot messages.
 *
 * Zone counters (enum zone_stat_item, mm/mmzone.h) are updated under the zone lock; event
 * counters (below) are lock-free atomic adds (l) until the PCP issue makes them per-CPU.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "kernel/compiler.h"
#include "mm/mmzone.h"

enum vm_event_item {
	PGALLOC_BASE,				/* pgalloc_<zone>: one per zone type */
	PGFREE = PGALLOC_BASE + MAX_NR_ZONES,	/* pages freed */
	PGALLOC_FAIL,				/* allocations that returned NULL */
	PGALLOC_FALLBACK,			/* allocations served from another migratetype */
	PGSTEAL_BLOCK,				/* pageblocks claimed by a fallback */
	HIGHATOMIC_RESERVE,			/* pageblocks reserved MIGRATE_HIGHATOMIC */
	HIGHATOMIC_UNRESERVE,			/* ... and given back */
	PGBAD_FREE,				/* bad frees refused (double, wrong order...) */
	PGPOISON_CORRUPT,			/* poisoned free pages found damaged */
	NR_VM_EVENT_ITEMS
};

extern unsigned long vm_events[NR_VM_EVENT_ITEMS];	/* (l): __atomic relaxed adds */

static inline void count_vm_events(enum vm_event_item item, unsigned long n)
{
	/* Relaxed: a counter, ordered with nothing; exact totals are all that matter. */
	__atomic_fetch_add(&vm_events[item], n, __ATOMIC_RELAXED);
}

static inline unsigned long vm_event(enum vm_event_item item)
{
	return __atomic_load_n(&vm_events[item], __ATOMIC_RELAXED);
}

/* Sum of one zone counter over every zone. */
unsigned long global_zone_page_state(enum zone_stat_item item);
extern const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS];
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

/* Printers (mm/show_mem.c). Any CPU; each zone's figures are read under its lock. */
void show_buddyinfo(void);
void show_zoneinfo(void);
void show_pagetypeinfo(void);
void show_vmstat(void);
void show_meminfo(void);
void show_mem(void);	/* meminfo + buddyinfo: what an allocation failure prints */

/*
 * Walk every free list of every zone and check the buddy allocator's invariants; print each
 * problem found and return how many there were (0: consistent). mm/check.c.
 * Context: any CPU; takes each zone lock in turn.
 */
int mm_check_invariants(void);

#endif /* MM_VMSTAT_H */
