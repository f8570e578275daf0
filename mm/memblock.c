// SPDX-License-Identifier: MIT
/*
 * memblock: the boot-time memory map as two range arrays, and early allocations from it.
 *
 *	memory		RAM only, page-aligned inward (a partial page is not usable), sorted,
 *			overlaps and neighbours merged.
 *	reserved	ranges never to hand to the page allocator, page-aligned outward (a
 *			partially reserved page is reserved), sorted, merged, each with a kind.
 *
 * Every range comes in through memblock_add_ram() or memblock_add_reserved(): an empty,
 * wrapping or out-of-range one is dropped or clipped with a warning, the rest is aligned and
 * appended, and memblock_normalise() sorts and merges the array again. mm/memblock_init.c
 * fills both arrays from boot_info that way (and sanitises the map as a whole there);
 * memblock_add() and memblock_reserve() are the same door for the arch and for allocations.
 *
 * Early allocations (memblock_phys_alloc) are taken top-down from memory minus reserved,
 * below the current limit: what the boot page tables map (x86_64: BOOT_DIRECT_MAP_SIZE until
 * arch_mm_init() maps all RAM); each is recorded as a reserved region of kind
 * MEMBLOCK_RSV_ALLOC. Then the queries (is this memory? reserved? no-map?) and the dump.
 * Linux: mm/memblock.c.
 *
 * Locking: boot CPU only, before SMP (m). Read-only once the buddy allocator is up.
 */
#include "mm/memblock.h"
#include "mm/memblock_internal.h"
#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include <asm/memory.h>

/* Every RAM entry, and as many pieces again for entries of other types cutting them. */
#define MEMBLOCK_MAX_MEMORY	(2 * BOOT_MAX_RANGES)
/*
 * Every boot reservation, even if none merges, and room for early allocations: those are
 * taken top-down next to each other and mostly merge into one region per RAM range.
 */
#define MEMBLOCK_MAX_RESERVED	(BOOT_MAX_RESERVED + BOOT_MAX_RANGES)

static struct memblock_region memblock_memory_init_regions[MEMBLOCK_MAX_MEMORY];
static struct memblock_region memblock_reserved_init_regions[MEMBLOCK_MAX_RESERVED];
struct memblock_type memblock_memory = {
	.name = "memory", .max = MEMBLOCK_MAX_MEMORY, .regions = memblock_memory_init_regions,
};
struct memblock_type memblock_reserved = {
	.name = "reserved", .max = MEMBLOCK_MAX_RESERVED,
	.regions = memblock_reserved_init_regions,
};
static phys_addr_t memblock_current_limit = BOOT_DIRECT_MAP_SIZE;	/* exclusive (m) */

/* A reserved kind's name for messages: boot_rsv_kind_name(), plus memblock's own. */
const char *memblock_rsv_kind_name(u32 kind)
{
	if (kind == MEMBLOCK_RSV_ALLOC)
		return "memblock";
	return boot_rsv_kind_name(kind);
}

/* Append without ordering; memblock_normalise() sorts and merges. */
static int memblock_append(struct memblock_type *t, phys_addr_t base, phys_addr_t size,
			   u32 kind)
{
	if (t->cnt >= t->max) {
		pr_err("memblock: %s array full, dropping [0x%016llx-0x%016llx]\n", t->name,
		       (unsigned long long)base, (unsigned long long)(base + size - 1));
		return -1;
	}
	t->regions[t->cnt].base = base;
	t->regions[t->cnt].size = size;
	t->regions[t->cnt].kind = kind;
	t->cnt++;
	return 0;
}

static void memblock_remove_at(struct memblock_type *t, unsigned int i)
{
	memmove(&t->regions[i], &t->regions[i + 1], (t->cnt - i - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

/*
 * How much a reserved kind restricts its bytes: no-map (not even mapped) most, reusable (may
 * serve movable pages one day) least, every other kind in between.
 */
static int rsv_kind_rank(u32 kind)
{
	return kind == BOOT_RSV_NOMAP ? 2 : kind == BOOT_RSV_REUSABLE ? 0 : 1;
}

/*
 * Sort by base (insertion sort: at most a few hundred entries, mostly sorted already) and
 * merge. Overlapping entries always merge (warning if `warn`: two firmware entries claiming
 * the same bytes is a firmware bug). Touching entries merge if they are memory or reserved
 * with the same kind. A merged reserved region keeps the kind of its lower part, unless the
 * other part's kind restricts more (rsv_kind_rank()): bytes that are both reusable and
 * firmware-owned are not reusable, and a no-map range stays no-map whatever overlaps it.
 */
void memblock_normalise(struct memblock_type *t, bool warn)
{
	for (unsigned int i = 1; i < t->cnt; i++) {
		struct memblock_region r = t->regions[i];
		unsigned int j = i;

		while (j > 0 && t->regions[j - 1].base > r.base) {
			t->regions[j] = t->regions[j - 1];
			j--;
		}
		t->regions[j] = r;
	}

	for (unsigned int i = 0; i + 1 < t->cnt;) {
		struct memblock_region *a = &t->regions[i], *b = &t->regions[i + 1];
		phys_addr_t a_end = range_end(a->base, a->size);
		phys_addr_t b_end = range_end(b->base, b->size);

		if (b->base < a_end) {
			if (warn)
				pr_warn("memblock: %s [0x%016llx-0x%016llx] overlaps [0x%016llx-0x%016llx]: merged\n",
					t->name, (unsigned long long)a->base,
					(unsigned long long)(a_end - 1),
					(unsigned long long)b->base,
					(unsigned long long)(b_end - 1));
		} else if (b->base != a_end || a->kind != b->kind) {
			i++;
			continue;
		}
		if (b_end > a_end)
			a->size = b_end - a->base;
		if (rsv_kind_rank(b->kind) > rsv_kind_rank(a->kind))
			a->kind = b->kind;
		memblock_remove_at(t, i + 1);
	}
}

/* Cut [base, end) out of every region of t, then sort and merge it again. */
void memblock_cut(struct memblock_type *t, phys_addr_t base, phys_addr_t end)
{
	for (unsigned int i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		phys_addr_t r_end = range_end(r->base, r->size);

		if (r_end <= base || r->base >= end)
			continue;
		if (r->base < base && r_end > end) {
			/* Split in two: the upper part is appended and sorted back later. */
			r->size = base - r->base;
			memblock_append(t, end, r_end - end, r->kind);
		} else if (r->base < base) {
			r->size = base - r->base;
		} else if (r_end > end) {
			r->size = r_end - end;
			r->base = end;
		} else {
			memblock_remove_at(t, i);
			i--;
		}
	}
	memblock_normalise(t, false);
}

/*
 * Check one firmware range: drop it if empty, wrapping or beyond ARCH_PHYS_ADDR_MAX, clip it
 * if it ends beyond. Returns false if dropped; *end is its exclusive end.
 */
static bool memblock_check_range(const char *what, phys_addr_t base, phys_addr_t size,
				 phys_addr_t *end)
{
	if (size == 0) {
		pr_warn("memblock: dropping empty %s entry at 0x%016llx\n", what,
			(unsigned long long)base);
		return false;
	}
	if (base + size - 1 < base) {
		pr_warn("memblock: dropping %s entry [0x%016llx+0x%llx]: wraps around\n", what,
			(unsigned long long)base, (unsigned long long)size);
		return false;
	}
	if (base >= ARCH_PHYS_ADDR_MAX) {
		pr_warn("memblock: dropping %s [0x%016llx-0x%016llx]: beyond the physical address limit 0x%llx\n",
			what, (unsigned long long)base, (unsigned long long)(base + size - 1),
			(unsigned long long)ARCH_PHYS_ADDR_MAX);
		return false;
	}
	/*
	 * Compare inclusive last bytes: a range that ends exactly at 2^64 is legal input, but
	 * its exclusive end (base + size) wraps to 0 (found by fuzz_memblock).
	 */
	phys_addr_t last = base + size - 1;

	if (last >= ARCH_PHYS_ADDR_MAX) {
		pr_warn("memblock: clipping %s [0x%016llx-0x%016llx] at the physical address limit 0x%llx\n",
			what, (unsigned long long)base, (unsigned long long)last,
			(unsigned long long)ARCH_PHYS_ADDR_MAX);
		*end = ARCH_PHYS_ADDR_MAX;
	} else {
		*end = last + 1;
	}
	return true;
}

/*
 * Add one RAM range: checked (memblock_check_range()), page-aligned inward, appended
 * unsorted; the caller normalises.
 */
void memblock_add_ram(const struct boot_range *r)
{
	phys_addr_t end, start;

	if (!memblock_check_range("RAM", r->base, r->size, &end))
		return;
	/* Inward: only whole pages are usable. */
	start = ALIGN_UP(r->base, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end) {
		pr_warn("memblock: dropping RAM [0x%016llx-0x%016llx]: no whole page in it\n",
			(unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1));
		return;
	}
	if (start != r->base || end != r->base + r->size)
		pr_warn("memblock: RAM [0x%016llx-0x%016llx] is not page-aligned: using [0x%016llx-0x%016llx]\n",
			(unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1),
			(unsigned long long)start, (unsigned long long)(end - 1));
	memblock_append(&memblock_memory, start, end - start, 0);
}

/*
 * With the array full, a new range can still be recorded if it touches or overlaps a region
 * of the same kind (as consecutive early allocations do), or lies inside any region.
 * Return: 0 if [base, end) is now covered, -1 if it needs a slot there is not.
 */
static int memblock_reserve_in_place(phys_addr_t base, phys_addr_t end, u32 kind)
{
	struct memblock_type *t = &memblock_reserved;

	for (unsigned int i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		phys_addr_t r_end = range_end(r->base, r->size);

		if (base >= r->base && end <= r_end) {
			if (rsv_kind_rank(kind) > rsv_kind_rank(r->kind))
				r->kind = kind;	/* as memblock_normalise() would merge them */
			return 0;
		}
		if (r->kind == kind && base <= r_end && r->base <= end) {
			r->base = min_t(phys_addr_t, r->base, base);
			r->size = max_t(phys_addr_t, r_end, end) - r->base;
			memblock_normalise(t, false);
			return 0;
		}
	}
	return -1;
}

/*
 * Reserve a range, page-aligned outward, appended unsorted (the caller normalises). Return: 0 if it is reserved now, 1 if it was
 * dropped as bad input (empty, wrapping, beyond the limit: warned), -1 if the reserved array
 * is full (reported).
 */
int memblock_add_reserved(const struct boot_range *r)
{
	phys_addr_t end, start;

	if (!memblock_check_range("reserved", r->base, r->size, &end))
		return 1;
	/* Outward: a page that is partly reserved is reserved (silently: this is normal). */
	start = ALIGN_DOWN(r->base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (memblock_reserved.cnt >= memblock_reserved.max &&
	    !memblock_reserve_in_place(start, end, r->type))
		return 0;
	return memblock_append(&memblock_reserved, start, end - start, r->type);
}

static const struct memblock_region *first_reserved_overlap(phys_addr_t base, phys_addr_t end)
{
	for (unsigned int i = 0; i < memblock_reserved.cnt; i++) {
		const struct memblock_region *r = &memblock_reserved.regions[i];

		if (r->base < end && base < range_end(r->base, r->size))
			return r;
	}
	return NULL;
}

/*
 * The highest `size` bytes (whole pages), aligned to `align` (a power of two, at least a
 * page), that are memory, not reserved, and inside [lo, hi). Nothing is reserved.
 * Return: their address, or 0 if nothing fits (page 0 is never handed out).
 */
phys_addr_t memblock_find_in_range(phys_addr_t size, phys_addr_t align, phys_addr_t lo,
				   phys_addr_t hi)
{
	for (unsigned int i = memblock_memory.cnt; i-- > 0;) {
		const struct memblock_region *m = &memblock_memory.regions[i];
		phys_addr_t start = max_t(phys_addr_t, max_t(phys_addr_t, m->base, lo), PAGE_SIZE);
		phys_addr_t end = min_t(phys_addr_t, range_end(m->base, m->size), hi);
		phys_addr_t cand;

		if (end <= start || end - start < size)
			continue;
		cand = ALIGN_DOWN(end - size, align);
		while (cand >= start) {
			const struct memblock_region *r = first_reserved_overlap(cand, cand + size);

			if (!r)
				return cand;
			if (r->base < size)
				break;
			cand = ALIGN_DOWN(r->base - size, align);
		}
	}
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	struct boot_range r = { base, size, BOOT_MEM_RAM };
	unsigned int before = memblock_memory.cnt;

	memblock_add_ram(&r);
	if (memblock_memory.cnt == before)
		return -1;
	memblock_normalise(&memblock_memory, false);
	return 0;
}

int memblock_reserve(phys_addr_t base, phys_addr_t size, u32 kind)
{
	struct boot_range r = { base, size, kind };

	if (memblock_add_reserved(&r))
		return -1;
	memblock_normalise(&memblock_reserved, false);
	return 0;
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock_current_limit = limit;
}

phys_addr_t memblock_get_current_limit(void)
{
	return memblock_current_limit;
}

/**
 * memblock_phys_alloc - allocate zeroed early memory, top-down below the current limit
 * @size: bytes (rounded up to whole pages)
 * @align: power of two, at least PAGE_SIZE is used
 *
 * Return: the physical address, or 0 if nothing fits or the reserved array has no room to
 * record the block (reported).
 * Context: boot CPU, before the buddy allocator takes over memory.
 */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (size == 0)
		return 0;
	pa = memblock_find_in_range(size, align, 0, memblock_current_limit);
	/* Unrecorded, the block would go to the buddy allocator too. */
	if (!pa || memblock_reserve(pa, size, MEMBLOCK_RSV_ALLOC))
		return 0;
	memset(__va(pa), 0, size);
	return pa;
}

void *memblock_alloc_or_panic(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc(size, align);

	if (!pa)
		panic("memblock: cannot allocate %llu bytes aligned to 0x%llx below 0x%llx",
		      (unsigned long long)size, (unsigned long long)align,
		      (unsigned long long)memblock_current_limit);
	return __va(pa);
}

static bool memblock_region_at(const struct memblock_type *t, unsigned int i,
			       struct memblock_region *r)
{
	if (i >= t->cnt)
		return false;
	*r = t->regions[i];
	return true;
}

bool memblock_memory_region(unsigned int i, struct memblock_region *r)
{
	return memblock_region_at(&memblock_memory, i, r);
}

bool memblock_reserved_region(unsigned int i, struct memblock_region *r)
{
	return memblock_region_at(&memblock_reserved, i, r);
}

unsigned int memblock_memory_count(void)
{
	return memblock_memory.cnt;
}

unsigned int memblock_reserved_count(void)
{
	return memblock_reserved.cnt;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock_memory.cnt ? memblock_memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_region *r;

	if (!memblock_memory.cnt)
		return 0;
	r = &memblock_memory.regions[memblock_memory.cnt - 1];
	return range_end(r->base, r->size);
}

bool memblock_is_memory(phys_addr_t base, phys_addr_t size)
{
	for (unsigned int i = 0; i < memblock_memory.cnt; i++) {
		const struct memblock_region *r = &memblock_memory.regions[i];

		if (base >= r->base && base + size <= range_end(r->base, r->size))
			return true;
	}
	return false;
}

bool memblock_is_reserved(phys_addr_t base, phys_addr_t size)
{
	return first_reserved_overlap(base, base + size) != NULL;
}

bool memblock_is_nomap(phys_addr_t base, phys_addr_t size)
{
	for (unsigned int i = 0; i < memblock_reserved.cnt; i++) {
		const struct memblock_region *r = &memblock_reserved.regions[i];

		if (r->kind == BOOT_RSV_NOMAP && r->base < base + size &&
		    base < range_end(r->base, r->size))
			return true;
	}
	return false;
}

phys_addr_t memblock_phys_mem_size(void)
{
	phys_addr_t total = 0;

	for (unsigned int i = 0; i < memblock_memory.cnt; i++)
		total += memblock_memory.regions[i].size;
	return total;
}

/* Bytes both memory and reserved: what the buddy allocator will not get. */
phys_addr_t memblock_reserved_in_memory(void)
{
	phys_addr_t total = 0;

	for (unsigned int i = 0; i < memblock_memory.cnt; i++) {
		const struct memblock_region *m = &memblock_memory.regions[i];
		phys_addr_t m_end = range_end(m->base, m->size);

		for (unsigned int j = 0; j < memblock_reserved.cnt; j++) {
			const struct memblock_region *r = &memblock_reserved.regions[j];
			phys_addr_t lo = max_t(phys_addr_t, m->base, r->base);
			phys_addr_t hi = min_t(phys_addr_t, m_end, range_end(r->base, r->size));

			if (lo < hi)
				total += hi - lo;
		}
	}
	return total;
}

static void memblock_dump_type(const struct memblock_type *t, bool kinds)
{
	pr_info(" %s.cnt  = 0x%x\n", t->name, t->cnt);
	for (unsigned int i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		pr_info("  %s[0x%x]\t[0x%016llx-0x%016llx], 0x%016llx bytes%s%s\n", t->name, i,
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1),
			(unsigned long long)r->size, kinds ? " " : "",
			kinds ? memblock_rsv_kind_name(r->kind) : "");
	}
}

static phys_addr_t memblock_reserved_size(void)
{
	phys_addr_t total = 0;

	for (unsigned int i = 0; i < memblock_reserved.cnt; i++)
		total += memblock_reserved.regions[i].size;
	return total;
}

void memblock_dump(void)
{
	pr_info("memblock: memory size = 0x%llx reserved size = 0x%llx (0x%llx of it in memory)\n",
		(unsigned long long)memblock_phys_mem_size(),
		(unsigned long long)memblock_reserved_size(),
		(unsigned long long)memblock_reserved_in_memory());
	memblock_dump_type(&memblock_memory, false);
	memblock_dump_type(&memblock_reserved, true);
}
