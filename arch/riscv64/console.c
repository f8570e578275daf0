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

/* A console for the stdout-path device, or NULL if we have no driver for it. */
static struct console *uart_console(const struct boot_device *dev)
{
	void *base = __va(dev->base);

	if (!strcmp(dev->compatible, "sifive,uart0")) {
		/* No clock-frequency in the tree: keep the divisor the firmware set. */
		uart_sifive_init(&uart_sifive, base, 0, 0);
		return uart_sifive_console(&uart_sifive, "sifive,uart0");
	}
	if (!strcmp(dev->compatible, "ns16550a") || !strcmp(dev->compatible, "ns16550") ||
	    !strcmp(dev->compatible, "snps,dw-apb-uart")) {
		uart_16550_init_mmio(&uart_16550, base, dev->reg_shift, dev->reg_io_width);
		return uart_16550_console(&uart_16550, dev->compatible);
	}
	return NULL;
}

/*
 * Called by start_kernel() first thing; riscv_boot() has already registered the SBI console
 * and parsed the device tree, so this switches to the UART if there is one.
 * Context: boot CPU, IRQs off, before SMP.
 */
void arch_early_console_init(void)
{
	static bool done;
	int idx = boot_info.console_device;
	const struct boot_device *dev;
	struct console *con;

	if (done)
		return;
	done = true;
	riscv_sbi_console_init();
	if (idx < 0 || (unsigned int)idx >= boot_info.nr_devices) {
		pr_info("console: no UART named by /chosen/stdout-path: staying on the SBI console\n");
		return;
	}
	dev = &boot_info.devices[idx];
	con = uart_console(dev);
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
}
