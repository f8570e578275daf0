// SPDX-License-Identifier: MIT
/*
 * Frame-pointer backtraces. Everything is built with -fno-omit-frame-pointer, so each frame
 * starts with the caller's rbp and, just above it, the return address:
 *
 *	rbp -> [ saved rbp of the caller ]	the next frame record
 *	       [ return address          ]	printed
 *
 * head.S starts the chain with rbp = 0 and entry.S adds a record for the interrupted code.
 * Addresses only; look them up with `addr2line -e build/x86_64/kernel.elf ADDR` or in
 * build/x86_64/kernel.sym.
 *
 * The chain may be corrupt (that is often why we are printing it): each record is checked
 * to be aligned, in the kernel half and mapped before it is read.
 */
#include "arch/arch.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/stacktrace.h"
#include "kernel/printk.h"
#include <asm/memory.h>

#define STACKTRACE_MAX_FRAMES	32

static bool frame_record_ok(unsigned long fp)
{
	if (!fp || !IS_ALIGNED(fp, 8) || fp < PAGE_OFFSET)
		return false;
	/* Both words; the second may be on the next page. */
	return x86_virt_mapped(fp) && x86_virt_mapped(fp + 8);
}

/**
 * x86_dump_stack_from() - print a backtrace.
 * @rip: the first address to print (where the CPU was)
 * @rbp: the frame record of the function containing @rip
 *
 * Context: Any CPU, any context; reads only memory it has checked is mapped.
 */
void x86_dump_stack_from(unsigned long rip, unsigned long rbp)
{
	printk(KERN_EMERG "Call Trace:\n");
	printk(KERN_EMERG " [<%016lx>]\n", rip);
	for (unsigned int i = 0; i < STACKTRACE_MAX_FRAMES; i++) {
		if (!frame_record_ok(rbp))
			return;
		const unsigned long *record = (const unsigned long *)rbp;
		unsigned long next = record[0], ret = record[1];

		if (!ret)
			return;
		printk(KERN_EMERG " [<%016lx>]\n", ret);
		if (next == rbp)	/* a record pointing at itself would loop forever */
			return;
		rbp = next;
	}
	printk(KERN_EMERG " ... (more than %u frames)\n", STACKTRACE_MAX_FRAMES);
}

/* Noinline: its own frame record is where the walk starts, naming its caller first. */
__noinline void arch_dump_stack(void)
{
	const unsigned long *record = __builtin_frame_address(0);

	x86_dump_stack_from(record[1], record[0]);
}
