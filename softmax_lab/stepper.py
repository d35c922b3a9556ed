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
3. :math:`L = -\frac1s \sum_{i \in B} \log \hat y^{(i)}_{y^{(i)}}`;
4. :math:`\partial L/\partial z = \hat y - y` (one-hot y) and
   :math:`L'_\theta = \frac1s \tilde X_B^T (\hat Y_B - Y_B)`;
5. :math:`\theta \leftarrow \theta - \eta L'_\theta`.

Each step is one call to the same update engine as :func:`softmax_lab.fit`
(``softmax_lab.training._update``, steps 2-5: the new θ is a new array, kept
only when finite, else :class:`~softmax_lab.DivergenceError` and nothing
changes), and returns the same record type, :class:`~softmax_lab.StepRecord`,
here with private read-only copies and the loss on the whole training set.
Without an explicit batch, the batches come from the same generator as
``fit``'s (step 1, :func:`softmax_lab.training.batch_schedule`), so the same
seed gives the same updates: per epoch the samples in dataset order
(``shuffle=False``) or a fresh permutation (``shuffle=True``), cut into
consecutive batches of ``batch_size``.  Row indices (``step(indices=...)``,
``order=...``) follow one rule, :func:`softmax_lab._validation.as_row_indices`:
whole numbers, ``-1`` is the last row.

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

import contextlib
import copy

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
)
from .core import StepRecord, _loss, one_hot
from .training import FitHistory, _batch_schedule, _update

__all__ = ["StepRecord", "TrainingStepper"]

# run(n_steps) refuses more than this by default: every step keeps a full record
# (about a minute and a few hundred MB at 100,000 steps on iris)
MAX_RUN_STEPS = 10_000


class TrainingStepper:
    """Gradient descent on softmax regression, one inspectable update at a time.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        One sample per row, no column of ones.  Copied (read-only): editing
        the caller's array later does not change the stepper.
    y : array-like of int, shape (n_samples,)
        0-based labels (subtract 1 from the slides' labels first); copied.
    theta : array-like of shape (n_features + 1, n_classes)
        Starting θ (bias row first), e.g. ``sl.datasets.slide_theta(3)``; copied.
    lr : float, default=0.1
        Learning rate η (may be changed between steps: ``stepper.lr = 0.5``).
    batch_size : int or None, default=1
        1: stochastic; s: mini-batch of s samples; None or n_samples: full batch.
    shuffle : bool, default=False
        Visit the samples in a fresh random order every epoch (seeded).
    seed : int >= 0, numpy.random.Generator or None
        Randomness for ``shuffle``; the same seed gives the same steps as
        ``sl.fit(..., shuffle=True, seed=seed)``.  A Generator's state is
        copied at construction: ``reset()`` replays the same schedule, and the
        caller's generator is never advanced.
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
        # private read-only copies: editing the caller's X or y later changes nothing here
        X = np.array(as_X(X), dtype=float)
        require_finite_X(X)   # the stepper is for lecture-sized data: scan it once, here
        theta = np.array(as_theta(theta), dtype=float)
        require_shapes(theta, X)
        y = np.array(as_labels(y, X.shape[0], theta.shape[1]))
        for a in (X, y, theta):
            a.setflags(write=False)
        self.X, self.y, self.theta0 = X, y, theta
        self.Y = one_hot(self.y, theta.shape[1])
        self.Y.setflags(write=False)
        self._lr = as_lr(lr)
        self._reg = as_reg(reg)
        self._batch_size = as_batch_size(batch_size, self.n_samples)
        self._shuffle = as_bool(shuffle, "shuffle")
        self._set_seed(seed)
        self._order = self._as_order(order)
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

    def _as_order(self, order):
        if order is None:
            return None
        if self._shuffle:
            raise ValueError("pass either order (a fixed visiting order) or shuffle=True, not both.")
        arr = as_row_indices(order, self.n_samples, "order")
        arr.setflags(write=False)
        return arr

    def _set_seed(self, seed):
        """Validate and store the seed; a Generator's state is saved now.

        ``reset()`` then replays exactly the same schedule from a private copy
        of the generator as it was when given (the caller's generator is never
        advanced by the stepper).
        """
        seed = as_seed(seed)
        self._seed = seed
        self._seed_state = copy.deepcopy(seed) if isinstance(
            seed, (np.random.Generator, np.random.BitGenerator)) else seed

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
        self._lr = as_lr(value)

    @property
    def reg(self):
        return self._reg

    @reg.setter
    def reg(self, value):
        self._reg = as_reg(value)

    @property
    def batch_size(self):
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        value = as_batch_size(value, self.n_samples)
        if value != self._batch_size:
            self._batch_size = value
            self.reset()

    @property
    def shuffle(self):
        return self._shuffle

    @shuffle.setter
    def shuffle(self, value):
        value = as_bool(value, "shuffle")
        if value and self._order is not None:
            raise ValueError("this stepper has a fixed order; set stepper.order = None first.")
        if value != self._shuffle:
            self._shuffle = value
            self.reset()

    @property
    def seed(self):
        """The seed as given (an int, a Generator or None); setting it restarts."""
        return self._seed

    @seed.setter
    def seed(self, value):
        self._set_seed(value)   # validated first: a bad seed leaves the stepper as it was
        self.reset()

    @property
    def order(self):
        return None if self._order is None else self._order.copy()

    @order.setter
    def order(self, value):
        self._order = self._as_order(value)
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self):
        """Back to step 0: θ = the initial θ, empty history, schedule restarted.

        The schedule restarts from the seed as given at construction (for a
        Generator: from its state then), so it replays the same batches.
        """
        self.theta = self.theta0.copy()
        self._records = []
        self._position = 0
        rng = np.random.default_rng(copy.deepcopy(self._seed_state))
        self._schedule = _batch_schedule(self.n_samples, self._batch_size, self._shuffle, rng,
                                         order=self._order)
        self._batches = []
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
    def history(self):
        """The updates so far as a :class:`~softmax_lab.FitHistory`, the class ``fit`` returns.

        ``.loss``: batch loss before each update; ``.thetas``: θ after each
        update; ``.epoch``: the epoch of each update (for a step with explicit
        indices, the epoch the schedule was in).
        """
        recs = self._records
        per_epoch = self._batches_per_epoch()
        return FitHistory(
            loss=np.array([r.loss for r in recs], dtype=float),
            epoch=np.array([r._position // per_epoch if r.epoch is None else r.epoch for r in recs],
                           dtype=int),
            batch_size=self._batch_size,
            n_samples=self._epoch_length(),
            thetas=[r.theta_after for r in recs],
        )

    @property
    def train_loss_history(self):
        """Loss on the whole training set after every update so far."""
        return np.array([r.train_loss for r in self._records], dtype=float)

    def train_loss(self, theta=None):
        """Mean cross-entropy on all samples at θ (default: the current θ).

        ``inf`` if θ is so large that the loss overflows (not an error: the
        stepper shows what happened).
        """
        theta = self.theta if theta is None else np.asarray(as_theta(theta))
        if theta.shape != self.theta0.shape:
            raise ValueError(f"theta must have shape {self.theta0.shape}, got {theta.shape}.")
        return self._train_loss(theta)

    def _train_loss(self, theta):
        with np.errstate(over="ignore", invalid="ignore"):
            loss = _loss(self.X @ theta[1:] + theta[0], self.y)   # L over all m samples
        return loss if np.isfinite(loss) else float("inf")

    # --------------------------------------------------------------- schedule
    def _epoch_length(self):
        return self.n_samples if self._order is None else self._order.size

    def _batches_per_epoch(self):
        return -(-self._epoch_length() // self._batch_size)

    def _scheduled(self, position):
        while len(self._batches) <= position:  # the same generator as fit's schedule
            epoch, rows = next(self._schedule)
            if isinstance(rows, slice):
                rows = np.arange(rows.start, rows.stop)
            rows = np.array(rows, dtype=np.intp)
            rows.setflags(write=False)
            self._batches.append((epoch, rows))
        epoch, rows = self._batches[position]
        return epoch, rows.copy()

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

        Raises
        ------
        DivergenceError
            If the loss or the new θ is not finite (the learning rate is far
            too large); nothing changes, as in ``fit``.
        """
        position = self._position
        if indices is None:                                   # 1. pick the next scheduled batch
            epoch, idx = self._scheduled(position)
        else:                                                 #    ... or the one asked for
            epoch, idx = None, as_row_indices(indices, self.n_samples, "indices")
        done = _update(self.theta, self.X[idx], self.y[idx], self._lr, self._reg,   # 2-5
                       number=self.step_count + 1, epoch=epoch)
        arrays = dict(indices=idx, X=done.X, y=done.y, Z=done.Z, P=done.P, dZ=done.dZ,
                      grad=done.grad, theta_before=self.theta.copy(), theta_after=done.theta_after)
        for a in arrays.values():
            a.setflags(write=False)
        rec = StepRecord(
            loss=done.loss, lr=self._lr, reg=self._reg, step=done.step, epoch=epoch,
            train_loss=self._train_loss(done.theta_after), _position=position, **arrays,
        )
        self._records.append(rec)
        if indices is None:
            self._position = position + 1
        self.theta = done.theta_after.copy()
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

    @contextlib.contextmanager
    def preview(self, direction):
        """Show the state one update ahead (``"next"``) or behind (``"back"``), then put it back.

        Inside the ``with`` block the stepper is at step ``step_count ± 1``
        (``"next"`` makes the next step, with ``indices`` as ``step`` takes
        them via ``direction=("next", indices)``); on leaving it the records,
        θ and the schedule position are restored exactly, so what a later
        ``step()`` / ``back()`` does is unchanged.  Yields True if the
        stepper moved, False if there is nothing to preview (``"back"`` at
        step 0, or a ``"next"`` that diverges or has a bad pick).  The widget
        uses it to send the frames of the neighbouring steps before they are
        asked for.

        >>> st = TrainingStepper([[0.0], [1.0]], [0, 1], [[0.0, 0.0], [0.0, 0.0]], lr=0.5)
        >>> with st.preview("next") as moved:
        ...     moved, st.step_count
        (True, 1)
        >>> st.step_count
        0
        >>> with st.preview("back") as moved:
        ...     moved
        False
        """
        name, indices = direction if isinstance(direction, tuple) else (direction, None)
        if name not in ("next", "back"):
            raise ValueError(f'preview takes "next" or "back", got {name!r}.')
        saved = (list(self._records), self._position, self.theta.copy())
        try:
            if name == "back":
                moved = bool(self._records)
                self.back()
            else:
                try:
                    self.step(indices)
                    moved = True
                except (ValueError, FloatingPointError):   # DivergenceError, a bad pick: nothing to show
                    moved = False
            yield moved
        finally:
            self._records[:] = saved[0]
            self._position = saved[1]
            self.theta = saved[2]

    def run(self, n_steps, *, max_steps=MAX_RUN_STEPS):
        """Make ``n_steps`` scheduled updates; return the last record.

        Every step keeps a full record (for ``back()`` and the history), so
        more than ``max_steps`` (default 10,000) are refused up front; pass a
        larger ``max_steps`` (or None) to run longer on purpose, or use
        :func:`softmax_lab.fit` for long runs.
        """
        max_steps = as_int(max_steps, "max_steps", minimum=1, allow_none=True,
                           example="max_steps=100_000 or max_steps=None")
        n_steps = as_int(n_steps, "n_steps", minimum=0, example="run(10)")
        if max_steps is not None and n_steps > max_steps:
            raise ValueError(
                f"run({count(n_steps)}) asks for more than max_steps={max_steps:,} steps; every step "
                f"keeps a full record, so that would take very long and much memory. Run fewer "
                f"steps, pass max_steps={n_steps} (or None) to do it on purpose, or train with "
                f"sl.fit(...) instead."
            )
        for _ in range(n_steps):
            self.step()
        return self.last

    def __repr__(self):
        return (
            f"TrainingStepper(n_samples={self.n_samples}, n_features={self.n_features}, "
            f"n_classes={self.n_classes}, mode={self.mode!r}, batch_size={self._batch_size}, "
            f"lr={self._lr:g}, step={self.step_count})"
        )
