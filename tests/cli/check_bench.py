#!/usr/bin/env python3
"""`dcsim bench engine` (issue 2): one line per workload and size after the
machine's, each a median within its runs' range, and the hold+cancel ratio
the median of the runs' own ratios, within their range. `dcsim bench e2e
--reps --peer` (issue 18): a line per run with its events per request, the
peer's line after each with the ratio of the two, and the medians. Checks
the shape and the arithmetic of the figures, never their size: a benchmark
is not a timed test (the peer is a stand-in that prints a fixed rate).
Usage: check_bench.py DCSIM"""
import os
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r"^(hold|hold\+cancel|mix) N=(1000|100000): ([0-9.]+) M events/s \(([0-9.]+)-([0-9.]+)\)(.*)$")
RATIO = re.compile(r"\(([0-9.]+)x hold, ([0-9.]+)-([0-9.]+)x\)")


E2E_RUN = re.compile(r"^e2e unit scaled \(radix queue\): ([0-9.]+) M simulated requests/s of wall time, "
                     r"[0-9.]+x real time, ([0-9.]+) events/request, [0-9.]+ M events/s, peak RSS [0-9]+ MB$")
E2E_PEER = re.compile(r"^  plain C binary heap N=100000, 10000000 events: ([0-9.]+) M events/s; "
                      r"simulated requests/s over heap events/s: ([0-9.]+)x$")
E2E_MEDIAN = re.compile(r"^plain C binary heap median: .*: ([0-9.]+)x \(([0-9.]+)-([0-9.]+)x\)$")


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
    check_e2e(dcsim)


def check_e2e(dcsim):
    with tempfile.TemporaryDirectory() as tmp:
        peer = os.path.join(tmp, "peer.sh")
        with open(peer, "w") as f:
            f.write('#!/bin/sh\necho "engine=stand-in N=$1 events=$2 events_per_s=5000000"\n')
        os.chmod(peer, 0o755)
        r = subprocess.run([dcsim, "bench", "e2e", "--scale", "0.02", "--window", "2", "--reps", "2", "--peer", peer],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            fail("bench e2e failed (%d): %s" % (r.returncode, r.stderr[-400:]))
        lines = r.stdout.splitlines()
        runs = [E2E_RUN.match(x) for x in lines if x.startswith("e2e unit")]
        peers = [E2E_PEER.match(x) for x in lines if x.startswith("  plain")]
        if len(runs) != 2 or len(peers) != 2 or not all(runs) or not all(peers):
            fail("expected two run lines, each followed by the peer's", r.stdout)
        ratios = []
        for run, p in zip(runs, peers):
            if not 0 < float(run.group(2)) < 100:
                fail("events per request missing or absurd: " + run.group(0))
            if float(p.group(1)) != 5.0:
                fail("the peer's rate is not what it printed: " + p.group(0))
            want = float(run.group(1)) / 5.0
            if abs(float(p.group(2)) - want) > 0.002:
                fail("ratio %s is not requests/s over the peer's %.3f" % (p.group(2), want), r.stdout)
            ratios.append(float(p.group(2)))
        median = [E2E_MEDIAN.match(x) for x in lines if x.startswith("plain C binary heap median")]
        if len(median) != 1 or not median[0]:
            fail("no median ratio line", r.stdout)
        q, lo, hi = (float(x) for x in median[0].groups())
        if not (lo <= q <= hi) or abs(lo - min(ratios)) > 0.002 or abs(hi - max(ratios)) > 0.002:
            fail("median ratio outside the runs' range", r.stdout)
        missing = subprocess.run([dcsim, "bench", "e2e", "--window", "1", "--peer", os.path.join(tmp, "none")],
                                 capture_output=True, text=True, timeout=60)
        if missing.returncode != 1 or "did not run" not in missing.stderr:
            fail("a peer that does not run should exit 1 and say so, got %d: %s"
                 % (missing.returncode, missing.stderr))
    print("bench e2e: two runs, each with the peer's line and ratio, and the medians")


if __name__ == "__main__":
    main()
