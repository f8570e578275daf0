/* SPDX-License-Identifier: MIT */
/*
 * The SiFive UART (FU540/FU740, QEMU -machine sifive_u): a console driver.
 *
 * Locking: a struct uart_sifive is set up by the boot CPU (m); writes are serialised by
 * printk, like every console.
 */
#ifndef DRIVERS_UART_SIFIVE_H
#define DRIVERS_UART_SIFIVE_H

#include "kernel/compiler.h"
#include "kernel/console.h"

struct uart_sifive {
	void *base;		/* MMIO registers (c) */
	struct console con;	/* what uart_sifive_console() returns (c) */
};

/*
 * Enable transmit and receive on the UART at @base. With @clock_hz non-zero the divisor is
 * set for @baud; with 0 it is left as the firmware set it.
 * Context: boot CPU, before SMP.
 */
void uart_sifive_init(struct uart_sifive *u, void *base, u32 clock_hz, u32 baud);
/*
 * Turn the transmit-watermark interrupt (ie.txwm) on or off. It is pending while fewer than
 * txcnt bytes wait to be sent; turning it on sets txcnt to 1 if it was 0, so an idle
 * transmitter raises it at once, and it stays raised until turned off: a device interrupt on
 * demand that leaves console input alone.
 * Context: any; the caller serialises (only the irq ktest uses it).
 */
void uart_sifive_txwm_irq(struct uart_sifive *u, bool on);
/* The UART as a console (write and getc), named @name. */
struct console *uart_sifive_console(struct uart_sifive *u, const char *name);

#endif /* DRIVERS_UART_SIFIVE_H */
