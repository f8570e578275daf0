/* SPDX-License-Identifier: MIT */
/* Bringing the page allocator up from memblock (mm/mm_init.c). */
#ifndef MM_MM_INIT_H
#define MM_MM_INIT_H

#include "kernel/compiler.h"

/*
 * Build the memmap for RAM, the zones and their watermarks, then free every page that is
 * memory and not reserved into the buddy allocator, and print the totals.
 * Context: boot CPU, before SMP, after memblock_init() and arch_mm_init().
 */
void mm_core_init(void);
/*
 * True once mm_core_init() has handed memory to the buddy allocator: from then on pages come
 * from alloc_pages() and memblock must not allocate any more. Any CPU.
 */
bool mm_core_initialized(void);

#endif /* MM_MM_INIT_H */
