// SPDX-License-Identifier: MIT
/*
 * The x86_64 per-CPU anchor: GS base -> this CPU's struct percpu_hdr (kernel/percpu.h),
 * whose `arch` field leads to struct x86_cpu_local; and the arch hooks built on it
 * (arch_smp_processor_id, arch_set_percpu_base, arch_percpu_base).
 *
 * Locking: each CPU writes only its own GS base and block (i); the header fields read here
 * are set before the CPU uses them (c).
 */
#include "arch/arch.h"
#include "arch/x86_64/cpu_local.h"
#include <asm/processor.h>

_Static_assert(PERCPU_HDR_CPU == 0, "arch_smp_processor_id() reads %gs:0");

struct x86_cpu_local boot_cpu_local;

/**
 * x86_cpu_local_init() - give this CPU its per-CPU header and arch block.
 * @hdr:	the CPU's header (percpu_boot_hdr for CPU 0), whose cpu field is already set
 * @cl:		the arch block (boot_cpu_local for CPU 0; allocated by the SMP code otherwise)
 * @apic_id:	the CPU's local APIC id
 *
 * Context: The CPU itself, IRQs off, before anything calls smp_processor_id().
 */
void x86_cpu_local_init(struct percpu_hdr *hdr, struct x86_cpu_local *cl, u32 apic_id)
{
	cl->apic_id = apic_id;
	cl->exception_depth = 0;
	cl->icr_high = ~0u;	/* never a real destination word: bits 23:0 are reserved 0 */
	hdr->arch = cl;
	hdr->hwid = apic_id;
	wrmsr(MSR_GS_BASE, (u64)hdr);
}

/*
 * A header the generic code hands over without an arch block inherits this CPU's current
 * one: the GDT, TSS and APIC id belong to the CPU, not to the header.
 */
void arch_set_percpu_base(void *base)
{
	struct percpu_hdr *hdr = base;

	if (!hdr->arch && rdmsr(MSR_GS_BASE))
		hdr->arch = this_cpu_local();
	wrmsr(MSR_GS_BASE, (u64)hdr);
}

/* The header's self pointer: a GS-relative load instead of a slow rdmsr. */
void *arch_percpu_base(void)
{
	void *base;

	__asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(base) : "i"(PERCPU_HDR_SELF));
	return base;
}
