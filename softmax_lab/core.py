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

from typing import NamedTuple

import numpy as np

from ._validation import as_labels, as_theta, as_X, check_logits_finite, check_reg, check_shapes

__all__ = [
    "softmax",
    "log_softmax",
    "one_hot",
    "logits",
    "predict_proba",
    "predict",
    "cross_entropy",
    "gradient",
    "loss_and_gradient",
    "forward_backward",
    "ForwardBackward",
]


def _as_logits(Z) -> np.ndarray:
    Z = np.asarray(Z, dtype=float)
    if Z.ndim == 0:
        raise ValueError("softmax needs at least one logit; got a scalar. Pass e.g. [z_1, z_2].")
    if Z.size == 0:
        raise ValueError("softmax got an empty array of logits.")
    if np.isnan(Z).any():
        raise ValueError(
            "the logits contain NaN; check the inputs (X, theta) for NaN values."
        )
    if np.isposinf(Z).any():
        raise ValueError(
            "the logits contain +inf, so the probabilities are undefined; "
            "the features or theta are far too large: standardise X or lower lr."
        )
    return Z


def softmax(Z, axis: int = -1) -> np.ndarray:
    r"""Turn logits into probabilities, stably.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_classes) or (n_classes,)
        Logits (unnormalised log-probabilities).
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
    Z = _as_logits(Z)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    E /= E.sum(axis=axis, keepdims=True)
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
        Finite for any finite logits, e.g. ``[1e4, 1, -1e4]``.

    Notes
    -----
    Log-sum-exp: :math:`\log P_i = (z_i - m) - \log\sum_j e^{z_j - m}`.

    Examples
    --------
    >>> log_softmax([1e4, 1.0, -1e4]).round(1).tolist()
    [0.0, -9999.0, -20000.0]
    """
    Z = _as_logits(Z)
    shifted = Z - Z.max(axis=axis, keepdims=True)
    shifted -= np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return shifted


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
    if not isinstance(n_classes, (int, np.integer)) or isinstance(n_classes, bool) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}.")
    y = as_labels(y, None, int(n_classes), source="n_classes")
    Y = np.zeros((y.shape[0], int(n_classes)))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def _checked(theta, X):
    theta = as_theta(theta)
    X = as_X(X)
    check_shapes(theta, X)
    return theta, X


def _logits(theta: np.ndarray, X: np.ndarray, check: bool = True) -> np.ndarray:
    Z = X @ theta[1:]
    Z += theta[0]
    if check:
        check_logits_finite(Z, X)
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
        *not* divided by n.
    grad : ndarray of shape (n_features + 1, n_classes)
        Gradient of ``loss`` with respect to theta.
    """

    Z: np.ndarray
    P: np.ndarray
    loss: float
    dZ: np.ndarray
    grad: np.ndarray


def _forward_backward(theta, X, y, reg, need_grad=True, check=True):
    """Unchecked core shared by the public functions and :func:`fit`.

    With ``check=False`` non-finite logits are not reported here; the caller
    (``fit``) looks at the loss instead and reports divergence.
    """
    n = X.shape[0]
    # Computed class-major (k x n): W^T X^T and dZ^T X read X once each, like
    # X @ W and X.T @ dZ, but OpenBLAS runs them faster for a small k, and the
    # reductions over the k classes become k contiguous vector operations.
    # Z, P and dZ are returned as (n x k) transposed views.  (bench/library_changes.md)
    Zt = theta[1:].T @ X.T
    Zt += theta[0][:, None]
    if check:
        check_logits_finite(Zt, X)
    # log-sum-exp per sample: m = max_i z_i, s = sum_i e^(z_i - m),
    # -log P_y = log s - (z_y - m)   (both terms >= 0: no cancellation)
    m = Zt.max(axis=0)
    Pt = Zt - m
    np.exp(Pt, out=Pt)
    s = Pt.sum(axis=0)
    rows = np.arange(n)
    loss = (np.log(s) - (Zt[y, rows] - m)).mean()
    if reg:
        loss += 0.5 * reg * float(np.vdot(theta[1:], theta[1:]))
    if not need_grad:
        return Zt.T, None, float(loss), None, None
    Pt /= s
    dZt = Pt.copy()
    dZt[y, rows] -= 1.0
    grad = np.empty_like(theta)
    # grad[1:] = X.T @ dZ / n ; grad[0] = dZ.sum(0) / n   (slides: x (y_hat - delta))
    grad[1:] = (dZt @ X).T
    grad[0] = dZt.sum(axis=1)
    grad /= n
    if reg:
        grad[1:] += reg * theta[1:]
    return Zt.T, Pt.T, float(loss), dZt.T, grad


def _prepare(theta, X, y, reg):
    theta, X = _checked(theta, X)
    y = as_labels(y, X.shape[0], theta.shape[1])
    return theta, X, y, check_reg(reg)


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
    _, _, loss, _, grad = _forward_backward(theta, X, y, reg)
    return loss, grad
