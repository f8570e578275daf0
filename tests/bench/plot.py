#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""PNG plots of the page allocator's figures, with gnuplot (Debian's gnuplot-nox); the last
step of `make bench`, and runnable alone to redraw from what is there:

  build/bench-logs/pcp.csv         the @pagebench lines of make bench's boots
                                   (build/bench-logs/<arch>-smp<N>.log), one row per figure
  build/bench-logs/pcp-<arch>.png  ns per operation by mode and CPU count (the runs where
                                   every CPU of the boot took part), log scale
  build/compare/compare.png        Tessera next to Linux 6.1, from make compare's CSV
                                   (build/compare/compare.csv) if there is one: the medians
                                   over its boots

Standard library only; gnuplot must be on PATH (the Makefile installs it when missing).
"""
import csv
import glob
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH_LOGS = os.path.join(ROOT, "build", "bench-logs")
COMPARE_CSV = os.path.join(ROOT, "build", "compare", "compare.csv")
OPS = ["pair", "xcpu_alloc", "xcpu_free", "batch_alloc", "batch_free", "o9_pair"]
LINE = re.compile(r"@pagebench mode=(\S+) cpus=(\d+) op=(\S+) ns=(\d+)")


def bench_rows():
    """(arch, smp, mode, cpus, op, ns) from make bench's logs."""
    rows = []
    for path in sorted(glob.glob(os.path.join(BENCH_LOGS, "*-smp*.log"))):
        m = re.match(r"(\w+)-smp(\d+)\.log$", os.path.basename(path))
        if not m:
            continue
        with open(path, errors="replace") as f:
            for line in f:
                g = LINE.search(line)
                if g:
                    rows.append((m.group(1), int(m.group(2)), g.group(1), int(g.group(2)),
                                 g.group(3), int(g.group(4))))
    return rows


def gnuplot(script):
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if r.returncode:
        print("plot: gnuplot failed:\n" + r.stderr, file=sys.stderr)
    return r.returncode == 0


def histogram(png, title, ylabel, series, table, logscale):
    """Clustered bars: one cluster per row of `table` (label, values by series; None where
    a series has no figure), one bar per series."""
    dat = png[:-4] + ".dat"
    with open(dat, "w") as f:
        f.write("x " + " ".join('"%s"' % s for s in series) + "\n")
        for label, vals in table:
            f.write('"%s" ' % label + " ".join("-" if v is None else str(v) for v in vals)
                    + "\n")
    plots = ", ".join("'%s' using %d:xtic(1) title columnheader(%d)" % (dat, i + 2, i + 2)
                      for i in range(len(series)))
    script = f"""
set terminal pngcairo noenhanced size 1200,650 font ",10"
set output '{png}'
set title "{title}"
set ylabel "{ylabel}"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top left
set grid ytics
set xtics rotate by -25 scale 0
{"set logscale y" if logscale else "set yrange [0:*]"}
plot {plots}
"""
    if gnuplot(script):
        print("plot: wrote %s" % os.path.relpath(png, ROOT))


def plot_bench():
    rows = bench_rows()
    if not rows:
        print("plot: no @pagebench lines in build/bench-logs/ (make bench first)")
        return
    with open(os.path.join(BENCH_LOGS, "pcp.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["arch", "smp", "mode", "cpus", "op", "ns"])
        w.writerows(rows)
    print("plot: wrote build/bench-logs/pcp.csv")
    for arch in sorted({r[0] for r in rows}):
        # Every CPU of the boot taking part: one figure per (mode, cpus) and op.
        fig = {(r[2], r[3], r[4]): r[5] for r in rows if r[0] == arch and r[1] == r[3]}
        series = sorted({(m, c) for m, c, _ in fig}, key=lambda s: (s[0], s[1]))
        table = [(op, [fig.get((m, c, op)) for m, c in series]) for op in OPS]
        histogram(os.path.join(BENCH_LOGS, "pcp-%s.png" % arch),
                  "bench=pcp on %s: ns per operation by mode and CPU count "
                  "(every CPU of the boot taking part)" % arch,
                  "ns per operation (log scale)",
                  ["%s, %d CPU%s" % (m, c, "s" if c > 1 else "") for m, c in series],
                  table, logscale=True)


def plot_compare():
    if not os.path.exists(COMPARE_CSV):
        print("plot: no build/compare/compare.csv (make compare first): no comparison plot")
        return
    vals = {}
    date = ""
    with open(COMPARE_CSV) as f:
        for r in csv.DictReader(f):
            if r["op"].startswith("calib_"):
                continue
            date = r["date"]
            key = (int(r["smp"]), int(r["cpus"]), r["op"])
            vals.setdefault(key, {}).setdefault(r["kernel"], []).append(float(r["ns"]))
    keys = sorted(vals, key=lambda k: (k[0], OPS.index(k[2]) if k[2] in OPS else 99, k[1]))
    table = []
    for smp, cpus, op in keys:
        v = vals[(smp, cpus, op)]
        table.append(("%s smp%d/%d" % (op, smp, cpus),
                      [statistics.median(v[k]) if k in v else None
                       for k in ("linux", "tessera")]))
    histogram(os.path.join(ROOT, "build", "compare", "compare.png"),
              "make compare, %s: Tessera (owner mode) next to Linux 6.1, medians over the "
              "boots, ns per operation (op smp<N>/<cpus>)" % date,
              "ns per operation (log scale)", ["Linux 6.1", "Tessera"], table, logscale=True)


def main():
    plot_bench()
    plot_compare()
    return 0


if __name__ == "__main__":
    sys.exit(main())
