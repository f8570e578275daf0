/* SPDX-License-Identifier: MIT */
/*
 * riscv64 device I/O: memory-mapped register access with the fences RISC-V needs, and the
 * x86 port-I/O names, which stop the kernel since this architecture has no I/O space.
 *
 * Ordering. RVWMO lets a hart reorder RAM accesses and device (MMIO) accesses with respect
 * to each other; FENCE's "i" and "o" sets name device input and output. Two rules matter to
 * drivers, and each accessor enforces one:
 *  - Before a device write, `fence iorw, o`: everything the driver did before (filling a DMA
 *    buffer in RAM, earlier register accesses) is visible before the device sees the write
 *    that may tell it to act on it (a doorbell, a UART transmit).
 *  - After a device read, `fence i, iorw`: the read has completed before any later access,
 *    so a status bit saying "DMA done" is read before the buffer it describes.
 * Between two accesses to the same device we rely on its region being strongly ordered
 * I/O (a platform PMA: true of every UART and virtio-mmio device we drive), as Linux does.
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include "kernel/compiler.h"
#include "kernel/bug.h"

/*
 * No I/O space instructions: a PCI host bridge maps PCI I/O space into memory (the device
 * tree's ranges say where), so drivers reach I/O BARs with readl()/writel() too.
 */
#define ARCH_HAS_PORT_IO	0

#define __io_before_write()	__asm__ __volatile__("fence iorw, o" : : : "memory")
#define __io_after_read()	__asm__ __volatile__("fence i, iorw" : : : "memory")

/* One access of exactly the given width: the volatile cast forbids tearing and merging. */
#define __DEFINE_MMIO(sfx, type)					\
static inline type read##sfx(const volatile void *addr)			\
{									\
	type v = *(const volatile type *)addr;				\
									\
	__io_after_read();						\
	return v;							\
}									\
static inline void write##sfx(type val, volatile void *addr)		\
{									\
	__io_before_write();						\
	*(volatile type *)addr = val;					\
}

__DEFINE_MMIO(b, u8)
__DEFINE_MMIO(w, u16)
__DEFINE_MMIO(l, u32)
__DEFINE_MMIO(q, u64)

#undef __DEFINE_MMIO

/*
 * Port I/O does not exist on RISC-V: a driver that reaches these was configured for the
 * wrong bus, which is a kernel bug, so say which call and port and stop.
 */
#define __DEFINE_NO_PIO(sfx, type)					\
static inline type in##sfx(u16 port)					\
{									\
	pr_err("in" #sfx "(0x%x): riscv64 has no port I/O\n", port);	\
	BUG();								\
}									\
static inline void out##sfx(type val, u16 port)			\
{									\
	pr_err("out" #sfx "(0x%x, 0x%x): riscv64 has no port I/O\n",	\
	       (unsigned int)val, port);				\
	BUG();								\
}

__DEFINE_NO_PIO(b, u8)
__DEFINE_NO_PIO(w, u16)
__DEFINE_NO_PIO(l, u32)

#undef __DEFINE_NO_PIO

#endif /* ASM_IO_H */
