#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make build/riscv64/Image relocatable: list where kernel.elf stores absolute addresses.

kernel.elf is linked at 0x80200000 with --emit-relocs, so it keeps the relocation records
the linker applied. Code needs none at run time (-mcmodel=medany reaches everything
PC-relatively); what moves with the load address are the 64-bit absolute addresses stored
in data: function pointers, string tables, console structs (R_RISCV_64). This tool collects
their locations into the table that head.S reserved (section .riscv_relocs):

    u32 count; u32 offset[count]      offsets from _start, each an 8-byte aligned word

and writes it into the Image (a raw binary of kernel.elf starting at _start). At boot,
head.S adds (run-time _start - link-time _start) to each listed word, once.

It fails the build on any absolute relocation head.S could not fix up (R_RISCV_32, the
lui-based HI20/LO12 pairs): such code would break when loaded elsewhere.

usage: relocs.py kernel.elf Image
"""
import struct
import sys

SHT_SYMTAB, SHT_RELA, SHT_NOBITS = 2, 4, 8
SHF_ALLOC = 0x2
SHN_UNDEF, SHN_ABS = 0, 0xFFF1
R_RISCV_32, R_RISCV_64 = 1, 2
# Absolute relocations in code or data that a word fix-up cannot express.
R_BAD = {R_RISCV_32: "R_RISCV_32", 26: "R_RISCV_HI20", 27: "R_RISCV_LO12_I",
         28: "R_RISCV_LO12_S"}


def die(msg):
    print("relocs.py: " + msg, file=sys.stderr)
    sys.exit(1)


def sections(elf):
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        die("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    secs = []
    for i in range(shnum):
        f = struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize)
        secs.append(dict(name=f[0], type=f[1], flags=f[2], addr=f[3], offset=f[4],
                         size=f[5], link=f[6], info=f[7], entsize=f[9]))
    strtab = secs[shstrndx]
    for s in secs:
        end = elf.index(b"\0", strtab["offset"] + s["name"])
        s["name"] = elf[strtab["offset"] + s["name"]:end].decode()
    return secs


def symbols(elf, secs):
    """(value, shndx) of every symbol, and a name -> value map."""
    symtab = next((s for s in secs if s["type"] == SHT_SYMTAB), None)
    if symtab is None:
        die("no symbol table")
    names = secs[symtab["link"]]
    syms, byname = [], {}
    for off in range(symtab["offset"], symtab["offset"] + symtab["size"], 24):
        st_name, _info, _other, shndx, value, _size = struct.unpack_from("<IBBHQQ", elf, off)
        syms.append((value, shndx))
        end = elf.index(b"\0", names["offset"] + st_name)
        byname[elf[names["offset"] + st_name:end].decode()] = value
    return syms, byname


def main():
    if len(sys.argv) != 3:
        die("usage: relocs.py kernel.elf Image")
    elf = open(sys.argv[1], "rb").read()
    image = bytearray(open(sys.argv[2], "rb").read())
    secs = sections(elf)
    syms, byname = symbols(elf, secs)
    for need in ("_start", "__riscv_relocs", "__riscv_relocs_end"):
        if need not in byname:
            die("symbol %s missing: is linker/riscv64.ld up to date?" % need)
    start = byname["_start"]

    words, bad = set(), []
    for rela in secs:
        if rela["type"] != SHT_RELA:
            continue
        target = secs[rela["info"]]
        # Debug info and other non-loaded sections do not move with the image.
        if not target["flags"] & SHF_ALLOC:
            continue
        for off in range(rela["offset"], rela["offset"] + rela["size"], 24):
            r_offset, r_info, _addend = struct.unpack_from("<QQq", elf, off)
            rtype, rsym = r_info & 0xFFFFFFFF, r_info >> 32
            # Absolute symbols and undefined weak ones (value 0) stay put.
            if rsym == 0 or syms[rsym][1] in (SHN_UNDEF, SHN_ABS):
                continue
            if rtype in R_BAD:
                bad.append("%s at %#x in %s" % (R_BAD[rtype], r_offset, target["name"]))
            elif rtype == R_RISCV_64:
                if target["type"] == SHT_NOBITS:
                    bad.append("R_RISCV_64 in .bss-like %s" % target["name"])
                elif r_offset % 8:
                    bad.append("unaligned R_RISCV_64 at %#x in %s" % (r_offset, target["name"]))
                else:
                    words.add(r_offset - start)
    if bad:
        die("position-dependent relocations (compile with -mcmodel=medany, no absolute "
            "32-bit addresses):\n  " + "\n  ".join(bad[:20]))

    table = byname["__riscv_relocs"] - start
    capacity = (byname["__riscv_relocs_end"] - byname["__riscv_relocs"] - 4) // 4
    words = sorted(words)
    if len(words) > capacity:
        die("%d relocations, room for %d: raise RISCV_RELOCS_MAX in arch/riscv64/head.S"
            % (len(words), capacity))
    if table + 4 + 4 * capacity > len(image) or any(w + 8 > len(image) for w in words):
        die("relocation table or a relocated word lies outside the Image")
    struct.pack_into("<I%dI" % len(words), image, table, len(words), *words)
    open(sys.argv[2], "wb").write(image)
    print("  RELOCS  %d absolute addresses, table room %d" % (len(words), capacity))


if __name__ == "__main__":
    main()
