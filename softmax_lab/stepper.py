r"""Step-by-step gradient descent for softmax regression (numpy only).

:class:`TrainingStepper` holds *all* the state of a training run that a
lecture steps through one update at a time: the data, θ, the learning rate,
the mode (stochastic / mini-batch of size s / full batch), the seed, the step
count, a full record of the last step (the deck's 5-step recipe with its
numbers) and the loss history.  ``softmax_lab.widgets`` only wires buttons to
it; the class works on its own in a notebook or a test.

Each step is the deck's recipe:

1. pick a batch :math:`B` (one sample, s samples or all of them);
2. :math:`z = \theta^T x`, :math:`\hat y = \mathrm{softmax}(z)` (here ``Z = X_B @ theta[1:] + theta[0]``);
3. :math:`L = -\frac1s \sum_u \log \hat y^{(u)}_{y^{(u)}}`;
4. :math:`\partial L/\partial z = \hat y - y` (one-hot y) and
   :math:`L'_\theta = \frac1s \tilde X_B^T (\hat Y_B - Y_B)`;
5. :math:`\theta \leftarrow \theta - \eta L'_\theta`.

Steps 2-4 are one call to :func:`softmax_lab.core.forward_backward` (one
forward pass).  Without an explicit batch, the batches follow exactly the
schedule of :func:`softmax_lab.fit` (same seed -> same updates): per epoch the
samples in dataset order (``shuffle=False``) or a fresh permutation
(``shuffle=True``), cut into consecutive batches of ``batch_size``.

>>> import numpy as np
>>> from softmax_lab.stepper import TrainingStepper
>>> theta = [[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]]   # the deck's theta
>>> X = [[1.5, 0.2], [1.4, 0.2], [1.6, 0.2]]
>>> st = TrainingStepper(X, [0, 0, 0], theta, lr=0.1)
>>> rec = st.step(indices=[1])            # the deck picks x = [1, 1.4, 0.2]
>>> print(np.array2string(rec.Z[0], precision=4))
[ 0.28 -0.05  0.02]
>>> print(np.array2string(rec.P[0], precision=5))   # slide, truncated: 0.4016 0.2887 0.3096
[0.40161 0.28873 0.30966]
>>> print(f"{rec.loss:.5f}")                        # slide, truncated: 0.9122
0.91227
>>> _ = st.back(); st.step_count
0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validation import as_labels, as_theta, as_X, check_lr, check_reg, check_shapes
from .core import forward_backward, one_hot
from .training import epoch_order

__all__ = ["StepRecord", "TrainingStepper"]


@dataclass(frozen=True)
class StepRecord:
    """Everything one update computed (arrays are private copies).

    Attributes
    ----------
    step : int
        1 for the first update.
    epoch : int or None
        0-based epoch of a scheduled step; None for a step with explicit indices.
    indices : ndarray of int, shape (s,)
        Rows of X used (the batch B).
    X, y, Y : the batch: ndarray (s, n_features), (s,), one-hot (s, n_classes).
    Z, P : ndarray of shape (s, n_classes)
        Logits and probabilities ŷ.
    loss : float
        Mean cross-entropy of the batch at ``theta_before`` (+ the L2 term).
    dZ : ndarray of shape (s, n_classes)
        Per-sample ∂L/∂z = ŷ − y.
    grad : ndarray of shape (n_features + 1, n_classes)
    theta_before, theta_after : ndarray of shape (n_features + 1, n_classes)
    lr, reg : float
        The values used for this update.
    train_loss : float
        Loss on the whole training set at ``theta_after`` (no L2 term).
    """

    step: int
    epoch: int | None
    indices: np.ndarray
    X: np.ndarray
    y: np.ndarray
    Y: np.ndarray
    Z: np.ndarray
    P: np.ndarray
    loss: float
    dZ: np.ndarray
    grad: np.ndarray
    theta_before: np.ndarray
    theta_after: np.ndarray
    lr: float
    reg: float
    train_loss: float
    _position: int = field(default=0, repr=False)  # scheduled batches consumed before it


class TrainingStepper:
    """Gradient descent on softmax regression, one inspectable update at a time.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        One sample per row, no column of ones.
    y : array-like of int, shape (n_samples,)
        0-based labels (subtract 1 from the slides' labels first).
    theta : array-like of shape (n_features + 1, n_classes)
        Starting θ (bias row first), e.g. ``sl.datasets.slide_theta(3)``; copied.
    lr : float, default=0.1
        Learning rate η (may be changed between steps: ``stepper.lr = 0.5``).
    batch_size : int or None, default=1
        1: stochastic; s: mini-batch of s samples; None or n_samples: full batch.
    shuffle : bool, default=False
        Visit the samples in a fresh random order every epoch (seeded).
    seed : int, numpy.random.Generator or None
        Randomness for ``shuffle``; the same seed gives the same steps as
        ``sl.fit(..., shuffle=True, seed=seed)``.
    reg : float, default=0.0
        L2 strength on the weight rows.
    order : sequence of int, optional
        Visit the rows in this order every epoch instead of 0..n-1, e.g.
        ``order=[0, 3, 6, 1, 4, 7, 2, 5, 8]`` with ``batch_size=3`` gives the
        deck's mini-batch (rows 1, 4, 7 on the slide) first.  Not with shuffle.

    Changing ``batch_size``, ``shuffle``, ``seed`` or ``order`` changes the
    schedule of batches, so it restarts from the initial θ (``reset()``);
    ``lr`` and ``reg`` apply from the next step on.
    """

    def __init__(self, X, y, theta, *, lr=0.1, batch_size=1, shuffle=False, seed=None,
                 reg=0.0, order=None):
        self.X = as_X(X)
        theta = np.array(as_theta(theta), dtype=float)
        check_shapes(theta, self.X)
        self.y = as_labels(y, self.X.shape[0], theta.shape[1])
        self.Y = one_hot(self.y, theta.shape[1])
        self.theta0 = theta
        self.theta0.setflags(write=False)
        self._lr = check_lr(lr)
        self._reg = check_reg(reg)
        self._batch_size = self._check_batch_size(batch_size)
        self._shuffle = bool(shuffle)
        self._seed = seed
        self._order = self._check_order(order)
        self.reset()

    # ------------------------------------------------------------------ setup
    @property
    def n_samples(self):
        return self.X.shape[0]

    @property
    def n_features(self):
        return self.X.shape[1]

    @property
    def n_classes(self):
        return self.theta0.shape[1]

    def _check_batch_size(self, batch_size):
        n = self.X.shape[0]
        if batch_size is None:
            return n
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(f"batch_size must be a whole number or None (full batch), got {batch_size!r}.")
        if not 1 <= batch_size <= n:
            raise ValueError(
                f"batch_size must be between 1 and n_samples={n} (or None for full batch), "
                f"got {batch_size}."
            )
        return int(batch_size)

    def _check_order(self, order):
        if order is None:
            return None
        if self._shuffle:
            raise ValueError("pass either order (a fixed visiting order) or shuffle=True, not both.")
        order = np.asarray(order)
        if order.ndim != 1 or order.size == 0 or not np.issubdtype(order.dtype, np.integer):
            raise ValueError(f"order must be a non-empty 1-D sequence of row indices, got {order!r}.")
        if order.min() < 0 or order.max() >= self.n_samples:
            raise ValueError(
                f"order holds row index {int(order.max()) if order.max() >= self.n_samples else int(order.min())}"
                f" but X has rows 0..{self.n_samples - 1}."
            )
        return order.astype(int)

    @property
    def mode(self):
        """"stochastic", "mini-batch" or "full batch" (from ``batch_size``)."""
        if self._batch_size == 1 and self.n_samples > 1:
            return "stochastic"
        if self._batch_size >= self._epoch_length():
            return "full batch"
        return "mini-batch"

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = check_lr(value)

    @property
    def reg(self):
        return self._reg

    @reg.setter
    def reg(self, value):
        self._reg = check_reg(value)

    @property
    def batch_size(self):
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        value = self._check_batch_size(value)
        if value != self._batch_size:
            self._batch_size = value
            self.reset()

    @property
    def shuffle(self):
        return self._shuffle

    @shuffle.setter
    def shuffle(self, value):
        value = bool(value)
        if value and self._order is not None:
            raise ValueError("this stepper has a fixed order; set stepper.order = None first.")
        if value != self._shuffle:
            self._shuffle = value
            self.reset()

    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, value):
        self._seed = value
        self.reset()

    @property
    def order(self):
        return None if self._order is None else self._order.copy()

    @order.setter
    def order(self, value):
        self._order = self._check_order(value)
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self):
        """Back to step 0: θ = the initial θ, empty history, schedule restarted."""
        self.theta = self.theta0.copy()
        self._records = []
        self._position = 0
        self._rng = np.random.default_rng(self._seed)
        self._epoch_orders = []
        return self

    @property
    def step_count(self):
        """Number of updates made so far (0 at the start)."""
        return len(self._records)

    @property
    def last(self):
        """The :class:`StepRecord` of the last update, or None at step 0."""
        return self._records[-1] if self._records else None

    @property
    def records(self):
        """All step records, oldest first (a copy of the list)."""
        return list(self._records)

    @property
    def loss_history(self):
        """Batch loss of every update so far (before the update, like ``fit``)."""
        return np.array([r.loss for r in self._records], dtype=float)

    @property
    def train_loss_history(self):
        """Loss on the whole training set after every update so far."""
        return np.array([r.train_loss for r in self._records], dtype=float)

    @property
    def theta_history(self):
        """θ at step 0, 1, …, step_count: array of shape (step_count + 1, d + 1, k)."""
        return np.array([self.theta0] + [r.theta_after for r in self._records])

    def train_loss(self, theta=None):
        """Mean cross-entropy on all samples at θ (default: the current θ)."""
        theta = self.theta if theta is None else theta
        return forward_backward(theta, self.X, self.y).loss

    # --------------------------------------------------------------- schedule
    def _epoch_length(self):
        return self.n_samples if self._order is None else self._order.size

    def _batches_per_epoch(self):
        return -(-self._epoch_length() // self._batch_size)

    def _epoch_order(self, epoch):
        while len(self._epoch_orders) <= epoch:
            if self._order is not None:
                order = self._order
            else:  # the same rule, and random numbers, as sl.fit
                order = epoch_order(self.n_samples, self._batch_size, self._shuffle, self._rng)
                if order is None:
                    order = np.arange(self.n_samples)
            self._epoch_orders.append(order)
        return self._epoch_orders[epoch]

    def _scheduled(self, position):
        per_epoch = self._batches_per_epoch()
        epoch, b = divmod(position, per_epoch)
        order = self._epoch_order(epoch)
        s = self._batch_size
        return epoch, order[b * s:(b + 1) * s].copy()

    def next_indices(self):
        """Rows the next scheduled ``step()`` will use (nothing is changed)."""
        return self._scheduled(self._position)[1]

    @property
    def epoch(self):
        """0-based epoch of the next scheduled step."""
        return self._position // self._batches_per_epoch()

    # ------------------------------------------------------------------ steps
    def step(self, indices=None):
        """Make one update and return its :class:`StepRecord`.

        Parameters
        ----------
        indices : int or sequence of int, optional
            Explicit batch (rows of X), e.g. ``[1]`` for the deck's stochastic
            example or ``[0, 3, 6]`` for its mini-batch.  Such a step does not
            advance the schedule.  Default: the next scheduled batch.
        """
        position = self._position
        if indices is None:
            epoch, idx = self._scheduled(position)
            self._position += 1
        else:
            epoch = None
            idx = np.atleast_1d(np.asarray(indices))
            if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
                raise ValueError(f"indices must be one row index or a non-empty list of them, got {indices!r}.")
            if idx.min() < -self.n_samples or idx.max() >= self.n_samples:
                raise ValueError(f"indices {idx.tolist()} out of range: X has rows 0..{self.n_samples - 1}.")
            idx = idx % self.n_samples
        Xb, yb = self.X[idx], self.y[idx]
        theta_before = self.theta
        fb = forward_backward(theta_before, Xb, yb, reg=self._reg)
        theta_after = theta_before - self._lr * fb.grad
        if not np.isfinite(theta_after).all():
            if indices is None:
                self._position = position
            raise FloatingPointError(
                f"the update at step {self.step_count + 1} made theta non-finite with lr={self._lr:g}; "
                f"the learning rate is far too large - try lr={self._lr / 10:g}."
            )
        theta_before = theta_before.copy()
        theta_before.setflags(write=False)
        theta_after.setflags(write=False)
        rec = StepRecord(
            step=self.step_count + 1, epoch=epoch, indices=idx, X=Xb, y=yb, Y=self.Y[idx],
            Z=fb.Z, P=fb.P, loss=float(fb.loss), dZ=fb.dZ, grad=fb.grad,
            theta_before=theta_before, theta_after=theta_after, lr=self._lr, reg=self._reg,
            train_loss=float(forward_backward(theta_after, self.X, self.y).loss),
            _position=position,
        )
        self._records.append(rec)
        self.theta = theta_after.copy()
        return rec

    def back(self):
        """Undo the last update exactly (θ, schedule, history); no-op at step 0.

        Returns the record of the step that is now the last one (None at step 0).
        """
        if self._records:
            rec = self._records.pop()
            self.theta = rec.theta_before.copy()
            self._position = rec._position
        return self.last

    def run(self, n_steps):
        """Make ``n_steps`` scheduled updates; return the last record."""
        if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 0:
            raise ValueError(f"n_steps must be a whole number >= 0, got {n_steps!r}.")
        for _ in range(int(n_steps)):
            self.step()
        return self.last

    def __repr__(self):
        return (
            f"TrainingStepper(n_samples={self.n_samples}, n_features={self.n_features}, "
            f"n_classes={self.n_classes}, mode={self.mode!r}, batch_size={self._batch_size}, "
            f"lr={self._lr:g}, step={self.step_count})"
        )
