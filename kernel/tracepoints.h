/* SPDX-License-Identifier: MIT */
/*
 * Every tracepoint of the kernel, in one place: the event list (name, output format) and one
 * trace_<event>() inline per event for the code that emits it.
 *
 * Cost. A tracepoint that is off costs one load of its enabled byte and one branch that is
 * predicted not taken; the arguments are computed inside the branch and no function is
 * called. Build with -DCONFIG_TRACE=0 and every trace_<event>() is empty (the host tests
 * do that, and `bench=trace` compares against a copy of the allocator loop without them).
 *
 * Formats. Each event's format is printed by kernel/trace.c with its arguments, which are
 * stored as u64: %u decimal, %d signed decimal, %x hex (0x...), %s a string whose pointer was
 * stored (only pointers to strings that live forever: zone names, lock class names,
 * string literals).
 *
 * Who calls what (the balloon events have no caller yet: the driver comes later):
 *	zone_lock_*			mm/mmzone.h zone-lock wrappers
 *	spinlock_contended_release	kernel/spinlock.c through spin_set_contended_release_hook()
 *	mm_page_alloc/free		mm/page_alloc.c
 *	pcp_*				mm/pcp.c, mm/pcp_remote.c
 *	ipi_send/receive		kernel/smp.c (csd_queue, smp_ipi_handler)
 *	cpuhp_step			the CPU hotplug state machine
 *	balloon_*			drivers/virtio_balloon.c
 *	tracing_mark			tests and the shell's `trace mark`
 *
 * Locking: the enabled bytes are (l: written by any CPU with relaxed stores, read with
 * READ_ONCE; a tracepoint that races with a switch may record one event more or less).
 */
#ifndef KERNEL_TRACEPOINTS_H
#define KERNEL_TRACEPOINTS_H

#include "kernel/compiler.h"

#ifndef CONFIG_TRACE
#define CONFIG_TRACE	1
#endif

/*
 * The event list: E(name, format). Names group by prefix: `trace on zone_lock` switches
 * every event whose name starts with "zone_lock_".
 */
#define TRACE_EVENT_LIST(E)							\
	E(zone_lock_start_locking,	"zone=%s")				\
	E(zone_lock_acquire_returned,	"zone=%s contended=%u wait_ns=%u")	\
	E(zone_lock_released,		"zone=%s hold_ns=%u waiters=%u")	\
	E(spinlock_contended_release,	"lock=%s addr=%x waiters=%u")		\
	E(mm_page_alloc,		"pfn=%x order=%u migratetype=%u gfp_flags=%x") \
	E(mm_page_free,			"pfn=%x order=%u")			\
	E(pcp_refill,			"zone=%s count=%u order=%u block_pfn=%x") \
	E(pcp_drain,			"zone=%s cpu=%u count=%u")		\
	E(pcp_remote_push,		"pfn=%x order=%u owner=%u")		\
	E(pcp_absorb,			"zone=%s count=%u")			\
	E(ipi_send,			"target_cpu=%u reason=%s")		\
	E(ipi_receive,			"from_cpu=%d")				\
	E(cpuhp_step,			"cpu=%u step=%s target=%s ret=%d")	\
	E(balloon_inflate,		"pfn=%x nr=%u")				\
	E(balloon_deflate,		"pfn=%x nr=%u")				\
	E(balloon_migrate,		"old_pfn=%x new_pfn=%x")		\
	E(balloon_report,		"pfn=%x order=%u nr=%u")		\
	E(tracing_mark,			"id=%u value=%u")

enum trace_event_id {
#define __TRACE_ENUM(name, fmt)	TRACE_##name,
	TRACE_EVENT_LIST(__TRACE_ENUM)
#undef __TRACE_ENUM
	NR_TRACE_EVENTS
};

#define TRACE_MAX_ARGS	4

/* One byte per event: non-zero while it records (l: see the file header). */
extern u8 trace_events_enabled[NR_TRACE_EVENTS];
/*
 * Non-zero while any zone_lock_* event is on (l). The three zone-lock tracepoints test this
 * one byte, so the per-CPU wait/hold bookkeeping stays paired whichever of them is on.
 */
extern u8 trace_zone_lock_any;

/* The slow paths (kernel/trace.c); called only with the event on. Any CPU, any context. */
void trace_emit(unsigned int id, u64 a0, u64 a1, u64 a2, u64 a3);
struct spinlock;
void __trace_zone_lock_start(const char *zone, struct spinlock *lock);
void __trace_zone_lock_acquired(const char *zone, struct spinlock *lock, bool contended);
void __trace_zone_lock_released(const char *zone, struct spinlock *lock);

#if CONFIG_TRACE
/* The one branch a disabled tracepoint costs. */
#define trace_event_on(name)	unlikely(READ_ONCE(trace_events_enabled[TRACE_##name]))
#define trace_zone_lock_on()	unlikely(READ_ONCE(trace_zone_lock_any))
#else
#define trace_event_on(name)	0
#define trace_zone_lock_on()	0
#endif

/*
 * Zone lock: the wrappers in mm/mmzone.h call these with interrupts already off, so the
 * start, acquire and release of one hold happen on one CPU without anything in between
 * that could take the same zone lock. `lock` is &zone->_lock: it identifies the hold, and
 * the release event reads from it how many CPUs are queued. The wait and hold times are
 * measured from the previous event of the same lock on this CPU.
 */
static __always_inline void trace_zone_lock_start_locking(const char *zone,
							  struct spinlock *lock)
{
	if (trace_zone_lock_on())
		__trace_zone_lock_start(zone, lock);
}

static __always_inline void trace_zone_lock_acquire_returned(const char *zone,
							     struct spinlock *lock, bool contended)
{
	if (trace_zone_lock_on())
		__trace_zone_lock_acquired(zone, lock, contended);
}

/* Call it while still holding the lock, just before the unlock. */
static __always_inline void trace_zone_lock_released(const char *zone, struct spinlock *lock)
{
	if (trace_zone_lock_on())
		__trace_zone_lock_released(zone, lock);
}

/* spinlock_contended_release is emitted by kernel/trace.c's hook on kernel/spinlock.c. */

static __always_inline void trace_mm_page_alloc(unsigned long pfn, unsigned int order,
						int migratetype, unsigned int gfp)
{
	if (trace_event_on(mm_page_alloc))
		trace_emit(TRACE_mm_page_alloc, pfn, order, (u64)migratetype, gfp);
}

static __always_inline void trace_mm_page_free(unsigned long pfn, unsigned int order)
{
	if (trace_event_on(mm_page_free))
		trace_emit(TRACE_mm_page_free, pfn, order, 0, 0);
}

/* A refill of `count` pages of `order`; block_pfn is the claimed pageblock or ~0 if none. */
static __always_inline void trace_pcp_refill(const char *zone, unsigned int count,
					     unsigned int order, unsigned long block_pfn)
{
	if (trace_event_on(pcp_refill))
		trace_emit(TRACE_pcp_refill, (u64)(unsigned long)zone, count, order, block_pfn);
}

static __always_inline void trace_pcp_drain(const char *zone, unsigned int cpu,
					    unsigned int count)
{
	if (trace_event_on(pcp_drain))
		trace_emit(TRACE_pcp_drain, (u64)(unsigned long)zone, cpu, count, 0);
}

static __always_inline void trace_pcp_remote_push(unsigned long pfn, unsigned int order,
						  unsigned int owner)
{
	if (trace_event_on(pcp_remote_push))
		trace_emit(TRACE_pcp_remote_push, pfn, order, owner, 0);
}

static __always_inline void trace_pcp_absorb(const char *zone, unsigned int count)
{
	if (trace_event_on(pcp_absorb))
		trace_emit(TRACE_pcp_absorb, (u64)(unsigned long)zone, count, 0, 0);
}

/* reason: a string literal ("call", "absorb", "drain"...). */
static __always_inline void trace_ipi_send(unsigned int target_cpu, const char *reason)
{
	if (trace_event_on(ipi_send))
		trace_emit(TRACE_ipi_send, target_cpu, (u64)(unsigned long)reason, 0, 0);
}

/* from_cpu: the sender if known, -1 otherwise. */
static __always_inline void trace_ipi_receive(int from_cpu)
{
	if (trace_event_on(ipi_receive))
		trace_emit(TRACE_ipi_receive, (u64)(long)from_cpu, 0, 0, 0);
}

/* step and target: state names (string literals). */
static __always_inline void trace_cpuhp_step(unsigned int cpu, const char *step,
					     const char *target, int ret)
{
	if (trace_event_on(cpuhp_step))
		trace_emit(TRACE_cpuhp_step, cpu, (u64)(unsigned long)step,
			   (u64)(unsigned long)target, (u64)(long)ret);
}

static __always_inline void trace_balloon_inflate(unsigned long pfn, unsigned int nr)
{
	if (trace_event_on(balloon_inflate))
		trace_emit(TRACE_balloon_inflate, pfn, nr, 0, 0);
}

static __always_inline void trace_balloon_deflate(unsigned long pfn, unsigned int nr)
{
	if (trace_event_on(balloon_deflate))
		trace_emit(TRACE_balloon_deflate, pfn, nr, 0, 0);
}

static __always_inline void trace_balloon_migrate(unsigned long old_pfn, unsigned long new_pfn)
{
	if (trace_event_on(balloon_migrate))
		trace_emit(TRACE_balloon_migrate, old_pfn, new_pfn, 0, 0);
}

/* A free page report sent to the device: its first block, that block's order, the blocks. */
static __always_inline void trace_balloon_report(unsigned long pfn, unsigned int order,
						 unsigned int nr)
{
	if (trace_event_on(balloon_report))
		trace_emit(TRACE_balloon_report, pfn, order, nr, 0);
}

static __always_inline void trace_tracing_mark(unsigned int id, u64 value)
{
	if (trace_event_on(tracing_mark))
		trace_emit(TRACE_tracing_mark, id, value, 0, 0);
}

#endif /* KERNEL_TRACEPOINTS_H */
