#!/usr/bin/env python
"""Grading time for a class: nbgrader autograde on a synthetic class, seconds per submission.

For each assignment, a class of ``--students`` submissions (default 50) made from
nbgrader's own starter in a throwaway course (``tools/homework.py``'s course and its
configuration, as homework/README.md sets one up):

* the model solution; the untouched starter; one task left unfinished;
* the student answers of ``tests/mistakes.py``'s ``STUDENT_ANSWERS`` (the homework
  battery: wrong and unusual-correct answers, one cell replaced), where present;
* about one in ten with an endless loop in one task's function (``while True``).

Measured, in one run, on the same submissions:

* ``serial``: nbgrader's Autograde converter grading ``--sample`` submissions one after
  another in one process (what ``nbgrader autograde ID`` does);
* ``parallel``: ``tools/homework.py autograde --jobs N`` grading the whole class: N
  processes, each on its own students with its own copy of the gradebook, merged by one
  writer afterwards;
* the check that the merge is safe: the sample's per-cell scores in the merged gradebook
  equal the serial run's, and every submission has every grade.

Usage::

    python bench/grading.py                     # 50 per assignment, all five, 2 jobs
    python bench/grading.py --students 200 --assignments 01_stable_softmax

Prints a Markdown table (bench/RESULTS.md's "Grading" section is one such run) and the
machine's load average at start and end (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
import homework as hw  # noqa: E402


def _solution_cells(source_nb):
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def _endless(source):
    """The cell with its first function's body starting with an endless loop."""
    return re.sub(r"^(def [^\n]*:\n)", r"\1    while True:  # the student's endless loop\n        pass\n",
                  source, count=1, flags=re.M)


def _battery_answers(aid):
    """(grade_id, source) of tests/mistakes.py's STUDENT_ANSWERS for this assignment, if any."""
    try:
        import mistakes
    except Exception:  # noqa: BLE001 - the battery is optional for the bench
        return []
    answers = getattr(mistakes, "STUDENT_ANSWERS", {}).get(aid, {})
    return [(gid, entry[0]) for gid, entries in answers.items() for entry in entries]


def synthetic_class(release_nb, source_nb, aid, n):
    """n submissions (name, notebook, kind), deterministic, cycling through the kinds above."""
    solutions = _solution_cells(source_nb)
    gids = [gid for gid in solutions if re.search(r"^def ", solutions[gid], re.M)]
    variants = [("solution", {}), ("starter", None)]
    variants += [(f"unfinished_{gid}", {g: s for g, s in solutions.items() if g != gid}) for gid in gids[-1:]]
    variants += [(f"answer_{i}", {**solutions, gid: src}) for i, (gid, src) in enumerate(_battery_answers(aid))]
    loops = [(f"loop_{gid}", {**solutions, gid: _endless(solutions[gid])}) for gid in gids]
    kinds = []
    for i in range(n):
        if i % 10 == 9 and loops:  # one in ten loops forever
            kinds.append(loops[(i // 10) % len(loops)])
        else:
            kinds.append(variants[i % len(variants)])
    out = []
    for i, (kind, cells) in enumerate(kinds):
        nb = nbformat.from_dict(release_nb)
        if cells is not None:
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in solutions:
                    cell.source = (cells or solutions).get(gid, cell.source)
        out.append((f"s{i:03d}", nb, kind))
    return out


def grade_scores(db, aid, students):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        out = {}
        for student in students:
            sub = gb.find_submission_notebook(aid, aid, student)
            out[student] = {g.name: g.score for g in sub.grades}
        return out


def _set_call_seconds(config_path, seconds):
    """homework/nbgrader_config.py's STUDENT_CALL_SECONDS, set in this course's copy."""
    if seconds:
        text = Path(config_path).read_text(encoding="utf-8")
        assert "STUDENT_CALL_SECONDS = None" in text
        Path(config_path).write_text(text.replace("STUDENT_CALL_SECONDS = None", f"STUDENT_CALL_SECONDS = {seconds}"),
                                     encoding="utf-8")


def bench_assignment(aid, n, sample, jobs, tmp, call_seconds=None):
    course = hw.write_course(Path(tmp) / aid / "course", [aid])
    _set_call_seconds(course / "nbgrader_config.py", call_seconds)
    grader = hw.Course(course)
    release_nb = nbformat.read(grader.generate_assignment(aid), as_version=4)
    source_nb = nbformat.read(course / "source" / aid / f"{aid}.ipynb", as_version=4)
    subs = synthetic_class(release_nb, source_nb, aid, n)
    for name, nb, _ in subs:
        folder = course / "submitted" / name / aid
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{aid}.ipynb")
    pristine = Path(tmp) / aid / "gradebook-after-generate.db"
    shutil.copy2(course / "gradebook.db", pristine)

    # serial: nbgrader's Autograde on the sample, one process (a copy of the course)
    sample_names = [name for name, _, _ in subs[:sample]]
    serial_course = Path(tmp) / aid / "serial"
    shutil.copytree(course / "source", serial_course / "source")
    for name in sample_names:
        shutil.copytree(course / "submitted" / name, serial_course / "submitted" / name)
    (serial_course / "nbgrader_config.py").write_text(
        hw.course_config(fixed_root=serial_course.resolve()), encoding="utf-8")
    _set_call_seconds(serial_course / "nbgrader_config.py", call_seconds)
    shutil.copy2(pristine, serial_course / "gradebook.db")
    start = time.perf_counter()
    try:
        hw.Course(serial_course).autograde(aid)
        serial_ok = True
    except RuntimeError:
        serial_ok = False
    serial = time.perf_counter() - start

    # parallel: the whole class
    start = time.perf_counter()
    result = hw.autograde_parallel(course, aid, jobs=jobs, log=lambda *_: None)
    parallel = time.perf_counter() - start

    # the merge is safe: same per-cell scores as the serial run, every submission complete
    same = (grade_scores(serial_course / "gradebook.db", aid, sample_names)
            == grade_scores(course / "gradebook.db", aid, sample_names))
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_notebook(aid, aid)
        n_cells = len(notebook.grade_cells) + len(getattr(notebook, "task_cells", []))
        complete = all(len(gb.find_submission_notebook(aid, aid, name).grades) == n_cells
                       and gb.find_submission_notebook(aid, aid, name).score is not None
                       for name, _, _ in subs)
        n_graded = len(gb.assignment_submissions(aid))
    loops = sum(kind.startswith("loop_") for _, _, kind in subs)
    return {"aid": aid, "n": n, "loops": loops, "sample": sample, "serial": serial, "serial_ok": serial_ok,
            "parallel": parallel, "jobs": jobs, "graded": n_graded, "failed": sorted(result["failed"]),
            "same": same, "complete": complete}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=50, help="submissions per assignment")
    parser.add_argument("--sample", type=int, default=8, help="submissions also graded serially")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--assignments", nargs="*", default=None)
    parser.add_argument("--call-seconds", type=float, default=None,
                        help="homework/nbgrader_config.py's STUDENT_CALL_SECONDS (default: softmax_lab's limit)")
    args = parser.parse_args(argv)
    aids = args.assignments or hw.assignment_ids()
    load0 = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="softmax-lab-bench-grading-") as tmp:
        for aid in aids:
            row = bench_assignment(aid, args.students, min(args.sample, args.students), args.jobs, tmp,
                                   args.call_seconds)
            rows.append(row)
            print(f"{aid}: {row}", flush=True)
    load1 = os.getloadavg()
    print()
    print(f"student call limit: {args.call_seconds or 'softmax_lab default'} s; "
          f"cell limit: homework/nbgrader_config.py's Execute.timeout")
    print(f"load average at start {load0[0]:.1f} / {load0[1]:.1f} / {load0[2]:.1f}, "
          f"at end {load1[0]:.1f} / {load1[1]:.1f} / {load1[2]:.1f} (1/5/15 min; {os.cpu_count()} cores)")
    print()
    print("| assignment | submissions (endless loops) | serial s/submission (sample) | "
          f"parallel s/submission ({args.jobs} jobs) | speed-up | 200 submissions, parallel | merge = serial, complete |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        s_serial, s_par = r["serial"] / r["sample"], r["parallel"] / r["n"]
        print(f"| {r['aid']} | {r['n']} ({r['loops']}) | {s_serial:.2f} ({r['sample']}) | {s_par:.2f} | "
              f"{s_serial / s_par:.2f}x | {200 * s_par / 60:.1f} min | "
              f"{'yes' if r['same'] else 'NO'}, {'yes' if r['complete'] and r['graded'] == r['n'] else 'NO'}"
              f"{'; worker failures ' + str(r['failed']) if r['failed'] else ''} |")
    bad = [r["aid"] for r in rows if not (r["same"] and r["complete"] and r["graded"] == r["n"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
