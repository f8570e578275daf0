// SPDX-License-Identifier: MIT
/*
 * riscv64 consoles: the SBI console from the first line of C, then the UART that the device
 * tree's /chosen/stdout-path names (ns16550a, ns16550 and snps,dw-apb-uart through the 16550
 * driver, sifive,uart0 through its own), which replaces it.
 *
 * Locking: boot CPU, before SMP (m); printk serialises writers.
 */
#include <asm/memory.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "arch/riscv64/riscv.h"
#include "drivers/uart_16550.h"
#include "drivers/uart_sifive.h"
#include "kernel/boot_info.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

static void sbi_con_write(struct console *con, const char *s, size_t n)
{
	sbi_console_write(s, n);
}

static int sbi_con_getc(struct console *con)
{
	return sbi_console_getchar();
}

static struct console sbi_console = {
	.name = "sbi",
	.write = sbi_con_write,
	.getc = sbi_con_getc,
};

static bool sbi_console_registered;	/* registered once; never again (m) */
static struct uart_16550 uart_16550;	/* (m) */
static struct uart_sifive uart_sifive;	/* (m) */

/* The firmware's console: slow (a trap per byte) but there from the start. */
void riscv_sbi_console_init(void)
{
	if (sbi_console_registered)
		return;
	console_register(&sbi_console);
	sbi_console_registered = true;
}

/* The console's 16550, NULL if the console is another UART or the SBI. Any CPU, after boot. */
struct uart_16550 *riscv_console_16550(void)
{
	return uart_16550.base ? &uart_16550 : NULL;
}

/* The console's SiFive UART, NULL if the console is another one. Any CPU, after boot. */
struct uart_sifive *riscv_console_sifive(void)
{
	return uart_sifive.base ? &uart_sifive : NULL;
}

/*
 * The line settings: with a baud from stdout-path and a clock-frequency in the node the
 * divisor is programmed; without either the firmware's setting is kept (U-Boot and OpenSBI
 * already print through this UART, so it is right). *how says which, for the boot log.
 */
static struct console *uart_console(const struct boot_device *dev, const char **how)
{
	void *base = __va(dev->base);
	bool set = dev->clock && dev->baud;

	*how = !dev->baud ? "line settings kept from the firmware (no baud in stdout-path)" :
	       !dev->clock ? "line settings kept from the firmware (no clock-frequency)" :
	       "divisor programmed from clock-frequency";
	if (!strcmp(dev->compatible, "sifive,uart0")) {
		uart_sifive_init(&uart_sifive, base, set ? dev->clock : 0, dev->baud);
		return uart_sifive_console(&uart_sifive, "sifive,uart0");
	}
	if (!strcmp(dev->compatible, "ns16550a") || !strcmp(dev->compatible, "ns16550") ||
	    !strcmp(dev->compatible, "snps,dw-apb-uart")) {
		uart_16550_init_mmio(&uart_16550, base, dev->reg_shift, dev->reg_io_width);
		if (set && !uart_16550_set_baud(&uart_16550, dev->clock, dev->baud))
			*how = "line settings kept from the firmware (no divisor fits, or LCR refused)";
		return uart_16550_console(&uart_16550, dev->compatible);
	}
	return NULL;
}

/*
 * Called by start_kernel() first thing; riscv_boot() has already registered the SBI console
 * and parsed the device tree (which picked the stdout-path UART, or the first usable one),
 * so this switches to the UART if there is one.
 * Context: boot CPU, IRQs off, before SMP.
 */
void arch_early_console_init(void)
{
	static bool done;
	int idx = boot_info.console_device;
	const struct boot_device *dev;
	struct console *con;
	const char *how;

	if (done)
		return;
	done = true;
	riscv_sbi_console_init();
	if (idx < 0 || (unsigned int)idx >= boot_info.nr_devices) {
		pr_info("console: no usable UART in the device tree: staying on the SBI console\n");
		return;
	}
	dev = &boot_info.devices[idx];
	con = uart_console(dev, &how);
	if (!con) {
		pr_warn("console: no driver for %s: staying on the SBI console\n",
			dev->compatible);
		return;
	}
	/* Register before unregistering: no line can fall between the two. */
	console_register(con);
	console_unregister(&sbi_console);
	pr_info("console: %s at %#llx (reg-shift %u, reg-io-width %u) replaces the SBI console\n",
		dev->compatible, (unsigned long long)dev->base, dev->reg_shift,
		dev->reg_io_width);
	if (dev->baud)
		pr_info("console: %u baud (stdout-path), clock-frequency %u Hz: %s\n", dev->baud,
			dev->clock, how);
	else
		pr_info("console: %s\n", how);
}
