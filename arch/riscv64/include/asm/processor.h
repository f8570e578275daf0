/* SPDX-License-Identifier: MIT */
/*
 * riscv64 CPU helpers: spin-loop hint, CSR access, the time counter.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

/* The port's name, for the boot banner and benchmark headers. */
#define ARCH_NAME	"riscv64"

#include <asm/csr.h>

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

/*
 * Spin-loop hint: Zihintpause's PAUSE, emitted as a raw word because our -march does not
 * name the extension. Its encoding is FENCE with predecessor set "w" and an empty successor
 * set, which the base ISA defines as a HINT: harts without Zihintpause execute it as a
 * harmless fence, harts with it back off for a while and let the other hart of an SMT core
 * (or the host, under a hypervisor) run.
 */
static inline void cpu_relax(void)
{
	__asm__ __volatile__(".4byte 0x0100000f" : : : "memory");
}

/*
 * The time CSR: a counter shared by all harts ticking at /cpus/timebase-frequency.
 * S-mode may read it when the firmware sets mcounteren.TM (OpenSBI does; QEMU implements the
 * read directly, real hardware may trap it to the firmware, which emulates it).
 */
static inline u64 rdtime(void)
{
	u64 t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

/* Wait for an interrupt; native_safe_halt() (asm/irqflags.h) says how to use it safely. */
static inline void wait_for_interrupt(void)
{
	__asm__ __volatile__("wfi" : : : "memory");
}

/* This hart's frame pointer (s0). */
static inline unsigned long current_frame_pointer(void)
{
	return (unsigned long)__builtin_frame_address(0);
}
#endif /* __ASSEMBLY__ */

#endif /* ASM_PROCESSOR_H */
