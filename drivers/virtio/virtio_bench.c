// SPDX-License-Identifier: MIT
/*
 * `bench=virtio`: the request round trip of every bound virtio entropy device, in one boot,
 * by transport (pci modern, pci legacy, mmio v2, mmio v1) and by how completion is waited
 * for: the device's interrupt (VIRTIO_RNG_WAIT_IRQ: callback, then collect) or spinning on
 * the used ring with callbacks off (VIRTIO_RNG_POLL). For each, `bench.rounds=` (default
 * 500) requests of `bench.bytes=` (default 64) bytes, each timed with arch_clock_ns() from
 * adding the buffer to having the bytes: median, p90 and min in ns; and per request the
 * notifications actually sent to the device (kicks the ring did not suppress) and the
 * interrupts that found work (vdev->nr_interrupts; on a device the core polls, the polls
 * that found work, and the wait column says "poll"). A wired line is targeted at the measuring
 * CPU for the run (restored after), so the figure does not depend on how fast another vCPU
 * wakes up (with the host busy, boots where it could target the other CPU measured medians
 * from 23 to 166 us); the wait column names the CPU that took the interrupts.
 *
 *	QEMU (riscv64): -device virtio-rng-device -device virtio-rng-pci,disable-legacy=on
 *			-device virtio-rng-pci,disable-modern=on
 *	QEMU (x86_64):  -device virtio-rng-pci,disable-legacy=on
 *			-device virtio-rng-pci,disable-modern=on
 *
 * Locking: boot CPU (m); the driver serialises requests.
 */
#include "drivers/virtio/virtio_rng.h"
#include "drivers/virtio/virtio_mmio.h"
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/bench.h"
#include "kernel/irq.h"
#include "kernel/smp.h"
#include "kernel/printk.h"
#include "arch/arch.h"

#define VB_MAX_ROUNDS	4096
#define VB_WARMUP	10

static u64 vb_samples[VB_MAX_ROUNDS];		/* (m) */
static u8 vb_buf[VIRTIO_RNG_REQ_MAX];		/* (m) */

/* The transport, as a person names it: mmio's own answer, else (the only other) pci. */
static const char *vb_transport(const struct virtio_device *vdev)
{
	const char *mmio = virtio_mmio_transport(vdev);

	if (mmio)
		return mmio;
	return vdev->legacy ? "pci legacy" : "pci modern";
}

static bool __vb_measure(struct bench_table *t, struct virtio_rng *rng,
			 enum virtio_rng_mode mode, unsigned int rounds, unsigned int bytes);

/* One row: rounds requests on rng in mode. false (with a message) if a request failed. */
static bool vb_measure(struct bench_table *t, struct virtio_rng *rng, enum virtio_rng_mode mode,
		       unsigned int rounds, unsigned int bytes)
{
	struct virtio_device *vdev = virtio_rng_vdev(rng);
	unsigned int me = smp_processor_id(), old_cpu = NR_CPUS;
	bool ok;

	if (vdev->irq_mode == VIRTIO_IRQ_LINE) {
		old_cpu = irq_target_cpu(vdev->irq);
		if (old_cpu != me && irq_set_affinity(vdev->irq, me))
			old_cpu = NR_CPUS;	/* could not move it: measured where it is */
	}
	ok = __vb_measure(t, rng, mode, rounds, bytes);
	if (old_cpu < NR_CPUS && old_cpu != me)
		irq_set_affinity(vdev->irq, old_cpu);
	return ok;
}

/* vb_measure() with the interrupt in place. */
static bool __vb_measure(struct bench_table *t, struct virtio_rng *rng,
			 enum virtio_rng_mode mode, unsigned int rounds, unsigned int bytes)
{
	struct virtio_device *vdev = virtio_rng_vdev(rng);
	struct virtqueue *vq = virtio_vq_at(vdev, 0);
	u64 kicks0, intr0, kicks, intr;
	char kbuf[16], ibuf[16];
	int n;

	for (unsigned int i = 0; i < VB_WARMUP; i++) {
		n = virtio_rng_dev_read(rng, vb_buf, bytes, mode);
		if (n < 0) {
			printk("virtio: %s: warm-up request failed (%d): skipped\n", vdev->name, n);
			return false;
		}
	}
	kicks0 = READ_ONCE(vq->nr_kicks);
	intr0 = __atomic_load_n(&vdev->nr_interrupts, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < rounds; i++) {
		u64 t0 = arch_clock_ns();

		n = virtio_rng_dev_read(rng, vb_buf, bytes, mode);
		vb_samples[i] = arch_clock_ns() - t0;
		if (n < 0) {
			printk("virtio: %s: request %u failed (%d): skipped\n", vdev->name, i, n);
			return false;
		}
	}
	kicks = READ_ONCE(vq->nr_kicks) - kicks0;
	intr = __atomic_load_n(&vdev->nr_interrupts, __ATOMIC_RELAXED) - intr0;

	bench_table_add(t, "%s", vdev->name);
	bench_table_add(t, "%s", vb_transport(vdev));
	if (mode == VIRTIO_RNG_POLL)
		bench_table_add(t, "poll ring");
	else if (vdev->irq_mode == VIRTIO_IRQ_LINE)
		bench_table_add(t, "irq (line, CPU%u)", irq_target_cpu(vdev->irq));
	else
		bench_table_add(t, "irq (%s)", virtio_irq_mode_name(vdev->irq_mode));
	bench_table_add(t, "%llu", (unsigned long long)bench_percentile(vb_samples, rounds, 50));
	bench_table_add(t, "%llu", (unsigned long long)bench_percentile(vb_samples, rounds, 90));
	bench_table_add(t, "%llu", (unsigned long long)bench_percentile(vb_samples, rounds, 0));
	bench_ratio(kbuf, sizeof(kbuf), kicks, rounds);
	bench_ratio(ibuf, sizeof(ibuf), intr, rounds);
	bench_table_add(t, "%s", kbuf);
	bench_table_add(t, "%s", ibuf);
	return true;
}

static void virtio_bench(void)
{
	static struct bench_table t;
	unsigned int rounds = (unsigned int)bench_param("rounds", 500);
	unsigned int bytes = (unsigned int)bench_param("bytes", 64);
	unsigned int ndev = virtio_rng_count();
	bool polled = false;

	if (rounds == 0 || rounds > VB_MAX_ROUNDS)
		rounds = rounds ? VB_MAX_ROUNDS : 1;
	if (bytes == 0 || bytes > VIRTIO_RNG_REQ_MAX)
		bytes = bytes ? VIRTIO_RNG_REQ_MAX : 1;
	if (ndev == 0) {
		printk("virtio: no entropy device bound, nothing to measure "
		       "(attach -device virtio-rng-pci or virtio-rng-device)\n");
		return;
	}
	if (arch_irqs_disabled())
		arch_local_irq_enable();	/* completions arrive by interrupt */
	bench_table_init(&t, "virtio-rng request round trip (ns), per transport and wait",
			 8, "device", "transport", "wait", "median", "p90", "min", "kicks/req",
			 "intr/req");
	printk("virtio: %u requests of %u bytes per row, after %u warm-up requests\n", rounds,
	       bytes, VB_WARMUP);
	for (unsigned int i = 0; i < ndev; i++) {
		struct virtio_rng *rng = virtio_rng_get(i);

		vb_measure(&t, rng, VIRTIO_RNG_WAIT_IRQ, rounds, bytes);
		vb_measure(&t, rng, VIRTIO_RNG_POLL, rounds, bytes);
		if (virtio_rng_vdev(rng)->irq_mode == VIRTIO_IRQ_POLL)
			polled = true;
	}
	bench_table_print(&t);
	if (polled)
		printk("irq (poll): the device has no interrupt the platform can take yet; the "
		       "waiter then polls the used ring itself (drivers/virtio/virtio_rng.c)\n");
}
BENCH(virtio, "virtio-rng request round trip per transport: interrupt vs polling", virtio_bench);
