// SPDX-License-Identifier: MIT
/*
 * The two cascaded 8259A PICs of the PC. Tessera takes its interrupts from the local APIC,
 * so the PICs are only made harmless: their IRQs are moved from vectors
 * 0x08-0x0f (where the BIOS leaves them, on top of CPU exceptions) to 0x20-0x2f and every
 * line is masked. A masked PIC can still deliver a "spurious" IRQ 7 or 15 when a request
 * goes away during the acknowledge cycle; those land in i8259_spurious().
 *
 * Locking: boot CPU at init (m); the spurious path runs with IRQs off and only reads.
 */
#include "arch/x86_64/i8259.h"
#include "arch/x86_64/irq_vectors.h"
#include "kernel/printk.h"
#include <asm/io.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1

#define ICW1_INIT	0x11	/* initialise, edge triggered, cascade, ICW4 follows */
#define ICW4_8086	0x01	/* 8086 mode (not MCS-80) */
#define OCW3_READ_ISR	0x0b	/* the next command port read returns the in-service register */
#define PIC_EOI		0x20	/* non-specific end of interrupt */
#define PIC_CASCADE_IRQ	2	/* the slave hangs off master line 2 */

static unsigned long spurious_count;	/* (l: IRQs off, debug only) */

void i8259_init(void)
{
	/*
	 * The initialisation sequence, each PIC in turn: ICW1 on the command port, then on the
	 * data port ICW2 (vector base), ICW3 (cascade wiring), ICW4 (mode). The io_delay()s
	 * give old hardware time between accesses.
	 */
	outb(ICW1_INIT, PIC1_CMD);
	io_delay();
	outb(ICW1_INIT, PIC2_CMD);
	io_delay();
	outb(PIC_VECTOR_BASE, PIC1_DATA);
	io_delay();
	outb(PIC_SLAVE_VECTOR_BASE, PIC2_DATA);
	io_delay();
	outb(1 << PIC_CASCADE_IRQ, PIC1_DATA);	/* master: a slave on line 2 (bit mask) */
	io_delay();
	outb(PIC_CASCADE_IRQ, PIC2_DATA);	/* slave: my cascade identity is 2 (number) */
	io_delay();
	outb(ICW4_8086, PIC1_DATA);
	io_delay();
	outb(ICW4_8086, PIC2_DATA);
	io_delay();
	/* Mask every line: OCW1 is the data port written after initialisation. */
	outb(0xff, PIC1_DATA);
	outb(0xff, PIC2_DATA);
}

static u8 pic_read_isr(u16 cmd_port)
{
	outb(OCW3_READ_ISR, cmd_port);
	return inb(cmd_port);
}

/**
 * i8259_spurious() - handle a vector from the PIC range.
 * @irq: 0-15
 *
 * A spurious IRQ has no bit in the in-service register and must not get an EOI, except that
 * a spurious IRQ 15 arrived through the master's cascade line, which did see a real request.
 * Anything that is not spurious is unexpected (all lines are masked): acknowledged, reported.
 *
 * Context: Any CPU, IRQs off.
 */
void i8259_spurious(unsigned int irq)
{
	if (irq == 7 && !(pic_read_isr(PIC1_CMD) & 0x80)) {
		spurious_count++;
		return;
	}
	if (irq == 15 && !(pic_read_isr(PIC2_CMD) & 0x80)) {
		outb(PIC_EOI, PIC1_CMD);
		spurious_count++;
		return;
	}
	pr_warn("i8259: IRQ %u arrived although every line is masked\n", irq);
	if (irq >= 8)
		outb(PIC_EOI, PIC2_CMD);
	outb(PIC_EOI, PIC1_CMD);
}
