// SPDX-License-Identifier: MIT
/*
 * The libgcc helper gcc calls on x86_64 for Tessera: without -mpopcnt (the POPCNT
 * instruction is not in the x86-64 baseline), __builtin_popcount*() becomes a call to
 * __popcountdi2(). The kernel links without libgcc, whose objects assume the small code
 * model and would not link in the top 2 GiB.
 *
 * Name and semantics are gcc's (gcc internals manual, "Integer library routines").
 */
#include "kernel/compiler.h"

int __popcountdi2(u64 x);

/*
 * Sideways addition: add neighbouring bit counts in ever wider fields, without a loop gcc
 * could turn back into the builtin. Worked on one byte, 0b11011010 (five bits set):
 *	pairs:   x - ((x >> 1) & 0x55)		-> 10 01 01 01  (2, 1, 1, 1)
 *	nibbles: (x & 0x33) + ((x >> 2) & 0x33)	-> 0011 0010    (3, 2)
 *	byte:    (x + (x >> 4)) & 0x0f		-> 0101         (5)
 * The multiply by 0x0101...01 then sums all eight byte counts into the top byte.
 */
int __popcountdi2(u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}
