/* SPDX-License-Identifier: MIT */
/*
 * Device interrupts: numbered descriptors, each with a controller ("chip"), a handler and a
 * target CPU (Linux: include/linux/irq.h, irqdesc.h, interrupt.h; much smaller).
 *
 *	irq = plic_irq(10);				a controller gives out the number
 *	request_irq(irq, uart_intr, "ttyS0", u);	the handler runs on the target CPU
 *	irq_set_affinity(irq, 2);			... now on CPU 2
 *	free_irq(irq, u);
 *
 * A controller (x86_64: the local APIC's vectors for MSI; riscv64: the PLIC) creates a
 * descriptor for each interrupt it can deliver with irq_alloc() and, when one arrives, finds
 * it and calls irq_handle_desc() from its interrupt entry. Device interrupts never target a
 * CPU that is offline or going offline: the hotplug step CPUHP_IRQ_AFFINITY moves them
 * before the CPU leaves (kernel/irq.c).
 *
 * Locking: irq_lock (q) is taken in process context only, never by an interrupt handler, and
 * serialises allocation, request/free and every change of a target CPU; it may be held
 * across a cross-CPU call that waits (those paths need IRQs on). The dispatch path takes no lock: it reads what it needs with
 * acquire loads, and counts with atomics.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "kernel/compiler.h"
#include "kernel/cpu.h"

#define NR_IRQS		128	/* descriptors; numbers 1..NR_IRQS-1 (0 means "none") */

struct irq_desc;

/* A device's handler. Context: the target CPU, IRQs off, interrupt context. */
typedef void (*irq_handler_t)(unsigned int irq, void *dev_id);

/*
 * The owner of a message-signalled interrupt's message (drivers/pci's MSI-X code): called
 * whenever the message changes (the interrupt moved to another CPU), to read the new one
 * with arch_msi_compose() and write it into the device, then flush: read the entry back, so
 * that every message the device sent with the old contents has arrived before this returns
 * (a read completion does not pass the device's earlier posted writes, its MSIs, PCIe
 * ordering rules). The old vector is given back right after. Context: irq_lock held, IRQs on.
 */
typedef void (*irq_msg_update_fn)(unsigned int irq, void *owner);

/*
 * What a controller does for one of its interrupts. Every op runs with irq_lock held except
 * eoi, which runs in the dispatch path on the CPU that took the interrupt, IRQs off.
 * deactivate, mask and set_affinity run with IRQs on and may make waiting cross-CPU calls;
 * activate and unmask may run with IRQs off (a driver probing before SMP) and must not wait.
 */
struct irq_chip {
	const char *name;				/* the `interrupts` column */
	/* Give the descriptor its hardware (x86: a vector on desc->cpu). 0 or -errno. */
	int (*activate)(struct irq_desc *desc);
	/* Give it back; the interrupt is masked and no handler runs any more. */
	void (*deactivate)(struct irq_desc *desc);
	void (*mask)(struct irq_desc *desc);		/* stop delivery (may be NULL) */
	void (*unmask)(struct irq_desc *desc);		/* deliver to desc->cpu (may be NULL) */
	void (*eoi)(struct irq_desc *desc);		/* end of this interrupt (may be NULL) */
	/*
	 * Deliver to @cpu from now on: set desc->cpu (and desc->hwirq if it changes) and
	 * reprogram the hardware so that nothing raised before or during the move is lost.
	 */
	int (*set_affinity)(struct irq_desc *desc, unsigned int cpu);
};

/*
 * One device interrupt. The lock key: (q) irq_lock; (c) constant while allocated; (l) the
 * rule given.
 */
struct irq_desc {
	unsigned int irq;			/* its number, the index in the table (c) */
	bool allocated;				/* handed out by irq_alloc() (q) */
	bool masked;				/* not delivered now (q) */
	const struct irq_chip *chip;		/* its controller (c) */
	void *chip_data;			/* the controller's own per-interrupt data (c) */
	unsigned long hwirq;			/* the controller's number: a vector, a PLIC source
						   (q; read by dispatch: READ_ONCE) */
	unsigned int cpu;			/* target CPU (q; read by dispatch: READ_ONCE) */
	irq_handler_t handler;			/* NULL when free (q; published with release) */
	void *dev_id;				/* the handler's argument (q, before handler) */
	const char *name;			/* the device's name for `interrupts` (q) */
	irq_msg_update_fn msg_update;		/* MSI: the message's owner, or NULL (q) */
	void *msg_owner;			/* its argument (q) */
	u32 running;				/* handlers in progress (l: atomic) */
	u64 count[NR_CPUS];			/* taken per CPU (l: atomic add by that CPU) */
	u64 spurious;				/* arrived with no handler (l: atomic) */
};

/*
 * Create a descriptor for @chip's interrupt @hwirq, targeted at an online CPU the layer
 * picks (round robin), masked, with no handler; calls chip->activate.
 * Return: the irq number (> 0), -ENOSPC (table full), or activate's error.
 * Context: process context, IRQs on or off (a driver probing before SMP); takes irq_lock.
 */
int irq_alloc(const struct irq_chip *chip, unsigned long hwirq, void *chip_data);
/* Give a descriptor back (it must have no handler). Context: process context, IRQs on. */
void irq_free(unsigned int irq);

/*
 * Install @handler for @irq and unmask it on its target CPU.
 * Return: 0; -EINVAL (no such interrupt, NULL handler), -EBUSY (it has a handler).
 * Context: process context, IRQs on or off; takes irq_lock.
 */
int request_irq(unsigned int irq, irq_handler_t handler, const char *name, void *dev_id);
/*
 * Mask @irq, remove its handler and wait until no CPU runs it any more. @dev_id must be the
 * one given to request_irq() (a WARN otherwise, and nothing is freed).
 * Context: IRQs on, process context, not from the handler itself; takes irq_lock.
 */
void free_irq(unsigned int irq, void *dev_id);

/*
 * Move @irq to @cpu (online, not going offline).
 * Return: 0, -EINVAL (no such interrupt or CPU), -EOPNOTSUPP (the chip cannot move), or
 * the chip's error. Context: IRQs on, process context; takes irq_lock.
 */
int irq_set_affinity(unsigned int irq, unsigned int cpu);

/* Name the owner of a message-signalled interrupt's message. Context: as irq_set_affinity(). */
int irq_set_msg_owner(unsigned int irq, irq_msg_update_fn fn, void *owner);

/* The descriptor of @irq, NULL if none is allocated. Context: any; lock-free. */
struct irq_desc *irq_to_desc(unsigned int irq);
/* @irq's target CPU, or NR_CPUS if there is no such interrupt. Context: any. */
unsigned int irq_target_cpu(unsigned int irq);
/* How many times @irq was taken on @cpu. Context: any (a racy snapshot). */
u64 irq_count(unsigned int irq, unsigned int cpu);

/*
 * The dispatch entry a controller calls: count, run the handler, chip->eoi.
 * Context: the CPU that took the interrupt, IRQs off, interrupt context.
 */
void irq_handle_desc(struct irq_desc *desc);

/* Print /proc/interrupts. Context: process context, IRQs on (takes irq_lock). */
void irq_show_interrupts(void);

#endif /* KERNEL_IRQ_H */
