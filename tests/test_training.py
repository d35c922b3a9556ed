"""softmax_lab.training.fit: batch / mini-batch / stochastic, history, seeds, divergence.

Reference behaviour is rebuilt here from ``sl.gradient`` / ``sl.cross_entropy``
(plain gradient-descent steps in a known order), never copied from fit's output.
"""

import math
import re
import warnings

import numpy as np
import pytest

import softmax_lab as sl
from softmax_lab import datasets
from softmax_lab import training
from softmax_lab.slides import how_printed


def toy(n_samples=9, n_features=2, n_classes=3, seed=0, spread=3.0):
    """Well separated blobs, every class present, labels 0..n_classes-1."""
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % n_classes
    centres = rng.normal(scale=spread, size=(n_classes, n_features))
    X = centres[y] + rng.normal(scale=0.3, size=(n_samples, n_features))
    return X, y


def manual_gd(theta, X, y, lr, epochs, batch_size, reg=0.0):
    """Gradient descent in dataset order, batches of `batch_size` (last one shorter)."""
    theta = np.array(theta, dtype=float)
    losses = []
    n = X.shape[0]
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            rows = slice(start, start + batch_size)
            losses.append(sl.cross_entropy(theta, X[rows], y[rows], reg=reg))
            theta = theta - lr * sl.gradient(theta, X[rows], y[rows], reg=reg)
    return theta, np.array(losses)


# ---------------------------------------------------------------------------
# number of updates, history layout
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("n_samples, batch_size, epochs", [
    (9, None, 4),   # full batch: one update per epoch
    (9, 1, 3),      # stochastic: n updates per epoch
    (9, 3, 2),      # mini-batch dividing n
    (7, 3, 5),      # mini-batch not dividing n: ceil(7 / 3) = 3 per epoch
    (7, 7, 2),      # batch_size = n_samples is full batch
])
def test_number_of_updates(n_samples, batch_size, epochs):
    X, y = toy(n_samples)
    res = sl.fit(X, y, lr=0.05, epochs=epochs, batch_size=batch_size, seed=0)
    per_epoch = 1 if batch_size is None else math.ceil(n_samples / batch_size)
    n_updates = epochs * per_epoch
    assert res.history.n_updates == n_updates
    assert len(res.history.loss) == n_updates
    assert isinstance(res.history.loss, np.ndarray)
    np.testing.assert_array_equal(res.history.epoch, np.repeat(np.arange(epochs), per_epoch))
    assert len(res.history.epoch_loss) == epochs
    assert res.diverged is False


def test_epoch_loss_is_mean_of_batch_losses():
    X, y = toy(9)
    res = sl.fit(X, y, lr=0.05, epochs=3, batch_size=3, shuffle=True, seed=1)
    loss = np.asarray(res.history.loss)
    epoch = np.asarray(res.history.epoch)
    for e in range(3):
        assert res.history.epoch_loss[e] == pytest.approx(loss[epoch == e].mean(), rel=1e-12)


@pytest.mark.parametrize("batch_size", [1, 2, 3, 4, None])  # 3: batches of 3, 3, 2
def test_shuffle_false_follows_dataset_order(batch_size):
    X, y = toy(8, seed=3)
    theta0 = np.random.default_rng(9).normal(scale=0.1, size=(3, 3))
    res = sl.fit(X, y, theta=theta0, lr=0.2, epochs=3, batch_size=batch_size,
                 shuffle=False, reg=0.01)
    theta_ref, loss_ref = manual_gd(theta0, X, y, lr=0.2, epochs=3,
                                    batch_size=batch_size or 8, reg=0.01)
    np.testing.assert_allclose(res.theta, theta_ref, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(res.history.loss, loss_ref, rtol=1e-10, atol=1e-13)


def test_full_batch_does_not_depend_on_shuffle():
    X, y = toy(9)
    a = sl.fit(X, y, lr=0.1, epochs=5, batch_size=None, shuffle=False)
    b = sl.fit(X, y, lr=0.1, epochs=5, batch_size=None, shuffle=True, seed=4)
    np.testing.assert_allclose(a.theta, b.theta, rtol=1e-10, atol=1e-13)
    c = sl.fit(X, y, lr=0.1, epochs=5, batch_size=9, shuffle=False)
    np.testing.assert_allclose(a.theta, c.theta, rtol=1e-12, atol=1e-14)


def test_keep_theta_records_every_update():
    X, y = toy(6)
    res = sl.fit(X, y, lr=0.1, epochs=2, batch_size=2, shuffle=False, keep_theta=True)
    thetas = res.history.thetas
    assert len(thetas) == res.history.n_updates == 6
    np.testing.assert_array_equal(thetas[-1], res.theta)
    # thetas[0] is theta AFTER the first update (from zeros, first batch rows 0, 1)
    first = -0.1 * sl.gradient(np.zeros((3, 3)), X[:2], y[:2])
    np.testing.assert_allclose(thetas[0], first, rtol=1e-12, atol=1e-15)
    # the recorded thetas are copies, not one array mutated in place
    assert not all(np.array_equal(thetas[0], t) for t in thetas[1:])


def test_shuffled_epochs_visit_every_sample_once():
    # stochastic steps with keep_theta: identify which sample each step used
    X, y = toy(6, seed=5)
    lr = 0.3
    res = sl.fit(X, y, lr=lr, epochs=4, batch_size=1, shuffle=True, seed=11, keep_theta=True)
    theta = np.zeros((3, 3))
    order = []
    for after in res.history.thetas:
        candidates = [i for i in range(6)
                      if np.allclose(theta - lr * sl.gradient(theta, X[[i]], y[[i]]), after,
                                     rtol=1e-10, atol=1e-13)]
        assert len(candidates) >= 1, "an update matches no single-sample step"
        order.append(candidates[0])
        theta = after
    epochs = np.array(order).reshape(4, 6)
    for e in range(4):
        assert sorted(epochs[e]) == list(range(6)), f"epoch {e} order {epochs[e]}"
    # shuffling really happens: not every epoch is in dataset order
    assert any(list(row) != list(range(6)) for row in epochs)


# ---------------------------------------------------------------------------
# seeds and randomness
# ---------------------------------------------------------------------------
def test_same_int_seed_reproduces():
    X, y = toy(12)
    a = sl.fit(X, y, lr=0.1, epochs=3, batch_size=1, seed=123)
    b = sl.fit(X, y, lr=0.1, epochs=3, batch_size=1, seed=123)
    np.testing.assert_array_equal(a.theta, b.theta)
    np.testing.assert_array_equal(a.history.loss, b.history.loss)


def test_same_generator_seed_reproduces():
    X, y = toy(12)
    a = sl.fit(X, y, lr=0.1, epochs=3, batch_size=2, seed=np.random.default_rng(7))
    b = sl.fit(X, y, lr=0.1, epochs=3, batch_size=2, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(a.theta, b.theta)
    np.testing.assert_array_equal(a.history.loss, b.history.loss)


def test_different_seeds_differ_when_shuffling():
    X, y = toy(12)
    a = sl.fit(X, y, lr=0.1, epochs=2, batch_size=1, seed=1)
    b = sl.fit(X, y, lr=0.1, epochs=2, batch_size=1, seed=2)
    assert not np.allclose(a.theta, b.theta)
    assert not np.allclose(a.history.loss, b.history.loss)


def test_global_random_state_untouched():
    X, y = toy(9)
    np.random.seed(2024)
    before = np.random.get_state()
    sl.fit(X, y, lr=0.1, epochs=2, batch_size=1)                # seed=None
    sl.fit(X, y, lr=0.1, epochs=2, batch_size=2, seed=5)
    sl.fit(X, y, lr=0.1, epochs=2, batch_size=2, seed=np.random.default_rng(5))
    after = np.random.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_fit_never_prints(capsys):
    X, y = toy(9)
    sl.fit(X, y, lr=0.1, epochs=3, batch_size=2, seed=0, keep_theta=True)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_normal_training_emits_no_warning():
    X, y = toy(9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = sl.fit(X, y, lr=0.1, epochs=20, batch_size=3, seed=0)
    assert res.diverged is False


# ---------------------------------------------------------------------------
# starting point, classes, arguments
# ---------------------------------------------------------------------------
def test_theta_none_starts_from_zeros_and_infers_classes():
    X, y = toy(9, n_features=2, n_classes=3)
    res = sl.fit(X, y, lr=0.1, epochs=1, batch_size=None, shuffle=False)
    assert res.n_classes == 3
    assert res.theta.shape == (3, 3)
    # first loss is log k (theta = 0), and one step from zeros
    assert res.history.loss[0] == pytest.approx(math.log(3), rel=1e-14)
    np.testing.assert_allclose(res.theta, -0.1 * sl.gradient(np.zeros((3, 3)), X, y),
                               rtol=1e-12, atol=1e-15)


def test_n_classes_argument():
    X, y = toy(8, n_features=3, n_classes=2)
    res = sl.fit(X, y, lr=0.1, epochs=1, batch_size=None, n_classes=4)
    assert res.n_classes == 4
    assert res.theta.shape == (4, 4)
    assert res.history.loss[0] == pytest.approx(math.log(4), rel=1e-14)


def test_fit_does_not_modify_callers_theta_or_data():
    X, y = toy(6)
    theta0 = datasets.slide_theta(3)
    copies = theta0.copy(), X.copy(), y.copy()
    sl.fit(X, y, theta=theta0, lr=0.1, epochs=2, batch_size=2, seed=0)
    for a, b in zip((theta0, X, y), copies):
        np.testing.assert_array_equal(a, b)


def test_reg_in_fit_is_the_reg_of_the_gradient():
    X, y = toy(6)
    theta0 = datasets.slide_theta(3)
    res = sl.fit(X, y, theta=theta0, lr=0.1, epochs=1, batch_size=None, reg=0.5, shuffle=False)
    np.testing.assert_allclose(res.theta, theta0 - 0.1 * sl.gradient(theta0, X, y, reg=0.5),
                               rtol=1e-12, atol=1e-15)
    assert res.history.loss[0] == pytest.approx(sl.cross_entropy(theta0, X, y, reg=0.5), rel=1e-12)


def test_fit_with_integer_theta_is_not_truncated():
    # np.zeros(..., dtype=int) as a start must not make the updates integer
    X, y = toy(6)
    a = sl.fit(X, y, theta=np.zeros((3, 3), dtype=int), lr=0.1, epochs=2, batch_size=2,
               shuffle=False)
    b = sl.fit(X, y, theta=np.zeros((3, 3)), lr=0.1, epochs=2, batch_size=2, shuffle=False)
    assert a.theta.dtype.kind == "f"
    np.testing.assert_allclose(a.theta, b.theta, rtol=1e-12, atol=1e-15)


def test_fit_accepts_lists():
    res = sl.fit(X=[[1.4]], y=[0], theta=[[0.1, 0.05], [0.2, -0.1]], lr=0.1, epochs=1,
                 batch_size=1, shuffle=False)
    assert res.theta.shape == (2, 2)


# ---------------------------------------------------------------------------
# training actually trains
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [None, 1, 4])
def test_fit_decreases_loss_on_separable_problem(batch_size):
    X, y = toy(30, n_features=2, n_classes=3, seed=2, spread=4.0)
    before = sl.cross_entropy(np.zeros((3, 3)), X, y)
    res = sl.fit(X, y, lr=0.1, epochs=60, batch_size=batch_size, seed=0)
    after = sl.cross_entropy(res.theta, X, y)
    assert after < 0.3 * before
    np.testing.assert_array_equal(sl.predict(res.theta, X), y)
    assert res.history.epoch_loss[-1] < res.history.epoch_loss[0]


def test_full_batch_small_lr_loss_is_monotone_on_slide_table(iris9):
    X, y = iris9
    res = sl.fit(X, y, theta=datasets.slide_theta(3), lr=0.01,
                 epochs=50, batch_size=None)
    loss = np.asarray(res.history.loss)
    assert np.all(np.diff(loss) <= 1e-15)
    np.testing.assert_allclose(res.history.epoch_loss, loss, rtol=1e-12)


# ---------------------------------------------------------------------------
# divergence: huge lr with reg makes theta blow up until the loss is not finite
# ---------------------------------------------------------------------------
DIVERGE = dict(lr=1e3, reg=1e3, epochs=200, batch_size=None, shuffle=False)


def first_nonfinite_update():
    """0-based index of the first full-batch update whose loss is not finite."""
    X, y = toy(6)
    theta = np.zeros((3, 3))
    theta[1:] = 0.1  # the reg term needs non-zero weights to blow up
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k in range(DIVERGE["epochs"]):
            try:  # the core refuses an overflowing loss with a ValueError
                loss, grad = sl.loss_and_gradient(theta, X, y, reg=DIVERGE["reg"])
            except ValueError:
                return X, y, k
            if not np.isfinite(loss):
                return X, y, k
            theta = theta - DIVERGE["lr"] * grad
    raise AssertionError("the reference run did not diverge; make DIVERGE larger")


def start_theta():
    theta = np.zeros((3, 3))
    theta[1:] = 0.1
    return theta


def numbers_in(message):
    return [int(s) for s in re.findall(r"\d+", message)]


def test_divergence_raises_with_the_update_number():
    X, y, k = first_nonfinite_update()
    assert 5 < k < 150
    with pytest.raises((ValueError, FloatingPointError, ArithmeticError, RuntimeError)) as info:
        sl.fit(X, y, theta=start_theta(), **DIVERGE)
    message = str(info.value)
    assert re.search(r"(?i)non-?finite|nan|inf|diverg", message), message
    assert re.search(r"(?i)step|update|iteration", message), message
    # the step number (0- or 1-based) appears in the message
    assert any(abs(m - k) <= 1 for m in numbers_in(message)), (k, message)
    # and the fix: a smaller learning rate
    assert re.search(r"(?i)lr|learning rate", message), message


def test_divergence_warn_stops_and_flags():
    X, y, k = first_nonfinite_update()
    with pytest.warns(Warning) as record:
        res = sl.fit(X, y, theta=start_theta(), on_divergence="warn", **DIVERGE)
    messages = " | ".join(str(w.message) for w in record)
    assert re.search(r"(?i)non-?finite|nan|inf|diverg", messages), messages
    assert any(abs(m - k) <= 1 for w in record for m in numbers_in(str(w.message))), messages
    assert res.diverged is True
    # training stopped at the divergence instead of running all 200 epochs
    assert res.history.n_updates <= k + 1
    assert len(res.history.loss) <= k + 1


# ---------------------------------------------------------------------------
# one engine, one record: update / updates / batch_schedule (the public pieces
# fit and the stepper are made of)
# ---------------------------------------------------------------------------
def test_update_is_steps_2_to_5_of_the_deck():
    # the deck, slide "Update parameters": theta - 0.1 * grad, printed truncated
    rec = training.update([[0.1, 0.05], [0.2, -0.1]], [[1.4]], [0], lr=0.1)
    assert isinstance(rec, sl.StepRecord)
    for computed, printed in zip(rec.theta_after.ravel(), ["0.138", "0.011", "0.253", "-0.153"]):
        assert how_printed(printed, float(computed)) in ("rounded", "truncated"), (printed, computed)
    fb = sl.forward_backward(rec.theta_before, rec.X, rec.y)
    np.testing.assert_array_equal(rec.grad, fb.grad)
    np.testing.assert_array_equal(rec.theta_after, rec.theta_before - 0.1 * fb.grad)


@pytest.mark.parametrize("batch_size, shuffle", [(None, False), (2, False), (1, True), (4, True)])
def test_updates_is_fit_record_by_record(batch_size, shuffle):
    X, y = toy(9)
    theta0 = np.zeros((3, 3))
    res = sl.fit(X, y, theta=theta0, lr=0.3, epochs=3, batch_size=batch_size, shuffle=shuffle,
                 seed=5, keep_theta=True)
    recs = list(training.updates(X, y, theta0, 0.3, 0.0, batch_size=batch_size,
                                 shuffle=shuffle, seed=5, epochs=3))
    assert [r.loss for r in recs] == res.history.loss.tolist()
    for rec, theta in zip(recs, res.history.thetas):
        np.testing.assert_array_equal(rec.theta_after, theta)
    for before, after in zip(recs, recs[1:]):
        assert after.theta_before is before.theta_after
    np.testing.assert_array_equal(theta0, 0.0)         # not modified


def test_batch_schedule_visits_every_row_once_per_epoch():
    batches = list(training.batch_schedule(7, 3, True, 0, epochs=2))
    assert [e for e, _ in batches] == [0, 0, 0, 1, 1, 1]
    for epoch in (0, 1):
        rows = np.concatenate([r for e, r in batches if e == epoch])
        assert sorted(rows.tolist()) == list(range(7))
    fixed = list(training.batch_schedule(4, 2, False, epochs=1, order=[3, -1, 0, 1]))
    assert [r.tolist() for _, r in fixed] == [[3, 3], [0, 1]]
