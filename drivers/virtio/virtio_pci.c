// SPDX-License-Identifier: MIT
/*
 * The virtio-pci transport (virtio 1.x 4.1): a pci_driver for every virtio function
 * (vendor 1af4, devices 1000-107f) that picks the interface each device is driven through
 * and registers it with the virtio core.
 *
 *	QEMU: -device virtio-rng-pci                          (pc, virt: transitional 1af4:1005)
 *	      -device virtio-rng-pci,disable-modern=on        (legacy only)
 *	      -device pcie-root-port,id=rp0 -device virtio-rng-pci,bus=rp0  (q35: modern-only)
 *
 * Which interface (4.1.2):
 *  - 1040-107f are modern-only devices (virtio device id = PCI device id - 0x1040): the
 *    vendor capabilities (virtio_pci_modern.c), nothing else.
 *  - 1000-103f are transitional: their virtio device id is the PCI subsystem device id.
 *    They use the modern interface when they offer its capabilities, unless the command
 *    line says `virtio_pci.force_legacy=1`; a transitional device without them (QEMU's
 *    disable-modern=on) is driven through I/O BAR 0 (virtio_pci_legacy.c).
 * A capability that breaks a rule leaves the device alone rather than falling back: a
 * device that describes itself wrongly is not trusted through another door either.
 *
 * Interrupts (setup_irqs, below): MSI-X where the platform has MSI (x86_64), with entry 0
 * for config changes and entry 1 + i for queue i where the table has room, else entry 1
 * shared by every queue; otherwise the INTx pin through the host bridge's interrupt-map
 * (riscv64), one handler reading the ISR; otherwise nothing, and the core polls (x86_64 has
 * no IOAPIC driver, so a device without MSI-X, QEMU's vectors=0, is polled).
 *
 * Locking: boot CPU (m) for the device table, as pci_register_driver() runs there.
 */
#include "drivers/virtio/virtio_pci.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/cmdline.h"
#include "kernel/irq.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

static struct virtio_pci_device virtio_pci_devs[PCI_MAX_DEVICES];	/* (m) */
static unsigned int nr_virtio_pci_devs;					/* (m) */
static bool virtio_pci_force_legacy;					/* (m) */

void __iomem *virtio_pci_map_bar(struct virtio_pci_device *vp, unsigned int bar)
{
	if (bar >= PCI_NUM_BARS)
		return NULL;
	if (!vp->bar_map[bar]) {
		vp->bar_map[bar] = pci_iomap(vp->pdev, bar);
		if (!vp->bar_map[bar])
			pr_err("virtio-pci: %s: BAR %u (flags %#x, size %#llx) cannot be mapped: "
			       "device left alone\n", vp->vdev.name, bar,
			       pci_bar_flags(vp->pdev, bar),
			       (unsigned long long)pci_bar_len(vp->pdev, bar));
	}
	return vp->bar_map[bar];
}

/* ---- Interrupts ---- */

/*
 * The three MSI-X handlers and the INTx one. Context: the target CPU, IRQs off, interrupt
 * context; they only read the device's state (the vq_table with acquire loads).
 */
static void vp_config_interrupt(unsigned int irq, void *dev_id)
{
	struct virtio_pci_device *vp = dev_id;

	(void)irq;
	virtio_config_changed(&vp->vdev);
	__atomic_fetch_add(&vp->vdev.nr_interrupts, 1, __ATOMIC_RELAXED);
}

static void vp_vring_interrupt(unsigned int irq, void *dev_id)
{
	struct vp_vq_irq *q = dev_id;
	struct virtqueue *vq = virtio_vq_at(&q->vp->vdev, q->index);

	(void)irq;
	if (vq && vring_interrupt(vq))
		__atomic_fetch_add(&q->vp->vdev.nr_interrupts, 1, __ATOMIC_RELAXED);
}

static void vp_vqs_interrupt(unsigned int irq, void *dev_id)
{
	struct virtio_pci_device *vp = dev_id;

	(void)irq;
	if (virtio_vring_interrupt_all(&vp->vdev))
		__atomic_fetch_add(&vp->vdev.nr_interrupts, 1, __ATOMIC_RELAXED);
}

/* INTx: reading the ISR acknowledges it and drops the line (4.1.4.5). */
static void vp_intx_interrupt(unsigned int irq, void *dev_id)
{
	struct virtio_pci_device *vp = dev_id;
	u32 isr = vp->irq_ops->read_isr(vp);

	(void)irq;
	if (isr)	/* 0: the line was not ours (it raised nothing since the last read) */
		virtio_isr_dispatch(&vp->vdev, isr);
}

u32 vp_read_isr(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);

	return vp->irq_ops->read_isr(vp);
}

/* Entry @entry's irq (programmed by pci_enable_msix()). */
static unsigned int vp_msix_irq(struct virtio_pci_device *vp, unsigned int entry)
{
	int irq = pci_msix_vec_irq(vp->pdev, entry);

	return irq > 0 ? (unsigned int)irq : 0;
}

/* The entry queue @index raises. */
static u16 vp_queue_entry(const struct virtio_pci_device *vp, unsigned int index)
{
	return vp->msix_per_vq ? (u16)(1 + index) : 1;
}

/* Undo MSI-X: handlers freed (waits for running ones), no source with a vector, disabled. */
static void vp_msix_teardown(struct virtio_pci_device *vp)
{
	if (vp->config_irq_requested)
		free_irq(vp_msix_irq(vp, 0), vp);
	if (vp->vqs_irq_requested)
		free_irq(vp_msix_irq(vp, 1), vp);
	for (unsigned int i = 0; i < VIRTIO_MAX_VQS; i++) {
		if (vp->vq_irq[i].requested)
			free_irq(vp_msix_irq(vp, 1 + i), &vp->vq_irq[i]);
		vp->vq_irq[i].requested = false;
	}
	vp->config_irq_requested = false;
	vp->vqs_irq_requested = false;
	/* Legacy: the vector registers exist only while MSI-X is on, so before disabling. */
	vp->irq_ops->config_vector(vp, VIRTIO_MSI_NO_VECTOR);
	for (unsigned int i = 0; i < vp->nr_queues; i++)
		vp->irq_ops->queue_vector(vp, i, VIRTIO_MSI_NO_VECTOR);
	pci_disable_msix(vp->pdev);
	vp->msix_nvec = 0;
	vp->msix_per_vq = false;
}

/*
 * MSI-X with @nvec entries: 1 + nr_queues, one per queue (@per_vq), or 2, the queues
 * sharing entry 1.
 * Every source is given its vector now and each one read back, so a device that refuses one
 * (VIRTIO_MSI_NO_VECTOR: it could not map it) is found before any queue exists; the queue
 * handlers are installed as queues are activated (vp_queue_irq(), named after the queue).
 * Return: 0, or -errno with nothing left enabled.
 */
static int vp_setup_msix(struct virtio_pci_device *vp, unsigned int nvec, bool per_vq)
{
	struct virtio_device *vdev = &vp->vdev;
	u16 got;
	int err;

	err = pci_enable_msix(vp->pdev, nvec);
	if (err)
		return err;
	vp->msix_nvec = nvec;
	vp->msix_per_vq = per_vq;
	snprintf(vp->irq_name[0], sizeof(vp->irq_name[0]), "%s-config", vdev->name);
	err = request_irq(vp_msix_irq(vp, 0), vp_config_interrupt, vp->irq_name[0], vp);
	if (err)
		goto fail;
	vp->config_irq_requested = true;
	if (!vp->msix_per_vq) {
		snprintf(vp->irq_name[1], sizeof(vp->irq_name[1]), "%s-virtqueues", vdev->name);
		err = request_irq(vp_msix_irq(vp, 1), vp_vqs_interrupt, vp->irq_name[1], vp);
		if (err)
			goto fail;
		vp->vqs_irq_requested = true;
	}
	got = vp->irq_ops->config_vector(vp, 0);
	if (got != 0) {
		pr_info("virtio-pci: %s: the device refused MSI-X entry 0 for config changes "
			"(read back %#x)\n", vdev->name, got);
		err = -EIO;
		goto fail;
	}
	for (unsigned int i = 0; i < vp->nr_queues; i++) {
		got = vp->irq_ops->queue_vector(vp, i, vp_queue_entry(vp, i));
		if (got != vp_queue_entry(vp, i)) {
			pr_info("virtio-pci: %s: the device refused MSI-X entry %u for queue %u "
				"(read back %#x)\n", vdev->name, vp_queue_entry(vp, i), i, got);
			err = -EIO;
			goto fail;
		}
	}
	vdev->irq_mode = VIRTIO_IRQ_MSIX;
	vdev->irq = vp_msix_irq(vp, 0);
	return 0;
fail:
	vp_msix_teardown(vp);
	return err;
}

/* INTx: one handler for everything, reading the ISR. 0 or -errno. */
static int vp_setup_intx(struct virtio_pci_device *vp)
{
	struct virtio_device *vdev = &vp->vdev;
	int irq = pci_intx_irq(vp->pdev);
	int err;

	if (irq < 0)
		return irq;
	snprintf(vp->irq_name[0], sizeof(vp->irq_name[0]), "%s", vdev->name);
	err = request_irq((unsigned int)irq, vp_intx_interrupt, vp->irq_name[0], vp);
	if (err) {
		/* kernel/irq.c has no shared lines: another function on the same PLIC source. */
		pr_info("virtio-pci: %s: INT%c's irq %d is taken (%d)\n", vdev->name,
			'A' + vp->irq_pin - 1, irq, err);
		return err;
	}
	vp->config_irq_requested = true;
	vdev->irq_mode = VIRTIO_IRQ_LINE;
	vdev->irq = (unsigned int)irq;
	return 0;
}

/*
 * setup_irqs: MSI-X with a vector per queue, then MSI-X with the queues sharing one, then
 * INTx; each step that fails is undone before the next. Context: the core's probe path.
 */
int vp_setup_irqs(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	unsigned int table = pci_msix_table_size(vp->pdev);
	unsigned int nq;
	int err = -ENOENT;	/* no MSI-X tried yet */

	nq = vp->nr_queues = vp->irq_ops->nr_queues(vp);
	if (nq && table >= 1 + nq && 1 + nq <= PCI_MSIX_MAX_VECS)
		err = vp_setup_msix(vp, 1 + nq, true);
	/*
	 * Shared, unless that is what was just tried (one queue: 2 entries either way);
	 * -EOPNOTSUPP means no MSI on this platform, and fewer vectors would not help.
	 */
	if (err && err != -EOPNOTSUPP && table >= 2 && nq != 1)
		err = vp_setup_msix(vp, 2, false);
	if (err)
		err = vp_setup_intx(vp);
	return err;
}

void vp_free_irqs(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);

	if (vdev->irq_mode == VIRTIO_IRQ_MSIX) {
		vp_msix_teardown(vp);
	} else if (vdev->irq_mode == VIRTIO_IRQ_LINE && vp->config_irq_requested) {
		free_irq(vdev->irq, vp);
		vp->config_irq_requested = false;
		vp->pdev->irq = 0;
	}
	vdev->irq = 0;
}

int vp_queue_irq(struct virtio_pci_device *vp, struct virtqueue *vq)
{
	struct virtio_device *vdev = &vp->vdev;
	unsigned int i = vq->index;
	u16 entry, got;
	int err;

	if (vdev->irq_mode != VIRTIO_IRQ_MSIX)
		return 0;		/* INTx or polling: no vector per queue */
	if (i >= vp->nr_queues) {
		pr_err("virtio-pci: %s: queue %u beyond the %u the device has\n", vdev->name, i,
		       vp->nr_queues);
		return -EINVAL;
	}
	entry = vp_queue_entry(vp, i);
	if (vp->msix_per_vq && !vp->vq_irq[i].requested) {
		snprintf(vp->irq_name[1 + i], sizeof(vp->irq_name[1 + i]), "%s-%s", vdev->name,
			 vq->name);
		err = request_irq(vp_msix_irq(vp, entry), vp_vring_interrupt, vp->irq_name[1 + i],
				  &vp->vq_irq[i]);
		if (err)
			return err;
		vp->vq_irq[i].requested = true;
	}
	got = vp->irq_ops->queue_vector(vp, i, entry);
	if (got != entry) {
		virtio_mark_broken(vdev, "queue %u: MSI-X entry %u accepted at setup, now refused "
				   "(read back %#x)", i, entry, got);
		return -EIO;
	}
	return 0;
}

static void virtio_pci_count(struct virtio_device *vdev, void *arg)
{
	(void)vdev;
	(*(unsigned int *)arg)++;
}

static int virtio_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct virtio_pci_device *vp;
	bool transitional = pdev->device <= VIRTIO_PCI_TRANS_LAST;
	u32 device_id;
	int err;

	if (pdev->device < VIRTIO_PCI_TRANS_FIRST || pdev->device > VIRTIO_PCI_MODERN_LAST)
		return -ENODEV;		/* another 1af4 function (ivshmem...): not virtio */
	if (nr_virtio_pci_devs == ARRAY_SIZE(virtio_pci_devs))
		return -ENOMEM;		/* cannot happen: one slot per PCI function */
	vp = &virtio_pci_devs[nr_virtio_pci_devs];
	memset(vp, 0, sizeof(*vp));
	vp->pdev = pdev;
	pci_name(pdev, vp->vdev.name, sizeof(vp->vdev.name));

	/* 4.1.2.1: transitional devices carry the virtio id in the subsystem device id. */
	device_id = transitional ? pdev->subsystem_device :
				   (u32)pdev->device - VIRTIO_PCI_MODERN_FIRST;
	if (device_id == 0) {
		pr_err("virtio-pci: %s: [%04x:%04x] names virtio device id 0 (reserved): "
		       "left alone\n", vp->vdev.name, pdev->vendor, pdev->device);
		return -ENODEV;
	}
	if (pci_enable_device(pdev)) {
		pr_err("virtio-pci: %s: cannot enable decoding: left alone\n", vp->vdev.name);
		return -ENODEV;
	}

	err = -ENOENT;
	if (!transitional || !virtio_pci_force_legacy) {
		err = virtio_pci_modern_setup(vp);
		if (err && err != -ENOENT)
			return -ENODEV;		/* a bad capability, already said */
		if (err && !transitional) {
			pr_err("virtio-pci: %s: modern-only device without virtio capabilities: "
			       "left alone\n", vp->vdev.name);
			return -ENODEV;
		}
	} else if (!transitional) {
		pr_info("virtio-pci: %s: modern-only device: virtio_pci.force_legacy ignored\n",
			vp->vdev.name);
	}
	if (err) {
		err = virtio_pci_legacy_setup(vp);
		if (err)
			return -ENODEV;
	}

	vp->msix_entries = (u16)pci_msix_table_size(pdev);
	vp->irq_pin = pdev->irq_pin;
	for (unsigned int i = 0; i < VIRTIO_MAX_VQS; i++) {
		vp->vq_irq[i].vp = vp;
		vp->vq_irq[i].index = i;
	}

	/* The device reads and writes its rings in RAM: it must master the bus. */
	pci_set_master(pdev);
	vp->vdev.device_id = device_id;
	vp->vdev.vendor_id = pdev->subsystem_vendor;
	vp->vdev.transport = vp;
	/* From here on it is a virtio device: named as Linux names them, across transports. */
	char pci_addr[16];
	unsigned int nr_vdevs = 0;

	strlcpy(pci_addr, vp->vdev.name, sizeof(pci_addr));
	virtio_for_each_device(virtio_pci_count, &nr_vdevs);
	snprintf(vp->vdev.name, sizeof(vp->vdev.name), "virtio%u", nr_vdevs);
	pr_info("virtio-pci: %s [%04x:%04x]: %s, device %u (%s), MSI-X %u vectors, INT%c: %s\n",
		pci_addr, pdev->vendor, pdev->device,
		vp->vdev.legacy ? "legacy (I/O BAR 0)" : "modern", device_id,
		virtio_device_type_name(device_id), vp->msix_entries,
		vp->irq_pin >= 1 && vp->irq_pin <= 4 ? 'A' + vp->irq_pin - 1 : '-', vp->vdev.name);
	if (virtio_register_device(&vp->vdev))
		return -ENODEV;
	nr_virtio_pci_devs++;
	return 0;
}

static const struct pci_device_id virtio_pci_ids[] = {
	{ .vendor = VIRTIO_PCI_VENDOR, .device = PCI_ANY_ID },
	{ 0 }
};

static const struct pci_driver virtio_pci_driver = {
	.name = "virtio-pci",
	.id_table = virtio_pci_ids,
	.probe = virtio_pci_probe,
};

void virtio_pci_init(void)
{
	unsigned long force = 0;
	struct pci_dev *dev;
	unsigned int i, seen = 0;

	if (cmdline_get_ulong("virtio_pci.force_legacy", &force))
		virtio_pci_force_legacy = force != 0;
	for_each_pci_dev(dev, i)
		seen += dev->vendor == VIRTIO_PCI_VENDOR &&
			dev->device >= VIRTIO_PCI_TRANS_FIRST && dev->device <= VIRTIO_PCI_MODERN_LAST;
	if (!seen) {
		if (pci_dev_count())
			pr_info("virtio-pci: no virtio function on the PCI buses\n");
		return;
	}
	pci_register_driver(&virtio_pci_driver);
	pr_info("virtio-pci: %u of %u virtio function%s registered%s\n", nr_virtio_pci_devs,
		seen, seen == 1 ? "" : "s",
		virtio_pci_force_legacy ? " (virtio_pci.force_legacy=1)" : "");
}
