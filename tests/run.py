#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The runner behind `make test`: every test Tessera has, one verdict line each.

Stages, in order (each prints `ok N - name` or `not ok N - name`):
  1. both architectures build from clean with -Werror;
  2. host tests (tests/host: mm/ and the boot parsers under ASan+UBSan, then a short fuzz);
  3. QEMU boots of a configuration matrix with `ktest=all`: every KTAP case is one test, and
     each boot is one more (it must finish, print no WARNING or panic, and exit with the
     status that matches its verdict);
  4. negative checks: a case made to fail must fail the run by name, and a deliberate fault
     must print the exception dump;
  5. the serial shell driven over the console as a person types (tests/qemu/shell_test.py).
Ends with `N passed, N failed`; exits 1 if anything failed.

Usage: tests/run.py [--quick] [--stress] [--only REGEX] [--jobs N]
"""
import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGDIR = os.path.join(ROOT, "build", "test-logs")
PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\[C\d+\] ")


class Results:
    def __init__(self):
        self.n = 0
        self.passed = 0
        self.failed = 0
        self.failures = []

    def record(self, ok, name, detail=""):
        self.n += 1
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(name)
        line = f"{'ok' if ok else 'not ok'} {self.n} - {name}"
        print(line + (f"  # {detail}" if detail else ""), flush=True)
        return ok


def run(cmd, timeout, log=None, env=None):
    """Run cmd in its own process group; kill the whole group on timeout.
    Returns (exit status or None on timeout, output text)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.Popen(cmd, cwd=ROOT, env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True, shell=isinstance(cmd, str))
    try:
        out, _ = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        status = None
    text = out.decode("utf-8", "replace")
    if log:
        os.makedirs(os.path.dirname(log), exist_ok=True)
        with open(log, "w") as f:
            f.write(text)
    return status, text


def strip_prefix(line):
    return PREFIX.sub("", line.rstrip("\r\n"))


def parse_ktap(text):
    """Return (cases, summary): cases is a list of (suite, case, verdict, diag lines) with
    verdict 'ok', 'fail' or 'skip'; summary is (passed, failed, skipped) or None."""
    cases, suite, diag, summary = [], None, [], None
    for raw in text.splitlines():
        line = strip_prefix(raw)
        m = re.match(r"^    # Subtest: (\S+)", line)
        if m:
            suite, diag = m.group(1), []
            continue
        m = re.match(r"^    (ok|not ok) \d+ (\S+)(.*)$", line)
        if m and suite:
            verdict = "fail" if m.group(1) == "not ok" else (
                "skip" if "# SKIP" in m.group(3) else "ok")
            cases.append((suite, m.group(2), verdict, diag))
            diag = []
            continue
        if line.startswith("    # "):
            diag.append(line.strip())
        m = re.match(r"^# ktest: (\d+) passed, (\d+) failed, (\d+) skipped", line)
        if m:
            summary = tuple(int(x) for x in m.groups())
    return cases, summary


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


def qemu_env(cfg, iso):
    env = {
        "KERNEL_DIR": f"build/{cfg['arch']}", "SMP": str(cfg["smp"]), "MEM": cfg["mem"],
        "MACHINE": cfg["machine"], "CMDLINE": cfg["cmdline"], "QEMU_EXTRA": cfg.get("extra", ""),
        "ISO": iso,
    }
    env.update(cfg.get("env", {}))
    return env


def boot(cfg, tmp):
    """Boot one configuration; returns (status, text, seconds)."""
    name = cfg["name"]
    iso = os.path.join(tmp, name + ".iso")
    t0 = time.time()
    status, text = run(["scripts/qemu-%s.sh" % cfg["arch"]], cfg.get("timeout", 300),
                       log=os.path.join(LOGDIR, name + ".log"), env=qemu_env(cfg, iso))
    return status, text, time.time() - t0


def check_ktest_boot(res, cfg, tmp):
    """A normal boot: every case is a test; the boot itself is one more."""
    name = cfg["name"]
    status, text, secs = boot(cfg, tmp)
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
        problems.append(f"timed out after {cfg.get('timeout', 300)} s")
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
        tail = "\n".join(text.splitlines()[-25:])
        print("    --- last lines of build/test-logs/%s.log ---\n%s" % (name, tail))


def check_expected_failure(res, cfg, tmp, must_see):
    """A boot that must fail: QEMU exits non-zero and the output names what failed."""
    status, text, secs = boot(cfg, tmp)
    plain = "\n".join(strip_prefix(l) for l in text.splitlines())
    missing = [s for s in must_see if not re.search(s, plain, re.M)]
    problems = []
    if status is None:
        problems.append("timed out")
    elif status == 0:
        problems.append("QEMU exited 0 although the run had to fail")
    if missing:
        problems.append("missing output: " + ", ".join(missing))
    res.record(not problems, f"{cfg['name']}", "; ".join(problems) or f"{secs:.0f} s")
    if problems:
        print("    --- last lines ---\n" + "\n".join(text.splitlines()[-25:]))


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


def configs(args):
    """The boot matrix. Names say arch-machine-smpN-memory[-how]. The first configurations of
    each arch run every suite; the others run the suites their difference matters to."""
    out = []

    def add(arch, machine, smp, mem, cmdline="ktest=all", timeout=420, tag="", **kw):
        out.append(dict(name=f"{arch}-{machine}-smp{smp}-{mem}{tag}", arch=arch,
                        machine=machine, smp=smp, mem=mem, cmdline=cmdline,
                        timeout=timeout, **kw))
    add("x86_64", "q35", 4, "4G")
    add("riscv64", "virt", 4, "4G")
    add("x86_64", "pc", 1, "128M")
    add("riscv64", "virt", 1, "128M")
    if not args.quick:
        light = "ktest=kernel,mm,smp smp_test.calls=100000"
        add("x86_64", "pc", 2, "512M", cmdline=light)
        add("x86_64", "pc", 4, "512M", cmdline=light)
        add("x86_64", "pc", 8, "512M", cmdline=light)
        add("x86_64", "q35", 8, "512M", cmdline=light)
        add("x86_64", "pc", 1, "64M", cmdline="ktest=kernel,mm")
        add("x86_64", "q35", 2, "3584M", cmdline="ktest=kernel,mm")
        add("x86_64", "q35", 1, "5G", cmdline="ktest=kernel,mm")
        add("x86_64", "q35", 2, "512M", cmdline="ktest=kernel,mm", tag="-uefi",
            extra="-bios /usr/share/ovmf/OVMF.fd")
        add("riscv64", "virt", 2, "1G", cmdline=light)
        add("riscv64", "virt", 8, "512M", cmdline=light)
        add("riscv64", "sifive_u", 5, "512M", cmdline=light)
        add("riscv64", "virt", 2, "512M", cmdline="ktest=kernel,riscv", tag="-uboot-booti",
            env={"BOOT": "uboot"})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="the smallest boot matrix")
    ap.add_argument("--stress", action="store_true", help="the long stress suites (not CI)")
    ap.add_argument("--only", default=None, help="only stages/configs matching this regex")
    ap.add_argument("--no-build", action="store_true", help="use the existing build/")
    args = ap.parse_args()
    if args.stress:     # `make stress`: the long hotplug runs, not part of CI
        return subprocess.call([sys.executable, os.path.join(ROOT, "tests", "stress.py")])
    res = Results()
    want = (lambda name: re.search(args.only, name)) if args.only else (lambda name: True)
    t_start = time.time()

    # 1. builds, from clean
    if not args.no_build:
        run(["make", "clean"], 120)
        for arch in ("x86_64", "riscv64"):
            status, text = run(["make", f"ARCH={arch}", "all"], 900,
                               log=os.path.join(LOGDIR, f"build-{arch}.log"))
            if not res.record(status == 0, f"build ARCH={arch} (-Werror, from clean)"):
                print("\n".join(text.splitlines()[-30:]))
    built = {a: os.path.exists(os.path.join(ROOT, "build", a, "kernel.elf"))
             for a in ("x86_64", "riscv64")}

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

    # 3. the boot matrix, 4. negative checks
    with tempfile.TemporaryDirectory(prefix="tessera-test-") as tmp:
        for cfg in configs(args):
            if not built[cfg["arch"]] or not want(cfg["name"]):
                continue
            check_ktest_boot(res, cfg, tmp)
        for arch, machine in (("x86_64", "pc"), ("riscv64", "virt")):
            if not built[arch]:
                continue
            cfg = dict(name=f"{arch}: a failing case fails the run, by name", arch=arch,
                       machine=machine, smp=1, mem="128M",
                       cmdline="ktest=kernel ktest_fail", timeout=200)
            if want(cfg["name"]):
                check_expected_failure(res, cfg, tmp,
                                       [r"^    not ok \d+ fail_on_request$",
                                        r"EXPECTATION FAILED at kernel/tests/kernel_test\.c",
                                        r"^# ktest: \d+ passed, 1 failed"])
            # The dump names the fault, the faulting address and the registers, then a
            # backtrace; the handler ends the ktest run with a failure status.
            dump = ([r"#PF page fault", r"CR2: 00000dead0000000", r"RIP", r"Call Trace"]
                    if arch == "x86_64" else
                    [r"load access fault", r"scause", r"sepc", r"stval  : 0000dead00000000",
                     r"Call trace"])
            cfg = dict(name=f"{arch}: a deliberate fault prints the exception dump", arch=arch,
                       machine=machine, smp=1, mem="128M",
                       cmdline="ktest=kernel ktest_fault", timeout=200)
            if want(cfg["name"]):
                check_expected_failure(res, cfg, tmp, dump + [r"---\[ end of exception"])
            for cmdline, must_see in UNKNOWN_NAME_BOOTS:
                cfg = dict(name=f"{arch}: {cmdline} fails, naming what is not there", arch=arch,
                           machine=machine, smp=1, mem="128M", cmdline=cmdline, timeout=300)
                if want(cfg["name"]):
                    check_expected_failure(res, cfg, tmp, must_see)

    # make run refuses MEM, SMP and MACHINE values that cannot boot, before QEMU starts
    check_make_run_rejects(res, want)

    # 5. the serial shell, typed into as a person would (tests/qemu/shell_test.py)
    if want("shell") and any(built.values()):
        run_tap_suite(res, [sys.executable, "tests/qemu/shell_test.py"], "shell", "shell.log",
                      timeout=900)

    mins = (time.time() - t_start) / 60
    if res.failures:
        print("Failed:\n  " + "\n  ".join(res.failures))
    print(f"# total time {mins:.1f} min; logs in build/test-logs/")
    print(f"{res.passed} passed, {res.failed} failed")
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
