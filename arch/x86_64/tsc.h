/* SPDX-License-Identifier: MIT */
/* The TSC as Tessera's clock: calibrated once against the PIT. */
#ifndef ARCH_X86_64_TSC_H
#define ARCH_X86_64_TSC_H

#include "kernel/compiler.h"

/* Calibrate; arch_clock_ns() counts from `boot_tsc`. Boot CPU, IRQs off, console up. */
void x86_tsc_init(u64 boot_tsc);

#endif /* ARCH_X86_64_TSC_H */
