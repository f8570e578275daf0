// SPDX-License-Identifier: MIT
/*
 * NUMA in the device tree (Linux's Documentation/devicetree/bindings/numa.txt): a
 * "numa-node-id" cell on /memory nodes and /cpus/cpu@N nodes names their node, and an
 * optional /distance-map node, compatible "numa-distance-map-v1", has "distance-matrix":
 * (node a, node b, distance) triplets of cells, one direction or both (distances are the
 * same both ways unless both are listed). What is found is copied into boot_info.numa as
 * given; kernel/numa.c judges it. A tree without any numa-node-id describes no NUMA, and
 * its distance-map (if any) is ignored.
 *
 * Locking: boot CPU, before SMP (m).
 */
#include "boot/fdt_boot_internal.h"
#include "kernel/printk.h"

/*
 * The node's numa-node-id: true and *nid if it has a well-formed one (one cell). A property
 * of another length is reported and treated as absent.
 */
bool fdt_numa_node_id(struct fdt_walk *w, int level, u32 *nid)
{
	const struct fdt_node *n = &w->stack[level];
	u32 len;
	const u8 *v = fdt_getprop(w->f, n, "numa-node-id", &len);

	if (!v)
		return false;
	if (len != 4) {
		pr_warn("FDT: %s: numa-node-id is %u bytes, not one cell: ignored\n", n->name,
			len);
		return false;
	}
	*nid = fdt_be32(v);
	fdt_state(w)->numa_seen = true;
	return true;
}

/* /distance-map: its distance-matrix triplets, each checked for a distance that fits. */
void fdt_add_distance_map(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = fdt_state(w);
	struct boot_numa *bn = &st->bi->numa;
	const struct fdt_node *n = &w->stack[level];
	u32 len, bad = 0;
	const u8 *v = fdt_getprop(w->f, n, "distance-matrix", &len);

	if (!v || len == 0) {
		pr_warn("FDT: %s has no distance-matrix: ignored\n", n->name);
		return;
	}
	if (len % 12)
		pr_warn("FDT: %s: distance-matrix is %u bytes, not whole (a, b, distance) "
			"triplets: the last %u bytes ignored\n", n->name, len, len % 12);
	for (u32 off = 0; len >= 12 && off <= len - 12; off += 12) {
		u32 a = fdt_be32(v + off), b = fdt_be32(v + off + 4), d = fdt_be32(v + off + 8);

		if (a >= BOOT_NUMA_MAX_NODES || b >= BOOT_NUMA_MAX_NODES || d > 255) {
			/* One line per entry could be thousands: say how many, and the first. */
			if (!bad++)
				pr_warn("FDT: %s: entry (%u, %u, %u) ignored: node ids stop at %d, "
					"distances at 255\n", n->name, a, b, d,
					BOOT_NUMA_MAX_NODES - 1);
			continue;
		}
		boot_numa_set_distance(bn, a, b, (u8)d);
		st->numa_distances++;
	}
	if (bad > 1)
		pr_warn("FDT: %s: %u entries ignored in all\n", n->name, bad);
}

/* After the walk: name the sources, or forget distances that have no nodes to go with. */
void fdt_numa_finish(struct fdt_parse_state *st)
{
	struct boot_numa *bn = &st->bi->numa;

	if (!st->numa_seen) {
		if (st->numa_distances)
			pr_warn("FDT: distance-map without any numa-node-id: ignored\n");
		for (unsigned int i = 0; i < BOOT_NUMA_MAX_NODES; i++)
			bn->distance_given[i] = 0;
		return;
	}
	bn->source = "device tree";
	if (st->numa_distances)
		bn->distance_source = "distance-map";
	if (bn->nr_dropped)
		pr_warn("FDT: %u numa-node-id entries beyond the %u ranges and %u CPUs kept\n",
			bn->nr_dropped, BOOT_NUMA_MAX_MEM, BOOT_NUMA_MAX_CPUS);
}
