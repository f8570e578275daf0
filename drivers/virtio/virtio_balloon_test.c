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
 * target, which has not moved, back to the same number of pages. Without a bound balloon
 * the case is skipped.
 */
#include "drivers/virtio/virtio_balloon.h"
#include "kernel/ktest.h"
#include "kernel/workqueue.h"
#include "mm/page_alloc.h"
#include "mm/pcp.h"
#include "mm/vmstat.h"
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

static struct ktest_case balloon_cases[] = {
	KTEST_CASE(balloon_unbind_rebind),
	{}
};
KTEST_SUITE(balloon, balloon_cases);
