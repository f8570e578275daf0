// SPDX-License-Identifier: MIT
/*
 * The legacy virtio-pci interface (virtio 1.x 4.1.4.8, "Legacy Interfaces: A Note on PCI
 * Device Layout"): every register in I/O BAR 0 of a transitional device (1af4:1000-103f).
 *
 *	QEMU: -device virtio-rng-pci,disable-modern=on  (pc or virt: legacy only)
 *	      -device virtio-rng-pci  with virtio_pci.force_legacy=1 on the command line
 *
 * BAR 0 layout:
 *	 0 le32 host (device) features	 4 le32 guest (driver) features
 *	 8 le32 queue address, as a PFN	12 le16 queue size (read-only)
 *	14 le16 queue select		16 le16 queue notify
 *	18 u8  device status		19 u8  ISR status
 *	20 le16 config MSI-X vector, 22 le16 queue MSI-X vector: only while MSI-X is enabled;
 *	then the device-specific config, at 20 without MSI-X and at 24 with it.
 * The queue lives in one contiguous region in the legacy layout (the core allocates it so),
 * given as its page frame number in 4096-byte units; its size is the device's and cannot
 * be changed. There is no FEATURES_OK step and no generation counter: the core knows.
 *
 * On x86 BAR 0 is reached with port instructions; on riscv64 the host bridge maps PCI I/O
 * space into memory and BAR 0 is mapped like a memory BAR (pci_iomap()).
 */
#include "drivers/virtio/virtio_pci.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "arch/arch.h"
#include <asm/io.h>

#define VPL_HOST_FEATURES	0
#define VPL_GUEST_FEATURES	4
#define VPL_QUEUE_PFN		8
#define VPL_QUEUE_NUM		12
#define VPL_QUEUE_SEL		14
#define VPL_QUEUE_NOTIFY	16
#define VPL_STATUS		18
#define VPL_ISR			19
#define VPL_CONFIG		20	/* device config without MSI-X ... */
#define VPL_CONFIG_MSIX		24	/* ... and with it enabled */

/* The unit of the queue address register (4.1.4.8). */
#define VPL_PFN_SHIFT		12

static u8 vpl_read8(struct virtio_pci_device *vp, unsigned int off)
{
	return vp->io_is_port ? inb((u16)(vp->io_port + off)) : readb(vp->io_mem + off);
}

static u16 vpl_read16(struct virtio_pci_device *vp, unsigned int off)
{
	return vp->io_is_port ? inw((u16)(vp->io_port + off)) : readw(vp->io_mem + off);
}

static u32 vpl_read32(struct virtio_pci_device *vp, unsigned int off)
{
	return vp->io_is_port ? inl((u16)(vp->io_port + off)) : readl(vp->io_mem + off);
}

static void vpl_write8(struct virtio_pci_device *vp, unsigned int off, u8 v)
{
	if (vp->io_is_port)
		outb(v, (u16)(vp->io_port + off));
	else
		writeb(v, vp->io_mem + off);
}

static void vpl_write16(struct virtio_pci_device *vp, unsigned int off, u16 v)
{
	if (vp->io_is_port)
		outw(v, (u16)(vp->io_port + off));
	else
		writew(v, vp->io_mem + off);
}

static void vpl_write32(struct virtio_pci_device *vp, unsigned int off, u32 v)
{
	if (vp->io_is_port)
		outl(v, (u16)(vp->io_port + off));
	else
		writel(v, vp->io_mem + off);
}

#define VPL_MSIX_CONFIG		20	/* le16, only while MSI-X is enabled */
#define VPL_MSIX_QUEUE		22	/* le16, likewise, for the selected queue */

/*
 * Where the device config starts: it moves by 4 bytes while MSI-X is enabled (the two
 * vector registers appear). Asked at every access, so a read after setup_irqs enabled
 * MSI-X uses 24; the core reads no config before setup_irqs (the driver's probe comes
 * after it), and nothing here caches a config value, so nothing read at 20 goes stale.
 */
static unsigned int vpl_config_base(struct virtio_pci_device *vp)
{
	return pci_msix_enabled(vp->pdev) ? VPL_CONFIG_MSIX : VPL_CONFIG;
}

static u8 vpl_get_status(struct virtio_device *vdev)
{
	return vpl_read8(to_vp(vdev), VPL_STATUS);
}

static void vpl_set_status(struct virtio_device *vdev, u8 status)
{
	vpl_write8(to_vp(vdev), VPL_STATUS, status);
}

static void vpl_reset(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);

	vpl_write8(vp, VPL_STATUS, 0);	/* virtio_reset_device() waits for 0 */
}

static u64 vpl_get_features(struct virtio_device *vdev)
{
	return vpl_read32(to_vp(vdev), VPL_HOST_FEATURES);
}

static int vpl_finalize_features(struct virtio_device *vdev, u64 features)
{
	if (features >> 32)
		return -EINVAL;		/* the legacy feature register is 32 bits */
	vpl_write32(to_vp(vdev), VPL_GUEST_FEATURES, (u32)features);
	return 0;
}

/*
 * Device config, at each field's width where aligned, else byte by byte; offset and len
 * are bounded by config_len (the core), which setup sized to BAR 0 minus the registers
 * and the MSI-X pair, so the access stays inside BAR 0 with or without MSI-X.
 */
static void vpl_read_config(struct virtio_device *vdev, unsigned int offset, void *buf,
			    unsigned int len)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	unsigned int base = vpl_config_base(vp) + offset;
	u8 *out = buf;
	u16 w;
	u32 l;

	if (len == 2 && IS_ALIGNED(offset, 2)) {
		w = vpl_read16(vp, base);
		memcpy(out, &w, 2);
	} else if ((len == 4 || len == 8) && IS_ALIGNED(offset, 4)) {
		for (unsigned int i = 0; i < len; i += 4) {
			l = vpl_read32(vp, base + i);
			memcpy(out + i, &l, 4);
		}
	} else {
		for (unsigned int i = 0; i < len; i++)
			out[i] = vpl_read8(vp, base + i);
	}
}

static void vpl_write_config(struct virtio_device *vdev, unsigned int offset, const void *buf,
			     unsigned int len)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	unsigned int base = vpl_config_base(vp) + offset;
	const u8 *in = buf;
	u16 w;
	u32 l;

	if (len == 2 && IS_ALIGNED(offset, 2)) {
		memcpy(&w, in, 2);
		vpl_write16(vp, base, w);
	} else if ((len == 4 || len == 8) && IS_ALIGNED(offset, 4)) {
		for (unsigned int i = 0; i < len; i += 4) {
			memcpy(&l, in + i, 4);
			vpl_write32(vp, base + i, l);
		}
	} else {
		for (unsigned int i = 0; i < len; i++)
			vpl_write8(vp, base + i, in[i]);
	}
}

static unsigned int vpl_queue_max_size(struct virtio_device *vdev, unsigned int index)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	u32 pfn;

	if (index > 0xffff)
		return 0;
	vpl_write16(vp, VPL_QUEUE_SEL, (u16)index);
	/* After a reset no queue has an address; one that has would be the device's mistake. */
	pfn = vpl_read32(vp, VPL_QUEUE_PFN);
	if (pfn) {
		virtio_mark_broken(vdev, "queue %u is live right after reset (queue PFN %#x)",
				   index, pfn);
		return 0;
	}
	/* 0 for a queue that does not exist; the core refuses 0 and non-powers of two. */
	return vpl_read16(vp, VPL_QUEUE_NUM);
}

static int vpl_queue_activate(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	u64 pfn = vq->desc_pa >> VPL_PFN_SHIFT;

	if (!vq->legacy || (vq->desc_pa & ((1u << VPL_PFN_SHIFT) - 1)))
		return -EINVAL;		/* not one 4096-aligned legacy region */
	if (pfn > 0xffffffffu)
		return -EINVAL;		/* the register holds 32 bits: rings below 16 TiB */
	/* Its MSI-X vector first: the queue is never live without it. */
	if (vdev->irq_mode == VIRTIO_IRQ_MSIX) {
		int err = vp_queue_irq(vp, vq);

		if (err)
			return err;
	}
	vpl_write16(vp, VPL_QUEUE_SEL, (u16)vq->index);
	vpl_write32(vp, VPL_QUEUE_PFN, (u32)pfn);
	return 0;
}

static void vpl_queue_deactivate(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct virtio_pci_device *vp = to_vp(vdev);

	/* A PFN of 0 makes the device forget the queue. */
	vpl_write16(vp, VPL_QUEUE_SEL, (u16)vq->index);
	vpl_write32(vp, VPL_QUEUE_PFN, 0);
}

static void vpl_notify(struct virtqueue *vq)
{
	/* outw and writew order the ring writes before the doorbell (asm/io.h). */
	vpl_write16(to_vp(vq->vdev), VPL_QUEUE_NOTIFY, (u16)vq->index);
}

/* ---- Interrupts: the MSI-X vector pair (present only while MSI-X is on) and the ISR ---- */

static u16 vpl_config_vector(struct virtio_pci_device *vp, u16 vector)
{
	if (!pci_msix_enabled(vp->pdev))
		return VIRTIO_MSI_NO_VECTOR;	/* offset 20 is device config then */
	vpl_write16(vp, VPL_MSIX_CONFIG, vector);
	return vpl_read16(vp, VPL_MSIX_CONFIG);
}

static u16 vpl_queue_vector(struct virtio_pci_device *vp, unsigned int index, u16 vector)
{
	if (!pci_msix_enabled(vp->pdev))
		return VIRTIO_MSI_NO_VECTOR;
	vpl_write16(vp, VPL_QUEUE_SEL, (u16)index);
	vpl_write16(vp, VPL_MSIX_QUEUE, vector);
	return vpl_read16(vp, VPL_MSIX_QUEUE);
}

/* Legacy has no queue count: a queue exists when its size reads non-zero (4.1.4.8). */
static unsigned int vpl_nr_queues(struct virtio_pci_device *vp)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < VIRTIO_MAX_VQS; i++) {
		vpl_write16(vp, VPL_QUEUE_SEL, (u16)i);
		if (vpl_read16(vp, VPL_QUEUE_NUM))
			n = i + 1;
	}
	return n;
}

static u32 vpl_read_isr(struct virtio_pci_device *vp)
{
	return vpl_read8(vp, VPL_ISR);	/* reading clears it */
}

static const struct vp_irq_ops vpl_irq_ops = {
	.config_vector = vpl_config_vector,
	.queue_vector = vpl_queue_vector,
	.nr_queues = vpl_nr_queues,
	.read_isr = vpl_read_isr,
};

static const struct virtio_config_ops virtio_pci_legacy_ops = {
	.get_status = vpl_get_status,
	.set_status = vpl_set_status,
	.reset = vpl_reset,
	.get_features = vpl_get_features,
	.finalize_features = vpl_finalize_features,
	.read_config = vpl_read_config,
	.write_config = vpl_write_config,
	.queue_max_size = vpl_queue_max_size,
	.queue_activate = vpl_queue_activate,
	.queue_deactivate = vpl_queue_deactivate,
	.notify = vpl_notify,
	.setup_irqs = vp_setup_irqs,
	.free_irqs = vp_free_irqs,
	.read_isr = vp_read_isr,
};

int virtio_pci_legacy_setup(struct virtio_pci_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	u32 flags = pci_bar_flags(pdev, 0);
	u64 len = pci_bar_len(pdev, 0);

	if (!(flags & PCI_BAR_IO) || !(flags & PCI_BAR_ASSIGNED)) {
		pr_err("virtio-pci: %s: legacy interface: BAR 0 is not an assigned I/O BAR "
		       "(flags %#x): device left alone\n", vp->vdev.name, flags);
		return -EINVAL;
	}
	/* The registers and the MSI-X pair must fit, whatever the device config's size. */
	if (len < VPL_CONFIG_MSIX || len > 0x10000) {
		pr_err("virtio-pci: %s: legacy interface: BAR 0 of %#llx bytes cannot hold the "
		       "%u bytes of registers: device left alone\n", vp->vdev.name,
		       (unsigned long long)len, VPL_CONFIG_MSIX);
		return -EINVAL;
	}
	vp->io_len = (u32)len;
	if (flags & PCI_BAR_PORT) {
		phys_addr_t port = pci_bar_start(pdev, 0);

		if (port + len > 0x10000) {
			pr_err("virtio-pci: %s: legacy interface: ports %#llx+%#llx beyond 64K: "
			       "device left alone\n", vp->vdev.name, (unsigned long long)port,
			       (unsigned long long)len);
			return -EINVAL;
		}
		vp->io_is_port = true;
		vp->io_port = (u16)port;
	} else {
		vp->io_mem = virtio_pci_map_bar(vp, 0);
		if (!vp->io_mem)
			return -EINVAL;
	}
	/* Bounded so the config stays inside BAR 0 even when MSI-X moves it up by 4. */
	vp->vdev.config_len = vp->io_len - VPL_CONFIG_MSIX;
	vp->vdev.legacy = true;
	vp->vdev.fixed_queue_size = true;	/* the queue size register is read-only */
	vp->vdev.ops = &virtio_pci_legacy_ops;
	vp->irq_ops = &vpl_irq_ops;
	return 0;
}
