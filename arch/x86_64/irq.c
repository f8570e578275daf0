// SPDX-License-Identifier: MIT
/*
 * x86_64 device interrupts: a vector allocator per CPU, the "APIC-MSI" chip for
 * message-signalled interrupts (kernel/irq.h), their dispatch from x86_trap(), the test
 * source; and the arch.h hooks for idling and spin-waiting.
 *
 * ==== Vectors ====
 *
 * A device interrupt is a vector between FIRST_DEVICE_VECTOR and LAST_DEVICE_VECTOR on one
 * CPU's local APIC; each CPU has its own table, so the same vector number may mean different
 * devices on different CPUs (Linux: arch/x86/kernel/apic/vector.c, much smaller). A device
 * without MSI-X would need the IOAPIC: its redirection table entry per input pin carries the
 * same (destination APIC id, vector) pair as an MSI message, level-triggered for PCI INTx,
 * with the EOI broadcast (or the IOAPIC's EOI register) completing it; the chip here would
 * then write an RTE instead of calling the message's owner.
 *
 * ==== Moving a vector to another CPU ====
 *
 *	1. claim a vector on the new CPU for the descriptor
 *	2. publish (new vector, new CPU) in the descriptor, call the message's owner, which
 *	   writes the new message and flushes it (kernel/irq.h): from now on the device raises
 *	   the new vector, and what it sent with the old message is in the old CPU's IRR
 *	3. retire the old slot on the old CPU, from a cross-CPU call (IRQs off there): if the
 *	   old vector is pending in that APIC's IRR, the device raised it before step 2 and it
 *	   has not run yet; the slot is left in place, the CPU takes the interrupt as soon as the
 *	   call returns, and dispatch, seeing the descriptor moved, empties the slot after
 *	   running the handler. Otherwise the slot is emptied at once.
 * Nothing raised before the move is lost and nothing is taken twice. Step 3 relies on the
 * owner's flush: a message still on its way at that point would find the slot empty. (Linux
 * also keeps the old vector until the first interrupt arrives on the new one.)
 *
 * Locking: a slot is claimed (NULL -> descriptor, cmpxchg) by the chip under irq_lock, and
 * emptied (release store of NULL) only on its own CPU with IRQs off: by the retire call or by
 * dispatch. Dispatch reads it with an acquire load.
 */
#define pr_fmt(fmt) "x86-irq: " fmt

#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/irq_vectors.h"
#include "arch/x86_64/trap.h"
#include "kernel/bug.h"
#include "kernel/cpumask.h"
#include "kernel/irq.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include <asm/irqflags.h>
#include <asm/processor.h>

void arch_idle(void)
{
	native_safe_halt();
}

void arch_cpu_relax(void)
{
	cpu_relax();
}

/* ---- The per-CPU vector tables ---- */

struct vector_table {
	struct irq_desc *desc[NR_VECTORS];	/* see "Locking" above */
};
static DEFINE_PER_CPU(struct vector_table, vector_table);
static u64 unexpected_vectors;			/* device vectors with an empty slot (l) */

#define MSI_ADDR_BASE		0xfee00000U	/* the local APICs' message window */
#define MSI_ADDR_DEST_SHIFT	12		/* destination APIC id, bits 19:12 */
#define MSI_ADDR_DEST_MAX	0xffU		/* 8 bits without interrupt remapping */

static struct irq_desc **vector_slot(unsigned int cpu, unsigned int vector)
{
	return &per_cpu_ptr(&vector_table, cpu)->desc[vector];
}

/* Claim a free device vector on @cpu for @desc; -ENOSPC if none. Context: irq_lock held. */
static int vector_claim(unsigned int cpu, struct irq_desc *desc)
{
	for (unsigned int v = FIRST_DEVICE_VECTOR; v <= LAST_DEVICE_VECTOR; v++) {
		struct irq_desc *none = NULL;

		/* Release: dispatch that finds the descriptor sees it filled in. */
		if (__atomic_compare_exchange_n(vector_slot(cpu, v), &none, desc, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return (int)v;
	}
	pr_err("CPU%u has no device vector left for irq %u\n", cpu, desc->irq);
	return -ENOSPC;
}

struct vector_retire_args {
	unsigned int vector;
	struct irq_desc *desc;
};

/* Step 3 of a move, on the old CPU. Context: that CPU, IRQs off. */
static void vector_retire_here(void *info)
{
	struct vector_retire_args *a = info;
	struct irq_desc **slot = vector_slot(smp_processor_id(), a->vector);

	if (__atomic_load_n(slot, __ATOMIC_RELAXED) != a->desc)
		return;		/* dispatch emptied it already */
	if (x86_apic_irr_test(a->vector))
		return;		/* raised before the move: dispatch takes it and empties it */
	__atomic_store_n(slot, NULL, __ATOMIC_RELEASE);
}

/* Retire @desc's slot @vector on @cpu. Context: irq_lock held, IRQs on. */
static void vector_retire(unsigned int cpu, unsigned int vector, struct irq_desc *desc)
{
	struct vector_retire_args a = { .vector = vector, .desc = desc };

	if (cpu_online(cpu))
		smp_call_function_single(cpu, vector_retire_here, &a, true);
	else	/* an offline CPU takes nothing: its slots are only ours to empty */
		__atomic_store_n(vector_slot(cpu, vector), NULL, __ATOMIC_RELEASE);
}

/**
 * x86_irq_vector() - a device vector arrived: run its descriptor.
 * @vector: FIRST_DEVICE_VECTOR..LAST_DEVICE_VECTOR
 *
 * Context: x86_trap(), IRQs off, interrupt context.
 */
void x86_irq_vector(unsigned int vector)
{
	unsigned int cpu = smp_processor_id();
	struct irq_desc **slot = vector_slot(cpu, vector);
	struct irq_desc *desc = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!desc) {
		x86_apic_eoi();
		if (__atomic_fetch_add(&unexpected_vectors, 1, __ATOMIC_RELAXED) < 10)
			pr_warn("vector %#x on CPU%u belongs to no interrupt\n", vector, cpu);
		return;
	}
	irq_handle_desc(desc);		/* its eoi is the APIC's */
	/* Moved away meanwhile: that was the last one raised here (see step 3 above). */
	if (READ_ONCE(desc->hwirq) != vector || READ_ONCE(desc->cpu) != cpu)
		__atomic_store_n(slot, NULL, __ATOMIC_RELEASE);
}

/* ---- The APIC-MSI chip ---- */

static int msi_activate(struct irq_desc *desc)
{
	int v = vector_claim(desc->cpu, desc);

	if (v < 0)
		return v;
	desc->hwirq = (unsigned long)v;
	return 0;
}

static void msi_deactivate(struct irq_desc *desc)
{
	unsigned int cpu = desc->cpu;

	/* Targeting no CPU: a last pending one makes dispatch empty the slot (step 3). */
	WRITE_ONCE(desc->cpu, NR_CPUS);
	vector_retire(cpu, (unsigned int)desc->hwirq, desc);
}

static void msi_eoi(struct irq_desc *desc)
{
	(void)desc;
	x86_apic_eoi();
}

/* Context: irq_lock held, IRQs on. */
static int msi_set_affinity(struct irq_desc *desc, unsigned int cpu)
{
	unsigned int old_cpu = desc->cpu, old_vector = (unsigned int)desc->hwirq;
	int v = vector_claim(cpu, desc);

	if (v < 0)
		return v;
	WRITE_ONCE(desc->hwirq, (unsigned long)v);
	WRITE_ONCE(desc->cpu, cpu);
	if (desc->msg_update)
		desc->msg_update(desc->irq, desc->msg_owner);
	vector_retire(old_cpu, old_vector, desc);
	return 0;
}

/*
 * Masking an MSI-X interrupt is the device's business (its table's vector-control bit, which
 * its owner sets): no mask/unmask here; a freed one finds no handler and is only counted.
 */
static const struct irq_chip x86_msi_chip = {
	.name = "APIC-MSI",
	.activate = msi_activate,
	.deactivate = msi_deactivate,
	.eoi = msi_eoi,
	.set_affinity = msi_set_affinity,
};

int arch_msi_irq_alloc(void)
{
	return irq_alloc(&x86_msi_chip, 0, NULL);
}

void arch_msi_irq_free(unsigned int irq)
{
	irq_free(irq);
}

int arch_msi_compose(unsigned int irq, u64 *addr, u32 *data)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned int cpu;
	u32 apic_id;

	if (!desc || desc->chip != &x86_msi_chip)
		return -EINVAL;
	cpu = READ_ONCE(desc->cpu);
	if (cpu >= NR_CPUS)
		return -EINVAL;		/* being freed */
	apic_id = cpu_hwid(cpu);
	if (apic_id > MSI_ADDR_DEST_MAX)
		return -ERANGE;
	*addr = MSI_ADDR_BASE | (apic_id << MSI_ADDR_DEST_SHIFT);	/* physical, no RH */
	*data = (u32)READ_ONCE(desc->hwirq);				/* fixed, edge */
	return 0;
}

/* Wired interrupts would go through the IOAPIC (see "Vectors" above), not driven here. */
int arch_platform_irq(u32 hwirq)
{
	(void)hwirq;
	return -EOPNOTSUPP;
}

/*
 * ---- The test source: a pretend device with one MSI-X table entry ----
 * Its owner callback writes the message into the entry (one atomic word, as a device reads a
 * whole entry), and raising it "writes" the entry's message to the APIC bus: an IPI to the
 * destination APIC id with the vector in the data. So a raise that races with a move uses
 * either the old message or the new one, like a device's write would.
 */
static u64 test_msi_entry;	/* APIC id << 32 | data, 0 when unset (l: seq-cst) */
static u32 test_msi_sending;	/* raises between reading the entry and the ICR write (l) */

/*
 * The owner: write the entry, then flush, as a driver reads an MSI-X entry back: wait until
 * no raise that may have read the old entry is still sending. Seq-cst pairs with the raise:
 * either it reads the new entry, or we see it sending and wait.
 */
static void test_msi_write(unsigned int irq, void *owner)
{
	u64 addr;
	u32 data;

	(void)owner;
	if (arch_msi_compose(irq, &addr, &data))
		return;
	__atomic_store_n(&test_msi_entry, (addr >> MSI_ADDR_DEST_SHIFT & MSI_ADDR_DEST_MAX) << 32 |
			 data, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&test_msi_sending, __ATOMIC_SEQ_CST))
		cpu_relax();
}

int arch_irq_test_source(const char **what)
{
	int irq = arch_msi_irq_alloc();

	*what = "an MSI whose message is sent as an IPI through the local APIC ICR";
	if (irq > 0) {
		test_msi_write((unsigned int)irq, NULL);
		irq_set_msg_owner((unsigned int)irq, test_msi_write, NULL);
	}
	return irq;
}

/* Deliver the entry's message as the APIC bus would. Any context. */
void arch_irq_test_raise(unsigned int irq)
{
	u64 msg;

	__atomic_fetch_add(&test_msi_sending, 1, __ATOMIC_SEQ_CST);
	msg = __atomic_load_n(&test_msi_entry, __ATOMIC_SEQ_CST);
	/* Under QEMU the ICR write puts the vector in the target's IRR before it returns. */
	if (!WARN(!msg, "irq %u: no message\n", irq))
		x86_apic_send_ipi((u32)(msg >> 32), (u8)msg);
	__atomic_fetch_sub(&test_msi_sending, 1, __ATOMIC_RELEASE);
}

void arch_irq_test_ack(unsigned int irq)
{
	(void)irq;	/* an edge message needs nothing */
}

void arch_irq_test_release(unsigned int irq)
{
	irq_set_msg_owner(irq, NULL, NULL);
	arch_msi_irq_free(irq);
	__atomic_store_n(&test_msi_entry, 0, __ATOMIC_RELAXED);
}
