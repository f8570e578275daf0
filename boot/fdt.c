// SPDX-License-Identifier: MIT
/*
 * The flattened device tree reader (Devicetree Specification v0.4, chapter 5): checks the
 * blob OpenSBI or U-Boot passes in a1 and walks its nodes. What the nodes mean is
 * boot/fdt_boot.c's business.
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
 * fdt_open() walks it once only to check: every token inside the structure block, every
 * name NUL-terminated inside its block, every property inside the block, nesting balanced
 * and at most FDT_MAX_DEPTH deep, properties before subnodes. A caller changes nothing until
 * the whole blob passes, so a malformed blob is refused as a whole. fdt_walk() then visits
 * each node once its properties are known (at its first child or its end, so a parent is
 * always visited before its children, with its #address-cells already read).
 *
 * The accessors still check bounds after validation: they are cheap, and the fuzzer
 * (tests/host) would find any place where the first walk trusts too much.
 *
 * Nothing here is arch-specific and nothing is allocated: it builds and is fuzzed on the
 * host, where only printk is stubbed.
 *
 * Locking: none; it reads only the blob and writes only what the caller passes.
 */
#include "boot/fdt.h"
#include "kernel/printk.h"

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

#define FDT_V16_HEADER_SIZE	36	/* without size_dt_struct, added in version 17 */
#define FDT_V17_HEADER_SIZE	40

/* One token of the structure block, decoded by fdt_next(). */
struct fdt_token {
	u32 tag;			/* FDT_BEGIN_NODE ... FDT_END */
	u32 pos;			/* its offset in the structure block */
	u32 next;			/* offset of the following token */
	const char *name;		/* node or property name (NUL-terminated in bounds) */
	const u8 *val;			/* property value ... */
	u32 len;			/* ... and its length */
};

/* ---- strings ---- */

/* Length of the string at s, or max if there is no NUL in the first max bytes. */
size_t fdt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

bool fdt_streq(const char *a, const char *b)
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
bool fdt_node_is(const char *name, const char *base)
{
	while (*base && *name == *base) {
		name++;
		base++;
	}
	return *base == '\0' && (*name == '\0' || *name == '@');
}

bool fdt_has_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* ---- header and tokens ---- */

/* Check the header against the buffer and locate the blocks. */
static int fdt_check_header(struct fdt *f, const u8 *blob, size_t len)
{
	if (len < 4) {
		pr_warn("FDT: %lu bytes: too short for a header\n", (unsigned long)len);
		return FDT_ERR_NOFDT;
	}
	if (fdt_be32(blob) != FDT_MAGIC) {
		pr_warn("FDT: bad magic 0x%08x (expected 0x%08x)\n", fdt_be32(blob), FDT_MAGIC);
		return FDT_ERR_NOFDT;
	}
	if (len < FDT_V16_HEADER_SIZE) {
		pr_warn("FDT: %lu bytes is too short for a header\n", (unsigned long)len);
		return FDT_ERR_HEADER;
	}

	u32 totalsize = fdt_be32(blob + 4);
	u32 off_struct = fdt_be32(blob + 8);
	u32 off_strings = fdt_be32(blob + 12);
	u32 off_rsvmap = fdt_be32(blob + 16);
	u32 version = fdt_be32(blob + 20);
	u32 last_comp = fdt_be32(blob + 24);
	u32 size_strings = fdt_be32(blob + 32);
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
	u32 size_struct = version >= 17 ? fdt_be32(blob + 36) : totalsize - off_struct;

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

	t->tag = fdt_be32(p);
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
		u32 len = fdt_be32(p + 4);
		u32 nameoff = fdt_be32(p + 8);

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
		if (fdt_be64(f->blob + off) == 0 && fdt_be64(f->blob + off + 8) == 0)
			return FDT_OK;
	pr_warn("FDT: memory reservation map has no terminating entry\n");
	return FDT_ERR_STRUCT;
}

int fdt_open(struct fdt *f, const void *blob, size_t len)
{
	int ret = fdt_check_header(f, blob, len);

	if (!ret)
		ret = fdt_check_struct(f);
	if (!ret)
		ret = fdt_check_rsvmap(f);
	return ret;
}

bool fdt_rsvmap_entry(const struct fdt *f, u32 index, u64 *base, u64 *size)
{
	u64 off = f->rsvmap_off + (u64)index * 16;

	if (off + 16 > f->size)
		return false;
	*base = fdt_be64(f->blob + off);
	*size = fdt_be64(f->blob + off + 8);
	return *base != 0 || *size != 0;
}

/* ---- properties ---- */

/* The property `name` (namelen bytes) of node n, or NULL; *len gets its length. */
const u8 *fdt_getprop_n(const struct fdt *f, const struct fdt_node *n, const char *name,
			size_t namelen, u32 *len)
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

const u8 *fdt_getprop(const struct fdt *f, const struct fdt_node *n, const char *name,
		      u32 *len)
{
	return fdt_getprop_n(f, n, name, fdt_strnlen(name, 64), len);
}

/* A string property: NULL unless present and NUL-terminated within its length. */
const char *fdt_getprop_str(const struct fdt *f, const struct fdt_node *n, const char *name)
{
	u32 len;
	const u8 *v = fdt_getprop(f, n, name, &len);

	if (!v || len == 0 || v[len - 1] != '\0')
		return NULL;
	return (const char *)v;
}

/* A one- or two-cell number; def if absent or of another size. */
u64 fdt_getprop_num(const struct fdt *f, const struct fdt_node *n, const char *name, u64 def)
{
	u32 len;
	const u8 *v = fdt_getprop(f, n, name, &len);

	if (v && len == 4)
		return fdt_be32(v);
	if (v && len == 8)
		return fdt_be64(v);
	return def;
}

/* Is `want` one of the strings in the node's compatible list? */
bool fdt_is_compatible(const struct fdt *f, const struct fdt_node *n, const char *want)
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
bool fdt_is_enabled(const struct fdt *f, const struct fdt_node *n)
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
bool fdt_translate(const struct fdt_walk *w, int level, u64 *addr)
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
 * Entry `index` of the (address, size) list `prop` of the node at `level`, in CPU physical
 * addresses. Return: false if there is no such entry or it cannot be decoded.
 */
bool fdt_addr_range(const struct fdt_walk *w, int level, const char *prop, u32 index,
		    u64 *base, u64 *size)
{
	const struct fdt_node *parent = &w->stack[level - 1];
	u32 ac = parent->addr_cells, sc = parent->size_cells;
	u32 len;
	const u8 *reg = fdt_getprop(w->f, &w->stack[level], prop, &len);

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

u32 fdt_addr_range_count(const struct fdt_walk *w, int level, const char *prop)
{
	const struct fdt_node *parent = &w->stack[level - 1];
	u32 len = 0;

	if (parent->addr_cells == 0 || parent->addr_cells > FDT_CELLS_MAX ||
	    parent->size_cells > FDT_CELLS_MAX ||
	    !fdt_getprop(w->f, &w->stack[level], prop, &len))
		return 0;
	return len / ((parent->addr_cells + parent->size_cells) * 4);
}

/* First interrupt number: "interrupts" cell 0, or "interrupts-extended" cell 1. */
u32 fdt_irq(const struct fdt *f, const struct fdt_node *n)
{
	u32 len;
	const u8 *v = fdt_getprop(f, n, "interrupts", &len);

	if (v && len >= 4)
		return fdt_be32(v);
	v = fdt_getprop(f, n, "interrupts-extended", &len);
	if (v && len >= 8)
		return fdt_be32(v + 4);
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
void fdt_walk(struct fdt_walk *w)
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

