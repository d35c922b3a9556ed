r"""Gradient descent for softmax regression: batch, mini-batch, stochastic.

``fit`` follows the deck's 5-step recipe for every update:

1. pick a batch (all samples, ``batch_size`` of them, or one);
2. compute :math:`\hat y = \mathrm{softmax}(\theta^T x)`;
3. compute the loss (cross-entropy);
4. compute the derivative :math:`L'_\theta`;
5. update :math:`\theta \leftarrow \theta - \eta L'_\theta`.

The library never prints and never touches numpy's global random state: pass
``seed`` (an int or a ``numpy.random.Generator``) and read the returned history.
No copy of X is made per update beyond gathering a shuffled batch (contiguous
batches in dataset order are views).

One engine
----------
:func:`fit` and :class:`softmax_lab.stepper.TrainingStepper` make their
updates with the same two pieces, so "same seed, same updates" and "same
divergence policy" hold by construction:

* :func:`batch_schedule` -- which rows each update uses (epoch by epoch);
* :func:`update` -- one update: forward pass, loss, gradient, and the
  candidate :math:`\theta - \eta L'_\theta` computed into a *separate*
  buffer.  The candidate is committed only when the loss and every entry of
  it are finite; otherwise :class:`DivergenceError` is raised and the current
  theta is untouched (exactly the last finite theta, not a reconstruction).

:func:`updates` runs the two over a schedule as a generator; ``fit``
consumes it keeping only the loss (the fast path); the stepper calls
:func:`update` once per ``step()`` with full records, so that ``lr`` can
change between steps and ``back()`` can undo.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_batch_size,
    as_bool,
    as_int,
    as_labels,
    as_lr,
    as_reg,
    as_seed,
    as_theta,
    as_X,
    require_finite_X,
    require_shapes,
)
from .core import _forward_backward

__all__ = ["fit", "FitResult", "FitHistory", "DivergenceError", "DivergenceWarning",
           "batch_schedule", "update", "updates", "Update"]


# a history longer than this is a typo in epochs, not a lesson (400 MB of losses)
_MAX_UPDATES = 50_000_000


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss or theta (the learning rate is far too large).

    The one exception both :func:`fit` and the stepper raise.  Attributes:
    ``update`` (1-based number of the update that failed) and ``epoch``
    (0-based, or None).
    """

    def __init__(self, message, update=None, epoch=None):
        super().__init__(message)
        self.update = update
        self.epoch = epoch


class DivergenceWarning(RuntimeWarning):
    """Training diverged and stopped early (``on_divergence="warn"``)."""


@dataclass
class FitHistory:
    """What happened during :func:`fit`, one entry per update.

    Attributes
    ----------
    loss : ndarray of shape (n_updates,)
        Loss of the batch used for each update, computed *before* that update
        (the number the deck's step 3 prints).
    epoch : ndarray of int, shape (n_updates,)
        Epoch (0-based) of each update.
    batch_size : int
        Samples per update (the last batch of an epoch may be smaller).
    n_samples : int
        Samples in X; one epoch sees each once.
    thetas : list of ndarray
        theta after each update, only with ``keep_theta=True`` (else empty).
    """

    loss: np.ndarray
    epoch: np.ndarray
    batch_size: int
    n_samples: int
    thetas: list = field(default_factory=list)

    @property
    def n_updates(self) -> int:
        """Number of parameter updates made."""
        return int(self.loss.shape[0])

    @property
    def epoch_loss(self) -> np.ndarray:
        """Mean batch loss per epoch, shape (n_epochs,).

        For full-batch training this is exactly the training loss at the start
        of each epoch.
        """
        if self.loss.size == 0:
            return np.empty(0)
        n_epochs = int(self.epoch[-1]) + 1
        sums = np.bincount(self.epoch, weights=self.loss, minlength=n_epochs)
        counts = np.bincount(self.epoch, minlength=n_epochs)
        return sums / np.maximum(counts, 1)

    @property
    def gradient_evaluations(self) -> np.ndarray:
        """Cumulative per-sample gradients computed after each update, shape (n_updates,)."""
        sizes = np.full(self.n_updates, self.batch_size)
        per_epoch = -(-self.n_samples // self.batch_size)
        last = self.n_samples - (per_epoch - 1) * self.batch_size
        sizes[per_epoch - 1 :: per_epoch] = last
        return np.cumsum(sizes)


@dataclass
class FitResult:
    """The outcome of :func:`fit`.

    Attributes
    ----------
    theta : ndarray of shape (n_features + 1, n_classes)
        Final parameters (the last finite ones if training diverged).
    history : FitHistory
    n_classes : int
    diverged : bool
        True if training stopped on a non-finite loss (``on_divergence="warn"``).
    """

    theta: np.ndarray
    history: FitHistory
    n_classes: int
    diverged: bool = False


def fit(
    X,
    y,
    theta=None,
    *,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    reg: float = 0.0,
    shuffle: bool = True,
    seed=None,
    n_classes: int | None = None,
    keep_theta: bool = False,
    on_divergence: str = "raise",
) -> FitResult:
    r"""Train softmax regression by gradient descent.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        One sample per row, no column of ones.
    y : array-like of int, shape (n_samples,)
        0-based labels.
    theta : array-like of shape (n_features + 1, n_classes), optional
        Starting parameters (bias row first), e.g. the slide's theta. Not
        modified. Default: zeros, with ``n_classes`` inferred from y.
    lr : float, default=0.1
        Learning rate :math:`\eta`.
    epochs : int, default=100
        Passes over the data.
    batch_size : int or None, default=None
        None: full batch (one update per epoch); 1: stochastic; s: mini-batch.
    reg : float, default=0.0
        L2 strength on the weight rows (bias row not penalised).
    shuffle : bool, default=True
        Shuffle the sample order every epoch. With False, samples are taken in
        dataset order (so one stochastic epoch reproduces the slides' updates).
    seed : int >= 0, numpy.random.Generator or None
        Source of randomness for shuffling (a Generator is advanced). Global
        random state is never used.
    n_classes : int, optional
        Number of classes when theta is None (default: ``max(y) + 1``).
    keep_theta : bool, default=False
        Store theta after every update in ``history.thetas``.
    on_divergence : {"raise", "warn"}, default="raise"
        What to do if the loss or the updated theta becomes non-finite: raise
        :class:`DivergenceError`, or warn, stop and return the last finite
        theta (exactly: a candidate theta is kept only once it is finite) with
        ``diverged=True``.

    Returns
    -------
    FitResult
        ``.theta``, ``.history`` (loss per update, epoch, ...), ``.n_classes``,
        ``.diverged``.

    Notes
    -----
    Each update: :math:`\theta \leftarrow \theta - \eta\,[\tfrac1s \tilde X_B^T(\hat Y_B - Y_B) + \mathrm{reg}\,[0; W]]`.

    Examples
    --------
    The deck's single example, (x, y) = (1.4, class 1 on the slide = 0 here):

    >>> res = fit([[1.4]], [0], theta=[[0.1, 0.05], [0.2, -0.1]], lr=0.1, epochs=1,
    ...           batch_size=1, shuffle=False)
    >>> res.theta.round(4).tolist()
    [[0.1385, 0.0115], [0.2538, -0.1538]]
    """
    X = as_X(X)
    n_samples = X.shape[0]
    if theta is None:
        n_classes = as_int(n_classes, "n_classes", minimum=1, allow_none=True, example="n_classes=3")
        y = as_labels(y, n_samples, n_classes, source="n_classes")
        if n_classes is None:
            n_classes = int(y.max()) + 1
            if n_classes < 2:
                raise ValueError(
                    "y holds a single class (0); softmax regression needs at least two "
                    "classes - pass n_classes if some classes are simply absent."
                )
            if not (y == 0).any():
                warnings.warn(
                    f"label 0 never occurs in y (labels run {int(y.min())}..{int(y.max())}); "
                    f"if the labels are 1-based, as on the slides, subtract 1 (y - 1), "
                    f"otherwise class 0 is a phantom class. Pass n_classes to silence this.",
                    UserWarning,
                    stacklevel=2,
                )
        theta = np.zeros((X.shape[1] + 1, n_classes))
    else:
        theta = np.array(as_theta(theta), dtype=float)  # our own copy
        require_shapes(theta, X)
        n_classes = as_int(n_classes, "n_classes", minimum=1, allow_none=True, example="n_classes=3")
        if n_classes is not None and n_classes != theta.shape[1]:
            raise ValueError(
                f"n_classes={n_classes} but theta has {theta.shape[1]} columns (one per class); "
                f"leave n_classes out when you pass theta."
            )
        n_classes = theta.shape[1]
        y = as_labels(y, n_samples, n_classes)

    lr = as_lr(lr)
    epochs = as_int(epochs, "epochs", minimum=1, example="epochs=100")
    batch_size = as_batch_size(batch_size, n_samples)
    reg = as_reg(reg)
    shuffle = as_bool(shuffle, "shuffle")
    keep_theta = as_bool(keep_theta, "keep_theta")
    if not isinstance(on_divergence, str) or on_divergence not in ("raise", "warn"):
        raise ValueError(f'on_divergence must be "raise" or "warn", got {on_divergence!r}.')
    rng = np.random.default_rng(as_seed(seed))

    per_epoch = -(-n_samples // batch_size)
    if epochs * per_epoch > _MAX_UPDATES:
        raise ValueError(
            f"epochs={epochs} with {per_epoch} update(s) per epoch asks for "
            f"{epochs * per_epoch:,} updates, more than {_MAX_UPDATES:,} (its loss history alone "
            f"would need {epochs * per_epoch * 8 / 2**30:.1f} GiB); lower epochs or raise batch_size."
        )
    losses = np.empty(epochs * per_epoch)
    epoch_of = np.repeat(np.arange(epochs), per_epoch)
    thetas = []
    t, diverged = 0, None
    schedule = batch_schedule(n_samples, batch_size, shuffle, rng, epochs=epochs)
    try:
        # the fast path: only the loss is kept (and theta when asked)
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported, not warned
            for t, step in enumerate(updates(X, y, theta, lr, reg, schedule)):
                losses[t] = step.loss
                if keep_theta:
                    thetas.append(step.theta.copy())
        t = epochs * per_epoch
    except DivergenceError as error:
        diverged = error
        t = error.update - 1
    if diverged is not None:
        # X is scanned for NaN/inf only now: a bad value in X makes the loss of
        # the first batch holding it non-finite, and every epoch visits every
        # row, so it always ends up here and is reported as what it is.  A scan
        # up front would cost a full extra pass over X (and n x d booleans) on
        # every fit (bench/library_changes.md).
        require_finite_X(X)
        msg = str(diverged)
        if on_divergence == "raise":
            raise diverged
        warnings.warn(msg, DivergenceWarning, stacklevel=2)
    elif epochs >= 2 and t > 0:
        first, last = losses[epoch_of[:t] == 0].mean(), losses[epoch_of[:t] == epochs - 1].mean()
        if last > 1.5 * first:
            warnings.warn(
                f"the loss rose from {first:.4g} (first epoch) to {last:.4g} (last epoch) "
                f"with lr={lr:g}: each step overshoots the minimum. The learning rate is "
                f"too large; try lr={lr / 10:g}.",
                DivergenceWarning,
                stacklevel=2,
            )

    history = FitHistory(
        loss=losses[:t].copy(), epoch=epoch_of[:t].copy(), batch_size=batch_size,
        n_samples=n_samples, thetas=thetas,
    )
    return FitResult(theta=theta, history=history, n_classes=n_classes,
                     diverged=diverged is not None)


def epoch_order(n_samples, batch_size, shuffle, rng):
    """The sample order of one epoch, shared by :func:`fit` and the stepper.

    A fresh permutation from ``rng`` when shuffling batches smaller than the
    data; otherwise None, meaning dataset order (a full batch is the same
    batch in any order, so it never consumes random numbers).
    """
    return rng.permutation(n_samples) if (shuffle and batch_size < n_samples) else None


def batch_schedule(n_samples, batch_size, shuffle, rng, *, epochs=None, order=None):
    """Which rows every update uses: yields ``(epoch, rows)``, epoch by epoch.

    ``rows`` is a ``slice`` for batches taken in dataset order (so ``X[rows]``
    is a view, no copy) and an index array otherwise.  Per epoch the order is
    ``order`` (a fixed visiting order, e.g. the deck's rows 1, 4, 7 first),
    else :func:`epoch_order`: a fresh permutation from ``rng`` when shuffling,
    else dataset order.  Endless when ``epochs`` is None.
    """
    epoch = 0
    while epochs is None or epoch < epochs:
        perm = order if order is not None else epoch_order(n_samples, batch_size, shuffle, rng)
        length = n_samples if perm is None else len(perm)
        for start in range(0, length, batch_size):
            if perm is None:
                yield epoch, slice(start, min(start + batch_size, n_samples))
            else:
                yield epoch, perm[start : start + batch_size]
        epoch += 1


class Update(NamedTuple):
    """One update made by :func:`update`.

    ``theta`` is the new theta (in :func:`updates` a buffer that the next
    update overwrites, equal to the committed theta until then: copy it to
    keep it); ``fb`` is ``(Z, P, loss, dZ, grad)``
    of the batch at the old theta when ``full=True`` (else None).
    """

    epoch: int | None
    rows: object
    loss: float
    grad: np.ndarray
    theta: np.ndarray
    fb: tuple | None


def _divergence_message(t, epoch, lr, reg, what):
    where = f"update {t}" + (f" (epoch {epoch + 1})" if epoch is not None else "")
    msg = (
        f"training diverged: {what} became non-finite at {where} with lr={lr:g}. "
        f"The learning rate is far too large for this data; try lr={lr / 10:g} or "
        f"smaller, or standardise the features."
    )
    if reg:
        msg += (
            f" With reg={reg:g}, each step also shrinks the weights by lr*reg="
            f"{lr * reg:g}: keep lr*reg well below 2."
        )
    return msg


def update(theta, Xb, yb, lr, reg, out=None, *, full=False, number=1, epoch=None, rows=None):
    r"""One step of the deck's recipe on the batch ``(Xb, yb)``; theta is not modified.

    Computes the loss and gradient at ``theta`` and the candidate
    :math:`\theta - \eta L'_\theta` into ``out`` (a separate buffer, new if
    None).  Raises :class:`DivergenceError` (with ``number`` and ``epoch``
    in its message) if the loss or any entry of the candidate is not finite;
    the caller then still holds the last finite theta, exactly.
    """
    # (callers silence numpy's overflow warnings: divergence is reported here)
    fb = _forward_backward(theta, Xb, yb, reg, check=False, keep_P=full)
    loss, grad = fb[2], fb[4]
    if out is None:
        out = np.empty_like(theta)
    np.multiply(grad, -lr, out=out)       # step 5: theta - lr * grad (bit-identical)
    out += theta
    if not math.isfinite(loss):
        raise DivergenceError(_divergence_message(number, epoch, lr, reg, "the loss"), number, epoch)
    if not np.isfinite(out).all():
        raise DivergenceError(_divergence_message(number, epoch, lr, reg, "theta"), number, epoch)
    return Update(epoch, rows, loss, grad, out, fb if full else None)


def updates(X, y, theta, lr, reg, schedule, *, full=False):
    """The update engine: one :func:`update` per batch of ``schedule``.

    ``theta`` (an array owned by the caller) is updated in place, and only
    with finite candidates: each candidate is computed in a second buffer and
    committed by copying it over ``theta`` once it is known to be finite.  On
    divergence :class:`DivergenceError` propagates and ``theta`` holds the
    last finite value.
    """
    buffer = np.empty_like(theta)
    for number, (epoch, rows) in enumerate(schedule, start=1):
        step = update(theta, X[rows], y[rows], lr, reg, buffer, full=full,
                      number=number, epoch=epoch, rows=rows)
        theta[...] = buffer               # commit (finite); step.theta is the buffer
        yield step
