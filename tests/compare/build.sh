#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the Linux side of `make compare` from what tests/compare/deps.sh unpacked:
#   build/compare/module/pagebench.ko   tests/compare/linux/pagebench.c, built out of tree
#                                       against the unpacked linux-headers
#   build/compare/initramfs.cpio.gz     busybox-static, the module and an /init that loads it
#                                       (with $PAGEBENCH_ARGS, default max_cpus=8) and powers off
#   tests/compare/build.sh [module|initramfs|all]   (all by default)
# Exit status 2 (and a message) when the Linux packages are not there: run make compare-deps.
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=build/compare
ROOT=$OUT/root
what=${1:-all}
if [ ! -f "$ROOT/ABI" ]; then
	echo "compare: no Linux kernel and headers in $ROOT: run make compare-deps" >&2
	exit 2
fi
abi=$(cat "$ROOT/ABI")
hdr=$(pwd)/$ROOT/usr/src/linux-headers-$abi

build_module() {
	local m=$OUT/module
	mkdir -p "$m"
	# Kbuild writes its objects beside the sources: build from a copy, not in tests/.
	cp tests/compare/linux/pagebench.c tests/compare/linux/Kbuild "$m/"
	make -s -C "$hdr" M="$(pwd)/$m" modules >"$m/build.log" 2>&1 || {
		cat "$m/build.log" >&2
		echo "compare: building pagebench.ko against $hdr failed" >&2
		exit 1
	}
	# "Skipping BTF generation ... unavailability of vmlinux" is expected: no vmlinux here.
	grep -v 'Skipping BTF generation' "$m/build.log" >&2 || true
	echo "compare: built $m/pagebench.ko for Linux $abi" >&2
}

build_initramfs() {
	[ -f "$OUT/module/pagebench.ko" ] || build_module
	python3 tests/compare/mkinitramfs.py "$ROOT/bin/busybox" "$OUT/module/pagebench.ko" \
		"${PAGEBENCH_ARGS:-max_cpus=8}" "$OUT/initramfs.cpio.gz"
	echo "compare: built $OUT/initramfs.cpio.gz" >&2
}

case $what in
module) build_module ;;
initramfs) build_initramfs ;;
all) build_module; build_initramfs ;;
*) echo "usage: $0 [module|initramfs|all]" >&2; exit 2 ;;
esac
