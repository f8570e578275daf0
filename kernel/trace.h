/* SPDX-License-Identifier: MIT */
/*
 * The trace buffer: per-CPU rings of fixed-size records that overwrite the oldest, the
 * switches behind kernel/tracepoints.h, and a reader that merges the CPUs' rings in timestamp
 * order and prints them in ftrace's text format (what Linux's tracing/trace file shows).
 *
 *	trace_set_events("zone_lock", true);	switch a group on (allocates the rings)
 *	... run something ...
 *	trace_print(0);				every record, oldest first
 *
 * Locking: each ring is written only by its own CPU, with interrupts off for the few stores
 * of one record (i); readers on other CPUs take a lock-free snapshot and drop any record that
 * was overwritten while they copied it (see the essay in kernel/trace.c).
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include "kernel/compiler.h"
#include "kernel/smp.h"
#include "kernel/tracepoints.h"

/* Record flags, captured when the event fires. */
#define TRACE_FLAG_IRQS_OFF	0x1	/* interrupts were disabled */

/* One record: 48 bytes. */
struct trace_entry {
	u64 ts_ns;		/* arch_clock_ns() when the event fired */
	u16 id;			/* enum trace_event_id */
	u16 cpu;		/* the CPU that recorded it */
	u8 flags;		/* TRACE_FLAG_* */
	u8 depth;		/* traced locks this CPU held at the time (ftrace's depth column) */
	u16 pad;
	u64 args[TRACE_MAX_ARGS];
};

/* Ring size per CPU: 2^TRACE_BUF_ORDER pages, allocated when tracing is first switched on. */
#define TRACE_BUF_ORDER		4

/*
 * Where the rings' pages come from: kernel/ sits below the page allocator and calls none of
 * it, so the allocator registers @alloc_zeroed, which returns 2^order zeroed pages (a
 * direct-map address) or NULL. Until it does, switching an event on fails as if memory had
 * run out. Context: boot CPU, before SMP (mm_core_init()).
 */
void trace_set_page_source(void *(*alloc_zeroed)(unsigned int order));

/* Name and format of event `id`, NULL if out of range. */
const char *trace_event_name(unsigned int id);
const char *trace_event_format(unsigned int id);
bool trace_event_enabled(unsigned int id);

/*
 * Switch every event matching `pattern` ("all", an event name, or a prefix such as
 * "zone_lock" or "pcp") on or off. Switching on allocates the rings first.
 * Return: the number of events matched, or -1 if the rings could not be allocated.
 * Context: any CPU, IRQs on (allocates pages).
 */
int trace_set_events(const char *pattern, bool on);
/* Switch every event off. Any CPU, any context. */
void trace_all_off(void);
/* True if any event is on. */
bool trace_any_enabled(void);

/*
 * Empty every CPU's ring. Events are paused while each CPU empties its own ring (a cross-CPU
 * call), then restored. Context: any CPU, IRQs on.
 */
void trace_clear(void);
/* Records per CPU ring (0 before the rings exist). */
unsigned long trace_ring_size(void);
/* Records written on all CPUs since the last clear, and those still in the rings. */
void trace_counts(u64 *written, u64 *in_buffer);

/*
 * The reader. trace_iter_start() snapshots where every ring ends: records written after it
 * are not returned. trace_iter_next() returns the oldest remaining record over all CPUs.
 */
struct trace_iter {
	u64 pos[NR_CPUS];	/* next index to read per CPU */
	u64 end[NR_CPUS];	/* one past the last index to read per CPU */
	bool have[NR_CPUS];	/* next[] holds CPU's record at pos - 1, not yet returned */
	struct trace_entry next[NR_CPUS];
	u64 dropped;		/* records overwritten while reading */
};
/* Start reading the newest `last` records per CPU (0: everything in the rings). */
void trace_iter_start(struct trace_iter *it, unsigned long last);
bool trace_iter_next(struct trace_iter *it, struct trace_entry *out);

/* Format one record as an ftrace line (no newline). Returns the length. */
int trace_format_entry(const struct trace_entry *e, char *buf, size_t len);
/*
 * Print the header and then the records in timestamp order (the newest `last` per CPU, 0 for
 * all) on the console, raw (no printk prefix), as Linux's tracing/trace file.
 * Context: any CPU, IRQs on.
 */
void trace_print(unsigned long last);

#endif /* KERNEL_TRACE_H */
