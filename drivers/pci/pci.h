/* SPDX-License-Identifier: MIT */
/*
 * PCI: the host bridges boot_info names, every function behind them, their BARs and
 * capabilities, and the API a driver uses.
 *
 *	static const struct pci_device_id rng_ids[] = {
 *		{ .vendor = 0x1af4, .device = 0x1005 }, { .vendor = 0x1af4, .device = 0x1044 },
 *		{ 0 }
 *	};
 *	static int rng_probe(struct pci_dev *pdev, const struct pci_device_id *id)
 *	{
 *		if (pci_enable_device(pdev))
 *			return -EIO;
 *		pci_set_master(pdev);
 *		void __iomem *regs = pci_iomap(pdev, 4);
 *		...
 *	}
 *	static struct pci_driver rng_driver = { .name = "virtio-pci", .id_table = rng_ids,
 *						.probe = rng_probe };
 *	pci_register_driver(&rng_driver);
 *
 * Decoding (memory, I/O) and bus mastering stay off until the driver asks, where the kernel
 * assigned the BARs (riscv64). On x86 the firmware assigned them and enabled decoding, and
 * the kernel leaves what the firmware set: turning off a PC's ISA bridge or VGA would cut
 * legacy devices the kernel itself uses.
 *
 * Locking: pci_init() builds everything on the boot CPU before SMP (m); devices, BARs and
 * bus numbers are constant afterwards (c). Driver binding (pci_register_driver(), dev->driver)
 * happens on the boot CPU (m). Configuration accesses may come from any CPU: mechanism #1's
 * address/data port pair is serialised by a lock; ECAM accesses are single loads and stores.
 */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H

#include "kernel/compiler.h"
#include "drivers/pci/pci_lib.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/spinlock.h"

#ifndef __iomem
#define __iomem		/* device memory: reach it only through readl()/writel() */
#endif

#define PCI_MAX_DEVICES		64	/* functions the kernel keeps; more are counted */
#define PCI_NUM_BARS		6	/* type 0 header; a bridge has 2 */
#define PCI_ANY_ID		0xffffu

struct pci_host;
struct pci_driver;
struct pci_dev;

/* MSI-X entries the kernel programs per function (virtio: config + one per queue). */
#define PCI_MSIX_MAX_VECS	16

/* One programmed MSI-X table entry: the message owner's argument (msix.c). */
struct pci_msix_vec {
	struct pci_dev *dev;		/* (c) */
	u16 entry;			/* its index in the table (c) */
	unsigned int irq;		/* kernel/irq.h number, 0 when not allocated (d) */
};

/*
 * A function's MSI-X state (msix.c). Lock key (d): the bound driver's probe/remove path;
 * (x) msix.lock, which orders every rewrite of a table entry: the owner callback (under
 * irq_lock, when an interrupt moves to another CPU) against setup and teardown. A leaf lock
 * taken inside irq_lock; never held around an irq_*() call.
 */
struct pci_msix {
	u8 cap;				/* the capability, 0: none (c) */
	u16 table_size;			/* entries the function has (c) */
	bool enabled;			/* MSI-X Enable is set (d; read racily by lspci) */
	u8 __iomem *table;		/* the table, mapped once on first enable (d) */
	unsigned int nr_vecs;		/* entries programmed: vec[0 .. nr_vecs) (d) */
	struct pci_msix_vec vec[PCI_MSIX_MAX_VECS];
	spinlock_t lock;		/* (x) */
};

/* One BAR as the kernel placed (or found) it. */
struct pci_bar {
	u32 flags;			/* PCI_BAR_* (pci_lib.h); 0: not implemented */
	u64 size;			/* bytes, a power of two */
	u64 bus_addr;			/* what the BAR holds: the address on the PCI bus */
	phys_addr_t cpu_addr;		/* the CPU physical address, or the port (PCI_BAR_PORT) */
};

struct pci_dev {
	struct pci_host *host;
	u16 segment;
	u8 bus;
	u8 devfn;			/* device << 3 | function */
	u16 vendor;
	u16 device;
	u16 subsystem_vendor;		/* type 0; bridges: the SSVID capability, if any */
	u16 subsystem_device;
	u32 class;			/* base class << 16 | subclass << 8 | prog-if */
	u8 revision;
	u8 hdr_type;			/* PCI_HEADER_TYPE_* without the multi-function bit */
	u8 irq_pin;			/* 0 none, 1..4 INTA..INTD */
	u8 irq_line;			/* what the firmware wrote (x86: the 8259/IOAPIC input) */
	u16 cfg_size;			/* 256, or 4096 for PCI Express behind ECAM */
	u8 nr_bars;			/* 6, or 2 for a bridge */
	struct pci_bar bar[PCI_NUM_BARS];
	struct pci_dev *parent;		/* the bridge above, NULL on the host's root bus */
	u8 secondary;			/* bridges: the bus behind it ... */
	u8 subordinate;			/* ... and the highest bus below it */
	bool disabled;			/* a BAR fits no window: never enabled, never bound */
	/* Bridges: the window per class (IO, MEM, PREF) the layout computed. */
	u64 win_size[3];
	u64 win_align[3];
	u64 win_base[3];		/* bus address; meaningful when win_size is not 0 */
	unsigned int irq;		/* kernel irq bound: INTx, or MSI-X entry 0's; 0 none (d) */
	struct pci_msix msix;		/* msix.c */
	const struct pci_driver *driver;	/* bound driver (m) */
	void *driver_data;		/* the driver's own (its locking) */
};

struct pci_device_id {
	u16 vendor;			/* PCI_ANY_ID matches any; 0 ends a table */
	u16 device;			/* PCI_ANY_ID matches any */
	u32 class;			/* compared under class_mask */
	u32 class_mask;			/* 0: class not compared */
};

struct pci_driver {
	const char *name;		/* "Kernel driver in use:" in lspci -v */
	const struct pci_device_id *id_table;
	/* 0 binds the device to the driver; a negative errno leaves it unbound. Boot CPU. */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
};

/**
 * pci_init() - find the host bridges in boot_info, enumerate every bus behind them, size
 * the BARs and (where the host's windows are known) assign them, then print one summary.
 * Context: boot CPU, after mm_core_init() (maps ECAM through arch_ioremap()), before SMP.
 */
void pci_init(void);

/* Functions found, and the idx'th of them (NULL past the end). Any CPU, after pci_init(). */
unsigned int pci_dev_count(void);
struct pci_dev *pci_dev_get(unsigned int idx);
#define for_each_pci_dev(d, i) \
	for ((i) = 0; ((d) = pci_dev_get(i)) != NULL; (i)++)
/* "0000:00:03.0" / "00:03.0" into buf (at least 13 bytes). */
const char *pci_name(const struct pci_dev *dev, char *buf, size_t len);

/**
 * pci_register_driver() - bind @drv to every unbound, usable function its id_table matches.
 * Return: the number of devices bound.
 * Context: boot CPU, after pci_init().
 */
int pci_register_driver(const struct pci_driver *drv);

/* Configuration space of the function; out of range or absent reads give all ones. */
u8 pci_read_config8(const struct pci_dev *dev, u16 where);
u16 pci_read_config16(const struct pci_dev *dev, u16 where);
u32 pci_read_config32(const struct pci_dev *dev, u16 where);
void pci_write_config8(const struct pci_dev *dev, u16 where, u8 val);
void pci_write_config16(const struct pci_dev *dev, u16 where, u16 val);
void pci_write_config32(const struct pci_dev *dev, u16 where, u32 val);

/* A configuration-space view of the function for pci_lib.h's walkers. */
void pci_dev_cfg_view(const struct pci_dev *dev, struct pci_cfg_view *v);
/* Offset of the first (next after @from) capability @id, 0 if none. */
u8 pci_find_capability(const struct pci_dev *dev, u8 id);
u8 pci_find_next_capability(const struct pci_dev *dev, u8 from, u8 id);
u16 pci_find_ext_capability(const struct pci_dev *dev, u16 id);

/*
 * Turn on decoding of the spaces the function's BARs use (and the bridges' above it).
 * Return: 0, or -ENODEV for a device left disabled (a BAR without an address).
 */
int pci_enable_device(struct pci_dev *dev);
/* Let the function (and the bridges above it) master the bus: DMA, MSI writes. */
void pci_set_master(struct pci_dev *dev);

/* BAR @bar: CPU address (the port with PCI_BAR_PORT), size, PCI_BAR_* flags; 0 if none. */
phys_addr_t pci_bar_start(const struct pci_dev *dev, unsigned int bar);
u64 pci_bar_len(const struct pci_dev *dev, unsigned int bar);
u32 pci_bar_flags(const struct pci_dev *dev, unsigned int bar);
/*
 * Map BAR @bar for readl()/writel(): memory BARs, and I/O BARs where I/O space is memory
 * mapped (riscv64). NULL for an x86 port I/O BAR (use pci_bar_start() with inb/outb), a
 * BAR that is absent or unassigned, or a failed mapping.
 */
void __iomem *pci_iomap(struct pci_dev *dev, unsigned int bar);

/* ---- Interrupts (msix.c, intx.c) ---- */

/*
 * MSI-X (PCI Local Bus 3.0 section 6.8.2). pci_msix_table_size(): the entries the function
 * offers, 0 without the capability. pci_enable_msix(): allocate @nvec message-signalled
 * interrupts (arch_msi_irq_alloc()) for entries 0..nvec-1, write each entry's message with
 * the entry masked, name its owner so the message follows the interrupt to another CPU,
 * then enable MSI-X and disable INTx. The handlers are the driver's: request_irq() the
 * numbers pci_msix_vec_irq() gives.
 * Return: 0; -ENOENT (no MSI-X), -EINVAL (@nvec 0 or above the table or PCI_MSIX_MAX_VECS,
 * or a table outside its BAR: said), -ENOMEM (the table cannot be mapped), or
 * arch_msi_irq_alloc()'s error (riscv64: -EOPNOTSUPP). On error nothing is left enabled.
 * pci_disable_msix(): mask every entry, give the interrupts back, disable MSI-X, enable
 * INTx again. The driver has freed its handlers first.
 * Context: the driver's probe/remove path, process context, IRQs on.
 */
unsigned int pci_msix_table_size(const struct pci_dev *dev);
int pci_enable_msix(struct pci_dev *dev, unsigned int nvec);
void pci_disable_msix(struct pci_dev *dev);
/* The irq of programmed entry @entry, or -ENOENT. Any context. */
int pci_msix_vec_irq(const struct pci_dev *dev, unsigned int entry);
/* MSI-X is enabled on the function (the driver's view). Any context. */
bool pci_msix_enabled(const struct pci_dev *dev);

/*
 * The irq of the function's INTx pin: the pin swizzled through the bridges above it, looked
 * up in its host bridge's device-tree interrupt-map, and the controller's interrupt made
 * with arch_platform_irq(). Sets dev->irq.
 * Return: the irq (> 0); -ENOENT (no pin); -EOPNOTSUPP (no interrupt-map: x86_64, whose
 * IOAPIC is not driven); -EINVAL (a malformed map or no entry for the device: said); or
 * arch_platform_irq()'s error. Context: process context, IRQs on.
 */
int pci_intx_irq(struct pci_dev *dev);

/* ---- for lspci and the tests ---- */

/* A host bridge as enumerated. */
struct pci_host_info {
	u16 segment;
	u8 bus_start;
	u8 bus_end;
	u8 last_bus;			/* highest bus number in use */
	u32 access;			/* enum boot_pci_access */
	phys_addr_t ecam_base;
	unsigned int nr_windows;
	const struct boot_pci_window *windows;
};
/* Print one function as `lspci [-v]` does (lspci.c). Context: process context. */
void lspci_show_dev(const struct pci_dev *dev, bool verbose);
unsigned int pci_host_count(void);
bool pci_host_get(unsigned int idx, struct pci_host_info *out);
/* Raw configuration read through host @idx, for checks of absent functions. */
u32 pci_host_read(unsigned int idx, u8 bus, u8 devfn, u16 where, u8 size);

#endif /* DRIVERS_PCI_PCI_H */
