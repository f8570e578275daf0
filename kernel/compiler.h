/* SPDX-License-Identifier: MIT */
/* Compiler helpers shared by every file: attributes, barriers, READ_ONCE, container_of. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 phys_addr_t;	/* a physical address, in bytes */
typedef u64 pfn_t;		/* a physical page frame number */

#ifndef __noreturn
#define __noreturn	__attribute__((noreturn))
#endif
#ifndef __packed
#define __packed	__attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((aligned(x)))
#endif
#ifndef __section
#define __section(s)	__attribute__((section(s)))
#endif
#ifndef __used
#define __used		__attribute__((used))
#endif
#ifndef __unused
#define __unused	__attribute__((unused))
#endif
#ifndef __weak
#define __weak		__attribute__((weak))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#ifndef __noinline
#define __noinline	__attribute__((noinline))
#endif
#ifndef __cold
#define __cold		__attribute__((cold))
#endif
#ifndef __must_check
#define __must_check	__attribute__((warn_unused_result))
#endif
#ifndef __cleanup
#define __cleanup(f)	__attribute__((cleanup(f)))
#endif

/* Sparse-style lock annotations: documentation for readers, free for the compiler. */
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Stops the compiler from moving memory accesses across this point (not the CPU). */
#define barrier()	__asm__ __volatile__("" ::: "memory")

/*
 * READ_ONCE/WRITE_ONCE: one access of the full width that the compiler may not tear,
 * repeat or elide. Use them for every field read without its lock.
 */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

/* Each expansion gets its own temporaries, so min(a, min(b, c)) does not shadow. */
#define __MM_PASTE_(a, b)	a##b
#define __MM_PASTE(a, b)	__MM_PASTE_(a, b)
#define __cmp_once(op, a, b, ua, ub) \
	({ __typeof__(a) ua = (a); __typeof__(b) ub = (b); ua op ub ? ua : ub; })
#define min(a, b)	__cmp_once(<, a, b, __MM_PASTE(__min_a, __COUNTER__), \
				   __MM_PASTE(__min_b, __COUNTER__))
#define max(a, b)	__cmp_once(>, a, b, __MM_PASTE(__max_a, __COUNTER__), \
				   __MM_PASTE(__max_b, __COUNTER__))
#define min_t(t, a, b)	min((t)(a), (t)(b))
#define max_t(t, a, b)	max((t)(a), (t)(b))

#define SZ_1K	0x400UL
#define SZ_4K	0x1000UL
#define SZ_1M	0x100000UL
#define SZ_2M	0x200000UL
#define SZ_16M	0x1000000UL
#define SZ_1G	0x40000000UL
#define SZ_4G	0x100000000UL

#define BIT(n)	(1UL << (n))

#endif /* KERNEL_COMPILER_H */
