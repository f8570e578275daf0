/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 trap frame: what arch/riscv64/trap.S saves on the stack at every trap.
 *
 * Registers x1..x31 are stored in register-number order at (n - 1) * 8, then the trap CSRs,
 * then a frame record (saved fp, return address = sepc) that makes frame-pointer backtraces
 * walk from the handler straight into the interrupted code.
 */
#ifndef ARCH_RISCV64_TRAP_H
#define ARCH_RISCV64_TRAP_H

/* Byte offsets used by trap.S (checked by static_assert in arch/riscv64/traps.c). */
#define PT_REG(n)	(((n) - 1) * 8)	/* xn, n = 1..31 */
#define PT_SEPC		248
#define PT_SSTATUS	256
#define PT_SCAUSE	264
#define PT_STVAL	272
#define PT_FRAME_FP	280
#define PT_FRAME_RA	288
#define PT_SIZE		304		/* a multiple of 16: the psABI stack alignment */

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

struct pt_regs {
	unsigned long ra;		/* x1 */
	unsigned long sp;		/* x2: the value before the trap */
	unsigned long gp;		/* x3 */
	unsigned long tp;		/* x4 */
	unsigned long t0, t1, t2;	/* x5-x7 */
	unsigned long s0, s1;		/* x8-x9 (s0 is the frame pointer) */
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;	/* x10-x17 */
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;	/* x18-x27 */
	unsigned long t3, t4, t5, t6;	/* x28-x31 */
	unsigned long sepc;		/* where the trap happened; sret returns there */
	unsigned long sstatus;		/* SPP/SPIE tell the state before the trap */
	unsigned long scause;		/* interrupt flag and cause code */
	unsigned long stval;		/* faulting address or instruction, per cause */
	unsigned long frame_fp;		/* frame record: the interrupted s0 ... */
	unsigned long frame_ra;		/* ... and sepc, as if sepc had called us */
	unsigned long pad;
};

/* C entry from trap.S, with interrupts off. */
void riscv_trap_handler(struct pt_regs *regs);
/* Print registers and a backtrace of a trap frame (used by the fatal-trap path). */
void riscv_show_regs(const struct pt_regs *regs);
#endif /* __ASSEMBLY__ */

#endif /* ARCH_RISCV64_TRAP_H */
