// SPDX-License-Identifier: MIT
/*
 * Device interrupts (kernel/irq.h): the descriptor table, request/free, affinity, the
 * dispatch entry controllers call, the CPU hotplug step and /proc/interrupts.
 *
 * ==== Removing a handler while it may run ====
 *
 * Dispatch takes no lock (DESIGN.md 5: never spin in interrupt context). It announces itself
 * in desc->running before it reads desc->handler; free_irq() clears the handler before it
 * reads desc->running. Both pairs are sequentially consistent, so either the dispatch sees
 * NULL or free_irq() sees it running and waits: after free_irq() returns, no CPU is inside
 * the old handler and none will enter it.
 *
 * ==== CPU hotplug ====
 *
 * CPUHP_IRQ_AFFINITY's teardown runs on the controller while the CPU going down is still
 * fully online. It first marks the CPU "leaving" (no interrupt may be targeted at it from
 * now on: irq_set_affinity() and irq_alloc() refuse or skip it), then moves every
 * interrupt targeted at it to another online CPU through its chip's set_affinity, which
 * hands over anything the device raised before the move (see each chip). An interrupt that
 * is masked moves too, so that unmasking it later delivers to a live CPU. Coming up, the
 * startup only clears the mark: interrupts are not moved back (as in Linux; a user moves
 * them with irq_set_affinity()).
 *
 * Locking: irq_lock (q) in process context with IRQs on only; see kernel/irq.h.
 */
#define pr_fmt(fmt) "irq: " fmt

#include "kernel/irq.h"
#include "kernel/bug.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/tick.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

static DEFINE_SPINLOCK(irq_lock);
static struct irq_desc irq_descs[NR_IRQS];	/* see struct irq_desc's key */
static struct cpumask irq_cpus_leaving;		/* no interrupt may target these (q) */
static unsigned int irq_next_cpu;		/* round robin for irq_alloc() (q) */
static bool irq_hotplug_ready;			/* the cpuhp step is registered (q) */

static bool irq_cpu_usable(unsigned int cpu)
{
	return cpu < NR_CPUS && cpu_online(cpu) && !cpumask_test_cpu(cpu, &irq_cpus_leaving);
}

/* The next usable CPU after the last one handed out. Context: irq_lock held. */
static unsigned int irq_pick_cpu(void)
{
	assert_spin_locked(&irq_lock);
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		unsigned int cpu = (irq_next_cpu + i) % NR_CPUS;

		if (irq_cpu_usable(cpu)) {
			irq_next_cpu = cpu + 1;
			return cpu;
		}
	}
	/* The caller's own CPU is online and cannot be leaving (cpu_down() refuses itself). */
	return smp_processor_id();
}

/* The allocated descriptor @irq. Context: irq_lock held. */
static struct irq_desc *__irq_desc(unsigned int irq)
{
	assert_spin_locked(&irq_lock);
	if (irq == 0 || irq >= NR_IRQS || !irq_descs[irq].allocated)
		return NULL;
	return &irq_descs[irq];
}

struct irq_desc *irq_to_desc(unsigned int irq)
{
	if (irq == 0 || irq >= NR_IRQS)
		return NULL;
	/* Acquire: pairs with irq_alloc()'s release, so the fields are seen filled in. */
	if (!__atomic_load_n(&irq_descs[irq].allocated, __ATOMIC_ACQUIRE))
		return NULL;
	return &irq_descs[irq];
}

unsigned int irq_target_cpu(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	return desc ? READ_ONCE(desc->cpu) : NR_CPUS;
}

u64 irq_count(unsigned int irq, unsigned int cpu)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc || cpu >= NR_CPUS)
		return 0;
	return __atomic_load_n(&desc->count[cpu], __ATOMIC_RELAXED);
}

static int irq_cpu_offline(unsigned int cpu);
static int irq_cpu_online(unsigned int cpu);

int irq_alloc(const struct irq_chip *chip, unsigned long hwirq, void *chip_data)
{
	bool register_step;
	int ret = -ENOSPC;

	scoped_guard(spinlock, &irq_lock) {
		register_step = !irq_hotplug_ready;
		irq_hotplug_ready = true;
		for (unsigned int irq = 1; irq < NR_IRQS; irq++) {
			struct irq_desc *desc = &irq_descs[irq];
			int err;

			if (desc->allocated)
				continue;
			memset(desc, 0, sizeof(*desc));
			desc->irq = irq;
			desc->chip = chip;
			desc->chip_data = chip_data;
			desc->hwirq = hwirq;
			desc->masked = true;
			desc->cpu = irq_pick_cpu();
			err = chip->activate ? chip->activate(desc) : 0;
			if (err) {
				ret = err;
				break;
			}
			/* Release: irq_to_desc() readers see the fields set above. */
			__atomic_store_n(&desc->allocated, true, __ATOMIC_RELEASE);
			ret = (int)irq;
			break;
		}
	}
	/*
	 * The hotplug step, registered with the first interrupt: before that there is nothing
	 * to move. Outside irq_lock: cpuhp takes its own lock, and holds it around our step.
	 */
	if (register_step && cpuhp_setup_state(CPUHP_IRQ_AFFINITY, "irq:affinity",
					       irq_cpu_online, irq_cpu_offline) < 0)
		pr_err("could not register the CPU hotplug step: interrupts will not follow CPUs\n");
	return ret;
}

void irq_free(unsigned int irq)
{
	guard(spinlock)(&irq_lock);
	struct irq_desc *desc = __irq_desc(irq);

	if (WARN(!desc || desc->handler, "irq_free(%u): %s\n", irq,
		 desc ? "still has a handler" : "not allocated"))
		return;
	if (desc->chip->deactivate)
		desc->chip->deactivate(desc);
	__atomic_store_n(&desc->allocated, false, __ATOMIC_RELEASE);
}

int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev_id)
{
	if (!handler)
		return -EINVAL;
	guard(spinlock)(&irq_lock);
	struct irq_desc *desc = __irq_desc(irq);

	if (!desc)
		return -EINVAL;
	if (desc->handler)
		return -EBUSY;
	desc->dev_id = dev_id;
	desc->name = name;
	/* Release: a dispatch that sees the handler sees dev_id too. */
	__atomic_store_n(&desc->handler, handler, __ATOMIC_RELEASE);
	if (desc->chip->unmask)
		desc->chip->unmask(desc);
	desc->masked = false;
	return 0;
}

void free_irq(unsigned int irq, void *dev_id)
{
	WARN_ON(arch_irqs_disabled());
	guard(spinlock)(&irq_lock);
	struct irq_desc *desc = __irq_desc(irq);

	if (WARN(!desc || !desc->handler || desc->dev_id != dev_id,
		 "free_irq(%u): not requested, or by another device\n", irq))
		return;
	if (desc->chip->mask)
		desc->chip->mask(desc);
	desc->masked = true;
	/* Seq-cst, paired with irq_handle_desc(): see "Removing a handler" above. */
	__atomic_store_n(&desc->handler, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&desc->running, __ATOMIC_SEQ_CST))
		arch_cpu_relax();
	desc->dev_id = NULL;
	desc->name = NULL;
}

/* Move @desc to @cpu through its chip. Context: irq_lock held, IRQs on. */
static int __irq_move(struct irq_desc *desc, unsigned int cpu)
{
	assert_spin_locked(&irq_lock);
	if (desc->cpu == cpu)
		return 0;
	if (!desc->chip->set_affinity)
		return -EOPNOTSUPP;
	return desc->chip->set_affinity(desc, cpu);
}

int irq_set_affinity(unsigned int irq, unsigned int cpu)
{
	WARN_ON(arch_irqs_disabled());
	guard(spinlock)(&irq_lock);
	struct irq_desc *desc = __irq_desc(irq);

	if (!desc || !irq_cpu_usable(cpu))
		return -EINVAL;
	return __irq_move(desc, cpu);
}

int irq_set_msg_owner(unsigned int irq, irq_msg_update_fn fn, void *owner)
{
	guard(spinlock)(&irq_lock);
	struct irq_desc *desc = __irq_desc(irq);

	if (!desc)
		return -EINVAL;
	desc->msg_update = fn;
	desc->msg_owner = owner;
	return 0;
}

void irq_handle_desc(struct irq_desc *desc)
{
	unsigned int cpu = smp_processor_id();
	irq_handler_t handler;

	/* Atomic: `interrupts` and tests read the counts from other CPUs. */
	__atomic_fetch_add(&desc->count[cpu], 1, __ATOMIC_RELAXED);
	/* Seq-cst, paired with free_irq(): announce, then look. */
	__atomic_fetch_add(&desc->running, 1, __ATOMIC_SEQ_CST);
	handler = __atomic_load_n(&desc->handler, __ATOMIC_SEQ_CST);
	if (handler)
		handler(desc->irq, READ_ONCE(desc->dev_id));
	else
		__atomic_fetch_add(&desc->spurious, 1, __ATOMIC_RELAXED);
	/* Release: the handler's work is done before free_irq() may return. */
	__atomic_fetch_sub(&desc->running, 1, __ATOMIC_RELEASE);
	if (desc->chip->eoi)
		desc->chip->eoi(desc);
}

/* ---- CPU hotplug: CPUHP_IRQ_AFFINITY ---- */

/*
 * Teardown: mark @cpu leaving and move everything targeted at it.
 * Context: the hotplug controller, IRQs on, cpuhp_lock held, @cpu still online.
 */
static int irq_cpu_offline(unsigned int cpu)
{
	guard(spinlock)(&irq_lock);
	cpumask_set_cpu(cpu, &irq_cpus_leaving);
	for (unsigned int irq = 1; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = __irq_desc(irq);
		unsigned int to;
		int err;

		if (!desc || desc->cpu != cpu)
			continue;
		to = irq_pick_cpu();
		err = __irq_move(desc, to);
		if (err)
			pr_err("irq %u (%s %lu %s): could not move from CPU%u to CPU%u (%d): "
			       "it is not delivered until CPU%u is back\n", irq, desc->chip->name,
			       desc->hwirq, desc->name ? desc->name : "-", cpu, to, err, cpu);
	}
	return 0;
}

/* Startup: @cpu may be a target again. Context: the controller, IRQs on, @cpu online. */
static int irq_cpu_online(unsigned int cpu)
{
	guard(spinlock)(&irq_lock);
	cpumask_clear_cpu(cpu, &irq_cpus_leaving);
	return 0;
}

/* ---- /proc/interrupts ---- */

static void show_arch_row(const char *label, const char *what, u64 (*count)(unsigned int cpu))
{
	unsigned int cpu;

	printk("%s:", label);
	for_each_online_cpu(cpu)
		printk(KERN_CONT " %10llu", (unsigned long long)count(cpu));
	printk(KERN_CONT "   %s\n", what);
}

static u64 ipis_received(unsigned int cpu)
{
	struct smp_call_stats st;

	smp_call_stats(cpu, &st);
	return st.ipi_received;
}

/*
 * The format of Linux's /proc/interrupts: a header of online CPUs, one row per interrupt
 * (number, count per online CPU, controller, hardware number, device), then the per-CPU
 * rows the arch counts: LOC, the local timer, and CAL, the cross-CPU call IPI.
 */
void irq_show_interrupts(void)
{
	unsigned int cpu;

	printk("    ");
	for_each_online_cpu(cpu) {
		char name[16];

		snprintf(name, sizeof(name), "CPU%u", cpu);
		printk(KERN_CONT " %10s", name);
	}
	printk(KERN_CONT "\n");
	guard(spinlock)(&irq_lock);
	for (unsigned int irq = 1; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = __irq_desc(irq);

		if (!desc || !desc->handler)
			continue;
		printk("%3u:", irq);
		for_each_online_cpu(cpu)
			printk(KERN_CONT " %10llu", (unsigned long long)irq_count(irq, cpu));
		printk(KERN_CONT " %8s %4lu  %s\n", desc->chip->name, desc->hwirq,
		       desc->name ? desc->name : "-");
	}
	show_arch_row("LOC", "Local timer interrupts", cpu_timer_ticks);
	show_arch_row("CAL", "Function call interrupts", ipis_received);
}
