// SPDX-License-Identifier: MIT
/*
 * Host implementations of what mm/ (and boot/) need from the kernel, so that those files
 * compile and link unchanged in a normal process under ASan/UBSan (and TSan later):
 * printk into a captured log, panic as abort(), WARN counting, spinlocks on C11 atomics,
 * the arch_* interrupt and CPU hooks on thread-local state, "physical memory" from mmap, and
 * the kernel/lib/string.h extras that libc does not have. kernel/cmdline.c and
 * kernel/boot_info.c themselves are linked as they are.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "tests/host/shim/host.h"
#include "kernel/printk.h"
#include "kernel/bug.h"
#include "kernel/spinlock.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/smp.h"
#include "kernel/cpumask.h"
#include "kernel/cpuhp.h"
#include "kernel/idle.h"
#include "kernel/workqueue.h"
#include "kernel/tracepoints.h"
#include "kernel/trace.h"
#include "arch/arch.h"
#include <asm/memory.h>

unsigned long host_phys_base;
unsigned long host_phys_size;
bool host_verbose;

/* ---- physical memory ---- */

void host_mem_map(unsigned long size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("host_mem_map: mmap");
		abort();
	}
	host_phys_base = (unsigned long)p;
	host_phys_size = size;
}

void host_mem_unmap(void)
{
	if (host_phys_size)
		munmap((void *)host_phys_base, host_phys_size);
	host_phys_base = 0;
	host_phys_size = 0;
}

/* ---- printk and the captured log ---- */

/*
 * The log is shared by every thread playing a CPU, and two may print at once (a drain that
 * timed out on two CPUs): log_lock serialises appending and reading, as the kernel's printk
 * serialises its buffer. A pthread mutex, not a spinlock: it is the shim's, never the code
 * under test's, and a printer may wait.
 */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char *log_buf;
static size_t log_len, log_cap;
static int loglevel = LOGLEVEL_DEFAULT;

static void log_append(const char *s, size_t n)
{
	if (log_len + n + 1 > log_cap) {
		size_t cap = log_cap ? log_cap * 2 : 65536;

		while (cap < log_len + n + 1)
			cap *= 2;
		/* Keep memory bounded in long fuzzing runs: drop the old log past 64 MiB. */
		if (cap > (64UL << 20)) {
			log_len = 0;
			cap = log_cap ? log_cap : cap;
		}
		if (cap != log_cap) {
			log_buf = realloc(log_buf, cap);
			if (!log_buf)
				abort();
			log_cap = cap;
		}
	}
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	log_buf[log_len] = '\0';
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	const char *f = fmt;
	int n;

	/* Strip the KERN_<level> prefix ("\001" + digit or 'c'). */
	if (f[0] == KERN_SOH[0] && f[1])
		f += 2;
	n = vsnprintf(buf, sizeof(buf), f, ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	pthread_mutex_lock(&log_lock);
	log_append(buf, (size_t)n);
	pthread_mutex_unlock(&log_lock);
	if (host_verbose)
		fputs(buf, stderr);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void printk_set_loglevel(int level)
{
	loglevel = level;
}

int printk_get_loglevel(void)
{
	return loglevel;
}

void host_log_clear(void)
{
	pthread_mutex_lock(&log_lock);
	log_len = 0;
	if (log_buf)
		log_buf[0] = '\0';
	pthread_mutex_unlock(&log_lock);
}

unsigned int host_log_count(const char *needle)
{
	unsigned int n = 0;
	const char *p;

	pthread_mutex_lock(&log_lock);
	for (p = log_buf; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	pthread_mutex_unlock(&log_lock);
	return n;
}

bool host_log_contains(const char *needle)
{
	return host_log_count(needle) > 0;
}

void host_log_dump(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_buf && log_len)
		fwrite(log_buf, 1, log_len, stderr);
	pthread_mutex_unlock(&log_lock);
}

/* ---- panic and WARN ---- */

static unsigned long warns;

void panic(const char *fmt, ...)
{
	va_list ap;

	host_log_dump();
	fprintf(stderr, "Kernel panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void __warn(const char *file, int line, const char *cond)
{
	__atomic_fetch_add(&warns, 1, __ATOMIC_RELAXED);
	printk(KERN_WARNING "WARNING: %s:%d: %s\n", file, line, cond);
}

unsigned long warn_count(void)
{
	return __atomic_load_n(&warns, __ATOMIC_RELAXED);
}

/* ---- CPUs and interrupts: thread-local pretend state ---- */

/* Read inline by shim/asm/smp.h and shim/asm/irqflags.h. */
__thread unsigned int host_this_cpu;
__thread bool host_irqs_off;

/* ---- SMP: threads as CPUs ---- */
/*
 * A CPU is either "attached" (a test thread runs as it: host_cpu_attach()) or idle (no
 * thread). A cross-CPU call to an attached CPU is queued and runs when that thread next
 * enables interrupts (arch_local_irq_restore/enable) or calls host_poll_ipis(); a call to an
 * idle CPU runs at once on the calling thread, pretending to be that CPU with IRQs off,
 * serialised per target (an idle CPU runs one handler at a time, as a real one would).
 */
struct cpumask __cpu_possible_mask = { .bits = { 1 } };
struct cpumask __cpu_present_mask = { .bits = { 1 } };
struct cpumask __cpu_online_mask = { .bits = { 1 } };

struct host_call {
	struct llist_node node;
	smp_call_func_t func;
	void *info;
	struct call_single_data *csd;	/* async: release it before running */
	int done;			/* for a waiting caller (atomic) */
	bool heap;
};

struct llist_head host_call_q[NR_CPUS];	/* read inline by shim/asm/irqflags.h */
static int host_attached[NR_CPUS];
static pthread_mutex_t host_cpu_mutex[NR_CPUS];
static pthread_once_t host_smp_once = PTHREAD_ONCE_INIT;
static unsigned long host_ipis;

static void host_smp_init_once(void)
{
	for (int i = 0; i < NR_CPUS; i++)
		pthread_mutex_init(&host_cpu_mutex[i], NULL);
}

void host_smp_init(unsigned int nr_cpus)
{
	pthread_once(&host_smp_once, host_smp_init_once);
	cpumask_clear(&__cpu_possible_mask);
	cpumask_clear(&__cpu_present_mask);
	cpumask_clear(&__cpu_online_mask);
	for (unsigned int c = 0; c < nr_cpus && c < NR_CPUS; c++) {
		cpumask_set_cpu(c, &__cpu_possible_mask);
		cpumask_set_cpu(c, &__cpu_present_mask);
		cpumask_set_cpu_atomic(c, &__cpu_online_mask);
	}
}

static void host_run_call(struct host_call *c)
{
	smp_call_func_t func = c->func;
	void *info = c->info;
	bool was_off = host_irqs_off;

	if (c->csd)
		__atomic_store_n(&c->csd->flags, 0, __ATOMIC_RELEASE);
	host_irqs_off = true;
	func(info);
	host_irqs_off = was_off;
	if (c->heap)
		free(c);
	else
		__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
}

static void host_run_list(struct llist_node *n)
{
	n = llist_reverse_order(n);
	while (n) {
		struct llist_node *next = n->next;

		host_run_call(llist_entry(n, struct host_call, node));
		n = next;
	}
}

void host_take_pending_ipis(void)
{
	host_poll_ipis();
}

bool host_poll_ipis(void)
{
	unsigned int cpu = host_this_cpu;

	if (cpu < NR_CPUS && __atomic_load_n(&host_attached[cpu], __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(&host_call_q[cpu].first, __ATOMIC_RELAXED)) {
		host_run_list(llist_del_all(&host_call_q[cpu]));
		return true;
	}
	return false;
}

void host_cpu_attach(unsigned int cpu)
{
	pthread_once(&host_smp_once, host_smp_init_once);
	host_this_cpu = cpu;
	pthread_mutex_lock(&host_cpu_mutex[cpu]);
	__atomic_store_n(&host_attached[cpu], 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&host_cpu_mutex[cpu]);
}

void host_cpu_detach(void)
{
	unsigned int cpu = host_this_cpu;

	pthread_mutex_lock(&host_cpu_mutex[cpu]);
	__atomic_store_n(&host_attached[cpu], 0, __ATOMIC_RELEASE);
	host_run_list(llist_del_all(&host_call_q[cpu]));
	pthread_mutex_unlock(&host_cpu_mutex[cpu]);
}

unsigned long host_ipi_count(void)
{
	return __atomic_load_n(&host_ipis, __ATOMIC_RELAXED);
}

/* Queue for an attached target, or run now as the idle target. */
static void host_deliver(unsigned int cpu, struct host_call *c)
{
	pthread_once(&host_smp_once, host_smp_init_once);
	__atomic_fetch_add(&host_ipis, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&host_cpu_mutex[cpu]);
	if (__atomic_load_n(&host_attached[cpu], __ATOMIC_ACQUIRE)) {
		llist_add(&c->node, &host_call_q[cpu]);
		pthread_mutex_unlock(&host_cpu_mutex[cpu]);
		return;
	}
	unsigned int me = host_this_cpu;

	host_this_cpu = cpu;
	host_run_call(c);
	host_this_cpu = me;
	pthread_mutex_unlock(&host_cpu_mutex[cpu]);
}

static void host_call_wait(struct host_call *c)
{
	while (!__atomic_load_n(&c->done, __ATOMIC_ACQUIRE)) {
		/* Serve our own queue meanwhile: the target may be waiting on us. */
		host_poll_ipis();
		sched_yield();
	}
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func, void *info, bool wait)
{
	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return -ENXIO;
	if (cpu == host_this_cpu) {
		unsigned long f = arch_local_irq_save();

		func(info);
		arch_local_irq_restore(f);
		return 0;
	}
	if (wait) {
		struct host_call c = { .func = func, .info = info };

		host_deliver(cpu, &c);
		host_call_wait(&c);
		return 0;
	}
	struct host_call *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	c->func = func;
	c->info = info;
	c->heap = true;
	host_deliver(cpu, c);
	return 0;
}

int smp_call_function_single_async(unsigned int cpu, struct call_single_data *csd)
{
	u32 expect = 0;
	struct host_call *c;

	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return -ENXIO;
	if (!__atomic_compare_exchange_n(&csd->flags, &expect, CSD_FLAG_LOCK, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -EBUSY;
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->func = csd->func;
	c->info = csd->info;
	c->csd = csd;
	c->heap = true;
	if (cpu == host_this_cpu) {
		unsigned long f = arch_local_irq_save();

		host_run_call(c);
		arch_local_irq_restore(f);
		return 0;
	}
	host_deliver(cpu, c);
	return 0;
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		if (cpu != host_this_cpu && cpu_online(cpu))
			smp_call_function_single(cpu, func, info, wait);
}

void on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, func, info, wait);
}

void smp_process_pending_calls(void)
{
	host_poll_ipis();
}

void host_set_cpu(unsigned int cpu)
{
	host_this_cpu = cpu;
}

void arch_cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* Added to the clock by host_clock_advance(): a test's way to let time pass at once. */
static u64 host_clock_offset;

u64 arch_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec +
	       __atomic_load_n(&host_clock_offset, __ATOMIC_RELAXED);
}

void host_clock_advance(u64 ns)
{
	__atomic_fetch_add(&host_clock_offset, ns, __ATOMIC_RELAXED);
}

u64 arch_cycles(void)
{
	/* The TSC, as on x86_64 kernels: the benchmarks report cycles. */
	return __builtin_ia32_rdtsc();
}

void arch_dump_stack(void)
{
}

/* ---- spinlocks: a test-and-set lock with the owner recorded, as the kernel's ---- */

void spin_lock_init(spinlock_t *lock, const char *name)
{
	memset(lock, 0, sizeof(*lock));
	lock->owner_cpu = SPIN_NO_OWNER;
	lock->name = name;
}

bool spin_trylock(spinlock_t *lock)
{
	__typeof__(lock->next) expected = 0;

	/* `next` doubles as the held flag here: 0 free, 1 held. Acquire pairs with release. */
	if (!__atomic_compare_exchange_n(&lock->next, &expected, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&lock->owner_cpu, host_this_cpu, __ATOMIC_RELAXED);
	return true;
}

void spin_lock(spinlock_t *lock)
{
	while (!spin_trylock(lock))
		arch_cpu_relax();
}

void spin_unlock(spinlock_t *lock)
{
	if (__atomic_load_n(&lock->next, __ATOMIC_RELAXED) == 0)
		panic("spin_unlock of unlocked lock %s", lock->name ? lock->name : "?");
	__atomic_store_n(&lock->owner_cpu, SPIN_NO_OWNER, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->next, 0, __ATOMIC_RELEASE);
}

bool spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->next, __ATOMIC_RELAXED) != 0;
}

bool spin_held_by_me(spinlock_t *lock)
{
	return spin_is_locked(lock) &&
	       __atomic_load_n(&lock->owner_cpu, __ATOMIC_RELAXED) == host_this_cpu;
}

void __assert_spin_locked(spinlock_t *lock, const char *func)
{
	if (!spin_held_by_me(lock))
		panic("%s: lock %s not held by this CPU", func, lock->name ? lock->name : "?");
}

void host_set_cmdline(const char *line)
{
	cmdline_init(line);
}

/* ---- the idle loop's hooks (kernel/idle.c) ---- */

static void (*host_idle_hooks[4])(void);
static unsigned int host_nr_idle_hooks;
static u8 host_cpu_idle[NR_CPUS];

/* Tests boot the allocator many times: a hook already there is not added twice. */
int idle_hook_register(void (*enter)(void))
{
	for (unsigned int i = 0; i < host_nr_idle_hooks; i++)
		if (host_idle_hooks[i] == enter)
			return 0;
	if (host_nr_idle_hooks == 4)
		return -ENOSPC;
	host_idle_hooks[host_nr_idle_hooks++] = enter;
	return 0;
}

bool cpu_is_idle(unsigned int cpu)
{
	return cpu < NR_CPUS && __atomic_load_n(&host_cpu_idle[cpu], __ATOMIC_SEQ_CST);
}

void host_idle_enter(void)
{
	__atomic_store_n(&host_cpu_idle[host_this_cpu], 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < host_nr_idle_hooks; i++)
		host_idle_hooks[i]();
}

void host_idle_exit(void)
{
	__atomic_store_n(&host_cpu_idle[host_this_cpu], 0, __ATOMIC_RELAXED);
}

/* ---- CPU hotplug (kernel/cpuhp.c): tests call the allocator's steps themselves ---- */

int cpuhp_setup_state(enum cpuhp_state state, const char *name,
		      int (*startup)(unsigned int cpu), int (*teardown)(unsigned int cpu))
{
	(void)name, (void)startup, (void)teardown;
	return (int)state;
}

/* Host threads always finish their hotplug steps: no CPU is ever left unparked. */
bool cpuhp_unparked(unsigned int cpu)
{
	(void)cpu;
	return false;
}

int cpuhp_call_on_cpu(unsigned int cpu, smp_call_func_t func, void *info)
{
	if (cpu_online(cpu))
		return smp_call_function_single(cpu, func, info, true);
	func(info);
	return 0;
}

/* ---- tracepoints (kernel/trace.c): the slow path, and hooks for tests ---- */

u8 trace_events_enabled[NR_TRACE_EVENTS];
u8 trace_zone_lock_any;
static void (*host_trace_fns[NR_TRACE_EVENTS])(u64 a0, u64 a1, u64 a2, u64 a3);

void host_trace_hook(unsigned int id, void (*fn)(u64 a0, u64 a1, u64 a2, u64 a3))
{
	if (id >= NR_TRACE_EVENTS)
		return;
	/* Release: a CPU that sees the event on finds the function. */
	__atomic_store_n(&host_trace_fns[id], fn, __ATOMIC_RELEASE);
	__atomic_store_n(&trace_events_enabled[id], fn != NULL, __ATOMIC_RELEASE);
}

void trace_emit(unsigned int id, u64 a0, u64 a1, u64 a2, u64 a3)
{
	void (*fn)(u64, u64, u64, u64);

	if (id >= NR_TRACE_EVENTS)
		return;
	fn = __atomic_load_n(&host_trace_fns[id], __ATOMIC_ACQUIRE);
	if (fn)
		fn(a0, a1, a2, a3);
}

/* The host has no rings (events go to host_trace_hook()'s functions): the source is unused. */
void trace_set_page_source(void *(*alloc_zeroed)(unsigned int order))
{
	(void)alloc_zeroed;
}

/* The zone-lock events stay off on the host (trace_zone_lock_any is never set). */
void __trace_zone_lock_start(const char *zone, struct spinlock *lock)
{
	(void)zone, (void)lock;
}

void __trace_zone_lock_acquired(const char *zone, struct spinlock *lock, bool contended)
{
	(void)zone, (void)lock, (void)contended;
}

void __trace_zone_lock_released(const char *zone, struct spinlock *lock)
{
	(void)zone, (void)lock;
}

/*
 * Deferred work (kernel/workqueue.h), as the host tests need it: a queued work item is kept
 * until a test runs it with host_run_work(), so a test decides when "the idle loop" runs.
 * Single-threaded use only (the virtio core's polling); the TSan suites do not queue work.
 */
#define HOST_MAX_WORK 16
static struct work_struct *host_work[HOST_MAX_WORK];

bool queue_work_on(unsigned int cpu, struct work_struct *work)
{
	(void)cpu;
	for (unsigned int i = 0; i < HOST_MAX_WORK; i++)
		if (host_work[i] == work)
			return false;
	for (unsigned int i = 0; i < HOST_MAX_WORK; i++) {
		if (!host_work[i]) {
			host_work[i] = work;
			return true;
		}
	}
	panic("host shim: more than %d work items queued", HOST_MAX_WORK);
}

bool queue_delayed_work_on(unsigned int cpu, struct delayed_work *dwork, unsigned long delay_ms)
{
	(void)delay_ms;
	return queue_work_on(cpu, &dwork->work);
}

bool cancel_work(struct work_struct *work)
{
	for (unsigned int i = 0; i < HOST_MAX_WORK; i++) {
		if (host_work[i] == work) {
			host_work[i] = NULL;
			return true;
		}
	}
	return false;
}

bool cancel_work_sync(struct work_struct *work)
{
	return cancel_work(work);
}

unsigned int host_run_work(void)
{
	struct work_struct *batch[HOST_MAX_WORK];
	unsigned int n = 0;

	/* What is queued now runs once; what it queues waits for the next call. */
	for (unsigned int i = 0; i < HOST_MAX_WORK; i++) {
		if (host_work[i])
			batch[n++] = host_work[i];
		host_work[i] = NULL;
	}
	for (unsigned int i = 0; i < n; i++)
		batch[i]->func(batch[i]);
	return n;
}
