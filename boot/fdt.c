// SPDX-License-Identifier: MIT
/*
 * The flattened device tree parser (Devicetree Specification v0.4, chapter 5) for riscv64:
 * reads the blob OpenSBI or U-Boot passes in a1 and fills struct boot_info.
 *
 * The blob is untrusted input: a header, a memory reservation map, a structure block of
 * 32-bit big-endian tokens, and a strings block holding property names:
 *
 *	FDT_BEGIN_NODE "name\0" (padded to 4)	opens a node
 *	FDT_PROP len nameoff value (padded)	a property of the open node
 *	FDT_END_NODE				closes it
 *	FDT_NOP					ignored
 *	FDT_END					ends the block
 *
 * It is read in three walks. The first only checks: every token inside the structure block,
 * every name NUL-terminated inside its block, every property inside the block, nesting
 * balanced and at most FDT_MAX_DEPTH deep, properties before subnodes. Nothing in boot_info
 * changes unless the whole blob passes, so a malformed blob leaves it as it was. The second
 * walk visits each node once its properties are known (at its first child or its end, so a
 * parent is always visited before its children, with its #address-cells already read) and
 * collects memory, reservations, CPUs and devices. The third looks for the node that
 * /chosen/stdout-path names, which may come before /chosen or /aliases in the blob.
 *
 * The accessors still check bounds after validation: they are cheap, and the fuzzer
 * (tests/host) would find any place where the first walk trusts too much.
 *
 * Nothing here is arch-specific and nothing is allocated: it builds and is fuzzed on the
 * host, where only boot_add_*() and printk are stubbed.
 *
 * Locking: boot CPU, before SMP (m).
 */
#include "boot/fdt.h"
#include "kernel/boot_info.h"
#include "kernel/printk.h"

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

#define FDT_V16_HEADER_SIZE	36	/* without size_dt_struct, added in version 17 */
#define FDT_V17_HEADER_SIZE	40
/* Real trees are 4-6 levels deep; this bounds the node stack (and recursion-free walks). */
#define FDT_MAX_DEPTH		16
/* Real device trees are a few KiB; like Linux on arm64, refuse anything over 2 MiB. */
#define FDT_MAX_SIZE		0x200000U
/* The blob is reserved in whole pages: memblock works in pages anyway. */
#define FDT_PAGE_SIZE		4096ULL
/* A u64 holds at most two 32-bit cells: wider addresses (PCI's three) are not decoded. */
#define FDT_CELLS_MAX		2

/* The blob, with its blocks located and bounds-checked by fdt_check_header(). */
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

/* One token of the structure block, decoded by fdt_next(). */
struct fdt_token {
	u32 tag;			/* FDT_BEGIN_NODE ... FDT_END */
	u32 pos;			/* its offset in the structure block */
	u32 next;			/* offset of the following token */
	const char *name;		/* node or property name (NUL-terminated in bounds) */
	const u8 *val;			/* property value ... */
	u32 len;			/* ... and its length */
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

struct fdt_walk {
	const struct fdt *f;
	struct fdt_node stack[FDT_MAX_DEPTH];	/* stack[0] is the root */
	int depth;				/* nodes open */
	fdt_visit_fn visit;
	struct fdt_parse_state *st;
};

/* What the collecting walks learn, beyond what goes straight into boot_info. */
struct fdt_parse_state {
	struct boot_info *bi;
	u32 boot_hartid;
	bool have_chosen, have_aliases;
	struct fdt_node chosen;		/* /chosen, for stdout-path and bootargs */
	struct fdt_node aliases;	/* /aliases, to resolve a stdout-path alias */
	const char *stdout_path;	/* the node stdout-path names ... */
	size_t stdout_len;		/* ... without its ":options" (not NUL-terminated) */
	bool stdout_found;
	bool have_finisher;
	bool seen_opensbi;		/* OpenSBI's mmode_resv reserved-memory nodes */
	bool seen_uboot;		/* U-Boot's marks in /chosen or the root */
	bool boot_cpu_found;
	u64 timebase_cpu;		/* timebase-frequency found in a cpu node (old trees) */
};

/* ---- byte-level helpers: the blob is big-endian and maybe unaligned ---- */

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 be64(const u8 *p)
{
	return (u64)be32(p) << 32 | be32(p + 4);
}

/* Length of the string at s, or max if there is no NUL in the first max bytes. */
static size_t fdt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static bool fdt_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Does the NUL-terminated s equal the n bytes at t? */
static bool fdt_streq_n(const char *s, const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != t[i] || !s[i])
			return false;
	return s[n] == '\0';
}

/* Node name without its unit address: "memory@80000000" matches "memory". */
static bool fdt_node_is(const char *name, const char *base)
{
	while (*base && *name == *base) {
		name++;
		base++;
	}
	return *base == '\0' && (*name == '\0' || *name == '@');
}

static bool fdt_has_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* Read `cells` (0..2) big-endian cells at p as one number. */
static u64 fdt_cells(const u8 *p, u32 cells)
{
	return cells == 0 ? 0 : cells == 1 ? be32(p) : be64(p);
}

/* ---- header and tokens ---- */

/* Check the header against the buffer and locate the blocks. */
static int fdt_check_header(struct fdt *f, const u8 *blob, size_t len)
{
	if (len < 4) {
		pr_warn("FDT: %lu bytes: too short for a header\n", (unsigned long)len);
		return FDT_ERR_NOFDT;
	}
	if (be32(blob) != FDT_MAGIC) {
		pr_warn("FDT: bad magic 0x%08x (expected 0x%08x)\n", be32(blob), FDT_MAGIC);
		return FDT_ERR_NOFDT;
	}
	if (len < FDT_V16_HEADER_SIZE) {
		pr_warn("FDT: %lu bytes is too short for a header\n", (unsigned long)len);
		return FDT_ERR_HEADER;
	}

	u32 totalsize = be32(blob + 4);
	u32 off_struct = be32(blob + 8);
	u32 off_strings = be32(blob + 12);
	u32 off_rsvmap = be32(blob + 16);
	u32 version = be32(blob + 20);
	u32 last_comp = be32(blob + 24);
	u32 size_strings = be32(blob + 32);
	u32 hdr = version >= 17 ? FDT_V17_HEADER_SIZE : FDT_V16_HEADER_SIZE;

	/* 16 and 17 share a layout; later versions promise to read as 17 (last_comp <= 17). */
	if (version < 16 || last_comp > 17) {
		pr_warn("FDT: version %u (last compatible %u) not supported: need 16 or 17\n",
			version, last_comp);
		return FDT_ERR_HEADER;
	}
	if (totalsize < hdr || totalsize > len) {
		pr_warn("FDT: totalsize %u outside [%u, %lu]\n", totalsize, hdr,
			(unsigned long)len);
		return FDT_ERR_HEADER;
	}
	/* Each block must lie after the header and inside totalsize; compare without overflow. */
	if (off_struct < hdr || off_struct > totalsize || off_struct % 4) {
		pr_warn("FDT: structure block offset %u outside the blob or misaligned\n",
			off_struct);
		return FDT_ERR_HEADER;
	}
	/* Version 16 has no size_dt_struct: the block may run to the end of the blob. */
	u32 size_struct = version >= 17 ? be32(blob + 36) : totalsize - off_struct;

	if (size_struct > totalsize - off_struct) {
		pr_warn("FDT: structure block [%u, +%u) outside the blob\n", off_struct,
			size_struct);
		return FDT_ERR_HEADER;
	}
	if (off_strings < hdr || off_strings > totalsize ||
	    size_strings > totalsize - off_strings) {
		pr_warn("FDT: strings block [%u, +%u) outside the blob\n",
			off_strings, size_strings);
		return FDT_ERR_HEADER;
	}
	/* The reservation map holds 16-byte entries: at least the terminator must fit. */
	if (off_rsvmap < hdr || off_rsvmap % 8 || off_rsvmap > totalsize ||
	    totalsize - off_rsvmap < 16) {
		pr_warn("FDT: memory reservation map at %u outside the blob or misaligned\n",
			off_rsvmap);
		return FDT_ERR_HEADER;
	}

	f->blob = blob;
	f->size = totalsize;
	f->version = version;
	f->structs = blob + off_struct;
	f->struct_size = size_struct;
	f->strings = blob + off_strings;
	f->strings_size = size_strings;
	f->rsvmap_off = off_rsvmap;
	return FDT_OK;
}

/*
 * Decode the token at offset pos of the structure block into *t.
 * Return: 0, or -1 if it is unknown or does not fit (t->pos says where).
 */
static int fdt_next(const struct fdt *f, u32 pos, struct fdt_token *t)
{
	u64 room, next;

	t->pos = pos;
	t->name = NULL;
	t->val = NULL;
	t->len = 0;
	if (pos > f->struct_size || f->struct_size - pos < 4)
		return -1;
	room = f->struct_size - pos - 4;	/* bytes after the tag */
	const u8 *p = f->structs + pos;

	t->tag = be32(p);
	switch (t->tag) {
	case FDT_BEGIN_NODE: {
		size_t n = fdt_strnlen((const char *)p + 4, room);

		if (n == room)
			return -1;		/* name runs off the block */
		t->name = (const char *)p + 4;
		next = ALIGN_UP((u64)pos + 4 + n + 1, 4);
		break;
	}
	case FDT_PROP: {
		if (room < 8)
			return -1;
		u32 len = be32(p + 4);
		u32 nameoff = be32(p + 8);

		if (len > room - 8 || nameoff >= f->strings_size)
			return -1;
		const char *name = (const char *)f->strings + nameoff;

		if (fdt_strnlen(name, f->strings_size - nameoff) == f->strings_size - nameoff)
			return -1;		/* name runs off the strings block */
		t->name = name;
		t->val = p + 12;
		t->len = len;
		next = ALIGN_UP((u64)pos + 12 + len, 4);
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		next = (u64)pos + 4;
		break;
	default:
		return -1;
	}
	/*
	 * Padding after the last token may be cut off by size_dt_struct; the next fdt_next()
	 * then fails, but next itself must still fit in a u32.
	 */
	if (next > f->struct_size + 3ULL)
		return -1;
	t->next = (u32)next;
	return 0;
}

/* First walk: is the structure block well formed? Nothing is recorded. */
static int fdt_check_struct(const struct fdt *f)
{
	bool child_seen[FDT_MAX_DEPTH] = { false }; /* open node at this level had a subnode */
	struct fdt_token t;
	int depth = 0;
	bool root_done = false;
	u32 pos = 0;

	for (;;) {
		if (fdt_next(f, pos, &t)) {
			pr_warn("FDT: bad token at structure offset %u\n", t.pos);
			return FDT_ERR_STRUCT;
		}
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (root_done) {
				pr_warn("FDT: a second root node at offset %u\n", t.pos);
				return FDT_ERR_STRUCT;
			}
			if (depth == FDT_MAX_DEPTH) {
				pr_warn("FDT: nodes nested deeper than %d at offset %u\n",
					FDT_MAX_DEPTH, t.pos);
				return FDT_ERR_STRUCT;
			}
			if (depth > 0)
				child_seen[depth - 1] = true;
			child_seen[depth++] = false;
			break;
		case FDT_END_NODE:
			if (depth == 0) {
				pr_warn("FDT: unbalanced END_NODE at offset %u\n", t.pos);
				return FDT_ERR_STRUCT;
			}
			if (--depth == 0)
				root_done = true;
			break;
		case FDT_PROP:
			if (depth == 0 || child_seen[depth - 1]) {
				pr_warn("FDT: property '%s' outside a node or after a subnode at offset %u\n",
					t.name, t.pos);
				return FDT_ERR_STRUCT;
			}
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth != 0 || !root_done) {
				pr_warn("FDT: END at offset %u with %d nodes open%s\n", t.pos,
					depth, root_done ? "" : " and no root node");
				return FDT_ERR_STRUCT;
			}
			return FDT_OK;
		}
		pos = t.next;
	}
}

/* The memory reservation map must end (a zero entry) inside the blob. */
static int fdt_check_rsvmap(const struct fdt *f)
{
	for (u64 off = f->rsvmap_off; off + 16 <= f->size; off += 16)
		if (be64(f->blob + off) == 0 && be64(f->blob + off + 8) == 0)
			return FDT_OK;
	pr_warn("FDT: memory reservation map has no terminating entry\n");
	return FDT_ERR_STRUCT;
}

/* ---- properties ---- */

/* The property `name` (namelen bytes) of node n, or NULL; *len gets its length. */
static const u8 *fdt_getprop_n(const struct fdt *f, const struct fdt_node *n,
			       const char *name, size_t namelen, u32 *len)
{
	struct fdt_token t;

	for (u32 pos = n->props; pos < n->props_end; pos = t.next) {
		if (fdt_next(f, pos, &t))
			return NULL;
		if (t.tag == FDT_PROP && fdt_streq_n(t.name, name, namelen)) {
			if (len)
				*len = t.len;
			return t.val;
		}
	}
	return NULL;
}

static const u8 *fdt_getprop(const struct fdt *f, const struct fdt_node *n,
			     const char *name, u32 *len)
{
	return fdt_getprop_n(f, n, name, fdt_strnlen(name, 64), len);
}

/* A string property: NULL unless present and NUL-terminated within its length. */
static const char *fdt_getprop_str(const struct fdt *f, const struct fdt_node *n,
				   const char *name)
{
	u32 len;
	const u8 *v = fdt_getprop(f, n, name, &len);

	if (!v || len == 0 || v[len - 1] != '\0')
		return NULL;
	return (const char *)v;
}

/* A one- or two-cell number; def if absent or of another size. */
static u64 fdt_getprop_num(const struct fdt *f, const struct fdt_node *n, const char *name,
			   u64 def)
{
	u32 len;
	const u8 *v = fdt_getprop(f, n, name, &len);

	if (v && len == 4)
		return be32(v);
	if (v && len == 8)
		return be64(v);
	return def;
}

/* Is `want` one of the strings in the node's compatible list? */
static bool fdt_is_compatible(const struct fdt *f, const struct fdt_node *n, const char *want)
{
	u32 len;
	const u8 *v = fdt_getprop(f, n, "compatible", &len);

	for (u32 i = 0; v && i < len;) {
		size_t sl = fdt_strnlen((const char *)v + i, len - i);

		if (sl == len - i)
			break;			/* last string not terminated: ignore it */
		if (fdt_streq((const char *)v + i, want))
			return true;
		i += sl + 1;
	}
	return false;
}

/* status absent, "okay" or "ok" means the node is usable. */
static bool fdt_is_enabled(const struct fdt *f, const struct fdt_node *n)
{
	const char *s = fdt_getprop_str(f, n, "status");

	return !s || fdt_streq(s, "okay") || fdt_streq(s, "ok");
}

/* ---- addresses ---- */

/*
 * Translate addr from the address space of the children of stack[level - 1] up to the
 * root's, through each ancestor bus's "ranges". An empty "ranges" is the identity; a bus
 * without "ranges" cannot be reached from the CPU (Devicetree spec 2.3.8).
 * Return: false if untranslatable.
 */
static bool fdt_translate(const struct fdt_walk *w, int level, u64 *addr)
{
	for (int k = level - 1; k >= 1; k--) {
		const struct fdt_node *bus = &w->stack[k];
		u32 ca = bus->addr_cells, sc = bus->size_cells;
		u32 pa = w->stack[k - 1].addr_cells;
		u32 len;
		const u8 *r = fdt_getprop(w->f, bus, "ranges", &len);

		if (!r)
			return false;
		if (len == 0)
			continue;
		if (ca == 0 || ca > FDT_CELLS_MAX || pa == 0 || pa > FDT_CELLS_MAX ||
		    sc > FDT_CELLS_MAX || len % ((ca + pa + sc) * 4))
			return false;

		u32 entry = (ca + pa + sc) * 4;
		bool hit = false;

		for (u32 i = 0; i < len; i += entry) {
			u64 child = fdt_cells(r + i, ca);
			u64 parent = fdt_cells(r + i + ca * 4, pa);
			u64 size = fdt_cells(r + i + (ca + pa) * 4, sc);

			if (*addr >= child && *addr - child < size) {
				*addr = parent + (*addr - child);
				hit = true;
				break;
			}
		}
		if (!hit)
			return false;
	}
	return true;
}

/*
 * Entry `index` of the reg property of the node at `level`, in CPU physical addresses.
 * Return: false if there is no such entry or it cannot be decoded.
 */
static bool fdt_reg(const struct fdt_walk *w, int level, u32 index, u64 *base, u64 *size)
{
	const struct fdt_node *parent = &w->stack[level - 1];
	u32 ac = parent->addr_cells, sc = parent->size_cells;
	u32 len;
	const u8 *reg = fdt_getprop(w->f, &w->stack[level], "reg", &len);

	if (!reg || ac == 0 || ac > FDT_CELLS_MAX || sc > FDT_CELLS_MAX)
		return false;

	u32 entry = (ac + sc) * 4;

	if (index >= len / entry)
		return false;
	reg += index * entry;
	*base = fdt_cells(reg, ac);
	*size = fdt_cells(reg + ac * 4, sc);
	return fdt_translate(w, level, base);
}

static u32 fdt_reg_count(const struct fdt_walk *w, int level)
{
	const struct fdt_node *parent = &w->stack[level - 1];
	u32 len = 0;

	if (parent->addr_cells == 0 || parent->addr_cells > FDT_CELLS_MAX ||
	    parent->size_cells > FDT_CELLS_MAX ||
	    !fdt_getprop(w->f, &w->stack[level], "reg", &len))
		return 0;
	return len / ((parent->addr_cells + parent->size_cells) * 4);
}

/* First interrupt number: "interrupts" cell 0, or "interrupts-extended" cell 1. */
static u32 fdt_irq(const struct fdt *f, const struct fdt_node *n)
{
	u32 len;
	const u8 *v = fdt_getprop(f, n, "interrupts", &len);

	if (v && len >= 4)
		return be32(v);
	v = fdt_getprop(f, n, "interrupts-extended", &len);
	if (v && len >= 8)
		return be32(v + 4);
	return 0;
}

/* ---- the walk ---- */

/* The node on top of the stack has all its properties: read its cells and visit it. */
static void fdt_finish_props(struct fdt_walk *w, u32 end)
{
	struct fdt_node *n = &w->stack[w->depth - 1];

	if (n->visited)
		return;
	n->props_end = end;
	n->visited = true;
	/* Defaults from the Devicetree spec 2.3.5 when the properties are absent. */
	n->addr_cells = (u32)fdt_getprop_num(w->f, n, "#address-cells", 2);
	n->size_cells = (u32)fdt_getprop_num(w->f, n, "#size-cells", 1);
	w->visit(w, w->depth - 1);
}

/* Walk the (validated) structure block, calling w->visit once per node, parents first. */
static void fdt_walk(struct fdt_walk *w)
{
	struct fdt_token t;

	w->depth = 0;
	for (u32 pos = 0; !fdt_next(w->f, pos, &t); pos = t.next) {
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (w->depth > 0)
				fdt_finish_props(w, t.pos);
			if (w->depth == FDT_MAX_DEPTH)
				return;		/* fdt_check_struct() rules this out */
			w->stack[w->depth++] = (struct fdt_node){
				.name = t.name, .props = t.next, .props_end = t.next,
			};
			break;
		case FDT_END_NODE:
			if (w->depth == 0)
				return;
			fdt_finish_props(w, t.pos);
			w->depth--;
			break;
		case FDT_END:
			return;
		}
	}
}

/* ---- what the collecting walk does with each node ---- */

static void fdt_add_memory(struct fdt_walk *w, int level)
{
	u32 n = fdt_reg_count(w, level);

	if (n == 0)
		pr_warn("FDT: memory node %s has no usable reg\n", w->stack[level].name);
	for (u32 i = 0; i < n; i++) {
		u64 base, size;

		if (fdt_reg(w, level, i, &base, &size))
			boot_add_memory(w->st->bi, base, size, BOOT_MEM_RAM);
	}
}

/*
 * A /reserved-memory child. With or without "no-map" it is off limits to the page
 * allocator: OpenSBI lists its own 512 KiB at the start of RAM without no-map, and PMP makes
 * touching it fault. Children with only "size" ask the OS to allocate a region; we have no
 * driver that wants one, so they are skipped.
 */
static void fdt_add_reserved_memory(struct fdt_walk *w, int level)
{
	const struct fdt_node *n = &w->stack[level];
	u32 count = fdt_reg_count(w, level);

	if (fdt_has_prefix(n->name, "mmode_resv"))
		w->st->seen_opensbi = true;
	for (u32 i = 0; i < count; i++) {
		u64 base, size;

		if (fdt_reg(w, level, i, &base, &size)) {
			boot_add_reserved(w->st->bi, base, size, BOOT_RSV_FIRMWARE);
			continue;
		}
		/* Reserving too much is harmless; not reserving firmware memory is not. */
		const struct fdt_node *parent = &w->stack[level - 1];
		u32 len;
		const u8 *reg = fdt_getprop(w->f, n, "reg", &len);
		u32 ac = parent->addr_cells, sc = parent->size_cells;

		if (reg && ac && ac <= FDT_CELLS_MAX && sc <= FDT_CELLS_MAX) {
			reg += i * (ac + sc) * 4;
			pr_warn("FDT: reserved-memory/%s: no ranges to translate reg, using it as is\n",
				n->name);
			boot_add_reserved(w->st->bi, fdt_cells(reg, ac),
					  fdt_cells(reg + ac * 4, sc), BOOT_RSV_FIRMWARE);
		}
	}
}

/*
 * A /cpus/cpu@N node. Hart ids are reg; "okay" (or no status) means usable. S-mode is
 * what we need, and riscv,isa does not say whether a hart has it (the letters are unprivileged
 * extensions). A hart with an MMU has S-mode, so "mmu-type" present and not "riscv,none"
 * is the test: sifive_u's hart 0 (an E51 monitor core, "rv64imac", no mmu-type) fails it.
 */
static void fdt_add_cpu(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = w->st;
	struct boot_info *bi = st->bi;
	const struct fdt_node *n = &w->stack[level];
	const struct fdt_node *parent = &w->stack[level - 1];
	u32 len;
	const u8 *reg = fdt_getprop(w->f, n, "reg", &len);
	u32 ac = parent->addr_cells;

	if (!reg || ac == 0 || ac > FDT_CELLS_MAX || len < ac * 4) {
		pr_warn("FDT: cpu node %s has no usable reg: skipped\n", n->name);
		return;
	}
	u64 hartid = fdt_cells(reg, ac);

	if (hartid > 0xffffffffULL) {
		pr_warn("FDT: cpu %s: hart id 0x%llx does not fit 32 bits: skipped\n",
			n->name, (unsigned long long)hartid);
		return;
	}

	const char *mmu = fdt_getprop_str(w->f, n, "mmu-type");
	bool smode = mmu && !fdt_streq(mmu, "riscv,none");
	bool okay = fdt_is_enabled(w->f, n);
	bool is_boot = hartid == st->boot_hartid;

	if (!st->timebase_cpu)
		st->timebase_cpu = fdt_getprop_num(w->f, n, "timebase-frequency", 0);
	if (is_boot && !(okay && smode)) {
		/* We are running on it, so it works whatever the tree says. */
		pr_warn("FDT: boot hart %u is marked %s%s in the tree: using it anyway\n",
			(u32)hartid, okay ? "" : "disabled", smode ? "" : " without S-mode");
		okay = smode = true;
	}
	if (bi->nr_cpus == BOOT_MAX_CPUS) {
		pr_warn("FDT: more than %d cpus: hart %u dropped\n", BOOT_MAX_CPUS, (u32)hartid);
		if (!is_boot)
			return;
		bi->nr_cpus--;	/* the boot hart must be listed: it replaces the last one */
	}

	struct boot_cpu *cpu = &bi->cpus[bi->nr_cpus];

	cpu->hwid = (u32)hartid;
	cpu->enabled = okay && smode;
	cpu->online_capable = false;
	if (is_boot) {
		bi->boot_cpu_index = bi->nr_cpus;
		st->boot_cpu_found = true;
	}
	if (!smode)
		pr_info("FDT: hart %u has no S-mode (mmu-type %s): not usable\n",
			(u32)hartid, mmu ? mmu : "absent");
	bi->nr_cpus++;
}

/* Copy a device's common fields; NULL if the table is full or reg is unusable. */
static struct boot_device *fdt_add_device(struct fdt_walk *w, int level, const char *compat)
{
	const struct fdt_node *n = &w->stack[level];
	u64 base, size;
	struct boot_device *dev;

	if (!fdt_reg(w, level, 0, &base, &size)) {
		pr_warn("FDT: %s (%s): reg missing or untranslatable: skipped\n", n->name, compat);
		return NULL;
	}
	dev = boot_add_device(w->st->bi, compat);
	if (!dev)
		return NULL;	/* boot_add_device() reported it */
	dev->base = base;
	dev->size = size;
	dev->irq = fdt_irq(w->f, n);
	return dev;
}

/*
 * The test finisher: QEMU virt's "sifive,test1"/"sifive,test0" device (also a "syscon"
 * named test@...). Writing 0x5555 to it ends QEMU with status 0, (code << 16) | 0x3333
 * with status code. It is recorded as "sifive,test0", which arch_test_exit() looks for.
 */
static bool fdt_is_finisher(const struct fdt *f, const struct fdt_node *n)
{
	return fdt_is_compatible(f, n, "sifive,test0") ||
	       fdt_is_compatible(f, n, "sifive,test1") ||
	       (fdt_is_compatible(f, n, "syscon") && fdt_node_is(n->name, "test"));
}

static void fdt_visit_collect(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = w->st;
	const struct fdt *f = w->f;
	const struct fdt_node *n = &w->stack[level];
	const struct fdt_node *parent = level > 0 ? &w->stack[level - 1] : NULL;
	const char *dt = fdt_getprop_str(f, n, "device_type");

	if (level == 0) {
		/* U-Boot's control tree and fixups leave these in the root or /chosen. */
		if (fdt_getprop(f, n, "u-boot,version", NULL))
			st->seen_uboot = true;
		return;
	}
	if (level == 1 && fdt_node_is(n->name, "chosen")) {
		st->chosen = *n;
		st->have_chosen = true;
		if (fdt_getprop(f, n, "u-boot,version", NULL) ||
		    fdt_getprop(f, n, "u-boot,bootconf", NULL))
			st->seen_uboot = true;
		return;
	}
	if (level == 1 && fdt_node_is(n->name, "aliases")) {
		st->aliases = *n;
		st->have_aliases = true;
		return;
	}
	if (level == 1 && fdt_node_is(n->name, "cpus")) {
		st->bi->timebase_hz = fdt_getprop_num(f, n, "timebase-frequency", 0);
		return;
	}
	if (level == 2 && fdt_node_is(parent->name, "cpus")) {
		if (dt && fdt_streq(dt, "cpu"))
			fdt_add_cpu(w, level);
		return;
	}
	if (!fdt_is_enabled(f, n))
		return;
	/* The spec wants device_type "memory"; some old trees only name the node so. */
	if (level == 1 && ((dt && fdt_streq(dt, "memory")) ||
			   (!dt && fdt_node_is(n->name, "memory")))) {
		fdt_add_memory(w, level);
		return;
	}
	if (level == 2 && fdt_node_is(parent->name, "reserved-memory")) {
		fdt_add_reserved_memory(w, level);
		return;
	}
	if (fdt_is_compatible(f, n, "virtio,mmio")) {
		fdt_add_device(w, level, "virtio,mmio");
		return;
	}
	if (!st->have_finisher && fdt_is_finisher(f, n))
		st->have_finisher = fdt_add_device(w, level, "sifive,test0") != NULL;
}

/* ---- stdout-path and the console UART ---- */

/* Does one path component (len bytes, maybe without "@unit") name this node? */
static bool fdt_component_matches(const char *name, const char *comp, size_t len)
{
	bool has_unit = false;

	for (size_t i = 0; i < len; i++)
		has_unit |= comp[i] == '@';
	for (size_t i = 0; i < len; i++)
		if (name[i] != comp[i] || !name[i])
			return false;
	return name[len] == '\0' || (!has_unit && name[len] == '@');
}

/* Is the node at `level` the one the absolute path (len bytes) names? */
static bool fdt_path_matches(const struct fdt_walk *w, int level, const char *path, size_t len)
{
	int k = 0;
	size_t i = 0;

	while (i < len) {
		while (i < len && path[i] == '/')
			i++;
		if (i == len)
			break;
		size_t start = i;

		while (i < len && path[i] != '/')
			i++;
		if (++k > level || !fdt_component_matches(w->stack[k].name, path + start,
							  i - start))
			return false;
	}
	return k == level && level > 0;
}

/* A NUL-terminated copy of the n bytes at s for messages (printk has no "%.*s"). */
static const char *fdt_msg_str(char *buf, size_t size, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = s[i];
	buf[i] = '\0';
	return buf;
}

/* The UARTs we have drivers for, in the names boot_device and arch code use. */
static const char *const fdt_uarts[] = {
	"ns16550a", "ns16550", "snps,dw-apb-uart", "sifive,uart0",
};

static void fdt_visit_stdout(struct fdt_walk *w, int level)
{
	struct fdt_parse_state *st = w->st;
	const struct fdt_node *n = &w->stack[level];

	if (st->stdout_found || !fdt_path_matches(w, level, st->stdout_path, st->stdout_len))
		return;
	st->stdout_found = true;
	for (size_t i = 0; i < ARRAY_SIZE(fdt_uarts); i++) {
		if (!fdt_is_compatible(w->f, n, fdt_uarts[i]))
			continue;
		struct boot_device *dev = fdt_add_device(w, level, fdt_uarts[i]);

		if (!dev)
			return;
		/* ns16550 binding defaults: byte registers, one byte apart. */
		dev->reg_shift = (u32)fdt_getprop_num(w->f, n, "reg-shift", 0);
		dev->reg_io_width = (u32)fdt_getprop_num(w->f, n, "reg-io-width", 1);
		u64 clk = fdt_getprop_num(w->f, n, "clock-frequency", 0);

		dev->clock = clk > 0xffffffffULL ? 0 : (u32)clk;
		st->bi->console_device = (int)(dev - st->bi->devices);
		return;
	}
	char buf[64];

	pr_warn("FDT: stdout-path %s is not a UART we drive: staying on the SBI console\n",
		fdt_msg_str(buf, sizeof(buf), st->stdout_path, st->stdout_len));
}

/* stdout-path is "/path[:options]" or "alias[:options]": find the path it means. */
static void fdt_resolve_stdout(const struct fdt *f, struct fdt_parse_state *st)
{
	const char *s = NULL;
	size_t len;

	if (st->have_chosen) {
		s = fdt_getprop_str(f, &st->chosen, "stdout-path");
		if (!s)
			s = fdt_getprop_str(f, &st->chosen, "linux,stdout-path");
	}
	if (!s)
		return;
	for (len = 0; s[len] && s[len] != ':'; len++)
		;
	if (len > 0 && s[0] != '/') {
		const char *alias = NULL;

		if (st->have_aliases) {
			u32 vlen;
			const u8 *v = fdt_getprop_n(f, &st->aliases, s, len, &vlen);

			if (v && vlen > 1 && v[vlen - 1] == '\0' && v[0] == '/')
				alias = (const char *)v;
		}
		if (!alias) {
			char buf[64];

			pr_warn("FDT: stdout-path alias '%s' not found in /aliases\n",
				fdt_msg_str(buf, sizeof(buf), s, len));
			return;
		}
		s = alias;
		for (len = 0; s[len] && s[len] != ':'; len++)
			;
	}
	st->stdout_path = s;
	st->stdout_len = len;
}

/* ---- /chosen and the reservation map ---- */

static void fdt_read_chosen(const struct fdt *f, struct fdt_parse_state *st)
{
	struct boot_info *bi = st->bi;
	u32 len;
	const u8 *v;

	if (!st->have_chosen)
		return;
	v = fdt_getprop(f, &st->chosen, "bootargs", &len);
	if (v && len > 0) {
		size_t n = fdt_strnlen((const char *)v, len);

		if (n >= sizeof(bi->cmdline)) {
			pr_warn("FDT: bootargs of %lu bytes truncated to %lu\n",
				(unsigned long)n, (unsigned long)sizeof(bi->cmdline) - 1);
			n = sizeof(bi->cmdline) - 1;
		}
		for (size_t i = 0; i < n; i++)
			bi->cmdline[i] = (char)v[i];
		bi->cmdline[n] = '\0';
	}

	/* The initrd bounds are 32- or 64-bit numbers; end is exclusive. */
	u64 start = fdt_getprop_num(f, &st->chosen, "linux,initrd-start", 0);
	u64 end = fdt_getprop_num(f, &st->chosen, "linux,initrd-end", 0);

	if (end > start)
		boot_add_reserved(bi, start, end - start, BOOT_RSV_INITRD);
	else if (start || end)
		pr_warn("FDT: initrd [0x%llx, 0x%llx) is empty or inverted: ignored\n",
			(unsigned long long)start, (unsigned long long)end);
}

/* /memreserve/ entries (the map before the structure block): firmware-owned memory. */
static void fdt_read_rsvmap(const struct fdt *f, struct boot_info *bi)
{
	for (u64 off = f->rsvmap_off; off + 16 <= f->size; off += 16) {
		u64 base = be64(f->blob + off);
		u64 size = be64(f->blob + off + 8);

		if (base == 0 && size == 0)
			break;
		boot_add_reserved(bi, base, size, BOOT_RSV_FIRMWARE);
	}
}

int fdt_parse_buf(struct boot_info *bi, const void *blob, size_t len, phys_addr_t blob_phys,
		  u32 boot_hartid)
{
	struct fdt f;
	struct fdt_parse_state st = { .bi = bi, .boot_hartid = boot_hartid };
	struct fdt_walk w = { .f = &f, .st = &st };
	int ret;

	bi->console_device = -1;
	if (!blob)
		return FDT_ERR_NOFDT;
	ret = fdt_check_header(&f, blob, len);
	if (!ret)
		ret = fdt_check_struct(&f);
	if (!ret)
		ret = fdt_check_rsvmap(&f);
	if (ret)
		return ret;

	/* Valid: from here on, only boot_info's own limits can drop anything. */
	bi->fdt = blob_phys;
	bi->fdt_size = f.size;
	u64 first = blob_phys & ~(FDT_PAGE_SIZE - 1);
	u64 last = ALIGN_UP(blob_phys + f.size, FDT_PAGE_SIZE);

	boot_add_reserved(bi, first, last - first, BOOT_RSV_FDT);
	fdt_read_rsvmap(&f, bi);

	w.visit = fdt_visit_collect;
	fdt_walk(&w);
	fdt_read_chosen(&f, &st);

	if (!bi->timebase_hz)
		bi->timebase_hz = st.timebase_cpu;
	if (!st.boot_cpu_found) {
		pr_warn("FDT: boot hart %u is not in /cpus: adding it\n", boot_hartid);
		if (bi->nr_cpus == BOOT_MAX_CPUS)
			bi->nr_cpus--;
		bi->cpus[bi->nr_cpus] = (struct boot_cpu){ .hwid = boot_hartid, .enabled = true };
		bi->boot_cpu_index = bi->nr_cpus++;
	}

	fdt_resolve_stdout(&f, &st);
	if (st.stdout_path) {
		w.visit = fdt_visit_stdout;
		fdt_walk(&w);
		char buf[64];

		if (!st.stdout_found)
			pr_warn("FDT: stdout-path %s names no node\n",
				fdt_msg_str(buf, sizeof(buf), st.stdout_path, st.stdout_len));
	}

	bi->loader_name = st.seen_uboot ? "U-Boot" : st.seen_opensbi ? "OpenSBI" : "FDT";
	pr_info("FDT: version %u, %u bytes at 0x%llx; %u cpus, boot hart %u; loader %s\n",
		f.version, f.size, (unsigned long long)blob_phys, bi->nr_cpus, boot_hartid,
		bi->loader_name);
	return FDT_OK;
}

int fdt_parse(struct boot_info *bi, phys_addr_t fdt_phys, u32 boot_hartid)
{
	/*
	 * riscv64 runs with translation off, so the physical address is the pointer. The
	 * header says how long the blob is; fdt_parse_buf() re-checks every field against it.
	 */
	const u8 *blob = (const u8 *)(uintptr_t)fdt_phys;

	if (!fdt_phys) {
		bi->console_device = -1;
		pr_warn("FDT: the loader passed no device tree (a1 = 0)\n");
		return FDT_ERR_NOFDT;
	}
	if (be32(blob) != FDT_MAGIC)
		return fdt_parse_buf(bi, blob, 4, fdt_phys, boot_hartid);
	/* A garbage totalsize must not send the parser reading to the end of the world. */
	u32 size = be32(blob + 4);

	if (size > FDT_MAX_SIZE) {
		bi->console_device = -1;
		pr_warn("FDT: totalsize %u is over the %u-byte limit\n", size, FDT_MAX_SIZE);
		return FDT_ERR_HEADER;
	}
	return fdt_parse_buf(bi, blob, size, fdt_phys, boot_hartid);
}
