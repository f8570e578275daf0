// SPDX-License-Identifier: MIT
/*
 * The x86_64 half of CPU hotplug (kernel/cpuhp.c): which CPUs may go offline, and how one
 * parks for real.
 *
 * A CPU going offline turns its local APIC's timer off and then software-disables the APIC
 * (SVR bit 8 clear: every LVT entry masked, no fixed interrupt or IPI accepted), turns
 * interrupts off and halts in a loop. INIT, NMI, SMI and STARTUP messages still reach a
 * software-disabled APIC (Intel SDM vol. 3, 11.4.7.2), which is exactly what coming back
 * needs: arch_cpu_start() sends INIT-SIPI-SIPI again and the CPU walks the trampoline from
 * real mode as it did at boot, with the APIC reset by INIT and set up anew by
 * x86_apic_init_ap().
 *
 * The boot CPU stays: it is the one ACPI power-off, the 8259s and the firmware know, and
 * sending INIT to it resets the machine's boot processor, which Tessera never needs to do.
 *
 * Locking: cpu_parked[] is (l): the dying CPU sets it (release) as its last store, the
 * controller reads it (acquire) and clears it for next time; both under the hotplug lock's
 * ordering (one operation at a time).
 */
#define pr_fmt(fmt) "hotplug: " fmt

#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include "kernel/errno.h"

/* Local APIC registers (offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16). */
#define LAPIC_SVR		0x0f0
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_SVR_ENABLE	(1U << 8)
#define LAPIC_LVT_MASKED	(1U << 16)
#define X2APIC_MSR_BASE		0x800

/* A parked CPU says so within microseconds; this is generous for TCG. */
#define WAIT_DEAD_MS		2000

static u32 cpu_parked[NR_CPUS];

/* This CPU's APIC, in the mode apic.c chose (the xAPIC page is mapped at its __va). */
static u32 lapic_read(u32 reg)
{
	if (x86_apic_is_x2apic())
		return (u32)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return readl((u8 *)__va(x86_apic_phys()) + reg);
}

static void lapic_write(u32 reg, u32 v)
{
	if (x86_apic_is_x2apic())
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else
		writel(v, (u8 *)__va(x86_apic_phys()) + reg);
}

/**
 * arch_cpu_can_offline() - every CPU but the boot CPU (see arch/arch.h).
 * Context: any CPU.
 */
bool arch_cpu_can_offline(unsigned int cpu)
{
	return cpu != 0;
}

/**
 * arch_cpu_die() - stop the timer and IPIs, then halt with interrupts off until INIT.
 *
 * Context: the CPU going offline, IRQs off, after the generic teardown. Never returns.
 */
void arch_cpu_die(void)
{
	unsigned int cpu = arch_smp_processor_id();

	native_irq_disable();
	/* Timer first: masked and with a zero count it neither fires nor stays pending. */
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0);
	/* Software-disable: fixed IPIs are refused from here; INIT and STARTUP still arrive. */
	lapic_write(LAPIC_SVR, lapic_read(LAPIC_SVR) & ~LAPIC_SVR_ENABLE);
	/* Release: the controller that sees the flag sees the APIC quiet and our work done. */
	__atomic_store_n(&cpu_parked[cpu], 1, __ATOMIC_RELEASE);
	for (;;)
		__asm__ __volatile__("cli; hlt" : : : "memory");
}

/**
 * arch_cpu_wait_dead() - wait until @cpu has parked (bounded).
 * Return: 0, or -ETIMEDOUT.
 * Context: the CPU driving the hotplug.
 */
int arch_cpu_wait_dead(unsigned int cpu)
{
	u64 start = arch_clock_ns();

	if (cpu >= NR_CPUS)
		return -ETIMEDOUT;
	while (!__atomic_load_n(&cpu_parked[cpu], __ATOMIC_ACQUIRE)) {
		if (arch_clock_ns() - start > WAIT_DEAD_MS * 1000000ULL) {
			pr_err("CPU%u did not park within %u ms\n", cpu, WAIT_DEAD_MS);
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	/* Ready for its next offline; it is halted and will not touch the flag again. */
	__atomic_store_n(&cpu_parked[cpu], 0, __ATOMIC_RELAXED);
	return 0;
}
