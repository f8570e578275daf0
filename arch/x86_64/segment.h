/* SPDX-License-Identifier: MIT */
/*
 * x86_64 segmentation, what is left of it in long mode: the GDT layout, the selectors and the
 * 64-bit task state segment (TSS) whose only job here is to name the interrupt stacks (IST).
 * Usable from assembly (head.S, entry.S) for the constants.
 */
#ifndef ARCH_X86_64_SEGMENT_H
#define ARCH_X86_64_SEGMENT_H

/* GDT slots. The TSS descriptor is 16 bytes in long mode and takes two slots. */
#define GDT_ENTRY_NULL		0
#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_TSS		3
#define GDT_ENTRIES		5

/* A selector is the slot number times 8 (the low 3 bits are RPL and table indicator). */
#define KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define KERNEL_DS		(GDT_ENTRY_KERNEL_DS * 8)
#define TSS_SELECTOR		(GDT_ENTRY_TSS * 8)

/*
 * Flat descriptors. Base and limit are ignored in long mode for code and data; what matters:
 *	code: 0x9b = present, DPL 0, code, execute/read, accessed; flags 0xa = 4K granularity,
 *	      L (64-bit code)
 *	data: 0x93 = present, DPL 0, data, read/write, accessed; flags 0xc = 4K granularity, 32-bit
 * The accessed bit is preset so the CPU never has to write it back into the table.
 */
#define GDT_DESC_KERNEL_CS	0x00af9b000000ffff
#define GDT_DESC_KERNEL_DS	0x00cf93000000ffff

/* Interrupt stack table slots (1-based in the IDT gate, 0 means "no switch"). */
#define IST_DOUBLE_FAULT	1
#define IST_STACK_SIZE		8192

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

/* The 64-bit TSS (Intel SDM vol. 3, 8.7): stack pointers only; no hardware task switching. */
struct x86_tss {
	u32 reserved0;
	u64 rsp[3];		/* stacks for entries from ring 0..2 (unused: no user mode) */
	u64 reserved1;
	u64 ist[7];		/* IST1..IST7: the stack the CPU switches to for marked gates */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;		/* offset of the I/O permission bitmap: past the limit = none */
} __packed;

_Static_assert(sizeof(struct x86_tss) == 104, "the 64-bit TSS is 104 bytes");

struct x86_cpu_local;
/* Build this CPU's GDT (with its TSS) and load GDTR, CS, data segments and TR. */
void x86_gdt_init(struct x86_cpu_local *cl, void *df_stack_top);
#endif

#endif /* ARCH_X86_64_SEGMENT_H */
