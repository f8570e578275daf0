/* SPDX-License-Identifier: MIT */
/* The legacy 8259 PIC pair: remapped off the exception vectors and masked for good. */
#ifndef ARCH_X86_64_I8259_H
#define ARCH_X86_64_I8259_H

/* Remap IRQ 0-15 to PIC_VECTOR_BASE.. and mask every line. Boot CPU, IRQs off. */
void i8259_init(void);
/* A vector in the PIC range arrived (`irq` 0-15): acknowledge or drop it. IRQs off. */
void i8259_spurious(unsigned int irq);

#endif /* ARCH_X86_64_I8259_H */
