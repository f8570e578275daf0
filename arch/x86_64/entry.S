/* SPDX-License-Identifier: MIT */
/*
 * x86_64 interrupt and exception entry: one 16-byte stub per IDT vector, all funnelling into
 * x86_common_entry, which saves the registers as a struct pt_regs (trap.h) and calls
 * x86_trap(regs). Every gate is an interrupt gate, so IF is clear on entry.
 *
 * The CPU pushes ss, rsp, rflags, cs, rip (and for some exceptions an error code) after
 * aligning RSP down to 16 bytes. The stub pushes a zero error code where the CPU does not,
 * so that every frame has the same shape, then the vector number.
 */
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/trap.h"

/*
 * Bit n set: vector n pushes an error code (#DF #TS #NP #SS #GP #PF #AC #CP #VC #SX).
 * Intel SDM vol. 3, table 6-1; AMD APM vol. 2, table 8-1.
 */
#define ERROR_CODE_VECTORS \
	((1 << 8) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14) | \
	 (1 << 17) | (1 << 21) | (1 << 29) | (1 << 30))

#define STUB_SIZE	16

	.text
	.balign	STUB_SIZE
	.globl	x86_vector_stubs, x86_vector_stubs_end
x86_vector_stubs:
	vector = 0
	.rept	NR_VECTORS
	.balign	STUB_SIZE
	.if	vector < 32
	.if	((ERROR_CODE_VECTORS >> vector) & 1) == 0
	pushq	$0
	.endif
	.else
	pushq	$0
	.endif
	pushq	$vector
	jmp	x86_common_entry
	vector = vector + 1
	.endr
	.balign	STUB_SIZE
x86_vector_stubs_end:		/* the linker checks this is NR_VECTORS * STUB_SIZE */

x86_common_entry:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld					/* the C ABI expects DF clear */
	movq	%rsp, %rdi			/* struct pt_regs * */
	/*
	 * A frame record (saved rbp, return address) naming the interrupted code, with rbp at
	 * it: a backtrace taken inside the handler continues into the interrupted function.
	 * 22 quadwords are on the stack so far and the CPU aligned it, so after these two the
	 * call below sees the 16-byte alignment the ABI wants.
	 */
	pushq	PT_RIP(%rdi)
	pushq	PT_RBP(%rdi)
	movq	%rsp, %rbp
	call	x86_trap
	addq	$16, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp			/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
