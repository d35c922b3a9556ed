"""The mistakes students make, written as functions and as notebook answers.

Two batteries live here.

1. ``BATTERY`` / ``HANGS`` (functions): shared by the homework tests (do the
   visible tests name the mistake?) and the self-check tests (does
   ``softmax_lab.checks`` give the right hint?). Each function has the signature
   of the homework task it gets wrong:

   * ``softmax_*`` / ``log_softmax_*``: ``(Z)``
   * ``loss_*`` and ``grad_*``: ``(theta, X, y)``
   * ``minibatches_*``: ``(n_samples, batch_size, rng)``
   * ``sgd_step_*``: ``(theta, X, y, lr)``

   They are written as students write them (numpy, plus the small correct
   helpers at the top of this file, never ``softmax_lab``'s reference functions,
   which the checks make unavailable), so each one holds exactly one mistake.
   ``BATTERY`` lists them with the check that runs them and the key of the hint
   it must get (``CheckResult.hint_key``).

2. ``STUDENT_ANSWERS`` (notebook cell sources), the per-assignment battery that
   tests/test_homework.py runs in-process (self-check and test cells, as the
   notebooks run them) and tests/test_grading.py runs through real nbgrader::

       STUDENT_ANSWERS = {
           "01_stable_softmax": {            # assignment id: the notebook's name without .ipynb
               "softmax": [                  # grade_id of the SOLUTION cell the source replaces
                   (source, expected),       # source: the whole cell, as a student would type it
                   (source, expected, words),
               ],
               ...
           },
           ...
       }

   * ``expected`` is ``"full"`` (an unusual but correct answer: every test cell
     of the notebook passes) or an ``int``: the points that the test cells of
     THIS task give (the test cells under the same "## Task N" heading; for
     HW5's "choose_and_plot" cell, both functions). Every other task keeps the
     model solution and must keep its full points: a mistake costs points in
     its own task only.
   * ``words`` (optional, a str): a phrase the message of the FIRST failing
     assert of the task contains (case-insensitive), so that the hint is true.
   * Written answers (nbgrader "task" cells) are graded by hand and not part
     of the battery. A submission is the student notebook
     (homework/student/NAME.ipynb) with that one cell's source replaced.
   * ``answers_total()`` counts (wrong, unusual-correct) per assignment.
   * The sources are in tests/student_answers.py (importable as data:
     ``from student_answers import STUDENT_ANSWERS`` with tests/ on sys.path).
"""

import importlib
import sys
import time
from fractions import Fraction

import numpy as np


class _RightParts:
    """The parts each mistake gets right, written with numpy as a student would.

    (The checks and the graded tests make softmax_lab's reference functions
    unavailable while a student's function runs, so a mistake here must not lean
    on them: it would be reported for that instead of for its one mistake.)
    """

    @staticmethod
    def softmax(Z):
        Z = np.asarray(Z, dtype=float)
        E = np.exp(Z - Z.max(axis=-1, keepdims=True))
        return E / E.sum(axis=-1, keepdims=True)

    @staticmethod
    def log_softmax(Z):
        Z = np.asarray(Z, dtype=float)
        S = Z - Z.max(axis=-1, keepdims=True)
        return S - np.log(np.exp(S).sum(axis=-1, keepdims=True))

    @staticmethod
    def logits(theta, X):
        return np.asarray(X, dtype=float) @ theta[1:] + theta[0]

    def predict_proba(self, theta, X):
        return self.softmax(self.logits(theta, X))

    @staticmethod
    def one_hot(y, n_classes):
        Y = np.zeros((len(y), n_classes))
        Y[np.arange(len(y)), y] = 1.0
        return Y

    def cross_entropy(self, theta, X, y):
        return float(-self.log_softmax(self.logits(theta, X))[np.arange(len(y)), y].mean())

    def gradient(self, theta, X, y):
        dZ = self.predict_proba(theta, X) - self.one_hot(y, theta.shape[1])
        return np.vstack([dZ.sum(axis=0), X.T @ dZ]) / X.shape[0]


sl = _RightParts()
real_sl = importlib.import_module("softmax_lab")   # HW3's sgd_step may use softmax_lab


def _norm(E, axis=-1):
    return E / E.sum(axis=axis, keepdims=True)


def _lse(S, axis=-1):
    """S - log(sum(exp(S))) with no shift of its own."""
    return S - np.log(np.exp(S).sum(axis=axis, keepdims=True))


def _backward(X, dZ):
    """Gradient of the mean loss for a per-sample dL/dz, bias row first (right)."""
    return np.vstack([dZ.sum(axis=0), X.T @ dZ]) / X.shape[0]


# ---------------------------------------------------------------- softmax
def softmax_no_shift(Z):
    return _norm(np.exp(np.asarray(Z, dtype=float)))


def softmax_global_max(Z):
    Z = np.asarray(Z, dtype=float)
    return _norm(np.exp(Z - Z.max()))


def softmax_row_min(Z):
    Z = np.asarray(Z, dtype=float)
    return _norm(np.exp(Z - Z.min(axis=-1, keepdims=True)))


def softmax_no_keepdims(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=-1))
    return E / E.sum(axis=-1)


def softmax_wrong_axis(Z):
    Z = np.asarray(Z, dtype=float)
    return _norm(np.exp(Z - Z.max(axis=0, keepdims=True)), axis=0)


def softmax_whole_sum(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max())
    return E / E.sum()


def softmax_clipped_logits(Z):
    Z = np.clip(np.asarray(Z, dtype=float), -500, 500)   # "so that exp cannot overflow"
    return _norm(np.exp(Z))


def softmax_in_place(Z):
    Z -= Z.max(axis=-1, keepdims=True)
    return _norm(np.exp(Z))


def softmax_no_return(Z):
    sl.softmax(Z)


def softmax_complex(Z):
    Z = np.asarray(Z, dtype=complex)          # e.g. after np.emath.log somewhere
    E = np.exp(Z - Z.real.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def softmax_fractions(Z):
    return np.array([[Fraction(float(p)) for p in row]
                     for row in np.atleast_2d(sl.softmax(Z))]).reshape(np.shape(Z))


def softmax_loops_forever(Z):
    i = 0
    while i < 10:          # i is never increased
        pass
    return sl.softmax(Z)


def softmax_calls_exit(Z):
    sys.exit("done")


def softmax_interrupted(Z):
    raise KeyboardInterrupt


def softmax_broken(Z):
    return Z.nonexistent_attribute


# ---------------------------------------------------------------- log-softmax
def log_softmax_via_log(Z):
    return np.log(sl.softmax(Z))


def log_softmax_eps(Z):
    return np.log(sl.softmax(Z) + 1e-12)


def log_softmax_clipped_probabilities(Z):
    return np.log(np.clip(sl.softmax(Z), 1e-15, 1.0))


def log_softmax_no_shift(Z):
    return _lse(np.asarray(Z, dtype=float))


def log_softmax_global_max(Z):
    Z = np.asarray(Z, dtype=float)
    return _lse(Z - Z.max())


def log_softmax_sign_flipped(Z):
    Z = np.asarray(Z, dtype=float)
    m = Z.max(axis=-1, keepdims=True)
    return np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)) - (Z - m)


def log_softmax_shift_not_added_back(Z):
    Z = np.asarray(Z, dtype=float)
    m = Z.max(axis=-1, keepdims=True)
    return Z - np.log(np.exp(Z - m).sum(axis=-1, keepdims=True))


def log_softmax_row_min(Z):
    Z = np.asarray(Z, dtype=float)
    return _lse(Z - Z.min(axis=-1, keepdims=True))


def log_softmax_clipped_logits(Z):
    return sl.log_softmax(np.clip(np.asarray(Z, dtype=float), -500, 500))


def log_softmax_only_shift(Z):
    Z = np.asarray(Z, dtype=float)
    return Z - Z.max(axis=-1, keepdims=True)


def log_softmax_returns_probabilities(Z):
    return sl.softmax(Z)


# ---------------------------------------------------------------- loss
def _true_class(A, y):
    return A[np.arange(len(y)), y]


def loss_sum(theta, X, y):
    return -_true_class(sl.log_softmax(sl.logits(theta, X)), y).sum()


def loss_one_based(theta, X, y):
    return -sl.log_softmax(sl.logits(theta, X))[np.arange(len(y)), y - 1].mean()


def loss_log_of_softmax(theta, X, y):
    return -np.log(_true_class(sl.softmax(sl.logits(theta, X)), y)).mean()


def loss_log_softmax_eps(theta, X, y):
    return -np.log(_true_class(sl.softmax(sl.logits(theta, X)), y) + 1e-12).mean()


def loss_clipped_logits(theta, X, y):
    Z = np.clip(sl.logits(theta, X), -500, 500)
    return -_true_class(sl.log_softmax(Z), y).mean()


def loss_no_bias(theta, X, y):
    return -_true_class(sl.log_softmax(X @ theta[1:]), y).mean()


def loss_bias_row_last(theta, X, y):
    return -_true_class(sl.log_softmax(X @ theta[:-1] + theta[-1]), y).mean()


def loss_sign(theta, X, y):
    return _true_class(sl.log_softmax(sl.logits(theta, X)), y).mean()


def loss_all_classes(theta, X, y):
    return -sl.log_softmax(sl.logits(theta, X)).sum(axis=1).mean()


def loss_per_sample(theta, X, y):
    return -_true_class(sl.log_softmax(sl.logits(theta, X)), y)


def loss_complex(theta, X, y):
    return complex(sl.cross_entropy(theta, X, y), 0.0)


# ---------------------------------------------------------------- gradient
def grad_transposed(theta, X, y):
    return sl.gradient(theta, X, y).T


def grad_missing_1_over_n(theta, X, y):
    return sl.gradient(theta, X, y) * X.shape[0]


def grad_no_bias_row(theta, X, y):
    return sl.gradient(theta, X, y)[1:]


def grad_zero_bias_row(theta, X, y):
    g = sl.gradient(theta, X, y)
    g[0] = 0.0
    return g


def grad_sign(theta, X, y):
    return -sl.gradient(theta, X, y)


def grad_one_based(theta, X, y):
    P = sl.predict_proba(theta, X)
    Y = np.zeros_like(P)
    Y[np.arange(len(y)), y - 1] = 1.0
    return _backward(X, P - Y)


def grad_bias_row_last(theta, X, y):
    dZ = sl.predict_proba(theta, X) - sl.one_hot(y, theta.shape[1])
    return np.vstack([X.T @ dZ, dZ.sum(axis=0)]) / X.shape[0]


def grad_bias_last_throughout(theta, X, y):
    dZ = sl.softmax(X @ theta[:-1] + theta[-1]) - sl.one_hot(y, theta.shape[1])
    return np.vstack([X.T @ dZ, dZ.sum(axis=0)]) / X.shape[0]


def grad_forgot_Y(theta, X, y):
    return _backward(X, sl.predict_proba(theta, X))


def grad_subtracted_labels(theta, X, y):
    return _backward(X, sl.predict_proba(theta, X) - y[:, None])


def grad_logits_not_probabilities(theta, X, y):
    return _backward(X, sl.logits(theta, X) - sl.one_hot(y, theta.shape[1]))


def grad_no_bias_forward(theta, X, y):
    dZ = sl.softmax(X @ theta[1:]) - sl.one_hot(y, theta.shape[1])
    return _backward(X, dZ)


def grad_complex(theta, X, y):
    return sl.gradient(theta, X, y) + 0j


def grad_sleeps(theta, X, y):
    time.sleep(60)
    return sl.gradient(theta, X, y)


# ---------------------------------------------------------------- mini-batches
def minibatches_drop_last(n, s, rng):
    order = rng.permutation(n)
    return [order[i:i + s] for i in range(0, n - s + 1, s)]


def minibatches_global_rng(n, s, rng):
    order = np.random.permutation(n)  # the mistake under test: global state
    return [order[i:i + s] for i in range(0, n, s)]


def minibatches_in_order(n, s, rng):
    return [np.arange(n)[i:i + s] for i in range(0, n, s)]


def minibatches_with_replacement(n, s, rng):
    order = rng.integers(0, n, size=n)
    return [order[i:i + s] for i in range(0, n, s)]


def minibatches_reseeded(n, s, rng):
    order = np.random.default_rng(0).permutation(n)   # a fresh seed every epoch
    return [order[i:i + s] for i in range(0, n, s)]


def minibatches_float_indices(n, s, rng):
    order = rng.permutation(n).astype(float)
    return [order[i:i + s] for i in range(0, n, s)]


def minibatches_endless_generator(n, s, rng):
    order = rng.permutation(n)
    i = 0
    while True:            # forgot to stop at n
        yield order[i % n:i % n + s]
        i += s


# ---------------------------------------------------------------- one SGD step
def sgd_step_in_place(theta, X, y, lr):
    theta -= lr * real_sl.gradient(theta, X, y)
    return theta


def sgd_step_uphill(theta, X, y, lr):
    return theta + lr * real_sl.gradient(theta, X, y)


def sgd_step_one_based(theta, X, y, lr):
    return theta - lr * grad_one_based(theta, X, y)


def sgd_step_labels_shifted(theta, X, y, lr):
    y = y - 1                     # "the slides number classes from 1"
    return theta - lr * real_sl.gradient(theta, X, y)


def sgd_step_no_lr(theta, X, y, lr):
    return theta - real_sl.gradient(theta, X, y)


def sgd_step_sum_not_mean(theta, X, y, lr):
    return theta - lr * X.shape[0] * real_sl.gradient(theta, X, y)


def sgd_step_returns_gradient(theta, X, y, lr):
    return real_sl.gradient(theta, X, y)


def sgd_step_bias_row_last(theta, X, y, lr):
    return theta - lr * grad_bias_row_last(theta, X, y)


def sgd_step_forgot_Y(theta, X, y, lr):
    return theta - lr * grad_forgot_Y(theta, X, y)


# ---------------------------------------------------------------- more of each kind
def softmax_not_normalised(Z):
    Z = np.asarray(Z, dtype=float)
    return np.exp(Z - Z.max(axis=-1, keepdims=True))


def log_softmax_whole_sum(Z):
    Z = np.asarray(Z, dtype=float)
    return Z - np.log(np.exp(Z).sum())


def loss_mean_over_classes(theta, X, y):
    return loss_sum(theta, X, y) / (X.shape[0] * theta.shape[1])


def loss_mean_of_all_entries(theta, X, y):
    return -sl.log_softmax(sl.logits(theta, X)).mean()


def grad_mean_over_classes(theta, X, y):
    return sl.gradient(theta, X, y) / theta.shape[1]


def grad_per_sample(theta, X, y):
    return sl.predict_proba(theta, X) - sl.one_hot(y, theta.shape[1])


def grad_transposed_no_bias_row(theta, X, y):
    return sl.gradient(theta, X, y)[1:].T


def grad_bias_row_summed(theta, X, y):
    g = sl.gradient(theta, X, y)
    g[0] *= X.shape[0]          # the bias row is a sum, the weight rows a mean
    return g


def grad_weight_rows_summed(theta, X, y):
    g = sl.gradient(theta, X, y)
    g[1:] *= X.shape[0]         # the weight rows are a sum, the bias row a mean
    return g


def grad_weight_rows_squared_x(theta, X, y):
    dZ = sl.predict_proba(theta, X) - sl.one_hot(y, theta.shape[1])
    return np.vstack([dZ.sum(axis=0), (X ** 2).T @ dZ]) / X.shape[0]


def minibatches_remainder_merged(n, s, rng):
    order = rng.permutation(n)
    cuts = list(range(0, n - n % s, s))
    return [order[i:i + s] if i + s < cuts[-1] + 1 else order[i:] for i in cuts]


def sgd_step_returns_step(theta, X, y, lr):
    return lr * real_sl.gradient(theta, X, y)


# ---------------------------------------------------------------- the battery
#: (check name, wrong function, the hint key it must get, other hint keys that
#: are also true for its output). Any other hint key is a false hint.
BATTERY = [
    ("check_softmax", softmax_no_shift, "no-max-shift", ()),
    ("check_softmax", softmax_global_max, "global-max", ()),
    ("check_softmax", softmax_row_min, "row-min", ()),
    ("check_softmax", softmax_no_keepdims, "keepdims", ()),
    ("check_softmax", softmax_wrong_axis, "wrong-axis", ()),
    ("check_softmax", softmax_whole_sum, "whole-sum", ()),
    ("check_softmax", softmax_clipped_logits, "clipped-logits", ()),
    ("check_softmax", softmax_in_place, "in-place", ()),
    ("check_softmax", softmax_no_return, "returned-none", ()),
    ("check_softmax", softmax_complex, "complex", ()),
    ("check_softmax", softmax_fractions, "object", ()),
    ("check_softmax", softmax_calls_exit, "system-exit", ()),
    ("check_softmax", softmax_interrupted, "interrupted", ()),
    ("check_softmax", softmax_broken, "raised", ()),
    ("check_log_softmax", log_softmax_via_log, "log-of-softmax", ()),
    ("check_log_softmax", log_softmax_eps, "log-softmax-eps", ()),
    ("check_log_softmax", log_softmax_clipped_probabilities, "log-softmax-eps", ()),
    ("check_log_softmax", log_softmax_no_shift, "no-max-shift", ()),
    ("check_log_softmax", log_softmax_global_max, "global-max", ()),
    ("check_log_softmax", log_softmax_sign_flipped, "sign-flipped", ()),
    ("check_log_softmax", log_softmax_shift_not_added_back, "shift-not-added-back", ()),
    ("check_log_softmax", log_softmax_row_min, "row-min", ("no-max-shift",)),
    ("check_log_softmax", log_softmax_clipped_logits, "clipped-logits", ()),
    ("check_log_softmax", log_softmax_only_shift, "no-log-sum-exp", ()),
    ("check_log_softmax", log_softmax_returns_probabilities, "returned-probabilities", ()),
    ("check_loss", loss_sum, "missing-1/m", ()),
    ("check_loss", loss_one_based, "labels-shifted", ()),
    ("check_loss", loss_log_of_softmax, "non-finite", ()),
    ("check_loss", loss_log_softmax_eps, "log-softmax-eps", ()),
    ("check_loss", loss_clipped_logits, "clipped-logits", ()),
    ("check_loss", loss_no_bias, "no-bias", ()),
    ("check_loss", loss_bias_row_last, "bias-row-last", ()),
    ("check_loss", loss_sign, "sign", ()),
    ("check_loss", loss_all_classes, "all-classes", ()),
    ("check_loss", loss_per_sample, "per-sample", ()),
    ("check_loss", loss_complex, "complex", ()),
    ("check_gradient", grad_transposed, "transposed", ()),
    ("check_gradient", grad_missing_1_over_n, "missing-1/m", ()),
    ("check_gradient", grad_no_bias_row, "no-bias-row", ()),
    ("check_gradient", grad_zero_bias_row, "zero-bias-row", ()),
    ("check_gradient", grad_sign, "sign", ()),
    ("check_gradient", grad_one_based, "labels-shifted", ()),
    ("check_gradient", grad_bias_row_last, "bias-row-last", ()),
    ("check_gradient", grad_bias_last_throughout, "bias-row-last", ()),
    ("check_gradient", grad_forgot_Y, "forgot-Y", ()),
    ("check_gradient", grad_subtracted_labels, "subtracted-labels", ()),
    ("check_gradient", grad_logits_not_probabilities, "logits-not-probabilities", ()),
    ("check_gradient", grad_no_bias_forward, "no-bias", ()),
    ("check_gradient", grad_complex, "complex", ()),
    ("check_minibatches", minibatches_drop_last, "dropped-last", ("sizes", "big-batch")),
    ("check_minibatches", minibatches_global_rng, "global-rng", ()),
    ("check_minibatches", minibatches_in_order, "not-shuffled", ("same-order",)),
    ("check_minibatches", minibatches_with_replacement, "with-replacement", ()),
    ("check_minibatches", minibatches_reseeded, "same-order", ()),
    ("check_minibatches", minibatches_float_indices, "batch-dtype", ()),
    ("check_sgd_step", sgd_step_in_place, "in-place", ()),
    ("check_sgd_step", sgd_step_uphill, "uphill", ()),
    ("check_sgd_step", sgd_step_one_based, "labels-shifted", ()),
    ("check_sgd_step", sgd_step_labels_shifted, "labels-shifted", ()),
    ("check_sgd_step", sgd_step_no_lr, "no-lr", ()),
    ("check_sgd_step", sgd_step_sum_not_mean, "missing-1/m", ()),
    ("check_sgd_step", sgd_step_returns_gradient, "returned-gradient", ()),
    ("check_sgd_step", sgd_step_bias_row_last, "bias-row-last", ()),
    ("check_sgd_step", sgd_step_forgot_Y, "forgot-Y", ()),
    ("check_softmax", softmax_not_normalised, "rows-sum", ()),
    ("check_log_softmax", log_softmax_whole_sum, "whole-sum", ("no-max-shift",)),
    ("check_loss", loss_mean_over_classes, "mean-over-classes", ()),
    ("check_loss", loss_mean_of_all_entries, "all-classes", ()),
    ("check_gradient", grad_mean_over_classes, "mean-over-classes", ()),
    ("check_gradient", grad_per_sample, "per-sample", ()),
    ("check_gradient", grad_transposed_no_bias_row, "transposed", ()),
    ("check_gradient", grad_bias_row_summed, "bias-row", ()),
    ("check_gradient", grad_weight_rows_summed, "missing-1/m", ()),
    ("check_gradient", grad_weight_rows_squared_x, "weight-rows", ()),
    ("check_minibatches", minibatches_remainder_merged, "sizes", ("big-batch",)),
    ("check_sgd_step", sgd_step_returns_step, "returned-step", ()),
    ("check_minibatches", minibatches_endless_generator, "endless", ()),
]

#: Functions that never return, with the check that runs them.
HANGS = [
    ("check_softmax", softmax_loops_forever),
    ("check_gradient", grad_sleeps),
]


# ---------------------------------------------------------------- the per-assignment battery
#: See the module docstring for the format; the sources live in tests/student_answers.py.
from student_answers import STUDENT_ANSWERS  # noqa: E402


def answers_total():
    """{assignment: (n wrong, n unusual-correct)} of STUDENT_ANSWERS."""
    return {aid: (sum(e[1] != "full" for answers in tasks.values() for e in answers),
                  sum(e[1] == "full" for answers in tasks.values() for e in answers))
            for aid, tasks in STUDENT_ANSWERS.items()}
