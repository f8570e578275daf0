// SPDX-License-Identifier: MIT
/*
 * virtio-balloon: give the host the guest memory it asks for, and take it back (virtio 1.x
 * 5.5, "Traditional Memory Balloon Device").
 *
 *	QEMU: -device virtio-balloon-pci (x86_64 pc/q35, riscv64 virt) or
 *	      -device virtio-balloon-device (riscv64 virt, virtio-mmio); `make run` attaches one
 *	      and a QMP socket, and `make balloon TARGET=128M` moves it from another terminal.
 *
 * The host writes a target, num_pages (4 KiB pages it wants), and signals a config change.
 * The driver inflates (allocates pages, tells the host their frame numbers on the inflate
 * queue) or deflates (tells the host on the deflate queue, then frees them) until the
 * pages it holds equal the target, and writes that number to `actual` after each batch the
 * host acknowledged. The pages themselves are kept by mm/balloon.c, as movable balloon
 * pages (DESIGN.md 4.3).
 *
 * The work. The config-change interrupt (and each queue's completion) only queues
 * vb->work, on one CPU (vb->cpu). One run of the work is short: it collects the
 * acknowledgements that came back, answers a stats request, and starts new batches of at
 * most VB_BATCH pages until VB_INFLIGHT are in flight in one direction, re-reading
 * num_pages before each (the host may move it at any time), then collects again at once,
 * for at most VB_RUN_ROUNDS rounds. Then the work requeues itself, or a batch's completion
 * interrupt queues the next run, so a long inflation is a chain of short runs with
 * everything else on that CPU running in between. vb->timer (delayed work) runs the work
 * again when nothing else will: while an acknowledgement is awaited (VB_ACK_TIMEOUT_MS
 * bounds it; past that the driver says so once and keeps waiting with `actual` unchanged:
 * the pages stay in the balloon, as the host may still take them); every VB_RETRY_MS while
 * the target cannot be reached because memory is low; and every VB_CONFIG_POLL_MS where a
 * config change cannot be signalled at all (a polled device whose transport has no ISR
 * status to read: the core never sees the change, so the driver reads num_pages itself).
 *
 * The floor. Inflation stops, without failing anything else, when the free pages would go
 * below the zones' high watermarks plus VB_FLOOR_MARGIN: far enough above the low watermarks
 * that allocations taking the allocator's fast attempt still succeed. It says so once per
 * target.
 *
 * OOM. With DEFLATE_ON_OOM the allocator's OOM notifier takes up to VB_OOM_PAGES pages off
 * the balloon (trylock only) and frees them at once; their pfns wait in a record for the
 * work, which tells the host on the deflate queue, and inflating stops until the host sets
 * a new target. It takes the oldest pages only, never one whose inflation the host has not
 * acknowledged yet (the host could still discard its contents).
 *
 * Features: MUST_TELL_HOST (deflate waits for the ack before freeing: done in every case,
 * so the feature changes nothing but the OOM path, which gives nothing back under it),
 * STATS_VQ (always accepted when offered: the stats queue, index 2), DEFLATE_ON_OOM
 * (inflated pages stay in MemTotal; see OOM), PAGE_POISON (only with page_poison=1:
 * poison_val then says what free pages hold), REPORTING (free page reporting through
 * mm/page_reporting.c: blocks of pageblock order and up, 32 per request; not used with
 * page_poison=1 unless PAGE_POISON was negotiated, 5.5.6.5). Not accepted: FREE_PAGE_HINT
 * (a migration-time hint for the host: it needs free pages handed out while the host's
 * migration runs and a command-id protocol; nothing in this kernel migrates, so not done).
 * The queue numbering follows the device's offer, not what was accepted (inflate 0,
 * deflate 1, stats 2 if STATS_VQ is offered, then free page hint if offered, then
 * reporting).
 *
 * Locking (lock key in kernel/spinlock.h):
 *	(w)	the work only: vb->work runs on one CPU at a time (vb->running guards that)
 *	(b)	the balloon lock, vb->balloon.lock: the page list and, here, the OOM pfns
 *	(l)	atomics
 *	(c)	set by probe before DRIVER_OK, constant until remove
 * Order: balloon lock -> virtqueue lock; no virtqueue lock is held around an allocation.
 * Flags changed by atomics are u32: riscv64 has no sub-word atomics.
 */
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"
#include "drivers/virtio/virtio_balloon.h"
#include "kernel/cpu.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "kernel/tracepoints.h"
#include "kernel/lib/string.h"
#include "mm/balloon.h"
#include "mm/oom_notify.h"
#include "mm/page_reporting.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "arch/arch.h"

/* Feature bits (5.5.3). */
#define VIRTIO_BALLOON_F_MUST_TELL_HOST		0
#define VIRTIO_BALLOON_F_STATS_VQ		1
#define VIRTIO_BALLOON_F_DEFLATE_ON_OOM		2
#define VIRTIO_BALLOON_F_FREE_PAGE_HINT		3
#define VIRTIO_BALLOON_F_PAGE_POISON		4
#define VIRTIO_BALLOON_F_REPORTING		5

/* Config layout (5.5.4): little-endian on every transport, legacy included. */
#define VB_CFG_NUM_PAGES	0
#define VB_CFG_ACTUAL		4
#define VB_CFG_POISON_VAL	12	/* with PAGE_POISON: what free pages hold */

/* Statistics tags (5.5.6.3) this kernel measures. */
#define VIRTIO_BALLOON_S_MEMFREE	4	/* bytes free: meminfo's MemFree */
#define VIRTIO_BALLOON_S_MEMTOT		5	/* bytes managed: meminfo's MemTotal */
#define VIRTIO_BALLOON_S_AVAIL		6	/* bytes available: meminfo's MemAvailable */

struct virtio_balloon_stat {
	u16 tag;
	u64 val;
} __packed;
_Static_assert(sizeof(struct virtio_balloon_stat) == 10, "virtio-balloon: a stat is 10 bytes");

#define VB_NR_STATS		3
#define VB_BATCH		256	/* pfns per inflate or deflate request (1 KiB) */
#define VB_OOM_PAGES		256	/* given back per OOM notification: 1 MiB */
/*
 * Pages given back on OOM whose pfns wait for the work to tell the host: 32 MiB. The work
 * may not run for a while (the failing allocations may be on its CPU), and OOM gives
 * nothing back while the record is full.
 */
#define VB_OOM_RECORD		8192
#define VB_ACK_TIMEOUT_MS	5000	/* a batch's acknowledgement, before we say so */
#define VB_ACK_CHECK_MS		100	/* how often the timer looks while waiting */
#define VB_RETRY_MS		1000	/* below the floor: try again this often */
#define VB_FLOOR_MARGIN		256	/* pages above the high watermarks: 1 MiB */
#define VB_CONFIG_POLL_MS	100	/* num_pages read this often when changes are unseen */

/*
 * Batches in flight per direction: with a polled device an acknowledgement is seen a tick
 * or two later, so one batch at a time would cap the rate at 256 pages per poll.
 */
#define VB_INFLIGHT		4
/* Rounds of "start batches, collect acknowledgements" in one run of the work (16 MiB). */
#define VB_RUN_ROUNDS		4

/* Where the device-visible buffers sit in vb->shared (VB_SHARED_ORDER pages). */
#define VB_SHARED_ORDER		2
#define VB_PFNS_BYTES		(VB_BATCH * 4)
#define VB_INFLATE_OFF(i)	((i) * VB_PFNS_BYTES)
#define VB_DEFLATE_OFF(i)	((VB_INFLIGHT + (i)) * VB_PFNS_BYTES)
#define VB_STATS_OFF		(2 * VB_INFLIGHT * VB_PFNS_BYTES)
#define VB_MIGRATE_OFF		(VB_STATS_OFF + 64)	/* two pfns: inflate, deflate */
_Static_assert(VB_NR_STATS * 10 <= 64 && VB_MIGRATE_OFF + 8 <= (4096 << VB_SHARED_ORDER),
	       "virtio-balloon: the shared buffers fit their block");
/* How long a migration polls for each acknowledgement (IRQs off, the balloon lock held). */
#define VB_MIGRATE_TIMEOUT_MS	1000

/* One request on the inflate or deflate queue. */
struct vb_batch {
	u32 *pfns;			/* in vb->shared, device-readable (c) */
	struct page *pages[VB_BATCH];	/* deflate: the pages to free after the ack (w) */
	unsigned int n;			/* pfns in flight; 0: none (w) */
	bool free_after;		/* deflate: pages[] to free (false: OOM already did) (w) */
	u64 sent_ns;			/* when it was sent (w) */
	bool late_said;			/* "no acknowledgement" said for this batch (w) */
};

struct virtio_balloon {
	struct virtio_device *vdev;	/* (c) */
	struct balloon balloon;		/* the pages, and the balloon lock */
	struct virtqueue *inflate_vq;	/* (c) */
	struct virtqueue *deflate_vq;	/* (c) */
	struct virtqueue *stats_vq;	/* NULL without STATS_VQ (c) */
	struct virtqueue *report_vq;	/* free page reporting, or NULL (c) */
	struct page_reporting_dev_info prdev;	/* registered with report_vq (c) */
	u32 report_out;			/* blocks with the device (l) */
	struct page *shared;		/* pfn arrays and the stats buffer, order
					   VB_SHARED_ORDER (c) */
	struct virtio_balloon_stat *stats;	/* in shared (w; c address) */
	struct vb_batch inflate[VB_INFLIGHT];
	struct vb_batch deflate[VB_INFLIGHT];
	u32 target;			/* num_pages as last read (w; read racily) */
	u32 actual;			/* as last written to config (w; read racily) */
	unsigned int cpu;		/* where the work is queued (c) */
	struct work_struct work;
	struct delayed_work timer;	/* queues work: awaiting an ack, or retrying */
	u32 running;			/* the work, or a migration (vb_migratepage()), runs (l) */
	u32 stopping;			/* remove has begun: queue nothing new (l) */
	bool stats_out;			/* the stats buffer is with the device (w) */
	bool stats_ready;		/* the device gave it back: answer it (w) */
	bool stats_kick;		/* a stats buffer was added: notify the device (w) */
	bool floor_said;		/* "stopped at the floor" said for this target (w) */
	u32 oom_hold;			/* OOM deflated: no inflating until the next config
					   change (l) */
	u32 oom_tell_said;		/* the MUST_TELL_HOST OOM note was printed (l) */
	bool config_polled;		/* no config-change signal: num_pages is polled (c) */
	struct oom_notifier oom;	/* registered with DEFLATE_ON_OOM (c) */
	u32 oom_pfns[VB_OOM_RECORD];	/* freed by the OOM notifier, host not told yet (b) */
	unsigned int oom_n;		/* entries in oom_pfns (b) */
	/*
	 * Enqueued pages whose inflate request the host has not acknowledged: the newest on
	 * the list. The OOM path must not reuse them (the host may still discard their
	 * contents), so it takes the oldest pages and at most nr_inflated - unacked. Raised
	 * before the enqueue, lowered after the ack: never too low (l).
	 */
	unsigned long unacked;
	/* Figures for the `balloon` command (w, or l where marked; read racily). */
	u64 inflate_batches;
	u64 deflate_batches;
	u64 stats_answered;
	u64 oom_pages;			/* pages the OOM notifier gave back (l) */
	u64 floor_stops;
	u64 ack_timeouts;
	u64 last_inflate_ns;		/* the last batch's send-to-ack time */
	u64 last_deflate_ns;
	/*
	 * Migration (vb_migratepage()): the two one-pfn requests' pfns, in vb->shared, and
	 * which of them the device acknowledged (bit 0 inflate, bit 1 deflate). Only the
	 * holder of vb->running touches them (w).
	 */
	u32 *mig_pfns;
	unsigned int mig_acked;
	u64 migrated;			/* pages moved by compaction (w) */
};

/* One device: a second one is refused with a message (nothing needs two). */
static struct virtio_balloon vb_dev;
static struct virtio_balloon *vb_bound;	/* &vb_dev while bound (registry serialises) */

/* Queue the work on its CPU. Context: any (interrupt handlers, the OOM path). */
static void vb_kick_work(struct virtio_balloon *vb)
{
	if (!__atomic_load_n(&vb->stopping, __ATOMIC_ACQUIRE))
		queue_work_on(vb->cpu, &vb->work);
}

/* Queue completions: collect them from the work. Context: interrupt (or the poll work). */
static void vb_vq_done(struct virtqueue *vq)
{
	vb_kick_work(vq->vdev->priv);
}

/* The host moved the target. Context: interrupt context (or the poll work), IRQs off. */
static void vb_config_changed(struct virtio_device *vdev)
{
	struct virtio_balloon *vb = vdev->priv;

	__atomic_store_n(&vb->oom_hold, 0, __ATOMIC_RELAXED);
	vb_kick_work(vb);
}

/* The free pages inflation must leave: the high watermarks plus a margin. */
static unsigned long vb_floor_pages(void)
{
	return total_wmark_pages(WMARK_HIGH) + VB_FLOOR_MARGIN;
}

static void vb_write_actual(struct virtio_balloon *vb)
{
	u32 le = vb->actual;	/* little-endian: both our CPUs are */

	virtio_cwrite(vb->vdev, VB_CFG_ACTUAL, &le, sizeof(le));
}

/* Hand one pfn array to the device. 0 or -errno (the device is then broken or full). */
static int vb_send(struct virtqueue *vq, struct vb_batch *batch, unsigned int n)
{
	struct vring_sg sg = { .addr = __pa(batch->pfns), .len = n * sizeof(u32) };
	int err = virtqueue_add_buf(vq, &sg, 1, 0, batch);

	if (err)
		return err;
	batch->n = n;
	batch->sent_ns = arch_clock_ns();
	batch->late_said = false;
	virtqueue_kick(vq);
	return 0;
}

/* Fill the stats buffer with what this kernel measures now. */
static void vb_fill_stats(struct virtio_balloon *vb)
{
	unsigned long free = nr_free_pages(), low = total_wmark_pages(WMARK_LOW);
	vb->stats[0] = (struct virtio_balloon_stat){ VIRTIO_BALLOON_S_MEMFREE,
						     (u64)free * PAGE_SIZE };
	vb->stats[1] = (struct virtio_balloon_stat){ VIRTIO_BALLOON_S_MEMTOT,
						     (u64)totalram_pages() * PAGE_SIZE };
	/* As meminfo's MemAvailable: what allocations may take before the reserves. */
	vb->stats[2] = (struct virtio_balloon_stat){ VIRTIO_BALLOON_S_AVAIL,
						     (u64)(free > low ? free - low : 0) *
							     PAGE_SIZE };
}

static int vb_send_stats(struct virtio_balloon *vb)
{
	struct vring_sg sg = { .addr = __pa(vb->stats),
			       .len = VB_NR_STATS * sizeof(struct virtio_balloon_stat) };
	int err;

	vb_fill_stats(vb);
	err = virtqueue_add_buf(vb->stats_vq, &sg, 1, 0, vb->stats);
	if (!err)
		vb->stats_out = true;
	return err;
}

/* A free slot of @slots, or NULL when all VB_INFLIGHT are in flight. */
static struct vb_batch *vb_free_slot(struct vb_batch *slots)
{
	for (unsigned int i = 0; i < VB_INFLIGHT; i++)
		if (!slots[i].n)
			return &slots[i];
	return NULL;
}

static unsigned int vb_busy_slots(const struct vb_batch *slots)
{
	unsigned int busy = 0;

	for (unsigned int i = 0; i < VB_INFLIGHT; i++)
		busy += slots[i].n != 0;
	return busy;
}

/* Is @token one of @slots with a batch in flight? (The ring returns only tokens we gave.) */
static struct vb_batch *vb_slot_of(struct vb_batch *slots, void *token)
{
	for (unsigned int i = 0; i < VB_INFLIGHT; i++)
		if (token == &slots[i] && slots[i].n)
			return &slots[i];
	return NULL;
}

/* Collect acknowledgements: inflated batches are the host's now, deflated ones are ours. */
static void vb_collect(struct virtio_balloon *vb)
{
	struct vb_batch *b;
	void *token;
	u32 len;

	while ((token = virtqueue_get_buf(vb->inflate_vq, &len))) {
		if (token == &vb->mig_pfns[0]) {
			vb->mig_acked |= 1;
			continue;
		}
		b = vb_slot_of(vb->inflate, token);
		if (!b)
			continue;
		vb->last_inflate_ns = arch_clock_ns() - b->sent_ns;
		trace_balloon_inflate(b->pfns[0], b->n);
		__atomic_fetch_sub(&vb->unacked, b->n, __ATOMIC_RELEASE);
		vb->actual += b->n;
		vb->inflate_batches++;
		b->n = 0;
		vb_write_actual(vb);
	}
	while ((token = virtqueue_get_buf(vb->deflate_vq, &len))) {
		if (token == &vb->mig_pfns[1]) {
			vb->mig_acked |= 2;
			continue;
		}
		b = vb_slot_of(vb->deflate, token);
		if (!b)
			continue;
		vb->last_deflate_ns = arch_clock_ns() - b->sent_ns;
		trace_balloon_deflate(b->pfns[0], b->n);
		/* The host has let go (MUST_TELL_HOST satisfied): the pages are ours again. */
		if (b->free_after)
			for (unsigned int i = 0; i < b->n; i++)
				__free_page(b->pages[i]);
		vb->actual -= b->n;
		vb->deflate_batches++;
		b->n = 0;
		vb_write_actual(vb);
	}
	if (vb->report_vq && virtqueue_get_buf(vb->report_vq, &len)) {
		/* The host has discarded the blocks' memory: they go back to the zones. */
		__atomic_store_n(&vb->report_out, 0, __ATOMIC_RELEASE);
		page_reporting_done(&vb->prdev, true);
	}
	if (vb->stats_vq && virtqueue_get_buf(vb->stats_vq, &len)) {
		vb->stats_out = false;
		vb->stats_ready = true;
	}
}

/* A batch in flight: has it been waiting too long? Say so once per batch. */
static void vb_check_late(struct virtio_balloon *vb, struct vb_batch *b, const char *what)
{
	u64 waited_ms = (arch_clock_ns() - b->sent_ns) / 1000000;

	if (!b->n || b->late_said || waited_ms < VB_ACK_TIMEOUT_MS)
		return;
	b->late_said = true;
	vb->ack_timeouts++;
	pr_warn("virtio-balloon: %s: no acknowledgement of %u %s pages after %llu ms; "
		"actual stays %u, still waiting\n", vb->vdev->name, b->n, what,
		(unsigned long long)waited_ms, vb->actual);
}

/* Start one inflate batch of up to @want pages in slot @b. Return: pages sent. */
static unsigned int vb_inflate_batch(struct virtio_balloon *vb, struct vb_batch *b,
				     unsigned int want)
{
	unsigned long floor = vb_floor_pages();
	unsigned int n = 0;

	want = min_t(unsigned int, want, VB_BATCH);
	while (n < want) {
		struct page *page = NULL;

		if (nr_free_pages() > floor)
			page = balloon_page_alloc();
		if (!page)
			break;
		b->pages[n] = page;
		b->pfns[n] = (u32)page_to_pfn(page);
		n++;
	}
	if (n < want && !vb->floor_said) {
		vb->floor_said = true;
		vb->floor_stops++;
		pr_info("virtio-balloon: %s: memory low (%lu pages free, floor %lu): the balloon "
			"stops at %lu of %u pages for now\n", vb->vdev->name, nr_free_pages(),
			floor, balloon_nr_inflated(&vb->balloon) + n, vb->target);
	}
	if (!n)
		return 0;
	__atomic_fetch_add(&vb->unacked, n, __ATOMIC_ACQ_REL);
	balloon_pages_enqueue(&vb->balloon, b->pages, n);
	if (vb_send(vb->inflate_vq, b, n)) {
		/*
		 * Only a broken device refuses. The host never saw these pfns: take as many
		 * pages back off the list (the newest: these, unless OOM took some) and free
		 * them, so the balloon holds only what the host was told about.
		 */
		unsigned int back = balloon_pages_dequeue(&vb->balloon, b->pages, n);

		for (unsigned int i = 0; i < back; i++)
			__free_page(b->pages[i]);
		__atomic_fetch_sub(&vb->unacked, n, __ATOMIC_RELEASE);
		pr_err("virtio-balloon: %s: inflate request refused; %u pages freed again\n",
		       vb->vdev->name, back);
		return 0;
	}
	return n;
}

/* Start one deflate batch of up to @want pages in slot @b. Return: pages sent. */
static unsigned int vb_deflate_batch(struct virtio_balloon *vb, struct vb_batch *b,
				     unsigned int want)
{
	unsigned int n;

	want = min_t(unsigned int, want, VB_BATCH);
	n = balloon_pages_dequeue(&vb->balloon, b->pages, want);
	for (unsigned int i = 0; i < n; i++)
		b->pfns[i] = (u32)page_to_pfn(b->pages[i]);
	b->free_after = true;
	if (n && vb_send(vb->deflate_vq, b, n)) {
		/* A broken device: the host cannot be told, so the pages go back in. */
		balloon_pages_enqueue(&vb->balloon, b->pages, n);
		pr_err("virtio-balloon: %s: deflate request refused; %u pages stay in the balloon\n",
		       vb->vdev->name, n);
		return 0;
	}
	return n;
}

/* Tell the host about pages the OOM notifier already gave back, in slot @b. */
static unsigned int vb_tell_oom(struct virtio_balloon *vb, struct vb_batch *b)
{
	unsigned int n = 0;

	/* A batch at a time, from the end of the record. */
	scoped_guard(spinlock_irqsave, &vb->balloon.lock) {
		n = min_t(unsigned int, vb->oom_n, VB_BATCH);
		vb->oom_n -= n;
		memcpy(b->pfns, &vb->oom_pfns[vb->oom_n], n * sizeof(u32));
	}
	if (!n)
		return 0;
	b->free_after = false;
	if (vb_send(vb->deflate_vq, b, n))
		pr_err("virtio-balloon: %s: could not tell the host about %u pages deflated on OOM\n",
		       vb->vdev->name, n);
	return n;
}

/* num_pages now; false (nothing to do) if the device cannot be read. */
static bool vb_read_target(struct virtio_balloon *vb)
{
	u32 target;

	if (virtio_cread(vb->vdev, VB_CFG_NUM_PAGES, &target, sizeof(target)))
		return false;
	if (target != vb->target) {
		WRITE_ONCE(vb->target, target);
		vb->floor_said = false;
		/* A new target is the host's word after an OOM deflation (even unsignalled). */
		__atomic_store_n(&vb->oom_hold, 0, __ATOMIC_RELAXED);
	}
	return true;
}

/*
 * Start batches while slots are free and the target is not met, one direction at a time:
 * a change of direction waits until the other direction's batches are acknowledged.
 */
static unsigned int vb_start_batches(struct virtio_balloon *vb)
{
	unsigned int started = 0;
	struct vb_batch *b;

	/* Pages already back in use on OOM: the host hears of them first. */
	while (!vb_busy_slots(vb->inflate) && (b = vb_free_slot(vb->deflate))) {
		if (!vb_tell_oom(vb, b))
			break;
		started++;
	}
	for (;;) {
		unsigned long inflated = balloon_nr_inflated(&vb->balloon);

		/* Re-read before every batch: the host may move the target at any time. */
		if (virtio_is_broken(vb->vdev) || !vb_read_target(vb))
			return started;
		if (vb->target > inflated) {
			if (__atomic_load_n(&vb->oom_hold, __ATOMIC_RELAXED) ||
			    vb_busy_slots(vb->deflate) || !(b = vb_free_slot(vb->inflate)))
				return started;
			if (!vb_inflate_batch(vb, b, vb->target - inflated)) {
				queue_delayed_work_on(vb->cpu, &vb->timer, VB_RETRY_MS);
				return started;
			}
		} else if (vb->target < inflated) {
			if (vb_busy_slots(vb->inflate) || !(b = vb_free_slot(vb->deflate)))
				return started;
			if (!vb_deflate_batch(vb, b, inflated - vb->target))
				return started;
		} else {
			return started;
		}
		started++;
	}
}

/* One step; see "The work" at the top. Context: vb->cpu, process context, vb->running. */
static void vb_step(struct virtio_balloon *vb)
{
	if (virtio_is_broken(vb->vdev))
		return;
	/* Completions and config changes come only from DRIVER_OK on; so do our kicks. */
	if (!(vb->vdev->ops->get_status(vb->vdev) & VIRTIO_STATUS_DRIVER_OK)) {
		queue_delayed_work_on(vb->cpu, &vb->timer, VB_ACK_CHECK_MS);
		return;
	}
	vb_collect(vb);
	if (vb->stats_ready) {
		/* 5.5.6.3: the device gave the buffer back to ask for fresh figures. */
		vb->stats_ready = false;
		if (!vb_send_stats(vb)) {
			vb->stats_answered++;
			vb->stats_kick = true;
		}
	}
	if (vb->stats_kick) {
		vb->stats_kick = false;
		virtqueue_kick(vb->stats_vq);
	}
	/*
	 * A device often acknowledges at once (QEMU handles a kick before the write returns
	 * under TCG): look for the acknowledgements right away rather than a poll or an
	 * interrupt later, for a few rounds, then let the CPU run other work and come back.
	 */
	for (unsigned int round = 0; vb_start_batches(vb); round++) {
		if (round + 1 == VB_RUN_ROUNDS) {
			vb_kick_work(vb);	/* after what else waits on this CPU */
			break;
		}
		vb_collect(vb);
	}
	if (vb_busy_slots(vb->inflate) || vb_busy_slots(vb->deflate)) {
		for (unsigned int i = 0; i < VB_INFLIGHT; i++) {
			vb_check_late(vb, &vb->inflate[i], "inflated");
			vb_check_late(vb, &vb->deflate[i], "deflated");
		}
		/* The completion interrupt queues the work; this is the bound's check. */
		queue_delayed_work_on(vb->cpu, &vb->timer, VB_ACK_CHECK_MS);
	}
}

static void vb_work_fn(struct work_struct *work)
{
	struct virtio_balloon *vb = container_of(work, struct virtio_balloon, work);

	/* Queued on another CPU while running (a hotplug move): let the first run finish. */
	if (__atomic_exchange_n(&vb->running, 1, __ATOMIC_ACQUIRE)) {
		queue_delayed_work_on(vb->cpu, &vb->timer, WORK_TICK_MS);
		return;
	}
	vb_step(vb);
	if (vb->config_polled && !__atomic_load_n(&vb->stopping, __ATOMIC_ACQUIRE))
		queue_delayed_work_on(vb->cpu, &vb->timer, VB_CONFIG_POLL_MS);
	__atomic_store_n(&vb->running, 0, __ATOMIC_RELEASE);
}

static void vb_timer_fn(struct work_struct *work)
{
	struct virtio_balloon *vb = container_of(to_delayed_work(work), struct virtio_balloon,
						 timer);

	vb_kick_work(vb);
}

/*
 * Pages back on OOM under one trylock, pfns recorded: the oldest, and only pages whose
 * inflation the host has acknowledged (the unacknowledged are the newest).
 */
static unsigned int vb_oom_take(struct virtio_balloon *vb, struct page **pages, unsigned int max)
{
	scoped_cond_guard(spinlock_try_irqsave, &vb->balloon.lock) {
		unsigned long unacked = __atomic_load_n(&vb->unacked, __ATOMIC_ACQUIRE);
		unsigned long acked = vb->balloon.nr_inflated > unacked ?
				      vb->balloon.nr_inflated - unacked : 0;
		unsigned int n = min_t(unsigned int, max, VB_OOM_RECORD - vb->oom_n);

		n = __balloon_pages_dequeue_oldest(&vb->balloon, pages, min_t(unsigned long, n,
									       acked));
		for (unsigned int i = 0; i < n; i++)
			vb->oom_pfns[vb->oom_n++] = (u32)page_to_pfn(pages[i]);
		return n;
	}
	return 0;
}

/*
 * The allocator is about to fail: give back up to VB_OOM_PAGES (DEFLATE_ON_OOM, 5.5.6.1:
 * the driver may use balloon pages when needed for system stability). Without
 * MUST_TELL_HOST the pages may be reused before the host is told; the work tells it later.
 * With MUST_TELL_HOST they may not, and telling means waiting, which this context cannot
 * do: nothing is given back then.
 * Context: inside a failing allocation: any CPU, maybe interrupt context; trylocks only,
 * allocates nothing.
 */
static unsigned long vb_oom_notify(struct oom_notifier *nb, unsigned int order, gfp_t gfp)
{
	struct virtio_balloon *vb = container_of(nb, struct virtio_balloon, oom);
	struct page *pages[32];
	unsigned long freed = 0;

	(void)order;
	(void)gfp;
	if (virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_MUST_TELL_HOST)) {
		if (!__atomic_exchange_n(&vb->oom_tell_said, 1, __ATOMIC_RELAXED))
			pr_info("virtio-balloon: %s: out of memory, but MUST_TELL_HOST forbids "
				"reusing pages before the host acknowledges: none given back\n",
				vb->vdev->name);
		return 0;
	}
	while (freed < VB_OOM_PAGES) {
		unsigned int n = vb_oom_take(vb, pages, ARRAY_SIZE(pages));

		if (!n)
			break;
		for (unsigned int i = 0; i < n; i++)
			free_pages_nolock(pages[i], 0);
		freed += n;
	}
	if (freed) {
		__atomic_store_n(&vb->oom_hold, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&vb->oom_pages, freed, __ATOMIC_RELAXED);
		vb_kick_work(vb);
	}
	return freed;
}

/*
 * Free page reporting (5.5.6.5): the blocks go to the device as one request of
 * device-writable ranges; its acknowledgement (vb_collect()) gives them back.
 * Context: mm's reporting work, process context, no locks held.
 */
static int vb_report(struct page_reporting_dev_info *prdev, struct page *const *pages,
		     const unsigned int *orders, unsigned int n)
{
	struct virtio_balloon *vb = container_of(prdev, struct virtio_balloon, prdev);
	struct vring_sg sg[PAGE_REPORTING_CAPACITY];
	int err;

	if (n > PAGE_REPORTING_CAPACITY || __atomic_load_n(&vb->stopping, __ATOMIC_ACQUIRE) ||
	    !(vb->vdev->ops->get_status(vb->vdev) & VIRTIO_STATUS_DRIVER_OK))
		return -EAGAIN;
	for (unsigned int i = 0; i < n; i++)
		sg[i] = (struct vring_sg){ .addr = page_to_phys(pages[i]),
					   .len = (u32)(PAGE_SIZE << orders[i]) };
	err = virtqueue_add_buf(vb->report_vq, sg, 0, n, vb);
	if (err)
		return err;
	__atomic_store_n(&vb->report_out, n, __ATOMIC_RELEASE);
	trace_balloon_report(page_to_pfn(pages[0]), orders[0], n);
	virtqueue_kick(vb->report_vq);
	return 0;
}

/*
 * Tell the host about one page on @vq (slot @i of vb->mig_pfns) and poll, collecting as the
 * work does, until it acknowledges. 0, or -EIO (refused, or no answer within
 * VB_MIGRATE_TIMEOUT_MS: the device is then marked broken, as a host that cannot answer a
 * one-page request with the guest waiting is of no use to it). Context: vb_migratepage().
 */
static int vb_tell_one(struct virtio_balloon *vb, struct virtqueue *vq, unsigned int i,
		       struct page *page)
{
	struct vring_sg sg = { .addr = __pa(&vb->mig_pfns[i]), .len = sizeof(u32) };
	u64 t0 = arch_clock_ns();

	vb->mig_pfns[i] = (u32)page_to_pfn(page);
	vb->mig_acked &= ~(1u << i);
	if (virtqueue_add_buf(vq, &sg, 1, 0, &vb->mig_pfns[i]))
		return -EIO;		/* broken, or full of batches: try later */
	virtqueue_kick(vq);
	while (!(vb->mig_acked & (1u << i))) {
		vb_collect(vb);
		if (vb->mig_acked & (1u << i))
			break;
		if (arch_clock_ns() - t0 > VB_MIGRATE_TIMEOUT_MS * 1000000ULL) {
			virtio_mark_broken(vb->vdev, "balloon migration: no acknowledgement of pfn "
					   "%#x on the %s queue in %u ms", vb->mig_pfns[i],
					   i ? "deflate" : "inflate", VB_MIGRATE_TIMEOUT_MS);
			return -EIO;
		}
		arch_cpu_relax();
	}
	return 0;
}

/*
 * mm/balloon.h's migratepage hook: compaction moves a balloon page. The host hears of the
 * new page (inflate) before it lets go of the old one (deflate), each acknowledged before
 * the next step, so at no moment does it hold neither; `actual` does not change. Called
 * with the balloon lock held (IRQs off), so the acknowledgements are polled; only while
 * the work is not running (owning vb->running makes this the only collector of the queues:
 * a batch's acknowledgement met on the way is handled as the work would handle it), and
 * the work is kicked afterwards. -EAGAIN (busy, stopping, broken: compaction tries again
 * later and nothing changed) or -EIO (see vb_tell_one(); if only the deflate failed, the
 * host counts the new page too, which costs it nothing it did not have).
 */
static int vb_migratepage(struct balloon *b, struct page *newpage, struct page *page)
{
	struct virtio_balloon *vb = container_of(b, struct virtio_balloon, balloon);
	int err;

	if (__atomic_load_n(&vb->stopping, __ATOMIC_ACQUIRE) || virtio_is_broken(vb->vdev) ||
	    !(vb->vdev->ops->get_status(vb->vdev) & VIRTIO_STATUS_DRIVER_OK))
		return -EAGAIN;
	if (__atomic_exchange_n(&vb->running, 1, __ATOMIC_SEQ_CST))
		return -EAGAIN;
	/*
	 * Look at `stopping` again now that we own `running`: vb_remove() stores stopping
	 * before it reads running, both seq_cst, so either it waits for us or we see it.
	 */
	if (__atomic_load_n(&vb->stopping, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&vb->running, 0, __ATOMIC_RELEASE);
		return -EAGAIN;
	}
	err = vb_tell_one(vb, vb->inflate_vq, 0, newpage);
	if (!err)
		err = vb_tell_one(vb, vb->deflate_vq, 1, page);
	if (!err) {
		vb->migrated++;
		trace_balloon_migrate(page_to_pfn(page), page_to_pfn(newpage));
	}
	__atomic_store_n(&vb->running, 0, __ATOMIC_RELEASE);
	vb_kick_work(vb);
	return err;
}

static int vb_probe(struct virtio_device *vdev)
{
	struct virtio_balloon *vb = &vb_dev;
	bool oom = virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEFLATE_ON_OOM);
	int err;

	if (vb_bound) {
		pr_info("virtio-balloon: %s: %s already drives the balloon; this one is left "
			"alone\n", vdev->name, vb_bound->vdev->name);
		return -EBUSY;
	}
	if (vdev->config_len < VB_CFG_ACTUAL + 4) {
		pr_err("virtio-balloon: %s: config space of %u bytes has no num_pages/actual\n",
		       vdev->name, vdev->config_len);
		return -EINVAL;
	}
	memset(vb, 0, sizeof(*vb));
	vb->vdev = vdev;
	vb->cpu = smp_processor_id();
	vdev->priv = vb;
	INIT_WORK(&vb->work, vb_work_fn);
	INIT_DELAYED_WORK(&vb->timer, vb_timer_fn);
	/* Without DEFLATE_ON_OOM the pages are the host's for good: out of MemTotal. */
	err = balloon_init(&vb->balloon, vdev->name, !oom);
	if (err)
		return err;
	vb->shared = alloc_pages(GFP_KERNEL | __GFP_ZERO, VB_SHARED_ORDER);
	if (!vb->shared) {
		err = -ENOMEM;
		goto fail;
	}
	for (unsigned int i = 0; i < VB_INFLIGHT; i++) {
		vb->inflate[i].pfns = (u32 *)((char *)page_address(vb->shared) +
					      VB_INFLATE_OFF(i));
		vb->deflate[i].pfns = (u32 *)((char *)page_address(vb->shared) +
					      VB_DEFLATE_OFF(i));
	}
	vb->stats = (struct virtio_balloon_stat *)((char *)page_address(vb->shared) +
						   VB_STATS_OFF);
	vb->mig_pfns = (u32 *)((char *)page_address(vb->shared) + VB_MIGRATE_OFF);
	/* Compaction may move the pages (mm/migrate.h): set before the first enqueue. */
	vb->balloon.migratepage = vb_migratepage;
	err = -ENODEV;
	vb->inflate_vq = virtio_find_vq(vdev, 0, 0, "inflate", vb_vq_done);
	vb->deflate_vq = virtio_find_vq(vdev, 1, 0, "deflate", vb_vq_done);
	if (!vb->inflate_vq || !vb->deflate_vq)
		goto fail;
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_STATS_VQ)) {
		vb->stats_vq = virtio_find_vq(vdev, 2, 0, "stats", vb_vq_done);
		if (!vb->stats_vq)
			goto fail;
		/* 5.5.6.3: the first buffer before DRIVER_OK; the kick waits for the work. */
		if (vb_send_stats(vb))
			goto fail;
		vb->stats_kick = true;
	}
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_REPORTING)) {
		/*
		 * Its index counts the queues the device offers before it, whether or not
		 * they were accepted: stats (always accepted when offered), free page hint.
		 */
		u64 offered = vdev->ops->get_features(vdev);
		unsigned int index = 2 + !!(offered & BIT(VIRTIO_BALLOON_F_STATS_VQ)) +
				     !!(offered & BIT(VIRTIO_BALLOON_F_FREE_PAGE_HINT));

		/*
		 * 5.5.6.5: with page_poison=1 the host must keep reported pages poisoned,
		 * which it knows only through PAGE_POISON; without it, reporting would hand
		 * back zeroed pages the poison check calls corrupt.
		 */
		if (page_poison_byte() >= 0 &&
		    !virtio_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON)) {
			pr_info("virtio-balloon: %s: page_poison=1 but no PAGE_POISON: free page "
				"reporting not used\n", vdev->name);
		} else {
			vb->report_vq = virtio_find_vq(vdev, index, 0, "reporting", vb_vq_done);
			if (!vb->report_vq)
				goto fail;
		}
	}
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON)) {
		/* Before DRIVER_OK: the byte page_poison writes, in all four bytes. */
		u32 val = (u32)page_poison_byte() * 0x01010101u;

		if (vdev->config_len < VB_CFG_POISON_VAL + 4) {
			pr_err("virtio-balloon: %s: PAGE_POISON without a poison_val field (config "
			       "is %u bytes)\n", vdev->name, vdev->config_len);
			err = -EINVAL;
			goto fail;
		}
		virtio_cwrite(vdev, VB_CFG_POISON_VAL, &val, sizeof(val));
	}
	if (oom) {
		vb->oom.notify = vb_oom_notify;
		oom_notifier_register(&vb->oom);
	}
	/*
	 * Polled, with a transport that has no ISR to read: the core cannot see a config
	 * change, so the driver reads num_pages itself every VB_CONFIG_POLL_MS.
	 */
	vb->config_polled = vdev->irq_mode == VIRTIO_IRQ_POLL && !vdev->ops->read_isr;
	if (vb->config_polled)
		pr_info("virtio-balloon: %s: config changes cannot be signalled here: the target "
			"is read every %u ms\n", vdev->name, VB_CONFIG_POLL_MS);
	vb_bound = vb;
	if (vb->report_vq) {
		vb->prdev.report = vb_report;
		vb->prdev.name = vdev->name;
		if (page_reporting_register(&vb->prdev)) {
			pr_info("virtio-balloon: %s: another device reports free pages\n",
				vdev->name);
			vb->prdev.report = NULL;
		}
	}
	/* Runs once this CPU is back in its idle loop or shell, after DRIVER_OK. */
	queue_work_on(vb->cpu, &vb->work);
	return 0;
fail:
	/* The core frees the queues (virtio_del_vqs()) after a failed probe. */
	if (vb->shared)
		__free_pages(vb->shared, VB_SHARED_ORDER);
	vb->shared = NULL;
	balloon_destroy(&vb->balloon);
	vdev->priv = NULL;
	return err;
}

#define VB_ISOLATED_WAIT_NS	5000000000ULL	/* for scanners to give isolated pages back */

/*
 * The device is reset: nothing it holds is in use; every page goes back. Pages a compaction
 * scanner on another CPU holds isolated come back to the list when it migrates them (which
 * fails now: `stopping`) or puts them back, so the list is emptied until none is out; only
 * then does no page name the balloon, and it can go.
 */
static void vb_remove(struct virtio_device *vdev)
{
	struct virtio_balloon *vb = vdev->priv;
	struct page **pages = vb->deflate[0].pages;
	unsigned int n;
	u64 deadline;

	__atomic_store_n(&vb->stopping, 1, __ATOMIC_SEQ_CST);
	/* The device is reset: blocks it held for reporting go back to the zones. */
	if (vb->prdev.report)
		page_reporting_unregister(&vb->prdev);
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEFLATE_ON_OOM))
		oom_notifier_unregister(&vb->oom);
	cancel_delayed_work_sync(&vb->timer);
	cancel_work_sync(&vb->work);
	cancel_delayed_work_sync(&vb->timer);	/* the work may have armed it meanwhile */
	/* Deflated, unacknowledged: the device is reset, nothing uses them any more. */
	for (unsigned int s = 0; s < VB_INFLIGHT; s++)
		if (vb->deflate[s].n && vb->deflate[s].free_after)
			for (unsigned int i = 0; i < vb->deflate[s].n; i++)
				__free_page(vb->deflate[s].pages[i]);
	/* A migration that took `running` before it saw `stopping` ends (or times out) first. */
	while (__atomic_load_n(&vb->running, __ATOMIC_SEQ_CST))
		arch_cpu_relax();
	deadline = arch_clock_ns() + VB_ISOLATED_WAIT_NS;
	for (;;) {
		while ((n = balloon_pages_dequeue(&vb->balloon, pages, VB_BATCH)))
			for (unsigned int i = 0; i < n; i++)
				__free_page(pages[i]);
		if (!balloon_nr_inflated(&vb->balloon))
			break;
		if (arch_clock_ns() > deadline) {
			pr_err("virtio-balloon: %s: %lu pages still isolated by a scanner after "
			       "%llu s: left to it\n", vdev->name, vb->balloon.nr_isolated,
			       VB_ISOLATED_WAIT_NS / 1000000000ULL);
			break;
		}
		arch_cpu_relax();
	}
	balloon_destroy(&vb->balloon);
	__free_pages(vb->shared, VB_SHARED_ORDER);
	vb_bound = NULL;
	vdev->priv = NULL;
}

/* PAGE_POISON is added by virtio_balloon_init() when page_poison=1 (c after that). */
#define VB_BASE_FEATURES	4
static unsigned int vb_features[VB_BASE_FEATURES + 1] = {
	VIRTIO_BALLOON_F_MUST_TELL_HOST,
	VIRTIO_BALLOON_F_STATS_VQ,
	VIRTIO_BALLOON_F_DEFLATE_ON_OOM,
	VIRTIO_BALLOON_F_REPORTING,
};

static struct virtio_driver vb_driver = {
	.name = "virtio-balloon",
	.device_id = VIRTIO_ID_BALLOON,
	.feature_table = vb_features,
	.nr_features = VB_BASE_FEATURES,
	.probe = vb_probe,
	.remove = vb_remove,
	.config_changed = vb_config_changed,
};

void virtio_balloon_init(void)
{
	/*
	 * PAGE_POISON (5.5.6.4): only when free pages really are poisoned. It matters for
	 * free page hinting and reporting, where the host must keep a reported page's
	 * contents as poison_val; the traditional balloon's pages are unaffected.
	 */
	vb_driver.nr_features = VB_BASE_FEATURES;
	if (page_poison_byte() >= 0)
		vb_features[vb_driver.nr_features++] = VIRTIO_BALLOON_F_PAGE_POISON;
	virtio_register_driver(&vb_driver);
}

void virtio_balloon_exit(void)
{
	virtio_unregister_driver(&vb_driver);
}

bool virtio_balloon_state(unsigned long *inflated, bool *in_memtotal)
{
	struct virtio_balloon *vb = READ_ONCE(vb_bound);

	if (!vb)
		return false;
	*inflated = balloon_nr_inflated(&vb->balloon);
	*in_memtotal = !vb->balloon.adjust_managed;
	return true;
}

/* ---- the `balloon` shell command ---- */

static void vb_show_vq(const char *what, struct virtqueue *vq)
{
	if (!vq) {
		printk("  %-8s none\n", what);
		return;
	}
	printk("  %-8s index %u, %u entries, %u free, %lu kicks\n", what, vq->index, vq->num,
	       virtqueue_num_free(vq), vq->nr_kicks);
}

static int cmd_balloon(int argc, char **argv)
{
	struct virtio_balloon *vb = READ_ONCE(vb_bound);
	static const char *const names[] = { "MUST_TELL_HOST", "STATS_VQ", "DEFLATE_ON_OOM",
					      "FREE_PAGE_HINT", "PAGE_POISON", "REPORTING" };
	char fbuf[64];
	u64 feat;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "check") != 0))
		return SHELL_EUSAGE;
	if (!vb) {
		printk("balloon: no virtio-balloon device (QEMU: -device virtio-balloon-pci or "
		       "virtio-balloon-device)\n");
		return SHELL_EFAIL;
	}
	if (argc == 2) {
		int problems = balloon_check(&vb->balloon);

		printk("balloon: check: %lu pages on the list, %d problem%s\n",
		       balloon_nr_inflated(&vb->balloon), problems, problems == 1 ? "" : "s");
		return problems ? SHELL_EFAIL : 0;
	}
	feat = vb->vdev->features;
	printk("balloon: %s (%s, interrupts: %s%s)%s\n", vb->vdev->name,
	       vb->vdev->legacy ? "legacy" : "modern", virtio_irq_mode_name(vb->vdev->irq_mode),
	       vb->config_polled ? ", target polled" : "",
	       virtio_is_broken(vb->vdev) ? " BROKEN" : "");
	printk("  target   %u pages (%u KiB)\n", READ_ONCE(vb->target),
	       READ_ONCE(vb->target) * 4);
	printk("  actual   %u pages (%u KiB)\n", READ_ONCE(vb->actual), READ_ONCE(vb->actual) * 4);
	printk("  inflated %lu pages, isolated %lu, migrated %llu\n",
	       balloon_nr_inflated(&vb->balloon), READ_ONCE(vb->balloon.nr_isolated),
	       (unsigned long long)READ_ONCE(vb->migrated));
	fbuf[0] = '\0';
	for (unsigned int i = 0, len = 0; i < ARRAY_SIZE(names); i++)
		if (feat & BIT(i))
			len += snprintf(fbuf + len, sizeof(fbuf) - len, " %s", names[i]);
	printk("  features%s (0x%llx)\n", fbuf[0] ? fbuf : " none of the balloon's",
	       (unsigned long long)feat);
	printk("  MemTotal %s\n", vb->balloon.adjust_managed ?
	       "excludes inflated pages" : "includes inflated pages (DEFLATE_ON_OOM)");
	printk("  batches  %llu inflate (last %llu us), %llu deflate (last %llu us), at most %u "
	       "pages each\n", (unsigned long long)vb->inflate_batches,
	       (unsigned long long)vb->last_inflate_ns / 1000,
	       (unsigned long long)vb->deflate_batches,
	       (unsigned long long)vb->last_deflate_ns / 1000, VB_BATCH);
	printk("  floor    %lu pages free kept; stopped there %llu time%s\n", vb_floor_pages(),
	       (unsigned long long)vb->floor_stops, vb->floor_stops == 1 ? "" : "s");
	printk("  oom      %llu pages given back; ack timeouts %llu\n",
	       (unsigned long long)__atomic_load_n(&vb->oom_pages, __ATOMIC_RELAXED),
	       (unsigned long long)vb->ack_timeouts);
	vb_show_vq("inflateq", vb->inflate_vq);
	vb_show_vq("deflateq", vb->deflate_vq);
	vb_show_vq("statsq", vb->stats_vq);
	vb_show_vq("reportq", vb->report_vq);
	if (vb->report_vq) {
		struct page_reporting_stats rs;

		page_reporting_stats(&rs);
		printk("  reported %llu reports, %llu pages (%llu MiB); %u blocks with the host "
		       "now\n", (unsigned long long)rs.reports,
		       (unsigned long long)rs.pages_reported,
		       (unsigned long long)rs.pages_reported >> (20 - PAGE_SHIFT),
		       __atomic_load_n(&vb->report_out, __ATOMIC_RELAXED));
	}
	if (vb->stats_vq) {
		printk("  stats    %llu answered; last: free %llu KiB, total %llu KiB, "
		       "available %llu KiB\n", (unsigned long long)vb->stats_answered,
		       (unsigned long long)vb->stats[0].val / 1024,
		       (unsigned long long)vb->stats[1].val / 1024,
		       (unsigned long long)vb->stats[2].val / 1024);
	}
	return 0;
}
SHELL_COMMAND_USAGE(balloon, "[check]", "the virtio balloon: target, actual, queues, stats",
		    cmd_balloon);
