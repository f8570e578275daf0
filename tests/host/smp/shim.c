// SPDX-License-Identifier: MIT
/*
 * Host shim for kernel/smp.c, percpu.c, spinlock.c, lockstat.c and boot/acpi.c, compiled
 * unchanged: each "CPU" is a thread. Where the shim differs from a real machine:
 *  - arch_smp_processor_id() and the per-CPU base are thread-locals;
 *  - "interrupts" are a thread-local flag; an IPI is a per-CPU pending flag that the target
 *    takes (runs smp_ipi_handler() with the flag set) whenever it enables interrupts, relaxes
 *    in a spin loop with interrupts on, or idles: so delivery is late, never lost;
 *  - arch_cpu_relax() yields the host CPU so that 4+ threads progress on 2 host cores;
 *  - memblock is malloc; printk is vprintf (or a capture buffer); panic prints and aborts.
 */
#include "shim.h"
#include "kernel/smp.h"
#include "kernel/percpu.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/cmdline.h"
#include "mm/memblock.h"
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct boot_info boot_info;
bool shim_quiet;

/* tls_cpu and tls_irqs_off are read inline by shim/asm/smp.h and shim/asm/irqflags.h. */
__thread unsigned int tls_cpu;
static __thread void *tls_base;
__thread bool tls_irqs_off;
static u32 ipi_pending[NR_CPUS];
static unsigned long ipis_sent;
static pthread_t threads[NR_CPUS];
static bool thread_started[NR_CPUS];
static u32 stop_all;
static unsigned long warns;
static char cmdline_buf[256];

static char *cap_buf;
static size_t cap_len, cap_used;
static pthread_mutex_t print_mutex = PTHREAD_MUTEX_INITIALIZER;

void shim_become_boot_cpu(void)
{
	tls_cpu = 0;
	tls_base = &percpu_boot_hdr;
}

void arch_set_percpu_base(void *base)
{
	tls_base = base;
	tls_cpu = ((struct percpu_hdr *)base)->cpu;
}

void *arch_percpu_base(void)
{
	return tls_base;
}

/* Deliver a pending IPI if "interrupts" are on. */
void shim_take_ipi(void)
{
	if (tls_irqs_off || !__atomic_load_n(&ipi_pending[tls_cpu], __ATOMIC_ACQUIRE))
		return;
	if (!__atomic_exchange_n(&ipi_pending[tls_cpu], 0, __ATOMIC_ACQ_REL))
		return;
	tls_irqs_off = true;
	smp_ipi_handler();
	tls_irqs_off = false;
}

void arch_cpu_relax(void)
{
	shim_take_ipi();
	sched_yield();
}

void arch_idle(void)
{
	tls_irqs_off = false;
	while (!__atomic_load_n(&ipi_pending[tls_cpu], __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&stop_all, __ATOMIC_ACQUIRE))
			pthread_exit(NULL);
		sched_yield();
	}
	shim_take_ipi();
}

void arch_send_ipi(unsigned int cpu)
{
	__atomic_fetch_add(&ipis_sent, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&ipi_pending[cpu], 1, __ATOMIC_RELEASE);
}

unsigned long shim_ipis_sent(void)
{
	return __atomic_load_n(&ipis_sent, __ATOMIC_RELAXED);
}

u64 arch_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

u64 arch_cycles(void)
{
#if defined(__x86_64__)
	return __builtin_ia32_rdtsc();
#else
	return arch_clock_ns() / 3;	/* some other rate than 1:1, to exercise calibration */
#endif
}

static void *cpu_thread(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;

	tls_irqs_off = true;		/* a CPU starts with interrupts off */
	smp_secondary_init(cpu);
	/*
	 * kernel/idle.c's loop without its page-allocator hook (mm is not linked here): run
	 * pending calls with interrupts off, then wait for the next IPI.
	 */
	for (;;) {
		tls_irqs_off = true;
		smp_process_pending_calls();
		arch_idle();
	}
}

int arch_cpu_start(unsigned int cpu, u32 hwid, void *stack_top)
{
	(void)hwid;
	if (!stack_top)
		return -EINVAL;
	thread_started[cpu] = true;
	return pthread_create(&threads[cpu], NULL, cpu_thread, (void *)(unsigned long)cpu) ?
		-EINVAL : 0;
}

void shim_stop_cpus(void)
{
	__atomic_store_n(&stop_all, 1, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < NR_CPUS; i++)
		if (thread_started[i])
			pthread_join(threads[i], NULL);
}

void arch_halt(void)
{
	pthread_exit(NULL);
}

void *memblock_alloc_or_panic(phys_addr_t size, phys_addr_t align)
{
	void *p = aligned_alloc(align, ALIGN_UP(size, align));

	if (!p)
		abort();
	memset(p, 0, size);
	return p;
}

/* ---- printk, panic, WARN ---- */

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	const char *f = fmt;

	/* Drop the KERN_<level> prefix. */
	if (f[0] == '\001' && f[1])
		f += 2;
	int n = vsnprintf(line, sizeof(line), f, ap);

	pthread_mutex_lock(&print_mutex);
	if (cap_buf) {
		size_t k = strlen(line);

		if (cap_used + k < cap_len) {
			memcpy(cap_buf + cap_used, line, k + 1);
			cap_used += k;
		}
	} else if (!shim_quiet) {
		fputs(line, stdout);
	}
	pthread_mutex_unlock(&print_mutex);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintk(fmt, ap);

	va_end(ap);
	return n;
}

void shim_capture(char *buf, size_t len)
{
	pthread_mutex_lock(&print_mutex);
	cap_buf = buf;
	cap_len = len;
	cap_used = 0;
	buf[0] = '\0';
	pthread_mutex_unlock(&print_mutex);
}

void shim_capture_end(void)
{
	pthread_mutex_lock(&print_mutex);
	cap_buf = NULL;
	pthread_mutex_unlock(&print_mutex);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "PANIC (CPU%u): ", tls_cpu);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void __warn(const char *file, int line, const char *cond)
{
	__atomic_fetch_add(&warns, 1, __ATOMIC_RELAXED);
	if (!shim_quiet)
		printf("WARNING: %s at %s:%d\n", cond, file, line);
}

unsigned long warn_count(void)
{
	return __atomic_load_n(&warns, __ATOMIC_RELAXED);
}

/* ---- cmdline: just enough of kernel/cmdline.c's contract ---- */

void shim_set_cmdline(const char *line)
{
	snprintf(cmdline_buf, sizeof(cmdline_buf), "%s", line);
}

static const char *find_key(const char *key)
{
	size_t n = strlen(key);

	for (const char *p = cmdline_buf; (p = strstr(p, key)); p += n)
		if ((p == cmdline_buf || p[-1] == ' ') && (p[n] == '=' || p[n] == ' ' || !p[n]))
			return p + n;
	return NULL;
}

bool cmdline_has(const char *key)
{
	return find_key(key) != NULL;
}

bool cmdline_get_ulong(const char *key, unsigned long *v)
{
	const char *p = find_key(key);

	if (!p || *p != '=')
		return false;
	*v = strtoul(p + 1, NULL, 0);
	return true;
}
