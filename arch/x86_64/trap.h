/* SPDX-License-Identifier: MIT */
/*
 * x86_64 traps and interrupts: the register frame entry.S builds, the IDT, and the C entry
 * point every vector reaches. Offsets are usable from assembly; traps.c checks them against
 * the struct at compile time.
 *
 * Frame layout, lowest address first (entry.S pushes the GPRs, rax first, r15 last):
 *	r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax	(entry.S)
 *	vector error_code						(stub; 0 if none)
 *	rip cs rflags rsp ss						(the CPU)
 */
#ifndef ARCH_X86_64_TRAP_H
#define ARCH_X86_64_TRAP_H

#define PT_RBP		64
#define PT_VECTOR	120
#define PT_RIP		136
#define PT_REGS_SIZE	176

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;		/* pushed by the stub: which IDT entry */
	u64 error_code;		/* pushed by the CPU for some exceptions, else 0 by the stub */
	u64 rip, cs, rflags, rsp, ss;	/* the CPU's interrupt frame */
};

/* Fill the IDT (once) and load it on this CPU. Boot CPU, IRQs off, before any C fault. */
void x86_idt_init(void);
/* Load the already-built IDT on a secondary CPU. */
void x86_idt_load(void);
/* The C entry of every vector, called by entry.S with IRQs off. */
void x86_trap(struct pt_regs *regs);
/* A device vector (arch/x86_64/irq.c). IRQs off, interrupt context. */
void x86_irq_vector(unsigned int vector);
#endif

#endif /* ARCH_X86_64_TRAP_H */
