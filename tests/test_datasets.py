"""softmax_lab.datasets: Fisher's iris and every table printed in the deck.

The slide tables below are typed in from the deck (*Softmax Regression*),
exactly as printed, with the labels as printed.  Fisher's iris values are
checked against R's / Fisher's published numbers (two rows the UCI file gets
wrong, R's column means) and against scikit-learn's independent copy.
"""

import numpy as np
import pytest

import softmax_lab as sl
from softmax_lab import datasets

# ---------------------------------------------------------------------------
# the deck's tables, typed from the slides (labels as printed)
# ---------------------------------------------------------------------------
# "Simple Illustration" / "Training data": Petal_Length, Label 1/2 (1-based)
PETAL_2CLASS = ([[1.4], [1.3], [1.5], [4.5], [4.1], [4.6]], [1, 1, 1, 2, 2, 2])

# "4-D Feature and three classes": Sepal_Length, Sepal_Width, Petal_Length,
# Petal_Width, Label 1..3 (1-based)
IRIS9_4FEATURES = ([[5.2, 3.5, 1.5, 0.2],
                    [5.2, 3.4, 1.4, 0.2],
                    [4.7, 3.2, 1.6, 0.2],
                    [6.3, 3.3, 4.7, 1.6],
                    [4.9, 2.4, 3.3, 1.1],
                    [6.6, 2.9, 4.6, 1.3],
                    [6.4, 2.8, 5.6, 2.2],
                    [6.3, 2.8, 5.1, 1.5],
                    [6.1, 2.6, 5.6, 1.4]], [1, 1, 1, 2, 2, 2, 3, 3, 3])

# "Examples Stochastic and Batch": Petal_Length, Petal_Width, Label 1..3
IRIS9_PETAL = ([[1.5, 0.2], [1.4, 0.2], [1.6, 0.2],
                [4.7, 1.6], [3.3, 1.1], [4.6, 1.3],
                [5.6, 2.2], [5.1, 1.5], [5.6, 1.4]], [1, 1, 1, 2, 2, 2, 3, 3, 3])

# "Another Approach": Petal_Length, Category 0/1 (0-based)
ANOTHER_APPROACH = ([[1.4], [1.0], [1.5], [3.0], [3.8], [4.1]], [0, 0, 0, 1, 1, 1])

# "Generalization" (0-based): Petal_Length, Label 0..2
PETAL_3CLASS = ([[1.4], [1.3], [1.5], [4.5], [4.1], [4.6], [5.2], [5.6], [5.9]],
                [0, 0, 0, 1, 1, 1, 2, 2, 2])

# "Generalization - Batch" (0-based): 4 features, Label 0..2
IRIS9_4FEATURES_0BASED = ([[5.1, 3.5, 1.4, 0.2],
                           [4.9, 3.0, 1.4, 0.2],
                           [4.7, 3.2, 1.3, 0.2],
                           [6.4, 3.2, 4.5, 1.5],
                           [6.9, 3.1, 4.9, 1.5],
                           [5.5, 2.3, 4.0, 1.3],
                           [4.9, 2.5, 4.5, 1.7],
                           [7.3, 2.9, 6.3, 1.8],
                           [6.7, 2.5, 5.8, 1.8]], [0, 0, 0, 1, 1, 1, 2, 2, 2])

SLIDE_TABLES = {
    # name: (data, labels as printed, slide labels are 1-based?)
    "petal_2class": (*PETAL_2CLASS, True),
    "iris9_4features": (*IRIS9_4FEATURES, True),
    "iris9_petal": (*IRIS9_PETAL, True),
    "another_approach": (*ANOTHER_APPROACH, False),
    "petal_3class": (*PETAL_3CLASS, False),
    "iris9_4features_0based": (*IRIS9_4FEATURES_0BASED, False),
}


def test_slide_table_names():
    assert set(datasets.SLIDE_TABLES) == set(SLIDE_TABLES)


@pytest.mark.parametrize("name", sorted(SLIDE_TABLES))
def test_slide_table_exactly_as_printed(name):
    data, printed_labels, one_based = SLIDE_TABLES[name]
    table = datasets.load_slide_table(name)
    np.testing.assert_array_equal(table.data, data)  # exact: the printed decimals
    assert table.data.dtype.kind == "f"
    np.testing.assert_array_equal(table.target_slide, printed_labels)
    # 0-based labels beside the printed ones
    expected_target = np.array(printed_labels) - (1 if one_based else 0)
    np.testing.assert_array_equal(table.target, expected_target)
    assert np.issubdtype(np.asarray(table.target).dtype, np.integer)
    assert table.target.min() == 0
    assert len(table.feature_names) == table.data.shape[1]
    assert table.slide  # says where in the deck the table is


@pytest.mark.parametrize("name", sorted(SLIDE_TABLES))
def test_slide_tables_are_fresh_copies(name):
    a = datasets.load_slide_table(name)
    a.data[0, 0] = -999.0
    a.target[0] = 7
    b = datasets.load_slide_table(name)
    assert b.data[0, 0] == SLIDE_TABLES[name][0][0][0]
    assert b.target[0] != 7


def test_petal_table_is_the_petal_columns_of_the_4_feature_table():
    four = datasets.load_slide_table("iris9_4features")
    petal = datasets.load_slide_table("iris9_petal")
    np.testing.assert_array_equal(petal.data, four.data[:, 2:])
    np.testing.assert_array_equal(petal.target, four.target)


def test_slide_tables_come_from_iris_except_one_printed_value():
    iris = datasets.load_iris()
    zero_based = datasets.load_slide_table("iris9_4features_0based")
    # iris samples 1-3, 52-54, 107-109 (1-based), same species
    rows = [0, 1, 2, 51, 52, 53, 106, 107, 108]
    np.testing.assert_array_equal(zero_based.data, iris.data[rows])
    np.testing.assert_array_equal(zero_based.target, iris.target[rows])
    one_based = datasets.load_slide_table("iris9_4features")
    rows = [27, 28, 29, 56, 57, 58, 132, 133, 134]
    np.testing.assert_array_equal(one_based.target, iris.target[rows])
    same = np.ones((9, 4), dtype=bool)
    # ERRATUM (slide data): row 5 of the 9-row tables prints petal width 1.1,
    # Fisher's sample 58 has 1.0.  The deck's worked examples never use row 5.
    same[4, 3] = False
    np.testing.assert_array_equal(one_based.data[same], iris.data[rows][same])
    assert one_based.data[4, 3] == 1.1 and iris.data[57, 3] == 1.0


def test_slide_theta_values_and_fresh_copies():
    t2 = datasets.slide_theta(2)
    t3 = datasets.slide_theta(3)
    np.testing.assert_array_equal(t2, [[0.1, 0.05], [0.2, -0.1]])
    np.testing.assert_array_equal(t3, [[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]])
    assert t2.shape == (2, 2) and t3.shape == (3, 3)
    t2[0, 0] = 42.0
    t3 -= 1.0
    np.testing.assert_array_equal(datasets.slide_theta(2), [[0.1, 0.05], [0.2, -0.1]])
    np.testing.assert_array_equal(datasets.slide_theta(3),
                                  [[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]])
    assert datasets.slide_theta(2) is not datasets.slide_theta(2)


# ---------------------------------------------------------------------------
# Fisher's iris
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def iris():
    return datasets.load_iris()


def test_iris_shape_and_classes(iris):
    assert iris.data.shape == (150, 4)
    assert iris.data.dtype.kind == "f"
    assert iris.target.shape == (150,)
    assert np.issubdtype(iris.target.dtype, np.integer)
    np.testing.assert_array_equal(np.bincount(iris.target), [50, 50, 50])
    # 0-based, in the classic order: 50 setosa, 50 versicolor, 50 virginica
    np.testing.assert_array_equal(iris.target, np.repeat([0, 1, 2], 50))


def test_iris_names(iris):
    assert len(iris.feature_names) == 4
    for name, words in zip(iris.feature_names, [("sepal", "length"), ("sepal", "width"),
                                                ("petal", "length"), ("petal", "width")]):
        assert all(w in name.lower() for w in words), name
    assert len(iris.target_names) == 3
    for name, species in zip(iris.target_names, ["setosa", "versicolor", "virginica"]):
        assert species in str(name).lower()


def test_iris_fisher_values_not_uci(iris):
    # Fisher (1936) / R's `iris`: sample 35 is 4.9, 3.1, 1.5, 0.2 and sample 38
    # is 4.9, 3.6, 1.4, 0.1.  The UCI file has 4.9, 3.1, 1.5, 0.1 for both
    # (documented in UCI's iris.names, and in scikit-learn's DESCR).
    np.testing.assert_array_equal(iris.data[34], [4.9, 3.1, 1.5, 0.2])
    np.testing.assert_array_equal(iris.data[37], [4.9, 3.6, 1.4, 0.1])
    assert iris.target[34] == 0 and iris.target[37] == 0


def test_iris_known_rows(iris):
    # first and last sample, as printed by head(iris) / tail(iris) in R
    np.testing.assert_array_equal(iris.data[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_array_equal(iris.data[50], [7.0, 3.2, 4.7, 1.4])
    np.testing.assert_array_equal(iris.data[100], [6.3, 3.3, 6.0, 2.5])
    np.testing.assert_array_equal(iris.data[149], [5.9, 3.0, 5.1, 1.8])


def test_iris_column_means_match_r_summary(iris):
    # summary(iris) in R: means 5.843, 3.057, 3.758, 1.199 (3 decimals, rounded)
    # (with the UCI errors the sepal-width mean would be 3.054)
    np.testing.assert_allclose(iris.data.mean(axis=0), [5.843, 3.057, 3.758, 1.199],
                               atol=5e-4 + 1e-12, rtol=0)
    assert iris.data.sum() == pytest.approx(2078.7, abs=1e-9)


def test_iris_equals_scikit_learn_copy(iris):
    sk = pytest.importorskip("sklearn.datasets")
    ref = sk.load_iris()
    np.testing.assert_array_equal(iris.data, ref.data)
    np.testing.assert_array_equal(iris.target, ref.target)


def test_iris_is_a_fresh_copy():
    a = datasets.load_iris()
    a.data[0, 0] = -1.0
    assert datasets.load_iris().data[0, 0] == 5.1


def test_iris_trains_through_the_api(iris):
    # the loader's output feeds fit directly (0-based labels, no warning)
    X = (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0)
    res = sl.fit(X, iris.target, lr=0.5, epochs=100, batch_size=None)
    assert np.mean(sl.predict(res.theta, X) == iris.target) > 0.9


def test_unknown_slide_table_lists_the_names():
    with pytest.raises((ValueError, KeyError)) as info:
        datasets.load_slide_table("petal")
    for name in SLIDE_TABLES:
        assert name in str(info.value)


@pytest.mark.parametrize("n_classes", [1, 4, 10])
def test_slide_theta_only_for_the_decks_class_counts(n_classes):
    with pytest.raises(ValueError, match=r"2 or 3|class"):
        datasets.slide_theta(n_classes)
