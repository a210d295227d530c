#!/usr/bin/env python3
"""check_report.py DCSIM -- the comparison report, end to end.

Runs `dcsim compare --check` on tests/scenarios/compare-small.yaml (whose
verdict fails), with captions added in a copy of it, and checks: exit 3
with every output kept; junit.xml lists each verdict as a test case;
report.html parses under html5lib's strict parser, fetches nothing and runs
no script; every SVG parses; headless Chromium loads the page without a
console error and its screenshot is not blank; the PNG charts show every
stage's colour and the fault band; the charts of success per request type,
failures by cause and cross-datacenter calls are there; the captions are
listed in "What happens when" and tagged on the charts; every detection,
switch and promotion in the window has a <title> in the SVGs (files and
inline); and a second run on one worker gives the same bytes (meta.json
aside).
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import html5lib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pngpixels import png_lines  # noqa: E402

SCENARIO = "tests/scenarios/compare-small.yaml"
NAME = "compare-small"
STAGES = ["pure", "naive", "mature", "unit"]
# Okabe-Ito, in the order stages take them (viz/draw/vz_palette.c).
STAGE_RGB = [(0xD5, 0x5E, 0x00), (0x00, 0x72, 0xB2), (0x00, 0x9E, 0x73), (0xE6, 0x9F, 0x00)]
# Captions for the copy of the scenario: one at a clock time, the others
# on events (the unit stage detects, switches and promotes; pure does not).
CAPTIONS = """
captions:
  - at: "00:00:20"
    text: "{time}: steady traffic"
  - on: fault
    text: "{target} is cut off"
  - on: detect
    text: "Detected {detect} s after the impact"
  - on: promote
    text: "{lost} writes lost"
"""
MARK_KINDS = ("detect", "switch", "promote")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def read_png(path):
    """Pixels of an 8-bit RGB or RGBA, non-interlaced PNG: (w, h, rows of (r, g, b))."""
    w, h, bpp, lines = png_lines(path)
    return w, h, [[tuple(line[x * bpp:x * bpp + 3]) for x in range(w)] for line in lines]


def near(p, q, tol):
    return all(abs(a - b) <= tol for a, b in zip(p, q))


def run_compare(dcsim, scenario, out, jobs):
    return subprocess.run([dcsim, "compare", scenario, "--out", out, "--check", "--jobs", str(jobs)],
                          capture_output=True, text=True, timeout=600)


def svg_titles(svg):
    """The texts of every <title> of an SVG (a file's text or an inline one)."""
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter() if t.tag.split("}")[-1] == "title"]


def measured_marks(top, stage, window):
    """(clock, kind) of the stage's detections, switches and promotions in the measured window."""
    marks = []
    with open(os.path.join(top, stage, "events.csv")) as f:
        for row in csv.DictReader(f):
            if row["kind"] in MARK_KINDS and 0 <= float(row["time"]) <= window:
                marks.append((row["clock"][:8], row["kind"]))
    return marks


def check_marks_titled(titles, top, where):
    """Every mark in the window is named in a tooltip (a group's lists up to
    twelve, then says how many more)."""
    told = "\n".join(titles)
    for stage in STAGES:
        marks = measured_marks(top, stage, 150)
        named = sum(1 for clock, kind in set(marks) if "%s %s, %s:" % (clock, stage, kind) in told)
        check(named == len(set(marks)) or (len(marks) > 12 and "more" in told),
              "%s: every mark of %s has a <title> (%d of %d)" % (where, stage, named, len(set(marks))))


def main():
    dcsim = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="dcsim-report-")
    try:
        scenario = os.path.join(tmp, "compare-small.yaml")
        with open(scenario, "w") as f:
            f.write(open(SCENARIO).read() + CAPTIONS)
        out = os.path.join(tmp, "a")
        r = run_compare(dcsim, scenario, out, 2)
        check(r.returncode == 3, "compare --check with a failing verdict exits 3 (got %d: %s)" % (r.returncode, r.stderr[-400:]))
        top = os.path.join(out, NAME)
        for stage in STAGES:
            for f in ("summary.json", "timeseries.csv", "events.csv", "junit.xml", "meta.json"):
                check(os.path.isfile(os.path.join(top, stage, f)), "kept %s/%s" % (stage, f))
        for f in ("report.html", "report.pdf", "junit.xml"):
            check(os.path.isfile(os.path.join(top, f)), "wrote " + f)
        check(open(os.path.join(top, "report.pdf"), "rb").read(5) == b"%PDF-", "report.pdf is a PDF")
        check("report.html" in r.stdout, "the path of the report is printed")

        # junit.xml: a test case per verdict per stage, failures marked.
        suites = ET.parse(os.path.join(top, "junit.xml")).getroot()
        check(suites.tag == "testsuites", "junit root")
        names = sorted(s.get("name") for s in suites.findall("testsuite"))
        check(names == sorted(STAGES), "a test suite per stage: %s" % names)
        for suite in suites.findall("testsuite"):
            cases = [c.get("name") for c in suite.findall("testcase")]
            check(cases == ["availability at least 99.999%", "lost-writes at most 0"], "verdicts of %s: %s" % (suite.get("name"), cases))
            failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
            check(int(suite.get("failures")) == len(failed), "failures counted in " + suite.get("name"))
            for c in failed:
                check(c.find("failure").get("message", "").startswith("got "), "a failure says what was got")
        check(any(c.find("failure") is not None for c in suites.iter("testcase")), "some verdict failed")

        # The HTML: strict parse, self-contained.
        html_path = os.path.join(top, "report.html")
        text = open(html_path, encoding="utf-8").read()
        try:
            html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
        except Exception as e:  # html5lib raises ParseError
            check(False, "report.html parses strictly: %s" % e)
        check("<script" not in text.lower(), "no script")
        check(not re.search(r'(src|href)\s*=\s*"(https?:|//)', text), "nothing fetched from elsewhere")
        for stage in STAGES:
            check(stage in text, "the report names " + stage)
        for word in ("Availability", "Nines", "RTO", "Lost writes", "RPO", "Users affected", "p99.9", "Cost", "Assumptions"):
            check(word in text, "the report has " + word)
        svgs = re.findall(r"<svg.*?</svg>", text, re.S)
        check(len(svgs) >= 12 + 2 * len(STAGES) + 1, "charts and topologies inline (%d svg)" % len(svgs))
        for i, svg in enumerate(svgs):
            try:
                ET.fromstring(svg)
            except ET.ParseError as e:
                check(False, "inline svg %d parses: %s" % (i, e))
        for chart in ["type-success-" + s for s in STAGES] + ["failures-" + s for s in STAGES] + ["cross-dc-calls"]:
            check('<figure id="%s">' % chart in text, "the report shows " + chart)
        check(text.count('<div class="multiples">') == 2, "small charts two abreast, twice")

        # The captions: listed in order under "What happens when", each
        # stage's moment told, and tagged on the inline success chart.
        section = re.search(r'<section id="captions">.*?</section>', text, re.S)
        check(section is not None and "What happens when" in section.group(0), "a What happens when section")
        if section:
            items = re.findall(r'<li><span class="on">([^<]*)</span>', section.group(0))
            check(items == ["at 00:00:20", "at the first fault event", "at the first detect event",
                            "at the first promote event"], "every caption listed in order: %s" % items)
            check("00:00:20: steady traffic" in section.group(0), "a caption's {time} filled")
            check("{" not in section.group(0), "every placeholder filled")
            check("pure" in section.group(0) and "never reached" in section.group(0),
                  "a stage that never promoted is said to have never reached it")
        inline = [svg for svg in svgs if 'id="success-ratio' in svg]
        check(len(inline) == 1, "the success-ratio chart inline")
        if inline:
            titles = svg_titles(inline[0])
            check(any(t.startswith("1. 00:00:20") for t in titles), "caption 1 tagged on the chart")
            check(any(t.startswith("isolate: most-primaries") for t in titles), "the fault band has a <title>")
            check_marks_titled(titles, top, "report.html")
        # The lost-writes chart and the headline agree: a stage whose total
        # exceeds its time series' last value (a promotion after the window)
        # is named in the chart's caption, and no other stage is.
        caption = re.search(r"Acknowledged writes lost[^<]*", text).group(0)
        for stage in STAGES:
            total = json.load(open(os.path.join(top, stage, "summary.json")))["data"]["lost_writes"]
            last = 0.0
            with open(os.path.join(top, stage, "timeseries.csv")) as f:
                for row in csv.reader(l for l in f if not l.startswith("#")):
                    if len(row) > 5 and row[4] == "lost_writes":
                        last = float(row[5])
            late = re.search(r"right edge:.*\b%s \d" % stage, caption) is not None
            check(late == (total > last + 0.5), "lost-writes caption and totals agree for %s (%s > %s: %s)" % (stage, total, last, late))

        charts = os.path.join(top, "charts")
        files = sorted(os.listdir(charts))
        want = (["success-ratio", "p99-latency", "throughput", "lost-writes", "cross-dc-calls"] +
                ["dc-share-" + s for s in STAGES] + ["type-success-" + s for s in STAGES] +
                ["failures-" + s for s in STAGES])
        for w in want:
            check(w + ".png" in files and w + ".svg" in files, "chart %s as PNG and SVG" % w)
        for f in files:
            if f.endswith(".svg"):
                try:
                    ET.parse(os.path.join(charts, f))
                except ET.ParseError as e:
                    check(False, "%s parses: %s" % (f, e))
        if os.path.isfile(os.path.join(charts, "success-ratio.svg")):
            check_marks_titled(svg_titles(open(os.path.join(charts, "success-ratio.svg")).read()), top,
                               "success-ratio.svg")

        # Success per request type: a line per type (pay is black, query sky
        # blue: vz_palette's colours 7 and 5) in the plot of each stage's,
        # read from the SVG: in the PNG a type whose ratio equals another's
        # (all at 100%) is rightly hidden under it, so counting its pixels
        # failed whenever the runs' noise happened to line them up.
        for stage in STAGES:
            path = os.path.join(charts, "type-success-%s.svg" % stage)
            if not os.path.isfile(path):
                continue
            svg = open(path).read()
            for name, rgb in (("pay", "rgb(0%,0%,0%)"), ("query", "rgb(33.72549%,70.588235%,91.372549%)")):
                points = max([d.count(" L ") for style, d in
                              re.findall(r'<path style="([^"]*)" d="([^"]*)"', svg)
                              if "stroke:" + rgb in style] or [0])
                check(points > 30, "%s's line in type-success-%s (%d points)" % (name, stage, points))

        # PNG charts: each stage's colour, and the fault band's tint.
        w, h, rows = read_png(os.path.join(charts, "success-ratio.png"))
        colours = {}
        for row in rows[60:h - 60]:
            for p in row[80:w - 20]:
                colours[p] = colours.get(p, 0) + 1
        for i, rgb in enumerate(STAGE_RGB):
            count = sum(n for p, n in colours.items() if near(p, rgb, 30))
            check(count > 30, "stage %s's colour in the plot (%d px)" % (STAGES[i], count))
        band = sum(n for p, n in colours.items() if near(p, (230, 230, 232), 6))
        check(band > 2000, "the fault band's tint in the plot (%d px)" % band)

        # Chromium: loads without console errors; the screenshot is not blank.
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        check(chromium is not None, "chromium is installed (.ci/deps installs it)")
        if chromium:
            shot = os.path.join(tmp, "shot.png")
            r2 = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                 "--no-first-run", "--user-data-dir=" + os.path.join(tmp, "chromium"),
                                 "--enable-logging=stderr", "--v=0", "--window-size=1280,1600",
                                 "--screenshot=" + shot, "file://" + html_path],
                                capture_output=True, text=True, timeout=120)
            console = [l for l in r2.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
            check(r2.returncode == 0 and os.path.isfile(shot), "chromium wrote a screenshot (%s)" % r2.stderr[-300:])
            check(not console, "no console message: %s" % console[:3])
            if os.path.isfile(shot):
                w, h, rows = read_png(shot)
                ink = sum(1 for row in rows[::4] for p in row[::4] if p != (255, 255, 255))
                distinct = len({p for row in rows[::8] for p in row[::8]})
                total = len(rows[::4]) * len(rows[0][::4])
                check(ink > total * 0.03, "the screenshot is not blank (%d of %d px inked)" % (ink, total))
                check(distinct > 20, "the screenshot has colour (%d colours)" % distinct)

        # Determinism: one worker instead of two, the same bytes.
        out2 = os.path.join(tmp, "b")
        run_compare(dcsim, scenario, out2, 1)
        for root, _, names in os.walk(top):
            for n in names:
                if n == "meta.json":
                    continue
                p1 = os.path.join(root, n)
                p2 = os.path.join(out2, os.path.relpath(p1, out))
                same = os.path.isfile(p2) and open(p1, "rb").read() == open(p2, "rb").read()
                check(same, "the same bytes on one worker: " + os.path.relpath(p1, out))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("report checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
