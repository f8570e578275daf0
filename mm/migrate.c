// SPDX-License-Identifier: MIT
/*
 * Movable pages: the movable-ops registry, isolation, migration and putback, and the test
 * kind (pages with a pattern in a struct movable_table). The header (mm/migrate.h) has the
 * interface; this essay says how two scanners are kept off one page.
 *
 * Isolation by compare-and-swap. Elsewhere a page's flags word is written with relaxed
 * load + store pairs (mm/page.h): correct because one party at a time writes it (the zone-
 * lock holder for a free page, the pcp->lock holder for a PCP page, the owner for an
 * allocated page). A movable page has two writers: its owner and any scanner that finds it
 * in the memmap. So while a page carries a movable kind, every write of its flags word is a
 * compare-and-swap (isolate, the end of a migration, putback, the owner's clear), and
 * nothing writes it with the relaxed store:
 *   - the allocator never writes an allocated page's flags; it sees this page again only
 *     after the owner cleared the kind (by CAS) and freed it;
 *   - a scanner CASes only a word whose kind bits are set, so it never races a relaxed
 *     store on a free page (free pages carry no kind: PAGE_FLAGS_CHECK_AT_FREE refuses one);
 *   - the owner clears the kind by CAS and fails while PG_isolated is set, so it never
 *     frees a page a scanner holds.
 * Of two scanners, the CAS from "kind, not isolated" to "kind, isolated" succeeds once.
 * A CAS also covers a page being freed and reallocated under a scanner's nose: the scanner
 * then reads no kind (or a fresh kind whose ops->isolate checks ownership under its lock).
 *
 * The test kind. page->private (32 bits) of a test page holds its table's id (bits 24..31)
 * and its slot (bits 0..23); both are reset to 0 (the order) before the page is freed.
 * The pattern of slot i: word w = seed ^ (i << 32) ^ (w * golden ratio), so a page copied
 * to the wrong slot, or half copied, fails the check.
 *
 * Locking: registry[] by registry_lock; a table's slots and its pages' private by t->lock.
 * Lock order: t->lock or the balloon lock -> pcp->lock -> zone lock; nothing allocates or
 * frees under t->lock.
 */
#include "mm/migrate.h"
#include "mm/internal.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/bug.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

static const struct movable_operations *movable_ops[NR_MOVABLE_KINDS];	/* (c) */

void movable_ops_register(enum movable_kind kind, const struct movable_operations *ops)
{
	BUG_ON(kind == MOVABLE_NONE || kind >= NR_MOVABLE_KINDS || movable_ops[kind]);
	movable_ops[kind] = ops;
}

static unsigned long kind_bits(enum movable_kind kind)
{
	return (unsigned long)kind << PG_mkind0;
}

/*
 * Change the flags word from what *seen says to (*seen & ~clear) | set, if @ok(*seen).
 * Return: true when done; false with *seen the word that failed @ok.
 */
static bool flags_cas(struct page *page, unsigned long clear, unsigned long set,
		      bool (*ok)(unsigned long f), unsigned long *seen)
{
	unsigned long f = page_flags_read(page);

	do {
		if (!ok(f)) {
			*seen = f;
			return false;
		}
	} while (!__atomic_compare_exchange_n(&page->flags, &f, (f & ~clear) | set, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	*seen = f;
	return true;
}

static bool movable_not_isolated(unsigned long f)
{
	return (f & PAGE_MKIND_MASK) && !(f & BIT(PG_isolated));
}

static bool flags_any(unsigned long f)
{
	(void)f;
	return true;
}

bool movable_flags_update(struct page *page, unsigned long clear, unsigned long set,
			  bool not_isolated)
{
	unsigned long f;

	return flags_cas(page, clear, set, not_isolated ? movable_not_isolated : flags_any, &f);
}

bool isolate_movable_page(struct page *page)
{
	const struct movable_operations *ops;
	unsigned long f;

	if (!flags_cas(page, 0, BIT(PG_isolated), movable_not_isolated, &f))
		return false;
	ops = movable_ops[(f & PAGE_MKIND_MASK) >> PG_mkind0];
	if (ops && ops->isolate(page))
		return true;
	/* Not the owner's any more (or no ops): let go. */
	flags_cas(page, BIT(PG_isolated), 0, flags_any, &f);
	return false;
}

int migrate_movable_page(struct page *dst, struct page *src)
{
	enum movable_kind kind = page_movable_kind(src);
	const struct movable_operations *ops = movable_ops[kind];
	unsigned long f;
	int err;

	if (WARN_ON(!ops || !page_test_flag(src, PG_isolated)))
		return -EINVAL;
	/*
	 * @dst is ours (fresh from the free scanner, reachable by no one): a plain store. It
	 * is marked isolated too, so that no scanner takes it before the migration is done.
	 */
	__atomic_store_n(&dst->flags, page_flags_read(dst) | kind_bits(kind) | BIT(PG_isolated),
			 __ATOMIC_RELAXED);
	err = ops->migrate(dst, src);
	if (err) {
		__atomic_store_n(&dst->flags, page_flags_read(dst) & ~(PAGE_MKIND_MASK |
								     BIT(PG_isolated)),
				 __ATOMIC_RELAXED);
		count_vm_events(PGMIGRATE_FAIL, 1);
		return err;
	}
	/* @dst is the owner's now: let scanners see it; @src is an ordinary page of ours. */
	flags_cas(dst, BIT(PG_isolated), 0, flags_any, &f);
	flags_cas(src, PAGE_MKIND_MASK | BIT(PG_isolated), 0, flags_any, &f);
	set_page_private(src, 0);
	count_vm_events(PGMIGRATE_SUCCESS, 1);
	return 0;
}

void putback_movable_page(struct page *page)
{
	const struct movable_operations *ops = movable_ops[page_movable_kind(page)];
	unsigned long f;

	if (WARN_ON(!ops || !page_test_flag(page, PG_isolated)))
		return;
	ops->putback(page);
	flags_cas(page, BIT(PG_isolated), 0, flags_any, &f);
}

/* ---- the test kind ---- */

static DEFINE_SPINLOCK(registry_lock);
static struct movable_table *registry[MOVABLE_TABLES + 1];	/* by id, [0] unused */

#define TEST_ID_SHIFT	24

static u64 pattern_word(const struct movable_table *t, unsigned long idx, unsigned long w)
{
	return t->seed ^ ((u64)idx << 32) ^ ((u64)w * 0x9e3779b97f4a7c15ULL);
}

static void pattern_fill(const struct movable_table *t, unsigned long idx, struct page *page)
{
	u64 *p = page_address(page);

	for (unsigned long w = 0; w < PAGE_SIZE / sizeof(u64); w++)
		p[w] = pattern_word(t, idx, w);
}

static bool pattern_ok(const struct movable_table *t, unsigned long idx, struct page *page)
{
	const u64 *p = page_address(page);

	for (unsigned long w = 0; w < PAGE_SIZE / sizeof(u64); w++) {
		if (p[w] != pattern_word(t, idx, w)) {
			printk("movable: table %u slot %lu pfn %#lx word %lu: %#llx, expected "
			       "%#llx\n", t->id, idx, page_to_pfn(page), w,
			       (unsigned long long)p[w],
			       (unsigned long long)pattern_word(t, idx, w));
			return false;
		}
	}
	return true;
}

/* The table and slot a test page's private names, or NULL. Context: registry_lock. */
static struct movable_table *test_table_of(const struct page *page, unsigned long *idx)
{
	unsigned long priv = page_private(page);
	unsigned long id = priv >> TEST_ID_SHIFT;
	struct movable_table *t;

	if (id == 0 || id > MOVABLE_TABLES)
		return NULL;
	t = registry[id];
	*idx = priv & (MOVABLE_TABLE_SLOTS - 1);
	return t && *idx < t->nr ? t : NULL;
}

static bool test_isolate(struct page *page)
{
	struct movable_table *t;
	unsigned long idx;

	guard(spinlock_irqsave)(&registry_lock);
	t = test_table_of(page, &idx);
	if (!t)
		return false;
	guard(spinlock_irqsave)(&t->lock);
	/* The slot still refers to it: it is the table's page, and stays so while isolated. */
	return t->slots[idx] == page;
}

static int test_migrate(struct page *dst, struct page *src)
{
	struct movable_table *t;
	unsigned long idx;

	guard(spinlock_irqsave)(&registry_lock);
	t = test_table_of(src, &idx);
	if (WARN_ON(!t))
		return -EINVAL;
	guard(spinlock_irqsave)(&t->lock);
	if (WARN_ON(t->slots[idx] != src))
		return -EINVAL;
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
	set_page_private(dst, page_private(src));
	t->slots[idx] = dst;
	t->migrated++;
	/* The proof that migration copies: the page now in the slot has the slot's pattern. */
	if (!pattern_ok(t, idx, dst))
		t->pattern_bad++;
	return 0;
}

static void test_putback(struct page *page)
{
	(void)page;	/* never left its slot */
}

static const struct movable_operations test_movable_ops = {
	.name = "test",
	.isolate = test_isolate,
	.migrate = test_migrate,
	.putback = test_putback,
};

int movable_table_register(struct movable_table *t, struct page **slots, unsigned long nr,
			   u64 seed)
{
	if (nr > MOVABLE_TABLE_SLOTS)
		return -EINVAL;
	spin_lock_init(&t->lock, "movable_table->lock");
	t->slots = slots;
	t->nr = nr;
	t->seed = seed;
	t->migrated = 0;
	t->pattern_bad = 0;
	guard(spinlock_irqsave)(&registry_lock);
	if (!movable_ops[MOVABLE_TEST])
		movable_ops[MOVABLE_TEST] = &test_movable_ops;
	for (unsigned int id = 1; id <= MOVABLE_TABLES; id++) {
		if (!registry[id]) {
			registry[id] = t;
			t->id = id;
			return 0;
		}
	}
	return -ENOSPC;
}

void movable_table_unregister(struct movable_table *t)
{
	for (unsigned long i = 0; i < t->nr; i++)
		WARN_ON(movable_table_page(t, i));
	guard(spinlock_irqsave)(&registry_lock);
	if (t->id && registry[t->id] == t)
		registry[t->id] = NULL;
	t->id = 0;
}

void movable_table_set(struct movable_table *t, unsigned long idx, struct page *page)
{
	BUG_ON(idx >= t->nr || page_movable_kind(page) != MOVABLE_NONE);
	pattern_fill(t, idx, page);
	guard(spinlock_irqsave)(&t->lock);
	BUG_ON(t->slots[idx]);
	set_page_private(page, ((unsigned long)t->id << TEST_ID_SHIFT) | idx);
	/* Not movable yet, so ours alone: a plain store; from here on, CAS only. */
	__atomic_store_n(&page->flags, page_flags_read(page) | kind_bits(MOVABLE_TEST),
			 __ATOMIC_RELEASE);
	t->slots[idx] = page;
}

struct page *movable_table_clear(struct movable_table *t, unsigned long idx, bool *busy)
{
	struct page *page;
	unsigned long f;

	*busy = false;
	guard(spinlock_irqsave)(&t->lock);
	page = idx < t->nr ? t->slots[idx] : NULL;
	if (!page)
		return NULL;
	if (!flags_cas(page, PAGE_MKIND_MASK, 0, movable_not_isolated, &f)) {
		*busy = true;	/* a scanner holds it: its migrate will need t->lock */
		return NULL;
	}
	set_page_private(page, 0);
	t->slots[idx] = NULL;
	return page;
}

struct page *movable_table_page(struct movable_table *t, unsigned long idx)
{
	guard(spinlock_irqsave)(&t->lock);
	return idx < t->nr ? t->slots[idx] : NULL;
}

bool movable_table_check(struct movable_table *t, unsigned long idx)
{
	guard(spinlock_irqsave)(&t->lock);
	return idx >= t->nr || !t->slots[idx] || pattern_ok(t, idx, t->slots[idx]);
}
