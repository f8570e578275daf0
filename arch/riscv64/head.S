/* SPDX-License-Identifier: MIT */
/*
 * riscv64 entry: the RISC-V Linux Image header, then the first instructions the boot hart
 * runs, in S-mode, as OpenSBI (QEMU -kernel with -bios fw_dynamic.bin) or U-Boot (booti)
 * leave it: a0 = hart id, a1 = physical address of the FDT, translation off (satp = Bare),
 * interrupts off. Only the hart that won OpenSBI's boot lottery gets here; whatever its id,
 * it becomes logical CPU 0.
 *
 * Position: the kernel is linked at KERNEL_LINK_ADDR (0x80200000), where QEMU and U-Boot
 * put it on virt and sifive_u, but runs wherever it is loaded. Code is position-independent
 * by construction (-mcmodel=medany reaches every symbol PC-relatively); what depends on the
 * load address are the 64-bit absolute addresses stored in data (function pointers, string
 * tables). The build lists them (arch/riscv64/tools/relocs.py, from the records ld keeps
 * with --emit-relocs) in the .riscv_relocs table, and we add the difference between where
 * we run and where we were linked to each of them. On QEMU the difference is 0 and nothing
 * changes; on a board whose RAM starts elsewhere (U-Boot's booti moves the Image to RAM base
 * + text_offset, 0x40200000 on a VisionFive 2) the same Image runs unchanged. (A static PIE
 * would do the same with .rela.dyn, but the bare-metal riscv64-unknown-elf ld has no -pie.)
 * A load address that is not page aligned is reported through the SBI legacy console and
 * stops the hart: never a silent hang.
 *
 * What happens, in order: interrupts and FPU off, an early trap vector that prints, the
 * alignment check, relocation, BSS cleared, the boot stack, tp = CPU 0's per-CPU header,
 * then riscv_boot() in C (arch/riscv64/setup.c), which parses the FDT and calls
 * start_kernel().
 */
#include <asm/csr.h>
#include <asm/memory.h>
#include "arch/riscv64/cpu_local.h"

/* Room for this many relocated words; relocs.py fails the build if it is not enough. */
#define RISCV_RELOCS_MAX	4096
#define SBI_LEGACY_PUTCHAR	1
#define BOOT_STACK_SIZE		0x4000	/* 16 KiB: the boot CPU's stack for all of boot */

	.section .head.text, "ax"
	.globl	_start
_start:
	/*
	 * The 64-byte Image header (Linux Documentation/arch/riscv/boot-image-header.rst).
	 * code0/code1 are executed: a 4-byte jump over the header (norvc, so the assembler
	 * cannot shrink it to a 2-byte c.j) and a filler word.
	 */
	.option	push
	.option	norvc
	j	.Lentry			/* code0 */
	.word	0			/* code1 */
	.option	pop
	.dword	KERNEL_TEXT_OFFSET	/* text_offset: load at RAM base + 2 MiB */
	.dword	_end - _start		/* image_size: what the loader must leave free */
	.dword	0			/* flags: bit 0 clear = little-endian kernel */
	.word	2			/* version 0.2 (major << 16 | minor) */
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated, still checked by U-Boot) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* res3: offset of a PE header: none, no EFI stub */

.Lentry:
	/* Nothing may interrupt us until the trap vector and stack exist. */
	csrw	sie, zero
	csrci	sstatus, SR_SIE
	/* FPU off: -march has no F/D, and FS = Off makes a stray FP instruction trap. */
	li	t0, SR_FS
	csrc	sstatus, t0

	mv	s1, a0			/* hart id */
	mv	s2, a1			/* FDT physical address */

	/* Until C sets the real vector, any trap prints scause/sepc/stval and stops. */
	lla	t0, early_trap
	csrw	stvec, t0

	/* Where are we? lla is PC-relative, so this is the run-time address. */
	lla	s3, _start
	li	t0, KERNEL_LOAD_ALIGN - 1
	and	t0, s3, t0
	bnez	t0, .Lmisaligned

	/* s4 = run-time minus link-time address: 0 on QEMU. */
	li	t0, KERNEL_LINK_ADDR
	sub	s4, s3, t0

	/*
	 * Relocate: add s4 to every word the table lists. Only when s4 != 0: the fix-up is an
	 * addition, so it must happen exactly once, and at the link address there is nothing
	 * to do. Table: u32 count, then u32 offsets from _start (filled in by relocs.py).
	 */
	beqz	s4, .Lrelocated
	lla	t0, __riscv_relocs
	lwu	t1, 0(t0)
	addi	t0, t0, 4
1:	beqz	t1, 2f
	lwu	t2, 0(t0)
	add	t2, t2, s3		/* the word's run-time address */
	ld	t3, 0(t2)
	add	t3, t3, s4
	sd	t3, 0(t2)
	addi	t0, t0, 4
	addi	t1, t1, -1
	j	1b
2:
	/*
	 * This hart sees its own stores in order, but instruction fetch need not: should a
	 * patched word ever sit in .text (hand-written assembly can put one there), fence.i
	 * makes later fetches see it.
	 */
	fence.i
.Lrelocated:

	/* Clear BSS (8-byte aligned at both ends, see linker/riscv64.ld). */
	lla	t0, __bss_start
	lla	t1, __bss_end
3:	bgeu	t0, t1, 4f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	3b
4:
	lla	sp, boot_stack_top
	/* tp: CPU 0's per-CPU header (kernel/percpu.c); its cpu field is already 0. */
	lla	tp, percpu_boot_hdr
	/* s0 = 0 ends every frame-pointer backtrace here. */
	li	s0, 0

	mv	a0, s1
	mv	a1, s2
	mv	a2, s4
	call	riscv_boot
	/* riscv_boot() does not return; if it ever did, stop rather than run off. */
	j	early_halt

/*
 * riscv_secondary_entry: where SBI HSM hart_start sends every other hart (arch/riscv64/smp.c
 * passes this label's run-time address, so a relocated Image works too). The firmware leaves
 * the hart in S-mode with translation off, sstatus.SIE clear, a0 = hart id and a1 = the
 * opaque word: the hart's struct riscv_cpu_local, which holds its stack top and its per-CPU
 * header. Relocation and BSS were done once, by the boot hart; this path touches neither.
 */
	.globl	riscv_secondary_entry
	.align	2
riscv_secondary_entry:
	csrw	sie, zero
	csrci	sstatus, SR_SIE
	li	t0, SR_FS
	csrc	sstatus, t0
	lla	t0, early_trap
	csrw	stvec, t0
	/*
	 * fence.i: the boot hart may have patched words of the image (relocation) and
	 * fence.i only orders the fetches of the hart that runs it, so this hart runs its own
	 * before it goes on. fence rw, rw: the starting CPU filled our riscv_cpu_local and
	 * per-CPU header before its hart_start ecall; SBI promises nothing about ordering, so
	 * the loads below are not allowed to see older values than that.
	 */
	fence.i
	fence	rw, rw
	/*
	 * Translation on, with the boot CPU's tables (arch/riscv64/mm.c), unless it runs
	 * without (riscv_kernel_satp = 0). The code runs at its physical address, which the
	 * tables map to itself, so the next fetch works either way. sfence.vma before: the
	 * fence above made the boot CPU's table stores visible to us, this makes our page
	 * walker see them too. After: a hart back from hotplug may still cache translations
	 * from its last life.
	 */
	lla	t0, riscv_kernel_satp
	ld	t0, 0(t0)
	beqz	t0, 5f
	sfence.vma
	csrw	satp, t0
	sfence.vma
5:
	ld	sp, RISCV_CPU_LOCAL_BOOT_SP(a1)
	ld	tp, RISCV_CPU_LOCAL_BOOT_HDR(a1)
	li	s0, 0
	/* a0 = hart id, a1 = riscv_cpu_local: riscv_secondary_start()'s arguments as they are. */
	call	riscv_secondary_start
	j	early_halt

.Lmisaligned:
	lla	a0, msg_misaligned
	call	early_puts
	mv	a0, s3
	call	early_puthex
	lla	a0, msg_misaligned2
	call	early_puts
	j	early_halt

/*
 * The trap vector until riscv_trap_init() runs: no stack is trusted, so it uses only
 * temporaries and prints through SBI, then stops the hart.
 */
	.align	2
early_trap:
	lla	a0, msg_trap
	call	early_puts
	csrr	a0, scause
	call	early_puthex
	lla	a0, msg_sepc
	call	early_puts
	csrr	a0, sepc
	call	early_puthex
	lla	a0, msg_stval
	call	early_puts
	csrr	a0, stval
	call	early_puthex
	lla	a0, msg_newline
	call	early_puts
	/* fall through */

	.globl	early_halt
early_halt:
	csrw	sie, zero
	csrci	sstatus, SR_SIE
1:	wfi
	j	1b

/* early_puts(a0 = NUL-terminated string) through SBI legacy putchar. Clobbers a0-a2, a6, a7. */
early_puts:
	mv	a2, a0
1:	lbu	a0, 0(a2)
	beqz	a0, 2f
	li	a7, SBI_LEGACY_PUTCHAR
	li	a6, 0
	ecall
	addi	a2, a2, 1
	j	1b
2:	ret

/* early_puthex(a0): "0x" and 16 hex digits. Clobbers a0-a3, a6, a7. */
early_puthex:
	mv	a3, a0
	li	a7, SBI_LEGACY_PUTCHAR
	li	a6, 0
	li	a0, '0'
	ecall
	li	a0, 'x'
	ecall
	li	a2, 60			/* shift of the top nibble */
1:	srl	a0, a3, a2
	andi	a0, a0, 0xf
	li	a1, 10
	blt	a0, a1, 2f
	addi	a0, a0, 'a' - '0' - 10
2:	addi	a0, a0, '0'
	ecall
	addi	a2, a2, -4
	bgez	a2, 1b
	ret

	.section .rodata
msg_misaligned:
	.asciz	"\r\ntessera: the Image was loaded at "
msg_misaligned2:
	.asciz	", which is not 4 KiB aligned: cannot run. Load it at RAM base + 2 MiB.\r\n"
msg_trap:
	.asciz	"\r\ntessera: trap during early boot: scause "
msg_sepc:
	.asciz	" sepc "
msg_stval:
	.asciz	" stval "
msg_newline:
	.asciz	"\r\n"

	/* Filled in the Image by arch/riscv64/tools/relocs.py; empty in kernel.elf. */
	.section .riscv_relocs, "aw"
	.balign	8
	.word	0			/* count */
	.space	RISCV_RELOCS_MAX * 4	/* offsets from _start */

	/*
	 * The boot CPU's stack, with a page below it that arch/riscv64/mm.c leaves unmapped:
	 * an overflow faults there instead of running into whatever lies below. Then the
	 * stack the trap entry switches to when sp is at that guard page (trap.S).
	 */
	.section .bss
	.balign	4096
	.globl	boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.space	4096
boot_stack:
	.space	BOOT_STACK_SIZE
boot_stack_top:
	.globl	boot_overflow_stack_top
	.balign	16
	.space	RISCV_OVERFLOW_STACK_SIZE
boot_overflow_stack_top:
