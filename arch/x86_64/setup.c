// SPDX-License-Identifier: MIT
/*
 * x86_64_start_kernel(): the C half of the boot CPU's entry. head.S arrives here in long mode
 * on the boot stack, running in the higher half with the boot page tables; this file gets the
 * CPU into the state start_kernel() expects (DESIGN.md 2) and fills struct boot_info from
 * the multiboot2 information GRUB left behind.
 *
 * Locking: boot CPU only, IRQs off, before SMP (m).
 */
#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/i8259.h"
#include "arch/x86_64/segment.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/tsc.h"
#include "boot/acpi.h"
#include "boot/multiboot2.h"
#include "kernel/boot_info.h"
#include "kernel/printk.h"
#include <asm/memory.h>
#include <asm/processor.h>

/* Linker script: physical bounds of the whole image, head through bss. */
extern char __kernel_phys_start[], __kernel_phys_end[];

/* The double fault handler's stack (IST1) for CPU 0. */
static u8 boot_df_stack[IST_STACK_SIZE] __aligned(16);

/* Called from head.S only. */
__noreturn void x86_64_start_kernel(u32 mb2_info);

/**
 * multiboot2_parse() - see boot/multiboot2.h. The arch half: find the block in the boot
 * direct map and let the arch-free parser read at most what is mapped.
 *
 * Context: Boot CPU, boot page tables (the first BOOT_DIRECT_MAP_SIZE is mapped).
 */
int multiboot2_parse(struct boot_info *bi, phys_addr_t info)
{
	if (!info || info > BOOT_DIRECT_MAP_SIZE - sizeof(struct mb2_info_header)) {
		pr_err("multiboot2: information block at %#llx is outside the boot map\n",
		       (unsigned long long)info);
		return -1;
	}
	int ret = multiboot2_parse_buf(bi, __va(info), BOOT_DIRECT_MAP_SIZE - info, info);

	/*
	 * Point at boot_info's own copy of the RSDP rather than the block's: everything else
	 * the block held has been copied out too, so nothing depends on it any more. That
	 * matters because GRUB may put the block anywhere in low memory, on UEFI even across
	 * the AP trampoline page, which the SMP code overwrites.
	 */
	if (bi->acpi_rsdp_len)
		bi->acpi_rsdp = __pa(bi->acpi_rsdp_copy);
	return ret;
}

/*
 * Memory the page allocator must never get, besides what the parser reserved:
 *  - the kernel image, text to bss (page tables and the boot stack are in bss);
 *  - the first page: the real-mode interrupt vector table and BIOS data area, which firmware
 *    and option ROMs may still read, and a NULL physical address that is then never a page;
 *  - the AP start-up trampoline page (the SMP code copies 16-bit code there: a STARTUP IPI
 *    can only name a 4 KiB page below 1 MiB).
 * Nothing else below 1 MiB: the EBDA, video memory and ROMs are not RAM in the firmware map
 * anyway, and memblock only hands out what the map calls RAM.
 */
static void x86_reserve_boot_memory(struct boot_info *bi)
{
	/* Absolute symbols: their "addresses" are the physical bounds themselves. */
	phys_addr_t start = (unsigned long)__kernel_phys_start;
	phys_addr_t end = (unsigned long)__kernel_phys_end;

	boot_add_reserved(bi, start, end - start, BOOT_RSV_KERNEL);
	boot_add_reserved(bi, 0, X86_LOWMEM_RESERVED_SIZE, BOOT_RSV_LOWMEM);
	boot_add_reserved(bi, X86_TRAMPOLINE_PHYS, X86_TRAMPOLINE_SIZE, BOOT_RSV_LOWMEM);
}

/*
 * What the firmware did not spell out but generic code wants in boot_info: the boot CPU and
 * the console UART. acpi_init() later replaces the CPU list with the MADT's and keeps
 * boot_cpu_index on the entry with this APIC id.
 */
static void x86_describe_platform(struct boot_info *bi, u32 apic_id)
{
	if (bi->nr_cpus == 0) {
		bi->cpus[0] = (struct boot_cpu){ .hwid = apic_id, .enabled = true };
		bi->nr_cpus = 1;
		bi->boot_cpu_index = 0;
	}

	struct boot_device *com1 = boot_add_device(bi, "pc-com1");

	if (com1) {
		com1->base = 0x3f8;	/* an I/O port, not MMIO */
		com1->size = 8;
		com1->irq = 4;
		com1->reg_io_width = 1;
		com1->clock = 1843200;
		bi->console_device = com1 - bi->devices;
	}
}

/**
 * x86_64_start_kernel() - boot CPU: from head.S to start_kernel().
 * @mb2_info: physical address of the multiboot2 information (EBX at entry)
 *
 * Context: Boot CPU, IRQs off, boot page tables, boot stack. Never returns.
 */
void x86_64_start_kernel(u32 mb2_info)
{
	u64 boot_tsc = rdtsc();				/* time zero for arch_clock_ns() */
	u32 apic_id = x86_cpuid_apic_id();		/* leaf 0xb: the full x2APIC id */

	x86_cpu_local_init(&percpu_boot_hdr, &boot_cpu_local, apic_id); /* GS: CPU number */
	x86_gdt_init(&boot_cpu_local, boot_df_stack + sizeof(boot_df_stack)); /* + TSS, IST1 */
	x86_idt_init();					/* exceptions dump from here on */
	i8259_init();					/* legacy PICs remapped and masked */
	arch_early_console_init();			/* COM1: the parser below may warn */
	x86_tsc_init(boot_tsc);				/* clock calibrated against the PIT */
	if (multiboot2_parse(&boot_info, mb2_info) < 0)	/* memory map, cmdline, ACPI */
		pr_err("x86: no usable multiboot2 information: boot will fail for lack of RAM\n");
	x86_reserve_boot_memory(&boot_info);		/* kernel image, low memory */
	x86_describe_platform(&boot_info, apic_id);	/* boot CPU, COM1 */
	start_kernel();
}

/*
 * Every PC chipset, pc's i440FX and q35's ICH9 alike, answers PCI configuration mechanism #1
 * (ports 0xcf8/0xcfc) for segment 0. Without an MCFG (the i440FX has no ECAM) it is the way
 * in; with one, ECAM is preferred because it also reaches the extended space.
 */
static void x86_pci_conf1_host(struct boot_info *bi)
{
	for (unsigned int i = 0; i < bi->nr_pci_hosts; i++)
		if (bi->pci_hosts[i].segment == 0)
			return;
	struct boot_pci_host *h = boot_add_pci_host(bi, BOOT_PCI_CONF1);

	if (h)
		h->bus_end = 0xff;
}

/*
 * ACPI: the MADT's CPUs (replacing the multiboot2 fallback list), the FADT's power-off and
 * the MCFG's ECAM; then configuration mechanism #1 where the MCFG gave no PCI segment 0.
 */
void arch_platform_init(void)
{
	acpi_init();
	x86_pci_conf1_host(&boot_info);
}
