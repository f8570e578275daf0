/* SPDX-License-Identifier: MIT */
/*
 * What boot/fdt_boot.c (the walk and its decisions) and boot/fdt_devices.c (the device
 * nodes: interrupt controllers, PCI host bridges, MMIO devices) share: the collecting walk's
 * state and the device collectors the walk calls. Nothing outside boot/fdt_*.c includes it.
 * Locking: boot CPU, before SMP (m).
 */
#ifndef BOOT_FDT_BOOT_INTERNAL_H
#define BOOT_FDT_BOOT_INTERNAL_H

#include "boot/fdt.h"
#include "kernel/boot_info.h"

/* What the collecting walks learn, beyond what goes straight into boot_info. */
struct fdt_parse_state {
	struct boot_info *bi;
	u32 boot_hartid;
	bool have_chosen, have_aliases;
	struct fdt_node chosen;		/* /chosen, for stdout-path and bootargs */
	struct fdt_node aliases;	/* /aliases, to resolve a stdout-path alias */
	const char *stdout_path;	/* the node stdout-path names ... */
	size_t stdout_len;		/* ... without its ":options" (not NUL-terminated) */
	u32 stdout_baud;		/* the baud its options start with ("115200n8"), 0 if none */
	bool stdout_found;
	bool have_finisher;
	bool seen_opensbi;		/* OpenSBI's mmode_resv reserved-memory nodes */
	bool seen_uboot;		/* U-Boot's marks in /chosen or the root */
	bool boot_cpu_found;
	u64 timebase_cpu;		/* timebase-frequency found in a cpu node (old trees) */
	bool timebase_zero;		/* a timebase-frequency of 0 was seen (and ignored) */
	u32 isa_ext_all;		/* BOOT_RISCV_ISA_* common to the usable harts so far */
	bool isa_ext_seen;		/* a usable hart has been looked at */
	u32 harts_dropped;		/* cpu nodes beyond BOOT_MAX_CPUS: reported once ... */
	u32 min_dropped, max_dropped;	/* ... with the lowest and highest such hart id */
	/* Each hart's riscv,cpu-intc: the PLIC's interrupts-extended names them by phandle. */
	struct {
		u32 phandle;
		u32 hartid;
	} intc[BOOT_MAX_CPUS];
	unsigned int nr_intc;
	bool have_plic;
	struct fdt_node plic;		/* its contexts are resolved after the walk */
	bool numa_seen;			/* some node had a numa-node-id */
	unsigned int numa_distances;	/* distance-matrix entries recorded */
};

/* The walks' state, which fdt_parse_buf() hangs on the walk. */
static inline struct fdt_parse_state *fdt_state(const struct fdt_walk *w)
{
	return w->data;
}

/* /cpus/cpu@N/interrupt-controller: remember its phandle with the hart id. */
void fdt_add_cpu_intc(struct fdt_walk *w, int level);
/* The PLIC's base and sources; its contexts after the walk (fdt_resolve_plic()). */
void fdt_add_plic(struct fdt_walk *w, int level, const char *compat);
void fdt_resolve_plic(const struct fdt *f, struct fdt_parse_state *st);
/* A device node a driver may want: NULL if boot_info has no room (reported). */
struct boot_device *fdt_add_device(struct fdt_walk *w, int level, const char *compat);
bool fdt_is_finisher(const struct fdt *f, const struct fdt_node *n);
/* A "pci-host-ecam-generic" node: ECAM, bus-range, windows, interrupt-map. */
void fdt_add_pci_host(struct fdt_walk *w, int level);

/* NUMA (boot/fdt_numa.c): a node's numa-node-id, /distance-map, and the summing up. */
bool fdt_numa_node_id(struct fdt_walk *w, int level, u32 *nid);
void fdt_add_distance_map(struct fdt_walk *w, int level);
void fdt_numa_finish(struct fdt_parse_state *st);

#endif /* BOOT_FDT_BOOT_INTERNAL_H */
