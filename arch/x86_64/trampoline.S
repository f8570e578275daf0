/* SPDX-License-Identifier: MIT */
/*
 * The AP start-up trampoline: real mode -> 32-bit protected mode -> long mode -> the kernel.
 *
 * A STARTUP IPI starts a CPU in real mode at CS:IP = (vector << 8):0000, so this code must sit
 * in a 4 KiB page below 1 MiB. smpboot.c copies the bytes between x86_trampoline_start and
 * x86_trampoline_end to X86_TRAMPOLINE_PHYS (0x8000: vector 0x08) and fills the parameter
 * block at the end. The blob lives in .rodata: it is data to the kernel, code only once copied.
 *
 * Every address here is computed for the copy: TR(sym) is sym's physical address in
 * the copy. Real mode reaches data as offsets from DS = CS; 32-bit code uses TR()
 * with the trampoline GDT's flat segments; 64-bit code uses RIP-relative addressing, which
 * the assembler resolves within this section.
 *
 * Paging: the kernel's own tables no longer map low memory (arch_mm_init() dropped the
 * identity map, and the direct map is not executable), and CR3 can be loaded with at most
 * 32 bits in protected mode. So the AP first runs on a trampoline PML4 below 4 GiB that
 * shares the kernel's upper-half entries and adds an executable identity map of the first
 * 2 MiB; once it executes in the higher half it switches to the kernel's CR3.
 */
#include "arch/x86_64/segment.h"
#include "arch/x86_64/smpboot.h"
#include <asm/processor.h>

#define TR(sym)		(TRAMP_PHYS + ((sym) - x86_trampoline_start))

/* Trampoline GDT selectors (the kernel's GDT is loaded later by x86_gdt_init()). */
#define TR_CS32		0x08
#define TR_DS		0x10
#define TR_CS64		0x18

#define CR0_ET		0x00000010	/* bit 4: x87 present (hard-wired on modern CPUs) */
#define CR0_NE		0x00000020	/* bit 5: native x87 error reporting */

	.section .rodata.trampoline, "a"
	.balign	16
	.globl	x86_trampoline_start, x86_trampoline_end, x86_trampoline_params

	.code16
x86_trampoline_start:
	cli
	cld
	movw	%cs, %ax			/* CS = 0x0800: data at offsets from the page */
	movw	%ax, %ds
	lgdtl	(tr_gdt_ptr - x86_trampoline_start)
	movl	%cr0, %eax
	orl	$X86_CR0_PE, %eax
	movl	%eax, %cr0
	/* A far jump loads CS from the new GDT: 32-bit protected mode from here. */
	ljmpl	$TR_CS32, $TR(tr_start32)

	.code32
tr_start32:
	movl	$TR_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Long mode: PAE, CR3, EFER.LME (and NXE: the kernel's tables use NX), paging on. */
	movl	TR(x86_trampoline_params) + TRAMP_CR4, %eax
	movl	%eax, %cr4
	movl	TR(x86_trampoline_params) + TRAMP_PML4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	TR(x86_trampoline_params) + TRAMP_EFER, %eax
	movl	TR(x86_trampoline_params) + TRAMP_EFER + 4, %edx
	wrmsr
	/*
	 * INIT left CR0 = 0x60000010: caching disabled (CD, NW). Write the whole register
	 * rather than OR into it, so the AP runs with caches on like the boot CPU.
	 */
	movl	$(X86_CR0_PG | X86_CR0_WP | CR0_NE | CR0_ET | X86_CR0_PE), %eax
	movl	%eax, %cr0
	/* Compatibility mode now; a far jump through a 64-bit code segment enters long mode. */
	ljmpl	$TR_CS64, $TR(tr_start64)

	.code64
tr_start64:
	/* Still at the identity address; the parameters are RIP-relative neighbours. */
	movq	(x86_trampoline_params + TRAMP_CR3)(%rip), %rax
	movq	(x86_trampoline_params + TRAMP_STACK)(%rip), %rsp
	movq	(x86_trampoline_params + TRAMP_CPU)(%rip), %rdi
	movq	(x86_trampoline_params + TRAMP_ENTRY)(%rip), %rbx
	jmp	*%rbx				/* to x86_ap_entry64, in the higher half */

	.balign	8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 32-bit code: flat 4 GiB, execute/read */
	.quad	0x00cf92000000ffff		/* data: flat 4 GiB, read/write */
	.quad	GDT_DESC_KERNEL_CS		/* 64-bit code */
tr_gdt_end:
tr_gdt_ptr:					/* lgdtl: 16-bit limit, 32-bit linear base */
	.word	tr_gdt_end - tr_gdt - 1
	.long	TR(tr_gdt)

	.balign	8
x86_trampoline_params:				/* struct x86_trampoline_params */
	.skip	TRAMP_PARAMS_SIZE
x86_trampoline_end:

/*
 * The AP in the kernel's address space, still on the trampoline page tables:
 * rax = kernel CR3, rsp = its stack, rdi = its CPU number.
 */
	.text
	.globl	x86_ap_entry64
x86_ap_entry64:
	movq	%rax, %cr3			/* the kernel's tables: the identity map goes away */
	xorl	%ebp, %ebp			/* end of the frame-pointer chain for backtraces */
	call	x86_ap_start			/* never returns */
1:	cli
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
