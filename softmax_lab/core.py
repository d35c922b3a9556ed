r"""Softmax regression: the model, the loss and its gradient (numpy only).

One convention, stated once
---------------------------
* ``theta`` is the slides' matrix, shape ``(n_features + 1, n_classes)``.
  Row 0 is the bias row ``[b_1 ... b_k]``; column ``i`` is the slides'
  :math:`\theta_i = [b_i, w_{i1}, \dots, w_{in}]^T`.
* ``X`` holds one sample per row, shape ``(n_samples, n_features)``, *without*
  the column of ones.  The bias is added here, never by copying X::

      Z = X @ theta[1:] + theta[0]        # slides: z = theta^T x, with x_0 = 1

  Row ``u`` of ``Z`` is the slides' :math:`z^{(u)} = \theta^T x^{(u)}`.  (The
  slides stack samples as *columns*, so their ``z`` is our ``Z.T``.)
* ``y`` holds 0-based integer labels.  The slides number classes from 1 in
  places: convert at the data boundary (``y = y_slide - 1``).
* scikit-learn's ``coef_`` is ``theta[1:].T`` and ``intercept_`` is ``theta[0]``.

The loss is the mean cross-entropy plus an optional L2 penalty on the weight
rows (the bias row is not penalised):

.. math::  L(\theta) = -\frac{1}{n}\sum_u \log \hat y^{(u)}_{y^{(u)}}
                      + \frac{\mathrm{reg}}{2}\lVert \theta_{1:} \rVert^2

and its gradient is :math:`\tilde X^T (P - Y) / n` (plus ``reg * theta[1:]`` on
the weight rows), where :math:`\tilde X` is X with the column of ones.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_axis,
    as_float_array,
    as_int,
    as_labels,
    as_reg,
    as_theta,
    as_X,
    require_finite_logits,
    require_shapes,
)

__all__ = [
    "softmax",
    "log_softmax",
    "one_hot",
    "logits",
    "predict_proba",
    "predict",
    "logit_loss",
    "cross_entropy",
    "gradient",
    "loss_and_gradient",
    "forward_backward",
    "ForwardBackward",
]

_MOST_NEGATIVE = np.finfo(np.float64).min
# logits whose max - min stays below this cannot overflow in z - max(z)
_SAFE_SPREAD = 1e300


# ---------------------------------------------------------------- log-sum-exp
def _shifted_exp(Z: np.ndarray, axis: int, keep_shifted: bool = False):
    r"""The log-sum-exp trick, written once for the whole package.

    With :math:`m = \max_i z_i` along ``axis``, returns ``(m, D, E, s)``:
    ``D = Z - m`` (every entry <= 0; only if ``keep_shifted``, else None),
    ``E = exp(Z - m)`` (entries in [0, 1], a 1 in every row: nothing
    overflows) and ``s = E.sum(axis)`` (>= 1), all with ``keepdims``.  Then

    * softmax: ``E / s``;
    * log-softmax: ``D - log(s)``;
    * cross-entropy of the labelled class: ``log(s) - (z_y - m)`` (two terms
      >= 0: no cancellation).
    """
    keep = axis != 0  # reduced over axis 0, the result broadcasts back without keepdims
    # ufunc reductions called directly: the ndarray.max/.sum wrappers cost a
    # microsecond each, which shows at iris size (bench section 1)
    m = np.maximum.reduce(Z, axis=axis, keepdims=keep)
    # z - m overflows only for spreads > 1.8e308; callers silence that warning
    # (np.errstate costs a microsecond: not here, on every fit update)
    D = Z - m
    E = np.exp(D) if keep_shifted else np.exp(D, out=D)
    s = np.add.reduce(E, axis=axis, keepdims=keep)
    return m, (D if keep_shifted else None), E, s


def _as_logits(Z, axis, name: str = "Z"):
    """Validated logits and axis: real, finite except -inf, no all -inf row."""
    Z = as_float_array(Z, name)
    if Z.ndim == 0:
        raise ValueError(f"softmax needs at least one logit; {name} is a scalar. Pass e.g. [z_1, z_2].")
    axis = as_axis(axis, Z.ndim)
    if Z.size == 0:
        raise ValueError(f"{name} is an empty array of logits (shape {Z.shape}); pass at least one logit.")
    if np.isnan(Z).any():
        raise ValueError(
            f"the logits {name} contain NaN; check the inputs (X, theta) for NaN values."
        )
    if np.isposinf(Z).any():
        raise ValueError(
            f"the logits {name} contain +inf, so the probabilities are undefined; "
            f"the features or theta are far too large: standardise X or lower lr."
        )
    dead = np.isneginf(Z).all(axis=axis)
    if dead.any():
        where = np.argwhere(np.atleast_1d(dead))[0].tolist()
        raise ValueError(
            f"every logit of {name} along axis {axis} is -inf at index {where} (of the other "
            f"axes): no class has any probability there, so softmax is undefined (0/0). "
            f"Give at least one class a finite logit, or drop that row."
        )
    return Z, axis


def softmax(Z, axis: int = -1) -> np.ndarray:
    r"""Turn logits into probabilities, stably.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_classes) or (n_classes,)
        Logits (unnormalised log-probabilities). ``-inf`` means probability 0;
        NaN, ``+inf`` and a row of only ``-inf`` are refused.
    axis : int, default=-1
        The class axis.

    Returns
    -------
    P : ndarray, same shape as Z
        Non-negative, summing to 1 along ``axis``.

    Notes
    -----
    :math:`P_i = e^{z_i - m} / \sum_j e^{z_j - m}` with :math:`m = \max_j z_j`
    taken per row: subtracting the row's maximum changes nothing
    mathematically and keeps every exponent :math:`\le 0`, so nothing overflows.

    Examples
    --------
    >>> softmax([1000.0, 1.0]).round(4).tolist()
    [1.0, 0.0]
    >>> softmax([[0.38, -0.09]]).round(3).tolist()
    [[0.615, 0.385]]
    """
    Z, axis = _as_logits(Z, axis)
    with np.errstate(over="ignore"):
        _, _, E, s = _shifted_exp(Z, axis)
    E /= s
    return E


def log_softmax(Z, axis: int = -1) -> np.ndarray:
    r"""Logarithm of :func:`softmax`, computed without ever taking ``log(0)``.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_classes) or (n_classes,)
        Logits.
    axis : int, default=-1
        The class axis.

    Returns
    -------
    logP : ndarray, same shape as Z
        Finite for any finite logits, e.g. ``[1e4, 1, -1e4]``.  A log-probability
        below float64's range (logits more than 1.8e308 apart, e.g.
        ``[1e308, -1e308]``) is returned as the most negative float64,
        -1.797e308, not -inf; a ``-inf`` logit gives ``-inf`` (probability 0).

    Notes
    -----
    Log-sum-exp: :math:`\log P_i = (z_i - m) - \log\sum_j e^{z_j - m}`.

    Examples
    --------
    >>> log_softmax([1e4, 1.0, -1e4]).round(1).tolist()
    [0.0, -9999.0, -20000.0]
    """
    Z, axis = _as_logits(Z, axis)
    with np.errstate(over="ignore"):
        _, D, _, s = _shifted_exp(Z, axis, keep_shifted=True)
    D -= np.log(s)
    finite_in = np.isfinite(Z)
    if not np.isfinite(D[finite_in]).all():  # overflowed spread: saturate, do not return -inf
        np.maximum(D, _MOST_NEGATIVE, out=D, where=finite_in)
    return D


def one_hot(y, n_classes: int) -> np.ndarray:
    """One-hot encode 0-based labels.

    Parameters
    ----------
    y : array-like of int, shape (n_samples,)
        Labels in ``0..n_classes-1``.
    n_classes : int
        Number of classes k.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_classes)
        ``Y[u, i] = 1`` if ``y[u] == i`` else 0 (the slides' :math:`\\delta(i, y)`).

    Examples
    --------
    >>> one_hot([0, 2], 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    n_classes = as_int(n_classes, "n_classes", minimum=1, example="n_classes=3")
    y = as_labels(y, None, n_classes, source="n_classes")
    Y = np.zeros((y.shape[0], n_classes))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def _checked(theta, X):
    theta = as_theta(theta)
    X = as_X(X)
    require_shapes(theta, X)
    return theta, X


def _logits(theta: np.ndarray, X: np.ndarray, check: bool = True) -> np.ndarray:
    Z = X @ theta[1:]
    Z += theta[0]
    if check:
        require_finite_logits(Z, X)
    return Z


def logits(theta, X) -> np.ndarray:
    r"""The scores :math:`z = \theta^T x` of every sample.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
        Bias row first.
    X : array-like of shape (n_samples, n_features)
        One sample per row, no column of ones.

    Returns
    -------
    Z : ndarray of shape (n_samples, n_classes)
        ``Z = X @ theta[1:] + theta[0]``; row u is the slides' :math:`\theta^T x^{(u)}`.

    Examples
    --------
    >>> logits([[0.1, 0.05], [0.2, -0.1]], [[1.4]]).round(2).tolist()
    [[0.38, -0.09]]
    """
    theta, X = _checked(theta, X)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported, not warned
        return _logits(theta, X)


def predict_proba(theta, X) -> np.ndarray:
    """Class probabilities :math:`\\hat y` for every sample.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    P : ndarray of shape (n_samples, n_classes)
        Each row sums to 1.

    Examples
    --------
    >>> predict_proba([[0.1, 0.05], [0.2, -0.1]], [[1.4]]).round(3).tolist()
    [[0.615, 0.385]]
    """
    return softmax(logits(theta, X), axis=1)


def predict(theta, X) -> np.ndarray:
    """Most probable class of every sample (0-based).

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    labels : ndarray of int, shape (n_samples,)

    Examples
    --------
    >>> predict([[0.1, 0.05], [0.2, -0.1]], [[1.4], [4.5]]).tolist()
    [0, 0]
    """
    return np.argmax(logits(theta, X), axis=1)


class ForwardBackward(NamedTuple):
    """Everything one forward and backward pass computes.

    Attributes
    ----------
    Z : ndarray of shape (n_samples, n_classes)
        Logits.
    P : ndarray of shape (n_samples, n_classes)
        Probabilities :math:`\\hat y`.
    loss : float
        Mean cross-entropy plus ``reg/2 * ||theta[1:]||^2``.
    dZ : ndarray of shape (n_samples, n_classes)
        Per-sample :math:`\\partial L^{(u)}/\\partial z = \\hat y - y` (one-hot y),
        *not* divided by n (the slides' numbers; :func:`logit_loss` returns it
        divided by n).
    grad : ndarray of shape (n_features + 1, n_classes)
        Gradient of ``loss`` with respect to theta.
    """

    Z: np.ndarray
    P: np.ndarray
    loss: float
    dZ: np.ndarray
    grad: np.ndarray


# ---------------------------------------------------------------- the loss on logits
def _logit_loss_t(Zt: np.ndarray, y: np.ndarray, need_grad: bool = True, keep_P: bool = False):
    """Mean cross-entropy of class-major logits ``Zt`` (k x n), unchecked.

    Returns ``(loss, dZt, Pt)``: ``dZt = Pt - Y.T`` per sample (not divided
    by n; None without ``need_grad``), ``Pt`` the probabilities (a separate
    array only with ``keep_P``, else None).  Class-major because the
    reductions over the k classes then run as k contiguous vector operations
    (see :func:`_forward_backward`).
    """
    n = Zt.shape[1]
    rows = np.arange(n)
    m, _, Et, s = _shifted_exp(Zt, 0)
    # -log P_y = log s - (z_y - m)   (both terms >= 0)
    loss = float(np.add.reduce(np.log(s) - (Zt[y, rows] - m))) / n   # the mean, bit for bit
    if not need_grad:
        return loss, None, None
    Et /= s  # now the probabilities
    dZt = Et.copy() if keep_P else Et
    dZt[y, rows] -= 1.0
    return loss, dZt, (Et if keep_P else None)


def logit_loss(Z, y) -> tuple[float, np.ndarray]:
    r"""Mean cross-entropy of logits, and its gradient with respect to the logits.

    The loss apart from the linear layer (as scikit-learn's ``_loss`` module
    does): :func:`cross_entropy` and :func:`gradient` are this function applied
    to ``Z = X @ theta[1:] + theta[0]``, with the gradient chained back
    through X.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_classes)
        Logits, one row per sample.
    y : array-like of int, shape (n_samples,)
        0-based labels.

    Returns
    -------
    loss : float
        :math:`-\frac1n\sum_u \log\mathrm{softmax}(z^{(u)})_{y^{(u)}}`.
    dZ : ndarray of shape (n_samples, n_classes)
        :math:`\partial\,\mathrm{loss}/\partial Z = (\mathrm{softmax}(Z) - Y)/n`
        (Y one-hot): the gradient of the *mean*, hence the 1/n.

    Examples
    --------
    >>> loss, dZ = logit_loss([[0.38, -0.09]], [0])     # the deck's single example
    >>> round(loss, 4), dZ.round(3).tolist()
    (0.4855, [[-0.385, 0.385]])
    """
    Z, _ = _as_logits(Z, -1)
    if Z.ndim != 2:
        raise ValueError(
            f"Z must be 2-D, one row of logits per sample (shape (n_samples, n_classes)), but "
            f"it has shape {Z.shape}; for one sample pass [z] (Z.reshape(1, -1))."
        )
    y = as_labels(y, Z.shape[0], Z.shape[1], source="Z")
    with np.errstate(over="ignore", invalid="ignore"):
        loss, dZt, _ = _logit_loss_t(Z.T, y)
    _require_finite_loss(loss, "Z")
    dZ = np.ascontiguousarray(dZt.T)
    dZ /= Z.shape[0]
    return loss, dZ


def _require_finite_loss(loss, source):
    if not math.isfinite(loss):
        raise ValueError(
            f"the loss overflowed to {loss}: the logits ({source}) are so far apart (around "
            f"1e308) that -log(probability of the true class) exceeds float64's range. "
            f"Standardise the features of X and use a smaller theta / a smaller lr "
            f"(or, for logits you built yourself, give the true class a finite logit)."
        )


def _forward_backward(theta, X, y, reg, need_grad=True, check=True, keep_P=True, _report=False):
    """Unchecked core shared by the public functions and :func:`fit`.

    Returns ``(Z, P, loss, dZ, grad)`` with Z, P and dZ as (n x k) transposed
    views of class-major work arrays (P is None unless ``keep_P``).  With
    ``check=False`` non-finite values are not reported here; the caller
    (the training engine) looks at the loss and the new theta instead and
    reports divergence.
    """
    n = X.shape[0]
    # Computed class-major (k x n): W^T X^T and dZ^T X read X once each, like
    # X @ W and X.T @ dZ, but OpenBLAS runs them faster for a small k, and the
    # reductions over the k classes become k contiguous vector operations.
    # (bench/library_changes.md)
    Zt = theta[1:].T @ X.T            # slides: z = theta^T x  (x_0 = 1 is the bias row)
    Zt += theta[0][:, None]
    if check:
        # Two reductions instead of isfinite().all(): they also bound the
        # spread of every row, so the common case needs no np.errstate
        # (a microsecond per call).  NaN fails both comparisons.
        hi, lo = float(np.maximum.reduce(Zt, axis=None)), float(np.minimum.reduce(Zt, axis=None))
        if not (hi - lo < _SAFE_SPREAD):
            require_finite_logits(Zt, X)     # NaN/inf: says where (X) or why
            with np.errstate(over="ignore", invalid="ignore"):   # reported below
                return _forward_backward(theta, X, y, reg, need_grad, False, keep_P, _report=True)
    loss, dZt, Pt = _logit_loss_t(Zt, y, need_grad=need_grad, keep_P=keep_P)
    if _report:
        check = True
    if check:
        _require_finite_loss(loss, "X @ theta[1:] + theta[0]")
    if reg:
        loss += 0.5 * reg * float(np.vdot(theta[1:], theta[1:]))
        if check and not math.isfinite(loss):
            raise ValueError(
                f"the L2 term reg/2 * ||theta[1:]||^2 overflowed to inf (reg={reg:g}): theta's "
                f"weights are far too large (a diverged training?). Restart from a smaller "
                f"theta with a smaller lr, or lower reg."
            )
    if not need_grad:
        return Zt.T, None, loss, None, None
    grad = np.empty_like(theta)
    # chain rule through the linear layer:
    # grad[1:] = X.T @ dZ / n ; grad[0] = dZ.sum(0) / n   (slides: x (y_hat - delta))
    grad[1:] = (dZt @ X).T
    np.add.reduce(dZt, axis=1, out=grad[0])
    grad /= n
    if reg:
        grad[1:] += reg * theta[1:]
    if check and not np.isfinite(grad).all():
        raise ValueError(
            "the gradient overflowed to inf although every input is finite: X holds values "
            "near 1e308 (float64's limit); standardise the features of X."
        )
    return Zt.T, (None if Pt is None else Pt.T), loss, dZt.T, grad


def _prepare(theta, X, y, reg):
    theta, X = _checked(theta, X)
    y = as_labels(y, X.shape[0], theta.shape[1])
    return theta, X, y, as_reg(reg)


def forward_backward(theta, X, y, reg: float = 0.0) -> ForwardBackward:
    r"""One forward and backward pass, returning every intermediate.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    X : array-like of shape (n_samples, n_features)
    y : array-like of int, shape (n_samples,)
        0-based labels.
    reg : float, default=0.0
        L2 strength on the weight rows ``theta[1:]``.

    Returns
    -------
    ForwardBackward
        ``(Z, P, loss, dZ, grad)``.

    Notes
    -----
    :math:`\partial L/\partial\theta = \tilde X^T(\hat Y - Y)/n + \mathrm{reg}\,[0; W]`.

    Examples
    --------
    >>> fb = forward_backward([[0.1, 0.05], [0.2, -0.1]], [[1.4]], [0])
    >>> fb.dZ.round(3).tolist(), fb.grad.round(3).tolist()
    ([[-0.385, 0.385]], [[-0.385, 0.385], [-0.538, 0.538]])
    """
    theta, X, y, reg = _prepare(theta, X, y, reg)
    Z, P, loss, dZ, grad = _forward_backward(theta, X, y, reg)
    # (n x k) C-ordered copies of the class-major work arrays
    return ForwardBackward(np.ascontiguousarray(Z), np.ascontiguousarray(P), loss,
                           np.ascontiguousarray(dZ), grad)


def cross_entropy(theta, X, y, reg: float = 0.0) -> float:
    r"""Mean cross-entropy loss, plus ``reg/2 * ||theta[1:]||^2``.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    X : array-like of shape (n_samples, n_features)
    y : array-like of int, shape (n_samples,)
        0-based labels.
    reg : float, default=0.0
        L2 strength; the bias row is not penalised.

    Returns
    -------
    loss : float

    Notes
    -----
    :math:`L = -\frac1n\sum_u \log\hat y^{(u)}_{y^{(u)}}`, computed from the
    logits with log-sum-exp (finite even for logits like ``[1000, 1]``).

    Examples
    --------
    >>> round(cross_entropy([[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]],
    ...                     [[1.4, 0.2]], [0]), 5)  # the deck prints 0.9122 (truncated)
    0.91227
    """
    theta, X, y, reg = _prepare(theta, X, y, reg)
    return _forward_backward(theta, X, y, reg, need_grad=False)[2]


def gradient(theta, X, y, reg: float = 0.0) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to theta.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    X : array-like of shape (n_samples, n_features)
    y : array-like of int, shape (n_samples,)
    reg : float, default=0.0

    Returns
    -------
    grad : ndarray of shape (n_features + 1, n_classes)
        Row 0 is :math:`\partial L/\partial b`, column i is the slides'
        :math:`\partial L/\partial\theta_i`.

    Notes
    -----
    :math:`\frac1n \tilde X^T(\hat Y - Y)`, plus ``reg * theta[1:]`` on the weight rows.

    Examples
    --------
    >>> gradient([[0.1, 0.05], [0.2, -0.1]], [[1.4]], [0]).round(3).tolist()
    [[-0.385, 0.385], [-0.538, 0.538]]
    """
    return loss_and_gradient(theta, X, y, reg)[1]


def loss_and_gradient(theta, X, y, reg: float = 0.0) -> tuple[float, np.ndarray]:
    """Loss and gradient from one forward pass.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    X : array-like of shape (n_samples, n_features)
    y : array-like of int, shape (n_samples,)
    reg : float, default=0.0

    Returns
    -------
    loss : float
    grad : ndarray of shape (n_features + 1, n_classes)

    Examples
    --------
    >>> loss, grad = loss_and_gradient([[0.1, 0.05], [0.2, -0.1]], [[1.4]], [0])
    >>> round(loss, 4), grad.shape
    (0.4855, (2, 2))
    """
    theta, X, y, reg = _prepare(theta, X, y, reg)
    _, _, loss, _, grad = _forward_backward(theta, X, y, reg, keep_P=False)
    return loss, grad
