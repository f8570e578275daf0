// SPDX-License-Identifier: MIT
/*
 * The one struct boot_info and the helpers the boot parsers use to fill it. Overflowing an
 * array is counted in nr_dropped and reported at boot: a range is never lost silently. A
 * dropped reserved range is also recorded on its own: memblock_init() will not boot on
 * without it.
 */
#include "kernel/boot_info.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

/* Initialised, so it lives in .data and is never cleared after the arch entry fills it. */
struct boot_info boot_info = { .console_device = -1 };

void boot_add_memory(struct boot_info *bi, phys_addr_t base, phys_addr_t size, u32 type)
{
	if (bi->nr_memory >= BOOT_MAX_RANGES) {
		bi->nr_dropped++;
		return;
	}
	bi->memory[bi->nr_memory++] = (struct boot_range){ base, size, type };
}

void boot_add_reserved(struct boot_info *bi, phys_addr_t base, phys_addr_t size, u32 kind)
{
	if (bi->nr_reserved >= BOOT_MAX_RESERVED) {
		if (!bi->nr_reserved_dropped++)
			bi->reserved_dropped = (struct boot_range){ base, size, kind };
		bi->nr_dropped++;
		return;
	}
	bi->reserved[bi->nr_reserved++] = (struct boot_range){ base, size, kind };
}

bool boot_add_rsv_dynamic(struct boot_info *bi, const struct boot_rsv_dynamic *req)
{
	if (bi->nr_rsv_dynamic >= BOOT_MAX_RSV_DYNAMIC) {
		bi->nr_dropped++;
		return false;
	}
	bi->rsv_dynamic[bi->nr_rsv_dynamic++] = *req;
	return true;
}

void boot_add_module(struct boot_info *bi, phys_addr_t base, phys_addr_t size,
		     const char *cmdline)
{
	/* The reservation is what keeps the bytes: made even when the record does not fit. */
	boot_add_reserved(bi, base, size, BOOT_RSV_INITRD);
	if (bi->nr_modules >= BOOT_MAX_MODULES) {
		bi->nr_dropped++;
		return;
	}
	struct boot_module *m = &bi->modules[bi->nr_modules++];

	m->base = base;
	m->size = size;
	strlcpy(m->cmdline, cmdline, sizeof(m->cmdline));
}

struct boot_device *boot_add_device(struct boot_info *bi, const char *compatible)
{
	if (bi->nr_devices >= BOOT_MAX_DEVICES) {
		bi->nr_dropped++;
		return NULL;
	}
	struct boot_device *d = &bi->devices[bi->nr_devices++];

	memset(d, 0, sizeof(*d));
	strlcpy(d->compatible, compatible, sizeof(d->compatible));
	return d;
}

struct boot_pci_host *boot_add_pci_host(struct boot_info *bi, u32 access)
{
	if (bi->nr_pci_hosts >= BOOT_MAX_PCI_HOSTS) {
		bi->nr_dropped++;
		return NULL;
	}
	struct boot_pci_host *h = &bi->pci_hosts[bi->nr_pci_hosts++];

	memset(h, 0, sizeof(*h));
	h->access = access;
	return h;
}

const char *boot_mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_RAM:		return "usable";
	case BOOT_MEM_RESERVED:		return "reserved";
	case BOOT_MEM_ACPI_RECLAIM:	return "ACPI data";
	case BOOT_MEM_ACPI_NVS:		return "ACPI NVS";
	case BOOT_MEM_BAD:		return "unusable";
	default:			return "unknown";
	}
}

const char *boot_rsv_kind_name(u32 kind)
{
	switch (kind) {
	case BOOT_RSV_KERNEL:	return "kernel";
	case BOOT_RSV_BOOTINFO:	return "boot info";
	case BOOT_RSV_FDT:	return "fdt";
	case BOOT_RSV_FIRMWARE:	return "firmware";
	case BOOT_RSV_INITRD:	return "initrd";
	case BOOT_RSV_LOWMEM:	return "low memory";
	case BOOT_RSV_NOMAP:	return "no-map";
	case BOOT_RSV_REUSABLE:	return "reusable";
	default:		return "other";
	}
}

void boot_numa_add_mem(struct boot_numa *bn, phys_addr_t base, phys_addr_t size, u32 node,
		       bool hotpluggable)
{
	if (bn->nr_mem >= BOOT_NUMA_MAX_MEM) {
		bn->nr_dropped++;
		return;
	}
	bn->mem[bn->nr_mem++] = (struct boot_numa_mem){ base, size, node, hotpluggable };
}

void boot_numa_add_cpu(struct boot_numa *bn, u32 hwid, u32 node)
{
	if (bn->nr_cpus >= BOOT_NUMA_MAX_CPUS) {
		bn->nr_dropped++;
		return;
	}
	bn->cpus[bn->nr_cpus++] = (struct boot_numa_cpu){ hwid, node };
}

/* Node ids past the table cannot carry a distance: the caller has warned about them. */
void boot_numa_set_distance(struct boot_numa *bn, u32 from, u32 to, u8 distance)
{
	if (from >= BOOT_NUMA_MAX_NODES || to >= BOOT_NUMA_MAX_NODES)
		return;
	bn->distance[from][to] = distance;
	bn->distance_given[from] |= 1ULL << to;
}
