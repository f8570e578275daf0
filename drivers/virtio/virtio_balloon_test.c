// SPDX-License-Identifier: MIT
/*
 * ktest suite "balloon": the virtio-balloon driver's remove path against a real device.
 *
 *	QEMU: -device virtio-balloon-pci or virtio-balloon-device; tests/qemu/balloon_test.py
 *	      runs `ktest balloon` with half of RAM in the balloon (the host's target set over
 *	      QMP), then checks that the host sees the balloon reach the target again.
 *
 * Unbinding the driver resets the device and must give every ballooned page back (to the
 * free lists, and to MemTotal where it had left it); binding again must follow the host's
 * target, which has not moved, back to the same number of pages. Unbinding while a
 * compaction scanner on another CPU holds a balloon page isolated must wait for it to come
 * back and then give it back too. Without a bound balloon the cases are skipped.
 */
#include "drivers/virtio/virtio_balloon.h"
#include "kernel/ktest.h"
#include "kernel/workqueue.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/vmstat.h"
#include "mm/migrate.h"
#include "mm/internal.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
#include "arch/arch.h"

#define REBIND_WAIT_NS	30000000000ULL	/* 30 s to get back to the target under TCG */

static void balloon_unbind_rebind(struct ktest *t)
{
	unsigned long inflated, again = 0, free0, total0;
	bool in_total;
	u64 deadline;

	if (!virtio_balloon_state(&inflated, &in_total)) {
		ktest_skip(t, "no virtio-balloon device bound");
		return;
	}
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	total0 = totalram_pages();

	virtio_balloon_exit();
	KT_EXPECT_FALSE(t, virtio_balloon_state(&again, &in_total));
	drain_all_pages(NULL);
	/* Every ballooned page is free again (plus the driver's own few pages). */
	KT_EXPECT_GE(t, nr_free_pages(), free0 + inflated);
	KT_EXPECT_LE(t, nr_free_pages(), free0 + inflated + 64);
	KT_EXPECT_EQ(t, totalram_pages(), total0 + (in_total ? 0 : inflated));
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);

	virtio_balloon_init();
	KT_ASSERT_TRUE(t, virtio_balloon_state(&again, &in_total));
	/* The target did not move: the work (queued on this CPU) inflates back to it. */
	deadline = arch_clock_ns() + REBIND_WAIT_NS;
	while (virtio_balloon_state(&again, &in_total) && again != inflated &&
	       arch_clock_ns() < deadline) {
		workqueue_run_pending();
		arch_cpu_relax();
	}
	KT_EXPECT_EQ(t, again, inflated);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
}

/* Find a page the balloon holds now: a pfn walk over the zones. */
static struct page *find_balloon_page(void)
{
	struct zone *zone;

	for_each_zone(zone) {
		if (!populated_zone(zone))
			continue;
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++)
			if (pfn_valid(pfn) && PageBalloon(pfn_to_page(pfn)) &&
			    !page_test_flag(pfn_to_page(pfn), PG_isolated))
				return pfn_to_page(pfn);
	}
	return NULL;
}

#define PUTBACK_DELAY_NS	300000000ULL	/* the other CPU's scanner holds it this long */

static u32 putback_done;

/* On another CPU, as a compaction scanner would: hold the isolated page a while, give it back. */
static void late_putback(void *info)
{
	u64 until = arch_clock_ns() + PUTBACK_DELAY_NS;

	while (arch_clock_ns() < until)
		arch_cpu_relax();
	putback_movable_page(info);
	__atomic_store_n(&putback_done, 1, __ATOMIC_RELEASE);
}

static void balloon_unbind_waits_for_isolated(struct ktest *t)
{
	unsigned long inflated, again, free0;
	unsigned int other = 0, cpu;
	struct page *page;
	bool in_total;

	if (!virtio_balloon_state(&inflated, &in_total) || !inflated) {
		ktest_skip(t, "no virtio-balloon device bound with pages in it");
		return;
	}
	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			other = cpu;
	if (other == smp_processor_id()) {
		ktest_skip(t, "needs a second CPU for the scanner");
		return;
	}
	page = find_balloon_page();
	KT_ASSERT_NOT_NULL(t, page);
	KT_ASSERT_TRUE(t, isolate_movable_page(page));
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	__atomic_store_n(&putback_done, 0, __ATOMIC_RELAXED);
	KT_ASSERT_EQ(t, smp_call_function_single(other, late_putback, page, false), 0);

	virtio_balloon_exit();
	KT_EXPECT_TRUE(t, __atomic_load_n(&putback_done, __ATOMIC_ACQUIRE));
	KT_EXPECT_FALSE(t, virtio_balloon_state(&again, &in_total));
	KT_EXPECT_FALSE(t, PageBalloon(page));
	drain_all_pages(NULL);
	/* The isolated page came back too: every one of them is free. */
	KT_EXPECT_GE(t, nr_free_pages(), free0 + inflated);
	KT_EXPECT_EQ(t, mm_check_invariants(), 0);
	virtio_balloon_init();
	KT_EXPECT_TRUE(t, virtio_balloon_state(&again, &in_total));
}

static struct ktest_case balloon_cases[] = {
	KTEST_CASE(balloon_unbind_rebind),
	KTEST_CASE(balloon_unbind_waits_for_isolated),
	{}
};
KTEST_SUITE(balloon, balloon_cases);
