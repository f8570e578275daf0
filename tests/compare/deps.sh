#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make compare-deps`: fetch what `make compare` boots and builds on the Linux side, as Debian
# packages unpacked under build/compare/root/ (nothing is installed on this machine, so no
# package hooks run and no root is needed, except for `apt-get update` when the package lists
# do not know the packages yet):
#   linux-image-<abi>-amd64        the kernel linux-image-amd64 depends on (its vmlinuz)
#   linux-headers-<abi>-amd64      + -common and linux-kbuild-<ver>: to build the module
#   busybox-static                 the initramfs's only program
# The headers' Makefile includes the -common tree by absolute /usr/src path: it is pointed at
# the unpacked copy instead. Writes build/compare/root/ABI (e.g. 6.1.0-57-amd64) and VERSION
# (the package's, e.g. 6.1.192-3).
#   tests/compare/deps.sh          fetch if missing
#   tests/compare/deps.sh --force  fetch again (e.g. after Debian moved to a newer ABI)
set -euo pipefail
cd "$(dirname "$0")/../.."

OUT=build/compare
ROOT=$OUT/root
if [ "${1:-}" != --force ] && [ -f "$ROOT/ABI" ]; then
	abi=$(cat "$ROOT/ABI")
	if [ -f "$ROOT/boot/vmlinuz-$abi" ] && [ -d "$ROOT/usr/src/linux-headers-$abi" ] &&
	   [ -x "$ROOT/bin/busybox" ]; then
		echo "compare-deps: Linux $abi, its headers and busybox are in $ROOT"
		exit 0
	fi
fi
for tool in apt-get apt-cache dpkg-deb; do
	command -v "$tool" >/dev/null || { echo "compare-deps: needs $tool (Debian)" >&2; exit 1; }
done

# The ABI linux-image-amd64 points at today, e.g. "linux-image-6.1.0-57-amd64".
image_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1
}
pkg=$(image_pkg)
if [ -z "$pkg" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "compare-deps: apt-get update (the package lists do not know linux-image-amd64)" >&2
		apt-get update -qq >&2 || true
		pkg=$(image_pkg)
	fi
	if [ -z "$pkg" ]; then
		echo "compare-deps: apt-cache knows no linux-image-amd64; run as root: apt-get update" >&2
		exit 1
	fi
fi
abi=${pkg#linux-image-}			# 6.1.0-57-amd64
kver=$(echo "$abi" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')	# 6.1
common=linux-headers-${abi%-amd64}-common
pkgs=("$pkg" "linux-headers-$abi" "$common" "linux-kbuild-$kver" busybox-static)

dl=$OUT/debs
rm -rf "$dl" "$ROOT"
mkdir -p "$dl" "$ROOT"
echo "compare-deps: downloading ${pkgs[*]}" >&2
# apt-get download writes into the current directory; as root it warns that the _apt user
# cannot write there, which is harmless.
(cd "$dl" && apt-get download "${pkgs[@]}" 2>&1 |
	{ grep -v '^W: Download is performed unsandboxed' >&2 || true; }) ||
	{ echo "compare-deps: apt-get download failed" >&2; exit 1; }
for deb in "$dl"/*.deb; do
	case $deb in
	*/linux-image-*)
		# Only /boot: the modules tree is 400 MB and the guest loads no module but ours.
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$ROOT" ./boot/ ;;
	*)
		dpkg-deb -x "$deb" "$ROOT" ;;
	esac
done
hdr=$ROOT/usr/src/linux-headers-$abi
[ -f "$hdr/Makefile" ] || { echo "compare-deps: no $hdr/Makefile after unpacking" >&2; exit 1; }
sed -i "s|^include /usr/src/|include $(pwd)/$ROOT/usr/src/|" "$hdr/Makefile"
[ -f "$ROOT/boot/vmlinuz-$abi" ] || { echo "compare-deps: no vmlinuz-$abi unpacked" >&2; exit 1; }
[ -x "$ROOT/bin/busybox" ] || { echo "compare-deps: no bin/busybox unpacked" >&2; exit 1; }
ver=$(dpkg-deb -f "$dl/$(cd "$dl" && ls linux-image-*.deb | head -n1)" Version)
rm -rf "$dl"
echo "$ver" > "$ROOT/VERSION"
echo "$abi" > "$ROOT/ABI"
echo "compare-deps: Linux $abi ($ver), its headers and busybox are in $ROOT"
