"""Data: Fisher's iris, and every table printed in the slide deck (numpy only).

Iris
----
``load_iris()`` reads the 150 x 4 table shipped in ``softmax_lab/data/iris.csv``
with Fisher's published values (Fisher 1936; identical to R's ``iris`` and to
scikit-learn's copy since 0.20). The file that the UCI repository long served
differs in two values: sample 35 is printed there as ``4.9, 3.1, 1.5, 0.1``
(Fisher: ``4.9, 3.1, 1.5, 0.2``) and sample 38 as ``4.9, 3.1, 1.5, 0.1``
(Fisher: ``4.9, 3.6, 1.4, 0.1``). Samples are numbered from 1 here, as in the
papers; in code they are rows 34 and 37.

The slide deck's tables
-----------------------
``load_slide_table(name)`` returns a table *exactly as printed* in the deck
(*Softmax Regression*, slides "Generalization" and "Another Approach"). The labels as printed are kept in ``target_slide``
(the first half of the deck numbers classes 1..k, the "another approach" half
0..k-1); ``target`` is always 0-based, converted here, visibly, at the data
boundary. ``slide_theta(k)`` returns the deck's starting theta.

The deck's 9-row tables are real iris flowers: the 1-based ones are samples
28-30, 57-59 and 133-135, except that row 5 prints petal width 1.1 where
Fisher's sample 58 has 1.0 (kept as printed: the slides' numbers come from the
table as printed; no worked example uses that row); the 0-based 4-feature table
is samples 1-3, 52-54 and 107-109.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from ._validation import as_int

__all__ = ["Dataset", "load_iris", "load_slide_table", "slide_theta", "SLIDE_TABLES"]


@dataclass
class Dataset:
    """A small labelled table, shaped like scikit-learn's loaders.

    Attributes
    ----------
    data : ndarray of shape (n_samples, n_features)
    target : ndarray of int, shape (n_samples,)
        0-based labels.
    feature_names : list of str
    target_names : list of str
    target_slide : ndarray of int, shape (n_samples,) or None
        Labels as printed on the slide (None for iris).
    name : str
    slide : str
        Where the table appears (slide titles), or the data's source.
    description : str
    """

    data: np.ndarray
    target: np.ndarray
    feature_names: list
    target_names: list
    target_slide: np.ndarray | None = None
    name: str = ""
    slide: str = ""
    description: str = field(default="", repr=False)

    @property
    def n_samples(self) -> int:
        return int(self.data.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.data.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.target_names)


def load_iris() -> Dataset:
    """Fisher's iris data: 150 samples, 4 features (cm), 3 species.

    Returns
    -------
    Dataset
        ``.data`` of shape (150, 4): sepal length, sepal width, petal length,
        petal width; ``.target`` of shape (150,) in 0..2 (setosa, versicolor,
        virginica), 50 of each.

    Examples
    --------
    >>> iris = load_iris()
    >>> iris.data.shape, iris.target[[0, 50, 100]].tolist()
    ((150, 4), [0, 1, 2])
    """
    text = resources.files("softmax_lab").joinpath("data/iris.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    header, body = rows[0], rows[1:]
    target_names = ["setosa", "versicolor", "virginica"]
    data = np.array([[float(v) for v in r[:4]] for r in body])
    target = np.array([target_names.index(r[4]) for r in body], dtype=np.intp)
    feature_names = [h.replace("_cm", " (cm)").replace("_", " ") for h in header[:4]]
    return Dataset(
        data=data,
        target=target,
        feature_names=feature_names,
        target_names=target_names,
        name="iris",
        slide="Fisher (1936), as in R's iris and scikit-learn",
        description=__doc__.split("The slide deck")[0].strip(),
    )


# Each table: (feature names, rows of features, labels as printed, first printed
# label, class names, where in the deck). Typed in from the deck.
_PETAL_2CLASS = [1.4, 1.3, 1.5, 4.5, 4.1, 4.6]
_IRIS9_4 = [
    [5.2, 3.5, 1.5, 0.2],
    [5.2, 3.4, 1.4, 0.2],
    [4.7, 3.2, 1.6, 0.2],
    [6.3, 3.3, 4.7, 1.6],
    [4.9, 2.4, 3.3, 1.1],
    [6.6, 2.9, 4.6, 1.3],
    [6.4, 2.8, 5.6, 2.2],
    [6.3, 2.8, 5.1, 1.5],
    [6.1, 2.6, 5.6, 1.4],
]
_IRIS9_4_0BASED = [
    [5.1, 3.5, 1.4, 0.2],
    [4.9, 3.0, 1.4, 0.2],
    [4.7, 3.2, 1.3, 0.2],
    [6.4, 3.2, 4.5, 1.5],
    [6.9, 3.1, 4.9, 1.5],
    [5.5, 2.3, 4.0, 1.3],
    [4.9, 2.5, 4.5, 1.7],
    [7.3, 2.9, 6.3, 1.8],
    [6.7, 2.5, 5.8, 1.8],
]
_FOUR = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
_SPECIES = ["setosa", "versicolor", "virginica"]

_TABLES = {
    "petal_2class": dict(
        features=["petal length (cm)"],
        data=[[v] for v in _PETAL_2CLASS],
        labels=[1, 1, 1, 2, 2, 2],
        class_names=["setosa", "versicolor"],
        slide="'Simple Illustration - Summary' and 'Training data' (labels 1, 2; "
        "'* Label indices are from 1'); the same table with labels 0, 1 in the "
        "one-hot part ('Category A/B')",
    ),
    "iris9_4features": dict(
        features=_FOUR,
        data=_IRIS9_4,
        labels=[1, 1, 1, 2, 2, 2, 3, 3, 3],
        class_names=_SPECIES,
        slide="'4-D Feature and three classes', 'Generalization - Stochastic' and "
        "'Generalization - Batch' (labels 1..3)",
    ),
    "iris9_petal": dict(
        features=["petal length (cm)", "petal width (cm)"],
        data=[row[2:] for row in _IRIS9_4],
        labels=[1, 1, 1, 2, 2, 2, 3, 3, 3],
        class_names=_SPECIES,
        slide="'Examples Stochastic and Batch': the 3-class stochastic example "
        "(x = [1, 1.4, 0.2], y = 1: row 2) and the s = 3 mini-batch (rows 1, 4, 7)",
    ),
    "another_approach": dict(
        features=["petal length (cm)"],
        data=[[1.4], [1.0], [1.5], [3.0], [3.8], [4.1]],
        labels=[0, 0, 0, 1, 1, 1],
        class_names=["category 0", "category 1"],
        slide="'Another Approach - Simple illustration' and 'Summary' (categories 0, 1)",
    ),
    "petal_3class": dict(
        features=["petal length (cm)"],
        data=[[1.4], [1.3], [1.5], [4.5], [4.1], [4.6], [5.2], [5.6], [5.9]],
        labels=[0, 0, 0, 1, 1, 1, 2, 2, 2],
        class_names=_SPECIES,
        slide="'Generalization' in the one-hot part (#feature n=1, #class K=3, labels 0..2)",
    ),
    "iris9_4features_0based": dict(
        features=_FOUR,
        data=_IRIS9_4_0BASED,
        labels=[0, 0, 0, 1, 1, 1, 2, 2, 2],
        class_names=_SPECIES,
        slide="'Generalization - Stochastic' / 'Generalization - Batch' in the one-hot "
        "part (labels 0..2; the stochastic slide shows 8 rows, the batch slide all 9)",
    ),
}

SLIDE_TABLES = tuple(_TABLES)


def load_slide_table(name: str) -> Dataset:
    """A table from the slide deck, exactly as printed.

    Parameters
    ----------
    name : str
        One of :data:`SLIDE_TABLES`: ``"petal_2class"``, ``"iris9_4features"``,
        ``"iris9_petal"``, ``"another_approach"``, ``"petal_3class"``,
        ``"iris9_4features_0based"``.

    Returns
    -------
    Dataset
        ``.data`` as printed, ``.target_slide`` the labels as printed,
        ``.target`` the 0-based labels (``target_slide - 1`` where the slide
        numbers classes from 1).

    Examples
    --------
    >>> t = load_slide_table("petal_2class")
    >>> t.data.ravel().tolist(), t.target_slide.tolist(), t.target.tolist()
    ([1.4, 1.3, 1.5, 4.5, 4.1, 4.6], [1, 1, 1, 2, 2, 2], [0, 0, 0, 1, 1, 1])
    """
    if not isinstance(name, str) or name.strip() not in _TABLES:
        raise ValueError(f"unknown slide table {name!r}; choose one of {', '.join(SLIDE_TABLES)}.")
    name = name.strip()
    spec = _TABLES[name]
    printed = np.array(spec["labels"], dtype=np.intp)
    one_based = printed.min() == 1
    target = printed - 1 if one_based else printed.copy()  # the data boundary: 1-based -> 0-based
    return Dataset(
        data=np.array(spec["data"], dtype=float),
        target=target,
        feature_names=list(spec["features"]),
        target_names=list(spec["class_names"]),
        target_slide=printed,
        name=name,
        slide=spec["slide"],
        description=(
            f"slide table {name!r}: labels printed {'1' if one_based else '0'}-based "
            f"on the slide; target is 0-based."
        ),
    )


_SLIDE_THETA = {
    2: [[0.1, 0.05], [0.2, -0.1]],
    3: [[0.1, 0.05, -0.1], [0.1, -0.1, 0.1], [0.2, 0.2, -0.1]],
}


def slide_theta(n_classes: int) -> np.ndarray:
    """The deck's starting theta (a fresh copy each call).

    Parameters
    ----------
    n_classes : {2, 3}
        2: the petal-length example, ``[[b_1, b_2], [w_1, w_2]] =
        [[0.1, 0.05], [0.2, -0.1]]``; 3: the petal length and width example,
        shape (3, 3).

    Returns
    -------
    theta : ndarray of shape (n_features + 1, n_classes)

    Examples
    --------
    >>> slide_theta(2).tolist()
    [[0.1, 0.05], [0.2, -0.1]]
    """
    n_classes = as_int(n_classes, "n_classes", example="slide_theta(3)")
    if n_classes not in _SLIDE_THETA:
        raise ValueError(
            f"the deck gives a starting theta for n_classes = 2 or 3, not {n_classes}; "
            f"use slide_theta(2) or slide_theta(3), or np.zeros((n_features + 1, n_classes))."
        )
    return np.array(_SLIDE_THETA[n_classes], dtype=float)
