// SPDX-License-Identifier: MIT
/*
 * The boot story. The arch entry (arch/<arch>/head.S) has set up a stack, paging (x86_64),
 * traps and CPU 0's per-CPU base, and its boot protocol parser (boot/) has filled boot_info.
 * start_kernel() runs on the boot CPU; start_secondary() runs on every other CPU and is
 * visibly a subset of it.
 */
#include "arch/arch.h"
#include <asm/processor.h>
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/lockstat.h"
#include "kernel/bug.h"
#include "kernel/ktest.h"
#include "kernel/shell.h"
#include "kernel/smp.h"
#include "kernel/bench.h"
#include "kernel/numa.h"
#include "kernel/idle.h"
#include "drivers/virtio/virtio_mmio.h"
#include "kernel/workqueue.h"
#include "drivers/virtio/virtio_pci.h"
#include "drivers/virtio/virtio_rng.h"
#include "drivers/virtio/virtio_balloon.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/compaction.h"
#include "mm/percpu.h"
#include "drivers/pci/pci.h"

#define TESSERA_VERSION "0.1"


/* Print what the bootloader handed us, before memblock sanitises it. */
static void boot_info_dump(const struct boot_info *bi)
{
	pr_info("Boot loader: %s\n", bi->loader_name ? bi->loader_name : "unknown");
	pr_info("Command line: %s\n", bi->cmdline);
	pr_info("Firmware memory map (%u entries%s):\n", bi->nr_memory,
		bi->efi_boot ? ", from the EFI map" : "");
	for (unsigned int i = 0; i < bi->nr_memory; i++) {
		const struct boot_range *r = &bi->memory[i];

		pr_info("  [mem %#018llx-%#018llx] %s\n", (unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1), boot_mem_type_name(r->type));
	}
	for (unsigned int i = 0; i < bi->nr_reserved; i++) {
		const struct boot_range *r = &bi->reserved[i];

		pr_info("  reserve [mem %#018llx-%#018llx] %s\n", (unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1), boot_rsv_kind_name(r->type));
	}
	if (bi->nr_dropped)
		pr_warn("boot: %u ranges or devices did not fit in boot_info and were dropped\n",
			bi->nr_dropped);
}

static void cmdline_setup(void)
{
	unsigned long level;

	cmdline_init(boot_info.cmdline);
	if (cmdline_get_ulong("loglevel", &level))
		printk_set_loglevel((int)level);
}

/* Run `ktest=` suites and end QEMU with their verdict; never returns if ktest= is given. */
static void run_ktest_if_asked(void)
{
	char spec[256];

	if (!cmdline_get("ktest", spec, sizeof(spec)))
		return;
	if (!spec[0])		/* a bare `ktest` means every suite */
		snprintf(spec, sizeof(spec), "all");
	int failed = ktest_run(spec);

	arch_test_exit(failed == 0);
}

__noreturn void start_kernel(void)
{
	arch_early_console_init();	/* printk reaches the serial line from here on */
	cmdline_setup();		/* loglevel= and friends take effect */
	pr_notice("Tessera %s (%s) starting on CPU 0\n", TESSERA_VERSION, ARCH_NAME);
	boot_info_dump(&boot_info);	/* what the firmware said, unsanitised */
	memblock_init(&boot_info);	/* sanitised memory and reserved ranges */
	arch_mm_init();			/* x86_64: direct map of all RAM */
	arch_platform_init();		/* firmware tables (ACPI: CPUs from the MADT) via __va */
	smp_prepare_cpus();		/* CPU masks and hardware ids from boot_info, maxcpus= */
	numa_init();			/* nodes: their CPUs, memory, distances (SRAT, DT) */
	setup_per_cpu_areas();		/* per-CPU areas and AP stacks, from memblock */
	mm_core_init();			/* memmap, zones, buddy: every free page handed over */
	pci_init();			/* host bridges from boot_info, buses, BARs placed */
	workqueue_init();		/* deferred work: its CPU hotplug step */
	smp_init();			/* start the other CPUs; they idle in start_secondary() */
	arch_local_irq_enable();	/* IPIs and the timer from here on */
	lockstat_init();		/* lock statistics on if lockstat=on */
	virtio_mmio_init();		/* virtio-mmio slots: devices registered with the core */
	virtio_pci_init();		/* virtio PCI functions: modern or legacy, registered */
	virtio_rng_init();		/* the entropy driver binds every entropy device */
	virtio_balloon_init();		/* the balloon driver binds to a balloon device */
	compaction_init();		/* proactive compaction's work, on the last CPU */
	run_ktest_if_asked();		/* ktest=...: run suites, power off with the verdict */
	bench_run_if_asked();		/* bench=...: print tables, power off */
	shell_run_boot_commands();	/* shell.run="cmd;cmd" */
	shell_loop();			/* the serial shell, until poweroff */
}

/* Every other CPU: the arch brought it up on its own stack with IRQs off. */
__noreturn void start_secondary(unsigned int cpu)
{
	smp_secondary_init(cpu);	/* per-CPU base, marked online, the boot CPU sees it */
	cpu_idle_loop();		/* hlt/wfi with IRQs on: IPIs run queued calls */
}
