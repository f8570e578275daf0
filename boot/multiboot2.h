/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2: the protocol constants (also used by arch/x86_64/head.S) and the parser that
 * turns GRUB's boot information into struct boot_info.
 *
 * Spec: "The Multiboot2 Specification version 2.0", sections 3.1 (OS image header) and 3.6
 * (boot information format). Only what Tessera reads is named here.
 */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H

/* ---- OS image header (3.1) ---- */
#define MB2_HEADER_MAGIC		0xe85250d6
#define MB2_ARCH_I386			0	/* 32-bit protected mode entry */
#define MB2_HEADER_ALIGN		8	/* the header is 64-bit aligned ... */
#define MB2_HEADER_SEARCH		32768	/* ... within the first 32 KiB of the image */
#define MB2_TAG_ALIGN			8	/* every header and info tag starts 8-aligned */
#define MB2_HEADER_TAG_END		0
#define MB2_HEADER_TAG_ENTRY_ADDRESS	3

/* What the loader leaves in EAX. */
#define MB2_BOOTLOADER_MAGIC		0x36d76289

/* ---- Boot information tags (3.6) ---- */
#define MB2_TAG_END			0
#define MB2_TAG_CMDLINE			1
#define MB2_TAG_BOOT_LOADER_NAME	2
#define MB2_TAG_MODULE			3
#define MB2_TAG_BASIC_MEMINFO		4	/* deliberately ignored: see multiboot2.c */
#define MB2_TAG_MMAP			6
#define MB2_TAG_ACPI_OLD		14
#define MB2_TAG_ACPI_NEW		15
#define MB2_TAG_EFI_MMAP		17

/* Memory map entry types (tag 6). */
#define MB2_MEMORY_AVAILABLE		1
#define MB2_MEMORY_RESERVED		2
#define MB2_MEMORY_ACPI_RECLAIMABLE	3
#define MB2_MEMORY_NVS			4
#define MB2_MEMORY_BADRAM		5

#ifndef __ASSEMBLY__
#include "kernel/compiler.h"

struct boot_info;

/* The fixed part of the information block. */
struct mb2_info_header {
	u32 total_size;		/* bytes, including this header and the end tag */
	u32 reserved;
};

struct mb2_tag {
	u32 type;
	u32 size;		/* bytes, including this header, excluding padding to 8 */
};

/* Tag 3: a module (GRUB's module2) at [mod_start, mod_end), then its NUL-terminated string. */
struct mb2_tag_module {
	u32 type;
	u32 size;
	u32 mod_start;		/* physical address of its first byte */
	u32 mod_end;		/* physical address just past its last byte */
};

/* Tag 6: a table of entries of `entry_size` bytes (at least sizeof(struct mb2_mmap_entry)). */
struct mb2_tag_mmap {
	u32 type;
	u32 size;
	u32 entry_size;
	u32 entry_version;
};

struct mb2_mmap_entry {
	u64 base_addr;
	u64 length;
	u32 type;
	u32 reserved;
};

/* Tag 17: the UEFI GetMemoryMap() output, descriptors of `descr_size` bytes. */
struct mb2_tag_efi_mmap {
	u32 type;
	u32 size;
	u32 descr_size;
	u32 descr_vers;
};

/* A UEFI memory descriptor (UEFI spec 2.x, EFI_MEMORY_DESCRIPTOR). */
struct efi_memory_desc {
	u32 type;
	u32 pad;
	u64 phys_addr;
	u64 virt_addr;
	u64 num_pages;		/* 4 KiB pages, whatever the CPU's page size */
	u64 attribute;
};

/*
 * multiboot2_parse_buf() - fill @bi from a multiboot2 boot information block.
 * @bi:		the boot information to append to (memory, reserved, cmdline, loader, ACPI)
 * @buf:	the block, readable for @len bytes
 * @len:	how many bytes of @buf may be read; the block's own total_size must fit
 * @buf_phys:	the physical address @buf was loaded at: the block itself is reserved there
 *		(BOOT_RSV_BOOTINFO) and bi->acpi_rsdp points into it
 *
 * Never reads outside [@buf, @buf + @len) whatever the contents: malformed tags are skipped
 * or end the walk with a warning. Needs nothing from arch code, so the host fuzzer
 * (tests/host) calls it on arbitrary bytes.
 *
 * Return: 0, or -1 if the block is unusable (too short, total_size out of bounds); what was
 * parsed before a malformed tag is kept.
 * Context: Boot CPU, before start_kernel(); or a host test.
 */
int multiboot2_parse_buf(struct boot_info *bi, const void *buf, size_t len, phys_addr_t buf_phys);

/*
 * multiboot2_parse() - fill @bi from the block GRUB left at physical address @info.
 *
 * The x86_64 port implements it (arch/x86_64/setup.c): it maps @info through the boot direct
 * map, bounds it by what that map covers and calls multiboot2_parse_buf(); then it points
 * bi->acpi_rsdp at bi->acpi_rsdp_copy, so that nothing in boot_info refers into the block.
 *
 * Return: 0 or -1 as multiboot2_parse_buf().
 * Context: Boot CPU, before start_kernel(), boot page tables.
 */
int multiboot2_parse(struct boot_info *bi, phys_addr_t info);
#endif /* !__ASSEMBLY__ */

#endif /* BOOT_MULTIBOOT2_H */
