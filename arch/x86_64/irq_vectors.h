/* SPDX-License-Identifier: MIT */
/*
 * x86_64 interrupt vector assignment (Linux: arch/x86/include/asm/irq_vectors.h).
 *
 *	0x00-0x1f  CPU exceptions (fixed by the architecture)
 *	0x20-0x2f  the two 8259 PICs, remapped here so their spurious IRQs 7 and 15 cannot be
 *		   mistaken for exceptions; both are masked, so only spurious ones arrive
 *	0x30-0xeb  device interrupts (MSI/MSI-X), allocated per CPU (arch/x86_64/irq.c)
 *	0xec       local APIC timer -> timer_interrupt()
 *	0xfc       cross-CPU call IPI -> smp_ipi_handler()
 *	0xff       local APIC spurious interrupt (needs no EOI)
 *
 * The APIC vectors are high because the local APIC prioritises by vector >> 4: IPIs and the
 * timer should win over device interrupts, which go in between.
 */
#ifndef ARCH_X86_64_IRQ_VECTORS_H
#define ARCH_X86_64_IRQ_VECTORS_H

#define NR_EXCEPTION_VECTORS	32
#define PIC_VECTOR_BASE		0x20	/* IRQ 0..7 -> 0x20..0x27 (master) */
#define PIC_SLAVE_VECTOR_BASE	0x28	/* IRQ 8..15 -> 0x28..0x2f (slave) */
#define PIC_VECTOR_END		0x30
#define FIRST_DEVICE_VECTOR	0x30
#define LAST_DEVICE_VECTOR	0xeb	/* just below the timer: every device loses to it */
#define TIMER_VECTOR		0xec
#define IPI_VECTOR		0xfc
#define SPURIOUS_APIC_VECTOR	0xff
#define NR_VECTORS		256

/* Exceptions that push an error code: 8 #DF, 10 #TS, 11 #NP, 12 #SS, 13 #GP, 14 #PF, 17 #AC,
 * 21 #CP, 29 #VC, 30 #SX. entry.S pushes a zero for every other vector. */
#define X86_TRAP_DF		8
#define X86_TRAP_PF		14

#endif /* ARCH_X86_64_IRQ_VECTORS_H */
