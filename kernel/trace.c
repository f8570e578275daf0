// SPDX-License-Identifier: MIT
/*
 * The trace buffer behind kernel/tracepoints.h: per-CPU rings, the event switches, the
 * zone-lock timing, the spinlock contended-release hook and the ftrace-format printer.
 *
 * Rings. Each possible CPU has a ring of `ring_size` fixed-size records and two counters,
 * `claim` and `head`, that count records ever started and ever finished on that CPU. Only
 * the CPU itself writes its ring, with interrupts off, so a record is written in one go:
 *
 *	claim = h + 1;  fence;  write slot h % ring_size;  head = h + 1 (release)
 *
 * Index i lives in slot i % ring_size until index i + ring_size overwrites it, so when a
 * ring is full the newest record replaces the oldest. A reader on another CPU copies a record
 * and only then reads `claim`: if i + ring_size < claim, the writer may have started on that
 * slot while we copied it, and the copy is dropped. This is a sequence-counter read without
 * retry: the reader never waits and the writer never checks for readers, so tracing costs the
 * traced code nothing but its own stores. `start` marks where the last `trace clear` left
 * each ring; records below it are not shown.
 *
 * Zone-lock timing. The zone-lock wrappers run with interrupts off from start to release on
 * one CPU, so each CPU keeps a tiny stack of the traced locks it is taking or holding, with
 * the time it started waiting and the time it got the lock: acquire computes wait_ns from the
 * first, release computes hold_ns from the second.
 *
 * Locking: rings and lock stacks are per CPU (i: the CPU itself, IRQs off); other CPUs only
 * read rings, as described above. Event switches are (l). The rings are allocated once, by
 * the first switch-on, under trace_setup_lock, and never freed. Their pages come from the
 * page source mm registers (trace_set_page_source()): this file sits below the allocator.
 */
#include "kernel/trace.h"
#include "kernel/percpu.h"
#include "kernel/cpumask.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"
#include <asm/memory.h>

u8 trace_events_enabled[NR_TRACE_EVENTS];
u8 trace_zone_lock_any;

static const char *const event_names[NR_TRACE_EVENTS] = {
#define __TRACE_NAME(name, fmt)	#name,
	TRACE_EVENT_LIST(__TRACE_NAME)
#undef __TRACE_NAME
};

static const char *const event_formats[NR_TRACE_EVENTS] = {
#define __TRACE_FMT(name, fmt)	fmt,
	TRACE_EVENT_LIST(__TRACE_FMT)
#undef __TRACE_FMT
};

#define TRACE_LOCK_DEPTH	4

/* A traced lock this CPU is taking or holding. */
struct traced_lock {
	const void *lock;	/* the lock's address */
	u64 wait_start_ns;	/* start-locking time, 0 if not seen */
	u64 acquired_ns;	/* acquire time, 0 while still waiting */
};

struct trace_cpu {
	struct trace_entry *buf;	/* ring_size records (c after setup) */
	u64 claim;			/* records started (l: written by this CPU only) */
	u64 head;			/* records finished (l: release store by this CPU only) */
	u64 start;			/* first index shown after a clear (l) */
	unsigned long slot;		/* head % ring_size, kept to avoid a division (i) */
	unsigned int nlocks;		/* entries in locks[] (i) */
	struct traced_lock locks[TRACE_LOCK_DEPTH];	/* (i) */
};

static DEFINE_PER_CPU(struct trace_cpu, trace_cpu);
static unsigned long ring_size;		/* records per ring; 0 until set up (c after setup) */
static DEFINE_SPINLOCK(trace_setup_lock);
/* Zeroed pages for the rings; NULL until mm registers it (m, then c). */
static void *(*trace_page_source)(unsigned int order);

const char *trace_event_name(unsigned int id)
{
	return id < NR_TRACE_EVENTS ? event_names[id] : NULL;
}

const char *trace_event_format(unsigned int id)
{
	return id < NR_TRACE_EVENTS ? event_formats[id] : NULL;
}

bool trace_event_enabled(unsigned int id)
{
	return id < NR_TRACE_EVENTS && READ_ONCE(trace_events_enabled[id]);
}

unsigned long trace_ring_size(void)
{
	return __atomic_load_n(&ring_size, __ATOMIC_ACQUIRE);
}

/* ---- Writing ---- */

static unsigned int held_depth(const struct trace_cpu *tc)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < tc->nlocks; i++)
		n += tc->locks[i].acquired_ns != 0;
	return n;
}

/* Append one record to this CPU's ring. Context: this CPU, IRQs off. */
static void ring_write(struct trace_cpu *tc, unsigned int id, u8 flags, u64 now, u64 a0, u64 a1,
		       u64 a2, u64 a3)
{
	struct trace_entry *buf = __atomic_load_n(&tc->buf, __ATOMIC_ACQUIRE);

	if (!buf || !ring_size)
		return;
	u64 h = tc->head;
	/*
	 * Announce the slot before touching it: a reader that sees any store to the record
	 * below also sees the new claim (the fence orders the claim before the record's stores;
	 * the reader's acquire fence orders its copy before its load of claim).
	 */
	__atomic_store_n(&tc->claim, h + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	struct trace_entry *e = &buf[tc->slot];

	e->ts_ns = now;
	e->id = (u16)id;
	e->cpu = (u16)smp_processor_id();
	e->flags = flags;
	e->depth = (u8)held_depth(tc);
	e->pad = 0;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
	e->args[3] = a3;
	if (++tc->slot == ring_size)
		tc->slot = 0;
	/* Release: a reader that sees the new head sees the whole record. */
	__atomic_store_n(&tc->head, h + 1, __ATOMIC_RELEASE);
}

void trace_emit(unsigned int id, u64 a0, u64 a1, u64 a2, u64 a3)
{
	u8 flags = arch_irqs_disabled() ? TRACE_FLAG_IRQS_OFF : 0;
	unsigned long irq = arch_local_irq_save();

	ring_write(this_cpu_ptr(&trace_cpu), id, flags, arch_clock_ns(), a0, a1, a2, a3);
	arch_local_irq_restore(irq);
}

/* The topmost entry of this CPU's stack for `lock` (waiting only if `waiting`), or NULL. */
static struct traced_lock *find_lock(struct trace_cpu *tc, const void *lock, bool waiting)
{
	for (unsigned int i = tc->nlocks; i-- > 0;)
		if (tc->locks[i].lock == lock && (!waiting || !tc->locks[i].acquired_ns))
			return &tc->locks[i];
	return NULL;
}

static struct traced_lock *push_lock(struct trace_cpu *tc, const void *lock)
{
	/* Full: an entry left by tracing switched off mid-hold. Drop the oldest. */
	if (tc->nlocks == TRACE_LOCK_DEPTH) {
		memmove(&tc->locks[0], &tc->locks[1], sizeof(tc->locks[0]) * (TRACE_LOCK_DEPTH - 1));
		tc->nlocks--;
	}
	struct traced_lock *l = &tc->locks[tc->nlocks++];

	l->lock = lock;
	l->wait_start_ns = 0;
	l->acquired_ns = 0;
	return l;
}

/*
 * The zone-lock slow paths. Context: the zone-lock wrappers, IRQs already off; the irqsave
 * here is for callers that trace a lock of their own with interrupts on (the ktest suite).
 */
void __trace_zone_lock_start(const char *zone, struct spinlock *lock)
{
	u8 flags = arch_irqs_disabled() ? TRACE_FLAG_IRQS_OFF : 0;
	unsigned long irq = arch_local_irq_save();
	struct trace_cpu *tc = this_cpu_ptr(&trace_cpu);
	u64 now = arch_clock_ns();

	push_lock(tc, lock)->wait_start_ns = now;
	if (READ_ONCE(trace_events_enabled[TRACE_zone_lock_start_locking]))
		ring_write(tc, TRACE_zone_lock_start_locking, flags, now,
			   (u64)(unsigned long)zone, 0, 0, 0);
	arch_local_irq_restore(irq);
}

void __trace_zone_lock_acquired(const char *zone, struct spinlock *lock, bool contended)
{
	u8 flags = arch_irqs_disabled() ? TRACE_FLAG_IRQS_OFF : 0;
	unsigned long irq = arch_local_irq_save();
	struct trace_cpu *tc = this_cpu_ptr(&trace_cpu);
	u64 now = arch_clock_ns();
	struct traced_lock *l = find_lock(tc, lock, true);
	u64 wait = 0;

	if (!l)			/* a trylock, or tracing switched on while we waited */
		l = push_lock(tc, lock);
	else if (l->wait_start_ns)
		wait = now - l->wait_start_ns;
	l->acquired_ns = now;
	if (READ_ONCE(trace_events_enabled[TRACE_zone_lock_acquire_returned]))
		ring_write(tc, TRACE_zone_lock_acquire_returned, flags, now,
			   (u64)(unsigned long)zone, contended, wait, 0);
	arch_local_irq_restore(irq);
}

void __trace_zone_lock_released(const char *zone, struct spinlock *lock)
{
	/* Tickets handed out beyond the holder's: CPUs spinning for it right now. */
	u32 waiters = __atomic_load_n(&lock->next, __ATOMIC_RELAXED) -
		      __atomic_load_n(&lock->owner_ticket, __ATOMIC_RELAXED) - 1;
	u8 flags = arch_irqs_disabled() ? TRACE_FLAG_IRQS_OFF : 0;
	unsigned long irq = arch_local_irq_save();
	struct trace_cpu *tc = this_cpu_ptr(&trace_cpu);
	u64 now = arch_clock_ns();
	struct traced_lock *l = find_lock(tc, lock, false);
	u64 hold = 0;

	if (l) {
		if (l->acquired_ns)
			hold = now - l->acquired_ns;
		/* Remove it; normally it is the top, but keep the others' order in any case. */
		unsigned int i = (unsigned int)(l - tc->locks);

		memmove(&tc->locks[i], &tc->locks[i + 1],
			sizeof(tc->locks[0]) * (tc->nlocks - i - 1));
		tc->nlocks--;
	}
	if (READ_ONCE(trace_events_enabled[TRACE_zone_lock_released]))
		ring_write(tc, TRACE_zone_lock_released, flags, now, (u64)(unsigned long)zone,
			   hold, waiters, 0);
	arch_local_irq_restore(irq);
}

/* kernel/spinlock.c calls this on a release that leaves CPUs queued, while it is set. */
static void contended_release_hook(spinlock_t *lock, u32 waiters)
{
	if (READ_ONCE(trace_events_enabled[TRACE_spinlock_contended_release]))
		trace_emit(TRACE_spinlock_contended_release,
			   (u64)(unsigned long)(lock->name ? lock->name : "?"),
			   (u64)(unsigned long)lock, waiters, 0);
}

/* ---- Switches ---- */

void trace_set_page_source(void *(*alloc_zeroed)(unsigned int order))
{
	trace_page_source = alloc_zeroed;
}

/* Allocate every possible CPU's ring, once. Context: IRQs on. */
static int trace_setup_rings(void)
{
	unsigned int cpu;
	unsigned long size = (PAGE_SIZE << TRACE_BUF_ORDER) / sizeof(struct trace_entry);

	guard(spinlock)(&trace_setup_lock);
	if (ring_size)
		return 0;
	for_each_possible_cpu(cpu) {
		struct trace_cpu *tc = per_cpu_ptr(&trace_cpu, cpu);

		if (tc->buf)
			continue;
		void *ring = trace_page_source ? trace_page_source(TRACE_BUF_ORDER) : NULL;

		if (!ring) {
			pr_err("trace: no memory for CPU %u's ring (%lu KiB)\n", cpu,
			       (PAGE_SIZE << TRACE_BUF_ORDER) / 1024);
			return -1;
		}
		__atomic_store_n(&tc->buf, (struct trace_entry *)ring, __ATOMIC_RELAXED);
	}
	/*
	 * ring_size goes last, with release: a CPU writes only once an event is on, which
	 * happens after this returns, so every ring is complete before any record lands.
	 */
	__atomic_store_n(&ring_size, size, __ATOMIC_RELEASE);
	return 0;
}

/* "zone_lock" matches "zone_lock_released"; "all" matches everything. */
static bool event_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (strcmp(pattern, "all") == 0 || strcmp(pattern, name) == 0)
		return true;
	return strncmp(pattern, name, n) == 0 && name[n] == '_';
}

static void update_derived(void)
{
	bool any = READ_ONCE(trace_events_enabled[TRACE_zone_lock_start_locking]) ||
		   READ_ONCE(trace_events_enabled[TRACE_zone_lock_acquire_returned]) ||
		   READ_ONCE(trace_events_enabled[TRACE_zone_lock_released]);

	WRITE_ONCE(trace_zone_lock_any, any);
	spin_set_contended_release_hook(
		READ_ONCE(trace_events_enabled[TRACE_spinlock_contended_release]) ?
		contended_release_hook : NULL);
}

int trace_set_events(const char *pattern, bool on)
{
	int matched = 0;

	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		matched += event_matches(pattern, event_names[i]);
	if (!matched)
		return 0;
	if (on && trace_setup_rings())
		return -1;
	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		if (event_matches(pattern, event_names[i]))
			WRITE_ONCE(trace_events_enabled[i], on);
	update_derived();
	return matched;
}

void trace_all_off(void)
{
	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		WRITE_ONCE(trace_events_enabled[i], 0);
	update_derived();
}

bool trace_any_enabled(void)
{
	for (unsigned int i = 0; i < NR_TRACE_EVENTS; i++)
		if (READ_ONCE(trace_events_enabled[i]))
			return true;
	return false;
}

void trace_clear(void)
{
	unsigned int cpu;

	/*
	 * Move each ring's start to its current head. A record being written on another CPU
	 * right now has an index >= that head, so it stays: it is newer than the clear.
	 */
	for_each_possible_cpu(cpu) {
		struct trace_cpu *tc = per_cpu_ptr(&trace_cpu, cpu);

		__atomic_store_n(&tc->start, __atomic_load_n(&tc->head, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELAXED);
	}
}

void trace_counts(u64 *written, u64 *in_buffer)
{
	unsigned long size = trace_ring_size();
	unsigned int cpu;

	*written = *in_buffer = 0;
	for_each_possible_cpu(cpu) {
		struct trace_cpu *tc = per_cpu_ptr(&trace_cpu, cpu);
		u64 n = __atomic_load_n(&tc->head, __ATOMIC_ACQUIRE) -
			__atomic_load_n(&tc->start, __ATOMIC_RELAXED);

		*written += n;
		*in_buffer += n < size ? n : size;
	}
}

/* ---- Reading ---- */

void trace_iter_start(struct trace_iter *it, unsigned long last)
{
	unsigned long size = trace_ring_size();

	memset(it, 0, sizeof(*it));
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!size || !cpu_possible(cpu))
			continue;
		struct trace_cpu *tc = per_cpu_ptr(&trace_cpu, cpu);
		/* Acquire: pairs with the writer's release of head; records below are complete. */
		u64 head = __atomic_load_n(&tc->head, __ATOMIC_ACQUIRE);
		u64 first = __atomic_load_n(&tc->start, __ATOMIC_RELAXED);

		if (head > size && head - size > first)
			first = head - size;
		if (last && head - first > last)
			first = head - last;
		it->pos[cpu] = first;
		it->end[cpu] = head;
	}
}

/* Load CPU's next record into it->next[cpu], skipping overwritten ones. */
static void iter_fill(struct trace_iter *it, unsigned int cpu)
{
	unsigned long size = trace_ring_size();
	struct trace_cpu *tc = per_cpu_ptr(&trace_cpu, cpu);

	it->have[cpu] = false;
	while (it->pos[cpu] < it->end[cpu]) {
		u64 i = it->pos[cpu]++;

		memcpy(&it->next[cpu], &tc->buf[i % size], sizeof(struct trace_entry));
		/* Acquire: the copy above is done before we look at how far the writer got. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (i + size < __atomic_load_n(&tc->claim, __ATOMIC_RELAXED)) {
			it->dropped++;	/* the writer reached this slot while we copied it */
			continue;
		}
		it->have[cpu] = true;
		return;
	}
}

bool trace_iter_next(struct trace_iter *it, struct trace_entry *out)
{
	int best = -1;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!it->have[cpu] && it->pos[cpu] < it->end[cpu])
			iter_fill(it, cpu);
		if (it->have[cpu] && (best < 0 || it->next[cpu].ts_ns < it->next[best].ts_ns))
			best = (int)cpu;
	}
	if (best < 0)
		return false;
	*out = it->next[best];
	it->have[best] = false;
	return true;
}

/* ---- Printing ---- */

/* Print `fmt` with the record's arguments: %u %d %x %s as described in tracepoints.h. */
static int format_args(char *buf, size_t len, const char *fmt, const u64 *args)
{
	size_t n = 0;
	unsigned int ai = 0;

	for (const char *p = fmt; *p && n + 1 < len; p++) {
		if (*p != '%' || !p[1]) {
			buf[n++] = *p;
			continue;
		}
		u64 v = ai < TRACE_MAX_ARGS ? args[ai++] : 0;
		int w;

		switch (*++p) {
		case 'u':
			w = snprintf(buf + n, len - n, "%llu", (unsigned long long)v);
			break;
		case 'd':
			w = snprintf(buf + n, len - n, "%lld", (long long)v);
			break;
		case 'x':
			w = snprintf(buf + n, len - n, "%#llx", (unsigned long long)v);
			break;
		case 's':
			w = snprintf(buf + n, len - n, "%s",
				     v ? (const char *)(unsigned long)v : "(null)");
			break;
		default:
			w = snprintf(buf + n, len - n, "%%%c", *p);
			break;
		}
		n += (size_t)w;
		if (n >= len)
			n = len - 1;
	}
	buf[n] = '\0';
	return (int)n;
}

int trace_format_entry(const struct trace_entry *e, char *buf, size_t len)
{
	const char *name = trace_event_name(e->id);
	char flags[6] = {
		(e->flags & TRACE_FLAG_IRQS_OFF) ? 'd' : '.',	/* irqs-off */
		'.',						/* need-resched: no scheduler */
		'.',						/* hardirq/softirq: not tracked */
		e->depth ? (char)('0' + (e->depth > 9 ? 9 : e->depth)) : '.', /* locks held */
		'.',						/* migrate-disable */
		'\0'
	};
	int n = snprintf(buf, len, "%16s-%-7d [%03u] %s %5llu.%06llu: %s: ", "<idle>", 0,
			 e->cpu, flags, (unsigned long long)(e->ts_ns / 1000000000ULL),
			 (unsigned long long)(e->ts_ns % 1000000000ULL / 1000), name ? name : "?");

	if (n < 0 || (size_t)n >= len)
		return (int)strlen(buf);
	if (name)
		n += format_args(buf + n, len - (size_t)n, trace_event_format(e->id), e->args);
	return n;
}

static void put_line(const char *s)
{
	console_write(s, strlen(s));
	console_write("\n", 1);
}

void trace_print(unsigned long last)
{
	static struct trace_iter it;	/* 4 KiB: too big for a stack; the shell is one CPU */
	static char line[256];
	struct trace_entry e;
	u64 written, in_buf;

	trace_counts(&written, &in_buf);
	put_line("# tracer: nop");
	put_line("#");
	snprintf(line, sizeof(line), "# entries-in-buffer/entries-written: %llu/%llu   #P:%u",
		 (unsigned long long)in_buf, (unsigned long long)written, num_online_cpus());
	put_line(line);
	put_line("#");
	put_line("#                                _-----=> irqs-off");
	put_line("#                               / _----=> need-resched");
	put_line("#                              | / _---=> hardirq/softirq");
	put_line("#                              || / _--=> traced locks held");
	put_line("#                              ||| / _-=> migrate-disable");
	put_line("#                              |||| /     delay");
	put_line("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION");
	put_line("#              | |         |   |||||     |         |");
	trace_iter_start(&it, last);
	while (trace_iter_next(&it, &e)) {
		trace_format_entry(&e, line, sizeof(line));
		put_line(line);
	}
	if (it.dropped) {
		snprintf(line, sizeof(line), "# %llu records overwritten while printing",
			 (unsigned long long)it.dropped);
		put_line(line);
	}
}
