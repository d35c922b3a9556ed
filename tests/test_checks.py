"""softmax_lab.checks: right implementations pass, each seeded mistake gets its own
true hint, and no student function can hang a check or escape it."""

from __future__ import annotations

import inspect
import signal
import sys
import threading
import time

import numpy as np
import pytest

import mistakes
import softmax_lab as sl
from mistakes import (
    BATTERY,
    HANGS,
    grad_one_based,
    grad_transposed,
    log_softmax_row_min,
    log_softmax_shift_not_added_back,
    log_softmax_sign_flipped,
)
from softmax_lab import checks

CHECKS = {name: getattr(checks, name) for name in (
    "check_softmax", "check_log_softmax", "check_loss", "check_gradient",
    "check_minibatches", "check_sgd_step")}


def _ids(v):
    return getattr(v, "__name__", str(v))


# ---------------------------------------------------------------- the battery
@pytest.mark.parametrize("check, fn, key, also_true", BATTERY, ids=_ids)
def test_each_mistake_gets_its_hint_and_no_false_one(check, fn, key, also_true, capsys):
    report = CHECKS[check](fn)
    out = capsys.readouterr().out
    assert not report
    assert key in report.hint_keys, report.text()
    # every hint given is one that is true for this function's output
    assert set(report.hint_keys) <= {key, *also_true}, report.text()
    assert FAIL in out and "hint:" in out and "Traceback" not in out


FAIL = "\u2717"


def test_the_battery_covers_every_named_mistake_of_issue_15():
    keys = {(check, key) for check, _, key, _ in BATTERY}
    for needed in [("check_gradient", "bias-row-last"), ("check_gradient", "forgot-Y"),
                   ("check_log_softmax", "log-softmax-eps"), ("check_loss", "log-softmax-eps"),
                   ("check_softmax", "clipped-logits"), ("check_log_softmax", "clipped-logits"),
                   ("check_loss", "clipped-logits"), ("check_sgd_step", "labels-shifted"),
                   ("check_log_softmax", "sign-flipped"),
                   ("check_log_softmax", "shift-not-added-back"),
                   ("check_log_softmax", "row-min"), ("check_softmax", "row-min"),
                   ("check_softmax", "complex"), ("check_softmax", "system-exit")]:
        assert needed in keys


@pytest.mark.parametrize("check, fn, words", [
    ("check_gradient", mistakes.grad_bias_row_last, "bias row last"),
    ("check_gradient", mistakes.grad_forgot_Y, "forgot to subtract Y"),
    ("check_log_softmax", mistakes.log_softmax_eps, "log(softmax + 1e-12)"),
    ("check_loss", mistakes.loss_log_softmax_eps, "log(softmax + 1e-12)"),
    ("check_log_softmax", mistakes.log_softmax_clipped_probabilities,
     "log(max(softmax, 1e-15))"),
    ("check_softmax", mistakes.softmax_clipped_logits, "clipping them to [-500, 500]"),
    ("check_log_softmax", mistakes.log_softmax_clipped_logits, "clipping them to [-500, 500]"),
    ("check_loss", mistakes.loss_clipped_logits, "clipping them to [-500, 500]"),
    ("check_sgd_step", mistakes.sgd_step_labels_shifted, "without shifting it"),
    ("check_sgd_step", mistakes.sgd_step_one_based, "labels y - 1"),
    ("check_log_softmax", mistakes.log_softmax_sign_flipped, "sign flipped"),
    ("check_log_softmax", mistakes.log_softmax_shift_not_added_back, "add the shift back"),
    ("check_log_softmax", mistakes.log_softmax_row_min, "MINIMUM"),
    ("check_softmax", mistakes.softmax_row_min, "MINIMUM"),
    ("check_softmax", mistakes.softmax_no_shift, "forgot the max-shift"),
    ("check_softmax", mistakes.softmax_global_max, "global max"),
    ("check_softmax", mistakes.softmax_no_keepdims, "keepdims"),
    ("check_softmax", mistakes.softmax_wrong_axis, "wrong axis"),
    ("check_softmax", mistakes.softmax_in_place, "in place"),
    ("check_softmax", mistakes.softmax_no_return, "return"),
    ("check_log_softmax", mistakes.log_softmax_via_log, "log of softmax"),
    ("check_loss", mistakes.loss_sum, "missing 1/m"),
    ("check_loss", mistakes.loss_one_based, "1-based labels"),
    ("check_loss", mistakes.loss_log_of_softmax, "log-sum-exp"),
    ("check_loss", mistakes.loss_no_bias, "bias"),
    ("check_loss", mistakes.loss_per_sample, "single number"),
    ("check_gradient", mistakes.grad_transposed, "transposed"),
    ("check_gradient", mistakes.grad_missing_1_over_n, "missing 1/m"),
    ("check_gradient", mistakes.grad_no_bias_row, "missing bias row"),
    ("check_gradient", mistakes.grad_zero_bias_row, "missing bias gradient"),
    ("check_gradient", mistakes.grad_sign, "sign"),
    ("check_gradient", grad_one_based, "1-based labels"),
    ("check_minibatches", mistakes.minibatches_drop_last, "dropped the last partial batch"),
    ("check_minibatches", mistakes.minibatches_global_rng, "not reproducible"),
    ("check_minibatches", mistakes.minibatches_in_order, "not shuffled"),
    ("check_minibatches", mistakes.minibatches_with_replacement, "with replacement"),
    ("check_sgd_step", mistakes.sgd_step_in_place, "in place"),
    ("check_sgd_step", mistakes.sgd_step_uphill, "uphill"),
    ("check_sgd_step", mistakes.sgd_step_bias_row_last, "bias row last"),
], ids=_ids)
def test_the_hint_names_the_mistake_in_words(check, fn, words):
    report = CHECKS[check](fn, verbose=False)
    assert any(words in h for h in report.hints), report.hints


@pytest.mark.parametrize("check, fn, key, also_true", BATTERY, ids=_ids)
def test_a_hint_that_claims_nan_or_inf_shows_it(check, fn, key, also_true):
    # "contains NaN or inf" is said only next to the values that contain them
    report = CHECKS[check](fn, verbose=False)
    for r in report.results:
        if not r.passed and ("NaN or inf" in r.hint or r.hint_key == "non-finite"):
            assert "nan" in r.detail or "inf" in r.detail, r


@pytest.mark.parametrize("fn", [log_softmax_sign_flipped, log_softmax_shift_not_added_back,
                                log_softmax_row_min], ids=_ids)
def test_issue_15_false_nan_hints_are_gone(fn):
    # each of these returned finite values and was told "NaN or inf on ordinary logits"
    report = checks.check_log_softmax(fn, verbose=False)
    assert not report
    for r in report.results:
        if r.passed:
            continue
        got = r.detail.split("expected")[0]
        if "nan" not in got and "inf" not in got:
            assert "NaN" not in r.hint and "inf" not in r.hint.split(":")[0], r
    assert "ordinary logits" not in report.text()


# ---------------------------------------------------------------- right answers pass
def log_softmax_logsumexp(Z):
    Z = np.asarray(Z, dtype=float)
    m = Z.max(axis=-1, keepdims=True)
    return Z - (m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)))


def softmax_from_log(Z):
    return np.exp(log_softmax_logsumexp(Z))


def loss_loops(theta, X, y):
    total = 0.0
    for u in range(X.shape[0]):
        z = theta[0] + X[u] @ theta[1:]
        m = z.max()
        total += -(z[y[u]] - m - np.log(np.exp(z - m).sum()))
    return total / X.shape[0]


def gradient_loops(theta, X, y):
    grad = np.zeros_like(theta)
    for u in range(X.shape[0]):
        p = sl.softmax(theta[0] + X[u] @ theta[1:])
        p[y[u]] -= 1.0
        grad[0] += p
        grad[1:] += np.outer(X[u], p)
    return grad / X.shape[0]


def minibatches(n, s, rng):
    order = rng.permutation(n)
    return [order[i:i + s] for i in range(0, n, s)]


def minibatches_generator(n, s, rng):
    order = rng.permutation(n)
    for i in range(0, n, s):
        yield order[i:i + s]


def sgd_step(theta, X, y, lr):
    return theta - lr * sl.gradient(theta, X, y)


def test_correct_implementations_pass(capsys):
    assert checks.check_softmax(sl.softmax)
    assert checks.check_softmax(softmax_from_log)
    assert checks.check_log_softmax(sl.log_softmax)
    assert checks.check_log_softmax(log_softmax_logsumexp)
    assert checks.check_loss(sl.cross_entropy)
    assert checks.check_loss(sl.loss_and_gradient)         # (loss, grad) is accepted
    assert checks.check_loss(loss_loops)
    assert checks.check_gradient(sl.gradient)
    assert checks.check_gradient(sl.loss_and_gradient)
    assert checks.check_gradient(gradient_loops)
    assert checks.check_minibatches(minibatches)
    assert checks.check_minibatches(minibatches_generator)
    assert checks.check_sgd_step(sgd_step)
    out = capsys.readouterr().out
    assert FAIL not in out and out.count("checks passed") == 13


def test_sgd_step_check_uses_the_slides_numbers():
    # the slide prints the updated theta of its s = 3 mini-batch to 3 decimals
    slide = np.array([[0.083, 0.061, -0.094], [-0.061, -0.022, 0.183], [0.133, 0.228, -0.061]])
    new = sgd_step(checks._DECK_THETA, checks._DECK_X, checks._DECK_Y, 0.1)
    assert np.all(np.abs(new - slide) <= 0.0005 + 1e-12)


# ---------------------------------------------------------------- results that are not real numbers
def test_a_complex_result_is_rejected_even_with_zero_imaginary_part():
    report = checks.check_softmax(lambda Z: mistakes.sl.softmax(Z) + 0j, verbose=False)
    assert not report
    assert report.hint_keys == ["complex"]
    assert "all imaginary parts are 0" in report.results[0].detail


@pytest.mark.parametrize("result, key", [
    (lambda Z: np.array([[0.5, None]] * 4, dtype=object), "object"),
    (lambda Z: np.full(np.shape(Z), "0.3"), "not-numeric"),
    (lambda Z: np.array([[0.5], [0.2, 0.8]], dtype=object), "object"),
    (lambda Z: [[0.5, 0.5]] * 4, "not-an-array"),          # the docstring asks for an ndarray
    (lambda Z: mistakes.sl.softmax(Z).tolist(), "not-an-array"),
    (lambda Z: np.asmatrix(mistakes.sl.softmax(np.atleast_2d(Z))), "matrix"),
    (lambda Z: mistakes.sl.softmax(Z).astype(np.float32), "precision"),
])
def test_objects_strings_and_ragged_lists_are_rejected(result, key):
    report = checks.check_softmax(result, verbose=False)
    assert not report and report.results[0].hint_key == key


# ---------------------------------------------------------------- time limit
@pytest.mark.parametrize("check, fn", HANGS, ids=_ids)
def test_a_function_that_never_returns_is_stopped(check, fn, capsys):
    before = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None
    start = time.monotonic()
    report = CHECKS[check](fn, time_limit=0.5)
    elapsed = time.monotonic() - start
    out = capsys.readouterr().out
    assert elapsed < 5
    assert not report and report.hint_keys == ["time-limit"]
    assert len(report.results) == 1 and report.skipped
    assert "still running after 0.5 s: stopped it" in out
    assert "skipped" in out and "Traceback" not in out
    if hasattr(signal, "SIGALRM"):
        # the alarm is gone and the previous handler is back
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) == before


def test_a_student_except_that_swallows_the_first_alarm_is_stopped_by_the_next():
    def stubborn(Z):
        try:
            while True:
                pass
        except BaseException:
            pass
        while True:
            pass

    start = time.monotonic()
    report = checks.check_softmax(stubborn, verbose=False, time_limit=0.3)
    assert time.monotonic() - start < 5
    assert report.hint_keys == ["time-limit"]


def test_a_slow_but_finishing_function_passes():
    def slow_softmax(Z):
        time.sleep(0.05)
        return mistakes.sl.softmax(Z)

    assert checks.check_softmax(slow_softmax, verbose=False, time_limit=2)


def test_thread_fallback_when_sigalrm_is_not_usable(monkeypatch):
    # as on Windows: no SIGALRM, the call runs in a thread that is stopped at the limit
    monkeypatch.setattr(checks, "_alarm_usable", lambda: False)
    start = time.monotonic()
    report = checks.check_softmax(mistakes.softmax_loops_forever, verbose=False,
                                  time_limit=0.5)
    assert time.monotonic() - start < 5
    assert report.hint_keys == ["time-limit"] and report.skipped
    if sys.implementation.name == "cpython":
        assert report.results[0].detail == "still running after 0.5 s: stopped it"
    assert not [t for t in threading.enumerate() if t.name.startswith("softmax_lab.checks")]
    # the fallback gives the same answers as the alarm path
    assert checks.check_gradient(sl.gradient, verbose=False)
    assert checks.check_gradient(grad_transposed, verbose=False).hint_keys == ["transposed"]


def test_called_from_another_thread():
    # signal handlers can only be set in the main thread: the thread fallback serves
    box = {}

    def run():
        box["hang"] = checks.check_softmax(mistakes.softmax_loops_forever, verbose=False,
                                           time_limit=0.5)
        box["ok"] = checks.check_softmax(sl.softmax, verbose=False)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    assert box["hang"].hint_keys == ["time-limit"] and box["ok"]


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX interval timers only")
def test_an_outer_alarm_is_restored_with_its_time_left():
    fired = []

    def outer(signum, frame):
        fired.append(signum)

    previous = signal.signal(signal.SIGALRM, outer)
    signal.setitimer(signal.ITIMER_REAL, 100.0)
    try:
        assert checks.check_softmax(sl.softmax, verbose=False)
        checks.check_softmax(mistakes.softmax_loops_forever, verbose=False, time_limit=0.2)
        assert signal.getsignal(signal.SIGALRM) is outer
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 95.0 < left <= 100.0
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "10", True, [1]])
def test_time_limit_must_be_a_positive_number(bad):
    with pytest.raises(ValueError, match="time_limit must be a positive number of seconds"):
        checks.check_softmax(sl.softmax, verbose=False, time_limit=bad)


def test_the_public_signatures_are_kept():
    for name, check in CHECKS.items():
        params = inspect.signature(check).parameters
        assert list(params)[:2] == ["fn", "verbose"], name
        assert params["verbose"].default is True
        assert params["time_limit"].kind is inspect.Parameter.KEYWORD_ONLY
    assert [f.name for f in checks.CheckResult.__dataclass_fields__.values()][:4] == [
        "name", "passed", "detail", "hint"]
    assert checks.CheckResult("x", True).hint == ""


# ---------------------------------------------------------------- escapes and errors
@pytest.mark.parametrize("fn, words", [
    (mistakes.softmax_calls_exit, "raised SystemExit"),
    (mistakes.softmax_interrupted, "interrupted (KeyboardInterrupt)"),
    (lambda Z: (_ for _ in ()).throw(GeneratorExit), "raised GeneratorExit"),
], ids=["exit", "interrupt", "base-exception"])
def test_exit_and_interrupts_become_a_failed_check(fn, words, capsys):
    report = checks.check_softmax(fn)
    out = capsys.readouterr().out
    assert not report and len(report.results) == 1 and report.skipped
    assert words in out and "Traceback" not in out


def test_stub_is_reported_as_not_implemented(capsys):
    def stub(*args):
        raise NotImplementedError()

    for check in CHECKS.values():
        report = check(stub)
        assert not report and report.not_implemented
        assert "not implemented" in repr(report)
    out = capsys.readouterr().out
    assert out.count("not implemented yet") == 6 and "Traceback" not in out


def test_errors_become_one_line_not_a_traceback(capsys):
    report = checks.check_softmax(mistakes.softmax_broken)
    out = capsys.readouterr().out
    assert not report and "Traceback" not in out
    assert "raised AttributeError" in out


def test_passing_the_result_instead_of_the_function():
    report = checks.check_softmax(sl.softmax([1.0, 2.0]), verbose=False)
    assert not report and "pass the function itself" in report.hints[0]


def test_report_never_prints_the_reference_code(capsys):
    for check, fn, _, _ in BATTERY:
        CHECKS[check](fn)
    out = capsys.readouterr().out
    for leak in ("X.T @", "np.exp(Z - Z.max(axis=-1, keepdims=True))", "def "):
        assert leak not in out


def test_checks_imports_numpy_and_the_standard_library_only():
    source = inspect.getsource(checks)
    imported = {line.split()[1].split(".")[0] for line in source.splitlines()
                if line.startswith(("import ", "from ")) or line.strip().startswith("import ")}
    allowed = set(sys.stdlib_module_names) | {"numpy", "__future__"}
    assert imported - allowed <= {""}, imported - allowed


# ---------------------------------------------------------------- no named mistake for a near miss
_FACTS = {"values-differ", "rows-sum", "positive-log", "negative", "bias-row", "weight-rows"}


def _noisy(f, scale, seed):
    rng = np.random.default_rng(seed)

    def wrong(*args):
        out = np.asarray(f(*args), dtype=float)
        return out * (1 + scale * rng.standard_normal(out.shape))
    return wrong


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("check, right", [
    ("check_softmax", sl.softmax),
    ("check_log_softmax", sl.log_softmax),
    ("check_loss", sl.cross_entropy),
    ("check_gradient", sl.gradient),
    ("check_sgd_step", sgd_step),
], ids=_ids)
@pytest.mark.parametrize("scale", [1e-3, 0.3])
def test_a_near_miss_gets_a_plain_fact_never_a_named_mistake(check, right, scale, seed):
    # a right answer with noise on it is no known mistake: a hint may only say
    # what is true of the numbers (they differ, rows do not sum to 1, ...)
    report = CHECKS[check](_noisy(right, scale, seed), verbose=False)
    assert not report
    assert set(report.hint_keys) <= _FACTS, report.text()


def test_the_module_example_runs():
    import doctest

    failures, tried = doctest.testmod(checks, verbose=False)
    assert tried >= 4 and failures == 0


def test_in_a_jupyter_kernel_a_hang_is_stopped_and_the_kernel_stays_usable():
    # ipykernel runs cells in its main thread, where SIGALRM works
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        "import threading, signal\n"
        "from softmax_lab.checks import check_softmax, check_log_softmax\n"
        "def softmax(Z):\n"
        "    while True:\n"
        "        pass\n"
        "report = check_softmax(softmax, time_limit=0.5)\n"
        "print('main thread:', threading.current_thread() is threading.main_thread())",
        "import softmax_lab as sl, sys\n"
        "def log_softmax(Z):\n"
        "    sys.exit()\n"
        "check_log_softmax(log_softmax, verbose=False)\n"
        "assert check_softmax(sl.softmax, verbose=False)\n"
        "print('timer:', signal.getitimer(signal.ITIMER_REAL))",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    first = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    second = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert "still running after 0.5 s: stopped it" in first
    assert "main thread: True" in first
    assert "timer: (0.0, 0.0)" in second
    assert all(o.output_type == "stream" for c in nb.cells for o in c.outputs)   # no error


def test_the_label_hint_for_an_error_needs_softmax_lab_to_have_raised_it():
    def own_error(theta, X, y, lr):
        raise ValueError("y contains the negative label -1")   # the student's own message

    report = checks.check_sgd_step(own_error, verbose=False)
    assert "labels-shifted" not in report.hint_keys
    assert checks.check_sgd_step(mistakes.sgd_step_labels_shifted,
                                 verbose=False).hint_keys == ["labels-shifted"]


def test_thread_fallback_says_so_when_it_cannot_stop_the_function(monkeypatch):
    # a thread waiting inside a C call (here a 2 s sleep) cannot be stopped from outside
    monkeypatch.setattr(checks, "_alarm_usable", lambda: False)

    def sleepy_softmax(Z):
        time.sleep(2)
        return mistakes.sl.softmax(Z)

    report = checks.check_softmax(sleepy_softmax, verbose=False, time_limit=0.2)
    assert report.hint_keys == ["time-limit"] and report.skipped
    assert "could not be stopped" in report.results[0].detail


def test_an_object_result_is_described_by_what_it_holds():
    report = checks.check_softmax(mistakes.softmax_fractions, verbose=False)
    assert "one element is a Fraction" in report.results[0].detail
    report = checks.check_softmax(lambda Z: np.array([[0.5, None]] * 4), verbose=False)
    assert "one element is a NoneType" in report.results[0].detail


# ---------------------------------------------------------------- the task's rules (issue 21 §4, §5, §7)
NEW_CHECKS = {name: getattr(checks, name) for name in (
    "check_train", "check_accuracy", "check_gradient_one_sample", "check_numerical_gradient",
    "check_split_indices", "check_validation_grid", "check_best_setting",
    "check_plot_validation_curve")}


def test_the_new_checks_keep_the_public_signature():
    for name, check in NEW_CHECKS.items():
        params = inspect.signature(check).parameters
        assert list(params)[:2] == ["fn", "verbose"], name
        assert params["time_limit"].kind is inspect.Parameter.KEYWORD_ONLY


def _named(fn, name):
    fn.__name__ = name
    return fn


@pytest.mark.parametrize("check, fn, name", [
    ("check_softmax", lambda Z: sl.softmax(Z), "softmax"),
    ("check_softmax", lambda Z: np.exp(sl.log_softmax(Z)), "log_softmax"),
    ("check_log_softmax", lambda Z: np.log(sl.core.softmax(Z)), "softmax"),
    ("check_gradient", _named(lambda t, X, y: sl.gradient(t, X, y), "gradient_loops"), "gradient"),
], ids=["softmax", "log_softmax", "core.softmax", "gradient"])
def test_calling_the_reference_is_refused_with_a_message_that_says_so(check, fn, name):
    report = CHECKS[check](fn, verbose=False)
    assert not report and report.hint_keys == ["forbidden"], report.text()
    assert f"softmax_lab.{name} unavailable" in report.hints[0]
    # and the references are back afterwards, for everyone
    assert sl.softmax is sl.core.softmax and "unavailable" not in (sl.softmax.__doc__ or "")
    assert sl.gradient(*checks._PROBLEMS[0]).shape == (3, 4)


def test_the_library_itself_may_use_a_reference_while_it_is_forbidden():
    # sl.predict_proba calls core.softmax inside: a student's gradient may use it
    def gradient_loops(theta, X, y):
        P = sl.predict_proba(theta, X)
        P[np.arange(len(y)), y] -= 1
        return np.vstack([P.sum(0), X.T @ P]) / len(y)

    assert checks.check_gradient(gradient_loops, verbose=False)


def test_another_tasks_function_is_stood_in_by_a_reference():
    # a log_softmax built on a broken softmax of Task 1 is judged on its own
    namespace = {"np": np}
    exec("def softmax(Z):\n    Z -= 5.0\n    return Z\n\n"
         "def log_softmax(Z):\n"
         "    Z = np.asarray(Z, dtype=float)\n"
         "    return np.log(softmax(Z))\n", namespace)
    broken = namespace["softmax"]
    report = checks.check_log_softmax(namespace["log_softmax"], verbose=False)
    assert report.results[0].passed, report.text()          # ordinary logits: right values
    assert "log-of-softmax" in report.hint_keys or "non-finite" in report.hint_keys, report.text()
    assert namespace["softmax"] is broken                    # given back


def test_graded_call_copies_limits_and_checks_the_contract():
    Z = np.array([[1.0, 2.0]])

    def in_place(Z):
        Z -= Z.max()
        return np.exp(Z) / np.exp(Z).sum(axis=-1, keepdims=True)

    checks.graded_call("softmax", in_place, Z)
    assert np.array_equal(Z, [[1.0, 2.0]]), "graded_call passes copies"
    with pytest.raises(AssertionError, match="not a numpy array"):
        checks.graded_call("softmax", lambda Z: [[0.5, 0.5]], Z)
    with pytest.raises(AssertionError, match="float64"):
        checks.graded_call("softmax", lambda Z: np.full((1, 2), 0.5, dtype=np.float32), Z)
    with pytest.raises(AssertionError, match=r"did not finish within 0.3 s"):
        checks.graded_call("softmax", mistakes.softmax_loops_forever, Z, time_limit=0.3)
    with pytest.raises(AssertionError, match="may not call softmax_lab.softmax"):
        checks.graded_call("softmax", lambda Z: sl.softmax(Z), Z)
    with pytest.raises(ZeroDivisionError):                      # the student's own error, as it was
        checks.graded_call("softmax", lambda Z: 1 / 0, Z)
    with pytest.raises(AssertionError, match="the generator never stops"):
        checks.graded_call("minibatches", mistakes.minibatches_endless_generator, 10, 3,
                           np.random.default_rng(0), time_limit=5)
    batches = checks.graded_call("minibatches", minibatches_generator, 10, 3, np.random.default_rng(0))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    loss, grad = checks.graded_call("loss_and_gradient_vectorized",
                                    lambda t, X, y: [1.0, np.zeros(t.shape)], *checks._PROBLEMS[0])
    assert loss == 1.0 and grad.shape == (3, 4)


@pytest.mark.parametrize("fn, key", [
    (lambda Z: np.asarray(mistakes.sl.log_softmax(np.asarray(Z, np.float32)), np.float64),
     "precision"),
    (lambda Z: np.log(mistakes.sl.softmax(Z) + 1e-12), "log-softmax-eps"),
], ids=["float32", "eps"])
def test_a_precision_loss_gets_a_true_hint(fn, key):
    report = checks.check_log_softmax(fn, verbose=False)
    assert key in report.hint_keys, report.text()
    for hint in report.hints:
        if hint.startswith("precision"):
            assert "float32" in hint and "log(P + eps)" in hint   # both causes named, neither claimed


def test_minibatch_hints_for_padding_and_masks_are_true():
    def padded(n, s, rng):
        order = rng.permutation(n)
        k = -(-n // s)
        out = np.full(k * s, -1)
        out[:n] = order
        return list(out.reshape(k, s))

    def masks(n, s, rng):
        order = rng.permutation(n)
        return [np.isin(np.arange(n), order[i:i + s]) for i in range(0, n, s)]

    report = checks.check_minibatches(padded, verbose=False)
    assert report.hint_keys[0] == "out-of-range" and "with-replacement" not in report.hint_keys
    assert checks.check_minibatches(masks, verbose=False).hint_keys[0] == "boolean-mask"


def test_a_transposed_gradient_in_sgd_step_is_not_told_about_keepdims():
    def sgd_step(theta, X, y, lr):
        return theta - lr * sl.gradient(theta, X, y).T

    report = checks.check_sgd_step(sgd_step, verbose=False)
    assert not report and "keepdims" not in report.hint_keys, report.text()
    assert all("keepdims" not in h for h in report.hints)


def test_new_checks_pass_the_reference_answers(capsys):
    assert checks.check_train(lambda X, y, k, **kw: checks._ref_train(X, y, k, **kw))
    assert checks.check_accuracy(lambda t, X, y: float(np.mean(sl.predict(t, X) == y)))
    assert checks.check_gradient_one_sample(checks._ref_gradient_one_sample)
    assert checks.check_numerical_gradient(checks._ref_numerical_gradient)
    assert checks.check_split_indices(checks._ref_split_indices)
    assert checks.check_validation_grid(checks._ref_validation_grid)
    assert checks.check_best_setting(checks._ref_best_setting)
    assert checks.check_plot_validation_curve(checks._ref_plot_validation_curve)
    assert FAIL not in capsys.readouterr().out


@pytest.mark.parametrize("check", ["check_train", "check_numerical_gradient", "check_validation_grid"])
def test_every_new_check_stops_an_endless_function(check):
    def forever(*args, **kwargs):
        while True:
            pass

    start = time.monotonic()
    report = NEW_CHECKS[check](forever, verbose=False, time_limit=0.3)
    assert time.monotonic() - start < 5
    assert report.hint_keys == ["time-limit"], report.text()


def test_the_time_limit_can_be_set_for_a_whole_autograde_run(monkeypatch):
    monkeypatch.setenv("SOFTMAX_LAB_TIME_LIMIT", "0.3")
    start = time.monotonic()
    with pytest.raises(AssertionError, match=r"did not finish within 0.3 s"):
        checks.graded_call("softmax", mistakes.softmax_loops_forever, np.zeros((1, 2)))
    assert time.monotonic() - start < 5
    monkeypatch.setenv("SOFTMAX_LAB_TIME_LIMIT", "nonsense")
    assert checks._time_limit(None) == checks.TIME_LIMIT
