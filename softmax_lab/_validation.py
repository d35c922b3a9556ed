"""Input checks shared by the core functions (numpy only).

Every check raises ``ValueError`` or ``TypeError`` with a message that names
the problem *and* the fix, so a student never meets an ``IndexError`` from
deep inside numpy or a silent NaN.

Cost matters: ``loss_and_gradient`` must stay close to the two matrix
products it cannot avoid, even at 100,000 x 784.  So ``X`` is *not* scanned for
NaN/inf up front (that scan alone costs a noticeable fraction of a product).
Instead the logits ``Z`` (n x k, tiny next to X) are checked: a NaN or inf
anywhere in a row of X reaches that row of Z, and only then is X scanned, to
say exactly where the bad value is.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_theta",
    "as_X",
    "as_labels",
    "check_shapes",
    "check_logits_finite",
    "check_X_finite",
    "check_lr",
    "check_reg",
]


def _numeric_array(a, name: str) -> np.ndarray:
    """Convert *a* to a float array, with a clear error for non-numbers."""
    if isinstance(a, np.ndarray) and a.dtype.kind in "fiub":
        arr = a
    else:
        try:
            arr = np.asarray(a)
        except (ValueError, TypeError) as exc:  # ragged nested lists
            raise TypeError(
                f"{name} could not be turned into a numeric array ({exc}); "
                f"pass a rectangular list of numbers or a numpy array."
            ) from None
        if arr.dtype.kind not in "fiub":
            if arr.dtype.kind == "O":
                try:
                    arr = arr.astype(float)
                except (ValueError, TypeError):
                    raise TypeError(
                        f"{name} contains non-numeric values (dtype object); "
                        f"convert it to numbers first, e.g. np.asarray({name}, dtype=float)."
                    ) from None
            else:
                raise TypeError(
                    f"{name} must hold numbers, but it has dtype {arr.dtype} "
                    f"(e.g. strings from a CSV file); convert it with "
                    f"np.asarray({name}, dtype=float)."
                )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} is complex; softmax regression needs real numbers.")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def as_theta(theta) -> np.ndarray:
    """Return theta as a 2-D float array, checked to be finite.

    theta is small ((n_features + 1) x n_classes), so scanning it is cheap.
    """
    theta = _numeric_array(theta, "theta")
    if theta.ndim != 2:
        raise ValueError(
            f"theta must be 2-D with shape (n_features + 1, n_classes), bias row "
            f"first, but it has shape {theta.shape}. For a single class column use "
            f"theta.reshape(-1, 1); the slides' theta for one feature and two "
            f"classes is [[b_1, b_2], [w_1, w_2]]."
        )
    if theta.shape[0] < 1 or theta.shape[1] < 1:
        raise ValueError(f"theta has an empty dimension (shape {theta.shape}).")
    if not np.isfinite(theta).all():
        i, j = np.argwhere(~np.isfinite(theta))[0]
        raise ValueError(
            f"theta contains {theta[i, j]} at row {i}, column {j}; all parameters "
            f"must be finite. If this came out of training, the learning rate was "
            f"too large: restart from a finite theta with a smaller lr."
        )
    return theta


def as_X(X) -> np.ndarray:
    """Return X as a 2-D float array (no copy when it already is one)."""
    X = _numeric_array(X, "X")
    if X.ndim != 2:
        hint = ""
        if X.ndim == 1:
            hint = (
                " For one sample with several features use X.reshape(1, -1); "
                "for several samples of one feature use X.reshape(-1, 1)."
            )
        elif X.ndim == 0:
            hint = " For one sample of one feature use [[x]]."
        raise ValueError(
            f"X must be 2-D with one sample per row, shape (n_samples, n_features), "
            f"but it has shape {X.shape}.{hint}"
        )
    if X.shape[0] == 0:
        raise ValueError("X is empty (0 samples); pass at least one sample.")
    if X.shape[1] == 0:
        raise ValueError("X has 0 features; each sample needs at least one feature.")
    return X


def check_shapes(theta: np.ndarray, X: np.ndarray) -> None:
    """theta must have one row per feature plus the bias row."""
    if theta.shape[0] != X.shape[1] + 1:
        extra = ""
        if theta.shape[0] == X.shape[1]:
            extra = (
                " Did X already include the column of ones? softmax_lab adds the "
                "bias itself: pass X without it (X[:, 1:])."
            )
        elif theta.shape[0] == X.shape[1] + 2:
            extra = " Did you forget a feature column in X?"
        elif theta.shape[1] == X.shape[1] + 1:
            extra = " Is theta transposed? Try theta.T."
        raise ValueError(
            f"theta has {theta.shape[0]} rows but X has {X.shape[1]} feature(s); "
            f"theta needs n_features + 1 = {X.shape[1] + 1} rows (row 0 is the "
            f"bias row).{extra}"
        )


def as_labels(y, n_samples: int | None, n_classes: int | None, source: str = "theta") -> np.ndarray:
    """Return y as a 1-D intp array of 0-based labels, checked.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    n_samples : int or None
        Expected length (None: not checked).
    n_classes : int or None
        Number of classes; labels must lie in 0..n_classes-1 (None: only
        non-negativity is checked).
    source : str
        Where n_classes came from, for the message ("theta" or "n_classes").
    """
    if isinstance(y, numbers.Number) and not isinstance(y, bool):
        y = [y]
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError):
        raise TypeError("y could not be turned into an array of integer labels.") from None
    if arr.ndim == 2 and 1 in arr.shape:
        raise ValueError(
            f"y must be 1-D (one label per sample) but has shape {arr.shape}; "
            f"use y.ravel(). If y is one-hot, convert it with y.argmax(axis=1)."
        )
    if arr.ndim == 2:
        raise ValueError(
            f"y must be 1-D integer labels but has shape {arr.shape}. If it is "
            f"one-hot encoded, pass y.argmax(axis=1)."
        )
    if arr.ndim != 1:
        raise ValueError(f"y must be 1-D integer labels but has shape {arr.shape}.")
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(
            f"y has {arr.shape[0]} labels but X has {n_samples} samples; "
            f"they must have one label per row of X."
        )
    if arr.dtype.kind == "b":
        arr = arr.astype(np.intp)
    elif arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError("y contains NaN or inf; every sample needs an integer label.")
        if not np.all(arr == np.round(arr)):
            bad = arr[arr != np.round(arr)][0]
            raise ValueError(
                f"y must hold integer class labels, but it contains {bad}; "
                f"labels are 0..n_classes-1 (did you pass probabilities or X by mistake?)."
            )
        arr = arr.astype(np.intp)
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.intp, copy=False)
    else:
        raise TypeError(
            f"y must hold integer class labels, but it has dtype {arr.dtype}; "
            f"map class names to 0..n_classes-1 first (e.g. with np.unique(y, "
            f"return_inverse=True))."
        )
    if arr.size and arr.min() < 0:
        raise ValueError(
            f"y contains the negative label {arr.min()}; labels must be 0..n_classes-1."
        )
    if n_classes is not None and arr.size and arr.max() >= n_classes:
        top = int(arr.max())
        where = (
            f"theta has {n_classes} classes" if source == "theta" else f"n_classes={n_classes}"
        )
        msg = f"y contains label {top} but {where} (labels must be 0..{n_classes - 1})"
        if top == n_classes:
            looks = "y looks 1-based" if arr.min() >= 1 else "if y is 1-based"
            msg += (
                f"; {looks}: the slides number classes from 1 - subtract 1 from y "
                f"(y = y_slide - 1)."
            )
        elif source == "theta":
            msg += "; give theta one column per class, or fix the labels."
        else:
            msg += "; pass the right n_classes, or fix the labels."
        raise ValueError(msg)
    return arr


def check_logits_finite(Z: np.ndarray, X: np.ndarray) -> None:
    """Raise a clear error if the logits are not finite, saying why.

    theta has already been checked, so a non-finite logit means X holds NaN or
    inf (found and reported by position), or the logits overflowed.
    """
    if np.isfinite(Z).all():
        return
    check_X_finite(X)
    raise ValueError(
        "the logits overflowed to inf (X @ theta is too large for float64); "
        "standardise the features and use a smaller learning rate."
    )


def check_X_finite(X: np.ndarray) -> None:
    """Raise a ValueError saying where X holds NaN or inf, if it does."""
    bad = ~np.isfinite(X)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        count = int(bad.sum())
        raise ValueError(
            f"X contains {X[i, j]} at row {i}, column {j} ({count} non-finite "
            f"value(s) in all); drop those samples or fill them in (e.g. with the "
            f"column mean) before training."
        )


def check_lr(lr) -> float:
    """The learning rate as a float, checked to be finite and > 0."""
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        raise TypeError(f"lr must be a number > 0, got {lr!r}.") from None
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr (the learning rate) must be a finite number > 0, got {lr}; try lr=0.1.")
    return lr


def check_reg(reg) -> float:
    """The L2 strength as a float, checked to be finite and >= 0."""
    try:
        reg = float(reg)
    except (TypeError, ValueError):
        raise TypeError(f"reg must be a number >= 0, got {reg!r}.") from None
    if not np.isfinite(reg) or reg < 0:
        raise ValueError(f"reg must be a finite number >= 0 (the L2 strength), got {reg}.")
    return reg
