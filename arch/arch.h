/* SPDX-License-Identifier: MIT */
/*
 * The arch contract: every arch_* hook that generic code (kernel/, mm/, drivers/) may call.
 * Each port (arch/x86_64, arch/riscv64) implements all of them, with the same meaning.
 * The other door to arch code is the leaf headers arch/<arch>/include/asm/NAME.h, included as
 * <asm/x.h>; both ports provide the same set (see tests/asm-headers.c).
 *
 * Each hook says which CPU calls it and in what state.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include "kernel/compiler.h"

struct boot_info;

/*
 * Boot flow: the arch entry code sets up a stack, paging (x86_64) and the trap vector, calls
 * its boot protocol parser (boot/) to fill boot_info, then calls start_kernel() (kernel/main.c).
 */
__noreturn void start_kernel(void);

/* Early console: the arch's first way to print, before drivers. Boot CPU, IRQs off. */
void arch_early_console_init(void);

/*
 * Set up what needs the memory map: the direct map on x86_64, the Sv39 tables (identity map)
 * on riscv64. Boot CPU, after memblock.
 */
void arch_mm_init(void);
/*
 * Make device registers (ECAM, PCI BARs) at physical [pa, pa + size) accessible, uncached,
 * and return the address of pa; NULL (with a message) if the range cannot be mapped (beyond
 * the physical address limit, wrapping, or no memory for page tables). Mappings are never
 * removed. x86_64: in the direct map's slot for pa, page tables from memblock before
 * mm_core_init() and from the page allocator after; riscv64 maps the range to itself (as
 * I/O) in its Sv39 tables, or only checks it where translation is off.
 * Context: any CPU, IRQs on or off, not in interrupt context (may allocate); after
 * arch_mm_init().
 */
void *arch_ioremap(phys_addr_t pa, size_t size);

/*
 * Read the firmware's platform tables, which may need the direct map: ACPI (the MADT's CPU
 * list replaces boot_info's; the FADT's power-off) where the boot protocol gave an RSDP.
 * Boot CPU, after arch_mm_init(), before smp_prepare_cpus().
 */
void arch_platform_init(void);

/*
 * Interrupts on this CPU. Any CPU, any context. Inline: every allocation and free saves and
 * restores them, so each port's <asm/irqflags.h> defines them as static inline functions:
 *	void arch_local_irq_enable(void);
 *	void arch_local_irq_disable(void);
 *	unsigned long arch_local_irq_save(void);	disable, return the previous state
 *	void arch_local_irq_restore(unsigned long flags);
 *	bool arch_irqs_disabled(void);
 */
#include <asm/irqflags.h>

/* Wait for an interrupt with interrupts enabled atomically (sti;hlt / wfi). Idle loop. */
void arch_idle(void);
/* CPU relax hint for spin loops (pause / nop). */
void arch_cpu_relax(void);

/* A monotonic clock: nanoseconds since boot, and the raw counter with its frequency. */
u64 arch_clock_ns(void);
u64 arch_cycles(void);

/*
 * Power off (status 0 to QEMU) and reboot. Any CPU. Other CPUs are not stopped first: the
 * platform's request (ACPI S5, SBI SRST) ends the whole machine, whatever they are doing.
 */
__noreturn void arch_power_off(void);
__noreturn void arch_reboot(void);
/*
 * End QEMU with a status that says whether the tests passed: 0 pass, non-zero fail.
 * x86_64: ACPI power-off for pass, isa-debug-exit for fail; riscv64: the virt test finisher
 * (sifive,test0) found in the FDT. Where no such device exists, it prints why and powers off.
 */
__noreturn void arch_test_exit(bool passed);

/* Halt this CPU forever with interrupts off (after panic). */
__noreturn void arch_halt(void);

/* Print a backtrace of the caller's frames via frame pointers. Any CPU. */
void arch_dump_stack(void);

/*
 * The calling CPU's logical number (0 = boot CPU). Any context. Inline, from each port's
 * <asm/smp.h>: unsigned int arch_smp_processor_id(void);
 */
#include <asm/smp.h>

/* Fault on purpose (ktest "fault" case): dereference an unmapped address. */
void arch_trigger_fault(void);

/* ---- SMP (kernel/smp.c and kernel/main.c call these) ---- */

/*
 * Start logical CPU `cpu` (hardware id `hwid`): it runs with its own stack at `stack_top`,
 * sets up its traps and per-CPU base, then calls start_secondary(cpu). Returns 0 once the CPU
 * has been told to start, or a negative errno. Boot CPU (or the hotplug controller), IRQs on.
 */
int arch_cpu_start(unsigned int cpu, u32 hwid, void *stack_top);
/* Send the cross-CPU call IPI: `cpu` runs smp_ipi_handler() in interrupt context. Any CPU. */
void arch_send_ipi(unsigned int cpu);
/* Point this CPU's per-CPU base register (GS base / tp) at `base`. The CPU itself, early. */
void arch_set_percpu_base(void *base);
void *arch_percpu_base(void);

/* ---- CPU hotplug (kernel/cpuhp.c calls these) ---- */

/* Whether `cpu` may ever go offline (x86_64: not the boot CPU). Any CPU. */
bool arch_cpu_can_offline(unsigned int cpu);
/*
 * The last step of going offline, on the CPU itself after generic teardown: stop its timer,
 * stop taking IPIs, and park for real (x86_64: interrupts off, waiting for INIT; riscv64:
 * SBI HSM hart_stop). Coming back goes through arch_cpu_start() again.
 * Context: the CPU going offline, IRQs off. Never returns.
 */
__noreturn void arch_cpu_die(void);
/*
 * Wait (bounded) until `cpu` has really parked; 0, or a negative errno if it did not
 * (riscv64 confirms with HSM hart_get_status). Context: the CPU driving the hotplug.
 */
int arch_cpu_wait_dead(unsigned int cpu);

/* ---- Device interrupts (kernel/irq.c; drivers through kernel/irq.h) ---- */

/*
 * Message-signalled interrupts, for drivers/pci's MSI-X code. arch_msi_irq_alloc() gives an
 * interrupt (kernel/irq.h number) that a device raises by writing a message; the message is
 * read with arch_msi_compose() and written into the device's table; whenever it changes (the
 * interrupt moves to another CPU, CPU hotplug) the owner named with irq_set_msg_owner() is
 * called to write it again. x86_64: a vector of the target CPU's local APIC, the message
 * 0xfee00000 | APIC id << 12 and data = vector (fixed, physical destination, edge).
 * riscv64 (PLIC only, no IMSIC): -EOPNOTSUPP.
 * Return: the irq (> 0), -ENOSPC (no vector free), -EOPNOTSUPP.
 * Context: process context, IRQs on (they take irq_lock).
 */
int arch_msi_irq_alloc(void);
void arch_msi_irq_free(unsigned int irq);
/* Return: 0, -EINVAL (not an MSI irq), -ERANGE (the target's APIC id does not fit). Any context. */
int arch_msi_compose(unsigned int irq, u64 *addr, u32 *data);
/*
 * The irq of a wired interrupt a device-tree device names in `interrupts` (boot_device.irq,
 * e.g. a virtio-mmio slot): riscv64 a PLIC source, made on first use. x86_64 has no IOAPIC
 * driver: -EOPNOTSUPP.
 * Return: the irq (> 0), -ENODEV (no controller), -EINVAL (no such source), -EOPNOTSUPP.
 * Context: process context, IRQs on.
 */
int arch_platform_irq(u32 hwirq);

/*
 * A device interrupt the tests can raise on demand (kernel/tests/irq_test.c). x86_64: an MSI
 * of a pretend device whose table entry its owner callback keeps up to date, delivered as
 * the device would write it: an IPI to the entry's APIC id with its vector; riscv64: the
 * console UART's transmit interrupt through the PLIC (16550 THR-empty, IER bit 1; SiFive
 * txwm), which leaves console input alone.
 * arch_irq_test_source(): the irq, allocated but not requested, and what it is in @what; or
 * -ENODEV. arch_irq_test_raise(): make it fire once (any CPU, IRQs on or off).
 * arch_irq_test_ack(): called by the test's handler to quiet the source (interrupt context).
 * arch_irq_test_release(): give it back, after free_irq().
 */
int arch_irq_test_source(const char **what);
void arch_irq_test_raise(unsigned int irq);
void arch_irq_test_ack(unsigned int irq);
void arch_irq_test_release(unsigned int irq);

/* Implemented by generic code, called by arch code. */
__noreturn void start_secondary(unsigned int cpu);	/* an AP, IRQs off, own stack */
void smp_ipi_handler(void);				/* IPI vector, IRQs off */
void timer_interrupt(void);				/* timer vector, IRQs off */

#endif /* ARCH_ARCH_H */
