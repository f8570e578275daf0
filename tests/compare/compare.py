#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make compare`: Tessera's page allocator next to Linux 6.1's, measured the same way in the
same sitting.

Boots Debian's Linux 6.1 (fetched by `make compare-deps`) with tests/compare/linux/pagebench.ko
in a busybox initramfs, and Tessera with `bench=pcp bench.pcp_modes=owner`, under the same QEMU
flags and memory (-accel tcg,thread=multi -cpu max -m 1G), at each -smp in COMPARE_SMP,
interleaved COMPARE_RUNS times (the order alternates from run to run, so a drift in the
machine's speed falls on both). Both kernels print the same @pagebench lines (see
mm/bench/pcp_bench.c and pagebench.c: same workloads, constants, TSC chunk timing, medians and
CPU placement). Prints one table, each figure's median and range over the runs for both
kernels and the ratio of the medians, then every boot's calibration loops; writes
build/compare/compare.csv (one row per figure per boot) and keeps each boot's console log in
build/compare/logs/.

With --logs it boots nothing and redoes the table and CSV from the logs of the last run.
Environment: COMPARE_RUNS (3), COMPARE_SMP ("1 2"), COMPARE_TIMEOUT (seconds per boot, 300),
COMPARE_MEM (1G). Every QEMU runs in its own process group under the timeout and is killed with
its group when the time is up. Exit status: 0 if every boot printed its figures, 1 otherwise,
2 if the Linux packages are missing (run make compare-deps).
Standard library only.
"""
import csv
import datetime
import glob
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "build", "compare")
LINUX_ROOT = os.path.join(OUT, "root")
TESSERA_DIR = os.path.join(OUT, "tessera")
LOGS = os.path.join(OUT, "logs")
TESSERA_CMDLINE = "bench=pcp bench.pcp_modes=owner"
# The flags both kernels boot with; only the boot medium differs (Tessera: its GRUB ISO,
# through scripts/qemu-x86_64.sh, which adds -machine pc and its isa-debug-exit device).
QEMU_COMMON = ["-accel", "tcg,thread=multi", "-cpu", "max"]
LINUX_APPEND = "console=ttyS0 quiet init_on_alloc=0"

# The figures in table order: (op, label).
OPS = [
    ("pair", "order-0 alloc+free pair"),
    ("xcpu_alloc", "cross-CPU: alloc side, per page"),
    ("xcpu_free", "cross-CPU: free side, per page"),
    ("batch_alloc", "batch of 512: alloc, per page"),
    ("batch_free", "batch of 512: free, per page"),
    ("o9_pair", "order-9 (2 MiB) alloc+free pair"),
]
CALIB = [("load_add_store", "load+add+store"), ("lock_cmpxchg", "lock cmpxchg")]
LINE = re.compile(r"@pagebench (.*)$")


def log(msg):
    print(msg, flush=True)


def run_cmd(cmd, **kw):
    """Run a build step; its output goes to our stderr. Stops the comparison on failure."""
    r = subprocess.run(cmd, cwd=ROOT, **kw)
    if r.returncode:
        sys.exit(r.returncode)


def boot(name, cmd, env, logpath, timeout):
    """Run one QEMU in its own process group, console to logpath; kill the group on timeout.
    Returns parse_log()'s figures, calib and info, and an error or None."""
    t0 = time.monotonic()
    with open(logpath, "wb") as logf:
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=logf,
                             stderr=subprocess.STDOUT, start_new_session=True)
        err = None
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            err = "timed out after %d s" % timeout
        finally:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
    secs = time.monotonic() - t0
    figures, calib, info, done = parse_log(logpath)
    if err is None and not done:
        err = "no '@pagebench done' line (QEMU exit %s)" % p.returncode
    log("  %-8s %5.1f s  %s" % (name, secs, err or "ok: %d figures" % len(figures)))
    return figures, calib, info, err


def parse_log(logpath):
    """A boot's @pagebench lines: figures {(cpus, op): (ns, cycles)}, calib {op: ns},
    info {cyc_per_ms, online, kernel}, and whether it got to "done"."""
    figures, calib, info, done = {}, {}, {}, False
    with open(logpath, "rb") as f:
        for raw in f:
            m = LINE.search(raw.decode("utf-8", "replace").rstrip("\r\n"))
            if not m:
                continue
            rest = m.group(1).strip()
            if rest == "done":
                done = True
                continue
            words = rest.split()
            kv = dict(w.split("=", 1) for w in words if "=" in w)
            if words and words[0] == "calib":
                calib[kv["op"]] = int(kv["ns100"]) / 100.0
            elif "op" in kv:
                if kv.get("mode") in ("owner", "linux"):
                    figures[(int(kv["cpus"]), kv["op"])] = (int(kv["ns"]), int(kv["cyc"]))
            else:
                info.update(kv)
    return figures, calib, info, done


def prepare_tessera():
    """Build Tessera and an ISO with the bench command line in TESSERA_DIR, so that every
    boot reuses it (scripts/qemu-x86_64.sh rebuilds only when cmdline.stamp differs)."""
    run_cmd(["make", "-s", "ARCH=x86_64", "all"])
    os.makedirs(TESSERA_DIR, exist_ok=True)
    elf = os.path.join(TESSERA_DIR, "kernel.elf")
    shutil.copy(os.path.join(ROOT, "build", "x86_64", "kernel.elf"), elf)
    run_cmd(["scripts/mkiso.sh", elf, os.path.join(TESSERA_DIR, "tessera.iso"),
             TESSERA_CMDLINE], stdout=subprocess.DEVNULL)
    with open(os.path.join(TESSERA_DIR, "cmdline.stamp"), "w") as f:
        f.write(TESSERA_CMDLINE)


def describe_tessera():
    r = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                       capture_output=True, text=True)
    return r.stdout.strip() or "?"


def qemu_version():
    r = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True)
    m = re.search(r"version (\S+)", r.stdout)
    return m.group(1) if m else "?"


def spread(v):
    """median [min-max] of a list of ns."""
    if not v:
        return "-"
    if len(v) == 1:
        return "%d" % v[0]
    return "%d [%d-%d]" % (statistics.median(v), min(v), max(v))


def main():
    runs = int(os.environ.get("COMPARE_RUNS", "3"))
    smps = [int(s) for s in os.environ.get("COMPARE_SMP", "1 2").split()]
    timeout = int(os.environ.get("COMPARE_TIMEOUT", "300"))
    mem = os.environ.get("COMPARE_MEM", "1G")
    abi_file = os.path.join(LINUX_ROOT, "ABI")
    if not os.path.exists(abi_file):
        print("compare: no Linux kernel in build/compare/root: run make compare-deps first",
              file=sys.stderr)
        return 2
    abi = open(abi_file).read().strip()
    version = open(os.path.join(LINUX_ROOT, "VERSION")).read().strip()
    vmlinuz = os.path.join(LINUX_ROOT, "boot", "vmlinuz-" + abi)

    # --logs: no boots, the table and CSV again from the logs of the last make compare.
    from_logs = "--logs" in sys.argv[1:]
    if not from_logs:
        run_cmd(["tests/compare/build.sh", "all"])
        prepare_tessera()
    os.makedirs(LOGS, exist_ok=True)
    tess = describe_tessera()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if from_logs:
        date = datetime.datetime.fromtimestamp(
            min(os.path.getmtime(p) for p in glob.glob(os.path.join(LOGS, "*.log"))),
            datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC (from the logs)")
    log("compare: Linux %s (%s) and Tessera %s, QEMU %s, -m %s, -smp %s, %d run(s)"
        % (abi, version, tess, qemu_version(), mem, " ".join(map(str, smps)), runs))

    # results[kernel][smp] = list of (run, figures, calib, info) for the boots that finished
    results = {"linux": {s: [] for s in smps}, "tessera": {s: [] for s in smps}}
    failures = 0
    for run in range(1, runs + 1):
        for smp in smps:
            order = ["linux", "tessera"] if (run + smp) % 2 else ["tessera", "linux"]
            if not from_logs:
                log("run %d/%d, -smp %d:" % (run, runs, smp))
            for kernel in order:
                logpath = os.path.join(LOGS, "%s-smp%d-run%d.log" % (kernel, smp, run))
                if from_logs:
                    figures, calib, info, done = parse_log(logpath)
                    if done:
                        results[kernel][smp].append((run, figures, calib, info))
                    continue
                env = dict(os.environ)
                if kernel == "linux":
                    cmd = (["qemu-system-x86_64"] + QEMU_COMMON +
                           ["-smp", str(smp), "-m", mem, "-kernel", vmlinuz,
                            "-initrd", os.path.join(OUT, "initramfs.cpio.gz"),
                            "-append", LINUX_APPEND, "-nographic", "-no-reboot"])
                else:
                    env.update(KERNEL_DIR=TESSERA_DIR, SMP=str(smp), MEM=mem, MACHINE="pc",
                               CMDLINE=TESSERA_CMDLINE, QEMU_EXTRA=" ".join(QEMU_COMMON[:2]),
                               VIRTIO="none")
                    cmd = ["scripts/qemu-x86_64.sh"]
                figures, calib, info, err = boot(kernel, cmd, env, logpath, timeout)
                if err:
                    failures += 1
                    log("  (see %s)" % os.path.relpath(logpath, ROOT))
                    continue
                results[kernel][smp].append((run, figures, calib, info))

    rate = common_rate(results)
    if rate:
        normalise(results, rate)
    write_csv(results, date, abi, version, tess)
    print_table(results, smps, date, abi, version, tess, mem, runs, rate)
    if failures:
        log("compare: %d boot(s) failed; their figures are left out" % failures)
    return 1 if failures else 0


def common_rate(results):
    """The TSC rate (cycles per ms) all figures are converted with: the median over every
    boot of the rate each kernel measured against its own clock. Both guests read the same
    counter (under TCG QEMU's TSC is the host's), so a boot whose own clock was calibrated a
    few percent off at boot would otherwise shift all its ns figures by that much: one
    Tessera boot measured 2412 MHz where every other measured 2094-2105."""
    rates = [int(b[3]["cyc_per_ms"]) for k in results.values() for boots in k.values()
             for b in boots if "cyc_per_ms" in b[3]]
    return statistics.median(rates) if rates else None


def normalise(results, rate):
    """figures: (cpus, op) -> (ns at the common rate, ns as the kernel printed, cycles);
    calibration: rescaled from the kernel's clock to the common rate."""
    for by_smp in results.values():
        for boots in by_smp.values():
            for _, figures, calib, info in boots:
                own = int(info.get("cyc_per_ms", 0))
                for key, (ns, cyc) in figures.items():
                    figures[key] = (round(cyc * 1e6 / rate), ns, cyc)
                for op in calib:
                    calib[op] = calib[op] * own / rate if own else calib[op]


def write_csv(results, date, abi, version, tess):
    path = os.path.join(OUT, "compare.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        # ns: at the common TSC rate (what the table shows); ns_kernel: as the kernel
        # printed it, converted with its own rate; cyc: TSC cycles per operation.
        w.writerow(["date", "kernel", "version", "smp", "run", "cpus", "op", "ns",
                    "ns_kernel", "cyc", "tsc_khz"])
        for kernel, by_smp in results.items():
            ver = "%s (%s)" % (abi, version) if kernel == "linux" else tess
            for smp, boots in by_smp.items():
                for run, figures, calib, info in boots:
                    khz = info.get("cyc_per_ms", "")
                    for (cpus, op), (ns, ns_kernel, cyc) in sorted(figures.items()):
                        w.writerow([date, kernel, ver, smp, run, cpus, op, ns, ns_kernel,
                                    cyc, khz])
                    for op, ns in calib.items():
                        w.writerow([date, kernel, ver, smp, run, "", "calib_" + op,
                                    "%.2f" % ns, "", "", khz])
    log("compare: wrote %s" % os.path.relpath(path, ROOT))


def print_table(results, smps, date, abi, version, tess, mem, runs, rate):
    print()
    print("## make compare, %s: ns per operation, median [min-max] over %d boot(s) each"
          % (date, runs))
    print("## Linux %s (%s) vs Tessera %s (owner mode), -m %s; TSC cycles converted at "
          "%.0f MHz" % (abi, version, tess, mem, (rate or 0) / 1000))
    rows = [("operation", "smp", "cpus", "linux", "tessera", "tessera/linux")]
    for smp in smps:
        keys = set()
        for kernel in ("linux", "tessera"):
            for _, figures, _, _ in results[kernel][smp]:
                keys.update(figures)
        for op, label in OPS:
            for cpus in sorted(c for c, o in keys if o == op):
                vals = {k: [b[1][(cpus, op)][0] for b in results[k][smp]
                            if (cpus, op) in b[1]] for k in ("linux", "tessera")}
                ratio = "-"
                if vals["linux"] and vals["tessera"]:
                    ratio = "%.2f" % (statistics.median(vals["tessera"]) /
                                      statistics.median(vals["linux"]))
                name = label
                if op == "pair":
                    name += ", one CPU alone" if cpus == 1 else \
                        ", %d CPUs at once (mean per CPU)" % cpus
                rows.append((name, str(smp), str(cpus), spread(vals["linux"]),
                             spread(vals["tessera"]), ratio))
    print_rows(rows)
    print()
    print("## each boot's calibration, ns per iteration (the fastest of 3 x 10^6, at the "
          "common rate), and the TSC rate the kernel measured")
    rows = [("boot", "smp", "run", "load+add+store", "lock cmpxchg", "TSC MHz")]
    for smp in smps:
        for kernel in ("linux", "tessera"):
            for run, _, calib, info in results[kernel][smp]:
                mhz = int(info.get("cyc_per_ms", 0)) / 1000.0
                rows.append((kernel, str(smp), str(run),
                             "%.2f" % calib.get("load_add_store", 0),
                             "%.2f" % calib.get("lock_cmpxchg", 0), "%.0f" % mhz))
    print_rows(rows)


def print_rows(rows):
    width = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(width[i]) if i == 0 else c.rjust(width[i])
                        for i, c in enumerate(r)).rstrip())


if __name__ == "__main__":
    sys.exit(main())
