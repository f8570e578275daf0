/* SPDX-License-Identifier: MIT */
/* The host shim's test-facing side: threads as CPUs, IPIs as flags (see shim.c). */
#ifndef SMP_HOST_SHIM_H
#define SMP_HOST_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/* Make the calling thread CPU 0 (before smp_prepare_cpus()). */
void shim_become_boot_cpu(void);
/* Ask every secondary thread to leave its idle loop, and join them. */
void shim_stop_cpus(void);
/* Command line seen by cmdline_has()/cmdline_get_ulong(). */
void shim_set_cmdline(const char *line);
/* IPIs sent so far, in total. */
unsigned long shim_ipis_sent(void);
/* While capturing, printk output goes to the buffer (and not to stdout). */
void shim_capture(char *buf, size_t len);
void shim_capture_end(void);
/* Number of panics survived: a test may make panic() longjmp back (see shim.c). */
extern bool shim_quiet;

#endif
