"""Bad input: every case from the foundation issue gets a ValueError/TypeError
whose message names the problem (checked with regexes on key words, not the
full text), through every public entry point that takes it.  An IndexError or
a raw numpy error ("matmul: Input operand ...", "could not convert string to
float") escaping would fail these tests.
"""

import re
import warnings

import numpy as np
import pytest

import softmax_lab as sl

# a valid problem: 5 samples, 2 features, 3 classes
THETA = np.array([[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]])
X = np.array([[1.5, 0.2], [4.7, 1.6], [5.6, 2.2], [1.4, 0.2], [3.3, 1.1]])
Y = np.array([0, 1, 2, 0, 1])

# entry points taking (theta, X, y)
XY_CALLS = {
    "cross_entropy": lambda t, x, y: sl.cross_entropy(t, x, y),
    "gradient": lambda t, x, y: sl.gradient(t, x, y),
    "loss_and_gradient": lambda t, x, y: sl.loss_and_gradient(t, x, y),
    "forward_backward": lambda t, x, y: sl.forward_backward(t, x, y),
    "fit": lambda t, x, y: sl.fit(x, y, theta=t, epochs=1, batch_size=None),
}
# entry points taking (theta, X)
X_CALLS = {
    "logits": lambda t, x, y: sl.logits(t, x),
    "predict_proba": lambda t, x, y: sl.predict_proba(t, x),
    "predict": lambda t, x, y: sl.predict(t, x),
}
ALL_CALLS = {**XY_CALLS, **X_CALLS}


def raises(exc, call, *patterns):
    """`call()` raises `exc`; its message matches every regex (case-insensitive)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a 1-based-label warning may precede the error
        with pytest.raises(exc) as info:
            call()
    message = str(info.value)
    for pattern in patterns:
        assert re.search(pattern, message, re.IGNORECASE), (
            f"message {message!r} does not match {pattern!r}")
    # not a bare numpy message
    assert "operand" not in message and "could not convert" not in message.lower(), message
    return message


THETA_WORD = r"theta"
X_WORD = r"\bX\b"
Y_WORD = r"\by\b|label"


# ---------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ALL_CALLS))
@pytest.mark.parametrize("theta", [THETA[:2], np.vstack([THETA, THETA[:1]])],
                         ids=["too_few_rows", "too_many_rows"])
def test_theta_rows_not_n_features_plus_1(name, theta):
    raises(ValueError, lambda: ALL_CALLS[name](theta, X, Y),
           THETA_WORD, r"rows?|shape|n_features|\+ ?1")


@pytest.mark.parametrize("name", sorted(ALL_CALLS))
def test_column_of_ones_mistake(name):
    # adding the column of ones to X by hand (the slides' x_0 = 1) is the
    # classic way to get theta's rows wrong: it must be caught, not broadcast
    X1 = np.hstack([np.ones((5, 1)), X])
    raises(ValueError, lambda: ALL_CALLS[name](THETA, X1, Y),
           THETA_WORD, r"rows?|shape|n_features|\+ ?1")


@pytest.mark.parametrize("name", sorted(ALL_CALLS))
@pytest.mark.parametrize("bad_X", [X[:, 0], X[None]], ids=["1d", "3d"])
def test_X_not_2d(name, bad_X):
    theta = THETA[:2] if bad_X.ndim == 1 else THETA
    raises(ValueError, lambda: ALL_CALLS[name](theta, bad_X, Y),
           X_WORD, r"2-?d|two.dim|dimension|ndim|reshape")


@pytest.mark.parametrize("name", sorted(XY_CALLS))
@pytest.mark.parametrize("y", [Y[:4], np.append(Y, 0)], ids=["short", "long"])
def test_len_y_not_n_samples(name, y):
    raises(ValueError, lambda: XY_CALLS[name](THETA, X, y),
           Y_WORD, r"samples?|length|len|rows?|size")


@pytest.mark.parametrize("name", sorted(ALL_CALLS))
def test_empty_X(name):
    raises(ValueError, lambda: ALL_CALLS[name](THETA, np.empty((0, 2)), np.array([], dtype=int)),
           r"empty|no samples|0 samples|zero samples|at least one")


# ---------------------------------------------------------------------------
# labels
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(XY_CALLS))
def test_negative_label(name):
    y = np.array([0, -1, 2, 0, 1])
    raises(ValueError, lambda: XY_CALLS[name](THETA, X, y),
           Y_WORD, r"negative|-1|0\s*(\.\.|to|-)|>= ?0|range")


@pytest.mark.parametrize("name", sorted(XY_CALLS))
def test_label_far_above_n_classes(name):
    y = np.array([0, 1, 7, 0, 1])
    raises(ValueError, lambda: XY_CALLS[name](THETA, X, y), Y_WORD, r"class")


@pytest.mark.parametrize("name", sorted(XY_CALLS))
def test_label_equal_to_n_classes_suggests_subtracting_1(name):
    # the slides' 1-based labels 1, 2, 3 with a 3-class theta
    y = np.array([1, 2, 3, 1, 2])
    raises(ValueError, lambda: XY_CALLS[name](THETA, X, y),
           Y_WORD, r"subtract(ing)? 1|y\s*-\s*1|minus 1")


def test_fit_with_n_classes_too_small_for_labels():
    raises(ValueError, lambda: sl.fit(X, Y, n_classes=2, epochs=1), Y_WORD, r"class")


@pytest.mark.parametrize("name", sorted(XY_CALLS))
@pytest.mark.parametrize("y", [np.array([0, 0.5, 2, 0, 1]), np.array([0.0, 1.0, 2.5, 0.0, 1.0])],
                         ids=["half", "two_and_a_half"])
def test_non_integer_labels(name, y):
    raises((ValueError, TypeError), lambda: XY_CALLS[name](THETA, X, y),
           r"integer|\bint\b")


@pytest.mark.parametrize("name", sorted(XY_CALLS))
def test_string_labels(name):
    y = np.array(["setosa", "versicolor", "virginica", "setosa", "versicolor"])
    raises((ValueError, TypeError), lambda: XY_CALLS[name](THETA, X, y),
           Y_WORD, r"integer|\bint\b")


def test_fit_without_theta_checks_labels_too():
    raises(ValueError, lambda: sl.fit(X, np.array([0, -1, 2, 0, 1]), epochs=1),
           Y_WORD, r"negative|-1|0\s*(\.\.|to|-)|>= ?0|range")
    raises((ValueError, TypeError), lambda: sl.fit(X, np.array([0, 0.5, 2, 0, 1]), epochs=1),
           r"integer|\bint\b")


def test_fit_warns_when_class_0_never_occurs():
    # labels 1..3 as printed on the slides, classes inferred: a phantom class 0
    y_slide = np.array([1, 2, 3, 1, 2])
    with pytest.warns(Warning, match=r"(?i)1-based|one-based|class 0|subtract(ing)? 1|y\s*-\s*1"):
        sl.fit(X, y_slide, epochs=1)


def test_no_1_based_warning_for_0_based_labels():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sl.fit(X, Y, epochs=1)


def test_one_hot_bad_labels():
    raises(ValueError, lambda: sl.one_hot(np.array([0, 3]), 3), Y_WORD)
    raises(ValueError, lambda: sl.one_hot(np.array([0, -1]), 3), Y_WORD)
    raises(ValueError, lambda: sl.one_hot(np.array([1, 2, 3]), 3), r"subtract(ing)? 1|y\s*-\s*1")


@pytest.mark.parametrize("y", [[0, 3], [1, 2, 3]])
def test_one_hot_message_names_its_own_argument(y):
    # one_hot takes no theta: its message must speak of n_classes, not of a
    # theta the caller never passed
    message = raises(ValueError, lambda: sl.one_hot(np.array(y), 3), r"n_classes")
    assert "theta" not in message, message


# ---------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(ALL_CALLS))
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_X(name, value):
    bad = X.copy()
    bad[2, 1] = value
    raises(ValueError, lambda: ALL_CALLS[name](THETA, bad, Y), X_WORD, r"nan|inf|finite")


@pytest.mark.parametrize("name", sorted(ALL_CALLS))
@pytest.mark.parametrize("value", [np.nan, np.inf], ids=["nan", "inf"])
def test_non_finite_theta(name, value):
    bad = THETA.copy()
    bad[1, 2] = value
    raises(ValueError, lambda: ALL_CALLS[name](bad, X, Y), THETA_WORD, r"nan|inf|finite")


@pytest.mark.parametrize("name", sorted(ALL_CALLS))
def test_non_numeric_X(name):
    bad = [["1.5", "a"], ["4.7", "b"], ["5.6", "c"], ["1.4", "d"], ["3.3", "e"]]
    raises((TypeError, ValueError), lambda: ALL_CALLS[name](THETA, bad, Y),
           X_WORD, r"numeric|number")


@pytest.mark.parametrize("name", sorted(ALL_CALLS))
def test_non_numeric_theta(name):
    bad = THETA.astype(str)
    bad[0, 0] = "b1"
    raises((TypeError, ValueError), lambda: ALL_CALLS[name](bad, X, Y),
           THETA_WORD, r"numeric|number")


# ---------------------------------------------------------------------------
# fit's arguments
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("lr", [0.0, -0.1])
def test_lr_not_positive(lr):
    raises(ValueError, lambda: sl.fit(X, Y, lr=lr, epochs=1),
           r"\blr\b|learning rate", r"positive|> ?0|greater than")


@pytest.mark.parametrize("batch_size", [0, -1, 6, 100])
def test_batch_size_out_of_range(batch_size):
    raises(ValueError, lambda: sl.fit(X, Y, batch_size=batch_size, epochs=1),
           r"batch_size|batch size")


def test_batch_size_bounds_are_inclusive():
    # 1 and n_samples are valid
    assert sl.fit(X, Y, batch_size=1, epochs=1, seed=0).history.n_updates == 5
    assert sl.fit(X, Y, batch_size=5, epochs=1, seed=0).history.n_updates == 1


def test_bad_input_errors_are_not_index_errors():
    # the classic failure of an unchecked one_hot / fancy index: label 3 with 3 classes
    for call in XY_CALLS.values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                call(THETA, X, np.array([3, 3, 3, 3, 3]))
            except (ValueError, TypeError):
                pass
            except Exception as error:  # noqa: BLE001 - the point of the test
                pytest.fail(f"{type(error).__name__} escaped: {error}")
            else:
                pytest.fail("label 3 with 3 classes was accepted")
