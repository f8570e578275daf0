// SPDX-License-Identifier: MIT
/*
 * drivers/pci's distrustful readers on the host: the capability walkers (drivers/pci/cap.c)
 * and the BAR probe decoder (drivers/pci/bar.c), compiled unchanged, against a simulated
 * configuration space in a heap buffer of exactly the function's size, so ASan catches any
 * read the walkers make beyond it. Crafted lists (loops, self-loops, pointers into the
 * header, unaligned, past the end) must stop where they break; random spaces must always
 * end within the bound with every returned entry legal and unique. BAR decoding is checked
 * for every power-of-two size of each kind and against masks with holes.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "drivers/pci/pci_lib.h"
#include "drivers/pci/pci_regs.h"

struct sim {
	u8 *space;			/* malloc'd, exactly size bytes */
	u16 size;
	unsigned long reads;
};

static u32 sim_read(const struct pci_cfg_view *v, u16 where, u8 size)
{
	struct sim *s = v->ctx;
	u32 val = 0;

	/* Natural alignment and bounds: what real configuration accesses need. */
	EXPECT_EQ(where % size, 0);
	s->reads++;
	for (u8 i = 0; i < size; i++)
		val |= (u32)s->space[where + i] << (8 * i);
	return val;
}

static struct sim *sim_new(u16 size)
{
	struct sim *s = calloc(1, sizeof(*s));

	s->space = calloc(1, size);
	s->size = size;
	s->space[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	return s;
}

static void sim_free(struct sim *s)
{
	free(s->space);
	free(s);
}

static struct pci_cfg_view view_of(struct sim *s)
{
	return (struct pci_cfg_view){ .read = sim_read, .size = s->size, .ctx = s };
}

static void put32(struct sim *s, u16 where, u32 v)
{
	memcpy(s->space + where, &v, 4);
}

/* Walk the conventional list; returns the number of entries, positions in pos[]. */
static unsigned int walk(struct sim *s, struct pci_cap_iter *it, u16 *pos)
{
	struct pci_cfg_view v = view_of(s);
	unsigned int n = 0;

	pci_cap_iter_init(it);
	while (pci_cap_next(&v, it)) {
		if (pos && n < 64)
			pos[n] = it->pos;
		n++;
		if (n > 1000)
			break;		/* a walker that never ends fails below, not here */
	}
	return n;
}

static unsigned int walk_ext(struct sim *s, struct pci_cap_iter *it)
{
	struct pci_cfg_view v = view_of(s);
	unsigned int n = 0;

	pci_cap_iter_init(it);
	while (pci_ext_cap_next(&v, it) && n <= 2000)
		n++;
	return n;
}

/* before: 0x34 -> 0x40 -> 0x60 -> 0x80, ending.  after: three entries, not broken. */
HOST_TEST(pci_cap_list_is_walked_in_order)
{
	struct sim *s = sim_new(256);
	struct pci_cap_iter it;
	u16 pos[64];

	s->space[PCI_CAPABILITY_LIST] = 0x40;
	s->space[0x40] = PCI_CAP_ID_PM;
	s->space[0x41] = 0x60;
	s->space[0x60] = PCI_CAP_ID_MSIX;
	s->space[0x61] = 0x80;
	s->space[0x80] = PCI_CAP_ID_VNDR;
	EXPECT_EQ(walk(s, &it, pos), 3);
	EXPECT_EQ(pos[0], 0x40);
	EXPECT_EQ(pos[1], 0x60);
	EXPECT_EQ(pos[2], 0x80);
	EXPECT_TRUE(!it.broken);
	struct pci_cfg_view v = view_of(s);

	EXPECT_EQ(pci_cap_find(&v, 0, PCI_CAP_ID_MSIX), 0x60);
	EXPECT_EQ(pci_cap_find(&v, 0x60, PCI_CAP_ID_MSIX), 0);
	EXPECT_EQ(pci_cap_find(&v, 0, PCI_CAP_ID_VNDR), 0x80);
	EXPECT_EQ(pci_cap_find(&v, 0, PCI_CAP_ID_MSI), 0);
	sim_free(s);
}

/* 0x40 -> 0x80 -> 0x40: cut at the first repeat; and a self-loop at the first entry. */
HOST_TEST(pci_cap_loops_are_cut)
{
	struct sim *s = sim_new(256);
	struct pci_cap_iter it;

	s->space[PCI_CAPABILITY_LIST] = 0x40;
	s->space[0x41] = 0x80;
	s->space[0x81] = 0x40;
	EXPECT_EQ(walk(s, &it, NULL), 2);
	EXPECT_TRUE(it.broken);
	EXPECT_EQ(it.bad_pos, 0x40);
	s->space[0x41] = 0x40;
	EXPECT_EQ(walk(s, &it, NULL), 1);
	EXPECT_TRUE(it.broken);
	/* Every dword of 0x40..0xfc in a chain, the last pointing back: 48 entries, then cut. */
	for (u16 p = 0x40; p <= 0xfc; p += 4)
		s->space[p + 1] = p == 0xfc ? 0x40 : (u8)(p + 4);
	EXPECT_EQ(walk(s, &it, NULL), PCI_CAP_MAX);
	EXPECT_TRUE(it.broken);
	sim_free(s);
}

HOST_TEST(pci_cap_bad_pointers_stop_the_walk)
{
	struct sim *s = sim_new(256);
	struct pci_cap_iter it;
	static const u8 bad[] = { 0x01, 0x10, 0x34, 0x3c, 0x41, 0x42, 0x43, 0xfd, 0xfe, 0xff };

	for (unsigned int i = 0; i < sizeof(bad); i++) {
		s->space[PCI_CAPABILITY_LIST] = bad[i];
		EXPECT_EQ(walk(s, &it, NULL), 0);
		EXPECT_TRUE(it.broken);
		EXPECT_EQ(it.bad_pos, bad[i]);
	}
	/* A good first entry whose next pointer is bad: the good one is still returned. */
	s->space[PCI_CAPABILITY_LIST] = 0xfc;
	s->space[0xfd] = 0x21;
	EXPECT_EQ(walk(s, &it, NULL), 1);
	EXPECT_TRUE(it.broken);
	/* No list bit in the status: nothing, whatever 0x34 says; all-ones status: gone. */
	s->space[PCI_STATUS] = 0;
	EXPECT_EQ(walk(s, &it, NULL), 0);
	EXPECT_TRUE(!it.broken);
	memset(s->space, 0xff, 256);
	EXPECT_EQ(walk(s, &it, NULL), 0);
	EXPECT_TRUE(!it.broken);
	sim_free(s);
}

/* Small deterministic PRNG: the same spaces on every run. */
static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u32 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u32)rng_state;
}

/* Random spaces: the walk ends within 48 entries, each legal and seen once. */
HOST_TEST(pci_cap_random_spaces_always_end)
{
	struct sim *s = sim_new(256);
	unsigned int broken = 0, clean = 0;

	for (int round = 0; round < 20000; round++) {
		struct pci_cap_iter it;
		u16 pos[64];

		for (unsigned int i = 0; i < 256; i++)
			s->space[i] = (u8)rnd();
		/* Mostly aligned, in-range pointers, so that long chains and loops happen. */
		for (unsigned int p = 0x40; p < 0x100; p += 4)
			if (rnd() % 8)
				s->space[p + 1] = (u8)(0x40 + 4 * (rnd() % 49)) % 0x100;
		s->space[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
		s->space[PCI_STATUS + 1] = 0;
		unsigned int n = walk(s, &it, pos);

		ASSERT_TRUE(n <= PCI_CAP_MAX);
		for (unsigned int i = 0; i < n; i++) {
			EXPECT_TRUE(pos[i] >= 0x40 && pos[i] <= 0xfc && !(pos[i] & 3));
			for (unsigned int j = 0; j < i; j++)
				EXPECT_NE(pos[i], pos[j]);
		}
		if (it.broken)
			broken++;
		else
			clean++;
	}
	/* Both outcomes must actually have been exercised. */
	EXPECT_GT(broken, 100);
	EXPECT_GT(clean, 100);
	sim_free(s);
}

/* Extended list: 0x100 -> 0x200 -> 0x100 loops; pointers below 0x100 or unaligned stop. */
HOST_TEST(pci_ext_cap_bad_lists_stop)
{
	struct sim *s = sim_new(4096);
	struct pci_cap_iter it;
	struct pci_cfg_view v = view_of(s);

	put32(s, 0x100, 0x0001u | 1u << 16 | 0x200u << 20);	/* AER -> 0x200 */
	put32(s, 0x200, 0x000du | 1u << 16 | 0x100u << 20);	/* ACS -> 0x100: loop */
	EXPECT_EQ(walk_ext(s, &it), 2);
	EXPECT_TRUE(it.broken);
	EXPECT_EQ(pci_ext_cap_find(&v, 0x000d), 0x200);
	put32(s, 0x200, 0x000du | 1u << 16 | 0x0c0u << 20);	/* -> 0xc0: below 0x100 */
	EXPECT_EQ(walk_ext(s, &it), 2);
	EXPECT_TRUE(it.broken);
	put32(s, 0x200, 0x000du | 1u << 16 | 0x302u << 20);	/* unaligned */
	EXPECT_EQ(walk_ext(s, &it), 2);
	EXPECT_TRUE(it.broken);
	put32(s, 0x200, 0x000du | 1u << 16 | 0xffcu << 20);	/* the last dword, ending */
	put32(s, 0xffc, 0x0003u | 1u << 16);
	EXPECT_EQ(walk_ext(s, &it), 3);
	EXPECT_TRUE(!it.broken);
	/* A conventional-only view never reads the extended space. */
	v.size = 256;
	unsigned long before = s->reads;

	pci_cap_iter_init(&it);
	EXPECT_TRUE(!pci_ext_cap_next(&v, &it));
	EXPECT_EQ(s->reads, before);
	/* Random extended lists end within the bound. */
	for (int round = 0; round < 2000; round++) {
		for (unsigned int p = 0x100; p < 0x1000; p += 4)
			put32(s, p, rnd() % 4 ? (0x100u + 4 * (rnd() % 960)) << 20 | rnd() % 0x20
					      : rnd());
		unsigned int n = walk_ext(s, &it);

		ASSERT_TRUE(n <= PCI_EXT_CAP_MAX);
	}
	sim_free(s);
}

/* Every size of every BAR kind: the mask the device reads back decodes to that size. */
HOST_TEST(pci_bar_decode_every_size)
{
	struct pci_bar_decoded d;

	for (unsigned int bit = 4; bit < 32; bit++) {		/* 32-bit memory: 16 B .. 2 GiB */
		u32 mask = ~0u << bit;

		EXPECT_TRUE(!pci_bar_decode(0, mask, 0, 0, true, &d));
		EXPECT_EQ(d.size, 1ull << bit);
		EXPECT_EQ(d.flags, PCI_BAR_MEM);
		EXPECT_TRUE(!pci_bar_decode(0x8, mask | 0x8, 0, 0, true, &d));
		EXPECT_EQ(d.flags, PCI_BAR_MEM | PCI_BAR_PREFETCH);
	}
	for (unsigned int bit = 4; bit < 64; bit++) {		/* 64-bit memory: to 2^63 */
		u64 mask = ~0ull << bit;

		EXPECT_TRUE(!pci_bar_decode(0xc, (u32)mask | 0xc, 0x1, (u32)(mask >> 32), true,
					    &d));
		EXPECT_EQ(d.size, 1ull << bit);
		EXPECT_EQ(d.addr, 1ull << 32);
		EXPECT_EQ(d.flags, PCI_BAR_MEM | PCI_BAR_64 | PCI_BAR_PREFETCH);
	}
	for (unsigned int bit = 2; bit < 16; bit++) {		/* I/O, 16-bit decoder */
		u32 mask = (0xffffu << bit) & 0xffff;

		EXPECT_TRUE(!pci_bar_decode(0x1, mask | 1, 0, 0, true, &d));
		EXPECT_EQ(d.size, 1ull << bit);
		EXPECT_EQ(d.flags, PCI_BAR_IO);
		EXPECT_TRUE(!pci_bar_decode(0x1, (~0u << bit) | 1, 0, 0, true, &d));
		EXPECT_EQ(d.size, 1ull << bit);
	}
	/* Unimplemented: nothing decodes. */
	EXPECT_TRUE(!pci_bar_decode(0, 0, 0, 0, true, &d));
	EXPECT_EQ(d.flags, 0);
	EXPECT_TRUE(!pci_bar_decode(0x1, 0x1, 0, 0, true, &d));
	EXPECT_EQ(d.size, 0);
}

/* Masks with holes, reserved types, and a 64-bit BAR with no upper half are refused. */
HOST_TEST(pci_bar_decode_rejects_nonsense)
{
	struct pci_bar_decoded d;
	unsigned int refused = 0;

	EXPECT_TRUE(pci_bar_decode(0, 0xfff0f000, 0, 0, true, &d) != NULL);
	EXPECT_TRUE(pci_bar_decode(0x1, 0xff0fff01, 0, 0, true, &d) != NULL);
	EXPECT_TRUE(pci_bar_decode(0x4, 0xfffff004, 0, 0, false, &d) != NULL);
	EXPECT_TRUE(pci_bar_decode(0x2, 0xfffff002, 0, 0, true, &d) != NULL);
	EXPECT_TRUE(pci_bar_decode(0x6, 0xfffff006, 0, 0, true, &d) != NULL);
	EXPECT_TRUE(pci_bar_decode(0x4, 0x00000004, 0, 0x0f0fffff, true, &d) != NULL);
	/* Random memory masks: accepted exactly when the size is a power of two. */
	for (int i = 0; i < 100000; i++) {
		u32 m = rnd() & ~0xfu;
		const char *err = pci_bar_decode(0, m, 0, 0, true, &d);
		u64 size = (u64)(u32)(~m + 1);

		if (!m)
			continue;
		if (err)
			refused++;
		else
			EXPECT_EQ(d.size & (d.size - 1), 0);
		EXPECT_EQ(!err, size && !(size & (size - 1)) && (u32)(m + size) == 0);
	}
	EXPECT_GT(refused, 1000);
}
