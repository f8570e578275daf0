// SPDX-License-Identifier: MIT
/*
 * ktest suite `riscv`: what the riscv64 boot path promises — the boot hart is CPU 0 with its
 * hart id recorded, the Image header and relocation are right, SBI answers, the clock runs,
 * the FDT parser gives the same answer twice and refuses a damaged blob, and every hart that
 * came up runs as the CPU it was started as, with its own tick.
 */
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/sbi.h>
#include "arch/arch.h"
#include "arch/riscv64/cpu_local.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/trap.h"
#include "boot/fdt_boot.h"
#include "kernel/boot_info.h"
#include "kernel/cpumask.h"
#include "kernel/ktest.h"
#include "kernel/lib/string.h"
#include "kernel/smp.h"
#include "kernel/tick.h"

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
	{}
};

KTEST_SUITE(riscv, riscv_cases);
