/* SPDX-License-Identifier: MIT */
/*
 * The Supervisor Binary Interface: calls from S-mode into the M-mode firmware (OpenSBI).
 *
 * An SBI call is an `ecall` with the extension id (EID) in a7, the function id (FID) in a6
 * and arguments in a0-a5; the firmware returns an error code in a0 and a value in a1.
 * The "legacy" v0.1 extensions (EIDs 0x00-0x0F) take no FID and return only a0.
 * Numbers are from the RISC-V SBI specification v2.0.
 *
 * Every call may be made from any CPU in any context unless its comment says otherwise.
 *
 * Locking: the calls themselves need none; sbi_init() runs once on the boot CPU before
 * SMP and sets the "what exists" flags that every later call reads (c).
 */
#ifndef ASM_SBI_H
#define ASM_SBI_H

#include "kernel/compiler.h"

/* Extension ids. */
#define SBI_EXT_LEGACY_SET_TIMER	0x00
#define SBI_EXT_LEGACY_PUTCHAR		0x01
#define SBI_EXT_LEGACY_GETCHAR		0x02
#define SBI_EXT_LEGACY_SEND_IPI		0x04
#define SBI_EXT_LEGACY_SHUTDOWN		0x08
#define SBI_EXT_BASE			0x10
#define SBI_EXT_TIME			0x54494D45	/* "TIME" */
#define SBI_EXT_IPI			0x735049	/* "sPI" */
#define SBI_EXT_RFENCE			0x52464E43	/* "RFNC" */
#define SBI_EXT_HSM			0x48534D	/* "HSM" */
#define SBI_EXT_SRST			0x53525354	/* "SRST" */
#define SBI_EXT_PMU			0x504D55	/* "PMU" */
#define SBI_EXT_DBCN			0x4442434E	/* "DBCN" */

/* Base extension functions. */
#define SBI_BASE_GET_SPEC_VERSION	0
#define SBI_BASE_GET_IMPL_ID		1
#define SBI_BASE_GET_IMPL_VERSION	2
#define SBI_BASE_PROBE_EXT		3
#define SBI_BASE_GET_MVENDORID		4
#define SBI_BASE_GET_MARCHID		5
#define SBI_BASE_GET_MIMPID		6

/* HSM hart states (sbi_hart_get_status()). */
#define SBI_HSM_STARTED			0
#define SBI_HSM_STOPPED			1
#define SBI_HSM_START_PENDING		2
#define SBI_HSM_STOP_PENDING		3
#define SBI_HSM_SUSPENDED		4
#define SBI_HSM_SUSPEND_PENDING		5
#define SBI_HSM_RESUME_PENDING		6

/* SRST reset types and reasons. */
#define SBI_SRST_SHUTDOWN		0
#define SBI_SRST_COLD_REBOOT		1
#define SBI_SRST_WARM_REBOOT		2
#define SBI_SRST_REASON_NONE		0
#define SBI_SRST_REASON_FAILURE		1

/* Error codes (negative, in a0). */
#define SBI_SUCCESS			0
#define SBI_ERR_FAILED			-1
#define SBI_ERR_NOT_SUPPORTED		-2
#define SBI_ERR_INVALID_PARAM		-3
#define SBI_ERR_DENIED			-4
#define SBI_ERR_INVALID_ADDRESS		-5
#define SBI_ERR_ALREADY_AVAILABLE	-6
#define SBI_ERR_ALREADY_STARTED		-7
#define SBI_ERR_ALREADY_STOPPED		-8

struct sbiret {
	long error;	/* SBI_SUCCESS or SBI_ERR_* */
	long value;	/* the function's result when error is SBI_SUCCESS */
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3,
			unsigned long a4, unsigned long a5);

/* Probe the firmware and print what it offers. Boot CPU, once, before SMP. */
void sbi_init(void);
/* Spec version as major << 24 | minor (0.1 firmware reports 0x1 after sbi_init()). */
unsigned long sbi_spec_version(void);
bool sbi_probe_extension(unsigned long ext);
/* mvendorid of the calling hart (0 if the firmware cannot say). Any CPU, after sbi_init(). */
long sbi_get_mvendorid(void);
const char *sbi_err_name(long error);

/* Console: DBCN where the firmware has it, otherwise the legacy calls. Any context. */
void sbi_console_write(const char *s, size_t n);
void sbi_console_putchar(char c);
int sbi_console_getchar(void);		/* a byte, or -1 if none is waiting */

/* Timer: raise the supervisor timer interrupt when time >= stime (~0: never). */
void sbi_set_timer(u64 stime);
/* IPI: a supervisor software interrupt to each hart in (mask << base). */
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
/* HSM: start a stopped hart at start_addr (a0 = its hartid, a1 = opaque), stop self. */
long sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque);
long sbi_hart_stop(void);
long sbi_hart_get_status(unsigned long hartid);	/* SBI_HSM_* or an SBI_ERR_* */
/* SRST: returns only on failure, with the error. */
long sbi_system_reset(u32 type, u32 reason);
/* Legacy v0.1 shutdown; returns only if the firmware lacks it. */
void sbi_legacy_shutdown(void);

#endif /* ASM_SBI_H */
