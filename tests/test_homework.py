"""The homework notebooks: nbgrader format, fair tests, one truth for points, the release.

Fast checks, in-process (no kernel): the solution notebooks' cells are executed
here with stubs or deliberately wrong implementations swapped in. The real
nbgrader pipeline (generate_assignment, autograde, generate_feedback on a
battery of submissions) is tests/test_grading.py; the solution notebooks also
run under nbval (``make test``).
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
import zipfile
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
import mistakes
from mistakes import grad_missing_1_over_n, grad_no_bias_row, grad_transposed, grad_zero_bias_row

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOMEWORK = ROOT / "homework"
STUDENT = HOMEWORK / "student"
NAMES = ["01_stable_softmax.ipynb", "02_loss_and_gradient.ipynb", "03_minibatch_sgd_iris.ipynb",
         "04_derive_gradient.ipynb", "05_model_selection_digits.ipynb"]

sys.path.insert(0, str(ROOT / "tools"))
import homework as hw  # noqa: E402

# nbgrader's delimiters (its defaults: ClearSolutions, ClearHiddenTests, ClearMarkScheme)
BEGIN_SOLUTION, END_SOLUTION = re.compile(r"BEGIN SOLUTION"), re.compile(r"END SOLUTION")
BEGIN_HIDDEN, END_HIDDEN = re.compile(r"BEGIN HIDDEN TESTS"), re.compile(r"END HIDDEN TESTS")
BEGIN_MARK, END_MARK = re.compile(r"BEGIN MARK SCHEME"), re.compile(r"END MARK SCHEME")


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
        if begin.search(line):
            inside = True
        elif end.search(line):
            inside = False
        elif inside:
            out.append(line)
    return out


def sections(nb):
    """[(heading text, [cells])]: the notebook cut at every level-2 Markdown heading."""
    out = [("", [])]
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            out.append((cell.source.splitlines()[0], []))
        out[-1][1].append(cell)
    return out


def cell_points(cell):
    meta = nbg(cell)
    return meta.get("points", 0) if meta.get("grade") or meta.get("task") else 0


def is_manual(cell):
    meta = nbg(cell)
    return bool(meta.get("task") or (meta.get("grade") and cell.cell_type == "markdown"))


@pytest.fixture(scope="module", params=NAMES)
def name(request):
    return request.param


# ------------------------------------------------------------------ format
def test_nbgrader_metadata_is_complete(name):
    nb = load(HOMEWORK / name)
    ids = []
    n_solution = n_tests = n_hidden = 0
    for cell in nb.cells:
        text, meta = cell.source, nbg(cell)
        if BEGIN_SOLUTION.search(text):
            assert meta.get("solution") is True, f"a solution region outside a solution cell: {text[:60]!r}"
        if BEGIN_HIDDEN.search(text):
            assert meta.get("grade") is True, "hidden tests must sit in a graded cell"
            n_hidden += 1
        if BEGIN_MARK.search(text):
            assert meta.get("task") is True, "nbgrader keeps mark schemes only in 'manually graded task' cells"
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


# ------------------------------------------------------------------ points: one truth
def _intro(nb):
    """The introduction: the first Markdown cell that states the points (a badge may come first)."""
    return next(c.source for c in nb.cells if c.cell_type == "markdown" and "**Points:**" in c.source)


def _intro_points(nb):
    """(total, auto, by hand) from the intro's '**Points:** ...' line."""
    line = re.search(r"\*\*Points:\*\* (.*)", _intro(nb)).group(1)
    total = int(re.match(r"(\d+)", line).group(1))
    auto = re.search(r"(\d+) by the autograder", line)
    hand = re.search(r"(\d+) by hand", line)
    if "all by the autograder" in line:
        return total, total, 0
    return total, int(auto.group(1)) if auto else 0, int(hand.group(1)) if hand else 0


def _readme_rows():
    """{notebook: (auto, by hand, minutes)} from homework/README.md's table."""
    rows = {}
    for line in (HOMEWORK / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| \d+ \| `(\d\d_\w+\.ipynb)` \|.*\| (\d+) auto(?: \+ (\d+) by hand)? \| (\d+) min \|$", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), int(m.group(3) or 0), int(m.group(4)))
    return rows


def test_points_agree_in_text_readme_and_grade_cells(name):
    nb = load(HOMEWORK / name)
    stated_sum = auto = hand = 0
    for heading, cells in sections(nb):
        graded = [c for c in cells if cell_points(c)]
        m = re.match(r"## Task \d+ — .*\((\d+) points?(, graded by hand)?\)$", heading)
        if not m:
            assert not graded, f"{name}: graded cells under {heading!r}, which states no points"
            continue
        stated = int(m.group(1))
        got = sum(cell_points(c) for c in graded)
        assert got == stated, f"{name}: {heading!r} says {stated}, its nbgrader cells give {got}"
        by_hand = sum(cell_points(c) for c in graded if is_manual(c))
        assert bool(m.group(2)) == (by_hand == got > 0), f"{name}: {heading!r}: 'graded by hand' must match the cells"
        stated_sum += stated
        hand += by_hand
        auto += got - by_hand
    assert _intro_points(nb) == (stated_sum, auto, hand), f"{name}: the intro's Points line disagrees with the tasks"
    readme = _readme_rows()
    assert name in readme, f"homework/README.md has no row for {name}"
    assert readme[name][:2] == (auto, hand), f"homework/README.md says {readme[name][:2]} for {name}, cells ({auto}, {hand})"


def test_every_assignment_has_a_time_estimate(name):
    minutes = int(re.search(r"\*\*Time:\*\* about (\d+) minutes", _intro(load(HOMEWORK / name))).group(1))
    assert _readme_rows()[name][2] == minutes, "homework/README.md and the notebook disagree on the time"


def test_manual_tasks_have_a_rubric_and_an_answer_cell(name):
    cells = load(HOMEWORK / name).cells
    for i, cell in enumerate(cells):
        if nbg(cell).get("task"):
            scheme = "\n".join(regions(cell.source, BEGIN_MARK, END_MARK))
            assert f"Rubric ({nbg(cell)['points']} points" in scheme, f"{nbg(cell)['grade_id']}: no rubric"
            assert "Model answer" in scheme
            assert cells[i + 1].cell_type == "markdown" and "YOUR ANSWER HERE" in cells[i + 1].source


def test_readme_lists_exactly_the_assignments():
    assert sorted(_readme_rows()) == NAMES == [f"{aid}.ipynb" for aid in hw.assignment_ids()]
    # the repository's README.md repeats points and times: the same numbers
    top = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| \d+ \| `(\d\d_\w+)`: .*\| (\d+) auto(?: \+ (\d+) by hand)? \| (\d+) min \|$", line)
        if m:
            top[m.group(1) + ".ipynb"] = (int(m.group(2)), int(m.group(3) or 0), int(m.group(4)))
    assert top == _readme_rows(), "README.md's homework table disagrees with homework/README.md"


# ------------------------------------------------------------------ no cascades
def test_a_test_cell_calls_only_its_own_tasks_functions(name):
    """A test cell never calls a function the student wrote for another task."""
    owner = {}
    for heading, cells in sections(load(HOMEWORK / name)):
        for cell in cells:
            if nbg(cell).get("solution") and cell.cell_type == "code":
                for fn in re.findall(r"^def (\w+)\(", cell.source, flags=re.M):
                    owner[fn] = heading
    assert owner
    for heading, cells in sections(load(HOMEWORK / name)):
        for cell in filter(is_test_cell, cells):
            called = {fn for fn in owner if re.search(rf"(?<![\w.]){fn}\(", cell.source)}
            foreign = {fn for fn in called if owner[fn] != heading}
            assert not foreign, f"{nbg(cell)['grade_id']} calls {foreign} from another task"


def test_hw3_train_is_judged_with_reference_helpers():
    """Broken minibatches and sgd_step must not cost test_train anything."""
    cells = load(HOMEWORK / "03_minibatch_sgd_iris.ipynb").cells
    index = next(i for i, c in enumerate(cells) if nbg(c).get("grade_id") == "test_train")
    results, ns = run_cells(cells[:index])
    assert all(e is None for _, e in results)

    def broken(*args, **kwargs):
        raise NotImplementedError()

    ns["minibatches"], ns["sgd_step"] = broken, broken
    (_, exc), = run_cells([cells[index]], ns)[0]
    assert exc is None, repr(exc)
    assert ns["minibatches"] is broken, "the test cell must give the student's functions back"


# ------------------------------------------------------------------ the grader environment
@pytest.mark.parametrize("blocked, package", [("softmax_lab", "softmax-lab"), ("numpy", "numpy")])
def test_environment_cell_names_what_is_missing(name, blocked, package, monkeypatch):
    cell = next(c for c in load(HOMEWORK / name).cells if nbg(c).get("grade_id") == "environment")
    real_import = importlib.import_module

    def fake_import(module, *args, **kwargs):
        if module == blocked or module.startswith(blocked + "."):
            raise ModuleNotFoundError(f"No module named {module!r}")
        return real_import(module, *args, **kwargs)

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(importlib, "import_module", fake_import)
    with pytest.raises(ModuleNotFoundError, match=rf"needs {package}.*softmax-lab\[grade\]"):
        exec(cell.source, {"__name__": "__homework__"})


def test_environment_cell_comes_first(name):
    """Before every nbgrader cell, so that nothing runs in a kernel that lacks a package."""
    graded = [c for c in load(HOMEWORK / name).cells if nbg(c)]
    assert nbg(graded[0]).get("grade_id") == "environment" and nbg(graded[0]).get("locked")


# ------------------------------------------------------------------ student versions
def test_student_versions_hold_no_solution_and_no_hidden_test(name):
    source = load(HOMEWORK / name)
    student_text = (STUDENT / name).read_text(encoding="utf-8")
    student = load(STUDENT / name)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "MARK SCHEME", "Rubric", "Model answer"):
        assert marker.upper() not in student_text.upper()
    secret = []
    for cell in source.cells:
        secret += regions(cell.source, BEGIN_SOLUTION, END_SOLUTION)
        secret += regions(cell.source, BEGIN_HIDDEN, END_HIDDEN)
        secret += regions(cell.source, BEGIN_MARK, END_MARK)
    # lines the notebook also states openly (e.g. the convention "Z = X @ theta[1:] + theta[0]"
    # in the introduction) are not secrets
    outside = "\n".join(line for cell in source.cells for line in cell.source.splitlines()
                        if line not in secret)
    secret = [s.strip() for s in secret if len(s.strip()) >= 12 and s.strip() not in outside]
    assert secret, "the solution notebook should contain solution and hidden-test lines"
    student_sources = "\n".join(c.source for c in student.cells)
    leaked = [s for s in secret if s in student_sources]
    assert not leaked, f"solution / hidden-test text in the student version: {leaked[:3]}"
    code = [c for c in student.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    stubs = [c for c in code if nbg(c).get("solution")]
    assert stubs and all("raise NotImplementedError()" in c.source for c in stubs)


def test_student_versions_carry_nbgraders_checksums_and_locks(name):
    for cell in load(STUDENT / name).cells:
        meta = nbg(cell)
        if not meta:
            continue
        assert re.fullmatch(r"[0-9a-f]{32}", meta.get("checksum", "")), f"{meta['grade_id']}: no nbgrader checksum"
        if meta["locked"]:
            assert cell.metadata.get("editable") is False and cell.metadata.get("deletable") is False
        else:
            assert cell.metadata.get("deletable") is False


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


def _namespace_up_to(name, stop_grade_id):
    """Student notebook with solutions, executed up to (not including) a test cell."""
    cells = _student_with_solutions(name)
    index = next(i for i, c in enumerate(cells) if nbg(c).get("grade_id") == stop_grade_id)
    results, ns = run_cells(cells[:index])
    assert all(e is None for _, e in results)
    return ns, cells[index]


def test_self_check_reports_not_implemented_for_stubs():
    cells = load(STUDENT / "01_stable_softmax.ipynb").cells
    index = next(i for i, c in enumerate(cells) if nbg(c).get("grade_id") == "softmax")
    _, ns = run_cells(cells[:index + 1])
    from softmax_lab.checks import check_softmax

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        report = check_softmax(ns["softmax"])
    assert not report and report.not_implemented
    assert "not implemented yet" in buf.getvalue()


# ------------------------------------------------------------------ the visible tests name the mistake
def _wrong_gradients():
    return [
        (grad_transposed, "transposed"),
        (grad_missing_1_over_n, "missing 1/m"),
        (grad_no_bias_row, "missing bias gradient"),
        (grad_zero_bias_row, "missing bias gradient"),
    ]


@pytest.mark.parametrize("wrong, words", _wrong_gradients(), ids=lambda v: getattr(v, "__name__", v))
def test_visible_gradient_test_names_the_mistake(wrong, words):
    ns, test_cell = _namespace_up_to("02_loss_and_gradient.ipynb", "test_gradient_loops")
    ns["gradient_loops"] = wrong
    (_, exc), = run_cells([test_cell], ns)[0]
    assert isinstance(exc, AssertionError), f"expected an AssertionError, got {exc!r}"
    assert words in str(exc), f"message {str(exc)!r} does not say {words!r}"


@pytest.mark.parametrize("wrong, words", _wrong_gradients(), ids=lambda v: getattr(v, "__name__", v))
def test_visible_vectorized_test_names_the_mistake(wrong, words):
    ns, test_cell = _namespace_up_to("02_loss_and_gradient.ipynb", "test_vectorized")
    ns["loss_and_gradient_vectorized"] = lambda theta, X, y: (mistakes.sl.cross_entropy(theta, X, y),
                                                              wrong(theta, X, y))
    (_, exc), = run_cells([test_cell], ns)[0]
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
    (_, exc), = run_cells([test_cell], ns)[0]
    assert isinstance(exc, AssertionError) and "in place" in str(exc)


def test_hw4_visible_test_says_transposed():
    ns, test_cell = _namespace_up_to("04_derive_gradient.ipynb", "test_gradient_one_sample")
    right = ns["gradient_one_sample"]
    ns["gradient_one_sample"] = lambda theta, x, y: right(theta, x, y).T
    (_, exc), = run_cells([test_cell], ns)[0]
    assert isinstance(exc, AssertionError) and "transposed" in str(exc), repr(exc)


# ------------------------------------------------------------------ the student release
def test_release_holds_the_starters_and_no_solution(tmp_path):
    out = tmp_path / "homework-release"
    assert hw.main(["release", "--out", str(out)]) == 0
    top = sorted(p.name for p in out.iterdir())
    assert top == sorted(NAMES + ["README.md", "requirements.txt", "softmax_lab"])
    for nb_name in NAMES:
        assert (out / nb_name).read_bytes() == (STUDENT / nb_name).read_bytes()
    assert (out / "softmax_lab" / "data").is_dir() and any((out / "softmax_lab" / "data").glob("*.csv"))
    # no solution notebook, no hidden test, no mark scheme anywhere in the release
    secret = []
    for nb_name in NAMES:
        for cell in load(HOMEWORK / nb_name).cells:
            for begin, end in ((BEGIN_SOLUTION, END_SOLUTION), (BEGIN_HIDDEN, END_HIDDEN), (BEGIN_MARK, END_MARK)):
                secret += [s.strip() for s in regions(cell.source, begin, end) if "rng_h" in s or "assert" in s]
    assert secret
    with zipfile.ZipFile(out.with_suffix(".zip")) as zf:
        names = sorted(n.split("/", 1)[1] for n in zf.namelist())
        assert names == sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        for member in zf.namelist():
            text = zf.read(member).decode("utf-8", errors="replace")
            for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME", "Model answer"):
                assert marker not in text, f"{member}: {marker}"
            leaked = [s for s in secret if s in text]
            assert not leaked, f"{member} holds hidden-test lines: {leaked[:2]}"
    readme = (out / "README.md").read_text(encoding="utf-8")
    for nb_name in NAMES:
        assert nb_name in readme


# ------------------------------------------------------------------ the battery of student answers
def _task_sections(nb):
    """{solution grade_id: (test cell grade_ids, self-check cell sources)} per '## Task' section."""
    out = {}
    for _heading, cells in sections(nb):
        solutions = [nbg(c)["grade_id"] for c in cells if nbg(c).get("solution") and c.cell_type == "code"]
        if not solutions:
            continue
        tests = [nbg(c)["grade_id"] for c in cells if is_test_cell(c)]
        checks = [c.source for c in cells if c.cell_type == "code" and not nbg(c) and "check_" in c.source]
        for gid in solutions:
            out[gid] = (tests, checks)
    return out


def _submission(aid, gid, source):
    """What autograde runs: the notebook's nbgrader cells (hidden tests included), one
    solution cell replaced by the student's source."""
    nb = load(HOMEWORK / f"{aid}.ipynb")
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not nbg(cell):
            continue
        if nbg(cell).get("grade_id") == gid:
            cell = nbformat.v4.new_code_cell(source, metadata=cell.metadata)
        cells.append(cell)
    return nb, cells


def _battery():
    out = []
    for aid, tasks in mistakes.STUDENT_ANSWERS.items():
        for gid, answers in tasks.items():
            for i, entry in enumerate(answers):
                out.append(pytest.param(aid, gid, *entry[:2], entry[2] if len(entry) > 2 else None,
                                        id=f"{aid[:2]}-{gid}-{i}-{'ok' if entry[1] == 'full' else 'wrong'}"))
    return out


def test_the_battery_has_wrong_and_unusual_answers_for_every_task():
    for aid, tasks in mistakes.STUDENT_ANSWERS.items():
        assert sorted(tasks) == sorted(_task_sections(load(HOMEWORK / f"{aid}.ipynb"))), aid
        for gid, answers in tasks.items():
            expected = [e[1] for e in answers]
            assert "full" in expected and any(e != "full" for e in expected), (aid, gid)


@pytest.mark.parametrize("aid, gid, source, expected, words", _battery())
def test_a_student_answer_loses_points_in_its_own_task_only(aid, gid, source, expected, words, monkeypatch):
    from softmax_lab import checks

    monkeypatch.setattr(checks, "TIME_LIMIT", 2.0)   # the infinite loops of the battery: 2 s each
    nb, cells = _submission(aid, gid, source)
    results, ns = run_cells(cells)
    failed = {nbg(c)["grade_id"]: e for c, e in results if is_test_cell(c) and e is not None}
    points = {nbg(c)["grade_id"]: nbg(c)["points"] for c in cells if is_test_cell(c)}
    setup_errors = [(nbg(c)["grade_id"], e) for c, e in results if not is_test_cell(c) and e is not None]
    assert not setup_errors, setup_errors
    sections_ = _task_sections(nb)
    for task, (tests, _) in sections_.items():
        got = sum(points[t] for t in tests if t not in failed)
        if task != gid or expected == "full":
            assert got == sum(points[t] for t in tests), (
                f"{task} lost points for an answer to {gid}: {[repr(failed[t]) for t in tests if t in failed]}")
        else:
            assert got == expected, f"{gid}: {got} points, expected {expected}; failures: " + \
                repr({t: str(failed[t])[:300] for t in tests if t in failed})
    tests, self_checks = sections_[gid]
    if expected != "full" and words:
        first = str(next(failed[t] for t in tests if t in failed))
        assert words.lower() in first.lower(), f"the first failing test says {first!r}, not {words!r}"
    # the self-check of the task agrees with the grader: it passes exactly the full answers
    reports = []
    for source_line in "\n".join(self_checks).splitlines():
        if "check_" in source_line:
            with contextlib.redirect_stdout(io.StringIO()):
                reports.append(eval(source_line.split("=", 1)[1], ns))
            plt.close("all")
    assert reports, f"{gid} has no self-check"
    assert not any("checker-bug" in r.hint_keys for r in reports), [r.text() for r in reports]
    if expected == "full":
        assert all(reports), [r.text() for r in reports]
    else:
        assert not all(reports), f"the self-check passes an answer that loses points: {[r.text() for r in reports]}"


# ------------------------------------------------------------------ nbgrader's points, messages, self-checks, figures
def test_a_written_answer_is_a_task_or_a_graded_cell_never_both(name):
    """nbgrader counts a cell that is both twice (its maxima were 12/12/15/14/11)."""
    for cell in load(HOMEWORK / name).cells:
        meta = nbg(cell)
        assert not (meta.get("task") and meta.get("grade")), f"{meta['grade_id']}: both task and grade"


def test_nbgraders_maximum_is_the_documented_total(name):
    """The maximum as nbgrader computes it (every grade cell plus every task cell, once)."""
    nb = load(HOMEWORK / name)
    maximum = sum(nbg(c)["points"] for c in nb.cells if nbg(c).get("grade") or nbg(c).get("task"))
    total, auto, hand = _intro_points(nb)
    assert maximum == total == auto + hand, f"{name}: nbgrader's maximum {maximum}, the notebook says {total}"
    assert _readme_rows()[name][:2] == (auto, hand)


def test_every_assert_in_a_test_cell_carries_a_message(name):
    import ast

    for cell in filter(is_test_cell, load(HOMEWORK / name).cells):
        for node in ast.walk(ast.parse(python_source(cell))):
            if isinstance(node, ast.Assert):
                assert node.msg is not None, f"{nbg(cell)['grade_id']}: assert without a message, line {node.lineno}"


def test_test_cells_call_student_functions_only_through_graded_call(name):
    """So that every call is on copies, under a time limit, with the task's rules."""
    nb = load(HOMEWORK / name)
    owned = {fn for c in nb.cells if nbg(c).get("solution") and c.cell_type == "code"
             for fn in re.findall(r"^def (\w+)\(", c.source, flags=re.M)}
    for cell in filter(is_test_cell, nb.cells):
        for fn in owned:
            direct = re.findall(rf"(?<![\w.\"']){fn}\(", cell.source)
            assert not direct, f"{nbg(cell)['grade_id']} calls {fn}(...) directly"


def test_every_autograded_task_has_a_self_check(name):
    for gid, (tests, checks) in _task_sections(load(HOMEWORK / name)).items():
        assert tests, gid
        assert checks, f"{name}: task {gid} has no self-check cell"


def test_homework_figures_are_shown_with_alt_text(name):
    nb = load(HOMEWORK / name)
    assert not any("plt.show()" in c.source for c in nb.cells if c.cell_type == "code")
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert len(alt.split()) >= 6, f"{name}: a figure without a real alt text: {alt!r}"


def test_no_citation_of_the_course_sources_by_path(name):
    text = (HOMEWORK / name).read_text(encoding="utf-8")
    assert "seeds/" not in text and not re.search(r"\bseed 00\d\b", text)


def test_an_infinite_loop_in_a_graded_test_ends_with_a_message(monkeypatch):
    """HW4's numerical_gradient stuck in a loop: the test cell fails after the time limit,
    saying so, instead of hanging autograde."""
    import time

    from softmax_lab import checks

    monkeypatch.setattr(checks, "TIME_LIMIT", 0.5)
    ns, test_cell = _namespace_up_to("04_derive_gradient.ipynb", "test_numerical_gradient")

    def numerical_gradient(f, theta, eps=1e-5):
        while True:
            pass

    ns["numerical_gradient"] = numerical_gradient
    start = time.monotonic()
    (_, exc), = run_cells([test_cell], ns)[0]
    assert time.monotonic() - start < 5
    assert isinstance(exc, AssertionError) and "did not finish within 0.5 s" in str(exc), repr(exc)
