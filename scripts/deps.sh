#!/usr/bin/env bash
# Checks for the tools Tessera builds and tests with, and installs the Debian packages that
# provide any that are missing (apt-get, as root; otherwise it prints the apt-get line).
#   scripts/deps.sh check [ARCH]   install only if a tool is missing (ARCH bench: gnuplot)
#   scripts/deps.sh install        install every package now
set -u
# tool:package pairs. One line per tool so that a missing one names its package.
TOOLS_COMMON="make:make gcc:gcc python3:python3 clang:clang timeout:coreutils"
TOOLS_x86_64="qemu-system-x86_64:qemu-system-x86 grub-mkrescue:grub-common xorriso:xorriso mformat:mtools"
TOOLS_riscv64="riscv64-unknown-elf-gcc:gcc-riscv64-unknown-elf riscv64-unknown-elf-ld:binutils-riscv64-unknown-elf qemu-system-riscv64:qemu-system-misc mkimage:u-boot-tools mformat:mtools"
# make bench's plots (tests/bench/plot.py): `scripts/deps.sh check bench`.
TOOLS_bench="gnuplot:gnuplot-nox"
# make -C tests/bench/host callgrind: `scripts/deps.sh check callgrind`.
TOOLS_callgrind="valgrind:valgrind"
# Files (not commands) that packages provide.
FILES_x86_64="/usr/lib/grub/i386-pc/modinfo.sh:grub-pc-bin /usr/lib/grub/x86_64-efi/modinfo.sh:grub-efi-amd64-bin /usr/share/OVMF/OVMF_CODE.fd:ovmf"
FILES_bench=""
FILES_callgrind=""
FILES_riscv64="/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin:opensbi /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin:u-boot-qemu"
ALL_PKGS="make gcc python3 clang llvm lld libclang-rt-14-dev qemu-system-x86 qemu-system-misc \
opensbi u-boot-qemu grub-pc-bin grub-efi-amd64-bin ovmf grub-common xorriso mtools gcc-riscv64-unknown-elf \
binutils-riscv64-unknown-elf gdb-multiarch gnuplot-nox valgrind u-boot-tools"

missing=()
want() { # list of tool:pkg, test command/file
	local kind=$1; shift
	for pair in "$@"; do
		local t=${pair%%:*} p=${pair##*:}
		if [ "$kind" = cmd ]; then command -v "$t" >/dev/null 2>&1 || missing+=("$p")
		else [ -e "$t" ] || missing+=("$p"); fi
	done
}

install() {
	local pkgs=("$@")
	if [ "$(id -u)" != 0 ]; then
		echo "Tessera needs these Debian packages; run as root:" >&2
		echo "  apt-get update && apt-get install -y ${pkgs[*]}" >&2
		exit 1
	fi
	echo "deps: installing ${pkgs[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2 || {
		echo "deps: apt-get install failed" >&2; exit 1; }
}

case "${1:-check}" in
install)
	# shellcheck disable=SC2086
	install $ALL_PKGS ;;
check)
	arches=${2:-"x86_64 riscv64"}
	# shellcheck disable=SC2086
	want cmd $TOOLS_COMMON
	for a in $arches; do
		v=TOOLS_$a; f=FILES_$a
		# shellcheck disable=SC2086
		want cmd ${!v}
		# shellcheck disable=SC2086
		want file ${!f}
	done
	if [ ${#missing[@]} -gt 0 ]; then
		mapfile -t uniq < <(printf '%s\n' "${missing[@]}" | sort -u)
		install "${uniq[@]}"
	fi ;;
*)
	echo "usage: $0 check [ARCH] | install" >&2; exit 2 ;;
esac
