/* SPDX-License-Identifier: MIT */
/*
 * riscv64 memory barriers as FENCE instructions.
 *
 * RISC-V's memory model (RVWMO) lets a hart reorder its loads and stores to different
 * addresses as seen by other harts. `fence P, S` makes every access of kind P (r = read,
 * w = write, i = device input, o = device output) before it visible before every access of
 * kind S after it. Each macro below names exactly the pair it forbids.
 * The barriers also clobber "memory", so the compiler does not move accesses across them.
 */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

#define __riscv_fence(p, s) \
	__asm__ __volatile__("fence " #p ", " #s : : : "memory")

/*
 * Mandatory barriers also cover device I/O: "iorw" includes MMIO input and output, so a
 * driver's RAM writes and its doorbell write, or a status read and the buffer reads after it,
 * stay in order.
 */
/* Full barrier: no RAM or MMIO access moves across it in either direction. */
#define mb()		__riscv_fence(iorw, iorw)
/* Reads (RAM and device input) before it complete before reads after it. */
#define rmb()		__riscv_fence(ir, ir)
/* Writes (RAM and device output) before it are visible before writes after it. */
#define wmb()		__riscv_fence(ow, ow)

/*
 * SMP barriers order normal memory only, as seen by other harts: device I/O is not involved,
 * so "rw" suffices.
 */
/* No load or store moves across it: a store before it is seen by other harts before a
 * load after it is performed (the one reordering x86 also allows; here it prevents all). */
#define smp_mb()	__riscv_fence(rw, rw)
/* A load before it is performed before a load after it (reader side of a publish). */
#define smp_rmb()	__riscv_fence(r, r)
/* A store before it is visible before a store after it (writer side of a publish). */
#define smp_wmb()	__riscv_fence(w, w)

#endif /* ASM_BARRIER_H */
