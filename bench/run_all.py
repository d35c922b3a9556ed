"""Run every benchmark and write bench/RESULTS.md (what `make bench` calls).

Each script runs in its own process (clean memory high-water marks, a fresh
import for the import-time figure), appends its section to a scratch file and
one line per goal to a JSON-lines summary; this script then writes
RESULTS.md = header + machine + "goals at a glance" + the library changes
made for these goals (bench/library_changes.md, before/after numbers) + the
seven sections.

    python bench/run_all.py                 # everything (~5-8 min on 2 shared cores)
    python bench/run_all.py --quick         # tiny sizes: checks the scripts run
    python bench/run_all.py --only gradient_floor memory   # re-run two sections and
        # replace just those in an existing RESULTS.md (the others are kept, and the
        # header says which sections come from which run)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common

# which "## N." section(s) and goal rows each script writes
SECTIONS = {
    "gradient_floor": ("1",), "fit_epoch": ("2",), "torch_peer": ("3",),
    "naive_vs_vectorized": ("4",), "memory": ("5",), "interaction": ("6", "widget step"),
    "suite_time": ("7",), "click_to_paint": ("8", "click-to-paint"),
}
GOAL_ORDER = ["1", "2", "3", "4", "5", "widget step", "6", "7", "click-to-paint"]
SECTION_RE = re.compile(r"^## (\d)\. ", re.M)

SCRIPTS = [
    "gradient_floor",       # 1
    "fit_epoch",            # 2
    "torch_peer",           # 3
    "naive_vs_vectorized",  # 4
    "memory",               # 5
    "interaction",          # 6 (runs widget_step.py)
    "suite_time",           # 7 (runs `make test` twice)
    "click_to_paint",       # 8 (JupyterLab + Chromium, the two earlier widgets vs this one; run alone)
]


def verdict_text(g):
    return g["verdict"] if "verdict" in g else common.verdict(g["ok"])


def split_sections(text):
    """{"1": "## 1. ...", ...}: each numbered section up to the next one (or the end)."""
    starts = [m.start() for m in SECTION_RE.finditer(text)] + [len(text)]
    return {text[a + 3]: text[a:b] for a, b in zip(starts, starts[1:])}


def parse_goals(text):
    """Rows of an existing 'Goals at a glance' table."""
    part = text.split("## Goals at a glance", 1)[-1].split("\n## ", 1)[0]
    rows = []
    for line in part.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("section", "---") and not cells[0].startswith("-"):
            rows.append({"section": cells[0], "goal": cells[1], "measured": cells[2],
                         "verdict": cells[3]})
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    p.add_argument("--only", nargs="+", choices=SCRIPTS, help="run only these scripts")
    p.add_argument("--results", default=str(common.RESULTS), help="output Markdown file")
    args = p.parse_args(argv)
    todo = args.only or SCRIPTS
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sections, summary = Path(tmp, "sections.md"), Path(tmp, "summary.jsonl")
        sections.touch()
        summary.touch()
        timings, failed = [], []
        for name in todo:
            cmd = [sys.executable, str(common.BENCH_DIR / f"{name}.py"), "--results", str(sections),
                   "--summary", str(summary)] + (["--quick"] if args.quick else [])
            print(f"== {name}", flush=True)
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=common.BENCH_DIR)
            timings.append((name, time.perf_counter() - t0))
            if proc.returncode != 0:
                failed.append(name)
                with open(sections, "a", encoding="utf-8") as fh:
                    fh.write(f"\n## {SECTIONS[name][0]}. {name}: FAILED (exit {proc.returncode}; "
                             "see the make bench log)\n")
        goals = [json.loads(line) for line in summary.read_text(encoding="utf-8").splitlines() if line]
        body = sections.read_text(encoding="utf-8")
    total = time.perf_counter() - t_start
    run_line = (
        f"`bench/run_all.py{' --quick' if args.quick else ''}"
        f"{' --only ' + ' '.join(todo) if args.only else ''}` on "
        f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, {common.fmt_s(total)} "
        f"({', '.join(f'{n} {common.fmt_s(s)}' for n, s in timings)})"
    )
    header = [f"Written by `make bench`: {run_line}.", "", f"_{common.machine_line()}_"]
    sections_by_num = split_sections(body)
    target = Path(args.results)
    if args.only and target.exists():  # merge into the previous full run
        old = target.read_text(encoding="utf-8")
        redone = {sec for name in todo for sec in SECTIONS[name]}
        kept = [g for g in parse_goals(old) if g["section"] not in redone]
        goals = kept + goals
        old_sections = split_sections(old)
        old_sections.update(sections_by_num)
        sections_by_num = old_sections
        old_header = old.split("\n## ", 1)[0].split("\n", 1)[1].split("\nHow to read:")[0].strip()
        # drop the previous machine line (each section carries its own), keep the history
        old_header = re.sub(r"\n\n_machine:[^\n]*_$", "", old_header)
        old_header = old_header.replace("; the other sections are from the run above.", ".")
        old_header = old_header.replace(
            " Sections not named in a re-run line come from the full run; each section's own "
            "line gives its time and machine load.", "")
        header = [old_header, "", f"Sections {', '.join(sorted(s for s in redone if s.isdigit()))} "
                  f"re-run by {run_line}. Sections not named in a re-run line come from the "
                  f"full run; each section's own line gives its time and machine load.",
                  "", f"_{common.machine_line()}_"]
    goals.sort(key=lambda g: GOAL_ORDER.index(g["section"]) if g["section"] in GOAL_ORDER else 99)
    body = "\n".join(sections_by_num[k].strip() + "\n" for k in sorted(sections_by_num))
    changes = common.BENCH_DIR / "library_changes.md"
    out = [
        "# softmax-lab benchmarks",
        "",
        *header,
        "",
        "How to read: every time is a median over repeated runs with (min–max); every "
        "comparison is a ratio measured in the same process, interleaved round by round "
        "(ratios are per round, then the median). The machine is shared (see the load "
        "average in each section): the min column is the closest to an idle machine; the "
        "ratios are more stable than the times.",
        "",
        "## Goals at a glance",
        "",
        common.md_table(["section", "goal", "measured", "verdict"],
                        [[g["section"], g["goal"], g["measured"], verdict_text(g)]
                         for g in goals]),
    ]
    if failed:
        out += ["", f"**Failed scripts: {', '.join(failed)}**"]
    if changes.exists():
        out += ["", changes.read_text(encoding="utf-8").strip()]
    out += ["", body.strip(), ""]
    Path(args.results).write_text("\n".join(out), encoding="utf-8")
    print(f"\nwrote {args.results} in {common.fmt_s(total)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
