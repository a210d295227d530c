#!/usr/bin/env python3
"""`--trace FILE` end to end, on the default scenario cut to three minutes:

- `dcsim run --trace` writes the trace, whole (no temporary file left),
  and every other output byte is what the run gives without it;
- `dcsim compare --trace t.trace` writes t.STAGE.trace for each stage, and
  the stages' results are again those without --trace;
- a trace that cannot be written fails the run (exit 1, no results), and
  --trace without a file is a usage error (exit 2);
- the trace's size per simulated hour stays under 100 MB (printed).

Usage: check_trace.py DCSIM (from the project's root)."""
import filecmp
import os
import re
import subprocess
import sys
import tempfile

OUTPUTS = ("summary.json", "events.csv", "timeseries.csv", "junit.xml")
SIMULATED_S = 30 + 180  # warm-up and duration of the cut scenario


def short_scenario(folder):
    text = open("scenarios/double11-idc-power-loss.yaml", encoding="utf-8").read()
    text = text.replace("name: double11-idc-power-loss", "name: traced")
    text = re.sub(r"stages: \[.*\]", "stages: [pure, unit]", text)
    text = text.replace("duration: 21m", "duration: 3m")
    path = os.path.join(folder, "traced.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def dcsim(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=600)


def same_outputs(a, b, failures, what):
    for name in OUTPUTS:
        if not filecmp.cmp(os.path.join(a, name), os.path.join(b, name), shallow=False):
            failures.append(f"{what}: {name} differs with --trace")


def main():
    exe = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        scenario = short_scenario(tmp)
        plain, traced = os.path.join(tmp, "plain"), os.path.join(tmp, "traced")
        trace = os.path.join(tmp, "t.trace")
        a = dcsim(exe, "run", scenario, "--stage", "unit", "--scale", "0.02", "--out", plain)
        b = dcsim(exe, "run", scenario, "--stage", "unit", "--scale", "0.02", "--out", traced, "--trace", trace)
        if a.returncode not in (0, 3) or b.returncode != a.returncode:
            print(a.stdout, a.stderr, b.stdout, b.stderr)
            return 1
        if not os.path.exists(trace):
            failures.append("run --trace wrote no trace")
        else:
            data = open(trace, "rb").read()
            if not data.startswith(b"dcsimTRC"):
                failures.append("the trace does not start with the magic")
            per_hour = len(data) * 3600 / SIMULATED_S
            print(f"trace: {len(data)} bytes for {SIMULATED_S} s simulated (scale 0.02): "
                  f"{per_hour / 1e6:.1f} MB per simulated hour")
            if per_hour >= 100e6:
                failures.append(f"{per_hour / 1e6:.1f} MB per simulated hour (at most 100)")
        leftovers = [n for n in os.listdir(tmp) if ".tmp-" in n]
        if leftovers:
            failures.append(f"temporary files left: {leftovers}")
        same_outputs(os.path.join(plain, "traced", "unit"), os.path.join(traced, "traced", "unit"), failures, "run")

        # Every stage of run: one file each.
        c = dcsim(exe, "run", scenario, "--scale", "0.02", "--out", traced, "--trace", os.path.join(tmp, "r.trace"))
        for stage in ("pure", "unit"):
            if not os.path.exists(os.path.join(tmp, f"r.{stage}.trace")):
                failures.append(f"run over every stage wrote no r.{stage}.trace ({c.stderr.strip()})")

        # compare: one trace per stage, the results unchanged.
        p = dcsim(exe, "compare", scenario, "--scale", "0.02", "--out", plain, "--jobs", "2")
        q = dcsim(exe, "compare", scenario, "--scale", "0.02", "--out", traced, "--jobs", "2",
                  "--trace", os.path.join(tmp, "c.trace"))
        if q.returncode != p.returncode:
            failures.append(f"compare --trace exits {q.returncode}, without {p.returncode}: {q.stderr.strip()}")
        for stage in ("pure", "unit"):
            if not os.path.exists(os.path.join(tmp, f"c.{stage}.trace")):
                failures.append(f"compare wrote no c.{stage}.trace")
            same_outputs(os.path.join(plain, "traced", stage), os.path.join(traced, "traced", stage), failures,
                         f"compare {stage}")

        # A trace that cannot be written fails the run and leaves no results.
        bad = os.path.join(tmp, "bad")
        r = dcsim(exe, "run", scenario, "--stage", "unit", "--scale", "0.02", "--out", bad,
                  "--trace", os.path.join(tmp, "no", "such", "dir", "t.trace"))
        if r.returncode != 1 or "cannot write the trace" not in r.stderr:
            failures.append(f"an unwritable trace: exit {r.returncode}, {r.stderr.strip()!r}")
        if os.path.exists(os.path.join(bad, "traced", "unit", "summary.json")):
            failures.append("an unwritable trace left results behind")
        for args in (["--trace"], ["--trace", ""]):
            u = dcsim(exe, "run", scenario, *args)
            if u.returncode != 2:
                failures.append(f"run {args}: exit {u.returncode}, expected 2")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
