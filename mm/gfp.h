/* SPDX-License-Identifier: MIT */
/*
 * gfp_t: what a caller of the page allocator asks for ("get free pages" flags).
 *
 * A gfp mask says three things: which zones the pages may come from (__GFP_DMA, __GFP_DMA32,
 * otherwise any), which migratetype the pages are (__GFP_MOVABLE, __GFP_RECLAIMABLE,
 * otherwise unmovable), and how hard to try (__GFP_HIGH may dip below the min watermark;
 * __GFP_DIRECT_RECLAIM says the caller may wait, which GFP_ATOMIC/GFP_NOWAIT callers cannot).
 * mm/page_alloc.c turns it into the mm-internal ALLOC_* flags (mm/internal.h).
 */
#ifndef MM_GFP_H
#define MM_GFP_H

#include "kernel/compiler.h"
#include "mm/mmzone.h"

typedef unsigned int gfp_t;

#define __GFP_DMA		0x01u	/* from ZONE_DMA (ZONE_DMA32 where there is none) */
#define __GFP_DMA32		0x02u	/* from ZONE_DMA32 or below */
#define __GFP_MOVABLE		0x08u	/* MIGRATE_MOVABLE pages */
#define __GFP_RECLAIMABLE	0x10u	/* MIGRATE_RECLAIMABLE pages */
#define __GFP_HIGH		0x20u	/* important: may use half of the min reserve */
#define __GFP_DIRECT_RECLAIM	0x400u	/* the caller may wait (drain other CPUs, later) */
#define __GFP_NORETRY		0x1000u	/* fail rather than call the OOM notifiers */
#define __GFP_NOWARN		0x2000u	/* no warning on failure */
#define __GFP_ZERO		0x8000u	/* return zeroed pages */

#define GFP_ZONEMASK		(__GFP_DMA | __GFP_DMA32)
#define GFP_MOVABLE_MASK	(__GFP_MOVABLE | __GFP_RECLAIMABLE)

/* Normal kernel allocations: may wait, no reserves. */
#define GFP_KERNEL		(__GFP_DIRECT_RECLAIM)
/* Interrupt context or a lock held: cannot wait, may use the atomic reserves. */
#define GFP_ATOMIC		(__GFP_HIGH)
/* Cannot wait and should not use reserves: fails early rather than dig in. */
#define GFP_NOWAIT		(0u)
#define GFP_DMA			__GFP_DMA
#define GFP_DMA32		__GFP_DMA32
#define GFP_HIGHUSER_MOVABLE	(GFP_KERNEL | __GFP_MOVABLE)

/* The migratetype a gfp mask asks for. */
static inline int gfp_migratetype(gfp_t gfp)
{
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return MIGRATE_RECLAIMABLE;
	return MIGRATE_UNMOVABLE;
}

/* The highest zone a gfp mask allows. */
static inline enum zone_type gfp_zone(gfp_t gfp)
{
#if ARCH_HAS_ZONE_DMA
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
#else
	if (gfp & __GFP_DMA)
		return ZONE_DMA32;	/* no ISA DMA on this arch: DMA32 is the lowest */
#endif
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

#endif /* MM_GFP_H */
