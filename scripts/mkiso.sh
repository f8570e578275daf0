#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a bootable GRUB ISO around the x86_64 kernel, with the command line baked into
# grub.cfg (BIOS via grub-pc-bin; UEFI too when grub-efi-amd64-bin is installed).
#   scripts/mkiso.sh KERNEL_ELF OUT_ISO "CMDLINE" [MODULE...]
# Each MODULE (a file, or random:SIZE for SIZE random bytes, e.g. random:3M) is loaded by
# GRUB's module2 as /boot/moduleN with the command line "moduleN crc32=0xCRC", the CRC-32
# of its bytes: the kernel's ktest suite `boot` checks that they survive.
set -euo pipefail

if [ $# -lt 3 ]; then
	echo "usage: $0 KERNEL_ELF OUT_ISO \"CMDLINE\" [MODULE|random:SIZE...]" >&2
	exit 2
fi
kernel=$1 out=$2 cmdline=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
template=$here/../boot/grub.cfg.in

for tool in grub-mkrescue xorriso mformat; do
	command -v "$tool" >/dev/null || { echo "mkiso: $tool is missing (make deps)" >&2; exit 1; }
done
[ -e /usr/lib/grub/i386-pc/modinfo.sh ] || {
	echo "mkiso: GRUB's BIOS modules are missing (apt-get install grub-pc-bin)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tessera-iso.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/boot/grub"

# The ISO needs no debug information: strip it to keep the image (and its load) small.
objcopy --strip-debug "$kernel" "$work/root/boot/kernel.elf"

# Boot modules, each with the CRC-32 of its bytes on its command line.
modules=
n=0
for m in "$@"; do
	f=$work/root/boot/module$n
	case $m in
	random:*) head -c "${m#random:}" /dev/urandom >"$f" ;;
	*) cp "$m" "$f" ;;
	esac
	crc=$(python3 -c 'import sys, zlib; print("%08x" % zlib.crc32(open(sys.argv[1], "rb").read()))' "$f")
	modules+="	module2 /boot/module$n module$n crc32=0x$crc"$'\n'
	n=$((n + 1))
done

# GRUB parses its command lines like a shell. Keep the kernel's word rules instead: spaces
# separate words, double quotes group them (GRUB removes them, then quotes again any word
# that has a space: shell.run="a; b" reaches the kernel as "shell.run=a; b"), and every
# other character is literal. So escape what GRUB would treat as syntax: outside quotes
# { } | & $ ; < > # ' and backslash; inside quotes $ and backslash. GRUB in turn puts a
# backslash before each \ ' or " it hands to the kernel (its grub_create_loader_cmdline()).
grub_escape() {
	local s=$1 out= c i in_dq=0

	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		if [ "$c" = '"' ]; then
			in_dq=$((1 - in_dq))
			out+=$c
		elif [ "$in_dq" = 1 ]; then
			case $c in
			\$|\\) out+="\\$c" ;;
			*) out+=$c ;;
			esac
		else
			case $c in
			\{|\}|\||\&|\$|\;|\<|\>|\#|\'|\\) out+="\\$c" ;;
			*) out+=$c ;;
			esac
		fi
	done
	# An unclosed quote would make GRUB read on into the next line: close it.
	[ "$in_dq" = 1 ] && out+='"'
	printf '%s' "$out"
}

# A newline would end GRUB's multiboot2 command early: keep the line on one line.
cmdline=${cmdline//$'\n'/ }
cmdline=$(grub_escape "$cmdline")
# Replace every @NAME@ by splitting around it, not with sed or ${//}, which would
# interpret &, \ or / in the command line.
substitute() {
	local text=$1 marker=$2 value=$3 result=

	while [[ $text == *"$marker"* ]]; do
		result+=${text%%"$marker"*}$value
		text=${text#*"$marker"}
	done
	printf '%s%s' "$result" "$text"
}
cfg=$(<"$template")
cfg=$(substitute "$cfg" @CMDLINE@ "$cmdline")
cfg=$(substitute "$cfg" @MODULES@$'\n' "$modules")
printf '%s\n' "$cfg" >"$work/root/boot/grub/grub.cfg"

mkdir -p "$(dirname "$out")"
if ! grub-mkrescue -o "$out.tmp" "$work/root" >"$work/log" 2>&1; then
	cat "$work/log" >&2
	echo "mkiso: grub-mkrescue failed" >&2
	rm -f "$out.tmp"
	exit 1
fi
mv -f "$out.tmp" "$out"
