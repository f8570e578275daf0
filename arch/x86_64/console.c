// SPDX-License-Identifier: MIT
/*
 * The x86_64 early console: COM1 (I/O port 0x3f8), 115200 8N1, polled. GRUB's own output
 * went to the same line (boot/grub.cfg.in), so the whole boot reads as one log.
 *
 * QEMU: -serial mon:stdio (scripts/qemu-x86_64.sh).
 *
 * Locking: boot CPU (m).
 */
#include "arch/arch.h"
#include "drivers/uart_16550.h"
#include "kernel/console.h"

#define COM1_PORT	0x3f8
#define COM1_DIVISOR	1	/* 115200 baud from the 1.8432 MHz UART clock / 16 */

static struct uart_16550 com1;

/*
 * Called twice: by x86_64_start_kernel() so that the boot information parser can already
 * warn, and by start_kernel() as on every arch. The second call does nothing.
 */
void arch_early_console_init(void)
{
	static bool registered;

	if (registered)
		return;
	registered = true;
	uart_16550_init_port(&com1, COM1_PORT, COM1_DIVISOR);
	console_register(uart_16550_console(&com1, "com1"));
}
