/* SPDX-License-Identifier: MIT */
/*
 * What the riscv64 port's files share with each other (not with generic code, which sees
 * only arch/arch.h and the asm/ leaf headers).
 *
 * Locking: the variables are written by the boot CPU in riscv_boot(), before SMP (m), and
 * constant afterwards (c).
 */
#ifndef ARCH_RISCV64_RISCV_H
#define ARCH_RISCV64_RISCV_H

#include "kernel/compiler.h"

/* The image as loaded (run-time addresses): header first, page-aligned end after .bss. */
extern char _start[], _end[];

/* Run-time minus link-time address of the image: 0 unless a loader put it elsewhere (c). */
extern unsigned long riscv_load_offset;
/* Frequency of the time CSR, from /cpus/timebase-frequency or the default (c). */
extern u64 riscv_timebase_hz;
/* QEMU virt's timebase, assumed when the device tree gives none. */
#define RISCV_DEFAULT_TIMEBASE_HZ	10000000ULL

/* head.S -> C: the boot hart's first C function. Boot CPU, IRQs off, on the boot stack. */
__noreturn void riscv_boot(unsigned long hartid, unsigned long fdt_phys,
			   unsigned long load_offset);
/* traps.c */
void riscv_trap_init(void);
void riscv_irq_init(void);
void riscv_dump_stack_from(unsigned long pc, unsigned long fp);
/* T-Head's th.sxstatus if this hart has it (false, *val = 0, if not). The CPU itself. */
bool riscv_csr_probe_sxstatus(unsigned long *val);
/* console.c: register the SBI console (idempotent). Boot CPU. */
void riscv_sbi_console_init(void);
/* console.c: the console's 16550 (for the irq ktest's source), NULL if it has none. */
struct uart_16550 *riscv_console_16550(void);
struct uart_sifive *riscv_console_sifive(void);
/* cpu.c: the time CSR's value at boot, so arch_clock_ns() counts from there. */
void riscv_clock_init(void);
/* timer.c: the periodic tick through SBI TIME. The hart itself, IRQs off. */
void riscv_timer_start(void);
void riscv_timer_interrupt(void);

struct riscv_cpu_local;
/* smp.c: head.S's riscv_secondary_entry -> C. A secondary hart, IRQs off, on its stack. */
__noreturn void riscv_secondary_start(unsigned long hartid, struct riscv_cpu_local *cl);

#endif /* ARCH_RISCV64_RISCV_H */
