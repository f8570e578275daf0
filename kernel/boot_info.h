/* SPDX-License-Identifier: MIT */
/*
 * struct boot_info: everything the bootloader told us, in one bootloader-neutral shape.
 *
 * boot/ fills it (boot/multiboot2.c on x86_64, boot/fdt_boot.c on riscv64) before any
 * generic code runs; mm/, drivers/ and kernel/ read it and never look at multiboot2 tags or
 * FDT nodes.
 * Ranges are copied here as the firmware reported them, unsanitised: memblock_init()
 * (mm/memblock_init.c) is where overlapping, unsorted and unaligned entries are cleaned up,
 * each with a warning.
 *
 * Locking: written only by the boot CPU before SMP (m), read-only afterwards (c).
 */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include "kernel/compiler.h"

#define BOOT_MAX_RANGES		128
/*
 * Reserved ranges: a generated device tree may list hundreds (one /reserved-memory child
 * per firmware buffer), and each one dropped would be memory handed to the allocator while
 * its owner still uses it, so there is room for many, and memblock stops the boot if even
 * that was not enough.
 */
#define BOOT_MAX_RESERVED	512
#define BOOT_MAX_CPUS		64
#define BOOT_CMDLINE_MAX	1024
#define BOOT_MAX_DEVICES	32
#define BOOT_MAX_MODULES	16
#define BOOT_MAX_RSV_DYNAMIC	16
#define BOOT_RSV_DYNAMIC_RANGES	4
#define BOOT_MODULE_CMDLINE_MAX	64

/* What a range of physical address space is, as far as the firmware said. */
enum boot_mem_type {
	BOOT_MEM_RAM = 1,		/* usable RAM */
	BOOT_MEM_RESERVED,		/* firmware-reserved, not RAM for us */
	BOOT_MEM_ACPI_RECLAIM,		/* ACPI tables; RAM once they have been read */
	BOOT_MEM_ACPI_NVS,		/* ACPI non-volatile storage */
	BOOT_MEM_BAD,			/* defective RAM */
	BOOT_MEM_OTHER,			/* any type we do not know: never used */
};

struct boot_range {
	phys_addr_t base;		/* first byte */
	phys_addr_t size;		/* in bytes; 0 is legal input and dropped by memblock */
	u32 type;			/* enum boot_mem_type (memory[]) or enum boot_rsv_kind */
};

/* Why a range is reserved: printed at boot so that every reserved byte has a reason. */
enum boot_rsv_kind {
	BOOT_RSV_KERNEL = 1,		/* the kernel image, _start.._end */
	BOOT_RSV_BOOTINFO,		/* the multiboot2 information block */
	BOOT_RSV_FDT,			/* the flattened device tree blob */
	BOOT_RSV_FIRMWARE,		/* /reserved-memory, /memreserve/, OpenSBI */
	BOOT_RSV_INITRD,		/* an initial ramdisk or another boot module */
	BOOT_RSV_LOWMEM,		/* below 1 MiB: real-mode IVT/BDA/EBDA, AP trampoline */
	BOOT_RSV_OTHER,
	/*
	 * /reserved-memory with no-map: not even to be mapped (the device or the secure world
	 * owns it; a speculative access could fault or corrupt). riscv64 runs with satp =
	 * Bare, so today nothing is mapped at all; page tables must leave these out.
	 */
	BOOT_RSV_NOMAP,
	/*
	 * /reserved-memory with reusable: the OS may use it while its owner does not (a CMA
	 * pool for movable pages). Reserved for now, but known as such.
	 */
	BOOT_RSV_REUSABLE,
};

struct boot_cpu {
	u32 hwid;			/* APIC id (x86_64) or hart id (riscv64) */
	bool enabled;			/* usable now (MADT enabled, FDT status "okay") */
	bool online_capable;		/* may be brought up later (MADT online-capable) */
};

/*
 * A file the loader put in memory for the kernel: an initrd (FDT linux,initrd-start/end) or a
 * GRUB module2. Always reserved too (BOOT_RSV_INITRD), whether or not it fits in modules[].
 */
struct boot_module {
	phys_addr_t base;		/* first byte */
	phys_addr_t size;		/* in bytes, > 0 */
	char cmdline[BOOT_MODULE_CMDLINE_MAX];	/* module2's arguments ("initrd" for FDT) */
};

/*
 * A /reserved-memory child with only "size": the OS places it (Devicetree spec 3.5.2),
 * memblock_init() does, after every fixed reservation is known.
 */
struct boot_rsv_dynamic {
	char name[32];			/* the node's name, for messages */
	phys_addr_t size;		/* bytes */
	phys_addr_t align;		/* "alignment", 0 if absent */
	u32 kind;			/* BOOT_RSV_FIRMWARE, _NOMAP or _REUSABLE */
	unsigned int nr_ranges;		/* "alloc-ranges" entries; 0: anywhere in RAM */
	struct {
		phys_addr_t base;
		phys_addr_t size;
	} ranges[BOOT_RSV_DYNAMIC_RANGES];
};

/* A device the bootloader described that a driver may want (UART, virtio-mmio, finisher). */
struct boot_device {
	char compatible[32];		/* FDT compatible string, or a made-up name on x86 */
	phys_addr_t base;		/* MMIO base (or I/O port on x86) */
	phys_addr_t size;
	u32 irq;
	u32 reg_shift;			/* ns16550 reg-shift */
	u32 reg_io_width;		/* ns16550 reg-io-width (1 or 4) */
	u32 clock;			/* clock-frequency, 0 if unknown */
	u32 baud;			/* console: baud from stdout-path's options, 0 if none */
};

/*
 * The platform's external interrupt controller as the firmware describes it: on riscv64 the
 * PLIC ("sifive,plic-1.0.0", "riscv,plic0") from the device tree. Its interrupt contexts are
 * numbered by their position in interrupts-extended, each a (hart, interrupt) pair: 9 is the
 * hart's S-mode external interrupt, 11 its M-mode one (sifive_u's hart 0 has only M).
 */
#define BOOT_MAX_IRQ_CONTEXTS	(2 * BOOT_MAX_CPUS)
#define BOOT_IRQ_CTX_S_EXT	9	/* supervisor external interrupt (scause 9) */
#define BOOT_IRQ_CTX_M_EXT	11	/* machine external interrupt */
#define BOOT_IRQ_CTX_HIDDEN	0xffffffffU	/* OpenSBI's fix-up of the M-mode entries */
#define BOOT_IRQ_CTX_NO_HART	0xffffffffU	/* the context's hart was not found */

struct boot_irqchip_context {
	u32 hartid;			/* the hart it interrupts, or BOOT_IRQ_CTX_NO_HART */
	u32 irq;			/* which of its interrupts: BOOT_IRQ_CTX_S_EXT, _M_EXT... */
};

struct boot_irqchip {
	char compatible[32];		/* "" if there is none */
	phys_addr_t base;		/* MMIO base */
	phys_addr_t size;
	u32 ndev;			/* riscv,ndev: sources 1..ndev (0 is "none") */
	/* How an interrupt-map names it (drivers/pci's INTx routing); phandle 0: unknown. */
	u32 phandle;
	u32 address_cells;		/* its #address-cells (0 if absent) */
	u32 interrupt_cells;		/* its #interrupt-cells (1 if absent) */
	unsigned int nr_contexts;	/* contexts 0..nr_contexts-1 recorded below */
	struct boot_irqchip_context contexts[BOOT_MAX_IRQ_CONTEXTS];
};

/*
 * ---- PCI host bridges (drivers/pci reads these) ----
 *
 * How the firmware says the CPU reaches PCI configuration space and which address windows
 * the host bridge forwards to the bus. x86_64: ECAM from the ACPI MCFG table (q35), else
 * configuration mechanism #1 through ports 0xcf8/0xcfc (pc); the windows are not recorded
 * there (they live in the DSDT's _CRS, which needs an AML interpreter) and the firmware has
 * assigned every BAR. riscv64: the device tree's "pci-host-ecam-generic" node with its
 * "ranges" windows and, kept raw for the interrupt code, its interrupt-map.
 */
#define BOOT_MAX_PCI_HOSTS		4
#define BOOT_PCI_MAX_WINDOWS		6
#define BOOT_PCI_IMAP_MAX_CELLS		256	/* QEMU virt: 16 entries of 6 cells */

enum boot_pci_access {
	BOOT_PCI_ECAM = 1,		/* memory-mapped, 4 KiB per function, 256 MiB for 256 buses */
	BOOT_PCI_CONF1,			/* x86 ports 0xcf8 (address) / 0xcfc (data), 256 bytes */
};

enum boot_pci_window_type {
	BOOT_PCI_WIN_IO = 1,		/* PCI I/O space */
	BOOT_PCI_WIN_MEM32,		/* 32-bit memory space */
	BOOT_PCI_WIN_MEM64,		/* 64-bit memory space */
};

/* One window the host bridge forwards: CPU addresses [cpu_base, +size) = PCI [pci_base, +size). */
struct boot_pci_window {
	u32 type;			/* enum boot_pci_window_type */
	bool prefetchable;		/* "ranges" p bit: may hold prefetchable BARs only */
	u64 pci_base;			/* bus address of the first byte */
	phys_addr_t cpu_base;		/* CPU physical address of the first byte */
	u64 size;			/* bytes */
};

struct boot_pci_host {
	u32 access;			/* enum boot_pci_access */
	u16 segment;			/* PCI segment (domain) */
	u8 bus_start;			/* first bus number the bridge decodes */
	u8 bus_end;			/* last one, inclusive */
	phys_addr_t ecam_base;		/* ECAM: configuration space of bus_start, device 0 */
	struct boot_pci_window windows[BOOT_PCI_MAX_WINDOWS];
	unsigned int nr_windows;
	/*
	 * Device tree interrupt-map, raw cells in blob order: each entry is the child unit
	 * address (imap_addr_cells), child interrupt (imap_int_cells), parent phandle, then
	 * the parent's specifier, whose length depends on the parent node. The mask has
	 * imap_addr_cells + imap_int_cells cells. nr_imap_cells = 0: no interrupt-map.
	 */
	u32 imap[BOOT_PCI_IMAP_MAX_CELLS];
	unsigned int nr_imap_cells;
	u32 imap_mask[8];
	unsigned int nr_imap_mask;
	u32 imap_addr_cells;		/* the host node's #address-cells (3) */
	u32 imap_int_cells;		/* the host node's #interrupt-cells (1) */
};

/*
 * ---- NUMA as the firmware describes it (kernel/numa.c sanitises it) ----
 *
 * x86_64: the ACPI SRAT (CPU and memory affinity, by proximity domain) and SLIT (distances);
 * riscv64: numa-node-id on /memory and /cpus/cpu@N nodes and /distance-map's
 * distance-matrix. Copied as given: node ids are the firmware's numbers (a proximity domain
 * or numa-node-id), ranges may overlap, distances may be missing or nonsense. nr_mem and
 * nr_cpus both 0 (source NULL): the firmware said nothing about NUMA.
 */
#define BOOT_NUMA_MAX_MEM	64	/* memory affinity ranges kept; more are counted */
#define BOOT_NUMA_MAX_CPUS	(2 * BOOT_MAX_CPUS)	/* SRAT may list hot-pluggable CPUs too */
#define BOOT_NUMA_MAX_NODES	64	/* node ids a distance can be recorded for */

struct boot_numa_mem {
	phys_addr_t base;		/* first byte */
	phys_addr_t size;		/* bytes */
	u32 node;			/* proximity domain / numa-node-id, unchecked */
	bool hotpluggable;		/* SRAT Hot Pluggable flag: may come and go later */
};

struct boot_numa_cpu {
	u32 hwid;			/* APIC id / x2APIC id (x86_64) or hart id (riscv64) */
	u32 node;			/* proximity domain / numa-node-id, unchecked */
};

struct boot_numa {
	const char *source;		/* "ACPI SRAT", "device tree"; NULL: no description */
	struct boot_numa_mem mem[BOOT_NUMA_MAX_MEM];
	unsigned int nr_mem;
	struct boot_numa_cpu cpus[BOOT_NUMA_MAX_CPUS];
	unsigned int nr_cpus;
	unsigned int nr_dropped;	/* entries beyond the arrays above (warned) */
	const char *distance_source;	/* "ACPI SLIT", "distance-map"; NULL: no distances */
	/* distance[a][b] from node a to node b, valid where bit b of distance_given[a] is set. */
	u8 distance[BOOT_NUMA_MAX_NODES][BOOT_NUMA_MAX_NODES];
	u64 distance_given[BOOT_NUMA_MAX_NODES];
};

/* Helpers for the parsers: append, counting (not losing) overflow in nr_dropped. */
void boot_numa_add_mem(struct boot_numa *bn, phys_addr_t base, phys_addr_t size, u32 node,
		       bool hotpluggable);
void boot_numa_add_cpu(struct boot_numa *bn, u32 hwid, u32 node);
void boot_numa_set_distance(struct boot_numa *bn, u32 from, u32 to, u8 distance);

struct boot_info {
	/* Physical memory map as reported (unsanitised). */
	struct boot_range memory[BOOT_MAX_RANGES];
	unsigned int nr_memory;
	/* Ranges that must never be handed to the page allocator, with a reason each. */
	struct boot_range reserved[BOOT_MAX_RESERVED];
	unsigned int nr_reserved;
	/* Ranges dropped because the arrays were full: reported, never silently lost. */
	unsigned int nr_dropped;
	/* Of those, reserved ranges, and the first of them: memblock refuses to boot on. */
	unsigned int nr_reserved_dropped;
	struct boot_range reserved_dropped;

	char cmdline[BOOT_CMDLINE_MAX];	/* NUL-terminated kernel command line */
	const char *loader_name;	/* "GRUB 2.06", "OpenSBI/FDT", ... */

	struct boot_cpu cpus[BOOT_MAX_CPUS];
	unsigned int nr_cpus;
	unsigned int boot_cpu_index;	/* index in cpus[] of the CPU running start_kernel() */

	phys_addr_t acpi_rsdp;		/* physical address of a copy of the RSDP, 0 if none */
	u8 acpi_rsdp_copy[36];		/* the RSDP as the multiboot2 tag carried it */
	u32 acpi_rsdp_len;

	phys_addr_t fdt;		/* physical address of the FDT blob, 0 if none */
	u32 fdt_size;

	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned int nr_modules;

	struct boot_rsv_dynamic rsv_dynamic[BOOT_MAX_RSV_DYNAMIC];
	unsigned int nr_rsv_dynamic;

	struct boot_device devices[BOOT_MAX_DEVICES];
	unsigned int nr_devices;
	int console_device;		/* index into devices[] of the console, -1 if none */

	struct boot_pci_host pci_hosts[BOOT_MAX_PCI_HOSTS];
	unsigned int nr_pci_hosts;
	struct boot_irqchip irqchip;	/* the external interrupt controller, if any */

	struct boot_numa numa;		/* NUMA nodes, as SRAT/SLIT or the tree say */

	u64 timebase_hz;		/* riscv /cpus/timebase-frequency, 0 if unknown */
	u32 riscv_isa_ext;		/* riscv: BOOT_RISCV_ISA_* every usable hart lists */
	bool efi_boot;			/* booted through UEFI (EFI memory map was used) */
};

extern struct boot_info boot_info;

/* riscv_isa_ext bits: from riscv,isa ("..._svpbmt_...") or riscv,isa-extensions. */
#define BOOT_RISCV_ISA_SVPBMT	(1u << 0)	/* page-based memory types (PBMT bits) */
/* A hint, not an extension: the tree says every usable hart is a T-Head core (LicheePi 4A's
 * C910). arch/riscv64/mm.c still decides XTheadMae from mvendorid and th.sxstatus. */
#define BOOT_RISCV_THEAD_CORE	(1u << 1)

/* Helpers for the parsers: append, reporting (not losing) overflow. */
void boot_add_memory(struct boot_info *bi, phys_addr_t base, phys_addr_t size, u32 type);
void boot_add_reserved(struct boot_info *bi, phys_addr_t base, phys_addr_t size, u32 kind);
struct boot_device *boot_add_device(struct boot_info *bi, const char *compatible);
/* Record a region memblock must place; false (counted in nr_dropped) if full. */
bool boot_add_rsv_dynamic(struct boot_info *bi, const struct boot_rsv_dynamic *req);
/* Reserve a module and record it (cmdline truncated to fit); size must be > 0. */
void boot_add_module(struct boot_info *bi, phys_addr_t base, phys_addr_t size,
		     const char *cmdline);
/* A new zeroed PCI host entry, or NULL (counted in nr_dropped) if full. */
struct boot_pci_host *boot_add_pci_host(struct boot_info *bi, u32 access);
const char *boot_mem_type_name(u32 type);
const char *boot_rsv_kind_name(u32 kind);

#endif /* KERNEL_BOOT_INFO_H */
