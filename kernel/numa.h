/* SPDX-License-Identifier: MIT */
/*
 * NUMA discovery: which nodes exist, which memory and which CPUs belong to each, and the
 * distances between them, in one arch-neutral shape (struct numa_info).
 *
 * boot/ copies what the firmware says into boot_info.numa (x86_64: ACPI SRAT and SLIT,
 * boot/acpi.c; riscv64: numa-node-id and /distance-map in the device tree,
 * boot/fdt_boot.c). numa_build() sanitises that against the memory map and the logical CPU
 * numbering, with a warning for each problem and Linux-like fallbacks; numa_init() runs it at
 * boot and prints the result. The allocator by node (a pglist_data per node, zonelists by
 * distance) reads numa_info; today mm/ still has one node (mm/mmzone.h MAX_NUMNODES).
 *
 * Node ids are the firmware's numbers (ACPI proximity domain, DT numa-node-id), not
 * renumbered as Linux does for ACPI: ids of NUMA_MAX_NODES and more are folded into node 0.
 *
 * Locking: numa_info is written by numa_init() on the boot CPU before SMP (m), constant
 * after (c).
 */
#ifndef KERNEL_NUMA_H
#define KERNEL_NUMA_H

#include "kernel/compiler.h"
#include "kernel/cpumask.h"
#include "kernel/boot_info.h"

#define NUMA_MAX_NODES		BOOT_NUMA_MAX_NODES	/* node ids 0..63 (Linux: MAX_NUMNODES) */
#define NUMA_MAX_MEMBLKS	128	/* node memory ranges after sanitising */
#define LOCAL_DISTANCE		10	/* ACPI: a node's distance to itself */
#define REMOTE_DISTANCE		20	/* the default between two nodes (Linux's too) */
#define NUMA_NO_NODE_ID		(-1)

/* One range of RAM and the node it belongs to. */
struct numa_memblk {
	phys_addr_t base;		/* first byte */
	phys_addr_t size;		/* bytes, > 0 */
	int nid;
	bool hotpluggable;		/* firmware says it may be hot-removed later */
};

struct numa_node {
	struct cpumask cpus;		/* logical CPUs (possible ones) of the node */
	phys_addr_t present_bytes;	/* RAM in the node's memblks */
	unsigned int nr_memblks;	/* how many of numa_info.blks are its */
};

struct numa_info {
	const char *source;		/* "ACPI SRAT", "device tree"; NULL: one node, no NUMA */
	const char *distance_source;	/* "ACPI SLIT", "distance-map", "default 10/20" */
	u64 node_mask;			/* bit n: node n exists (has CPUs or memory) */
	unsigned int nr_nodes;		/* bits in node_mask */
	struct numa_node nodes[NUMA_MAX_NODES];
	struct numa_memblk blks[NUMA_MAX_MEMBLKS];	/* sorted by base, disjoint, RAM only */
	unsigned int nr_blks;
	u8 distance[NUMA_MAX_NODES][NUMA_MAX_NODES];	/* valid between existing nodes */
	int cpu_node[NR_CPUS];		/* node of each possible CPU; NUMA_NO_NODE_ID otherwise */
	unsigned int nr_warnings;	/* problems found while sanitising */
};

/* What numa_build() works from. */
struct numa_input {
	const struct boot_numa *fw;	/* the firmware's description (boot_info.numa) */
	const struct boot_range *ram;	/* RAM as the allocator will see it, sorted, disjoint */
	unsigned int nr_ram;
	const struct boot_range *known;	/* the firmware memory map, every type (any order) */
	unsigned int nr_known;
	const u32 *cpu_hwid;		/* hardware id of each logical CPU; ~0u: not possible */
	unsigned int nr_cpu_ids;	/* entries in cpu_hwid (at most NR_CPUS are used) */
};

/**
 * numa_build() - Sanitise a firmware NUMA description into @out.
 * @in: the description, the RAM map and the CPUs' hardware ids
 * @out: zeroed and filled
 *
 * Problems, each with a pr_warn() and counted in out->nr_warnings: a node id of
 * NUMA_MAX_NODES or more (folded into node 0); memory claimed by two nodes (the first claim
 * wins); memory outside every firmware memory map entry (ignored); RAM in no node (given to
 * the node of the nearest range below it, or above it); a CPU in no node (node 0, or the
 * lowest node with memory if there is no node 0); a distance missing between two nodes
 * (20; a missing self distance is 10 without a warning), or a self distance not 10, a remote one of 10 or less, or a pair that differs
 * by direction (the whole table replaced by 10 local / 20 remote); no distances at all with
 * more than one node (10 / 20). Hot-pluggable memory that is not present and nodes with CPUs
 * but no memory are kept and noted, not warned about.
 * Without a description (@in->fw->source NULL) the result is one node 0 holding all RAM and
 * every CPU, with out->source NULL.
 * Context: any; reads nothing but @in, bounded by the arrays' counts; no allocation.
 */
void numa_build(const struct numa_input *in, struct numa_info *out);

/*
 * Print @ni as the boot log shows it: one line per node, then the distance table.
 * Context: any; printk only.
 */
void numa_print(const struct numa_info *ni);

/*
 * Write the CPUs of @mask to @buf as ranges ("0-1,4"), or every CPU with a space between
 * when @expand ("0 1 4", as numactl prints them); "none" for an empty mask.
 * Context: any.
 */
void numa_cpulist(const struct cpumask *mask, bool expand, char *buf, size_t size);

/* ---- the kernel's description (after numa_init()) ---- */

extern struct numa_info numa_info;

/*
 * Build numa_info from boot_info.numa, memblock's RAM and the logical CPU numbering, and
 * print it ("numa: no NUMA description: one node" without one).
 * Context: boot CPU, before SMP, after smp_prepare_cpus() (CPU numbers) and memblock_init().
 */
void numa_init(void);

#define for_each_numa_node(nid, ni)					\
	for ((nid) = 0; (nid) < NUMA_MAX_NODES; (nid)++)		\
		if (!((ni)->node_mask & (1ULL << (nid)))) {} else

static inline int numa_cpu_to_node(unsigned int cpu)
{
	return cpu < NR_CPUS ? numa_info.cpu_node[cpu] : NUMA_NO_NODE_ID;
}

static inline unsigned int numa_node_distance(int a, int b)
{
	return numa_info.distance[a][b];
}

#endif /* KERNEL_NUMA_H */
