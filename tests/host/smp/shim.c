// SPDX-License-Identifier: MIT
/*
 * Host shim for kernel/smp.c, percpu.c, spinlock.c, lockstat.c, mm/percpu.c and boot/acpi.c,
 * compiled unchanged: each "CPU" is a thread, so ThreadSanitizer sees the cross-CPU paths as the races
 * they would be on hardware.
 *
 * Why a second shim beside tests/host/shim/host_kernel.c: that one stands in for kernel/smp.c
 * and kernel/spinlock.c themselves (cross-CPU calls run from a queue it keeps, spinlocks are
 * a plain test-and-set), because mm/ is what its tests exercise. Here smp.c and spinlock.c
 * are the code under test, so this shim sits one layer lower, at the arch_* hooks they call;
 * linking both shims would define smp_call_function_single() and spin_lock() twice. Where
 * this shim differs from a real machine:
 *  - arch_smp_processor_id() and the per-CPU base register are thread-locals;
 *  - "interrupts" are a thread-local flag; an IPI is a per-CPU pending flag that the target
 *    takes (runs smp_ipi_handler() with the flag set) whenever it enables interrupts, relaxes
 *    in a spin loop with interrupts on, or idles: so delivery is late, never lost;
 *  - arch_cpu_relax() yields the host CPU so that 4+ threads progress on 2 host cores;
 *  - "physical" addresses are host pointers (smp/shim/asm/memory.h), so ACPI tables built in
 *    a test's arrays are parsed where they lie;
 *  - memblock_alloc_or_panic() is aligned_alloc(), never freed (a test is one process);
 *  - printk, WARN and panic keep tests/host/shim's contract: printk appends to a log the
 *    harness prints when a test fails (HOST_VERBOSE=1 echoes it live), WARN counts and logs,
 *    panic prints the log and aborts.
 * kernel/cmdline.c and kernel/lib/kstrtox.c are linked as they are.
 */
#include "tests/host/harness.h"
#include "tests/host/smp/shim.h"
#include "kernel/smp.h"
#include "kernel/percpu.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/memblock.h"
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool host_verbose;

/* tls_cpu and tls_irqs_off are read inline by shim/asm/smp.h and shim/asm/irqflags.h. */
__thread unsigned int tls_cpu;
static __thread void *tls_base;
__thread bool tls_irqs_off;
static u32 ipi_pending[NR_CPUS];
static unsigned long ipis_sent;
static unsigned long warns;

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
	while (!__atomic_load_n(&ipi_pending[tls_cpu], __ATOMIC_ACQUIRE))
		sched_yield();
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

/*
 * A secondary CPU's thread. It never returns: the test's process ends with its CPUs in
 * here (the harness runs each test in a child that exits when the test is done).
 */
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
	pthread_t thread;

	(void)hwid;
	if (!stack_top)
		return -EINVAL;
	if (pthread_create(&thread, NULL, cpu_thread, (void *)(unsigned long)cpu))
		return -EINVAL;
	pthread_detach(thread);
	return 0;
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

/* ---- printk into the log, panic, WARN ---- */

/*
 * A fixed buffer: a test is one short process, and the fuzzer clears the log for every
 * input. Text past the end is dropped and the dump says so.
 */
static char log_buf[1 << 20];
static size_t log_len;
static bool log_truncated;
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;

int vprintk(const char *fmt, va_list ap)
{
	char line[1024];
	const char *f = fmt;

	/* Drop the KERN_<level> prefix. */
	if (f[0] == KERN_SOH[0] && f[1])
		f += 2;
	int n = vsnprintf(line, sizeof(line), f, ap);
	size_t k = strlen(line);

	pthread_mutex_lock(&log_mutex);
	if (log_len + k < sizeof(log_buf)) {
		memcpy(log_buf + log_len, line, k + 1);
		log_len += k;
	} else {
		log_truncated = true;
	}
	if (host_verbose)
		fputs(line, stderr);
	pthread_mutex_unlock(&log_mutex);
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

void host_log_clear(void)
{
	pthread_mutex_lock(&log_mutex);
	log_len = 0;
	log_buf[0] = '\0';
	log_truncated = false;
	pthread_mutex_unlock(&log_mutex);
}

const char *host_log_text(void)
{
	return log_buf;
}

bool host_log_contains(const char *needle)
{
	pthread_mutex_lock(&log_mutex);
	bool found = strstr(log_buf, needle) != NULL;

	pthread_mutex_unlock(&log_mutex);
	return found;
}

void host_log_dump(void)
{
	pthread_mutex_lock(&log_mutex);
	fwrite(log_buf, 1, log_len, stderr);
	if (log_truncated)
		fprintf(stderr, "[the log filled its %zu bytes; later lines were dropped]\n",
			sizeof(log_buf));
	pthread_mutex_unlock(&log_mutex);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	host_log_dump();
	va_start(ap, fmt);
	fprintf(stderr, "Kernel panic (CPU%u): ", tls_cpu);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
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

