// SPDX-License-Identifier: MIT
/*
 * The riscv64 kernel address space: Sv39 page tables that map everything at its physical
 * address, so the rest of the kernel keeps its physical = virtual view (asm/memory.h's
 * PAGE_OFFSET 0, __va() the identity), while the MMU now enforces what Bare could not:
 *
 *	the image	4 KiB pages: text R-X, rodata R--, data/bss RW-, and the page under the
 *			boot stack left out (the boot CPU's guard page, head.S)
 *	RAM		every memblock memory range except the image and the device tree's
 *			no-map reservations, RW-, in the largest pages alignment allows
 *			(1 GiB, 2 MiB, then 4 KiB at the edges); holes stay unmapped
 *	devices		what the device tree names (UARTs, virtio-mmio, the test finisher, the
 *			PLIC, PCI ECAM and windows), RW-, as I/O; arch_ioremap() maps more on
 *			demand in the live tables
 *	guard pages	one unmapped page at the bottom of every secondary CPU's stack, split
 *			out of the direct map before the first secondary starts
 *
 * Memory types. Standard harts take them from the platform's PMAs (physical memory
 * attributes): RAM is cacheable, device ranges are strongly ordered I/O, and the entry
 * carries nothing. A hart with Svpbmt (the device tree's ISA string says so) gets PBMT = IO
 * on device mappings, so the type no longer depends on the PMA alone. T-Head C906/C910
 * cores (LicheePi 4A's TH1520, mvendorid 0x5b7) predate Svpbmt and use XTheadMae instead
 * when the firmware has set MAEE: then RAM needs C|B|SH in bits 62..60 (with all attribute
 * bits 0 the core treats memory as non-cacheable) and devices SO|SH. MAEE is read from
 * th.sxstatus, a T-Head CSR that only exists on T-Head cores, so it is read only after
 * mvendorid says T-Head. QEMU implements neither XTheadMae on virt nor (7.2, by default)
 * Svpbmt, so only the PMA-only path and, with -cpu rv64,svpbmt=on, the Svpbmt path run in
 * tests.
 *
 * TLB rules (privileged spec, SFENCE.VMA): a hart's page walker need not see stores to the
 * tables, nor drop cached translations, until that hart runs sfence.vma. Each hart runs one
 * before and after it writes satp (this file for the boot CPU, head.S for the others, also
 * when a hart comes back from hotplug). Tables change after boot only to add mappings
 * (arch_ioremap) or, before any secondary runs, to split a large page around a guard page;
 * the CPU that changes them fences itself, and another hart that still holds the old
 * "invalid" view takes a page fault that riscv_fault_is_stale() recognises from the tables
 * and retries after its own sfence.vma.
 *
 * Locking: arch_mm_init() runs on the boot CPU before SMP (m); later changes to the live
 * tables (arch_ioremap(), riscv_guard_cpu_stacks()) hold pgtable_lock (s), which is taken
 * outside the page allocator's locks (table pages are allocated under it). Walks take no
 * lock: entries are written whole (one 64-bit store) and a table is filled before the
 * entry that points to it is.
 */
#define pr_fmt(fmt) "mmu: " fmt

#include <asm/csr.h>
#include <asm/memory.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "arch/riscv64/cpu_local.h"
#include "arch/riscv64/pgtable.h"
#include "arch/riscv64/riscv.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/cpumask.h"
#include "kernel/lib/string.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"

/* Leaf permissions: RAM and data, device registers, text, rodata. */
#define PROT_RW		(PTE_R | PTE_W)
#define PROT_RX		(PTE_R | PTE_X)
#define PROT_RO		(PTE_R)

/* The trap entry's stack when the current one is at its guard page (trap.S). */
#define OVERFLOW_STACK_ORDER	1
_Static_assert((PAGE_SIZE << OVERFLOW_STACK_ORDER) == RISCV_OVERFLOW_STACK_SIZE,
	       "a secondary's overflow stack is as big as CPU 0's");

unsigned long riscv_kernel_satp;		/* (m, then c) */
static pteval_t *kernel_pgd;			/* the root table (m, then c) */
static pteval_t attr_ram;			/* memory-type bits for RAM leaves (c) */
static pteval_t attr_io;			/* memory-type bits for device leaves (c) */
static const char *memtype_name = "PMA only";	/* for the boot line and ktest (c) */
static DEFINE_SPINLOCK(pgtable_lock);		/* changes after boot (s) */
static bool guards_done;			/* riscv_guard_cpu_stacks() ran (s) */

/* Linker script and head.S: section bounds, the boot stack's guard, CPU 0's overflow stack. */
extern char _etext[], _srodata[], _erodata[], _sdata[];
extern char boot_stack_guard[], boot_overflow_stack_top[];

struct map_stats {
	unsigned long leaves[3];	/* 4 KiB, 2 MiB, 1 GiB leaves written */
	unsigned long tables;		/* table pages allocated */
};

static struct map_stats boot_stats;

static unsigned long level_size(unsigned int level)
{
	return 1UL << (PTE_SHIFT + 9 * level);
}

static pteval_t pte_make(phys_addr_t pa, pteval_t bits)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | bits;
}

static phys_addr_t pte_pa(pteval_t pte)
{
	return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

static bool pte_is_leaf(pteval_t pte)
{
	return (pte & PTE_V) && (pte & (PTE_R | PTE_W | PTE_X));
}

/* A leaf: valid, global (one address space), A and D set so no hart faults to set them. */
static pteval_t leaf_bits(pteval_t prot, pteval_t attr)
{
	return PTE_V | PTE_G | PTE_A | PTE_D | prot | attr;
}

/*
 * A zeroed table page: from memblock while it owns memory (arch_mm_init()), from the page
 * allocator once mm_core_init() has handed memory over. NULL only in the second case.
 */
static pteval_t *table_alloc(struct map_stats *st)
{
	pteval_t *t;

	if (mm_core_initialized()) {
		unsigned long va = get_zeroed_page(GFP_KERNEL);

		if (!va)
			return NULL;
		t = (pteval_t *)va;
	} else {
		phys_addr_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);

		if (!pa)
			panic("mmu: no memory for a page table");
		t = __va(pa);
		memset(t, 0, PAGE_SIZE);
	}
	st->tables++;
	return t;
}

/* Order the table's contents before the entry that publishes it (other harts walk it). */
static void publish(pteval_t *entry, pteval_t val)
{
	__atomic_store_n(entry, val, __ATOMIC_RELEASE);
}

static void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma zero, zero" : : : "memory");
}

static void local_flush_tlb_page(unsigned long va)
{
	__asm__ __volatile__("sfence.vma %0, zero" : : "r"(va) : "memory");
}

/*
 * Map [va, va + size) at the same physical addresses with `prot` and memory type `attr`:
 * the largest leaf that is aligned and fits (when `large`), 4 KiB pages otherwise. A page
 * that is already mapped keeps its mapping: the first range to claim a page decides.
 * Return: false if a table could not be allocated (what was mapped stays mapped).
 * Context: boot CPU before SMP, or pgtable_lock held.
 */
static bool map_range(unsigned long va, unsigned long size, pteval_t prot, pteval_t attr,
		      bool large, struct map_stats *st)
{
	const unsigned long end = va + size;

	while (va < end) {
		pteval_t *t = kernel_pgd;

		for (unsigned int level = 2;; level--) {
			unsigned long lsize = level_size(level);
			pteval_t *e = &t[VPN_INDEX(va, PTE_SHIFT + 9 * level)];
			pteval_t old = *e;

			if (old & PTE_V) {
				if (pte_is_leaf(old)) {
					va = (va & ~(lsize - 1)) + lsize;
					break;
				}
				t = __va(pte_pa(old));
				continue;
			}
			if (level == 0 || (large && va % lsize == 0 && end - va >= lsize)) {
				publish(e, pte_make(va, leaf_bits(prot, attr)));
				st->leaves[level]++;
				va += lsize;
				break;
			}
			pteval_t *next = table_alloc(st);

			if (!next)
				return false;
			publish(e, pte_make(__pa(next), PTE_V));
			t = next;
		}
	}
	return true;
}

/*
 * Unmap the 4 KiB page at `va`, splitting a 1 GiB or 2 MiB leaf above it into 512 leaves of
 * the next size with the same bits. Return: false if a table could not be allocated.
 * Context: boot CPU, before any secondary hart runs on the tables; pgtable_lock held.
 */
static bool unmap_page(unsigned long va, struct map_stats *st)
{
	pteval_t *t = kernel_pgd;

	for (unsigned int level = 2; level > 0; level--) {
		pteval_t *e = &t[VPN_INDEX(va, PTE_SHIFT + 9 * level)];
		pteval_t old = *e;

		if (!(old & PTE_V))
			return true;		/* nothing mapped there */
		if (pte_is_leaf(old)) {
			pteval_t *next = table_alloc(st);
			unsigned long step = level_size(level - 1);

			if (!next)
				return false;
			for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
				next[i] = pte_make(pte_pa(old) + i * step, old & ~PTE_PPN_MASK);
			publish(e, pte_make(__pa(next), PTE_V));
			old = *e;
		}
		t = __va(pte_pa(old));
	}
	publish(&t[VPN_INDEX(va, PTE_SHIFT)], 0);
	/* A leaf became a table and a page went away: drop every cached translation. */
	local_flush_tlb_all();
	return true;
}

/* See pgtable.h. */
bool riscv_walk(unsigned long va, struct riscv_walk *w)
{
	const pteval_t *t = kernel_pgd;

	w->pte = 0;
	w->level = 2;
	w->mapped = false;
	if (!t || va >= SV39_IDENTITY_LIMIT)
		return false;
	for (unsigned int level = 2;; level--) {
		pteval_t e = __atomic_load_n(&t[VPN_INDEX(va, PTE_SHIFT + 9 * level)],
					     __ATOMIC_ACQUIRE);

		w->pte = e;
		w->level = level;
		if (!(e & PTE_V))
			return false;
		if (pte_is_leaf(e)) {
			w->mapped = true;
			return true;
		}
		if (level == 0)
			return false;		/* a pointer at the last level: malformed */
		t = __va(pte_pa(e));
	}
}

/* See pgtable.h. */
bool riscv_va_readable(unsigned long va, unsigned long len)
{
	struct riscv_walk w;

	if (!riscv_kernel_satp)
		return true;
	for (unsigned long p = va & PAGE_MASK; p < va + len; p += PAGE_SIZE)
		if (!riscv_walk(p, &w) || !(w.pte & PTE_R))
			return false;
	return true;
}

/* The permission a page fault of cause `code` needed. */
static pteval_t fault_needs(unsigned long code)
{
	switch (code) {
	case EXC_INST_PAGE_FAULT:
		return PTE_X;
	case EXC_STORE_PAGE_FAULT:
		return PTE_W | PTE_R;
	default:
		return PTE_R;
	}
}

/* See pgtable.h. */
bool riscv_fault_is_stale(unsigned long code, unsigned long addr)
{
	struct riscv_walk w;
	pteval_t need = fault_needs(code);

	if (!riscv_walk(addr, &w) || (w.pte & need) != need)
		return false;
	/* The tables allow it: this hart's TLB or walker saw an older state. */
	local_flush_tlb_page(addr);
	return true;
}

/* See pgtable.h. */
int riscv_guard_page_owner(unsigned long addr)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned long g = riscv_cpu_local[cpu].stack_guard;

		if (g && addr - g < PAGE_SIZE)
			return (int)cpu;
	}
	return -1;
}

static void prot_string(pteval_t pte, char *buf)
{
	buf[0] = pte & PTE_R ? 'R' : '-';
	buf[1] = pte & PTE_W ? 'W' : '-';
	buf[2] = pte & PTE_X ? 'X' : '-';
	buf[3] = 0;
}

/* See pgtable.h. */
void riscv_describe_fault(unsigned long code, unsigned long addr, unsigned long sp)
{
	static const char *const sizes[] = { "4K", "2M", "1G" };
	struct riscv_walk w;
	char prot[4];
	int cpu = riscv_guard_page_owner(addr);

	unsigned long here = (unsigned long)__builtin_frame_address(0);
	const struct riscv_cpu_local *cl = this_cpu_local();

	if (cpu >= 0) {
		printk(KERN_EMERG "mmu: %016lx is in the guard page below CPU %d's stack: kernel stack overflow\n",
		       addr, cpu);
	} else if ((cpu = riscv_guard_page_owner(sp)) >= 0) {
		printk(KERN_EMERG "mmu: sp %016lx is in the guard page below CPU %d's stack: kernel stack overflow\n",
		       sp, cpu);
	}
	/* Said so that a test can tell the trap entry really left the overflowed stack. */
	if (cl->overflow_sp && here < cl->overflow_sp &&
	    here >= cl->overflow_sp - RISCV_OVERFLOW_STACK_SIZE)
		printk(KERN_EMERG "mmu: this report runs on CPU %u's overflow stack\n",
		       arch_smp_processor_id());
	if (addr >= SV39_IDENTITY_LIMIT && addr < -SV39_IDENTITY_LIMIT) {
		printk(KERN_EMERG "mmu: %016lx is not a Sv39 address (bits 63..39 differ from bit 38)\n",
		       addr);
		return;
	}
	if (!riscv_walk(addr, &w)) {
		printk(KERN_EMERG "mmu: %016lx is not mapped (no entry at the %s level)\n", addr,
		       sizes[w.level]);
		return;
	}
	prot_string(w.pte, prot);
	printk(KERN_EMERG "mmu: %016lx is mapped by a %s page, pte %016lx (%s); the access needed %s\n",
	       addr, sizes[w.level], (unsigned long)w.pte, prot,
	       code == EXC_INST_PAGE_FAULT ? "X" : code == EXC_STORE_PAGE_FAULT ? "W" : "R");
}

/* ---- memory types ---- */

/*
 * Does every usable hart's device-tree node list Svpbmt? The tables are shared, so one hart
 * without it makes the PBMT bits reserved for that hart: use them only if all have it.
 */
static void choose_memory_types(void)
{
	long mvendorid = sbi_get_mvendorid();

	if (mvendorid == MVENDORID_THEAD) {
		/*
		 * th.sxstatus only exists on T-Head cores, so it is read only once mvendorid says
		 * T-Head, and through a probe that survives its absence (older emulators).
		 */
		unsigned long sx;
		bool have = riscv_csr_probe_sxstatus(&sx);

		if (have && (sx & TH_SXSTATUS_MAEE)) {
			attr_ram = PTE_THEAD_C | PTE_THEAD_B | PTE_THEAD_SH;
			attr_io = PTE_THEAD_SO | PTE_THEAD_SH;
			memtype_name = "XTheadMae (RAM C|B|SH, devices SO|SH)";
			return;
		}
		pr_info("T-Head core %s: no XTheadMae bits\n",
			have ? "with MAEE off" : "without th.sxstatus (an emulator?)");
	}
	if (boot_info.riscv_isa_ext & BOOT_RISCV_ISA_SVPBMT) {
		attr_ram = 0;			/* PBMT 0: the PMA, cacheable RAM */
		attr_io = PTE_PBMT_IO;
		memtype_name = "Svpbmt (devices PBMT=IO)";
		return;
	}
	attr_ram = attr_io = 0;
	memtype_name = "PMA only";
}

/* ---- the boot tables ---- */

/* The image: text R-X, rodata R--, data and bss RW- minus the boot stack's guard page. */
static void map_image(struct map_stats *st)
{
	unsigned long text = (unsigned long)_start, etext = (unsigned long)_etext;
	unsigned long ro = (unsigned long)_srodata, ero = (unsigned long)_erodata;
	unsigned long data = (unsigned long)_sdata, end = (unsigned long)_end;
	unsigned long guard = (unsigned long)boot_stack_guard;

	BUG_ON(etext > ro || ero > data || guard < data || guard + PAGE_SIZE > end);
	map_range(text, etext - text, PROT_RX, attr_ram, false, st);
	map_range(ro, ero - ro, PROT_RO, attr_ram, false, st);
	map_range(data, guard - data, PROT_RW, attr_ram, false, st);
	map_range(guard + PAGE_SIZE, end - guard - PAGE_SIZE, PROT_RW, attr_ram, false, st);
	riscv_cpu_local[0].stack_guard = guard;
	riscv_cpu_local[0].overflow_sp = (unsigned long)boot_overflow_stack_top;
}

/*
 * Map RAM [base, end) except what `skip` lists (the image, no-map ranges; any order): walk
 * up from base, mapping up to the nearest skipped range and jumping over it.
 */
struct skip_range {
	phys_addr_t base, end;
};

static void map_ram(phys_addr_t base, phys_addr_t end, const struct skip_range *skip,
		    unsigned int nr_skip, struct map_stats *st)
{
	while (base < end) {
		phys_addr_t stop = end;
		bool inside = false;

		for (unsigned int i = 0; i < nr_skip; i++) {
			if (skip[i].base <= base && skip[i].end > base) {
				base = skip[i].end;	/* inside a skipped range: jump over it */
				inside = true;
				break;
			}
			if (skip[i].base > base && skip[i].base < stop)
				stop = skip[i].base;
		}
		if (inside)
			continue;
		map_range(base, stop - base, PROT_RW, attr_ram, true, st);
		base = stop;
	}
}

/* The image, and as many no-map ranges as memblock can hold reserved regions (memblock.c). */
#define MAX_SKIP	(1 + BOOT_MAX_RESERVED + BOOT_MAX_RANGES)
static struct skip_range skip[MAX_SKIP];	/* map_all_ram()'s scratch (m) */

static void map_all_ram(struct map_stats *st)
{
	struct memblock_region r;
	unsigned int n = 0;

	skip[n++] = (struct skip_range){ (unsigned long)_start, (unsigned long)_end };
	for (unsigned int i = 0; memblock_reserved_region(i, &r); i++) {
		if (r.kind != BOOT_RSV_NOMAP)
			continue;
		if (n == MAX_SKIP)
			panic("mmu: more than %d no-map ranges: cannot keep them out", MAX_SKIP - 1);
		skip[n++] = (struct skip_range){ r.base & PAGE_MASK,
						 (r.base + r.size + PAGE_SIZE - 1) & PAGE_MASK };
	}
	for (unsigned int i = 0; memblock_memory_region(i, &r); i++) {
		phys_addr_t b = (r.base + PAGE_SIZE - 1) & PAGE_MASK;
		phys_addr_t e = (r.base + r.size) & PAGE_MASK;

		map_ram(b, e, skip, n, st);
	}
}

/* Map one device range the device tree named; a size of 0 still gets its first page. */
static void map_boot_io(phys_addr_t base, phys_addr_t size, struct map_stats *st)
{
	phys_addr_t b = base & PAGE_MASK;
	phys_addr_t e = (base + (size ? size : 1) + PAGE_SIZE - 1) & PAGE_MASK;

	if (!base || e <= b)
		return;
	if (e > SV39_IDENTITY_LIMIT) {
		pr_warn("device registers [%#llx-%#llx] lie beyond Sv39's identity map: not mapped\n",
			(unsigned long long)b, (unsigned long long)e - 1);
		return;
	}
	map_range(b, e - b, PROT_RW, attr_io, true, st);
}

static void map_boot_devices(struct map_stats *st)
{
	const struct boot_irqchip *ic = &boot_info.irqchip;

	for (unsigned int i = 0; i < boot_info.nr_devices; i++)
		map_boot_io(boot_info.devices[i].base, boot_info.devices[i].size, st);
	if (ic->compatible[0])
		map_boot_io(ic->base, ic->size, st);
	for (unsigned int i = 0; i < boot_info.nr_pci_hosts; i++) {
		const struct boot_pci_host *h = &boot_info.pci_hosts[i];

		if (h->ecam_base)
			map_boot_io(h->ecam_base,
				    ((phys_addr_t)h->bus_end - h->bus_start + 1) << 20, st);
		for (unsigned int w = 0; w < h->nr_windows; w++)
			map_boot_io(h->windows[w].cpu_base, h->windows[w].size, st);
	}
}

/*
 * Switch this hart to the kernel tables. The fence before makes the table stores (ours, or
 * the boot CPU's, which the caller has ordered with a fence) visible to this hart's walker;
 * the one after drops any translation cached from an earlier life (a hart back from hotplug).
 */
static void enable_satp(unsigned long satp)
{
	local_flush_tlb_all();
	csr_write(satp, satp);
	local_flush_tlb_all();
}

/*
 * arch_mm_init() - Build the kernel tables and turn Sv39 on for the boot CPU.
 *
 * Memblock knows RAM and the reservations; nothing has been allocated that the tables
 * would not cover (memblock allocates inside RAM). A hart that refuses Sv39 (satp reads
 * back without it) and RAM beyond Sv39's identity reach leave translation off, as before.
 * Context: boot CPU, before SMP (m).
 */
void arch_mm_init(void)
{
	struct map_stats *st = &boot_stats;
	phys_addr_t end = memblock_end_of_DRAM();
	struct memblock_region r;
	unsigned long nomap = 0, nr_nomap = 0;

	for (unsigned int i = 0; memblock_reserved_region(i, &r); i++) {
		if (r.kind == BOOT_RSV_NOMAP) {
			nomap += r.size;
			nr_nomap++;
		}
	}
	if (csr_read(satp) >> SATP_MODE_SHIFT != SATP_MODE_BARE)
		pr_warn("satp = %#lx at boot: the firmware left translation on\n",
			csr_read(satp));
	if (end > SV39_IDENTITY_LIMIT) {
		pr_warn("RAM ends at %#llx, beyond Sv39's identity reach (%#lx): translation stays off (satp = Bare)\n",
			(unsigned long long)end, SV39_IDENTITY_LIMIT);
		return;
	}

	choose_memory_types();
	kernel_pgd = table_alloc(st);
	map_image(st);
	map_all_ram(st);
	map_boot_devices(st);

	unsigned long satp = SATP_MODE_SV39 << SATP_MODE_SHIFT | __pa(kernel_pgd) >> PAGE_SHIFT;

	enable_satp(satp);
	if (csr_read(satp) != satp) {
		/* satp is WARL: a mode the hart lacks leaves the register as it was. */
		pr_warn("this hart does not take Sv39 (satp reads %#lx): translation stays off\n",
			csr_read(satp));
		kernel_pgd = NULL;
		return;
	}
	riscv_kernel_satp = satp;
	pr_info("Sv39, satp %#lx: RAM [%#llx-%#llx] direct map with %lu 1G / %lu 2M / %lu 4K pages, image text R-X rodata R-- data RW- in 4K pages, %lu tables\n",
		satp, (unsigned long long)memblock_start_of_DRAM(), (unsigned long long)end - 1,
		st->leaves[2], st->leaves[1], st->leaves[0], st->tables);
	pr_info("memory types: %s; boot stack guard page at %#lx%s\n", memtype_name,
		(unsigned long)boot_stack_guard,
		nr_nomap ? "; no-map ranges left out" : "");
	if (nr_nomap)
		pr_info("%lu no-map range(s), %luK, not mapped\n", nr_nomap, nomap >> 10);
}

/* For ktest: the memory-type bits each kind of mapping carries. */
void riscv_memory_types(pteval_t *ram, pteval_t *io, const char **name)
{
	*ram = attr_ram;
	*io = attr_io;
	*name = memtype_name;
}

/* ---- after boot ---- */

/* See pgtable.h. */
bool riscv_map_io(phys_addr_t pa, size_t size)
{
	phys_addr_t b = pa & PAGE_MASK;
	phys_addr_t e = (pa + size + PAGE_SIZE - 1) & PAGE_MASK;
	struct map_stats st = { 0 };
	bool ok;

	if (!riscv_kernel_satp)
		return true;
	if (e > SV39_IDENTITY_LIMIT) {
		pr_err("ioremap [%#llx+%#zx]: beyond Sv39's identity reach (%#lx)\n",
		       (unsigned long long)pa, size, SV39_IDENTITY_LIMIT);
		return false;
	}
	scoped_guard(spinlock_irqsave, &pgtable_lock) {
		ok = map_range(b, e - b, PROT_RW, attr_io, true, &st);
		/* New entries only: this hart sees them after its own fence (see the header). */
		local_flush_tlb_all();
	}
	if (!ok)
		pr_err("ioremap [%#llx+%#zx]: no memory for a page table\n", (unsigned long long)pa,
		       size);
	return ok;
}

/* See pgtable.h. */
void riscv_guard_cpu_stacks(void)
{
	struct map_stats st = { 0 };
	unsigned int cpu, n = 0;

	if (!riscv_kernel_satp)
		return;
	guard(spinlock_irqsave)(&pgtable_lock);
	if (guards_done)
		return;
	guards_done = true;
	for_each_present_cpu(cpu) {
		struct percpu_hdr *hdr = percpu_hdr_of(cpu);
		struct riscv_cpu_local *cl = &riscv_cpu_local[cpu];

		if (cpu == 0 || !hdr || !hdr->stack_top)
			continue;
		/*
		 * The stack's lowest page becomes its guard: mm/percpu.c aligns each stack to its
		 * size, so the page below it belongs to someone else and must stay mapped.
		 */
		unsigned long guard_va = hdr->stack_top - SMP_STACK_SIZE;
		unsigned long ovf = __get_free_pages(GFP_KERNEL, OVERFLOW_STACK_ORDER);

		if (!ovf || !unmap_page(guard_va, &st)) {
			pr_warn("CPU%u: no memory for its stack guard: left without one\n", cpu);
			if (ovf)
				free_pages(ovf, OVERFLOW_STACK_ORDER);
			continue;
		}
		cl->overflow_sp = ovf + (PAGE_SIZE << OVERFLOW_STACK_ORDER);
		cl->stack_guard = guard_va;
		n++;
	}
	if (n)
		pr_info("guard pages below %u secondary CPU stacks (%lu KiB usable each), %lu tables split\n",
			n, (SMP_STACK_SIZE - PAGE_SIZE) >> 10, st.tables);
}
