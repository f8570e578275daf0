/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 trap vector (stvec, direct mode): every interrupt and exception enters here.
 *
 * There is no user mode, so a trap always comes from the kernel and the current stack is a
 * kernel stack: the frame (struct pt_regs, asm/trap.h) goes right below the interrupted sp,
 * unless that sp is at the stack's guard page (then on the CPU's overflow stack).
 * Hardware has already cleared sstatus.SIE (copying it to SPIE), so nothing nests unless the
 * handler enables interrupts itself. sret restores SIE from SPIE and returns to sepc.
 *
 * The frame ends with a frame record {interrupted s0, sepc} and s0 points just past it, so a
 * backtrace taken inside the handler walks from the handler into the interrupted function
 * as if it had called us.
 */
#include "arch/riscv64/cpu_local.h"
#include "arch/riscv64/trap.h"

#define PAGE_SHIFT	12

	.section .text
	.align	2			/* stvec direct mode: 4-byte aligned */
	.globl	riscv_trap_entry
riscv_trap_entry:
	/*
	 * Which stack? Normally the interrupted one. But if sp is in its CPU's guard page or
	 * in the page just above it (a stack overflow, or one frame away from one), storing
	 * the frame there would fault again, and again, forever: use the CPU's overflow stack.
	 * sscratch holds this CPU's struct riscv_cpu_local (riscv_trap_init()); it gives us a
	 * place to park t0, t1 and sp while we decide, and gets its value back at once, so a
	 * fault in the code below still finds it.
	 */
	csrrw	t0, sscratch, t0		/* t0 = cpu local, sscratch = interrupted t0 */
	sd	t1, RISCV_CPU_LOCAL_TRAP_T1(t0)
	csrrw	t1, sscratch, t0		/* t1 = interrupted t0, sscratch = cpu local */
	sd	t1, RISCV_CPU_LOCAL_TRAP_T0(t0)
	sd	sp, RISCV_CPU_LOCAL_TRAP_SP(t0)
	ld	t1, RISCV_CPU_LOCAL_STACK_GUARD(t0)
	beqz	t1, 1f				/* no guard page on this CPU */
	sub	t1, sp, t1
	srli	t1, t1, PAGE_SHIFT		/* 0: sp in the guard, 1: in the page above */
	sltiu	t1, t1, 2
	beqz	t1, 1f
	ld	sp, RISCV_CPU_LOCAL_OVERFLOW_SP(t0)
1:
	addi	sp, sp, -PT_SIZE
	sd	x1, PT_REG(1)(sp)
	.irp	n, 3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, PT_REG(\n)(sp)
	.endr
	/* t0, t1 and sp as they were before the trap, from where we parked them. */
	ld	t1, RISCV_CPU_LOCAL_TRAP_T0(t0)
	sd	t1, PT_REG(5)(sp)
	ld	t1, RISCV_CPU_LOCAL_TRAP_T1(t0)
	sd	t1, PT_REG(6)(sp)
	ld	t1, RISCV_CPU_LOCAL_TRAP_SP(t0)
	sd	t1, PT_REG(2)(sp)

	csrr	t0, sepc
	csrr	t1, sstatus
	csrr	t2, scause
	csrr	t3, stval
	sd	t0, PT_SEPC(sp)
	sd	t1, PT_SSTATUS(sp)
	sd	t2, PT_SCAUSE(sp)
	sd	t3, PT_STVAL(sp)

	/* Frame record: fp - 16 = interrupted s0, fp - 8 = sepc (its "return address"). */
	sd	s0, PT_FRAME_FP(sp)
	sd	t0, PT_FRAME_RA(sp)
	addi	s0, sp, PT_FRAME_RA + 8

	mv	a0, sp
	call	riscv_trap_handler

	/*
	 * Restore sepc and sstatus first (the handler may have changed sepc, e.g. to skip an
	 * instruction); sstatus brings back SPP and SPIE, so sret returns to the right mode with
	 * the right interrupt state.
	 */
	ld	t0, PT_SEPC(sp)
	ld	t1, PT_SSTATUS(sp)
	csrw	sepc, t0
	csrw	sstatus, t1
	ld	x1, PT_REG(1)(sp)
	.irp	n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, PT_REG(\n)(sp)
	.endr
	/* sp last: it is the base of every load above. */
	ld	sp, PT_REG(2)(sp)
	sret
