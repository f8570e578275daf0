// SPDX-License-Identifier: MIT
/*
 * The x86_64 half of SMP: starting an application processor (arch_cpu_start) and sending the
 * cross-CPU call IPI (arch_send_ipi). kernel/smp.c decides which CPUs to start and waits for
 * each; this file gets one from reset to start_secondary().
 *
 * An AP's journey:
 *
 *	boot CPU: arch_cpu_start(cpu, apic_id, stack_top)
 *	  allocate the AP's struct x86_cpu_local and double-fault stack (once per CPU)
 *	  copy the trampoline to 0x8000, fill its parameters (page tables, stack, cpu)
 *	  INIT, 10 ms, STARTUP(0x08), 200 us, STARTUP(0x08)        (apic.c)
 *	  return 0: kernel/smp.c now waits, bounded, for the AP to come online
 *	AP: real mode at 0800:0000 -> 32-bit -> long mode on the trampoline PML4 (trampoline.S)
 *	  x86_ap_entry64: kernel CR3, own stack -> x86_ap_start(cpu):
 *	  GS base -> its percpu_hdr; GDT + TSS (IST1 double-fault stack); the shared IDT;
 *	  local APIC on and its timer running; start_secondary(cpu) with IRQs off
 *
 * Locking: APs start one at a time (smp_init() waits for each), so the trampoline page and
 * its parameter block have one user at a time (m: the boot CPU writes them before the SIPI,
 * the AP only reads them). A CPU that comes up after smp_init() stopped waiting for it (5 s)
 * may read the next CPU's parameters; kernel/smp.c parks it as "too late" by its boot state,
 * and the APIC id check below reports the mix-up.
 */
#define pr_fmt(fmt) "smpboot: " fmt

#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu_local.h"
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/segment.h"
#include "arch/x86_64/smpboot.h"
#include "arch/x86_64/trap.h"
#include "boot/acpi.h"
#include "kernel/bug.h"
#include "kernel/lib/string.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include <asm/memory.h>
#include <asm/processor.h>
#include "kernel/errno.h"

#define EFER_LMA		0x00000400	/* bit 10: long mode active (read-only) */
#define DF_STACK_ORDER		1		/* 2 pages = IST_STACK_SIZE */

_Static_assert(TRAMP_PHYS == X86_TRAMPOLINE_PHYS, "smpboot.h and asm/memory.h disagree");
_Static_assert(offsetof(struct x86_trampoline_params, pml4) == TRAMP_PML4, "TRAMP_PML4");
_Static_assert(offsetof(struct x86_trampoline_params, cr4) == TRAMP_CR4, "TRAMP_CR4");
_Static_assert(offsetof(struct x86_trampoline_params, efer) == TRAMP_EFER, "TRAMP_EFER");
_Static_assert(offsetof(struct x86_trampoline_params, entry) == TRAMP_ENTRY, "TRAMP_ENTRY");
_Static_assert(offsetof(struct x86_trampoline_params, cr3) == TRAMP_CR3, "TRAMP_CR3");
_Static_assert(offsetof(struct x86_trampoline_params, stack) == TRAMP_STACK, "TRAMP_STACK");
_Static_assert(offsetof(struct x86_trampoline_params, cpu) == TRAMP_CPU, "TRAMP_CPU");
_Static_assert(sizeof(struct x86_trampoline_params) == TRAMP_PARAMS_SIZE, "TRAMP_PARAMS_SIZE");
_Static_assert(sizeof(struct x86_cpu_local) <= PAGE_SIZE, "x86_cpu_local fits a page");
_Static_assert(IST_STACK_SIZE == PAGE_SIZE << DF_STACK_ORDER, "DF_STACK_ORDER");

/*
 * The trampoline's page tables, in the image and so below 4 GiB (it is loaded at 1 MiB): the
 * kernel's PML4 entries plus an identity map of the first 2 MiB, executable, which covers
 * the trampoline page. Rebuilt before every start (m).
 */
static pteval_t tramp_pml4[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static pteval_t tramp_pdpt[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static pteval_t tramp_pd[PTRS_PER_TABLE] __aligned(PAGE_SIZE);

/* What an AP needs before it can take a fault safely; allocated once per CPU (m). */
struct ap_boot_data {
	struct x86_cpu_local *cl;	/* its GDT, TSS, APIC id */
	void *df_stack_top;		/* its double-fault (IST1) stack */
};
static struct ap_boot_data ap_boot[NR_CPUS];

/* Give `cpu` its arch block and double-fault stack, unless an earlier start did. */
static int ap_alloc(unsigned int cpu)
{
	struct ap_boot_data *d = &ap_boot[cpu];

	if (d->cl)
		return 0;
	unsigned long cl = get_zeroed_page(GFP_KERNEL);
	unsigned long df = __get_free_pages(GFP_KERNEL, DF_STACK_ORDER);

	if (!cl || !df) {
		if (cl)
			free_pages(cl, 0);
		if (df)
			free_pages(df, DF_STACK_ORDER);
		return -ENOMEM;
	}
	d->cl = (struct x86_cpu_local *)cl;
	d->df_stack_top = (void *)(df + IST_STACK_SIZE);
	return 0;
}

/* Copy the trampoline to its page and fill in the parameters for `cpu`. */
static void trampoline_prepare(unsigned int cpu, void *stack_top)
{
	const pteval_t *kpml4 = __va(read_cr3() & PTE_ADDR_MASK);
	size_t len = (size_t)(x86_trampoline_end - x86_trampoline_start);
	u8 *page = __va(X86_TRAMPOLINE_PHYS);
	struct x86_trampoline_params *p =
		(void *)(page + (x86_trampoline_params - x86_trampoline_start));

	BUG_ON(len > X86_TRAMPOLINE_SIZE);
	/* Protected mode loads CR3 from a 32-bit register: the tables must be below 4 GiB. */
	BUG_ON(__pa(tramp_pml4) >= SZ_4G);

	memcpy(tramp_pml4, kpml4, PAGE_SIZE);		/* the kernel's upper half, shared */
	tramp_pd[0] = 0 | PTE_PRESENT | PTE_RW | PTE_PS; /* [0, 2 MiB) identity, executable */
	tramp_pdpt[0] = __pa(tramp_pd) | PTE_PRESENT | PTE_RW;
	tramp_pml4[0] = __pa(tramp_pdpt) | PTE_PRESENT | PTE_RW;

	memcpy(page, x86_trampoline_start, len);
	p->pml4 = (u32)__pa(tramp_pml4);
	p->cr4 = X86_CR4_PAE;			/* the only CR4 bit the kernel runs with */
	p->efer = rdmsr(MSR_EFER) & ~(u64)EFER_LMA; /* LME, NXE as on this CPU */
	p->entry = (u64)x86_ap_entry64;
	p->cr3 = read_cr3();
	p->stack = (u64)stack_top;
	p->cpu = cpu;
	/*
	 * No fence before the SIPI: these are write-back stores and the STARTUP IPI is an
	 * uncached MMIO (or x2APIC MSR, fenced in apic.c) write after them, which x86 does not
	 * let pass earlier stores.
	 */
}

/* The MADT and IA32_APIC_BASE should agree on where the APIC is; say so once if not. */
static void check_apic_base(void)
{
	static bool checked;

	if (checked)
		return;
	checked = true;
	if (acpi_info.have_madt && acpi_info.lapic_base &&
	    acpi_info.lapic_base != x86_apic_phys())
		pr_warn("MADT says the local APIC is at %#llx, the CPU says %#llx; using the CPU's\n",
			(unsigned long long)acpi_info.lapic_base,
			(unsigned long long)x86_apic_phys());
}

/**
 * arch_cpu_start() - start logical CPU @cpu (see arch/arch.h).
 * @cpu:	logical CPU number
 * @hwid:	its APIC id
 * @stack_top:	top of the stack it runs on (mm/percpu.c allocated it)
 *
 * Return: 0 once INIT-SIPI-SIPI was sent; -EINVAL for an APIC id this APIC mode cannot
 * address (above 0xfe without x2APIC) or no stack; -ENOMEM; -EIO if the IPIs failed.
 * Context: Boot CPU, IRQs on or off, after mm_core_init() (allocates pages).
 */
int arch_cpu_start(unsigned int cpu, u32 hwid, void *stack_top)
{
	int err;

	check_apic_base();
	if (cpu >= NR_CPUS || !stack_top || !percpu_hdr_of(cpu))
		return -EINVAL;
	if (hwid > x86_apic_max_id()) {
		pr_err("CPU%u has APIC id %u, which needs x2APIC; this CPU has no x2APIC\n",
		       cpu, hwid);
		return -EINVAL;
	}
	err = ap_alloc(cpu);
	if (err)
		return err;
	trampoline_prepare(cpu, stack_top);
	if (x86_apic_wake_cpu(hwid, TRAMP_SIPI_VECTOR) < 0)
		return -EIO;
	return 0;
}

/**
 * x86_ap_start() - an AP's first C code: per-CPU state, then the generic start.
 * @cpu: its logical number (from the trampoline parameters)
 *
 * Context: The AP, IRQs off, on its own stack and the kernel's page tables; GS base is not
 * set yet, so nothing here may use smp_processor_id() before x86_cpu_local_init().
 */
void x86_ap_start(unsigned int cpu)
{
	struct ap_boot_data *d = &ap_boot[cpu];
	u32 apic_id = x86_cpuid_apic_id();

	x86_cpu_local_init(percpu_hdr_of(cpu), d->cl, apic_id); /* GS: CPU number */
	x86_gdt_init(d->cl, d->df_stack_top);		/* own GDT, TSS with IST1 */
	x86_idt_load();					/* the shared IDT */
	x86_apic_init_ap();				/* IPIs and the timer can arrive */
	if (apic_id != cpu_hwid(cpu))
		pr_warn("CPU%u should have APIC id %u but has %u\n", cpu, cpu_hwid(cpu),
			apic_id);
	start_secondary(cpu);
}

/**
 * arch_send_ipi() - interrupt @cpu with the cross-CPU call vector (see arch/arch.h).
 * Context: Any CPU, any context.
 */
void arch_send_ipi(unsigned int cpu)
{
	x86_apic_send_ipi(cpu_hwid(cpu), IPI_VECTOR);
}
