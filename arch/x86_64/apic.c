// SPDX-License-Identifier: MIT
/*
 * The local APIC driver (Intel SDM vol. 3, chapter 11 "Advanced Programmable Interrupt
 * Controller"; the MP specification 1.4, appendix B, for the start-up sequence).
 *
 * Two interfaces to the same registers:
 *	xAPIC	a 4 KiB MMIO page (IA32_APIC_BASE, normally 0xfee00000), register at offset R
 *	x2APIC	MSR 0x800 + R / 16; the interrupt command register (ICR) is one 64-bit MSR
 * x2APIC is used whenever CPUID.1:ECX[21] says the CPU has it: it is required for APIC ids
 * above 0xfe (and for x2APIC-only MADT entries), and its ICR write needs no delivery-status
 * polling. The boot CPU chooses the mode; every AP enables the same one.
 *
 * What each CPU sets up: the spurious-interrupt vector register (software enable + vector
 * 0xff), task priority 0 (accept every vector), the error LVT masked, and the timer: periodic
 * at X86_APIC_TIMER_HZ on TIMER_VECTOR, its rate measured once on the boot CPU against the
 * TSC (itself calibrated against the PIT, arch/x86_64/tsc.c). The 8259 PICs stay masked
 * (i8259.c), so the APICs are the only source of interrupts.
 *
 * Locking: mode, MMIO base and timer count are written by the boot CPU before SMP (m), then
 * constant (c). Each CPU touches only its own APIC; ICR writes happen with IRQs off, because
 * an xAPIC IPI is two register writes that an interrupt handler sending its own IPI must not
 * split.
 */
#define pr_fmt(fmt) "apic: " fmt

#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/pgtable.h"
#include "kernel/bug.h"
#include "kernel/printk.h"
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_BSP		(1UL << 8)	/* this CPU is the bootstrap processor */
#define APIC_BASE_EXTD		(1UL << 10)	/* x2APIC mode */
#define APIC_BASE_EN		(1UL << 11)	/* APIC globally enabled */
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000UL

#define CPUID1_ECX_X2APIC	(1U << 21)
#define X2APIC_MSR_BASE		0x800

/* Register offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16. */
#define APIC_ID			0x020	/* xAPIC: id in bits 31:24 */
#define APIC_VERSION		0x030
#define APIC_TPR		0x080	/* task priority */
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0	/* spurious interrupt vector register */
#define APIC_IRR		0x200	/* interrupt request: 8 words of 32 vectors */
#define APIC_ESR		0x280	/* error status */
#define APIC_ICR_LOW		0x300
#define APIC_ICR_HIGH		0x310	/* xAPIC only: destination in bits 31:24 */
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_ERROR		0x370
#define APIC_TIMER_INIT		0x380	/* initial count */
#define APIC_TIMER_CUR		0x390	/* current count */
#define APIC_TIMER_DIV		0x3e0	/* divide configuration */

#define APIC_SVR_ENABLE		(1U << 8)	/* APIC software enable */
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_PERIODIC	(1U << 17)
#define APIC_TIMER_DIV_16	0x3		/* bits 3,1:0 = 0,11: divide the bus clock by 16 */

/* ICR low word: vector 7:0, delivery mode 10:8, status 12, level 14, trigger 15. */
#define ICR_FIXED		(0U << 8)
#define ICR_INIT		(5U << 8)
#define ICR_STARTUP		(6U << 8)
#define ICR_BUSY		(1U << 12)	/* xAPIC: delivery status "send pending" */
#define ICR_LEVEL_ASSERT	(1U << 14)
#define ICR_TRIGGER_LEVEL	(1U << 15)

#define X86_APIC_TIMER_HZ	100	/* timer interrupts per second on each CPU */
#define CALIBRATE_US		10000	/* 10 ms of TSC time to measure the timer against */
#define ICR_WAIT_US		100000	/* a healthy APIC sends an IPI in microseconds */

static bool apic_x2apic;		/* (c) */
static void *apic_mmio;			/* xAPIC register page, uncached (c) */
static phys_addr_t apic_phys;		/* (c) */
static u32 apic_timer_count;		/* initial count for one timer period (c) */

/* ---- Register access ---- */

static u32 apic_read(u32 reg)
{
	if (apic_x2apic)
		return (u32)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return readl((u8 *)apic_mmio + reg);
}

static void apic_write(u32 reg, u32 v)
{
	if (apic_x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else
		writel(v, (u8 *)apic_mmio + reg);
}

bool x86_apic_is_x2apic(void)
{
	return apic_x2apic;
}

u32 x86_apic_max_id(void)
{
	return apic_x2apic ? 0xfffffffeU : 0xfeU;
}

/**
 * x86_cpuid_apic_id() - this CPU's APIC id from CPUID, valid in either mode.
 *
 * Leaf 0xb EDX is the full 32-bit x2APIC id where the leaf exists; leaf 1 EBX[31:24] holds
 * only its low 8 bits (the xAPIC id).
 * Context: Any CPU, any context.
 */
u32 x86_cpuid_apic_id(void)
{
	u32 max, a, b, c, d;

	cpuid(0, &max, &b, &c, &d);
	if (max >= 0xb) {
		cpuid_count(0xb, 0, &a, &b, &c, &d);
		/* EBX = 0 means the leaf is not implemented after all (SDM: check EBX). */
		if (b)
			return d;
	}
	cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

void x86_udelay(u64 us)
{
	u64 start = arch_clock_ns();

	while (arch_clock_ns() - start < us * 1000)
		cpu_relax();
}

/* xAPIC: wait until the previous IPI has left (delivery status idle). False on timeout. */
static bool icr_wait_idle(void)
{
	u64 start;

	if (apic_x2apic)
		return true;	/* x2APIC has no delivery status: a write is a send */
	if (!(apic_read(APIC_ICR_LOW) & ICR_BUSY))
		return true;
	start = arch_clock_ns();
	while (apic_read(APIC_ICR_LOW) & ICR_BUSY) {
		if (arch_clock_ns() - start > ICR_WAIT_US * 1000)
			return false;
		cpu_relax();
	}
	return true;
}

/* Write the ICR: destination then command (the command write sends). IRQs off. */
static bool icr_send(u32 apic_id, u32 low)
{
	if (!icr_wait_idle())
		return false;
	if (apic_x2apic) {
		/*
		 * WRMSR to the x2APIC ICR is not serializing (SDM 11.12.3): the fence makes
		 * the caller's stores (the call queued for the target) globally visible before
		 * the IPI can arrive there.
		 */
		__asm__ __volatile__("mfence" : : : "memory");
		wrmsr(X2APIC_MSR_BASE + (APIC_ICR_LOW >> 4), ((u64)apic_id << 32) | low);
	} else {
		struct x86_cpu_local *cl = this_cpu_local();

		/*
		 * The destination register keeps its value, and only this CPU writes it:
		 * skip rewriting an unchanged one. Each APIC access is an exit to the
		 * emulator under QEMU, and IPI bursts usually go to the same CPU.
		 */
		if (!cl || cl->icr_high != apic_id << 24) {
			apic_write(APIC_ICR_HIGH, apic_id << 24);
			if (cl)
				cl->icr_high = apic_id << 24;
		}
		/* UC MMIO writes are ordered after earlier stores on x86: no fence needed. */
		apic_write(APIC_ICR_LOW, low);
	}
	return true;
}

/**
 * x86_apic_send_ipi() - send a fixed-delivery interrupt to one CPU.
 * @apic_id:	the target's APIC id (physical destination mode)
 * @vector:	the vector it takes
 *
 * Context: Any CPU, any context; IRQs are disabled around the ICR write.
 */
void x86_apic_send_ipi(u32 apic_id, u8 vector)
{
	unsigned long flags = native_irq_save();

	if (!icr_send(apic_id, ICR_FIXED | ICR_LEVEL_ASSERT | vector))
		pr_err("IPI to APIC id %u stuck: delivery status never went idle\n", apic_id);
	native_irq_restore(flags);
}

void x86_apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/**
 * x86_apic_irr_test() - is @vector requested (accepted, not yet in service) on this APIC?
 *
 * The IRR is eight 32-bit registers 16 bytes apart; vector v is bit v % 32 of register
 * v / 32 (SDM vol. 3, 11.8.4).
 * Context: the CPU itself, IRQs off (otherwise the answer is stale at once).
 */
bool x86_apic_irr_test(u8 vector)
{
	return apic_read(APIC_IRR + (vector / 32) * 0x10) & (1U << (vector % 32));
}

/**
 * x86_apic_wake_cpu() - the INIT-SIPI-SIPI sequence (SDM vol. 3, 9.4.4.1; MP spec B.4).
 * @apic_id:	the CPU to start
 * @start_page:	the STARTUP vector: the CPU begins in real mode at CS:IP = start_page<<8:0
 *
 * INIT puts the target in wait-for-SIPI; after 10 ms the first STARTUP IPI starts it at the
 * trampoline; a second one 200 us later covers a first that was lost (a CPU already running
 * ignores it). xAPIC also gets the INIT de-assert the MP spec asks for (older APICs need it;
 * x2APIC does not have it).
 *
 * Return: 0 when all IPIs were sent; -1 if the APIC never accepted one.
 * Context: Boot CPU (or the hotplug controller), IRQs on or off.
 */
int x86_apic_wake_cpu(u32 apic_id, u8 start_page)
{
	unsigned long flags = native_irq_save();
	bool ok;

	/* Clear stale errors: the ESR is latched by a write, then read. */
	if (!apic_x2apic)
		apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	ok = icr_send(apic_id, ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
	if (ok && !apic_x2apic) {
		ok = icr_wait_idle();
		x86_udelay(200);
		ok = ok && icr_send(apic_id, ICR_INIT | ICR_TRIGGER_LEVEL);
	}
	native_irq_restore(flags);
	x86_udelay(10000);	/* 10 ms: let INIT settle */
	for (int i = 0; ok && i < 2; i++) {
		flags = native_irq_save();
		apic_write(APIC_ESR, 0);
		ok = icr_send(apic_id, ICR_STARTUP | start_page) && icr_wait_idle();
		native_irq_restore(flags);
		x86_udelay(200);
	}
	if (!ok) {
		pr_err("start-up IPIs to APIC id %u were not accepted\n", apic_id);
		return -1;
	}
	return 0;
}

/* ---- Per-CPU setup ---- */

/* Turn on this CPU's APIC in the chosen mode (the boot CPU decided it). */
static void apic_hw_enable(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	base |= APIC_BASE_EN;
	if (apic_x2apic) {
		/* xAPIC -> x2APIC must pass through "enabled, xAPIC" first (SDM 11.12.5). */
		wrmsr(MSR_APIC_BASE, base);
		base |= APIC_BASE_EXTD;
	}
	wrmsr(MSR_APIC_BASE, base);

	apic_write(APIC_TPR, 0);			/* accept every priority */
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_APIC_VECTOR);
	apic_write(APIC_ESR, 0);
}

/* Periodic timer at X86_APIC_TIMER_HZ on this CPU (count from the boot CPU's calibration). */
static void apic_timer_start(void)
{
	if (!apic_timer_count)
		return;
	apic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_PERIODIC | TIMER_VECTOR);
	apic_write(APIC_TIMER_INIT, apic_timer_count);
}

/*
 * Count how far the timer runs down (bus clock / 16) in CALIBRATE_US of TSC time, masked so
 * that it raises nothing, and scale that to one period.
 */
static u32 apic_timer_calibrate(void)
{
	u32 elapsed;
	u64 per_sec;

	apic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | TIMER_VECTOR);	/* one-shot, masked */
	apic_write(APIC_TIMER_INIT, 0xffffffffU);
	x86_udelay(CALIBRATE_US);
	elapsed = 0xffffffffU - apic_read(APIC_TIMER_CUR);
	apic_write(APIC_TIMER_INIT, 0);					/* stop it */
	per_sec = (u64)elapsed * (1000000 / CALIBRATE_US);
	pr_info("timer: %llu.%03llu MHz bus clock / 16, %u Hz on each CPU\n",
		(unsigned long long)(per_sec * 16 / 1000000),
		(unsigned long long)(per_sec * 16 / 1000 % 1000), X86_APIC_TIMER_HZ);
	if (per_sec < X86_APIC_TIMER_HZ) {
		pr_warn("timer: did not count (%u in %u us); left off\n", elapsed, CALIBRATE_US);
		return 0;
	}
	return (u32)(per_sec / X86_APIC_TIMER_HZ);
}

/**
 * x86_apic_init() - set up the boot CPU's local APIC and choose the mode for all CPUs.
 *
 * The xAPIC register page is found in IA32_APIC_BASE (the running CPU's own answer; the
 * MADT's copy, read later by acpi_init(), is compared in smpboot.c) and mapped uncached.
 * Context: Boot CPU, IRQs off, from arch_mm_init() (after the switch to the kernel's page
 * tables, while memblock still serves page-table pages).
 */
void x86_apic_init(void)
{
	u32 a, b, c, d;
	u64 base = rdmsr(MSR_APIC_BASE);

	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1U << 9)))
		panic("apic: this CPU has no local APIC (CPUID.1:EDX[9] clear)");
	apic_x2apic = c & CPUID1_ECX_X2APIC;
	apic_phys = base & APIC_BASE_ADDR_MASK;
	/* x2APIC reaches every register through MSRs; only xAPIC needs the page mapped. */
	if (!apic_x2apic)
		apic_mmio = x86_ioremap_uc(apic_phys, PAGE_SIZE);
	apic_hw_enable();
	pr_info("local APIC in %s mode (registers at %#llx), boot CPU APIC id %u, version %#x\n",
		apic_x2apic ? "x2APIC" : "xAPIC", (unsigned long long)apic_phys,
		x86_cpuid_apic_id(), apic_read(APIC_VERSION) & 0xff);
	apic_timer_count = apic_timer_calibrate();
	apic_timer_start();
}

/**
 * x86_apic_init_ap() - enable this secondary CPU's APIC and start its timer.
 *
 * Context: The AP itself, IRQs off, early in its start (smpboot.c).
 */
void x86_apic_init_ap(void)
{
	apic_hw_enable();
	apic_timer_start();
}

phys_addr_t x86_apic_phys(void)
{
	return apic_phys;
}
