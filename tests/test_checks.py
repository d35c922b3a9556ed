"""softmax_lab.checks: right implementations pass, each seeded mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

import softmax_lab as sl
from mistakes import grad_missing_1_over_n, grad_no_bias_row, grad_transposed, grad_zero_bias_row
from softmax_lab import checks


def _norm(E, axis=-1):
    return E / E.sum(axis=axis, keepdims=True)


# ---------------------------------------------------------------- wrong softmaxes
def softmax_no_shift(Z):
    return _norm(np.exp(np.asarray(Z, dtype=float)))


def softmax_global_max(Z):
    Z = np.asarray(Z, dtype=float)
    return _norm(np.exp(Z - Z.max()))


def softmax_no_keepdims(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=-1))
    return E / E.sum(axis=-1)


def softmax_wrong_axis(Z):
    Z = np.asarray(Z, dtype=float)
    return _norm(np.exp(Z - Z.max(axis=0, keepdims=True)), axis=0)


def softmax_in_place(Z):
    Z -= Z.max(axis=-1, keepdims=True)
    return _norm(np.exp(Z))


def softmax_no_return(Z):
    sl.softmax(Z)


def log_softmax_via_log(Z):
    return np.log(sl.softmax(Z))


def log_softmax_no_shift(Z):
    Z = np.asarray(Z, dtype=float)
    return Z - np.log(np.exp(Z).sum(axis=-1, keepdims=True))


def log_softmax_global_max(Z):
    Z = np.asarray(Z, dtype=float)
    S = Z - Z.max()
    return S - np.log(np.exp(S).sum(axis=-1, keepdims=True))


@pytest.mark.parametrize("fn, words", [
    (softmax_no_shift, "forgot the max-shift"),
    (softmax_global_max, "global max"),
    (softmax_no_keepdims, "keepdims"),
    (softmax_wrong_axis, "wrong axis"),
    (softmax_in_place, "in place"),
    (softmax_no_return, "return"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_check_softmax_names_the_mistake(fn, words, capsys):
    report = checks.check_softmax(fn)
    out = capsys.readouterr().out
    assert not report
    assert any(words in h for h in report.hints), report.hints
    assert "\u2717" in out and "hint:" in out and "Traceback" not in out


@pytest.mark.parametrize("fn, words", [
    (log_softmax_via_log, "log of softmax"),
    (log_softmax_no_shift, "forgot the max-shift"),
    (log_softmax_global_max, "global max"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_check_log_softmax_names_the_mistake(fn, words):
    report = checks.check_log_softmax(fn, verbose=False)
    assert not report
    assert any(words in h for h in report.hints), report.hints


def test_correct_implementations_pass(capsys):
    assert checks.check_softmax(sl.softmax)
    assert checks.check_log_softmax(sl.log_softmax)
    assert checks.check_loss(sl.cross_entropy)
    assert checks.check_loss(sl.loss_and_gradient)         # (loss, grad) is accepted
    assert checks.check_gradient(sl.gradient)
    assert checks.check_gradient(sl.loss_and_gradient)
    out = capsys.readouterr().out
    assert "\u2717" not in out and out.count("checks passed") == 6


# ---------------------------------------------------------------- loss and gradient
def _rows(X, y):
    return np.arange(X.shape[0]), y


def loss_sum(theta, X, y):
    return -sl.log_softmax(sl.logits(theta, X))[_rows(X, y)].sum()


def loss_one_based(theta, X, y):
    return -sl.log_softmax(sl.logits(theta, X))[np.arange(len(y)), y - 1].mean()


def loss_log_of_softmax(theta, X, y):
    return -np.log(sl.softmax(sl.logits(theta, X))[_rows(X, y)]).mean()


def loss_no_bias(theta, X, y):
    return -sl.log_softmax(X @ theta[1:])[_rows(X, y)].mean()


def loss_per_sample(theta, X, y):
    return -sl.log_softmax(sl.logits(theta, X))[_rows(X, y)]


@pytest.mark.parametrize("fn, words", [
    (loss_sum, "missing 1/n"),
    (loss_one_based, "1-based labels"),
    (loss_log_of_softmax, "log-softmax"),
    (loss_no_bias, "bias"),
    (loss_per_sample, "single number"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_check_loss_names_the_mistake(fn, words):
    report = checks.check_loss(fn, verbose=False)
    assert not report
    assert any(words in h for h in report.hints), report.hints


def grad_sign(theta, X, y):
    return -sl.gradient(theta, X, y)


def grad_one_based(theta, X, y):
    P = sl.predict_proba(theta, X)
    Y = np.zeros_like(P)
    Y[np.arange(len(y)), y - 1] = 1.0
    dZ = P - Y
    return np.vstack([dZ.sum(0), X.T @ dZ]) / len(y)


@pytest.mark.parametrize("fn, words", [
    (grad_transposed, "transposed"),
    (grad_missing_1_over_n, "missing 1/n"),
    (grad_no_bias_row, "missing bias row"),
    (grad_zero_bias_row, "missing bias gradient"),
    (grad_sign, "sign"),
    (grad_one_based, "1-based labels"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_check_gradient_names_the_mistake(fn, words):
    report = checks.check_gradient(fn, verbose=False)
    assert not report
    assert any(words in h for h in report.hints), report.hints


# ---------------------------------------------------------------- homework 3
def minibatches(n, s, rng):
    order = rng.permutation(n)
    return [order[i:i + s] for i in range(0, n, s)]


def minibatches_drop_last(n, s, rng):
    order = rng.permutation(n)
    return [order[i:i + s] for i in range(0, n - s + 1, s)]


def minibatches_global_rng(n, s, rng):
    order = np.random.permutation(n)  # the mistake under test: global state
    return [order[i:i + s] for i in range(0, n, s)]


def minibatches_in_order(n, s, rng):
    return [np.arange(n)[i:i + s] for i in range(0, n, s)]


def minibatches_with_replacement(n, s, rng):
    order = rng.integers(0, n, size=n)
    return [order[i:i + s] for i in range(0, n, s)]


@pytest.mark.parametrize("fn, words", [
    (minibatches_drop_last, "dropped the last partial batch"),
    (minibatches_global_rng, "not reproducible"),
    (minibatches_in_order, "not shuffled"),
    (minibatches_with_replacement, "with replacement"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_check_minibatches_names_the_mistake(fn, words):
    report = checks.check_minibatches(fn, verbose=False)
    assert not report
    assert any(words in h for h in report.hints), report.hints


def sgd_step(theta, X, y, lr):
    return theta - lr * sl.gradient(theta, X, y)


def sgd_step_in_place(theta, X, y, lr):
    theta -= lr * sl.gradient(theta, X, y)
    return theta


def sgd_step_uphill(theta, X, y, lr):
    return theta + lr * sl.gradient(theta, X, y)


def sgd_step_one_based(theta, X, y, lr):
    return theta - lr * grad_one_based(theta, X, y)


@pytest.mark.parametrize("fn, words", [
    (sgd_step_in_place, "in place"),
    (sgd_step_uphill, "uphill"),
    (sgd_step_one_based, "1-based labels"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_check_sgd_step_names_the_mistake(fn, words):
    report = checks.check_sgd_step(fn, verbose=False)
    assert not report
    assert any(words in h for h in report.hints), report.hints


def test_homework3_reference_implementations_pass():
    assert checks.check_minibatches(minibatches, verbose=False)
    assert checks.check_sgd_step(sgd_step, verbose=False)


def test_sgd_step_check_uses_the_slides_numbers():
    # the slide prints the updated theta of its s = 3 mini-batch to 3 decimals
    slide = np.array([[0.083, 0.061, -0.094], [-0.061, -0.022, 0.183], [0.133, 0.228, -0.061]])
    new = sgd_step(checks._DECK_THETA, checks._DECK_X, checks._DECK_Y, 0.1)
    assert np.all(np.abs(new - slide) <= 0.0005 + 1e-12)


# ---------------------------------------------------------------- robustness
def test_stub_is_reported_as_not_implemented(capsys):
    def stub(*args):
        raise NotImplementedError()

    for check in (checks.check_softmax, checks.check_log_softmax, checks.check_loss,
                  checks.check_gradient, checks.check_minibatches, checks.check_sgd_step):
        report = check(stub)
        assert not report and report.not_implemented
        assert "not implemented" in repr(report)
    out = capsys.readouterr().out
    assert out.count("not implemented yet") == 6 and "Traceback" not in out


def test_errors_become_one_line_not_a_traceback(capsys):
    def broken(Z):
        return Z.nonexistent_attribute

    report = checks.check_softmax(broken)
    out = capsys.readouterr().out
    assert not report and "Traceback" not in out
    assert "raised AttributeError" in out


def test_passing_the_result_instead_of_the_function():
    report = checks.check_softmax(sl.softmax([1.0, 2.0]), verbose=False)
    assert not report and "pass the function itself" in report.hints[0]


def test_report_never_prints_the_reference_code(capsys):
    checks.check_gradient(grad_transposed)
    checks.check_softmax(softmax_no_shift)
    out = capsys.readouterr().out
    for leak in ("X.T @", "np.exp(Z - Z.max(axis=-1, keepdims=True))", "def "):
        assert leak not in out
