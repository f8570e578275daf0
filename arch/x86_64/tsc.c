// SPDX-License-Identifier: MIT
/*
 * The time stamp counter as the clock behind arch_clock_ns() and printk's timestamps.
 *
 * Its frequency is measured once at boot against channel 2 of the 8254 PIT, whose input
 * clock is a fixed 1.193182 MHz on every PC: program a 50 ms one-shot count, read the TSC,
 * wait for the channel's output to go high (visible as bit 5 of port 0x61), read it again.
 * Channel 2 is the speaker channel; its gate is port 0x61 bit 0, and bit 1 (the speaker
 * itself) stays off.
 *
 * Conversion: ns = cycles * mult >> 32 with mult = 10^9 * 2^32 / hz, a 64x64->128-bit
 * multiply: no division on the hot path, and no overflow for centuries of uptime.
 *
 * Locking: the calibration is written by the boot CPU before anyone reads it (m), then (c).
 */
#define pr_fmt(fmt) "tsc: " fmt

#include "arch/arch.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"
#include <asm/io.h>
#include <asm/processor.h>

#define PIT_HZ			1193182
#define PIT_CH2_DATA		0x42
#define PIT_CMD			0x43
#define PIT_CMD_CH2_MODE0	0xb0	/* channel 2, lobyte then hibyte, mode 0, binary */
#define PORT_61			0x61	/* system control port B */
#define PORT_61_GATE2		0x01	/* PIT channel 2 gate */
#define PORT_61_SPEAKER		0x02	/* speaker data enable */
#define PORT_61_OUT2		0x20	/* PIT channel 2 output (read) */

#define CALIBRATE_MS		50	/* 59659 PIT ticks: fits the 16-bit counter */
#define NSEC_PER_SEC		1000000000ULL
/* Frequencies outside this range mean the measurement failed (no PIT, odd emulator). */
#define TSC_MIN_HZ		50000000ULL
#define TSC_MAX_HZ		20000000000ULL
/* Give up waiting for the PIT after this many cycles: 2 s even at 1 GHz. */
#define CALIBRATE_GIVE_UP	2000000000ULL

static u64 tsc_hz;	/* (c) */
static u64 tsc_mult;	/* ns per cycle << 32; 0 until calibrated (c) */
static u64 tsc_boot;	/* the TSC at kernel entry: time zero (c) */

/* Measure the TSC rate against PIT channel 2; 0 if the PIT does not behave. */
static u64 tsc_pit_calibrate(void)
{
	const u32 ticks = PIT_HZ / 1000 * CALIBRATE_MS;
	u8 saved = inb(PORT_61);
	u64 t0, t1;

	outb((saved & ~PORT_61_SPEAKER) | PORT_61_GATE2, PORT_61);
	outb(PIT_CMD_CH2_MODE0, PIT_CMD);	/* mode 0: output low until the count ends */
	outb(ticks & 0xff, PIT_CH2_DATA);
	outb(ticks >> 8, PIT_CH2_DATA);

	t0 = rdtsc_ordered();
	while (!(inb(PORT_61) & PORT_61_OUT2)) {
		if (rdtsc() - t0 > CALIBRATE_GIVE_UP) {
			outb(saved, PORT_61);
			return 0;
		}
	}
	t1 = rdtsc_ordered();
	outb(saved, PORT_61);
	return (t1 - t0) * PIT_HZ / ticks;
}

/* CPUID leaf 0x16 (Skylake and later): the nominal base frequency in MHz, or 0. */
static u64 tsc_cpuid_hz(void)
{
	u32 max, b, c, d, mhz;

	cpuid(0, &max, &b, &c, &d);
	if (max < 0x16)
		return 0;
	cpuid(0x16, &mhz, &b, &c, &d);
	return (u64)(mhz & 0xffff) * 1000000ULL;
}

void x86_tsc_init(u64 boot_tsc)
{
	const char *source = "PIT";
	u64 hz = tsc_pit_calibrate();

	if (hz < TSC_MIN_HZ || hz > TSC_MAX_HZ) {
		pr_warn("PIT calibration gave %llu Hz: not believable\n", (unsigned long long)hz);
		hz = tsc_cpuid_hz();
		source = "CPUID 0x16";
		if (hz < TSC_MIN_HZ || hz > TSC_MAX_HZ) {
			hz = 1000000000ULL;
			source = "a guess: timestamps are not to be trusted";
		}
	}
	tsc_hz = hz;
	tsc_boot = boot_tsc;
	/* 10^9 * 2^32 < 2^62, and hz >= TSC_MIN_HZ keeps mult below 2^37. */
	tsc_mult = (NSEC_PER_SEC << 32) / hz;
	pr_info("TSC %llu.%03llu MHz (%s)\n", (unsigned long long)(hz / 1000000),
		(unsigned long long)(hz / 1000 % 1000), source);
}

u64 arch_cycles(void)
{
	return rdtsc();
}

u64 arch_clock_ns(void)
{
	u64 mult = READ_ONCE(tsc_mult);

	if (!mult)
		return 0;
	return (u64)(((unsigned __int128)(rdtsc() - tsc_boot) * mult) >> 32);
}
