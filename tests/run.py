#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The runner behind `make test`: every test Tessera has, one verdict line each.

Stages, in order (each prints `ok N - name` or `not ok N - name`):
  1. both architectures build from clean with -Werror;
  2. host tests (tests/host: mm/ and the boot parsers under ASan+UBSan, then a short fuzz),
     and the Linux module of `make compare` if its headers are there (tests/compare);
  3. QEMU boots of a configuration matrix (configs()) with `ktest=...`: every KTAP case is
     one test, and each boot is one more (it must finish, print no WARNING or panic, and exit
     with the status that matches its verdict);
  4. negative checks (negative_checks()): boots that must end a stated way, e.g. a case made
     to fail must fail the run by name, a deliberate fault must print the exception dump;
  5. the serial shell driven over the console as a person types (tests/qemu/shell_test.py);
  6. the virtio balloon moved over QMP as a host moves it (tests/qemu/balloon_test.py).
Stages 3 and 4 run --jobs boots at a time; their verdicts print in table order all the same.
Ends with `N passed, N failed`; exits 1 if anything failed.

Usage: tests/run.py [--quick] [--no-build] [--only REGEX] [--jobs N] [--stress]
  --only REGEX  only the stages ("host", "shell", "balloon") and boots whose names match
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import (ARCHES, DEFAULT_MACHINE, LOGDIR, PREFIX, ROOT,  # noqa: E402
                     Results, kill_all, parse_ktap, qemu_env, run, strip_prefix)

# QEMU's exit status when the kernel ends a failed run (arch_test_exit(false)): x86_64 writes
# 1 to isa-debug-exit, and QEMU exits with (1 << 1) | 1; riscv64 writes FAIL with code 1 to
# the virt test finisher, and QEMU exits with that code.
TEST_FAILED = {"x86_64": 3, "riscv64": 1}
# Boots at once. Two 4-vCPU TCG guests on a 2-core host keep 8 vCPU threads runnable on 2
# cores: their cross-CPU tests spin on vCPUs that are not running, and a boot can run past
# its timeout. So one at a time unless asked; --jobs N pays where cores are to spare
# (roughly as many as the vCPUs of the guests running together).
DEFAULT_JOBS = 1


def run_tap_suite(res, cmd, label, logname, timeout=1200):
    """Run a program that prints `ok N - name` / `not ok N - name` lines: each is one test
    (`# SKIP` lines are left out). A non-zero exit, or no test at all, is one more failure."""
    status, text = run(cmd, timeout, log=os.path.join(LOGDIR, logname))
    n0 = res.n
    for line in text.splitlines():
        m = re.match(r"^(ok|not ok) \d+ - (.*?)(  #.*)?$", line)
        if m and "# SKIP" not in line:
            res.record(m.group(1) == "ok", f"{label}: {m.group(2)}")
    if status != 0 or res.n == n0:
        res.record(False, f"{label}: test harness", f"exit {status}, see build/test-logs/{logname}")
        print("\n".join(text.splitlines()[-20:]))


def outside_ktest_warning(text):
    """A WARNING outside the KTAP run (at boot, or after the summary). Inside it, ktest
    itself fails any case that WARNs without declaring it (ktest_allow_warnings)."""
    inside = False
    for raw in text.splitlines():
        if not PREFIX.match(raw):
            continue        # firmware and GRUB lines (GRUB under UEFI prints a WARNING)
        line = strip_prefix(raw)
        if line.startswith("KTAP version 1") and not inside:
            inside = True
        elif line.startswith("# ktest: "):
            inside = False
        elif line.startswith("WARNING:") and not inside:
            return True
    return False


def boot(cfg, tmp):
    """Boot one configuration (a row of configs() or negative_checks()); returns
    (status, text, seconds). Runs in a worker thread when boots run in parallel."""
    iso = os.path.join(tmp, cfg["file"] + ".iso")
    t0 = time.time()
    env = qemu_env(cfg["arch"], cfg["smp"], cfg["mem"], cfg["cmdline"], iso,
                   machine=cfg["machine"], extra=cfg.get("extra", ""), env=cfg.get("env"))
    status, text = run(["scripts/qemu-%s.sh" % cfg["arch"]], cfg["timeout"],
                       log=os.path.join(LOGDIR, cfg["file"] + ".log"), env=env)
    return status, text, time.time() - t0


def print_tail(cfg, text, n=25):
    print("    --- last lines of build/test-logs/%s.log ---" % cfg["file"])
    print("\n".join(text.splitlines()[-n:]))


def check_ktest_boot(res, cfg, status, text, secs):
    """A normal boot: every case is a test; the boot itself is one more."""
    name = cfg["name"]
    cases, summary = parse_ktap(text)
    for suite, case, verdict, diag in cases:
        if verdict == "skip":
            continue
        ok = verdict == "ok"
        if not res.record(ok, f"{name}: {suite}.{case}"):
            for d in diag:
                print(f"    {d}")
    problems = []
    if status is None:
        problems.append(f"timed out after {cfg['timeout']} s")
    if summary is None:
        problems.append("no ktest summary line (crashed or hung?)")
    if "Kernel panic" in text:
        problems.append("kernel panic")
    if outside_ktest_warning(text):
        problems.append("WARNING printed outside a test case")
    failed_cases = sum(1 for c in cases if c[2] == "fail")
    want_status = 0 if failed_cases == 0 and summary and summary[1] == 0 else "non-zero"
    if status is not None and ((want_status == 0) != (status == 0)):
        problems.append(f"QEMU exit status {status}, expected {want_status}")
    if not cases:
        problems.append("no test cases ran")
    for check in cfg.get("checks", []):
        err = check(text)
        if err:
            problems.append(err)
    res.record(not problems, f"{name}: boot", "; ".join(problems) or f"{secs:.0f} s")
    if problems:
        print_tail(cfg, text)


def check_outcome(res, cfg, status, text, secs):
    """A row of negative_checks(): the exit status and the output it names, nothing else."""
    plain = "\n".join(strip_prefix(line) for line in text.splitlines())
    want = cfg["status"]
    problems = []
    if status is None and want != "halts":
        problems.append(f"timed out after {cfg['timeout']} s")
    elif want == "failed" and status != TEST_FAILED[cfg["arch"]]:
        problems.append(f"QEMU exit status {status}, expected {TEST_FAILED[cfg['arch']]} "
                        f"(a failed run)")
    elif want == "non-zero" and status == 0:
        problems.append("QEMU exited 0 although the run had to fail")
    elif want == "halts" and status is not None:
        problems.append(f"QEMU exited with {status}, but the kernel had to stop and wait")
    elif isinstance(want, int) and status != want:
        problems.append(f"QEMU exit status {status}, expected {want}")
    missing = [r for r in cfg["output"] if not re.search(r, plain, re.M)]
    if missing:
        problems.append("missing output: " + ", ".join(missing))
    present = [r for r in cfg["absent"] if re.search(r, plain, re.M)]
    if present:
        problems.append("unwanted output: " + ", ".join(present))
    for check in cfg.get("checks", []):
        err = check(plain)
        if err:
            problems.append(err)
    res.record(not problems, cfg["name"], "; ".join(problems) or f"{secs:.0f} s")
    if problems:
        print_tail(cfg, text)


def file_name(name):
    """A name as a file name (logs, ISOs): runs of anything but [A-Za-z0-9_.-] become '-'."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


# `make run` with values the firmware, the loader or QEMU cannot boot: make must stop before
# QEMU starts, with a non-zero status and a message that names the value and what is allowed.
# (make arguments, a regex the message must match)
MAKE_RUN_REJECTS = [
    ("ARCH=x86_64 MEM=1M", r"MEM=1M is too small for x86_64 pc: at least 5M"),
    ("ARCH=x86_64 MEM=2M MACHINE=q35", r"MEM=2M is too small for x86_64 q35: at least 5M"),
    ("ARCH=x86_64 MEM=lots", r"MEM=lots is not a size"),
    ("ARCH=x86_64 MEM=0", r"MEM=0 is too small"),
    ("ARCH=x86_64 SMP=0", r"SMP=0 .*1 to 255"),
    ("ARCH=x86_64 SMP=256", r"SMP=256 .*1 to 255"),
    ("ARCH=x86_64 SMP=two", r"SMP=two .*1 to 255"),
    ("ARCH=x86_64 MACHINE=virt", r"MACHINE=virt .*pc or q35"),
    ("ARCH=x86_64 MACHINE=q35 MEM=48M QEMU_EXTRA='-bios /usr/share/ovmf/OVMF.fd'",
     r"MEM=48M is too small for x86_64 q35 with UEFI firmware: at least 128M"),
    ("ARCH=riscv64 MEM=5M", r"MEM=5M is too small for riscv64 virt: at least 6M"),
    ("ARCH=riscv64 MACHINE=sifive_u MEM=4M", r"MEM=4M is too small for riscv64 sifive_u: at least 5M"),
    ("ARCH=riscv64 SMP=0", r"SMP=0 .*1 to 512"),
    ("ARCH=riscv64 MACHINE=sifive_u SMP=6", r"SMP=6 .*2 to 5"),
    ("ARCH=riscv64 MACHINE=pc", r"MACHINE=pc .*virt or sifive_u"),
    ("ARCH=riscv64 BOOT=uboot MEM=128M", r"MEM=128M is too small for riscv64 virt with U-Boot: at least 194M"),
    ("ARCH=riscv64 BOOT=bootscr MEM=128M", r"MEM=128M is too small for riscv64 virt with U-Boot: at least 194M"),
    ("ARCH=riscv64 BOOT=bootscr MACHINE=sifive_u SMP=2", r"BOOT=bootscr needs MACHINE=virt"),
    ("ARCH=x86_64 VIRTIO=usb", r"VIRTIO=usb is not a virtio transport: use pci, pci-legacy, "
                               r"mmio, mmio-legacy or none"),
    ("ARCH=x86_64 VIRTIO=mmio", r"VIRTIO=mmio needs riscv64 virt: x86_64 pc has no virtio-mmio"),
    ("ARCH=riscv64 MACHINE=sifive_u VIRTIO=pci", r"VIRTIO=pci needs MACHINE=virt"),
    ("ARCH=x86_64 BALLOON=yes", r"BALLOON=yes: use on or off"),
    ("ARCH=riscv64 BALLOON=1", r"BALLOON=1: use on or off"),
]


def check_make_run_rejects(res, want):
    for args, want_msg in MAKE_RUN_REJECTS:
        name = f"make run {args}: refused before QEMU starts"
        if not want(name):
            continue
        t0 = time.time()
        status, text = run(["make", "run"] + shlex.split(args), 30)
        problems = []
        if status is None:
            problems.append("timed out after 30 s")
        elif status == 0:
            problems.append("make exited 0")
        # Anything but make's and the script's own lines comes from QEMU or the guest.
        others = [l for l in text.splitlines() if not re.match(r"(qemu-\w+\.sh|make)\b", l)]
        if re.search(r"SeaBIOS|OpenSBI|U-Boot|GNU GRUB|BdsDxe|\*Tessera|Tessera \d|qemu-system",
                     "\n".join(others)):
            problems.append("QEMU started")
        if not re.search(want_msg, text):
            problems.append(f"no message matching '{want_msg}'")
        res.record(not problems, name, "; ".join(problems) or f"{time.time() - t0:.0f} s")
        if problems:
            print("    --- output ---\n" + "\n".join("    " + l for l in text.splitlines()[-8:]))


# ktest= and bench= naming something that does not exist: nothing runs, the boot fails
# (QEMU exits non-zero), and the output names what was not found and lists what exists.
# (command line, regexes the output must match)
UNKNOWN_NAME_BOOTS = [
    ("bench=nosuch", [r"^# bench: no benchmark named 'nosuch'$",
                      r"^# bench: nothing run; the benchmarks are: .*\bpcp\b"]),
    ("bench=pcp,nosuch", [r"^# bench: no benchmark named 'nosuch'$",
                          r"^# bench: nothing run; the benchmarks are: .*\bpcp\b"]),
    ("ktest=nosuch", [r"^# ktest: no suite named 'nosuch'$",
                      r"^# ktest: nothing run; the suites are: .*\bkernel\b"]),
    ("ktest=kernel,nosuch", [r"^# ktest: no suite named 'nosuch'$",
                             r"^# ktest: nothing run; the suites are: .*\bkernel\b"]),
]


def lspci_device(ident, want, name="lspci"):
    """A check for a boot that ran `lspci -v`: the function whose first line names `ident`
    ("[1af4:1005]") is listed, and its indented lines match every regex of `want` (its
    BARs, with addresses: none <unassigned>)."""
    def check(text):
        lines = [strip_prefix(l) for l in text.splitlines()]
        for i, line in enumerate(lines):
            if not re.match(r"^[0-9a-f:]+\.\d .*" + re.escape(ident), line):
                continue
            block = []
            for more in lines[i + 1:]:
                if not more.startswith("\t"):
                    break
                block.append(more.strip())
            missing = [w for w in want if not any(re.search(w, b) for b in block)]
            if missing:
                return f"{name}: {ident} lacks " + ", ".join(missing)
            if any("<unassigned>" in b for b in block):
                return f"{name}: {ident} has an unassigned BAR"
            return None
        return f"{name}: no function {ident} listed"
    return check


def unusable_index_falls(zone, order):
    """A check for a boot that ran `extfrag unusable` twice (before and after `compact`): the
    zone's unusable free space index at `order` is lower the second time."""
    def check(text):
        lines = text.splitlines()
        values = []
        for i, line in enumerate(lines):
            if not line.endswith("tessera> extfrag unusable"):
                continue
            for more in lines[i + 1:]:
                m = re.match(r"^Node \d+, zone +" + zone + r" ((?:[01]\.\d{3} ){11})$", more)
                if m:
                    values.append(float(m.group(1).split()[order]))
                    break
        if len(values) != 2:
            return f"extfrag unusable: {len(values)} {zone} lines after the command, expected 2"
        if not values[1] < values[0]:
            return f"extfrag unusable: {zone} order {order} {values[0]:.3f} -> {values[1]:.3f}, " \
                   f"expected it to fall"
        return None
    return check


def pci_summary(text):
    """pci_init()'s one summary line, exactly once, with nothing left disabled."""
    found = re.findall(r"pci: (\d+) devices on (\d+) bus(?:es)? behind \d+ host bridges?, "
                       r"(\d+) left disabled", text)
    if len(found) != 1:
        return f"pci summary line printed {len(found)} times, expected once"
    if found[0][2] != "0":
        return f"pci: {found[0][2]} devices left disabled"
    return None


def virtio_ran(mode, pci_id=None, irq=False, rebind=False):
    """A check for a ktest=virtio boot: the entropy case completed its requests (it did not
    skip) on a device driven through the `mode` ("modern"/"legacy") interface, and, for
    virtio-pci, the function [pci_id] was registered in that mode. irq: the case that
    completes requests by the device's interrupt ran too (it skips where the device is
    polled); rebind: the case that unbinds and binds the device again, freeing and
    requesting its line, ran (virtio-mmio only)."""
    def check(text):
        plain = "\n".join(strip_prefix(l) for l in text.splitlines())
        if not re.search(r"^    ok \d+ virtio_rng_polled_requests\s*$", plain, re.M):
            return "ktest virtio did not complete requests on the device"
        if not re.search(r"# virtio_rng_polled_requests: \S+: " + mode + ",", plain):
            return f"ktest virtio did not drive the device as {mode}"
        if irq and not re.search(r"^    ok \d+ virtio_rng_irq_requests\s*$", plain, re.M):
            return "ktest virtio did not complete requests through the interrupt path"
        if rebind and not re.search(r"^    ok \d+ virtio_rng_rebind\s*$", plain, re.M):
            return "ktest virtio did not unbind and rebind the device with its interrupt"
        if pci_id and not re.search(r"^virtio-pci: \S+ \[" + pci_id + r"\]: " + mode, plain,
                                    re.M):
            return f"virtio-pci did not register [{pci_id}] as {mode}"
        return None
    return check


def virtio_pci_irq(mode):
    """A check for a ktest=virtio_pci boot: the device was bound with interrupts `mode`
    ("msix", "line", "poll"); with an interrupt, ktest virtio_pci completed its requests
    through it and across a CPU going offline (not skipped), and its `interrupts` row
    (APIC-MSI ... virtioN-req.0, or PLIC ... virtioN) counted them."""
    def check(text):
        plain = "\n".join(strip_prefix(l) for l in text.splitlines())
        if not re.search(r"^virtio: \S+: ktest-pci-irq bound, .*, interrupts: " + mode + "$",
                         plain, re.M):
            return f"the virtio-pci device was not bound with interrupts: {mode}"
        if mode == "poll":
            if not re.search(r"^    ok \d+ virtio_pci_irq_requests # SKIP polled", plain, re.M):
                return "ktest virtio_pci did not find the device polled"
            return None
        for case in ("virtio_pci_irq_requests", "virtio_pci_irq_follows_cpu"):
            if not re.search(r"^    ok \d+ " + case + r"\s*$", plain, re.M):
                return f"ktest virtio_pci: {case} did not pass"
        row = (r"^\s*\d+:((?:\s+\d+)+)\s+APIC-MSI\s+\d+\s+virtio\d+-req\.0$" if mode == "msix"
               else r"^\s*\d+:((?:\s+\d+)+)\s+PLIC\s+\d+\s+virtio\d+$")
        counts = [sum(int(c) for c in m.split()) for m in re.findall(row, plain, re.M)]
        if not counts or not all(counts):
            return f"`interrupts` showed no {mode} row of the device with a count: {counts}"
        # lspci -v of the bound function: the irq, and MSI-X enabled exactly when used.
        if not re.search(r"^\tFlags: bus master, .*, IRQ \d+$", plain, re.M):
            return "lspci -v of the bound function shows no IRQ"
        if not re.search(r"^\tCapabilities: \[[0-9a-f]+\] MSI-X: Enable" +
                         ("\\+" if mode == "msix" else "-"), plain, re.M):
            return f"lspci -v of the bound function: MSI-X not Enable{'+' if mode == 'msix' else '-'}"
        return None
    return check


def virtio_hotplug_ran(text):
    """ktest irq's busy virtio-rng case ran (not skipped): requests completed by interrupt
    while the CPU the device's interrupt targeted went offline and came back."""
    plain = "\n".join(strip_prefix(l) for l in text.splitlines())
    if not re.search(r"^    ok \d+ irq_busy_virtio_rng_through_hotplug\s*$", plain, re.M):
        return "ktest irq did not keep the virtio entropy device busy through hotplug"
    return None


def sv39_on(memtypes):
    """A check for a riscv64 boot: the MMU line says Sv39 with large pages, and the memory
    types it chose start with `memtypes`."""
    def check(text):
        plain = "\n".join(strip_prefix(l) for l in text.splitlines())
        if not re.search(r"^mmu: Sv39, satp 0x8[0-9a-f]{15}: RAM .* direct map with \d+ 1G / "
                         r"\d+ 2M / \d+ 4K pages", plain, re.M):
            return "no 'mmu: Sv39 ... direct map' line"
        if not re.search(r"^mmu: memory types: " + re.escape(memtypes), plain, re.M):
            return f"memory types are not {memtypes}"
        return None
    return check


def bootscr_ran(text):
    """A BOOT=bootscr boot: U-Boot ran boot.scr, which passed U-Boot's tree to booti, and
    the kernel saw U-Boot as its loader and the script's bootargs as its command line."""
    for want in (r"Found U-Boot script /boot\.scr",
                 r"Tessera: /Image from virtio 0:1 to 0x[0-9a-f]+",
                 r"Tessera: no device tree file on the card, fdtfile=.*: using the tree of U-Boot",
                 r"Boot loader: U-Boot", r"Command line: ktest=all"):
        if not re.search(want, text):
            return "missing: " + want
    return None


def configs(args):
    """The boot matrix. Names say arch-machine-smpN-memory[-how]. The first configurations of
    each arch run every suite; the others run the suites their difference matters to."""
    out = []

    def add(arch, machine, smp, mem, cmdline="ktest=all", timeout=420, tag="", **kw):
        name = f"{arch}-{machine}-smp{smp}-{mem}{tag}"
        out.append(dict(name=name, file=name, arch=arch, machine=machine, smp=smp, mem=mem,
                        cmdline=cmdline, timeout=timeout, **kw))
    add("x86_64", "q35", 4, "4G")
    add("riscv64", "virt", 4, "4G", checks=[sv39_on("PMA only")])
    add("x86_64", "pc", 1, "128M")
    add("riscv64", "virt", 1, "128M")
    # PCI with a virtio-rng on each machine: lspci -v lists it with every BAR at an address
    # (the firmware's on x86, the kernel's on riscv64), then ktest pci runs in the same boot.
    # q35 puts it behind a PCIe root port, where QEMU makes it modern-only (no I/O BAR).
    pci_run = 'shell.run="lspci -v;ktest pci;poweroff"'
    mem32 = r"^Memory at [0-9a-f]+ \(32-bit, non-prefetchable\).*\[size=4K\]$"
    mem64 = r"^Memory at [0-9a-f]+ \(64-bit, prefetchable\).*\[size=16K\]$"
    io32 = r"^I/O ports at [0-9a-f]+ .*\[size=32\]$"
    virtio_caps = [r"^Capabilities: \[[0-9a-f]+\] MSI-X: Enable. Count=\d+",
                   r"^Capabilities: \[[0-9a-f]+\] Vendor Specific Information: VirtIO: Notify"]
    add("x86_64", "pc", 2, "256M", cmdline=pci_run, tag="-pci", timeout=200,
        extra="-device virtio-rng-pci",
        checks=[pci_summary, lspci_device("[1af4:1005]", [io32, mem32, mem64] + virtio_caps)])
    add("x86_64", "q35", 2, "256M", cmdline=pci_run, tag="-pci-root-port", timeout=200,
        extra="-device pcie-root-port,id=rp0 -device virtio-rng-pci,bus=rp0",
        checks=[pci_summary,
                lspci_device("[1af4:1044]", [mem32, mem64] + virtio_caps),
                lspci_device("[1b36:000c]", [r"^Bus: primary=00, secondary=01",
                                             r"^Memory behind bridge: "])])
    add("riscv64", "virt", 2, "256M", cmdline=pci_run, tag="-pci", timeout=200,
        extra="-device virtio-rng-pci -device pcie-root-port,id=rp0 "
              "-device virtio-rng-pci,bus=rp0",
        checks=[pci_summary, lspci_device("[1af4:1005]", [io32, mem32, mem64] + virtio_caps),
                lspci_device("[1af4:1044]", [mem32, mem64] + virtio_caps),
                lspci_device("[1b36:000c]", [r"^Bus: primary=00, secondary=01",
                                             r"^Memory behind bridge: 4",
                                             r"^Prefetchable memory behind bridge: 4"])])
    if not args.quick:
        light = "ktest=kernel,mm,smp,workqueue smp_test.calls=100000"
        light_irq = "ktest=kernel,mm,smp,workqueue,irq smp_test.calls=100000"
        add("x86_64", "pc", 2, "512M", cmdline=light)
        add("x86_64", "pc", 4, "512M", cmdline=light)
        add("x86_64", "pc", 8, "512M", cmdline=light)
        # irq: MSI vectors on 8 CPUs, one of them taken offline.
        add("x86_64", "q35", 8, "512M", cmdline=light_irq)
        add("x86_64", "pc", 1, "64M", cmdline="ktest=kernel,mm")
        add("x86_64", "q35", 2, "3584M", cmdline="ktest=kernel,mm")
        add("x86_64", "q35", 1, "5G", cmdline="ktest=kernel,mm")
        add("x86_64", "q35", 2, "512M", cmdline="ktest=kernel,mm", tag="-uefi",
            extra="-bios /usr/share/ovmf/OVMF.fd")
        add("riscv64", "virt", 2, "1G", cmdline=light)
        add("riscv64", "virt", 8, "512M", cmdline=light)
        # irq: device interrupts through the PLIC's contexts of harts 1-4 (hart 0 is M-only).
        add("riscv64", "sifive_u", 5, "512M", cmdline=light_irq)
        add("riscv64", "virt", 2, "512M", cmdline="ktest=kernel,riscv", tag="-uboot-booti",
            env={"BOOT": "uboot"}, checks=[sv39_on("PMA only")])
        # The SD-card flow of docs/boards.md: U-Boot's distro boot finds boot.scr (make image's
        # script, CMDLINE as its bootargs) on a FAT partition of a virtio disk; the script
        # loads the Image and boots it with booti and U-Boot's own tree. Every suite runs.
        add("riscv64", "virt", 2, "256M", tag="-uboot-bootscr", env={"BOOT": "bootscr"},
            checks=[bootscr_ran])
        # Svpbmt on (QEMU's default rv64 has it off): device mappings carry PBMT=IO, and the
        # virtio-mmio device and PCI still work through them.
        add("riscv64", "virt", 2, "256M", cmdline="ktest=riscv,virtio,pci", tag="-svpbmt",
            timeout=200, extra="-cpu rv64,svpbmt=on", env={"VIRTIO": "mmio"},
            checks=[sv39_on("Svpbmt"), virtio_ran("modern", irq=True)])
        # A GRUB module2 of random bytes with its CRC-32: ktest `boot` checks that it is
        # reserved and intact after mm init and with all free memory overwritten.
        module_checked = (lambda text: None if "module(s) checked" in text
                          else "ktest boot.modules_intact checked no module")
        add("x86_64", "pc", 2, "512M", cmdline="ktest=boot,mm", tag="-module",
            env={"MODULES": "random:3M"}, checks=[module_checked])
        add("x86_64", "q35", 2, "512M", cmdline="ktest=boot", tag="-uefi-module",
            extra="-bios /usr/share/ovmf/OVMF.fd", env={"MODULES": "random:3M random:100K"},
            checks=[module_checked])
        # A generated device tree: 300 /reserved-memory children and one of each binding
        # (no-map, reusable, size-only placed, size-only too big). ktest boot checks that
        # every reserved page of RAM is PG_reserved; the log must show the placements.
        def dtb_checked(text):
            m = re.search(r"reservations_held: (\d+) boot reservations", text)
            if not m or int(m.group(1)) < 300:
                return "reservations_held did not see the 300 generated reservations"
            for want in (r"reserved-memory/test-cma: placed at \S+ reusable",
                         r"reserved-memory/test-dsp: placed at \S+ no-map",
                         r"reserved-memory/test-too-big: no room for 0x4000000 bytes",
                         r"bytes no-map", r"bytes reusable"):
                if not re.search(want, text):
                    return "missing: " + want
            return None
        add("riscv64", "virt", 2, "512M", cmdline="ktest=boot,mm", tag="-dtb-reserved",
            env={"DTB_EDIT": "--reserved 300 --bindings"}, checks=[dtb_checked])
        # virtio-mmio with a real entropy device, version 1 (QEMU's default) and 2: ktest
        # virtio must complete its requests through the core, the ring and the transport.
        # The device comes from the scripts' VIRTIO=, the line `make run` uses.
        # Both complete requests through the slot's interrupt (the PLIC) too; the v2 boot
        # has a third CPU so ktest irq keeps the device busy through CPU hotplug.
        add("riscv64", "virt", 2, "256M", cmdline="ktest=virtio", tag="-virtio-mmio-v1",
            env={"VIRTIO": "mmio-legacy"}, checks=[virtio_ran("legacy", irq=True, rebind=True)])
        add("riscv64", "virt", 3, "256M", cmdline="ktest=virtio,irq", tag="-virtio-mmio-v2",
            env={"VIRTIO": "mmio"}, checks=[virtio_ran("modern", irq=True, rebind=True), virtio_hotplug_ran])
        # virtio-pci: the transitional device on pc (modern by default, legacy when QEMU
        # hides the capabilities or the command line asks), modern-only behind a q35 root
        # port, and on riscv64 virt (where the legacy I/O BAR is memory-mapped). ktest pci
        # runs beside it, with the function bound to virtio-pci. Interrupts: MSI-X on x86,
        # INTx through the interrupt-map and the PLIC on riscv64 (ktest virtio_pci).
        for arch, machine, how, cmdline, want, irq in (
                ("x86_64", "pc", "pci", "", ("modern", "1af4:1005"), "msix"),
                ("x86_64", "pc", "pci-legacy", "", ("legacy", "1af4:1005"), "msix"),
                ("x86_64", "pc", "pci", " virtio_pci.force_legacy=1", ("legacy", "1af4:1005"),
                 "msix"),
                ("x86_64", "q35", "pci", "", ("modern", "1af4:1044"), "msix"),
                ("riscv64", "virt", "pci", "", ("modern", "1af4:1005"), "line"),
                ("riscv64", "virt", "pci-legacy", "", ("legacy", "1af4:1005"), "line")):
            tag = f"-virtio-{how}" + ("-forced" if cmdline else "")
            add(arch, machine, 2, "256M", cmdline="ktest=virtio,virtio_pci,pci" + cmdline,
                tag=tag, timeout=200, env={"VIRTIO": how},
                checks=[virtio_ran(*want, irq=True), virtio_pci_irq(irq)])
        # A second notify capability, in an I/O BAR and listed before the memory one
        # (modern-pio-notify): x86 must skip it for the next; a page per queue makes the
        # notify multiplier 4096.
        add("x86_64", "pc", 2, "256M", cmdline="ktest=virtio,virtio_pci",
            tag="-virtio-pci-pio-notify", timeout=200,
            extra="-device virtio-rng-pci,modern-pio-notify=on,page-per-vq=on",
            checks=[virtio_ran("modern", "1af4:1005", irq=True), virtio_pci_irq("msix")])
        # Compaction (ktest compact, also in every ktest=all boot, where pcp=owner) in the
        # other two PCP modes: no ownership (trylock) and no per-CPU pages (off).
        add("x86_64", "pc", 2, "256M", cmdline="ktest=compact pcp=trylock",
            tag="-compact-trylock", timeout=200)
        add("riscv64", "virt", 2, "256M", cmdline="ktest=compact pcp=off",
            tag="-compact-pcp-off", timeout=200)
        # The entropy device kept busy through CPU hotplug on MSI-X as well (ktest irq).
        add("x86_64", "pc", 3, "256M", cmdline="ktest=irq", tag="-virtio-pci-hotplug",
            timeout=200, env={"VIRTIO": "pci"}, checks=[virtio_hotplug_ran])
        # No MSI-X (vectors=0) on x86, which drives no IOAPIC for INTx: the core polls, and
        # requests still complete.
        add("x86_64", "pc", 2, "256M", cmdline="ktest=virtio,virtio_pci",
            tag="-virtio-pci-no-msix", timeout=200, extra="-device virtio-rng-pci,vectors=0",
            checks=[virtio_ran("modern", "1af4:1005"), virtio_pci_irq("poll")])
    return out


def negative_checks():
    """Boots that must end in a stated way: one add() per check, read as "on ARCH, booting
    with CMDLINE must end with STATUS and print OUTPUT", named "ARCH: WHAT".

    status: "failed" (the status of a failed run on that arch, TEST_FAILED), "non-zero",
    "halts" (the kernel stops and QEMU must be ended at the timeout: a panic before any
    test runs), or an exact number (0 for a run that must pass or power off cleanly).
    output: regexes that must each match somewhere in the console output, one line at a time
    (re.M), with the printk timestamp prefixes removed. absent: regexes that must not.
    machine, smp, mem, timeout, extra (QEMU arguments), env: as in configs().
    checks: functions of the output (prefixes removed) that return a problem or None."""
    out = []

    def add(arch, what, cmdline, status, output, absent=(), machine=None, smp=1, mem="128M",
            timeout=200, **kw):
        name = f"{arch}: {what}"
        out.append(dict(name=name, file=file_name(name), arch=arch,
                        machine=machine or DEFAULT_MACHINE[arch], smp=smp, mem=mem,
                        cmdline=cmdline, status=status, output=list(output),
                        absent=list(absent), timeout=timeout, **kw))

    # ktest_fail makes one kernel case fail on purpose: the run fails and names it.
    failing_case = [r"^    not ok \d+ fail_on_request$",
                    r"EXPECTATION FAILED at kernel/tests/kernel_test\.c",
                    r"^# ktest: \d+ passed, 1 failed"]
    # ktest_fault makes a case touch an unmapped address: the dump names the fault, the
    # address and the registers, then a backtrace, and the handler fails the run.
    add("x86_64", "a failing case fails the run, by name", "ktest=kernel ktest_fail",
        "failed", failing_case)
    add("x86_64", "a deliberate fault prints the exception dump", "ktest=kernel ktest_fault",
        "failed", [r"#PF page fault", r"CR2: 00000dead0000000", r"RIP", r"Call Trace",
                   r"---\[ end of exception"])
    add("riscv64", "a failing case fails the run, by name", "ktest=kernel ktest_fail",
        "failed", failing_case)
    add("riscv64", "a deliberate fault prints the exception dump", "ktest=kernel ktest_fault",
        "failed", [r"load page fault", r"mmu: 0000dead00000000 is not a Sv39 address", r"scause",
                   r"sepc", r"stval  : 0000dead00000000", r"Call trace",
                   r"---\[ end of exception"])
    # ktest_stack_guard[=CPU] runs a CPU off the bottom of its stack: the store into the
    # unmapped guard page is reported on the CPU's overflow stack, naming whose guard it
    # hit, and the run ends failed (no nested fault, no hang). CPU 0: head.S's boot stack;
    # CPU 1: a stack from mm/percpu.c whose lowest page the tables leave out.
    for cpu, smp in ((0, 1), (1, 2)):
        add("riscv64", f"a stack overflow on CPU {cpu} hits its guard page",
            "ktest=riscv ktest_stack_guard" + (f"={cpu}" if cpu else ""), "failed",
            [r"^riscv: exception 15: store/AMO page fault, on CPU %d" % cpu,
             r"^mmu: [0-9a-f]{16} is in the guard page below CPU %d's stack: kernel stack "
             r"overflow$" % cpu, r"is not mapped \(no entry at the 4K level\)",
             r"^mmu: this report runs on CPU %d's overflow stack$" % cpu,
             r"Call trace", r"---\[ end of exception 15"],
            absent=[r"nested exception", r"# stack_guard_on_request: .*not reached"], smp=smp)
    # A BAR no host window can hold (pci-testdev's 32 GiB BAR; virt's largest window is 16
    # GiB): its device is named and left disabled, the one beside it still gets its BARs,
    # where the disabled one's would have gone.
    add("riscv64", "a PCI BAR that fits no window leaves its device disabled",
        'shell.run="lspci -v;poweroff"', 0,
        [r"^pci: 0000:00:0\d\.0 \[1b36:0005\]: BAR 2 \(prefetchable memory, 64-bit, size "
         r"32G\) fits no host window: device left disabled$",
         r"^pci: \d+ devices on 1 bus behind 1 host bridge, 1 left disabled$",
         r"^\tMemory at <unassigned> \(64-bit, prefetchable\) \[disabled\] \[size=32G\]$",
         r"^\tLeft disabled by the kernel",
         # The disabled device keeps no addresses: the rng's I/O BAR gets the first ports
         # (decoding on: virtio-pci is bound to it and uses them).
         r"^\tI/O ports at 1000 \[size=32\]$",
         r"^\tMemory at 4[0-9a-f]{8} \(64-bit, prefetchable\) \[size=16K\]$",
         r"^\tKernel driver in use: virtio-pci$"],
        absent=[r"Kernel panic", r"^WARNING"],
        extra="-device pci-testdev,membar=32G -device virtio-rng-pci")
    # Bad board trees (QEMU's own tree, edited by tests/qemu/fdt_edit.py and passed with
    # -dtb): the kernel names what is wrong and boots where it can, or panics saying why.
    bad_tree = r"Kernel panic|^WARNING"
    add("riscv64", "stdout-path with an alias and a baud: the divisor is programmed",
        'shell.run="poweroff"', 0,
        [r"^console: ns16550a at 0x10000000 .* replaces the SBI console$",
         r"^console: 115200 baud \(stdout-path\), clock-frequency 3686400 Hz: divisor "
         r"programmed from clock-frequency$", r"^tessera> poweroff$"],
        absent=[bad_tree],
        env={"DTB_EDIT": "--stdout serial0:115200n8 --alias serial0=/soc/serial@10000000"})
    # The same tree from the SD card, as a board keeps it: boot.scr loads dtbs/<fdtfile>.
    add("riscv64", "boot.scr loads the board tree from the card and boots with it",
        'shell.run="poweroff"', 0,
        [r"^Found U-Boot script /boot\.scr", r"^Tessera: device tree tessera-edited\.dtb at ",
         r"^Boot loader: U-Boot$",
         r"^console: 115200 baud \(stdout-path\), clock-frequency 3686400 Hz: divisor "
         r"programmed from clock-frequency$", r"^tessera> poweroff$"],
        absent=[bad_tree], mem="256M",
        env={"BOOT": "bootscr",
             "DTB_EDIT": "--stdout serial0:115200n8 --alias serial0=/soc/serial@10000000"})
    add("riscv64", "stdout-path naming a missing node: console falls back, says so",
        'shell.run="poweroff"', 0,
        [r"^FDT: stdout-path /soc/serial@20000000 names no node$",
         r"^FDT: console falls back to the first usable UART: serial@10000000 \(ns16550a\)$",
         r"^console: ns16550a at 0x10000000", r"^tessera> poweroff$"],
        absent=[bad_tree], env={"DTB_EDIT": "--stdout /soc/serial@20000000:115200"})
    # reg-shift 7 and a tree with no UART we drive are host tests only (test_fdt_trees.c):
    # OpenSBI 1.1 takes the same UART from the tree, and with reg-shift 7 it polls a status
    # register outside the device and prints nothing for 200 s, so no boot gets that far.
    add("riscv64", "timebase-frequency 0 is ignored, the default said",
        "ktest=riscv", 0,
        [r"^FDT: timebase-frequency is 0: ignored$",
         r"^riscv: no usable /cpus/timebase-frequency in the device tree: assuming 10000000 Hz$",
         r"^# ktest: \d+ passed, 0 failed"],
        absent=[r"Kernel panic"], env={"DTB_EDIT": "--timebase 0"})
    add("riscv64", "a hart with status fail is named and left out",
        'shell.run="poweroff"', 0,
        [r'^FDT: hart 1 has status "fail": the firmware found it faulty: not used$',
         r"^smp: Brought up 1 CPUs$", r"^tessera> poweroff$"],
        absent=[bad_tree], smp=2, env={"DTB_EDIT": "--hart-status 1=fail"})
    add("riscv64", "no memory node: a panic that says the firmware must add it",
        'shell.run="poweroff"', "halts",
        [r"^FDT: no memory node \(device_type \"memory\"\) in the device tree$",
         r"^Kernel panic on CPU 0: riscv: the device tree at 0x[0-9a-f]+ has no usable "
         r"memory node: the firmware or loader must describe RAM"],
        timeout=10, env={"DTB_EDIT": "--no-memory"})
    # `rng N`: the bytes as hexdump -C prints them, completed by the virtio-mmio slot's
    # interrupt (counted under the device's name in `interrupts`); bad counts named; and
    # with no entropy device, a clear message.
    add("riscv64", "rng prints random bytes, by the device's interrupt",
        'shell.run="rng 20;rng 0;rng 4 sideways;interrupts;poweroff"', 0,
        [r"^00000000  ([0-9a-f]{2} ){8} ([0-9a-f]{2} ){8} \|.{16}\|$",
         r"^00000010  ([0-9a-f]{2} ){4}\s+\|.{4}\|$",
         r"^rng: '0' is not a byte count from 1 to 4096$",
         r"^rng: 'sideways' is not a way to wait: use irq or poll$",
         r"^\s*\d+:\s+(\d+\s+)*[1-9]\d*\s+(\d+\s+)*PLIC\s+\d+\s+virtio0$"],
        absent=[r"Kernel panic", r"^WARNING", r"no answer"], env={"VIRTIO": "mmio-legacy"})
    # A device that stops answering (QEMU's rate limit: 64 bytes a minute): the request
    # after the first 64 bytes times out with a message, and the next is refused while the
    # device still holds it; the shell goes on.
    add("riscv64", "rng from a device that stops answering times out",
        'shell.run="rng 64;rng 8;rng 8;poweroff"', 0,
        [r"^00000030  ", r"virtio-rng: virtio0: no answer to a 8-byte request in 2000 ms",
         r"^rng: the device did not answer in 2000 ms$",
         r"^rng: the device still holds a request that timed out$"],
        absent=[r"Kernel panic", r"^WARNING"],
        extra="-device virtio-rng-device,max-bytes=64,period=60000")
    # `compact` migrates the shell's movable pages (`alloc 0 N movable`: pattern-filled, the
    # pattern checked by `free`), names a zone that does not exist, and leaves mmcheck clean.
    add("x86_64", "compact moves the shell's movable pages",
        'shell.run="alloc 0 8 movable;alloc 0 2;compact;compact Bogus;alloc list;free all;'
        'mmcheck;poweroff"', 0,
        [r"^handle 8: pfn \S+ order 0 \(4 KiB\) zone DMA32, pageblock Movable, movable$",
         r"^compact: zone DMA32: scanned \d+ migrate, \d+ free; isolated \d+, migrated "
         r"[1-9]\d*, failed 0; free order-9 blocks \d+ -> \d+$",
         r"^compact: no populated zone named 'Bogus' \(the names buddyinfo prints: DMA DMA32\)$",
         r"^free: 10 blocks freed \(10 pages\)$", r"^mmcheck: 0 problems"],
        absent=[r"Kernel panic", r"^WARNING", r"pattern damaged", r"Bad page"],
        smp=2, mem="256M")  # at 128M the pages land in the zone's top block: nothing moves
    # `extfrag` prints the unusable free space index and the fragmentation index per zone and
    # order in debugfs's formats, each under a heading when bare; a bad argument is named.
    # 100 movable pages in one pageblock keep it from being free: after compact moves them
    # to the zone's top blocks, order 9's unusable index must fall.
    add("x86_64", "extfrag prints both indices; compact lowers order 9's unusable index",
        'shell.run="extfrag;extfrag sideways;alloc 0 100 movable;mmcheck;extfrag unusable;'
        'compact DMA32;extfrag unusable;extfrag index;free all;mmcheck;poweroff"', 0,
        [r"^unusable free space index \(extfrag/unusable_index\):$",
         r"^fragmentation index \(extfrag/extfrag_index\):$",
         r"^Node 0, zone      DMA ([01]\.\d{3} ){11}$",
         r"^Node 0, zone    DMA32 ([01]\.\d{3} ){11}$",
         r"^Node 0, zone      DMA ((-1\.000| [01]\.\d{3}|-0\.\d{3}) ){11}$",
         r"^Node 0, zone    DMA32 ((-1\.000| [01]\.\d{3}|-0\.\d{3}) ){11}$",
         r"^extfrag: 'sideways' is not an index: use unusable \(the unusable free space "
         r"index\) or index \(the fragmentation index\), or nothing for both$",
         r"^compact: zone DMA32: .* migrated [1-9]\d*, failed 0; free order-9 blocks",
         r"^free: 100 blocks freed \(100 pages\)$", r"^mmcheck: 0 problems"],
        absent=[r"Kernel panic", r"^WARNING", r"pattern damaged", r"Bad page"],
        checks=[unusable_index_falls("DMA32", 9)], smp=2, mem="256M")
    # `compact status` and `compact proactiveness`: the state shown, a setting taken and
    # read back, bad settings refused with a message and nothing changed.
    add("riscv64", "compact status and proactiveness",
        'shell.run="compact status;compact proactiveness 101;compact proactiveness -3;'
        'compact proactiveness 55;compact proactiveness;compact status;'
        'compact proactiveness 0;compact status;compact status now;poweroff"', 0,
        [r"^compact: proactiveness 20: a zone scoring above 90 is compacted down to 80$",
         r"^compact: zone DMA32: score \d+, (idle|running); next runs start at migrate 0x"
         r"[0-9a-f]+ \(async\) 0x[0-9a-f]+ \(sync\), free 0x[0-9a-f]+; \d+ of \d+ "
         r"pageblocks skipped(| \(cleared at the next run\)); direct runs not deferred$",
         r"^compact: proactiveness '101': want a number from 0 \(off\) to 100$",
         r"^compact: proactiveness '-3': want a number from 0 \(off\) to 100$",
         r"^vm.compaction_proactiveness = 55$",
         r"^compact: proactiveness 55: a zone scoring above 55 is compacted down to 45$",
         r"^compact: proactiveness 0: no proactive compaction$",
         r"^usage: compact \[ZONE \| status \| proactiveness \[0..100\]\]$"],
        absent=[r"Kernel panic", r"^WARNING", r"vm.compaction_proactiveness = 101"],
        smp=2, mem="256M")
    add("x86_64", "rng without an entropy device says so", 'shell.run="rng 8;poweroff"', 0,
        [r"^virtio-rng: no entropy device$", r"^rng: no virtio entropy device"])
    # NUMA discovery: QEMU's -numa options become an SRAT/SLIT (x86_64) or numa-node-id and
    # a distance-map (riscv64); the boot prints a line per node and the distance table, and
    # `numa` prints them as numactl --hardware does, its free figures adding up to MemFree.
    # The third has a memoryless node (CPUs, no memory); the last no -numa at all.
    def numa_qemu(nodes, dist):
        """-numa arguments: nodes is [(cpus, MiB or 0 for none)], dist the 0-1 distance."""
        args = []
        for nid, (cpus, mib) in enumerate(nodes):
            if mib:
                args.append(f"-object memory-backend-ram,id=m{nid},size={mib}M")
            args.append(f"-numa node,nodeid={nid},cpus={cpus}" + (f",memdev=m{nid}" if mib else ""))
        if dist:
            args.append(f"-numa dist,src=0,dst=1,val={dist}")
        return " ".join(args)

    def numa_free_adds_up(text):
        free = [int(m) for m in re.findall(r"^node \d+ free: (\d+) MiB$", text, re.M)]
        m = re.search(r"^MemFree: +(\d+) kB$", text, re.M)
        if not free or not m:
            return "no `numa` free lines or no MemFree"
        # Each node's figure is rounded down to a MiB.
        if not 0 <= int(m.group(1)) // 1024 - sum(free) <= len(free):
            return f"node free figures {free} do not add up to MemFree {m.group(1)} kB"
        return None

    def numa_cpus_by_hart(nodes):
        """riscv64: OpenSBI may start any hart first, and the boot hart is CPU 0, so a node's
        logical CPUs are found through `cpus` (CPU -> hart id); nodes is [hart ids]."""
        def check(text):
            hart = {int(m.group(1)): int(m.group(2))
                    for m in re.finditer(r"^\s*(\d+)\s+(\d+)\s+online", text, re.M)}
            for nid, harts in enumerate(nodes):
                want = sorted(c for c, h in hart.items() if h in harts)
                if len(want) != len(harts):
                    return f"`cpus` lists harts {sorted(hart.values())}, not all of {harts}"
                if not re.search(rf"^node {nid} cpus: {' '.join(map(str, want))}$", text, re.M):
                    return f"numa: node {nid} should have CPUs {want} (harts {harts})"
            return None
        return check

    # ktest numa checks the description is whole: RAM and CPUs each in exactly one node.
    numa_run = 'shell.run="ktest numa;numa;meminfo;poweroff"'
    numa_ktest = r"^# ktest: 3 passed, 0 failed"
    numa_table = [r"^node distances:$", r"^node   0   1$", numa_ktest]
    add("x86_64", "NUMA: two nodes from the SRAT and SLIT", numa_run, 0,
        [r"^numa: 2 nodes from the ACPI SRAT, distances: ACPI SLIT$",
         r"^numa: node 0: CPUs 0-1, memory \[mem 0x0+-0x0+7ffffff\] 127 MiB$",
         r"^numa: node 1: CPUs 2-3, memory \[mem 0x0+8000000-0x0+ffdffff\] 127 MiB$",
         r"^numa:     1:  20  10$",
         r"^available: 2 nodes \(0-1\)$", r"^node 0 cpus: 0 1$", r"^node 1 cpus: 2 3$",
         r"^node 0 size: 127 MiB$", r"^node 1 size: 127 MiB$", r"^node 1 free: \d+ MiB$"]
        + numa_table + [r"^  0:  10  20$", r"^  1:  20  10$"],
        absent=[r"Kernel panic", r"^WARNING", r"^numa: .*(claimed|no node|not used)"],
        smp=4, mem="256M", machine="pc", timeout=60,
        extra=numa_qemu([("0-1", 128), ("2-3", 128)], 20), checks=[numa_free_adds_up])
    add("riscv64", "NUMA: two nodes from numa-node-id and the distance-map",
        'shell.run="cpus;ktest numa;numa;meminfo;poweroff"', 0,
        [r"^numa: 2 nodes from the device tree, distances: distance-map$",
         r"^numa: node 0: CPUs [0-3,-]+, memory \[mem 0x0+80000000-0x0+87ffffff\] 128 MiB$",
         r"^numa: node 1: CPUs [0-3,-]+, memory \[mem 0x0+88000000-0x0+8fffffff\] 128 MiB$",
         r"^available: 2 nodes \(0-1\)$", r"^node 0 size: 128 MiB$", r"^node 1 size: 128 MiB$"]
        + numa_table + [r"^  0:  10  30$", r"^  1:  30  10$"],
        absent=[r"Kernel panic", r"^WARNING", r"^numa: .*(claimed|no node|not used)"],
        smp=4, mem="256M", timeout=60,
        extra=numa_qemu([("0-1", 128), ("2-3", 128)], 30),
        checks=[numa_free_adds_up, numa_cpus_by_hart([[0, 1], [2, 3]])])
    add("x86_64", "NUMA: a memoryless node with CPUs", numa_run, 0,
        [r"^numa: 2 nodes from the ACPI SRAT, distances: ACPI SLIT$",
         r"^numa: node 0: CPUs 0, memory \[mem 0x0+-0x0+ffdefff\] 255 MiB$",
         r"^numa: node 1: CPUs 1-2, no memory \(memoryless node\)$",
         r"^available: 2 nodes \(0-1\)$", r"^node 1 cpus: 1 2$", r"^node 1 size: 0 MiB$",
         r"^node 1 free: 0 MiB$"] + numa_table + [r"^  1:  21  10$"],
        absent=[r"Kernel panic", r"^WARNING"],
        smp=3, mem="256M", machine="q35", timeout=60,
        extra=numa_qemu([("0", 256), ("1-2", 0)], 21), checks=[numa_free_adds_up])
    add("riscv64", "NUMA: no description, one node", 'shell.run="ktest numa;numa;poweroff"', 0,
        [r"^numa: no NUMA description: one node$", r"^available: 1 nodes \(0\)$", numa_ktest,
         r"^node 0 cpus: 0 1$", r"^node 0 size: 128 MiB$"],
        absent=[r"Kernel panic", r"^WARNING"], smp=2, mem="128M", timeout=60)
    # ktest= and bench= naming nothing that exists: the run fails and says what there is.
    for arch in ("x86_64", "riscv64"):
        for cmdline, must_see in UNKNOWN_NAME_BOOTS:
            add(arch, f"{cmdline} fails, naming what is not there", cmdline, "non-zero",
                must_see, timeout=300)
    return out


def run_boots(res, boots, jobs, tmp):
    """Boot every (check, cfg) of `boots`, `jobs` at a time, and hand each result to its check
    in list order: the verdict lines come out in the same order whatever the parallelism, each
    as soon as its boot and all the boots before it are done. Each boot keeps its own
    timeout, counted from its own start."""
    if not boots:
        return
    t0 = time.time()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(boot, cfg, tmp) for _, cfg in boots]
        for (check, cfg), fut in zip(boots, futures):
            check(res, cfg, *fut.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        kill_all()
        raise
    pool.shutdown()
    print(f"# {len(boots)} boots in {time.time() - t0:.0f} s, {jobs} at a time", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="the smallest boot matrix")
    ap.add_argument("--stress", action="store_true", help="the long stress suites (not CI)")
    ap.add_argument("--only", default=None, metavar="REGEX",
                    help="only stages/configs matching this regex")
    ap.add_argument("--no-build", action="store_true", help="use the existing build/")
    ap.add_argument("--jobs", type=int, default=DEFAULT_JOBS, metavar="N",
                    help=f"QEMU boots of the matrix and the negative checks to run at once "
                         f"(default {DEFAULT_JOBS}; more only with cores to spare)")
    args = ap.parse_args()
    if args.jobs < 1:
        ap.error(f"--jobs must be at least 1, not {args.jobs}")
    if args.stress:     # `make stress`: the long hotplug runs, not part of CI
        return subprocess.call([sys.executable, os.path.join(ROOT, "tests", "stress.py")])
    res = Results()
    want = (lambda name: re.search(args.only, name)) if args.only else (lambda name: True)
    t_start = time.time()

    # 1. builds, from clean
    if not args.no_build:
        run(["make", "clean"], 120)
        for arch in ARCHES:
            status, text = run(["make", f"ARCH={arch}", "all"], 900,
                               log=os.path.join(LOGDIR, f"build-{arch}.log"))
            if not res.record(status == 0, f"build ARCH={arch} (-Werror, from clean)"):
                print("\n".join(text.splitlines()[-30:]))
    built = {a: os.path.exists(os.path.join(ROOT, "build", a, "kernel.elf")) for a in ARCHES}

    # 2. host tests
    if want("host") and os.path.exists(os.path.join(ROOT, "tests/host/Makefile")):
        run_tap_suite(res, ["make", "-s", "-C", "tests/host", "test"], "host", "host.log")
        if os.path.exists(os.path.join(ROOT, "tests/host/smp/Makefile")):
            run_tap_suite(res, ["make", "-s", "-C", "tests/host/smp", "test"], "host smp",
                          "host-smp.log")
        status, text = run(["make", "-s", "-C", "tests/host", "fuzz-short"], 600,
                           log=os.path.join(LOGDIR, "fuzz.log"))
        res.record(status == 0, "host: libFuzzer short round", "see build/test-logs/fuzz.log")
        if status != 0:
            print("\n".join(text.splitlines()[-20:]))
        # The host benchmark harness compiles the same mm/ sources; build it so it cannot rot
        # unseen (its figures belong to make bench, not here).
        status, text = run(["make", "-s", "-C", "tests/bench/host"], 300,
                           log=os.path.join(LOGDIR, "bench-host.log"))
        if not res.record(status == 0, "host: the benchmark harness (tests/bench/host) builds"):
            print("\n".join(text.splitlines()[-20:]))

    # The Linux module behind `make compare` must build against the Linux headers when
    # `make compare-deps` fetched them (build/compare/root survives make clean); no boot here.
    if want("compare"):
        abi_file = os.path.join(ROOT, "build", "compare", "root", "ABI")
        if os.path.exists(abi_file):
            abi = open(abi_file).read().strip()
            status, text = run(["tests/compare/build.sh", "module"], 300,
                               log=os.path.join(LOGDIR, "compare-module.log"))
            if not res.record(status == 0, f"compare: pagebench.ko builds against Linux {abi}"):
                print("\n".join(text.splitlines()[-20:]))
        else:
            res.skip("compare: pagebench.ko builds", "no Linux headers: run make compare-deps")

    # 3. the boot matrix, 4. negative checks: QEMU boots, args.jobs at a time
    boots = [(check_ktest_boot, cfg) for cfg in configs(args)]
    boots += [(check_outcome, cfg) for cfg in negative_checks()]
    boots = [(check, cfg) for check, cfg in boots if built[cfg["arch"]] and want(cfg["name"])]
    with tempfile.TemporaryDirectory(prefix="tessera-test-") as tmp:
        run_boots(res, boots, args.jobs, tmp)

    # make run refuses MEM, SMP and MACHINE values that cannot boot, before QEMU starts
    check_make_run_rejects(res, want)

    # 5. the serial shell, typed into as a person would (tests/qemu/shell_test.py)
    if want("shell") and any(built.values()):
        run_tap_suite(res, [sys.executable, "tests/qemu/shell_test.py"], "shell", "shell.log",
                      timeout=900)

    # 6. the virtio balloon, moved over QMP as a host moves it (tests/qemu/balloon_test.py)
    if want("balloon") and any(built.values()):
        run_tap_suite(res, [sys.executable, "tests/qemu/balloon_test.py"], "balloon",
                      "balloon.log", timeout=900)

    mins = (time.time() - t_start) / 60
    if res.failures:
        print("Failed:\n  " + "\n  ".join(res.failures))
    print(f"# total time {mins:.1f} min; logs in build/test-logs/")
    print(res.summary())
    return 1 if res.failed else 0


def interrupted(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    # SIGTERM (timeout(1), a CI runner) ends the run as Ctrl-C does: the QEMU process
    # groups, each in its own session, are killed on the way out instead of left running.
    signal.signal(signal.SIGTERM, interrupted)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        kill_all()
        sys.exit(130)
