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
 * Interrupts are not wired here (no interrupt layer yet): each device records its MSI-X
 * capability and INTx pin for that layer, assigns no MSI-X vector, and drivers poll for
 * completions.
 *
 * Locking: boot CPU (m) for the device table, as pci_register_driver() runs there.
 */
#include "drivers/virtio/virtio_pci.h"
#include "kernel/cmdline.h"
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

	/* Hooks for the interrupt layer: where MSI-X is, and the INTx pin. */
	vp->msix_cap = pci_find_capability(pdev, PCI_CAP_ID_MSIX);
	if (vp->msix_cap)
		vp->msix_entries = (pci_read_config16(pdev, vp->msix_cap + PCI_MSIX_FLAGS) &
				    PCI_MSIX_FLAGS_QSIZE) + 1;
	vp->irq_pin = pdev->irq_pin;

	/* The device reads and writes its rings in RAM: it must master the bus. */
	pci_set_master(pdev);
	vp->vdev.device_id = device_id;
	vp->vdev.vendor_id = pdev->subsystem_vendor;
	vp->vdev.transport = vp;
	pr_info("virtio-pci: %s [%04x:%04x]: %s, device %u (%s), MSI-X %u vectors, INT%c\n",
		vp->vdev.name, pdev->vendor, pdev->device,
		vp->vdev.legacy ? "legacy (I/O BAR 0)" : "modern", device_id,
		virtio_device_type_name(device_id), vp->msix_entries,
		vp->irq_pin >= 1 && vp->irq_pin <= 4 ? 'A' + vp->irq_pin - 1 : '-');
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
