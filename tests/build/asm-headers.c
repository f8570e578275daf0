// SPDX-License-Identifier: MIT
/*
 * Both ports must provide the same set of leaf headers (STYLE.md rule 1): this file includes
 * every one of them and is compiled for each ARCH by `make` (tests/build/build.mk), so a
 * header that one port forgets breaks the build of that port at once.
 */
#include <asm/barrier.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/memory.h>
#include <asm/processor.h>
#include <asm/smp.h>

/* Something to compile: the page size is what every port agrees on. */
_Static_assert(PAGE_SIZE == 4096, "Tessera assumes 4 KiB pages on every arch");
