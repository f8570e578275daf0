#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make stress`: the long CPU hotplug stress run, not part of CI.

Boots each architecture with 4 vCPUs and `ktest=hotplug,compact hotplug.scale=10
compact.scale=10`: workers on every CPU allocate locally and free remotely while CPU 0 takes
the others offline and back online, with order-9 allocations mixed in and the allocator's
invariant checker after every step (mm/tests/hotplug_test.c). Ten times the `make test`
figures: at least 2,340,000 worker iterations, 50 offline/online cycles per hotpluggable CPU,
300 order-9 allocations. Then compaction, direct and proactive, against allocating workers,
a balloon inflating and deflating and CPUs going offline (compact_concurrent in
mm/tests/compact_test.c): 40 rounds, no page lost, no pattern broken, both kinds of
compaction seen.

Prints one verdict line per architecture with the run's totals; exits 1 if any run failed
(a failed case, a WARNING or panic, a lost page, missing totals, a timeout).

Usage: tests/stress.py [--arch x86_64|riscv64] [--scale N] [--smp N] [--timeout S]
"""
import argparse
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import LOGDIR, ROOT, parse_ktap, qemu_env, run, strip_prefix  # noqa: E402

BASE = {"iterations": 234000, "cycles_per_cpu": 5, "order9": 30}
COMPACT_TOTALS = re.compile(r"compact_concurrent: totals: rounds=(\d+) iterations=(\d+) "
                            r"cycles=(\d+) order9=(\d+) stalls=(\d+) proactive=(\d+) "
                            r"migrated=(\d+) balloon_migrated=(\d+) deflated=(\d+) "
                            r"lost_pages=(-?\d+) time_ms=(\d+) scale=(\d+)")
TOTALS = re.compile(r"hotplug_test: totals: iterations=(\d+) cycles=(\d+) cpus=(\d+) "
                    r"order9=(\d+) lost_pages=(-?\d+) time_ms=(\d+) scale=(\d+)")


def stress_one(arch, smp, scale, timeout, tmp):
    """Build and boot one arch; return (ok, line to print, log tail on failure)."""
    status, text = run(["make", "-s", f"ARCH={arch}", "all"], 900)
    if status != 0:
        return False, f"{arch}: build failed", text[-3000:]
    name = f"stress-{arch}-smp{smp}"
    env = qemu_env(arch, smp, "512M",
                   f"ktest=hotplug,compact hotplug.scale={scale} compact.scale={scale}",
                   os.path.join(tmp, name + ".iso"))
    t0 = time.time()
    status, text = run([f"scripts/qemu-{arch}.sh"], timeout,
                       log=os.path.join(LOGDIR, name + ".log"), env=env)
    secs = time.time() - t0
    plain = "\n".join(strip_prefix(line) for line in text.splitlines())
    cases, summary = parse_ktap(text)
    problems = []
    if status is None:
        problems.append(f"timed out after {timeout} s")
    elif status != 0:
        problems.append(f"QEMU exit status {status}")
    if summary is None:
        problems.append("no ktest summary (crashed or hung?)")
    for suite, case, verdict, diag in cases:
        if verdict == "fail":
            problems.append(f"{suite}.{case} failed: " + " | ".join(diag[-3:]))
        elif verdict == "skip" and case in ("hotplug_stress", "compact_concurrent"):
            problems.append("hotplug_stress skipped: " + " | ".join(diag[-1:]))
    if "Kernel panic" in plain:
        problems.append("kernel panic")
    if re.search(r"^WARNING:", plain, re.M):
        problems.append("WARNING printed")
    m = TOTALS.search(plain)
    detail = ""
    if not m:
        problems.append("no totals line")
    else:
        iters, cycles, cpus, order9, lost, ms, got_scale = (int(x) for x in m.groups())
        detail = (f"{iters} worker iterations, {cycles} offline/online cycles on {cpus} CPUs, "
                  f"{order9} order-9 allocations, {lost} pages lost, {ms / 1000:.1f} s in "
                  f"the kernel")
        if iters < BASE["iterations"] * scale:
            problems.append(f"only {iters} iterations")
        if cycles < BASE["cycles_per_cpu"] * scale * cpus:
            problems.append(f"only {cycles} cycles")
        if order9 < BASE["order9"] * scale:
            problems.append(f"only {order9} order-9 allocations")
        if lost != 0:
            problems.append(f"{lost} pages lost")
        if got_scale != scale:
            problems.append(f"kernel ran scale {got_scale}, not {scale}")
    c = COMPACT_TOTALS.search(plain)
    if not c:
        problems.append("no compact_concurrent totals line")
    else:
        (rounds, _, _, _, stalls, proactive, migrated, bmigrated, _, clost, cms,
         cscale) = (int(x) for x in c.groups())
        detail += (f"; compaction: {rounds} rounds, {stalls} direct, {proactive} proactive, "
                   f"{migrated} pages migrated ({bmigrated} balloon), {clost} pages lost, "
                   f"{cms / 1000:.1f} s")
        if rounds < 4 * scale or cscale != scale:
            problems.append(f"compaction ran {rounds} rounds at scale {cscale}")
        if clost != 0:
            problems.append(f"compaction: {clost} pages lost")
        if not stalls or not proactive or not bmigrated:
            problems.append("compaction: direct, proactive or balloon migration never ran")
    ok = not problems
    line = (f"{'ok' if ok else 'not ok'} - {arch} SMP={smp} scale={scale}: "
            f"{detail or 'no totals'} ({secs:.0f} s boot)")
    if problems:
        line += "\n    " + "; ".join(problems)
    return ok, line, "" if ok else "\n".join(text.splitlines()[-30:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", action="append", choices=["x86_64", "riscv64"],
                    help="only this architecture (repeatable; default both)")
    ap.add_argument("--scale", type=int, default=10, help="hotplug.scale= (default 10)")
    ap.add_argument("--smp", type=int, default=4, help="vCPUs (default 4)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per boot (default 1800)")
    args = ap.parse_args()
    os.chdir(ROOT)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="tessera-stress-") as tmp:
        for arch in args.arch or ["x86_64", "riscv64"]:
            ok, line, tail = stress_one(arch, args.smp, args.scale, args.timeout, tmp)
            print(line, flush=True)
            if not ok:
                failed += 1
                print("    --- last lines ---\n" + tail, flush=True)
    print(f"stress: {'passed' if not failed else f'{failed} failed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
