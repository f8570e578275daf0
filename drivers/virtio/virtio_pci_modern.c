// SPDX-License-Identifier: MIT
/*
 * The modern virtio-pci interface (virtio 1.x 4.1.4): the device describes where its
 * registers live with vendor-specific PCI capabilities, each naming a structure type, a
 * BAR, and an offset and length inside it.
 *
 *	QEMU: -device pcie-root-port,id=rp0 -device virtio-rng-pci,bus=rp0  (q35: modern-only,
 *	      1af4:1044); -device virtio-rng-pci  (pc, virt: transitional 1af4:1005, modern too)
 *
 * The capabilities are read from configuration space, which the device controls, so each
 * is checked before it is used (virtio_pci_caps.c, a pure function the host tests feed
 * crafted spaces): a capability shorter than its structure, or an offset and length that
 * do not lie inside the BAR, is a clear message and the device is left alone. The first
 * capability of each type whose BAR is valid and can be mapped is the one used. The
 * notification address of each queue is computed from the device's queue_notify_off and
 * checked to lie inside the notification area before it is written.
 */
#include "drivers/virtio/virtio_pci.h"
#include "drivers/virtio/virtio_pci_caps.h"
#include "drivers/virtio/virtio_ring.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "arch/arch.h"
#include <asm/io.h>

/* struct virtio_pci_common_cfg (4.1.4.3), byte offsets. */
#define VPC_DEVICE_FEATURE_SELECT	0	/* le32 */
#define VPC_DEVICE_FEATURE		4	/* le32, read-only */
#define VPC_DRIVER_FEATURE_SELECT	8	/* le32 */
#define VPC_DRIVER_FEATURE		12	/* le32 */
#define VPC_MSIX_CONFIG			16	/* le16 */
#define VPC_NUM_QUEUES			18	/* le16, read-only */
#define VPC_DEVICE_STATUS		20	/* u8 */
#define VPC_CONFIG_GENERATION		21	/* u8, read-only */
#define VPC_QUEUE_SELECT		22	/* le16 */
#define VPC_QUEUE_SIZE			24	/* le16 */
#define VPC_QUEUE_MSIX_VECTOR		26	/* le16 */
#define VPC_QUEUE_ENABLE		28	/* le16 */
#define VPC_QUEUE_NOTIFY_OFF		30	/* le16, read-only */
#define VPC_QUEUE_DESC			32	/* le64 */
#define VPC_QUEUE_DRIVER		40	/* le64: the available ring */
#define VPC_QUEUE_DEVICE		48	/* le64: the used ring */

/* Device config beyond this is not something any device type defines; bound reads to it. */
#define VIRTIO_PCI_DEVICE_CFG_MAX	0x1000

static u8 vpc_read8(struct virtio_pci_device *vp, unsigned int off)
{
	return readb(vp->common + off);
}

static u16 vpc_read16(struct virtio_pci_device *vp, unsigned int off)
{
	return readw(vp->common + off);
}

static u32 vpc_read32(struct virtio_pci_device *vp, unsigned int off)
{
	return readl(vp->common + off);
}

static void vpc_write8(struct virtio_pci_device *vp, unsigned int off, u8 v)
{
	writeb(v, vp->common + off);
}

static void vpc_write16(struct virtio_pci_device *vp, unsigned int off, u16 v)
{
	writew(v, vp->common + off);
}

static void vpc_write32(struct virtio_pci_device *vp, unsigned int off, u32 v)
{
	writel(v, vp->common + off);
}

/* 64-bit fields as two 32-bit halves, low first: 4.1.3.1 lets the driver do that. */
static void vpc_write64(struct virtio_pci_device *vp, unsigned int off, u64 v)
{
	vpc_write32(vp, off, (u32)v);
	vpc_write32(vp, off + 4, (u32)(v >> 32));
}

static u8 vp_get_status(struct virtio_device *vdev)
{
	return vpc_read8(to_vp(vdev), VPC_DEVICE_STATUS);
}

static void vp_set_status(struct virtio_device *vdev, u8 status)
{
	vpc_write8(to_vp(vdev), VPC_DEVICE_STATUS, status);
}

static void vp_reset(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);

	/* 4.1.4.3.2: done when device_status reads back 0: virtio_reset_device() waits. */
	vpc_write8(vp, VPC_DEVICE_STATUS, 0);
}

static u64 vp_get_features(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	u64 features;

	vpc_write32(vp, VPC_DEVICE_FEATURE_SELECT, 0);
	features = vpc_read32(vp, VPC_DEVICE_FEATURE);
	vpc_write32(vp, VPC_DEVICE_FEATURE_SELECT, 1);
	features |= (u64)vpc_read32(vp, VPC_DEVICE_FEATURE) << 32;
	return features;
}

static int vp_finalize_features(struct virtio_device *vdev, u64 features)
{
	struct virtio_pci_device *vp = to_vp(vdev);

	vpc_write32(vp, VPC_DRIVER_FEATURE_SELECT, 0);
	vpc_write32(vp, VPC_DRIVER_FEATURE, (u32)features);
	vpc_write32(vp, VPC_DRIVER_FEATURE_SELECT, 1);
	vpc_write32(vp, VPC_DRIVER_FEATURE, (u32)(features >> 32));
	return 0;
}

static u32 vp_generation(struct virtio_device *vdev)
{
	return vpc_read8(to_vp(vdev), VPC_CONFIG_GENERATION);
}

/*
 * Device config at each field's own width (4.1.3.1: aligned 8, 16 and 32-bit accesses;
 * 64-bit fields as two 32-bit ones). Anything else byte by byte. The core bounds offset
 * and len by config_len, which is the DEVICE capability's checked length.
 */
static void vp_read_config(struct virtio_device *vdev, unsigned int offset, void *buf,
			   unsigned int len)
{
	u8 __iomem *cfg = to_vp(vdev)->device + offset;
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

static void vp_write_config(struct virtio_device *vdev, unsigned int offset, const void *buf,
			    unsigned int len)
{
	u8 __iomem *cfg = to_vp(vdev)->device + offset;
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

static unsigned int vp_queue_max_size(struct virtio_device *vdev, unsigned int index)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	u16 num_queues = vpc_read16(vp, VPC_NUM_QUEUES);
	u16 enabled;

	if (index >= num_queues)
		return 0;	/* no such queue: the core says so */
	vpc_write16(vp, VPC_QUEUE_SELECT, (u16)index);
	/* After a reset no queue is enabled; one that is would be the device's mistake. */
	enabled = vpc_read16(vp, VPC_QUEUE_ENABLE);
	if (enabled) {
		virtio_mark_broken(vdev, "queue %u is enabled right after reset (queue_enable %#x)",
				   index, enabled);
		return 0;
	}
	return vpc_read16(vp, VPC_QUEUE_SIZE);
}

static int vp_queue_activate(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	u64 off;
	u16 notify_off;

	vpc_write16(vp, VPC_QUEUE_SELECT, (u16)vq->index);
	/*
	 * 4.1.4.4: the doorbell is at notify_off * multiplier inside the notification area;
	 * both come from the device, so the product is checked to leave room for the
	 * 16-bit write before anything is written to it.
	 */
	notify_off = vpc_read16(vp, VPC_QUEUE_NOTIFY_OFF);
	off = (u64)notify_off * vp->notify_off_multiplier;
	if (off > vp->notify_len || vp->notify_len - off < 2) {
		virtio_mark_broken(vdev, "queue %u: notify offset %u * multiplier %u = %#llx is "
				   "outside the %u-byte notification area", vq->index, notify_off,
				   vp->notify_off_multiplier, (unsigned long long)off,
				   vp->notify_len);
		return -EINVAL;
	}
	vq->transport_priv = vp->notify + off;

	/* The core may have shrunk the ring: queue_size is the driver's to lower (4.1.4.3.2). */
	vpc_write16(vp, VPC_QUEUE_SIZE, (u16)vq->num);
	vpc_write64(vp, VPC_QUEUE_DESC, vq->desc_pa);
	vpc_write64(vp, VPC_QUEUE_DRIVER, vq->avail_pa);
	vpc_write64(vp, VPC_QUEUE_DEVICE, vq->used_pa);
	/* Its MSI-X entry (4.1.5.1.2) before it is enabled; none with INTx or polling. */
	if (vdev->irq_mode == VIRTIO_IRQ_MSIX) {
		int err = vp_queue_irq(vp, vq);

		if (err)
			return err;
	} else {
		vpc_write16(vp, VPC_QUEUE_MSIX_VECTOR, VIRTIO_MSI_NO_VECTOR);
	}
	vpc_write16(vp, VPC_QUEUE_SELECT, (u16)vq->index);
	vpc_write16(vp, VPC_QUEUE_ENABLE, 1);
	return 0;
}

/*
 * A modern queue cannot be disabled by itself (queue_enable takes only 1, without the
 * 1.2 queue-reset feature we do not negotiate): only a device reset makes the device let
 * go of it. The core resets before freeing queues; reset here if it did not, so the rings
 * are never freed under a live device.
 */
static void vp_queue_deactivate(struct virtio_device *vdev, struct virtqueue *vq)
{
	if (vp_get_status(vdev) != 0)
		virtio_reset_device(vdev);
}

static void vp_notify(struct virtqueue *vq)
{
	/* The queue's index (4.1.4.4.1, no notification data); writew orders the ring first. */
	writew((u16)vq->index, (u8 __iomem *)vq->transport_priv);
}

/* ---- Interrupts: the common config's vector registers and the ISR capability ---- */

/* msix_config (4.1.4.3): write, then read back what the device accepted. */
static u16 vp_config_vector(struct virtio_pci_device *vp, u16 vector)
{
	vpc_write16(vp, VPC_MSIX_CONFIG, vector);
	return vpc_read16(vp, VPC_MSIX_CONFIG);
}

/* queue_msix_vector of queue @index, likewise (4.1.5.1.2). */
static u16 vp_queue_vector(struct virtio_pci_device *vp, unsigned int index, u16 vector)
{
	vpc_write16(vp, VPC_QUEUE_SELECT, (u16)index);
	vpc_write16(vp, VPC_QUEUE_MSIX_VECTOR, vector);
	return vpc_read16(vp, VPC_QUEUE_MSIX_VECTOR);
}

static unsigned int vp_nr_queues(struct virtio_pci_device *vp)
{
	return min_t(unsigned int, vpc_read16(vp, VPC_NUM_QUEUES), VIRTIO_MAX_VQS);
}

/* The ISR capability's byte: reading it clears it (4.1.4.5). */
static u32 vp_modern_read_isr(struct virtio_pci_device *vp)
{
	return readb(vp->isr);
}

static const struct vp_irq_ops vp_modern_irq_ops = {
	.config_vector = vp_config_vector,
	.queue_vector = vp_queue_vector,
	.nr_queues = vp_nr_queues,
	.read_isr = vp_modern_read_isr,
};

static const struct virtio_config_ops virtio_pci_modern_ops = {
	.get_status = vp_get_status,
	.set_status = vp_set_status,
	.reset = vp_reset,
	.get_features = vp_get_features,
	.finalize_features = vp_finalize_features,
	.generation = vp_generation,
	.read_config = vp_read_config,
	.write_config = vp_write_config,
	.queue_max_size = vp_queue_max_size,
	.queue_activate = vp_queue_activate,
	.queue_deactivate = vp_queue_deactivate,
	.notify = vp_notify,
	.setup_irqs = vp_setup_irqs,
	.free_irqs = vp_free_irqs,
	.read_isr = vp_read_isr,
};

/* Map the checked structure of `type`: its BAR (once) plus its offset. */
static u8 __iomem *vp_map_cap(struct virtio_pci_device *vp, const struct virtio_pci_caps *caps,
			      unsigned int type)
{
	u8 __iomem *base = virtio_pci_map_bar(vp, caps->cap[type].bar);

	return base ? base + caps->cap[type].offset : NULL;
}

int virtio_pci_modern_setup(struct virtio_pci_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	struct virtio_pci_bars bars = { 0 };
	struct virtio_pci_caps caps;
	struct pci_cfg_view view;
	int err;

	for (unsigned int i = 0; i < PCI_NUM_BARS; i++) {
		u32 flags = pci_bar_flags(pdev, i);

		if (!(flags & PCI_BAR_ASSIGNED))
			continue;
		bars.len[i] = pci_bar_len(pdev, i);
		/* x86 port I/O is not mapped; riscv64's I/O space is memory. */
		bars.mappable[i] = !(flags & PCI_BAR_PORT);
	}
	pci_dev_cfg_view(pdev, &view);
	err = virtio_pci_parse_caps(&view, &bars, &caps);
	if (err == -ENOENT)
		return err;
	if (err) {
		const struct virtio_pci_cap_info *c = &caps.cap[caps.bad_type];

		if (c->pos)
			pr_err("virtio-pci: %s: %s capability at %#x %s (BAR %u offset %#x length "
			       "%#x, BAR size %#llx): device left alone\n", vp->vdev.name,
			       virtio_pci_cap_name(caps.bad_type), c->pos, caps.why, c->bar,
			       c->offset, c->length, (unsigned long long)bars.len[c->bar]);
		else
			pr_err("virtio-pci: %s: %s capability %s: device left alone\n",
			       vp->vdev.name, virtio_pci_cap_name(caps.bad_type), caps.why);
		return -EINVAL;
	}
	vp->common = vp_map_cap(vp, &caps, VIRTIO_PCI_CAP_COMMON_CFG);
	vp->isr = vp_map_cap(vp, &caps, VIRTIO_PCI_CAP_ISR_CFG);
	vp->notify = vp_map_cap(vp, &caps, VIRTIO_PCI_CAP_NOTIFY_CFG);
	if (!vp->common || !vp->isr || !vp->notify)
		return -EINVAL;		/* a BAR that would not map, already said */
	vp->notify_len = caps.cap[VIRTIO_PCI_CAP_NOTIFY_CFG].length;
	vp->notify_off_multiplier = caps.notify_off_multiplier;
	/* The device-specific structure is optional: a device type may have no config. */
	if (caps.cap[VIRTIO_PCI_CAP_DEVICE_CFG].pos) {
		vp->device = vp_map_cap(vp, &caps, VIRTIO_PCI_CAP_DEVICE_CFG);
		if (!vp->device)
			return -EINVAL;
		vp->vdev.config_len = min_t(u32, caps.cap[VIRTIO_PCI_CAP_DEVICE_CFG].length,
					    VIRTIO_PCI_DEVICE_CFG_MAX);
	}
	vp->vdev.legacy = false;
	vp->vdev.fixed_queue_size = false;	/* queue_size is the driver's to lower */
	vp->vdev.ops = &virtio_pci_modern_ops;
	vp->irq_ops = &vp_modern_irq_ops;
	return 0;
}
