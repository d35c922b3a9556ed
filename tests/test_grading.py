"""Real nbgrader, end to end, on every assignment.

For each assignment a throwaway course directory is set up as the README says
(``tools/homework.py``'s course: the solution notebook as nbgrader *source*, the
course's nbgrader_config.py made from homework/nbgrader_config.py);
``nbgrader generate_assignment`` writes the starter, ``nbgrader autograde``
grades a battery of submissions made from that starter in ONE call, and
``nbgrader generate_feedback`` writes the feedback. The scores come from
nbgrader's gradebook.

The battery: the solution (full marks), the untouched starter (0), a solution
whose student edited locked cells (nbgrader puts them back: full marks, and a
checksum warning for those cells only), and typical mistakes. For each mistake
the test names the cells that lose points (typed from the rubric, not copied
from a run); every other autograded cell must keep its full points -- a mistake
in task N costs points in task N only.

Also checked on every assignment, as nbgrader itself reports them: the maxima
(gradebook and ``nbgrader export``'s CSV) against the points in the notebook,
homework/README.md and README.md; every feedback page free of mark schemes,
model answers and hidden tests; no checksum warning for an untouched cell.

One test class per assignment, so that ``pytest -n 2 --dist loadscope`` runs
the assignments on both workers.
"""

from __future__ import annotations

import csv
import html as html_lib
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.api import Gradebook
from nbgrader.preprocessors import GetGrades

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import homework as hw  # noqa: E402

pytestmark = pytest.mark.slow

SOLUTION, STARTER, TAMPERED = "solution", "starter", "tampered_locked_cells"
TAMPER_TEXT = "# a student replaced this locked cell\n"


class Mistake:
    """A submission: the solution with edits, or the starter with some stubs filled.

    edits: {grade_id: (old_text, new_text) or a list of them} applied to the solution cell source.
    stubs: grade_ids of solution cells left as nbgrader's stub (unfinished tasks).
    lost: the autograded cells that must score 0; all others score full points.
    """

    def __init__(self, name, *, edits=None, stubs=(), lost=(), replace=None, task_points=None, words=None):
        self.name, self.edits, self.stubs, self.lost = name, edits or {}, set(stubs), set(lost)
        # from tests/mistakes.py's STUDENT_ANSWERS: one solution cell replaced by a student's source;
        # task_points: ("full" or the points the test cells of that cell's task give); words: a phrase
        # of the first failing assert's message, which the feedback must show
        self.replace, self.task_points, self.words = replace or {}, task_points, words


def submission(release_nb, source_nb, mistake):
    """The notebook a student with this mistake hands in (built from nbgrader's starter)."""
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source
                 for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid not in solutions or gid in mistake.stubs:
            continue
        source = mistake.replace.get(gid, solutions[gid])
        edits = mistake.edits.get(gid, [])
        for old, new in [edits] if isinstance(edits, tuple) else edits:
            assert old in source, f"{mistake.name}: {old!r} is not in the solution of {gid}"
            source = source.replace(old, new)
        cell.source = source
    return nb


def tampered_cells(release_nb):
    """The locked cells a 'tampering' student edits: the first test cell and the first task cell."""
    locked = [c for c in release_nb.cells if c.metadata.get("nbgrader", {}).get("locked")]
    tests = [c for c in locked if c.cell_type == "code" and c.metadata["nbgrader"].get("grade")]
    tasks = [c for c in locked if c.cell_type == "markdown" and c.metadata["nbgrader"].get("task")]
    return [c.metadata["nbgrader"]["grade_id"] for c in (tests[:1] + tasks[:1])]


def tampered_submission(release_nb, source_nb):
    """The solution, with the first test cell and the first task cell of the starter rewritten."""
    nb = submission(release_nb, source_nb, Mistake(SOLUTION))
    targets = set(tampered_cells(release_nb))
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in targets:
            cell.source = TAMPER_TEXT + ("pass" if cell.cell_type == "code" else "(the question, rewritten)")
    return nb


def checksum_warnings(log):
    """{student: [grade_id, ...]} of nbgrader's "Attribute 'checksum' for cell X has changed!" lines."""
    found, student = {}, None
    for line in log.splitlines():
        started = re.search(r"Sanitizing .*[/\\]submitted[/\\]([^/\\]+)[/\\]", line)
        if started:
            student = started.group(1)
        changed = re.search(r"Attribute 'checksum' for cell (\S+) has changed", line)
        if changed:
            found.setdefault(student, []).append(changed.group(1))
    return found


def run_battery(tmp_path, aid, battery):
    """generate_assignment, then autograde and generate_feedback for all submissions at once.

    nbgrader's converters run in this process (tools/homework.py's Course): the
    same code as the command line, without nbgrader's start-up for every command.
    """
    course = hw.write_course(tmp_path / "course", [aid])
    grader = hw.Course(course)
    release = grader.generate_assignment(aid)
    release_nb = nbformat.read(release, as_version=4)
    source_nb = nbformat.read(course / "source" / aid / f"{aid}.ipynb", as_version=4)
    names = [m.name for m in battery] + [TAMPERED]
    for mistake in battery:
        folder = course / "submitted" / mistake.name / aid
        folder.mkdir(parents=True)
        if mistake.name == STARTER:
            nb = release_nb
        else:
            nb = submission(release_nb, source_nb, mistake)
        nbformat.write(nb, folder / f"{aid}.ipynb")
    folder = course / "submitted" / TAMPERED / aid
    folder.mkdir(parents=True)
    nbformat.write(tampered_submission(release_nb, source_nb), folder / f"{aid}.ipynb")
    graded = grader.autograde(aid)
    grader.generate_feedback(aid)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for name in names:
            nb = gb.find_submission_notebook(aid, aid, name)
            # the autograded cells (code); task cells are graded by hand
            scores[name] = {g.name: g.score for g in nb.grades if g.cell.cell_type == "code"}
    return course, release, scores, graded, battery


def task_test_cells(source_nb):
    """{solution grade_id: the test cells under the same '## Task N' heading} (tests/mistakes.py's rule)."""
    heading, solution_task, tests = None, {}, {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and cell.source.startswith("## Task"):
            heading = cell.source.splitlines()[0]
        elif meta.get("solution") and cell.cell_type == "code":
            solution_task[meta["grade_id"]] = heading
        elif meta.get("grade") and cell.cell_type == "code":
            tests.setdefault(heading, set()).add(meta["grade_id"])
    return {gid: tests.get(h, set()) for gid, h in solution_task.items()}


def battery_answers(aid):
    """Submissions from tests/mistakes.py's STUDENT_ANSWERS (the homework engineer's battery).

    tests/test_homework.py runs every answer in-process; here, through real nbgrader, a sample:
    per cell the first wrong and the first unusual-correct answer (all of them with
    SOFTMAX_LAB_GRADE_ALL=1; bench/grading.py grades them all too)."""
    import os

    try:
        import mistakes
    except ImportError:
        return []
    everything = os.environ.get("SOFTMAX_LAB_GRADE_ALL") == "1"
    out = []
    for gid, entries in getattr(mistakes, "STUDENT_ANSWERS", {}).get(aid, {}).items():
        firsts = {}
        for i, entry in enumerate(entries):
            kind = "full" if entry[1] == "full" else "wrong"
            if not everything and kind in firsts:
                continue
            firsts[kind] = i
            out.append(Mistake(f"{gid}_{kind}_{i}", replace={gid: entry[0]}, task_points=entry[1],
                               words=entry[2] if len(entry) > 2 else None))
    return out


def check_scores(aid, full, battery, scores, tasks=None):
    """Every submission: the named cells score 0, all the others their full points; a battery
    answer: its task's test cells give the points it states, every other task its full points."""
    problems = []
    for mistake in battery:
        if mistake.task_points is not None:
            (gid,) = mistake.replace
            own = tasks[gid]
            got = scores[mistake.name]
            others = {c: p for c, p in got.items() if c not in own}
            want_own = sum(full[c] for c in own) if mistake.task_points == "full" else mistake.task_points
            if others != {c: float(full[c]) for c in others} or sum(got[c] for c in own) != want_own:
                problems.append(f"{mistake.name} ({gid}): its task {sorted(own)} should give {want_own} and every "
                                f"other cell full points; nbgrader gave {got}")
            continue
        if mistake.name == SOLUTION:
            expected = dict(full)
        elif mistake.name == STARTER:
            expected = dict.fromkeys(full, 0.0)
        else:
            assert mistake.lost <= set(full), f"{mistake.name}: unknown cells {mistake.lost - set(full)}"
            expected = {gid: 0.0 if gid in mistake.lost else points for gid, points in full.items()}
        got = scores[mistake.name]
        if got != expected:
            problems.append(f"{mistake.name}: expected {expected}, nbgrader gave {got}")
    assert not problems, f"{aid}:\n" + "\n".join(problems)


def check_release_is_committed(aid, release):
    committed = ROOT / "homework" / "student" / f"{aid}.ipynb"
    assert committed.read_text(encoding="utf-8") == release.read_text(encoding="utf-8"), (
        f"homework/student/{aid}.ipynb differs from what nbgrader generate_assignment writes: "
        "run `make homework` and commit the result")


def feedback_html(course, student, aid):
    path = course / "feedback" / student / aid / f"{aid}.html"
    assert path.exists(), f"no feedback for {student}"
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- what feedback must never show
MARKERS = ("BEGIN MARK SCHEME", "END MARK SCHEME", "Model answer", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
REGIONS = (("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"), ("BEGIN MARK SCHEME", "END MARK SCHEME"))


def _words(text):
    """Lower-case words only: markdown and HTML markup, quotes and spacing do not matter."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def page_text(page):
    """What a student reads on a feedback page: its text (code included), tags and styles removed."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return html_lib.unescape(soup.get_text(" "))


STRING = re.compile(r"""[rRbBuUfF]{0,2}("([^"\\]|\\.)*"|'([^'\\]|\\.)*')""")


def secret_lines(source_nb, release_nb):
    """Each line of a hidden test or a mark scheme (rubric, model answer) in the source notebook,
    as words, that says something (>= 4 words) and that students may see otherwise: not in their
    starter, not in a solution cell (a student may write the same line), and for hidden test code
    its code only -- the string literals are the assertion messages the feedback is meant to show."""
    shown = _words("\n".join(c.source for c in release_nb.cells))
    own = _words("\n".join(c.source for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("solution")))
    secrets = set()
    for cell in source_nb.cells:
        for begin, end in REGIONS:
            inside = False
            for line in cell.source.splitlines():
                if begin in line:
                    inside = True
                elif end in line:
                    inside = False
                elif inside:
                    words = _words(STRING.sub(" ", line) if cell.cell_type == "code" else line)
                    if len(words.split()) >= 4 and words not in shown and words not in own:
                        secrets.add(words)
    return secrets


def leaks(page, secrets):
    """The markers and secret lines found on one feedback page."""
    text = page_text(page)
    words = _words(text)
    return ([m for m in MARKERS if m.lower() in text.lower()]
            + sorted(s for s in secrets if s in words))


class _Assignment:
    """One assignment's battery; subclasses set aid, full (cell -> points) and battery."""

    aid: str
    full: dict
    battery: list

    @classmethod
    def submissions(cls):
        """The battery graded: with tests/mistakes.py's STUDENT_ANSWERS for this assignment, the solution,
        the starter, the unfinished-task cases and a sample of those answers; without, the edits below."""
        answers = battery_answers(cls.aid)
        if not answers:
            return list(cls.battery)
        return [m for m in cls.battery if m.name in (SOLUTION, STARTER) or (m.stubs and not m.edits)] + answers

    @pytest.fixture(scope="class")
    @classmethod
    def graded(cls, tmp_path_factory):
        return run_battery(tmp_path_factory.mktemp(cls.aid), cls.aid, cls.submissions())

    def test_scores(self, graded):
        course = graded[0]
        source_nb = nbformat.read(course / "source" / self.aid / f"{self.aid}.ipynb", as_version=4)
        check_scores(self.aid, self.full, graded[4], graded[2], task_test_cells(source_nb))

    def test_feedback_names_the_failed_check(self, graded):
        """A battery answer that states the words of its failing check: the feedback shows them."""
        course, battery = graded[0], graded[4]
        missing = []
        for mistake in battery:
            if mistake.words:
                text = " ".join(page_text(feedback_html(course, mistake.name, self.aid)).split()).lower()
                if " ".join(mistake.words.split()).lower() not in text:
                    missing.append(f"{mistake.name}: {mistake.words!r}")
        assert not missing, f"{self.aid}: the feedback does not say which check failed: {missing}"

    def test_starter_is_nbgraders_output(self, graded):
        check_release_is_committed(self.aid, graded[1])

    def test_feedback_for_every_submission(self, graded):
        course = graded[0]
        for name in [m.name for m in graded[4]] + [TAMPERED]:
            html = feedback_html(course, name, self.aid)
            assert "Score:" in html or "score" in html.lower()

    def test_feedback_shows_no_mark_scheme_model_answer_or_hidden_test(self, graded):
        """Every feedback page of every submission, scanned for every marker and every line of
        every hidden test and mark scheme of this assignment (ClearHiddenTests, ClearMarkScheme
        and ShortTestTracebacks in homework/nbgrader_config.py)."""
        course, release = graded[0], graded[1]
        source_nb = nbformat.read(course / "source" / self.aid / f"{self.aid}.ipynb", as_version=4)
        secrets = secret_lines(source_nb, nbformat.read(release, as_version=4))
        assert secrets, f"{self.aid}: no hidden test or mark scheme lines found to look for"
        pages = sorted((course / "feedback").glob(f"*/{self.aid}/*.html"))
        assert len(pages) == len(graded[4]) + 1, f"{self.aid}: expected one feedback page per submission"
        found = {page.parent.parent.name: leaks(page.read_text(encoding="utf-8"), secrets) for page in pages}
        found = {student: what for student, what in found.items() if what}
        assert not found, f"{self.aid}: the feedback shows what students must not see: {found}"

    def test_checksum_warnings_only_for_changed_locked_cells(self, graded):
        """nbgrader warns "checksum ... has changed!" for the two locked cells the tampering
        student edited, and for no cell of any other submission (untouched test cells with
        hidden tests and task cells with mark schemes included)."""
        course, release, scores, result = graded[:4]
        warned = checksum_warnings(result["log"])
        expected = {TAMPERED: sorted(tampered_cells(nbformat.read(release, as_version=4)))}
        assert {s: sorted(ids) for s, ids in warned.items()} == expected, (
            f"{self.aid}: checksum warnings {warned}; expected only {expected}")
        # nbgrader put the original test cell back: the tampering student is graded by the real tests
        assert scores[TAMPERED] == {gid: float(p) for gid, p in self.full.items()}

    def test_maxima_as_nbgrader_reports_them(self, graded):
        """The maxima in nbgrader's gradebook and in `nbgrader export`'s CSV equal the points
        stated in the notebook, in homework/README.md and in README.md (auto + by hand)."""
        course = graded[0]
        source_nb = nbformat.read(course / "source" / self.aid / f"{self.aid}.ipynb", as_version=4)
        stated = {"the notebook's Points line": notebook_points(source_nb),
                  "homework/README.md": readme_points(ROOT / "homework" / "README.md", self.aid),
                  "README.md": readme_points(ROOT / "README.md", self.aid)}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            assignment = gb.find_assignment(self.aid)
            nbgrader_says = (float(assignment.max_score), float(assignment.max_code_score),
                             float(assignment.max_score - assignment.max_code_score))
            csv_max = export_csv_maxima(gb, course / "grades.csv", self.aid)
        for where, points in stated.items():
            assert nbgrader_says == points, (
                f"{self.aid}: nbgrader's gradebook has max {nbgrader_says[0]:g} "
                f"({nbgrader_says[1]:g} autograded + {nbgrader_says[2]:g} by hand), {where} says "
                f"{points[0]:g} ({points[1]:g} + {points[2]:g}); a cell with both grade and task "
                "counts twice")
        assert csv_max == {nbgrader_says[0]}, f"{self.aid}: nbgrader export writes max_score {csv_max}"
        header = re.search(r"\(Score: ([0-9.]+) / ([0-9.]+)\)", page_text(feedback_html(course, SOLUTION, self.aid)))
        assert header and float(header.group(2)) == nbgrader_says[0], (
            f"{self.aid}: the feedback header says {header and header.group(0)}")


# ---------------------------------------------------------------- the points as documented
def notebook_points(nb):
    """(total, auto, by hand) from the intro's '**Points:** 10 — 8 by the autograder, 2 by hand.'"""
    intro = next(c.source for c in nb.cells if c.cell_type == "markdown" and "**Points:**" in c.source)
    line = re.search(r"\*\*Points:\*\*([^\n]*)", intro).group(1)
    total = float(re.search(r"\d+", line).group(0))
    auto = re.search(r"(\d+)\s+(?:by the autograder|auto)", line)
    hand = re.search(r"(\d+)\s+(?:points\s+)?by hand", line)
    auto = float(auto.group(1)) if auto else (0.0 if hand else total)
    hand = float(hand.group(1)) if hand else 0.0
    return total, auto, hand


def readme_points(path, aid):
    """(total, auto, by hand) from the homework table row of ``aid``: '8 auto + 2 by hand'."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines()
            if re.match(r"\|\s*\d+\s*\|", line) and aid in line]
    assert len(rows) == 1, f"{path.name}: expected one table row for {aid}, found {len(rows)}"
    match = re.search(r"\|\s*(\d+) auto(?: \+ (\d+) by hand)?\s*\|", rows[0])
    assert match, f"{path.name}: no 'N auto + M by hand' cell in the row of {aid}"
    auto, hand = float(match.group(1)), float(match.group(2) or 0)
    return auto + hand, auto, hand


def export_csv_maxima(gb, path, aid):
    """The max_score column of nbgrader's own CSV export (`nbgrader export`'s default plugin)."""
    from nbgrader.plugins import CsvExportPlugin

    CsvExportPlugin(to=str(path)).export(gb)
    with open(path, newline="", encoding="utf-8") as fh:
        return {float(row["max_score"]) for row in csv.DictReader(fh) if row["assignment"] == aid}


# ---------------------------------------------------------------- HW1
class TestStableSoftmax(_Assignment):
    aid = "01_stable_softmax"
    full = {"test_softmax_values": 2, "test_softmax_stable": 2,
            "test_log_softmax_values": 2, "test_log_softmax_stable": 2}
    SHIFT = "E = np.exp(Z - Z.max(axis=-1, keepdims=True))"
    LOG = "return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))"
    battery = [
        Mistake(SOLUTION), Mistake(STARTER),
        Mistake("softmax_no_max_shift", edits={"softmax": (SHIFT, "E = np.exp(Z)")},
                lost={"test_softmax_stable"}),
        Mistake("softmax_global_max", edits={"softmax": (SHIFT, "E = np.exp(Z - Z.max())")},
                lost={"test_softmax_stable"}),
        Mistake("softmax_wrong_axis",
                edits={"softmax": ("E = np.exp(Z - Z.max(axis=-1, keepdims=True))\n    return E / E.sum(axis=-1, keepdims=True)",
                                   "E = np.exp(Z - Z.max(axis=0, keepdims=True))\n    return E / E.sum(axis=0, keepdims=True)")},
                lost={"test_softmax_values", "test_softmax_stable"}),
        Mistake("log_of_softmax", edits={"log_softmax": (LOG, "return np.log(softmax(Z))")},
                lost={"test_log_softmax_stable"}),
    ]


# ---------------------------------------------------------------- HW2
class TestLossAndGradient(_Assignment):
    aid = "02_loss_and_gradient"
    full = {"test_loss_loops": 3, "test_gradient_loops": 4, "test_vectorized": 5}
    battery = [
        Mistake(SOLUTION), Mistake(STARTER),
        Mistake("loss_sum_not_mean", edits={"loss_loops": ("return float(total / n_samples)", "return float(total)")},
                lost={"test_loss_loops"}),
        Mistake("gradient_transposed", edits={"gradient_loops": ("return grad / n_samples", "return grad.T / n_samples")},
                lost={"test_gradient_loops"}),
        Mistake("gradient_missing_1_over_n", edits={"gradient_loops": ("return grad / n_samples", "return grad")},
                lost={"test_gradient_loops"}),
        Mistake("gradient_bias_row_last",
                edits={"gradient_loops": ("return grad / n_samples", "return np.roll(grad, -1, axis=0) / n_samples")},
                lost={"test_gradient_loops"}),
        # the case: Task 2 unfinished, Task 3 right -> Task 3 keeps its 5 points
        Mistake("gradient_loops_unfinished", stubs={"gradient_loops"}, lost={"test_gradient_loops"}),
        Mistake("vectorized_missing_1_over_n",
                edits={"loss_and_gradient_vectorized": ("X.T @ dZ]) / n_samples", "X.T @ dZ])")},
                lost={"test_vectorized"}),
    ]

    def test_nbgrader_default_feedback_would_leak(self, graded):
        """Without homework/nbgrader_config.py's feedback preprocessors, nbgrader's feedback shows
        the hidden tests: the scanner above finds them (so its silence elsewhere means something)."""
        course = graded[0]
        source_nb = nbformat.read(course / "source" / self.aid / f"{self.aid}.ipynb", as_version=4)
        secrets = secret_lines(source_nb, nbformat.read(graded[1], as_version=4))
        try:  # nbgrader 0.9.6's default list (nbgrader/converters/generate_feedback.py)
            hw.Course(course).run("GenerateFeedback", self.aid, force=True,
                                  preprocessors=[GetGrades, CSSHTMLHeaderPreprocessor])
            found = leaks(feedback_html(course, SOLUTION, self.aid), secrets)
        finally:
            hw.Course(course).generate_feedback(self.aid)  # the configured feedback again
        assert "BEGIN HIDDEN TESTS" in found and len(found) > 3, found
        if any(m.name == "gradient_transposed" for m in graded[4]):
            wrong = feedback_html(course, "gradient_transposed", self.aid)
            assert "transposed gradient" in wrong, "the feedback still names the failed visible check"


# ---------------------------------------------------------------- HW3
class TestMinibatchSGD(_Assignment):
    aid = "03_minibatch_sgd_iris"
    full = {"test_minibatches": 3, "test_sgd_step": 3, "test_train": 4, "test_accuracy": 1}
    BATCH = "order = rng.permutation(n_samples)"
    battery = [
        Mistake(SOLUTION), Mistake(STARTER),
        Mistake("minibatches_global_rng", edits={"minibatches": (BATCH, "order = np.random.permutation(n_samples)")},
                lost={"test_minibatches"}),
        Mistake("minibatches_shuffle_missing", edits={"minibatches": (BATCH, "order = np.arange(n_samples)")},
                lost={"test_minibatches"}),
        Mistake("sgd_step_in_place",
                edits={"sgd_step": ("return theta - lr * grad", "theta -= lr * grad\n    return theta")},
                lost={"test_sgd_step"}),
        Mistake("train_new_rng_every_epoch",
                edits={"train": ("    for _ in range(epochs):\n", "    for _ in range(epochs):\n        rng = np.random.default_rng(seed)\n")},
                lost={"test_train"}),
        Mistake("train_loss_of_last_batch",
                edits={"train": ("epoch_losses.append(sl.cross_entropy(theta, X, y))",
                                 "epoch_losses.append(sl.cross_entropy(theta, X[batch], y[batch]))")},
                lost={"test_train"}),
        Mistake("accuracy_wrong_axis", edits={"accuracy": ("Z.argmax(axis=1)", "Z.argmax(axis=0)")},
                lost={"test_accuracy"}),
    ]


# ---------------------------------------------------------------- HW4
class TestDeriveGradient(_Assignment):
    aid = "04_derive_gradient"
    full = {"test_gradient_one_sample": 3, "test_numerical_gradient": 3}
    battery = [
        Mistake(SOLUTION), Mistake(STARTER),
        Mistake("gradient_transposed", edits={"gradient_one_sample": ("np.outer(x1, p)", "np.outer(p, x1)")},
                lost={"test_gradient_one_sample"}),
        Mistake("gradient_forgot_delta", edits={"gradient_one_sample": ("p[y] -= 1.0", "pass")},
                lost={"test_gradient_one_sample"}),
        Mistake("gradient_no_bias_entry",
                edits={"gradient_one_sample": ("return np.outer(x1, p)", "return np.outer(x1, p)[1:]")},
                lost={"test_gradient_one_sample"}),
        Mistake("numerical_forward_difference",
                edits={"numerical_gradient": ("(f(theta + step) - f(theta - step)) / (2 * eps)",
                                              "(f(theta + step) - f(theta)) / eps")},
                lost={"test_numerical_gradient"}),
        Mistake("numerical_changes_theta_in_place", edits={"numerical_gradient": [
            ("    theta = np.array(theta, dtype=float)\n", ""),
            ("        step = np.zeros_like(theta)\n        step[index] = eps\n"
             "        grad[index] = (f(theta + step) - f(theta - step)) / (2 * eps)",
             "        theta[index] += eps\n        f_plus = f(theta)\n        theta[index] -= 2 * eps\n"
             "        grad[index] = (f_plus - f(theta)) / (2 * eps)")]},
                lost={"test_numerical_gradient"}),
    ]


# ---------------------------------------------------------------- HW5
class TestModelSelection(_Assignment):
    aid = "05_model_selection_digits"
    full = {"test_split_indices": 2, "test_validation_grid": 3, "test_choose_and_plot": 2}
    battery = [
        Mistake(SOLUTION), Mistake(STARTER),
        Mistake("split_global_rng",
                edits={"split_indices": ("order = rng.permutation(n_samples)", "order = np.random.permutation(n_samples)")},
                lost={"test_split_indices"}),
        Mistake("split_shuffle_missing",
                edits={"split_indices": ("order = rng.permutation(n_samples)", "order = np.arange(n_samples)")},
                lost={"test_split_indices"}),
        Mistake("grid_scored_on_training_data",
                edits={"validation_grid": ("sl.predict(res.theta, X_val) == y_val", "sl.predict(res.theta, X_train) == y_train")},
                lost={"test_validation_grid"}),
        Mistake("best_setting_argmin", edits={"choose_and_plot": ("np.argmax(grid)", "np.argmin(grid)")},
                lost={"test_choose_and_plot"}),
        Mistake("plot_one_line_per_lr",
                edits={"choose_and_plot": ("for j, reg in enumerate(regs):\n        (line,) = ax.plot(lrs, np.asarray(grid)[:, j]",
                                           "for j, reg in enumerate(lrs):\n        (line,) = ax.plot(regs, np.asarray(grid)[j]")},
                lost={"test_choose_and_plot"}),
    ]


# ---------------------------------------------------------------- the grader environment
def test_missing_package_stops_autograde_loudly(tmp_path, capfd, monkeypatch):
    """A kernel that cannot import softmax_lab: autograde fails for that submission and the
    grader's terminal says what is missing -- instead of 0 points everywhere and no word."""
    aid = "01_stable_softmax"
    shadow = tmp_path / "shadow" / "softmax_lab"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("softmax_lab hidden by the test")\n')
    course_dir = hw.write_course(tmp_path / "course", [aid])
    course = hw.Course(course_dir)
    release = course.generate_assignment(aid)
    folder = course_dir / "submitted" / "no_package" / aid
    folder.mkdir(parents=True)
    source_nb = nbformat.read(course_dir / "source" / aid / f"{aid}.ipynb", as_version=4)
    nbformat.write(submission(nbformat.read(release, as_version=4), source_nb, Mistake(SOLUTION)),
                   folder / f"{aid}.ipynb")
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))  # the kernel inherits it
    with pytest.raises(RuntimeError, match="error processing assignment") as failure:
        course.autograde(aid)
    out = capfd.readouterr()
    said = out.out + out.err + str(failure.value)
    assert "homework 1 needs softmax-lab" in said, said[-3000:]
    assert "pip install 'softmax-lab[grade]'" in said
    # nbgrader drops a submission whose autograding failed: no autograded notebook, no feedback
    assert not (course_dir / "autograded" / "no_package" / aid / f"{aid}.ipynb").exists()
