#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot the riscv64 kernel in QEMU (TCG) through OpenSBI, serial console on stdio.
#
# Environment (defaults in brackets):
#   KERNEL_DIR  build directory with Image [build/riscv64]
#   SMP [4]  MEM [512M]  MACHINE virt|sifive_u [virt]
#   CMDLINE     kernel command line (/chosen/bootargs)
#   QEMU_EXTRA  more QEMU arguments, word-split
#   VIRTIO      the virtio-rng device to attach, by transport [none; make run: default]:
#               mmio         virtio-rng-device on virtio-mmio version 2 (modern)
#               mmio-legacy  virtio-rng-device on version 1 (QEMU's default on virt)
#               pci          virtio-rng-pci: transitional (1af4:1005), driven as modern
#               pci-legacy   virtio-rng-pci,disable-modern=on: legacy only (I/O BAR 0)
#               none         no device; default: mmio on virt, none on sifive_u (which
#                            has neither PCI nor virtio-mmio)
#   BALLOON     on: a virtio-balloon device, QOM id balloon0, on VIRTIO's transport
#               (virtio-balloon-device on virtio-mmio, virtio-balloon-pci on PCI), none
#               when VIRTIO=none; off [off; make run: on]
#   BALLOON_OPTS  more properties for it, comma-separated (deflate-on-oom=on) [none]
#   QMP         path of a QMP socket to open (-qmp unix:QMP,server=on,wait=off), which
#               `make balloon` and tests/qemu/balloon_test.py talk to [none; make run:
#               build/riscv64/qmp.sock]
#   GDB=1       wait for gdb on :1234 (-s -S)
#   BOOT        opensbi: OpenSBI (fw_dynamic) jumps straight to the Image [default]
#               uboot: OpenSBI starts U-Boot (qemu-riscv64_smode), which finds the Image on
#               a small FAT disk (virtio-blk) through an extlinux.conf and starts it with
#               booti, the way a board boots it (virt only)
#               bootscr: the same through the boot.scr that `make image` makes: U-Boot's
#               distro boot finds it on the disk's FAT partition, it loads the Image and
#               boots it with booti, CMDLINE as its bootargs and U-Boot's own device tree
#               (QEMU's) since the disk holds none; with DTB_EDIT the edited tree is
#               on the disk instead, as dtbs/tessera-edited.dtb, and the script loads it
#               (virt only)
#   DTB_EDIT    arguments for tests/qemu/fdt_edit.py: QEMU's own device tree for this
#               machine is dumped, edited (--reserved N: N /reserved-memory children;
#               --bindings: no-map, reusable and size-only ones) and passed with -dtb
#
# Machines: virt has RAM at 0x80000000, an ns16550a UART and the test finisher. sifive_u
# has RAM at 0x80000000 too, a sifive,uart0 UART and no finisher, and its hart 0 is an E51
# monitor core without S-mode, so it needs -smp 2 or more (5 is the real FU540).
# QEMU's exit status: 0 after a power-off or a passing test run, 1 when a test run failed
# (the finisher); without a finisher (sifive_u) it is always 0.
# With --check it only checks MACHINE, SMP, MEM, BOOT, VIRTIO and BALLOON and exits (0 if they can boot).
#
# Limits, found by booting to the shell prompt at each size (QEMU 7.2, OpenSBI 1.1):
#   SMP  virt 1 to 512, sifive_u 2 to 5: QEMU's limits; the kernel uses the first 64.
#   MEM  virt at least 6M: QEMU puts the device tree at the top of RAM, and at 4M or less
#        it overlaps OpenSBI or the Image (QEMU refuses to start); at 5M 64 harts boot but
#        512 print nothing in 4 minutes. sifive_u at least 5M (4M: the same overlap).
#        BOOT=uboot and bootscr at least 194M: U-Boot reads extlinux.conf or boot.scr to
#        0x8c100000 (scriptaddr) and faults below that, which QEMU reports as a reset (exit 0) without the kernel ever running.
set -euo pipefail

KERNEL_DIR=${KERNEL_DIR:-build/riscv64}
SMP=${SMP:-4}
MEM=${MEM:-512M}
MACHINE=${MACHINE:-virt}
CMDLINE=${CMDLINE-}
QEMU_EXTRA=${QEMU_EXTRA:-}
GDB=${GDB:-0}
BOOT=${BOOT:-opensbi}
DTB_EDIT=${DTB_EDIT:-}
VIRTIO=${VIRTIO:-none}
BALLOON=${BALLOON:-off}
BALLOON_OPTS=${BALLOON_OPTS:-}
QMP=${QMP:-}

OPENSBI=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
image=$KERNEL_DIR/Image

die() { echo "qemu-riscv64.sh: $*" >&2; exit 1; }

# shellcheck source=scripts/qemu-checks.sh
. "$(dirname "$0")/qemu-checks.sh"
case $MACHINE in
virt)
	qemu_check_smp 1 512 "riscv64 virt" "QEMU's limit"
	if [ "$BOOT" = uboot ] || [ "$BOOT" = bootscr ]; then
		qemu_check_mem 194M "riscv64 virt with U-Boot" \
			"U-Boot loads extlinux.conf at 0x8c100000 and faults below that"
	else
		qemu_check_mem 6M "riscv64 virt" \
			"below it the device tree overlaps OpenSBI or the Image, or OpenSBI hangs with many harts"
	fi ;;
sifive_u)
	if [ "$SMP" = 1 ]; then
		echo "qemu-riscv64.sh: sifive_u's hart 0 has no S-mode; using -smp 5 instead of $SMP" >&2
		SMP=5
	fi
	qemu_check_smp 2 5 "riscv64 sifive_u" "hart 0 is a monitor core without S-mode; 5 is the real FU540"
	case $BOOT in
	uboot|bootscr)
		qemu_check_fail "BOOT=$BOOT needs MACHINE=virt (the U-Boot build is for virt)" ;;
	esac
	qemu_check_mem 5M "riscv64 sifive_u" "below it the device tree overlaps the Image" ;;
*) qemu_check_fail "MACHINE=$MACHINE is not a machine Tessera boots on: use virt or sifive_u" ;;
esac
case $BOOT in
opensbi|uboot|bootscr) ;;
*) qemu_check_fail "BOOT=$BOOT is not a boot path: use opensbi, uboot or bootscr" ;;
esac
qemu_check_virtio_value
if [ "$VIRTIO" = default ]; then
	[ "$MACHINE" = virt ] && VIRTIO=mmio || VIRTIO=none
fi
virtio_args=()
[ "$MACHINE" = virt ] || [ "$VIRTIO" = none ] ||
	qemu_check_fail "VIRTIO=$VIRTIO needs MACHINE=virt: $MACHINE has neither PCI nor" \
		"virtio-mmio; use none"
case $VIRTIO in
mmio)	virtio_args=(-global virtio-mmio.force-legacy=false -device virtio-rng-device) ;;
mmio-legacy) virtio_args=(-device virtio-rng-device) ;;
pci)	virtio_args=(-device virtio-rng-pci) ;;
pci-legacy) virtio_args=(-device virtio-rng-pci,disable-modern=on) ;;
esac
# The balloon goes on the transport VIRTIO chose; QMP lets the host side move it.
balloon_args=()
case $BALLOON in
on)
	bopts=${BALLOON_OPTS:+,$BALLOON_OPTS}
	case $VIRTIO in
	pci)	balloon_args=(-device "virtio-balloon-pci,id=balloon0$bopts") ;;
	pci-legacy) balloon_args=(-device "virtio-balloon-pci,id=balloon0,disable-modern=on$bopts") ;;
	mmio|mmio-legacy) balloon_args=(-device "virtio-balloon-device,id=balloon0$bopts") ;;
	esac ;;
off) ;;
*) qemu_check_fail "BALLOON=$BALLOON: use on or off" ;;
esac
[ -z "$QMP" ] || balloon_args+=(-qmp "unix:$QMP,server=on,wait=off")
[ "${1:-}" = --check ] && exit 0

[ -f "$image" ] || die "$image not found: run 'make ARCH=riscv64' first"
[ -f "$OPENSBI" ] || die "$OPENSBI not found: apt-get install opensbi"

args=(-machine "$MACHINE" -smp "$SMP" -m "$MEM" -nographic -serial mon:stdio -no-reboot
      -bios "$OPENSBI")
[ "$GDB" = 1 ] && args+=(-s -S)

tmpdir=
if [ -n "$DTB_EDIT" ]; then
	tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-dtb-XXXXXX")
	# The tree QEMU would build for exactly this machine, then edited; QEMU and OpenSBI
	# still add /chosen and their own reservations to the one passed with -dtb.
	qemu-system-riscv64 -machine "$MACHINE,dumpdtb=$tmpdir/qemu.dtb" -smp "$SMP" -m "$MEM" \
		-nographic -bios none >/dev/null 2>&1 || true
	[ -s "$tmpdir/qemu.dtb" ] || { rm -rf "$tmpdir"; die "could not dump QEMU's device tree"; }
	# shellcheck disable=SC2086 # DTB_EDIT holds several arguments
	python3 "$(dirname "$0")/../tests/qemu/fdt_edit.py" "$tmpdir/qemu.dtb" "$tmpdir/edited.dtb" \
		$DTB_EDIT || { rm -rf "$tmpdir"; die "fdt_edit.py $DTB_EDIT failed"; }
	# BOOT=bootscr puts it on the disk instead, where a board keeps its tree.
	[ "$BOOT" = bootscr ] || args+=(-dtb "$tmpdir/edited.dtb")
fi
case $BOOT in
opensbi)
	args+=(-kernel "$image" -append "$CMDLINE") ;;
uboot)
	[ -f "$UBOOT" ] || die "$UBOOT not found: apt-get install u-boot-qemu"
	command -v mformat >/dev/null && command -v mcopy >/dev/null ||
		die "mtools not found: apt-get install mtools"
	[ -n "$tmpdir" ] || tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-uboot-XXXXXX")
	disk=$tmpdir/disk.img
	# U-Boot's default boot command scans virtio disks, partition 1, for
	# /extlinux/extlinux.conf; "kernel" of a RISC-V Image is started with booti, and with
	# no "fdt" line U-Boot passes its own device tree (QEMU's, with U-Boot's fixups).
	mkdir -p "$tmpdir/extlinux"
	cat >"$tmpdir/extlinux/extlinux.conf" <<-EOF
	default tessera
	timeout 0
	label tessera
	  kernel /Image
	  append $CMDLINE
	EOF
	# The same one-partition FAT disk as BOOT=bootscr (scripts/mkbootdisk.sh).
	"$(dirname "$0")/mkbootdisk.sh" "$disk" "$image" "$tmpdir/extlinux" ||
		{ rm -rf "$tmpdir"; die "could not make the disk image"; }
	args+=(-kernel "$UBOOT"
	       -drive "file=$disk,format=raw,if=none,id=boot"
	       -device virtio-blk-device,drive=boot) ;;
bootscr)
	[ -f "$UBOOT" ] || die "$UBOOT not found: apt-get install u-boot-qemu"
	[ -n "$tmpdir" ] || tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bootscr-XXXXXX")
	# The SD card a board would boot: boot.scr and the Image on a FAT partition. Without
	# DTB_EDIT there is no dtbs/, so the script hands the Image U-Boot's own tree
	# ($fdtcontroladdr); with it, the edited tree goes on the card as a board's does
	# (dtbs/tessera-edited.dtb, named in the script), not to QEMU.
	fdtfile=
	card=("$image" "$tmpdir/boot.scr")
	if [ -n "$DTB_EDIT" ]; then
		mkdir -p "$tmpdir/dtbs"
		mv "$tmpdir/edited.dtb" "$tmpdir/dtbs/tessera-edited.dtb"
		fdtfile=tessera-edited.dtb
		card+=("$tmpdir/dtbs")
	fi
	"$(dirname "$0")/mkbootscr.sh" "$tmpdir/boot.scr" "$CMDLINE" "$fdtfile" ||
		{ rm -rf "$tmpdir"; die "could not make boot.scr"; }
	"$(dirname "$0")/mkbootdisk.sh" "$tmpdir/disk.img" "${card[@]}" ||
		{ rm -rf "$tmpdir"; die "could not make the disk image"; }
	args+=(-kernel "$UBOOT"
	       -drive "file=$tmpdir/disk.img,format=raw,if=none,id=boot"
	       -device virtio-blk-device,drive=boot) ;;
*)
	die "BOOT must be opensbi, uboot or bootscr, not '$BOOT'" ;;
esac

args+=("${virtio_args[@]}" "${balloon_args[@]}")
# shellcheck disable=SC2206 # word splitting is the point of QEMU_EXTRA
args+=($QEMU_EXTRA)

if [ -z "$tmpdir" ]; then
	exec qemu-system-riscv64 "${args[@]}"
fi
# The temporary disk has to be removed afterwards, so QEMU runs as a child here.
trap 'rm -rf "$tmpdir"' EXIT
trap 'exit 143' TERM	# timeout(1) signals the whole group: QEMU ends, then we clean up
trap 'exit 130' INT
status=0
qemu-system-riscv64 "${args[@]}" || status=$?
exit "$status"
