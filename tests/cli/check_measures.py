#!/usr/bin/env python3
"""The measures as an SRE reads them, end to end through `dcsim run`:

- an operator's unit switch with no fault fails writes while the unit
  moves: those failures have the cause "switching", in summary.json and in
  timeseries.csv, and they make the stage's own incident;
- timeseries.csv has every series in every interval (a pivot has no
  holes), latency empty where nothing succeeded;
- the peak counts each user request once: served at the peak is never
  more than offered at the peak.

Usage: check_measures.py DCSIM (from the project's root)."""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict


def switch_scenario(folder):
    """The default scenario cut to three minutes, its faults replaced by an
    operator switching unit RZ01 to Shanghai at 00:01."""
    text = open("scenarios/double11-idc-power-loss.yaml", encoding="utf-8").read()
    text = text.replace("name: double11-idc-power-loss", "name: switch-by-hand")
    text = re.sub(r"stages: \[.*\]", "stages: [unit]", text)
    text = text.replace("duration: 21m", "duration: 3m")
    start = text.index("\nfaults:")
    after = re.search(r"\n[a-z_]+:", text[start + 1:])
    text = (text[:start] + '\nactions:\n  - {at: "00:01:00", kind: switch-unit, target: {unit: RZ01}, to: SH-A}\n'
            + text[start + 1 + after.start():])
    path = os.path.join(folder, "switch-by-hand.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def main():
    dcsim = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        scenario = switch_scenario(tmp)
        out = os.path.join(tmp, "out")
        run = subprocess.run([dcsim, "run", scenario, "--scale", "0.02", "--out", out],
                             capture_output=True, text=True, timeout=300)
        if run.returncode not in (0, 3):
            print(run.stdout, run.stderr)
            return 1
        folder = os.path.join(out, "switch-by-hand", "unit")
        summary = json.load(open(os.path.join(folder, "summary.json"), encoding="utf-8"))
        causes = summary["failures_by_cause"]
        print("failures by cause:", causes)
        if causes["switching"] <= 0 or causes["fault"] != 0:
            failures.append("a switch by hand with no fault should fail writes as switching, none as fault")
        if abs(sum(causes.values()) - summary["requests"]["failed"]) > 1e-6 * max(1, summary["requests"]["failed"]):
            failures.append("the causes do not add up to the failures")
        own = [i for i in summary["incidents"] if i["kind"] == "own"]
        print("incidents:", summary["incidents"])
        if len(own) != 1 or own[0]["cause"] != "switching":
            failures.append("the switch's SLO break should be the stage's own incident, caused by switching")
        peak = summary["peak"]
        if peak["served_per_s"] > peak["offered_per_s"] * (1 + 1e-9):
            failures.append("served at the peak is more than offered")

        # Every series every interval.
        series = defaultdict(set)
        times = set()
        switching = 0.0
        with open(os.path.join(folder, "timeseries.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                key = (row["unit"], row["type"], row["measure"])
                series[key].add(row["time"])
                times.add(row["time"])
                if key == ("all", "all", "failed_switching"):
                    switching += float(row["value"])
                if row["measure"].startswith("latency_") and row["value"] == "":
                    continue
                float(row["value"])
        holes = [k for k, t in series.items() if t != times]
        if holes:
            failures.append(f"series with holes: {holes[:5]}")
        for name in ("failed_overload", "failed_fault", "failed_shed", "failed_switching", "cross_dc_calls"):
            if ("all", "all", name) not in series:
                failures.append(f"timeseries.csv has no {name}")
        # Per-second rates over 1 s intervals add up to the count (the
        # warm-up included, so at least the measured part's).
        print(f"switching failures: {causes['switching']:.0f} in summary.json, {switching:.0f} in timeseries.csv")
        if switching + 1e-6 < causes["switching"] or switching <= 0:
            failures.append("timeseries.csv's switching failures do not add up")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
