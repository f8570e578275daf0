#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The serial shell, driven as a person would drive it.

Boots each architecture through scripts/qemu-<arch>.sh (the same environment tests/run.py
uses), waits for the `tessera> ` prompt and types commands one character at a time with
small delays, then checks the shape of each command's output: /proc formats, error messages
for bad commands and arguments, line editing (backspace, Ctrl-U, Ctrl-C, history). Ends with
`poweroff` and expects QEMU to exit with status 0.

Prints `ok N - name` / `not ok N - name` lines and `N passed, N failed`; exits 1 on any
failure. An architecture whose kernel is not built is skipped (`# SKIP`). Every wait has a
timeout, and QEMU's whole process group is killed on the way out.

Usage: tests/qemu/shell_test.py [--arch x86_64|riscv64|all] [--smp N] [--mem SIZE]
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import LOGDIR, PREFIX, ROOT, Results, qemu_env  # noqa: E402

PROMPT = "tessera> "
KEY_DELAY = 0.01          # seconds between typed characters
BOOT_TIMEOUT = 180        # seconds to the first prompt (TCG, GRUB on x86_64)
CMD_TIMEOUT = 60          # seconds for one command's output


class Machine:
    """QEMU on a pipe: a reader thread collects everything it prints."""

    def __init__(self, arch, smp, mem, tmp, machine=None, env_extra=None):
        env = dict(os.environ)
        env.update(qemu_env(arch, smp, mem, "", os.path.join(tmp, f"shell-{arch}.iso"),
                            machine=machine, env=env_extra))
        self.p = subprocess.Popen([f"scripts/qemu-{arch}.sh"], cwd=ROOT, env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        self.buf = ""
        self.lock = threading.Lock()
        self.mark = 0          # start of the text not yet consumed by expect()
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def _reader(self):
        while True:
            b = self.p.stdout.read1(4096) if hasattr(self.p.stdout, "read1") else \
                self.p.stdout.read(1)
            if not b:
                return
            with self.lock:
                self.buf += b.decode("utf-8", "replace").replace("\r", "")

    def text(self):
        with self.lock:
            return self.buf

    def expect(self, pattern, timeout):
        """Wait until `pattern` (regex) appears after the mark; return the text up to and
        including the match and move the mark past it, or None on timeout."""
        rx = re.compile(pattern, re.M)
        end = time.time() + timeout
        while time.time() < end:
            with self.lock:
                m = rx.search(self.buf, self.mark)
                if m:
                    out = self.buf[self.mark:m.end()]
                    self.mark = m.end()
                    return out
            if self.p.poll() is not None and not self.t.is_alive():
                return None
            time.sleep(0.02)
        return None

    def type(self, s):
        """Type s a character at a time, like a person (fast)."""
        for ch in s:
            try:
                self.p.stdin.write(ch.encode("latin-1"))
                self.p.stdin.flush()
            except (BrokenPipeError, OSError):
                return
            time.sleep(KEY_DELAY)

    def command(self, line, timeout=CMD_TIMEOUT):
        """Type a line and Enter; return its output (prefixes stripped) up to the next prompt."""
        self.type(line + "\r")
        out = self.expect(re.escape(PROMPT), timeout)
        if out is None:
            return None
        return PREFIX.sub("", out[:-len(PROMPT)])

    def wait_exit(self, timeout):
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.p.wait()
        self.t.join(timeout=5)


def lines_of(out):
    return [l for l in (out or "").splitlines() if l.strip()]


def run_arch(res, arch, smp, mem):
    built = os.path.exists(os.path.join(ROOT, "build", arch,
                                        "tessera.iso" if arch == "x86_64" else "Image"))
    if not built:
        res.skip(f"{arch}: shell", "kernel not built (make ARCH=%s)" % arch)
        return
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tessera-shell-") as tmp:
        m = Machine(arch, smp, mem, tmp)
        try:
            session(res, m, arch, smp)
        finally:
            m.kill()
            with open(os.path.join(LOGDIR, f"shell-{arch}.log"), "w") as f:
                f.write(m.text())


def session(res, m, arch, smp):
    t = lambda name: f"{arch}: {name}"
    booted = m.expect(re.escape(PROMPT), BOOT_TIMEOUT)
    if not res.record(booted is not None, t("boot to the shell prompt")):
        print("    --- last lines ---\n" + "\n".join(m.text().splitlines()[-20:]))
        return

    def check(name, line, test, timeout=CMD_TIMEOUT):
        out = m.command(line, timeout)
        if out is None:
            res.record(False, t(name), f"no prompt after '{line}' within {timeout} s")
            return None
        err = test(out)
        res.record(not err, t(name), err or "")
        if err:
            print("    --- output ---\n" + "\n".join("    " + l for l in out.splitlines()[-15:]))
        return out

    def has(*patterns):
        def test(out):
            missing = [p for p in patterns if not re.search(p, out, re.M)]
            return "missing: " + ", ".join(missing) if missing else None
        return test

    def lacks_error(*patterns):
        inner = has(*patterns)

        def test(out):
            if re.search(r"unknown command|usage:", out):
                return "unexpected error message"
            return inner(out)
        return test

    commands = ["help", "meminfo", "buddyinfo", "zoneinfo", "pagetypeinfo", "vmstat", "cpus",
                "lockstat", "trace", "alloc", "free", "pagemap", "ktest", "bench", "poweroff",
                "reboot", "dmesg", "cmdline", "lspci", "interrupts", "rng", "balloon",
                "mmcheck", "numa"]
    check("help lists every command", "help",
          has(*[r"^\s+%s\s" % c for c in commands]))
    check("meminfo", "meminfo", lacks_error(r"^MemTotal:\s+\d+ kB", r"^MemFree:\s+\d+ kB"))

    def buddyinfo_shape(out):
        ls = [l for l in lines_of(out) if not l.startswith("buddyinfo")]
        bad = [l for l in ls if not re.match(r"^Node 0, zone\s+\w+(\s+\d+){11}\s*$", l)]
        if not ls:
            return "no lines"
        return "bad lines: %r" % bad[:2] if bad else None
    check("buddyinfo: 'Node 0, zone' lines, 11 orders", "buddyinfo", buddyinfo_shape)
    check("zoneinfo", "zoneinfo", lacks_error(r"^Node 0, zone\s+\w+", r"pages free\s+\d+",
                                              r"\bmin\s+\d+", r"\bhigh\s+\d+", r"managed\s+\d+"))
    check("pagetypeinfo", "pagetypeinfo",
          lacks_error(r"Free pages count per migrate type", r"type\s+Unmovable",
                      r"Number of blocks type"))
    check("vmstat", "vmstat", lacks_error(r"^nr_free_pages \d+", r"^pgfree \d+"))

    def cpus_shape(out):
        rows = [l for l in lines_of(out) if re.match(r"^\s*\d+\s+-?\d+\s+online", l)]
        if not re.search(r"CPU\s+HWID", out):
            return "no header"
        return None if len(rows) == smp else f"{len(rows)} online rows, expected {smp}"
    check("cpus: one online row per CPU", "cpus", cpus_shape)

    # No -numa here: one node holding every CPU, in numactl --hardware's shape.
    check("numa: one node, as numactl --hardware", "numa",
          lacks_error(r"^available: 1 nodes \(0\)$", r"^node 0 cpus: 0( \d+)*$",
                      r"^node 0 size: \d+ MiB$", r"^node 0 free: \d+ MiB$",
                      r"^node distances:$", r"^node   0$", r"^  0:  10$"))
    check("numa 1: no arguments taken", "numa 1", has(r"^usage: numa"))

    def interrupts_shape(out):
        header = [l for l in lines_of(out) if re.match(r"^\s+CPU0(\s+CPU\d+)*\s*$", l)]
        if len(header) != 1 or len(header[0].split()) != smp:
            return f"no header of {smp} CPU columns"
        for row in ("LOC", "CAL"):
            if not re.search(r"^%s:(\s+\d+){%d}\s+\w" % (row, smp), out, re.M):
                return f"no {row} row with {smp} counts"
        return None
    check("interrupts: /proc/interrupts' shape", "interrupts", interrupts_shape)
    check("lockstat on", "lockstat on", lacks_error(r"lockstat: on"))
    check("lockstat prints /proc/lock_stat", "lockstat",
          lacks_error(r"lock_stat version 0\.4", r"class name"))
    check("lockstat reset", "lockstat reset", lacks_error(r"reset"))
    check("lockstat off", "lockstat off", lacks_error(r"lockstat: off"))
    check("trace events lists events with state", "trace events",
          lacks_error(r"^\s+off\s+zone_lock_released", r"^\s+off\s+mm_page_alloc",
                      r"spinlock_contended_release"))
    check("trace on zone_lock", "trace on zone_lock", lacks_error(r"zone_lock: 3 events on"))
    check("trace on tracing_mark", "trace on tracing_mark", lacks_error(r"1 event on"))
    check("trace mark", "trace mark 1234", lacks_error())
    check("alloc 0 4 prints four handles", "alloc 0 4",
          lacks_error(*[r"^handle %d: pfn 0x[0-9a-f]+" % i for i in range(1, 5)]))
    check("alloc 3 1 dma32,movable", "alloc 3 1 dma32,movable",
          lacks_error(r"^handle 5: pfn .* order 3 \(32 KiB\) zone DMA32"))
    check("alloc list", "alloc list", lacks_error(r"5 blocks held"))
    check("free 2", "free 2", lacks_error(r"free: handle 2"))
    check("free all", "free all", lacks_error(r"4 blocks freed \(11 pages\)"))
    check("trace dump in ftrace format", "trace dump",
          lacks_error(r"^# tracer: nop", r"^#\s+TASK-PID\s+CPU#",
                      r"^\s+<idle>-0\s+\[\d{3}\] [d.]....\s+\d+\.\d{6}: tracing_mark: id=0 value=1234"))
    check("trace off", "trace off", lacks_error(r"every event off"))
    check("trace clear", "trace clear", lacks_error(r"cleared"))
    check("pagemap: legend and rows", "pagemap",
          lacks_error(r"^legend:", r"^Zone\s+\w+: pfn", r"^0x[0-9a-f]{8} [UMRHI. ]+$"))
    check("cmdline", "cmdline", lacks_error())
    # Both default machines (pc, virt) have a host bridge at 00:00.0.
    check("lspci: the host bridge, lspci -nn style", "lspci",
          lacks_error(r"^00:00\.0 Host bridge \[0600\]: .*\[[0-9a-f]{4}:[0-9a-f]{4}\]"))
    check("lspci -v: flags per function", "lspci -v",
          lacks_error(r"^00:00\.0 Host bridge", r"^\s+Flags: .*devsel, latency \d+"))
    # Bad commands and arguments: a clear message, never a crash.
    check("unknown command", "frobnicate", has(r"unknown command 'frobnicate'"))
    check("alloc 99: order out of range", "alloc 99", has(r"ORDER must be", r"^usage: alloc"))
    check("alloc abc: not a number", "alloc abc", has(r"^usage: alloc"))
    check("alloc 0 1 bogus: unknown gfp", "alloc 0 1 bogus", has(r"unknown gfp flag 'bogus'"))
    check("free 12345: unknown handle", "free 12345", has(r"no block with handle 12345"))
    check("free: no argument", "free", has(r"^usage: free"))
    check("trace bogus", "trace bogus", has(r"^usage: trace"))
    check("trace on nosuchevent", "trace on nosuchevent", has(r"no event or group"))
    check("lockstat sideways", "lockstat sideways", has(r"^usage: lockstat"))
    check("lspci -x: usage", "lspci -x", has(r"^usage: lspci \[-v\]"))
    check("too many arguments", "help " + " ".join(["x"] * 20), has(r"too many arguments"))
    check("very long line is refused, not fatal", "x" * 400,
          has(r"line too long \(400 characters, at most 255\): not run"))
    check("control characters are ignored", "\x02\x06\x0e\x10buddyinfo\x07",
          lacks_error(r"^Node 0, zone"))
    # Line editing.
    check("backspace", "buddyinfoo\x7f", lacks_error(r"^Node 0, zone"))
    check("Ctrl-H backspace", "cpusx\x08", lacks_error(r"CPU\s+HWID"))
    check("Ctrl-U erases the line", "garbage words\x15buddyinfo", lacks_error(r"^Node 0, zone"))
    check("cursor left and insert", "cps\x1b[Du", lacks_error(r"CPU\s+HWID"))
    check("history: up arrow repeats", "\x1b[A", lacks_error(r"CPU\s+HWID"))
    check("history: up twice", "\x1b[A\x1b[A", lacks_error(r"^Node 0, zone"))
    new_user_mistakes(res, m, t, check, has, smp)
    m.type("poweroff\x03")
    out = m.expect(re.escape(PROMPT), CMD_TIMEOUT)
    res.record(out is not None and "^C" in out, t("Ctrl-C abandons the line"))
    # The end: poweroff, QEMU exits 0.
    m.type("poweroff\r")
    status = m.wait_exit(60)
    res.record(status == 0, t("poweroff: QEMU exits 0"),
               "timed out" if status is None else f"status {status}")
    text = PREFIX.sub("", m.text())
    res.record("Kernel panic" not in text and not re.search(r"^WARNING:", text, re.M),
               t("no panic or WARNING"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="all", choices=["all", "x86_64", "riscv64"])
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", default="256M")
    args = ap.parse_args()
    res = Results()
    for arch in (["x86_64", "riscv64"] if args.arch == "all" else [args.arch]):
        try:
            run_arch(res, arch, args.smp, args.mem)
        except Exception as e:  # a broken harness is a failure, not a traceback
            res.record(False, f"{arch}: shell harness", repr(e))
    print(res.summary())
    return 1 if res.failed else 0


def paste(m, s):
    """Write s to the console at once, as a terminal passes on a paste."""
    try:
        m.p.stdin.write(s.encode("latin-1"))
        m.p.stdin.flush()
    except (BrokenPipeError, OSError):
        pass


def new_user_mistakes(res, m, t, check, has, smp):
    """Mistakes a new user makes; each must get a message that says what was wrong.
    check(name, line, test) types the line and records the test's verdict on its output;
    t(name) prefixes the architecture."""
    def names_cpu_count(n):
        inner = has(r"no CPU %d\b" % n, r"\b%d CPUs\b" % smp)

        def test(out):
            return "only the usage line" if re.search(r"^usage:", out, re.M) else inner(out)
        return test
    check("cpu offline 99: no such CPU, and how many there are", "cpu offline 99",
          names_cpu_count(99))
    check(f"cpu online {smp}: one past the last CPU", f"cpu online {smp}",
          names_cpu_count(smp))

    # A 10,000-character line, pasted into the terminal: 1,000 characters at a time, as a
    # terminal passes a paste on. Cut to the editor's 255 characters it would be
    # "alloc 0 1" and allocate a page; as typed it is not a valid command. It must be
    # refused as too long, and nothing run.
    line = "alloc 0 1" + " " * (10000 - len("alloc 0 1") - len("bogus")) + "bogus"
    for i in range(0, len(line), 1000):
        paste(m, line[i:i + 1000])
        time.sleep(0.05)
    paste(m, "\r")
    out = m.expect(re.escape(PROMPT), 180)
    out = PREFIX.sub("", out or "").replace("\a", "")
    problems = []
    if not out:
        problems.append("no prompt within 180 s")
    if not re.search(r"line too long \(10000 characters, at most 255\)", out):
        problems.append("no 'line too long (10000 characters, at most 255)' message")
    if re.search(r"^handle \d+:|unknown gfp flag", out, re.M):
        problems.append("the line ran")
    res.record(not problems, t("a 10,000-character line is refused as too long, not run cut"),
               "; ".join(problems))
    if problems:
        print("    --- output (spaces squeezed) ---\n" +
              "\n".join("    " + re.sub(r" {3,}", " ... ", l) for l in out.splitlines()[-6:]))
    # Backspacing an overfull line does not bring the dropped characters back: still refused.
    check("an overfull line shortened with backspace is still refused",
          "cpus " + "x" * 295 + "\x7f" * 100,
          has(r"line too long \(300 characters, at most 255\): not run"))
    # Erasing an overfull line starts a new one: what was dropped from the old one is
    # forgotten, and the new line runs.
    check("Ctrl-U after an overfull line: the new line runs", "x" * 300 + "\x15cpus",
          lambda out: "refused" if "too long" in out else has(r"CPU\s+HWID")(out))


if __name__ == "__main__":
    sys.exit(main())
