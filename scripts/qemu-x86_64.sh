#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot the x86_64 kernel in QEMU (TCG) from its GRUB ISO, serial console on stdio.
#
# Environment (defaults in brackets):
#   KERNEL_DIR  build directory with kernel.elf and tessera.iso [build/x86_64]
#   SMP [4]  MEM [512M]  MACHINE pc|q35 [pc]
#   CMDLINE     kernel command line; if it differs from the one tessera.iso was built with
#               (KERNEL_DIR/cmdline.stamp), a fresh ISO is made for this run
#   ISO         path of the ISO to build and boot (always rebuilt with CMDLINE) [unset]
#   MODULES     boot modules GRUB loads with module2, space-separated: files, or random:SIZE
#               for SIZE random bytes (random:3M); each gets its CRC-32 on its command line,
#               which ktest suite `boot` checks (scripts/mkiso.sh) [none]
#   QEMU_EXTRA  more QEMU arguments, word-split
#   VIRTIO      the virtio-rng device to attach, by transport [none; make run: default]:
#               pci          virtio-rng-pci: transitional (1af4:1005) on pc, modern-only
#                            (1af4:1044) behind a pcie-root-port on q35
#               pci-legacy   virtio-rng-pci,disable-modern=on: legacy only (I/O BAR 0), on
#                            the root bus (on q35 too: legacy needs no PCIe port)
#               none         no device; default: pci
#               (mmio and mmio-legacy need riscv64 virt: pc and q35 have no virtio-mmio)
#   BALLOON     on: a virtio-balloon device, QOM id balloon0, on VIRTIO's transport
#               (virtio-balloon-pci; on q35 behind its own pcie-root-port), none when
#               VIRTIO=none; off [off; make run: on]
#   BALLOON_OPTS  more properties for it, comma-separated (deflate-on-oom=on) [none]
#   QMP         path of a QMP socket to open (-qmp unix:QMP,server=on,wait=off), which
#               `make balloon` and tests/qemu/balloon_test.py talk to [none; make run:
#               build/x86_64/qmp.sock]
#   GDB=1       wait for gdb on :1234 (-s -S)
# With --check it only checks MACHINE, SMP, MEM, VIRTIO and BALLOON and exits (0 if they can boot).
# QEMU's exit status: 0 after an ACPI power-off, 3 when a test run failed (isa-debug-exit).
#
# Limits, found by booting to the shell prompt at each size (QEMU 7.2, TCG):
#   SMP  1 to 255: QEMU's limit for pc and q35 without KVM (more needs KVM's x2APIC);
#        the kernel uses the first 64 and says so.
#   MEM  at least 5M with SeaBIOS: below 4M SeaBIOS and GRUB hang before the kernel starts,
#        and with 56 or more vCPUs the kernel's early allocations need a fifth MiB (at 4M
#        it panics in memblock).
#        At least 128M with UEFI firmware (OVMF in QEMU_EXTRA): 49M hangs in GRUB with 2
#        vCPUs, 50M drops to "grub rescue>" with 64; 64M boots 64 vCPUs, 128M boots 255.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
KERNEL_DIR=${KERNEL_DIR:-build/x86_64}
SMP=${SMP:-4}
MEM=${MEM:-512M}
MACHINE=${MACHINE:-pc}
CMDLINE=${CMDLINE-}
QEMU_EXTRA=${QEMU_EXTRA:-}
VIRTIO=${VIRTIO:-none}
BALLOON=${BALLOON:-off}
BALLOON_OPTS=${BALLOON_OPTS:-}
QMP=${QMP:-}
GDB=${GDB:-0}
MODULES=${MODULES:-}
# shellcheck disable=SC2206 # word splitting is the point of MODULES
modules=($MODULES)

# shellcheck source=scripts/qemu-checks.sh
. "$here/qemu-checks.sh"
case $MACHINE in
pc|q35) ;;
*) qemu_check_fail "MACHINE=$MACHINE is not a machine Tessera boots on: use pc or q35" ;;
esac
qemu_check_smp 1 255 "x86_64 $MACHINE" "QEMU's limit without KVM"
case $QEMU_EXTRA in
*[Oo][Vv][Mm][Ff]*|*edk2*)
	qemu_check_mem 128M "x86_64 $MACHINE with UEFI firmware" \
		"OVMF and GRUB need it before the kernel starts" ;;
*)
	qemu_check_mem 5M "x86_64 $MACHINE" \
		"below 4M SeaBIOS and GRUB hang before the kernel starts; 64 vCPUs need 5M" ;;
esac
qemu_check_virtio_value
[ "$VIRTIO" = default ] && VIRTIO=pci
virtio_args=()
case $VIRTIO in
pci)
	if [ "$MACHINE" = q35 ]; then
		# Behind a PCIe root port QEMU makes the device modern-only.
		virtio_args=(-device pcie-root-port,id=virtio-rp,chassis=16,slot=16
			     -device virtio-rng-pci,bus=virtio-rp)
	else
		virtio_args=(-device virtio-rng-pci)
	fi ;;
pci-legacy)
	virtio_args=(-device virtio-rng-pci,disable-modern=on) ;;
mmio|mmio-legacy)
	qemu_check_fail "VIRTIO=$VIRTIO needs riscv64 virt: x86_64 $MACHINE has no virtio-mmio;" \
		"use pci, pci-legacy or none" ;;
esac
# The balloon goes on the transport VIRTIO chose; QMP lets the host side move it.
balloon_args=()
case $BALLOON in
on)
	bopts=${BALLOON_OPTS:+,$BALLOON_OPTS}
	case $VIRTIO in
	pci)
		if [ "$MACHINE" = q35 ]; then
			balloon_args=(-device pcie-root-port,id=balloon-rp,chassis=17,slot=17
				      -device "virtio-balloon-pci,id=balloon0,bus=balloon-rp$bopts")
		else
			balloon_args=(-device "virtio-balloon-pci,id=balloon0$bopts")
		fi ;;
	pci-legacy) balloon_args=(-device "virtio-balloon-pci,id=balloon0,disable-modern=on$bopts") ;;
	esac ;;
off) ;;
*) qemu_check_fail "BALLOON=$BALLOON: use on or off" ;;
esac
[ -z "$QMP" ] || balloon_args+=(-qmp "unix:$QMP,server=on,wait=off")
[ "${1:-}" = --check ] && exit 0

kernel=$KERNEL_DIR/kernel.elf
iso=$KERNEL_DIR/tessera.iso
stamp=$KERNEL_DIR/cmdline.stamp
tmp_iso=

if [ -n "${ISO:-}" ]; then
	iso=$ISO
	"$here/mkiso.sh" "$kernel" "$iso" "$CMDLINE" "${modules[@]}"
elif [ ${#modules[@]} -gt 0 ] || [ ! -f "$iso" ] || [ ! -f "$stamp" ] ||
     [ "$(cat "$stamp")" != "$CMDLINE" ]; then
	tmp_iso=$(mktemp "${TMPDIR:-/tmp}/tessera-XXXXXX.iso")
	iso=$tmp_iso
	"$here/mkiso.sh" "$kernel" "$iso" "$CMDLINE" "${modules[@]}"
fi

args=(-machine "$MACHINE" -cpu max -smp "$SMP" -m "$MEM"
      -nographic -serial mon:stdio -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04
      -cdrom "$iso" -boot d)
[ "$GDB" = 1 ] && args+=(-s -S)
args+=("${virtio_args[@]}" "${balloon_args[@]}")
# shellcheck disable=SC2206 # word splitting is the point of QEMU_EXTRA
args+=($QEMU_EXTRA)

if [ -z "$tmp_iso" ]; then
	exec qemu-system-x86_64 "${args[@]}"
fi
# A temporary ISO has to be removed afterwards, so QEMU runs as a child here.
trap 'rm -f "$tmp_iso"' EXIT
trap 'exit 143' TERM	# timeout(1) signals the whole group: QEMU ends, then we clean up
trap 'exit 130' INT
status=0
qemu-system-x86_64 "${args[@]}" || status=$?
exit "$status"
