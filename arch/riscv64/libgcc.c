// SPDX-License-Identifier: MIT
/*
 * The few libgcc helpers gcc calls on riscv64: rv64imac has no count-leading/trailing-zeros,
 * population-count or byte-swap instruction (those are Zbb), so __builtin_ctzl() and friends
 * become calls to __ctzdi2() and friends. We do not link libgcc: the Debian toolchain's
 * multilib for -march=rv64imac_zicsr_zifencei falls back to an lp64d, medlow build, which
 * would not link at 0x80200000. These are written without loops that gcc could turn back
 * into the very builtins they implement.
 *
 * Names and semantics are gcc's (gcc internals manual, "Integer library routines"):
 * "si" = 32-bit, "di" = 64-bit arguments; clz/ctz of 0 are undefined there and return the
 * width here.
 */
#include "kernel/compiler.h"

int __clzsi2(u32 x);
int __clzdi2(u64 x);
int __ctzsi2(u32 x);
int __ctzdi2(u64 x);
int __ffsdi2(u64 x);
int __popcountsi2(u32 x);
int __popcountdi2(u64 x);
int __paritysi2(u32 x);
int __paritydi2(u64 x);
u32 __bswapsi2(u32 x);
u64 __bswapdi2(u64 x);

/* Binary search: halve the window each step (32, 16, 8, 4, 2, 1 bits). */
int __clzdi2(u64 x)
{
	int n = 0;

	if (!x)
		return 64;
	if (!(x >> 32)) { n += 32; x <<= 32; }
	if (!(x >> 48)) { n += 16; x <<= 16; }
	if (!(x >> 56)) { n += 8; x <<= 8; }
	if (!(x >> 60)) { n += 4; x <<= 4; }
	if (!(x >> 62)) { n += 2; x <<= 2; }
	if (!(x >> 63)) n += 1;
	return n;
}

int __clzsi2(u32 x)
{
	return __clzdi2(x) - 32;
}

int __ctzdi2(u64 x)
{
	int n = 0;

	if (!x)
		return 64;
	if (!(x & 0xffffffffULL)) { n += 32; x >>= 32; }
	if (!(x & 0xffff)) { n += 16; x >>= 16; }
	if (!(x & 0xff)) { n += 8; x >>= 8; }
	if (!(x & 0xf)) { n += 4; x >>= 4; }
	if (!(x & 0x3)) { n += 2; x >>= 2; }
	if (!(x & 0x1)) n += 1;
	return n;
}

int __ctzsi2(u32 x)
{
	return x ? __ctzdi2(x) : 32;
}

/* ffs: 1 + index of the lowest set bit, 0 for 0. */
int __ffsdi2(u64 x)
{
	return x ? __ctzdi2(x) + 1 : 0;
}

/*
 * Sum bits in parallel: pairs (each 2-bit field holds its count), then nibbles, then bytes;
 * the multiply adds all byte counts into the top byte.
 */
int __popcountdi2(u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}

int __popcountsi2(u32 x)
{
	return __popcountdi2(x);
}

/* Fold halves together with xor: the low bit ends up as the xor of all bits. */
int __paritydi2(u64 x)
{
	x ^= x >> 32;
	x ^= x >> 16;
	x ^= x >> 8;
	x ^= x >> 4;
	x ^= x >> 2;
	x ^= x >> 1;
	return (int)(x & 1);
}

int __paritysi2(u32 x)
{
	return __paritydi2(x);
}

u32 __bswapsi2(u32 x)
{
	return (x >> 24) | ((x >> 8) & 0xff00) | ((x << 8) & 0xff0000) | (x << 24);
}

u64 __bswapdi2(u64 x)
{
	return ((u64)__bswapsi2((u32)x) << 32) | __bswapsi2((u32)(x >> 32));
}
