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

struct vp_irq_ops;

struct virtio_pci_device {
	struct virtio_device vdev;
	struct pci_dev *pdev;			/* (c) */
	void __iomem *bar_map[PCI_NUM_BARS];	/* each BAR mapped once, on first use (c) */

	/*
	 * Interrupts (virtio_pci.c, "Interrupts"). The MSI-X table size (0: none) and the
	 * INTx pin (0 none, 1..4 INTA..INTD) are (c); the rest belongs to the core's
	 * probe/remove path of this device (d), and handlers only read it.
	 */
	u16 msix_entries;			/* (c) */
	u8 irq_pin;				/* (c) */
	u8 __iomem *isr;			/* modern: the ISR capability's byte (c) */
	const struct vp_irq_ops *irq_ops;	/* the interface's vector registers (c) */
	unsigned int nr_queues;			/* queues the device has, at most VIRTIO_MAX_VQS (d) */
	unsigned int msix_nvec;			/* MSI-X entries in use, 0: not MSI-X (d) */
	bool msix_per_vq;			/* entry 1 + index per queue, else all on entry 1 (d) */
	bool config_irq_requested;		/* entry 0's handler, or the INTx handler (d) */
	bool vqs_irq_requested;			/* shared: entry 1's handler (d) */
	struct vp_vq_irq {
		struct virtio_pci_device *vp;	/* (c) */
		unsigned int index;		/* (c) */
		bool requested;			/* its entry's handler is installed (d) */
	} vq_irq[VIRTIO_MAX_VQS];
	char irq_name[1 + VIRTIO_MAX_VQS][32];	/* `interrupts` names: "virtio0-config"... (d) */

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

/* VIRTIO_MSI_NO_VECTOR: no MSI-X message for this source (4.1.4.3, 4.1.4.8). */
#define VIRTIO_MSI_NO_VECTOR		0xffff

/*
 * What differs between the interfaces for interrupts. config_vector / queue_vector write
 * the MSI-X entry a source uses (legacy: only while MSI-X is enabled) and return what the
 * device reads back: VIRTIO_MSI_NO_VECTOR when it refuses. nr_queues: the queues the
 * device has. read_isr: read (and so clear) the ISR status.
 */
struct vp_irq_ops {
	u16 (*config_vector)(struct virtio_pci_device *vp, u16 vector);
	u16 (*queue_vector)(struct virtio_pci_device *vp, unsigned int index, u16 vector);
	unsigned int (*nr_queues)(struct virtio_pci_device *vp);
	u32 (*read_isr)(struct virtio_pci_device *vp);
};

static inline struct virtio_pci_device *to_vp(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_pci_device, vdev);
}

/* BAR @bar of the device mapped for readl() and friends (cached), or NULL with a message. */
/*
 * The transport's interrupt operations, shared by both interfaces (virtio_pci.c): the core's
 * setup_irqs / free_irqs / read_isr, and the part of queue_activate that gives a queue its
 * MSI-X vector: 0, or -EIO when the device refuses the vector it accepted at setup.
 */
int vp_setup_irqs(struct virtio_device *vdev);
void vp_free_irqs(struct virtio_device *vdev);
u32 vp_read_isr(struct virtio_device *vdev);
int vp_queue_irq(struct virtio_pci_device *vp, struct virtqueue *vq);

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
