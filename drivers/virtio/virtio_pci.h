/* SPDX-License-Identifier: MIT */
/*
 * The virtio-pci transport (virtio 1.x section 4.1): what its two interfaces share. One
 * pci_driver (virtio_pci.c) matches every virtio function and picks an interface per
 * device: modern, through the vendor-specific capabilities (virtio_pci_modern.c), or
 * legacy, through I/O BAR 0 (virtio_pci_legacy.c, transitional devices only).
 *
 * Locking: a device's fields are filled by its probe on the boot CPU before it is
 * registered with the virtio core, and are constant afterwards (c). Register accesses
 * come from the core's probe/remove path of that one device and from queue doorbells,
 * each a single register write; legacy selects a queue before touching its registers
 * only on the probe/remove path, which the core serialises per device.
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_PCI_H
#define DRIVERS_VIRTIO_VIRTIO_PCI_H

#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio.h"

#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_TRANS_FIRST		0x1000	/* transitional: 0x1000..0x103f */
#define VIRTIO_PCI_TRANS_LAST		0x103f
#define VIRTIO_PCI_MODERN_FIRST		0x1040	/* modern: 0x1040 + virtio device id */
#define VIRTIO_PCI_MODERN_LAST		0x107f

struct virtio_pci_device {
	struct virtio_device vdev;
	struct pci_dev *pdev;			/* (c) */
	void __iomem *bar_map[PCI_NUM_BARS];	/* each BAR mapped once, on first use (c) */

	/*
	 * For the interrupt layer, which is not wired yet: completions are polled. The
	 * MSI-X capability (0: none) with its table size, and the INTx pin (0 none,
	 * 1..4 INTA..INTD); the ISR status register, read to acknowledge an INTx.
	 */
	u8 msix_cap;				/* (c) */
	u16 msix_entries;			/* (c) */
	u8 irq_pin;				/* (c) */
	u8 __iomem *isr;			/* modern: the ISR capability's byte (c) */

	/* Modern (4.1.4): the structures the capabilities point at, each bounds-checked. */
	u8 __iomem *common;			/* struct virtio_pci_common_cfg (c) */
	u8 __iomem *notify;			/* notification area ... (c) */
	u32 notify_len;				/* ... of this many bytes (c) */
	u32 notify_off_multiplier;		/* bytes per queue_notify_off unit (c) */
	u8 __iomem *device;			/* device-specific config, NULL if none (c) */

	/* Legacy (4.1.4.8): BAR 0, as x86 ports or (riscv64) memory-mapped I/O space. */
	bool io_is_port;			/* (c) */
	u16 io_port;				/* first port of BAR 0 (c) */
	u8 __iomem *io_mem;			/* or its mapping (c) */
	u32 io_len;				/* BAR 0's size (c) */
};

static inline struct virtio_pci_device *to_vp(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_pci_device, vdev);
}

/* BAR @bar of the device mapped for readl() and friends (cached), or NULL with a message. */
void __iomem *virtio_pci_map_bar(struct virtio_pci_device *vp, unsigned int bar);

/*
 * Find and check the modern capabilities and fill vp's modern fields and vdev's ops.
 * Return: 0; -ENOENT when the device has no virtio capabilities at all (silently: the
 * caller may fall back to legacy); -EINVAL with a message when a capability breaks a rule
 * (the device is left alone). Context: boot CPU, the device's probe.
 */
int virtio_pci_modern_setup(struct virtio_pci_device *vp);

/*
 * Check I/O BAR 0 and fill vp's legacy fields and vdev's ops. 0, or -EINVAL with a message.
 * Context: boot CPU, the device's probe.
 */
int virtio_pci_legacy_setup(struct virtio_pci_device *vp);

/*
 * Probe every virtio function on the PCI buses and register each usable one with the
 * virtio core; print one summary line (or, with PCI but no virtio function, one line
 * saying so).
 * `virtio_pci.force_legacy=1` on the command line makes transitional devices use the
 * legacy interface even when they offer the modern one.
 * Context: boot CPU, once, after pci_init() and the page allocator.
 */
void virtio_pci_init(void);

#endif /* DRIVERS_VIRTIO_VIRTIO_PCI_H */
