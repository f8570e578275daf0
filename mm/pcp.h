/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU pages (DESIGN.md 4.1), the part the rest of the kernel may use: the comparison
 * modes, draining, and the counters the shell and benchmarks print. Each CPU keeps a
 * struct per_cpu_pages per zone, a cache of free pages it hands out and takes back without
 * the zone lock; in the default `owner` mode a CPU owns whole pageblocks, merges their pages
 * on its own lists ("PCP buddy") and receives the frees other CPUs make of its pages on a
 * lock-free list.
 *
 * Where the rest lives: mm/pcp_internal.h (the structs and what only mm/ uses), mm/pcp.c
 * (the lists, the PCP buddy, refill and the local drain), mm/pcp_remote.c (free routing,
 * the remote free, absorb, idle owners), mm/pcp_drain.c (drain_all_pages and CPU hotplug),
 * mm/pcp_setup.c (boot, modes, statistics). Each opens with its essay.
 * CPU hotplug and the idle loop reach this code through the hooks pcp_init() registers
 * (cpuhp_setup_state(), idle_hook_register()), not through calls of their own.
 */
#ifndef MM_PCP_H
#define MM_PCP_H

#include "kernel/compiler.h"

struct zone;

/* The three ways of running the allocator, for comparison in one boot (`pcp=`). */
enum pcp_mode {
	PCP_MODE_OFF,		/* no per-CPU pages: every operation takes the zone lock */
	PCP_MODE_TRYLOCK,	/* per-CPU lists without ownership: frees go to the freeing CPU */
	PCP_MODE_OWNER,		/* pageblock ownership, PCP buddy, remote-free llist (default) */
	NR_PCP_MODES
};

extern const char *const pcp_mode_names[NR_PCP_MODES];

/* The current mode (l: relaxed loads; switched only while the allocator is quiet). */
extern u32 pcp_mode_cur;

static __always_inline enum pcp_mode pcp_get_mode(void)
{
	return (enum pcp_mode)__atomic_load_n(&pcp_mode_cur, __ATOMIC_RELAXED);
}
/*
 * Switch modes: drain every CPU's pages back to the zones, then switch. The allocator must be
 * quiet (no allocation or free running on another CPU), as between benchmark runs.
 * Return: 0, or -EINVAL for an unknown mode.
 * Context: any CPU, IRQs on (drains other CPUs by IPI).
 */
int pcp_set_mode(enum pcp_mode mode);
/* "owner", "trylock", "off" -> mode; -1 if unknown. */
int pcp_mode_from_name(const char *name);

/*
 * Give every page on every CPU's per-CPU lists and remote-free lists of @zone (NULL: all
 * zones) back to the zone, and end every ownership of a block there: by IPI on the other
 * CPUs, directly on this one. Waits, bounded (PCP_DRAIN_WAIT_MS), for the others. Only one
 * drain runs at a time: a caller that finds one running waits for it to end (as long
 * again, bounded) and then drains itself, since the running one may have passed a CPU
 * before the caller's own change.
 * Return: true if every CPU asked has drained in time.
 * Context: any CPU, not ALLOC_NOLOCK context; IRQs on or off (with IRQs off the waiter runs
 * its own pending cross-CPU calls while it waits).
 */
bool drain_all_pages(struct zone *zone);
#define PCP_DRAIN_WAIT_MS	100
/*
 * The same request without the wait, for callers that may not wait (GFP_ATOMIC, interrupt
 * context): this CPU drains now, the others are sent the drain IPI (unless a drain runs
 * already) and give their pages back when they take it.
 * Context: any CPU, any context but ALLOC_NOLOCK's (it takes this CPU's locks by trylock
 * only when IRQs are off).
 */
void drain_all_pages_nowait(struct zone *zone);
/* Absorb and drain this CPU's pages of @zone (NULL: all zones). Context: this CPU. */
void drain_local_pages(struct zone *zone);

/* Counters for benchmarks and the shell, summed over zones; per CPU. */
struct pcp_stats {
	u64 remote_pushed;	/* frees this CPU pushed onto another CPU's free_llist (the
				 * PCP_REMOTE_FREE vm event) */
	u64 absorbed;		/* pages this CPU took off its own free_llists */
	u64 ipis_sent;		/* absorb IPIs this CPU sent to idle owners */
	u64 blocks_claimed;	/* whole pageblocks this CPU took ownership of */
	u64 blocks_released;	/* owned blocks given back to the zone (whole or partial) */
	u64 refills;		/* zone-lock refills of this CPU's lists */
	u64 drains;		/* zone-lock drains of this CPU's lists */
};
void pcp_get_stats(unsigned int cpu, struct pcp_stats *out);

/* What a CPU holds: pages on its PCP lists, on its remote-free lists, blocks it owns. */
struct pcp_held_pages {
	unsigned int cpu;		/* the CPU counted (set by pcp_held_pages()) */
	unsigned long pcp;
	unsigned long remote;
	unsigned long owned_blocks;
};
/*
 * Count what @cpu holds: on @cpu itself (by IPI) when it is online, under the hotplug lock
 * when it is not, so that the lists do not change while they are walked.
 * Context: any CPU with IRQs on, not during a hotplug operation.
 */
void pcp_held_pages(unsigned int cpu, struct pcp_held_pages *h);

#endif /* MM_PCP_H */
