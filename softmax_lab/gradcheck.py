r"""Numerical gradients, to check derived formulas against (numpy only).

A derived gradient is only believed once it agrees with central differences
on a small problem whose sizes all differ (n != d != k), so that a transposed
or mis-scaled gradient cannot pass by accident.
"""

from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f, theta, eps: float = 1e-6) -> np.ndarray:
    r"""Central-difference gradient of a scalar function of theta.

    Parameters
    ----------
    f : callable
        ``f(theta) -> float``. It is called with a float array of theta's shape.
    theta : array-like of any shape
        The point at which to differentiate (not modified).
    eps : float, default=1e-6
        Step size.

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
        raise TypeError("f must be a function of theta returning a float, e.g. lambda t: cross_entropy(t, X, y).")
    eps = float(eps)
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps}.")
    point = np.array(theta, dtype=float)  # a private copy we can perturb
    grad = np.empty_like(point)
    flat, gflat = point.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(point))
        flat[i] = old - eps
        f_minus = float(f(point))
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
        :math:`\lVert a - b\rVert / \max(\lVert a\rVert + \lVert b\rVert, 10^{-300})`;
        0 when equal. Around 1e-8 or below, a gradient derived by hand and one
        from central differences agree; 1e-2 or above, one of them is wrong.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    >>> round(relative_error([1.0, 0.0], [0.0, 1.0]), 3)
    0.707
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(
            f"cannot compare arrays of shapes {a.shape} and {b.shape}; a transposed "
            f"gradient is the usual cause - both must have theta's shape."
        )
    num = float(np.linalg.norm(a - b))
    den = float(np.linalg.norm(a) + np.linalg.norm(b))
    return num / max(den, 1e-300)
