/* SPDX-License-Identifier: MIT */
/*
 * The host shim's own API, for tests: physical memory, the command line, the captured log.
 * The shim (host_kernel.c) also implements, for the host, what mm/ and boot/ call in the
 * kernel: printk, panic, __warn, spinlocks, the arch_* interrupt/CPU hooks and the
 * kernel/lib/string.h extras that libc lacks. See tests/host/README.md.
 */
#ifndef TESTS_HOST_SHIM_HOST_H
#define TESTS_HOST_SHIM_HOST_H

#include "kernel/compiler.h"

/* Map [0, size) of "physical" memory (lazily backed: untouched pages cost nothing). */
void host_mem_map(unsigned long size);
void host_mem_unmap(void);

/* The command line cmdline_get() and friends see. */
void host_set_cmdline(const char *line);
/* Run the deferred work queued so far (kernel/workqueue.h), once; how many items ran. */
unsigned int host_run_work(void);
/* Make arch_clock_ns() jump forward by ns (a timeout passes without waiting for it). */
void host_clock_advance(u64 ns);

/* Every printk line is kept; these look at what was printed since host_log_clear(). */
void host_log_clear(void);
bool host_log_contains(const char *needle);
unsigned int host_log_count(const char *needle);
/* Print the captured log to stderr (the runner does this when a test fails). */
void host_log_dump(void);
/* Echo printk to stderr as it happens (HOST_VERBOSE=1 in the environment does the same). */
extern bool host_verbose;

/* The CPU this thread pretends to be (arch_smp_processor_id()). */
void host_set_cpu(unsigned int cpu);

/*
 * SMP with threads as CPUs. host_smp_init(n): CPUs 0..n-1 possible, present and online (call
 * before boot_mm(), which sizes the per-CPU pages by it). A thread that runs as a CPU calls
 * host_cpu_attach(cpu) first and host_cpu_detach() when done: cross-CPU calls to an attached
 * CPU are queued and run when its thread enables interrupts (or calls host_poll_ipis()); a
 * call to a CPU with no thread runs at once on the caller's thread, as that CPU, IRQs off.
 */
void host_smp_init(unsigned int nr_cpus);
void host_cpu_attach(unsigned int cpu);
void host_cpu_detach(void);
/* Run this CPU's queued calls; true if there were any. */
bool host_poll_ipis(void);
/* Cross-CPU calls delivered so far (the shim's "IPIs"). */
unsigned long host_ipi_count(void);

/*
 * The idle loop of kernel/idle.c, one pass: host_idle_enter() raises this CPU's idle flag
 * (seq_cst, then a full fence) and runs the registered idle hooks, as cpu_idle_loop() does
 * before it sleeps; host_idle_exit() lowers the flag, as it does after waking.
 */
void host_idle_enter(void);
void host_idle_exit(void);

/*
 * Tracepoints: the host builds with them compiled in (CONFIG_TRACE=1) and the shim is
 * their slow path. host_trace_hook(id, fn) turns event @id on and has every emission of it
 * call @fn with the event's arguments (NULL: off again). A test can so stop a CPU at the
 * exact point an event marks, with no hook of its own in the kernel's code.
 */
void host_trace_hook(unsigned int id, void (*fn)(u64 a0, u64 a1, u64 a2, u64 a3));

#endif /* TESTS_HOST_SHIM_HOST_H */
