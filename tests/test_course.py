"""A course as homework/README.md sets it up and runs it, with the real ``nbgrader`` command.

* No release and no starter links to a solution: the committed starters, the student
  release (folder and zip), a course made by ``tools/homework.py course``, and a course
  whose instructor copied the solution notebooks into source/ by hand.
* "Rehearse a whole class on one machine": the README's shell block, run as written
  (three students; each student's work filled in where the block says so), then
  ``nbgrader zip_collect`` on a zip of three more notebooks as an LMS would give them.
* JupyterHub: the wheel, installed as the README says in a fresh venv, is what the
  starters' environment check asks for.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import homework as hw  # noqa: E402

README = ROOT / "homework" / "README.md"
# nbgrader is the `grade` extra: `make test` has it, `make test-oldest` does not
needs_nbgrader = pytest.mark.skipif(importlib.util.find_spec("nbgrader") is None,
                                    reason="needs nbgrader (pip install -e '.[grade]')")
AID = "01_stable_softmax"
BIN = Path(sys.executable).parent

# a path to a SOLUTION notebook: homework/NN_name.ipynb, not homework/student/NN_name.ipynb
SOLUTION_LINK = re.compile(r"homework/(\d\d_[A-Za-z0-9_-]+\.ipynb)")


def solution_links(nb):
    """Every mention of a solution notebook's path in any cell (sources and outputs)."""
    text = json.dumps(nbformat.from_dict(nb) if isinstance(nb, dict) else nb)
    return sorted(set(SOLUTION_LINK.findall(text)))


def starter_links(nb):
    text = json.dumps(nb)
    return re.findall(r"homework/student/\d\d_[A-Za-z0-9_-]+\.ipynb", text)


def _read(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- §3: never a link to a solution
def test_solution_links_are_what_the_scanner_finds():
    """The solutions themselves link to their own path (their badges): the scanner sees it."""
    for aid in hw.assignment_ids():
        assert solution_links(_read(ROOT / "homework" / f"{aid}.ipynb")) == [f"{aid}.ipynb"], aid


@pytest.mark.parametrize("aid", hw.assignment_ids())
def test_committed_starter_links_to_no_solution(aid):
    nb = _read(ROOT / "homework" / "student" / f"{aid}.ipynb")
    assert not solution_links(nb), f"homework/student/{aid}.ipynb links to a solution: {solution_links(nb)}"
    assert f"homework/student/{aid}.ipynb" in starter_links(nb), f"{aid}: its badges should open the starter"


def test_student_release_links_to_no_solution(tmp_path):
    out = tmp_path / "homework-release"
    assert hw.release(out) == 0
    notebooks = sorted(out.glob("*.ipynb"))
    assert [p.stem for p in notebooks] == hw.assignment_ids()
    for path in notebooks:
        assert not solution_links(_read(path)), f"release {path.name} links to a solution"
    with zipfile.ZipFile(out.with_suffix(".zip")) as zf:
        names = [n for n in zf.namelist() if n.endswith(".ipynb")]
        assert len(names) == len(notebooks)
        for name in names:
            assert not solution_links(json.loads(zf.read(name))), f"release zip {name} links to a solution"


def test_release_requirements_are_the_declared_floors(tmp_path):
    """The release's requirements.txt says what pyproject.toml declares (and test-oldest tests)."""
    hw.release(tmp_path / "rel")
    wanted = (tmp_path / "rel" / "requirements.txt").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for line in wanted.splitlines():
        if line and not line.startswith("#"):
            assert f'"{line}"' in pyproject, f"release requires {line!r}, pyproject.toml declares otherwise"
    sklearn = re.search(r'"scikit-learn>=([0-9.]+)"', pyproject).group(1)
    assert f"scikit-learn>={sklearn}\n" in wanted


@needs_nbgrader
@pytest.mark.slow
@pytest.mark.parametrize("by_hand", [False, True], ids=["tools-homework-course", "copied-by-hand"])
def test_generated_assignments_link_to_no_solution(tmp_path, by_hand):
    """nbgrader generate_assignment with the course's configuration: no released notebook links
    to a solution, even when the instructor copied homework/NN_name.ipynb into source/ by hand."""
    course = hw.write_course(tmp_path / "course")
    if by_hand:
        for aid in hw.assignment_ids():
            shutil.copy(ROOT / "homework" / f"{aid}.ipynb", course / "source" / aid / f"{aid}.ipynb")
            assert solution_links(_read(course / "source" / aid / f"{aid}.ipynb"))
    else:
        for aid in hw.assignment_ids():
            assert not solution_links(_read(course / "source" / aid / f"{aid}.ipynb")), aid
    grader = hw.Course(course)
    for aid in hw.assignment_ids():
        nb = _read(grader.generate_assignment(aid))
        assert not solution_links(nb), f"{aid}: the release links to a solution: {solution_links(nb)}"
        assert f"homework/student/{aid}.ipynb" in starter_links(nb)


@needs_nbgrader
def test_course_command_writes_a_movable_course(tmp_path):
    """`tools/homework.py course DIR`: source/ for every assignment and a config that finds its own
    folder; it refuses to overwrite an nbgrader_config.py it did not write."""
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "homework.py"), "course", str(tmp_path / "c"),
                           "--exchange", str(tmp_path / "x")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    config = (tmp_path / "c" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "ClearMarkScheme" in config and "OverwriteReleasedCells" in config
    assert str(tmp_path / "c") not in config, "the course root should not be written in (the course can move)"
    assert str((tmp_path / "x").resolve()) in config
    assert sorted(p.name for p in (tmp_path / "c" / "source").iterdir()) == hw.assignment_ids()
    # the instructor's own settings, loaded last, survive a refresh of the course
    (tmp_path / "c" / "nbgrader_config_local.py").write_text("c.Execute.timeout = 7\n")
    again = subprocess.run([sys.executable, str(ROOT / "tools" / "homework.py"), "course", str(tmp_path / "c")],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    from traitlets.config.loader import PyFileConfigLoader

    loaded = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path / "c")).load_config()
    assert loaded.Execute.timeout == 7 and loaded.CourseDirectory.root == str((tmp_path / "c").resolve())
    assert loaded.Exchange.root == str((tmp_path / "x").resolve()), "a refresh lost the exchange"
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "nbgrader_config.py").write_text("c = get_config()\n")
    refused = subprocess.run([sys.executable, str(ROOT / "tools" / "homework.py"), "course", str(tmp_path / "own")],
                             capture_output=True, text=True)
    assert refused.returncode == 2 and "not overwriting" in refused.stderr
    assert (tmp_path / "own" / "nbgrader_config.py").read_text() == "c = get_config()\n"


# ---------------------------------------------------------------- §8: the class, end to end
REHEARSAL_HEADING = "**Rehearse a whole class on one machine**"
WORK_PLACEHOLDER = "# (the student works on 01_stable_softmax/01_stable_softmax.ipynb here)"

# what each student of the rehearsal hands in (built from the solution in the helper below)
WORK_HELPER = '''
import json, sys
student, path, solution = sys.argv[1], sys.argv[2], sys.argv[3]
with open(solution, encoding="utf-8") as fh:
    sol = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in json.load(fh)["cells"]
           if c["metadata"].get("nbgrader", {}).get("solution")}
with open(path, encoding="utf-8") as fh:
    nb = json.load(fh)
solution_cells = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") in sol]
if student == "bob":        # hands in the starter untouched
    solution_cells = []
elif student == "carol":    # finishes every task but the last one
    solution_cells = solution_cells[:-1]
for cell in solution_cells:
    cell["source"] = sol[cell["metadata"]["nbgrader"]["grade_id"]]
with open(path, "w", encoding="utf-8") as fh:
    json.dump(nb, fh)
'''


def readme_block(after):
    """The first ```bash block after the line containing ``after`` in homework/README.md."""
    text = README.read_text(encoding="utf-8")
    assert after in text, f"homework/README.md lost the section {after!r}"
    return re.search(r"```bash\n(.*?)```", text[text.index(after):], re.S).group(1)


def _env(tmp_path, home=None):
    """This venv's commands first, temporary files under tmp_path; ``home``: a HOME of its own
    (nbgrader's exchange keeps a per-user cache there; the real one stays untouched)."""
    env = dict(os.environ, PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]), TMPDIR=str(tmp_path))
    env.pop("NBGRADER_EXECUTION", None)
    if home is not None:
        Path(home).mkdir(parents=True, exist_ok=True)
        env["HOME"] = str(home)
    return env


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    """homework/README.md's rehearsal block, run by bash from the repository root."""
    tmp = tmp_path_factory.mktemp("class")
    (tmp / "work.py").write_text(WORK_HELPER, encoding="utf-8")
    script = readme_block(REHEARSAL_HEADING)
    assert WORK_PLACEHOLDER in script
    solution = hw.source_notebook(AID)
    nbformat.write(solution, tmp / "solution.ipynb")
    script = script.replace(WORK_PLACEHOLDER, f'"{sys.executable}" "{tmp / "work.py"}" "$student" '
                                              f'{AID}/{AID}.ipynb "{tmp / "solution.ipynb"}"')
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, env=_env(tmp, tmp / "instructor"),
                          capture_output=True, text=True, timeout=900)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-6000:]
    work = next(p for p in tmp.iterdir() if p.is_dir() and (p / "course").is_dir())
    assert sorted(p.name for p in (work / "home").iterdir()) == ["alice", "bob", "carol"]
    return work, log


def _documented_points(aid):
    from test_grading import readme_points

    return readme_points(README, aid)


@needs_nbgrader
@pytest.mark.slow
def test_rehearsal_grades_three_students_with_the_right_maxima(rehearsal):
    work, log = rehearsal
    with open(work / "course" / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == AID}
    assert sorted(rows) == ["alice", "bob", "carol"], rows
    total, auto, _ = _documented_points(AID)
    score = {s: float(r["score"]) for s, r in rows.items()}
    assert score["alice"] == auto, f"the solution scores {score['alice']} of {auto} autograded points"
    assert score["bob"] == 0.0, "an untouched starter scores 0"
    assert 0.0 < score["carol"] < auto, f"one task unfinished: {score['carol']}"
    assert "has changed!" not in log, "an untouched submission logged a checksum warning:\n" + "\n".join(
        line for line in log.splitlines() if "has changed!" in line)
    assert {float(r["max_score"]) for r in rows.values()} == {total}, (
        f"nbgrader export's max_score {[r['max_score'] for r in rows.values()]}, documented {total}")


@needs_nbgrader
@pytest.mark.slow
def test_rehearsal_students_fetch_feedback_without_secrets(rehearsal):
    from test_grading import leaks, secret_lines

    work, _ = rehearsal
    source_nb = nbformat.read(work / "course" / "source" / AID / f"{AID}.ipynb", as_version=4)
    release_nb = nbformat.read(work / "course" / "release" / AID / f"{AID}.ipynb", as_version=4)
    secrets = secret_lines(source_nb, release_nb)
    for student in ("alice", "bob", "carol"):
        pages = list((work / "home" / student / AID / "feedback").glob(f"*/{AID}.html"))
        assert len(pages) == 1, f"{student} fetched {len(pages)} feedback pages"
        assert not leaks(pages[0].read_text(encoding="utf-8"), secrets), student
        fetched = work / "home" / student / AID / f"{AID}.ipynb"
        assert not solution_links(_read(fetched)), f"{student}'s fetched notebook links to a solution"


@needs_nbgrader
@pytest.mark.slow
def test_zip_collect_grades_lms_downloads(rehearsal, tmp_path):
    """Three notebooks named STUDENTID__NN_name.ipynb, zipped as an LMS gives them:
    zip_collect puts each in submitted/STUDENTID/, autograde grades them."""
    work, _ = rehearsal
    course = work / "course"
    released = course / "release" / AID / f"{AID}.ipynb"
    archive = course / "downloaded" / AID / "archive"
    archive.mkdir(parents=True)
    helper = work.parent / "work.py"
    with zipfile.ZipFile(archive / "lms_download.zip", "w") as zf:
        for student, work_as in (("dan", "alice"), ("erin", "bob"), ("frank", "carol")):
            path = tmp_path / f"{student}__{AID}.ipynb"
            shutil.copy(released, path)
            subprocess.run([sys.executable, str(helper), work_as, str(path), str(work.parent / "solution.ipynb")],
                           check=True)
            zf.write(path, path.name)
    for command in (["nbgrader", "zip_collect", AID], ["nbgrader", "autograde", AID]):
        done = subprocess.run(command, cwd=course, env=_env(tmp_path, tmp_path / "instructor"), capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
        assert "has changed!" not in done.stdout + done.stderr
    from nbgrader.api import Gradebook

    total, auto, _ = _documented_points(AID)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "softmax-lab") as gb:
        score = {s: gb.find_submission(AID, s).score for s in ("dan", "erin", "frank")}
        max_score = gb.find_assignment(AID).max_score
    assert score["dan"] == auto and score["erin"] == 0.0 and 0.0 < score["frank"] < auto, score
    assert max_score == total, f"nbgrader's max {max_score}, documented {total}"


@needs_nbgrader
@pytest.mark.slow
def test_parallel_autograde_gives_the_serial_gradebook(rehearsal, tmp_path):
    """`tools/homework.py autograde DIR ID --jobs 2` (bench/grading.py's fast path): two worker
    processes with their own gradebook copies, merged by one writer, give every cell the score
    and comment that the rehearsal's `nbgrader autograde` (one process) gave."""
    from nbgrader.api import Gradebook

    work, _ = rehearsal
    copy = tmp_path / "course"
    shutil.copytree(work / "course", copy, symlinks=True)
    students = ["alice", "bob", "carol"]

    def cells(db):
        with Gradebook(f"sqlite:///{db}") as gb:
            return {s: {g.name: (g.auto_score, g.needs_manual_grade) for g in
                        gb.find_submission_notebook(AID, AID, s).grades}
                    | {c.name: c.auto_comment for c in gb.find_submission_notebook(AID, AID, s).comments}
                    for s in students}

    serial = cells(work / "course" / "gradebook.db")
    with Gradebook(f"sqlite:///{copy / 'gradebook.db'}") as gb:  # start from no submission at all
        for student in gb.students:
            for sub in list(student.submissions):
                gb.remove_submission(sub.assignment.name, student.id)
        assert not gb.assignment_submissions(AID)
    shutil.rmtree(copy / "autograded")
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "homework.py"), "autograde", str(copy), AID,
                           "--jobs", "2"], capture_output=True, text=True, env=_env(tmp_path), timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert cells(copy / "gradebook.db") == serial
    for student in students:
        assert (copy / "autograded" / student / AID / f"{AID}.ipynb").exists(), student
    assert not list(copy.glob("softmax-lab-autograde-*")), "the workers' folders were left behind"


# ---------------------------------------------------------------- §8: softmax_lab for student kernels
def _environment_cell(aid):
    nb = nbformat.read(ROOT / "homework" / "student" / f"{aid}.ipynb", as_version=4)
    return next(c.source for c in nb.cells
                if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade_id") == "environment")


def _hub_wheel(tmp_path):
    """The wheel, built as homework/README.md says."""
    line = next(l for l in readme_block("### Student kernels need softmax_lab").splitlines() if "pip wheel" in l)
    command = line.split("#")[0].split()
    assert command[:4] == ["python", "-m", "pip", "wheel"], line
    dist = tmp_path / "dist"
    subprocess.run([sys.executable] + command[1:command.index("-w")] + ["-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, cwd=ROOT, env=_env(tmp_path), timeout=600)
    (wheel,) = dist.glob("softmax_lab-*.whl")
    return wheel


def _venv_env(tmp_path):
    """A fresh venv sees only itself: no PYTHONPATH from the test run (a hub's kernels have none)."""
    env = _env(tmp_path)
    env.pop("PYTHONPATH", None)
    return env


def _fresh_venv(tmp_path, *requirements):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements],
                   check=True, capture_output=True, timeout=900, env=_venv_env(tmp_path))
    return python


def _run_environment_check(python, aid, tmp_path):
    return subprocess.run([str(python), "-c", _environment_cell(aid)], capture_output=True, text=True,
                          cwd=tmp_path, env=_venv_env(tmp_path), timeout=120)


@pytest.mark.slow
def test_hub_wheel_alone_serves_homework_1_2_4(tmp_path):
    """The wheel alone (numpy its only dependency) in a fresh venv: the environment checks of
    homework 1, 2 and 4 pass; homework 3 and 5 stop naming what `[kernel]` would add."""
    python = _fresh_venv(tmp_path, str(_hub_wheel(tmp_path)))
    for aid in hw.assignment_ids():
        done = _run_environment_check(python, aid, tmp_path)
        needs = {"03_minibatch_sgd_iris": ["matplotlib"], "05_model_selection_digits": ["matplotlib", "scikit-learn"]}
        if aid in needs:
            assert done.returncode != 0, f"{aid}: the check passed without {needs[aid]}"
            for package in needs[aid]:
                assert package in done.stderr, f"{aid}: the check does not name {package}:\n{done.stderr[-1500:]}"
        else:
            assert done.returncode == 0, f"{aid}: {done.stderr[-1500:]}"
    imported = subprocess.run([str(python), "-c", "import softmax_lab, softmax_lab.checks; print(softmax_lab.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path, env=_venv_env(tmp_path))
    assert imported.returncode == 0 and str(tmp_path / "venv") in imported.stdout, imported.stdout + imported.stderr


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("SOFTMAX_LAB_TEST_HUB"),
                    reason="installs the wheel with [kernel] from pip (a minute or two): make test-hub")
def test_hub_kernel_extra_serves_every_homework(tmp_path):
    """README's command for the students' environment: every starter's environment check passes
    and the kernel the grader would start there imports softmax_lab."""
    line = next(l for l in readme_block("### Student kernels need softmax_lab").splitlines() if "[kernel]" in l)
    assert 'pip install "$(ls dist/softmax_lab-*.whl)[kernel]" ipykernel' in line
    python = _fresh_venv(tmp_path, f"{_hub_wheel(tmp_path)}[kernel]", "ipykernel")
    for aid in hw.assignment_ids():
        done = _run_environment_check(python, aid, tmp_path)
        assert done.returncode == 0, f"{aid}: {done.stderr[-1500:]}"
    kernel = subprocess.run([str(python), "-m", "ipykernel", "--version"], capture_output=True, text=True,
                            env=_venv_env(tmp_path))
    assert kernel.returncode == 0, kernel.stderr
