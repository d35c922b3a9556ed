#!/usr/bin/env python
"""The homework's student versions and student release, made by nbgrader itself.

The solution notebooks ``homework/NN_name.ipynb`` are nbgrader *source*
notebooks. Nothing here imitates nbgrader: every student notebook is written by
``nbgrader generate_assignment`` (nbgrader 0.9.6, the ``grade`` extra), run in a
throwaway course directory, so the checksums, the ``editable``/``deletable``
lock metadata and the cleared solutions are exactly nbgrader's.

The only thing done before nbgrader sees a notebook: its stored outputs and the
per-cell execution timestamps are dropped from the throwaway copy (nbgrader
clears outputs itself, but keeps cell metadata, so every re-execution of a
solution notebook would otherwise change the starters).

Usage::

    python tools/homework.py student            # homework/*.ipynb -> homework/student/
    python tools/homework.py student --check    # exit 1 if homework/student/ is stale
    python tools/homework.py release [--out build/homework-release]
                                                # folder + zip for a class: starters only

The functions are also used by tests/test_grading.py (course directory,
nbgrader runs, submissions made from the starters).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "homework"
STUDENT = HOMEWORK / "student"
RELEASE_README = HOMEWORK / "RELEASE_README.md"
COURSE_ID = "softmax-lab"

# cell metadata that records one execution: dropped from the copy nbgrader reads
VOLATILE_METADATA = ("execution", "collapsed", "scrolled")


def assignment_ids():
    """The assignments, in order: the stems of homework/NN_*.ipynb."""
    return [p.stem for p in sorted(HOMEWORK.glob("[0-9][0-9]_*.ipynb"))]


def source_notebook(assignment_id):
    """The solution notebook as nbgrader's source: outputs and timestamps dropped."""
    nb = nbformat.read(HOMEWORK / f"{assignment_id}.ipynb", as_version=4)
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def write_course(root, ids=None, config_extra=""):
    """A throwaway nbgrader course directory with the given assignments in source/.

    ``config_extra`` is appended to the course's nbgrader_config.py.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.db_url = {('sqlite:///' + str(root / 'gradebook.db'))!r}\n"
        + config_extra,
        encoding="utf-8",
    )
    for aid in ids or assignment_ids():
        folder = root / "source" / aid
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(aid), folder / f"{aid}.ipynb")
    return root


def nbgrader(root, *args, check=True):
    """Run the nbgrader command line in a course directory; return the CompletedProcess.

    nbgrader's database migrations call the ``alembic`` executable, so the
    directory of this Python's scripts goes first on PATH.
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root, env=env, capture_output=True, text=True,
    )
    if check and proc.returncode != 0:
        raise RuntimeError(
            f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def generate(root, ids=None):
    """``nbgrader generate_assignment`` for each assignment; return {id: release notebook path}."""
    out = {}
    for aid in ids or assignment_ids():
        nbgrader(root, "generate_assignment", aid, "--force")
        out[aid] = Path(root) / "release" / aid / f"{aid}.ipynb"
    return out


def student(check=False):
    """Write (or, with check=True, compare) homework/student/ from nbgrader's release."""
    ids = assignment_ids()
    stale = []
    with tempfile.TemporaryDirectory(prefix="softmax-lab-nbgrader-") as tmp:
        released = generate(write_course(Path(tmp) / "course", ids), ids)
        if not check:
            STUDENT.mkdir(exist_ok=True)
            wanted = {f"{aid}.ipynb" for aid in ids}
            for old in STUDENT.glob("*.ipynb"):
                if old.name not in wanted:
                    old.unlink()
                    print(f"homework: removed {old.relative_to(ROOT)} (no source notebook)")
        for aid, path in released.items():
            dest = STUDENT / f"{aid}.ipynb"
            text = path.read_text(encoding="utf-8")
            if check:
                if not dest.exists() or dest.read_text(encoding="utf-8") != text:
                    stale.append(str(dest.relative_to(ROOT)))
                continue
            dest.write_text(text, encoding="utf-8")
            print(f"homework: nbgrader wrote {dest.relative_to(ROOT)}")
        if check:
            extra = sorted(p.name for p in STUDENT.glob("*.ipynb") if p.stem not in ids)
            stale += [f"homework/student/{name} (no source notebook)" for name in extra]
    if stale:
        print("homework: out of date (run `make homework`): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


def release(out):
    """A folder and a zip for a class: the starters, what they need, a README; no solution."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for aid in assignment_ids():
        shutil.copy2(STUDENT / f"{aid}.ipynb", out / f"{aid}.ipynb")
    shutil.copy2(RELEASE_README, out / "README.md")
    # the package the starters import (numpy only; its shipped iris CSV included),
    # so that the folder works as it is next to `pip install numpy matplotlib scikit-learn`
    shutil.copytree(ROOT / "softmax_lab", out / "softmax_lab",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (out / "requirements.txt").write_text(
        "# what the starters need (the softmax_lab folder next to the notebooks is the package)\n"
        "numpy>=1.24\nmatplotlib>=3.7\nscikit-learn>=1.3\njupyterlab>=4\n",
        encoding="utf-8",
    )
    archive = out.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*")):
            if path.is_file():
                zf.write(path, Path(out.name) / path.relative_to(out))
    print(f"homework: release folder {out}, zip {archive}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_student = sub.add_parser("student", help="homework/student/ via nbgrader generate_assignment")
    p_student.add_argument("--check", action="store_true",
                           help="write nothing; exit 1 if homework/student/ differs from nbgrader's output")
    p_release = sub.add_parser("release", help="the student release: folder + zip")
    p_release.add_argument("--out", type=Path, default=ROOT / "build" / "homework-release")
    args = parser.parse_args(argv)
    if args.command == "student":
        return student(check=args.check)
    return release(args.out)


if __name__ == "__main__":
    sys.exit(main())
