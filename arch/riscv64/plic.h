/* SPDX-License-Identifier: MIT */
/*
 * The PLIC driver's entry points for the rest of the riscv64 port (arch/riscv64/plic.c).
 * Generic code reaches it through arch_platform_irq() (arch/arch.h) and kernel/irq.h.
 */
#ifndef ARCH_RISCV64_PLIC_H
#define ARCH_RISCV64_PLIC_H

/* Set up the PLIC from boot_info, then the boot hart's context. Boot CPU, IRQs off. */
void plic_init(void);
/* This hart's S-mode context and sie.SEIE. The hart itself, IRQs off, before online. */
void plic_init_hart(void);
/* scause 9: claim, dispatch, complete. The hart that trapped, IRQs off. */
void plic_handle_irq(void);

#endif /* ARCH_RISCV64_PLIC_H */
