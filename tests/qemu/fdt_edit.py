#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Add /reserved-memory children to a flattened device tree, for boots with generated trees.

scripts/qemu-riscv64.sh (DTB_EDIT=...) dumps QEMU's own tree for the machine, runs this on it
and boots with the result (-dtb), so that the kernel sees what a board's tree may hold:

  --reserved N   N fixed children of one page each, a page apart, 64 MiB into RAM
  --bindings     one child of each binding: no-map, reusable, size-only with alignment and
                 alloc-ranges, size-only no-map placed anywhere, and one too big for its
                 alloc-ranges (the kernel must say it is not placed)

Bad input a board's tree (or its firmware) may hand over, for the boot cases that check the
kernel says so and boots where it can (tests/run.py, negative_checks()):

  --stdout PATH        /chosen/stdout-path = PATH ("serial0:115200n8", a missing node...)
  --alias NAME=PATH    /aliases/NAME = PATH (the node is made if missing)
  --uart-prop P=N      property P = <N> in every ns16550a node (reg-shift=7)
  --timebase N         /cpus/timebase-frequency = <N>
  --hart-status H=S    /cpus/cpu@H status = S ("fail")
  --no-memory          every memory node removed

Usage: fdt_edit.py IN.dtb OUT.dtb [--reserved N] [--bindings] [bad-input options]
Writes the devicetree blob format of the Devicetree Specification v0.4, chapter 5.
"""
import argparse
import struct
import sys

FDT_MAGIC = 0xD00DFEED
BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9
MiB = 1 << 20


class Node:
    def __init__(self, name):
        self.name = name
        self.props = []         # (name, bytes) in order
        self.children = []

    def prop(self, name):
        for n, v in self.props:
            if n == name:
                return v
        return None

    def child(self, name):
        for c in self.children:
            if c.name == name or c.name.split("@")[0] == name:
                return c
        return None


def parse(blob):
    magic, total, off_st, off_str, off_rsv, version = struct.unpack(">6I", blob[:24])
    if magic != FDT_MAGIC or version < 16:
        sys.exit("fdt_edit.py: not a version 16+ device tree blob")
    rsv = []
    off = off_rsv
    while True:
        base, size = struct.unpack(">QQ", blob[off:off + 16])
        off += 16
        if base == 0 and size == 0:
            break
        rsv.append((base, size))
    pos, stack, root = off_st, [], None
    while True:
        (tag,) = struct.unpack(">I", blob[pos:pos + 4])
        pos += 4
        if tag == BEGIN_NODE:
            end = blob.index(b"\0", pos)
            node = Node(blob[pos:end].decode())
            pos = (end + 1 + 3) & ~3
            if stack:
                stack[-1].children.append(node)
            else:
                root = node
            stack.append(node)
        elif tag == END_NODE:
            stack.pop()
        elif tag == PROP:
            length, nameoff = struct.unpack(">II", blob[pos:pos + 8])
            pos += 8
            name = blob[off_str + nameoff:blob.index(b"\0", off_str + nameoff)].decode()
            stack[-1].props.append((name, blob[pos:pos + length]))
            pos = (pos + length + 3) & ~3
        elif tag == NOP:
            pass
        elif tag == END:
            return root, rsv
        else:
            sys.exit(f"fdt_edit.py: bad token {tag} at {pos - 4}")


def serialize(root, rsv):
    strings, offsets, st = bytearray(), {}, bytearray()

    def name_off(name):
        if name not in offsets:
            offsets[name] = len(strings)
            strings.extend(name.encode() + b"\0")
        return offsets[name]

    def pad():
        while len(st) % 4:
            st.append(0)

    def emit(node):
        st.extend(struct.pack(">I", BEGIN_NODE) + node.name.encode() + b"\0")
        pad()
        for name, value in node.props:
            st.extend(struct.pack(">III", PROP, len(value), name_off(name)) + value)
            pad()
        for c in node.children:
            emit(c)
        st.extend(struct.pack(">I", END_NODE))

    emit(root)
    st.extend(struct.pack(">I", END))
    rsvmap = b"".join(struct.pack(">QQ", b, s) for b, s in rsv) + bytes(16)
    off_rsv = 40
    off_st = off_rsv + len(rsvmap)
    off_str = off_st + len(st)
    total = off_str + len(strings)
    header = struct.pack(">10I", FDT_MAGIC, total, off_st, off_str, off_rsv, 17, 16, 0,
                         len(strings), len(st))
    return header + rsvmap + bytes(st) + bytes(strings)


def cells(value, n):
    """value as n big-endian 32-bit cells."""
    return b"".join(struct.pack(">I", (value >> (32 * (n - 1 - i))) & 0xFFFFFFFF)
                    for i in range(n))


def set_prop(node, name, value):
    node.props = [(n, v) for n, v in node.props if n != name] + [(name, value)]


def walk(node):
    yield node
    for c in node.children:
        yield from walk(c)


def bad_input(root, args):
    """The edits of the bad-input options, in place."""
    def node(name):
        n = root.child(name)
        if n is None:
            n = Node(name)
            root.children.append(n)
        return n
    if args.stdout is not None:
        set_prop(node("chosen"), "stdout-path", args.stdout.encode() + b"\0")
    for a in args.alias:
        name, path = a.split("=", 1)
        set_prop(node("aliases"), name, path.encode() + b"\0")
    for p in args.uart_prop:
        name, value = p.split("=", 1)
        for n in walk(root):
            if b"ns16550a\0" in (n.prop("compatible") or b""):
                set_prop(n, name, cells(int(value, 0), 1))
    cpus = root.child("cpus")
    if args.timebase is not None:
        set_prop(cpus, "timebase-frequency", cells(args.timebase, 1))
    for h in args.hart_status:
        hart, status = h.split("=", 1)
        cpu = next(c for c in cpus.children if c.name == f"cpu@{int(hart, 0):x}")
        set_prop(cpu, "status", status.encode() + b"\0")
    if args.no_memory:
        root.children = [c for c in root.children
                         if c.prop("device_type") != b"memory\0"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--reserved", type=int, default=0)
    ap.add_argument("--bindings", action="store_true")
    ap.add_argument("--stdout")
    ap.add_argument("--alias", action="append", default=[])
    ap.add_argument("--uart-prop", action="append", default=[])
    ap.add_argument("--timebase", type=int)
    ap.add_argument("--hart-status", action="append", default=[])
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args()

    with open(args.inp, "rb") as f:
        root, rsv = parse(f.read())
    bad_input(root, args)
    if not (args.reserved or args.bindings):
        with open(args.out, "wb") as f:
            f.write(serialize(root, rsv))
        return
    ac = struct.unpack(">I", root.prop("#address-cells"))[0]
    sc = struct.unpack(">I", root.prop("#size-cells"))[0]
    mem = root.child("memory")
    reg = mem.prop("reg")
    ram = int.from_bytes(reg[:4 * ac], "big")

    resmem = root.child("reserved-memory")
    if resmem is None:
        resmem = Node("reserved-memory")
        resmem.props = [("#address-cells", cells(ac, 1)), ("#size-cells", cells(sc, 1)),
                        ("ranges", b"")]
        root.children.append(resmem)

    def child(name, *props):
        node = Node(name)
        node.props = list(props)
        resmem.children.append(node)

    def pair(base, size):
        return cells(base, ac) + cells(size, sc)

    for i in range(args.reserved):
        base = ram + 64 * MiB + i * 2 * 4096
        child(f"gen@{base:x}", ("reg", pair(base, 4096)))
    if args.bindings:
        child(f"secure@{ram + 32 * MiB:x}", ("reg", pair(ram + 32 * MiB, 2 * MiB)),
              ("no-map", b""))
        child(f"pool@{ram + 40 * MiB:x}", ("reg", pair(ram + 40 * MiB, 4 * MiB)),
              ("reusable", b""))
        child("test-cma", ("compatible", b"shared-dma-pool\0"), ("reusable", b""),
              ("size", cells(4 * MiB, sc)), ("alignment", cells(4 * MiB, sc)),
              ("alloc-ranges", pair(ram + 96 * MiB, 32 * MiB)))
        child("test-dsp", ("size", cells(MiB, sc)), ("no-map", b""))
        child("test-too-big", ("size", cells(64 * MiB, sc)),
              ("alloc-ranges", pair(ram + 128 * MiB, MiB)))

    with open(args.out, "wb") as f:
        f.write(serialize(root, rsv))


if __name__ == "__main__":
    main()
