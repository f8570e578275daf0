#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A disk image laid out like a board's SD card for U-Boot's distro boot: an MBR with one
# bootable FAT partition holding the given files in its root directory.
#   scripts/mkbootdisk.sh OUT.img FILE...
# A directory FILE is copied with its contents (dtbs/ for the board trees). Without root:
# the partition table is written with dd, the file system with mtools (Debian's mtools).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUT.img FILE..." >&2; exit 2; }
out=$1; shift
if ! command -v mformat >/dev/null || ! command -v mcopy >/dev/null; then
	echo "mkbootdisk.sh: mtools not found: apt-get install mtools" >&2
	exit 1
fi
# 32 MiB: one partition from sector 2048 (1 MiB, where partitioning tools start) to the
# end, 63488 sectors (0xf800). Entry: bootable (0x80), no CHS, type 0x0c (FAT32, LBA),
# first LBA 0x800, sector count 0xf800, little-endian.
rm -f "$out"
truncate -s 32M "$out"
printf '\x80\0\0\0\x0c\0\0\0\0\x08\0\0\0\xf8\0\0' |
	dd of="$out" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$out" bs=1 seek=510 conv=notrunc status=none
mformat -i "$out@@1M" -v TESSERA ::
for f in "$@"; do
	mcopy -s -i "$out@@1M" "$f" ::/
done
