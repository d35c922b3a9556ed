r"""Friendly self-checks for students working through the homework alone.

Each ``check_*`` function takes *your* function, runs it on small inputs,
compares the results with :mod:`softmax_lab.core`, and prints a short report:
one line per check (✓ or ✗), and for a failure a hint that names the likely
mistake (forgot the max-shift, subtracted the global maximum, transposed
gradient, missing 1/m, bias row last, 1-based labels, ...). It never prints a
traceback and never prints the solution. It returns a :class:`CheckReport`,
which is true when every check passed.

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

What a check promises
---------------------
* A hint only says what is true of *your* output: a mistake is named when
  your result equals, number for number, what that mistake computes on the
  same input; otherwise the hint states a fact about the result (it contains
  NaN, its rows do not sum to 1, ...) or just that the values differ.
* Every call of your function runs with a time limit (``time_limit`` seconds,
  default :data:`TIME_LIMIT`). A function still running then is stopped and
  reported as "still running after N s"; the remaining checks are skipped.
  In the main thread of a POSIX Python (a terminal, or a Jupyter kernel) the
  call is interrupted with ``SIGALRM`` (at its next Python instruction: one
  long numpy call finishes first). Elsewhere (Windows, another thread) it
  runs in a helper thread; when the time is up the check reports it and asks
  CPython to stop that thread, which works for a Python loop but not while
  the thread waits inside a C call (e.g. a long ``time.sleep``); the report
  says when the function could not be stopped. Without threads and without
  ``SIGALRM`` (e.g. Pyodide) there is no limit.
* ``exit()``, ``sys.exit()`` and an interrupt (``KeyboardInterrupt``) inside
  your function become a failed check, not the end of the cell.
* A complex, object or string result is rejected, not silently converted
  (dropping an imaginary part would hide the bug).

* Each homework task has rules, the same in its self-check and in its graded
  test (:func:`graded_call`): while your function runs, the softmax_lab
  functions the task asks you to write yourself are unavailable (calling
  ``sl.softmax`` inside your ``softmax``, ``sl.gradient`` inside a gradient,
  ``sl.numerical_gradient`` or ``sl.fit`` fails with a message saying so;
  softmax_lab's own code may still use them, and reading softmax_lab's source
  to learn from it is fine); the functions of the assignment's OTHER tasks are
  replaced by reference versions, so a mistake in one task is judged in that
  task only; your function gets copies of its inputs (a test of whether it
  changes its input passes the input itself).
* One contract per task, stated in its docstring and checked the same way by
  the self-check and the tests: arrays are numpy arrays (``np.ndarray``, not a
  list or an ``np.matrix``) in float64; a pair such as ``loss, grad`` may be a
  tuple or a list of two; mini-batches may be a list or a generator of integer
  index arrays (not True/False masks).

A stub that still raises ``NotImplementedError`` is reported as "not
implemented yet". Unlike the rest of the library, these functions print
(that is their job); pass ``verbose=False`` to only get the report back.

This module imports numpy, the standard library and :mod:`softmax_lab.core` only.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import signal
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from numbers import Real

import numpy as np

from . import core

__all__ = [
    "TIME_LIMIT",
    "CheckReport",
    "CheckResult",
    "check_softmax",
    "check_log_softmax",
    "check_loss",
    "check_gradient",
    "check_minibatches",
    "check_sgd_step",
    "check_train",
    "check_accuracy",
    "check_gradient_one_sample",
    "check_numerical_gradient",
    "check_split_indices",
    "check_validation_grid",
    "check_best_setting",
    "check_plot_validation_curve",
    "graded_call",
    "assert_train",
    "assert_numerical_gradient",
    "assert_grid",
    "stand_in_calls",
]

PASS, FAIL = "\u2713", "\u2717"  # ✓ ✗

#: Default time limit, in seconds, for one call of the student's function.
#: Every input here is tiny: a correct function returns in milliseconds.
#: The environment variable ``SOFTMAX_LAB_TIME_LIMIT`` (seconds) overrides it,
#: e.g. for an autograde run of a whole class.
TIME_LIMIT = 10.0


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------
@dataclass
class CheckResult:
    """One line of a report.

    Attributes
    ----------
    name : str
        What was checked.
    passed : bool
    detail : str
        What the function returned or raised, for a failure.
    hint : str
        The likely mistake or the fact that shows it, for a failure.
    hint_key : str
        A short stable name of the hint (e.g. ``"no-max-shift"``,
        ``"time-limit"``), for tests and for tools that count mistakes.
    """

    name: str
    passed: bool
    detail: str = ""
    hint: str = ""
    hint_key: str = ""


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
    skipped : list of str
        The checks not run, after one that could not finish (time limit,
        ``exit()``, an interrupt).
    """

    title: str
    results: list = field(default_factory=list)
    not_implemented: bool = False
    skipped: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (not self.not_implemented and not self.skipped and bool(self.results)
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

    @property
    def hint_keys(self) -> list:
        """The ``hint_key`` of each failed check, in order, without repeats."""
        out = []
        for r in self.results:
            if not r.passed and r.hint_key and r.hint_key not in out:
                out.append(r.hint_key)
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
        n = len(self.results) + len(self.skipped)
        if self.skipped:
            lines.append(f"  ({len(self.skipped)} more check{'s' if len(self.skipped) > 1 else ''}"
                         " skipped: fix the one above first)")
        if self.passed:
            lines.append(f"All {n} checks passed.")
        else:
            lines.append(f"{self.n_passed} of {n} checks passed.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        state = ("not implemented yet" if self.not_implemented
                 else f"{self.n_passed}/{len(self.results) + len(self.skipped)} passed")
        return f"CheckReport({self.title}: {state})"


# --------------------------------------------------------------------------
# machinery: calling student code safely
# --------------------------------------------------------------------------
class _NotImplemented(Exception):
    """The student's function still raises NotImplementedError."""


class _StudentError(Exception):
    """The student's function raised an ordinary exception."""

    def __init__(self, exc):
        super().__init__(exc)
        self.exc = exc


class _Escaped(Exception):
    """The student's function raised SystemExit, KeyboardInterrupt or another
    BaseException that is not an Exception."""

    def __init__(self, exc):
        super().__init__(exc)
        self.exc = exc


class _StillRunning(Exception):
    """The student's function did not return within the time limit."""

    def __init__(self, limit, stopped):
        super().__init__(limit)
        self.limit, self.stopped = limit, stopped


class _Fail(Exception):
    """A check failed; carries detail, hint and the hint's key."""

    def __init__(self, detail="", hint="", key=""):
        super().__init__(detail)
        self.detail, self.hint, self.key = detail, hint, key


class _Skip(Exception):
    """A check that needs an earlier one's result, which failed: skipped."""


class _TimeUp(BaseException):
    """Raised inside the student's code when its time is up.

    A BaseException, so that the student's ``except Exception`` cannot
    swallow it.
    """


class _NoAlarm(Exception):
    """SIGALRM cannot be used here (not the main thread of the main interpreter)."""


_limit = contextvars.ContextVar("softmax_lab_checks_time_limit", default=TIME_LIMIT)
_REPEAT = 0.05   # after the limit, SIGALRM fires again every 50 ms until the call ends


def _quietly(thunk):
    """Run thunk() with numpy's floating-point warnings and all warnings silenced."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return thunk()


def _alarm_usable() -> bool:
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread())


def _with_alarm(thunk, limit):
    """Run thunk() in this (main) thread; SIGALRM raises _TimeUp inside it after ``limit`` s.

    The alarm repeats every ``_REPEAT`` s after the limit, so a student's bare
    ``except:`` that swallows one _TimeUp meets the next. Whatever SIGALRM
    handler and timer were set before (e.g. pytest-timeout) are restored, the
    timer with the time it had left.
    """
    live = [True]

    def on_alarm(signum, frame):
        if live[0]:
            raise _TimeUp

    try:
        previous = signal.signal(signal.SIGALRM, on_alarm)
    except (ValueError, OSError):   # not the main thread of the main interpreter
        raise _NoAlarm from None
    try:
        outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, limit, _REPEAT)
    except (OSError, ValueError):   # signal.ItimerError is an OSError
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        raise _NoAlarm from None
    started = time.monotonic()
    try:
        return thunk()
    except _TimeUp:
        raise _StillRunning(limit, stopped=True) from None
    finally:
        # from here on the handler never raises; a _TimeUp that lands before
        # the flag is cleared is caught and the flag cleared again
        while True:
            try:
                live[0] = False
                break
            except _TimeUp:
                continue
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if outer_delay:
            left = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), outer_interval)


def _stop_thread(worker, wait=0.5) -> bool:
    """Ask CPython to raise _TimeUp inside ``worker``; True if it then ended."""
    try:
        import ctypes
        set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):   # not CPython
        return False
    ident = ctypes.c_ulong(worker.ident)
    deadline = time.monotonic() + wait
    while worker.is_alive() and time.monotonic() < deadline:
        if set_async_exc(ident, ctypes.py_object(_TimeUp)) > 1:   # never happens; undo
            set_async_exc(ident, None)
            return False
        worker.join(_REPEAT)
    return not worker.is_alive()


def _with_thread(thunk, limit):
    """Run thunk() in a daemon thread and wait at most ``limit`` s for it."""
    box = {}

    def work():
        try:
            box["value"] = thunk()
        except BaseException as exc:   # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="softmax_lab.checks: student code", daemon=True)
    try:
        worker.start()
    except RuntimeError:   # no threads here (e.g. Pyodide): no time limit is possible
        return thunk()
    try:
        worker.join(limit)
    except BaseException:   # e.g. KeyboardInterrupt while waiting
        _stop_thread(worker)
        raise
    if worker.is_alive():
        raise _StillRunning(limit, stopped=_stop_thread(worker))
    if "error" in box:
        if isinstance(box["error"], _TimeUp):
            raise _StillRunning(limit, stopped=True)
        raise box["error"]
    return box.get("value")


def _guarded(thunk, limit):
    """thunk()'s value, or what it raised, or _StillRunning after ``limit`` s."""
    if _alarm_usable():
        try:
            return _with_alarm(thunk, limit)
        except _NoAlarm:
            pass
    return _with_thread(thunk, limit)


class _Forbidden(BaseException):
    """The student's code called a softmax_lab function that its task may not use.

    A BaseException, so that the student's ``except Exception`` cannot swallow it.
    """

    def __init__(self, name):
        super().__init__(name)
        self.name = name


_HERE = os.path.dirname(os.path.abspath(__file__))
_rules = contextvars.ContextVar("softmax_lab_checks_task", default=None)


def _blocked(name, original):
    """``original`` for softmax_lab's own modules; _Forbidden for anyone else."""

    def blocked(*args, **kwargs):
        caller = sys._getframe(1).f_code.co_filename
        if os.path.dirname(os.path.abspath(caller)) == _HERE:
            return original(*args, **kwargs)
        raise _Forbidden(name)

    blocked.__name__ = getattr(original, "__name__", name)
    blocked.__doc__ = (f"softmax_lab.{name} is unavailable while your homework function "
                       "runs under a check or a test.")
    return blocked


@contextlib.contextmanager
def _task_rules(fn, task):
    """While the student's ``fn`` runs: its task's forbidden references unavailable, and
    the functions of the assignment's OTHER tasks replaced by reference versions.

    Nothing happens outside a task (``_rules`` unset). Every change is undone on exit.
    """
    if task is None:
        yield
        return
    package = sys.modules[__name__.rpartition(".")[0]]   # softmax_lab itself
    undo = []
    missing = object()

    def swap(namespace, key, value):
        undo.append((namespace, key, namespace.get(key, missing)))
        namespace[key] = value

    student_globals = getattr(fn, "__globals__", None)
    if student_globals is None:   # a callable object, a functools.partial, ...
        student_globals = getattr(getattr(fn, "__call__", None), "__globals__", None)
    try:
        for name in task.forbid:
            module = sys.modules[_REFERENCE_MODULES[name]]
            original = module.__dict__[name]
            stand = _blocked(name, original)
            swap(module.__dict__, name, stand)
            if package.__dict__.get(name) is original:
                swap(package.__dict__, name, stand)
            if student_globals is not None:
                for key, value in list(student_globals.items()):
                    if value is original:
                        swap(student_globals, key, stand)
        if student_globals is not None:
            for other in _ASSIGNMENTS[task.assignment]:
                if other == task.name or (task.group and _TASKS[other].group == task.group):
                    continue
                value = student_globals.get(other, missing)
                # a student's function, or none yet (a later task's, not run yet)
                if value is missing or (callable(value) and not (
                        getattr(value, "__module__", None) or "").startswith("softmax_lab")):
                    swap(student_globals, other, _STAND_INS[other])
        yield
    finally:
        for namespace, key, value in reversed(undo):
            if value is missing:
                namespace.pop(key, None)
            else:
                namespace[key] = value


def _call(fn, *args, then=None, **kwargs):
    """Call the student's function with a time limit, quietly, never letting it escape.

    ``then`` (optional) is applied to the result inside the same time limit,
    for results that run student code when used (a generator of batches).
    Inside a task (see :func:`_run`), the task's rules hold during the call.
    """

    task = _rules.get()   # read here: a helper thread does not see this context

    def thunk():
        value = fn(*args, **kwargs)
        return then(value) if then is not None else value

    try:
        # the rules are set up before the time limit starts and undone after it ends, so
        # that an alarm can never interrupt the undoing (and leave a reference blocked)
        with _task_rules(fn, task):
            return _guarded(lambda: _quietly(thunk), _limit.get())
    except (_StillRunning, _Fail):
        raise
    except NotImplementedError:
        raise _NotImplemented from None
    except Exception as exc:   # anything the student's code raises
        raise _StudentError(exc) from None
    except _TimeUp:
        raise _StillRunning(_limit.get(), stopped=True) from None
    except _Forbidden as exc:
        raise _Fail(f"called softmax_lab.{exc.name}",
                    _forbidden_hint(exc.name), "forbidden") from None
    except BaseException as exc:   # SystemExit, KeyboardInterrupt, GeneratorExit, ...
        raise _Escaped(exc) from None


def _forbidden_hint(name):
    task = _rules.get()
    where = f"{task.assignment}'s `{task.name}`" if task is not None else "this task"
    return (f"{where} may not call softmax_lab.{name}: the checks and the grader run your "
            f"function with softmax_lab.{name} unavailable. Write it yourself with numpy "
            "(reading softmax_lab's source to learn from it is fine; calling it is not).")


def _time_limit(value) -> float:
    if value is None:
        # a grader may shorten (or lengthen) every limit for a whole autograde run
        env = os.environ.get("SOFTMAX_LAB_TIME_LIMIT", "")
        try:
            value = float(env) if env else float(TIME_LIMIT)
        except ValueError:
            value = float(TIME_LIMIT)
        return value if math.isfinite(value) and value > 0 else float(TIME_LIMIT)
    if (isinstance(value, bool) or not isinstance(value, Real)
            or not math.isfinite(value) or value <= 0):
        raise ValueError(f"time_limit must be a positive number of seconds, got {value!r}; "
                         f"e.g. time_limit=30 for a slow computer (the default is "
                         f"{TIME_LIMIT:g}).")
    return float(value)


# --------------------------------------------------------------------------
# machinery: turning what happened into a report line
# --------------------------------------------------------------------------
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


def _raised_by_softmax_lab(exc) -> bool:
    """The exception came from softmax_lab's own input validation (not from the student)."""
    here = os.path.dirname(os.path.abspath(__file__))
    tb = exc.__traceback__
    while tb is not None:
        path = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if os.path.dirname(path) == here and os.path.basename(path) != "checks.py":
            return True
        tb = tb.tb_next
    return False


def _exception_hint(exc, labels=False):
    """(hint, key) for an exception the student's code raised."""
    text = str(exc)
    task = _rules.get()
    if isinstance(exc, ValueError) and "broadcast" in text:
        if task is None or task.name in ("softmax", "log_softmax"):
            return ("shapes do not broadcast. If you reduced over the class axis (max, sum), "
                    "keep that axis (keepdims=True) so the result lines up with each row.",
                    "keepdims")
        return ("two arrays whose shapes do not fit together were combined (the error names "
                "the shapes): print the shapes of what you add, subtract or multiply. theta "
                "and its gradient both have shape (n_features + 1, n_classes); a transposed "
                "gradient, or one without the bias row, does not fit theta.", "broadcast")
    if (labels and isinstance(exc, ValueError) and _raised_by_softmax_lab(exc)
            and ("negative label" in text or "contains label" in text)):
        return ("softmax_lab rejected labels that your function passed to it. The labels "
                "given to your function were valid 0-based labels (0 .. n_classes-1), so "
                "your code changed them: use y as given, without shifting it (no y - 1 "
                "or y + 1).", "labels-shifted")
    if isinstance(exc, IndexError) and labels:
        return ("an index is out of range: labels are 0-based (0 .. n_classes-1) "
                "and theta has n_features + 1 rows (row 0 is the bias).", "index")
    if isinstance(exc, (ValueError, TypeError)) and ("matmul" in text or "aligned" in text):
        return ("a matrix product has mismatched shapes: X is (n_samples, n_features) "
                "and theta is (n_features + 1, n_classes) with the bias in row 0.", "matmul")
    if isinstance(exc, TypeError) and "argument" in text:
        return ("the function was called with the arguments the homework states; "
                "check its signature.", "signature")
    if isinstance(exc, AttributeError) and "NoneType" in text:
        return ("a value was None where an array was expected: is a `return` statement "
                "missing (in a helper, say)?", "none")
    return ("read the error message above; run your function on the small example by hand.",
            "raised")


def _escape_line(exc):
    """(detail, hint, key) for SystemExit, KeyboardInterrupt and the like."""
    if isinstance(exc, SystemExit):
        return (f"raised SystemExit (code {exc.code!r}): that is what exit(), quit() and "
                "sys.exit() do",
                "a function hands its result back with `return`; exit() would end the whole "
                "program (in Jupyter: the cell). Remove the exit() call.", "system-exit")
    if isinstance(exc, KeyboardInterrupt):
        return ("interrupted (KeyboardInterrupt)",
                "the check was interrupted while your function ran. A correct function "
                "returns at once on these small inputs; if yours runs long, look for a loop "
                "that never ends.", "interrupted")
    return (_one_line(exc) + " (not an Exception: it would stop the whole cell)",
            "raise an ordinary error (a subclass of Exception), or better, return the result.",
            "base-exception")


def _time_line(exc):
    """(detail, hint, key) for a function still running at the time limit."""
    if exc.stopped:
        detail = f"still running after {exc.limit:g} s: stopped it"
    else:
        detail = (f"still running after {exc.limit:g} s, and it could not be stopped: it "
                  "keeps running in the background until you restart the kernel "
                  "(Kernel > Restart Kernel)")
    hint = ("on inputs this small a correct function returns in milliseconds. Look for a "
            "loop that never ends: a `while` whose condition never becomes false, or a "
            "loop that grows the list it walks over. (A slow computer? pass a larger "
            "time_limit=...)")
    return detail, hint, "time-limit"


_KINDS = {"c": "complex numbers", "O": "Python objects", "U": "strings", "S": "bytes",
          "V": "raw records", "M": "dates", "m": "time spans"}


def _as_array(value, what="the result"):
    """The student's result as a float array; refuses None, complex, objects and strings."""
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    try:
        a = np.asarray(value)
    except Exception:   # ragged lists and the like
        raise _Fail(f"returned {type(value).__name__}, not an array of numbers",
                    f"return {what} as a numpy array of real numbers (float).",
                    "not-numeric") from None
    kind = a.dtype.kind
    if kind == "c":
        imag = np.abs(a.imag)
        size = ("all imaginary parts are 0" if not np.any(imag)
                else f"imaginary parts up to {np.nanmax(imag):.3g}")
        raise _Fail(f"returned complex numbers (dtype {a.dtype}; {size})",
                    "return real numbers (float). Complex numbers come from a `1j`, "
                    "from np.emath / np.lib.scimath, from a fractional power of a negative "
                    "Python number, or from a complex input; find where, and keep every step "
                    "real. (The imaginary part is not dropped here: dropping it would hide "
                    "the bug.)", "complex")
    if kind not in "biuf":
        what_is = _KINDS.get(kind, f"dtype {a.dtype}")
        cause = ""
        if kind == "O" and a.size:
            odd = next((v for v in a.flat if not isinstance(v, (int, float))), a.flat[0])
            cause = f"; one element is a {type(odd).__name__}"
        raise _Fail(f"returned an array of {what_is} (dtype {a.dtype}{cause})",
                    f"return {what} as an array of real numbers (float).",
                    "object" if kind == "O" else "not-numeric")
    return a.astype(float)


def _close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return (a.shape == b.shape and bool(np.all(np.isfinite(a)))
            and np.allclose(a, b, rtol=rtol, atol=atol))


def _same(a, b, rtol=1e-6, atol=1e-9) -> bool:
    """a equals b number for number, NaN and inf in the same places included."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _named(out, ref, variants, detail, rtol=1e-6, atol=1e-9):
    """Raise _Fail for the first wrong variant that ``out`` equals (and the reference does not)."""
    for key, wrong, hint in variants:
        if _same(out, wrong, rtol, atol) and not _same(ref, wrong, rtol, atol):
            raise _Fail(detail, hint, key)


def _run(title, fn, checks, verbose, labels=False, time_limit=None, task=None):
    limit = _time_limit(time_limit)
    report = CheckReport(title)
    token = _limit.set(limit)
    rules_token = _rules.set(_TASKS[task] if task is not None else None)
    try:
        if not callable(fn):
            report.results.append(CheckResult(
                "is a function", False, f"got {type(fn).__name__}",
                "pass the function itself, e.g. check_softmax(softmax), not the result "
                "softmax(Z).", "not-a-function"))
        else:
            for i, (name, check) in enumerate(checks):
                stop = False
                try:
                    _quietly(lambda: check(fn))
                    report.results.append(CheckResult(name, True))
                except _NotImplemented:
                    report.not_implemented = True
                    break
                except _Skip:
                    report.skipped.append(name)
                    continue
                except _Fail as f:
                    report.results.append(CheckResult(name, False, f.detail, f.hint, f.key))
                except _StudentError as e:
                    hint, key = _exception_hint(e.exc, labels=labels)
                    report.results.append(CheckResult(name, False, _one_line(e.exc), hint, key))
                except _StillRunning as e:
                    report.results.append(CheckResult(name, False, *_time_line(e)))
                    stop = True
                except _Escaped as e:
                    report.results.append(CheckResult(name, False, *_escape_line(e.exc)))
                    stop = True
                except KeyboardInterrupt as exc:   # interrupted in the checker's own code
                    report.results.append(CheckResult(name, False, *_escape_line(exc)))
                    stop = True
                except _TimeUp:   # only if an alarm lands outside the student's call
                    report.results.append(CheckResult(
                        name, False, *_time_line(_StillRunning(limit, True))))
                    stop = True
                except Exception as exc:   # a bug in the checker must not look like the student's
                    report.results.append(CheckResult(
                        name, False, f"(the checker itself failed: {_one_line(exc)})",
                        "please tell your instructor.", "checker-bug"))
                if stop:
                    report.skipped = [n for n, _ in checks[i + 1:]]
                    break
    finally:
        _limit.reset(token)
        _rules.reset(rules_token)
    if verbose:
        print(report.text())
    return report


def _name(fn) -> str:
    return getattr(fn, "__name__", type(fn).__name__)


# --------------------------------------------------------------------------
# the wrong computations that the hints name
# --------------------------------------------------------------------------
# The epsilons students add inside log(p + eps), and the bounds they clip logits
# to: a hint names one only when the result equals it number for number.
_EPSILONS = tuple(10.0 ** -e for e in range(3, 21)) + (float(np.finfo(float).eps),)
_CLIP_BOUNDS = (500, 100, 700, 709, 709.78, 710, 50, 20, 30, 10, 15, 40, 60, 80, 88, 200,
                250, 300, 400, 600)   # the common ones first


def _eps_text(eps) -> str:
    if eps == np.finfo(float).eps:
        return "np.finfo(float).eps"
    return f"{eps:.0e}".replace("e-0", "e-")


def _clippings(Z):
    """(clipped Z, description) for every common clipping that changes Z."""
    out = []
    top = float(np.abs(Z).max())
    for lower, upper in ((True, True), (False, True), (True, False)):
        for c in _CLIP_BOUNDS:
            if c >= top:
                continue
            C = np.clip(Z, -c if lower else None, c if upper else None)
            if not np.array_equal(C, Z):
                out.append((C, f"[-{c:g}, {c:g}]" if lower and upper
                            else f"(-inf, {c:g}]" if upper else f"[-{c:g}, inf)"))
    return out


def _eps_forms(P, eps):
    """(description, wrong P) for log(P + eps) and log(max(P, eps)); one entry when equal."""
    e = _eps_text(eps)
    added, clipped = P + eps, np.maximum(P, eps)
    if _same(np.log(added), np.log(clipped)):
        return [(f"log(softmax + {e}) (or log(max(softmax, {e})), the same numbers here)",
                 added)]
    return [(f"log(softmax + {e})", added),
            (f"log(max(softmax, {e})), the probabilities clipped at {e}", clipped)]


def _clip_hint(what, text):
    return (f"clipped logits: the result equals {what} of clipped logits (here the same "
            f"numbers as clipping them to {text}). Clipping "
            "changes every logit beyond the bound, and softmax depends on the differences "
            "between logits ([1000, 999] clipped to 500 becomes [500, 500]). Subtracting "
            "each row's maximum already keeps exp from overflowing, without changing "
            "the answer: do that and drop the clipping.")


def _softmax_variants(Z, log):
    """(key, wrong result, hint) for the (log-)softmax mistakes students often make."""
    Z = np.asarray(Z, dtype=float)
    what = "log_softmax" if log else "softmax"
    shift_hint = ("forgot the max-shift: the result equals the formula without subtracting "
                  "each row's maximum, and exp(1000) overflows to inf (exp(-1000) underflows "
                  "to 0). Subtract each row's maximum before exp; shifting all logits of a row "
                  "by the same number does not change the answer.")
    global_hint = ("subtracted the global max of the whole batch instead of each row's own "
                   "max: a row of small logits becomes exp(1 - 1000) = 0. Take the max per "
                   "row (axis=-1, keepdims=True).")
    min_hint = ("subtracted each row's MINIMUM: the result equals that formula. It is right "
                "for small logits, but then every exponent is >= 0 and exp(999) overflows to "
                "inf. Subtract each row's maximum, so that every exponent is <= 0.")
    axis_hint = ("normalised over the wrong axis: each ROW (one sample) must sum to 1; "
                 "reduce over the last axis (axis=-1).")
    keepdims_hint = ("the row max / row sum lined up with the wrong axis: keep the reduced "
                     "axis (keepdims=True) so each row is shifted and divided by its own value.")
    whole_hint = ("divided by the sum over the whole array, not by each row's own sum: the "
                  "whole matrix sums to 1. Sum over the last axis (axis=-1, keepdims=True).")

    def norm(E, axis=-1):
        return E / E.sum(axis=axis, keepdims=True)

    def lse(S, axis=-1):   # S - log(sum(exp(S))) with no further shift
        return S - np.log(np.exp(S).sum(axis=axis, keepdims=True))

    rows = Z.max(axis=-1, keepdims=True)
    out = []
    if log:
        P = core.softmax(Z)
        out.append(("log-of-softmax", np.log(P),
                    "took the log of softmax: the result equals log(softmax(z)), and a "
                    "probability like e^-1000 underflows to 0, whose log is -inf. Compute "
                    "z - m - log(sum(exp(z - m))) directly, m the row max (log-sum-exp)."))
        right = core.log_softmax(Z).min()
        for eps in _EPSILONS:
            for form, wrong in _eps_forms(P, eps):
                out.append(("log-softmax-eps", np.log(wrong),
                            f"{form}: the result equals that, which caps every "
                            f"log-probability at log({_eps_text(eps)}) = {np.log(eps):.4g}, "
                            f"while the right value here goes down to {right:.6g}. Compute "
                            "log-softmax directly: z - m - log(sum(exp(z - m))), m the row "
                            "max (log-sum-exp)."))
        out.append(("sign-flipped", -core.log_softmax(Z),
                    "sign flipped: the result is minus the log-softmax. Log-probabilities "
                    "are <= 0: log_softmax(z) = z - m - log(sum(exp(z - m)))."))
        out.append(("shift-not-added-back",
                    Z - np.log(np.exp(Z - rows).sum(axis=-1, keepdims=True)),
                    "forgot to add the shift back: the result equals z - log(sum(exp(z - m))), "
                    "m the row max. log(sum(exp(z))) = m + log(sum(exp(z - m))), so subtract "
                    "m too: (z - m) - log(sum(exp(z - m)))."))
        out.append(("no-log-sum-exp", Z - rows,
                    "only the max-shift was applied: subtract the log of the sum of "
                    "exponentials too (log-sum-exp)."))
        out.append(("returned-probabilities", P,
                    "these are the probabilities softmax(z); log_softmax returns their "
                    "logarithm, computed as z - m - log(sum(exp(z - m)))."))
        out.append(("no-max-shift", lse(Z), shift_hint))
        out.append(("no-max-shift", np.log(norm(np.exp(Z))), shift_hint))
        out.append(("row-min", lse(Z - Z.min(axis=-1, keepdims=True)), min_hint))
        out.append(("whole-sum", Z - np.log(np.exp(Z).sum()),
                    "log-sum-exp over the whole array: take the log-sum-exp of each row "
                    "separately (axis=-1, keepdims=True)."))
        if Z.ndim == 2:
            out.append(("global-max", lse(Z - Z.max()), global_hint))
            out.append(("wrong-axis", lse(Z - Z.max(axis=0, keepdims=True), axis=0), axis_hint))
        if Z.ndim == 2 and Z.shape[0] == Z.shape[1]:
            S = Z - Z.max(axis=-1)
            out.append(("keepdims", S - np.log(np.exp(S).sum(axis=-1)), keepdims_hint))
        for C, text in _clippings(Z):
            out.append(("clipped-logits", core.log_softmax(C), _clip_hint(what, text)))
        return out
    out.append(("no-max-shift", norm(np.exp(Z)), shift_hint))
    out.append(("row-min", norm(np.exp(Z - Z.min(axis=-1, keepdims=True))), min_hint))
    out.append(("whole-sum", np.exp(Z) / np.exp(Z).sum(), whole_hint))
    out.append(("whole-sum", np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(), whole_hint))
    if Z.ndim == 2:
        out.append(("global-max", norm(np.exp(Z - Z.max())), global_hint))
        out.append(("wrong-axis", norm(np.exp(Z - Z.max(axis=0, keepdims=True)), axis=0),
                    axis_hint))
    if Z.ndim == 2 and Z.shape[0] == Z.shape[1]:
        E = np.exp(Z - Z.max(axis=-1))
        out.append(("keepdims", E / E.sum(axis=-1), keepdims_hint))
    for C, text in _clippings(Z):
        out.append(("clipped-logits", core.softmax(C), _clip_hint(what, text)))
    return out


def _label_shifts(y, k):
    """(shifted labels, description) for the label shifts students make, all valid 0..k-1."""
    out = [((y - 1) % k, "1-based labels: the result equals the one for labels y - 1 (label 0 "
                         "wrapping round to the last class)")]
    if k > 2:
        out.append(((y + 1) % k, "labels shifted: the result equals the one for labels "
                                 "y + 1 (the last class wrapping round to 0)"))
    out.append((np.clip(y - 1, 0, k - 1), "labels shifted: the result equals the one for "
                                          "labels y - 1 clipped at 0"))
    out.append((np.clip(y + 1, 0, k - 1), "labels shifted: the result equals the one for "
                                          "labels y + 1 clipped at the last class"))
    fix = ("; labels here are already 0-based (0 .. n_classes-1). The slides "
                   "number classes from 1, the code from 0: use y as given, shift nothing.")
    seen, unique = [], []
    for shifted, text in out:
        if np.array_equal(shifted, y) or any(np.array_equal(shifted, s) for s in seen):
            continue
        seen.append(shifted)
        unique.append((shifted, text + fix))
    return unique


def _loss_variants(theta, X, y):
    """(key, wrong loss, hint) for the losses students often compute."""
    n, k = X.shape[0], theta.shape[1]
    rows = np.arange(n)
    Z = core.logits(theta, X)
    logP = core.log_softmax(Z)
    P = core.softmax(Z)
    good = core.cross_entropy(theta, X, y)
    out = [
        ("missing-1/m", n * good, "missing 1/m: the value equals the SUM over samples; the "
                                  "loss is their MEAN."),
        ("mean-over-classes", good / k, "averaged over all n x k entries: the value equals the "
                                        "loss divided by n_classes. Add up over the classes, "
                                        "then take the mean over the samples only."),
        ("sign", -good, "sign: the value equals minus the loss. The loss is MINUS the "
                        "log-probability of the true class (a positive number)."),
        ("all-classes", -logP.sum(axis=1).mean(),
         "used every class's log-probability: only the TRUE class counts "
         "(the one-hot / delta(i, y) picks it)."),
        ("all-classes", -logP.mean(), "used every class's log-probability (and divided by "
                                      "n x k): only the TRUE class counts."),
        ("no-bias", core.cross_entropy(np.vstack([np.zeros((1, k)), theta[1:]]), X, y),
         "the forward pass ignores the bias row theta[0]: z = X @ theta[1:] + theta[0]."),
        ("bias-row-last", core.cross_entropy(np.roll(theta, 1, axis=0), X, y),
         "bias row last: the value equals the loss with theta[-1] as the bias. The bias is "
         "row 0 of theta (the slides' b_1 .. b_k): z = X @ theta[1:] + theta[0]."),
    ]
    for shifted, text in _label_shifts(y, k):
        out.append(("labels-shifted", core.cross_entropy(theta, X, shifted), text))
    for eps in _EPSILONS:
        for form, wrong in _eps_forms(P[rows, y], eps):
            out.append(("log-softmax-eps", -np.log(wrong).mean(),
                        f"{form}: the value equals the loss computed that way, which caps each "
                        f"sample's loss at {-np.log(eps):.4g}, so large logits give the wrong "
                        "loss. Compute the loss from the logits with log-sum-exp: "
                        "-(z_y - m - log(sum(exp(z - m)))), m the row max."))
    for C, text in _clippings(Z):
        out.append(("clipped-logits", -core.log_softmax(C)[rows, y].mean(),
                    _clip_hint("the loss", text)))
    return good, out


def _theta_gradient(X, dZ):
    """Chain a per-sample dL/dz back through z = X @ theta[1:] + theta[0], mean over samples."""
    return np.vstack([dZ.sum(axis=0), X.T @ dZ]) / X.shape[0]


def _grad_variants(theta, X, y):
    """(key, wrong gradient, hint) for the gradients students often compute."""
    n, k = X.shape[0], theta.shape[1]
    good = core.gradient(theta, X, y)
    Z = core.logits(theta, X)
    P = core.softmax(Z)
    Y = core.one_hot(y, k)
    out = [
        ("missing-1/m", n * good, "missing 1/m: the loss is a mean, so its gradient is "
                                  "divided by n_samples too."),
        ("sign", -good, "sign flipped: dL/dz = P - Y (prediction minus one-hot target), "
                        "not Y - P."),
        ("mean-over-classes", good / k, "divided by n x k; divide by n_samples only."),
        ("no-bias", core.gradient(np.vstack([np.zeros((1, k)), theta[1:]]), X, y),
         "the forward pass ignores the bias row theta[0]: z = X @ theta[1:] + theta[0]."),
        ("bias-row-last", np.roll(good, -1, axis=0),
         "bias row last: the gradient's LAST row holds dL/db (the mean of P - Y) and its "
         "first rows the weights. Theta has the bias in row 0, so its gradient does too: "
         "row 0 is dL/db, rows 1.. are dL/dW."),
        ("bias-row-last", np.roll(core.gradient(np.roll(theta, 1, axis=0), X, y), -1, axis=0),
         "bias row last: the gradient equals the one for a theta whose LAST row is the bias "
         "(in the forward pass and in the gradient). Theta has the bias in row 0: "
         "z = X @ theta[1:] + theta[0], and row 0 of the gradient is dL/db."),
        ("forgot-Y", _theta_gradient(X, P),
         "forgot to subtract Y: the gradient equals the one for dL/dz = P. The per-sample "
         "dL/dz is P - Y (probabilities minus the one-hot of the true labels)."),
        ("subtracted-labels", _theta_gradient(X, P - y[:, None]),
         "subtracted the label numbers y from P, not the one-hot Y: dL/dz = P - Y with "
         "Y[i, y_i] = 1 (use one-hot labels)."),
        ("logits-not-probabilities", _theta_gradient(X, Z - Y),
         "used the logits z where the probabilities belong: dL/dz = softmax(z) - Y, "
         "not z - Y."),
    ]
    for shifted, text in _label_shifts(y, k):
        out.append(("labels-shifted", core.gradient(theta, X, shifted), text))
    return good, out


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


def _diagnose_softmax(out, Z, log):
    """Raise _Fail naming the mistake (or the plain fact) for a wrong (log-)softmax result."""
    ref = core.log_softmax(Z) if log else core.softmax(Z)
    what = "log_softmax" if log else "softmax"
    if out.shape != Z.shape:
        if out.shape == Z.shape[:1] or out.shape == Z.shape[1:]:
            raise _Fail(f"returned shape {out.shape}, expected {Z.shape}",
                        "the result has one value per class for every row: "
                        "keep the input's shape (reduce only inside, with keepdims=True).",
                        "shape")
        raise _Fail(f"returned shape {out.shape}, expected {Z.shape}",
                    "return an array with the same shape as Z.", "shape")
    detail = f"got      {_fmt(out)}\n      expected {_fmt(ref)}"
    _named(out, ref, _softmax_variants(Z, log), detail)
    top = float(np.abs(Z).max())
    if not np.all(np.isfinite(out)):
        if top <= 50:
            raise _Fail(detail, f"the result contains NaN or inf although every logit here is "
                                f"between -{top:g} and {top:g}.", "non-finite")
        raise _Fail(detail, f"the result contains NaN or inf for logits as large as {top:g}: "
                            "exp(z) overflows to inf above z = 709.78 and underflows to 0 "
                            "below z = -745. Subtract each row's maximum before exp, so "
                            "that every exponent is <= 0"
                            + (", and use log-sum-exp rather than log(softmax)." if log
                               else "."), "non-finite")
    if log:
        if np.any(out > 1e-9):
            raise _Fail(detail, f"the result has positive values (up to {out.max():.4g}); "
                                "log-probabilities are never positive.", "positive-log")
        lse = (out - core.log_softmax(out))[..., 0]   # log of each row's sum of exp(out)
        if not np.allclose(lse, 0.0, atol=1e-6):
            raise _Fail(detail, f"exp of the result does not sum to 1 in every row (the log "
                                f"of each row's sum is {_fmt(lse)}, not 0).", "rows-sum")
    else:
        if np.any(out < 0):
            raise _Fail(detail, "the result has negative values; probabilities are >= 0.",
                        "negative")
        if (Z.ndim == 2 and np.allclose(out.sum(axis=0), 1.0)
                and not np.allclose(out.sum(axis=-1), 1.0)):
            raise _Fail(f"columns sum to 1, rows do not: {_fmt(out.sum(axis=-1))}",
                        "normalised over the wrong axis: each ROW (one sample) must sum to 1; "
                        "reduce over the last axis (axis=-1).", "wrong-axis")
        if not np.allclose(out.sum(axis=-1), 1.0):
            raise _Fail(f"rows sum to {_fmt(out.sum(axis=-1))}",
                        "each row must sum to 1: divide by the sum of the exponentials of "
                        "each row.", "rows-sum")
    if _close(out, ref, rtol=1e-4, atol=1e-6):
        worst = float(np.max(np.abs(out - ref) / np.maximum(np.abs(ref), 1e-300)))
        raise _Fail(f"the values agree with {what} only to a relative {worst:.1e}",
                    "precision: right to a few digits, but not to the 12 that float64 gives. "
                    "Keep every step in float64 (np.asarray(Z, dtype=float), no float32) and "
                    "add no small constant anywhere (log(P + eps) shifts every value).",
                    "precision")
    raise _Fail(detail, f"the values differ from {what}; compare your formula with the "
                        "slide's.", "values-differ")


def _softmax_checks(log):
    ref = core.log_softmax if log else core.softmax

    task = "log_softmax" if log else "softmax"

    def on(Z, rtol=1e-9):
        def check(fn):
            out = _RETURNS[task](_call(fn, Z.copy()))
            if Z.ndim == 1 and out.shape != Z.shape:
                raise _Fail(f"for logits of shape {Z.shape} it returned shape {out.shape}",
                            f"one row of {Z.size} logits gives {Z.size} values, shape "
                            f"{Z.shape}: return the input's shape (reduce over axis=-1 with "
                            "keepdims=True, so one code path serves a row and a batch).",
                            "shape")
            if not _close(out, ref(Z), rtol=rtol, atol=1e-12):
                _diagnose_softmax(out, Z, log)
        return check

    def untouched(fn):
        Z = _Z_BATCH.copy()
        _call(fn, Z)
        if not np.array_equal(Z, _Z_BATCH):
            raise _Fail("the array passed in was changed",
                        "your function changed the caller's logits in place (e.g. `Z -= ...`); "
                        "compute a new array instead (`Z - ...`).", "in-place")

    what = "log_softmax" if log else "softmax"
    checks = [
        (f"a batch of logits, shape (4, 3): values match {what}", on(_Z_BATCH)),
        ("one row of logits, shape (3,)", on(_Z_ROW)),
        ("large logits [[1000, 1], [-1000, -1001]] give finite, correct values", on(_Z_LARGE)),
        ("rows of very different size [[1000, 999], [1, 2]]", on(_Z_MIXED)),
    ]
    if log:
        checks.append(("very wide logits [1e4, 1, -1e4] stay finite", on(_Z_WIDE, rtol=1e-9)))
    checks.append(("leaves its input unchanged", untouched))
    return checks


def check_softmax(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``softmax(Z)``: values, one row and a batch, stability.

    Parameters
    ----------
    fn : callable
        ``fn(Z) -> P`` for Z of shape (n_samples, n_classes) or (n_classes,),
        softmax over the last axis.
    verbose : bool, default=True
        Print the report.
    time_limit : float, optional
        Seconds one call of ``fn`` may take (default :data:`TIME_LIMIT`).

    Returns
    -------
    CheckReport
        True when every check passed.
    """
    return _run(f"check_softmax({_name(fn)})", fn, _softmax_checks(log=False), verbose,
                time_limit=time_limit, task="softmax")


def check_log_softmax(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``log_softmax(Z)``: values, stability (log-sum-exp).

    Parameters
    ----------
    fn : callable
        ``fn(Z) -> logP`` for Z of shape (n_samples, n_classes) or (n_classes,).
    verbose : bool, default=True
        Print the report.
    time_limit : float, optional
        Seconds one call of ``fn`` may take (default :data:`TIME_LIMIT`).

    Returns
    -------
    CheckReport
    """
    return _run(f"check_log_softmax({_name(fn)})", fn, _softmax_checks(log=True), verbose,
                time_limit=time_limit, task="log_softmax")


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


def _unpack(value, index):
    """Allow ``fn`` to return (loss, grad): pick the part we check."""
    if isinstance(value, tuple) and len(value) == 2:
        return value[index]
    return value


def _hw2_task(fn, task):
    """The homework-2 task a check runs for: given, or the function's name, or none."""
    if task is not None:
        if task not in ("loss_loops", "gradient_loops", "loss_and_gradient_vectorized"):
            raise ValueError(f"task must be 'loss_loops', 'gradient_loops' or "
                             f"'loss_and_gradient_vectorized', got {task!r}")
        return task
    name = getattr(fn, "__name__", "")
    return name if name in ("loss_loops", "gradient_loops",
                            "loss_and_gradient_vectorized") else None


def _hw2_part(raw, task, index):
    """The loss (index 0) or gradient (1) from what a homework-2 function returned."""
    if task == "loss_and_gradient_vectorized":
        return _pair(raw, "loss, grad", lambda a: a, lambda b: b)[index]
    if task is None:
        return _unpack(raw, index)
    return raw


def check_loss(fn, *, verbose=True, time_limit=None, task=None) -> CheckReport:
    """Check your cross-entropy ``loss(theta, X, y)`` (mean over samples).

    Parameters
    ----------
    fn : callable
        ``fn(theta, X, y) -> float`` (or ``-> (loss, grad)``; the loss is
        checked), theta of shape (n_features + 1, n_classes), X of shape
        (n_samples, n_features), y 0-based labels of shape (n_samples,).
    verbose : bool, default=True
        Print the report.
    time_limit : float, optional
        Seconds one call of ``fn`` may take (default :data:`TIME_LIMIT`).
    task : {"loss_loops", "loss_and_gradient_vectorized"}, optional
        The homework-2 task (default: the function's name, if it is one). Its
        contract applies (one number; a pair ``loss, grad``, tuple or list),
        softmax_lab's loss and gradient are unavailable while ``fn`` runs, and the
        other tasks' functions are replaced by reference versions.

    Returns
    -------
    CheckReport
    """
    task = _hw2_task(fn, task)

    def value(theta, X, y, fn):
        args = (theta.copy(), X.copy(), y.copy())
        raw = _hw2_part(_call(fn, *args), task, 0)
        out = _as_array(raw, "the loss")
        if out.size == X.shape[0] and out.ndim == 1:
            raise _Fail(f"returned {out.size} numbers (one per sample)",
                        "return a single number: the mean of the per-sample losses.",
                        "per-sample")
        if task is not None:
            return _number(raw, "the loss")
        if out.size != 1:
            raise _Fail(f"returned shape {out.shape}", "the loss is a single number.", "shape")
        return float(out.reshape(()))

    def diagnose(got, theta, X, y):
        good, variants = _loss_variants(theta, X, y)
        if np.isclose(got, good, rtol=1e-6, atol=1e-9):
            return
        detail = f"got {got:.6f}, expected {good:.6f}"
        if not np.isfinite(got):
            top = float(np.abs(core.logits(theta, X)).max())
            if top <= 50:
                raise _Fail(detail, f"the loss is {got} although every logit here is between "
                                    f"-{top:.3g} and {top:.3g}.", "non-finite")
            raise _Fail(detail, f"the loss is {got} for logits as large as {top:.4g}: exp(z) "
                                "overflows to inf above z = 709.78, and a probability like "
                                "e^-1000 underflows to 0, whose log is -inf. Compute the loss "
                                "from the logits with log-sum-exp, m the row max: "
                                "-(z_y - m - log(sum(exp(z - m)))).", "non-finite")
        _named(got, good, [v for v in variants if np.isfinite(v[1])], detail)
        raise _Fail(detail, "the value differs: L = -(1/m) * sum over samples of "
                            "log P[sample, true class].", "values-differ")

    def on(problem, scale=1.0):
        def check(fn):
            theta, X, y = problem
            theta = scale * theta
            diagnose(value(theta, X, y, fn), theta, X, y)
        return check

    def at_zero(fn):
        theta, X, y = _PROBLEMS[0]
        zero = np.zeros_like(theta)
        got = value(zero, X, y, fn)
        if not np.isclose(got, np.log(theta.shape[1]), rtol=1e-9):
            diagnose(got, zero, X, y)

    def untouched(fn):
        theta, X, y = (a.copy() for a in _PROBLEMS[0])
        _call(fn, theta, X, y)
        if not (np.array_equal(theta, _PROBLEMS[0][0]) and np.array_equal(X, _PROBLEMS[0][1])
                and np.array_equal(y, _PROBLEMS[0][2])):
            raise _Fail("theta, X or y was changed",
                        "your function changed its inputs in place; compute new arrays "
                        "instead.", "in-place")

    checks = [
        ("m=6 samples, n=2 features, k=4 classes: value matches", on(_PROBLEMS[0])),
        ("m=5, n=3, k=2: value matches", on(_PROBLEMS[1])),
        ("theta = 0 gives log(k)", at_zero),
        ("large logits (theta x 1000): finite and correct", on(_PROBLEMS[0], 1000.0)),
        ("leaves theta, X and y unchanged", untouched),
    ]
    return _run(f"check_loss({_name(fn)})", fn, checks, verbose, labels=True,
                time_limit=time_limit, task=task)


def _diagnose_gradient(g, theta, X, y, rtol=1e-5, atol=1e-8):
    """Raise _Fail naming the mistake (or the plain fact) for a wrong gradient."""
    n, d = X.shape
    k = theta.shape[1]
    good, variants = _grad_variants(theta, X, y)
    if g.shape == theta.T.shape and g.shape != theta.shape:
        raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                    f"transposed gradient: it must have theta's shape (n_features + 1, "
                    f"n_classes) = ({d + 1}, {k}), one column per class.", "transposed")
    if g.shape == (d, k):
        raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                    "missing bias row: theta has n_features + 1 rows and row 0 is the bias; "
                    "the gradient needs a row 0 too (dL/db).", "no-bias-row")
    if g.shape == (k, d):
        raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                    "transposed gradient AND missing bias row: the gradient has theta's "
                    "shape, bias row first.", "transposed")
    if g.shape == (n, k):
        raise _Fail(f"returned shape {g.shape} (one row per sample)",
                    "that is dL/dz for each sample; chain it back to theta "
                    "(through X, plus the bias row) and average over samples.", "per-sample")
    if g.shape != theta.shape:
        raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                    "the gradient has exactly theta's shape.", "shape")
    if _close(g, good, rtol=rtol, atol=atol):
        return
    detail = f"got      {_fmt(g)}\n      expected {_fmt(good)}"
    if not np.all(np.isfinite(g)):
        raise _Fail(detail, "the gradient contains NaN or inf.", "non-finite")
    if g.shape == good.T.shape and _close(g, good.T, rtol=rtol, atol=atol):
        raise _Fail(detail, "transposed gradient: your ROW i holds what belongs in COLUMN i. "
                            "The gradient has theta's layout: one column per class, bias in "
                            "row 0.", "transposed")
    _named(g, good, variants, detail, rtol, atol)
    rows_ok = _close(g[1:], good[1:], rtol=rtol, atol=atol)
    bias_ok = _close(g[0], good[0], rtol=rtol, atol=atol)
    if rows_ok and np.allclose(g[0], 0.0):
        raise _Fail("row 0 (the bias row) is all zeros; the weight rows are right",
                    "missing bias gradient: dL/db_i is the mean over samples of "
                    "(P - Y)[:, i]; put it in row 0.", "zero-bias-row")
    if rows_ok and not bias_ok:
        raise _Fail(f"bias row: got {_fmt(g[0])}, expected {_fmt(good[0])}; "
                    "the weight rows are right",
                    "the bias row (row 0) is wrong: it is the mean over samples of P - Y.",
                    "bias-row")
    if bias_ok and not rows_ok:
        if _close(g[1:], n * good[1:], rtol=rtol, atol=atol):
            hint, key = "missing 1/m on the weight rows (the bias row has it).", "missing-1/m"
        else:
            hint, key = ("the weight rows are wrong (the bias row is right): each sample "
                         "contributes x times (P - Y) for its row.", "weight-rows")
        raise _Fail(f"weight rows: got {_fmt(g[1:])}\n      expected {_fmt(good[1:])}",
                    hint, key)
    raise _Fail(detail, "the values differ; compare with the numerical gradient on a tiny "
                        "problem (softmax_lab.numerical_gradient).", "values-differ")


def check_gradient(fn, *, verbose=True, time_limit=None, task=None) -> CheckReport:
    """Check your ``gradient(theta, X, y)`` of the mean cross-entropy.

    Parameters
    ----------
    fn : callable
        ``fn(theta, X, y) -> grad`` (or ``-> (loss, grad)``; the gradient is
        checked), grad of theta's shape (n_features + 1, n_classes).
    verbose : bool, default=True
        Print the report.
    time_limit : float, optional
        Seconds one call of ``fn`` may take (default :data:`TIME_LIMIT`).

    Returns
    -------
    CheckReport

    task : {"gradient_loops", "loss_and_gradient_vectorized"}, optional
        As for :func:`check_loss`.

    Notes
    -----
    The problems have n, d + 1 and k all different, so a transposed gradient,
    a missing 1/m or a missing bias row cannot pass by accident.
    """
    task = _hw2_task(fn, task)

    def on(problem):
        def check(fn):
            theta, X, y = problem
            raw = _hw2_part(_call(fn, theta.copy(), X.copy(), y.copy()), task, 1)
            g = (_float64_array(raw, "the gradient") if task is not None
                 else _as_array(raw, "the gradient"))
            _diagnose_gradient(g, theta, X, y)
        return check

    def untouched(fn):
        theta, X, y = (a.copy() for a in _PROBLEMS[0])
        _call(fn, theta, X, y)
        if not (np.array_equal(theta, _PROBLEMS[0][0]) and np.array_equal(X, _PROBLEMS[0][1])):
            raise _Fail("theta or X was changed",
                        "your function changed its inputs in place; compute new arrays "
                        "instead.", "in-place")

    checks = [
        ("m=6 samples, n=2 features, k=4 classes (theta 3 x 4): gradient matches",
         on(_PROBLEMS[0])),
        ("m=5, n=3, k=2 (theta 4 x 2): gradient matches", on(_PROBLEMS[1])),
        ("leaves theta and X unchanged", untouched),
    ]
    return _run(f"check_gradient({_name(fn)})", fn, checks, verbose, labels=True,
                time_limit=time_limit, task=task)


# --------------------------------------------------------------------------
# homework 3: mini-batches and one SGD step
# --------------------------------------------------------------------------
def _listed(out):
    """The student's batches as a list (a generator runs here, inside the time limit)."""
    if out is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    try:
        return list(out)
    except TypeError:
        raise _Fail(f"returned {type(out).__name__}",
                    "return a list of index arrays, one per batch.", "not-a-list") from None


def check_minibatches(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``minibatches(n_samples, batch_size, rng)``.

    Parameters
    ----------
    fn : callable
        ``fn(n_samples, batch_size, rng) -> list of index arrays`` for one
        epoch: a random permutation of ``0 .. n_samples-1`` drawn from the
        ``numpy.random.Generator`` rng, cut into batches of ``batch_size``
        (the last one may be smaller).
    verbose : bool, default=True
    time_limit : float, optional
        Seconds one call of ``fn`` may take (default :data:`TIME_LIMIT`).

    Returns
    -------
    CheckReport
    """

    def batches(fn, n, s, seed_or_rng):
        rng = (np.random.default_rng(seed_or_rng) if isinstance(seed_or_rng, int)
               else seed_or_rng)
        return _call(fn, n, s, rng, then=_batches)

    def cover(fn):
        out = batches(fn, 10, 3, 0)
        allidx = np.concatenate(out) if out else np.array([], dtype=int)
        outside = sorted({int(i) for i in allidx if not 0 <= i < 10})
        if outside:
            raise _Fail(f"indices outside 0 .. 9 for 10 samples: {outside}",
                        "every batch holds real row indices only (no padding such as -1); "
                        "the last batch is simply shorter.", "out-of-range")
        if (len(allidx) == 9 and len(set(allidx.tolist())) == 9
                and [len(b) for b in out] == [3, 3, 3]):
            raise _Fail("9 of 10 samples were used, in batches of 3, 3, 3",
                        "dropped the last partial batch: with 10 samples and batch_size 3 the "
                        "last batch has 1 sample; keep it.", "dropped-last")
        if len(allidx) == 10 and len(set(allidx.tolist())) < 10:
            raise _Fail("10 indices were drawn but some samples appear twice",
                        "sampled with replacement: an epoch uses each sample exactly once "
                        "(a permutation of the indices, rng.permutation).", "with-replacement")
        if len(set(allidx.tolist())) < len(allidx):
            raise _Fail(f"{len(allidx)} indices for 10 samples, some of them twice",
                        "one epoch uses each sample exactly once: 10 indices in all.",
                        "repeated")
        if sorted(allidx.tolist()) != list(range(10)):
            raise _Fail(f"indices used: {sorted(allidx.tolist())}",
                        "one epoch uses every index 0 .. n_samples-1 exactly once.", "cover")

    def sizes(fn):
        got = [len(b) for b in batches(fn, 10, 3, 0)]
        if got != [3, 3, 3, 1]:
            raise _Fail(f"batch sizes {got}, expected [3, 3, 3, 1]",
                        "cut the permutation into consecutive pieces of batch_size; the last "
                        "piece holds the remainder.", "sizes")

    def shuffled(fn):
        allidx = np.concatenate(batches(fn, 50, 7, 0))
        if np.array_equal(allidx, np.arange(50)):
            raise _Fail("the indices come out in dataset order",
                        "not shuffled: draw a random permutation from rng every epoch.",
                        "not-shuffled")

    def reproducible(fn):
        a = np.concatenate(batches(fn, 50, 7, 3))
        b = np.concatenate(batches(fn, 50, 7, 3))
        if not np.array_equal(a, b):
            raise _Fail("the same seed gave different batches",
                        "not reproducible: use the rng passed in (rng.permutation), not the "
                        "global np.random functions.", "global-rng")

    def epochs_differ(fn):
        rng = np.random.default_rng(5)
        a = np.concatenate(batches(fn, 50, 7, rng))
        b = np.concatenate(batches(fn, 50, 7, rng))
        if np.array_equal(a, b):
            raise _Fail("two epochs with the same rng had the same order",
                        "draw a new permutation from rng each call; do not re-seed inside.",
                        "same-order")

    def big_batch(fn):
        got = [len(b) for b in batches(fn, 5, 8, 0)]
        if got != [5]:
            raise _Fail(f"with 5 samples and batch_size 8: batch sizes {got}",
                        "a batch_size larger than the data gives one batch with every sample.",
                        "big-batch")

    checks = [
        ("10 samples, batch_size 3: every sample exactly once", cover),
        ("batch sizes 3, 3, 3, 1", sizes),
        ("shuffled", shuffled),
        ("same seed, same batches", reproducible),
        ("a new order each epoch", epochs_differ),
        ("batch_size larger than n_samples", big_batch),
    ]
    return _run(f"check_minibatches({_name(fn)})", fn, checks, verbose, time_limit=time_limit,
                task="minibatches")


# the deck's s = 3 mini-batch (rows 1, 4, 7 of the 9-row petal table, labels
# 1, 2, 3 on the slide = 0, 1, 2 here) and its starting theta
_DECK_THETA = np.array([[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]])
_DECK_X = np.array([[1.5, 0.2], [4.7, 1.6], [5.6, 2.2]])
_DECK_Y = np.array([0, 1, 2])


def _diagnose_step(got, theta, X, y, lr, rtol=1e-7, atol=1e-10):
    """Raise _Fail naming the mistake (or the plain fact) for a wrong SGD step."""
    n = X.shape[0]
    good_grad, grad_variants = _grad_variants(theta, X, y)
    good = theta - lr * good_grad
    if _close(got, good, rtol=rtol, atol=atol):
        return
    variants = [
        ("uphill", theta + lr * good_grad,
         "moved uphill: subtract lr times the gradient (theta - lr * grad)."),
        ("missing-1/m", theta - lr * n * good_grad,
         "missing 1/m: the step uses the gradient of the MEAN loss over the batch."),
        ("no-lr", theta - good_grad, "ignored the learning rate: theta - lr * grad."),
        ("returned-step", lr * good_grad, "returned lr * grad, not the updated theta."),
        ("returned-gradient", good_grad, "returned the gradient, not the updated theta."),
    ]
    variants += [(key, theta - lr * g,
                  hint if key == "labels-shifted" else
                  f"the step is theta - lr * grad with a wrong grad: {hint}")
                 for key, g, hint in grad_variants if key != "missing-1/m"]
    detail = f"got      {_fmt(got)}\n      expected {_fmt(good)}"
    if not np.all(np.isfinite(got)):
        raise _Fail(detail, "the updated theta contains NaN or inf.", "non-finite")
    _named(got, good, variants, detail, rtol, atol)
    raise _Fail(detail, "the step differs from theta - lr * gradient of the mean batch loss.",
                "values-differ")


def check_sgd_step(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``sgd_step(theta, X_batch, y_batch, lr)``.

    Parameters
    ----------
    fn : callable
        ``fn(theta, X_batch, y_batch, lr) -> new theta``: one gradient-descent
        step on the mean loss of the batch; theta itself is left unchanged.
    verbose : bool, default=True
    time_limit : float, optional
        Seconds one call of ``fn`` may take (default :data:`TIME_LIMIT`).

    Returns
    -------
    CheckReport
    """

    def step(fn, theta, X, y, lr):
        theta_in = theta.copy()
        out = _RETURNS["sgd_step"](_call(fn, theta_in, X.copy(), y.copy(), lr))
        if out.shape != theta.shape:
            raise _Fail(f"returned shape {out.shape}, theta has shape {theta.shape}",
                        "return the updated theta, same shape as theta.", "shape")
        return out, theta_in

    def on(theta, X, y, lr):
        def check(fn):
            got, _ = step(fn, theta, X, y, lr)
            _diagnose_step(got, theta, X, y, lr)
        return check

    def untouched(fn):
        _, theta_in = step(fn, _DECK_THETA, _DECK_X, _DECK_Y, 0.1)
        if not np.array_equal(theta_in, _DECK_THETA):
            raise _Fail("the theta passed in was changed",
                        "updated theta in place (`theta -= ...`); return a new array "
                        "(`theta - lr * grad`) so the caller's theta stays as it was.",
                        "in-place")

    checks = [
        ("the deck's mini-batch (s=3, lr=0.1) gives the slide's updated theta",
         on(_DECK_THETA, _DECK_X, _DECK_Y, 0.1)),
        ("m=6, n=2, k=4, lr=0.37", on(*_PROBLEMS[0], 0.37)),
        ("leaves the theta passed in unchanged", untouched),
    ]
    return _run(f"check_sgd_step({_name(fn)})", fn, checks, verbose, labels=True,
                time_limit=time_limit, task="sgd_step")


# --------------------------------------------------------------------------
# the tasks: what each may not call, what it returns, and reference stand-ins
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Task:
    name: str
    assignment: str
    forbid: tuple
    group: str = ""


_LOSS_OR_GRADIENT = ("cross_entropy", "gradient", "loss_and_gradient", "forward_backward",
                     "logit_loss")
_TASKS = {t.name: t for t in [
    _Task("softmax", "homework 1", ("softmax", "log_softmax", "predict_proba")),
    _Task("log_softmax", "homework 1", ("softmax", "log_softmax", "predict_proba")),
    _Task("loss_loops", "homework 2", _LOSS_OR_GRADIENT),
    _Task("gradient_loops", "homework 2", _LOSS_OR_GRADIENT),
    _Task("loss_and_gradient_vectorized", "homework 2", _LOSS_OR_GRADIENT),
    _Task("minibatches", "homework 3", ()),
    _Task("sgd_step", "homework 3", ()),
    _Task("train", "homework 3", ("fit",)),
    _Task("accuracy", "homework 3", ()),
    _Task("gradient_one_sample", "homework 4", _LOSS_OR_GRADIENT[1:]),
    _Task("numerical_gradient", "homework 4", ("numerical_gradient",)),
    _Task("split_indices", "homework 5", ()),
    _Task("validation_grid", "homework 5", ()),
    _Task("best_setting", "homework 5", (), group="choose_and_plot"),
    _Task("plot_validation_curve", "homework 5", (), group="choose_and_plot"),
]}
_ASSIGNMENTS = {}
for _t in _TASKS.values():
    _ASSIGNMENTS.setdefault(_t.assignment, []).append(_t.name)
_REFERENCE_MODULES = {name: "softmax_lab.core" for name in
                      ("softmax", "log_softmax", "predict_proba") + _LOSS_OR_GRADIENT}
_REFERENCE_MODULES.update(numerical_gradient="softmax_lab.gradcheck", fit="softmax_lab.training")

#: What the reference stand-ins of HW3 were asked to do during the last call
#: (see :func:`stand_in_calls`).
_TRACE = {"minibatches": [], "sgd_step": []}


def stand_in_calls() -> dict:
    """What the reference ``minibatches`` and ``sgd_step`` did during the last check or
    graded call of ``train``: ``{"minibatches": [(n_samples, batch_size, order), ...],
    "sgd_step": [(theta or None, batch_size), ...]}`` (the theta of the first step only)."""
    return {key: list(value) for key, value in _TRACE.items()}


def _ref_softmax(Z):
    return core.softmax(Z)


def _ref_log_softmax(Z):
    return core.log_softmax(Z)


def _ref_loss(theta, X, y):
    return core.cross_entropy(theta, X, y)


def _ref_gradient(theta, X, y):
    return core.gradient(theta, X, y)


def _ref_loss_and_gradient(theta, X, y):
    return core.loss_and_gradient(theta, X, y)


def _ref_minibatches(n_samples, batch_size, rng):
    order = rng.permutation(n_samples)
    _TRACE["minibatches"].append((int(n_samples), batch_size, order.copy()))
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]


def _ref_sgd_step(theta, X_batch, y_batch, lr):
    steps = _TRACE["sgd_step"]
    steps.append((np.array(theta, dtype=float) if not steps else None, len(y_batch)))
    return np.asarray(theta, dtype=float) - lr * core.gradient(theta, X_batch, y_batch)


def _ref_train(X, y, n_classes, *, lr=0.1, epochs=100, batch_size=16, seed=0, full_batch=False):
    rng = np.random.default_rng(seed)
    theta = np.zeros((X.shape[1] + 1, n_classes))
    losses = []
    for _ in range(epochs):
        order = np.arange(len(y)) if full_batch else rng.permutation(len(y))
        size = len(y) if full_batch else batch_size
        for start in range(0, len(y), size):
            batch = order[start:start + size]
            theta = theta - lr * core.gradient(theta, X[batch], y[batch])
        losses.append(core.cross_entropy(theta, X, y))
    return theta, np.array(losses)


def _ref_accuracy(theta, X, y):
    return float(np.mean(core.predict(theta, X) == y))


def _ref_gradient_one_sample(theta, x, y):
    return core.gradient(theta, np.asarray(x, dtype=float)[None, :], np.array([y]))


def _ref_numerical_gradient(f, theta, eps=1e-5):
    theta = np.array(theta, dtype=float)
    grad = np.zeros_like(theta)
    for index in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[index] = eps
        grad[index] = (f(theta + step) - f(theta - step)) / (2 * eps)
    return grad


def _ref_split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2):
    order = rng.permutation(n_samples)
    n_test, n_val = round(test_fraction * n_samples), round(val_fraction * n_samples)
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]


def _ref_validation_grid(X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size, seed):
    from . import training

    grid = np.zeros((len(lrs), len(regs)))
    for i, lr in enumerate(lrs):
        for j, reg in enumerate(regs):
            theta = training.fit(X_train, y_train, lr=lr, reg=reg, epochs=epochs,
                                 batch_size=batch_size, seed=seed, n_classes=10).theta
            grid[i, j] = np.mean(core.predict(theta, X_val) == y_val)
    return grid


def _ref_best_setting(grid, lrs, regs):
    i, j = np.unravel_index(np.argmax(grid), np.shape(grid))
    return lrs[i], regs[j]


def _ref_plot_validation_curve(grid, lrs, regs, ax):
    lines = [ax.plot(lrs, np.asarray(grid)[:, j], marker="o", label=f"reg = {reg}")[0]
             for j, reg in enumerate(regs)]
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("validation accuracy")
    ax.legend()
    return lines


_STAND_INS = {
    "softmax": _ref_softmax, "log_softmax": _ref_log_softmax, "loss_loops": _ref_loss,
    "gradient_loops": _ref_gradient, "loss_and_gradient_vectorized": _ref_loss_and_gradient,
    "minibatches": _ref_minibatches, "sgd_step": _ref_sgd_step, "train": _ref_train,
    "accuracy": _ref_accuracy, "gradient_one_sample": _ref_gradient_one_sample,
    "numerical_gradient": _ref_numerical_gradient, "split_indices": _ref_split_indices,
    "validation_grid": _ref_validation_grid, "best_setting": _ref_best_setting,
    "plot_validation_curve": _ref_plot_validation_curve,
}


# --------------------------------------------------------------------------
# return contracts: one per task, the same for the self-checks and the tests
# --------------------------------------------------------------------------
def _float64_array(value, what):
    """An np.ndarray of real numbers in float64 precision (the homework's contract)."""
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    if isinstance(value, np.matrix):
        raise _Fail("returned a numpy.matrix",
                    f"return {what} as a plain numpy array (np.ndarray): np.matrix keeps two "
                    "dimensions for everything. Use np.array / np.asarray, not np.matrix.",
                    "matrix")
    if not isinstance(value, np.ndarray):
        raise _Fail(f"returned a {type(value).__name__}, not a numpy array",
                    f"the docstring asks for {what} as a numpy array (np.ndarray of float64); "
                    f"return the array itself, not a {type(value).__name__} "
                    "(.tolist() or a list comprehension makes a list).", "not-an-array")
    if value.dtype.kind == "f" and value.dtype.itemsize < 8:
        raise _Fail(f"returned dtype {value.dtype}",
                    f"the homework asks for float64 (numpy's default float): {value.dtype} keeps "
                    "only about 7 significant digits. Compute with float64 arrays, e.g. "
                    "np.asarray(Z, dtype=float), and do not cast to a smaller type.", "precision")
    return _as_array(value, what)


def _number(value, what):
    """One real number in float64 precision: a Python float/int, a numpy scalar or a 0-d array."""
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.ndim > 0):
        shape = np.shape(value) if not isinstance(value, (list, tuple)) else (len(value),)
        raise _Fail(f"returned a {type(value).__name__} of shape {shape}, not one number",
                    f"return {what} as a single number, e.g. float(...).", "not-a-number")
    dtype = getattr(value, "dtype", None)
    if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:
        raise _Fail(f"returned a {dtype} number",
                    f"the homework asks for float64 precision: {dtype} keeps only about 7 "
                    "significant digits. Compute with float64 arrays and do not cast down.",
                    "precision")
    a = _as_array(value, what)
    return float(a)


def _pair(value, what, first, second):
    """(first, second) from a tuple or a list of two."""
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        got = (f"a {type(value).__name__} of length {len(value)}"
               if isinstance(value, (tuple, list)) else f"a {type(value).__name__}")
        raise _Fail(f"returned {got}", f"return two things: `return {what}`.", "not-a-pair")
    return first(value[0]), second(value[1])


_MAX_BATCHES = 100_000


def _batches(value):
    """A list of 1-D integer index arrays from a list, tuple or generator of them."""
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    if isinstance(value, np.ndarray) and value.ndim <= 1:
        raise _Fail(f"returned one array of shape {value.shape}",
                    "return the batches: a list of index arrays, one per batch (a generator "
                    "that yields them is fine too).", "not-a-list")
    try:
        iterator = iter(value)
    except TypeError:
        raise _Fail(f"returned {type(value).__name__}",
                    "return a list of index arrays, one per batch (a generator that yields "
                    "them is fine too).", "not-a-list") from None
    batches = []
    for b in iterator:   # an endless generator must not fill the memory before the time limit
        batches.append(b)
        if len(batches) > _MAX_BATCHES:
            raise _Fail(f"more than {_MAX_BATCHES} batches and still yielding",
                        "the generator never stops: one epoch ends after the last index "
                        "(loop over range(0, n_samples, batch_size)).", "endless")
    out = []
    for b in batches:
        try:
            b = np.asarray(b)
        except Exception:
            b = np.asarray([], dtype=object)
        if b.dtype == bool:
            raise _Fail("a batch is a boolean mask",
                        "a batch holds integer row indices (use them as X[batch]), not a "
                        "True/False mask of all the rows.", "boolean-mask")
        if b.size and not np.issubdtype(b.dtype, np.integer):
            raise _Fail(f"a batch has dtype {b.dtype}",
                        "batches hold integer row indices (use them as X[batch]).",
                        "batch-dtype")
        out.append(b.reshape(-1).astype(int))
    return out


def _index_arrays(value):
    parts = value
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    if not isinstance(parts, (tuple, list)) or len(parts) != 3:
        raise _Fail(f"returned a {type(value).__name__}"
                    + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else ""),
                    "return three index arrays: `return train_idx, val_idx, test_idx`.",
                    "not-three")
    out = []
    for p in parts:
        a = np.asarray(p)
        if a.size and not np.issubdtype(a.dtype, np.integer):
            raise _Fail(f"a part has dtype {a.dtype}",
                        "the parts hold integer indices (use them as X_all[train_idx]); a "
                        "True/False mask or float numbers are not indices.", "index-dtype")
        out.append(a.reshape(-1).astype(int))
    return tuple(out)


def _numbers(value, what):
    """An array-like of real numbers (list or ndarray), float64 precision."""
    if value is None:
        raise _Fail("returned None", "is the `return` statement missing?", "returned-none")
    dtype = getattr(value, "dtype", None)
    if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:
        raise _Fail(f"returned dtype {dtype}", "the homework asks for float64 precision.",
                    "precision")
    return _as_array(value, what)


def _lines(value):
    if value is None:
        raise _Fail("returned None", "return the list of lines you drew.", "returned-none")
    try:
        return list(value)
    except TypeError:
        raise _Fail(f"returned a {type(value).__name__}",
                    "return the list of lines you drew (ax.plot returns a list of one line: "
                    "`(line,) = ax.plot(...)`).", "not-a-list") from None


_RETURNS = {
    "softmax": lambda v: _float64_array(v, "the probabilities"),
    "log_softmax": lambda v: _float64_array(v, "the log-probabilities"),
    "loss_loops": lambda v: _number(v, "the loss"),
    "gradient_loops": lambda v: _float64_array(v, "the gradient"),
    "loss_and_gradient_vectorized": lambda v: _pair(
        v, "loss, grad", lambda a: _number(a, "the loss"),
        lambda b: _float64_array(b, "the gradient")),
    "minibatches": _batches,
    "sgd_step": lambda v: _float64_array(v, "the updated theta"),
    "train": lambda v: _pair(v, "theta, epoch_losses",
                             lambda a: _float64_array(a, "theta"),
                             lambda b: _numbers(b, "epoch_losses")),
    "accuracy": lambda v: _number(v, "the accuracy"),
    "gradient_one_sample": lambda v: _float64_array(v, "the gradient"),
    "numerical_gradient": lambda v: _float64_array(v, "the gradient"),
    "split_indices": _index_arrays,
    "validation_grid": lambda v: _numbers(v, "the grid"),
    "best_setting": lambda v: _pair(v, "lr, reg", lambda a: a, lambda b: b),
    "plot_validation_curve": _lines,
}


def _copied(value):
    """A copy of an input, so that the student's code cannot change the caller's."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, dict, set)):
        import copy

        return copy.deepcopy(value)
    return value


def graded_call(task, fn, *args, copy=True, time_limit=None, **kwargs):
    """Call the student's ``fn`` for homework task ``task`` the way the graded tests do.

    * on copies of the inputs (``copy=False`` to pass them as they are, for a test of
      whether the function changes its input);
    * with a time limit (default :data:`TIME_LIMIT` s): a function still running then is
      stopped, and the test fails with "did not finish within N s";
    * with the softmax_lab functions that the task may not use unavailable, and the
      assignment's OTHER tasks replaced by reference versions, so that a mistake in one
      task costs points in that task only;
    * its result checked against the contract in the task's docstring (the same one the
      self-check applies), and returned in that form (a generator of batches as a list).

    An ordinary exception raised by ``fn`` is raised again as it was. Everything else
    becomes an ``AssertionError`` whose message says what happened.

    Parameters
    ----------
    task : str
        The homework function's name, e.g. ``"softmax"`` or ``"train"``.
    fn : callable
        The student's function.
    *args, **kwargs
        Its arguments.
    copy : bool, default=True
    time_limit : float, optional

    Returns
    -------
    The result, in the contract's form.
    """
    spec = _TASKS[task]
    limit = _time_limit(time_limit)
    if copy:
        args = tuple(_copied(a) for a in args)
        kwargs = {k: _copied(v) for k, v in kwargs.items()}
    if task == "train":
        for calls in _TRACE.values():
            calls.clear()
    token, rules_token = _limit.set(limit), _rules.set(spec)
    try:
        try:
            # the contract is checked inside the time limit: it may run student code
            # (a generator of batches)
            return _call(fn, *args, then=_RETURNS[task], **kwargs)
        except _NotImplemented:
            raise NotImplementedError(f"{task} is not implemented yet: replace "
                                      "`raise NotImplementedError()` with your code") from None
        except _StudentError as exc:
            raise exc.exc.with_traceback(exc.exc.__traceback__) from None
        except _StillRunning as exc:
            raise AssertionError(
                f"{task} did not finish within {exc.limit:g} s"
                + (" (stopped)" if exc.stopped else " (and could not be stopped: restart "
                   "the kernel)")
                + ": on inputs this small a correct function returns in well under a second; "
                  "look for a loop that never ends") from None
        except _Fail as exc:
            raise AssertionError(f"{task} {exc.detail}: {exc.hint}" if exc.hint
                                 else f"{task} {exc.detail}") from None
        except _Escaped as exc:
            detail, hint, _ = _escape_line(exc.exc)
            raise AssertionError(f"{task} {detail}: {hint}") from None
    finally:
        _limit.reset(token)
        _rules.reset(rules_token)


# --------------------------------------------------------------------------
# homework 3: the training loop and the accuracy
# --------------------------------------------------------------------------
def _blobs(n_per_class, n_features, n_classes, seed, spread=1.0):
    """A small classification problem: one Gaussian blob per class; every class occurs."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=2.0, size=(n_classes, n_features))
    y = np.repeat(np.arange(n_classes), n_per_class)
    X = centres[y] + spread * rng.normal(size=(len(y), n_features))
    order = rng.permutation(len(y))
    return X[order], y[order]


_TRAIN_X, _TRAIN_Y = _blobs(10, 2, 3, seed=21)   # 30 samples, 2 features, 3 classes


def _train_result(fn, X, y, n_classes, **kwargs):
    theta, losses = _RETURNS["train"](_call(fn, X.copy(), y.copy(), n_classes, **kwargs))
    return theta, losses


def train_diagnosis(fn, X, y, n_classes, *, lr, epochs, batch_size, seed):
    """The training-loop checks shared by :func:`check_train` and the graded test.

    Yields ``(name, check)`` pairs; each ``check()`` raises ``_Fail`` naming what is
    wrong. Used through :func:`check_train` (a report) and :func:`assert_train`.
    """
    n, d = X.shape
    kw = dict(lr=lr, epochs=epochs, batch_size=batch_size, seed=seed)
    state = {}

    def shapes(_fn=None):
        for calls in _TRACE.values():
            calls.clear()
        theta, losses = _train_result(fn, X, y, n_classes, **kw)
        state.update(theta=theta, losses=losses, trace=stand_in_calls())
        if theta.shape != (d + 1, n_classes):
            raise _Fail(f"theta has shape {theta.shape}, expected {(d + 1, n_classes)}",
                        "theta has shape (n_features + 1, n_classes), bias row first.",
                        "shape")
        if losses.shape != (epochs,):
            raise _Fail(f"epoch_losses has shape {losses.shape}, expected ({epochs},)",
                        "record one training loss per epoch, after the epoch's last step.",
                        "losses-shape")

    def from_zero(_fn=None):
        if "theta" not in state:
            raise _Skip
        steps = state["trace"]["sgd_step"]
        first = steps[0][0] if steps else None
        if first is not None and np.any(first != 0):
            raise _Fail(f"the first sgd_step got theta = {_fmt(first)}",
                        "theta started from non-zero (random?) values: the task starts from "
                        "theta = 0, np.zeros((n_features + 1, n_classes)).", "random-start")
        theta0, _ = _train_result(fn, X, y, n_classes, **{**kw, "lr": 0.0, "epochs": 1})
        if theta0.shape == (d + 1, n_classes) and np.any(theta0 != 0):
            raise _Fail(f"with lr = 0 train returned theta = {_fmt(theta0)}",
                        "theta started from non-zero (random?) values: with lr = 0 nothing "
                        "moves, so train must return the start, theta = 0 "
                        "(np.zeros((n_features + 1, n_classes))).", "random-start")

    def mini_batches(_fn=None):
        if "theta" not in state:
            raise _Skip
        steps = state["trace"]["sgd_step"]
        sizes = [size for _, size in steps]
        if steps and batch_size < n and all(size == n for size in sizes):
            raise _Fail(f"every sgd_step got all {n} samples ({len(steps)} steps for "
                        f"{epochs} epochs)",
                        f"full-batch training: the task asks for mini-batches of batch_size "
                        f"({batch_size}) samples, one sgd_step per batch, drawn with "
                        "minibatches(n_samples, batch_size, rng).", "full-batch")
        full, _ = _ref_train(X, y, n_classes, **kw, full_batch=True)
        if _close(state["theta"], full, rtol=1e-9, atol=1e-12):
            raise _Fail(f"theta equals full-batch gradient descent's after {epochs} epochs",
                        f"full-batch training: the task asks for mini-batches of batch_size "
                        f"({batch_size}) samples, one sgd_step per batch, drawn with "
                        "minibatches(n_samples, batch_size, rng).", "full-batch")
        if steps:
            expected = epochs * (-(-n // batch_size))
            if len(steps) != expected:
                raise _Fail(f"{len(steps)} sgd_step calls, expected {expected} "
                            f"({epochs} epochs x {-(-n // batch_size)} batches)",
                            "take exactly one sgd_step per mini-batch, every epoch.",
                            "step-count")

    def new_order(_fn=None):
        if "theta" not in state:
            raise _Skip
        orders = [order for _, _, order in state["trace"]["minibatches"]]
        if len(orders) > 1 and all(np.array_equal(o, orders[0]) for o in orders[1:]):
            raise _Fail(f"all {len(orders)} epochs had the same order",
                        "the generator is created again every epoch: create it ONCE, "
                        "rng = np.random.default_rng(seed), before the loop over epochs.",
                        "same-order")

    def seeded(_fn=None):
        if "theta" not in state:
            raise _Skip
        again, _ = _train_result(fn, X, y, n_classes, **kw)
        if not np.array_equal(again, state["theta"]):
            raise _Fail("the same seed gave a different theta",
                        "not reproducible: draw every random number from "
                        "np.random.default_rng(seed), never from np.random.*.", "global-rng")
        other, _ = _train_result(fn, X, y, n_classes, **{**kw, "seed": seed + 1})
        if np.array_equal(other, state["theta"]):
            raise _Fail("another seed gave the same theta",
                        "the seed is not used: create the generator from it, "
                        "np.random.default_rng(seed), and shuffle with it.", "seed-ignored")

    def losses(_fn=None):
        if "theta" not in state:
            raise _Skip
        theta, rec = state["theta"], state["losses"]
        final = core.cross_entropy(theta, X, y)
        if not np.isclose(rec[-1], final, rtol=1e-9, atol=1e-12):
            raise _Fail(f"last recorded loss {rec[-1]:.6f}, loss of the returned theta on "
                        f"all the training data {final:.6f}",
                        "after each epoch record the loss of the current theta on the WHOLE "
                        "training set (not of the last batch, not before the epoch's steps).",
                        "losses")

    def learns(_fn=None):
        if "theta" not in state:
            raise _Skip
        ref, _ = _ref_train(X, y, n_classes, **kw)
        got, want = core.cross_entropy(state["theta"], X, y), core.cross_entropy(ref, X, y)
        if not abs(got - want) < 0.05:
            raise _Fail(f"final training loss {got:.4f}; the task's recipe reaches {want:.4f}",
                        "compare your loop with the task: theta = 0, one generator, each "
                        "epoch's batches, one sgd_step per batch with lr.", "values-differ")

    return [("returns (theta, epoch_losses) of the right shapes", shapes),
            ("starts from theta = 0", from_zero),
            (f"mini-batches of batch_size = {batch_size}, not the whole data", mini_batches),
            ("one generator for the whole run: a new order every epoch", new_order),
            ("same seed, same theta; another seed, another theta", seeded),
            ("records the training loss after each epoch", losses),
            ("learns as well as the task's recipe", learns)]


def _run_now(task, fn, checks, time_limit=None):
    """Run ``checks`` for a graded test: the first failure is an AssertionError."""
    report = _run(task, fn, checks, verbose=False, time_limit=time_limit, task=task)
    if report.not_implemented:
        raise NotImplementedError(f"{task} is not implemented yet: replace "
                                  "`raise NotImplementedError()` with your code")
    for r in report.results:
        if not r.passed and r.hint_key == "time-limit":
            raise AssertionError(f"{task} did not finish within {_time_limit(time_limit):g} s "
                                 f"({r.name}): on inputs this small a correct function returns "
                                 "in well under a second; look for a loop that never ends")
        if not r.passed:
            raise AssertionError(f"{task}: {r.name}: {r.detail}"
                                 + (f"; {r.hint}" if r.hint else ""))


def assert_train(fn, X, y, n_classes, *, lr, epochs, batch_size, seed, time_limit=None):
    """The graded test's version of :func:`check_train`: AssertionError at the first failure."""
    _run_now("train", fn, train_diagnosis(fn, X, y, n_classes, lr=lr, epochs=epochs,
                                          batch_size=batch_size, seed=seed), time_limit)


def check_train(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``train(X, y, n_classes, *, lr, epochs, batch_size, seed)``.

    Runs it on a small problem (30 samples, 2 features, 3 classes), with reference
    ``minibatches`` and ``sgd_step`` standing in for yours (they are judged by their
    own checks), and softmax_lab.fit unavailable.

    Parameters
    ----------
    fn : callable
        ``fn(X, y, n_classes, *, lr, epochs, batch_size, seed) -> (theta, epoch_losses)``.
    verbose : bool, default=True
    time_limit : float, optional
        Seconds one call of ``fn`` may take (default :data:`TIME_LIMIT`).

    Returns
    -------
    CheckReport
    """
    checks = train_diagnosis(fn, _TRAIN_X, _TRAIN_Y, 3, lr=0.2, epochs=6, batch_size=4, seed=0)
    return _run(f"check_train({_name(fn)})", fn, checks, verbose, time_limit=time_limit,
                task="train")


def check_accuracy(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``accuracy(theta, X, y)``: the fraction of samples whose largest logit
    is the true label, one number in [0, 1].

    Parameters
    ----------
    fn : callable
    verbose : bool, default=True
    time_limit : float, optional

    Returns
    -------
    CheckReport
    """
    theta_t = np.array([[0.0, 1.0, 0.0], [2.0, -1.0, 0.0], [0.0, 0.0, 3.0]])
    X_t = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [0.0, 0.0]])
    y_t = np.array([0, 2, 1, 0])

    def on(theta, X, y):
        def check(fn):
            got = _RETURNS["accuracy"](_call(fn, theta.copy(), X.copy(), y.copy()))
            want = _ref_accuracy(theta, X, y)
            if np.isclose(got, want, rtol=0, atol=1e-12):
                return
            n_right = int(round(want * len(y)))
            if np.isclose(got, n_right, atol=1e-12) and n_right != want:
                raise _Fail(f"got {got:g}, expected {want:g}",
                            "that is the NUMBER of correct samples; the accuracy is the "
                            "fraction: divide by the number of samples.", "count")
            if np.isclose(got, 1 - want, atol=1e-12):
                raise _Fail(f"got {got:g}, expected {want:g}",
                            "that is the error rate (the fraction of WRONG samples).",
                            "error-rate")
            wrong_axis = float(np.mean(core.logits(theta, X).argmax(axis=0)[:len(y)]
                                       == y[:theta.shape[1]])) if len(y) <= 3 else None
            hint = ("the values differ: take each sample's largest logit (argmax over each "
                    "ROW, axis=1) and compare it with its label; z = X @ theta[1:] + theta[0].")
            raise _Fail(f"got {got:g}, expected {want:g}", hint,
                        "values-differ" if wrong_axis is None or got != wrong_axis else "axis")
        return check

    Xr, yr = _blobs(8, 3, 5, seed=4)
    theta_r = np.random.default_rng(5).normal(size=(4, 5))
    checks = [("4 samples, 3 of them right: 0.75", on(theta_t, X_t, y_t)),
              ("40 samples, 3 features, 5 classes", on(theta_r, Xr, yr))]
    return _run(f"check_accuracy({_name(fn)})", fn, checks, verbose, time_limit=time_limit,
                task="accuracy")


# --------------------------------------------------------------------------
# homework 4: the gradient of one sample, and a numerical gradient
# --------------------------------------------------------------------------
def check_gradient_one_sample(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``gradient_one_sample(theta, x, y)`` (softmax_lab's gradient unavailable).

    Parameters
    ----------
    fn : callable
        ``fn(theta, x, y) -> grad`` with x of shape (n_features,) without the 1, y an
        int label; grad an ndarray (float64) of theta's shape.
    verbose : bool, default=True
    time_limit : float, optional

    Returns
    -------
    CheckReport
    """

    def on(theta, x, y):
        def check(fn):
            g = _RETURNS["gradient_one_sample"](_call(fn, theta.copy(), x.copy(), y))
            _diagnose_gradient(g, theta, x[None, :], np.array([y]), rtol=1e-7, atol=1e-10)
        return check

    def untouched(fn):
        theta, x = _DECK_THETA.copy(), np.array([1.4, 0.2])
        _call(fn, theta, x, 0)
        if not (np.array_equal(theta, _DECK_THETA) and np.array_equal(x, [1.4, 0.2])):
            raise _Fail("the theta or x passed in was changed",
                        "your function changed its inputs in place (e.g. `theta[0] -= ...` "
                        "or `p = theta ...; p[y] -= 1` on a view of theta); compute new "
                        "arrays instead, or work on a copy.", "in-place")

    rng = np.random.default_rng(41)
    theta_r, x_r = rng.normal(size=(5, 4)), rng.normal(size=4)
    checks = [("the deck's example (theta 3 x 3, x = [1.4, 0.2], y = 0)",
               on(_DECK_THETA, np.array([1.4, 0.2]), 0)),
              ("d = 4 features, k = 4 classes, y = 2", on(theta_r, x_r, 2)),
              ("d = 1, k = 2 (theta 2 x 2), y = 1",
               on(np.array([[0.3, -0.2], [1.5, 0.4]]), np.array([0.7]), 1)),
              ("leaves theta and x unchanged", untouched)]
    return _run(f"check_gradient_one_sample({_name(fn)})", fn, checks, verbose,
                labels=True, time_limit=time_limit, task="gradient_one_sample")


def _cubes(t):
    return float(np.sum(np.asarray(t) ** 3))


def numerical_gradient_diagnosis(g, f, theta, eps, exact, atol):
    """Raise _Fail naming the mistake (or the plain fact) for a wrong numerical gradient."""
    theta = np.asarray(theta, dtype=float)
    if g.shape != theta.shape:
        raise _Fail(f"returned shape {g.shape}, theta has shape {theta.shape}",
                    "the numerical gradient has theta's shape, one entry per entry of theta.",
                    "shape")
    if np.allclose(g, exact, rtol=0, atol=atol):
        return

    def forward():
        out = np.zeros_like(theta)
        for index in np.ndindex(theta.shape):
            step = np.zeros_like(theta)
            step[index] = eps
            out[index] = (f(theta + step) - f(theta)) / eps
        return out

    central = _ref_numerical_gradient(f, theta, eps)
    worst = float(np.max(np.abs(g - exact)))
    detail = f"largest difference from the exact gradient {worst:.1e} (allowed {atol:.0e})"
    variants = [("one-sided", forward(),
                 "one-sided difference (f(theta + eps) - f(theta)) / eps: its error shrinks "
                 "only like eps. Use the central formula (f(theta + eps E) - f(theta - eps E)) "
                 "/ (2 eps)."),
                ("divided-by-eps", 2 * central,
                 "twice the right value: the central difference spans 2 eps, so divide by "
                 "2 * eps, not eps."),
                ("half", central / 2,
                 "half the right value: divide (f(theta + eps E) - f(theta - eps E)) by "
                 "2 * eps, once."),
                ("sign", -central, "sign flipped: f(theta + eps E) comes first.")]
    for key, wrong, hint in variants:
        if np.allclose(g, wrong, rtol=1e-6, atol=1e-9):
            raise _Fail(detail, hint, key)
    changed = [i for i in np.ndindex(theta.shape) if not np.isclose(g[i], exact[i], atol=atol)]
    if 0 < len(changed) < theta.size and all(np.isclose(g[i], 0.0) for i in changed):
        raise _Fail(detail + f"; {len(changed)} of {theta.size} entries are 0",
                    "some entries were never computed: loop over EVERY index of theta "
                    "(np.ndindex(theta.shape)).", "missed-entries")
    raise _Fail(detail, "the values differ from central differences; print them next to "
                        "the exact gradient on a tiny theta.", "values-differ")


def check_numerical_gradient(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``numerical_gradient(f, theta, eps=1e-5)``: central differences, for a
    theta of ANY shape (softmax_lab.numerical_gradient unavailable).

    Parameters
    ----------
    fn : callable
        ``fn(f, theta, eps=1e-5) -> grad``, grad an ndarray (float64) of theta's shape.
    verbose : bool, default=True
    time_limit : float, optional

    Returns
    -------
    CheckReport
    """

    def on(theta, f, exact, atol, eps=None):
        def check(fn):
            args = (f, theta.copy()) if eps is None else (f, theta.copy(), eps)
            try:
                g = _RETURNS["numerical_gradient"](_call(fn, *args))
            except _StudentError as exc:
                if theta.ndim != 2 and isinstance(exc.exc, (IndexError, ValueError, TypeError)):
                    raise _Fail(f"for theta of shape {theta.shape}: {_one_line(exc.exc)}",
                                "theta may have ANY shape (the docstring says so), not only "
                                "2-D: loop over np.ndindex(theta.shape), which gives every "
                                "index tuple of any shape.", "only-2d") from None
                raise
            try:
                numerical_gradient_diagnosis(g, f, theta, 1e-5 if eps is None else eps,
                                             exact(theta), atol)
            except _Fail as fail:
                if theta.ndim != 2 and fail.key == "values-differ":
                    square = theta.reshape(theta.shape[0], -1)
                    g2 = _RETURNS["numerical_gradient"](_call(fn, f, square.copy()))
                    if g2.shape == square.shape and np.allclose(g2, exact(square), atol=atol):
                        raise _Fail(fail.detail + f" for theta of shape {theta.shape}, while a "
                                    "2-D theta comes out right",
                                    "theta may have ANY shape (the docstring says so), not only "
                                    "2-D: loop over np.ndindex(theta.shape), which gives every "
                                    "index tuple of any shape.", "only-2d") from None
                raise
        return check

    def untouched(fn):
        theta = np.arange(6.0).reshape(2, 3) / 7
        before = theta.copy()
        _call(fn, _cubes, theta)
        if not np.array_equal(theta, before):
            raise _Fail("the theta passed in was changed",
                        "work on a copy (theta = np.array(theta, dtype=float)) and leave the "
                        "caller's theta as it was; restore nothing by hand.", "in-place")

    rng = np.random.default_rng(43)
    th2, th1, th3 = rng.normal(size=(3, 4)), rng.normal(size=5), rng.normal(size=(2, 3, 2))
    cubes_grad = lambda t: 3 * t ** 2   # noqa: E731

    checks = [("sum(theta**3) for theta 3 x 4: 3 theta**2", on(th2, _cubes, cubes_grad, 1e-7)),
              ("a 1-D theta, shape (5,)", on(th1, _cubes, cubes_grad, 1e-7)),
              ("a 3-D theta, shape (2, 3, 2)", on(th3, _cubes, cubes_grad, 1e-7)),
              ("uses the eps it is given (eps = 1e-3)",
               on(th2, _cubes, lambda t: 3 * t ** 2 + 1e-6, 1e-8, eps=1e-3)),
              ("leaves theta unchanged", untouched)]
    return _run(f"check_numerical_gradient({_name(fn)})", fn, checks, verbose,
                time_limit=time_limit, task="numerical_gradient")


# --------------------------------------------------------------------------
# homework 5: split, validation grid, choose and plot
# --------------------------------------------------------------------------
def check_split_indices(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``split_indices(n_samples, rng, val_fraction=0.2, test_fraction=0.2)``.

    Parameters
    ----------
    fn : callable
        ``fn(n_samples, rng, val_fraction, test_fraction) -> (train_idx, val_idx, test_idx)``.
    verbose : bool, default=True
    time_limit : float, optional

    Returns
    -------
    CheckReport
    """

    def parts(fn, n, seed, *fractions):
        return _RETURNS["split_indices"](_call(fn, n, np.random.default_rng(seed), *fractions))

    def sizes(n, want, *fractions):
        def check(fn):
            got = [len(p) for p in parts(fn, n, 0, *fractions)]
            if got != want:
                hint = ("sizes: test = round(test_fraction * n_samples), validation = "
                        "round(val_fraction * n_samples), the rest for training, returned in "
                        "the order (train, val, test).")
                if sorted(got) == sorted(want):
                    hint = ("the parts come in another order: return (train_idx, val_idx, "
                            "test_idx).")
                raise _Fail(f"sizes {got}, expected {want} (train, val, test)", hint, "sizes")
            together = np.concatenate(parts(fn, n, 0, *fractions))
            if sorted(together.tolist()) != list(range(n)):
                raise _Fail("the parts are not a partition of 0 .. n_samples-1",
                            "cut ONE permutation into three pieces, so every index is in "
                            "exactly one part.", "partition")
        return check

    def seeded(fn):
        a, b = parts(fn, 50, 3), parts(fn, 50, 3)
        if not all(np.array_equal(p, q) for p, q in zip(a, b)):
            raise _Fail("the same seed gave another split",
                        "draw from the rng argument (rng.permutation), not from np.random.*.",
                        "global-rng")
        c = parts(fn, 50, 4)
        if all(np.array_equal(p, q) for p, q in zip(a, c)):
            raise _Fail("another seed gave the same split",
                        "use the rng argument; do not create a generator with a fixed seed "
                        "inside.", "seed-ignored")
        if np.array_equal(np.concatenate([a[2], a[1], a[0]]), np.arange(50)):
            raise _Fail("the indices come out in dataset order", "shuffle: one "
                        "rng.permutation(n_samples), then cut it.", "not-shuffled")

    checks = [("1797 samples: train 1079, val 359, test 359", sizes(1797, [1079, 359, 359])),
              ("10 samples: 6, 2, 2", sizes(10, [6, 2, 2])),
              ("val_fraction = 0.1, test_fraction = 0.3 of 20: 12, 2, 6",
               sizes(20, [12, 2, 6], 0.1, 0.3)),
              ("same seed, same split; another seed, another; shuffled", seeded)]
    return _run(f"check_split_indices({_name(fn)})", fn, checks, verbose,
                time_limit=time_limit, task="split_indices")


_GRID_X, _GRID_Y = _blobs(6, 4, 10, seed=8, spread=1.5)   # 60 samples, 10 classes


def grid_diagnosis(got, X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size,
                   seed, notebook_settings=(20, 32, 0)):
    """Raise _Fail naming the mistake (or the plain fact) for a wrong validation grid."""
    kw = dict(epochs=epochs, batch_size=batch_size, seed=seed)
    want = _ref_validation_grid(X_train, y_train, X_val, y_val, lrs, regs, **kw)
    if got.shape != want.shape:
        if got.shape == want.T.shape and want.shape[0] != want.shape[1]:
            raise _Fail(f"shape {got.shape}, expected {want.shape}",
                        "transposed: one ROW per learning rate, one COLUMN per L2 strength.",
                        "transposed")
        raise _Fail(f"shape {got.shape}, expected {want.shape}",
                    "return an array of shape (len(lrs), len(regs)).", "shape")
    if np.allclose(got, want, rtol=0, atol=1e-12):
        return
    detail = f"got {_fmt(got)}, expected {_fmt(want)}"
    e, b, s = notebook_settings
    variants = [
        ("training-accuracy", _ref_validation_grid(X_train, y_train, X_train, y_train,
                                                   lrs, regs, **kw),
         "these are TRAINING accuracies: measure each model on the validation part "
         "(X_val, y_val)."),
        ("ignored-arguments", _ref_validation_grid(X_train, y_train, X_val, y_val, lrs, regs,
                                                   epochs=e, batch_size=b, seed=s),
         "the grid ignores the epochs / batch_size / seed it is given (it equals the "
         f"notebook's EPOCHS = {e}, BATCH_SIZE = {b}, SEED = {s}): pass the function's own "
         "arguments to sl.fit."),
        ("no-reg", np.repeat(_ref_validation_grid(X_train, y_train, X_val, y_val, lrs,
                                                  [0.0], **kw), len(regs), axis=1),
         "every column equals reg = 0: pass reg=reg to sl.fit."),
    ]
    for key, wrong, hint in variants:
        if wrong.shape == got.shape and np.allclose(got, wrong, atol=1e-12) \
                and not np.allclose(want, wrong, atol=1e-12):
            raise _Fail(detail, hint, key)
    raise _Fail(detail, "the accuracies differ: for each (lr, reg) train with sl.fit(X_train, "
                        "y_train, lr=lr, reg=reg, epochs=epochs, batch_size=batch_size, "
                        "seed=seed, n_classes=10), then the fraction of sl.predict(theta, X_val) "
                        "== y_val.", "values-differ")


def check_validation_grid(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``validation_grid(X_train, y_train, X_val, y_val, lrs, regs, *, epochs,
    batch_size, seed)`` on a small 10-class problem.

    Parameters
    ----------
    fn : callable
    verbose : bool, default=True
    time_limit : float, optional

    Returns
    -------
    CheckReport
    """

    def on(lrs, regs, epochs, batch_size, seed):
        def check(fn):
            Xa, ya, Xb, yb = _GRID_X[:40], _GRID_Y[:40], _GRID_X[40:], _GRID_Y[40:]
            got = _RETURNS["validation_grid"](_call(
                fn, Xa.copy(), ya.copy(), Xb.copy(), yb.copy(), list(lrs), list(regs),
                epochs=epochs, batch_size=batch_size, seed=seed))
            grid_diagnosis(got, Xa, ya, Xb, yb, lrs, regs, epochs=epochs,
                           batch_size=batch_size, seed=seed)
        return check

    checks = [("a 2 x 3 grid: rows = lrs, columns = regs", on([0.1, 1.0], [0.0, 0.01, 1.0],
                                                             3, 8, 5)),
              ("a 1 x 2 grid, other epochs, batch_size and seed", on([0.5], [0.0, 3.0], 2, 5, 9))]
    return _run(f"check_validation_grid({_name(fn)})", fn, checks, verbose,
                time_limit=time_limit, task="validation_grid")


def check_best_setting(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``best_setting(grid, lrs, regs) -> (lr, reg)``.

    Parameters
    ----------
    fn : callable
    verbose : bool, default=True
    time_limit : float, optional

    Returns
    -------
    CheckReport
    """

    def on(grid, lrs, regs):
        def check(fn):
            got = _RETURNS["best_setting"](_call(fn, grid.copy(), list(lrs), list(regs)))
            want = _ref_best_setting(grid, lrs, regs)
            if tuple(got) == tuple(want):
                return
            i, j = np.unravel_index(np.argmax(grid), grid.shape)
            if tuple(got) == (want[1], want[0]):
                hint = "swapped: return (lr, reg), the learning rate first."
            elif tuple(got) == (i, j):
                hint = "those are the indices (row, column); return the values lrs[i], regs[j]."
            else:
                hint = ("take the largest entry (on a tie the first in row order, as np.argmax "
                        "does); its row gives lr, its column reg.")
            raise _Fail(f"got {tuple(got)}, expected {tuple(want)}", hint, "values-differ")
        return check

    checks = [("the best of a 2 x 3 grid", on(np.array([[0.5, 0.7, 0.6], [0.8, 0.9, 0.85]]),
                                               [0.1, 1.0], [0.0, 0.01, 0.1])),
              ("a tie goes to the first in row order",
               on(np.array([[0.3, 0.9], [0.9, 0.1], [0.2, 0.2]]), [1, 2, 3], [7, 8])),
              ("one column", on(np.array([[0.1], [0.2], [0.95]]), [0.01, 0.1, 1.0], [0.5]))]
    return _run(f"check_best_setting({_name(fn)})", fn, checks, verbose,
                time_limit=time_limit, task="best_setting")


def check_plot_validation_curve(fn, *, verbose=True, time_limit=None) -> CheckReport:
    """Check your ``plot_validation_curve(grid, lrs, regs, ax) -> list of lines``.

    Draws on a figure of its own (closed afterwards); needs matplotlib.

    Parameters
    ----------
    fn : callable
    verbose : bool, default=True
    time_limit : float, optional

    Returns
    -------
    CheckReport
    """
    grid, lrs, regs = np.array([[0.5, 0.7, 0.6], [0.8, 0.9, 0.85]]), [0.1, 1.0], [0.0, 0.01, 0.1]

    def drawn(check):
        def run(fn):
            # matplotlib only here, on demand (the module imports numpy and the stdlib)
            plt = __import__("importlib").import_module("matplotlib.pyplot")
            fig, ax = plt.subplots()
            try:
                lines = _RETURNS["plot_validation_curve"](_call(fn, grid.copy(), list(lrs),
                                                                list(regs), ax))
                check(lines, ax)
            finally:
                plt.close(fig)
        return run

    def one_line_per_reg(lines, ax):
        if len(lines) != len(regs):
            raise _Fail(f"{len(lines)} lines for {len(regs)} L2 strengths",
                        "draw one line per L2 strength (per COLUMN of the grid) and return "
                        "them in a list.", "lines")
        for j, line in enumerate(lines):
            if not hasattr(line, "get_xdata"):
                raise _Fail(f"element {j} is a {type(line).__name__}",
                            "return the Line2D objects ax.plot gave you: (line,) = ax.plot(...).",
                            "not-lines")
            x, yv = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
            if not (np.allclose(x, lrs) and np.allclose(yv, grid[:, j])):
                raise _Fail(f"line {j}: x {_fmt(x)}, y {_fmt(yv)}",
                            f"line j has x = the learning rates and y = column j of the grid "
                            f"(here {_fmt(grid[:, j])}).", "line-data")

    def axes(lines, ax):
        if ax.get_xscale() != "log":
            raise _Fail(f"x scale {ax.get_xscale()!r}", "the learning rates span decades: "
                        "ax.set_xscale('log').", "log-x")
        if "validation" not in ax.get_ylabel().lower():
            raise _Fail(f"y label {ax.get_ylabel()!r}", "label the y-axis: validation "
                        "accuracy.", "ylabel")
        if ax.get_legend() is None:
            raise _Fail("no legend", "add ax.legend() so each line says its reg (label=...).",
                        "legend")

    checks = [("one line per L2 strength, x = lrs, y = its column", drawn(one_line_per_reg)),
              ("log x-axis, y label, legend", drawn(axes))]
    return _run(f"check_plot_validation_curve({_name(fn)})", fn, checks, verbose,
                time_limit=time_limit, task="plot_validation_curve")


def _as_assertion(task, thunk):
    try:
        thunk()
    except _Fail as fail:
        raise AssertionError(f"{task}: {fail.detail}" + (f"; {fail.hint}" if fail.hint else "")) \
            from None


def assert_numerical_gradient(g, f, theta, exact, *, atol, eps=1e-5):
    """The graded test's diagnosis of a numerical gradient ``g`` of ``f`` at ``theta``
    (``exact`` the true gradient): AssertionError naming the mistake, if there is one."""
    _as_assertion("numerical_gradient", lambda: numerical_gradient_diagnosis(
        np.asarray(g, dtype=float), f, theta, eps, np.asarray(exact, dtype=float), atol))


def assert_grid(got, X_train, y_train, X_val, y_val, lrs, regs, *, epochs, batch_size, seed):
    """The graded test's diagnosis of a validation grid: AssertionError naming the mistake."""
    _as_assertion("validation_grid", lambda: grid_diagnosis(
        np.asarray(got, dtype=float), X_train, y_train, X_val, y_val, lrs, regs,
        epochs=epochs, batch_size=batch_size, seed=seed))
