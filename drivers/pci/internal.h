/* SPDX-License-Identifier: MIT */
/* What only drivers/pci/ shares between its files. */
#ifndef DRIVERS_PCI_INTERNAL_H
#define DRIVERS_PCI_INTERNAL_H

#include "drivers/pci/pci.h"
#include "kernel/boot_info.h"

/* BAR and bridge-window classes: where in the host's windows each goes. */
enum pci_res_class {
	PCI_RES_IO,			/* I/O space */
	PCI_RES_MEM,			/* 32-bit non-prefetchable memory */
	PCI_RES_PREF,			/* prefetchable memory (64-bit where possible) */
	PCI_NR_RES,
};

/* A host bridge: boot_info's description plus what enumeration found. (m), then (c). */
struct pci_host {
	const struct boot_pci_host *bh;
	u16 segment;
	u8 bus_start;
	u8 bus_end;
	u8 last_bus;			/* highest bus number enumeration reached */
	u8 __iomem *ecam;		/* ECAM mapping of bus_start, NULL for mechanism #1 */
	bool assign;			/* the windows are known: the kernel places every BAR */
	unsigned int first_dev;		/* its functions: pci_devs[first_dev .. +nr_devs) */
	unsigned int nr_devs;
};

/* setup_bus.c: BAR placement */
void pci_host_assign_resources(struct pci_host *host);
void pci_host_check_firmware_bars(struct pci_host *host);
enum pci_res_class pci_bar_class(u32 flags);
/* pci.c */
u32 pci_host_cfg_read(const struct pci_host *host, u8 bus, u8 devfn, u16 where, u8 size);
void pci_host_cfg_write(const struct pci_host *host, u8 bus, u8 devfn, u16 where, u8 size,
			u32 val);
void pci_write_bar(struct pci_dev *dev, unsigned int i);
/* "16K", "32", "1M": a size as lspci prints it. */
const char *pci_size_str(u64 size, char *buf, size_t len);
void pci_disable_dev(struct pci_dev *dev, const char *fmt, ...) __printf(2, 3);
/* msix.c: find the capability and make dev->msix ready (nothing enabled). Boot CPU (m). */
void pci_msix_init(struct pci_dev *dev);

#endif /* DRIVERS_PCI_INTERNAL_H */
