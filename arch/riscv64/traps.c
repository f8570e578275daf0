// SPDX-License-Identifier: MIT
/*
 * riscv64 traps: the C side of the trap vector (trap.S). Interrupts go to their generic
 * handlers; exceptions are bugs, so they print a full report (cause, CSRs, every register,
 * a backtrace) and stop. Also the frame-pointer backtrace behind arch_dump_stack().
 *
 * Locking: everything here runs on the CPU that trapped, interrupts off (i).
 */
#include <asm/csr.h>
#include "arch/riscv64/cpu_local.h"
#include <asm/processor.h>
#include <asm/sbi.h>
#include "arch/riscv64/trap.h"
#include "arch/arch.h"
#include "arch/riscv64/pgtable.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/riscv.h"
#include "kernel/boot_info.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"

/* The layout trap.S relies on. */
_Static_assert(offsetof(struct pt_regs, ra) == PT_REG(1), "pt_regs.ra");
_Static_assert(offsetof(struct pt_regs, sp) == PT_REG(2), "pt_regs.sp");
_Static_assert(offsetof(struct pt_regs, s0) == PT_REG(8), "pt_regs.s0");
_Static_assert(offsetof(struct pt_regs, a0) == PT_REG(10), "pt_regs.a0");
_Static_assert(offsetof(struct pt_regs, s2) == PT_REG(18), "pt_regs.s2");
_Static_assert(offsetof(struct pt_regs, t6) == PT_REG(31), "pt_regs.t6");
_Static_assert(offsetof(struct pt_regs, sepc) == PT_SEPC, "pt_regs.sepc");
_Static_assert(offsetof(struct pt_regs, sstatus) == PT_SSTATUS, "pt_regs.sstatus");
_Static_assert(offsetof(struct pt_regs, scause) == PT_SCAUSE, "pt_regs.scause");
_Static_assert(offsetof(struct pt_regs, stval) == PT_STVAL, "pt_regs.stval");
_Static_assert(offsetof(struct pt_regs, frame_fp) == PT_FRAME_FP, "pt_regs.frame_fp");
_Static_assert(offsetof(struct pt_regs, frame_ra) == PT_FRAME_RA, "pt_regs.frame_ra");
_Static_assert(sizeof(struct pt_regs) == PT_SIZE && PT_SIZE % 16 == 0, "pt_regs size");

/* Where arch_trigger_fault() reads: no RAM, no device, so the bus reports an access fault. */
#define RISCV_FAULT_ADDR	0xdead00000000UL
/* Backtraces stop after this many frames, or at a frame that does not look like one. */
#define BACKTRACE_MAX_FRAMES	32
/* A frame larger than this is taken for a broken chain. */
#define BACKTRACE_MAX_FRAME	0x10000UL

extern char riscv_trap_entry[];

static const char *const exception_names[] = {
	[EXC_INST_MISALIGNED]	= "instruction address misaligned",
	[EXC_INST_ACCESS]	= "instruction access fault",
	[EXC_ILLEGAL_INST]	= "illegal instruction",
	[EXC_BREAKPOINT]	= "breakpoint",
	[EXC_LOAD_MISALIGNED]	= "load address misaligned",
	[EXC_LOAD_ACCESS]	= "load access fault",
	[EXC_STORE_MISALIGNED]	= "store/AMO address misaligned",
	[EXC_STORE_ACCESS]	= "store/AMO access fault",
	[EXC_ECALL_U]		= "environment call from U-mode",
	[EXC_ECALL_S]		= "environment call from S-mode",
	[11]			= "environment call from M-mode",
	[EXC_INST_PAGE_FAULT]	= "instruction page fault",
	[EXC_LOAD_PAGE_FAULT]	= "load page fault",
	[EXC_STORE_PAGE_FAULT]	= "store/AMO page fault",
	[18]			= "software check",
	[19]			= "hardware error",
};

static const char *exception_name(unsigned long code)
{
	if (code < ARRAY_SIZE(exception_names) && exception_names[code])
		return exception_names[code];
	return "reserved";
}

/* Register names in x1..x31 order, the order of struct pt_regs. */
static const char *const reg_names[31] = {
	"ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
	"a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3",
	"t4", "t5", "t6",
};

/**
 * riscv_trap_init() - Point stvec at the trap vector. Interrupt sources stay masked.
 * Context: the CPU itself, IRQs off, before it can take any trap it means to survive.
 */
void riscv_trap_init(void)
{
	/* The entry finds this CPU's riscv_cpu_local there (trap.S): set it before stvec. */
	csr_write(sscratch, this_cpu_local());
	csr_write(stvec, (unsigned long)riscv_trap_entry);
}

/**
 * riscv_irq_init() - Unmask the interrupt sources we handle: IPIs and the timer.
 *
 * sie selects which sources may interrupt; sstatus.SIE (arch_local_irq_*) decides whether
 * they may do it now. The timer is pushed to "never" first: with Sstc the comparator may
 * start at 0, which would make the timer pending at once.
 * Context: the CPU itself, IRQs off, after sbi_init().
 */
void riscv_irq_init(void)
{
	sbi_set_timer(~0ULL);
	csr_clear(sip, SIE_SSIE);
	csr_write(sie, SIE_SSIE | SIE_STIE);
}

/* ---- backtraces ---- */

/*
 * May we read the 16 bytes below fp? Only RAM we own: the kernel image and the firmware's
 * RAM ranges minus what the firmware reserved for itself (OpenSBI's memory faults under PMP).
 */
static bool frame_readable(unsigned long fp)
{
	unsigned long lo = fp - 16;

	if (fp % 8 || fp < 16)
		return false;
	/* Translation on: only what the tables map (not a guard page, not a hole). */
	if (!riscv_va_readable(lo, 16))
		return false;
	if (lo >= (unsigned long)_start && fp <= (unsigned long)_end)
		return true;
	for (unsigned int i = 0; i < boot_info.nr_reserved; i++) {
		const struct boot_range *r = &boot_info.reserved[i];

		if (r->type == BOOT_RSV_FIRMWARE && fp > r->base && lo < r->base + r->size)
			return false;
	}
	for (unsigned int i = 0; i < boot_info.nr_memory; i++) {
		const struct boot_range *r = &boot_info.memory[i];

		if (r->type == BOOT_MEM_RAM && lo >= r->base && fp <= r->base + r->size)
			return true;
	}
	return false;
}

static void print_frame(unsigned long pc)
{
	if (riscv_load_offset)
		printk(KERN_EMERG "  [<%016lx>] (link address %016lx)\n", pc,
		       pc - riscv_load_offset);
	else
		printk(KERN_EMERG "  [<%016lx>]\n", pc);
}

/**
 * riscv_dump_stack_from() - Print pc (if non-zero), then walk the frame-pointer chain.
 *
 * With -fno-omit-frame-pointer every function saves ra at fp - 8 and the caller's fp at
 * fp - 16 (fp = s0 = the sp at its entry). The chain ends at fp = 0 (head.S), or wherever a
 * frame does not look right: unreadable, misaligned, or not above the previous one.
 * Context: any; reads only memory that frame_readable() accepts.
 */
void riscv_dump_stack_from(unsigned long pc, unsigned long fp)
{
	printk(KERN_EMERG "Call trace (resolve with addr2line -e build/riscv64/kernel.elf):\n");
	if (pc)
		print_frame(pc);
	for (int n = 0; n < BACKTRACE_MAX_FRAMES && fp; n++) {
		if (!frame_readable(fp)) {
			printk(KERN_EMERG "  (frame pointer %016lx is not readable: stopping)\n", fp);
			return;
		}
		unsigned long ra = ((unsigned long *)fp)[-1];
		unsigned long next = ((unsigned long *)fp)[-2];

		if (!ra)
			return;
		print_frame(ra);
		if (next && (next <= fp || next - fp > BACKTRACE_MAX_FRAME)) {
			printk(KERN_EMERG "  (next frame %016lx is not above %016lx: stopping)\n",
			       next, fp);
			return;
		}
		fp = next;
	}
}

/* noinline: its own frame is the first one walked, so it must really exist. */
__noinline void arch_dump_stack(void)
{
	riscv_dump_stack_from(0, (unsigned long)__builtin_frame_address(0));
}

/* ---- the fatal-exception report ---- */

void riscv_show_regs(const struct pt_regs *regs)
{
	const unsigned long *x = &regs->ra;	/* x1..x31, in order (asserted above) */
	unsigned long st = regs->sstatus;
	static const char *const fs_names[] = { "off", "initial", "clean", "dirty" };

	printk(KERN_EMERG "sepc   : %016lx  stval  : %016lx\n", regs->sepc, regs->stval);
	printk(KERN_EMERG "scause : %016lx  sstatus: %016lx (SPP=%c SPIE=%lu SIE=%lu FS=%s)\n",
	       regs->scause, st, (st & SR_SPP) ? 'S' : 'U', (st >> 5) & 1, (st >> 1) & 1,
	       fs_names[(st & SR_FS) >> 13]);
	for (int i = 0; i < 31; i += 3) {
		if (i + 2 < 31)
			printk(KERN_EMERG " %-3s: %016lx  %-3s: %016lx  %-3s: %016lx\n",
			       reg_names[i], x[i], reg_names[i + 1], x[i + 1], reg_names[i + 2],
			       x[i + 2]);
		else
			printk(KERN_EMERG " %-3s: %016lx\n", reg_names[i], x[i]);
	}
}

/* What stval means for this cause, in words. */
static void explain_stval(unsigned long code, unsigned long stval)
{
	switch (code) {
	case EXC_INST_MISALIGNED:
	case EXC_INST_ACCESS:
	case EXC_LOAD_MISALIGNED:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_MISALIGNED:
	case EXC_STORE_ACCESS:
	case EXC_INST_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		printk(KERN_EMERG "faulting address: %016lx%s\n", stval,
		       stval < 0x1000 ? " (a NULL pointer dereference?)" : "");
		break;
	case EXC_ILLEGAL_INST:
		/* Harts may report the instruction bits, or 0 if they do not. */
		if (stval)
			printk(KERN_EMERG "instruction bits: %08lx\n", stval);
		break;
	}
}

/*
 * An exception: a bug in the kernel, since there is no user mode. Report and stop. A fault
 * while this CPU is already reporting (a bad pointer met by printk or the backtrace) gets
 * one short line instead of recursing, and a third just stops.
 */
static bool is_page_fault(unsigned long code)
{
	return code == EXC_INST_PAGE_FAULT || code == EXC_LOAD_PAGE_FAULT ||
	       code == EXC_STORE_PAGE_FAULT;
}

static __noreturn void riscv_die(struct pt_regs *regs)
{
	struct riscv_cpu_local *cl = this_cpu_local();
	unsigned long code = CAUSE_CODE(regs->scause);

	if (++cl->oops_depth > 1) {
		if (cl->oops_depth == 2)
			printk(KERN_EMERG "riscv: nested exception %lu (%s) at %016lx, stval %016lx, while reporting: halting\n",
			       code, exception_name(code), regs->sepc, regs->stval);
		arch_halt();
	}

	printk(KERN_EMERG "riscv: exception %lu: %s, on CPU %u (hart %u)\n", code,
	       exception_name(code), arch_smp_processor_id(), cl->hartid);
	explain_stval(code, regs->stval);
	if (is_page_fault(code))
		riscv_describe_fault(code, regs->stval, regs->sp);
	riscv_show_regs(regs);
	/* Start at the faulting pc; s0 is the faulting function's frame (if it made one). */
	riscv_dump_stack_from(regs->sepc, regs->s0);
	printk(KERN_EMERG "---[ end of exception %lu: %s ]---\n", code, exception_name(code));

	/* Under ktest a crash must end QEMU with a failure, not leave it running. */
	if (ktest_running())
		arch_test_exit(false);
	arch_halt();
}

/* ---- interrupts ---- */

static void riscv_interrupt(unsigned long code)
{
	switch (code) {
	case IRQ_S_SOFT:
		/*
		 * Acknowledge first: an IPI sent while the handler runs sets SSIP again and is
		 * taken after sret. Clearing it after the handler could lose that one.
		 */
		csr_clear(sip, SIE_SSIE);
		smp_ipi_handler();
		break;
	case IRQ_S_TIMER:
		/* Re-arms the comparator (which clears STIP), then the generic tick. */
		riscv_timer_interrupt();
		break;
	case IRQ_S_EXT:
		plic_handle_irq();	/* claims, dispatches and completes */
		break;
	default:
		if (code < 64)
			csr_clear(sie, 1UL << code);
		pr_warn("riscv: unexpected interrupt %lu on CPU %u: masked\n", code,
			arch_smp_processor_id());
		break;
	}
}

/**
 * riscv_trap_handler() - Where trap.S sends every trap.
 * @regs: the interrupted state; changes to it take effect at sret
 *
 * Context: the CPU that trapped, IRQs off, interrupt context for interrupts.
 */
void riscv_trap_handler(struct pt_regs *regs)
{
	unsigned long code = CAUSE_CODE(regs->scause);

	if (regs->scause & CAUSE_IRQ_FLAG) {
		riscv_interrupt(code);
		return;
	}
	/* riscv_csr_probe(): the CSR does not exist here. Skip the 4-byte csrr, say so. */
	if (code == EXC_ILLEGAL_INST && this_cpu_local()->csr_probing) {
		this_cpu_local()->csr_probe_failed = true;
		regs->a0 = 0;
		regs->sepc += 4;
		return;
	}
	/*
	 * A page fault on a page the tables map: this hart saw them before another CPU added
	 * the mapping (arch_ioremap()). Fenced now; retry once. The same fault at the same
	 * place twice in a row is real.
	 */
	if (is_page_fault(code)) {
		struct riscv_cpu_local *cl = this_cpu_local();

		if (!(cl->stale_sepc == regs->sepc && cl->stale_addr == regs->stval) &&
		    riscv_fault_is_stale(code, regs->stval)) {
			cl->stale_sepc = regs->sepc;
			cl->stale_addr = regs->stval;
			return;
		}
	}
	riscv_die(regs);
}

/**
 * riscv_csr_probe_sxstatus() - Read T-Head's th.sxstatus, if this hart has it.
 * @val: the value, 0 if the CSR does not exist
 *
 * A vendor CSR the hart lacks raises an illegal-instruction exception; the trap handler
 * skips the instruction while csr_probing is set, so the probe returns false instead of
 * ending the kernel. (QEMU before 9.0 models T-Head cores without this CSR.)
 * Return: true if the CSR exists. Context: the CPU itself, IRQs off or on.
 */
bool riscv_csr_probe_sxstatus(unsigned long *val)
{
	struct riscv_cpu_local *cl = this_cpu_local();
	register unsigned long v __asm__("a0") = 0;

	cl->csr_probe_failed = false;
	cl->csr_probing = true;
	barrier();
	/* .option norvc is moot (csrr has no compressed form): the handler skips 4 bytes. */
	__asm__ __volatile__("csrr %0, 0x5c0" : "+r"(v) : : "memory");
	barrier();
	cl->csr_probing = false;
	*val = cl->csr_probe_failed ? 0 : v;
	return !cl->csr_probe_failed;
}

/*
 * Read an address with no RAM or device behind it. With Sv39 it is not even an address
 * (bits 63..39 differ from bit 38), so the hart raises a load page fault (cause 13); with
 * satp = Bare the bus rejects it with a load access fault (cause 5). Either way stval = the
 * address, which riscv_die() reports.
 */
void arch_trigger_fault(void)
{
	volatile u64 *p = (volatile u64 *)RISCV_FAULT_ADDR;

	pr_info("riscv: reading %016lx on purpose; expect a load page fault dump\n",
		(unsigned long)p);
	/*
	 * Use the value in a call: then the load must happen while this function's frame is
	 * still set up, so the backtrace starts here rather than in the caller.
	 */
	u64 v = *p;

	pr_emerg("riscv: read %#llx from %p without a fault!\n", (unsigned long long)v,
		 (void *)p);
	barrier();
}
