r"""Numerical gradients, to check derived formulas against (numpy only).

A derived gradient is only believed once it agrees with central differences
on a small problem whose sizes all differ (n != d != k), so that a transposed
or mis-scaled gradient cannot pass by accident.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_int, as_positive_float

__all__ = ["numerical_gradient", "relative_error", "MAX_ENTRIES"]

# below ~1e-12 * |theta| the central difference is mostly float64 rounding noise
_EPS_MIN = 1e-12
# numerical_gradient calls f twice per entry of theta: above this many entries a check
# on real-sized data (785 x 10 theta, 2000 x 784 X) runs for minutes.  Check small problems.
MAX_ENTRIES = 2_000


def numerical_gradient(f, theta, eps: float = 1e-6, *, max_entries: int | None = MAX_ENTRIES) -> np.ndarray:
    r"""Central-difference gradient of a scalar function of theta.

    Parameters
    ----------
    f : callable
        ``f(theta) -> float``. It is called with a float array of theta's shape
        (a fresh copy each time; f must not modify it, and must return a
        finite number).
    theta : array-like of any shape
        The point at which to differentiate (not modified).
    eps : float, default=1e-6
        Step size, at least 1e-12 times the largest ``|theta|`` (or 1e-12):
        smaller steps measure only rounding noise.
    max_entries : int or None, default=2000, keyword-only
        f is called twice per entry of theta, so a theta with more entries is
        refused up front (a 785 x 10 theta on a 2000 x 784 X would take
        minutes).  Check the gradient on a small problem - a few samples and
        features - or pass a larger ``max_entries`` (or None) on purpose.

    Returns
    -------
    grad : ndarray, same shape as theta

    Notes
    -----
    :math:`\partial f/\partial\theta_{ij} \approx
    [f(\theta + \varepsilon e_{ij}) - f(\theta - \varepsilon e_{ij})] / 2\varepsilon`,
    with error :math:`O(\varepsilon^2)`.

    Examples
    --------
    >>> numerical_gradient(lambda t: float((t ** 2).sum()), [[1.0, -2.0]]).round(6).tolist()
    [[2.0, -4.0]]
    """
    if not callable(f):
        raise TypeError(
            f"f must be a function of theta returning a float, e.g. "
            f"lambda t: cross_entropy(t, X, y); got {type(f).__name__}."
        )
    eps = as_positive_float(eps, "eps", example="eps=1e-6")
    point = np.array(as_float_array(theta, "theta"), dtype=float)  # a private copy we perturb
    if point.size == 0:
        raise ValueError("theta is empty; pass the point at which to differentiate.")
    max_entries = as_int(max_entries, "max_entries", minimum=1, allow_none=True,
                         example="max_entries=10_000 or max_entries=None")
    if max_entries is not None and point.size > max_entries:
        raise ValueError(
            f"theta has {point.size:,} entries (shape {point.shape}), more than "
            f"max_entries={max_entries:,}: the numerical gradient calls f twice per entry "
            f"({2 * point.size:,} calls), which on real-sized data takes minutes. Check the "
            f"gradient on a small problem instead (e.g. X[:20, :5] with a 6 x k theta: a wrong "
            f"formula is wrong there too), or pass max_entries={point.size} (or None) on purpose."
        )
    if not np.isfinite(point).all():
        raise ValueError("theta contains NaN or inf; the numerical gradient needs a finite point.")
    # the step must be resolvable at every entry: theta + eps must differ from
    # theta by about eps, and eps must be large enough that f's rounding
    # (~1e-16 relative) does not swamp the difference f(+) - f(-) ~ 2 eps f'.
    scale = np.maximum(np.abs(point), 1.0)
    if eps < _EPS_MIN * scale.max():
        raise ValueError(
            f"eps={eps:g} is too small to measure a slope in float64: at |theta| up to "
            f"{scale.max():g}, f(theta + eps) and f(theta - eps) differ only by rounding noise "
            f"(the result would be zeros or garbage). Use eps between 1e-8 and 1e-4 "
            f"(default 1e-6), times the size of theta's entries."
        )
    if not np.isfinite(point + eps).all() or not np.isfinite(point - eps).all():
        raise ValueError(f"eps={eps:g} is so large that theta +/- eps overflows; use eps=1e-6.")
    grad = np.empty_like(point)
    flat, gflat = point.reshape(-1), grad.reshape(-1)

    def value(at, i, sign):
        arg = at.copy()   # f gets its own copy: it cannot disturb the next evaluation
        out = f(arg)
        if not np.array_equal(arg, at):
            raise ValueError(
                "f modified its argument theta in place (e.g. t -= ... or t[0] = ...), which "
                "would corrupt the numerical gradient; make f work on a copy (t = t.copy()) "
                "or use out-of-place operations (t = t - ...)."
            )
        if out is None or isinstance(out, (str, bytes, bool, np.bool_)):
            raise TypeError(f"f must return a single number (the loss), but it returned {out!r}.")
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"f must return a single number (the loss), but it returned {out!r}."
            ) from None
        if out.size != 1:
            raise TypeError(
                f"f must return a single number (the loss), but it returned an array of shape "
                f"{out.shape}; return e.g. its sum or one entry."
            )
        out = float(out.reshape(()))
        if not np.isfinite(out):
            where = np.unravel_index(i, point.shape) if point.ndim else ()
            raise ValueError(
                f"f returned {out} at theta{list(where)} {sign} eps (eps={eps:g}); the "
                f"numerical gradient needs f finite around theta. Check f at that point "
                f"(a log of 0? an overflow?) or move theta."
            )
        return out

    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = value(point, i, "+")
        flat[i] = old - eps
        f_minus = value(point, i, "-")
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a, b) -> float:
    r"""Relative difference of two arrays, in [0, 1].

    Parameters
    ----------
    a, b : array-like of the same shape

    Returns
    -------
    err : float
        :math:`\lVert a - b\rVert / (\lVert a\rVert + \lVert b\rVert)`;
        0 when equal (also when both are all zeros).  Computed on a and b
        divided by their largest magnitude, so it is right from 1e-300 to 1e308. Around 1e-8 or below, a gradient derived by hand and one
        from central differences agree; 1e-2 or above, one of them is wrong.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0, 0.0], [0.0, 1.0]), 3)
    0.707
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    for name, arr in (("a", a), ("b", b)):
        if not np.isfinite(arr).all():
            raise ValueError(
                f"{name} contains NaN or inf, so no relative error can be computed; "
                f"find where the gradient became non-finite first."
            )
    if a.shape != b.shape:
        raise ValueError(
            f"cannot compare arrays of shapes {a.shape} and {b.shape}; a transposed "
            f"gradient is the usual cause - both must have theta's shape."
        )
    scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)))
    if scale == 0.0:
        return 0.0                      # both all zeros: equal
    a, b = a / scale, b / scale         # entries now in [-1, 1]: squaring neither overflows
    #                                     (1e308) nor underflows (1e-200) where it matters
    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
