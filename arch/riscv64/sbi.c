// SPDX-License-Identifier: MIT
/*
 * The SBI call layer: one ecall wrapper, probing of what the firmware implements, and each
 * service with its legacy (v0.1) fallback where one exists.
 *
 * Debian 12's OpenSBI 1.1 implements SBI 1.0: Base, TIME, IPI, RFENCE, HSM, SRST, PMU and
 * the legacy calls, but not DBCN (new in SBI 2.0), so on QEMU the console goes through the
 * legacy putchar/getchar calls.
 *
 * Locking: none needed for the calls. The sbi_has_* flags are written by sbi_init() on the
 * boot CPU before SMP and read-only afterwards (c); until then every service takes its
 * legacy path, which is why the console works before sbi_init() has run.
 */
#include <asm/sbi.h>
#include "kernel/printk.h"

static unsigned long sbi_spec;		/* major << 24 | minor; 0 until probed (c) */
static bool sbi_has_dbcn;		/* (c) */
static bool sbi_has_time;		/* (c) */
static bool sbi_has_ipi;		/* (c) */
static bool sbi_has_hsm;		/* (c) */
static bool sbi_has_srst;		/* (c) */
/* Legacy calls are assumed present until probing says otherwise: the boot console needs them. */
static bool sbi_has_legacy_console = true;	/* (c) */

/**
 * sbi_ecall() - Call the firmware.
 * @ext: extension id (a7)
 * @fid: function id (a6), ignored by legacy extensions
 * @a0..@a5: arguments
 *
 * Context: any. The firmware may clobber nothing but a0/a1 (the SBI calling convention), so
 * those are the only outputs; the "memory" clobber covers calls that read our buffers
 * (DBCN write) or write them (DBCN read).
 * Return: the error (a0) and value (a1). For legacy extensions a0 is their only result.
 */
struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3,
			unsigned long a4, unsigned long a5)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r5 __asm__("a5") = a5;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

static struct sbiret sbi_call0(unsigned long ext, unsigned long fid)
{
	return sbi_ecall(ext, fid, 0, 0, 0, 0, 0, 0);
}

static long sbi_legacy(unsigned long ext, unsigned long a0)
{
	return sbi_ecall(ext, 0, a0, 0, 0, 0, 0, 0).error;
}

const char *sbi_err_name(long error)
{
	static const char *const names[] = {
		"success", "failed", "not supported", "invalid parameter", "denied",
		"invalid address", "already available", "already started",
		"already stopped",
	};

	if (error <= 0 && -error < (long)ARRAY_SIZE(names))
		return names[-error];
	return "unknown error";
}

unsigned long sbi_spec_version(void)
{
	return sbi_spec;
}

/* The hart's mvendorid through the Base extension; 0 ("not implemented") on v0.1 firmware. */
long sbi_get_mvendorid(void)
{
	if (sbi_spec <= 1)
		return 0;
	return sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID).value;
}

/**
 * sbi_probe_extension() - Does the firmware implement extension @ext?
 * Context: any. Needs SBI v0.2 or later (the Base extension); v0.1 firmware has none.
 */
bool sbi_probe_extension(unsigned long ext)
{
	struct sbiret r;

	if (sbi_spec < (0UL << 24 | 2))
		return false;
	r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, ext, 0, 0, 0, 0, 0);
	return r.error == SBI_SUCCESS && r.value != 0;
}

/* ---- console ---- */

void sbi_console_putchar(char c)
{
	if (sbi_has_dbcn) {
		/* DBCN write_byte (FID 2) takes the byte itself, no buffer. */
		sbi_ecall(SBI_EXT_DBCN, 2, (u8)c, 0, 0, 0, 0, 0);
		return;
	}
	if (sbi_has_legacy_console)
		sbi_legacy(SBI_EXT_LEGACY_PUTCHAR, (u8)c);
}

/**
 * sbi_console_write() - Write @n bytes as they are (no newline translation).
 * Context: any. DBCN takes a physical address: ours are physical (identity-mapped, arch/riscv64/mm.c).
 */
void sbi_console_write(const char *s, size_t n)
{
	while (n && sbi_has_dbcn) {
		unsigned long pa = (unsigned long)s;
		struct sbiret r = sbi_ecall(SBI_EXT_DBCN, 0, n, pa, 0, 0, 0, 0);

		/* The firmware may write less than asked: go on from where it stopped. */
		if (r.error != SBI_SUCCESS || r.value <= 0 || (size_t)r.value > n)
			break;
		s += r.value;
		n -= r.value;
	}
	while (n--)
		sbi_console_putchar(*s++);
}

/**
 * sbi_console_getchar() - One byte from the firmware console, or -1 if none is waiting.
 * Context: any.
 */
int sbi_console_getchar(void)
{
	if (sbi_has_legacy_console) {
		long c = sbi_legacy(SBI_EXT_LEGACY_GETCHAR, 0);

		return c < 0 ? -1 : (int)(c & 0xff);
	}
	if (sbi_has_dbcn) {
		/* A one-byte buffer; volatile because the firmware, not C, writes it. */
		volatile u8 byte = 0;
		struct sbiret r = sbi_ecall(SBI_EXT_DBCN, 1, 1,
					    (unsigned long)&byte, 0, 0, 0, 0);

		if (r.error == SBI_SUCCESS && r.value == 1)
			return byte;
	}
	return -1;
}

/* ---- timer, IPI, HSM, SRST ---- */

void sbi_set_timer(u64 stime)
{
	if (sbi_has_time)
		sbi_ecall(SBI_EXT_TIME, 0, stime, 0, 0, 0, 0, 0);
	else
		sbi_legacy(SBI_EXT_LEGACY_SET_TIMER, stime);
}

/**
 * sbi_send_ipi() - Raise a supervisor software interrupt on harts (hart_mask << base).
 * Context: any.
 * Return: SBI_SUCCESS or an SBI_ERR_*.
 */
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	if (sbi_has_ipi)
		return sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base,
				 0, 0, 0, 0).error;

	/* v0.1 takes the address of a mask of harts 0..63: rebase ours onto hart 0. */
	if (hart_mask_base >= 64 || (hart_mask << hart_mask_base) >> hart_mask_base != hart_mask)
		return SBI_ERR_INVALID_PARAM;
	unsigned long mask = hart_mask << hart_mask_base;

	return sbi_legacy(SBI_EXT_LEGACY_SEND_IPI, (unsigned long)&mask);
}

long sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque)
{
	if (!sbi_has_hsm)
		return SBI_ERR_NOT_SUPPORTED;	/* v0.1 started every hart at once */
	return sbi_ecall(SBI_EXT_HSM, 0, hartid, start_addr, opaque, 0, 0, 0).error;
}

long sbi_hart_stop(void)
{
	if (!sbi_has_hsm)
		return SBI_ERR_NOT_SUPPORTED;
	return sbi_call0(SBI_EXT_HSM, 1).error;
}

long sbi_hart_get_status(unsigned long hartid)
{
	struct sbiret r;

	if (!sbi_has_hsm)
		return SBI_ERR_NOT_SUPPORTED;
	r = sbi_ecall(SBI_EXT_HSM, 2, hartid, 0, 0, 0, 0, 0);
	return r.error ? r.error : r.value;
}

long sbi_system_reset(u32 type, u32 reason)
{
	if (!sbi_has_srst)
		return SBI_ERR_NOT_SUPPORTED;
	return sbi_ecall(SBI_EXT_SRST, 0, type, reason, 0, 0, 0, 0).error;
}

void sbi_legacy_shutdown(void)
{
	sbi_legacy(SBI_EXT_LEGACY_SHUTDOWN, 0);
}

/* ---- probing ---- */

static const char *sbi_impl_name(unsigned long id)
{
	static const char *const names[] = {
		"Berkeley Boot Loader", "OpenSBI", "Xvisor", "KVM", "RustSBI", "Diosix",
		"Coffer", "Xen Project", "PolarFire Hart Software Services", "coreboot",
		"oreboot", "bhyve",
	};

	return id < ARRAY_SIZE(names) ? names[id] : "unknown";
}

static bool sbi_probe_report(const char *name, unsigned long ext)
{
	bool has = sbi_probe_extension(ext);

	pr_cont(" %s%s", has ? "" : "!", name);
	return has;
}

/**
 * sbi_init() - Find out what the firmware implements and print it.
 *
 * Context: boot CPU, once, before SMP. Prints through whatever console is registered (the
 * SBI console itself, on the legacy path until this function has run).
 */
void sbi_init(void)
{
	struct sbiret r = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);

	if (r.error != SBI_SUCCESS) {
		/* No Base extension: SBI v0.1, legacy calls only. */
		sbi_spec = 1;
		pr_info("SBI: v0.1 firmware (no Base extension): legacy calls only\n");
		return;
	}
	/* The spec version is major in bits 30:24, minor in 23:0; bit 31 must be zero. */
	sbi_spec = (unsigned long)r.value & 0x7fffffffUL;

	unsigned long impl = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID).value;
	unsigned long impl_ver = sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION).value;

	if (impl == 1) {
		/* OpenSBI encodes its version as major << 16 | minor. */
		pr_info("SBI: specification v%lu.%lu, implementation %s v%lu.%lu\n",
			sbi_spec >> 24, sbi_spec & 0xffffff, sbi_impl_name(impl),
			impl_ver >> 16, impl_ver & 0xffff);
	} else {
		pr_info("SBI: specification v%lu.%lu, implementation %s (id %lu) version 0x%lx\n",
			sbi_spec >> 24, sbi_spec & 0xffffff, sbi_impl_name(impl), impl,
			impl_ver);
	}
	pr_info("SBI: mvendorid 0x%lx marchid 0x%lx mimpid 0x%lx\n",
		sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID).value,
		sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MARCHID).value,
		sbi_call0(SBI_EXT_BASE, SBI_BASE_GET_MIMPID).value);

	/* One line, "!" marking what is missing. */
	pr_info("SBI: extensions:");
	sbi_has_time = sbi_probe_report("TIME", SBI_EXT_TIME);
	sbi_has_ipi = sbi_probe_report("IPI", SBI_EXT_IPI);
	sbi_probe_report("RFENCE", SBI_EXT_RFENCE);
	sbi_has_hsm = sbi_probe_report("HSM", SBI_EXT_HSM);
	sbi_has_srst = sbi_probe_report("SRST", SBI_EXT_SRST);
	sbi_probe_report("PMU", SBI_EXT_PMU);
	bool dbcn = sbi_probe_report("DBCN", SBI_EXT_DBCN);
	bool legacy = sbi_probe_report("legacy-console", SBI_EXT_LEGACY_PUTCHAR);
	pr_cont("\n");

	/* Switch the console only now, between two whole lines of output. */
	sbi_has_legacy_console = legacy;
	sbi_has_dbcn = dbcn;
	pr_info("SBI: console through %s\n",
		dbcn ? "DBCN" : legacy ? "legacy putchar/getchar (no DBCN)" : "nothing");
}
