/* SPDX-License-Identifier: MIT */
/*
 * Memory statistics and their printers, in Linux's /proc formats: buddyinfo, zoneinfo,
 * pagetypeinfo, vmstat and meminfo. For the shell, tests and boot messages.
 *
 * Zone counters (enum zone_stat_item, mm/mmzone.h) are updated under the zone lock; event
 * counters (below) are per CPU, added to with interrupts off (i) and summed when read.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "kernel/compiler.h"
#include "mm/mmzone.h"
#include "kernel/cpu.h"

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
	PCP_REMOTE_FREE,			/* blocks pushed onto another CPU's free_llist */
	BALLOON_INFLATE,			/* pages put into a balloon (mm/balloon.c) */
	BALLOON_DEFLATE,			/* pages taken out of a balloon */
	PGREPORTED,				/* free pages reported to the host */
	PGMIGRATE_SUCCESS,			/* movable pages migrated (mm/migrate.c) */
	PGMIGRATE_FAIL,				/* migrations that failed (page put back) */
	COMPACT_MIGRATE_SCANNED,		/* pages the migrate scanner looked at */
	COMPACT_FREE_SCANNED,			/* pages the free scanner looked at */
	COMPACT_ISOLATED,			/* pages isolated, movable and free */
	COMPACT_STALL,				/* direct compactions (none yet) */
	COMPACT_FAIL,				/* runs for an order that found no such block */
	COMPACT_SUCCESS,			/* runs for an order that made one */
	COMPACT_DAEMON_WAKE,			/* proactive runs (none yet) */
	NR_VM_EVENT_ITEMS
};

/*
 * Event counters are per CPU (Linux: vm_event_states): each CPU adds to its own array with a
 * plain read-modify-write while interrupts are off, so that no interrupt handler on the same
 * CPU can slip between the load and the store; vm_event() sums the CPUs when printed. A
 * shared atomic add cost two locked instructions per alloc+free pair on the hot path. The
 * PCP fast sections run with interrupts on, so they count pgalloc/pgfree on their own
 * per_cpu_pages under its lock instead, and vm_event() adds those (pcp_vm_event()).
 * Aligned to a cache line so that CPUs do not write each other's lines.
 */
struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];	/* (i: this CPU, IRQs off; read racily) */
} __aligned(64);

extern struct vm_event_state vm_event_states[NR_CPUS];

/* Context: interrupts off (or no interrupt handler counts events on this CPU). */
static inline void __count_vm_events(unsigned int cpu, enum vm_event_item item, unsigned long n)
{
	unsigned long *c = &vm_event_states[cpu].event[item];

	/* Relaxed load + store, not an atomic add: only this CPU writes it; readers are racy. */
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/* Context: any (disables interrupts around the add). */
void count_vm_events(enum vm_event_item item, unsigned long n);

/* The sum over every CPU. Context: any; a snapshot, exact when the counters are quiet. */
unsigned long vm_event(enum vm_event_item item);

/* Sum of one zone counter over every zone. */
unsigned long global_zone_page_state(enum zone_stat_item item);
/* Zone-lock acquisitions and contended acquisitions, summed over zones. Any CPU. */
void zone_lock_counts(u64 *acquired, u64 *contended);
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
