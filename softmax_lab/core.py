r"""Softmax regression in the order of the deck's recipe (numpy only).

The deck (*Softmax Regression*, slides "Update parameters" and
"Generalization - Stochastic") trains with five steps.  Each is one small
function here or in :mod:`softmax_lab.training`, written in the row layout
below with the slide's formula beside the code line:

=====================================  ====================================
recipe step                            code
=====================================  ====================================
1. pick a batch (x, y)                 :func:`softmax_lab.training.batch_schedule`
2. forward: z = θᵀx, ŷ = softmax(z)    :func:`_forward` (with :func:`_softmax`)
3. loss (cross-entropy)                :func:`_loss` (with :func:`_log_softmax`)
4. backward: ŷ − y and ∂L/∂θ           :func:`_backward`
5. update θ ← θ − η ∂L/∂θ               :func:`softmax_lab.training._update`
=====================================  ====================================

Steps 2-4 together are :func:`forward_backward`, which returns one
:class:`StepRecord`; step 5 adds the new θ to the same record type
(:func:`softmax_lab.training.update`, :class:`softmax_lab.stepper.TrainingStepper`).
The functions with a leading underscore are the kernels: they trust their
inputs.  The public functions (no underscore) check their arguments once and
then call the kernels.

One convention, stated once
---------------------------
* ``theta`` (θ) is the deck's matrix, shape ``(n_features + 1, n_classes)``.
  Row 0 is the bias row **b** = ``theta[0]``; rows 1..n are the weights
  **W** = ``theta[1:]``; column c is the deck's θ_c.
* ``X`` holds one sample per row, shape ``(n_samples, n_features)``, *without*
  the column of ones.  So the deck's z = θᵀx (x₀ = 1) for every sample is::

      Z = X @ W + b          # Z = X @ theta[1:] + theta[0]

  Row i of ``Z`` is the deck's z⁽ⁱ⁾ (the deck stacks samples as columns: its
  z is our ``Z.T``).
* ``y`` holds 0-based labels; the deck numbers classes from 1 (slide class 1 =
  code class 0): convert at the data boundary, ``y = y_slide - 1``.
* scikit-learn's ``coef_`` is ``theta[1:].T`` and ``intercept_`` is ``theta[0]``.

The loss is the mean cross-entropy over the s samples used, plus an optional
L2 penalty (λ/2)‖W‖² (code ``reg``) on the weights only, not on b; its gradient
is X̃ᵀ(Ŷ − Y)/s (X̃ is X with a column of ones in front), plus λW on the
weight rows.

The deck's 3-class stochastic example, step by step
----------------------------------------------------
Slide values typed in from the deck, which truncates them at the printed
digits; each is checked here to one unit of the last printed digit.

>>> import numpy as np
>>> from softmax_lab.core import _forward, _loss, _backward
>>> theta = np.array([[0.1, 0.05, -0.1],      # b
...                   [0.1, -0.1, 0.1],       # w for petal length
...                   [0.2, 0.2, -0.1]])      # w for petal width
>>> X, y = np.array([[1.4, 0.2]]), np.array([0])   # 1) pick x = [1, 1.4, 0.2], slide y = 1 -> class 0
>>> Z, P = _forward(theta, X)                      # 2) z = θᵀx, ŷ = softmax(z)
>>> bool(np.allclose(Z, [[0.28, -0.05, 0.02]], atol=0.01))
True
>>> bool(np.allclose(P, [[0.4016, 0.2887, 0.3096]], atol=1e-4))
True
>>> loss = _loss(Z, y)                             # 3) L = -log ŷ_0; slide: -log 0.4016 = 0.9122
>>> abs(loss - 0.9122) < 1e-4
True
>>> dZ, grad = _backward(X, P, y)                  # 4) ŷ - y and ∂L/∂θ_c = x (ŷ_c - δ(c, y))
>>> bool(np.allclose(grad[:, 0], [-0.598, -0.837, -0.119], atol=1e-3))
True
>>> bool(np.allclose(grad[:, 1], [0.288, 0.404, 0.057], atol=1e-3))
True
>>> theta_new = theta - 0.1 * grad                 # 5) θ ← θ - η ∂L/∂θ with η = 0.1
>>> bool(np.allclose(theta_new[:, 0], [0.1598, 0.1837, 0.2119], atol=1e-3))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import (
    as_axis,
    as_float_array,
    as_int,
    as_labels,
    as_reg,
    as_theta,
    as_X,
    count,
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
    "StepRecord",
]

_MOST_NEGATIVE = np.finfo(np.float64).min
# one_hot's Y (n_samples x n_classes floats) above this many entries is a typo, not a lesson
_MAX_ONE_HOT_ENTRIES = 10**9


# ============================================================ the kernels (trust their inputs)
# ---------------------------------------------------------------- step 2: forward
def _softmax(Z: np.ndarray, axis: int = -1) -> np.ndarray:
    """ŷ_c = e^(z_c − z_max) / Σ_c′ e^(z_c′ − z_max), along ``axis``."""
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))   # every exponent <= 0: nothing overflows
    return E / E.sum(axis=axis, keepdims=True)


def _forward(theta: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Step 2: the logits Z and the probabilities P = ŷ of every row of X."""
    Z = X @ theta[1:] + theta[0]        # z = θᵀx  (x₀ = 1 multiplies the bias row b = theta[0])
    P = _softmax(Z)                     # ŷ = e^z / Σ_c′ e^z_c′
    return Z, P


# ---------------------------------------------------------------- step 3: loss
def _log_softmax(Z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log ŷ_c = (z_c − z_max) − log Σ_c′ e^(z_c′ − z_max)  (log-sum-exp), along ``axis``."""
    shifted = Z - Z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _loss(Z: np.ndarray, y: np.ndarray) -> float:
    """Step 3: L = −(1/s) Σ_i log ŷ⁽ⁱ⁾_y⁽ⁱ⁾, from the logits (never log of ŷ itself)."""
    log_P = _log_softmax(Z)
    L = -log_P[np.arange(len(y)), y].mean()   # L = −(1/s) Σ_i Σ_c δ(c, y⁽ⁱ⁾) log ŷ⁽ⁱ⁾_c
    return float(L) + 0.0                     # (+ 0.0: a perfect fit prints 0.0, not -0.0)


def _l2(theta: np.ndarray, reg: float) -> float:
    """The penalty (λ/2)‖W‖², weights only (the bias row b is not penalised)."""
    W = theta[1:]
    return 0.5 * reg * float(np.vdot(W, W))


# ---------------------------------------------------------------- step 4: backward
def _one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    """The deck's bold y for every sample: Y[i, c] = δ(c, y⁽ⁱ⁾)."""
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _backward(X: np.ndarray, P: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Step 4: dZ = ŷ − y per sample, and the gradient of the mean loss, shape of θ."""
    s = X.shape[0]
    dZ = P - _one_hot(y, P.shape[1])    # ∂L⁽ⁱ⁾/∂z_c = ŷ_c − δ(c, y⁽ⁱ⁾)
    grad = np.empty((X.shape[1] + 1, P.shape[1]))
    grad[0] = dZ.sum(axis=0) / s        # ∂L/∂b_c = (1/s) Σ_i (ŷ⁽ⁱ⁾_c − δ(c, y⁽ⁱ⁾))
    grad[1:] = X.T @ dZ / s             # ∂L/∂w_jc = (1/s) Σ_i x⁽ⁱ⁾_j (ŷ⁽ⁱ⁾_c − δ(c, y⁽ⁱ⁾))
    return dZ, grad


def _forward_backward(theta, X, y, reg=0.0):
    """Steps 2-4 on checked inputs: ``(Z, P, loss, dZ, grad)``, L2 term included."""
    Z, P = _forward(theta, X)                        # 2. forward
    loss = _loss(Z, y)                               # 3. loss
    dZ, grad = _backward(X, P, y)                    # 4. backward
    if reg:
        loss += _l2(theta, reg)                      #    + (λ/2)‖W‖²
        grad[1:] += reg * theta[1:]                  #    + λW on the weight rows
    return Z, P, loss, dZ, grad


# ============================================================ one step, recorded
@dataclass(frozen=True)
class StepRecord:
    """One pass through the deck's recipe, with every number it computed.

    :func:`forward_backward` fills steps 1-4 (``theta_after`` and ``lr`` are
    None: no update was made); :func:`softmax_lab.training.update` and
    :meth:`softmax_lab.stepper.TrainingStepper.step` add step 5.

    Attributes
    ----------
    X : ndarray of shape (s, n_features)
        1. The batch (s samples).
    y : ndarray of int, shape (s,)
        Its 0-based labels.
    Z : ndarray of shape (s, n_classes)
        2. Logits ``X @ theta[1:] + theta[0]`` (row i is the deck's z⁽ⁱ⁾).
    P : ndarray of shape (s, n_classes)
        Probabilities ŷ = softmax(Z), each row sums to 1.
    loss : float
        3. Mean cross-entropy of the batch at ``theta_before`` (plus (λ/2)‖W‖² if reg).
    dZ : ndarray of shape (s, n_classes)
        4. Per-sample ∂L⁽ⁱ⁾/∂z = ŷ − y (one-hot y), *not* divided by s: the deck's numbers.
    grad : ndarray of shape (n_features + 1, n_classes)
        Gradient of ``loss`` with respect to θ: X̃ᵀ(Ŷ − Y)/s (+ λW).
    theta_before : ndarray of shape (n_features + 1, n_classes)
        θ at which steps 2-4 were computed.
    theta_after : ndarray of shape (n_features + 1, n_classes) or None
        5. θ − η·grad, or None when no update was made.
    lr : float or None
        η used for the update (None: no update).
    reg : float
        λ used.
    step : int or None
        1 for the first update of a run (None outside a run).
    epoch : int or None
        0-based epoch of a scheduled update (None for a batch chosen by hand).
    indices : ndarray of int or slice or None
        Rows of the training X that form the batch (None when X was passed directly).
    train_loss : float or None
        Loss on the whole training set at ``theta_after`` (the stepper fills it).
    """

    X: np.ndarray
    y: np.ndarray
    Z: np.ndarray
    P: np.ndarray
    loss: float
    dZ: np.ndarray
    grad: np.ndarray
    theta_before: np.ndarray
    theta_after: np.ndarray | None = None
    lr: float | None = None
    reg: float = 0.0
    step: int | None = None
    epoch: int | None = None
    indices: object = None
    train_loss: float | None = None
    _position: int = 0   # the stepper's schedule position before this step (for back())

    @property
    def Y(self) -> np.ndarray:
        """The one-hot labels of the batch, shape (s, n_classes) (the deck's bold y)."""
        return _one_hot(self.y, self.P.shape[1])


# ============================================================ the public functions (check, then compute)
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
            f"the logits {name} contain NaN; check how {name} was computed (NaN in X or theta?)."
        )
    if np.isposinf(Z).any():
        raise ValueError(
            f"the logits {name} contain +inf, so the probabilities are undefined; pass finite "
            f"logits (if {name} came from X @ theta, standardise X or lower lr)."
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
        NaN, ``+inf`` and a row of only ``-inf`` are refused.  Computed in
        float64 whatever the input's dtype.
    axis : int, default=-1
        The class axis.

    Returns
    -------
    P : ndarray of float64, same shape as Z
        Non-negative, summing to 1 along ``axis``.

    Notes
    -----
    :math:`\hat y_c = e^{z_c - z_{\max}} / \sum_{c'} e^{z_{c'} - z_{\max}}`:
    subtracting the row's maximum changes nothing mathematically and keeps
    every exponent :math:`\le 0`, so nothing overflows.

    Examples
    --------
    >>> softmax([1000.0, 1.0]).round(4).tolist()
    [1.0, 0.0]
    >>> softmax([[0.38, -0.09]]).round(3).tolist()
    [[0.615, 0.385]]
    """
    Z, axis = _as_logits(Z, axis)
    with np.errstate(over="ignore"):   # z - z_max of a spread beyond 1.8e308 is -inf: e^-inf = 0
        return _softmax(Z, axis)


def log_softmax(Z, axis: int = -1) -> np.ndarray:
    r"""Logarithm of :func:`softmax`, computed without ever taking ``log(0)``.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_classes) or (n_classes,)
        Logits, computed in float64 whatever the input's dtype.
    axis : int, default=-1
        The class axis.

    Returns
    -------
    logP : ndarray of float64, same shape as Z
        Finite for any finite logits, e.g. ``[1e4, 1, -1e4]``.  A log-probability
        below float64's range (logits more than 1.8e308 apart, e.g.
        ``[1e308, -1e308]``) is returned as the most negative float64,
        -1.797e308, not -inf; a ``-inf`` logit gives ``-inf`` (probability 0).

    Notes
    -----
    Log-sum-exp: :math:`\log\hat y_c = (z_c - z_{\max}) - \log\sum_{c'} e^{z_{c'} - z_{\max}}`.

    Examples
    --------
    >>> log_softmax([1e4, 1.0, -1e4]).round(1).tolist()
    [0.0, -9999.0, -20000.0]
    """
    Z, axis = _as_logits(Z, axis)
    with np.errstate(over="ignore"):
        logP = _log_softmax(Z, axis)
    finite_in = np.isfinite(Z)
    np.maximum(logP, _MOST_NEGATIVE, out=logP, where=finite_in)   # overflowed spread: saturate
    return logP


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
        ``Y[i, c] = 1`` if ``y[i] == c`` else 0 (the deck's :math:`\\delta(c, y)`).

    Examples
    --------
    >>> one_hot([0, 2], 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    n_classes = as_int(n_classes, "n_classes", minimum=1, example="n_classes=3")
    y = as_labels(y, None, n_classes, source="n_classes")
    if y.shape[0] * n_classes > _MAX_ONE_HOT_ENTRIES:
        raise ValueError(
            f"one_hot(y, n_classes={count(n_classes)}) would build a {y.shape[0]:,} x "
            f"{count(n_classes)} array ({count(y.shape[0] * n_classes * 8 // 2**30)} GiB or more); "
            f"n_classes is the number of "
            f"classes k (e.g. n_classes=3), not a sample count. Pass the number of classes."
        )
    return _one_hot(y, n_classes)


def _checked(theta, X):
    theta = as_theta(theta)
    X = as_X(X)
    require_shapes(theta, X)
    return theta, X


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
        ``Z = X @ theta[1:] + theta[0]``; row i is the deck's :math:`z^{(i)} = \theta^T x^{(i)}`.

    Examples
    --------
    >>> logits([[0.1, 0.05], [0.2, -0.1]], [[1.4]]).round(2).tolist()
    [[0.38, -0.09]]
    """
    theta, X = _checked(theta, X)
    return _checked_logits(theta, X)


def _checked_logits(theta, X):
    with np.errstate(over="ignore", invalid="ignore"):   # an overflow is reported below, not warned
        Z = X @ theta[1:] + theta[0]
    require_finite_logits(Z, X)
    return Z


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
    return _softmax(logits(theta, X))


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


def _require_finite_loss(loss, source):
    if not math.isfinite(loss):
        raise ValueError(
            f"the loss overflowed to {loss}: the logits ({source}) are so far apart (around "
            f"1e308) that -log(probability of the true class) exceeds float64's range. "
            f"Standardise the features of X and use a smaller theta / a smaller lr "
            f"(or, for logits you built yourself, give the true class a finite logit)."
        )


def _require_finite_l2(theta, reg):
    if reg and not math.isfinite(_l2(theta, reg)):
        raise ValueError(
            f"the L2 term reg/2 * ||theta[1:]||^2 overflowed to inf (reg={reg:g}): theta's "
            f"weights are far too large (a diverged training?). Restart from a smaller "
            f"theta with a smaller lr, or lower reg."
        )


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
        :math:`-\frac1s\sum_i \log\mathrm{softmax}(z^{(i)})_{y^{(i)}}`.
    dZ : ndarray of shape (n_samples, n_classes)
        :math:`\partial L/\partial Z = (\mathrm{softmax}(Z) - Y)/s`
        (Y one-hot): the gradient of the *mean*, hence the 1/s.

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
        P = _softmax(Z)
        loss = _loss(Z, y)
    _require_finite_loss(loss, "Z")
    dZ = (P - _one_hot(y, Z.shape[1])) / len(y)     # (ŷ − y) / s
    return loss, dZ


def _prepare(theta, X, y, reg):
    theta, X = _checked(theta, X)
    y = as_labels(y, X.shape[0], theta.shape[1])
    return theta, X, y, as_reg(reg)


def _checked_forward_backward(theta, X, y, reg):
    """The kernel on validated inputs, with every non-finite result explained."""
    with np.errstate(over="ignore", invalid="ignore"):   # non-finite results are reported below
        Z, P, loss, dZ, grad = _forward_backward(theta, X, y, reg)
    require_finite_logits(Z, X)        # says where X holds NaN/inf, or that X @ theta overflowed
    _require_finite_l2(theta, reg)
    _require_finite_loss(loss, "X @ theta[1:] + theta[0]")
    if not np.isfinite(grad).all():
        raise ValueError(
            "the gradient overflowed to inf although every input is finite: X holds values "
            "near 1e308 (float64's limit); standardise the features of X."
        )
    return Z, P, loss, dZ, grad


def forward_backward(theta, X, y, reg: float = 0.0) -> StepRecord:
    r"""Steps 2-4 of the recipe (forward, loss, backward), returning every number.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    X : array-like of shape (n_samples, n_features)
        The batch: one sample per row.
    y : array-like of int, shape (n_samples,)
        0-based labels.
    reg : float, default=0.0
        L2 strength λ on the weight rows ``theta[1:]``.

    Returns
    -------
    StepRecord
        ``.Z``, ``.P``, ``.loss``, ``.dZ`` (ŷ − y per sample), ``.grad``; the
        batch ``.X``, ``.y`` and ``.theta_before``; no update (``.theta_after``
        is None).

    Notes
    -----
    :math:`\partial L/\partial\theta = \tilde X^T(\hat Y - Y)/s + \lambda\,[0; W]`.

    Examples
    --------
    >>> rec = forward_backward([[0.1, 0.05], [0.2, -0.1]], [[1.4]], [0])
    >>> rec.dZ.round(3).tolist(), rec.grad.round(3).tolist()
    ([[-0.385, 0.385]], [[-0.385, 0.385], [-0.538, 0.538]])
    """
    theta, X, y, reg = _prepare(theta, X, y, reg)
    Z, P, loss, dZ, grad = _checked_forward_backward(theta, X, y, reg)
    return StepRecord(X=X, y=y, Z=Z, P=P, loss=loss, dZ=dZ, grad=grad,
                      theta_before=theta, reg=reg)


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
    :math:`L = -\frac1m\sum_i \log\hat y^{(i)}_{y^{(i)}}`, computed from the
    logits with log-sum-exp (finite even for logits like ``[1000, 1]``).

    Examples
    --------
    >>> round(cross_entropy([[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]],
    ...                     [[1.4, 0.2]], [0]), 5)  # the deck prints 0.9122 (truncated)
    0.91227
    """
    theta, X, y, reg = _prepare(theta, X, y, reg)
    Z = _checked_logits(theta, X)
    with np.errstate(over="ignore"):
        loss = _loss(Z, y)
    _require_finite_loss(loss, "X @ theta[1:] + theta[0]")
    if reg:
        _require_finite_l2(theta, reg)
        loss += _l2(theta, reg)
    return loss


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
        Row 0 is :math:`\partial L/\partial b`, column c is the deck's
        :math:`\partial L/\partial\theta_c`.

    Notes
    -----
    :math:`\frac1m \tilde X^T(\hat Y - Y)`, plus ``reg * theta[1:]`` on the weight rows.

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
    _, _, loss, _, grad = _checked_forward_backward(theta, X, y, reg)
    return loss, grad
