// SPDX-License-Identifier: MIT
/*
 * The kernel/lib/string.h functions glibc lacks (strlcpy before glibc 2.38), for the kernel
 * code the host tests link (kernel/cmdline.c). One copy for both shims (tests/host/shim and
 * tests/host/smp/shim.c). Weak: a glibc that has strlcpy() wins.
 */
#include <string.h>

#include "kernel/lib/string.h"

__attribute__((weak)) size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}
