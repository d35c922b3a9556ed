"""Real nbgrader, end to end, on every assignment.

For each assignment a throwaway course directory gets the solution notebook as
nbgrader *source*; ``nbgrader generate_assignment`` writes the starter,
``nbgrader autograde`` grades a battery of submissions made from that starter
in ONE call, and ``nbgrader generate_feedback`` writes the feedback. The scores
come from nbgrader's gradebook.

The battery: the solution (full marks), the untouched starter (0), and typical
mistakes. For each mistake the test names the cells that lose points (typed
from the rubric, not copied from a run); every other autograded cell must keep
its full points -- a mistake in task N costs points in task N only.

One test class per assignment, so that ``pytest -n 2 --dist loadscope`` runs
the assignments on both workers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import homework as hw  # noqa: E402

pytestmark = pytest.mark.slow

SOLUTION, STARTER = "solution", "starter"


class Mistake:
    """A submission: the solution with edits, or the starter with some stubs filled.

    edits: {grade_id: (old_text, new_text) or a list of them} applied to the solution cell source.
    stubs: grade_ids of solution cells left as nbgrader's stub (unfinished tasks).
    lost: the autograded cells that must score 0; all others score full points.
    """

    def __init__(self, name, *, edits=None, stubs=(), lost=()):
        self.name, self.edits, self.stubs, self.lost = name, edits or {}, set(stubs), set(lost)


def submission(release_nb, source_nb, mistake):
    """The notebook a student with this mistake hands in (built from nbgrader's starter)."""
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source
                 for c in source_nb.cells if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid not in solutions or gid in mistake.stubs:
            continue
        source = solutions[gid]
        edits = mistake.edits.get(gid, [])
        for old, new in [edits] if isinstance(edits, tuple) else edits:
            assert old in source, f"{mistake.name}: {old!r} is not in the solution of {gid}"
            source = source.replace(old, new)
        cell.source = source
    return nb


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
    for mistake in battery:
        folder = course / "submitted" / mistake.name / aid
        folder.mkdir(parents=True)
        if mistake.name == STARTER:
            nb = release_nb
        else:
            nb = submission(release_nb, source_nb, mistake)
        nbformat.write(nb, folder / f"{aid}.ipynb")
    graded = grader.autograde(aid)
    grader.generate_feedback(aid)
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for mistake in battery:
            nb = gb.find_submission_notebook(aid, aid, mistake.name)
            # the autograded cells (code); task cells are graded by hand
            scores[mistake.name] = {g.name: g.score for g in nb.grades if g.cell.cell_type == "code"}
    return course, release, scores, graded


def check_scores(aid, full, battery, scores):
    """Every submission: the named cells score 0, all the others their full points."""
    problems = []
    for mistake in battery:
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


class _Assignment:
    """One assignment's battery; subclasses set aid, full (cell -> points) and battery."""

    aid: str
    full: dict
    battery: list

    @pytest.fixture(scope="class")
    @classmethod
    def graded(cls, tmp_path_factory):
        return run_battery(tmp_path_factory.mktemp(cls.aid), cls.aid, cls.battery)

    def test_scores(self, graded):
        check_scores(self.aid, self.full, self.battery, graded[2])

    def test_starter_is_nbgraders_output(self, graded):
        check_release_is_committed(self.aid, graded[1])

    def test_feedback_for_every_submission(self, graded):
        course = graded[0]
        for mistake in self.battery:
            html = feedback_html(course, mistake.name, self.aid)
            assert "Score:" in html or "score" in html.lower()


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

    def test_feedback_shows_hidden_tests_unless_configured(self, graded):
        """nbgrader's default feedback shows the hidden tests; homework/nbgrader_config.py hides them."""
        course = graded[0]
        secret = "Xh, th = rng_h.normal(size=(5, 4)), rng_h.normal(size=(5, 2))"
        assert secret in (ROOT / "homework" / f"{self.aid}.ipynb").read_text(encoding="utf-8")
        default = feedback_html(course, SOLUTION, self.aid)
        assert "BEGIN HIDDEN TESTS" in default and "hidden test: another shape" in default, (
            "nbgrader's default feedback is expected to show hidden tests (what the README warns about)")
        hw.Course(course, config_files=[ROOT / "homework" / "nbgrader_config.py"]).generate_feedback(self.aid)
        for mistake in self.battery:
            html = feedback_html(course, mistake.name, self.aid)
            assert "BEGIN HIDDEN TESTS" not in html and "rng_h" not in html, (
                f"{mistake.name}: hidden test code in the feedback despite homework/nbgrader_config.py")
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
