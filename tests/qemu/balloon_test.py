#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The virtio balloon, driven from the host over QMP as a real host drives it.

Each case boots QEMU (SMP=2, MEM=256M) with a balloon device on one transport and a QMP
socket (-qmp unix:SOCK,server=on,wait=off), waits for the shell, then:
  half:   the guest touches most of its RAM and frees it; then the host asks for half of
          RAM (QMP `balloon`); BALLOON_CHANGE and query-balloon reach it, QEMU's resident
          memory drops by at least 2/3 of that;
          the guest's `balloon`, meminfo and vmstat agree (MemTotal shrinks by exactly the
          balloon without DEFLATE_ON_OOM); guest stats through qom-set
          guest-stats-polling-interval / qom-get guest-stats equal the guest's own meminfo;
  rebind: `ktest balloon` unbinds the driver with the balloon half full (every page comes
          back) and binds it again (it returns to the target); query-balloon agrees;
  full:   back to all of RAM: every page returns (`mmcheck` finds no problem and the same
          free and managed pages as before inflating), `balloon check` finds an empty list;
  churn:  (x86_64 pc) a host that moves the target every 5 ms while CPU1 goes offline and
          back twice and the guest allocates and frees (alloc/free); the last target is met exactly, the balloon's list is consistent;
  floor:  (x86_64 pc) a target of 1 MiB: the balloon stops at its memory floor and says so
          once; then the guest allocates more than is left: without DEFLATE_ON_OOM that
          fails cleanly and the balloon keeps every page;
  report: (x86_64 pc, free-page-reporting=on) the guest touches 200 MiB and frees it: QEMU's
          resident memory drops with no balloon target, the memory is usable again;
  poison: (x86_64 pc, page_poison=1) PAGE_POISON is negotiated, and pages that come back
          from the host pass the allocator's poison check;
  oom:    (x86_64 pc, deflate-on-oom=on) the same, and the allocation succeeds because the
          balloon gives pages back; MemTotal never shrank; the host hears of it (actual).
Each move prints its time and rate, from the QMP command until query-balloon reports the
target (figures, not verdicts; QEMU sends BALLOON_CHANGE at most once a second).
Any WARNING, BUG or panic on the console fails the case. Every wait has a timeout; QEMU's
process group is killed and the socket removed on the way out.

Prints `ok N - name` / `not ok N - name` and `N passed, N failed`; exits 1 on any failure.
--figures measures as ../shared/anchors/linux-pagebench.md did for Linux (1 GiB guest).
Usage: tests/qemu/balloon_test.py [--figures] [--only REGEX]   (case names: x86_64-pc, x86_64-pc-oom,
       x86_64-pc-report, riscv64-virt-mmio-report, x86_64-q35, x86_64-pc-poison, riscv64-virt-mmio, riscv64-virt-mmio-legacy,
       riscv64-virt-pci)
"""
import argparse
import contextlib
import os
import random
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from testlib import LOGDIR, ROOT, Results  # noqa: E402
from qmp import QMP, QMPError  # noqa: E402
from shell_test import BOOT_TIMEOUT, PROMPT, Machine  # noqa: E402

MEM_MIB = 256
MiB = 1 << 20
QOM = "/machine/peripheral/balloon0"
MOVE_TIMEOUT = 120     # seconds for the balloon to reach a target (TCG, polled device)

# name, arch, machine, VIRTIO, BALLOON_OPTS, steps
CASES = [
    ("x86_64-pc", "x86_64", "pc", "pci", "", ("half", "rebind", "full", "churn", "floor")),
    ("x86_64-pc-oom", "x86_64", "pc", "pci", "deflate-on-oom=on", ("oom",)),
    ("x86_64-pc-report", "x86_64", "pc", "pci", "free-page-reporting=on", ("report",)),
    ("riscv64-virt-mmio-report", "riscv64", "virt", "mmio", "free-page-reporting=on",
     ("report",)),
    ("riscv64-virt-mmio", "riscv64", "virt", "mmio", "", ("half", "rebind", "full")),
    ("x86_64-q35", "x86_64", "q35", "pci", "", ("half", "full")),
    ("x86_64-pc-poison", "x86_64", "pc", "pci", "", ("poison", "half", "full")),
    ("riscv64-virt-mmio-legacy", "riscv64", "virt", "mmio-legacy", "", ("half", "full")),
    ("riscv64-virt-pci", "riscv64", "virt", "pci", "", ("half", "full")),
]
# make test runs the first three (the cheap matrix, about a minute); --only picks others.
DEFAULT_CASES = r"^(x86_64-pc|x86_64-pc-oom|x86_64-pc-report|riscv64-virt-mmio)$"


def field(out, pattern, what):
    m = re.search(pattern, out or "", re.M)
    if not m:
        raise AssertionError(f"no {what} in: {(out or '')[-300:]!r}")
    return int(m.group(1))


def qemu_rss_kib(pid):
    """QEMU's resident memory (the script execs it, so the pid is QEMU's), or None."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            if not f.read().startswith("qemu-system"):
                return None
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Case:
    def __init__(self, res, name, m, q, oom):
        self.res, self.name, self.m, self.q, self.oom = res, name, m, q, oom

    def ok(self, cond, what, detail=""):
        return self.res.record(bool(cond), f"{self.name}: {what}", detail)

    def sh(self, line, timeout=60):
        out = self.m.command(line, timeout)
        if out is None:
            raise AssertionError(f"no prompt after '{line}' within {timeout} s")
        return out

    def guest(self):
        """The guest's view: balloon target/actual/inflated, MemTotal/MemFree (KiB)."""
        b, mi = self.sh("balloon"), self.sh("meminfo")
        return {"target": field(b, r"^\s*target\s+(\d+) pages", "target"),
                "actual": field(b, r"^\s*actual\s+(\d+) pages", "actual"),
                "inflated": field(b, r"^\s*inflated\s+(\d+) pages", "inflated"),
                "oom": field(b, r"^\s*oom\s+(\d+) pages given back", "oom pages"),
                "floor_stops": field(b, r"stopped there (\d+) time", "floor stops"),
                "total": field(mi, r"^MemTotal:\s+(\d+) kB", "MemTotal"),
                "free": field(mi, r"^MemFree:\s+(\d+) kB", "MemFree")}

    def mmcheck(self):
        out = self.sh("mmcheck")
        return (field(out, r"mmcheck: (\d+) problem", "problems"),
                field(out, r"(\d+) pages free", "free pages"),
                field(out, r"(\d+) managed", "managed pages"))

    def move(self, mib):
        """Ask for mib MiB of guest memory; True when query-balloon and BALLOON_CHANGE
        report it. Timed by polling query-balloon (QEMU sends BALLOON_CHANGE at most once
        a second, so the event alone cannot time a move shorter than that)."""
        want = mib * MiB
        before = self.q.cmd("query-balloon")["actual"] // MiB
        t0 = time.time()
        self.q.cmd("balloon", value=want)
        reached = None
        while time.time() - t0 < MOVE_TIMEOUT:
            if self.q.cmd("query-balloon")["actual"] == want:
                reached = time.time() - t0
                break
            time.sleep(0.02)
        got = self.q.wait_event("BALLOON_CHANGE", max(1.0, MOVE_TIMEOUT - (time.time() - t0)),
                                lambda d: d.get("actual") == want)
        secs = time.time() - t0
        actual = self.q.cmd("query-balloon")["actual"]
        self.ok(got is not None and reached is not None and actual == want,
                f"balloon {mib} MiB: query-balloon and BALLOON_CHANGE reach it",
                f"query-balloon says {actual // MiB} MiB after {secs:.1f} s")
        if reached:
            print(f"# {self.name}: guest memory {before} -> {mib} MiB in {reached:.2f} s "
                  f"({abs(before - mib) / reached:.0f} MiB/s by query-balloon; "
                  f"BALLOON_CHANGE after {secs:.2f} s)")
        return got is not None and reached is not None

    def settle(self, timeout=30):
        """Wait until the guest's balloon stops moving (actual stable for 1 s)."""
        end, last = time.time() + timeout, None
        while time.time() < end:
            g = self.guest()
            if last and g["actual"] == last["actual"] and g["inflated"] == last["inflated"]:
                return g
            last = g
            time.sleep(1)
        return last

    def run(self, steps):
        if "poison" in steps:
            b, vm = self.sh("balloon"), self.sh("vmstat")
            self.ok(re.search(r"features .*PAGE_POISON", b),
                    "page_poison=1: PAGE_POISON negotiated", b.strip()[-200:])
        problems0, free0, managed0 = self.mmcheck()
        g0 = self.guest()
        self.ok(problems0 == 0 and g0["inflated"] == 0, "boot: empty balloon, mmcheck clean")
        self.q.cmd("qom-set", path=QOM, property="guest-stats-polling-interval", value=1)
        half = MEM_MIB // 2
        if "half" in steps:
            # Under TCG untouched guest RAM is never resident: touch most of it first
            # (56 zeroed blocks of 4 MiB), give it back, then measure.
            out = self.sh("alloc 10 56 zero", timeout=120)
            self.ok("failed" not in out, "the guest touches 224 MiB (alloc 10 56 zero)",
                    out.strip()[-120:])
            self.sh("free all", timeout=60)
            rss0 = qemu_rss_kib(self.m.p.pid)
            self.sh("trace on balloon")
        if "half" in steps and self.move(half):
            rss1 = qemu_rss_kib(self.m.p.pid)
            tr = self.sh("trace dump 2")
            self.ok(re.search(r"balloon_inflate: pfn=(0x)?[0-9a-f]+ nr=256\b", tr),
                    "tracepoint balloon_inflate fired per batch", tr.strip()[-160:])
            drop = (rss0 - rss1) // 1024 if rss0 and rss1 else None
            self.ok(drop is not None and drop >= half * 2 // 3,
                    f"QEMU's resident memory drops by about the balloon ({half} MiB)",
                    f"VmRSS {rss0} kB -> {rss1} kB ({drop} MiB)")
            g = self.guest()
            pages = (MEM_MIB - half) * MiB // 4096
            self.ok(g["actual"] == pages and g["inflated"] == pages and g["target"] == pages,
                    "guest: target, actual, inflated all half of RAM", str(g))
            shrink = 0 if self.oom else pages * 4
            self.ok(g["total"] == g0["total"] - shrink,
                    "meminfo: MemTotal " + ("unchanged (DEFLATE_ON_OOM)" if self.oom else
                                            "down by the balloon"),
                    f"{g0['total']} kB -> {g['total']} kB")
            self.ok(g0["free"] - g["free"] >= pages * 4 - 1024,
                    "meminfo: MemFree down by the balloon", f"{g0['free']} -> {g['free']} kB")
            vm = self.sh("vmstat")
            self.ok(field(vm, r"^balloon_inflate (\d+)", "balloon_inflate") >= pages,
                    "vmstat: balloon_inflate counts the pages")
            time.sleep(2.5)   # two polling periods: QEMU asks, the guest answers
            st = self.q.cmd("qom-get", path=QOM, property="guest-stats")
            s, mi = st.get("stats", {}), self.sh("meminfo")
            tot_now = field(mi, r"^MemTotal:\s+(\d+) kB", "MemTotal") * 1024
            free_now = field(mi, r"^MemFree:\s+(\d+) kB", "MemFree") * 1024
            self.ok(s.get("stat-total-memory") == tot_now and st.get("last-update", 0) > 0 and
                    0 < s.get("stat-free-memory", -1) <= tot_now and
                    abs(s.get("stat-free-memory") - free_now) < 4 * MiB and
                    0 < s.get("stat-available-memory", -1) <= s.get("stat-free-memory"),
                    "qom-get guest-stats: total, free, available as the guest measures them",
                    f"{s} vs MemTotal {tot_now} MemFree {free_now}")
            self.ok(s.get("stat-swap-in") in (-1, 2 ** 64 - 1),
                    "guest-stats: nothing reported that the kernel cannot measure (swap)")
            self.compacted(pages)
        if "rebind" in steps:
            self.rebind(half)
        if "full" in steps and self.move(MEM_MIB):
            tr = self.sh("trace dump 2")
            self.ok(re.search(r"balloon_deflate: pfn=(0x)?[0-9a-f]+ nr=256\b", tr),
                    "tracepoint balloon_deflate fired per batch", tr.strip()[-160:])
            self.sh("trace off")
            g = self.guest()
            self.ok(g["actual"] == 0 and g["inflated"] == 0, "guest: balloon empty again",
                    str(g))
            chk = self.sh("balloon check")
            self.ok(re.search(r"check: 0 pages on the list, 0 problems", chk),
                    "balloon check: list and count agree", chk.strip()[-200:])
            problems, free, managed = self.mmcheck()
            # The stats buffer's answers allocate nothing; a few pages may sit elsewhere.
            self.ok(problems == 0 and managed == managed0 and abs(free - free0) <= 64,
                    "mmcheck: every page home (free and managed as before)",
                    f"problems {problems}, free {free0} -> {free}, managed {managed0} -> "
                    f"{managed}")
            vm = self.sh("vmstat")
            self.ok(field(vm, r"^balloon_inflate (\d+)", "inflate") ==
                    field(vm, r"^balloon_deflate (\d+)", "deflate"),
                    "vmstat: balloon_inflate == balloon_deflate")
        if "churn" in steps:
            self.churn()
        if "floor" in steps or "oom" in steps:
            self.floor_and_alloc()
        if "report" in steps:
            self.reporting()
        if "poison" in steps:
            vm = self.sh("vmstat")
            self.ok(field(vm, r"^pgpoison_corrupt (\d+)", "pgpoison_corrupt") == 0,
                    "page_poison=1: pages back from the host pass the poison check")

    def compacted(self, pages):
        """`compact` with the balloon half full and its device present: balloon pages are
        migrated, the host told of each new page before the old (balloon_migrate events),
        the balloon's size, actual and query-balloon unchanged, its list and mmcheck clean."""
        self.sh("trace on balloon_migrate")
        out = self.sh("compact", timeout=180)
        b = self.sh("balloon")
        moved = field(b, r"migrated (\d+)", "migrated")
        self.ok(moved > 0, "compact migrates balloon pages through the device",
                f"migrated {moved}; {out.strip()[-200:]}")
        tr = self.sh("trace dump 2")
        self.ok(re.search(r"balloon_migrate: old_pfn=(0x)?[0-9a-f]+ new_pfn=(0x)?[0-9a-f]+", tr),
                "tracepoint balloon_migrate fired", tr.strip()[-160:])
        g = self.guest()
        self.ok(g["actual"] == pages and g["inflated"] == pages,
                "after compaction: actual and inflated unchanged", str(g))
        self.ok(self.q.cmd("query-balloon")["actual"] == MEM_MIB * MiB - pages * 4096,
                "after compaction: query-balloon unchanged")
        chk = self.sh("balloon check")
        self.ok(re.search(r"check: \d+ pages on the list, 0 problems", chk),
                "after compaction: balloon check clean", chk.strip()[-200:])
        problems, _, _ = self.mmcheck()
        self.ok(problems == 0, "after compaction: mmcheck clean")

    def rebind(self, mib):
        """ktest balloon with the balloon at mib MiB of guest memory: the driver unbinds
        (every page back), binds again and returns to the target; the host sees it there."""
        out = self.sh("ktest balloon", timeout=120)
        self.ok(re.search(r"^\s*ok \d+ balloon_unbind_rebind$", out, re.M) and
                re.search(r"^# ktest: 2 passed, 0 failed, 0 skipped", out, re.M),
                "ktest balloon: unbind gives every page back, rebind returns to the target",
                out.strip()[-300:])
        self.ok(re.search(r"^\s*ok \d+ balloon_unbind_waits_for_isolated$", out, re.M),
                "ktest balloon: unbind waits for a page a scanner holds isolated, and frees it",
                out.strip()[-300:])
        t0, actual = time.time(), None
        while time.time() - t0 < 30:
            actual = self.q.cmd("query-balloon")["actual"]
            if actual == mib * MiB:
                break
            time.sleep(0.1)
        self.ok(actual == mib * MiB, "after the rebind query-balloon is back at the target",
                f"{actual // MiB if actual else actual} MiB")

    def reporting(self):
        """Free page reporting: the guest touches 200 MiB and frees it; with no balloon
        target, QEMU's resident memory drops as the freed blocks are reported."""
        b = self.sh("balloon")
        if not self.ok(re.search(r"features .*REPORTING", b) and
                       re.search(r"reportq\s+index 3", b),
                       "free-page-reporting=on: REPORTING negotiated, reporting queue 3",
                       b.strip()[-300:]):
            return
        out = self.sh("alloc 10 50 zero", timeout=120)
        self.ok("failed" not in out, "the guest touches 200 MiB (alloc 10 50 zero)")
        problems0, free0, _ = self.mmcheck()
        self.sh("trace on balloon_report")
        self.sh("free all", timeout=60)
        rss0 = qemu_rss_kib(self.m.p.pid)
        t0, rss = time.time(), rss0
        while rss0 and time.time() - t0 < 30:
            rss = qemu_rss_kib(self.m.p.pid)
            if rss is None or rss0 - rss >= 150 * 1024:
                break
            time.sleep(0.25)
        drop = (rss0 - rss) // 1024 if rss0 and rss else None
        self.ok(drop is not None and drop >= 200 * 2 // 3,
                "reporting: QEMU's resident memory drops after the guest frees 200 MiB",
                f"VmRSS {rss0} kB -> {rss} kB ({drop} MiB) in {time.time() - t0:.1f} s")
        if drop:
            print(f"# {self.name}: {drop} MiB back to the host {time.time() - t0:.1f} s after "
                  f"the free (the reporting work waits up to 2 s after a free)")
        tr = self.sh("trace dump 2")
        self.ok(re.search(r"balloon_report: pfn=(0x)?[0-9a-f]+ order=(9|10) nr=([1-9]|[12]\d|3[0-2])\b",
                          tr), "tracepoint balloon_report fired per report (at most 32 blocks "
                "of pageblock order or more)", tr.strip()[-200:])
        b, vm = self.sh("balloon"), self.sh("vmstat")
        self.ok(field(b, r"reported \d+ reports, (\d+) pages", "reported pages") >= 150 * 256 and
                field(vm, r"^pgreported (\d+)", "pgreported") >= 150 * 256 and
                field(b, r"^\s*inflated\s+(\d+) pages", "inflated") == 0,
                "reporting: counted in balloon and vmstat, no balloon inflated", b.strip()[-200:])
        problems, free, _ = self.mmcheck()
        self.ok(problems == 0, "reporting: mmcheck clean with reported blocks on the lists")
        out = self.sh("alloc 10 50 zero", timeout=120)
        self.ok("failed" not in out, "reporting: the reported memory is allocated again")
        self.sh("free all", timeout=60)
        problems, _, _ = self.mmcheck()
        self.ok(problems == 0, "reporting: mmcheck clean afterwards")

    def churn(self):
        """A host that moves the target every 5 ms while CPU1 goes offline and online twice
        and the guest allocates and frees; then a last target: the balloon gets there
        consistent, and back to empty with every page home."""
        rng = random.Random(15)
        sent = 0
        _, free0, managed0 = self.mmcheck()

        def burst(n):
            nonlocal sent
            for _ in range(n):
                self.q.cmd("balloon", value=rng.randrange(64, MEM_MIB + 1) * MiB)
                sent += 1
                time.sleep(0.005)
        for line in ("cpu offline 1", "alloc 3 128 movable", "cpu online 1", "free all",
                     "cpu offline 1", "alloc 0 200", "cpu online 1", "free all"):
            burst(40)
            self.m.type(line + "\r")
            burst(40)
            out = self.m.expect(re.escape(PROMPT), 60)
            # An allocation may fail while the balloon holds memory (cleanly: it says so).
            if not self.ok(out is not None and "error" not in out.lower() and
                           "unknown" not in out and "usage" not in out,
                           f"churn: '{line}' while the target moves", (out or "")[-120:]):
                return
        last = 3 * MEM_MIB // 4
        if self.move(last):
            g = self.guest()
            pages = (MEM_MIB - last) * MiB // 4096
            self.ok(g["actual"] == pages and g["inflated"] == pages,
                    f"churn: {sent} targets in a row, then the last one is met exactly", str(g))
            chk = self.sh("balloon check")
            self.ok("0 problems" in chk, "churn: balloon check clean", chk.strip()[-120:])
        if self.move(MEM_MIB):
            problems, free, managed = self.mmcheck()
            self.ok(problems == 0 and self.guest()["inflated"] == 0 and
                    managed == managed0 and abs(free - free0) <= 64,
                    "churn: back to empty, mmcheck clean, every page home",
                    f"problems {problems}, free {free0} -> {free}, managed {managed0} -> "
                    f"{managed}")

    def floor_and_alloc(self):
        """Target 1 MiB: the floor stops it; then allocate more than is left."""
        self.q.cmd("balloon", value=1 * MiB)
        g = self.settle(MOVE_TIMEOUT)
        self.ok(g["floor_stops"] >= 1 and g["inflated"] > 0 and g["actual"] == g["inflated"],
                "target 1 MiB: the balloon stops at its floor and says so", str(g))
        text = self.m.text()
        self.ok(len(re.findall(r"memory low .* the balloon stops at", text)) == 1,
                "the floor is reported once")
        # 256 blocks of order 2: 4 MiB, more than the floor leaves above the min watermark.
        out = self.sh("alloc 2 256", timeout=120)
        after = self.guest()
        if self.oom:
            self.ok("failed" not in out and after["oom"] > 0 and
                    after["inflated"] == g["inflated"] - after["oom"],
                    "DEFLATE_ON_OOM: 4 MiB allocated, the balloon gave pages back",
                    f"oom {after['oom']} pages; inflated {g['inflated']} -> "
                    f"{after['inflated']}; {out.strip()[-120:]}")
            time.sleep(1.5)
            g2 = self.guest()
            self.ok(g2["actual"] == g2["inflated"],
                    "the host is told: actual follows the pages given back", str(g2))
            self.ok(g2["total"] == g["total"], "MemTotal unchanged with DEFLATE_ON_OOM")
        else:
            self.ok(re.search(r"alloc: allocation \d+ of 256 \(order 2\) failed", out) and
                    after["inflated"] == g["inflated"] and after["oom"] == 0,
                    "without DEFLATE_ON_OOM: the allocation fails cleanly, balloon kept",
                    f"inflated {g['inflated']} -> {after['inflated']}; "
                    f"{out.strip()[-160:]}")
        self.sh("free all", timeout=120)
        if self.move(MEM_MIB):
            problems, _, _ = self.mmcheck()
            g = self.guest()
            self.ok(problems == 0 and g["inflated"] == 0,
                    "after the allocation test: balloon empty, mmcheck clean")


@contextlib.contextmanager
def balloon_vm(res, name, arch, machine, mem, env, tmp):
    """Boot QEMU with a balloon and a QMP socket; yield (machine, qmp), or (machine, None)
    when it did not reach the shell (recorded). On the way out the QMP socket is closed,
    QEMU killed, its console kept in build/test-logs/balloon-NAME.log and the socket file
    removed; a QMP error or a failed assertion inside is recorded as the session's failure.
    The console text is in machine.text() afterwards."""
    sock = os.path.join(tmp, f"qmp-{name}.sock")
    m = Machine(arch, 2, mem, tmp, machine=machine, env_extra=dict(env, QMP=sock))
    q = None
    try:
        if not res.record(m.expect(re.escape(PROMPT), BOOT_TIMEOUT) is not None,
                          f"{name}: boot to the shell prompt"):
            yield m, None
            return
        q = QMP(sock, timeout=10)
        yield m, q
    except (AssertionError, QMPError) as e:
        res.record(False, f"{name}: the session", str(e))
    finally:
        if q:
            q.close()
        m.kill()
        with open(os.path.join(LOGDIR, f"balloon-{name}.log"), "w") as f:
            f.write(m.text())
        if os.path.exists(sock):
            os.unlink(sock)


def run_case(res, name, arch, machine, virtio, opts, steps, tmp):
    built = os.path.exists(os.path.join(ROOT, "build", arch,
                                        "tessera.iso" if arch == "x86_64" else "Image"))
    if not built:
        res.skip(f"{name}", f"kernel not built (make ARCH={arch})")
        return
    env = {"VIRTIO": virtio, "BALLOON": "on", "BALLOON_OPTS": opts}
    if "poison" in steps:
        env["CMDLINE"] = "page_poison=1"
    with balloon_vm(res, name, arch, machine, f"{MEM_MIB}M", env, tmp) as (m, q):
        if q:
            Case(res, name, m, q, "deflate-on-oom=on" in opts).run(steps)
            m.type("poweroff\r")
            res.record(m.wait_exit(60) == 0, f"{name}: poweroff ends QEMU with status 0")
    bad = re.findall(r"^.*(?:WARNING|BUG|Kernel panic|broken).*$", m.text(), re.M)
    res.record(not bad, f"{name}: no WARNING, BUG, panic or broken device", "; ".join(bad[:3]))


def figures(res, arch, machine, virtio, tmp):
    """The anchor's measurement (../shared/anchors/linux-pagebench.md): -smp 2 -m 1G, the
    guest dirties 600 MiB, then 1 GiB -> 256 MiB and back three times, each move timed by
    polling query-balloon every 5 ms. Figures, not verdicts (the boot and moves still
    count as tests)."""
    name = f"figures-{arch}-{machine}-{virtio}"
    env = {"VIRTIO": virtio, "BALLOON": "on"}
    with balloon_vm(res, name, arch, machine, "1G", env, tmp) as (m, q):
        if q:
            m.command("alloc 10 150 zero", 300)
            m.command("free all", 120)
            for rep in range(3):
                for mib, what in ((256, "inflate"), (1024, "deflate")):
                    t0 = time.time()
                    q.cmd("balloon", value=mib * MiB)
                    while time.time() - t0 < MOVE_TIMEOUT:
                        if q.cmd("query-balloon")["actual"] == mib * MiB:
                            break
                        time.sleep(0.005)
                    secs = time.time() - t0
                    ok = q.cmd("query-balloon")["actual"] == mib * MiB
                    res.record(ok, f"{name}: {what} {rep + 1} of 768 MiB",
                               f"{768 / secs:.0f} MiB/s ({secs:.3f} s)")
            m.type("poweroff\r")
            m.wait_exit(60)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--figures", action="store_true",
                    help="the anchor's measurement instead of the cases (x86_64 pc, "
                         "riscv64 virt mmio and pci)")
    ap.add_argument("--only", default=None, metavar="REGEX",
                    help=f"cases to run (default: {DEFAULT_CASES}; '.' for all)")
    args = ap.parse_args()
    if args.only is None:
        args.only = "." if args.figures else DEFAULT_CASES
    os.makedirs(LOGDIR, exist_ok=True)
    res = Results()
    with tempfile.TemporaryDirectory(prefix="tessera-balloon-") as tmp:
        if args.figures:
            for arch, machine, virtio in (("x86_64", "pc", "pci"), ("riscv64", "virt", "mmio"),
                                          ("riscv64", "virt", "pci")):
                if re.search(args.only, f"figures-{arch}-{machine}-{virtio}"):
                    figures(res, arch, machine, virtio, tmp)
            print(res.summary())
            return 1 if res.failed else 0
        for name, arch, machine, virtio, opts, steps in CASES:
            if re.search(args.only, name):
                run_case(res, name, arch, machine, virtio, opts, steps, tmp)
    print(res.summary())
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
