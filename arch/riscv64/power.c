// SPDX-License-Identifier: MIT
/*
 * riscv64 power: halt, power off and reboot through SBI, and the test-status exit through
 * QEMU's test finisher ("sifive,test0" in the device tree).
 *
 * Why two ways to stop QEMU: SBI SRST shutdown makes QEMU exit with status 0 whatever the
 * reason given, so it cannot tell a test runner "failed". The finisher can: writing 0x5555
 * exits 0, (code << 16) | 0x3333 exits with status code.
 *
 * Locking: none; any CPU may call these, and they do not return.
 */
#include <asm/csr.h>
#include <asm/io.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "kernel/boot_info.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

#define FINISHER_PASS		0x5555
#define FINISHER_FAIL		0x3333
#define FINISHER_CODE_SHIFT	16

__noreturn void arch_halt(void)
{
	for (;;) {
		/* No source may wake us; wfi may still return (it is only a hint): loop. */
		csr_write(sie, 0);
		csr_clear(sstatus, SR_SIE);
		wait_for_interrupt();
	}
}

/*
 * SRST shutdown first. OpenSBI returns "not supported" when the platform has no power-off
 * device (QEMU sifive_u: only a GPIO restart line); its legacy shutdown then hangs the hart
 * instead of returning, so the legacy call is only for firmware without SRST. Last resort:
 * a cold reboot, which QEMU (run with -no-reboot) turns into an exit.
 */
__noreturn void arch_power_off(void)
{
	long err = sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_REASON_NONE);

	if (!sbi_probe_extension(SBI_EXT_SRST))
		sbi_legacy_shutdown();
	pr_emerg("riscv: the firmware cannot power off (SRST shutdown: %s): rebooting instead\n",
		 sbi_err_name(err));
	err = sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	pr_emerg("riscv: reboot failed too (SRST: %s): halting\n", sbi_err_name(err));
	arch_halt();
}

__noreturn void arch_reboot(void)
{
	long err = sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);

	pr_emerg("riscv: reboot failed (SRST: %s; SBI v0.1 has no reboot call): halting\n",
		 sbi_err_name(err));
	arch_halt();
}

static const struct boot_device *find_finisher(void)
{
	for (unsigned int i = 0; i < boot_info.nr_devices; i++)
		if (!strcmp(boot_info.devices[i].compatible, "sifive,test0"))
			return &boot_info.devices[i];
	return NULL;
}

__noreturn void arch_test_exit(bool passed)
{
	const struct boot_device *fin = find_finisher();

	if (fin) {
		u32 code = passed ? FINISHER_PASS : (1U << FINISHER_CODE_SHIFT) | FINISHER_FAIL;

		writel(code, __va(fin->base));
		/* QEMU stops at the write; real hardware has no finisher and goes on. */
		for (int i = 0; i < 1000000; i++)
			cpu_relax();
		pr_emerg("riscv: the test finisher at %#llx did not stop the machine\n",
			 (unsigned long long)fin->base);
	} else {
		pr_emerg("riscv: no test finisher (sifive,test0) in the device tree: the result (%s) cannot be signalled; powering off, QEMU will exit 0 whatever\n",
			 passed ? "pass" : "FAIL");
	}
	arch_power_off();
}
