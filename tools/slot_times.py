#!/usr/bin/env python
"""How long each lesson's core path takes in class, and the course plans built from it.

A lesson's **core path** is every cell before the markdown cell that starts with
``## Going further`` (the whole notebook if it has none); the Binder/Colab header
cell is not counted. Its time is the sum of three parts, each stated here:

* **words** — the markdown words of the core path, at ``WORDS_PER_MINUTE`` (120: the
  pace of an instructor who projects the text and says it, with the formulas
  explained rather than read out; a student reading alone is faster);
* **run time** — the code cells' execution time, **measured**: ``--measure``
  executes every lesson in a fresh kernel and stores each code cell's time (by cell
  id) in ``tools/slot_times.json``; without ``--measure`` the stored times are used.
  A code cell with no stored time (a new or changed cell) makes the script fail
  with a message saying to measure again;
* **Stop and ask** — ``STOP_MINUTES`` (2) per ``**Stop and ask:**`` prompt on the
  core path: the class predicts, then the cell runs.

Each lesson has a slot (``SLOTS``, the minutes the course gives it) and the two
course plans (``PLANS``) put the lessons into sessions. The script prints the table
and, with ``--write``, rewrites the block between ``<!-- slot-times:begin -->`` and
``<!-- slot-times:end -->`` in ``docs/teaching.md``; ``tests/test_slot_times.py``
checks that the block is what the script writes now and that every core path fits
its slot::

    python tools/slot_times.py                     # print the table (stored run times)
    python tools/slot_times.py --measure --write   # execute the lessons, store times, rewrite the block
    python tools/slot_times.py --check             # exit 1 if teaching.md's block is stale
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TIMINGS = ROOT / "tools" / "slot_times.json"
TEACHING = ROOT / "docs" / "teaching.md"

WORDS_PER_MINUTE = 120
STOP_MINUTES = 2.0
GOING_FURTHER = "## Going further"
STOP = "**Stop and ask:**"
BEGIN, END = "<!-- slot-times:begin -->", "<!-- slot-times:end -->"

# minutes the course gives each lesson (its slot); the core path must fit
SLOTS = {"00": 10, "01": 20, "02": 25, "03": 25, "04": 25, "05": 35, "06": 15, "07": 15,
         "08": 35, "09": 25, "10": 30}

# the two course plans: (session length, [(lesson or activity, minutes or None = the lesson's slot), ...])
PLANS = {
    "Three 90-minute sessions": (90, [
        ["00", "01", "02", "03"],
        ["04", "05", "06", "07"],
        ["08", "09", "10"],
    ]),
    "Six 50-minute sessions": (50, [
        ["00", "01", ("homework 1 started in class", 15)],
        ["02", "03"],
        ["04", "06"],
        ["05", "07"],
        ["08", ("the stepper on all 150 flowers (08, Going further), played by the students", 10)],
        ["09", ("10 as a tour (S000-1, S000-2, D-7, D-8/D-9)", 10),
         ("questions and homework 3", 15)],
    ]),
}


def lessons():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def core_cells(nb):
    """The cells of the core path: everything before the first '## Going further' markdown cell."""
    out = []
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and src.lstrip().startswith(GOING_FURTHER):
            break
        out.append(cell)
    return out


def _is_header(cell):
    return bool(cell.get("metadata", {}).get("softmax_lab", {}).get("header"))


def measure(paths):
    """Execute each notebook in a fresh kernel; return {stem: {cell id: seconds}}."""
    import time

    import nbformat
    from nbclient import NotebookClient

    result = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
        times = {}
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                start = time.perf_counter()
                client.execute_cell(cell, index)
                times[cell.id] = round(time.perf_counter() - start, 2)
        result[path.stem] = times
        print(f"measured {path.name}: {sum(times.values()):.1f} s in {len(times)} code cells", file=sys.stderr)
    return result


def lesson_times(timings):
    """One row per lesson: number, title, words, run seconds, stops, minutes, slot."""
    rows = []
    for path in lessons():
        nb = json.loads(path.read_text(encoding="utf-8"))
        number = path.name[:2]
        stored = timings.get(path.stem, {})
        words, seconds, stops = 0, 0.0, 0
        for cell in core_cells(nb):
            src = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and not _is_header(cell):
                words += len(src.split())
                stops += src.count(STOP)
            elif cell["cell_type"] == "code":
                if cell.get("id") not in stored:
                    raise SystemExit(f"{path.name}: code cell {cell.get('id')!r} has no measured time in "
                                     f"{TIMINGS.relative_to(ROOT)}; run: python tools/slot_times.py --measure --write")
                seconds += stored[cell["id"]]
        minutes = words / WORDS_PER_MINUTE + seconds / 60 + stops * STOP_MINUTES
        title = next(("".join(c["source"]).splitlines()[0].lstrip("# ").strip() for c in nb["cells"]
                      if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("# ")), path.stem)
        rows.append(dict(number=number, title=title, words=words, seconds=seconds, stops=stops,
                         minutes=minutes, slot=SLOTS[number]))
    return rows


def render(rows):
    """The markdown block for docs/teaching.md."""
    by = {r["number"]: r for r in rows}
    out = [BEGIN,
           "<!-- written by tools/slot_times.py --write from the notebooks and tools/slot_times.json; do not edit by hand -->",
           "",
           f"Core path = the cells before `## Going further`. Its time = markdown words at {WORDS_PER_MINUTE} words per minute "
           f"(projected and said, formulas explained) + the code cells' measured run time + {STOP_MINUTES:g} minutes per "
           "**Stop and ask**. The slot is what the plans below give the lesson.",
           "",
           "| lesson | words | run time | Stop and ask | core path | slot |",
           "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['title']} | {r['words']:,} | {r['seconds']:.0f} s | {r['stops']} | "
                   f"{r['minutes']:.1f} min | {r['slot']} min |")
    for name, (length, sessions) in PLANS.items():
        total = length * len(sessions)
        out += ["", f"**{name} ({total} min)**", "", "| session | lessons (slot minutes) | minutes |", "|---|---|---|"]
        for k, items in enumerate(sessions, 1):
            parts, used = [], 0
            for item in items:
                if isinstance(item, tuple):
                    label, minutes = item
                else:
                    label, minutes = f"{item} {short_title(by[item]['title'])}", by[item]["slot"]
                parts.append(f"{label} ({minutes})")
                used += minutes
            spare = length - used
            out.append(f"| {k} | {' · '.join(parts)} | {used}" + (f" + {spare} spare |" if spare else " |"))
    out.append(END)
    return "\n".join(out)


def short_title(title):
    return re.sub(r"^\d\d\s*·\s*", "", title).split(":")[0].strip()


def plan_overflows(rows):
    """Sessions whose lessons and activities need more than the session's length."""
    by = {r["number"]: r for r in rows}
    bad = []
    for name, (length, sessions) in PLANS.items():
        for k, items in enumerate(sessions, 1):
            used = sum(item[1] if isinstance(item, tuple) else by[item]["slot"] for item in items)
            if used > length:
                bad.append(f"{name}, session {k}: {used} > {length} min")
    return bad


def block_in(text):
    m = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), text, flags=re.S)
    return m.group(0) if m else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--measure", action="store_true", help="execute the lessons and store each code cell's time")
    ap.add_argument("--write", action="store_true", help="rewrite the block in docs/teaching.md")
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/teaching.md's block is not what would be written")
    args = ap.parse_args(argv)
    if args.measure:
        TIMINGS.write_text(json.dumps(measure(lessons()), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    timings = json.loads(TIMINGS.read_text(encoding="utf-8")) if TIMINGS.exists() else {}
    rows = lesson_times(timings)
    print(f"{'lesson':<48} {'words':>6} {'run':>6} {'stops':>5} {'core':>9} {'slot':>5}")
    for r in rows:
        flag = "" if r["minutes"] <= r["slot"] else "  OVER"
        print(f"{r['title'][:48]:<48} {r['words']:>6} {r['seconds']:>5.0f}s {r['stops']:>5} "
              f"{r['minutes']:>7.1f} m {r['slot']:>4}m{flag}")
    block = render(rows)
    text = TEACHING.read_text(encoding="utf-8")
    current = block_in(text)
    if args.write:
        if current is None:
            raise SystemExit(f"{TEACHING.relative_to(ROOT)} has no {BEGIN} … {END} block to rewrite")
        TEACHING.write_text(text.replace(current, block), encoding="utf-8")
        print(f"wrote the block in {TEACHING.relative_to(ROOT)}")
    elif args.check and current != block:
        print(f"{TEACHING.relative_to(ROOT)}: the slot-times block is stale; run python tools/slot_times.py --write")
        return 1
    for problem in plan_overflows(rows):
        print("plan overflows:", problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
