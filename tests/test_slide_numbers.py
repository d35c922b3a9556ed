"""Every number of the deck's worked examples, recomputed through ``softmax_lab``.

The expected values are typed in from the deck *Softmax Regression*
(Quang-Vinh Dinh; docs/sources.md describes it), slides "Training example",
"Update parameters" and "Examples Stochastic and Batch", not taken from the
package's output.  Each value is checked at the precision the slide
prints it:

* ``assert_rounded``  - the slide rounds: |computed - printed| <= half a unit
  in the last printed digit.
* ``assert_truncated`` - the slide TRUNCATES (chops digits): the computed
  value chopped at the printed number of decimals equals the printed value,
  AND rounding would have printed a different last digit (so the test also
  proves that the slide did not round).
* ``assert_slide_erratum`` - the slide's value is neither the rounded nor the
  truncated exact value; the test asserts the correct value and that the
  slide's printed value differs, naming the erratum.

Conventions: theta has shape (n_features + 1, n_classes) with the bias row
first, exactly like the slides' matrix.  The slides write z = theta^T x with
samples as COLUMNS (k x s); the package returns Z with samples as ROWS
(s x k), so slide matrices are compared with the transpose.  The slides number
classes from 1 in the first half of the deck; the 0-based label is
``target_slide - 1``, taken from the dataset at the data boundary.
"""

import math

import numpy as np
import pytest

import softmax_lab as sl
from softmax_lab import datasets


# ---------------------------------------------------------------------------
# precision helpers
# ---------------------------------------------------------------------------
def assert_rounded(value, printed, decimals, what=""):
    """The slide prints `value` ROUNDED to `decimals` decimals."""
    value = float(value)
    half_unit = 0.5 * 10.0 ** (-decimals)
    assert abs(value - printed) <= half_unit + 1e-12, (
        f"{what}: computed {value:.6f}, slide prints {printed} "
        f"(rounded to {decimals} decimals)"
    )


def assert_truncated(value, printed, decimals, what=""):
    """The slide prints `value` TRUNCATED (not rounded) to `decimals` decimals."""
    value = float(value)
    scale = 10**decimals
    # chopping the exact value at the printed precision gives the slide's digits
    assert math.trunc(value * scale) == round(printed * scale), (
        f"{what}: computed {value:.6f} truncated to {decimals} decimals is "
        f"{math.trunc(value * scale) / scale}, slide prints {printed}"
    )
    # ... and rounding would NOT have given them: the slide really truncates
    assert abs(value - printed) > 0.5 * 10.0 ** (-decimals), (
        f"{what}: {value:.6f} rounds to the slide value {printed}; "
        "this entry is rounded, not truncated - fix the test"
    )


def assert_exact(value, printed, what=""):
    """A value the slide prints in full (e.g. z = 0.28): equal up to float noise."""
    assert abs(float(value) - printed) <= 1e-12, f"{what}: {float(value)!r} != {printed}"


# ---------------------------------------------------------------------------
# the deck's starting parameters (typed in from the slides)
# ---------------------------------------------------------------------------
THETA2_SLIDE = [[0.1, 0.05], [0.2, -0.1]]
THETA3_SLIDE = [[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]]


def test_slide_theta_matches_the_deck():
    np.testing.assert_array_equal(datasets.slide_theta(2), THETA2_SLIDE)
    np.testing.assert_array_equal(datasets.slide_theta(3), THETA3_SLIDE)


# ===========================================================================
# 1. One training example, two classes: (x, y) = (1.4, 1) on the 1-based
#    slides, (1.4, 0) on the "Another approach" slides.  lr = 0.1.
# ===========================================================================
@pytest.fixture(params=["petal_2class", "another_approach"])
def single_example(request):
    """(X, y) = ([[1.4]], [0]) taken from the slide table at the data boundary."""
    table = datasets.load_slide_table(request.param)
    X = table.data[:1]
    y = table.target[:1]
    assert X.shape == (1, 1) and X[0, 0] == 1.4
    if request.param == "petal_2class":
        assert table.target_slide[0] == 1  # printed 1-based on the slide
    else:
        assert table.target_slide[0] == 0  # printed 0-based on the slide
    assert y[0] == 0
    return X, y


def test_single_example_logits(single_example):
    X, y = single_example
    Z = sl.logits(datasets.slide_theta(2), X)
    assert Z.shape == (1, 2)
    # z is not printed in the OCR'd deck; by hand from the slide's theta:
    # z1 = 1.4*0.2 + 0.1 = 0.38,  z2 = 1.4*(-0.1) + 0.05 = -0.09
    assert_exact(Z[0, 0], 0.38, "z1")
    assert_exact(Z[0, 1], -0.09, "z2")


def test_single_example_probabilities(single_example):
    X, y = single_example
    P = sl.predict_proba(datasets.slide_theta(2), X)
    # slide: y_hat_1 = 0.615, y_hat_2 = 0.385 (exact 0.61538, 0.38462: rounded)
    assert_rounded(P[0, 0], 0.615, 3, "y_hat_1")
    assert_rounded(P[0, 1], 0.385, 3, "y_hat_2")


def test_single_example_y_hat_2_formula_erratum(single_example):
    # ERRATUM (formula): the slides write y_hat_2 = e^{z_1} / sum_j e^{z_j};
    # it is e^{z_2} / sum_j e^{z_j}.  Read literally, y_hat_2 would equal
    # y_hat_1 = 0.615 and the two would not sum to 1; the slide's 0.385 is
    # the correct e^{z_2} version.
    X, y = single_example
    Z = sl.logits(datasets.slide_theta(2), X)[0]
    literal = math.exp(Z[0]) / np.exp(Z).sum()
    correct = math.exp(Z[1]) / np.exp(Z).sum()
    assert_rounded(correct, 0.385, 3, "e^z2 / sum")
    assert abs(literal - 0.385) > 0.2
    assert sl.predict_proba(datasets.slide_theta(2), X)[0, 1] == pytest.approx(correct, rel=1e-12)


def test_single_example_dL_dz(single_example):
    X, y = single_example
    fb = sl.forward_backward(datasets.slide_theta(2), X, y)
    # slide: dL/dz1 = 0.615 - 1 = -0.385, dL/dz2 = 0.385 - 0 = 0.385 (rounded)
    assert_rounded(fb.dZ[0, 0], -0.385, 3, "dL/dz1")
    assert_rounded(fb.dZ[0, 1], 0.385, 3, "dL/dz2")


def test_single_example_dL_db(single_example):
    X, y = single_example
    grad = sl.gradient(datasets.slide_theta(2), X, y)
    # slide: dL/db1 = -0.385, dL/db2 = 0.385 (rounded); row 0 of theta = biases
    assert_rounded(grad[0, 0], -0.385, 3, "dL/db1")
    assert_rounded(grad[0, 1], 0.385, 3, "dL/db2")


def test_single_example_dL_dw_slide_rounds_an_intermediate(single_example):
    X, y = single_example
    grad = sl.gradient(datasets.slide_theta(2), X, y)
    dw1, dw2 = grad[1, 0], grad[1, 1]
    # ERRATUM (precision): the slide prints dL/dw = -0.385 * 1.4 = -0.539 and
    # 0.385 * 1.4 = 0.539, multiplying the ROUNDED intermediate 0.385.  The
    # exact value is 1.4 * 0.384616 = 0.538463, which is 0.538 both rounded
    # and truncated; the slide's third decimal is off by one.
    assert_rounded(dw1, -0.538, 3, "dL/dw1 (correct)")
    assert_rounded(dw2, 0.538, 3, "dL/dw2 (correct)")
    assert abs(dw1 - (-0.539)) > 0.0005, "slide's -0.539 should differ at 3 decimals"
    assert abs(dw2 - 0.539) > 0.0005, "slide's 0.539 should differ at 3 decimals"
    # the slide's number is exactly its own arithmetic on the rounded value
    assert math.isclose(0.385 * 1.4, 0.539, abs_tol=1e-12)
    # the exact product of the unrounded intermediate
    assert math.isclose(dw2, 1.4 * grad[0, 1], rel_tol=1e-12)


def test_single_example_update_slide_truncates(single_example):
    X, y = single_example
    res = sl.fit(X=X, y=y, theta=datasets.slide_theta(2), lr=0.1, epochs=1,
                 batch_size=1, shuffle=False)
    theta = res.theta
    assert theta.shape == (2, 2)
    # slide: theta = [[0.138, 0.011], [0.253, -0.153]]
    # exact:          [[0.13846, 0.01154], [0.25385, -0.15385]]
    assert_rounded(theta[0, 0], 0.138, 3, "b1")  # 0.13846: rounded == truncated
    # The slide TRUNCATES the other three entries (rounding gives 0.012,
    # 0.254, -0.154):
    assert_truncated(theta[0, 1], 0.011, 3, "b2")
    assert_truncated(theta[1, 0], 0.253, 3, "w1")
    assert_truncated(theta[1, 1], -0.153, 3, "w2")
    # and the update itself is theta - lr * gradient
    expected = datasets.slide_theta(2) - 0.1 * sl.gradient(datasets.slide_theta(2), X, y)
    np.testing.assert_allclose(theta, expected, rtol=0, atol=1e-15)


def test_single_example_loss_before_update_is_recorded(single_example):
    X, y = single_example
    res = sl.fit(X=X, y=y, theta=datasets.slide_theta(2), lr=0.1, epochs=1,
                 batch_size=1, shuffle=False)
    assert res.history.n_updates == 1
    assert len(res.history.loss) == 1
    # loss before the update = -log y_hat_1 = -log(1 / (1 + e^(z2 - z1))), z1 - z2 = 0.47
    assert math.isclose(res.history.loss[0], math.log1p(math.exp(-0.47)), rel_tol=1e-12)


# ===========================================================================
# 2. Three classes, one example (stochastic): x = [1, 1.4, 0.2], y = 1 on the
#    slide = row 2 (index 1) of the 9-row petal table, 0-based label 0.
# ===========================================================================
@pytest.fixture
def stochastic_example():
    table = datasets.load_slide_table("iris9_petal")
    X = table.data[[1]]
    y = table.target[[1]]
    np.testing.assert_array_equal(X, [[1.4, 0.2]])
    assert table.target_slide[1] == 1
    assert y[0] == 0
    return X, y


def test_stochastic_logits(stochastic_example):
    X, y = stochastic_example
    Z = sl.logits(datasets.slide_theta(3), X)
    assert Z.shape == (1, 3)
    # slide: z = [0.28, -0.05, 0.02] (printed in full)
    for j, printed in enumerate([0.28, -0.05, 0.02]):
        assert_exact(Z[0, j], printed, f"z{j + 1}")


def test_stochastic_probabilities(stochastic_example):
    X, y = stochastic_example
    P = sl.predict_proba(datasets.slide_theta(3), X)
    # exact: 0.401610, 0.288727, 0.309662
    assert_rounded(P[0, 0], 0.4016, 4, "y_hat_1")
    assert_rounded(P[0, 1], 0.2887, 4, "y_hat_2")
    # the slide TRUNCATES y_hat_3: 0.309662 -> 0.3096 (rounding gives 0.3097)
    assert_truncated(P[0, 2], 0.3096, 4, "y_hat_3")
    assert math.isclose(P[0].sum(), 1.0, abs_tol=1e-12)


def test_stochastic_loss_slide_truncates(stochastic_example):
    X, y = stochastic_example
    loss = sl.cross_entropy(datasets.slide_theta(3), X, y)
    # slide: L = -log 0.4016 = 0.9122.  Exact L = -log(0.401610) = 0.912274:
    # the slide TRUNCATES (rounding gives 0.9123).  (-log of the printed
    # 0.4016 is 0.912299, which would round to 0.9123 as well.)
    assert_truncated(loss, 0.9122, 4, "L")
    assert math.isclose(-math.log(0.4016), 0.912299, abs_tol=1e-6)


def test_stochastic_gradient_columns(stochastic_example):
    X, y = stochastic_example
    grad = sl.gradient(datasets.slide_theta(3), X, y)
    assert grad.shape == (3, 3)
    # column i of the gradient is the slide's dL/dtheta_i
    # dL/dtheta_1 = x (0.4016 - 1); exact [-0.598390, -0.837745, -0.119678]
    assert_rounded(grad[0, 0], -0.598, 3, "dL/dtheta_1[0]")
    # the slide TRUNCATES: -0.837745 -> -0.837 (rounded: -0.838)
    assert_truncated(grad[1, 0], -0.837, 3, "dL/dtheta_1[1]")
    # the slide TRUNCATES: -0.119678 -> -0.119 (rounded: -0.120)
    assert_truncated(grad[2, 0], -0.119, 3, "dL/dtheta_1[2]")
    # dL/dtheta_2 = x * 0.2887; exact [0.288727, 0.404218, 0.057745]
    # the slide TRUNCATES: 0.288727 -> 0.288 (rounded: 0.289)
    assert_truncated(grad[0, 1], 0.288, 3, "dL/dtheta_2[0]")
    assert_rounded(grad[1, 1], 0.404, 3, "dL/dtheta_2[1]")
    # the slide TRUNCATES: 0.057745 -> 0.057 (rounded: 0.058)
    assert_truncated(grad[2, 1], 0.057, 3, "dL/dtheta_2[2]")
    # dL/dtheta_3 is not printed on the slide; it is x * y_hat_3
    P = sl.predict_proba(datasets.slide_theta(3), X)
    np.testing.assert_allclose(grad[:, 2], np.array([1.0, 1.4, 0.2]) * P[0, 2],
                               rtol=1e-12)


def test_stochastic_step_through_fit(stochastic_example):
    X, y = stochastic_example
    theta0 = datasets.slide_theta(3)
    res = sl.fit(X, y, theta=theta0, lr=0.1, epochs=1, batch_size=1, shuffle=False)
    np.testing.assert_allclose(res.theta, theta0 - 0.1 * sl.gradient(theta0, X, y),
                               rtol=0, atol=1e-15)
    assert_truncated(res.history.loss[0], 0.9122, 4, "L before the update")


# ===========================================================================
# 3. Mini-batch s = 3: rows 1, 4, 7 (indices 0, 3, 6) of the 9-row petal
#    table, labels 1, 2, 3 on the slide -> 0, 1, 2.
# ===========================================================================
@pytest.fixture
def minibatch():
    table = datasets.load_slide_table("iris9_petal")
    rows = [0, 3, 6]
    X = table.data[rows]
    y = table.target[rows]
    # the slide's x matrix has these samples as COLUMNS
    np.testing.assert_array_equal(X.T, [[1.5, 4.7, 5.6], [0.2, 1.6, 2.2]])
    np.testing.assert_array_equal(table.target_slide[rows], [1, 2, 3])
    np.testing.assert_array_equal(y, [0, 1, 2])
    return X, y


# slide matrices (k x s: one column per sample), typed from the deck
Z_SLIDE = [[0.29, 0.89, 1.1], [-0.06, -0.1, -0.07], [0.03, 0.21, 0.24]]
P_SLIDE = [[0.4039, 0.5324, 0.5768], [0.2846, 0.1978, 0.1790], [0.3114, 0.2697, 0.2441]]


def test_minibatch_logits(minibatch):
    X, y = minibatch
    Z = sl.logits(datasets.slide_theta(3), X)
    assert Z.shape == (3, 3)
    # ours is s x k, the slide's is k x s: compare the transpose
    np.testing.assert_allclose(Z.T, Z_SLIDE, rtol=0, atol=1e-12)


def test_minibatch_probabilities(minibatch):
    X, y = minibatch
    P = sl.predict_proba(datasets.slide_theta(3), X).T  # k x s like the slide
    for i in range(3):
        for u in range(3):
            what = f"y_hat_{i + 1}^({u + 1})"
            if (i, u) == (0, 2):
                # the slide TRUNCATES: 0.576858 -> 0.5768 (rounded: 0.5769)
                assert_truncated(P[i, u], P_SLIDE[i][u], 4, what)
            else:
                assert_rounded(P[i, u], P_SLIDE[i][u], 4, what)


def test_minibatch_log_terms(minibatch):
    X, y = minibatch
    logP = sl.log_softmax(sl.logits(datasets.slide_theta(3), X))
    terms = logP[np.arange(3), y]
    # slide: -1/3 [log 0.4039 + log 0.1978 + log 0.2441] = -1/3 [-0.90 - 1.62 - 1.41]
    # exact terms: -0.906539, -1.620311, -1.410159
    # the slide TRUNCATES the first: -0.906539 -> -0.90 (rounded: -0.91)
    assert_truncated(terms[0], -0.90, 2, "log y_hat_1^(1)")
    assert_rounded(terms[1], -1.62, 2, "log y_hat_2^(2)")
    assert_rounded(terms[2], -1.41, 2, "log y_hat_3^(3)")


def test_minibatch_loss(minibatch):
    X, y = minibatch
    loss = sl.cross_entropy(datasets.slide_theta(3), X, y)
    assert_rounded(loss, 1.31, 2, "L")  # exact 1.312336
    assert math.isclose(loss, -np.mean(sl.log_softmax(
        sl.logits(datasets.slide_theta(3), X))[np.arange(3), y]), rel_tol=1e-12)


# gradient columns typed from the slide: dL/dtheta_1, dL/dtheta_2, dL/dtheta_3
G_SLIDE = {0: [0.171, 1.612, 0.667], 1: [-0.112, -0.780, -0.277], 2: [-0.058, -0.832, -0.389]}
# exact:
#   dL/dtheta_1 = [0.171068, 1.612896, 0.667251]
#   dL/dtheta_2 = [-0.112829, -0.780199, -0.277550]
#   dL/dtheta_3 = [-0.058239, -0.832697, -0.389701]
# Entries the slide TRUNCATES (rounding would print the other last digit):
G_TRUNCATED = {(1, 0),          # 1.612896 -> 1.612 (rounded 1.613)
               (0, 1), (2, 1),  # -0.112829 -> -0.112, -0.277550 -> -0.277
               (1, 2), (2, 2)}  # -0.832697 -> -0.832, -0.389701 -> -0.389


def test_minibatch_gradient_columns(minibatch):
    X, y = minibatch
    grad = sl.gradient(datasets.slide_theta(3), X, y)
    assert grad.shape == (3, 3)
    for col, printed_column in G_SLIDE.items():
        for row, printed in enumerate(printed_column):
            what = f"dL/dtheta_{col + 1}[{row}]"
            if (row, col) in G_TRUNCATED:
                assert_truncated(grad[row, col], printed, 3, what)
            else:
                assert_rounded(grad[row, col], printed, 3, what)


def test_minibatch_dL_dz_of_class_1(minibatch):
    # slide: dL/dtheta_1 = 1/3 [ x^(1) (0.4039 - 1) + x^(2) 0.5324 + x^(3) 0.5768 ]
    X, y = minibatch
    fb = sl.forward_backward(datasets.slide_theta(3), X, y)
    assert_rounded(fb.dZ[0, 0], 0.4039 - 1, 4, "y_hat_1^(1) - 1")
    assert_rounded(fb.dZ[1, 0], 0.5324, 4, "y_hat_1^(2) - 0")
    # the slide TRUNCATES: 0.576858 -> 0.5768 (rounded: 0.5769)
    assert_truncated(fb.dZ[2, 0], 0.5768, 4, "y_hat_1^(3) - 0")


def test_minibatch_gradient_formula_brackets_erratum():
    # ERRATUM (formula): the slide writes
    #   1/3 [1, 1.5, 0.2](0.4039 - 1) + [1, 4.7, 1.6] 0.5324 + [1, 5.6, 2.2] 0.5768
    # with 1/3 on the first term only; its result [0.171, 1.612, 0.667] needs
    # 1/3 on the whole sum.  Read literally, the first entry would be 0.910.
    x1, x2, x3 = np.array([1, 1.5, 0.2]), np.array([1, 4.7, 1.6]), np.array([1, 5.6, 2.2])
    literal = x1 * (0.4039 - 1) / 3 + x2 * 0.5324 + x3 * 0.5768
    bracketed = (x1 * (0.4039 - 1) + x2 * 0.5324 + x3 * 0.5768) / 3
    np.testing.assert_allclose(bracketed, G_SLIDE[0], atol=0.001)
    assert abs(literal[0] - 0.171) > 0.5


def test_minibatch_gradient_is_mean_of_per_sample_terms(minibatch):
    # slide: dL/dtheta_i = 1/s sum_u x^(u) (y_hat_i^(u) - delta(i, y^(u)))
    X, y = minibatch
    theta = datasets.slide_theta(3)
    per_sample = [sl.gradient(theta, X[[u]], y[[u]]) for u in range(3)]
    np.testing.assert_allclose(sl.gradient(theta, X, y), np.mean(per_sample, axis=0),
                               rtol=1e-12, atol=1e-15)


THETA_UPDATED_SLIDE = [[0.083, 0.061, -0.094], [-0.061, -0.022, 0.183],
                       [0.133, 0.228, -0.061]]
# exact: [[0.082893, 0.061283, -0.094176], [-0.061290, -0.021980, 0.183270],
#         [0.133275, 0.227755, -0.061030]]  -> every entry is ROUNDED on the slide


@pytest.mark.parametrize("batch_size", [3, None])
def test_minibatch_update(minibatch, batch_size):
    X, y = minibatch
    res = sl.fit(X, y, theta=datasets.slide_theta(3), lr=0.1, epochs=1,
                 batch_size=batch_size, shuffle=False)
    assert res.history.n_updates == 1
    assert_rounded(res.history.loss[0], 1.31, 2, "L before the update")
    for i in range(3):
        for j in range(3):
            assert_rounded(res.theta[i, j], THETA_UPDATED_SLIDE[i][j], 3,
                           f"updated theta[{i},{j}]")
    # 0.082893, -0.021980 and 0.227755 are rounded UP in magnitude on the slide,
    # i.e. these three are definitely not truncated:
    assert math.trunc(res.theta[0, 0] * 1000) == 82
    assert math.trunc(res.theta[1, 1] * 1000) == -21
    assert math.trunc(res.theta[2, 1] * 1000) == 227


def test_minibatch_update_from_slide_gradient_agrees():
    # the slide computes theta - 0.1 * (its printed gradient); that route gives
    # the same 3-decimal matrix, so the slide is consistent here
    G = np.array([[0.171, -0.112, -0.058], [1.612, -0.780, -0.832], [0.667, -0.277, -0.389]])
    np.testing.assert_allclose(np.array(THETA3_SLIDE) - 0.1 * G, THETA_UPDATED_SLIDE,
                               atol=0.0005 + 1e-12)


# ===========================================================================
# 4. Two-class mini-batch m = 2: (1.4, 0) and (4.5, 1) from the 0-based
#    6-row petal table = indices 0 and 3 of "petal_2class" after y - 1.
# ===========================================================================
@pytest.fixture
def two_class_batch():
    table = datasets.load_slide_table("petal_2class")
    X = table.data[[0, 3]]
    y = table.target[[0, 3]]
    np.testing.assert_array_equal(X, [[1.4], [4.5]])
    np.testing.assert_array_equal(y, [0, 1])
    return X, y


def test_two_class_batch_probabilities(two_class_batch):
    X, y = two_class_batch
    P = sl.predict_proba(datasets.slide_theta(2), X)
    # slide: y_hat_0 = [0.615, 0.802] (exact 0.615385, 0.802184: rounded)
    assert_rounded(P[0, 0], 0.615, 3, "y_hat_0^(0)")
    assert_rounded(P[1, 0], 0.802, 3, "y_hat_0^(1)")


def test_two_class_batch_dL_dz0(two_class_batch):
    X, y = two_class_batch
    fb = sl.forward_backward(datasets.slide_theta(2), X, y)
    # slide: dL/dz_0 = [0.615, 0.802] - [1, 0] = [-0.385, 0.802]; per sample,
    # not divided by m
    assert_rounded(fb.dZ[0, 0], -0.385, 3, "dL/dz_0^(0)")
    assert_rounded(fb.dZ[1, 0], 0.802, 3, "dL/dz_0^(1)")


def test_two_class_batch_dL_db0(two_class_batch):
    X, y = two_class_batch
    grad = sl.gradient(datasets.slide_theta(2), X, y)
    # slide: 1/2 (-0.385 + 0.802) = 0.209.  Exact 0.208784: rounded (the
    # truncated value would be 0.208).
    assert_rounded(grad[0, 0], 0.209, 3, "dL/db_0")
    assert math.trunc(grad[0, 0] * 1000) == 208


def test_two_class_batch_dL_dw0(two_class_batch):
    X, y = two_class_batch
    grad = sl.gradient(datasets.slide_theta(2), X, y)
    # slide: 1/2 (-0.385*1.4 + 0.802*4.5) = 1.536.  Exact 1.535682: rounded.
    # (The slide's own arithmetic on its rounded intermediates gives 1.535;
    # the printed 1.536 is the correctly rounded exact value.)
    assert_rounded(grad[1, 0], 1.536, 3, "dL/dw_0")
    assert math.isclose(0.5 * (-0.385 * 1.4 + 0.802 * 4.5), 1.535, abs_tol=1e-12)
    # two classes: the class-1 column is the negative of the class-0 column
    np.testing.assert_allclose(grad[:, 1], -grad[:, 0], rtol=1e-12)
