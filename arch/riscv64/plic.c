// SPDX-License-Identifier: MIT
/*
 * The RISC-V Platform-Level Interrupt Controller (the PLIC specification, riscv/riscv-plic-spec
 * 1.0.0): the "PLIC" chip of kernel/irq.h for device interrupts on riscv64.
 *
 * Sources 1..ndev (riscv,ndev) are wired to devices; a context is one hart's privilege level
 * (interrupts-extended in the device tree, boot_info.irqchip). Per source: a priority (0 never
 * interrupts); per context: an enable bit per source, a priority threshold, and a
 * claim/complete register. A hart whose context has an enabled source pending above its
 * threshold sees its S-mode external interrupt (scause 9, sie.SEIE); it claims the source (the
 * read returns its number and clears its pending bit), runs the handler and completes it
 * (writes the number back), which lets the source's gateway forward the next request.
 *
 *	priority[src]		base + 4 * src			1 while allocated, else 0
 *	enable[ctx]		base + 0x2000 + 0x80 * ctx	one bit per source, 32 per word
 *	threshold[ctx]		base + 0x200000 + 0x1000 * ctx	0: every priority
 *	claim/complete[ctx]	base + 0x200004 + 0x1000 * ctx
 *
 * Tessera uses only S-mode contexts (M-mode belongs to the firmware): each online hart has
 * one, and an interrupt is enabled in exactly one context, its target CPU's.
 *
 * ==== Moving an interrupt to another hart ====
 *
 * A completion written to a context in which the source is not enabled is ignored (spec,
 * "Interrupt Completion"), and the source's gateway then stays closed for good. So the old
 * context's enable bit is cleared by the old hart itself, from a cross-CPU call: it runs with
 * IRQs off, between two of its external-interrupt traps, never between a claim and its
 * completion. Then the bit is set in the new context. A request that arrived meanwhile stays
 * pending in the PLIC and goes to the new hart: nothing is lost, nothing taken twice. Masking
 * clears the bit the same way.
 *
 * Locking: enable words are read-modify-written only under irq_lock (by the chip ops, which
 * irq_lock serialises, including the cross-CPU calls they wait for). plic_lock (process
 * context) guards plic_irqs[] (lock order: plic_lock -> irq_lock). plic_descs[] entries are
 * published with release under irq_lock and read with acquire by the trap handler. A hart's
 * context number is written by the hart before it is online (m, per CPU) and constant while
 * it is online. The rest is set by the boot CPU before SMP (m), then constant (c).
 */
#define pr_fmt(fmt) "plic: " fmt

#include "arch/arch.h"
#include "arch/riscv64/cpu_local.h"
#include "arch/riscv64/plic.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/cpumask.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include <asm/csr.h>
#include <asm/io.h>
#include <asm/memory.h>

#define PLIC_MAX_SOURCES	1024	/* the spec's limit: sources 1..1023 */
#define PLIC_PRIORITY(src)	(4 * (src))
#define PLIC_ENABLE(ctx, src)	(0x2000 + 0x80 * (ctx) + 4 * ((src) / 32))
#define PLIC_THRESHOLD(ctx)	(0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)		(0x200004 + 0x1000 * (ctx))
#define PLIC_NO_CONTEXT		(-1)

static u8 *plic_base;					/* NULL: no PLIC (c) */
static u32 plic_ndev;					/* sources 1..plic_ndev (c) */
static int plic_cpu_ctx[NR_CPUS];			/* S-mode context of each CPU (see Locking) */
static struct irq_desc *plic_descs[PLIC_MAX_SOURCES];	/* source -> descriptor (see Locking) */
static int plic_irqs[PLIC_MAX_SOURCES];			/* source -> irq number, 0 if none */
static DEFINE_SPINLOCK(plic_lock);
static u64 plic_unexpected;				/* claims with no descriptor (l) */

static u32 plic_read(u32 off)
{
	return readl(plic_base + off);
}

static void plic_write(u32 off, u32 v)
{
	writel(v, plic_base + off);
}

/* The S-mode context of hart @hartid in boot_info, or PLIC_NO_CONTEXT. */
static int plic_context_of_hart(u32 hartid)
{
	const struct boot_irqchip *ic = &boot_info.irqchip;

	for (unsigned int i = 0; i < ic->nr_contexts; i++)
		if (ic->contexts[i].hartid == hartid && ic->contexts[i].irq == BOOT_IRQ_CTX_S_EXT)
			return (int)i;
	return PLIC_NO_CONTEXT;
}

/* Set or clear @src's enable bit in @ctx. Context: irq_lock held (by this CPU or a waiter). */
static void plic_toggle(int ctx, u32 src, bool on)
{
	u32 off = PLIC_ENABLE(ctx, src), bit = 1U << (src % 32);
	u32 v = plic_read(off);

	plic_write(off, on ? v | bit : v & ~bit);
	/*
	 * Make the PLIC look at its outputs again. The spec has enable bits take effect at
	 * once; QEMU's model (seen with 7.2) re-evaluates a context's interrupt line on
	 * threshold, claim and complete accesses and on source changes, but not on an enable
	 * write. Without this, a request pending while its interrupt moves reaches the new
	 * hart only with the source's next change (a device that waits for its answer never
	 * makes one: ktest irq_busy_virtio_rng_through_hotplug timed out 3 times in 4
	 * cycles), and the old hart's line stays up. Our threshold is always 0: writing it
	 * again changes nothing else, on QEMU or on hardware.
	 */
	plic_write(PLIC_THRESHOLD(ctx), 0);
}

/* ---- The chip ---- */

static int plic_activate(struct irq_desc *desc)
{
	u32 src = (u32)desc->hwirq;

	/* Release: the trap handler that finds the descriptor sees it filled in. */
	__atomic_store_n(&plic_descs[src], desc, __ATOMIC_RELEASE);
	plic_write(PLIC_PRIORITY(src), 1);
	return 0;
}

static void plic_deactivate(struct irq_desc *desc)
{
	u32 src = (u32)desc->hwirq;

	plic_write(PLIC_PRIORITY(src), 0);
	__atomic_store_n(&plic_descs[src], NULL, __ATOMIC_RELEASE);
}

struct plic_disable_args {
	int ctx;
	u32 src;
};

/* Clear the bit from the hart that owns the context. Context: that hart, IRQs off. */
static void plic_disable_here(void *info)
{
	struct plic_disable_args *a = info;

	plic_toggle(a->ctx, a->src, false);
}

/* Stop @cpu from taking @src, never between its claim and completion. Context: irq_lock. */
static void plic_disable_on(unsigned int cpu, u32 src)
{
	struct plic_disable_args a = { .ctx = plic_cpu_ctx[cpu], .src = src };

	if (a.ctx == PLIC_NO_CONTEXT)
		return;
	if (cpu_online(cpu))
		smp_call_function_single(cpu, plic_disable_here, &a, true);
	else	/* it claims nothing any more */
		plic_toggle(a.ctx, src, false);
}

static void plic_mask(struct irq_desc *desc)
{
	plic_disable_on(desc->cpu, (u32)desc->hwirq);
}

static void plic_unmask(struct irq_desc *desc)
{
	int ctx = plic_cpu_ctx[desc->cpu];

	if (!WARN(ctx == PLIC_NO_CONTEXT, "plic: CPU%u has no S-mode context\n", desc->cpu))
		plic_toggle(ctx, (u32)desc->hwirq, true);
}

/* Complete on this hart's context, where it was claimed. Context: the trap, IRQs off. */
static void plic_eoi(struct irq_desc *desc)
{
	plic_write(PLIC_CLAIM(plic_cpu_ctx[smp_processor_id()]), (u32)desc->hwirq);
}

static int plic_set_affinity(struct irq_desc *desc, unsigned int cpu)
{
	if (plic_cpu_ctx[cpu] == PLIC_NO_CONTEXT)
		return -EINVAL;
	if (desc->masked) {
		WRITE_ONCE(desc->cpu, cpu);
		return 0;
	}
	plic_disable_on(desc->cpu, (u32)desc->hwirq);
	WRITE_ONCE(desc->cpu, cpu);
	plic_toggle(plic_cpu_ctx[cpu], (u32)desc->hwirq, true);
	return 0;
}

static const struct irq_chip plic_chip = {
	.name = "PLIC",
	.activate = plic_activate,
	.deactivate = plic_deactivate,
	.mask = plic_mask,
	.unmask = plic_unmask,
	.eoi = plic_eoi,
	.set_affinity = plic_set_affinity,
};

/**
 * arch_platform_irq() - the irq of PLIC source @hwirq (a device tree `interrupts` value),
 * made on first use.
 * Return: the irq (> 0); -ENODEV (no PLIC), -EINVAL (no such source), irq_alloc()'s error.
 * Context: process context, IRQs on; takes plic_lock and irq_lock.
 */
int arch_platform_irq(u32 hwirq)
{
	int irq;

	if (!plic_base)
		return -ENODEV;
	if (hwirq == 0 || hwirq > plic_ndev)
		return -EINVAL;
	guard(spinlock)(&plic_lock);
	if (plic_irqs[hwirq])
		return plic_irqs[hwirq];
	irq = irq_alloc(&plic_chip, hwirq, NULL);
	if (irq > 0)
		plic_irqs[hwirq] = irq;
	return irq;
}

/**
 * plic_handle_irq() - the S-mode external interrupt: claim and dispatch until none is left.
 *
 * Context: the hart that trapped, IRQs off, interrupt context.
 */
void plic_handle_irq(void)
{
	int ctx = plic_base ? plic_cpu_ctx[smp_processor_id()] : PLIC_NO_CONTEXT;
	u32 src;

	if (ctx == PLIC_NO_CONTEXT) {
		csr_clear(sie, SIE_SEIE);
		pr_warn("external interrupt on CPU%u, which has no PLIC context: masked\n",
			smp_processor_id());
		return;
	}
	while ((src = plic_read(PLIC_CLAIM(ctx))) != 0) {
		struct irq_desc *desc = NULL;

		if (src < PLIC_MAX_SOURCES)
			desc = __atomic_load_n(&plic_descs[src], __ATOMIC_ACQUIRE);
		if (desc) {
			irq_handle_desc(desc);		/* completes through plic_eoi() */
			continue;
		}
		plic_write(PLIC_CLAIM(ctx), src);
		if (__atomic_fetch_add(&plic_unexpected, 1, __ATOMIC_RELAXED) < 10)
			pr_warn("source %u claimed on CPU%u belongs to no interrupt\n", src,
				smp_processor_id());
	}
}

/**
 * plic_init_hart() - find this hart's S-mode context, accept every priority there, and
 * unmask the external interrupt (sie.SEIE; sstatus.SIE still decides when).
 *
 * Context: the hart itself, IRQs off, before it is online (boot and every start).
 */
void plic_init_hart(void)
{
	unsigned int cpu = smp_processor_id();
	int ctx;

	if (!plic_base)
		return;
	ctx = plic_context_of_hart(this_cpu_local()->hartid);
	plic_cpu_ctx[cpu] = ctx;
	if (ctx == PLIC_NO_CONTEXT) {
		pr_warn("hart %u has no S-mode context: CPU%u takes no device interrupts\n",
			this_cpu_local()->hartid, cpu);
		return;
	}
	plic_write(PLIC_THRESHOLD(ctx), 0);
	csr_set(sie, SIE_SEIE);
}

/**
 * plic_init() - set up the PLIC boot_info describes: every source off, every S-mode context
 * with nothing enabled; then the boot hart's context.
 *
 * Context: boot CPU, IRQs off, after the device tree was read, before SMP.
 */
void plic_init(void)
{
	const struct boot_irqchip *ic = &boot_info.irqchip;
	unsigned int nr_s = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		plic_cpu_ctx[cpu] = PLIC_NO_CONTEXT;
	if (!ic->compatible[0] || !ic->base) {
		pr_info("no PLIC in the device tree: no device interrupts\n");
		return;
	}
	if (ic->ndev == 0 || ic->ndev >= PLIC_MAX_SOURCES) {
		pr_warn("%s: riscv,ndev = %u is not 1..%u: not used\n", ic->compatible, ic->ndev,
			PLIC_MAX_SOURCES - 1);
		return;
	}
	plic_base = __va(ic->base);
	plic_ndev = ic->ndev;
	for (u32 src = 1; src <= plic_ndev; src++)
		plic_write(PLIC_PRIORITY(src), 0);
	for (unsigned int i = 0; i < ic->nr_contexts; i++) {
		if (ic->contexts[i].irq != BOOT_IRQ_CTX_S_EXT)
			continue;
		for (u32 w = 0; w <= plic_ndev / 32; w++)
			plic_write(PLIC_ENABLE(i, w * 32), 0);
		nr_s++;
	}
	pr_info("%s at %#llx: %u sources, %u contexts, %u of them S-mode\n", ic->compatible,
		(unsigned long long)ic->base, plic_ndev, ic->nr_contexts, nr_s);
	for (unsigned int i = 0; i < ic->nr_contexts; i++) {
		const struct boot_irqchip_context *c = &ic->contexts[i];

		if (c->hartid == BOOT_IRQ_CTX_NO_HART)
			pr_info("  context %u: no known hart (interrupt %u)\n", i, c->irq);
		else
			pr_info("  context %u: hart %u %s (interrupt %#x)\n", i, c->hartid,
				c->irq == BOOT_IRQ_CTX_S_EXT ? "S-mode" :
				c->irq == BOOT_IRQ_CTX_M_EXT ? "M-mode" :
				c->irq == BOOT_IRQ_CTX_HIDDEN ? "M-mode, hidden by the firmware" :
				"neither S- nor M-mode",
				c->irq);
	}
	plic_init_hart();
}
