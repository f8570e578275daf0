// SPDX-License-Identifier: MIT
/*
 * ktest suite "virtio_pci": virtio-pci's interrupts on a real device.
 *
 *	QEMU: make run VIRTIO=pci|pci-legacy CMDLINE=ktest=virtio_pci  (x86_64 pc or q35: MSI-X;
 *	      riscv64 virt: INTx through the interrupt-map and the PLIC);
 *	      -device virtio-rng-pci,vectors=0 on x86_64: no MSI-X, polled (cases skip)
 *
 * The suite unbinds the entropy driver (drivers/virtio/virtio_rng.c) from every device for
 * its run and binds it again after. A test driver binds an unbound virtio-pci entropy
 * device and completes requests whose completion it learns only from its queue callback,
 * which runs from the transport's interrupt handler: the queue's irq must count one
 * interrupt per request at least. The
 * queue's interrupt is then moved to another CPU (the MSI-X entry rewritten by its owner) and
 * that CPU taken offline (moved again by the hotplug step): requests must still complete,
 * their callbacks running on the CPU the irq targets. Unbinding must give every vector back
 * and turn MSI-X off. The device's interrupt mode is logged ("irq mode: msix") for the
 * boots of tests/run.py to check. Without such a device, or one another driver holds, or a
 * polled one (completions come from the idle loop, which a test never returns to), the
 * cases skip.
 */
#include "drivers/virtio/virtio_pci.h"
#include "drivers/virtio/virtio_ring.h"
#include "drivers/virtio/virtio_rng.h"
#include "kernel/cpuhp.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include "arch/arch.h"

#define KT_REQS		50
#define KT_WAIT_NS	2000000000ULL	/* QEMU answers in microseconds; 2 s is a lost interrupt */

static struct virtqueue *kp_vq;		/* the bound device's queue (ktest CPU) */
static struct virtio_device *kp_vdev;
static u32 kp_callbacks;		/* queue callbacks run (l: atomic) */
static u32 kp_callback_cpu;		/* the CPU the last one ran on (l: atomic) */

/* Context: the queue's interrupt handler, IRQs off. */
static void kp_callback(struct virtqueue *vq)
{
	(void)vq;
	__atomic_store_n(&kp_callback_cpu, smp_processor_id(), __ATOMIC_RELAXED);
	__atomic_fetch_add(&kp_callbacks, 1, __ATOMIC_RELEASE);
}

static int kp_probe(struct virtio_device *vdev)
{
	if (kp_vdev || vdev->ops->setup_irqs != vp_setup_irqs)
		return -EBUSY;		/* one virtio-pci device is enough */
	kp_vq = virtio_find_vq(vdev, 0, 8, "req.0", kp_callback);
	if (!kp_vq)
		return -ENODEV;
	kp_vdev = vdev;
	return 0;
}

static void kp_remove(struct virtio_device *vdev)
{
	(void)vdev;
	while (virtqueue_detach_unused_buf(kp_vq))
		;
	kp_vq = NULL;
	kp_vdev = NULL;
}

static struct virtio_driver kp_driver = {
	.name = "ktest-pci-irq",
	.device_id = VIRTIO_ID_RNG,
	.probe = kp_probe,
	.remove = kp_remove,
};

static void find_unbound(struct virtio_device *vdev, void *arg)
{
	bool *found = arg;

	if (vdev->device_id == VIRTIO_ID_RNG && !vdev->driver && !virtio_is_broken(vdev) &&
	    vdev->ops->setup_irqs == vp_setup_irqs)
		*found = true;
}

/* The irq the queue raises: its own MSI-X entry, the shared one, or the INTx line. */
static unsigned int kp_queue_irq(void)
{
	struct virtio_pci_device *vp = to_vp(kp_vdev);
	int irq;

	if (kp_vdev->irq_mode != VIRTIO_IRQ_MSIX)
		return kp_vdev->irq;
	irq = pci_msix_vec_irq(vp->pdev, 1);
	return irq > 0 ? (unsigned int)irq : 0;
}

static u64 irq_total(unsigned int irq)
{
	u64 n = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		n += irq_count(irq, cpu);
	return n;
}

/* One request, completed when the callback says so (never by looking at the ring first). */
static bool kp_request(struct ktest *t, u8 *buf, void *token)
{
	struct vring_sg sg = { .addr = __pa(buf), .len = 16 };
	u32 before = __atomic_load_n(&kp_callbacks, __ATOMIC_ACQUIRE), got = 0;
	u64 deadline;
	void *back;

	if (virtqueue_add_buf(kp_vq, &sg, 0, 1, token))
		return false;
	virtqueue_kick(kp_vq);
	deadline = arch_clock_ns() + KT_WAIT_NS;
	while (__atomic_load_n(&kp_callbacks, __ATOMIC_ACQUIRE) == before) {
		if (arch_clock_ns() > deadline) {
			ktest_log(t, "no callback within 2 s (used idx %u, last %u)",
				  READ_ONCE(kp_vq->used->idx), kp_vq->last_used_idx);
			return false;
		}
		arch_cpu_relax();
	}
	back = virtqueue_get_buf(kp_vq, &got);
	return back == token && got > 0;
}

/* KT_REQS requests, each completed through the interrupt, on @cpu when it is not NR_CPUS. */
static void kp_requests(struct ktest *t, u8 *buf, unsigned int irq, unsigned int cpu)
{
	u64 count = irq_total(irq);
	unsigned int ok = 0;

	/* A lost interrupt costs 2 s: stop at the first. */
	for (unsigned int i = 0; i < KT_REQS && ok == i; i++)
		ok += kp_request(t, buf, (void *)(uintptr_t)(i + 1));
	KT_EXPECT_EQ(t, ok, KT_REQS);
	/* Every callback ran from a handler: at least one interrupt each. */
	KT_EXPECT_GE(t, irq_total(irq) - count, (u64)KT_REQS);
	if (cpu < NR_CPUS)
		KT_EXPECT_EQ(t, __atomic_load_n(&kp_callback_cpu, __ATOMIC_RELAXED), cpu);
}

static bool kp_bind(struct ktest *t)
{
	bool found = false;

	virtio_for_each_device(find_unbound, &found);
	if (!found) {
		ktest_skip(t, "no unbound virtio-pci entropy device");
		return false;
	}
	__atomic_store_n(&kp_callbacks, 0, __ATOMIC_RELAXED);
	virtio_register_driver(&kp_driver);
	if (!kp_vdev) {
		KT_EXPECT_NOT_NULL(t, kp_vdev);
		virtio_unregister_driver(&kp_driver);
		return false;
	}
	ktest_log(t, "%s: %s, irq mode: %s, queue irq %u, device irq %u", kp_vdev->name,
		  kp_vdev->legacy ? "legacy" : "modern", virtio_irq_mode_name(kp_vdev->irq_mode),
		  kp_queue_irq(), kp_vdev->irq);
	if (kp_vdev->irq_mode == VIRTIO_IRQ_POLL) {
		virtio_unregister_driver(&kp_driver);
		ktest_skip(t, "polled: no interrupt to test");
		return false;
	}
	return true;
}

/*
 * before: bound, MSI-X or INTx. after: KT_REQS completions through the queue's interrupt;
 * unbound, the vectors given back, MSI-X off and INTx on again.
 */
static void virtio_pci_irq_requests(struct ktest *t)
{
	struct virtio_pci_device *vp;
	struct page *page;
	unsigned int irq, entries[1 + VIRTIO_MAX_VQS], nr = 0;
	enum virtio_irq_mode mode;

	if (!kp_bind(t))
		return;
	vp = to_vp(kp_vdev);
	mode = kp_vdev->irq_mode;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT_NOT_NULL(t, page);
	irq = kp_queue_irq();
	KT_EXPECT_GT(t, irq, 0u);
	if (mode == VIRTIO_IRQ_MSIX) {
		KT_EXPECT_TRUE(t, pci_msix_enabled(vp->pdev));
		KT_EXPECT_TRUE(t, pci_read_config16(vp->pdev, PCI_COMMAND) &
			       PCI_COMMAND_INTX_DISABLE);
		KT_EXPECT_EQ(t, vp->pdev->irq, kp_vdev->irq);
		for (unsigned int e = 0; e < vp->msix_nvec; e++)
			entries[nr++] = (unsigned int)pci_msix_vec_irq(vp->pdev, e);
	}
	kp_requests(t, page_address(page), irq, NR_CPUS);
	irq_show_interrupts();		/* the rows with their counts, in the log */
	lspci_show_dev(vp->pdev, true);	/* MSI-X: Enable+ and the bound irq, while bound */

	virtio_unregister_driver(&kp_driver);
	KT_EXPECT_NULL(t, kp_vdev);
	KT_EXPECT_EQ(t, vp->vdev.irq_mode, VIRTIO_IRQ_NONE);
	if (mode == VIRTIO_IRQ_MSIX) {
		KT_EXPECT_FALSE(t, pci_msix_enabled(vp->pdev));
		KT_EXPECT_FALSE(t, pci_read_config16(vp->pdev, vp->pdev->msix.cap +
						     PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE);
		KT_EXPECT_FALSE(t, pci_read_config16(vp->pdev, PCI_COMMAND) &
			       PCI_COMMAND_INTX_DISABLE);
		for (unsigned int e = 0; e < nr; e++)
			KT_EXPECT_NULL(t, irq_to_desc(entries[e]));	/* given back */
	} else {
		KT_EXPECT_NULL(t, irq_to_desc(irq) ? irq_to_desc(irq)->handler : NULL);
	}
	__free_page(page);
}

/*
 * before: the queue's irq targets CPU n (moved there: MSI-X rewrites its entry).
 * after cpu_down(n): it targets another online CPU, requests complete there.
 * after cpu_up(n): n may be a target again.
 */
static void virtio_pci_irq_follows_cpu(struct ktest *t)
{
	unsigned int n = NR_CPUS, irq, to;
	struct page *page;
	u8 *buf;

	if (!ktest_need_offline_victim(t, &n))
		return;
	if (!kp_bind(t))
		return;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT_NOT_NULL(t, page);
	buf = page_address(page);
	irq = kp_queue_irq();

	KT_EXPECT_EQ(t, irq_set_affinity(irq, n), 0);
	KT_EXPECT_EQ(t, irq_target_cpu(irq), n);
	kp_requests(t, buf, irq, n);

	KT_EXPECT_EQ(t, cpu_down(n), 0);
	to = irq_target_cpu(irq);
	ktest_log(t, "CPU%u offline: %s's queue irq %u moved to CPU%u", n, kp_vdev->name, irq, to);
	KT_EXPECT_NE(t, to, n);
	KT_EXPECT_TRUE(t, to < NR_CPUS && cpu_online(to));
	kp_requests(t, buf, irq, to);
	irq_show_interrupts();

	KT_EXPECT_EQ(t, cpu_up(n), 0);
	KT_EXPECT_EQ(t, irq_set_affinity(irq, n), 0);
	kp_requests(t, buf, irq, n);

	virtio_unregister_driver(&kp_driver);
	__free_page(page);
}

static int virtio_pci_suite_init(void)
{
	/* Waiting for interrupts and cpu_down() need interrupts on. */
	if (arch_irqs_disabled())
		arch_local_irq_enable();
	/* The entropy driver binds every device at boot: lend them to the test driver. */
	virtio_rng_exit();
	return 0;
}

static void virtio_pci_suite_exit(void)
{
	virtio_rng_init();		/* and give them back */
}

static struct ktest_case virtio_pci_cases[] = {
	KTEST_CASE(virtio_pci_irq_requests),
	KTEST_CASE(virtio_pci_irq_follows_cpu),
	{}
};
KTEST_SUITE_INIT(virtio_pci, virtio_pci_cases, virtio_pci_suite_init, virtio_pci_suite_exit);
