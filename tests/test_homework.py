"""The homework notebooks: nbgrader format, student versions, and that the tests test.

The solution notebooks themselves also run under nbval (``pytest --nbval
homework/*.ipynb``); here their cells are executed in-process, which is fast and
lets us swap in the students' stubs or deliberately wrong implementations.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from mistakes import grad_missing_1_over_n, grad_no_bias_row, grad_transposed, grad_zero_bias_row

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOMEWORK = ROOT / "homework"
STUDENT = HOMEWORK / "student"
NAMES = ["01_stable_softmax.ipynb", "02_loss_and_gradient.ipynb", "03_minibatch_sgd_iris.ipynb"]

sys.path.insert(0, str(ROOT / "tools"))
import make_student  # noqa: E402


def load(path):
    return nbformat.read(path, as_version=4)


def nbg(cell):
    return cell.metadata.get("nbgrader", {})


def is_test_cell(cell):
    return cell.cell_type == "code" and nbg(cell).get("grade") and not nbg(cell).get("solution")


def python_source(cell):
    """Cell source without IPython magics (``%matplotlib inline``)."""
    return "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))


def run_cells(cells, namespace=None):
    """Execute code cells in order in one namespace; return [(cell, exception or None)]."""
    ns = {"__name__": "__homework__"} if namespace is None else namespace
    results = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        name = nbg(cell).get("grade_id", f"cell{i}")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(python_source(cell), f"<{name}>", "exec"), ns)
            results.append((cell, None))
        except Exception as exc:  # noqa: BLE001 - we inspect it
            results.append((cell, exc))
        finally:
            plt.close("all")
    return results, ns


def regions(text, begin, end):
    """The lines strictly inside begin..end regions."""
    out, inside = [], False
    for line in text.splitlines():
        if begin.match(line):
            inside = True
        elif end.match(line):
            inside = False
        elif inside:
            out.append(line)
    return out


def _outside_regions(nb):
    """All text of a notebook outside its solution and hidden-test regions."""
    keep = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if make_student.BEGIN_SOLUTION.match(line) or make_student.BEGIN_HIDDEN.match(line):
                inside = True
            elif make_student.END_SOLUTION.match(line) or make_student.END_HIDDEN.match(line):
                inside = False
            elif not inside:
                keep.append(line)
    return "\n".join(keep)


@pytest.fixture(scope="module", params=NAMES)
def name(request):
    return request.param


# ------------------------------------------------------------------ format
def test_nbgrader_metadata_is_complete(name):
    nb = load(HOMEWORK / name)
    ids = []
    n_solution = n_tests = n_hidden = 0
    for cell in nb.cells:
        text = cell.source
        meta = nbg(cell)
        if make_student.BEGIN_SOLUTION.search(text) or re.search("BEGIN SOLUTION", text):
            assert meta.get("solution") is True, f"cell with a solution region lacks solution=true: {text[:60]!r}"
        if "BEGIN HIDDEN TESTS" in text:
            assert meta.get("grade") is True, "hidden tests must sit in a graded cell"
            n_hidden += 1
        if not meta:
            continue
        assert meta["schema_version"] == 3
        assert set(meta) >= {"grade", "solution", "locked", "grade_id", "schema_version"}
        ids.append(meta["grade_id"])
        if meta["grade"]:
            assert meta["points"] > 0, f"{meta['grade_id']}: graded cells need points"
        if is_test_cell(cell):
            n_tests += 1
            assert meta["locked"] is True, f"{meta['grade_id']}: test cells are locked"
            assert "assert" in text, f"{meta['grade_id']}: a test cell must assert something"
        if meta["solution"]:
            n_solution += 1
            assert meta["locked"] is False
    assert len(ids) == len(set(ids)), f"duplicate grade_id in {name}: {ids}"
    assert n_solution >= 2 and n_tests >= 2 and n_hidden >= 2


def test_solution_notebooks_have_stored_outputs(name):
    nb = load(HOMEWORK / name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "execute the solution notebook (nbval compares outputs)"
    assert not any(o.output_type == "error" for c in code for o in c.outputs)


def test_solution_notebook_runs_clean_with_hidden_tests(name):
    results, _ = run_cells(load(HOMEWORK / name).cells)
    failures = [(nbg(c).get("grade_id"), repr(e)) for c, e in results if e is not None]
    assert not failures


# ------------------------------------------------------------------ student versions
def test_student_versions_are_up_to_date(name):
    expected = make_student.render(make_student.student_notebook(load(HOMEWORK / name), name))
    assert (STUDENT / name).read_text(encoding="utf-8") == expected, (
        f"homework/student/{name} is stale: run `make homework` and commit the result")


def test_student_versions_hold_no_solution_and_no_hidden_test(name):
    source = load(HOMEWORK / name)
    student_text = (STUDENT / name).read_text(encoding="utf-8")
    student = load(STUDENT / name)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "MARK SCHEME"):
        assert marker not in student_text.upper()
    secret = []
    for cell in source.cells:
        secret += regions(cell.source, make_student.BEGIN_SOLUTION, make_student.END_SOLUTION)
        secret += regions(cell.source, make_student.BEGIN_HIDDEN, make_student.END_HIDDEN)
    secret = [s.strip() for s in secret if len(s.strip()) >= 12]
    assert secret, "the solution notebook should contain solution and hidden-test lines"
    # lines the instructor states openly elsewhere (e.g. the convention
    # "Z = X @ theta[1:] + theta[0]" in the introduction) are not secrets
    student_sources = "\n".join(c.source for c in student.cells)
    leaked = [s for s in secret if s in student_sources and s not in _outside_regions(source)]
    assert not leaked, f"solution / hidden-test text in the student version: {leaked[:3]}"
    code = [c for c in student.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    stubs = [c for c in code if nbg(c).get("solution")]
    assert stubs and all("raise NotImplementedError()" in c.source for c in stubs)


def test_student_tests_fail_on_the_unfilled_stubs(name):
    results, _ = run_cells(load(STUDENT / name).cells)
    tests = [(c, e) for c, e in results if is_test_cell(c)]
    assert tests
    passing = [nbg(c)["grade_id"] for c, e in tests if e is None]
    assert not passing, f"these tests pass without any student code: {passing}"
    # the self-check cells report "not implemented yet" instead of raising
    for cell, exc in results:
        if "check_" in cell.source and not nbg(cell):
            assert exc is None, f"self-check cell raised {exc!r}"


def _student_with_solutions(name):
    """The student notebook with the solution cells put back (by grade_id)."""
    solutions = {nbg(c)["grade_id"]: c for c in load(HOMEWORK / name).cells if nbg(c).get("solution")}
    cells = []
    for cell in load(STUDENT / name).cells:
        gid = nbg(cell).get("grade_id")
        cells.append(solutions[gid] if gid in solutions and cell.cell_type == "code" else cell)
    return cells


def test_student_tests_pass_with_the_solution(name):
    results, _ = run_cells(_student_with_solutions(name))
    failures = [(nbg(c).get("grade_id"), repr(e)) for c, e in results if e is not None]
    assert not failures


def test_self_check_reports_not_implemented_for_stubs():
    cells = load(STUDENT / "01_stable_softmax.ipynb").cells
    # without the Binder/Colab header cells (tools/notebook_header.py), if present
    cells = [c for c in cells if not c.metadata.get("softmax_lab", {}).get("header")]
    ns = {}
    run_cells(cells[:4], ns)  # intro, setup, task text, the softmax stub
    from softmax_lab.checks import check_softmax

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        report = check_softmax(ns["softmax"])
    assert not report and report.not_implemented
    assert "not implemented yet" in buf.getvalue()


# ------------------------------------------------------------------ the visible tests name the mistake
def _namespace_up_to(name, stop_grade_id):
    """Student notebook with solutions, executed up to (not including) a test cell."""
    cells = _student_with_solutions(name)
    index = next(i for i, c in enumerate(cells) if nbg(c).get("grade_id") == stop_grade_id)
    results, ns = run_cells(cells[:index])
    assert all(e is None for _, e in results)
    return ns, cells[index]


def _wrong_gradients():
    return [
        (grad_transposed, "transposed"),
        (grad_missing_1_over_n, "missing 1/n"),
        (grad_no_bias_row, "missing bias gradient"),
        (grad_zero_bias_row, "missing bias gradient"),
    ]


@pytest.mark.parametrize("wrong, words", _wrong_gradients(), ids=lambda v: getattr(v, "__name__", v))
def test_visible_gradient_test_names_the_mistake(wrong, words):
    ns, test_cell = _namespace_up_to("02_loss_and_gradient.ipynb", "test_gradient_loops")
    ns["gradient_loops"] = wrong
    results, _ = run_cells([test_cell], ns)
    exc = results[0][1]
    assert isinstance(exc, AssertionError), f"expected an AssertionError, got {exc!r}"
    assert words in str(exc), f"message {str(exc)!r} does not say {words!r}"


@pytest.mark.parametrize("wrong, words", _wrong_gradients(), ids=lambda v: getattr(v, "__name__", v))
def test_visible_vectorized_test_names_the_mistake(wrong, words):
    import softmax_lab as sl

    ns, test_cell = _namespace_up_to("02_loss_and_gradient.ipynb", "test_vectorized")
    ns["loss_and_gradient_vectorized"] = lambda theta, X, y: (sl.cross_entropy(theta, X, y), wrong(theta, X, y))
    results, _ = run_cells([test_cell], ns)
    exc = results[0][1]
    assert isinstance(exc, AssertionError) and words in str(exc), repr(exc)


def test_visible_softmax_tests_catch_the_naive_and_global_max_versions():
    ns, stable_test = _namespace_up_to("01_stable_softmax.ipynb", "test_softmax_stable")

    def naive(Z):
        E = np.exp(np.asarray(Z, dtype=float))
        return E / E.sum(axis=-1, keepdims=True)

    def global_max(Z):
        Z = np.asarray(Z, dtype=float)
        E = np.exp(Z - Z.max())
        return E / E.sum(axis=-1, keepdims=True)

    for wrong in (naive, global_max):
        ns["softmax"] = wrong
        (_, exc), = run_cells([stable_test], ns)[0]
        assert isinstance(exc, (AssertionError, FloatingPointError)), f"{wrong.__name__}: {exc!r}"


def test_visible_sgd_test_catches_an_in_place_update():
    import softmax_lab as sl

    ns, test_cell = _namespace_up_to("03_minibatch_sgd_iris.ipynb", "test_sgd_step")

    def in_place(theta, X, y, lr):
        theta -= lr * sl.gradient(theta, X, y)
        return theta

    ns["sgd_step"] = in_place
    # slide_theta returns a fresh copy, so the in-place change is visible to the test
    (_, exc), = run_cells([test_cell], ns)[0]
    assert isinstance(exc, AssertionError) and "in place" in str(exc)


# ------------------------------------------------------------------ the transform itself
def _cell(kind, source, **meta):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if meta:
        cell.metadata["nbgrader"] = dict(meta, schema_version=3)
    return cell


def test_transform_keeps_indentation_and_removes_hidden_tests():
    src = ("def f(x):\n    \"\"\"doc\"\"\"\n    if x:\n        ### BEGIN SOLUTION\n        return 1\n"
           "        ### END SOLUTION\n    return 0\n")
    out = make_student.student_cell(_cell("code", src, solution=True)).source
    assert out == ("def f(x):\n    \"\"\"doc\"\"\"\n    if x:\n        # YOUR CODE HERE\n"
                   "        raise NotImplementedError()\n    return 0")
    test = "assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(0) == 0\n### END HIDDEN TESTS\n"
    assert make_student.student_cell(_cell("code", test, grade=True)).source == "assert f(1) == 1"


def test_transform_markdown_solution_and_mark_scheme():
    md = "Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"
    assert make_student.student_cell(_cell("md", md, grade=True, solution=True)).source == "Why?\n\nYOUR ANSWER HERE"
    scheme = "Explain.\n=== BEGIN MARK SCHEME ===\n2 points if ...\n=== END MARK SCHEME ===\nEnd."
    assert make_student.student_cell(_cell("md", scheme)).source == "Explain.\nEnd."
    whole = make_student.student_cell(_cell("code", "x = 42", solution=True)).source
    assert whole == "# YOUR CODE HERE\nraise NotImplementedError()"


def test_transform_clears_outputs_and_rejects_unclosed_markers():
    cell = _cell("code", "print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    cell.execution_count = 3
    out = make_student.student_cell(cell)
    assert out.outputs == [] and out.execution_count is None
    with pytest.raises(make_student.MarkerError, match="END SOLUTION"):
        make_student.student_cell(_cell("code", "### BEGIN SOLUTION\nx = 1", solution=True))
