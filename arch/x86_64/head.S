/* SPDX-License-Identifier: MIT */
/*
 * x86_64 entry from GRUB: the multiboot2 header, then 32-bit protected mode -> long mode ->
 * the higher half -> x86_64_start_kernel() (setup.c).
 *
 * GRUB loads the ELF by its physical (load) addresses, from KERNEL_PHYS_BASE (1 MiB) up, and
 * jumps to _start in 32-bit protected mode with paging off, EAX = 0x36d76289 and EBX = the
 * physical address of the boot information.
 *
 * This file's .head.* sections (the header, the 32-bit code and its data) are linked at their
 * physical address: GRUB insists that the ELF entry point lie inside a segment and below
 * 4 GiB. Everything else, .bss included, is linked at KERNEL_VIRT_BASE + its physical
 * address, so until paging is on the code here reaches it as PHYS(symbol).
 *
 * The boot page tables map the first BOOT_DIRECT_MAP_SIZE (1 GiB) of physical memory three
 * times with one page directory of 2 MiB pages:
 *	identity	(PML4 slot 0)	this code keeps running after CR0.PG flips on
 *	PAGE_OFFSET	(PML4 slot 273)	the direct map: early C reaches the boot info and
 *					memblock's first allocations here
 *	KERNEL_VIRT_BASE (slot 511, PDPT 510)	the kernel image, -mcmodel=kernel
 * arch_mm_init() (mm.c) later switches to tables that map all RAM at PAGE_OFFSET and the
 * image section by section with its permissions, without the identity map.
 */
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/segment.h"
#include "boot/multiboot2.h"
#include <asm/processor.h>

#define PHYS(sym)	((sym) - X86_KERNEL_VIRT_BASE)

#define COM1		0x3f8
#define VGA_TEXT	0xb8000
#define BOOT_STACK_SIZE	32768

/* ---- Multiboot2 header: GRUB looks for it in the first 32 KiB (linker ASSERT). ---- */
	.section .head.multiboot2, "a"
	.balign MB2_HEADER_ALIGN
	.globl mb2_header
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	MB2_ARCH_I386			/* 32-bit protected mode entry */
	.long	mb2_header_end - mb2_header
	/* magic + arch + length + checksum must be 0 modulo 2^32 */
	.long	0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* Entry address tag: GRUB jumps here (the ELF entry is the same physical address). */
	.balign	MB2_TAG_ALIGN
	.word	MB2_HEADER_TAG_ENTRY_ADDRESS, 0
	.long	12
	.long	_start

	/* End tag. */
	.balign	MB2_TAG_ALIGN
	.word	MB2_HEADER_TAG_END, 0
	.long	8
mb2_header_end:

/* ---- 32-bit entry ---- */
	.section .head.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl	%eax, %esi			/* keep the magic: rep stos uses eax */

	/*
	 * Clear .bss before anything lives there: the page tables and the stack below do.
	 * GRUB zeroes it too when it loads the ELF, but a kernel should not depend on that.
	 */
	movl	$PHYS(__bss_start), %edi
	movl	$PHYS(__bss_end), %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb

	movl	$PHYS(boot_stack_top), %esp
	movl	%ebx, PHYS(boot_mb2_info)		/* cpuid below clobbers ebx */

	cmpl	$MB2_BOOTLOADER_MAGIC, %esi
	jne	.Lbad_magic

	/* CPUID exists if EFLAGS.ID (bit 21) can be flipped. */
	pushfl
	popl	%eax
	movl	%eax, %ecx
	xorl	$(1 << 21), %eax
	pushl	%eax
	popfl
	pushfl
	popl	%eax
	pushl	%ecx
	popfl
	cmpl	%eax, %ecx
	je	.Lno_long_mode

	/* Long mode is CPUID 0x80000001 EDX bit 29; the leaf must exist first. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	.Lno_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$(1 << 29), %edx
	jz	.Lno_long_mode
	movl	%edx, %ebp			/* bit 20: NX, used below */

	/* One page directory of 512 2 MiB pages: physical [0, 1 GiB). */
	movl	$PHYS(boot_pd), %edi
	movl	$(PTE_PRESENT | PTE_RW | PTE_PS), %eax
	movl	$PTRS_PER_TABLE, %ecx
1:	movl	%eax, (%edi)			/* the high half stays 0: all below 4 GiB */
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b

	/* Three PDPTs share it: identity, direct map, kernel (see the top of this file). */
	movl	$(PHYS(boot_pd) + PTE_PRESENT + PTE_RW), %eax
	movl	%eax, PHYS(boot_pdpt_ident)
	movl	%eax, PHYS(boot_pdpt_direct)
	movl	%eax, PHYS(boot_pdpt_kernel) + KERNEL_PDPT_INDEX * 8
	movl	$(PHYS(boot_pdpt_ident) + PTE_PRESENT + PTE_RW), %eax
	movl	%eax, PHYS(boot_pml4)
	movl	$(PHYS(boot_pdpt_direct) + PTE_PRESENT + PTE_RW), %eax
	movl	%eax, PHYS(boot_pml4) + DIRECT_PML4_INDEX * 8
	movl	$(PHYS(boot_pdpt_kernel) + PTE_PRESENT + PTE_RW), %eax
	movl	%eax, PHYS(boot_pml4) + KERNEL_PML4_INDEX * 8

	/* Long mode: PAE paging, CR3, EFER.LME, then paging on activates it (EFER.LMA). */
	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	testl	$(1 << 20), %ebp
	jz	2f
	orl	$EFER_NXE, %eax			/* NX pages become possible later */
2:	wrmsr
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	movl	%eax, %cr0

	/* Now in compatibility mode: a far jump through a 64-bit code segment enters long mode. */
	lgdt	boot_gdt_ptr
	ljmp	$KERNEL_CS, $.Lstart64_low

.Lbad_magic:
	movl	$msg_bad_magic, %esi
	jmp	.Lfail32
.Lno_long_mode:
	movl	$msg_no_long_mode, %esi
.Lfail32:
	call	early_puts32
3:	cli
	hlt
	jmp	3b

/*
 * Print the NUL-terminated string at %esi on COM1 (programmed for 115200 8N1 here, because
 * whoever jumped to us with a bad magic may not have) and at the top of the VGA text screen,
 * white on red. Clobbers eax, ecx, edx, esi, edi.
 */
early_puts32:
	movw	$COM1 + 1, %dx			/* IER: no interrupts */
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx			/* LCR: DLAB on to reach the divisor */
	movb	$0x80, %al
	outb	%al, %dx
	movw	$COM1 + 0, %dx			/* divisor 1 = 115200 baud */
	movb	$1, %al
	outb	%al, %dx
	movw	$COM1 + 1, %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx			/* LCR: 8N1, DLAB off */
	movb	$0x03, %al
	outb	%al, %dx
	movl	$VGA_TEXT, %edi
.Lputs_next:
	movb	(%esi), %al
	testb	%al, %al
	jz	.Lputs_done
	movb	%al, %ah
	cmpb	$0x20, %al			/* control characters (\r\n) only go to COM1 */
	jb	.Lputs_serial
	movb	%al, (%edi)			/* VGA cell: character, attribute */
	movb	$0x4f, 1(%edi)
	addl	$2, %edi
.Lputs_serial:
	movl	$100000, %ecx			/* bounded wait: a missing UART must not hang us */
	movw	$COM1 + 5, %dx			/* LSR bit 5: transmit holding register empty */
.Lputs_wait:
	inb	%dx, %al
	testb	$0x20, %al
	jnz	.Lputs_send
	loop	.Lputs_wait
.Lputs_send:
	movw	$COM1, %dx
	movb	%ah, %al
	outb	%al, %dx
	incl	%esi
	jmp	.Lputs_next
.Lputs_done:
	ret

/* ---- 64-bit, still running at the identity address ---- */
	.code64
.Lstart64_low:
	movabsq	$start64, %rax			/* an absolute jump to the higher half */
	jmp	*%rax

	.text
start64:
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs			/* GS base is set by x86_cpu_local_init() */
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp			/* end of the frame-pointer chain for backtraces */
	movl	boot_mb2_info(%rip), %edi	/* zero-extended: the info is below 4 GiB */
	call	x86_64_start_kernel
4:	cli
	hlt
	jmp	4b

	.section .head.data, "a"
	.balign 8
/* Temporary GDT until x86_gdt_init() loads the per-CPU one: flat 64-bit code and data. */
boot_gdt:
	.quad	0
	.quad	GDT_DESC_KERNEL_CS
	.quad	GDT_DESC_KERNEL_DS
boot_gdt_end:
boot_gdt_ptr:					/* lgdt in 32-bit mode: 16-bit limit, 32-bit base */
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

msg_bad_magic:
	.asciz	"Tessera: not started by a multiboot2 loader (bad magic in EAX); halting.\r\n"
msg_no_long_mode:
	.asciz	"Tessera: this CPU has no 64-bit long mode; halting.\r\n"

	.bss
	.balign 4096
/* The boot page tables (see the top of this file); arch_mm_init() replaces them. */
boot_pml4:
	.skip	4096
boot_pdpt_ident:
	.skip	4096
boot_pdpt_direct:
	.skip	4096
boot_pdpt_kernel:
	.skip	4096
boot_pd:
	.skip	4096

	/*
	 * arch_mm_init() leaves this page unmapped: a stack overflow then faults (and, with no
	 * stack left to deliver the fault on, becomes a #DF on IST1) instead of silently
	 * overwriting whatever lies below.
	 */
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.skip	4096
boot_stack:					/* CPU 0's stack for its whole life */
	.skip	BOOT_STACK_SIZE
boot_stack_top:

	.balign 4
boot_mb2_info:					/* physical address of the multiboot2 info */
	.long	0

	.section .note.GNU-stack, "", @progbits
