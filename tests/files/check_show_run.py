#!/usr/bin/env python3
"""`dcsim show` prints a scenario resolved and normalised; running what it
printed must give the same bytes as running the file itself (issue 3).
Usage: check_show_run.py DCSIM"""
import os
import shutil
import subprocess
import sys
import tempfile

SCENARIO = "tests/scenarios/compare-small.yaml"
NAME = "compare-small"


def run(dcsim, scenario, out):
    r = subprocess.run([dcsim, "run", scenario, "--out", out], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit("dcsim run %s failed (%d): %s" % (scenario, r.returncode, r.stderr[-400:]))


def main():
    dcsim = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="dcsim-show-")
    try:
        shown = os.path.join(tmp, "shown.yaml")
        r = subprocess.run([dcsim, "show", SCENARIO], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            sys.exit("dcsim show failed: " + r.stderr[-400:])
        with open(shown, "w") as f:
            f.write(r.stdout)
        run(dcsim, SCENARIO, os.path.join(tmp, "a"))
        run(dcsim, shown, os.path.join(tmp, "b"))
        compared = 0
        for root, _, names in os.walk(os.path.join(tmp, "a", NAME)):
            for n in names:
                if n == "meta.json":  # wall time, host and command differ by design
                    continue
                p1 = os.path.join(root, n)
                p2 = os.path.join(tmp, "b", os.path.relpath(p1, os.path.join(tmp, "a")))
                if not os.path.isfile(p2) or open(p1, "rb").read() != open(p2, "rb").read():
                    sys.exit("not the same bytes: " + os.path.relpath(p1, tmp))
                compared += 1
        if compared < 4 * 3:  # summary, timeseries and events for each of four stages
            sys.exit("only %d files compared" % compared)
        print("show then run: %d files byte-identical" % compared)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
