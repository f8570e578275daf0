/* SPDX-License-Identifier: MIT */
/* The SMP host shim's test-facing side: threads as CPUs, IPIs as flags (see shim.c). */
#ifndef TESTS_HOST_SMP_SHIM_H
#define TESTS_HOST_SMP_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/* Make the calling thread CPU 0 (before smp_prepare_cpus()). */
void shim_become_boot_cpu(void);
/* IPIs sent so far, in total. */
unsigned long shim_ipis_sent(void);

/*
 * The kernel log, with the contract of tests/host/shim/host.h: every printk line is kept
 * (and printed by the harness when a test fails); these look at what was printed since
 * host_log_clear().
 */
void host_log_clear(void);
bool host_log_contains(const char *needle);
/* The log since host_log_clear(), as one string. */
const char *host_log_text(void);

#endif /* TESTS_HOST_SMP_SHIM_H */
