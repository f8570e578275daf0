// SPDX-License-Identifier: MIT
/*
 * 16550 UART, polled: the console of both ports. Registers (offsets in register units):
 *	0 RBR (read) / THR (write) / DLL (with LCR.DLAB)	4 MCR  modem control
 *	1 IER / DLM (with LCR.DLAB)				5 LSR  line status
 *	2 IIR (read) / FCR (write)				6 MSR  7 SCR
 *	3 LCR  line control
 * All device access goes through <asm/io.h>, so the same code serves port I/O on x86_64 and
 * MMIO on riscv64; the accessor is chosen once at init.
 *
 * QEMU: x86_64 `-serial mon:stdio` (COM1 at 0x3f8, the default ISA serial port);
 * riscv64 `-machine virt -serial mon:stdio` (ns16550a at 0x10000000).
 *
 * Locking: none. Output is serialised by printk's lock; input is polled by the shell.
 */
#include "drivers/uart_16550.h"
#include "kernel/printk.h"
#include <asm/io.h>

#define UART_RBR	0
#define UART_THR	0
#define UART_DLL	0
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define UART_LCR_8N1	0x03	/* 8 data bits, no parity, 1 stop bit */
#define UART_LCR_DLAB	0x80	/* registers 0/1 become the baud divisor */
#define UART_FCR_ENABLE	0x07	/* enable FIFOs and clear both */
#define UART_MCR_DTR_RTS 0x03	/* tell the other end we are here */
#define UART_LSR_DR	0x01	/* a received byte is waiting */
#define UART_LSR_THRE	0x20	/* the transmit holding register can take a byte */
#define UART_LSR_TEMT	0x40	/* transmitter empty: holding and shift registers */

/*
 * How long to wait for THRE before dropping a byte: a UART that never becomes ready (absent,
 * or flow-controlled by nobody) must slow printk down, not hang the kernel.
 */
#define UART_TX_SPINS	100000

static u8 uart_in(struct uart_16550 *u, unsigned int reg)
{
	switch (u->access) {
	case UART_16550_PORT:
		return inb(u->port + reg);
	case UART_16550_MMIO32:
		return readl((u8 *)u->base + (reg << u->reg_shift)) & 0xff;
	case UART_16550_MMIO8:
	default:
		return readb((u8 *)u->base + (reg << u->reg_shift));
	}
}

static void uart_out(struct uart_16550 *u, unsigned int reg, u8 v)
{
	switch (u->access) {
	case UART_16550_PORT:
		outb(v, u->port + reg);
		break;
	case UART_16550_MMIO32:
		writel(v, (u8 *)u->base + (reg << u->reg_shift));
		break;
	case UART_16550_MMIO8:
	default:
		writeb(v, (u8 *)u->base + (reg << u->reg_shift));
		break;
	}
}

void uart_16550_init_port(struct uart_16550 *u, u16 port, u32 baud_divisor_or_0)
{
	u->access = UART_16550_PORT;
	u->port = port;
	u->base = NULL;
	u->reg_shift = 0;

	uart_out(u, UART_IER, 0);		/* polled: no interrupts */
	if (baud_divisor_or_0) {
		uart_out(u, UART_LCR, UART_LCR_DLAB);
		uart_out(u, UART_DLL, baud_divisor_or_0 & 0xff);
		uart_out(u, UART_DLM, (baud_divisor_or_0 >> 8) & 0xff);
		uart_out(u, UART_LCR, UART_LCR_8N1);	/* also clears DLAB */
	}
	uart_out(u, UART_FCR, UART_FCR_ENABLE);
	uart_out(u, UART_MCR, UART_MCR_DTR_RTS);
}

void uart_16550_init_mmio(struct uart_16550 *u, void *base, u32 reg_shift, u32 reg_io_width)
{
	u->port = 0;
	u->base = base;
	u->reg_shift = reg_shift;
	if (reg_io_width == 4) {
		u->access = UART_16550_MMIO32;
	} else {
		if (reg_io_width != 1)
			pr_warn("uart_16550: reg-io-width %u unsupported, using byte access\n",
				reg_io_width);
		u->access = UART_16550_MMIO8;
	}
	/*
	 * Leave LCR and the divisor alone: the firmware set the line up and its clock is not
	 * always known. On a DesignWare UART, LCR writes are even refused while it is busy.
	 */
	uart_out(u, UART_IER, 0);
	uart_out(u, UART_FCR, UART_FCR_ENABLE);
}

u32 uart_16550_set_baud(struct uart_16550 *u, u32 clock_hz, u32 baud)
{
	/* The divisor counts 16 input clocks per bit; round to the nearest. */
	u64 div = ((u64)clock_hz + 8ULL * baud) / (16ULL * baud);

	if (div == 0 || div > 0xffff)
		return 0;
	/*
	 * A DesignWare UART ignores LCR writes while it is busy, and then DLL would be written
	 * to THR as a stray byte: let the transmitter drain, and check that DLAB took.
	 */
	for (unsigned int i = 0; i < UART_TX_SPINS; i++)
		if (uart_in(u, UART_LSR) & UART_LSR_TEMT)
			break;
	uart_out(u, UART_LCR, UART_LCR_DLAB);
	if (!(uart_in(u, UART_LCR) & UART_LCR_DLAB))
		return 0;
	uart_out(u, UART_DLL, div & 0xff);
	uart_out(u, UART_DLM, (div >> 8) & 0xff);
	uart_out(u, UART_LCR, UART_LCR_8N1);	/* also clears DLAB */
	return (u32)div;
}

#define UART_IER_THRI	0x02	/* interrupt when the transmit holding register is empty */

void uart_16550_thre_irq(struct uart_16550 *u, bool on)
{
	u8 ier = uart_in(u, UART_IER);

	uart_out(u, UART_IER, on ? ier | UART_IER_THRI : ier & ~UART_IER_THRI);
}

static void uart_putc(struct uart_16550 *u, char c)
{
	for (unsigned int i = 0; i < UART_TX_SPINS; i++) {
		if (uart_in(u, UART_LSR) & UART_LSR_THRE)
			break;
	}
	uart_out(u, UART_THR, (u8)c);
}

/* console->write: the console layer has already turned "\n" into "\r\n". Any context. */
static void uart_16550_write(struct console *con, const char *s, size_t n)
{
	struct uart_16550 *u = con->priv;

	for (size_t i = 0; i < n; i++)
		uart_putc(u, s[i]);
}

/* console->getc: a received byte, or -1 if none is waiting. */
static int uart_16550_getc(struct console *con)
{
	struct uart_16550 *u = con->priv;
	u8 lsr = uart_in(u, UART_LSR);

	/* All ones is what reading a port with nothing behind it returns: no data. */
	if (lsr == 0xff || !(lsr & UART_LSR_DR))
		return -1;
	return uart_in(u, UART_RBR);
}

struct console *uart_16550_console(struct uart_16550 *u, const char *name)
{
	u->con = (struct console){
		.name = name,
		.write = uart_16550_write,
		.getc = uart_16550_getc,
		.priv = u,
	};
	return &u->con;
}
