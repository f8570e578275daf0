/* SPDX-License-Identifier: MIT */
/*
 * BUG_ON for corruption that must stop the kernel, WARN_ON for what can be recovered from.
 * Messages name the file and line; WARN_ON evaluates to its condition so it can guard the
 * recovery: `if (WARN_ON(order > MAX_PAGE_ORDER)) return NULL;`.
 */
#ifndef KERNEL_BUG_H
#define KERNEL_BUG_H

#include "kernel/compiler.h"
#include "kernel/printk.h"

__printf(1, 2) __noreturn __cold void panic(const char *fmt, ...);
__cold void __warn(const char *file, int line, const char *cond);
/* Total WARNs since boot: tests fail when it moves. */
unsigned long warn_count(void);

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__,	\
			      __LINE__);				\
	} while (0)

#define WARN_ON(cond) ({						\
	bool __w = !!(cond);						\
	if (unlikely(__w))						\
		__warn(__FILE__, __LINE__, #cond);			\
	unlikely(__w);							\
})

/* Like WARN_ON with a message that names the values involved (FreeBSD KASSERT style). */
#define WARN(cond, fmt, ...) ({						\
	bool __w = !!(cond);						\
	if (unlikely(__w)) {						\
		pr_warn(fmt, ##__VA_ARGS__);				\
		__warn(__FILE__, __LINE__, #cond);			\
	}								\
	unlikely(__w);							\
})

#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __w = !!(cond);						\
	if (unlikely(__w) && !__warned) {				\
		__warned = true;					\
		__warn(__FILE__, __LINE__, #cond);			\
	}								\
	unlikely(__w);							\
})

#endif /* KERNEL_BUG_H */
