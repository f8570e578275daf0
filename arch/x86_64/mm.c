// SPDX-License-Identifier: MIT
/*
 * The x86_64 kernel address space: all RAM at PAGE_OFFSET + phys, and the image at
 * KERNEL_VIRT_BASE with per-section permissions.
 *
 * head.S maps the first 1 GiB three ways (identity, direct map, kernel image) with 2 MiB
 * read-write-execute pages so that early code and memblock's first allocations can work.
 * arch_mm_init() builds the real address space in fresh tables and switches CR3 to it in
 * one step:
 *
 *	PML4 slot 0	(identity)	  dropped: nothing runs at physical addresses any more
 *	slots 273..	(PAGE_OFFSET)	  every memblock memory region, then what the firmware
 *					  map describes (ACPI tables, "reserved" uncached; see
 *					  map_firmware_ranges()). Holes stay unmapped, so a stray
 *					  pointer into them faults. Not executable.
 *	slot 511	(KERNEL_VIRT_BASE) the image only, 4 KiB pages: text read+execute,
 *					  rodata read-only, data and bss read-write, and the page
 *					  under the boot stack left out as a guard
 *
 * RAM is mapped with 2 MiB pages where a whole aligned 2 MiB lies inside a region, and
 * 4 KiB pages at unaligned edges. Table pages come from memblock below the current limit
 * (the boot map's 1 GiB), which the old tables still reach while the new ones are built.
 *
 * Locking: arch_mm_init() runs on the boot CPU before SMP (m); later mappings of device
 * registers (arch_ioremap()) change the live tables under x86_ioremap_lock (s).
 */
#define pr_fmt(fmt) "x86: " fmt

#include "arch/arch.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/pgtable.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/gfp.h"
#include <asm/memory.h>
#include <asm/processor.h>

_Static_assert(X86_PAGE_OFFSET == PAGE_OFFSET, "pgtable.h and asm/memory.h disagree");
_Static_assert(X86_KERNEL_VIRT_BASE == KERNEL_VIRT_BASE, "pgtable.h and asm/memory.h disagree");
_Static_assert(PML4_INDEX(PAGE_OFFSET) == DIRECT_PML4_INDEX, "direct map PML4 slot");
_Static_assert(PML4_INDEX(KERNEL_VIRT_BASE) == KERNEL_PML4_INDEX, "kernel PML4 slot");
_Static_assert(PDPT_INDEX(KERNEL_VIRT_BASE) == KERNEL_PDPT_INDEX, "kernel PDPT slot");

#define PTE_NX		(1UL << 63)
#define PTE_TABLE	(PTE_PRESENT | PTE_RW)	/* a pointer to a lower-level table */

struct map_stats {
	unsigned long pages_2m;
	unsigned long pages_4k;
	unsigned long tables;
};

/*
 * A zeroed page for a page table: every entry starts not-present. From memblock while it
 * owns memory (arch_mm_init(), early ioremaps), from the page allocator once mm_core_init()
 * has handed memory over. NULL only in the second case: memblock failing is fatal at boot.
 */
static pteval_t *table_alloc(struct map_stats *st)
{
	if (mm_core_initialized()) {
		unsigned long va = get_zeroed_page(GFP_KERNEL);

		if (!va)
			return NULL;
		st->tables++;
		return (pteval_t *)va;
	}
	phys_addr_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);

	if (!pa)
		panic("x86: no memory below %#lx for page tables",
		      BOOT_DIRECT_MAP_SIZE);
	st->tables++;
	return __va(pa);
}

/* The table that entry `idx` of `table` points to, created if absent; NULL if out of memory. */
static pteval_t *table_next(pteval_t *table, unsigned int idx, struct map_stats *st)
{
	if (!(table[idx] & PTE_PRESENT)) {
		pteval_t *next = table_alloc(st);

		if (!next)
			return NULL;
		table[idx] = __pa(next) | PTE_TABLE;
		return next;
	}
	/* Only PD entries are ever large (map_range() checks those itself). */
	BUG_ON(table[idx] & PTE_PS);
	return __va(table[idx] & PTE_ADDR_MASK);
}

/*
 * Map [va, va + size) to [pa, pa + size) (all page aligned) in the tree under `pml4`, with
 * 2 MiB pages where `large` allows and alignment permits. Pages that are already mapped
 * keep their mapping: the first range to claim a page decides its attributes.
 * Return: false if a page table could not be allocated (what was mapped stays mapped).
 */
static bool map_range(pteval_t *pml4, unsigned long va, phys_addr_t pa, u64 size,
		      pteval_t prot, bool large, struct map_stats *st)
{
	const unsigned long end = va + size;

	while (va < end) {
		pteval_t *pdpt = table_next(pml4, PML4_INDEX(va), st);
		pteval_t *pd = pdpt ? table_next(pdpt, PDPT_INDEX(va), st) : NULL;

		if (!pd)
			return false;
		pteval_t *pde = &pd[PD_INDEX(va)];

		if (*pde & PTE_PS) {		/* a 2 MiB page is there already: skip it */
			unsigned long next = ALIGN_DOWN(va, SZ_2M) + SZ_2M;

			pa += next - va;
			va = next;
			continue;
		}
		if (!(*pde & PTE_PRESENT) && large && IS_ALIGNED(va, SZ_2M) &&
		    IS_ALIGNED(pa, SZ_2M) && end - va >= SZ_2M) {
			*pde = pa | prot | PTE_PS;
			st->pages_2m++;
			va += SZ_2M;
			pa += SZ_2M;
			continue;
		}
		pteval_t *pt = table_next(pd, PD_INDEX(va), st);

		if (!pt)
			return false;
		if (!(pt[PT_INDEX(va)] & PTE_PRESENT)) {
			pt[PT_INDEX(va)] = pa | prot;
			st->pages_4k++;
		}
		va += PAGE_SIZE;
		pa += PAGE_SIZE;
	}
	return true;
}

/*
 * Besides RAM, the direct map covers what the firmware map describes, so that code reading
 * firmware data (boot/acpi.c reads tables through __va() after checking the firmware map)
 * finds it mapped: SeaBIOS keeps the ACPI tables in "reserved" memory, UEFI in "ACPI data".
 * ACPI ranges are RAM and mapped write-back; "reserved" ranges may be device memory (on q35
 * the PCIe configuration space at 0xb0000000) and are mapped uncached, PCD|PWT selecting PAT
 * entry 3, UC in the power-on PAT. Holes the firmware does not mention stay unmapped.
 */
static void map_firmware_ranges(pteval_t *pml4, pteval_t nx, struct map_stats *st)
{
	for (unsigned int i = 0; i < boot_info.nr_memory; i++) {
		const struct boot_range *r = &boot_info.memory[i];
		pteval_t prot = PTE_PRESENT | PTE_RW | nx;

		switch (r->type) {
		case BOOT_MEM_RAM:
		case BOOT_MEM_ACPI_RECLAIM:
		case BOOT_MEM_ACPI_NVS:
			break;
		case BOOT_MEM_RESERVED:
			prot |= PTE_PCD | PTE_PWT;
			break;
		default:		/* bad RAM, unknown types: never touched */
			continue;
		}
		/* Outward to whole pages; the RAM mapped before keeps its own pages. */
		phys_addr_t start = ALIGN_DOWN(r->base, PAGE_SIZE);
		phys_addr_t end = r->base + r->size;

		/*
		 * The parser rejects ranges that wrap or end beyond the limit; should one get
		 * here all the same, it is skipped, never clipped: mapping up to the limit
		 * would take gigabytes of page tables from the boot map's first gigabyte.
		 */
		if (end < r->base || end > ARCH_PHYS_ADDR_MAX) {
			pr_warn("firmware range [%#llx+%#llx] %s wraps or ends beyond %#lx: not mapped\n",
				(unsigned long long)r->base, (unsigned long long)r->size,
				boot_mem_type_name(r->type), ARCH_PHYS_ADDR_MAX);
			continue;
		}
		end = ALIGN_UP(end, PAGE_SIZE);
		if (start < end)
			map_range(pml4, PAGE_OFFSET + start, start, end - start, prot, true, st);
	}
}

/* Linker script and head.S: section bounds of the image, and the boot stack's guard page. */
extern char _stext[], __start_rodata[], _sdata[], _end[];
extern char boot_stack_guard[];

/* Map [start, end) of the image (kernel virtual addresses) with `prot`. */
static void map_image_part(pteval_t *pml4, const char *start, const char *end, pteval_t prot,
			   struct map_stats *st)
{
	unsigned long va = (unsigned long)start;

	map_range(pml4, va, __pa(start), (unsigned long)end - va, prot, false, st);
}

/**
 * arch_mm_init() - switch to the full kernel address space and lift memblock's limit,
 * then start the boot CPU's local APIC (its registers need a mapping made here).
 *
 * Context: Boot CPU, IRQs off, after memblock_init() and before mm_core_init().
 */
void arch_mm_init(void)
{
	struct map_stats st = { 0 };
	pteval_t nx = 0;
	struct memblock_region r;

	/* NX is only a valid bit once EFER.NXE is on (head.S sets it when the CPU has NX). */
	if (rdmsr(MSR_EFER) & EFER_NXE)
		nx = PTE_NX;

	pteval_t *pml4 = table_alloc(&st);

	for (unsigned int i = 0; memblock_memory_region(i, &r); i++) {
		phys_addr_t start = ALIGN_UP(r.base, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(r.base + r.size, PAGE_SIZE);

		if (end > ARCH_PHYS_ADDR_MAX)
			end = ARCH_PHYS_ADDR_MAX;
		if (start < end)
			map_range(pml4, PAGE_OFFSET + start, start, end - start,
				  PTE_PRESENT | PTE_RW | nx, true, &st);
	}
	map_firmware_ranges(pml4, nx, &st);
	unsigned long ram_2m = st.pages_2m, ram_4k = st.pages_4k;

	map_image_part(pml4, _stext, __start_rodata, PTE_PRESENT, &st);
	map_image_part(pml4, __start_rodata, _sdata, PTE_PRESENT | nx, &st);
	map_image_part(pml4, _sdata, boot_stack_guard, PTE_PRESENT | PTE_RW | nx, &st);
	map_image_part(pml4, boot_stack_guard + PAGE_SIZE, _end, PTE_PRESENT | PTE_RW | nx, &st);

	/* One CR3 load switches everything and flushes the old translations. */
	write_cr3(__pa(pml4));

	memblock_set_current_limit(memblock_end_of_DRAM());
	pr_info("direct map: RAM up to %#llx and firmware ranges in %lu 2 MiB + %lu 4 KiB "
		"pages; image in %lu 4 KiB pages; %lu table pages; identity map removed\n",
		(unsigned long long)memblock_end_of_DRAM(), ram_2m, ram_4k,
		st.pages_4k - ram_4k, st.tables);

	x86_apic_init();	/* needs the final tables and memblock for its MMIO mapping */
}

/*
 * Page-table changes after boot: arch_ioremap() may run on any CPU once SMP is up. Only
 * entries that were not present change, and x86 never caches a not-present translation, so
 * other CPUs need no TLB shootdown: they see the new entry on their next walk.
 */
static DEFINE_SPINLOCK(x86_ioremap_lock);	/* (s) serialises the tables' updates */

/*
 * Map [pa, pa + size) uncached at PAGE_OFFSET + pa. Device registers appear at their
 * direct-map address: the direct map covers RAM and firmware ranges only, so a device such
 * as the local APIC (0xfee00000) or a PCI BAR sits in a hole there, and mapping it into that
 * hole needs no address allocator. PCD|PWT selects PAT entry 3, uncached: every register
 * access must reach the device, in order, and never be merged or served from a cache. A
 * page the direct map already covers keeps its mapping (map_range()): firmware "reserved"
 * ranges, q35's ECAM among them, are UC already. 2 MiB pages where alignment allows (256
 * MiB of ECAM would otherwise take 128 page-table pages).
 */
static void *ioremap_uc(phys_addr_t pa, size_t size, bool large)
{
	struct map_stats st = { 0 };
	phys_addr_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	phys_addr_t end = ALIGN_UP(pa + size, PAGE_SIZE);
	pteval_t nx = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;

	if (!size || end < pa || end > ARCH_PHYS_ADDR_MAX) {
		pr_err("ioremap [%#llx+%#zx]: wraps or ends beyond %#lx\n",
		       (unsigned long long)pa, size, ARCH_PHYS_ADDR_MAX);
		return NULL;
	}
	guard(spinlock_irqsave)(&x86_ioremap_lock);
	pteval_t *pml4 = __va(read_cr3() & PTE_ADDR_MASK);

	if (!map_range(pml4, PAGE_OFFSET + start, start, end - start,
		       PTE_PRESENT | PTE_RW | PTE_PCD | PTE_PWT | nx, large, &st)) {
		pr_err("ioremap [%#llx+%#zx]: out of memory for page tables\n",
		       (unsigned long long)pa, size);
		return NULL;
	}
	/* The hole was never mapped, so no TLB holds it; flush anyway in case of a stale walk. */
	for (phys_addr_t p = start; p < end; p += PAGE_SIZE)
		invlpg(PAGE_OFFSET + p);
	return (void *)(PAGE_OFFSET + pa);
}

/**
 * x86_ioremap_uc() - map device registers uncached and return their virtual address.
 * @pa:		physical address of the registers
 * @size:	bytes to map
 *
 * For the local APIC, mapped with 4 KiB pages. See ioremap_uc().
 *
 * Return: the virtual address of @pa.
 * Context: Boot CPU, after arch_mm_init() has switched page tables.
 */
void *x86_ioremap_uc(phys_addr_t pa, size_t size)
{
	void *va = ioremap_uc(pa, size, false);

	BUG_ON(!va);
	return va;
}

/* See arch/arch.h. */
void *arch_ioremap(phys_addr_t pa, size_t size)
{
	return ioremap_uc(pa, size, true);
}

/*
 * Canonical addresses have bits 63..47 all equal; anything else faults with #GP before the
 * page tables are even consulted.
 */
static bool va_canonical(unsigned long va)
{
	return ((long)va >> 47) == 0 || ((long)va >> 47) == -1;
}

/**
 * x86_virt_mapped() - whether @va is mapped in the current page tables.
 * @va: any virtual address
 *
 * Walks from CR3 through the direct map, which covers every page table page (they are RAM).
 * For a crash-time backtrace that must not fault on a corrupt frame pointer.
 *
 * Context: Any CPU, any context.
 */
bool x86_virt_mapped(unsigned long va)
{
	static const unsigned int shift[] = { PML4_SHIFT, PDPT_SHIFT, PD_SHIFT, PT_SHIFT };

	if (!va_canonical(va))
		return false;
	const pteval_t *table = __va(read_cr3() & PTE_ADDR_MASK);

	for (unsigned int level = 0; level < ARRAY_SIZE(shift); level++) {
		pteval_t e = table[(va >> shift[level]) & (PTRS_PER_TABLE - 1)];

		if (!(e & PTE_PRESENT))
			return false;
		/* A large page ends the walk at the PDPT (1 GiB) or PD (2 MiB) level. */
		if (level == ARRAY_SIZE(shift) - 1 || (level > 0 && (e & PTE_PS)))
			return true;
		table = __va(e & PTE_ADDR_MASK);
	}
	return false;
}
