// SPDX-License-Identifier: MIT
/*
 * The per-CPU GDT and TSS. Long mode ignores segment bases and limits for code and data, so
 * the GDT holds just flat kernel code and data descriptors; the TSS exists so that the double
 * fault gate can switch to a known-good stack (IST1) even when the fault is a stack overflow.
 *
 * Locking: each CPU builds and loads its own tables in its struct x86_cpu_local (c).
 */
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/segment.h"
#include "kernel/lib/string.h"

/* The operand of lgdt/lidt: a 16-bit limit (size - 1) and a 64-bit linear base. */
struct x86_desc_ptr {
	u16 limit;
	u64 base;
} __packed;

/*
 * A 64-bit TSS descriptor spans two GDT slots (Intel SDM vol. 3, 8.2.3):
 *	low:  limit 15:0 | base 23:0 << 16 | type 0x89 << 40 | limit 19:16 << 48 | base 31:24 << 56
 *	high: base 63:32
 * Type 0x89: present, DPL 0, "available 64-bit TSS" (ltr turns it into 0x8b, busy).
 */
static void set_tss_desc(u64 *slot, u64 base, u32 limit)
{
	slot[0] = (limit & 0xffffULL) | ((base & 0xffffffULL) << 16) | (0x89ULL << 40) |
		  ((u64)((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xffULL) << 56);
	slot[1] = base >> 32;
}

/**
 * x86_gdt_init() - build and load this CPU's GDT and TSS.
 * @cl:			this CPU's block, which holds both tables
 * @df_stack_top:	top of the stack the double fault handler runs on (IST1)
 *
 * Reloads CS with a far return and the data segments, then TR. GS is not touched: its base
 * is this CPU's struct x86_cpu_local and loading the selector could clear it.
 *
 * Context: The CPU itself, IRQs off, once (ltr marks the TSS busy; a second ltr would #GP).
 */
void x86_gdt_init(struct x86_cpu_local *cl, void *df_stack_top)
{
	memset(&cl->tss, 0, sizeof(cl->tss));
	cl->tss.ist[IST_DOUBLE_FAULT - 1] = (u64)df_stack_top;
	/* An I/O bitmap offset at the TSS limit means "no bitmap": ring 0 needs none. */
	cl->tss.iomap_base = sizeof(cl->tss);

	cl->gdt[GDT_ENTRY_NULL] = 0;
	cl->gdt[GDT_ENTRY_KERNEL_CS] = GDT_DESC_KERNEL_CS;
	cl->gdt[GDT_ENTRY_KERNEL_DS] = GDT_DESC_KERNEL_DS;
	set_tss_desc(&cl->gdt[GDT_ENTRY_TSS], (u64)&cl->tss, sizeof(cl->tss) - 1);

	struct x86_desc_ptr gdtr = { .limit = sizeof(cl->gdt) - 1, .base = (u64)cl->gdt };

	__asm__ __volatile__("lgdt %0" : : "m"(gdtr) : "memory");
	/*
	 * CS can only be reloaded by a far transfer: push the selector and a return address,
	 * then lretq "returns" to the next instruction through the new descriptor.
	 */
	__asm__ __volatile__("pushq %[cs]\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "movl %[ds], %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss"
			     : : [cs] "i"(KERNEL_CS), [ds] "i"(KERNEL_DS) : "rax", "memory");
	__asm__ __volatile__("ltr %w0" : : "r"((u16)TSS_SELECTOR) : "memory");
}
