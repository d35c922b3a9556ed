#!/usr/bin/env python
"""The homework's student versions and student release, made by nbgrader itself.

The solution notebooks ``homework/NN_name.ipynb`` are nbgrader *source*
notebooks. Nothing here imitates nbgrader: every student notebook is written by
``nbgrader generate_assignment`` (nbgrader 0.9.6, the ``grade`` extra), run in a
throwaway course directory, so the checksums, the ``editable``/``deletable``
lock metadata and the cleared solutions are exactly nbgrader's.

Done before nbgrader sees a notebook: its stored outputs and the per-cell
execution timestamps are dropped from the throwaway copy (nbgrader clears
outputs itself, but keeps cell metadata, so every re-execution of a solution
notebook would otherwise change the starters), and its Binder/Colab header is
pointed at the starter's path.

The one way to set up an nbgrader course from this repository is ``course``: it
writes source/ from the solutions with their Binder/Colab badges pointed at the
starters, and the course's nbgrader_config.py from homework/nbgrader_config.py
(which also rewrites any solution link at generate_assignment, so even a solution
copied into source/ by hand releases no link to a solution).

Usage::

    python tools/homework.py student            # homework/*.ipynb -> homework/student/
    python tools/homework.py student --check    # exit 1 if homework/student/ is stale
    python tools/homework.py release [--out build/homework-release]
                                                # folder + zip for a class: starters only
    python tools/homework.py course DIR [--exchange DIR] [--course-id ID]
                                                # an nbgrader course directory (source/ + config)
    python tools/homework.py autograde DIR ASSIGNMENT [--jobs 2]
                                                # nbgrader autograde in parallel, one gradebook writer

The functions are also used by tests/test_grading.py (course directory,
nbgrader runs, submissions made from the starters).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
HOMEWORK = ROOT / "homework"
STUDENT = HOMEWORK / "student"
RELEASE_README = HOMEWORK / "RELEASE_README.md"
COURSE_CONFIG = HOMEWORK / "nbgrader_config.py"
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
    _point_header_at_student(nb, assignment_id)
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def _point_header_at_student(nb, assignment_id):
    """A Binder/Colab header (tools/notebook_header.py) copied from the solution opens the solution;
    the student version's must open ``homework/student/NAME``.  Done on nbgrader's SOURCE, so what
    lands in homework/student/ is still exactly nbgrader's output.  Without a header: unchanged."""
    sys.path.insert(0, str(ROOT / "tools"))
    import notebook_header

    if not any(notebook_header.header_kind(c) for c in nb.cells):
        return
    as_dict = json.loads(nbformat.writes(nb))
    notebook_header.apply(as_dict, f"homework/student/{assignment_id}.ipynb")
    nb.cells = nbformat.from_dict(as_dict).cells


def course_config(*, course_id=COURSE_ID, exchange=None, fixed_root=None):
    """A course's nbgrader_config.py: homework/nbgrader_config.py, then this course's settings.

    The course root is the folder of the config file itself (so the course can be moved)
    unless ``fixed_root`` is given; the gradebook is ``gradebook.db`` in it.
    """
    root = repr(str(fixed_root)) if fixed_root else "os.path.dirname(os.path.abspath(__file__))"
    lines = [
        COURSE_CONFIG.read_text(encoding="utf-8").rstrip(),
        "",
        "",
        "# ------------------------------------------------------------ this course",
        "# (written by `python tools/homework.py course`; the lines above are homework/nbgrader_config.py)",
        "import os  # noqa: E402",
        "",
        f"c.CourseDirectory.root = {root}",
        f"c.CourseDirectory.course_id = {course_id!r}",
        "c.CourseDirectory.db_url = 'sqlite:///' + os.path.join(c.CourseDirectory.root, 'gradebook.db')",
        "# `nbgrader zip_collect ID`: submissions downloaded from an LMS, renamed to",
        "# STUDENTID__NOTEBOOK.ipynb (e.g. alice__01_stable_softmax.ipynb), in downloaded/ID/archive/",
        "# (nbgrader matches it against the whole path of each extracted file)",
        "c.FileNameCollectorPlugin.named_regexp = r'(?:.*[/\\\\])?(?P<student_id>[A-Za-z0-9.-]+)__(?P<file_id>[0-9]{2}_\\w+\\.ipynb)$'",
    ]
    if exchange is not None:
        lines += ["# nbgrader's exchange (release_assignment, collect, release_feedback; students fetch/submit)",
                  f"c.Exchange.root = {str(Path(exchange).resolve())!r}"]
    lines += ["# your own settings: nbgrader_config_local.py next to this file (`course` never rewrites it)",
              "if os.path.exists(os.path.join(c.CourseDirectory.root, 'nbgrader_config_local.py')):",
              "    load_subconfig('nbgrader_config_local.py')  # noqa: F821 - provided by traitlets"]
    return "\n".join(lines) + "\n"


def write_course(root, ids=None, *, exchange=None, course_id=COURSE_ID, fixed_root=True):
    """An nbgrader course directory: source/ (solutions, badges -> starters) and nbgrader_config.py.

    Used by ``course`` (the documented set-up) and by the tests (a throwaway course).
    ``fixed_root``: write the absolute course path into the config (in-process runs
    do not change directory); ``course`` writes a config that finds its own folder.
    """
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        course_config(course_id=course_id, exchange=exchange, fixed_root=root if fixed_root else None),
        encoding="utf-8")
    for aid in ids or assignment_ids():
        folder = root / "source" / aid
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(aid), folder / f"{aid}.ipynb")
    return root


def course(root, exchange=None, course_id=COURSE_ID):
    """``course DIR``: set up (or refresh the sources of) an nbgrader course directory."""
    root = Path(root)
    existing = root / "nbgrader_config.py"
    if existing.exists() and "written by `python tools/homework.py course`" not in existing.read_text(encoding="utf-8"):
        print(f"homework: {existing} exists and was not written by this tool; not overwriting it "
              "(move it away, or merge homework/nbgrader_config.py into it by hand)", file=sys.stderr)
        return 2
    if exchange is None and existing.exists():  # a refresh keeps the exchange the course was made with
        import re

        found = re.search(r"^c\.Exchange\.root = '([^']*)'$", existing.read_text(encoding="utf-8"), re.M)
        exchange = found.group(1) if found else None
    write_course(root, exchange=exchange, course_id=course_id, fixed_root=False)
    print(f"homework: nbgrader course in {root}: source/ has {len(assignment_ids())} assignments; "
          f"next, in {root}: nbgrader generate_assignment 01_stable_softmax (see homework/README.md)")
    return 0


def _venv_on_path():
    """PATH with this Python's scripts first: nbgrader's database setup runs ``alembic``."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def _cache_alembic_version():
    """Ask ``alembic`` for nbgrader's schema version once per process, not per new gradebook.

    nbgrader.api.get_alembic_version runs the alembic command (a second Python
    start-up) every time a gradebook is created; its answer is a constant of the
    installed nbgrader.
    """
    import functools

    import nbgrader.api

    if not hasattr(nbgrader.api.get_alembic_version, "cache_info"):
        nbgrader.api.get_alembic_version = functools.lru_cache(maxsize=None)(nbgrader.api.get_alembic_version)


class Course:
    """nbgrader's own converters, run in this process on one course directory.

    The same code as the ``nbgrader`` command (``nbgrader.converters``, as
    nbgrader's formgrader calls them), without paying nbgrader's start-up for
    every command. ``config_files``: extra nbgrader_config.py files to load
    after the course's own (e.g. homework/nbgrader_config.py).
    """

    def __init__(self, root, config_files=()):
        from nbgrader.apps import NbGraderAPI
        from traitlets.config.loader import PyFileConfigLoader

        _cache_alembic_version()
        self.root = Path(root)
        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        for path in config_files:
            config.merge(PyFileConfigLoader(Path(path).name, path=str(Path(path).parent)).load_config())
        self.api = NbGraderAPI(config=config)

    def run(self, converter, assignment_id, student_id="*", **attrs):
        """Run one nbgrader converter (GenerateAssignment, Autograde, GenerateFeedback)."""
        from nbgrader import converters
        from nbgrader.utils import capture_log, temp_attrs

        old_path = os.environ.get("PATH", "")
        os.environ["PATH"] = _venv_on_path()
        try:
            with temp_attrs(self.api.coursedir, assignment_id=assignment_id, student_id=student_id):
                app = getattr(converters, converter)(coursedir=self.api.coursedir, parent=self.api)
                for key, value in attrs.items():
                    setattr(app, key, value)
                result = capture_log(app)
        finally:
            os.environ["PATH"] = old_path
        if not result["success"]:
            raise RuntimeError(f"nbgrader {converter} {assignment_id} failed:\n{result.get('log', '')}"
                               f"\n{result.get('error', '')}")
        return result

    def generate_assignment(self, assignment_id):
        self.run("GenerateAssignment", assignment_id, force=True, create_assignment=True)
        return self.root / "release" / assignment_id / f"{assignment_id}.ipynb"

    def autograde(self, assignment_id):
        return self.run("Autograde", assignment_id, force=True)

    def generate_feedback(self, assignment_id):
        return self.run("GenerateFeedback", assignment_id, force=True)


# ---------------------------------------------------------------- parallel autograde
# nbgrader's autograde grades one submission after another in one process, and its
# gradebook (SQLite) wants one writer. Parallel, safely: each worker process grades its
# own students in its own folder, with its OWN COPY of the gradebook; when all are done,
# this process alone copies each worker's results into the course's gradebook (nbgrader's
# API: the same submission, grade and comment rows autograde would have written) and
# moves the autograded notebooks into place.
SUBMISSION_FIELDS = ("timestamp", "extension")
NOTEBOOK_FIELDS = ("flagged", "late_submission_penalty")
GRADE_FIELDS = ("auto_score", "manual_score", "extra_credit", "needs_manual_grade")
COMMENT_FIELDS = ("auto_comment", "manual_comment")
STUDENT_FIELDS = ("first_name", "last_name", "email", "lms_user_id")


def submitted_students(root, assignment_id):
    root = Path(root)
    return sorted(p.parent.name for p in (root / "submitted").glob(f"*/{assignment_id}") if p.is_dir())


def _worker_course(root, workdir, assignment_id, students):
    """A worker's course folder: the course's config and source/, these students' submissions,
    a copy of the gradebook; autograde writes autograded/ and the gradebook copy only."""
    root, workdir = Path(root).resolve(), Path(workdir)
    workdir.mkdir(parents=True)
    config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
    (workdir / "nbgrader_config.py").write_text(
        config + "\n# a parallel-autograde worker: this folder is its course root\n"
        f"c.CourseDirectory.root = {str(workdir)!r}\n"
        f"c.CourseDirectory.db_url = {('sqlite:///' + str(workdir / 'gradebook.db'))!r}\n",
        encoding="utf-8")
    (workdir / "source").symlink_to(root / "source", target_is_directory=True)
    for student in students:
        (workdir / "submitted" / student).mkdir(parents=True)
        shutil.copytree(root / "submitted" / student / assignment_id, workdir / "submitted" / student / assignment_id)
    shutil.copy2(root / "gradebook.db", workdir / "gradebook.db")
    return workdir


def _copy_fields(target, source, fields):
    for name in fields:
        if hasattr(source, name):
            setattr(target, name, getattr(source, name))


def merge_gradebook(root, workdir, assignment_id):
    """Copy the submissions a worker graded into the course's gradebook; return the student ids."""
    from nbgrader.api import Gradebook

    root, workdir = Path(root), Path(workdir)
    merged = []
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as theirs, \
            Gradebook(f"sqlite:///{root / 'gradebook.db'}") as ours:
        for sub in theirs.assignment_submissions(assignment_id):
            student = sub.student
            ours.update_or_create_student(student.id, **{f: getattr(student, f) for f in STUDENT_FIELDS
                                                         if hasattr(student, f)})
            target = ours.update_or_create_submission(assignment_id, student.id, timestamp=sub.timestamp)
            _copy_fields(target, sub, SUBMISSION_FIELDS)
            for nb in sub.notebooks:
                our_nb = ours.find_submission_notebook(nb.name, assignment_id, student.id)
                _copy_fields(our_nb, nb, NOTEBOOK_FIELDS)
                for grade in nb.grades:
                    _copy_fields(ours.find_grade(grade.name, nb.name, assignment_id, student.id), grade, GRADE_FIELDS)
                for comment in nb.comments:
                    _copy_fields(ours.find_comment(comment.name, nb.name, assignment_id, student.id), comment,
                                 COMMENT_FIELDS)
            ours.db.commit()
            merged.append(student.id)
            graded = workdir / "autograded" / student.id / assignment_id
            if graded.is_dir():
                dest = root / "autograded" / student.id / assignment_id
                if dest.exists():
                    shutil.rmtree(dest)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(graded), str(dest))
    return merged


def autograde_parallel(root, assignment_id, jobs=2, students=None, log=print):
    """``nbgrader autograde ASSIGNMENT`` for every submitted student, in ``jobs`` processes.

    Returns {"graded": [...], "failed": {worker: message}}. The course's gradebook must
    already hold the assignment (``nbgrader generate_assignment``); it is written by
    this process only, after the workers are done.
    """
    import subprocess

    root = Path(root).resolve()
    students = list(students or submitted_students(root, assignment_id))
    chunks = [students[i::jobs] for i in range(jobs) if students[i::jobs]]
    failed, graded = {}, []
    with tempfile.TemporaryDirectory(prefix="softmax-lab-autograde-", dir=root) as tmp:
        procs = []
        for i, chunk in enumerate(chunks):
            workdir = _worker_course(root, Path(tmp) / f"worker{i}", assignment_id, chunk)
            procs.append((workdir, subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "_autograde-worker", str(workdir), assignment_id],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PATH=_venv_on_path()))))
        for workdir, proc in procs:
            out, _ = proc.communicate()
            if proc.returncode != 0:
                failed[workdir.name] = out[-4000:]
                log(f"homework: autograde worker {workdir.name} reported failures:\n{out[-4000:]}")
            graded += merge_gradebook(root, workdir, assignment_id)
    return {"graded": sorted(graded), "failed": failed}


def _autograde_worker(workdir, assignment_id):
    Course(workdir).autograde(assignment_id)
    return 0


def generate(root, ids=None):
    """``generate_assignment`` for each assignment; return {id: release notebook path}."""
    course = Course(root)
    return {aid: course.generate_assignment(aid) for aid in ids or assignment_ids()}


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


# what the starters import (+ JupyterLab to open them); their versions are pyproject.toml's
RELEASE_PACKAGES = ("numpy", "matplotlib", "scikit-learn", "jupyterlab")


def _declared_requirements():
    """{name: requirement} of pyproject.toml's dependencies and `lab` extra (with the extras it
    composes, e.g. ``softmax-lab[kernel]``), as declared; read by oldest_constraints' one expander."""
    import re

    sys.path.insert(0, str(ROOT / "tools"))
    import oldest_constraints as oc  # tomllib, or tomli on Python 3.10

    data = oc.tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = oc.requirements(data["project"], data.get("dependency-groups", {}), ["lab"])
    return {oc.canonical(re.match(r"[A-Za-z0-9_.-]+", req).group(0)): req for req in declared}


def release_requirements():
    """The release's requirements.txt: the floors pyproject.toml declares (and test-oldest tests)."""
    declared = _declared_requirements()
    missing = [name for name in RELEASE_PACKAGES if name not in declared]
    if missing:
        raise SystemExit(f"homework: pyproject.toml declares no {missing} (dependencies or the lab extra)")
    return ("# what the starters need (the softmax_lab folder next to the notebooks is the package);\n"
            "# the versions are softmax-lab's own (pyproject.toml)\n"
            + "".join(f"{declared[name]}\n" for name in RELEASE_PACKAGES))


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
    (out / "requirements.txt").write_text(release_requirements(), encoding="utf-8")
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
    p_course = sub.add_parser("course", help="an nbgrader course directory: source/ and nbgrader_config.py")
    p_course.add_argument("dir", type=Path, help="the course directory (created if missing)")
    p_course.add_argument("--exchange", type=Path, default=None,
                          help="nbgrader's exchange folder (Exchange.root), e.g. /srv/nbgrader/exchange")
    p_course.add_argument("--course-id", default=COURSE_ID)
    p_grade = sub.add_parser("autograde", help="nbgrader autograde in parallel processes (one gradebook writer)")
    p_grade.add_argument("dir", type=Path, help="the course directory")
    p_grade.add_argument("assignment")
    p_grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p_worker = sub.add_parser("_autograde-worker")  # internal: one worker of `autograde`
    p_worker.add_argument("dir", type=Path)
    p_worker.add_argument("assignment")
    args = parser.parse_args(argv)
    if args.command == "_autograde-worker":
        return _autograde_worker(args.dir, args.assignment)
    if args.command == "autograde":
        result = autograde_parallel(args.dir, args.assignment, jobs=args.jobs)
        print(f"homework: autograded {len(result['graded'])} submissions of {args.assignment} "
              f"in {args.jobs} processes" + (f"; failures in {sorted(result['failed'])}" if result["failed"] else ""))
        return 1 if result["failed"] else 0
    if args.command == "student":
        return student(check=args.check)
    if args.command == "course":
        return course(args.dir, exchange=args.exchange, course_id=args.course_id)
    return release(args.out)


if __name__ == "__main__":
    sys.exit(main())
