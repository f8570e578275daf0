/* SPDX-License-Identifier: MIT */
/*
 * The local APIC: each CPU's interrupt controller, its timer and its door to other CPUs
 * (IPIs). One driver for both register interfaces: xAPIC (MMIO page, 8-bit APIC ids) and
 * x2APIC (MSRs, 32-bit ids), chosen once at boot from CPUID.
 *
 * Locking: the mode, MMIO address and timer calibration are set by the boot CPU before SMP
 * (m), then constant (c); each CPU programs only its own APIC, with IRQs off (i).
 */
#ifndef ARCH_X86_64_APIC_H
#define ARCH_X86_64_APIC_H

#include "kernel/compiler.h"

/* Boot CPU: choose the mode, map the registers, enable, calibrate and start the timer. */
void x86_apic_init(void);
/* A secondary CPU: enable its APIC in the boot CPU's mode and start its timer. */
void x86_apic_init_ap(void);
/* The physical address of the xAPIC register page (IA32_APIC_BASE of the boot CPU). */
phys_addr_t x86_apic_phys(void);
/* True when the APICs run in x2APIC mode. */
bool x86_apic_is_x2apic(void);
/* The highest APIC id the chosen mode can address (0xfe xAPIC: 0xff is broadcast). */
u32 x86_apic_max_id(void);
/* This CPU's APIC id, as CPUID reports it (usable before the APIC is enabled). */
u32 x86_cpuid_apic_id(void);
/* Acknowledge the interrupt being serviced. Interrupt context, IRQs off. */
void x86_apic_eoi(void);
/* Is @vector pending in this CPU's IRR? This CPU, IRQs off. */
bool x86_apic_irr_test(u8 vector);
/* A fixed-delivery IPI with `vector` to the CPU with APIC id `apic_id`. Any CPU. */
void x86_apic_send_ipi(u32 apic_id, u8 vector);
/*
 * INIT-SIPI-SIPI: wake the CPU `apic_id` in real mode at physical `start_page` << 12.
 * Return: 0 once the sequence was sent, negative if the APIC never accepted an IPI.
 */
int x86_apic_wake_cpu(u32 apic_id, u8 start_page);
/* Busy-wait `us` microseconds on the calibrated TSC. */
void x86_udelay(u64 us);

#endif /* ARCH_X86_64_APIC_H */
