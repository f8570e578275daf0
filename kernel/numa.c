// SPDX-License-Identifier: MIT
/*
 * NUMA discovery's sanitiser (kernel/numa.h): from what the firmware said about nodes
 * (boot_info.numa) to struct numa_info, which nothing later has to doubt.
 *
 * Firmware tables are written by people, and the ones that describe NUMA are read by few
 * tools, so they are taken as hints and checked in this order:
 *
 *   1. Node ids. Ids are used as the firmware gives them; one of NUMA_MAX_NODES or more is
 *      folded into node 0 (Linux: MAX_NUMNODES and "fake" nodes are the analogue).
 *   2. Memory claims, in table order. A range already claimed by an earlier entry keeps its
 *      first node; only the unclaimed parts of the later entry count:
 *
 *	entry 1, node 0:  [0 ............ 256M)
 *	entry 2, node 1:          [128M ............ 384M)
 *	result:           [0 ..... 256M) node 0      [256M .. 384M) node 1   (one warning)
 *
 *   3. RAM. The claims are cut to what memblock says is RAM: the allocator never sees
 *      anything else. Bytes cut that the firmware map lists as something (reserved, ACPI,
 *      RAM past mem=, the ISA hole below 1 MiB) are expected and dropped quietly, and
 *      hot-pluggable ranges that are not populated are noted; bytes in no map entry at all
 *      are a table error (warned).
 *   4. RAM in no node goes to the node of the nearest range below it (above it if there is
 *      none), with a warning: every page must have a node.
 *   5. CPUs. Each possible logical CPU is looked up by hardware id; one the firmware does
 *      not place goes to node 0 (the lowest node with memory if there is no node 0). A node
 *      with CPUs and no memory is a memoryless node: kept, and said so.
 *   6. Distances, between the nodes that exist. A missing entry is 10 to itself (quietly)
 *      and 20 otherwise (warned; a device tree may list one direction only: the other is
 *      the same); a self
 *      distance other than 10, a remote one of 10 or less, or two directions that differ
 *      make the whole table suspect, and it is replaced by 10 local / 20 remote, as Linux
 *      replaces an invalid SLIT.
 *
 * Every loop is bounded by the counts in the input and the fixed arrays; the scratch arrays
 * are static because numa_build() runs once, on the boot CPU (and on the host, one thread).
 * Linux: arch/x86/mm/numa.c, drivers/base/arch_numa.c, drivers/of/of_numa.c (ideas only).
 */
#include "kernel/numa.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

#define pr_numa_warn(ni, fmt, ...)					\
	do {								\
		(ni)->nr_warnings++;					\
		pr_warn("numa: " fmt, ##__VA_ARGS__);			\
	} while (0)

/* Distance complaints printed in full; beyond that, one count. */
#define NUMA_MAX_DISTANCE_WARNINGS	8

/* A range [base, end) while sanitising: end exclusive, so [x, 2^64) cannot be expressed,
 * and ranges that reach the top of the address space are cut one byte short. */
struct span {
	u64 base;
	u64 end;
	int nid;
	bool hotpluggable;
};

static struct span claimed[NUMA_MAX_MEMBLKS];	/* step 2's result, sorted, disjoint */
static struct span pieces[NUMA_MAX_MEMBLKS + 1];	/* one step's new ranges */

static u64 range_end(u64 base, u64 size)
{
	return base + size < base ? ~0ULL : base + size;
}

static void span_sort(struct span *s, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		struct span x = s[i];
		unsigned int j = i;

		for (; j > 0 && s[j - 1].base > x.base; j--)
			s[j] = s[j - 1];
		s[j] = x;
	}
}

/* Step 2: add the parts of [base, end) no earlier entry claimed. */
static void claim(struct numa_info *ni, unsigned int *nr_claimed, u64 base, u64 end, int nid,
		  bool hp)
{
	unsigned int n = *nr_claimed, np = 0;
	u64 cur = base;

	for (unsigned int i = 0; i < n && cur < end; i++) {
		const struct span *c = &claimed[i];

		if (c->end <= cur)
			continue;
		if (c->base >= end)
			break;
		if (c->base > cur)
			pieces[np++] = (struct span){ cur, c->base, nid, hp };
		if (c->nid != nid)
			pr_numa_warn(ni, "[mem %#018llx-%#018llx] is claimed by node %d and by "
				     "node %d: kept in node %d, the first\n",
				     (unsigned long long)max_t(u64, cur, c->base),
				     (unsigned long long)min_t(u64, end, c->end) - 1, c->nid, nid,
				     c->nid);
		cur = c->end;
	}
	if (cur < end)
		pieces[np++] = (struct span){ cur, end, nid, hp };
	for (unsigned int i = 0; i < np; i++) {
		if (n == NUMA_MAX_MEMBLKS) {
			pr_numa_warn(ni, "more than %d memory ranges: [mem %#018llx-%#018llx] of "
				     "node %d ignored\n", NUMA_MAX_MEMBLKS,
				     (unsigned long long)pieces[i].base,
				     (unsigned long long)pieces[i].end - 1, nid);
			continue;
		}
		claimed[n++] = pieces[i];
	}
	span_sort(claimed, n);
	*nr_claimed = n;
}

/* Bytes of [base, end) that lie in no range of a or b (either may overlap itself). */
static u64 bytes_outside(u64 base, u64 end, const struct boot_range *a, unsigned int na,
			 const struct boot_range *b, unsigned int nb)
{
	u64 cur = base, missing = 0;

	/* Each round moves cur to the end of a range holding it or to the next range start. */
	for (unsigned int round = 0; cur < end && round <= 2 * (na + nb); round++) {
		u64 next = end, reach = cur;

		for (unsigned int k = 0; k < na + nb; k++) {
			const struct boot_range *r = k < na ? &a[k] : &b[k - na];
			u64 rend = range_end(r->base, r->size);

			if (r->base <= cur && rend > reach)
				reach = rend;
			else if (r->base > cur && r->base < next)
				next = r->base;
		}
		if (reach > cur) {
			cur = reach;
			continue;
		}
		missing += next - cur;
		cur = next;
	}
	return missing;
}

static void add_blk(struct numa_info *ni, u64 base, u64 end, int nid, bool hp)
{
	if (ni->nr_blks == NUMA_MAX_MEMBLKS) {
		pr_numa_warn(ni, "more than %d node memory ranges: [mem %#018llx-%#018llx] of "
			     "node %d ignored\n", NUMA_MAX_MEMBLKS, (unsigned long long)base,
			     (unsigned long long)end - 1, nid);
		return;
	}
	ni->blks[ni->nr_blks++] = (struct numa_memblk){
		.base = base, .size = end - base, .nid = nid, .hotpluggable = hp,
	};
}

/* "128 MiB", or KiB below a MiB. */
static void size_str(u64 bytes, char *buf, size_t size)
{
	if (bytes >= SZ_1M || !bytes)
		snprintf(buf, size, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, size, "%llu KiB", (unsigned long long)(bytes >> 10));
}

/* Step 3: what of one claim is RAM becomes node memory; the rest is judged. */
static void clip_to_ram(struct numa_info *ni, const struct numa_input *in,
			const struct span *c)
{
	u64 in_ram = 0;

	for (unsigned int i = 0; i < in->nr_ram; i++) {
		u64 lo = max_t(u64, c->base, in->ram[i].base);
		u64 hi = min_t(u64, c->end, range_end(in->ram[i].base, in->ram[i].size));

		if (lo < hi) {
			add_blk(ni, lo, hi, c->nid, c->hotpluggable);
			in_ram += hi - lo;
		}
	}
	if (in_ram >= c->end - c->base)
		return;
	if (c->hotpluggable) {
		char sz[32];

		size_str(c->end - c->base - in_ram, sz, sizeof(sz));
		pr_info("numa: node %d: hot-pluggable [mem %#018llx-%#018llx]: %s not populated "
			"now\n", c->nid, (unsigned long long)c->base,
			(unsigned long long)c->end - 1, sz);
		return;
	}
	/*
	 * The ISA hole [640K, 1M) is in no PC memory map, and firmware often covers it with
	 * node 0's first range: only bytes from 1 MiB up count as a table error.
	 */
	u64 from = max_t(u64, c->base, SZ_1M);
	u64 unknown = from < c->end ? bytes_outside(from, c->end, in->ram, in->nr_ram,
						    in->known, in->nr_known) : 0;

	if (unknown)
		pr_numa_warn(ni, "node %d: [mem %#018llx-%#018llx] has %llu KiB in no memory "
			     "map entry: ignored\n", c->nid, (unsigned long long)c->base,
			     (unsigned long long)c->end - 1, (unsigned long long)unknown >> 10);
}

/* Sort the node ranges and merge neighbours of one node and kind. */
static void blks_sort_merge(struct numa_info *ni)
{
	unsigned int n = ni->nr_blks, out = 0;

	for (unsigned int i = 1; i < n; i++) {
		struct numa_memblk x = ni->blks[i];
		unsigned int j = i;

		for (; j > 0 && ni->blks[j - 1].base > x.base; j--)
			ni->blks[j] = ni->blks[j - 1];
		ni->blks[j] = x;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct numa_memblk *prev = out ? &ni->blks[out - 1] : NULL;
		const struct numa_memblk *b = &ni->blks[i];

		if (prev && prev->nid == b->nid && prev->hotpluggable == b->hotpluggable &&
		    prev->base + prev->size == b->base)
			prev->size += b->size;
		else
			ni->blks[out++] = *b;
	}
	ni->nr_blks = out;
}

/* The node of the range nearest below addr, else nearest above; 0 if there is none. */
static int nearest_nid(const struct numa_info *ni, u64 addr)
{
	int below = -1, above = -1;

	for (unsigned int i = 0; i < ni->nr_blks; i++) {
		if (ni->blks[i].base < addr)
			below = ni->blks[i].nid;	/* sorted: the last one wins */
		else if (above < 0)
			above = ni->blks[i].nid;
	}
	return below >= 0 ? below : above >= 0 ? above : 0;
}

/* Step 4: every byte of RAM belongs to some node. */
static void cover_ram(struct numa_info *ni, const struct numa_input *in)
{
	unsigned int np = 0;

	for (unsigned int i = 0; i < in->nr_ram; i++) {
		u64 cur = in->ram[i].base, end = range_end(in->ram[i].base, in->ram[i].size);

		for (unsigned int k = 0; k <= ni->nr_blks && cur < end; k++) {
			u64 bbase = k < ni->nr_blks ? ni->blks[k].base : end;
			u64 bend = k < ni->nr_blks ? ni->blks[k].base + ni->blks[k].size : end;

			if (bend <= cur)
				continue;
			u64 gap_end = min_t(u64, bbase, end);

			if (gap_end > cur && np < ARRAY_SIZE(pieces))
				pieces[np++] = (struct span){ cur, gap_end,
							      nearest_nid(ni, cur), false };
			cur = max_t(u64, cur, bend);
		}
	}
	for (unsigned int i = 0; i < np; i++) {
		pr_numa_warn(ni, "RAM [mem %#018llx-%#018llx] is in no node: given to node %d\n",
			     (unsigned long long)pieces[i].base,
			     (unsigned long long)pieces[i].end - 1, pieces[i].nid);
		add_blk(ni, pieces[i].base, pieces[i].end, pieces[i].nid, false);
	}
	if (np)
		blks_sort_merge(ni);
}

static int lowest_node(u64 mask)
{
	return mask ? __builtin_ctzll(mask) : 0;
}

/* Step 5: each possible CPU to its node. */
static void place_cpus(struct numa_info *ni, const struct numa_input *in)
{
	const struct boot_numa *fw = in->fw;
	u64 mem_nodes = ni->node_mask;
	int fallback = (mem_nodes & 1) || !mem_nodes ? 0 : lowest_node(mem_nodes);

	for (unsigned int cpu = 0; cpu < in->nr_cpu_ids && cpu < NR_CPUS; cpu++) {
		u32 hwid = in->cpu_hwid[cpu];
		int nid = -1;

		if (hwid == ~0u)
			continue;
		for (unsigned int i = 0; i < fw->nr_cpus && i < BOOT_NUMA_MAX_CPUS; i++) {
			if (fw->cpus[i].hwid != hwid)
				continue;
			u32 node = fw->cpus[i].node;

			if (node >= NUMA_MAX_NODES) {
				pr_numa_warn(ni, "CPU %u (hwid %u) in node %u: node ids stop at "
					     "%d: folded into node 0\n", cpu, hwid, node,
					     NUMA_MAX_NODES - 1);
				node = 0;
			}
			if (nid < 0)
				nid = (int)node;
			else if (nid != (int)node)
				pr_numa_warn(ni, "CPU %u (hwid %u) is placed in node %d and in "
					     "node %u: kept in node %d, the first\n", cpu, hwid,
					     nid, node, nid);
		}
		if (nid < 0) {
			pr_numa_warn(ni, "CPU %u (hwid %u) is in no node: put in node %d\n", cpu,
				     hwid, fallback);
			nid = fallback;
		}
		ni->cpu_node[cpu] = nid;
		cpumask_set_cpu(cpu, &ni->nodes[nid].cpus);
		ni->node_mask |= 1ULL << nid;
	}
}

static bool given(const struct boot_numa *fw, int a, int b)
{
	return fw->distance_given[a] & (1ULL << b);
}

static void default_distances(struct numa_info *ni)
{
	for (int a = 0; a < NUMA_MAX_NODES; a++)
		for (int b = 0; b < NUMA_MAX_NODES; b++)
			ni->distance[a][b] = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	ni->distance_source = "default 10/20";
}

/* Step 6: the distance table between the nodes that exist. */
static void check_distances(struct numa_info *ni, const struct boot_numa *fw)
{
	unsigned int complaints = 0;
	int a, b;

	default_distances(ni);
	if (!fw->distance_source) {
		if (ni->nr_nodes > 1)
			pr_numa_warn(ni, "the %s gives no distances: using %d local, %d "
				     "remote\n", fw->source, LOCAL_DISTANCE, REMOTE_DISTANCE);
		return;
	}
#define distance_complaint(fmt, ...)						\
	do {									\
		if (complaints++ < NUMA_MAX_DISTANCE_WARNINGS)			\
			pr_numa_warn(ni, fmt, ##__VA_ARGS__);			\
		else								\
			ni->nr_warnings++;					\
	} while (0)
	bool bad = false;

	for_each_numa_node(a, ni) {
		for_each_numa_node(b, ni) {
			bool ab = given(fw, a, b), ba = given(fw, b, a);
			u8 d = ab ? fw->distance[a][b] : ba ? fw->distance[b][a] : 0;

			/* A tree may leave out the self distances: 10 goes without saying. */
			if (!ab && !ba && a == b)
				continue;
			if (!ab && !ba) {
				if (a < b)
					distance_complaint("%s: no distance from node %d to node "
							   "%d: using %d\n", fw->distance_source,
							   a, b, a == b ? LOCAL_DISTANCE :
							   REMOTE_DISTANCE);
				continue;
			}
			if (a == b && d != LOCAL_DISTANCE) {
				distance_complaint("%s: node %d's distance to itself is %u, not "
						   "%d\n", fw->distance_source, a, d,
						   LOCAL_DISTANCE);
				bad = true;
			} else if (a != b && d <= LOCAL_DISTANCE) {
				distance_complaint("%s: node %d to node %d is %u, not more than "
						   "%d\n", fw->distance_source, a, b, d,
						   LOCAL_DISTANCE);
				bad = true;
			} else if (a < b && ab && ba && d != fw->distance[b][a]) {
				distance_complaint("%s: node %d to node %d is %u, back is %u\n",
						   fw->distance_source, a, b, d,
						   fw->distance[b][a]);
				bad = true;
			}
			ni->distance[a][b] = d;
		}
	}
#undef distance_complaint
	if (complaints > NUMA_MAX_DISTANCE_WARNINGS)
		pr_warn("numa: %s: %u more distance problems\n", fw->distance_source,
			complaints - NUMA_MAX_DISTANCE_WARNINGS);
	if (bad) {
		pr_numa_warn(ni, "%s not used: %d local, %d remote instead\n",
			     fw->distance_source, LOCAL_DISTANCE, REMOTE_DISTANCE);
		default_distances(ni);
		return;
	}
	ni->distance_source = fw->distance_source;
}

/* No description: node 0 is everything. */
static void one_node(struct numa_info *ni, const struct numa_input *in)
{
	for (unsigned int i = 0; i < in->nr_ram; i++)
		if (in->ram[i].size)
			add_blk(ni, in->ram[i].base, range_end(in->ram[i].base, in->ram[i].size),
				0, false);
	blks_sort_merge(ni);
	for (unsigned int cpu = 0; cpu < in->nr_cpu_ids && cpu < NR_CPUS; cpu++) {
		if (in->cpu_hwid[cpu] == ~0u)
			continue;
		ni->cpu_node[cpu] = 0;
		cpumask_set_cpu(cpu, &ni->nodes[0].cpus);
	}
	ni->node_mask = 1;
	default_distances(ni);
	ni->distance_source = NULL;
}

void numa_build(const struct numa_input *in, struct numa_info *out)
{
	const struct boot_numa *fw = in->fw;
	unsigned int nr_claimed = 0;

	memset(out, 0, sizeof(*out));
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		out->cpu_node[cpu] = NUMA_NO_NODE_ID;
	if (!fw || !fw->source) {
		one_node(out, in);
	} else {
		out->source = fw->source;
		for (unsigned int i = 0; i < fw->nr_mem && i < BOOT_NUMA_MAX_MEM; i++) {
			const struct boot_numa_mem *m = &fw->mem[i];
			u32 node = m->node;
			u64 end = range_end(m->base, m->size);

			if (node >= NUMA_MAX_NODES) {
				pr_numa_warn(out, "[mem %#018llx-%#018llx] in node %u: node ids "
					     "stop at %d: folded into node 0\n",
					     (unsigned long long)m->base,
					     (unsigned long long)end - 1, node,
					     NUMA_MAX_NODES - 1);
				node = 0;
			}
			/* QEMU's tree gives a memoryless node a memory node of size 0. */
			if (end <= m->base) {
				pr_info("numa: node %u: empty memory range at %#llx skipped\n",
					node, (unsigned long long)m->base);
				continue;
			}
			claim(out, &nr_claimed, m->base, end, (int)node, m->hotpluggable);
		}
		for (unsigned int i = 0; i < nr_claimed; i++)
			clip_to_ram(out, in, &claimed[i]);
		blks_sort_merge(out);
		cover_ram(out, in);
		for (unsigned int i = 0; i < out->nr_blks; i++)
			out->node_mask |= 1ULL << out->blks[i].nid;
		place_cpus(out, in);
	}
	for (unsigned int i = 0; i < out->nr_blks; i++) {
		out->nodes[out->blks[i].nid].present_bytes += out->blks[i].size;
		out->nodes[out->blks[i].nid].nr_memblks++;
	}
	out->nr_nodes = (unsigned int)__builtin_popcountll(out->node_mask);
	if (out->source)
		check_distances(out, fw);
}

void numa_cpulist(const struct cpumask *mask, bool expand, char *buf, size_t size)
{
	size_t n = 0;
	unsigned int cpu = 0;

	if (!size)
		return;
	buf[0] = '\0';
	while (cpu < NR_CPUS) {
		if (!cpumask_test_cpu(cpu, mask)) {
			cpu++;
			continue;
		}
		unsigned int last = cpu;

		while (!expand && last + 1 < NR_CPUS && cpumask_test_cpu(last + 1, mask))
			last++;
		if (last == cpu)
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%u",
				      n ? (expand ? " " : ",") : "", cpu);
		else
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%u-%u", n ? "," : "",
				      cpu, last);
		cpu = last + 1;
	}
	if (!n)
		snprintf(buf, size, "none");
}

void numa_print(const struct numa_info *ni)
{
	char cpus[128], sz[32];
	int nid;

	if (!ni->source) {
		pr_info("numa: no NUMA description: one node\n");
		return;
	}
	pr_info("numa: %u node%s from the %s, distances: %s\n", ni->nr_nodes,
		ni->nr_nodes == 1 ? "" : "s", ni->source, ni->distance_source);
	for_each_numa_node(nid, ni) {
		const struct numa_node *node = &ni->nodes[nid];
		u64 first = ~0ULL, last = 0;
		bool hp = false;

		numa_cpulist(&node->cpus, false, cpus, sizeof(cpus));
		size_str(node->present_bytes, sz, sizeof(sz));
		for (unsigned int i = 0; i < ni->nr_blks; i++) {
			if (ni->blks[i].nid != nid)
				continue;
			first = min_t(u64, first, ni->blks[i].base);
			last = max_t(u64, last, ni->blks[i].base + ni->blks[i].size - 1);
			hp |= ni->blks[i].hotpluggable;
		}
		if (!node->nr_memblks) {
			pr_info("numa: node %d: CPUs %s, no memory (memoryless node)\n", nid, cpus);
			continue;
		}
		pr_info("numa: node %d: CPUs %s, memory [mem %#018llx-%#018llx] %s%s\n", nid,
			cpus, (unsigned long long)first, (unsigned long long)last, sz,
			cpumask_empty(&node->cpus) ? " (no CPUs)" : "");
		/* One plain range says it all; otherwise each range on its own line. */
		if (node->nr_memblks == 1 && !hp)
			continue;
		for (unsigned int i = 0; i < ni->nr_blks; i++)
			if (ni->blks[i].nid == nid)
				pr_info("numa:   [mem %#018llx-%#018llx]%s\n",
					(unsigned long long)ni->blks[i].base,
					(unsigned long long)(ni->blks[i].base + ni->blks[i].size - 1),
					ni->blks[i].hotpluggable ? " hot-pluggable" : "");
	}
	char line[8 + 4 * NUMA_MAX_NODES];
	size_t n = snprintf(line, sizeof(line), "node");
	int to;

	for_each_numa_node(to, ni)
		n += snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0, " %3d", to);
	pr_info("numa: distances:\n");
	pr_info("numa:   %s\n", line);
	for_each_numa_node(nid, ni) {
		n = snprintf(line, sizeof(line), "%3d:", nid);
		for_each_numa_node(to, ni)
			n += snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0, " %3u",
				      ni->distance[nid][to]);
		pr_info("numa:   %s\n", line);
	}
}
