/* SPDX-License-Identifier: MIT */
/*
 * x86_64 device access: port I/O (in/out instructions) and MMIO (readb..writel).
 *
 * Argument order follows Linux: the value comes first, then the port or address
 * (outb(value, port), writel(value, addr)). Drivers shared with riscv64 (drivers/uart_16550.c)
 * reach registers only through these names; riscv64's <asm/io.h> has the same ones.
 *
 * MMIO accessors are volatile accesses of exactly the stated width with a compiler barrier:
 * x86 keeps stores in program order and does not reorder uncached (UC) device accesses, so no
 * fence instruction is needed as long as device memory is mapped uncached.
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include "kernel/compiler.h"

/* x86 has a separate I/O space reached with in/out: PCI configuration mechanism #1 and I/O
 * BARs live there. riscv64's <asm/io.h> says 0. */
#define ARCH_HAS_PORT_IO	1

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %w1, %b0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %w1, %w0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %w1, %k0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline void outb(u8 v, u16 port)
{
	__asm__ __volatile__("outb %b0, %w1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outw(u16 v, u16 port)
{
	__asm__ __volatile__("outw %w0, %w1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void outl(u32 v, u16 port)
{
	__asm__ __volatile__("outl %k0, %w1" : : "a"(v), "Nd"(port) : "memory");
}

/*
 * A write to port 0x80 (the POST code port) takes about a microsecond on ISA-era hardware:
 * the traditional delay between accesses to slow devices such as the 8259 PIC.
 */
static inline void io_delay(void)
{
	outb(0, 0x80);
}

/* The "memory" clobbers keep the compiler from moving RAM accesses across device accesses. */
static inline u8 readb(const volatile void *addr)
{
	u8 v = *(const volatile u8 *)addr;

	barrier();
	return v;
}

static inline u16 readw(const volatile void *addr)
{
	u16 v = *(const volatile u16 *)addr;

	barrier();
	return v;
}

static inline u32 readl(const volatile void *addr)
{
	u32 v = *(const volatile u32 *)addr;

	barrier();
	return v;
}

static inline void writeb(u8 v, volatile void *addr)
{
	barrier();
	*(volatile u8 *)addr = v;
}

static inline void writew(u16 v, volatile void *addr)
{
	barrier();
	*(volatile u16 *)addr = v;
}

static inline void writel(u32 v, volatile void *addr)
{
	barrier();
	*(volatile u32 *)addr = v;
}

#endif /* ASM_IO_H */
