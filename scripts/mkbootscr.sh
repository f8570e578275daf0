#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Make a U-Boot boot script image from boot/boot.cmd with the kernel command line in it.
#   scripts/mkbootscr.sh OUT.scr [BOOTARGS [FDTFILE]]
# FDTFILE is the tree file the script loads (from dtbs/ or beside the Image) when the
# board's U-Boot sets no fdtfile of its own; empty: none.
# mkimage (Debian's u-boot-tools) wraps the text in a legacy image header of type "script",
# which U-Boot's `source` runs. `make image` and scripts/qemu-riscv64.sh (BOOT=bootscr) use it.
set -euo pipefail
out=$1
bootargs=${2-}
fdtfile=${3-}
src=$(dirname "$0")/../boot/boot.cmd
command -v mkimage >/dev/null || { echo "mkbootscr.sh: mkimage not found: apt-get install u-boot-tools" >&2; exit 1; }
# The script sets bootargs in single quotes (U-Boot's shell expands nothing in them), so
# the command line may hold shell.run="a;b" but no single quote.
case $bootargs$fdtfile in
*\'*)	echo "mkbootscr.sh: bootargs and FDTFILE cannot hold a single quote: $bootargs $fdtfile" >&2
	exit 1 ;;
esac
tmp=$(mktemp "${TMPDIR:-/tmp}/tessera-bootcmd-XXXXXX")
trap 'rm -f "$tmp"' EXIT
BOOTARGS=$bootargs FDTFILE=$fdtfile python3 -c 'import os, sys
text = open(sys.argv[1]).read().replace("@BOOTARGS@", os.environ["BOOTARGS"])
sys.stdout.write(text.replace("@FDTFILE@", os.environ["FDTFILE"]))' \
	"$src" >"$tmp"
mkimage -A riscv -O linux -T script -C none -n "Tessera boot script" -d "$tmp" "$out" >/dev/null
