#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the initramfs `make compare` boots Linux with (Python standard library only, no root):
a gzipped cpio archive in the "newc" format the kernel unpacks (see the kernel's
Documentation/driver-api/early-userspace/buffer-format.rst), holding

    /bin/busybox          busybox-static
    /dev/console          character device 5:1, so that /init's output reaches the console
    /pagebench.ko         the benchmark module
    /init                 a busybox shell script: mount /proc, raise the console log level
                          so the module's pr_info lines print, insmod, power off

usage: mkinitramfs.py BUSYBOX MODULE 'MODULE ARGS' OUT.cpio.gz
"""
import gzip
import stat
import sys

INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /tmp
/bin/busybox mount -t proc proc /proc
# pr_info is below the "quiet" console level: let the module's result lines through.
echo 8 > /proc/sys/kernel/printk
echo "pagebench: insmod pagebench.ko {args}"
/bin/busybox insmod /pagebench.ko {args} || echo "pagebench: insmod failed"
/bin/busybox poweroff -f
"""


class Cpio:
    """newc entries: a 110-byte ASCII header, the name, the data, each padded to 4 bytes."""

    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def add(self, name, mode, data=b"", rdev=(0, 0)):
        name_b = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name_b), 0]
        self.ino += 1
        self.out += b"070701" + b"".join(b"%08X" % f for f in fields)
        self.out += name_b
        self.out += b"\0" * (-len(self.out) % 4)
        self.out += data
        self.out += b"\0" * (-len(self.out) % 4)

    def finish(self):
        self.add("TRAILER!!!", 0)
        return bytes(self.out)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    busybox, module, args, out = sys.argv[1:]
    c = Cpio()
    for d in ("bin", "dev", "proc", "sys", "tmp"):
        c.add(d, stat.S_IFDIR | 0o755)
    with open(busybox, "rb") as f:
        c.add("bin/busybox", stat.S_IFREG | 0o755, f.read())
    c.add("bin/sh", stat.S_IFLNK | 0o777, b"busybox")
    c.add("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
    with open(module, "rb") as f:
        c.add("pagebench.ko", stat.S_IFREG | 0o644, f.read())
    c.add("init", stat.S_IFREG | 0o755, INIT.format(args=args).encode())
    with gzip.open(out, "wb", compresslevel=6) as f:
        f.write(c.finish())


if __name__ == "__main__":
    main()
