"""softmax_lab.core: softmax, log_softmax, one_hot, logits, predictions, loss.

Invariants are property-based (hypothesis); a few hand-worked values pin the
conventions (theta row 0 = biases, samples as rows, mean loss, reg/2 * ||W||^2).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import softmax_lab as sl

FAST = settings(max_examples=40, deadline=None)


def logit_matrices(max_abs=1e3, max_rows=6, max_cols=6):
    """2-D float arrays of finite logits."""
    return hnp.arrays(
        np.float64,
        shape=hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=max(max_rows, max_cols)),
        elements=st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False),
    )


@st.composite
def problems(draw, min_classes=2):
    """A random (theta, X, y) with consistent shapes."""
    n_samples = draw(st.integers(1, 7))
    n_features = draw(st.integers(1, 4))
    n_classes = draw(st.integers(min_classes, 5))
    floats = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
    X = draw(hnp.arrays(np.float64, (n_samples, n_features), elements=floats))
    theta = draw(hnp.arrays(np.float64, (n_features + 1, n_classes), elements=floats))
    y = draw(hnp.arrays(np.int64, n_samples, elements=st.integers(0, n_classes - 1)))
    return theta, X, y


# ---------------------------------------------------------------------------
# softmax / log_softmax
# ---------------------------------------------------------------------------
@FAST
@given(logit_matrices(max_abs=1e4))
def test_softmax_rows_are_distributions(Z):
    P = sl.softmax(Z)
    assert P.shape == Z.shape
    assert np.all(np.isfinite(P))
    assert np.all(P >= 0.0) and np.all(P <= 1.0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@FAST
@given(logit_matrices(max_abs=50), st.floats(-100, 100, allow_nan=False))
def test_softmax_shift_invariance_scalar(Z, c):
    np.testing.assert_allclose(sl.softmax(Z + c), sl.softmax(Z), rtol=1e-9, atol=1e-12)


@FAST
@given(logit_matrices(max_abs=50), st.data())
def test_softmax_shift_invariance_per_row(Z, data):
    # a different constant on every row leaves every row's softmax unchanged
    c = data.draw(hnp.arrays(np.float64, (Z.shape[0], 1),
                             elements=st.floats(-100, 100, allow_nan=False)))
    np.testing.assert_allclose(sl.softmax(Z + c), sl.softmax(Z), rtol=1e-9, atol=1e-12)


@FAST
@given(logit_matrices(max_abs=30))
def test_log_softmax_is_log_of_softmax(Z):
    np.testing.assert_allclose(sl.log_softmax(Z), np.log(sl.softmax(Z)), rtol=1e-9, atol=1e-12)


@FAST
@given(logit_matrices(max_abs=1e4))
def test_log_softmax_finite_and_nonpositive(Z):
    L = sl.log_softmax(Z)
    assert np.all(np.isfinite(L))
    assert np.all(L <= 1e-12)
    # log-sum-exp form: logsumexp of the log-probabilities of a row is 0
    m = L.max(axis=1, keepdims=True)
    np.testing.assert_allclose(m[:, 0] + np.log(np.exp(L - m).sum(axis=1)), 0.0, atol=1e-9)


@FAST
@given(st.floats(-30, 30), st.floats(-30, 30))
def test_two_class_softmax_is_sigmoid_of_logit_difference(a, b):
    P = sl.softmax(np.array([[a, b]]))
    sigmoid = 1.0 / (1.0 + math.exp(-(a - b)))
    assert math.isclose(P[0, 0], sigmoid, rel_tol=1e-12, abs_tol=1e-15)
    # and the other class is the sigmoid of the opposite difference
    assert math.isclose(P[0, 1], 1.0 / (1.0 + math.exp(-(b - a))), rel_tol=1e-12, abs_tol=1e-15)


@FAST
@given(hnp.arrays(np.float64, st.integers(2, 5), elements=st.floats(-5, 5)))
def test_softmax_jacobian(z):
    # dp_i/dz_j = p_i (delta_ij - p_j)  (the deck prints delta_1j: a typo)
    p = sl.softmax(z)
    eps = 1e-6
    numeric = np.empty((len(z), len(z)))
    for j in range(len(z)):
        step = np.zeros(len(z))
        step[j] = eps
        numeric[:, j] = (sl.softmax(z + step) - sl.softmax(z - step)) / (2 * eps)
    np.testing.assert_allclose(numeric, np.diag(p) - np.outer(p, p), atol=1e-8)


@pytest.mark.parametrize("z", [[1000.0, 1.0], [1e4, 1.0, -1e4]])
def test_extreme_logits_are_finite(z):
    Z = np.array([z])
    P = sl.softmax(Z)
    L = sl.log_softmax(Z)
    assert np.all(np.isfinite(P)) and np.all(np.isfinite(L))
    np.testing.assert_allclose(P.sum(), 1.0, atol=1e-15)
    assert P[0, 0] == pytest.approx(1.0)
    # log-sum-exp: log p_j = z_j - max(z) (the others underflow to 0 in the sum)
    np.testing.assert_allclose(L[0], np.array(z) - max(z), rtol=1e-12)


@pytest.mark.parametrize("z, label", [([1000.0, 1.0], 1), ([1e4, 1.0, -1e4], 2)])
def test_loss_finite_at_extreme_logits(z, label):
    # theta with zero weights and the biases = z makes the logits exactly z
    z = np.array(z)
    theta = np.vstack([z, np.zeros_like(z)])
    X = np.array([[0.5]])
    loss = sl.cross_entropy(theta, X, np.array([label]))
    assert np.isfinite(loss)
    assert loss == pytest.approx(z.max() - z[label], rel=1e-12)
    grad = sl.gradient(theta, X, np.array([label]))
    assert np.all(np.isfinite(grad))


def test_softmax_axis_argument():
    Z = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]])
    np.testing.assert_allclose(sl.softmax(Z, axis=0), sl.softmax(Z.T, axis=-1).T, rtol=1e-12)
    np.testing.assert_allclose(sl.log_softmax(Z, axis=0), sl.log_softmax(Z.T).T, rtol=1e-12)
    np.testing.assert_allclose(sl.softmax(Z, axis=0).sum(axis=0), 1.0, atol=1e-12)


def test_softmax_of_one_vector():
    p = sl.softmax(np.array([0.0, math.log(3.0)]))
    np.testing.assert_allclose(p, [0.25, 0.75], rtol=1e-12)


def test_softmax_of_integer_logits():
    np.testing.assert_allclose(sl.softmax(np.array([[0, 0], [1, 1]])), 0.5, rtol=1e-15)
    np.testing.assert_allclose(sl.log_softmax(np.array([[2, 2]])), np.log(0.5), rtol=1e-15)


def test_softmax_does_not_modify_input():
    Z = np.array([[1000.0, 1.0], [3.0, 4.0]])
    Z_copy = Z.copy()
    sl.softmax(Z)
    sl.log_softmax(Z)
    np.testing.assert_array_equal(Z, Z_copy)


# ---------------------------------------------------------------------------
# one_hot
# ---------------------------------------------------------------------------
@FAST
@given(st.integers(1, 6).flatmap(
    lambda k: st.tuples(st.just(k), st.lists(st.integers(0, k - 1), min_size=1, max_size=12))))
def test_one_hot_shape_and_content(args):
    n_classes, labels = args
    y = np.array(labels)
    Y = sl.one_hot(y, n_classes)
    assert Y.shape == (len(labels), n_classes)
    np.testing.assert_array_equal(Y.sum(axis=1), 1)
    np.testing.assert_array_equal(np.argmax(Y, axis=1), y)
    assert set(np.unique(Y)) <= {0, 1}


def test_one_hot_slide_encoding():
    # slide: y = 0 -> [1, 0], y = 1 -> [0, 1]
    np.testing.assert_array_equal(sl.one_hot(np.array([0, 1]), 2), [[1, 0], [0, 1]])
    # slide: y = 2 -> [0, 0, 1] with k = 3
    np.testing.assert_array_equal(sl.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])


# ---------------------------------------------------------------------------
# logits, predict_proba, predict
# ---------------------------------------------------------------------------
def test_logits_convention_bias_row_first():
    theta = np.array([[1.0, 2.0, 3.0],      # biases b_1..b_3
                      [10.0, 0.0, -1.0],    # weights of feature 1
                      [0.0, 100.0, 1.0]])   # weights of feature 2
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 3.0], [0.5, -0.5]])
    Z = sl.logits(theta, X)
    assert Z.shape == (4, 3)
    expected = np.array([[11.0, 2.0, 2.0],
                         [1.0, 102.0, 4.0],
                         [21.0, 302.0, 4.0],
                         [6.0, -48.0, 2.0]])
    np.testing.assert_allclose(Z, expected, rtol=1e-15)


@FAST
@given(problems())
def test_logits_shape_and_formula(args):
    theta, X, y = args
    Z = sl.logits(theta, X)
    assert Z.shape == (X.shape[0], theta.shape[1])
    # row i is theta^T [1, x_i]
    X1 = np.hstack([np.ones((X.shape[0], 1)), X])
    np.testing.assert_allclose(Z, X1 @ theta, rtol=1e-12, atol=1e-12)


@FAST
@given(problems())
def test_predict_proba_rows_and_predict_argmax(args):
    theta, X, y = args
    P = sl.predict_proba(theta, X)
    assert P.shape == (X.shape[0], theta.shape[1])
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(P, sl.softmax(sl.logits(theta, X)), rtol=1e-12)
    pred = sl.predict(theta, X)
    assert pred.shape == (X.shape[0],)
    assert np.issubdtype(pred.dtype, np.integer)
    # the predicted class has the largest probability (argmax of predict_proba;
    # where logits differ by less than float resolution P ties, e.g. logits
    # [0, 2.5e-95] give P = [0.5, 0.5], so compare probabilities, not indices)
    np.testing.assert_array_equal(P[np.arange(len(pred)), pred], P.max(axis=1))
    # and, exactly, the argmax of the logits (softmax is monotone)
    np.testing.assert_array_equal(pred, np.argmax(sl.logits(theta, X), axis=1))


def test_predict_is_zero_based():
    theta = np.array([[0.0, 0.0, 5.0]])  # no features: the bias picks class 2
    theta = np.vstack([theta, np.zeros((1, 3))])
    np.testing.assert_array_equal(sl.predict(theta, np.array([[1.0], [-2.0]])), [2, 2])


# ---------------------------------------------------------------------------
# cross_entropy, gradient, loss_and_gradient, forward_backward
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("n_classes", [2, 3, 7, 10])
def test_loss_is_log_k_at_theta_zero(n_classes):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(11, 4))
    y = rng.integers(0, n_classes, size=11)
    theta = np.zeros((5, n_classes))
    assert sl.cross_entropy(theta, X, y) == pytest.approx(math.log(n_classes), rel=1e-14)
    # the L2 term of a zero theta is zero too
    assert sl.cross_entropy(theta, X, y, reg=3.0) == pytest.approx(math.log(n_classes), rel=1e-14)


@FAST
@given(problems())
def test_loss_is_log_k_at_theta_zero_property(args):
    theta, X, y = args
    loss = sl.cross_entropy(np.zeros_like(theta), X, y)
    assert loss == pytest.approx(math.log(theta.shape[1]), rel=1e-12)


def test_cross_entropy_is_the_mean_over_samples():
    theta = np.array([[0.1, 0.05], [0.2, -0.1]])
    X = np.array([[1.4], [4.5], [1.3]])
    y = np.array([0, 1, 0])
    each = [sl.cross_entropy(theta, X[[i]], y[[i]]) for i in range(3)]
    assert sl.cross_entropy(theta, X, y) == pytest.approx(np.mean(each), rel=1e-13)
    # each per-sample loss is -log of the true class's probability
    P = sl.predict_proba(theta, X)
    np.testing.assert_allclose(each, -np.log(P[np.arange(3), y]), rtol=1e-12)


@FAST
@given(problems(), st.floats(0.0, 3.0))
def test_reg_term_penalises_weights_not_biases(args, reg):
    theta, X, y = args
    base = sl.cross_entropy(theta, X, y)
    with_reg = sl.cross_entropy(theta, X, y, reg=reg)
    assert with_reg - base == pytest.approx(reg / 2 * np.sum(theta[1:] ** 2), rel=1e-9, abs=1e-9)
    g0 = sl.gradient(theta, X, y)
    g = sl.gradient(theta, X, y, reg=reg)
    # the bias row is not penalised
    np.testing.assert_allclose(g[0], g0[0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(g[1:] - g0[1:], reg * theta[1:], rtol=1e-9, atol=1e-12)


def test_bias_only_change_does_not_change_reg_term():
    theta = np.array([[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]])
    X = np.array([[1.5, 0.2], [4.7, 1.6]])
    y = np.array([0, 1])
    moved = theta.copy()
    moved[0] += 100.0  # same shift on every bias: logits shift by a constant
    # the data term is shift invariant, and the bias row is not penalised
    assert sl.cross_entropy(moved, X, y, reg=0.5) == pytest.approx(
        sl.cross_entropy(theta, X, y, reg=0.5), rel=1e-10)


@FAST
@given(problems(), st.sampled_from([0.0, 0.1, 2.0]))
def test_loss_and_gradient_equals_separate_calls(args, reg):
    theta, X, y = args
    loss, grad = sl.loss_and_gradient(theta, X, y, reg=reg)
    assert loss == pytest.approx(sl.cross_entropy(theta, X, y, reg=reg), rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(grad, sl.gradient(theta, X, y, reg=reg), rtol=1e-12, atol=1e-14)
    assert grad.shape == theta.shape


@FAST
@given(problems(), st.sampled_from([0.0, 0.5]))
def test_forward_backward_fields(args, reg):
    theta, X, y = args
    n = X.shape[0]
    fb = sl.forward_backward(theta, X, y, reg=reg)
    assert isinstance(fb, sl.StepRecord)
    assert fb.theta_after is None and fb.lr is None       # steps 2-4 only: no update made
    np.testing.assert_array_equal(fb.X, X)
    np.testing.assert_array_equal(fb.y, y)
    np.testing.assert_allclose(fb.Z, sl.logits(theta, X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fb.P, sl.predict_proba(theta, X), rtol=1e-12, atol=1e-15)
    # dZ = P - Y, per sample, NOT divided by n
    np.testing.assert_allclose(fb.dZ, fb.P - sl.one_hot(y, theta.shape[1]), atol=1e-15)
    assert fb.loss == pytest.approx(sl.cross_entropy(theta, X, y, reg=reg), rel=1e-12, abs=1e-14)
    expected = np.vstack([fb.dZ.sum(axis=0), X.T @ fb.dZ]) / n
    expected[1:] += reg * theta[1:]
    np.testing.assert_allclose(fb.grad, expected, rtol=1e-10, atol=1e-12)


def test_gradient_rows_sum_to_zero_across_classes():
    # sum_i (y_hat_i - delta) = 0 for every sample, so each gradient row sums to 0
    rng = np.random.default_rng(3)
    X = rng.normal(size=(8, 3))
    y = rng.integers(0, 4, size=8)
    theta = rng.normal(size=(4, 4))
    np.testing.assert_allclose(sl.gradient(theta, X, y).sum(axis=1), 0.0, atol=1e-14)


def test_core_accepts_lists():
    # plain nested lists are what a student types
    theta = [[0.1, 0.05], [0.2, -0.1]]
    loss = sl.cross_entropy(theta, [[1.4]], [0])
    assert loss == pytest.approx(-math.log(math.exp(0.38) / (math.exp(0.38) + math.exp(-0.09))))


def test_core_functions_do_not_modify_inputs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 3))
    y = np.array([0, 1, 2, 1, 0])
    theta = rng.normal(size=(4, 3))
    copies = X.copy(), y.copy(), theta.copy()
    sl.cross_entropy(theta, X, y, reg=0.1)
    sl.gradient(theta, X, y, reg=0.1)
    sl.loss_and_gradient(theta, X, y, reg=0.1)
    sl.forward_backward(theta, X, y, reg=0.1)
    sl.predict(theta, X)
    for a, b in zip((X, y, theta), copies):
        np.testing.assert_array_equal(a, b)


def test_core_never_prints(capsys):
    theta = np.array([[0.1, 0.05], [0.2, -0.1]])
    X = np.array([[1.4], [4.5]])
    y = np.array([0, 1])
    sl.softmax(sl.logits(theta, X))
    sl.log_softmax(sl.logits(theta, X))
    sl.one_hot(y, 2)
    sl.predict(theta, X)
    sl.loss_and_gradient(theta, X, y)
    sl.forward_backward(theta, X, y)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# ------------------------------------------------------------ the loss on logits
def test_logit_loss_is_the_loss_behind_cross_entropy_and_gradient():
    from softmax_lab.core import logit_loss

    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((7, 3)), np.array([0, 1, 3, 2, 3, 0, 1])
    theta = rng.standard_normal((4, 4))
    Z = X @ theta[1:] + theta[0]
    loss, dZ = logit_loss(Z, y)
    assert loss == pytest.approx(sl.cross_entropy(theta, X, y), rel=1e-13)
    # dZ is the gradient of the MEAN loss: (softmax(Z) - Y) / n ...
    np.testing.assert_allclose(dZ, (sl.softmax(Z) - sl.one_hot(y, 4)) / 7, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dZ, sl.forward_backward(theta, X, y).dZ / 7, rtol=1e-12, atol=1e-15)
    # ... checked against central differences on Z itself
    num = sl.numerical_gradient(lambda Zp: logit_loss(Zp, y)[0], Z)
    assert sl.relative_error(num, dZ) < 1e-7
    # and chained back through the linear layer it gives sl.gradient
    grad = np.vstack([dZ.sum(axis=0), X.T @ dZ])
    np.testing.assert_allclose(grad, sl.gradient(theta, X, y), rtol=1e-12, atol=1e-15)


def test_logit_loss_refuses_labels_beyond_Z_columns():
    from softmax_lab.core import logit_loss

    with pytest.raises(ValueError, match=r"y contains label 3 but Z has 3 columns.*subtract 1"):
        logit_loss(np.zeros((3, 3)), [1, 2, 3])
