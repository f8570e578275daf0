/* SPDX-License-Identifier: MIT */
/*
 * The flattened device tree reader: checks an FDT blob (Devicetree Specification v0.4,
 * chapter 5) and lets a caller walk its nodes and read their properties, with every offset,
 * length and string bounds-checked. It knows the blob's format, not what the nodes mean:
 * boot/fdt_boot.c is the one user, turning nodes into struct boot_info.
 *
 * Use: fdt_open() the blob (nothing is trusted until it passes), then fdt_walk() it with a
 * visitor that reads properties with fdt_getprop*() and fdt_reg().
 *
 * Nothing here is arch-specific or allocates: it builds and is fuzzed on the host.
 */
#ifndef BOOT_FDT_H
#define BOOT_FDT_H

#include "kernel/compiler.h"

#define FDT_MAGIC	0xd00dfeedU

/* Return values (negative: the blob is refused and must not be used). */
#define FDT_OK		0
#define FDT_ERR_NOFDT	(-1)	/* null address or bad magic: not an FDT at all */
#define FDT_ERR_HEADER	(-2)	/* header fields out of bounds or unsupported version */
#define FDT_ERR_STRUCT	(-3)	/* structure block or memory reservation map malformed */

/* Real trees are 4-6 levels deep; this bounds the node stack (and recursion-free walks). */
#define FDT_MAX_DEPTH		16
/* A u64 holds at most two 32-bit cells: wider addresses (PCI's three) are not decoded. */
#define FDT_CELLS_MAX		2

/* The blob, with its blocks located and bounds-checked by fdt_open(). */
struct fdt {
	const u8 *blob;
	u32 size;			/* totalsize, <= the buffer's length */
	u32 version;
	const u8 *structs;		/* the structure block ... */
	u32 struct_size;		/* ... and its length in bytes */
	const u8 *strings;		/* the strings block ... */
	u32 strings_size;		/* ... and its length */
	u32 rsvmap_off;			/* the memory reservation map, 8-byte aligned */
};

/* A node on the walk's stack: where its properties are and what it says about children. */
struct fdt_node {
	const char *name;		/* "cpu@0"; "" for the root */
	u32 props;			/* offset of its first property token */
	u32 props_end;			/* offset just past its last property token */
	u32 addr_cells;			/* its #address-cells (for its children's reg) */
	u32 size_cells;			/* its #size-cells */
	bool visited;			/* properties known, visitor called */
};

struct fdt_walk;
typedef void (*fdt_visit_fn)(struct fdt_walk *w, int level);

/*
 * One walk over the structure block. The visitor sees stack[0..level], the node it is
 * called for and its ancestors, each with its properties and cells known.
 */
struct fdt_walk {
	const struct fdt *f;
	struct fdt_node stack[FDT_MAX_DEPTH];	/* stack[0] is the root */
	int depth;				/* nodes open */
	fdt_visit_fn visit;
	void *data;				/* the visitor's own state */
};

/* The blob is big-endian and maybe unaligned. */
static inline u32 fdt_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 fdt_be64(const u8 *p)
{
	return (u64)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

/* Read `cells` (0..2) big-endian cells at p as one number. */
static inline u64 fdt_cells(const u8 *p, u32 cells)
{
	return cells == 0 ? 0 : cells == 1 ? fdt_be32(p) : fdt_be64(p);
}

/**
 * fdt_open() - Check a blob and locate its blocks.
 * @f: filled in on success
 * @blob: the blob; need not be aligned
 * @len: bytes readable at @blob; nothing outside [blob, blob + len) is ever read
 *
 * Checks the header, then walks the structure block once: every token inside it, every name
 * NUL-terminated inside its block, nesting balanced and at most FDT_MAX_DEPTH deep,
 * properties before subnodes; and the memory reservation map ends inside the blob. What is
 * wrong is reported with pr_warn.
 * Context: any; no allocation, bounded stack.
 * Return: FDT_OK or an FDT_ERR_*.
 */
int fdt_open(struct fdt *f, const void *blob, size_t len);

/**
 * fdt_rsvmap_entry() - Entry @index of the memory reservation map (/memreserve/).
 * @f: an opened blob
 * @index: 0, 1, ...
 * @base: its base
 * @size: its size
 *
 * Context: any.
 * Return: false past the terminating entry.
 */
bool fdt_rsvmap_entry(const struct fdt *f, u32 index, u64 *base, u64 *size);

/**
 * fdt_walk() - Call w->visit once per node of an opened blob, parents before children.
 * @w: f, visit and data set by the caller
 *
 * A node is visited once its properties are known (at its first child or its end), with
 * its #address-cells and #size-cells read (defaults 2 and 1, Devicetree spec 2.3.5).
 * Context: any; no allocation.
 */
void fdt_walk(struct fdt_walk *w);

/* ---- properties of a node (found by fdt_walk()) ---- */

/* The property `name` (namelen bytes, no NUL needed) of n, or NULL; *len gets its length. */
const u8 *fdt_getprop_n(const struct fdt *f, const struct fdt_node *n, const char *name,
			size_t namelen, u32 *len);
/* The property `name` of n, or NULL; *len (if len) gets its length. */
const u8 *fdt_getprop(const struct fdt *f, const struct fdt_node *n, const char *name,
		      u32 *len);
/* A string property: NULL unless present and NUL-terminated within its length. */
const char *fdt_getprop_str(const struct fdt *f, const struct fdt_node *n, const char *name);
/* A one- or two-cell number; def if absent or of another size. */
u64 fdt_getprop_num(const struct fdt *f, const struct fdt_node *n, const char *name, u64 def);
/* Is `want` one of the strings in the node's compatible list? */
bool fdt_is_compatible(const struct fdt *f, const struct fdt_node *n, const char *want);
/* status absent, "okay" or "ok" means the node is usable. */
bool fdt_is_enabled(const struct fdt *f, const struct fdt_node *n);
/* First interrupt number: "interrupts" cell 0, or "interrupts-extended" cell 1. */
u32 fdt_irq(const struct fdt *f, const struct fdt_node *n);

/* ---- addresses: (address, size) lists of the node at w->stack[level] (level >= 1) ---- */

/*
 * Entry `index` of the node's property `prop` ("reg", "alloc-ranges"...), a list of
 * (address, size) in its parent's cells, translated to CPU physical addresses through each
 * ancestor bus's "ranges". Return: false if absent or untranslatable.
 */
bool fdt_addr_range(const struct fdt_walk *w, int level, const char *prop, u32 index,
		    u64 *base, u64 *size);
/* How many (address, size) entries `prop` holds; 0 if the parent's cells are unusable. */
u32 fdt_addr_range_count(const struct fdt_walk *w, int level, const char *prop);

/*
 * Translate *addr, an address in the space the node at `level` is addressed in (its reg's),
 * to a CPU physical address through each ancestor bus's "ranges". False if untranslatable.
 */
bool fdt_translate(const struct fdt_walk *w, int level, u64 *addr);

static inline bool fdt_reg(const struct fdt_walk *w, int level, u32 index, u64 *base,
			   u64 *size)
{
	return fdt_addr_range(w, level, "reg", index, base, size);
}

static inline u32 fdt_reg_count(const struct fdt_walk *w, int level)
{
	return fdt_addr_range_count(w, level, "reg");
}

/* ---- strings in the blob (bounded, NUL-terminated) ---- */

/* Length of the string at s, or max if there is no NUL in the first max bytes. */
size_t fdt_strnlen(const char *s, size_t max);
bool fdt_streq(const char *a, const char *b);
/* Node name without its unit address: "memory@80000000" matches "memory". */
bool fdt_node_is(const char *name, const char *base);
bool fdt_has_prefix(const char *s, const char *prefix);

#endif /* BOOT_FDT_H */
