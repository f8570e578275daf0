// SPDX-License-Identifier: MIT
/*
 * The virtio-mmio transport (virtio 1.x section 4.2): version 2 (modern) and version 1
 * (legacy, 4.2.4), for the devices the device tree lists as "virtio,mmio" (boot_info's
 * devices[]; riscv64 `virt` has 8 slots, most of them empty: DeviceID 0, skipped silently).
 *
 *	QEMU: -device virtio-rng-device  (legacy, QEMU's default on `virt`)
 *	      -global virtio-mmio.force-legacy=false -device virtio-rng-device  (version 2)
 *
 * Version 2 gives each queue three addresses and a QueueReady bit; version 1 gives one
 * page frame number, in units of GuestPageSize, which the driver must write before
 * QueuePFN, and an alignment for the used ring (QueueAlign). Version 1 has no
 * FEATURES_OK step and no configuration generation counter: the core handles both.
 *
 * Interrupts: each slot has one wired line (the device tree's `interrupts`), which
 * arch_platform_irq() turns into an irq (riscv64: a PLIC source). The handler reads
 * InterruptStatus, acknowledges exactly those bits with InterruptACK (so the device lowers
 * the line before the controller's end-of-interrupt, and a bit set meanwhile raises it
 * again), then lets the core dispatch them. The interrupt is named after the device
 * ("virtio0"), as `interrupts` shows it. Where the platform has no such irq the core polls
 * through read_isr, which acknowledges the same way.
 *
 * Locking: the device table is filled by the boot CPU before any driver binds (m); the
 * registers of one device are used by the core's probe/remove path, by the queue doorbell,
 * which writes a single register, and by the interrupt handler (or the core's poll), which
 * only reads InterruptStatus and writes InterruptACK: two registers nothing else uses.
 */
#include "drivers/virtio/virtio_mmio.h"
#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/boot_info.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "arch/arch.h"
#include <asm/io.h>
#include <asm/memory.h>

/* Registers (4.2.2), byte offsets from the device's base. */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000	/* "virt", little-endian */
#define VIRTIO_MMIO_VERSION		0x004	/* 1 legacy, 2 modern */
#define VIRTIO_MMIO_DEVICE_ID		0x008	/* 0: an empty slot */
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE	0x028	/* legacy only */
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_ALIGN		0x03c	/* legacy only */
#define VIRTIO_MMIO_QUEUE_PFN		0x040	/* legacy only */
#define VIRTIO_MMIO_QUEUE_READY		0x044	/* modern only */
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090	/* the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0	/* the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc	/* modern only */
#define VIRTIO_MMIO_CONFIG		0x100	/* device-specific configuration */

#define VIRTIO_MMIO_MAGIC		0x74726976u
/* Legacy: the page size QueuePFN counts in; ours, which the legacy layout aligns to. */
#define VIRTIO_MMIO_LEGACY_PAGE		4096u
/* Reads of QueueReady while a queue is switched off: bounded, not forever. */
#define VIRTIO_MMIO_POLL_LIMIT		1000000u

struct virtio_mmio_device {
	struct virtio_device vdev;
	void *base;			/* registers (c) */
	phys_addr_t phys;		/* their physical address, for messages (c) */
	u32 irq;			/* the device tree's interrupt (a PLIC source) (c) */
	u32 version;			/* 1 or 2 (c) */
};

/* One per boot_info device at most, so the table cannot overflow. */
static struct virtio_mmio_device virtio_mmio_devs[BOOT_MAX_DEVICES];	/* (m) */
static unsigned int nr_virtio_mmio_devs;				/* (m) */

static struct virtio_mmio_device *to_mmio(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_mmio_device, vdev);
}

static u32 mmio_read(struct virtio_mmio_device *vm, unsigned int reg)
{
	return readl((u8 *)vm->base + reg);
}

static void mmio_write(struct virtio_mmio_device *vm, unsigned int reg, u32 val)
{
	writel(val, (u8 *)vm->base + reg);
}

static u8 vm_get_status(struct virtio_device *vdev)
{
	return (u8)mmio_read(to_mmio(vdev), VIRTIO_MMIO_STATUS);
}

static void vm_set_status(struct virtio_device *vdev, u8 status)
{
	mmio_write(to_mmio(vdev), VIRTIO_MMIO_STATUS, status);
}

static void vm_reset(struct virtio_device *vdev)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);

	mmio_write(vm, VIRTIO_MMIO_STATUS, 0);	/* virtio_reset_device() waits for 0 */
}

static u64 vm_get_features(struct virtio_device *vdev)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);
	u64 features;

	mmio_write(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	features = mmio_read(vm, VIRTIO_MMIO_DEVICE_FEATURES);
	if (vm->version >= 2) {
		mmio_write(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
		features |= (u64)mmio_read(vm, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	}
	return features;
}

static int vm_finalize_features(struct virtio_device *vdev, u64 features)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);

	mmio_write(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	mmio_write(vm, VIRTIO_MMIO_DRIVER_FEATURES, (u32)features);
	if (vm->version >= 2) {
		mmio_write(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		mmio_write(vm, VIRTIO_MMIO_DRIVER_FEATURES, (u32)(features >> 32));
	}
	return 0;
}

static u32 vm_generation(struct virtio_device *vdev)
{
	return mmio_read(to_mmio(vdev), VIRTIO_MMIO_CONFIG_GENERATION);
}

/*
 * 4.2.2.2: config fields are read at their own width: 8-bit, 16-bit aligned, 32-bit
 * aligned, and 64-bit fields as two aligned 32-bit halves. Anything else goes byte by
 * byte. (The core bounds offset and len by config_len.)
 */
static void vm_read_config(struct virtio_device *vdev, unsigned int offset, void *buf,
			   unsigned int len)
{
	u8 *cfg = (u8 *)to_mmio(vdev)->base + VIRTIO_MMIO_CONFIG + offset;
	u8 *out = buf;
	u16 w;
	u32 l;

	if (len == 2 && IS_ALIGNED(offset, 2)) {
		w = readw(cfg);
		memcpy(out, &w, 2);
	} else if ((len == 4 || len == 8) && IS_ALIGNED(offset, 4)) {
		for (unsigned int i = 0; i < len; i += 4) {
			l = readl(cfg + i);
			memcpy(out + i, &l, 4);
		}
	} else {
		for (unsigned int i = 0; i < len; i++)
			out[i] = readb(cfg + i);
	}
}

static void vm_write_config(struct virtio_device *vdev, unsigned int offset, const void *buf,
			    unsigned int len)
{
	u8 *cfg = (u8 *)to_mmio(vdev)->base + VIRTIO_MMIO_CONFIG + offset;
	const u8 *in = buf;
	u16 w;
	u32 l;

	if (len == 2 && IS_ALIGNED(offset, 2)) {
		memcpy(&w, in, 2);
		writew(w, cfg);
	} else if ((len == 4 || len == 8) && IS_ALIGNED(offset, 4)) {
		for (unsigned int i = 0; i < len; i += 4) {
			memcpy(&l, in + i, 4);
			writel(l, cfg + i);
		}
	} else {
		for (unsigned int i = 0; i < len; i++)
			writeb(in[i], cfg + i);
	}
}

static unsigned int vm_queue_max_size(struct virtio_device *vdev, unsigned int index)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);
	u32 in_use;

	mmio_write(vm, VIRTIO_MMIO_QUEUE_SEL, index);
	/* After a reset no queue is live; one that is would be the device's mistake. */
	in_use = mmio_read(vm, vm->version >= 2 ? VIRTIO_MMIO_QUEUE_READY : VIRTIO_MMIO_QUEUE_PFN);
	if (in_use) {
		virtio_mark_broken(vdev, "queue %u is live right after reset (%s 0x%x)", index,
				   vm->version >= 2 ? "QueueReady" : "QueuePFN", in_use);
		return 0;
	}
	return mmio_read(vm, VIRTIO_MMIO_QUEUE_NUM_MAX);
}

static int vm_queue_activate(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);

	mmio_write(vm, VIRTIO_MMIO_QUEUE_SEL, vq->index);
	if (vm->version == 1) {
		u64 pfn = vq->desc_pa / VIRTIO_MMIO_LEGACY_PAGE;

		if (pfn > 0xffffffffu)
			return -EINVAL;		/* QueuePFN is 32 bits */
		/* 4.2.4: GuestPageSize first, since QueuePFN is counted in its units. */
		mmio_write(vm, VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_MMIO_LEGACY_PAGE);
		mmio_write(vm, VIRTIO_MMIO_QUEUE_NUM, vq->num);
		mmio_write(vm, VIRTIO_MMIO_QUEUE_ALIGN, VRING_LEGACY_ALIGN);
		mmio_write(vm, VIRTIO_MMIO_QUEUE_PFN, (u32)pfn);
		return 0;
	}
	mmio_write(vm, VIRTIO_MMIO_QUEUE_NUM, vq->num);
	mmio_write(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, (u32)vq->desc_pa);
	mmio_write(vm, VIRTIO_MMIO_QUEUE_DESC_HIGH, (u32)(vq->desc_pa >> 32));
	mmio_write(vm, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (u32)vq->avail_pa);
	mmio_write(vm, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (u32)(vq->avail_pa >> 32));
	mmio_write(vm, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (u32)vq->used_pa);
	mmio_write(vm, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (u32)(vq->used_pa >> 32));
	mmio_write(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

static void vm_queue_deactivate(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);

	mmio_write(vm, VIRTIO_MMIO_QUEUE_SEL, vq->index);
	if (vm->version == 1) {
		mmio_write(vm, VIRTIO_MMIO_QUEUE_PFN, 0);
		return;
	}
	/* 4.2.3.2: write 0, then read it back so the device has let go of the rings. */
	mmio_write(vm, VIRTIO_MMIO_QUEUE_READY, 0);
	for (unsigned int i = 0; i < VIRTIO_MMIO_POLL_LIMIT; i++) {
		if (!mmio_read(vm, VIRTIO_MMIO_QUEUE_READY))
			return;
		arch_cpu_relax();
	}
	virtio_mark_broken(vdev, "queue %u: QueueReady stays set after writing 0 (4.2.3.2)",
			   vq->index);
}

static void vm_notify(struct virtqueue *vq)
{
	/* writel orders the ring writes before it (asm/io.h): the device sees them. */
	mmio_write(to_mmio(vq->vdev), VIRTIO_MMIO_QUEUE_NOTIFY, vq->index);
}

/* Read InterruptStatus and acknowledge those bits (4.2.2): the ISR, as the core wants it. */
static u32 vm_read_isr(struct virtio_device *vdev)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);
	u32 isr = mmio_read(vm, VIRTIO_MMIO_INTERRUPT_STATUS);

	/*
	 * Only the bits we saw: one the device sets after our read stays set (and keeps the
	 * line raised), so the next interrupt reports it instead of our ack hiding it.
	 */
	if (isr)
		mmio_write(vm, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	return isr;
}

/**
 * vm_interrupt() - the slot's line: acknowledge what the device reports, then dispatch.
 * The line is not shared (one slot, one PLIC source), so a status of 0 is a spurious
 * interrupt: nothing to do.
 *
 * Context: the irq's target CPU, IRQs off, interrupt context.
 */
static void vm_interrupt(unsigned int irq, void *dev_id)
{
	struct virtio_mmio_device *vm = dev_id;
	u32 isr = vm_read_isr(&vm->vdev);

	(void)irq;
	if (isr)
		virtio_isr_dispatch(&vm->vdev, isr);
}

/**
 * vm_setup_irqs() - route the slot's line to vm_interrupt(): VIRTIO_IRQ_LINE.
 * Return: 0; -ENODEV (the device tree gave the slot no interrupt), arch_platform_irq()'s or
 * request_irq()'s error (the core then polls).
 *
 * Context: the core's probe path, process context, IRQs on.
 */
static int vm_setup_irqs(struct virtio_device *vdev)
{
	struct virtio_mmio_device *vm = to_mmio(vdev);
	int irq, err;

	if (vm->irq == 0)
		return -ENODEV;
	irq = arch_platform_irq(vm->irq);
	if (irq < 0)
		return irq;
	/*
	 * A status left over from before the reset (the device is reset, so its queues are
	 * empty) must not raise the line the moment it is unmasked: acknowledge it first.
	 */
	vm_read_isr(vdev);
	err = request_irq((unsigned int)irq, vm_interrupt, vdev->name, vm);
	if (err)
		return err;
	vdev->irq = (unsigned int)irq;
	vdev->irq_mode = VIRTIO_IRQ_LINE;
	return 0;
}

/* Context: the core's remove/failure path, IRQs on; on return no vm_interrupt() runs. */
static void vm_free_irqs(struct virtio_device *vdev)
{
	if (vdev->irq_mode != VIRTIO_IRQ_LINE)
		return;
	free_irq(vdev->irq, to_mmio(vdev));
	vdev->irq = 0;
}

static const struct virtio_config_ops virtio_mmio_modern_ops = {
	.get_status = vm_get_status,
	.set_status = vm_set_status,
	.reset = vm_reset,
	.get_features = vm_get_features,
	.finalize_features = vm_finalize_features,
	.generation = vm_generation,
	.read_config = vm_read_config,
	.write_config = vm_write_config,
	.queue_max_size = vm_queue_max_size,
	.queue_activate = vm_queue_activate,
	.queue_deactivate = vm_queue_deactivate,
	.notify = vm_notify,
	.setup_irqs = vm_setup_irqs,
	.free_irqs = vm_free_irqs,
	.read_isr = vm_read_isr,
};

/* Version 1 has no generation counter: the core re-reads instead. */
static const struct virtio_config_ops virtio_mmio_legacy_ops = {
	.get_status = vm_get_status,
	.set_status = vm_set_status,
	.reset = vm_reset,
	.get_features = vm_get_features,
	.finalize_features = vm_finalize_features,
	.read_config = vm_read_config,
	.write_config = vm_write_config,
	.queue_max_size = vm_queue_max_size,
	.queue_activate = vm_queue_activate,
	.queue_deactivate = vm_queue_deactivate,
	.notify = vm_notify,
	.setup_irqs = vm_setup_irqs,
	.free_irqs = vm_free_irqs,
	.read_isr = vm_read_isr,
};

/* One "virtio,mmio" slot: register the device behind it, if any. */
static void virtio_mmio_probe_one(const struct boot_device *bd)
{
	struct virtio_mmio_device *vm = &virtio_mmio_devs[nr_virtio_mmio_devs];
	void *base = __va(bd->base);
	u32 magic, version, id;

	if (bd->size < VIRTIO_MMIO_CONFIG) {
		pr_warn("virtio-mmio: %#llx: region of %#llx bytes is smaller than the registers\n",
			(unsigned long long)bd->base, (unsigned long long)bd->size);
		return;
	}
	magic = readl((u8 *)base + VIRTIO_MMIO_MAGIC_VALUE);
	if (magic != VIRTIO_MMIO_MAGIC) {
		pr_warn("virtio-mmio: %#llx: magic %#x, not \"virt\": skipped\n",
			(unsigned long long)bd->base, magic);
		return;
	}
	version = readl((u8 *)base + VIRTIO_MMIO_VERSION);
	if (version != 1 && version != 2) {
		pr_warn("virtio-mmio: %#llx: version %u unknown: skipped\n",
			(unsigned long long)bd->base, version);
		return;
	}
	id = readl((u8 *)base + VIRTIO_MMIO_DEVICE_ID);
	if (id == 0)
		return;		/* an empty slot (4.2.3.1.1): nothing to say */

	memset(vm, 0, sizeof(*vm));
	vm->base = base;
	vm->phys = bd->base;
	vm->irq = bd->irq;
	vm->version = version;
	snprintf(vm->vdev.name, sizeof(vm->vdev.name), "virtio%u", nr_virtio_mmio_devs);
	vm->vdev.device_id = id;
	vm->vdev.vendor_id = readl((u8 *)base + VIRTIO_MMIO_VENDOR_ID);
	vm->vdev.legacy = version == 1;
	vm->vdev.fixed_queue_size = false;	/* QueueNum is the driver's to choose */
	vm->vdev.config_len = (unsigned int)min_t(u64, bd->size - VIRTIO_MMIO_CONFIG, 0x1000);
	vm->vdev.ops = version == 1 ? &virtio_mmio_legacy_ops : &virtio_mmio_modern_ops;
	vm->vdev.transport = vm;
	pr_info("virtio-mmio: %s at %#llx irq %u: version %u (%s), device %u (%s), vendor %#x\n",
		vm->vdev.name, (unsigned long long)bd->base, bd->irq, version,
		version == 1 ? "legacy" : "modern", id, virtio_device_type_name(id), vm->vdev.vendor_id);
	if (virtio_register_device(&vm->vdev) == 0)
		nr_virtio_mmio_devs++;
}

const char *virtio_mmio_transport(const struct virtio_device *vdev)
{
	if (vdev->ops == &virtio_mmio_legacy_ops)
		return "mmio v1";
	if (vdev->ops == &virtio_mmio_modern_ops)
		return "mmio v2";
	return NULL;
}

void virtio_mmio_init(void)
{
	unsigned int slots = 0;

	for (unsigned int i = 0; i < boot_info.nr_devices; i++) {
		if (strcmp(boot_info.devices[i].compatible, "virtio,mmio"))
			continue;
		slots++;
		virtio_mmio_probe_one(&boot_info.devices[i]);
	}
	if (slots)
		pr_info("virtio-mmio: %u device%s in %u slots\n", nr_virtio_mmio_devs,
			nr_virtio_mmio_devs == 1 ? "" : "s", slots);
}
