/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space registers and bits, from the PCI Local Bus Specification 3.0
 * (chapter 6), the PCI-to-PCI Bridge Architecture Specification 1.2 (chapter 3) and the PCI
 * Express Base Specification (7.5-7.9). Names follow Linux's include/uapi/linux/pci_regs.h
 * so the two read side by side; only what Tessera uses is here.
 */
#ifndef DRIVERS_PCI_PCI_REGS_H
#define DRIVERS_PCI_PCI_REGS_H

#define PCI_CFG_SPACE_SIZE	256	/* conventional: what mechanism #1 reaches */
#define PCI_CFG_SPACE_EXP_SIZE	4096	/* PCI Express extended: ECAM only */

/* Header common to every type */
#define PCI_VENDOR_ID		0x00	/* 16 bits; 0xffff: no function here */
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04	/* 16 bits */
#define  PCI_COMMAND_IO		0x0001	/* decode I/O space */
#define  PCI_COMMAND_MEMORY	0x0002	/* decode memory space */
#define  PCI_COMMAND_MASTER	0x0004	/* may master the bus (DMA, MSI writes) */
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS		0x06	/* 16 bits */
#define  PCI_STATUS_CAP_LIST	0x0010	/* PCI_CAPABILITY_LIST is valid */
#define  PCI_STATUS_DEVSEL_MASK	0x0600	/* DEVSEL timing: 0 fast, 1 medium, 2 slow */
#define PCI_CLASS_REVISION	0x08	/* class code << 8 | revision */
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CLASS_DEVICE	0x0a	/* base class << 8 | subclass */
#define PCI_LATENCY_TIMER	0x0d
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_TYPE_NORMAL	0
#define  PCI_HEADER_TYPE_BRIDGE	1
#define  PCI_HEADER_TYPE_CARDBUS 2
#define  PCI_HEADER_MULTIFUNC	0x80
#define PCI_BASE_ADDRESS_0	0x10	/* 6 BARs on type 0, 2 on type 1 */
#define  PCI_BASE_ADDRESS_SPACE_IO	0x01
#define  PCI_BASE_ADDRESS_MEM_TYPE_MASK	0x06
#define  PCI_BASE_ADDRESS_MEM_TYPE_32	0x00
#define  PCI_BASE_ADDRESS_MEM_TYPE_1M	0x02	/* "below 1 MiB", reserved since PCI 2.2 */
#define  PCI_BASE_ADDRESS_MEM_TYPE_64	0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define  PCI_BASE_ADDRESS_MEM_MASK	(~0x0fu)
#define  PCI_BASE_ADDRESS_IO_MASK	(~0x03u)

/* Type 0 (endpoint) */
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_ROM_ADDRESS		0x30
#define PCI_CAPABILITY_LIST	0x34	/* offset of the first capability */
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d	/* 0 none, 1..4 INTA..INTD */

/* Type 1 (PCI-to-PCI bridge) */
#define PCI_PRIMARY_BUS		0x18
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_SEC_LATENCY_TIMER	0x1b
#define PCI_IO_BASE		0x1c	/* 8 bits: address bits 15:12 in 7:4; 3:0 = 32-bit I/O? */
#define PCI_IO_LIMIT		0x1d
#define  PCI_IO_RANGE_TYPE_MASK	0x0f
#define  PCI_IO_RANGE_TYPE_32	0x01
#define PCI_MEMORY_BASE		0x20	/* 16 bits: address bits 31:20 in 15:4 */
#define PCI_MEMORY_LIMIT	0x22
#define PCI_PREF_MEMORY_BASE	0x24	/* as MEMORY_BASE; 3:0 = 1: 64-bit, upper halves below */
#define PCI_PREF_MEMORY_LIMIT	0x26
#define  PCI_PREF_RANGE_TYPE_MASK 0x0f
#define  PCI_PREF_RANGE_TYPE_64	0x01
#define PCI_PREF_BASE_UPPER32	0x28
#define PCI_PREF_LIMIT_UPPER32	0x2c
#define PCI_IO_BASE_UPPER16	0x30
#define PCI_IO_LIMIT_UPPER16	0x32
#define PCI_BRIDGE_CONTROL	0x3e

/* Capability list (conventional space, 0x40..0xff): id byte, next byte */
#define PCI_CAP_LIST_ID		0
#define PCI_CAP_LIST_NEXT	1
#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09	/* vendor specific: virtio's structures */
#define PCI_CAP_ID_SSVID	0x0d	/* bridge subsystem vendor/device */
#define PCI_CAP_ID_EXP		0x10	/* PCI Express */
#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_ID_SATA		0x12
#define PCI_CAP_ID_AF		0x13
#define PCI_MSI_FLAGS		2	/* MSI control, 16 bits */
#define  PCI_MSI_FLAGS_ENABLE	0x0001
#define  PCI_MSI_FLAGS_QMASK	0x000e	/* log2 of the vectors the function asks for */
#define  PCI_MSI_FLAGS_QSIZE	0x0070	/* log2 of the vectors enabled */
#define  PCI_MSI_FLAGS_64BIT	0x0080
#define  PCI_MSI_FLAGS_MASKBIT	0x0100
#define PCI_MSIX_FLAGS		2	/* MSI-X control, 16 bits */
#define  PCI_MSIX_FLAGS_QSIZE	0x07ff	/* table size - 1 */
#define  PCI_MSIX_FLAGS_MASKALL	0x4000
#define  PCI_MSIX_FLAGS_ENABLE	0x8000
#define PCI_MSIX_TABLE		4	/* BAR indicator in 2:0, offset in 31:3 */
#define PCI_MSIX_PBA		8
#define PCI_EXP_FLAGS		2	/* Express capabilities, 16 bits */
#define  PCI_EXP_FLAGS_VERS	0x000f
#define  PCI_EXP_FLAGS_TYPE	0x00f0
#define  PCI_EXP_FLAGS_SLOT	0x0100
#define  PCI_EXP_FLAGS_IRQ	0x3e00
#define PCI_PM_PMC		2	/* power management capabilities, version in 2:0 */

/* Extended capabilities (PCI Express, 0x100..0xfff): 16-bit id, 4-bit version, 12-bit next */
#define PCI_EXT_CAP_START	0x100
#define PCI_EXT_CAP_ID(h)	((h) & 0xffff)
#define PCI_EXT_CAP_VER(h)	(((h) >> 16) & 0xf)
#define PCI_EXT_CAP_NEXT(h)	(((h) >> 20) & 0xffc)
#define PCI_EXT_CAP_ID_ERR	0x01	/* Advanced Error Reporting */
#define PCI_EXT_CAP_ID_VC	0x02
#define PCI_EXT_CAP_ID_DSN	0x03
#define PCI_EXT_CAP_ID_VNDR	0x0b
#define PCI_EXT_CAP_ID_ACS	0x0d
#define PCI_EXT_CAP_ID_ARI	0x0e
#define PCI_EXT_CAP_ID_SRIOV	0x10

/* Functions: device in 7:3 of devfn, function in 2:0. */
#define PCI_DEVFN(dev, fn)	((u8)(((dev) << 3) | (fn)))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

#endif /* DRIVERS_PCI_PCI_REGS_H */
