"""softmax_lab on real data: agreement with scikit-learn on iris, and ten-class digits.

scikit-learn is a dependency of the notebooks and of these tests, never of the
softmax_lab core.  Each test takes a second or two at most.
"""

import numpy as np
import pytest

import softmax_lab as sl

sklearn = pytest.importorskip("sklearn")
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402


@pytest.fixture(scope="module")
def iris_standardised():
    iris = sl.datasets.load_iris()
    X = (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0)
    return X, iris.target


def _sklearn_theta(X, y, C):
    """[intercept_; coef_.T] of scikit-learn's multinomial L2 logistic regression, to convergence."""
    # L2 is the default penalty (l1_ratio=0 since 1.8, penalty="l2" before): pass only C
    clf = LogisticRegression(C=C, solver="lbfgs", tol=1e-12, max_iter=10_000)
    clf.fit(X, y)
    return np.vstack([clf.intercept_, clf.coef_.T]), clf


def _centred(theta):
    """theta with the mean bias subtracted from the bias row: one representative per line of minimisers."""
    return np.vstack([theta[0] - theta[0].mean(), theta[1:]])


def test_a_bias_shift_changes_nothing_and_centring_removes_it(iris_standardised):
    X, y = iris_standardised
    theta = sl.fit(X, y, lr=1.0, epochs=500, reg=0.01).theta
    shifted = theta.copy()
    shifted[0] += 5.0
    assert abs(sl.cross_entropy(shifted, X, y, reg=0.01) - sl.cross_entropy(theta, X, y, reg=0.01)) < 1e-12
    np.testing.assert_allclose(sl.gradient(shifted, X, y, reg=0.01), sl.gradient(theta, X, y, reg=0.01), atol=1e-12)
    np.testing.assert_allclose(_centred(shifted), _centred(theta), atol=1e-12)
    assert np.abs(shifted - theta).max() == 5.0           # uncentred, the two representations differ


@pytest.mark.parametrize("reg", [0.01, 0.1])
def test_fit_agrees_with_sklearn_on_iris(iris_standardised, reg):
    # sklearn minimises C * sum_i CE_i + 1/2 ||W||^2; we minimise mean CE + reg/2 ||W||^2.
    # Dividing sklearn's objective by n*C gives ours with reg = 1/(n*C), so C = 1/(n*reg).
    X, y = iris_standardised
    n_samples = X.shape[0]
    theta_sk, clf = _sklearn_theta(X, y, C=1.0 / (n_samples * reg))

    res = sl.fit(X, y, lr=1.0, epochs=3000, reg=reg)  # full batch from theta = 0
    assert np.linalg.norm(sl.gradient(res.theta, X, y, reg=reg)) < 1e-6  # converged

    assert res.theta.shape == theta_sk.shape == (5, 3)
    # the bias row is not penalised, so the minimisers form a line (any constant added to all biases):
    # compare one point of it, the centred theta, and the probabilities, which do not depend on the shift
    np.testing.assert_allclose(_centred(res.theta), _centred(theta_sk), atol=1e-3, rtol=0)
    np.testing.assert_allclose(sl.predict_proba(res.theta, X), clf.predict_proba(X), atol=1e-4, rtol=0)


def test_wrong_c_mapping_does_not_agree(iris_standardised):
    # The agreement above is not automatic: forgetting the 1/m (C = 1/reg) gives a different optimum.
    X, y = iris_standardised
    reg = 0.01
    theta_wrong, _ = _sklearn_theta(X, y, C=1.0 / reg)
    theta = sl.fit(X, y, lr=1.0, epochs=3000, reg=reg).theta
    assert np.abs(_centred(theta) - _centred(theta_wrong)).max() > 0.1


def test_ten_class_digits_fit_reaches_093_test_accuracy():
    digits = load_digits()
    X = digits.data / 16.0  # pixel intensities 0..16 -> [0, 1], a fixed scale (nothing learned from the data)
    y = digits.target
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    res = sl.fit(X_train, y_train, lr=0.5, epochs=20, batch_size=32, seed=0, n_classes=10)

    assert res.theta.shape == (65, 10)
    assert not res.diverged
    assert res.history.n_updates == 20 * 43  # ceil(1347 / 32) = 43 mini-batches per epoch
    test_accuracy = np.mean(sl.predict(res.theta, X_test) == y_test)
    assert test_accuracy >= 0.93, f"test accuracy {test_accuracy:.3f} < 0.93"
