# SPDX-License-Identifier: MIT
"""What the test drivers share (tests/run.py, tests/qemu/shell_test.py, tests/stress.py):
the verdict lines and their count, running a command in its own process group under a
timeout, the QEMU scripts' environment, and reading the kernel's console output (timestamp
prefixes, KTAP).
"""
import os
import re
import signal
import subprocess
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOGDIR = os.path.join(ROOT, "build", "test-logs")
ARCHES = ("x86_64", "riscv64")
# The machine each arch boots when a test does not ask for another.
DEFAULT_MACHINE = {"x86_64": "pc", "riscv64": "virt"}
# printk's prefix on every kernel line: "[    1.234567][C0] ".
PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\[C\d+\] ", re.M)


class Results:
    """Numbered TAP-style verdict lines, `ok N - name` or `not ok N - name  # detail`."""

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

    def skip(self, name, why):
        """A test that could not run here: numbered, counted neither passed nor failed."""
        self.n += 1
        print(f"ok {self.n} - {name} # SKIP {why}", flush=True)

    def summary(self):
        return f"{self.passed} passed, {self.failed} failed"


# Process groups started by run() and still running, so that an interrupted run can end them
# all (each has its own session: a Ctrl-C at the terminal does not reach it).
_live = set()
_live_lock = threading.Lock()


def run(cmd, timeout, log=None, env=None):
    """Run cmd in its own process group; kill the whole group on timeout.
    Returns (exit status or None on timeout, output text). Safe to call from several
    threads at once."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.Popen(cmd, cwd=ROOT, env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True, shell=isinstance(cmd, str))
    with _live_lock:
        _live.add(p.pid)
    try:
        out, _ = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        # TERM first, so that scripts/qemu-riscv64.sh removes its temporary disk and device
        # tree (its EXIT trap); KILL whatever is left after a grace period.
        os.killpg(p.pid, signal.SIGTERM)
        try:
            out, _ = p.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, _ = p.communicate()
        status = None
    except BaseException:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        raise
    finally:
        with _live_lock:
            _live.discard(p.pid)
    text = out.decode("utf-8", "replace")
    if log:
        os.makedirs(os.path.dirname(log), exist_ok=True)
        with open(log, "w") as f:
            f.write(text)
    return status, text


def kill_all():
    """Kill every process group run() is waiting on (for an interrupted run)."""
    with _live_lock:
        pids = list(_live)
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def qemu_env(arch, smp, mem, cmdline, iso, machine=None, extra="", env=None):
    """The environment scripts/qemu-<arch>.sh reads (see the script's header)."""
    e = {
        "KERNEL_DIR": f"build/{arch}", "SMP": str(smp), "MEM": mem,
        "MACHINE": machine or DEFAULT_MACHINE[arch], "CMDLINE": cmdline,
        "QEMU_EXTRA": extra, "ISO": iso,
        # No default virtio device (make run's): each test names the devices it boots with.
        "VIRTIO": "none",
    }
    e.update(env or {})
    return e


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
