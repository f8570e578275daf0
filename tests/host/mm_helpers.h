/* SPDX-License-Identifier: MIT */
/* Helpers for host tests of mm/: boot an allocator on a crafted memory map, snapshot it. */
#ifndef TESTS_HOST_MM_HELPERS_H
#define TESTS_HOST_MM_HELPERS_H

#include "kernel/boot_info.h"
#include "kernel/bug.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "tests/host/shim/host.h"

#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

/* A fresh boot_info (all zero, console -1). */
void bi_reset(struct boot_info *bi);
/* Map memory covering every RAM range of bi, run memblock_init() and mm_core_init(). */
void boot_mm(struct boot_info *bi, const char *cmdline);
/* x86-like: RAM [4K, 640K) and [1M, size), reserved [0, 1M) lowmem and [1M, 3M) kernel. */
void boot_simple(unsigned long long size, const char *cmdline);

struct buddy_snapshot {
	unsigned long nr_free[MAX_NR_ZONES][MAX_PAGE_ORDER + 1];
	unsigned long free_pages;
};
void buddy_snapshot(struct buddy_snapshot *s);
bool buddy_snapshot_equal(const struct buddy_snapshot *a, const struct buddy_snapshot *b);
void buddy_snapshot_print(const char *what, const struct buddy_snapshot *s);

struct zone *zone_of(enum zone_type t);
/* Number of pageblocks of type mt in a zone. */
unsigned long count_blocks(struct zone *zone, int mt);

/* Free pages outside the zone lists: on PCP lists, free_llists and deferred lists (quiet). */
unsigned long pcp_pages_everywhere(void);

#endif /* TESTS_HOST_MM_HELPERS_H */
