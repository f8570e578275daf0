/* SPDX-License-Identifier: MIT */
/*
 * ACPI table walking: from the RSDP the bootloader handed over (boot_info.acpi_rsdp_copy),
 * through the RSDT or XSDT, to the MADT (CPUs, local APIC and I/O APIC addresses), the
 * FADT (the PM1 control blocks and the DSDT's \_S5 sleep type, for ACPI power-off) and the
 * MCFG (PCI Express ECAM regions, recorded in boot_info.pci_hosts), and the SRAT and SLIT
 * (NUMA: which CPUs and memory sit in which proximity domain, and the distances between
 * them, copied to boot_info.numa for kernel/numa.c to sanitise).
 *
 * acpi_parse() is the whole parser and touches memory only through a caller-supplied map
 * function, so the same code runs in the kernel (map = __va() after a memory-map check) and
 * on the host under sanitizers and libFuzzer (tests/host/smp). Every length and offset is
 * checked before it is used; a bad table is reported and skipped, never trusted.
 *
 * Locking: acpi_init() runs on the boot CPU before SMP (m); acpi_info is constant after (c).
 */
#ifndef BOOT_ACPI_H
#define BOOT_ACPI_H

#include "kernel/compiler.h"
#include "kernel/boot_info.h"

#define ACPI_MAX_CPUS		64	/* = BOOT_MAX_CPUS: more are counted and dropped */
#define ACPI_MAX_TABLE_SIZE	(4u << 20)	/* larger "tables" are treated as corrupt */
#define ACPI_MAX_ROOT_ENTRIES	256	/* RSDT/XSDT entries looked at */
#define ACPI_MAX_MCFG		4	/* = BOOT_MAX_PCI_HOSTS: more are counted and dropped */

/* Where an ACPI generic address points. */
#define ACPI_SPACE_MEM		0
#define ACPI_SPACE_IO		1

struct acpi_cpu {
	u32 apic_id;		/* local APIC id or x2APIC id */
	u32 uid;		/* ACPI processor UID */
	bool enabled;		/* MADT flags bit 0: usable now */
	bool online_capable;	/* MADT flags bit 1 (only meaningful when not enabled) */
	bool x2apic;		/* came from a Processor Local x2APIC entry (type 9) */
};

struct acpi_info {
	bool valid;			/* a checksummed RSDP and root table were found */
	u8 rsdp_revision;		/* 0: ACPI 1.0 (RSDT), 2+: XSDT possible */
	bool used_xsdt;			/* the root table walked was the XSDT */

	bool have_madt;
	phys_addr_t lapic_base;		/* local APIC MMIO base (type 5 override applied) */
	u32 madt_flags;			/* bit 0 PCAT_COMPAT: legacy 8259 PICs present */
	struct acpi_cpu cpus[ACPI_MAX_CPUS]; /* enabled or online-capable, MADT order */
	unsigned int nr_cpus;
	unsigned int nr_cpus_dropped;	/* beyond ACPI_MAX_CPUS */
	unsigned int nr_cpus_disabled;	/* neither enabled nor online-capable: ignored */
	phys_addr_t ioapic_base;	/* first I/O APIC, 0 if none */
	u32 ioapic_id;
	u32 ioapic_gsi_base;
	unsigned int nr_ioapics;

	bool have_fadt;
	u16 sci_irq;			/* SCI interrupt (FADT SCI_INT) */
	u32 smi_cmd;			/* port to write acpi_enable to, 0 if always in ACPI mode */
	u8 acpi_enable;
	phys_addr_t pm1a_cnt;		/* PM1a control block (port or MMIO), 0 if none */
	u8 pm1a_cnt_space;		/* ACPI_SPACE_IO or ACPI_SPACE_MEM */
	phys_addr_t pm1b_cnt;
	u8 pm1b_cnt_space;
	u8 pm1_cnt_len;			/* bytes */
	phys_addr_t dsdt;
	bool have_s5;			/* \_S5 found in the DSDT */
	u8 s5_slp_typa;			/* SLP_TYPa for soft-off: PM1a_CNT |= typa << 10 | SLP_EN */
	u8 s5_slp_typb;

	/* MCFG: one ECAM region per PCI segment and bus range (PCI Firmware spec 4.1.2). */
	struct {
		phys_addr_t base;	/* as the table says: where bus 0 would be */
		u16 segment;
		u8 bus_start;
		u8 bus_end;
	} mcfg[ACPI_MAX_MCFG];
	unsigned int nr_mcfg;

	/*
	 * SRAT (ACPI 6.5, 5.2.16) and SLIT (5.2.17): enabled CPU (local APIC, x2APIC) and
	 * memory affinity entries by proximity domain, and the SLIT's distances between the
	 * first BOOT_NUMA_MAX_NODES domains. numa.source is NULL without an SRAT.
	 */
	bool have_srat;
	bool have_slit;
	struct boot_numa numa;

	unsigned int nr_warnings;	/* problems reported while parsing */
};

/* What the kernel found (acpi_init()); all zero without ACPI. (m), then (c). */
extern struct acpi_info acpi_info;

/*
 * Make `len` bytes at physical address `pa` readable: return a pointer to them, or NULL if
 * that range cannot be read (outside memory, overflow). Called many times, with small and
 * large lengths; the pointer need only stay valid until the next call.
 */
typedef const void *(*acpi_map_fn)(phys_addr_t pa, size_t len, void *ctx);

#define ACPI_PARSE_NO_CHECKSUM	0x1u	/* fuzzing only: reach code behind the checksums */

/*
 * Parse the tables reachable from `rsdp` (rsdp_len bytes, as the bootloader copied it) into
 * *out (zeroed first). Return: 0 if a valid root table was walked (out->have_madt says
 * whether CPUs were found), negative if the RSDP or root table is unusable.
 * Context: any; never reads memory except through `map`; warnings through pr_warn().
 */
int acpi_parse(const u8 *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
	       unsigned int flags, struct acpi_info *out);

/*
 * Parse boot_info's RSDP into acpi_info and fill boot_info.cpus from the MADT (falling back
 * to the boot CPU alone, with a warning, when that fails) and boot_info.pci_hosts from the
 * MCFG. Without an RSDP (riscv64, FDT
 * boots) it leaves boot_info alone.
 * Context: boot CPU, before SMP, after arch_mm_init() (the tables are read through the
 * direct map), before smp_prepare_cpus().
 */
void acpi_init(void);

#endif /* BOOT_ACPI_H */
