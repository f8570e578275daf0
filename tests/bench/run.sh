#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: build both architectures, boot each with `bench=...` at -smp 1, 2 and 4
# through scripts/qemu-<arch>.sh under a timeout, and print the benchmark tables.
# Figures, not pass/fail: a boot that times out or prints no "# bench: done" is reported
# and the script goes on; the exit status is non-zero only if a build fails.
#
# Environment: BENCH (default "all"), BENCH_ARCHS ("x86_64 riscv64"), BENCH_SMP ("1 2 4"),
# BENCH_TIMEOUT (seconds per boot, 600), BENCH_CMDLINE (extra words), MEM (1G: make compare's).
# Ends by drawing PNG plots of bench=pcp's figures, and of make compare's CSV when there is
# one, with tests/bench/plot.py (gnuplot).
#
# bench=virtio needs devices, which the other benchmarks' boots go without (a device the core
# polls would add work to CPU 0's tick): when BENCH is "all" or names virtio, one more boot
# per arch at -smp 2 attaches an entropy device per transport the machine has (riscv64 virt:
# mmio v1, pci modern, pci legacy; x86_64 pc: pci modern, pci legacy) and runs it alone.
set -u
cd "$(dirname "$0")/../.."

BENCH=${BENCH:-all}
ARCHS=${BENCH_ARCHS:-"x86_64 riscv64"}
SMPS=${BENCH_SMP:-"1 2 4"}
TIMEOUT=${BENCH_TIMEOUT:-600}
MEM=${MEM:-1G}
LOGDIR=build/bench-logs
mkdir -p "$LOGDIR"
status=0

for arch in $ARCHS; do
	echo "=== building $arch"
	if ! make -s ARCH="$arch" all >"$LOGDIR/build-$arch.log" 2>&1; then
		echo "build of $arch failed: see $LOGDIR/build-$arch.log"
		status=1
		continue
	fi
	case $arch in
	x86_64) machine=${MACHINE_X86:-pc} ;;
	riscv64) machine=${MACHINE_RISCV:-virt} ;;
	esac
	for smp in $SMPS; do
		log="$LOGDIR/$arch-smp$smp.log"
		echo "=== $arch $machine -smp $smp bench=$BENCH"
		KERNEL_DIR="build/$arch" SMP="$smp" MEM="$MEM" MACHINE="$machine" \
			CMDLINE="bench=$BENCH ${BENCH_CMDLINE:-}" QEMU_EXTRA="" \
			timeout --foreground -k 5 "$TIMEOUT" "scripts/qemu-$arch.sh" \
			</dev/null >"$log" 2>&1
		rc=$?
		# The tables: everything from the first "# bench:" line on, timestamps removed.
		sed -n '/# bench:/,$p' "$log" | sed 's/^\[[ 0-9.]*\]\(\[C[0-9]*\]\)\{0,1\} *//' |
			grep -v -e '^$' -e '^@pagebench' || true
		if [ $rc -eq 124 ]; then
			echo "(timed out after ${TIMEOUT}s: see $log)"
		elif ! grep -q '# bench: done' "$log"; then
			echo "(no '# bench: done' line, QEMU exit $rc: see $log)"
		fi
	done
	case ",$BENCH," in
	*,all,*|*,virtio,*) ;;
	*) continue ;;
	esac
	case $arch in
	x86_64) devices="-device virtio-rng-pci,disable-legacy=on -device virtio-rng-pci,disable-modern=on" ;;
	riscv64) devices="-device virtio-rng-device -device virtio-rng-pci,disable-legacy=on -device virtio-rng-pci,disable-modern=on" ;;
	esac
	log="$LOGDIR/$arch-virtio.log"
	echo "=== $arch $machine -smp 2 bench=virtio, one entropy device per transport"
	KERNEL_DIR="build/$arch" SMP=2 MEM="$MEM" MACHINE="$machine" VIRTIO=none \
		CMDLINE="bench=virtio ${BENCH_CMDLINE:-}" QEMU_EXTRA="$devices" \
		timeout --foreground -k 5 "$TIMEOUT" "scripts/qemu-$arch.sh" </dev/null >"$log" 2>&1
	rc=$?
	sed -n '/# bench:/,$p' "$log" | sed 's/^\[[ 0-9.]*\]\(\[C[0-9]*\]\)\{0,1\} *//' |
		grep -v '^$' || true
	if [ $rc -eq 124 ]; then
		echo "(timed out after ${TIMEOUT}s: see $log)"
	elif ! grep -q '# bench: done' "$log"; then
		echo "(no '# bench: done' line, QEMU exit $rc: see $log)"
	fi
done
tests/bench/plot.py || true
exit $status
