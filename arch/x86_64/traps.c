// SPDX-License-Identifier: MIT
/*
 * The x86_64 IDT and what every vector does: CPU exceptions print a full dump and stop the
 * CPU (Tessera has no user mode and no fault it could recover from); the local APIC timer and
 * IPI vectors call the generic handlers; the masked 8259 PICs can still raise spurious IRQs,
 * which are counted and dropped.
 *
 * Locking: the IDT is written once by the boot CPU (m) and read-only afterwards (c).
 */
#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/i8259.h"
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/segment.h"
#include "arch/x86_64/stacktrace.h"
#include "arch/x86_64/trap.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include <asm/memory.h>
#include <asm/processor.h>

/* entry.S offsets must match the struct it builds. */
_Static_assert(offsetof(struct pt_regs, rbp) == PT_RBP, "PT_RBP");
_Static_assert(offsetof(struct pt_regs, vector) == PT_VECTOR, "PT_VECTOR");
_Static_assert(offsetof(struct pt_regs, rip) == PT_RIP, "PT_RIP");
_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "PT_REGS_SIZE");

/* One 16-byte IDT gate (Intel SDM vol. 3, 6.14.1). */
struct idt_gate {
	u16 offset_low;		/* handler address 15:0 */
	u16 selector;		/* code segment to run it in */
	u8 ist;			/* 0, or the IST slot (1-7) to switch stacks to */
	u8 type_attr;		/* 0x8e: present, DPL 0, 64-bit interrupt gate (clears IF) */
	u16 offset_mid;		/* 31:16 */
	u32 offset_high;	/* 63:32 */
	u32 reserved;
} __packed;

_Static_assert(sizeof(struct idt_gate) == 16, "a long mode IDT gate is 16 bytes");

#define IDT_INTERRUPT_GATE	0x8e
#define VECTOR_STUB_SIZE	16

static struct idt_gate idt[NR_VECTORS] __aligned(16);	/* (m) then (c) */
extern const u8 x86_vector_stubs[];			/* entry.S, 16 bytes a vector */

static unsigned long spurious_apic_count;		/* (l: one CPU at a time, debug) */

static void set_gate(unsigned int vector, unsigned int ist)
{
	u64 addr = (u64)(x86_vector_stubs + vector * VECTOR_STUB_SIZE);

	idt[vector] = (struct idt_gate){
		.offset_low = addr & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type_attr = IDT_INTERRUPT_GATE,
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_high = addr >> 32,
	};
}

void x86_idt_load(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed idtr = { .limit = sizeof(idt) - 1, .base = (u64)idt };

	__asm__ __volatile__("lidt %0" : : "m"(idtr) : "memory");
}

/**
 * x86_idt_init() - point every vector at its stub and load the IDT.
 *
 * All 256 gates are present: a vector nobody expects is reported by x86_trap() by number
 * rather than turning into a #GP about a missing gate. The double fault runs on IST1, so it
 * still prints when the fault was a kernel stack overflow.
 *
 * Context: Boot CPU, IRQs off, before anything can fault.
 */
void x86_idt_init(void)
{
	for (unsigned int v = 0; v < NR_VECTORS; v++)
		set_gate(v, v == X86_TRAP_DF ? IST_DOUBLE_FAULT : 0);
	x86_idt_load();
}

static const char *const exception_names[NR_EXCEPTION_VECTORS] = {
	[0] = "#DE divide error",
	[1] = "#DB debug",
	[2] = "NMI",
	[3] = "#BP breakpoint",
	[4] = "#OF overflow",
	[5] = "#BR bound range exceeded",
	[6] = "#UD invalid opcode",
	[7] = "#NM device not available",
	[8] = "#DF double fault",
	[9] = "coprocessor segment overrun",
	[10] = "#TS invalid TSS",
	[11] = "#NP segment not present",
	[12] = "#SS stack-segment fault",
	[13] = "#GP general protection",
	[14] = "#PF page fault",
	[16] = "#MF x87 floating-point error",
	[17] = "#AC alignment check",
	[18] = "#MC machine check",
	[19] = "#XM SIMD floating-point",
	[20] = "#VE virtualization",
	[21] = "#CP control protection",
	[28] = "#HV hypervisor injection",
	[29] = "#VC VMM communication",
	[30] = "#SX security",
};

/* Page fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PROT		(1U << 0)	/* 0: page not present; 1: protection violation */
#define PF_WRITE	(1U << 1)
#define PF_USER		(1U << 2)
#define PF_RSVD		(1U << 3)	/* a reserved bit was set in a paging entry */
#define PF_INSTR	(1U << 4)	/* instruction fetch */
#define PF_PK		(1U << 5)	/* protection keys */
#define PF_SS		(1U << 6)	/* shadow stack */

static void dump_page_fault(const struct pt_regs *regs, unsigned long cr2)
{
	u32 e = regs->error_code;

	printk(KERN_EMERG "#PF: %s %s access to %#018lx: %s%s%s%s\n",
	       (e & PF_USER) ? "user" : "supervisor",
	       (e & PF_INSTR) ? "instruction fetch" : (e & PF_WRITE) ? "write" : "read",
	       cr2, (e & PF_PROT) ? "protection violation" : "page not present",
	       (e & PF_RSVD) ? ", reserved bit set in a page table entry" : "",
	       (e & PF_PK) ? ", protection key" : "", (e & PF_SS) ? ", shadow stack" : "");
}

/*
 * #TS #NP #SS #GP: the error code names a selector (or IDT vector): bit 0 external event,
 * bit 1 IDT, else bit 2 LDT/GDT, index in bits 15:3. Zero means "not about a selector".
 */
static void dump_selector_error(const struct pt_regs *regs)
{
	u32 e = regs->error_code;

	if (!e)
		return;
	if (e & 2)
		printk(KERN_EMERG "error code: IDT vector %u%s\n", (e >> 3) & 0x1fff,
		       (e & 1) ? " (external event)" : "");
	else
		printk(KERN_EMERG "error code: %s selector %#x%s\n", (e & 4) ? "LDT" : "GDT",
		       e & 0xfff8, (e & 1) ? " (external event)" : "");
}

static void dump_regs(const struct pt_regs *regs, unsigned long cr2)
{
	printk(KERN_EMERG "RIP: %04lx:%016lx RFLAGS: %016lx\n", regs->cs, regs->rip,
	       regs->rflags);
	printk(KERN_EMERG "RSP: %04lx:%016lx\n", regs->ss, regs->rsp);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->rax, regs->rbx,
	       regs->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->rdx, regs->rsi,
	       regs->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", regs->rbp, regs->r8,
	       regs->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", regs->r10, regs->r11,
	       regs->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", regs->r13, regs->r14,
	       regs->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(),
	       cr2, read_cr3(), read_cr4());
}

extern char boot_stack_guard[];	/* head.S: the unmapped page below CPU 0's stack */

static bool stack_guard_hit(unsigned long addr)
{
	unsigned long guard = (unsigned long)boot_stack_guard;

	return addr - guard < PAGE_SIZE;
}

/*
 * A CPU exception: print everything and stop. A fault while this CPU is already dumping
 * (a bad pointer in the backtrace, printk itself faulting) gets one short line instead of
 * recursing, and a third one just stops.
 */
static __noreturn void x86_exception(struct pt_regs *regs)
{
	/* A CPU still starting may have no block yet: then depth is tracked in CPU 0's. */
	struct x86_cpu_local *cl = this_cpu_local() ? this_cpu_local() : &boot_cpu_local;
	unsigned long vector = regs->vector;
	/* Read CR2 first: a page fault inside printk would overwrite it. */
	unsigned long cr2 = read_cr2();
	const char *name = exception_names[vector] ? exception_names[vector] : "reserved";

	if (++cl->exception_depth > 1) {
		if (cl->exception_depth == 2)
			printk(KERN_EMERG "x86: nested exception %lu (%s) at RIP %016lx CR2 %016lx "
			       "while dumping: halting\n", vector, name, regs->rip, cr2);
		arch_halt();
	}

	printk(KERN_EMERG "x86: exception %lu %s, error code %#lx, on CPU %u\n", vector, name,
	       regs->error_code, arch_smp_processor_id());
	if (vector == X86_TRAP_PF)
		dump_page_fault(regs, cr2);
	else if (vector >= 10 && vector <= 13)
		dump_selector_error(regs);
	dump_regs(regs, cr2);
	if (stack_guard_hit(cr2) || stack_guard_hit(regs->rsp))
		printk(KERN_EMERG "x86: the boot stack's guard page was hit: kernel stack overflow\n");
	x86_dump_stack_from(regs->rip, regs->rbp);
	printk(KERN_EMERG "---[ end of exception %lu %s ]---\n", vector, name);

	/* Under ktest a crash must end QEMU with a failure, not leave it running. */
	if (ktest_running())
		arch_test_exit(false);
	arch_halt();
}

/**
 * x86_trap() - the C side of every IDT vector.
 * @regs: the interrupted state, built by entry.S on the current (or IST) stack
 *
 * Exceptions never return. Interrupts return to entry.S, which restores @regs with iretq.
 * The local APIC timer and IPI vectors are acknowledged (EOI) here, before their handlers.
 *
 * Context: Any CPU, IRQs off (interrupt gates), interrupt context.
 */
void x86_trap(struct pt_regs *regs)
{
	unsigned long vector = regs->vector;

	if (vector < NR_EXCEPTION_VECTORS)
		x86_exception(regs);
	/*
	 * APIC vectors: EOI first. The handler runs with IRQs off anyway, and an IPI sent
	 * while it runs (a call queued after it emptied the queue) is then latched in IRR and
	 * taken right after iretq, instead of merging with the one in service.
	 */
	if (vector == TIMER_VECTOR) {
		x86_apic_eoi();
		timer_interrupt();
	} else if (vector == IPI_VECTOR) {
		x86_apic_eoi();
		smp_ipi_handler();
	}
	else if (vector >= FIRST_DEVICE_VECTOR && vector <= LAST_DEVICE_VECTOR)
		x86_irq_vector((unsigned int)vector);	/* EOI by its chip, after the handler */
	else if (vector >= PIC_VECTOR_BASE && vector < PIC_VECTOR_END)
		i8259_spurious(vector - PIC_VECTOR_BASE);
	else if (vector == SPURIOUS_APIC_VECTOR)
		spurious_apic_count++;	/* the APIC wants no EOI for it */
	else
		pr_warn("x86: unexpected interrupt vector %#lx on CPU %u\n", vector,
			arch_smp_processor_id());
}

/* Read a canonical lower-half address that nothing maps: a #PF with CR2 = that address. */
void arch_trigger_fault(void)
{
	volatile u64 *p = (volatile u64 *)0xdead0000000UL;

	pr_info("x86: reading %p on purpose; expect a page fault dump\n", (void *)p);
	(void)*p;
}
