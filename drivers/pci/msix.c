// SPDX-License-Identifier: MIT
/*
 * MSI-X (PCI Local Bus Specification 3.0, section 6.8.2; PCI Express Base 7.7.2): a
 * function raises an interrupt by writing a message (an address and a data word) that the
 * kernel put in a table inside one of its memory BARs. Each 16-byte table entry is
 *
 *	0 Message Address (low 32 bits)   4 Message Upper Address
 *	8 Message Data                   12 Vector Control: bit 0 masks the entry
 *
 *	QEMU: -device virtio-rng-pci (2 vectors), -device virtio-rng-pci,vectors=0 (no MSI-X)
 *
 * What the message is belongs to the architecture (arch_msi_compose(); x86_64: the target
 * CPU's local APIC and a vector of it; riscv64 has no IMSIC, so arch_msi_irq_alloc()
 * refuses and the driver falls back to INTx). The message changes whenever the interrupt
 * moves to another CPU (irq_set_affinity(), a CPU going offline): kernel/irq.c then calls
 * the owner named here, pci_msix_msg_update(), which rewrites the entry.
 *
 * Rewriting an entry: the spec leaves the result undefined if an unmasked entry changes while
 * the function may use it (6.8.2, per-vector masking), so the entry is masked first, written,
 * and its mask put back. A message the function wanted to send meanwhile is held as pending
 * and sent with the new contents once the entry is unmasked: nothing is lost. The last act is
 * a read of the entry: a read completion cannot pass the function's earlier posted writes, so
 * every message it sent with the old contents has been delivered when the read returns (the
 * flush kernel/irq.h asks of an owner before the old vector is given back).
 *
 * Enabling: MSI-X Enable together with Function Mask, so no entry fires while the table
 * is filled; then INTx Disable in the command register (a function must not raise INTx while
 * MSI-X is on, and an INTx nobody handles is a stuck line); then Function Mask off.
 *
 * Locking: see struct pci_msix in pci.h: (d) the driver's probe/remove, (x) msix.lock.
 */
#include "drivers/pci/internal.h"
#include "arch/arch.h"
#include "kernel/bug.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/printk.h"
#include <asm/io.h>

#define PCI_MSIX_ENTRY_SIZE		16
#define PCI_MSIX_ENTRY_LOWER_ADDR	0
#define PCI_MSIX_ENTRY_UPPER_ADDR	4
#define PCI_MSIX_ENTRY_DATA		8
#define PCI_MSIX_ENTRY_VECTOR_CTRL	12
#define  PCI_MSIX_ENTRY_CTRL_MASKBIT	0x1
#define PCI_MSIX_TABLE_BIR		0x7	/* PCI_MSIX_TABLE: BAR indicator */
#define PCI_MSIX_TABLE_OFFSET		(~0x7u)	/* ... and the offset, 8-byte aligned */

void pci_msix_init(struct pci_dev *dev)
{
	struct pci_msix *m = &dev->msix;

	spin_lock_init(&m->lock, "pci_msix");
	for (unsigned int i = 0; i < PCI_MSIX_MAX_VECS; i++) {
		m->vec[i].dev = dev;
		m->vec[i].entry = (u16)i;
		m->vec[i].irq = 0;
	}
	m->cap = pci_find_capability(dev, PCI_CAP_ID_MSIX);
	if (m->cap)
		m->table_size = (pci_read_config16(dev, m->cap + PCI_MSIX_FLAGS) &
				 PCI_MSIX_FLAGS_QSIZE) + 1;
}

unsigned int pci_msix_table_size(const struct pci_dev *dev)
{
	return dev->msix.cap ? dev->msix.table_size : 0;
}

bool pci_msix_enabled(const struct pci_dev *dev)
{
	return READ_ONCE(dev->msix.enabled);
}

int pci_msix_vec_irq(const struct pci_dev *dev, unsigned int entry)
{
	const struct pci_msix *m = &dev->msix;

	if (entry >= m->nr_vecs || !m->vec[entry].irq)
		return -ENOENT;
	return (int)m->vec[entry].irq;
}

static u8 __iomem *msix_entry(struct pci_msix *m, unsigned int entry)
{
	return m->table + entry * PCI_MSIX_ENTRY_SIZE;
}

static void msix_write_ctrl(struct pci_dev *dev, u16 set, u16 clear)
{
	u16 ctrl = pci_read_config16(dev, dev->msix.cap + PCI_MSIX_FLAGS);

	pci_write_config16(dev, dev->msix.cap + PCI_MSIX_FLAGS, (u16)((ctrl & ~clear) | set));
}

/*
 * Write @v's current message into its entry, masked meanwhile, then flush (see the top of
 * the file). An entry whose message cannot be composed stays masked, with a message.
 * Context: msix.lock held.
 */
static void __msix_write_msg(struct pci_msix *m, struct pci_msix_vec *v)
{
	u8 __iomem *e = msix_entry(m, v->entry);
	u32 ctrl = readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	u64 addr;
	u32 data;
	int err;

	assert_spin_locked(&m->lock);
	writel(ctrl | PCI_MSIX_ENTRY_CTRL_MASKBIT, e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	err = arch_msi_compose(v->irq, &addr, &data);
	if (err) {
		char name[16];

		pr_err("pci: %s: MSI-X entry %u (irq %u): no message (%d): left masked\n",
		       pci_name(v->dev, name, sizeof(name)), v->entry, v->irq, err);
		readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL);
		return;
	}
	writel((u32)addr, e + PCI_MSIX_ENTRY_LOWER_ADDR);
	writel((u32)(addr >> 32), e + PCI_MSIX_ENTRY_UPPER_ADDR);
	writel(data, e + PCI_MSIX_ENTRY_DATA);
	writel(ctrl & ~PCI_MSIX_ENTRY_CTRL_MASKBIT, e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	/* The flush: the function's messages with the old contents are all in. */
	readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

/* Mask @v's entry and flush. Context: msix.lock held. */
static void __msix_mask(struct pci_msix *m, struct pci_msix_vec *v)
{
	u8 __iomem *e = msix_entry(m, v->entry);

	assert_spin_locked(&m->lock);
	writel(readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL) | PCI_MSIX_ENTRY_CTRL_MASKBIT,
	       e + PCI_MSIX_ENTRY_VECTOR_CTRL);
	readl(e + PCI_MSIX_ENTRY_VECTOR_CTRL);
}

/*
 * The owner callback (irq_msg_update_fn): the interrupt moved, its entry gets the new message.
 * Context: irq_lock held, IRQs on; takes msix.lock (inside irq_lock).
 */
static void pci_msix_msg_update(unsigned int irq, void *owner)
{
	struct pci_msix_vec *v = owner;
	struct pci_msix *m = &v->dev->msix;

	if (WARN_ON(v->irq != irq))
		return;
	guard(spinlock_irqsave)(&m->lock);
	__msix_write_msg(m, v);
}

/* Map the table once, after checking it lies inside its memory BAR. 0 or -errno, said. */
static int msix_map_table(struct pci_dev *dev)
{
	struct pci_msix *m = &dev->msix;
	u32 tbl = pci_read_config32(dev, m->cap + PCI_MSIX_TABLE);
	unsigned int bir = tbl & PCI_MSIX_TABLE_BIR;
	u64 off = tbl & PCI_MSIX_TABLE_OFFSET, len = (u64)m->table_size * PCI_MSIX_ENTRY_SIZE;
	u32 flags = bir < dev->nr_bars ? pci_bar_flags(dev, bir) : 0;
	u64 bar_len = bir < dev->nr_bars ? pci_bar_len(dev, bir) : 0;
	char name[16];

	if (m->table)
		return 0;
	pci_name(dev, name, sizeof(name));
	if (!(flags & PCI_BAR_MEM) || !(flags & PCI_BAR_ASSIGNED)) {
		pr_err("pci: %s: MSI-X table in BAR %u, which is not an assigned memory BAR "
		       "(flags %#x): MSI-X not used\n", name, bir, flags);
		return -EINVAL;
	}
	if (off > bar_len || len > bar_len - off) {
		pr_err("pci: %s: MSI-X table of %u entries at BAR %u offset %#llx does not fit "
		       "the BAR's %#llx bytes: MSI-X not used\n", name, m->table_size, bir,
		       (unsigned long long)off, (unsigned long long)bar_len);
		return -EINVAL;
	}
	m->table = arch_ioremap(pci_bar_start(dev, bir) + off, (size_t)len);
	if (!m->table) {
		pr_err("pci: %s: MSI-X table cannot be mapped: MSI-X not used\n", name);
		return -ENOMEM;
	}
	return 0;
}

/* Give back entries [0, m->nr_vecs): masked, no owner, no interrupt. Context: (d), IRQs on. */
static void msix_free_vecs(struct pci_msix *m)
{
	for (unsigned int i = 0; i < m->nr_vecs; i++) {
		struct pci_msix_vec *v = &m->vec[i];

		if (!v->irq)
			continue;
		scoped_guard(spinlock_irqsave, &m->lock)
			__msix_mask(m, v);
		/* No move rewrites the entry from here on; then the vector goes back. */
		irq_set_msg_owner(v->irq, NULL, NULL);
		arch_msi_irq_free(v->irq);
		v->irq = 0;
	}
	m->nr_vecs = 0;
}

int pci_enable_msix(struct pci_dev *dev, unsigned int nvec)
{
	struct pci_msix *m = &dev->msix;
	int err;

	if (!m->cap)
		return -ENOENT;
	if (m->enabled || nvec == 0 || nvec > m->table_size || nvec > PCI_MSIX_MAX_VECS)
		return -EINVAL;
	err = msix_map_table(dev);
	if (err)
		return err;

	/* The interrupts first: a platform without MSI (riscv64) leaves the device untouched. */
	for (unsigned int i = 0; i < nvec; i++) {
		err = arch_msi_irq_alloc();
		if (err < 0) {
			msix_free_vecs(m);
			return err;
		}
		m->vec[i].irq = (unsigned int)err;
		m->nr_vecs = i + 1;
	}
	/* Enabled but function-masked: the table is live, no entry may fire yet. */
	msix_write_ctrl(dev, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, 0);
	for (unsigned int i = 0; i < nvec; i++) {
		struct pci_msix_vec *v = &m->vec[i];

		/*
		 * Owner first, then the first write under msix.lock: a move in between
		 * rewrites the entry after us or before us, and both write the message the
		 * interrupt has when they run, so the last write is the current one.
		 */
		irq_set_msg_owner(v->irq, pci_msix_msg_update, v);
		scoped_guard(spinlock_irqsave, &m->lock)
			__msix_write_msg(m, v);
	}
	/* INTx off while MSI-X is on: a function must not use both. */
	pci_write_config16(dev, PCI_COMMAND,
			   pci_read_config16(dev, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	dev->irq = m->vec[0].irq;
	WRITE_ONCE(m->enabled, true);
	msix_write_ctrl(dev, 0, PCI_MSIX_FLAGS_MASKALL);
	return 0;
}

void pci_disable_msix(struct pci_dev *dev)
{
	struct pci_msix *m = &dev->msix;

	if (!m->enabled)
		return;
	/* Each entry masked and flushed before its vector can be handed to someone else. */
	msix_free_vecs(m);
	msix_write_ctrl(dev, 0, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	WRITE_ONCE(m->enabled, false);
	pci_write_config16(dev, PCI_COMMAND,
			   pci_read_config16(dev, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	dev->irq = 0;
}
