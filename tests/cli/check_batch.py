#!/usr/bin/env python3
"""`dcsim batch` end to end, on sweeps of a two-minute cut of the
database-crash scenario:

- bad sweeps are refused with file:line:col and exit 2, before any run;
- the same sweep gives the same rows with -j 1 and -j 2 (and, given an
  MPI build, under `mpirun -n 2 --oversubscribe`), wall time aside;
- kill -9 in the middle, then the same command: every run there once,
  none lost or twice, PRAGMA integrity_check ok, the rows those of an
  uninterrupted batch;
- a worker killed by a signal (SIGKILL), and runs past their time bound, are
  recorded as crashed / timeout and the batch goes on (exit 1);
- --shard 1/2 and 2/2, merged, give the rows of the whole;
- export --csv gives a header and one line per run; summary prints
  "k of n not recovered";
- an exploration writes its worst runs as scenarios, and `dcsim run` on
  one reproduces the run's figures exactly;
- --set and --variant reach compare, and summary.json records them.

Usage: check_batch.py DCSIM [--mpi DCSIM_BUILT_WITH_MPI] (from the project's root)."""
import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.getcwd()
CRASH = os.path.join(ROOT, "scenarios", "db-primary-crash.yaml")
FIGURES = ("availability", "lost_writes", "users_affected", "p99_s", "rto_s", "not_recovered")

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def dcsim(*args, timeout=900):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout)


def sweep(folder, name, body, replicates=2):
    path = os.path.join(folder, name + ".yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""dcsim: 1
kind: sweep
name: {name}
scenario: {CRASH}
stages: [mature, unit]
scale: 0.02
set:
  start: "00:01:00"
  duration: 2m
replicates: {replicates}
time_limit: 2m
{body}""")
    return path


PARAMS = """parameters:
  - key: databases[core].replication.mode
    values: [async, semi-sync]
"""


def rows(db):
    """Every row but the wall time, by run."""
    con = sqlite3.connect(db)
    cur = con.execute("SELECT * FROM runs ORDER BY run")
    names = [d[0] for d in cur.description]
    out = [tuple(v for n, v in zip(names, r) if n != "wall_s") for r in cur]
    con.close()
    return out


def integrity(db):
    con = sqlite3.connect(db)
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    return ok


def bad_sweeps(exe, tmp):
    cases = [
        ("key", PARAMS.replace("databases[core].replication.mode", "databases[core].replication.mdoe"),
         'no key "mdoe" in replication (did you mean "mode"?)'),
        ("value", PARAMS.replace("[async, semi-sync]", "[async, fast]"), 'unknown value "fast"'),
        ("stage", PARAMS, 'no stage or variant named "unti"'),
        ("range", "parameters:\n  - key: geography.datacenters[HZ-A].power.ups\n    range: {from: 2m, to: 10}\n",
         "from and to must be quantities of one kind"),
    ]
    for name, body, expect in cases:
        path = sweep(tmp, "bad-" + name, body)
        if name == "stage":
            text = open(path).read().replace("stages: [mature, unit]", "stages: [mature, unti]")
            open(path, "w").write(text)
        r = dcsim(exe, "batch", path, "--out", os.path.join(tmp, "bad-out"))
        check(r.returncode == 2, f"bad sweep ({name}): exit {r.returncode}, want 2")
        check(expect in r.stderr and f"{path}:" in r.stderr, f"bad sweep ({name}): {r.stderr.strip()[:300]!r}")
        check(not os.path.exists(os.path.join(tmp, "bad-out", "runs.sqlite")), f"bad sweep ({name}): a database was made")


def main():
    exe = os.path.abspath(sys.argv[1])
    mpi = sys.argv[sys.argv.index("--mpi") + 1] if "--mpi" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        bad_sweeps(exe, tmp)
        s = sweep(tmp, "modes", PARAMS)
        r = dcsim(exe, "validate", s)
        check(r.returncode == 0 and "8 runs: 2 points x 2 stages x 2 seeds" in r.stdout, f"validate: {r.stdout}{r.stderr}")

        one, two = os.path.join(tmp, "j1"), os.path.join(tmp, "j2")
        r1 = dcsim(exe, "batch", s, "-j", "1", "--out", one)
        check(r1.returncode == 0, f"-j 1: exit {r1.returncode}: {r1.stderr[-500:]}")
        r2 = dcsim(exe, "batch", s, "-j", "2", "--out", two)
        check(r2.returncode == 0, f"-j 2: exit {r2.returncode}: {r2.stderr[-500:]}")
        base = rows(os.path.join(one, "runs.sqlite"))
        con = sqlite3.connect(os.path.join(one, "runs.sqlite"))
        statuses = [x[0] for x in con.execute("SELECT status FROM runs")]
        con.close()
        check(len(base) == 8 and statuses == ["ok"] * 8, f"-j 1 rows: {statuses} {base[:2]}")
        check(rows(os.path.join(two, "runs.sqlite")) == base, "-j 2 gives other rows than -j 1")
        check("of 2 not recovered" in r1.stdout and "availability" in r1.stdout, "summary: " + r1.stdout[-800:])
        check(os.path.exists(os.path.join(one, "report", "summary.html")), "no report/summary.html")

        # Again: every run done already, nothing run twice.
        r = dcsim(exe, "batch", s, "-j", "2", "--out", two)
        check(r.returncode == 0 and "8 done already" in r.stdout, f"rerun: {r.stdout[:300]}")
        check(rows(os.path.join(two, "runs.sqlite")) == base, "rerun changed the rows")

        if mpi:
            m = os.path.join(tmp, "mpi")
            env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                       OMPI_MCA_rmaps_base_oversubscribe="1")
            r = subprocess.run(["mpirun", "-n", "2", "--oversubscribe", mpi, "batch", s, "--out", m],
                               capture_output=True, text=True, timeout=900, env=env)
            check(r.returncode == 0, f"mpirun -n 2: exit {r.returncode}: {r.stdout[-400:]} {r.stderr[-800:]}")
            check("1 worker ranks" in r.stdout, f"mpirun -n 2 did not spread over ranks: {r.stdout[:300]}")
            check(os.path.exists(os.path.join(m, "runs.sqlite")) and rows(os.path.join(m, "runs.sqlite")) == base,
                  "mpirun -n 2 gives other rows than -j 1")

        # Shards, merged.
        sh = os.path.join(tmp, "shards")
        for k in ("1/2", "2/2"):
            r = dcsim(exe, "batch", s, "-j", "2", "--shard", k, "--out", sh)
            check(r.returncode == 0, f"--shard {k}: exit {r.returncode}: {r.stderr[-300:]}")
        r = dcsim(exe, "batch", "merge", sh)
        check(r.returncode == 0, f"merge: {r.stdout} {r.stderr}")
        check(rows(os.path.join(sh, "runs.sqlite")) == base, "merged shards give other rows")
        check(integrity(os.path.join(sh, "runs.sqlite")) == "ok", "merged database fails integrity_check")

        # The per-interval series, when asked for: one row a second.
        ser = sweep(tmp, "series", "series: true\n", replicates=1)
        so = os.path.join(tmp, "series-out")
        r = dcsim(exe, "batch", ser, "-j", "2", "--out", so)
        con = sqlite3.connect(os.path.join(so, "runs.sqlite"))
        counts = [x[0] for x in con.execute("SELECT count(*) FROM series GROUP BY run ORDER BY run")]
        con.close()
        check(r.returncode == 0 and counts == [150, 150], f"series: exit {r.returncode}, rows per run {counts}")

        # Export.
        r = dcsim(exe, "batch", "export", one, "--csv")
        table = list(csv.reader(io.StringIO(r.stdout)))
        check(r.returncode == 0 and len(table) == 9 and table[0][:4] == ["run", "stage", "seed", "point"]
              and "mode" in table[0] and "availability" in table[0], f"export: {r.stdout[:300]} {r.stderr}")

        # kill -9 in the middle, then resume.
        big = sweep(tmp, "killed", PARAMS, replicates=5)
        k = os.path.join(tmp, "killed")
        db = os.path.join(k, "runs.sqlite")
        p = subprocess.Popen([exe, "batch", big, "-j", "2", "--out", k], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.time() + 300
        seen = 0
        while time.time() < deadline and p.poll() is None:
            try:
                con = sqlite3.connect(db, timeout=5)
                seen = con.execute("SELECT count(*) FROM runs").fetchone()[0]
                con.close()
            except sqlite3.Error:
                seen = 0
            if seen >= 5:
                break
            time.sleep(0.05)
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
        p.wait()
        check(killed and 5 <= seen < 20, f"kill -9: the batch ended before it could be killed ({seen} rows)")
        check(integrity(db) == "ok", "after kill -9: integrity_check fails")
        r = dcsim(exe, "batch", big, "-j", "2", "--out", k)
        check(r.returncode == 0, f"resume: exit {r.returncode}: {r.stderr[-400:]}")
        after = rows(db)
        check(len(after) == 20 and len({x[0] for x in after}) == 20, f"resume: {len(after)} rows")
        full = os.path.join(tmp, "full")
        dcsim(exe, "batch", big, "-j", "2", "--out", full)
        check(after == rows(os.path.join(full, "runs.sqlite")), "resumed rows differ from an uninterrupted batch")
        check(integrity(db) == "ok", "after resume: integrity_check fails")

        # A worker killed by a signal; runs past their bound.
        c = os.path.join(tmp, "crash")
        p = subprocess.Popen([exe, "batch", s, "-j", "1", "--out", c], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        struck = False
        deadline = time.time() + 120
        while time.time() < deadline and not struck and p.poll() is None:
            kids = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
            if kids:
                time.sleep(0.2)
                # SIGKILL, as the OOM killer would: a sanitizer build turns
                # a SIGSEGV into an abort of its own, SIGKILL stays itself.
                os.kill(int(kids[0]), signal.SIGKILL)
                struck = True
            time.sleep(0.05)
        out, err = p.communicate(timeout=600)
        con = sqlite3.connect(os.path.join(c, "runs.sqlite"))
        statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY run")]
        reasons = [r[0] for r in con.execute("SELECT reason FROM runs WHERE status != 'ok'")]
        con.close()
        check(struck and p.returncode == 1 and statuses.count("crashed") == 1 and len(statuses) == 8,
              f"crash: exit {p.returncode}, statuses {statuses}")
        check(any("killed by signal 9" in (x or "") for x in reasons), f"crash reason: {reasons}")
        t = os.path.join(tmp, "timeout")
        r = dcsim(exe, "batch", s, "-j", "2", "--time-limit", "0.05", "--out", t)
        con = sqlite3.connect(os.path.join(t, "runs.sqlite"))
        statuses = [x[0] for x in con.execute("SELECT status FROM runs")]
        con.close()
        check(r.returncode == 1 and statuses == ["timeout"] * 8, f"timeout: exit {r.returncode}, {statuses}")

        # An exploration's worst run, replayed.
        e = sweep(tmp, "explore", """explore:
  runs: 4
  from: "00:01:00"
  to: "00:02:00"
  kinds: [db-primary, power, link-cut]
  rank_by: lost-writes
  worst: 2
""", replicates=1)
        text = open(e).read().replace("replicates: 1\n", "").replace("stages: [mature, unit]", "stages: [mature]")
        open(e, "w").write(text)
        eo = os.path.join(tmp, "explore-out")
        r = dcsim(exe, "batch", e, "-j", "2", "--out", eo)
        check(r.returncode == 0, f"explore: exit {r.returncode}: {r.stderr[-500:]}")
        worst = sorted(os.listdir(os.path.join(eo, "worst"))) if os.path.isdir(os.path.join(eo, "worst")) else []
        check(len(worst) == 2, f"explore wrote {worst}")
        if worst:
            run = int(worst[0].split("-run")[1].split("-")[0])
            ro = os.path.join(tmp, "replay")
            rr = dcsim(exe, "run", os.path.join(eo, "worst", worst[0]), "--out", ro)
            check(rr.returncode in (0, 3), f"replay: exit {rr.returncode}: {rr.stderr[-300:]}")
            name = "explore-worst-1"
            summary = json.load(open(os.path.join(ro, name, "mature", "summary.json"))) if name else {}
            con = sqlite3.connect(os.path.join(eo, "runs.sqlite"))
            row = con.execute("SELECT availability, lost_writes, users_affected, p99_s, faults FROM runs WHERE run = ?",
                              (run,)).fetchone()
            con.close()
            got = (summary.get("availability"), summary.get("data", {}).get("lost_writes"),
                   summary.get("users", {}).get("affected"), summary.get("latency_s", {}).get("p99"))
            check(row is not None and tuple(row[:4]) == got, f"replay of run {run}: {got} != {row}")
            check(row is not None and row[4] and row[4].startswith("[{at:"), f"faults column: {row}")

        # --set and --variant on compare, recorded.
        sc = os.path.join(tmp, "crash2.yaml")
        text = open(CRASH).read().replace("duration: 21m", "duration: 2m").replace(
            'start: "23:58:30"', 'start: "00:01:00"').replace(
            "stages: [pure, naive, mature, unit]", "stages: [unit]")
        open(sc, "w").write(text)
        co = os.path.join(tmp, "compare")
        r = dcsim(exe, "compare", sc, "--scale", "0.02", "--out", co, "--set",
                  "geography.datacenters[HZ-A].power.ups=5m", "--variant",
                  "unit-async:databases[core].replication.mode=async")
        check(r.returncode in (0, 3) and "unit-async" in r.stdout, f"compare --variant: {r.stdout[:400]} {r.stderr}")
        j = json.load(open(os.path.join(co, "db-primary-crash", "unit-async", "summary.json")))
        keys = [(o["key"], o["value"], o["from"]) for o in j.get("overrides", [])]
        check(j.get("variant_of") == "unit" and
              ("databases[core].replication.mode", "async", "variant unit-async") in keys and
              ("geography.datacenters[HZ-A].power.ups", "5m", "--set") in keys, f"summary.json overrides: {keys}")
        html = open(os.path.join(co, "db-primary-crash", "report.html"), encoding="utf-8").read()
        check("Set beyond the files" in html and "unit-async (a variant of unit)" in html, "report lacks the settings")
        j = json.load(open(os.path.join(co, "db-primary-crash", "unit", "summary.json")))
        check([o["from"] for o in j["overrides"]] == ["--set"], f"unit's overrides: {j['overrides']}")
    if failures:
        print(f"{len(failures)} checks failed")
        return 1
    print("all batch checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
