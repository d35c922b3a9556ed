r"""Gradient descent for softmax regression: batch, mini-batch, stochastic.

``fit`` follows the deck's 5-step recipe for every update; steps 1 and 5 live
here, steps 2-4 in :mod:`softmax_lab.core` (its module docstring has the table
"recipe step -> function"):

=====================================  ==========================================
recipe step                            code
=====================================  ==========================================
1. pick a batch                        :func:`_batch_schedule` (public: :func:`batch_schedule`)
2-4. forward, loss, backward           ``core._forward_backward``
5. θ ← θ − η L'_θ                       :func:`_update` (public: :func:`update`)
all five, batch after batch            :func:`_updates` (public: :func:`updates`)
=====================================  ==========================================

The library never prints and never touches numpy's global random state: pass
``seed`` (an int or a ``numpy.random.Generator``) and read the returned history.
No copy of X is made per update beyond gathering a shuffled batch (contiguous
batches in dataset order are views).

One engine, one record
----------------------
:func:`fit` and :class:`softmax_lab.stepper.TrainingStepper` make their
updates with the same kernels, so "same seed, same updates" and "same
divergence policy" hold by construction.  Each update returns one
:class:`~softmax_lab.StepRecord` (the batch, Z, ŷ, the loss, ŷ − y, the
gradient, θ before and after).  The new θ is a new array, kept only when it
and the loss are finite; otherwise :class:`DivergenceError` is raised and the
caller still holds the last finite θ, exactly.  The public functions check
their arguments once and call the kernels (the underscored ones), which trust
them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import (
    as_batch_size,
    as_bool,
    as_int,
    as_labels,
    as_lr,
    as_reg,
    as_row_indices,
    as_seed,
    as_theta,
    as_X,
    count,
    require_finite_X,
    require_shapes,
    require_size,
)
from .core import StepRecord, _forward_backward

__all__ = ["fit", "FitResult", "FitHistory", "DivergenceError", "DivergenceWarning",
           "batch_schedule", "update", "updates"]

# fit's default cap on the number of updates: a million stochastic iris updates take
# about half a minute here; more is a typo in epochs (or a job for another library)
MAX_UPDATES = 1_000_000


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
    """Training went wrong without an error.

    Two cases: the loss or θ became non-finite with ``on_divergence="warn"``
    (training stopped there and returned the last finite θ, ``diverged=True``),
    or the loss of the last epoch is well above the first epoch's (training
    ran to the end; the learning rate is too large).
    """


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
    max_updates: int | None = MAX_UPDATES,
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
    max_updates : int or None, default=1_000_000
        Refuse to start a run of more updates than this (``epochs`` times the
        updates per epoch): a million stochastic updates already take about
        half a minute.  Raise it, or pass None, to run longer on purpose.

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
        require_size((X.shape[1] + 1) * n_classes, 10**9, f"theta for n_classes={count(n_classes)}",
                     "n_classes is the number of classes k (e.g. n_classes=3).")
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

    max_updates = as_int(max_updates, "max_updates", minimum=1, allow_none=True,
                         example="max_updates=10_000_000 or max_updates=None")
    per_epoch = -(-n_samples // batch_size)
    n_updates = epochs * per_epoch
    if max_updates is not None and n_updates > max_updates:
        raise ValueError(
            f"epochs={count(epochs)} with {per_epoch:,} update(s) per epoch asks for "
            f"{count(n_updates)} updates, more than max_updates={max_updates:,} (at tens of "
            f"microseconds per update that is {count(n_updates // 2_000_000)}+ minutes); lower "
            f"epochs, raise batch_size, or pass a larger max_updates (or None) to run it on purpose."
        )
    require_size(n_updates, 10**8, "the loss history",
                 "lower epochs or raise batch_size.")
    if keep_theta:
        require_size(n_updates * theta.size, 2 * 10**8, "keep_theta=True's history of theta",
                     "keep every theta only for short runs: lower epochs, or pass "
                     "keep_theta=False and read res.history.loss.")
    losses = np.empty(n_updates)
    epoch_of = np.repeat(np.arange(epochs), per_epoch)
    thetas = []
    t, diverged = 0, None
    schedule = _batch_schedule(n_samples, batch_size, shuffle, rng, epochs)
    try:
        for t, rec in enumerate(_updates(X, y, theta, lr, reg, schedule)):
            losses[t] = rec.loss
            theta = rec.theta_after
            if keep_theta:
                thetas.append(theta)
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


# ---------------------------------------------------------------- step 1: pick a batch
def _batch_schedule(n_samples, batch_size, shuffle, rng, epochs=None, order=None):
    """Step 1, on checked arguments: yields ``(epoch, rows)``, epoch by epoch."""
    epoch = 0
    while epochs is None or epoch < epochs:
        perm = order if order is not None else epoch_order(n_samples, batch_size, shuffle, rng)
        length = n_samples if perm is None else len(perm)
        for start in range(0, length, batch_size):
            if perm is None:    # dataset order: a slice, so X[rows] is a view (no copy)
                yield epoch, slice(start, min(start + batch_size, n_samples))
            else:
                yield epoch, perm[start : start + batch_size]
        epoch += 1


def batch_schedule(n_samples, batch_size, shuffle, rng=None, *, epochs=None, order=None):
    """Step 1 of the recipe: which rows every update uses; yields ``(epoch, rows)``.

    Parameters
    ----------
    n_samples : int
        Rows of X (m).
    batch_size : int or None
        Samples per update (s); None: all of them (full batch).
    shuffle : bool
        A fresh random order every epoch (from ``rng``), else dataset order.
    rng : int, numpy.random.Generator or None
        Randomness for ``shuffle`` (see :func:`fit`'s ``seed``).
    epochs : int or None, keyword-only
        Number of epochs; None: endless.
    order : sequence of int, keyword-only
        A fixed visiting order used every epoch instead (e.g. the deck's rows
        1, 4, 7 first); row indices follow :func:`~softmax_lab._validation.as_row_indices`.
        Not together with ``shuffle=True``.

    Yields
    ------
    epoch : int
        0-based.
    rows : slice or ndarray of int
        A ``slice`` for batches in dataset order (``X[rows]`` is then a view,
        no copy), else an index array.

    Examples
    --------
    >>> [(e, r.tolist() if hasattr(r, "tolist") else (r.start, r.stop))
    ...  for e, r in batch_schedule(5, 2, False, epochs=1)]
    [(0, (0, 2)), (0, (2, 4)), (0, (4, 5))]
    """
    n_samples = as_int(n_samples, "n_samples", minimum=1, example="n_samples=len(X)")
    batch_size = as_batch_size(batch_size, n_samples)
    shuffle = as_bool(shuffle, "shuffle")
    epochs = as_int(epochs, "epochs", minimum=1, allow_none=True, example="epochs=10")
    if order is not None:
        if shuffle:
            raise ValueError("pass either order (a fixed visiting order) or shuffle=True, not both.")
        order = as_row_indices(order, n_samples, "order")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(as_seed(rng))
    return _batch_schedule(n_samples, batch_size, shuffle, rng, epochs, order)


# ---------------------------------------------------------------- steps 2-5: one update
def _divergence_message(t, epoch, lr, reg, what):
    where = f"update {t}" + (f" (epoch {epoch + 1})" if epoch is not None else "")
    smaller = f"try lr={lr / 10:g} or smaller" if lr / 10 > 0 else "try a smaller lr"
    msg = (
        f"training diverged: {what} became non-finite at {where} with lr={lr:g}. "
        f"The learning rate is far too large for this data; {smaller}, or standardise "
        f"the features."
    )
    if reg:
        msg += (
            f" With reg={reg:g}, each step also shrinks the weights by lr*reg="
            f"{lr * reg:g}: keep lr*reg well below 2."
        )
    return msg


def _update(theta, Xb, yb, lr, reg, *, number=1, epoch=None, rows=None) -> StepRecord:
    """Steps 2-5 on checked arguments; theta is not modified.

    The new θ − η·grad is a new array, returned only when it and the loss
    are finite; otherwise :class:`DivergenceError` (the caller still holds
    the last finite θ, exactly).
    """
    with np.errstate(over="ignore", invalid="ignore"):   # divergence is reported, not warned
        Z, P, loss, dZ, grad = _forward_backward(theta, Xb, yb, reg)   # steps 2-4
        theta_after = theta - lr * grad                                  # 5. θ ← θ − η ∂L/∂θ
    if not math.isfinite(loss):
        raise DivergenceError(_divergence_message(number, epoch, lr, reg, "the loss"), number, epoch)
    if not np.isfinite(theta_after).all():
        raise DivergenceError(_divergence_message(number, epoch, lr, reg, "theta"), number, epoch)
    return StepRecord(X=Xb, y=yb, Z=Z, P=P, loss=loss, dZ=dZ, grad=grad, theta_before=theta,
                      theta_after=theta_after, lr=lr, reg=reg, step=number, epoch=epoch,
                      indices=rows)


def update(theta, Xb, yb, lr, reg=0.0, *, number=1, epoch=None, rows=None) -> StepRecord:
    r"""Steps 2-5 of the recipe on the batch ``(Xb, yb)``; theta is not modified.

    Parameters
    ----------
    theta : array-like of shape (n_features + 1, n_classes)
    Xb : array-like of shape (s, n_features)
        The batch.
    yb : array-like of int, shape (s,)
        Its 0-based labels.
    lr : float
        Learning rate η > 0.
    reg : float, default=0.0
        L2 strength λ >= 0.
    number, epoch, rows : optional, keyword-only
        Where this update sits in a run (1-based update number, 0-based epoch,
        the rows of X); they go into the record and into a divergence message.

    Returns
    -------
    StepRecord
        The batch, Z, P, loss, dZ, grad at ``theta`` and ``theta_after`` =
        θ − η·grad.

    Raises
    ------
    DivergenceError
        If the loss or θ − η·grad is not finite (η far too large).

    Examples
    --------
    >>> rec = update([[0.1, 0.05], [0.2, -0.1]], [[1.4]], [0], lr=0.1)   # the deck's example
    >>> rec.theta_after.round(3).tolist()         # slide: [[0.138, 0.011], [0.253, -0.153]]
    [[0.138, 0.012], [0.254, -0.154]]
    """
    theta = as_theta(theta)
    Xb = as_X(Xb, "Xb")
    require_shapes(theta, Xb)
    yb = as_labels(yb, Xb.shape[0], theta.shape[1], name="yb")
    lr, reg = as_lr(lr), as_reg(reg)
    number = as_int(number, "number", minimum=1, example="number=1")
    epoch = as_int(epoch, "epoch", minimum=0, allow_none=True, example="epoch=0")
    if rows is not None and not isinstance(rows, slice):
        rows = as_row_indices(rows, None, "rows")
        if rows.size != Xb.shape[0]:
            raise ValueError(f"rows names {rows.size} row(s) of X but the batch Xb has "
                             f"{Xb.shape[0]}; pass the rows Xb was taken from (or leave rows out).")
    return _update(theta, Xb, yb, lr, reg, number=number, epoch=epoch, rows=rows)


def _updates(X, y, theta, lr, reg, schedule):
    """The update engine on checked arguments: one :func:`_update` per batch of ``schedule``.

    Yields one :class:`StepRecord` per update, each starting from the previous
    one's ``theta_after``; on divergence :class:`DivergenceError` propagates
    and the last record's ``theta_after`` is the last finite θ.
    """
    for number, (epoch, rows) in enumerate(schedule, start=1):   # 1. the batch
        rec = _update(theta, X[rows], y[rows], lr, reg, number=number, epoch=epoch, rows=rows)
        theta = rec.theta_after                                       # 2-5. the update
        yield rec


def updates(X, y, theta, lr, reg=0.0, schedule=None, *, batch_size=None, shuffle=True,
            seed=None, epochs=1):
    """The update engine as a generator: one :class:`StepRecord` per batch.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of int, shape (n_samples,)
    theta : array-like of shape (n_features + 1, n_classes)
        The starting θ (not modified).
    lr, reg : float
        η > 0 and λ >= 0.
    schedule : iterable of (epoch, rows), optional
        E.g. :func:`batch_schedule`'s; rows are checked as they come.  Default:
        ``batch_schedule(len(X), batch_size, shuffle, seed, epochs=epochs)``.

    Yields
    ------
    StepRecord
        One per update; the last one's ``theta_after`` is the trained θ.

    Examples
    --------
    >>> recs = list(updates([[1.4]], [0], [[0.1, 0.05], [0.2, -0.1]], lr=0.1, epochs=2))
    >>> round(recs[0].loss, 4)                 # the deck's single example: -log 0.615
    0.4855
    >>> recs[1].theta_before is recs[0].theta_after   # each update starts where the last ended
    True
    """
    X = as_X(X)
    theta = as_theta(theta)
    require_shapes(theta, X)
    y = as_labels(y, X.shape[0], theta.shape[1])
    lr, reg = as_lr(lr), as_reg(reg)
    if schedule is None:
        schedule = batch_schedule(X.shape[0], batch_size, shuffle, seed, epochs=epochs)
    else:
        schedule = _checked_rows(schedule, X.shape[0])
    return _updates(X, y, theta, lr, reg, schedule)


def _checked_rows(schedule, n_samples):
    """A caller's schedule, each ``(epoch, rows)`` checked as it is used."""
    if isinstance(schedule, (str, bytes)) or not hasattr(schedule, "__iter__"):
        raise TypeError(f"schedule must be an iterable of (epoch, rows) pairs, got {schedule!r}; "
                        f"build one with batch_schedule(len(X), batch_size, shuffle).")
    for item in schedule:
        try:
            epoch, rows = item
        except (TypeError, ValueError):
            raise TypeError(f"schedule must yield (epoch, rows) pairs, got {item!r}; build it "
                            f"with batch_schedule(len(X), batch_size, shuffle).") from None
        epoch = as_int(epoch, "the schedule's epoch", minimum=0, allow_none=True, example="0")
        if not isinstance(rows, slice):
            rows = as_row_indices(rows, n_samples, "the schedule's rows")
        elif not (rows.step in (None, 1) and 0 <= (rows.start or 0) < (rows.stop or 0) <= n_samples):
            raise ValueError(f"the schedule's rows {rows} is not a non-empty slice of X's rows "
                             f"0..{n_samples - 1}; use batch_schedule(len(X), ...).")
        yield epoch, rows
