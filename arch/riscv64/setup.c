// SPDX-License-Identifier: MIT
/*
 * riscv64 boot in C: from head.S to start_kernel() on the boot hart, and the per-CPU base
 * (tp) hooks.
 *
 * The boot hart is whichever hart the firmware chose (on QEMU OpenSBI draws it by lottery,
 * a VisionFive 2 boots on hart 2); it becomes logical CPU 0 whatever its hart id, which is
 * recorded in CPU 0's per-CPU header and in boot_info's CPU list (boot_cpu_index).
 *
 * Locking: boot CPU, before SMP (m).
 */
#include "arch/riscv64/cpu_local.h"
#include <asm/csr.h>
#include <asm/memory.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "arch/riscv64/plic.h"
#include "arch/riscv64/riscv.h"
#include "boot/acpi.h"
#include "boot/fdt_boot.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"

struct riscv_cpu_local riscv_cpu_local[NR_CPUS];
unsigned long riscv_load_offset;
u64 riscv_timebase_hz = RISCV_DEFAULT_TIMEBASE_HZ;

/* arch_smp_processor_id() reads the CPU number at 0(tp) through this layout. */
_Static_assert(offsetof(struct percpu_hdr, cpu) == 0, "arch_smp_processor_id reads 0(tp)");

static void riscv_timebase_init(void)
{
	if (boot_info.timebase_hz) {
		riscv_timebase_hz = boot_info.timebase_hz;
		return;
	}
	pr_warn("riscv: no usable /cpus/timebase-frequency in the device tree: assuming %llu Hz\n",
		RISCV_DEFAULT_TIMEBASE_HZ);
}

/**
 * riscv_boot() - The boot hart's path from head.S to start_kernel().
 * @hartid: a0 at entry: this hart's id
 * @fdt_phys: a1 at entry: the device tree
 * @load_offset: how far from its link address head.S found the image
 *
 * Context: boot CPU, IRQs off, boot stack, tp = &percpu_boot_hdr, BSS clear.
 */
__noreturn void riscv_boot(unsigned long hartid, unsigned long fdt_phys,
			   unsigned long load_offset)
{
	struct percpu_hdr *hdr = riscv_percpu_hdr();

	riscv_clock_init();			/* arch_clock_ns() counts from here */
	hdr->hwid = (u32)hartid;		/* CPU 0 is this hart, whatever its id */
	hdr->arch = &riscv_cpu_local[0];
	riscv_cpu_local[0].hartid = (u32)hartid;
	riscv_load_offset = load_offset;

	riscv_trap_init();			/* exceptions print a report from now on */
	riscv_sbi_console_init();		/* printk works (through SBI) */
	pr_info("riscv: boot hart %lu is CPU 0; Image at %#lx (linked at %#x%s); FDT at %#lx\n",
		hartid, (unsigned long)_start, KERNEL_LINK_ADDR,
		load_offset ? ", relocated" : "", fdt_phys);
	sbi_init();				/* what the firmware implements */
	riscv_irq_init();			/* IPI and timer sources unmasked (SIE still off) */

	if (fdt_parse(&boot_info, fdt_phys, (u32)hartid) != FDT_OK)
		panic("riscv: no usable device tree at %#lx: cannot know where RAM is", fdt_phys);
	/* The loader is expected to add /memory (U-Boot and OpenSBI pass the board's own). */
	if (!boot_info.nr_memory)
		panic("riscv: the device tree at %#lx has no usable memory node: the firmware or "
		      "loader must describe RAM (/memory, device_type \"memory\")", fdt_phys);
	boot_add_reserved(&boot_info, (phys_addr_t)(unsigned long)_start,
			  (phys_addr_t)(_end - _start), BOOT_RSV_KERNEL);
	if (boot_info.riscv_isa_ext & BOOT_RISCV_THEAD_CORE)
		pr_info("riscv: the device tree lists T-Head cores; memory types follow mvendorid\n");
	plic_init();				/* device interrupts: this hart's context, SEIE */
	riscv_timebase_init();
	riscv_timer_start();			/* 100 Hz tick, taken once start_kernel enables IRQs */

	start_kernel();
}

/*
 * The device tree was read at entry (boot/fdt.c). ACPI is walked too: a no-op unless a
 * loader handed over an RSDP (UEFI on RISC-V may), as boot/acpi.c checks for itself.
 */
void arch_platform_init(void)
{
	acpi_init();
}

/* ---- per-CPU base: tp ---- */

/*
 * tp points straight at the CPU's struct percpu_hdr (kernel/percpu.h). Called by a CPU on
 * itself, early, before anything reads its CPU number; the compiler may have cached tp in
 * the caller, so the caller should not rely on per-CPU reads made before the call.
 */
void arch_set_percpu_base(void *base)
{
	struct percpu_hdr *hdr = base;

	hdr->arch = &riscv_cpu_local[hdr->cpu];
	__asm__ __volatile__("mv tp, %0" : : "r"(base) : "memory");
}

void *arch_percpu_base(void)
{
	return riscv_percpu_hdr();
}
