/* SPDX-License-Identifier: MIT */
/*
 * riscv64 supervisor CSRs: their bits and the csr_read()/csr_write() helpers.
 * Numbers and bit positions are from the RISC-V privileged specification (v1.12).
 */
#ifndef ASM_CSR_H
#define ASM_CSR_H

/* sstatus */
#define SR_SIE		(1UL << 1)	/* supervisor interrupts enabled */
#define SR_SPIE		(1UL << 5)	/* SIE before the trap: sret restores it */
#define SR_SPP		(1UL << 8)	/* privilege before the trap: 1 = S-mode */
#define SR_FS		(3UL << 13)	/* FPU state: 0 = Off, so any FP instruction traps */
#define SR_SUM		(1UL << 18)	/* S-mode may touch U pages (unused: no user mode) */

/* sie / sip: one bit per supervisor interrupt source, numbered like scause codes */
#define IRQ_S_SOFT	1		/* supervisor software interrupt: our IPI */
#define IRQ_S_TIMER	5		/* supervisor timer (SBI set_timer or Sstc) */
#define IRQ_S_EXT	9		/* supervisor external (PLIC/APLIC) */
#define SIE_SSIE	(1UL << IRQ_S_SOFT)
#define SIE_STIE	(1UL << IRQ_S_TIMER)
#define SIE_SEIE	(1UL << IRQ_S_EXT)

/* scause: the top bit tells interrupts from exceptions; the rest is the code. */
#define CAUSE_IRQ_FLAG	(1UL << 63)
#define CAUSE_CODE(c)	((c) & ~CAUSE_IRQ_FLAG)

/* Exception codes (scause with the top bit clear). */
#define EXC_INST_MISALIGNED	0
#define EXC_INST_ACCESS		1
#define EXC_ILLEGAL_INST	2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_U		8
#define EXC_ECALL_S		9
#define EXC_INST_PAGE_FAULT	12
#define EXC_LOAD_PAGE_FAULT	13
#define EXC_STORE_PAGE_FAULT	15

/* satp: the top four bits are the translation mode; 0 is Bare (no translation). */
#define SATP_MODE_SHIFT	60
#define SATP_MODE_BARE	0UL

#ifndef __ASSEMBLY__
/*
 * The CSR name is pasted into the instruction, so these only take literal names:
 * csr_read(sstatus). The "memory" clobber keeps the compiler from moving memory accesses
 * across a CSR access that changes what they mean (sstatus.SIE around a critical section).
 */
#define csr_read(csr) ({						\
	unsigned long __v;						\
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) : : "memory"); \
	__v;								\
})

#define csr_write(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrw " #csr ", %0" : : "rK"(__v) : "memory"); \
})

/* Atomically set bits and return the old value (csrrs). */
#define csr_read_set(csr, val) ({					\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrrs %0, " #csr ", %1"			\
			     : "=r"(__v) : "rK"(__v) : "memory");	\
	__v;								\
})

/* Atomically clear bits and return the old value (csrrc). */
#define csr_read_clear(csr, val) ({					\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrrc %0, " #csr ", %1"			\
			     : "=r"(__v) : "rK"(__v) : "memory");	\
	__v;								\
})

#define csr_set(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrs " #csr ", %0" : : "rK"(__v) : "memory"); \
})

#define csr_clear(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrc " #csr ", %0" : : "rK"(__v) : "memory"); \
})
#endif /* __ASSEMBLY__ */

#endif /* ASM_CSR_H */
