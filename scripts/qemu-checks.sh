# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Sourced by scripts/qemu-<arch>.sh: checks of SMP and MEM against the limits each script
# states, so that a value QEMU, the firmware or the boot loader cannot boot with stops here
# with a message instead of hanging without a word in SeaBIOS, GRUB or OpenSBI.
# Each check prints "<script>: <what is wrong>: <what is allowed>" and exits 2.

qemu_check_fail() {
	echo "$(basename "$0"): $*" >&2
	exit 2
}

# qemu_check_smp MIN MAX WHERE [WHY]: SMP must be a whole number in MIN..MAX.
qemu_check_smp() {
	local min=$1 max=$2 where=$3 why=${4:-}

	if ! [[ $SMP =~ ^[0-9]{1,6}$ ]] || [ "$((10#$SMP))" -lt "$min" ] ||
	   [ "$((10#$SMP))" -gt "$max" ]; then
		qemu_check_fail "SMP=$SMP is not a CPU count for $where: use $min to $max${why:+ ($why)}"
	fi
	SMP=$((10#$SMP))	# QEMU would read a leading 0 as octal
}

# The size in KiB of a QEMU -m value (a number with an optional K, M, G or T suffix; no
# suffix means MiB, as QEMU reads it), or nothing when it is not such a size.
qemu_size_kib() {
	local n unit

	[[ $1 =~ ^([0-9]{1,9})([kKmMgGtT]?)$ ]] || return 0
	n=$((10#${BASH_REMATCH[1]}))
	unit=${BASH_REMATCH[2]}
	case $unit in
	k|K) echo "$n" ;;
	''|m|M) echo $((n * 1024)) ;;
	g|G) echo $((n * 1024 * 1024)) ;;
	t|T) echo $((n * 1024 * 1024 * 1024)) ;;
	esac
}

# qemu_check_mem MIN WHERE WHY: MEM must be a size of at least MIN (itself a size).
qemu_check_mem() {
	local min=$1 where=$2 why=$3 kib

	kib=$(qemu_size_kib "$MEM")
	[ -n "$kib" ] ||
		qemu_check_fail "MEM=$MEM is not a size: use a number with K, M, G or T (M if none), such as 512M or 2G"
	[ "$kib" -ge "$(qemu_size_kib "$min")" ] ||
		qemu_check_fail "MEM=$MEM is too small for $where: at least $min ($why)"
}

# The transports VIRTIO may name (scripts/qemu-<arch>.sh say which each machine has).
QEMU_VIRTIO_VALUES="pci, pci-legacy, mmio, mmio-legacy or none"

# qemu_check_virtio_value: VIRTIO must name a transport (or `default`).
qemu_check_virtio_value() {
	case $VIRTIO in
	default|none|pci|pci-legacy|mmio|mmio-legacy) ;;
	*) qemu_check_fail "VIRTIO=$VIRTIO is not a virtio transport: use $QEMU_VIRTIO_VALUES" ;;
	esac
}
