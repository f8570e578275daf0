/* SPDX-License-Identifier: MIT */
/*
 * The 16550 UART family as a polled console: the PC's COM ports (x86 port I/O) and the MMIO
 * variants on riscv64 boards and QEMU virt (ns16550a, snps,dw-apb-uart with reg-shift and
 * reg-io-width).
 *
 * Locking: none of its own. printk serialises output; input is read by the one shell CPU.
 */
#ifndef DRIVERS_UART_16550_H
#define DRIVERS_UART_16550_H

#include "kernel/compiler.h"
#include "kernel/console.h"

enum uart_16550_access {
	UART_16550_PORT,	/* x86 in/out: register i at port + i */
	UART_16550_MMIO8,	/* byte accesses: register i at base + (i << reg_shift) */
	UART_16550_MMIO32,	/* 32-bit accesses (reg-io-width = 4), same addressing */
};

struct uart_16550 {
	enum uart_16550_access access;	/* how registers are reached (c) */
	u16 port;			/* I/O port base (UART_16550_PORT) (c) */
	void *base;			/* MMIO base, mapped (UART_16550_MMIO*) (c) */
	u32 reg_shift;			/* log2 of the register stride (c) */
	struct console con;		/* what console_register() receives (c) */
};

/*
 * uart_16550_init_port() - set up a port-I/O UART (COM1 = 0x3f8) for polled use.
 * @u:		the driver state to fill (static storage: the console points into it)
 * @port:	I/O port base
 * @baud_divisor_or_0: 115200 / baud (1 for 115200) to program 8N1 at that rate, or 0 to
 *		keep the line settings the firmware or boot loader left
 * Context: Boot CPU, IRQs off.
 */
void uart_16550_init_port(struct uart_16550 *u, u16 port, u32 baud_divisor_or_0);

/*
 * uart_16550_init_mmio() - set up an MMIO UART whose line settings the firmware already
 * programmed (OpenSBI, U-Boot): only its interrupts are turned off and its FIFOs enabled.
 * @base:	the mapped register block
 * @reg_shift:	FDT reg-shift (0 for ns16550a, 2 for dw-apb-uart)
 * @reg_io_width: FDT reg-io-width, 1 or 4 (anything else is treated as 1 with a warning)
 * Context: Boot CPU, IRQs off.
 */
void uart_16550_init_mmio(struct uart_16550 *u, void *base, u32 reg_shift, u32 reg_io_width);

/**
 * uart_16550_set_baud() - Program the divisor for @baud from the input clock, and 8N1.
 * @u: an initialised UART
 * @clock_hz: its input clock (the tree's clock-frequency); must be known
 * @baud: the line rate, non-zero
 *
 * Context: boot CPU, before SMP, nothing else writing to the UART.
 * Return: the divisor written, or 0 if none in 1..65535 fits or the UART refused DLAB (a
 * busy DesignWare UART): the firmware's setting is then left as it was.
 */
u32 uart_16550_set_baud(struct uart_16550 *u, u32 clock_hz, u32 baud);

/*
 * uart_16550_thre_irq() - turn the "transmit holding register empty" interrupt (IER bit 1)
 * on or off, leaving the other sources as they are. With the register already empty, turning
 * it on raises the interrupt at once, and it stays raised until it is turned off (or a byte
 * is written and sent): a device interrupt on demand that leaves console input alone.
 * Context: any; the caller serialises IER changes (only the irq ktest makes them).
 */
void uart_16550_thre_irq(struct uart_16550 *u, bool on);

/* The console (write + getc) for @u, named @name ("com1", "ns16550a"); register it. */
struct console *uart_16550_console(struct uart_16550 *u, const char *name);

#endif /* DRIVERS_UART_16550_H */
