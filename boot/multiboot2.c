// SPDX-License-Identifier: MIT
/*
 * Multiboot2 boot information -> struct boot_info: the memory map (BIOS e820-style tag, or
 * the UEFI map when GRUB booted through UEFI), the command line, the boot loader's name, the
 * ACPI RSDP, the modules GRUB loaded (module2: an initrd...), and a reservation for the
 * information block itself. Modules are reserved like an initrd: they lie in RAM the memory
 * map calls free, and GRUB puts them right above the kernel, where the allocator starts.
 *
 * The block is untrusted input: GRUB writes it, but the parser is also fuzzed on the host
 * with arbitrary bytes. Every read goes through mb2_read*(), which takes an offset that the
 * caller has already checked against the block's length; tags whose size is impossible end
 * the walk with a warning instead of being trusted. Fields are copied out with memcpy()
 * because nothing guarantees the buffer's alignment on the host.
 *
 * What is deliberately not used: the basic meminfo tag (4) only says how much memory lies
 * below 1 MiB and above it, with no holes; sizing memory from it would hand ACPI tables and
 * PCI holes to the allocator. The memory map tags are the only source of RAM.
 *
 * Locking: boot CPU only, before start_kernel() (m).
 */
#define pr_fmt(fmt) "multiboot2: " fmt

#include "boot/multiboot2.h"
#include "kernel/boot_info.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include <asm/memory.h>

/* The block and its length, passed around instead of raw pointers. */
struct mb2_blob {
	const u8 *base;
	size_t len;		/* total_size, already checked against the buffer */
};

static u32 mb2_read32(const struct mb2_blob *b, size_t off)
{
	u32 v;

	memcpy(&v, b->base + off, sizeof(v));
	return v;
}

static u64 mb2_read64(const struct mb2_blob *b, size_t off)
{
	u64 v;

	memcpy(&v, b->base + off, sizeof(v));
	return v;
}

/* A tag found during the walk: where its payload is and how long. */
struct mb2_found {
	size_t off;		/* offset of the tag header in the block; 0 = not found */
	u32 size;		/* the tag's size field, already known to fit in the block */
};

static u32 mb2_mem_type(u32 type)
{
	switch (type) {
	case MB2_MEMORY_AVAILABLE:		return BOOT_MEM_RAM;
	case MB2_MEMORY_RESERVED:		return BOOT_MEM_RESERVED;
	case MB2_MEMORY_ACPI_RECLAIMABLE:	return BOOT_MEM_ACPI_RECLAIM;
	case MB2_MEMORY_NVS:			return BOOT_MEM_ACPI_NVS;
	case MB2_MEMORY_BADRAM:			return BOOT_MEM_BAD;
	default:				return BOOT_MEM_OTHER;
	}
}

/*
 * A range the CPU cannot address in full is not a misprint to repair: its length is garbage,
 * and clipping it would turn garbage into terabytes of RAM or of mappings (the direct map
 * covers firmware ranges too, with page tables from the boot map's first gigabyte). Such an
 * entry is rejected with a warning; an empty one passes (memblock drops it, with its own).
 */
static bool mb2_range_ok(const char *what, size_t i, u64 base, u64 len, u32 type)
{
	if (len == 0)
		return true;
	if (base + len - 1 < base) {
		pr_warn("%s %zu [0x%016llx+0x%llx] type %u wraps around: ignored\n", what, i,
			(unsigned long long)base, (unsigned long long)len, type);
		return false;
	}
	if (base + len - 1 >= ARCH_PHYS_ADDR_MAX) {
		pr_warn("%s %zu [0x%016llx+0x%llx] type %u ends beyond the physical address limit 0x%llx: ignored\n",
			what, i, (unsigned long long)base, (unsigned long long)len, type,
			(unsigned long long)ARCH_PHYS_ADDR_MAX);
		return false;
	}
	return true;
}

/* Tag 6: entries of entry_size bytes after a 16-byte tag header. Returns ranges added. */
static unsigned int mb2_parse_mmap(struct boot_info *bi, const struct mb2_blob *b,
				   const struct mb2_found *t)
{
	const size_t hdr = sizeof(struct mb2_tag_mmap);
	unsigned int added = 0;

	if (t->size < hdr) {
		pr_warn("memory map tag of %u bytes is shorter than its header\n", t->size);
		return 0;
	}
	u32 entry_size = mb2_read32(b, t->off + offsetof(struct mb2_tag_mmap, entry_size));

	if (entry_size < sizeof(struct mb2_mmap_entry)) {
		pr_warn("memory map entry_size %u < %zu: map ignored\n", entry_size,
			sizeof(struct mb2_mmap_entry));
		return 0;
	}
	/* The division bounds the count by the tag, and the tag by the block. */
	size_t count = (t->size - hdr) / entry_size;

	for (size_t i = 0; i < count; i++) {
		size_t e = t->off + hdr + i * entry_size;
		u64 base = mb2_read64(b, e + offsetof(struct mb2_mmap_entry, base_addr));
		u64 length = mb2_read64(b, e + offsetof(struct mb2_mmap_entry, length));
		u32 type = mb2_read32(b, e + offsetof(struct mb2_mmap_entry, type));

		if (!mb2_range_ok("memory map entry", i, base, length, type))
			continue;
		boot_add_memory(bi, base, length, mb2_mem_type(type));
		added++;
	}
	return added;
}

/* UEFI memory types (UEFI spec, EFI_MEMORY_TYPE) as boot_info sees them. */
static u32 efi_mem_type(u32 type)
{
	switch (type) {
	case 1:		/* EfiLoaderCode: GRUB itself, free once we run */
	case 2:		/* EfiLoaderData: GRUB's data; the kernel and info are reserved apart */
	case 3:		/* EfiBootServicesCode: free after ExitBootServices(), which GRUB called */
	case 4:		/* EfiBootServicesData */
	case 7:		/* EfiConventionalMemory */
		return BOOT_MEM_RAM;
	case 8:		/* EfiUnusableMemory: errors detected */
		return BOOT_MEM_BAD;
	case 9:		/* EfiACPIReclaimMemory */
		return BOOT_MEM_ACPI_RECLAIM;
	case 10:	/* EfiACPIMemoryNVS */
		return BOOT_MEM_ACPI_NVS;
	case 0:		/* EfiReservedMemoryType */
	case 5:		/* EfiRuntimeServicesCode: firmware keeps using it */
	case 6:		/* EfiRuntimeServicesData */
	case 11:	/* EfiMemoryMappedIO */
	case 12:	/* EfiMemoryMappedIOPortSpace */
	case 13:	/* EfiPalCode */
		return BOOT_MEM_RESERVED;
	default:	/* 14 EfiPersistentMemory and anything newer: not ours to use */
		return BOOT_MEM_OTHER;
	}
}

/*
 * Tag 17. UEFI maps are long (one descriptor per allocation, often over a hundred) and
 * boot_info holds BOOT_MAX_RANGES, so a descriptor that continues the previous range with
 * the same boot_info type is merged into it: loader, boot-services and conventional memory
 * side by side become one RAM range. Returns ranges added or extended.
 */
static unsigned int mb2_parse_efi_mmap(struct boot_info *bi, const struct mb2_blob *b,
				       const struct mb2_found *t)
{
	const size_t hdr = sizeof(struct mb2_tag_efi_mmap);
	unsigned int first = bi->nr_memory, added = 0;

	if (t->size < hdr) {
		pr_warn("EFI memory map tag of %u bytes is shorter than its header\n", t->size);
		return 0;
	}
	u32 descr_size = mb2_read32(b, t->off + offsetof(struct mb2_tag_efi_mmap, descr_size));

	/* Firmware may use descriptors longer than the struct (newer spec), never shorter. */
	if (descr_size < sizeof(struct efi_memory_desc)) {
		pr_warn("EFI descriptor size %u < %zu: EFI map ignored\n", descr_size,
			sizeof(struct efi_memory_desc));
		return 0;
	}
	size_t count = (t->size - hdr) / descr_size;

	for (size_t i = 0; i < count; i++) {
		size_t d = t->off + hdr + i * descr_size;
		u32 efi_type = mb2_read32(b, d + offsetof(struct efi_memory_desc, type));
		u64 base = mb2_read64(b, d + offsetof(struct efi_memory_desc, phys_addr));
		u64 pages = mb2_read64(b, d + offsetof(struct efi_memory_desc, num_pages));
		u32 type = efi_mem_type(efi_type);

		/* NumberOfPages counts 4 KiB pages; a count this large cannot be real. */
		if (pages > (~0ULL >> 12)) {
			pr_warn("EFI descriptor %zu: %llu pages overflows: skipped\n", i,
				(unsigned long long)pages);
			continue;
		}
		u64 size = pages << 12;

		if (!mb2_range_ok("EFI descriptor", i, base, size, efi_type))
			continue;
		if (bi->nr_memory > first) {
			struct boot_range *prev = &bi->memory[bi->nr_memory - 1];

			if (prev->type == type && prev->base + prev->size == base &&
			    prev->base + prev->size >= prev->base) {
				prev->size += size;
				added++;
				continue;
			}
		}
		boot_add_memory(bi, base, size, type);
		added++;
	}
	return added;
}

/* Tag 3: a module; there may be many. */
static void mb2_parse_module(struct boot_info *bi, const struct mb2_blob *b, size_t off,
			     u32 size)
{
	const size_t hdr = sizeof(struct mb2_tag_module);
	char name[BOOT_MODULE_CMDLINE_MAX];

	if (size < hdr) {
		pr_warn("module tag of %u bytes is shorter than its header: ignored\n", size);
		return;
	}
	u32 start = mb2_read32(b, off + offsetof(struct mb2_tag_module, mod_start));
	u32 end = mb2_read32(b, off + offsetof(struct mb2_tag_module, mod_end));
	const char *src = (const char *)b->base + off + hdr;
	size_t n = strnlen(src, size - hdr);

	if (n >= sizeof(name))
		n = sizeof(name) - 1;	/* a long command line only loses its tail here */
	memcpy(name, src, n);
	name[n] = '\0';
	if (end <= start) {
		pr_warn("module '%s' at [%#x, %#x) is empty or inverted: ignored\n", name, start,
			end);
		return;
	}
	boot_add_module(bi, start, end - start, name);
}

/* Tags 1 and 2: a NUL-terminated string in the payload; bounded by the tag either way. */
static void mb2_copy_string(char *dst, size_t dst_len, const struct mb2_blob *b,
			    const struct mb2_found *t, const char *what)
{
	const size_t hdr = sizeof(struct mb2_tag);
	size_t avail = t->size - hdr;
	const char *src = (const char *)b->base + t->off + hdr;
	size_t n = strnlen(src, avail);

	if (n == avail && avail)
		pr_warn("%s is not NUL-terminated within its tag\n", what);
	if (n >= dst_len) {
		pr_warn("%s is %zu bytes, truncated to %zu\n", what, n, dst_len - 1);
		n = dst_len - 1;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Tags 14/15: a copy of the RSDP (20 bytes for ACPI 1.0, 36 for 2.0+). */
static void mb2_parse_acpi(struct boot_info *bi, const struct mb2_blob *b,
			   const struct mb2_found *t, phys_addr_t buf_phys)
{
	const size_t hdr = sizeof(struct mb2_tag);
	size_t n = t->size - hdr;

	if (n < 20) {
		pr_warn("ACPI RSDP tag carries %zu bytes, fewer than an RSDP: ignored\n", n);
		return;
	}
	if (n > sizeof(bi->acpi_rsdp_copy))
		n = sizeof(bi->acpi_rsdp_copy);
	memcpy(bi->acpi_rsdp_copy, b->base + t->off + hdr, n);
	bi->acpi_rsdp_len = n;
	/* Valid as long as the block, which is reserved (the x86 wrapper re-points it). */
	bi->acpi_rsdp = buf_phys + t->off + hdr;
}

/*
 * GRUB does not pass the command line through as written: it parses its multiboot2 line like
 * a shell (quotes group words and disappear), then rebuilds the line from the words, putting
 * a backslash before each \ ' and " and double quotes around every word that contains a
 * space. So `shell.run="help; poweroff"` arrives as `"shell.run=help; poweroff"`.
 * Undo that: decode GRUB's words and write them back in the kernel's own syntax, quoting
 * only the value (`shell.run="help; poweroff"`), as riscv64's bootargs would carry it.
 * The result is never longer than the input: each removed quote pair is put back once.
 */
static void mb2_grub_cmdline_normalize(char *line, size_t size)
{
	static char out[BOOT_CMDLINE_MAX];
	size_t o = 0;
	const char *p = line;

	while (*p) {
		char word[BOOT_CMDLINE_MAX];
		size_t w = 0;
		bool in_quote = false, has_space = false;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		/* One GRUB word: up to an unquoted space; \x is x; quotes only group. */
		for (; *p && (in_quote || *p != ' '); p++) {
			char c = *p;

			if (c == '\\' && p[1])
				c = *++p;
			else if (c == '"') {
				in_quote = !in_quote;
				continue;
			}
			if (c == ' ')
				has_space = true;
			if (w < sizeof(word) - 1)
				word[w++] = c;
		}
		word[w] = '\0';

		/* Write it back: key="value with spaces", or the word as it is. */
		const char *eq = has_space ? strchr(word, '=') : NULL;
		size_t need = w + (has_space ? 2 : 0) + (o ? 1 : 0);

		if (o + need >= sizeof(out) || o + need >= size) {
			pr_warn("command line too long after GRUB unquoting: truncated\n");
			break;
		}
		if (o)
			out[o++] = ' ';
		if (!has_space) {
			memcpy(out + o, word, w);
			o += w;
			continue;
		}
		size_t keylen = eq ? (size_t)(eq - word) + 1 : 0;

		memcpy(out + o, word, keylen);
		o += keylen;
		out[o++] = '"';
		memcpy(out + o, word + keylen, w - keylen);
		o += w - keylen;
		out[o++] = '"';
	}
	out[o] = '\0';
	memcpy(line, out, o + 1);
}

/*
 * The loader's name is kept here rather than pointing into the block, so that boot_info does
 * not depend on the block staying mapped (and the host fuzzer may free its buffer).
 */
static char mb2_loader_name[64];

int multiboot2_parse_buf(struct boot_info *bi, const void *buf, size_t len, phys_addr_t buf_phys)
{
	struct mb2_found mmap = { 0 }, efi_mmap = { 0 }, cmdline = { 0 }, loader = { 0 };
	struct mb2_found acpi_old = { 0 }, acpi_new = { 0 };
	struct mb2_blob b = { .base = buf, .len = len };
	bool seen_end = false;

	if (!buf || len < sizeof(struct mb2_info_header)) {
		pr_err("boot information block missing or shorter than its header\n");
		return -1;
	}
	u32 total_size = mb2_read32(&b, offsetof(struct mb2_info_header, total_size));

	if (total_size < sizeof(struct mb2_info_header) || total_size > len) {
		pr_err("total_size %u outside [%zu, %zu]: block ignored\n", total_size,
		       sizeof(struct mb2_info_header), len);
		return -1;
	}
	b.len = total_size;
	/* The block holds the RSDP copy and maybe a loader-provided table: keep all of it. */
	boot_add_reserved(bi, buf_phys, total_size, BOOT_RSV_BOOTINFO);

	/*
	 * Walk the tags. Offsets only ever advance by the tag size rounded up to 8 from an
	 * 8-aligned start, so every tag is 8-aligned relative to the block; a tag's size is
	 * checked against what is left before anything inside it is read.
	 */
	size_t off = sizeof(struct mb2_info_header);

	while (off <= b.len - sizeof(struct mb2_tag)) {
		u32 type = mb2_read32(&b, off + offsetof(struct mb2_tag, type));
		u32 size = mb2_read32(&b, off + offsetof(struct mb2_tag, size));

		if (size < sizeof(struct mb2_tag) || size > b.len - off) {
			pr_warn("tag type %u at offset %zu has size %u (%zu bytes left): walk ends\n",
				type, off, size, b.len - off);
			break;
		}
		if (type == MB2_TAG_END) {
			seen_end = true;
			break;
		}
		if (type == MB2_TAG_MODULE)
			mb2_parse_module(bi, &b, off, size);

		struct mb2_found *slot = NULL;

		switch (type) {
		case MB2_TAG_CMDLINE:		slot = &cmdline; break;
		case MB2_TAG_BOOT_LOADER_NAME:	slot = &loader; break;
		case MB2_TAG_MMAP:		slot = &mmap; break;
		case MB2_TAG_EFI_MMAP:		slot = &efi_mmap; break;
		case MB2_TAG_ACPI_OLD:		slot = &acpi_old; break;
		case MB2_TAG_ACPI_NEW:		slot = &acpi_new; break;
		default:			break;	/* framebuffer, ...: unused */
		}
		if (slot && slot->off)
			pr_warn("duplicate tag type %u at offset %zu: the first one is used\n",
				type, off);
		else if (slot)
			*slot = (struct mb2_found){ .off = off, .size = size };

		/* size <= b.len - off, so this cannot wrap; past the end ends the loop. */
		off += ALIGN_UP((size_t)size, (size_t)MB2_TAG_ALIGN);
	}
	if (!seen_end)
		pr_warn("no end tag within total_size %u\n", total_size);

	if (loader.off) {
		mb2_copy_string(mb2_loader_name, sizeof(mb2_loader_name), &b, &loader,
				"boot loader name");
		bi->loader_name = mb2_loader_name;
	}
	if (cmdline.off) {
		mb2_copy_string(bi->cmdline, sizeof(bi->cmdline), &b, &cmdline, "command line");
		if (loader.off && !strncmp(mb2_loader_name, "GRUB", 4))
			mb2_grub_cmdline_normalize(bi->cmdline, sizeof(bi->cmdline));
	}

	/*
	 * Memory: the UEFI map when there is one (it is the firmware's own, finer map; GRUB
	 * derives tag 6 from it), else the e820-style map.
	 */
	unsigned int ranges = 0;

	if (efi_mmap.off) {
		ranges = mb2_parse_efi_mmap(bi, &b, &efi_mmap);
		if (ranges)
			bi->efi_boot = true;
	}
	if (!ranges && mmap.off)
		ranges = mb2_parse_mmap(bi, &b, &mmap);
	if (!ranges)
		pr_warn("no usable memory map tag: the loader told us of no RAM\n");

	/* ACPI 2.0+ (XSDT, 64-bit addresses) wins over 1.0 when both are given. */
	if (acpi_new.off)
		mb2_parse_acpi(bi, &b, &acpi_new, buf_phys);
	if (!bi->acpi_rsdp_len && acpi_old.off)
		mb2_parse_acpi(bi, &b, &acpi_old, buf_phys);
	return 0;
}
