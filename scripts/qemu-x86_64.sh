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
#   GDB=1       wait for gdb on :1234 (-s -S)
# QEMU's exit status: 0 after an ACPI power-off, 3 when a test run failed (isa-debug-exit).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
KERNEL_DIR=${KERNEL_DIR:-build/x86_64}
SMP=${SMP:-4}
MEM=${MEM:-512M}
MACHINE=${MACHINE:-pc}
CMDLINE=${CMDLINE-}
QEMU_EXTRA=${QEMU_EXTRA:-}
GDB=${GDB:-0}
MODULES=${MODULES:-}
# shellcheck disable=SC2206 # word splitting is the point of MODULES
modules=($MODULES)

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
