"""Analytic gradient vs central differences, and the gradcheck helpers.

Every problem has n_samples, n_features, n_features + 1 and n_classes all
different, so a transposed or mis-shaped gradient cannot pass.
"""

import math

import numpy as np
import pytest

import softmax_lab as sl

# (n_samples, n_features, n_classes): n, d, d + 1 and k all differ
SHAPES = [(7, 3, 5), (5, 2, 4), (9, 4, 2), (4, 6, 3), (11, 1, 3)]


def make_problem(n_samples, n_features, n_classes, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = rng.integers(0, n_classes, size=n_samples)
    y[:n_classes] = np.arange(n_classes)[:n_samples]  # every class present where possible
    theta = rng.normal(scale=0.5, size=(n_features + 1, n_classes))
    return theta, X, y


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_gradient_matches_numerical_gradient(shape, reg):
    theta, X, y = make_problem(*shape, seed=sum(shape))
    assert len({X.shape[0], X.shape[1], theta.shape[0], theta.shape[1]}) == 4
    analytic = sl.gradient(theta, X, y, reg=reg)
    numeric = sl.numerical_gradient(lambda t: sl.cross_entropy(t, X, y, reg=reg), theta)
    assert analytic.shape == theta.shape
    assert numeric.shape == theta.shape
    assert sl.relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("reg", [0.0, 0.7])
def test_loss_and_gradient_and_forward_backward_match_numerical(reg):
    theta, X, y = make_problem(7, 3, 5, seed=1)
    numeric = sl.numerical_gradient(lambda t: sl.cross_entropy(t, X, y, reg=reg), theta)
    _, grad = sl.loss_and_gradient(theta, X, y, reg=reg)
    assert sl.relative_error(grad, numeric) < 1e-7
    assert sl.relative_error(sl.forward_backward(theta, X, y, reg=reg).grad, numeric) < 1e-7


def test_wrong_gradient_is_caught():
    # sanity of the test design: the check is sharp enough to catch a wrong gradient
    theta, X, y = make_problem(7, 3, 5, seed=2)
    numeric = sl.numerical_gradient(lambda t: sl.cross_entropy(t, X, y), theta)
    wrong = sl.gradient(theta, X, y) * X.shape[0]  # forgot to divide by n
    assert sl.relative_error(wrong, numeric) > 1e-2


def test_reg_gradient_bias_row_not_penalised_numerically():
    theta, X, y = make_problem(6, 2, 3, seed=4)
    reg = 5.0
    f_reg = lambda t: sl.cross_entropy(t, X, y, reg=reg)  # noqa: E731
    f_0 = lambda t: sl.cross_entropy(t, X, y)  # noqa: E731
    diff = sl.numerical_gradient(f_reg, theta) - sl.numerical_gradient(f_0, theta)
    np.testing.assert_allclose(diff[0], 0.0, atol=1e-7)
    np.testing.assert_allclose(diff[1:], reg * theta[1:], rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------------------
# numerical_gradient on functions with known gradients
# ---------------------------------------------------------------------------
def test_numerical_gradient_of_quadratic():
    A = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
    theta = np.array([[0.3, -0.7, 2.0], [1.5, 0.0, -0.2]])
    f = lambda t: float(np.sum(A * t**2))  # noqa: E731
    np.testing.assert_allclose(sl.numerical_gradient(f, theta), 2 * A * theta,
                               rtol=1e-7, atol=1e-8)


def test_numerical_gradient_is_central_difference():
    # for f = sum(t^3) a central difference gives 3 t^2 + eps^2 (exactly, up to
    # rounding); a one-sided difference would be off by ~3 t eps
    theta = np.array([[1.0, 2.0], [-1.5, 0.5]])
    eps = 1e-3
    num = sl.numerical_gradient(lambda t: float(np.sum(t**3)), theta, eps=eps)
    np.testing.assert_allclose(num, 3 * theta**2 + eps**2, rtol=1e-8)


def test_numerical_gradient_of_integer_theta():
    # an integer theta must not swallow the +-eps steps
    theta = np.array([[1, 2], [3, -4]])
    num = sl.numerical_gradient(lambda t: float(np.sum(t**2)), theta)
    np.testing.assert_allclose(num, 2 * theta, rtol=1e-7)


def test_numerical_gradient_leaves_theta_unchanged():
    theta = np.array([[0.1, 0.05], [0.2, -0.1]])
    before = theta.copy()
    sl.numerical_gradient(lambda t: float(np.sum(np.sin(t))), theta)
    np.testing.assert_array_equal(theta, before)


# ---------------------------------------------------------------------------
# relative_error
# ---------------------------------------------------------------------------
def test_relative_error_values():
    a = np.array([[1.0, 0.0]])
    b = np.array([[0.0, 1.0]])
    # ||a - b|| / (||a|| + ||b||) = sqrt(2) / 2
    assert sl.relative_error(a, b) == pytest.approx(math.sqrt(2) / 2, rel=1e-12)
    assert sl.relative_error(a, a) == 0.0
    assert sl.relative_error(a, -a) == pytest.approx(1.0, rel=1e-12)
    x = np.array([3.0, 4.0])
    assert sl.relative_error(x, 1.1 * x) == pytest.approx(0.5 / (5.0 + 5.5), rel=1e-12)


def test_relative_error_symmetric_and_scale_invariant():
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(2, 3, 4))
    assert sl.relative_error(a, b) == pytest.approx(sl.relative_error(b, a), rel=1e-14)
    assert sl.relative_error(1e6 * a, 1e6 * b) == pytest.approx(sl.relative_error(a, b), rel=1e-12)
    assert 0.0 <= sl.relative_error(a, b) <= 1.0


def test_relative_error_of_two_zero_arrays_is_zero_not_nan():
    z = np.zeros((3, 2))
    err = sl.relative_error(z, z)
    assert err == 0.0
    assert not math.isnan(err)
