// SPDX-License-Identifier: MIT
/*
 * The SiFive UART: a transmit and a receive FIFO behind seven 32-bit registers.
 * Register layout from the SiFive FU540-C000 manual, chapter "UART".
 * Exercised by: qemu-system-riscv64 -machine sifive_u -smp 5 (its stdout-path UART).
 *
 * Locking: the console layer serialises writers; getc is polled by one reader at a time.
 */
#include <asm/io.h>
#include "drivers/uart_sifive.h"

#define UART_TXDATA	0x00	/* write: a byte; read: bit 31 = transmit FIFO full */
#define UART_RXDATA	0x04	/* read: a byte, bit 31 = receive FIFO was empty */
#define UART_TXCTRL	0x08	/* bit 0 txen, bit 1 nstop, bits 18:16 txcnt watermark */
#define UART_RXCTRL	0x0c	/* bit 0 rxen, bits 18:16 rxcnt watermark */
#define UART_IE		0x10	/* interrupt enables: bit 0 txwm, bit 1 rxwm */
#define UART_IP		0x14
#define UART_DIV	0x18	/* baud = input clock / (div + 1) */

#define UART_TXDATA_FULL	(1U << 31)
#define UART_RXDATA_EMPTY	(1U << 31)
#define UART_CTRL_EN		(1U << 0)

static u32 sifive_read(struct uart_sifive *u, unsigned int reg)
{
	return readl((u8 *)u->base + reg);
}

static void sifive_write(struct uart_sifive *u, unsigned int reg, u32 val)
{
	writel(val, (u8 *)u->base + reg);
}

#define UART_TXCNT_SHIFT	16		/* txctrl bits 18:16 */
#define UART_TXCNT_MASK		(7U << UART_TXCNT_SHIFT)
#define UART_IE_TXWM		(1U << 0)

void uart_sifive_txwm_irq(struct uart_sifive *u, bool on)
{
	u32 txctrl = sifive_read(u, UART_TXCTRL);

	if (on && !(txctrl & UART_TXCNT_MASK))	/* "fewer than 1 queued": idle means pending */
		sifive_write(u, UART_TXCTRL, txctrl | (1U << UART_TXCNT_SHIFT));
	if (on)
		sifive_write(u, UART_IE, sifive_read(u, UART_IE) | UART_IE_TXWM);
	else
		sifive_write(u, UART_IE, sifive_read(u, UART_IE) & ~UART_IE_TXWM);
}

static void sifive_putc(struct uart_sifive *u, char c)
{
	/*
	 * The full flag is only meaningful on a read; a write to txdata while full is dropped
	 * by the hardware, so wait for room first.
	 */
	while (sifive_read(u, UART_TXDATA) & UART_TXDATA_FULL)
		;
	sifive_write(u, UART_TXDATA, (u8)c);
}

static void sifive_con_write(struct console *con, const char *s, size_t n)
{
	struct uart_sifive *u = con->priv;

	/* Bytes as given: console_write() has already turned "\n" into "\r\n". */
	for (size_t i = 0; i < n; i++)
		sifive_putc(u, s[i]);
}

static int sifive_con_getc(struct console *con)
{
	struct uart_sifive *u = con->priv;
	/* One read pops the FIFO and reports emptiness in the same word. */
	u32 v = sifive_read(u, UART_RXDATA);

	return (v & UART_RXDATA_EMPTY) ? -1 : (int)(v & 0xff);
}

void uart_sifive_init(struct uart_sifive *u, void *base, u32 clock_hz, u32 baud)
{
	u->base = base;
	/* Polled driver: no interrupts. */
	sifive_write(u, UART_IE, 0);
	if (clock_hz && baud)
		sifive_write(u, UART_DIV, DIV_ROUND_UP(clock_hz, baud) - 1);
	/* Enable both directions, one stop bit, watermarks 0 (unused without interrupts). */
	sifive_write(u, UART_TXCTRL, UART_CTRL_EN);
	sifive_write(u, UART_RXCTRL, UART_CTRL_EN);
}

struct console *uart_sifive_console(struct uart_sifive *u, const char *name)
{
	u->con.name = name;
	u->con.write = sifive_con_write;
	u->con.getc = sifive_con_getc;
	u->con.priv = u;
	u->con.next = NULL;
	return &u->con;
}
