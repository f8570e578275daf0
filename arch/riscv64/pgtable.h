/* SPDX-License-Identifier: MIT */
/*
 * riscv64 Sv39 page tables: entry bits, index arithmetic and the hooks the port's files share.
 * Facts from the RISC-V privileged specification, "Sv39: Page-Based 39-bit Virtual-Memory
 * System", and the Svpbmt chapter; T-Head's XTheadMae bits from T-Head's extension spec.
 *
 * A 39-bit virtual address splits into three 9-bit indexes and a 12-bit offset:
 *	38..30 VPN[2] (root), 29..21 VPN[1], 20..12 VPN[0], 11..0 byte.
 * Bits 63..39 must equal bit 38, or the access page-faults. An entry at the root that is a
 * leaf maps 1 GiB (a gigapage), at the middle level 2 MiB (a megapage), at the last 4 KiB.
 *
 * Entry (PTE), 64 bits:
 *	0 V valid, 1 R, 2 W, 3 X (all three 0: a pointer to the next table), 4 U user,
 *	5 G global, 6 A accessed, 7 D dirty, 8..9 software, 10..53 PPN (physical page number),
 *	54..60 reserved (must be 0, else a page fault), 61..62 PBMT (Svpbmt; reserved
 *	without it), 63 N (Svnapot; reserved without it).
 * A hart may fault instead of setting A or D itself (Svade), so every leaf is written with
 * A and D set: this kernel never uses them, and a store must never fault on D.
 *
 * Locking: the constants need none; see mm.c for the tables.
 */
#ifndef ARCH_RISCV64_PGTABLE_H
#define ARCH_RISCV64_PGTABLE_H

#define PTE_V		(1UL << 0)
#define PTE_R		(1UL << 1)
#define PTE_W		(1UL << 2)
#define PTE_X		(1UL << 3)
#define PTE_U		(1UL << 4)
#define PTE_G		(1UL << 5)
#define PTE_A		(1UL << 6)
#define PTE_D		(1UL << 7)
#define PTE_PPN_SHIFT	10
/* PPN: bits 10..53, 44 bits of a 56-bit physical address's page number. */
#define PTE_PPN_MASK	(((1UL << 44) - 1) << PTE_PPN_SHIFT)

/* Svpbmt, bits 62..61: 0 = PMA (whatever the platform says), 1 = NC, 2 = IO. */
#define PTE_PBMT_SHIFT	61
#define PTE_PBMT_NC	(1UL << PTE_PBMT_SHIFT)
#define PTE_PBMT_IO	(2UL << PTE_PBMT_SHIFT)
#define PTE_PBMT_MASK	(3UL << PTE_PBMT_SHIFT)

/*
 * T-Head XTheadMae (C906/C910, "MAEE" set by M-mode firmware): bits 63..59 are
 * SO (strong order), C (cacheable), B (bufferable), SH (shareable), Sec (trustable).
 * With MAEE on, an entry with all of them 0 is non-cacheable, so RAM needs C|B|SH; device
 * registers want SO|SH (strongly ordered, not cached, not buffered).
 */
#define PTE_THEAD_SO	(1UL << 63)
#define PTE_THEAD_C	(1UL << 62)
#define PTE_THEAD_B	(1UL << 61)
#define PTE_THEAD_SH	(1UL << 60)
#define PTE_THEAD_SEC	(1UL << 59)
#define PTE_THEAD_MASK	(0x1fUL << 59)

/* The T-Head status CSR readable from S-mode (th.sxstatus; traps.c reads it) and MAEE. */
#define CSR_TH_SXSTATUS		0x5c0
#define TH_SXSTATUS_MAEE	(1UL << 21)
/* mvendorid of T-Head (JEDEC bank 12, id 0x37), as the SBI Base extension reports it. */
#define MVENDORID_THEAD		0x5b7

#define PTRS_PER_TABLE	512
#define PGD_SHIFT	30		/* VPN[2]: a root leaf maps 1 GiB */
#define PMD_SHIFT	21		/* VPN[1]: a middle leaf maps 2 MiB */
#define PTE_SHIFT	12		/* VPN[0]: 4 KiB */
#define PGD_SIZE	(1UL << PGD_SHIFT)
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define VPN_INDEX(va, shift)	(((va) >> (shift)) & (PTRS_PER_TABLE - 1))

/* Identity mapping needs va = pa < 2^38: with bit 38 set, Sv39 sign-extends the address. */
#define SV39_IDENTITY_LIMIT	(1UL << 38)

/* satp: MODE in 63..60 (8 = Sv39), ASID in 59..44 (0: we use none), root PPN in 43..0. */
#define SATP_MODE_SV39	8UL

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

typedef u64 pteval_t;	/* one entry of any level */

/* What a software walk of the kernel tables found for one address. */
struct riscv_walk {
	pteval_t pte;		/* the leaf, or the invalid entry where the walk stopped */
	unsigned int level;	/* 2 root (1 GiB), 1 middle (2 MiB), 0 last (4 KiB) */
	bool mapped;		/* pte is a valid leaf */
};

/* satp value that selects the kernel tables; 0 while translation is off (c after boot). */
extern unsigned long riscv_kernel_satp;

/* Walk the kernel tables for `va` without touching it. Any CPU, any context. */
bool riscv_walk(unsigned long va, struct riscv_walk *w);
/* True if [va, va + len) may be read now: translation off, or mapped readable. Any CPU. */
bool riscv_va_readable(unsigned long va, unsigned long len);
/*
 * Is a page fault at `addr` (scause `code`) a stale translation of a page that is mapped
 * now? Then it has fenced the address and the access may be retried. The CPU that faulted.
 */
bool riscv_fault_is_stale(unsigned long code, unsigned long addr);
/* The CPU whose stack guard page holds `addr`, or -1. Any CPU. */
int riscv_guard_page_owner(unsigned long addr);
/* Print what the tables say about `addr`, for a fault report. The CPU that faulted. */
void riscv_describe_fault(unsigned long code, unsigned long addr, unsigned long sp);
/*
 * Leave every secondary CPU's guard page unmapped and give each an overflow stack for the
 * trap entry, once. Boot CPU (arch_cpu_start), before the first secondary hart runs.
 */
void riscv_guard_cpu_stacks(void);
/* The memory-type bits RAM and device leaves carry, and their name (for ktest). */
void riscv_memory_types(pteval_t *ram, pteval_t *io, const char **name);
/* Map device registers [pa, pa + size) as I/O; false with a message if impossible. */
bool riscv_map_io(phys_addr_t pa, size_t size);
#endif

#endif /* ARCH_RISCV64_PGTABLE_H */
