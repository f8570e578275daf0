// SPDX-License-Identifier: MIT
/*
 * Ending the machine: power off, reboot, the test verdict exit, and halting one CPU.
 *
 * Power off enters ACPI sleep state S5 by writing SLP_TYP (from the DSDT's \_S5 package)
 * and SLP_EN (bit 13) to the PM1 control registers named by the FADT, both parsed by
 * boot/acpi.c. Without usable tables it tries where QEMU's firmware puts PM1a_CNT, with
 * SLP_TYP 0 (QEMU's S5): port 0x604 (PM base 0x600: SeaBIOS on pc/PIIX4, SeaBIOS and
 * OVMF on q35/ICH9) and 0xb004 (PM base 0xb000: OVMF on pc, older QEMU/Bochs).
 *
 * The test exit: QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,
 * iosize=0x04, added by scripts/qemu-x86_64.sh) ends QEMU with status (value << 1) | 1 when
 * written, so writing 1 gives 3 for "failed"; "passed" is a clean ACPI power-off, status 0.
 *
 * Locking: none. Other CPUs are not stopped: the S5 request ends the whole machine (QEMU
 * acts on it in its main loop), so they simply stop running with it (arch/arch.h).
 */
#include "arch/arch.h"
#include "boot/acpi.h"
#include "kernel/printk.h"
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

#define ACPI_SCI_EN		(1 << 0)	/* PM1 control: the chipset is in ACPI mode */
#define ACPI_SLP_TYP_SHIFT	10
#define ACPI_SLP_TYP_MASK	(7 << ACPI_SLP_TYP_SHIFT)
#define ACPI_SLP_EN		(1 << 13)
#define ACPI_SLP_TYP_S5_QEMU	(0 << ACPI_SLP_TYP_SHIFT)
#define QEMU_PM1A_CNT_PORTS	{ 0x604, 0xb004 }

#define POWER_OFF_WAIT_NS	1000000000ULL	/* 1 s */

#define ISA_DEBUG_EXIT_PORT	0xf4
#define KBC_STATUS		0x64	/* 8042 keyboard controller status / command */
#define KBC_STATUS_IBF		0x02	/* input buffer full: not ready for a command */
#define KBC_CMD_RESET		0xfe	/* pulse the CPU reset line */
#define PCI_RESET_CONTROL	0xcf9	/* ICH/PIIX reset control register */
#define PCI_RESET_HARD		0x06	/* system reset + reset CPU */

void arch_halt(void)
{
	for (;;) {
		native_irq_disable();
		halt();
	}
}

/* Write SLP_TYP | SLP_EN to one PM1 control register (I/O space only), keeping other bits. */
static void acpi_pm1_sleep(phys_addr_t reg, u8 space, u8 slp_typ)
{
	if (!reg || space != ACPI_SPACE_IO || reg > 0xffff)
		return;
	u16 v = inw(reg) & ~ACPI_SLP_TYP_MASK;

	outw(v | ((slp_typ << ACPI_SLP_TYP_SHIFT) & ACPI_SLP_TYP_MASK) | ACPI_SLP_EN, reg);
}

/*
 * Busy-wait about `ns` nanoseconds. Before the TSC is calibrated arch_clock_ns() stays 0,
 * so then count raw TSC cycles instead: at least as long on any CPU slower than 1 GHz.
 */
static void power_wait_ns(u64 ns)
{
	u64 t0 = arch_clock_ns(), c0 = rdtsc();

	while (t0 ? arch_clock_ns() - t0 < ns : rdtsc() - c0 < ns)
		cpu_relax();
}

/*
 * S5 as the FADT and DSDT describe it; returns false if the tables did not say how. Firmware
 * may still be in legacy (SMM) mode, where SLP_EN does nothing: the FADT's ACPI_ENABLE value
 * written to SMI_CMD switches it, and SCI_EN says when it has.
 */
static bool acpi_power_off(void)
{
	const struct acpi_info *ai = &acpi_info;

	if (!ai->have_fadt || !ai->have_s5 || ai->pm1a_cnt_space != ACPI_SPACE_IO ||
	    !ai->pm1a_cnt || ai->pm1a_cnt > 0xffff)
		return false;
	if (ai->smi_cmd && ai->smi_cmd <= 0xffff && ai->acpi_enable &&
	    !(inw(ai->pm1a_cnt) & ACPI_SCI_EN)) {
		outb(ai->acpi_enable, ai->smi_cmd);
		for (unsigned int i = 0; i < 300 && !(inw(ai->pm1a_cnt) & ACPI_SCI_EN); i++)
			power_wait_ns(1000000);
	}
	acpi_pm1_sleep(ai->pm1a_cnt, ai->pm1a_cnt_space, ai->s5_slp_typa);
	acpi_pm1_sleep(ai->pm1b_cnt, ai->pm1b_cnt_space, ai->s5_slp_typb);
	return true;
}

void arch_power_off(void)
{
	static const u16 pm1a_cnt[] = QEMU_PM1A_CNT_PORTS;

	native_irq_disable();
	/*
	 * QEMU acts on a sleep request in its main loop, not inside the port write: this CPU
	 * runs on for a moment. Each attempt therefore waits before the next one, and before
	 * declaring failure, so nothing more is printed on a successful power-off.
	 */
	if (acpi_power_off())
		power_wait_ns(POWER_OFF_WAIT_NS);
	for (unsigned int i = 0; i < ARRAY_SIZE(pm1a_cnt); i++)
		outw(ACPI_SLP_EN | ACPI_SLP_TYP_S5_QEMU, pm1a_cnt[i]);
	power_wait_ns(POWER_OFF_WAIT_NS);
	pr_emerg("x86: ACPI power-off had no effect: halting\n");
	arch_halt();
}

void arch_reboot(void)
{
	native_irq_disable();
	/* The 8042 takes a command only once its input buffer is empty. */
	for (unsigned int i = 0; i < 100000 && (inb(KBC_STATUS) & KBC_STATUS_IBF); i++)
		cpu_relax();
	outb(KBC_CMD_RESET, KBC_STATUS);
	outb(PCI_RESET_HARD, PCI_RESET_CONTROL);
	/*
	 * Last resort, a triple fault: with an empty IDT the breakpoint cannot be delivered,
	 * nor can the resulting #GP or #DF, and the CPU resets.
	 */
	struct {
		u16 limit;
		u64 base;
	} __packed empty_idt = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" : : "m"(empty_idt) : "memory");
	arch_halt();
}

void arch_test_exit(bool passed)
{
	if (passed)
		arch_power_off();
	native_irq_disable();
	outl(1, ISA_DEBUG_EXIT_PORT);	/* QEMU exits with status (1 << 1) | 1 = 3 */
	pr_emerg("x86: no isa-debug-exit device at %#x to report the failure: powering off\n",
		 ISA_DEBUG_EXIT_PORT);
	arch_power_off();
}
