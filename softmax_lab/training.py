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
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_labels, as_theta, as_X, check_lr, check_reg, check_shapes, check_X_finite
from .core import _forward_backward

__all__ = ["fit", "FitResult", "FitHistory", "DivergenceError"]


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss (the learning rate is far too large)."""


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


def _check_positive_int(value, name, *, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number, got {value!r}.")
    return int(value)


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
    seed : int, numpy.random.Generator or None
        Source of randomness for shuffling. Global random state is never used.
    n_classes : int, optional
        Number of classes when theta is None (default: ``max(y) + 1``).
    keep_theta : bool, default=False
        Store theta after every update in ``history.thetas``.
    on_divergence : {"raise", "warn"}, default="raise"
        What to do if the loss becomes non-finite: raise
        :class:`DivergenceError`, or warn, stop and return the last finite
        theta with ``diverged=True``.

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
        n_classes = _check_positive_int(n_classes, "n_classes", allow_none=True)
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
        check_shapes(theta, X)
        if n_classes is not None and n_classes != theta.shape[1]:
            raise ValueError(
                f"n_classes={n_classes} but theta has {theta.shape[1]} columns (one per class)."
            )
        n_classes = theta.shape[1]
        y = as_labels(y, n_samples, n_classes)

    lr = check_lr(lr)
    epochs = _check_positive_int(epochs, "epochs")
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}.")
    batch_size = _check_positive_int(batch_size, "batch_size", allow_none=True)
    if batch_size is None:
        batch_size = n_samples
    if batch_size < 1 or batch_size > n_samples:
        raise ValueError(
            f"batch_size must be between 1 and n_samples={n_samples} (or None for full "
            f"batch), got {batch_size}."
        )
    reg = check_reg(reg)
    if on_divergence not in ("raise", "warn"):
        raise ValueError(f'on_divergence must be "raise" or "warn", got {on_divergence!r}.')
    rng = np.random.default_rng(seed)

    per_epoch = -(-n_samples // batch_size)
    losses = np.empty(epochs * per_epoch)
    epoch_of = np.repeat(np.arange(epochs), per_epoch)
    thetas = []
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        t, diverged, epoch = _run_epochs(
            X, y, theta, lr, epochs, batch_size, reg, shuffle, rng, losses, thetas, keep_theta
        )
    if diverged:
        # X is scanned for NaN/inf only now: a bad value in X makes the loss of
        # the first batch holding it non-finite, and every epoch visits every
        # row, so it always ends up here and is reported as what it is.  A scan
        # up front would cost a full extra pass over X (and n x d booleans) on
        # every fit (bench/library_changes.md).
        check_X_finite(X)
        msg = (
            f"training diverged: the loss became non-finite at update {t + 1} "
            f"(epoch {epoch + 1}) with lr={lr:g}. The learning rate is far too large "
            f"for this data; try lr={lr / 10:g} or smaller, or standardise the features."
        )
        if reg:
            msg += (
                f" With reg={reg:g}, each step also shrinks the weights by lr*reg="
                f"{lr * reg:g}: keep lr*reg well below 2."
            )
        if on_divergence == "raise":
            raise DivergenceError(msg)
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
    return FitResult(theta=theta, history=history, n_classes=n_classes, diverged=diverged)


def epoch_order(n_samples, batch_size, shuffle, rng):
    """The sample order of one epoch, shared by :func:`fit` and the stepper.

    A fresh permutation from ``rng`` when shuffling batches smaller than the
    data; otherwise None, meaning dataset order (a full batch is the same
    batch in any order, so it never consumes random numbers).
    """
    return rng.permutation(n_samples) if (shuffle and batch_size < n_samples) else None


def _run_epochs(X, y, theta, lr, epochs, batch_size, reg, shuffle, rng, losses, thetas, keep_theta):
    """The update loop; updates theta in place. Returns (n_updates, diverged, epoch)."""
    n_samples = X.shape[0]
    t = 0
    for epoch in range(epochs):
        order = epoch_order(n_samples, batch_size, shuffle, rng)
        for start in range(0, n_samples, batch_size):
            if order is None:
                Xb, yb = X[start : start + batch_size], y[start : start + batch_size]
            else:
                idx = order[start : start + batch_size]
                Xb, yb = X[idx], y[idx]
            _, _, loss, _, grad = _forward_backward(theta, Xb, yb, reg, check=False)
            if not (np.isfinite(loss) and np.isfinite(grad).all()):
                return t, True, epoch
            theta -= lr * grad
            if not np.isfinite(theta).all():
                theta += lr * grad  # back to the last finite theta
                return t, True, epoch
            losses[t] = loss
            t += 1
            if keep_theta:
                thetas.append(theta.copy())
    return t, False, epochs - 1
