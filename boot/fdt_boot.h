/* SPDX-License-Identifier: MIT */
/*
 * The device tree collector: turns the FDT blob that OpenSBI or U-Boot hands the riscv64
 * kernel (in a1) into struct boot_info. Nothing else in the kernel reads the FDT.
 *
 * fdt_parse_buf() is the whole collector and touches nothing but the buffer it is given and
 * `bi`: it builds on the host too, where tests/host fuzzes it with malformed blobs.
 */
#ifndef BOOT_FDT_BOOT_H
#define BOOT_FDT_BOOT_H

#include "boot/fdt.h"
#include "kernel/compiler.h"

struct boot_info;

/**
 * fdt_parse() - Fill @bi from the FDT at physical address @fdt_phys.
 * @bi: the boot information to fill (see fdt_parse_buf())
 * @fdt_phys: where the loader put the blob (a1 at entry)
 * @boot_hartid: the hart running this code (a0 at entry), to find it in /cpus
 *
 * Context: boot CPU, before start_kernel(); memory is identity-mapped (satp = Bare).
 * Return: FDT_OK or an FDT_ERR_* (already reported with pr_warn).
 */
int fdt_parse(struct boot_info *bi, phys_addr_t fdt_phys, u32 boot_hartid);

/**
 * fdt_parse_buf() - Fill @bi from an FDT blob in a buffer.
 * @bi: the boot information to fill: memory, reservations (firmware, /memreserve/,
 *	initrd, the blob itself), cmdline, cpus and boot_cpu_index, timebase_hz, devices
 *	(the stdout-path UART, or else the first usable one, as console_device, with the baud
 *	stdout-path names; test finisher, virtio-mmio), fdt/fdt_size, loader_name, numa
 *	(numa-node-id, /distance-map). console_device is set to -1 first; nothing else is
 *	touched on error.
 * @blob: the blob; need not be aligned
 * @len: bytes readable at @blob; nothing outside [blob, blob + len) is ever read
 * @blob_phys: the blob's physical address, reserved as BOOT_RSV_FDT
 * @boot_hartid: the hart id of the CPU that will be logical CPU 0
 *
 * Every offset, length and string in the blob is checked before use; a malformed blob is
 * rejected as a whole (with a pr_warn saying what was wrong) before @bi is changed.
 * Context: any; no allocation, bounded stack.
 * Return: FDT_OK or an FDT_ERR_*.
 */
int fdt_parse_buf(struct boot_info *bi, const void *blob, size_t len, phys_addr_t blob_phys,
		  u32 boot_hartid);

#endif /* BOOT_FDT_BOOT_H */
