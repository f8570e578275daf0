#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Move the balloon of a running `make run` from another terminal, over its QMP socket.

  scripts/balloon.py [--qmp SOCK] TARGET   guest memory to leave, e.g. 256M, 1G (as QEMU's
                                           `balloon` command: the guest's size afterwards);
                                           waits until the guest gets there, prints the rate
  scripts/balloon.py [--qmp SOCK]          where the balloon is, and the guest's statistics
                                           (qom-get guest-stats; polling is switched on)

`make balloon TARGET=256M ARCH=...` runs it with the socket `make run` opened
(build/ARCH/qmp.sock). Exits 1 with a message when QEMU or the guest does not answer.
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from qmp import QMP, QMPError, parse_size  # noqa: E402

QOM_PATH = "/machine/peripheral/balloon0"   # the id scripts/qemu-*.sh give the device
MiB = 1 << 20


def ram_size(q):
    return q.cmd("query-memory-size-summary")["base-memory"]


def set_target(q, target, timeout):
    ram = ram_size(q)
    if target > ram:
        print(f"balloon: {target // MiB} MiB is more than the guest's {ram // MiB} MiB of RAM; "
              f"asking for {ram // MiB} MiB (an empty balloon)")
        target = ram
    before = q.cmd("query-balloon")["actual"]
    t0 = time.time()
    q.cmd("balloon", value=target)
    if before == target:
        print(f"balloon: the guest is at {target // MiB} MiB already")
        return 0
    # Timed by query-balloon: QEMU sends BALLOON_CHANGE at most once a second.
    now = before
    while time.time() - t0 < timeout:
        now = q.cmd("query-balloon")["actual"]
        if now == target:
            break
        time.sleep(0.02)
    secs = time.time() - t0
    if now != target:
        print(f"balloon: the guest went from {before // MiB} to {now // MiB} MiB, not "
              f"{target // MiB} MiB, in {timeout:.0f} s (memory low? the guest's `balloon` "
              f"command says why)")
        return 1
    moved = abs(before - target) / MiB
    print(f"balloon: guest memory {before // MiB} MiB -> {now // MiB} MiB of {ram // MiB} MiB "
          f"in {secs:.2f} s ({moved / secs:.1f} MiB/s)")
    return 0


def show(q, wait):
    ram = ram_size(q)
    actual = q.cmd("query-balloon")["actual"]
    print(f"balloon: guest memory {actual // MiB} MiB of {ram // MiB} MiB "
          f"(balloon {(ram - actual) // MiB} MiB)")
    if q.cmd("qom-get", path=QOM_PATH, property="guest-stats-polling-interval") == 0:
        q.cmd("qom-set", path=QOM_PATH, property="guest-stats-polling-interval", value=1)
        time.sleep(wait)
    stats = q.cmd("qom-get", path=QOM_PATH, property="guest-stats")
    # QEMU reports a figure the guest did not send as -1 (2^64 - 1 in its u64 encoding).
    shown = {k: v for k, v in stats.get("stats", {}).items() if v not in (-1, 2 ** 64 - 1)}
    if not shown:
        print("balloon: the guest has sent no statistics yet (try again in a second)")
        return 0
    print(f"guest statistics (updated {time.time() - stats.get('last-update', 0):.1f} s ago):")
    for k, v in sorted(shown.items()):
        print(f"  {k:28} {v // 1024:>10} KiB" if "memory" in k else f"  {k:28} {v:>10}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("target", nargs="?", help="guest memory to leave (256M, 1G...)")
    ap.add_argument("--qmp", default=os.path.join(ROOT, "build", "x86_64", "qmp.sock"),
                    help="QMP socket of the running QEMU")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait")
    args = ap.parse_args()
    try:
        target = parse_size(args.target) if args.target else None
    except ValueError:
        print(f"balloon: '{args.target}' is not a size (256M, 1G, bytes)", file=sys.stderr)
        return 2
    try:
        with QMP(args.qmp, timeout=5) as q:
            if target is None:
                return show(q, 2.5)
            return set_target(q, target, args.timeout)
    except QMPError as e:
        print(f"balloon: {e} (is `make run` running, with a balloon device?)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
