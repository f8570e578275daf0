// SPDX-License-Identifier: MIT
/*
 * The riscv64 half of SMP: starting a hart (arch_cpu_start) and sending the cross-CPU call
 * IPI (arch_send_ipi). kernel/smp.c decides which CPUs to start and waits for each to come
 * online; this file only talks to the firmware.
 *
 *	boot CPU: arch_cpu_start(cpu, hartid, stack_top)
 *	  riscv_cpu_local[cpu] = { hartid, boot_sp = stack_top, boot_hdr = its percpu_hdr }
 *	  SBI HSM hart_start(hartid, riscv_secondary_entry, &riscv_cpu_local[cpu])
 *	  HSM state STOPPED -> START_PENDING -> STARTED, confirmed with hart_get_status
 *	new hart: riscv_secondary_entry (head.S): satp = the kernel tables, sp, tp, stvec
 *	  riscv_secondary_start(): traps, IPI and timer sources, first tick
 *	  start_secondary(cpu) (kernel/main.c), IRQs still off
 *
 * IPIs go through SBI IPI (sbi_send_ipi): the firmware raises the target hart's supervisor
 * software interrupt (sip.SSIP), which traps.c acknowledges before it calls smp_ipi_handler().
 * QEMU virt only has an S-mode software interrupt device (ACLINT SSWI) with aclint=on, and
 * sifive_u has none, so SBI is the one path that works everywhere.
 *
 * Locking: riscv_cpu_local[cpu]'s boot fields are written by the starting CPU before the
 * hart exists for us (m) and constant afterwards (c). SBI calls need no lock.
 */
#include <asm/barrier.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "arch/riscv64/cpu_local.h"
#include "arch/riscv64/pgtable.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/riscv.h"
#include "kernel/bug.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/errno.h"

/* How long a hart may stay START_PENDING before we report it (the firmware is slow on TCG). */
#define HART_START_TIMEOUT_MS	1000

_Static_assert(offsetof(struct riscv_cpu_local, boot_sp) == RISCV_CPU_LOCAL_BOOT_SP,
	       "riscv_cpu_local.boot_sp is read by head.S");
_Static_assert(offsetof(struct riscv_cpu_local, boot_hdr) == RISCV_CPU_LOCAL_BOOT_HDR,
	       "riscv_cpu_local.boot_hdr is read by head.S");
_Static_assert(offsetof(struct riscv_cpu_local, trap_t0) == RISCV_CPU_LOCAL_TRAP_T0 &&
	       offsetof(struct riscv_cpu_local, trap_t1) == RISCV_CPU_LOCAL_TRAP_T1 &&
	       offsetof(struct riscv_cpu_local, trap_sp) == RISCV_CPU_LOCAL_TRAP_SP &&
	       offsetof(struct riscv_cpu_local, stack_guard) == RISCV_CPU_LOCAL_STACK_GUARD &&
	       offsetof(struct riscv_cpu_local, overflow_sp) == RISCV_CPU_LOCAL_OVERFLOW_SP,
	       "riscv_cpu_local's trap fields are used by trap.S");

extern char riscv_secondary_entry[];

static u32 ipi_error_reported;	/* an IPI failure was reported (l: atomic exchange) */

static const char *hsm_state_name(long state)
{
	static const char *const names[] = {
		[SBI_HSM_STARTED]		= "started",
		[SBI_HSM_STOPPED]		= "stopped",
		[SBI_HSM_START_PENDING]		= "start pending",
		[SBI_HSM_STOP_PENDING]		= "stop pending",
		[SBI_HSM_SUSPENDED]		= "suspended",
		[SBI_HSM_SUSPEND_PENDING]	= "suspend pending",
		[SBI_HSM_RESUME_PENDING]	= "resume pending",
	};

	if (state < 0)
		return sbi_err_name(state);
	if (state < (long)ARRAY_SIZE(names))
		return names[state];
	return "unknown state";
}

/* An SBI error as a negative errno for kernel/smp.c, which prints it. */
static int sbi_to_errno(long error)
{
	switch (error) {
	case SBI_ERR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case SBI_ERR_INVALID_PARAM:
		return -ENODEV;		/* no such hart */
	case SBI_ERR_ALREADY_AVAILABLE:
	case SBI_ERR_ALREADY_STARTED:
		return -EBUSY;
	case SBI_ERR_INVALID_ADDRESS:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/*
 * Poll the hart's HSM state until it leaves START_PENDING. Return the state it settled in
 * (SBI_HSM_STARTED when all went well), or START_PENDING after the timeout.
 */
static long hart_wait_started(u32 hartid)
{
	u64 start = arch_clock_ns();
	long state;

	for (;;) {
		state = sbi_hart_get_status(hartid);
		if (state != SBI_HSM_START_PENDING)
			return state;
		if (arch_clock_ns() - start > HART_START_TIMEOUT_MS * 1000000ULL)
			return state;
		arch_cpu_relax();
	}
}

/**
 * arch_cpu_start() - Start logical CPU @cpu on hart @hwid (see arch/arch.h).
 * @cpu:	logical CPU number, not 0
 * @hwid:	its hart id
 * @stack_top:	top of the stack it runs on (mm/percpu.c allocated it)
 *
 * The hart must be STOPPED in the firmware's eyes (OpenSBI parks every hart but the boot one
 * there). A hart that does not start is reported with the firmware's error.
 *
 * Return: 0 once the firmware reports the hart STARTED; -EINVAL for a bad request,
 * -EOPNOTSUPP without the HSM extension, -EBUSY if the hart is not stopped, -ENODEV if the
 * firmware knows no such hart, -EIO if it failed to start.
 * Context: boot CPU, IRQs on or off.
 */
int arch_cpu_start(unsigned int cpu, u32 hwid, void *stack_top)
{
	struct percpu_hdr *hdr = cpu < NR_CPUS ? percpu_hdr_of(cpu) : NULL;
	struct riscv_cpu_local *cl;
	long state, err;

	if (cpu == 0 || !hdr || !stack_top)
		return -EINVAL;

	state = sbi_hart_get_status(hwid);
	if (state < 0) {
		pr_err("riscv: CPU%u: hart %u: HSM hart_get_status failed: SBI error %ld (%s)\n",
		       cpu, hwid, state, sbi_err_name(state));
		return sbi_to_errno(state);
	}
	if (state != SBI_HSM_STOPPED) {
		pr_err("riscv: CPU%u: hart %u is %s, not stopped: not starting it\n", cpu, hwid,
		       hsm_state_name(state));
		return -EBUSY;
	}

	/* Before the first secondary runs on the tables: only this CPU's TLB can hold them. */
	riscv_guard_cpu_stacks();

	cl = &riscv_cpu_local[cpu];
	cl->hartid = hwid;
	cl->oops_depth = 0;
	cl->boot_sp = (unsigned long)stack_top;
	cl->boot_hdr = hdr;
	/*
	 * Everything the hart reads first (cl, its header, its per-CPU copy) must be visible
	 * before it runs. An ecall is not a fence and SBI does not promise one, so fence here;
	 * the entry fences on its side too.
	 */
	mb();

	/* The run-time address of the entry (lla, PC-relative): right even when relocated. */
	err = sbi_hart_start(hwid, (unsigned long)riscv_secondary_entry, (unsigned long)cl);
	if (err) {
		pr_err("riscv: CPU%u: hart %u: HSM hart_start failed: SBI error %ld (%s)\n", cpu,
		       hwid, err, sbi_err_name(err));
		return sbi_to_errno(err);
	}

	state = hart_wait_started(hwid);
	if (state == SBI_HSM_STARTED)
		return 0;
	if (state == SBI_HSM_START_PENDING) {
		/* Slow, not failed: kernel/smp.c's own wait decides when to give up. */
		pr_warn("riscv: CPU%u: hart %u still start pending after %u ms\n", cpu, hwid,
			HART_START_TIMEOUT_MS);
		return 0;
	}
	pr_err("riscv: CPU%u: hart %u went %s instead of started\n", cpu, hwid,
	       hsm_state_name(state));
	return state < 0 ? sbi_to_errno(state) : -EIO;
}

/**
 * riscv_secondary_start() - A secondary hart's first C code.
 * @hartid: a0 from the firmware
 * @cl: a1 from the firmware: this CPU's riscv_cpu_local
 *
 * Context: the new hart, IRQs off, on its own stack, tp = its per-CPU header (head.S).
 */
__noreturn void riscv_secondary_start(unsigned long hartid, struct riscv_cpu_local *cl)
{
	unsigned int cpu = riscv_percpu_hdr()->cpu;

	riscv_trap_init();			/* exceptions print a report from now on */
	if (cl != &riscv_cpu_local[cpu] || hartid != cl->hartid)
		panic("riscv: hart %lu started as CPU%u with the wrong data (hart %u expected)",
		      hartid, cpu, cl->hartid);
	riscv_irq_init();			/* IPI and timer sources unmasked (SIE still off) */
	plic_init_hart();			/* its PLIC context; external interrupts unmasked */
	riscv_timer_start();			/* first tick, taken once the idle loop enables IRQs */
	start_secondary(cpu);			/* per-CPU base, online, idle loop */
}

/**
 * arch_send_ipi() - Interrupt @cpu with the cross-CPU call IPI (see arch/arch.h).
 *
 * Context: any CPU, any context.
 */
void arch_send_ipi(unsigned int cpu)
{
	u32 hartid = cpu_hwid(cpu);
	long err;

	/*
	 * The caller has just pushed the call on the target's queue. The firmware's write to
	 * the target's software-interrupt register is not ordered after that push by anything
	 * we can see, so a full fence makes sure the target finds the call when it looks.
	 */
	mb();
	/* A mask of one hart, based at that hart: works for any hart id, no 64-hart window. */
	err = sbi_send_ipi(1, hartid);
	/* Once is enough: a firmware that refuses one IPI refuses them all. */
	if (err && !__atomic_exchange_n(&ipi_error_reported, 1, __ATOMIC_RELAXED))
		WARN(true, "riscv: IPI to CPU%u (hart %u) failed: SBI error %ld (%s)\n", cpu,
		     hartid, err, sbi_err_name(err));
}
