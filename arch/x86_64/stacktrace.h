/* SPDX-License-Identifier: MIT */
/* Frame-pointer backtraces for x86_64: from the current frame or from a trap frame. */
#ifndef ARCH_X86_64_STACKTRACE_H
#define ARCH_X86_64_STACKTRACE_H

#include "kernel/compiler.h"

/* Print `rip`, then the return addresses found by following the rbp chain from `rbp`. */
void x86_dump_stack_from(unsigned long rip, unsigned long rbp);

#endif /* ARCH_X86_64_STACKTRACE_H */
