r"""Friendly self-checks for students working through the homework alone.

Each ``check_*`` function takes *your* function, runs it on small inputs,
compares the results with :mod:`softmax_lab.core`, and prints a short report:
one line per check (✓ or ✗), and for a failure a hint that names the likely
mistake (forgot the max-shift, subtracted the global maximum, transposed
gradient, missing 1/n, missing bias row, 1-based labels, ...). It never
prints a traceback and never prints the solution. It returns a
:class:`CheckReport`, which is true when every check passed.

>>> import numpy as np
>>> from softmax_lab.checks import check_softmax
>>> def my_softmax(Z):
...     E = np.exp(Z)                      # no max-shift: overflows at 1000
...     return E / E.sum(axis=-1, keepdims=True)
>>> report = check_softmax(my_softmax, verbose=False)
>>> bool(report)
False
>>> any("max-shift" in hint for hint in report.hints)
True

A stub that still raises ``NotImplementedError`` is reported as "not
implemented yet". Unlike the rest of the library, these functions print
(that is their job); pass ``verbose=False`` to only get the report back.

This module imports numpy and :mod:`softmax_lab.core` only.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import core

__all__ = [
    "CheckReport",
    "check_softmax",
    "check_log_softmax",
    "check_loss",
    "check_gradient",
    "check_minibatches",
    "check_sgd_step",
]

PASS, FAIL = "\u2713", "\u2717"  # ✓ ✗


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------
@dataclass
class CheckResult:
    """One line of a report."""

    name: str
    passed: bool
    detail: str = ""
    hint: str = ""


@dataclass
class CheckReport:
    """What a ``check_*`` function found. True when every check passed.

    Attributes
    ----------
    title : str
        e.g. ``"check_softmax(my_softmax)"``.
    results : list of CheckResult
        One per check that ran.
    not_implemented : bool
        The function still raises ``NotImplementedError``.
    """

    title: str
    results: list = field(default_factory=list)
    not_implemented: bool = False

    @property
    def passed(self) -> bool:
        return (not self.not_implemented and bool(self.results)
                and all(r.passed for r in self.results))

    def __bool__(self) -> bool:
        return self.passed

    @property
    def n_passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def hints(self) -> list:
        """The hints of the failed checks, in order, without repeats."""
        out = []
        for r in self.results:
            if not r.passed and r.hint and r.hint not in out:
                out.append(r.hint)
        return out

    def text(self) -> str:
        """The report as printed."""
        if self.not_implemented:
            return (f"{self.title}: not implemented yet - replace "
                    "`raise NotImplementedError()` with your code, run that cell, "
                    "then run this check again.")
        lines = [self.title]
        for r in self.results:
            lines.append(f"  {PASS if r.passed else FAIL} {r.name}")
            if not r.passed:
                if r.detail:
                    lines.append(f"      {r.detail}")
                if r.hint:
                    lines.append(f"      hint: {r.hint}")
        n = len(self.results)
        if self.passed:
            lines.append(f"All {n} checks passed.")
        else:
            lines.append(f"{self.n_passed} of {n} checks passed.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        state = ("not implemented yet" if self.not_implemented
                 else f"{self.n_passed}/{len(self.results)} passed")
        return f"CheckReport({self.title}: {state})"


# --------------------------------------------------------------------------
# machinery
# --------------------------------------------------------------------------
class _NotImplemented(Exception):
    """The student's function still raises NotImplementedError."""


class _StudentError(Exception):
    """The student's function raised; carries a one-line description."""

    def __init__(self, exc):
        super().__init__(exc)
        self.exc = exc


class _Fail(Exception):
    """A check failed; carries detail and hint."""

    def __init__(self, detail="", hint=""):
        super().__init__(detail)
        self.detail, self.hint = detail, hint


def _call(fn, *args):
    """Call the student's function quietly: no warnings, no traceback."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)
    except NotImplementedError:
        raise _NotImplemented from None
    except Exception as exc:  # anything the student's code raises
        raise _StudentError(exc) from None


def _fmt(a) -> str:
    """Compact one-line rendering of a small array: [[0.7311, 0.2689], [nan, nan]]."""
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        return f"{float(a):.6g}"

    def num(v):
        return f"{v:.4g}" if np.isfinite(v) else str(v)

    if a.ndim == 1 and a.size <= 12:
        return "[" + ", ".join(num(v) for v in a) + "]"
    if a.ndim == 2 and a.size <= 24:
        return "[" + ", ".join("[" + ", ".join(num(v) for v in row) + "]" for row in a) + "]"
    return np.array2string(a, precision=4, separator=", ", threshold=24)


def _one_line(exc) -> str:
    msg = str(exc).strip().splitlines()
    msg = msg[0] if msg else ""
    if len(msg) > 160:
        msg = msg[:157] + "..."
    return f"raised {type(exc).__name__}: {msg}" if msg else f"raised {type(exc).__name__}"


def _exception_hint(exc, labels=False) -> str:
    text = str(exc)
    if isinstance(exc, ValueError) and "broadcast" in text:
        return ("shapes do not broadcast: when you reduce over the class axis (max, sum), "
                "keep that axis (keepdims=True) so the result lines up with each row.")
    if isinstance(exc, (IndexError,)) and labels:
        return ("an index is out of range: labels are 0-based (0 .. n_classes-1) "
                "and theta has n_features + 1 rows (row 0 is the bias).")
    if isinstance(exc, (ValueError, TypeError)) and ("matmul" in text or "aligned" in text):
        return ("a matrix product has mismatched shapes: X is (n_samples, n_features) "
                "and theta is (n_features + 1, n_classes) with the bias in row 0.")
    if isinstance(exc, TypeError) and "argument" in text:
        return "the function was called with the arguments the homework states; check its signature."
    if isinstance(exc, AttributeError) and "NoneType" in text:
        return "something returned None: is a `return` statement missing?"
    return "read the error message above; run your function on the small example by hand."


def _as_array(value, what="your function"):
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Fail(f"returned {type(value).__name__}, not an array of numbers",
                    f"{what} should return a numpy array.") from None


def _close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and np.allclose(a, b, rtol=rtol, atol=atol)


def _run(title, fn, checks, verbose, labels=False):
    report = CheckReport(title)
    if not callable(fn):
        report.results.append(CheckResult(
            "is a function", False, f"got {type(fn).__name__}",
            "pass the function itself, e.g. check_softmax(softmax), not the result softmax(Z)."))
    else:
        for name, check in checks:
            try:
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    check(fn)
                report.results.append(CheckResult(name, True))
            except _NotImplemented:
                report.not_implemented = True
                break
            except _Fail as f:
                report.results.append(CheckResult(name, False, f.detail, f.hint))
            except _StudentError as e:
                report.results.append(CheckResult(
                    name, False, _one_line(e.exc), _exception_hint(e.exc, labels=labels)))
            except Exception as exc:  # a bug in the checker must not look like the student's
                report.results.append(CheckResult(
                    name, False, f"(the checker itself failed: {_one_line(exc)})",
                    "please tell your instructor."))
    if verbose:
        print(report.text())
    return report


def _name(fn) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


# --------------------------------------------------------------------------
# softmax and log-softmax
# --------------------------------------------------------------------------
# a batch whose shape is not square, so normalising over the wrong axis or
# forgetting keepdims cannot pass by accident
_Z_BATCH = np.array([[2.0, 1.0, 0.1],
                     [-1.0, 0.5, 3.0],
                     [0.0, 0.0, 0.0],
                     [4.0, -2.0, 1.5]])
_Z_ROW = np.array([0.28, -0.05, 0.02])          # the deck's 3-class z
_Z_LARGE = np.array([[1000.0, 1.0], [-1000.0, -1001.0]])
_Z_MIXED = np.array([[1000.0, 999.0], [1.0, 2.0]])   # rows of very different size
_Z_WIDE = np.array([1e4, 1.0, -1e4])


def _softmax_variants(Z, log):
    """Wrong (log-)softmaxes students often write, each with the hint that names it."""
    Z = np.asarray(Z, dtype=float)
    shift_hint = ("forgot the max-shift: exp(1000) overflows to inf (and exp(-1000) "
                  "underflows to 0). Subtract each row's maximum before exp; shifting all "
                  "logits of a row by the same number does not change the answer.")
    global_hint = ("subtracted the global max of the whole batch instead of each row's own "
                   "max: a row of small logits becomes exp(1 - 1000) = 0. Take the max per "
                   "row (axis=-1, keepdims=True).")
    axis_hint = ("normalised over the wrong axis: each ROW (one sample) must sum to 1; "
                 "reduce over the last axis (axis=-1).")
    keepdims_hint = ("the row max / row sum lined up with the wrong axis: keep the reduced "
                     "axis (keepdims=True) so each row is shifted and divided by its own value.")
    log_hint = ("took the log of softmax: probabilities like e^-20000 underflow to 0 and "
                "log(0) = -inf. Compute z - max - log(sum(exp(z - max))) directly "
                "(log-sum-exp).")

    def norm(E, axis=-1):
        return E / E.sum(axis=axis, keepdims=True)

    def lse(S, axis=-1):  # S - log(sum(exp(S))) with no further shift
        return S - np.log(np.exp(S).sum(axis=axis, keepdims=True))

    out = []
    if log:
        out.append((np.log(core.softmax(Z)), log_hint))
        out.append((lse(Z), shift_hint))
        out.append((np.log(norm(np.exp(Z))), shift_hint))
        if Z.ndim == 2:
            out.append((lse(Z - Z.max()), global_hint))
            out.append((lse(Z - Z.max(axis=0, keepdims=True), axis=0), axis_hint))
        if Z.ndim == 2 and Z.shape[0] == Z.shape[1]:
            S = Z - Z.max(axis=-1)
            out.append((S - np.log(np.exp(S).sum(axis=-1)), keepdims_hint))
        return out
    out.append((norm(np.exp(Z)), shift_hint))
    if Z.ndim == 2:
        out.append((norm(np.exp(Z - Z.max())), global_hint))
        out.append((norm(np.exp(Z - Z.max(axis=0, keepdims=True)), axis=0), axis_hint))
    if Z.ndim == 2 and Z.shape[0] == Z.shape[1]:
        E = np.exp(Z - Z.max(axis=-1))
        out.append((E / E.sum(axis=-1), keepdims_hint))
    return out


def _named_variant(out, Z, log):
    """Raise _Fail with the hint of the wrong variant ``out`` equals, if any."""
    with np.errstate(all="ignore"):
        variants = _softmax_variants(Z, log)
    for wrong, hint in variants:
        if out.shape == wrong.shape and np.allclose(out, wrong, rtol=1e-6, atol=1e-9,
                                                    equal_nan=True):
            raise _Fail(f"got {_fmt(out)}", hint)


def _softmax_checks(log):
    ref = core.log_softmax if log else core.softmax
    what = "log_softmax" if log else "softmax"

    def diagnose_batch(out, Z):
        """Name the mistake for a wrong result on a finite, moderate batch."""
        if out.shape != Z.shape:
            if out.shape == Z.shape[:1] or out.shape == Z.shape[1:]:
                raise _Fail(f"returned shape {out.shape}, expected {Z.shape}",
                            "the result has one value per class for every row: "
                            "keep the input's shape (reduce only inside, with keepdims=True).")
            raise _Fail(f"returned shape {out.shape}, expected {Z.shape}",
                        "return an array with the same shape as Z.")
        _named_variant(out, Z, log)
        P = np.exp(out) if log else out
        if not np.all(np.isfinite(P)):
            raise _Fail(f"got {_fmt(out)}", "the result contains NaN or inf on ordinary logits.")
        if np.allclose(P.sum(axis=0), 1.0) and not np.allclose(P.sum(axis=-1), 1.0):
            raise _Fail(f"columns sum to 1, rows do not: {_fmt(P.sum(axis=-1))}",
                        "normalised over the wrong axis: each ROW (one sample) must sum to 1; "
                        "reduce over the last axis (axis=-1).")
        whole = np.exp(Z) / np.exp(Z).sum()
        if np.allclose(P, whole):
            raise _Fail("the whole matrix sums to 1, not each row",
                        "divided by the sum over the whole array; divide each row by its own sum.")
        if log and np.allclose(out, Z - Z.max(axis=-1, keepdims=True)):
            raise _Fail(f"got {_fmt(out)}",
                        "only the max-shift was applied: subtract the log of the sum of "
                        "exponentials too (log-sum-exp).")
        if log and np.allclose(out, Z - np.log(np.exp(Z).sum())):
            raise _Fail("log-sum-exp over the whole array",
                        "take the log-sum-exp of each row separately (axis=-1, keepdims=True).")
        if not np.allclose(P.sum(axis=-1), 1.0):
            raise _Fail(f"rows sum to {_fmt(P.sum(axis=-1))}",
                        ("exp of the result must sum to 1 in every row."
                         if log else "divide by the sum of the exponentials of each row."))
        raise _Fail(f"got      {_fmt(out)}\n      expected {_fmt(ref(Z))}",
                    f"the values differ from {what}; compare your formula with the slide's.")

    def batch(fn):
        Z = _Z_BATCH.copy()
        out = _as_array(_call(fn, Z))
        if not _close(out, ref(_Z_BATCH)):
            diagnose_batch(out, _Z_BATCH)

    def one_row(fn):
        out = _as_array(_call(fn, _Z_ROW.copy()))
        if out.shape != _Z_ROW.shape:
            raise _Fail(f"for logits of shape (3,) it returned shape {out.shape}",
                        "use the last axis (axis=-1) so one row and a batch both work.")
        if not _close(out, ref(_Z_ROW)):
            diagnose_batch(out, _Z_ROW)

    def large(fn):
        out = _as_array(_call(fn, _Z_LARGE.copy()))
        if not _close(out, ref(_Z_LARGE)):
            diagnose_batch(out, _Z_LARGE)

    def mixed(fn):
        out = _as_array(_call(fn, _Z_MIXED.copy()))
        if not _close(out, ref(_Z_MIXED)):
            diagnose_batch(out, _Z_MIXED)

    def wide(fn):
        out = _as_array(_call(fn, _Z_WIDE.copy()))
        if not _close(out, ref(_Z_WIDE), rtol=1e-9):
            diagnose_batch(out, _Z_WIDE)

    def untouched(fn):
        Z = _Z_BATCH.copy()
        _call(fn, Z)
        if not np.array_equal(Z, _Z_BATCH):
            raise _Fail("the array passed in was changed",
                        "your function changed the caller's logits in place (e.g. `Z -= ...`); "
                        "compute a new array instead (`Z - ...`).")

    checks = [
        (f"a batch of logits, shape (4, 3): values match {what}", batch),
        ("one row of logits, shape (3,)", one_row),
        ("large logits [[1000, 1], [-1000, -1001]] give finite, correct values", large),
        ("rows of very different size [[1000, 999], [1, 2]]", mixed),
    ]
    if log:
        checks.append(("very wide logits [1e4, 1, -1e4] stay finite", wide))
    checks.append(("leaves its input unchanged", untouched))
    return checks


def check_softmax(fn, *, verbose=True) -> CheckReport:
    """Check your ``softmax(Z)``: values, one row and a batch, stability.

    Parameters
    ----------
    fn : callable
        ``fn(Z) -> P`` for Z of shape (n_samples, n_classes) or (n_classes,),
        softmax over the last axis.
    verbose : bool, default=True
        Print the report.

    Returns
    -------
    CheckReport
        True when every check passed.
    """
    return _run(f"check_softmax({_name(fn)})", fn, _softmax_checks(log=False), verbose)


def check_log_softmax(fn, *, verbose=True) -> CheckReport:
    """Check your ``log_softmax(Z)``: values, stability (log-sum-exp).

    Parameters
    ----------
    fn : callable
        ``fn(Z) -> logP`` for Z of shape (n_samples, n_classes) or (n_classes,).
    verbose : bool, default=True
        Print the report.

    Returns
    -------
    CheckReport
    """
    return _run(f"check_log_softmax({_name(fn)})", fn, _softmax_checks(log=True), verbose)


# --------------------------------------------------------------------------
# loss and gradient
# --------------------------------------------------------------------------
def _problem(n_samples, n_features, n_classes, seed):
    """A small problem whose sizes all differ; every class occurs."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    theta = rng.normal(scale=0.5, size=(n_features + 1, n_classes))
    y = np.arange(n_samples) % n_classes
    rng.shuffle(y)
    return theta, X, y


# n = 6, d = 2 (theta has 3 rows), k = 4: all different, theta not square
_PROBLEMS = [_problem(6, 2, 4, seed=7), _problem(5, 3, 2, seed=11)]


def _loss_variants(theta, X, y):
    """Wrong losses students often compute, each with the hint that names it."""
    n, k = X.shape[0], theta.shape[1]
    Z = X @ theta[1:] + theta[0]
    logP = core.log_softmax(Z)
    good = -logP[np.arange(n), y].mean()
    out = [
        (n * good, "missing 1/n: the loss is the MEAN over samples, not the sum."),
        (good / k, "averaged over all n x k entries: add up over the classes, then take "
                   "the mean over the samples only."),
        (-good, "sign: the loss is MINUS the log-probability of the true class."),
        (-logP[np.arange(n), y - 1].mean(),
         "1-based labels: labels here are 0-based (0 .. n_classes-1); you used column "
         "y - 1 (or the slide's 1-based numbering) for the true class."),
        (-logP.sum(axis=1).mean(),
         "used every class's log-probability: only the TRUE class counts "
         "(the one-hot / delta(i, y) picks it)."),
        (-logP.mean(), "used every class's log-probability (and divided by n x k): only the "
                       "TRUE class counts."),
        (-core.log_softmax(X @ theta[1:])[np.arange(n), y].mean(),
         "the forward pass ignores the bias row theta[0]: z = X @ theta[1:] + theta[0]."),
        (-core.log_softmax(X @ theta[:-1] + theta[-1])[np.arange(n), y].mean(),
         "the bias is row 0 of theta (the slides' b_1 .. b_k), not the last row."),
    ]
    return good, out


def _grad_variants(theta, X, y):
    n, k = X.shape[0], theta.shape[1]
    good = core.gradient(theta, X, y)
    P = core.softmax(X @ theta[1:] + theta[0])
    Y1 = np.zeros_like(P)
    Y1[np.arange(n), y - 1] = 1.0
    dZ1 = P - Y1
    wrong_labels = np.vstack([dZ1.sum(0), X.T @ dZ1]) / n
    no_bias_fwd = core.gradient(np.vstack([np.zeros((1, k)), theta[1:]]), X, y)
    out = [
        (n * good, "missing 1/n: the loss is a mean, so its gradient is divided by n_samples too."),
        (-good, "sign flipped: dL/dz = P - Y (prediction minus one-hot target), not Y - P."),
        (wrong_labels, "1-based labels: labels here are 0-based (0 .. n_classes-1); your one-hot "
                       "puts the 1 in column y - 1."),
        (good / k, "divided by n x k; divide by n_samples only."),
    ]
    out.append((no_bias_fwd, "the forward pass ignores the bias row theta[0]: "
                             "z = X @ theta[1:] + theta[0]."))
    return good, out


def _unpack(value, index):
    """Allow ``fn`` to return (loss, grad): pick the part we check."""
    if isinstance(value, tuple) and len(value) == 2:
        return value[index]
    return value


def check_loss(fn, *, verbose=True) -> CheckReport:
    """Check your cross-entropy ``loss(theta, X, y)`` (mean over samples).

    Parameters
    ----------
    fn : callable
        ``fn(theta, X, y) -> float`` (or ``-> (loss, grad)``; the loss is
        checked), theta of shape (n_features + 1, n_classes), X of shape
        (n_samples, n_features), y 0-based labels of shape (n_samples,).
    verbose : bool, default=True
        Print the report.

    Returns
    -------
    CheckReport
    """

    def value(theta, X, y, fn):
        args = (theta.copy(), X.copy(), y.copy())
        out = _as_array(_unpack(_call(fn, *args), 0), "the loss")
        if out.size == X.shape[0] and out.ndim == 1:
            raise _Fail(f"returned {out.size} numbers (one per sample)",
                        "return a single number: the mean of the per-sample losses.")
        if out.size != 1:
            raise _Fail(f"returned shape {out.shape}", "the loss is a single number.")
        return float(out.reshape(()))

    def diagnose(got, theta, X, y):
        good, variants = _loss_variants(theta, X, y)
        if np.isclose(got, good, rtol=1e-6, atol=1e-9):
            return
        for wrong, hint in variants:
            if np.isfinite(wrong) and np.isclose(got, wrong, rtol=1e-6, atol=1e-9):
                raise _Fail(f"got {got:.6f}, expected {good:.6f}", hint)
        raise _Fail(f"got {got:.6f}, expected {good:.6f}",
                    "the value differs: L = -(1/n) * sum over samples of log P[sample, true class].")

    def first(fn):
        theta, X, y = _PROBLEMS[0]
        diagnose(value(theta, X, y, fn), theta, X, y)

    def second(fn):
        theta, X, y = _PROBLEMS[1]
        diagnose(value(theta, X, y, fn), theta, X, y)

    def at_zero(fn):
        theta, X, y = _PROBLEMS[0]
        zero = np.zeros_like(theta)
        got = value(zero, X, y, fn)
        k = theta.shape[1]
        if not np.isclose(got, np.log(k), rtol=1e-9):
            diagnose(got, zero, X, y)

    def large(fn):
        theta, X, y = _PROBLEMS[0]
        big = 1000.0 * theta
        got = value(big, X, y, fn)
        good = core.cross_entropy(big, X, y)
        if not np.isfinite(got):
            raise _Fail(f"got {got} for logits in the thousands",
                        "compute the loss from log-softmax (log-sum-exp), not log(softmax(z)), "
                        "and shift by each row's max: probabilities like e^-1000 underflow to 0.")
        if not np.isclose(got, good, rtol=1e-6):
            diagnose(got, big, X, y)

    def untouched(fn):
        theta, X, y = (a.copy() for a in _PROBLEMS[0])
        _call(fn, theta, X, y)
        if not (np.array_equal(theta, _PROBLEMS[0][0]) and np.array_equal(X, _PROBLEMS[0][1])
                and np.array_equal(y, _PROBLEMS[0][2])):
            raise _Fail("theta, X or y was changed",
                        "your function changed its inputs in place; compute new arrays instead.")

    checks = [
        ("n=6 samples, d=2 features, k=4 classes: value matches", first),
        ("n=5, d=3, k=2: value matches", second),
        ("theta = 0 gives log(k)", at_zero),
        ("large logits (theta x 1000): finite and correct", large),
        ("leaves theta, X and y unchanged", untouched),
    ]
    return _run(f"check_loss({_name(fn)})", fn, checks, verbose, labels=True)


def check_gradient(fn, *, verbose=True) -> CheckReport:
    """Check your ``gradient(theta, X, y)`` of the mean cross-entropy.

    Parameters
    ----------
    fn : callable
        ``fn(theta, X, y) -> grad`` (or ``-> (loss, grad)``; the gradient is
        checked), grad of theta's shape (n_features + 1, n_classes).
    verbose : bool, default=True
        Print the report.

    Returns
    -------
    CheckReport

    Notes
    -----
    The problems have n, d + 1 and k all different, so a transposed gradient,
    a missing 1/n or a missing bias row cannot pass by accident.
    """

    def run_on(problem, fn):
        theta, X, y = problem
        n, d = X.shape
        k = theta.shape[1]
        raw = _unpack(_call(fn, theta.copy(), X.copy(), y.copy()), 1)
        g = _as_array(raw, "the gradient")
        good, variants = _grad_variants(theta, X, y)
        if g.shape == theta.T.shape:
            raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                        f"transposed gradient: it must have theta's shape (n_features + 1, "
                        f"n_classes) = ({d + 1}, {k}), one column per class.")
        if g.shape == (d, k):
            raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                        "missing bias row: theta has n_features + 1 rows and row 0 is the bias; "
                        "the gradient needs a row 0 too (dL/db).")
        if g.shape == (d, k)[::-1]:
            raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                        "transposed gradient AND missing bias row: the gradient has theta's "
                        "shape, bias row first.")
        if g.shape == (n, k):
            raise _Fail(f"returned shape {g.shape} (one row per sample)",
                        "that is dL/dz for each sample; chain it back to theta "
                        "(through X, plus the bias row) and average over samples.")
        if g.shape != theta.shape:
            raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                        "the gradient has exactly theta's shape.")
        if _close(g, good, rtol=1e-5, atol=1e-8):
            return
        if not np.all(np.isfinite(g)):
            raise _Fail(f"got {_fmt(g)}", "the gradient contains NaN or inf.")
        for wrong, hint in variants:
            if _close(g, wrong, rtol=1e-5, atol=1e-8):
                raise _Fail(f"got      {_fmt(g)}\n      expected {_fmt(good)}", hint)
        rows_ok = _close(g[1:], good[1:], rtol=1e-5, atol=1e-8)
        bias_ok = _close(g[0], good[0], rtol=1e-5, atol=1e-8)
        if rows_ok and np.allclose(g[0], 0.0):
            raise _Fail("row 0 (the bias row) is all zeros; the weight rows are right",
                        "missing bias gradient: dL/db_i is the mean over samples of "
                        "(P - Y)[:, i]; put it in row 0.")
        if rows_ok and not bias_ok:
            raise _Fail(f"bias row: got {_fmt(g[0])}, expected {_fmt(good[0])}; "
                        "the weight rows are right",
                        "the bias row (row 0) is wrong: it is the mean over samples of P - Y.")
        if bias_ok and not rows_ok:
            if _close(g[1:], n * good[1:], rtol=1e-5):
                hint = "missing 1/n on the weight rows (the bias row has it)."
            else:
                hint = ("the weight rows are wrong (the bias row is right): each sample "
                        "contributes x times (P - Y) for its row.")
            raise _Fail(f"weight rows: got {_fmt(g[1:])}\n      expected {_fmt(good[1:])}", hint)
        raise _Fail(f"got      {_fmt(g)}\n      expected {_fmt(good)}",
                    "the values differ; compare with the numerical gradient on a tiny problem "
                    "(softmax_lab.numerical_gradient).")

    def untouched(fn):
        theta, X, y = (a.copy() for a in _PROBLEMS[0])
        _call(fn, theta, X, y)
        if not (np.array_equal(theta, _PROBLEMS[0][0]) and np.array_equal(X, _PROBLEMS[0][1])):
            raise _Fail("theta or X was changed",
                        "your function changed its inputs in place; compute new arrays instead.")

    checks = [
        ("n=6 samples, d=2 features, k=4 classes (theta 3 x 4): gradient matches",
         lambda fn: run_on(_PROBLEMS[0], fn)),
        ("n=5, d=3, k=2 (theta 4 x 2): gradient matches", lambda fn: run_on(_PROBLEMS[1], fn)),
        ("leaves theta and X unchanged", untouched),
    ]
    return _run(f"check_gradient({_name(fn)})", fn, checks, verbose, labels=True)


# --------------------------------------------------------------------------
# homework 3: mini-batches and one SGD step
# --------------------------------------------------------------------------
def check_minibatches(fn, *, verbose=True) -> CheckReport:
    """Check your ``minibatches(n_samples, batch_size, rng)``.

    Parameters
    ----------
    fn : callable
        ``fn(n_samples, batch_size, rng) -> list of index arrays`` for one
        epoch: a random permutation of ``0 .. n_samples-1`` drawn from the
        ``numpy.random.Generator`` rng, cut into batches of ``batch_size``
        (the last one may be smaller).
    verbose : bool, default=True

    Returns
    -------
    CheckReport
    """

    def batches(fn, n, s, seed_or_rng):
        rng = (np.random.default_rng(seed_or_rng) if isinstance(seed_or_rng, int)
               else seed_or_rng)
        out = _call(fn, n, s, rng)
        if out is None:
            raise _Fail("returned None", "is the `return` statement missing?")
        try:
            out = [np.asarray(b).reshape(-1) for b in out]
        except TypeError:
            raise _Fail(f"returned {type(out).__name__}",
                        "return a list of index arrays, one per batch.") from None
        for b in out:
            if b.size and not np.issubdtype(b.dtype, np.integer):
                raise _Fail(f"a batch has dtype {b.dtype}",
                            "batches hold integer row indices (use them as X[batch]).")
        return out

    def cover(fn):
        out = batches(fn, 10, 3, 0)
        allidx = np.concatenate(out) if out else np.array([], dtype=int)
        if len(allidx) == 9 and len(set(allidx.tolist())) == 9:
            raise _Fail("9 of 10 samples were used",
                        "dropped the last partial batch: with 10 samples and batch_size 3 the "
                        "last batch has 1 sample; keep it.")
        if len(set(allidx.tolist())) < len(allidx):
            raise _Fail("some samples appear twice in one epoch",
                        "sampled with replacement: an epoch uses each sample exactly once "
                        "(a permutation of the indices).")
        if sorted(allidx.tolist()) != list(range(10)):
            raise _Fail(f"indices used: {sorted(allidx.tolist())}",
                        "one epoch uses every index 0 .. n_samples-1 exactly once.")

    def sizes(fn):
        got = [len(b) for b in batches(fn, 10, 3, 0)]
        if got != [3, 3, 3, 1]:
            raise _Fail(f"batch sizes {got}, expected [3, 3, 3, 1]",
                        "cut the permutation into consecutive pieces of batch_size; the last "
                        "piece holds the remainder.")

    def shuffled(fn):
        allidx = np.concatenate(batches(fn, 50, 7, 0))
        if np.array_equal(allidx, np.arange(50)):
            raise _Fail("the indices come out in dataset order",
                        "not shuffled: draw a random permutation from rng every epoch.")

    def reproducible(fn):
        a = np.concatenate(batches(fn, 50, 7, 3))
        b = np.concatenate(batches(fn, 50, 7, 3))
        if not np.array_equal(a, b):
            raise _Fail("the same seed gave different batches",
                        "not reproducible: use the rng passed in (rng.permutation), not the "
                        "global np.random functions.")

    def epochs_differ(fn):
        rng = np.random.default_rng(5)
        a = np.concatenate(batches(fn, 50, 7, rng))
        b = np.concatenate(batches(fn, 50, 7, rng))
        if np.array_equal(a, b):
            raise _Fail("two epochs with the same rng had the same order",
                        "draw a new permutation from rng each call; do not re-seed inside.")

    def big_batch(fn):
        got = [len(b) for b in batches(fn, 5, 8, 0)]
        if got != [5]:
            raise _Fail(f"with 5 samples and batch_size 8: batch sizes {got}",
                        "a batch_size larger than the data gives one batch with every sample.")

    checks = [
        ("10 samples, batch_size 3: every sample exactly once", cover),
        ("batch sizes 3, 3, 3, 1", sizes),
        ("shuffled", shuffled),
        ("same seed, same batches", reproducible),
        ("a new order each epoch", epochs_differ),
        ("batch_size larger than n_samples", big_batch),
    ]
    return _run(f"check_minibatches({_name(fn)})", fn, checks, verbose)


# the deck's s = 3 mini-batch (rows 1, 4, 7 of the 9-row petal table, labels
# 1, 2, 3 on the slide = 0, 1, 2 here) and its starting theta
_DECK_THETA = np.array([[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]])
_DECK_X = np.array([[1.5, 0.2], [4.7, 1.6], [5.6, 2.2]])
_DECK_Y = np.array([0, 1, 2])


def check_sgd_step(fn, *, verbose=True) -> CheckReport:
    """Check your ``sgd_step(theta, X_batch, y_batch, lr)``.

    Parameters
    ----------
    fn : callable
        ``fn(theta, X_batch, y_batch, lr) -> new theta``: one gradient-descent
        step on the mean loss of the batch; theta itself is left unchanged.
    verbose : bool, default=True

    Returns
    -------
    CheckReport
    """

    def step(fn, theta, X, y, lr):
        theta_in = theta.copy()
        out = _as_array(_call(fn, theta_in, X.copy(), y.copy(), lr), "sgd_step")
        if out.shape != theta.shape:
            raise _Fail(f"returned shape {out.shape}, theta has shape {theta.shape}",
                        "return the updated theta, same shape as theta.")
        return out, theta_in

    def diagnose(got, theta, X, y, lr):
        n = X.shape[0]
        g = core.gradient(theta, X, y)
        good = theta - lr * g
        if _close(got, good, rtol=1e-7, atol=1e-10):
            return
        Y1 = np.zeros((n, theta.shape[1]))
        Y1[np.arange(n), y - 1] = 1.0
        dZ1 = core.softmax(X @ theta[1:] + theta[0]) - Y1
        g1 = np.vstack([dZ1.sum(0), X.T @ dZ1]) / n
        variants = [
            (theta + lr * g, "moved uphill: subtract lr times the gradient (theta - lr * grad)."),
            (theta - lr * n * g, "missing 1/n: the step uses the gradient of the MEAN loss "
                                 "over the batch."),
            (theta - g, "ignored the learning rate: theta - lr * grad."),
            (theta - lr * g1, "1-based labels: labels here are 0-based; the slide prints 1, 2, 3 "
                              "for these samples, the code uses 0, 1, 2."),
            (lr * g, "returned lr * grad, not the updated theta."),
            (g, "returned the gradient, not the updated theta."),
        ]
        for wrong, hint in variants:
            if _close(got, wrong, rtol=1e-7, atol=1e-10):
                raise _Fail(f"got      {_fmt(got)}\n      expected {_fmt(good)}", hint)
        raise _Fail(f"got      {_fmt(got)}\n      expected {_fmt(good)}",
                    "the step differs from theta - lr * gradient of the mean batch loss.")

    def deck(fn):
        got, _ = step(fn, _DECK_THETA, _DECK_X, _DECK_Y, 0.1)
        diagnose(got, _DECK_THETA, _DECK_X, _DECK_Y, 0.1)

    def other(fn):
        theta, X, y = _PROBLEMS[0]
        got, _ = step(fn, theta, X, y, 0.37)
        diagnose(got, theta, X, y, 0.37)

    def untouched(fn):
        _, theta_in = step(fn, _DECK_THETA, _DECK_X, _DECK_Y, 0.1)
        if not np.array_equal(theta_in, _DECK_THETA):
            raise _Fail("the theta passed in was changed",
                        "updated theta in place (`theta -= ...`); return a new array "
                        "(`theta - lr * grad`) so the caller's theta stays as it was.")

    checks = [
        ("the deck's mini-batch (s=3, lr=0.1) gives the slide's updated theta", deck),
        ("n=6, d=2, k=4, lr=0.37", other),
        ("leaves the theta passed in unchanged", untouched),
    ]
    return _run(f"check_sgd_step({_name(fn)})", fn, checks, verbose, labels=True)
