/* SPDX-License-Identifier: MIT */
/*
 * Starting the application processors (APs): the real-mode trampoline (trampoline.S) and the
 * parameters the boot CPU leaves inside it for the AP being started. Offsets are usable from
 * assembly; smpboot.c checks them against the struct at compile time.
 */
#ifndef ARCH_X86_64_SMPBOOT_H
#define ARCH_X86_64_SMPBOOT_H

/* = X86_TRAMPOLINE_PHYS (asm/memory.h's is a C "UL" constant; smpboot.c checks both agree). */
#define TRAMP_PHYS	0x8000
#define TRAMP_SIPI_VECTOR (TRAMP_PHYS >> 12)	/* a STARTUP IPI names the 4 KiB page */

#define TRAMP_PML4	0	/* u32: physical address of the trampoline PML4, < 4 GiB */
#define TRAMP_CR4	4	/* u32: CR4 for long mode (PAE at least) */
#define TRAMP_EFER	8	/* u64: EFER to load (LME, and NXE if the boot CPU has it) */
#define TRAMP_ENTRY	16	/* u64: x86_ap_entry64, a kernel virtual address */
#define TRAMP_CR3	24	/* u64: the kernel's page tables */
#define TRAMP_STACK	32	/* u64: top of the AP's stack (virtual) */
#define TRAMP_CPU	40	/* u64: the AP's logical CPU number */
#define TRAMP_PARAMS_SIZE 48

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

struct x86_trampoline_params {
	u32 pml4;
	u32 cr4;
	u64 efer;
	u64 entry;
	u64 cr3;
	u64 stack;
	u64 cpu;
};

/* trampoline.S: the blob copied to X86_TRAMPOLINE_PHYS, and its parameter block. */
extern const u8 x86_trampoline_start[], x86_trampoline_end[];
extern u8 x86_trampoline_params[];
/* trampoline.S: where an AP lands in the kernel's address space (rdi = cpu). */
void x86_ap_entry64(void);
/* smpboot.c: the AP's first C, on its own stack. */
__noreturn void x86_ap_start(unsigned int cpu);
#endif

#endif /* ARCH_X86_64_SMPBOOT_H */
