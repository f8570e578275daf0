// SPDX-License-Identifier: MIT
/*
 * ktest suite `kernel`: the pieces of kernel/ every other suite relies on — the command-line
 * parser, printk's formatter, string helpers, spinlocks and guards, and boot_info as the arch
 * filled it. Also the deliberate-fault case that shows the exception dump.
 */
#include "kernel/ktest.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/boot_info.h"
#include "kernel/spinlock.h"
#include "kernel/lib/string.h"
#include "arch/arch.h"

static void cmdline_key_value(struct ktest *t)
{
	char buf[32];

	KT_EXPECT_TRUE(t, cmdline_find("a=1 bb=two c", "bb", buf, sizeof(buf)));
	KT_EXPECT_STREQ(t, buf, "two");
	KT_EXPECT_TRUE(t, cmdline_find("a=1 bb=two c", "c", buf, sizeof(buf)));
	KT_EXPECT_STREQ(t, buf, "");
	KT_EXPECT_FALSE(t, cmdline_find("a=1 bb=two c", "b", buf, sizeof(buf)));
	KT_EXPECT_FALSE(t, cmdline_find("", "a", buf, sizeof(buf)));
}

static void cmdline_quoted_value(struct ktest *t)
{
	char buf[32];

	KT_EXPECT_TRUE(t, cmdline_find("x shell.run=\"cpus; buddyinfo\" y=2", "shell.run",
				       buf, sizeof(buf)));
	KT_EXPECT_STREQ(t, buf, "cpus; buddyinfo");
	KT_EXPECT_TRUE(t, cmdline_find("x shell.run=\"cpus; buddyinfo\" y=2", "y", buf,
				       sizeof(buf)));
	KT_EXPECT_STREQ(t, buf, "2");
	/* An unterminated quote runs to the end instead of reading past it. */
	KT_EXPECT_TRUE(t, cmdline_find("k=\"open", "k", buf, sizeof(buf)));
	KT_EXPECT_STREQ(t, buf, "open");
}

static void cmdline_last_wins_and_truncates(struct ktest *t)
{
	char buf[4];

	KT_EXPECT_TRUE(t, cmdline_find("n=1 n=22", "n", buf, sizeof(buf)));
	KT_EXPECT_STREQ(t, buf, "22");
	KT_EXPECT_TRUE(t, cmdline_find("n=123456", "n", buf, sizeof(buf)));
	KT_EXPECT_STREQ(t, buf, "123");
}

static void memparse_suffixes(struct ktest *t)
{
	const char *end;

	KT_EXPECT_EQ(t, memparse("512M", &end), 512ULL << 20);
	KT_EXPECT_EQ(t, *end, '\0');
	KT_EXPECT_EQ(t, memparse("4g", &end), 4ULL << 30);
	KT_EXPECT_EQ(t, memparse("0x1000", &end), 0x1000);
	KT_EXPECT_EQ(t, memparse("64K", &end), 65536);
	KT_EXPECT_EQ(t, simple_strtoll("-42", &end, 0), -42);
}

static void vsnprintf_conversions(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5d|%-5d|%05d", -7, 42, 42, 42);
	KT_EXPECT_STREQ(t, buf, "-7|   42|42   |00042");
	snprintf(buf, sizeof(buf), "%x|%#x|%08llx|%X", 255u, 255u, 0x1234ULL, 0xabcu);
	KT_EXPECT_STREQ(t, buf, "ff|0xff|00001234|ABC");
	snprintf(buf, sizeof(buf), "%s|%.3s|%6s|%-3s|%c", "abc", "abcdef", "xy", "z", 'q');
	KT_EXPECT_STREQ(t, buf, "abc|abc|    xy|z  |q");
	snprintf(buf, sizeof(buf), "%lu %zu %lld", 4000000000UL, (size_t)12, -9000000000LL);
	KT_EXPECT_STREQ(t, buf, "4000000000 12 -9000000000");
	snprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	KT_EXPECT_STREQ(t, buf, "0x0000000000001000");
	const char *volatile null_str = NULL;	/* hidden from the compiler's format check */

	snprintf(buf, sizeof(buf), "%s", null_str);
	KT_EXPECT_STREQ(t, buf, "(null)");
}

static void vsnprintf_truncates(struct ktest *t)
{
	char buf[8];
	int n = snprintf(buf, sizeof(buf), "%s", "0123456789");

	/* C99: the return value is the untruncated length; the buffer is terminated. */
	KT_EXPECT_EQ(t, n, 10);
	KT_EXPECT_STREQ(t, buf, "0123456");
	KT_EXPECT_EQ(t, snprintf(NULL, 0, "%d", 12345), 5);
}

static void string_helpers(struct ktest *t)
{
	char a[32], b[32];

	memset(a, 'x', sizeof(a));
	KT_EXPECT_EQ(t, a[0], 'x');
	KT_EXPECT_EQ(t, a[31], 'x');
	strlcpy(b, "hello world", sizeof(b));
	memmove(b + 2, b, 6);		/* overlapping, destination above */
	KT_EXPECT_STREQ(t, b, "hehello rld");
	memmove(b, b + 2, 6);		/* overlapping, destination below */
	KT_EXPECT_EQ(t, memcmp(b, "hello ", 6), 0);
	KT_EXPECT_EQ(t, strlen(""), 0);
	KT_EXPECT_TRUE(t, strcmp("abc", "abd") < 0);
	KT_EXPECT_EQ(t, strncmp("abcx", "abcy", 3), 0);
}

static void spinlock_basic(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	spin_lock(&l);
	KT_EXPECT_TRUE(t, spin_held_by_me(&l));
	KT_EXPECT_FALSE(t, spin_trylock(&l));	/* held: trylock must fail, not recurse */
	spin_unlock(&l);
	KT_EXPECT_TRUE(t, spin_trylock(&l));
	spin_unlock(&l);
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
}

/* Returns early from inside a guard: the lock must still be released. */
static int guarded_early_return(spinlock_t *l, int x)
{
	guard(spinlock_irqsave)(l);
	if (x > 0)
		return 1;
	return 0;
}

static void guard_releases_on_every_path(struct ktest *t)
{
	DEFINE_SPINLOCK(l);
	bool irqs_were_off = arch_irqs_disabled();

	KT_EXPECT_EQ(t, guarded_early_return(&l, 1), 1);
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	KT_EXPECT_EQ(t, guarded_early_return(&l, 0), 0);
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
	KT_EXPECT_EQ(t, arch_irqs_disabled(), irqs_were_off);

	scoped_guard(spinlock, &l) {
		KT_EXPECT_TRUE(t, spin_held_by_me(&l));
		break;			/* leaving the scope early releases too */
	}
	KT_EXPECT_FALSE(t, spin_is_locked(&l));

	spin_lock(&l);
	scoped_cond_guard(spinlock_try, &l) {
		KT_EXPECT_TRUE(t, false);	/* must not run: the lock is held */
	}
	spin_unlock(&l);
	scoped_cond_guard(spinlock_try, &l)
		KT_EXPECT_TRUE(t, spin_held_by_me(&l));
	KT_EXPECT_FALSE(t, spin_is_locked(&l));
}

static void irqsave_nests(struct ktest *t)
{
	bool before = arch_irqs_disabled();
	unsigned long outer = arch_local_irq_save();
	unsigned long inner = arch_local_irq_save();

	KT_EXPECT_TRUE(t, arch_irqs_disabled());
	arch_local_irq_restore(inner);
	KT_EXPECT_TRUE(t, arch_irqs_disabled());	/* still inside the outer section */
	arch_local_irq_restore(outer);
	KT_EXPECT_EQ(t, arch_irqs_disabled(), before);
}

static void boot_info_sane(struct ktest *t)
{
	const struct boot_info *bi = &boot_info;
	bool kernel_reserved = false;
	unsigned long long ram = 0;

	KT_EXPECT_GT(t, bi->nr_memory, 0);
	for (unsigned int i = 0; i < bi->nr_memory; i++)
		if (bi->memory[i].type == BOOT_MEM_RAM)
			ram += bi->memory[i].size;
	KT_EXPECT_GE(t, ram, 32ULL << 20);	/* every supported configuration has 32 MiB+ */
	for (unsigned int i = 0; i < bi->nr_reserved; i++)
		if (bi->reserved[i].type == BOOT_RSV_KERNEL)
			kernel_reserved = true;
	KT_EXPECT_TRUE(t, kernel_reserved);
	KT_EXPECT_EQ(t, bi->nr_dropped, 0);
	KT_EXPECT_TRUE(t, cmdline_has("ktest"));	/* we are running because of it */
	/* x86_64 lists CPUs once ACPI is parsed; riscv64 from the FDT. */
	if (bi->nr_cpus)
		KT_EXPECT_LT(t, bi->boot_cpu_index, bi->nr_cpus);
}

static void clock_advances(struct ktest *t)
{
	u64 a = arch_clock_ns();

	for (volatile int i = 0; i < 100000; i++)
		;
	u64 b = arch_clock_ns();

	KT_EXPECT_GT(t, b, a);
	KT_EXPECT_LT(t, b - a, 10ULL * 1000 * 1000 * 1000);	/* under 10 s for a short loop */
}

/* `ktest_fault` on the command line: fault on purpose to show the exception dump. */
static void fault_on_request(struct ktest *t)
{
	if (!cmdline_has("ktest_fault")) {
		ktest_skip(t, "needs ktest_fault on the command line");
		return;
	}
	ktest_log(t, "dereferencing an unmapped address on purpose");
	arch_trigger_fault();
	KT_EXPECT_TRUE(t, false);	/* not reached: the fault handler panics */
}

/* `ktest_fail` on the command line: a case that fails, to check the harness notices. */
static void fail_on_request(struct ktest *t)
{
	if (!cmdline_has("ktest_fail")) {
		ktest_skip(t, "needs ktest_fail on the command line");
		return;
	}
	KT_EXPECT_EQ(t, 1 + 1, 3);
}

static struct ktest_case kernel_cases[] = {
	KTEST_CASE(cmdline_key_value),
	KTEST_CASE(cmdline_quoted_value),
	KTEST_CASE(cmdline_last_wins_and_truncates),
	KTEST_CASE(memparse_suffixes),
	KTEST_CASE(vsnprintf_conversions),
	KTEST_CASE(vsnprintf_truncates),
	KTEST_CASE(string_helpers),
	KTEST_CASE(spinlock_basic),
	KTEST_CASE(guard_releases_on_every_path),
	KTEST_CASE(irqsave_nests),
	KTEST_CASE(boot_info_sane),
	KTEST_CASE(clock_advances),
	KTEST_CASE(fault_on_request),
	KTEST_CASE(fail_on_request),
	{}
};
KTEST_SUITE(kernel, kernel_cases);
