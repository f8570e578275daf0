// SPDX-License-Identifier: MIT
/*
 * ktest suite `riscv`: what the riscv64 boot path promises — the boot hart is CPU 0 with its
 * hart id recorded, the Image header and relocation are right, SBI answers, the clock runs,
 * the FDT parser gives the same answer twice and refuses a damaged blob, and every hart that
 * came up runs as the CPU it was started as, with its own tick; and the Sv39 tables
 * (arch/riscv64/mm.c) say what they promise, read back by walking them in software.
 */
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "arch/riscv64/cpu_local.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/trap.h"
#include "boot/fdt_boot.h"
#include "arch/riscv64/pgtable.h"
#include <asm/csr.h>
#include <asm/io.h>
#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/ktest.h"
#include "kernel/lib/string.h"
#include "kernel/smp.h"
#include "kernel/tick.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"

/* Scratch for re-parsing: too big for the stack. Used by one test case at a time. */
static struct boot_info scratch_bi;
static u8 scratch_blob[16384];

/*
 * A code address stored in data: the compiler reads it from memory, where head.S had to
 * relocate it, and compares it with the same address computed PC-relatively in code.
 */
static void *volatile reloc_probe = (void *)riscv_trap_handler;

static void boot_hart_is_cpu0(struct ktest *t)
{
	const struct boot_cpu *c = &boot_info.cpus[boot_info.boot_cpu_index];

	KT_ASSERT_TRUE(t, boot_info.boot_cpu_index < boot_info.nr_cpus);
	KT_EXPECT_EQ(t, arch_smp_processor_id(), 0);
	KT_EXPECT_EQ(t, c->hwid, this_cpu_local()->hartid);
	KT_EXPECT_EQ(t, c->hwid, riscv_percpu_hdr()->hwid);
	KT_EXPECT_TRUE(t, c->enabled);
	KT_EXPECT_TRUE(t, arch_percpu_base() == (void *)riscv_percpu_hdr());
}

static void image_header_and_relocation(struct ktest *t)
{
	const u8 *h = (const u8 *)_start;
	u64 text_offset, image_size;

	memcpy(&text_offset, h + 8, 8);
	memcpy(&image_size, h + 16, 8);
	KT_EXPECT_EQ(t, text_offset, 0x200000);
	KT_EXPECT_EQ(t, image_size, (u64)(_end - _start));
	KT_EXPECT_EQ(t, memcmp(h + 48, "RISCV\0\0\0", 8), 0);
	KT_EXPECT_EQ(t, memcmp(h + 56, "RSC\x05", 4), 0);
	KT_EXPECT_TRUE(t, reloc_probe == (void *)riscv_trap_handler);
	ktest_log(t, "Image at %#lx, %ld bytes from its link address", (unsigned long)_start,
		  (long)riscv_load_offset);

	bool kernel_reserved = false;

	for (unsigned int i = 0; i < boot_info.nr_reserved; i++) {
		const struct boot_range *r = &boot_info.reserved[i];

		if (r->type == BOOT_RSV_KERNEL && r->base == (unsigned long)_start &&
		    r->size == (u64)(_end - _start))
			kernel_reserved = true;
	}
	KT_EXPECT_TRUE(t, kernel_reserved);
}

static void sbi_answers(struct ktest *t)
{
	u32 hartid = this_cpu_local()->hartid;

	KT_EXPECT_GE(t, sbi_spec_version(), 2);	/* v0.2 or later: Base extension */
	KT_EXPECT_TRUE(t, sbi_probe_extension(SBI_EXT_BASE));
	KT_EXPECT_FALSE(t, sbi_probe_extension(0x7fffffff));	/* nobody implements that */
	if (!sbi_probe_extension(SBI_EXT_HSM)) {
		ktest_skip(t, "no HSM extension");
		return;
	}
	KT_EXPECT_EQ(t, sbi_hart_get_status(hartid), SBI_HSM_STARTED);
}

static void irq_flags_nest(struct ktest *t)
{
	unsigned long outer = native_irq_save();
	unsigned long inner = native_irq_save();

	KT_EXPECT_TRUE(t, arch_irqs_disabled());
	KT_EXPECT_TRUE(t, native_irqs_disabled_flags(inner));
	native_irq_restore(inner);
	KT_EXPECT_TRUE(t, arch_irqs_disabled());	/* still inside the outer section */
	native_irq_restore(outer);
	KT_EXPECT_EQ(t, arch_irqs_disabled(), native_irqs_disabled_flags(outer));
}

/* Nanoseconds for a number of time CSR ticks. */
static u64 ticks_to_ns(u64 ticks)
{
	return ticks * 1000000000ULL / riscv_timebase_hz;
}

static void clock_follows_time_csr(struct ktest *t)
{
	/*
	 * Nest the reads so the clock interval must lie between two counter intervals:
	 * outer_start <= ns_start <= inner_start ... inner_end <= ns_end <= outer_end.
	 * (Under QEMU's TCG, the first call of a function can take long: warm both up.)
	 */
	arch_clock_ns();
	arch_cycles();
	u64 outer_start = arch_cycles();
	u64 ns_start = arch_clock_ns();
	u64 inner_start = arch_cycles();

	/* Spin for at least 1000 ticks (100 us at QEMU's 10 MHz). */
	while (arch_cycles() - inner_start < 1000)
		arch_cpu_relax();
	u64 inner_end = arch_cycles();
	u64 ns_end = arch_clock_ns();
	u64 outer_end = arch_cycles();
	/* One tick of slack at each end for the rounding down in both conversions. */
	u64 tick = ticks_to_ns(1) + 1;

	KT_EXPECT_GT(t, ns_end, ns_start);
	KT_EXPECT_GE(t, ns_end - ns_start + 2 * tick, ticks_to_ns(inner_end - inner_start));
	KT_EXPECT_LE(t, ns_end - ns_start, ticks_to_ns(outer_end - outer_start) + 2 * tick);
}

static void fdt_reparse_matches(struct ktest *t)
{
	u32 hartid = this_cpu_local()->hartid;

	memset(&scratch_bi, 0, sizeof(scratch_bi));
	KT_ASSERT_EQ(t, fdt_parse(&scratch_bi, boot_info.fdt, hartid), FDT_OK);
	KT_EXPECT_EQ(t, scratch_bi.nr_memory, boot_info.nr_memory);
	KT_EXPECT_EQ(t, scratch_bi.memory[0].base, boot_info.memory[0].base);
	KT_EXPECT_EQ(t, scratch_bi.memory[0].size, boot_info.memory[0].size);
	KT_EXPECT_EQ(t, scratch_bi.nr_cpus, boot_info.nr_cpus);
	KT_EXPECT_EQ(t, scratch_bi.boot_cpu_index, boot_info.boot_cpu_index);
	KT_EXPECT_EQ(t, scratch_bi.console_device, boot_info.console_device);
	KT_EXPECT_EQ(t, scratch_bi.timebase_hz, boot_info.timebase_hz);
	KT_EXPECT_STREQ(t, scratch_bi.cmdline, boot_info.cmdline);
}

static void fdt_rejects_damage(struct ktest *t)
{
	u32 size = boot_info.fdt_size, hartid = this_cpu_local()->hartid;

	if (size > sizeof(scratch_blob)) {
		ktest_skip(t, "device tree larger than the scratch buffer");
		return;
	}
	memcpy(scratch_blob, (const void *)(unsigned long)boot_info.fdt, size);

	/* before: a copy that parses. after each damage: an error and nothing recorded. */
	memset(&scratch_bi, 0, sizeof(scratch_bi));
	KT_EXPECT_EQ(t, fdt_parse_buf(&scratch_bi, scratch_blob, size, 0, hartid), FDT_OK);

	memset(&scratch_bi, 0, sizeof(scratch_bi));
	KT_EXPECT_LT(t, fdt_parse_buf(&scratch_bi, scratch_blob, size - 1, 0, hartid), 0);
	KT_EXPECT_EQ(t, scratch_bi.nr_memory + scratch_bi.nr_reserved + scratch_bi.nr_cpus, 0);

	scratch_blob[0] ^= 0xff;				/* magic */
	KT_EXPECT_EQ(t, fdt_parse_buf(&scratch_bi, scratch_blob, size, 0, hartid),
		     FDT_ERR_NOFDT);
	scratch_blob[0] ^= 0xff;

	/* The structure block's last token (FDT_END) turned into an unknown one. */
	u32 off = (u32)scratch_blob[8] << 24 | (u32)scratch_blob[9] << 16 |
		  (u32)scratch_blob[10] << 8 | scratch_blob[11];
	u32 len = (u32)scratch_blob[36] << 24 | (u32)scratch_blob[37] << 16 |
		  (u32)scratch_blob[38] << 8 | scratch_blob[39];

	KT_ASSERT_TRUE(t, off + len <= size && len >= 4);
	scratch_blob[off + len - 1] = 0x7f;
	KT_EXPECT_EQ(t, fdt_parse_buf(&scratch_bi, scratch_blob, size, 0, hartid),
		     FDT_ERR_STRUCT);
	KT_EXPECT_EQ(t, scratch_bi.nr_memory + scratch_bi.nr_reserved + scratch_bi.nr_cpus, 0);
	KT_EXPECT_EQ(t, scratch_bi.console_device, -1);
}

/* What each CPU says about itself, written by that CPU in a cross-CPU call. */
struct hart_report {
	u32 cpu;		/* arch_smp_processor_id() */
	u32 hartid;		/* riscv_cpu_local[].hartid */
	u32 hdr_hwid;		/* its percpu_hdr's hwid */
	long hsm_state;		/* SBI HSM status of its own hart */
	bool seen;
};

static struct hart_report hart_reports[NR_CPUS];

static void hart_report_self(void *info)
{
	unsigned int cpu = arch_smp_processor_id();
	struct hart_report *r = &((struct hart_report *)info)[cpu];

	r->cpu = cpu;
	r->hartid = this_cpu_local()->hartid;
	r->hdr_hwid = riscv_percpu_hdr()->hwid;
	r->hsm_state = sbi_hart_get_status(r->hartid);
	r->seen = true;
}

/*
 * Every online CPU answers from the hart kernel/smp.c numbered it for, SBI agrees the hart is
 * started, no hart answers twice, and a hart boot_info marks unusable (sifive_u's E51) is not
 * online.
 */
static void harts_match_cpus(struct ktest *t)
{
	unsigned int cpu, other;

	memset(hart_reports, 0, sizeof(hart_reports));
	on_each_cpu(hart_report_self, hart_reports, true);
	for_each_online_cpu(cpu) {
		const struct hart_report *r = &hart_reports[cpu];

		KT_ASSERT_TRUE(t, r->seen);
		KT_EXPECT_EQ(t, r->cpu, cpu);
		KT_EXPECT_EQ(t, r->hartid, cpu_hwid(cpu));
		KT_EXPECT_EQ(t, r->hdr_hwid, cpu_hwid(cpu));
		KT_EXPECT_EQ(t, r->hsm_state, SBI_HSM_STARTED);
		for_each_online_cpu(other)
			if (other != cpu)
				KT_EXPECT_NE(t, r->hartid, hart_reports[other].hartid);
	}
	for (unsigned int i = 0; i < boot_info.nr_cpus; i++) {
		if (boot_info.cpus[i].enabled)
			continue;
		for_each_online_cpu(cpu)
			KT_EXPECT_NE(t, cpu_hwid(cpu), boot_info.cpus[i].hwid);
	}
	ktest_log(t, "%u CPUs online, each on the hart it was started on",
		  num_online_cpus());
}

/* The SBI TIME tick reaches every online CPU, idle ones included (their wfi wakes up). */
static void tick_on_every_cpu(struct ktest *t)
{
	static u64 before[NR_CPUS];
	unsigned int cpu, behind = 0;
	u64 start = arch_clock_ns();

	KT_ASSERT_TRUE(t, !arch_irqs_disabled());
	for_each_online_cpu(cpu)
		before[cpu] = cpu_timer_ticks(cpu);
	/* 100 Hz: two ticks take 20 ms; allow 5 s for a slow, overloaded TCG host. */
	do {
		behind = 0;
		for_each_online_cpu(cpu)
			if (cpu_timer_ticks(cpu) < before[cpu] + 2)
				behind++;
		arch_cpu_relax();
	} while (behind && arch_clock_ns() - start < 5000000000ULL);
	for_each_online_cpu(cpu)
		KT_EXPECT_GE(t, cpu_timer_ticks(cpu), before[cpu] + 2);
	ktest_log(t, "every CPU ticked twice within %llu ms",
		  (unsigned long long)(arch_clock_ns() - start) / 1000000);
}


/* ---- Sv39 ---- */

/* A data word (RW-) and a read-only one (R--), for the permission walks. */
static unsigned long mmu_data_probe = 1;
static const unsigned long mmu_rodata_probe = 2;

/* The memory-type bits of a leaf: PBMT or T-Head's, whichever this hart uses. */
#define PTE_TYPE_MASK	(PTE_PBMT_MASK | PTE_THEAD_MASK)

/* Walk `va` and expect a leaf with exactly the R/W/X bits `rwx`, and A, D, G set. */
static void expect_leaf(struct ktest *t, const char *what, unsigned long va, pteval_t rwx,
			pteval_t type)
{
	struct riscv_walk w;

	if (!riscv_walk(va, &w)) {
		ktest_fail(t, __FILE__, __LINE__, "%s (%#lx) is not mapped (pte %#llx, level %u)",
			   what, va, (unsigned long long)w.pte, w.level);
		return;
	}
	KT_EXPECT_EQ(t, w.pte & (PTE_R | PTE_W | PTE_X), rwx);
	KT_EXPECT_EQ(t, w.pte & (PTE_A | PTE_D | PTE_G | PTE_U), PTE_A | PTE_D | PTE_G);
	KT_EXPECT_EQ(t, w.pte & PTE_TYPE_MASK, type);
}

static void expect_unmapped(struct ktest *t, const char *what, unsigned long va)
{
	struct riscv_walk w;

	if (riscv_walk(va, &w))
		ktest_fail(t, __FILE__, __LINE__, "%s (%#lx) is mapped: pte %#llx at level %u",
			   what, va, (unsigned long long)w.pte, w.level);
}

static void satp_report(void *info)
{
	((unsigned long *)info)[arch_smp_processor_id()] = csr_read(satp);
}

/* Translation is on, in Sv39, and every online CPU runs on the kernel's tables. */
static void mmu_every_cpu_on_kernel_tables(struct ktest *t)
{
	static unsigned long satps[NR_CPUS];
	unsigned int cpu;

	KT_ASSERT_TRUE(t, riscv_kernel_satp != 0);
	KT_EXPECT_EQ(t, riscv_kernel_satp >> SATP_MODE_SHIFT, SATP_MODE_SV39);
	memset(satps, 0, sizeof(satps));
	on_each_cpu(satp_report, satps, true);
	for_each_online_cpu(cpu)
		KT_EXPECT_EQ(t, satps[cpu], riscv_kernel_satp);
	ktest_log(t, "satp %#lx on all %u online CPUs", riscv_kernel_satp, num_online_cpus());
}

/*
 * before: a secondary CPU online on the kernel tables.
 * after:  taken offline (SBI HSM hart_stop) and started again (hart_start enters with
 *         satp = 0), it runs on the same tables again, its guard page still unmapped.
 */
static void mmu_cpu_back_from_hotplug(struct ktest *t)
{
	static unsigned long satps[NR_CPUS];
	unsigned int cpu, target = NR_CPUS;

	for_each_online_cpu(cpu)
		if (cpu != arch_smp_processor_id() && arch_cpu_can_offline(cpu))
			target = cpu;
	if (target == NR_CPUS) {
		ktest_skip(t, "no other CPU to take offline");
		return;
	}
	KT_ASSERT_EQ(t, cpu_down(target), 0);
	KT_ASSERT_EQ(t, cpu_up(target), 0);
	satps[target] = 0;
	KT_ASSERT_EQ(t, smp_call_function_single(target, satp_report, satps, true), 0);
	KT_EXPECT_EQ(t, satps[target], riscv_kernel_satp);
	expect_unmapped(t, "its guard page", riscv_cpu_local[target].stack_guard);
	ktest_log(t, "CPU %u back online with satp %#lx", target, satps[target]);
}

/*
 * before: the image as linked: text, rodata (+ registries), data, bss, boot stack.
 * after:  4 KiB leaves: text R-X, rodata R--, data and bss RW-: no page both W and X.
 */
static void mmu_image_permissions(struct ktest *t)
{
	pteval_t ram, io;
	const char *name;
	unsigned long va;
	struct riscv_walk w;
	unsigned int wx = 0;

	riscv_memory_types(&ram, &io, &name);
	expect_leaf(t, "text", (unsigned long)riscv_trap_handler, PTE_R | PTE_X, ram);
	expect_leaf(t, "the Image header", (unsigned long)_start, PTE_R | PTE_X, ram);
	expect_leaf(t, "rodata", (unsigned long)&mmu_rodata_probe, PTE_R, ram);
	expect_leaf(t, "data", (unsigned long)&mmu_data_probe, PTE_R | PTE_W, ram);
	expect_leaf(t, "bss", (unsigned long)&scratch_bi, PTE_R | PTE_W, ram);
	expect_leaf(t, "the boot stack", (unsigned long)&w, PTE_R | PTE_W, ram);
	for (va = (unsigned long)_start; va < (unsigned long)_end; va += PAGE_SIZE) {
		if (!riscv_walk(va, &w))
			continue;			/* the boot stack's guard */
		KT_EXPECT_EQ(t, w.level, 0);
		if ((w.pte & (PTE_W | PTE_X)) == (PTE_W | PTE_X))
			wx++;
	}
	KT_EXPECT_EQ(t, wx, 0);
	ktest_log(t, "%lu image pages, none writable and executable; memory types: %s",
		  (unsigned long)(_end - _start) / PAGE_SIZE, name);
}

/*
 * Every CPU that has a stack guard has it unmapped, with its stack mapped right above; the
 * boot CPU's is the page under head.S's boot stack; each secondary online CPU has one.
 */
static void mmu_stack_guards_unmapped(struct ktest *t)
{
	extern char boot_stack_guard[], boot_stack[];
	unsigned int cpu, n = 0;
	pteval_t ram, io;
	const char *name;

	riscv_memory_types(&ram, &io, &name);
	KT_EXPECT_EQ(t, riscv_cpu_local[0].stack_guard, (unsigned long)boot_stack_guard);
	KT_EXPECT_EQ(t, (unsigned long)boot_stack - (unsigned long)boot_stack_guard, PAGE_SIZE);
	for_each_online_cpu(cpu) {
		unsigned long g = riscv_cpu_local[cpu].stack_guard;

		KT_EXPECT_NE(t, g, 0);
		KT_EXPECT_NE(t, riscv_cpu_local[cpu].overflow_sp, 0);
		if (!g)
			continue;
		expect_unmapped(t, "a stack guard page", g);
		expect_leaf(t, "the stack above its guard", g + PAGE_SIZE, PTE_R | PTE_W, ram);
		KT_EXPECT_EQ(t, riscv_guard_page_owner(g + 8), (int)cpu);
		n++;
	}
	ktest_log(t, "%u guard pages unmapped", n);
}

/* Is the 2 MiB block around `va` split into 4 KiB pages on purpose (image, guard page)? */
static bool block_split_on_purpose(unsigned long va)
{
	if (va >> PMD_SHIFT == (unsigned long)_start >> PMD_SHIFT ||
	    va >> PMD_SHIFT == ((unsigned long)_end - 1) >> PMD_SHIFT)
		return true;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (riscv_cpu_local[cpu].stack_guard &&
		    riscv_cpu_local[cpu].stack_guard >> PMD_SHIFT == va >> PMD_SHIFT)
			return true;
	return false;
}

/*
 * RAM is mapped RW- and never executable, in large pages: a 2 MiB block from the allocator
 * lies in one 2 MiB or 1 GiB leaf, unless its block holds the image or a guard page.
 */
static void mmu_direct_map_large_pages(struct ktest *t)
{
	pteval_t ram, io;
	const char *name;
	struct riscv_walk w;
	unsigned long block = __get_free_pages(GFP_KERNEL, PAGEBLOCK_ORDER);

	KT_ASSERT_TRUE(t, block != 0);
	riscv_memory_types(&ram, &io, &name);
	expect_leaf(t, "a 2 MiB block", block, PTE_R | PTE_W, ram);
	expect_leaf(t, "its last page", block + (PAGE_SIZE << PAGEBLOCK_ORDER) - PAGE_SIZE,
		    PTE_R | PTE_W, ram);
	KT_EXPECT_TRUE(t, riscv_walk(block, &w));
	if (!block_split_on_purpose(block))
		KT_EXPECT_GE(t, w.level, 1);
	ktest_log(t, "a 2 MiB block at %#lx: in a %s leaf", block,
		  w.level == 2 ? "1 GiB" : w.level == 1 ? "2 MiB" : "4 KiB (split on purpose)");
	free_pages(block, PAGEBLOCK_ORDER);
}

/* The device tree's devices are mapped RW- with the I/O memory type. */
static void mmu_devices_mapped_as_io(struct ktest *t)
{
	pteval_t ram, io;
	const char *name;
	unsigned int n = 0;

	riscv_memory_types(&ram, &io, &name);
	if (boot_info.irqchip.compatible[0]) {
		expect_leaf(t, "the PLIC", boot_info.irqchip.base, PTE_R | PTE_W, io);
		n++;
	}
	for (unsigned int i = 0; i < boot_info.nr_devices; i++) {
		if (!boot_info.devices[i].base)
			continue;
		expect_leaf(t, boot_info.devices[i].compatible, boot_info.devices[i].base,
			    PTE_R | PTE_W, io);
		n++;
	}
	for (unsigned int i = 0; i < boot_info.nr_pci_hosts; i++) {
		if (!boot_info.pci_hosts[i].ecam_base)
			continue;
		expect_leaf(t, "PCI ECAM", boot_info.pci_hosts[i].ecam_base, PTE_R | PTE_W, io);
		n++;
	}
	KT_EXPECT_GT(t, n, 0);
	ktest_log(t, "%u device ranges mapped as I/O (%s)", n, name);
}

/*
 * before: QEMU's boot ROM at 0x1000 is in no device tree node, so nothing maps it.
 * after:  arch_ioremap() maps it as I/O in the live tables, and a read through it works.
 */
static void mmu_ioremap_maps_on_demand(struct ktest *t)
{
	const unsigned long rom = 0x1000;
	pteval_t ram, io;
	const char *name;
	struct riscv_walk w;

	if (riscv_walk(rom, &w)) {
		ktest_skip(t, "0x1000 is already mapped (a second run, or a board that uses it)");
		return;
	}
	riscv_memory_types(&ram, &io, &name);
	u32 *p = arch_ioremap(rom, 4);

	KT_ASSERT_TRUE(t, p == (u32 *)rom);
	expect_leaf(t, "the ioremapped boot ROM", rom, PTE_R | PTE_W, io);
	ktest_log(t, "read %#x through the new mapping", readl(p));
}

/*
 * The T-Head CSR probe on a hart without th.sxstatus (any non-T-Head hart, QEMU's rv64):
 * the illegal instruction is skipped and reported, not fatal; the probe can run again.
 */
static void csr_probe_survives_missing_csr(struct ktest *t)
{
	unsigned long v = 1;

	if (sbi_get_mvendorid() == MVENDORID_THEAD) {
		ktest_skip(t, "a T-Head hart: th.sxstatus exists");
		return;
	}
	KT_EXPECT_FALSE(t, riscv_csr_probe_sxstatus(&v));
	KT_EXPECT_EQ(t, v, 0);
	KT_EXPECT_FALSE(t, riscv_csr_probe_sxstatus(&v));
	KT_EXPECT_FALSE(t, this_cpu_local()->csr_probing);
}

/*
 * `ktest_stack_guard[=CPU]` on the command line: run CPU (default 0) off the bottom of its
 * stack on purpose, to show the guard page fault and its report. Never returns: the trap
 * handler ends the run as failed.
 */
static __noinline unsigned long overflow_stack(unsigned long depth)
{
	volatile u8 frame[512];

	frame[0] = (u8)depth;
	if (depth > 100000)		/* never: 50 MB of stack; keeps gcc's recursion check quiet */
		return frame[0];
	return overflow_stack(depth + 1) + frame[0];
}

static void overflow_here(void *info)
{
	(void)info;
	overflow_stack(0);
}

static void stack_guard_on_request(struct ktest *t)
{
	unsigned long cpu = 0;

	if (!cmdline_has("ktest_stack_guard")) {
		ktest_skip(t, "needs ktest_stack_guard[=CPU] on the command line");
		return;
	}
	cmdline_get_ulong("ktest_stack_guard", &cpu);
	if (cpu >= NR_CPUS || !cpu_online((unsigned int)cpu)) {
		ktest_fail(t, __FILE__, __LINE__, "ktest_stack_guard=%lu: no such online CPU", cpu);
		return;
	}
	ktest_log(t, "running CPU %lu off the end of its stack on purpose", cpu);
	if (cpu == arch_smp_processor_id())
		overflow_here(NULL);
	else
		smp_call_function_single((unsigned int)cpu, overflow_here, NULL, true);
	KT_EXPECT_TRUE(t, false);	/* not reached: the fault ends the run */
}

static struct ktest_case riscv_cases[] = {
	KTEST_CASE(boot_hart_is_cpu0),
	KTEST_CASE(image_header_and_relocation),
	KTEST_CASE(sbi_answers),
	KTEST_CASE(irq_flags_nest),
	KTEST_CASE(clock_follows_time_csr),
	KTEST_CASE(fdt_reparse_matches),
	KTEST_CASE(fdt_rejects_damage),
	KTEST_CASE(harts_match_cpus),
	KTEST_CASE(tick_on_every_cpu),
	KTEST_CASE(mmu_every_cpu_on_kernel_tables),
	KTEST_CASE(mmu_cpu_back_from_hotplug),
	KTEST_CASE(mmu_image_permissions),
	KTEST_CASE(mmu_stack_guards_unmapped),
	KTEST_CASE(mmu_direct_map_large_pages),
	KTEST_CASE(mmu_devices_mapped_as_io),
	KTEST_CASE(mmu_ioremap_maps_on_demand),
	KTEST_CASE(csr_probe_survives_missing_csr),
	KTEST_CASE(stack_guard_on_request),
	{}
};

KTEST_SUITE(riscv, riscv_cases);
