#!/usr/bin/env python3
"""`dcsim bench engine` (issue 2): one line per workload and size after the
machine's, each a median within its runs' range, and the hold+cancel ratio
the median of the runs' own ratios, within their range. Checks the shape
and the arithmetic of the figures, never their size: a benchmark is not a
timed test. Usage: check_bench.py DCSIM"""
import re
import subprocess
import sys

LINE = re.compile(r"^(hold|hold\+cancel|mix) N=(1000|100000): ([0-9.]+) M events/s \(([0-9.]+)-([0-9.]+)\)(.*)$")
RATIO = re.compile(r"\(([0-9.]+)x hold, ([0-9.]+)-([0-9.]+)x\)")


def fail(why, out=""):
    sys.exit("%s\n%s" % (why, out))


def main():
    dcsim = sys.argv[1]
    r = subprocess.run([dcsim, "bench", "engine", "--events", "20000", "--reps", "3"],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        fail("bench engine failed (%d): %s" % (r.returncode, r.stderr[-400:]))
    lines = r.stdout.splitlines()
    if not lines or not lines[0].startswith("machine: "):
        fail("no machine line first", r.stdout)
    seen = set()
    for line in lines[1:]:
        if line.startswith("engine: "):
            continue
        m = LINE.match(line)
        if not m:
            fail("unexpected line: " + line, r.stdout)
        median, lo, hi = (float(m.group(k)) for k in (3, 4, 5))
        if not (0 < lo <= median <= hi):
            fail("median outside its range: " + line)
        ratio = RATIO.search(m.group(6))
        if (m.group(1) == "hold+cancel") != (ratio is not None):
            fail("a ratio to hold belongs on the hold+cancel lines only: " + line)
        if ratio:
            q, qlo, qhi = (float(x) for x in ratio.groups())
            if not (0 < qlo <= q <= qhi):
                fail("ratio outside its range: " + line)
        seen.add((m.group(1), m.group(2)))
    if len(seen) != 6:
        fail("expected three workloads at two sizes, got %d lines" % len(seen), r.stdout)
    bad = subprocess.run([dcsim, "bench", "engine", "--reps", "0"], capture_output=True, text=True, timeout=60)
    if bad.returncode != 2:
        fail("--reps 0 should exit 2, got %d" % bad.returncode)
    print("bench engine: %d lines, each median within its range" % len(seen))


if __name__ == "__main__":
    main()
