"""Argument validation shared by the core modules (numpy only).

One function per kind of argument, each used everywhere that argument is
taken, so a mistake gets the same clear message from ``sl.cross_entropy``,
``sl.fit`` and the stepper.  Every error names the argument, the problem and
the fix; a student never meets an ``IndexError`` from deep inside numpy, a
raw numpy conversion error or a silent NaN.

Vocabulary: ``as_*`` returns the argument converted and validated;
``require_*`` only validates (and raises).  "check" is kept for the students'
self-checks in :mod:`softmax_lab.checks`.

Cost matters: ``loss_and_gradient`` must stay close to the two matrix
products it cannot avoid, even at 100,000 x 784.  So ``X`` is *not* scanned for
NaN/inf up front (that scan alone costs a noticeable fraction of a product).
Instead the logits ``Z`` (n x k, tiny next to X) are checked: a NaN or inf
anywhere in a row of X reaches that row of Z, and only then is X scanned, to
say exactly where the bad value is.
"""

from __future__ import annotations

import math
import numbers
import operator

import numpy as np

__all__ = [
    "as_float_array",
    "as_theta",
    "as_X",
    "as_labels",
    "as_int",
    "as_seed",
    "as_axis",
    "as_bool",
    "as_lr",
    "as_reg",
    "as_positive_float",
    "as_batch_size",
    "as_row_indices",
    "require_size",
    "require_shapes",
    "require_finite_logits",
    "require_finite_X",
]


# ---------------------------------------------------------------- arrays
def _first_bad_item(a, name):
    """Walk a nested list to say *where* it is ragged or holds a non-number."""

    def walk(obj, path):
        if isinstance(obj, (str, bytes)):
            return f"{name}{path} is the string {obj!r}"
        if isinstance(obj, (list, tuple)):
            lengths = {len(x) if isinstance(x, (list, tuple, np.ndarray)) else None for x in obj}
            if len(lengths) > 1:
                sizes = [len(x) if isinstance(x, (list, tuple, np.ndarray)) else "a number" for x in obj]
                return (f"{name}{path} is ragged: its items have lengths {sizes[:8]}"
                        f"{' ...' if len(sizes) > 8 else ''}")
            for i, x in enumerate(obj):
                found = walk(x, f"{path}[{i}]")
                if found:
                    return found
            return None
        if obj is None:
            return f"{name}{path} is None"
        if isinstance(obj, (bool, np.bool_)):
            return None
        if isinstance(obj, (numbers.Complex,)) and not isinstance(obj, numbers.Real):
            return f"{name}{path} is the complex number {obj!r}"
        if isinstance(obj, (numbers.Real, np.ndarray)):
            return None
        return f"{name}{path} is {obj!r} (a {type(obj).__name__})"

    return walk(a, "")


def as_float_array(a, name: str) -> np.ndarray:
    """Convert *a* to a float array, refusing what is not plainly real numbers.

    Refused, each with its own message: ``None``, strings (even numeric ones:
    ``"1.5"`` is a sign the data was read as text), ragged nested lists,
    complex numbers, masked arrays with masked entries (numpy would silently
    use the values under the mask), and any other object.  Booleans and
    integers are accepted and converted to float.  No copy is made when *a*
    already is a real float array.
    """
    if type(a) is np.ndarray and a.dtype == np.float64:
        return a
    if a is None:
        raise TypeError(f"{name} is None; pass an array of numbers.")
    if isinstance(a, (str, bytes)):
        raise TypeError(
            f"{name} is the string {a!r}; pass numbers, not text "
            f"(convert with float(...) or np.asarray(..., dtype=float) if you read it from a file)."
        )
    if isinstance(a, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(a)
        if mask.any():
            raise ValueError(
                f"{name} is a masked array with {int(mask.sum())} masked value(s); softmax_lab "
                f"does not honour masks (numpy would use the hidden values). Drop the masked "
                f"samples or fill them in, e.g. {name}.filled(value), and pass a plain array."
            )
        a = np.ma.getdata(a)
    try:
        arr = np.asarray(a)
    except (ValueError, TypeError):  # ragged nested lists, numpy's own message is cryptic
        arr = None
    if arr is None or (arr.dtype.kind in "USaO" and isinstance(a, (list, tuple))):
        # say where: walked only on failure, so a long valid list costs nothing extra
        bad = _first_bad_item(a, name) if isinstance(a, (list, tuple)) else None
        if bad:
            raise TypeError(
                f"{bad}; {name} must be a rectangular array of real numbers - convert text "
                f"to numbers (float(...)), give every row the same length, or pass a numpy array."
            )
        if arr is None:
            raise TypeError(
                f"{name} is not a rectangular array of numbers (rows of different lengths or "
                f"mixed types); give every row the same length and only numbers."
            )
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{name} holds complex numbers (dtype {arr.dtype}); softmax regression needs real "
            f"numbers. If the imaginary parts are zero, pass {name}.real."
        )
    if kind in "USa":
        raise TypeError(
            f"{name} holds text (dtype {arr.dtype}), not numbers - e.g. columns read from a "
            f"CSV file as strings; convert it with np.asarray({name}, dtype=float) or drop the "
            f"non-numeric columns."
        )
    if kind == "O":
        flat = arr.reshape(-1)
        for i, item in enumerate(flat):
            if isinstance(item, (bool, np.bool_)) or (
                isinstance(item, numbers.Real) and not isinstance(item, (str, bytes))
            ):
                continue
            where = tuple(int(j) for j in np.unravel_index(i, arr.shape)) if arr.ndim else ()
            what = "the string" if isinstance(item, (str, bytes)) else f"a {type(item).__name__},"
            raise TypeError(
                f"{name} contains {what} {item!r} at index {where}; {name} must hold real "
                f"numbers only - convert it to a number (float(...)) or drop that value."
            )
        arr = arr.astype(np.float64)
    elif kind not in "fiub":
        raise TypeError(
            f"{name} has dtype {arr.dtype}, not numbers; pass an array of real numbers."
        )
    if arr.dtype != np.float64:
        arr = _to_float64(arr, name)
    return arr


def _to_float64(arr: np.ndarray, name: str) -> np.ndarray:
    """Every computation runs in float64: float16/float32 input is widened (exactly).

    (float16 saturates at 65504 and float32 loses digits at 1e-7, so e.g.
    softmax of 100,000 float16 zeros would underflow to 0.)  Wider floats
    (longdouble) are narrowed, refused if a value does not fit.
    """
    out = arr.astype(np.float64)
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 8:
        lost = np.isfinite(arr) & ~np.isfinite(out)
        if lost.any():
            where = tuple(int(j) for j in np.argwhere(lost)[0])
            raise ValueError(
                f"{name} has dtype {arr.dtype} and holds {arr[where]} at index {where}, beyond "
                f"float64's range (about 1.8e308), which softmax_lab computes in; rescale {name} "
                f"(e.g. divide it by its largest magnitude) first."
            )
    return out


def as_theta(theta) -> np.ndarray:
    """Return theta as a 2-D float array, checked to be finite.

    theta is small ((n_features + 1) x n_classes), so scanning it is cheap.
    """
    theta = as_float_array(theta, "theta")
    if theta.ndim != 2:
        raise ValueError(
            f"theta must be 2-D with shape (n_features + 1, n_classes), bias row "
            f"first, but it has shape {theta.shape}. For a single class column use "
            f"theta.reshape(-1, 1); the slides' theta for one feature and two "
            f"classes is [[b_1, b_2], [w_1, w_2]]."
        )
    if theta.shape[0] < 1 or theta.shape[1] < 1:
        raise ValueError(
            f"theta has an empty dimension (shape {theta.shape}); it needs shape "
            f"(n_features + 1, n_classes), e.g. np.zeros((n_features + 1, n_classes))."
        )
    if not np.isfinite(theta).all():
        i, j = np.argwhere(~np.isfinite(theta))[0]
        raise ValueError(
            f"theta contains {theta[i, j]} at row {i}, column {j}; all parameters "
            f"must be finite. If this came out of training, the learning rate was "
            f"too large: restart from a finite theta with a smaller lr."
        )
    return theta


def as_X(X, name: str = "X") -> np.ndarray:
    """Return X as a 2-D float64 array (no copy when it already is one)."""
    X = as_float_array(X, name)
    if X.ndim != 2:
        hint = ""
        if X.ndim == 1:
            hint = (
                f" For one sample with several features use {name}.reshape(1, -1); "
                f"for several samples of one feature use {name}.reshape(-1, 1)."
            )
        elif X.ndim == 0:
            hint = " For one sample of one feature use [[x]]."
        raise ValueError(
            f"{name} must be 2-D with one sample per row, shape (n_samples, n_features), "
            f"but it has shape {X.shape}.{hint}"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty (0 samples); pass at least one sample.")
    if X.shape[1] == 0:
        raise ValueError(f"{name} has 0 features; each sample needs at least one feature.")
    return X


def require_shapes(theta: np.ndarray, X: np.ndarray) -> None:
    """theta must have one row per feature plus the bias row."""
    d, (rows, cols) = X.shape[1], theta.shape
    if rows == d + 1:
        return
    hints = []
    if cols == d + 1:
        # a transposed theta (k, d + 1) whose k happens to be d or d + 2 must
        # not be mistaken for a missing bias row or a missing feature
        hints.append(
            f"theta looks transposed: it has {cols} = n_features + 1 columns, but theta has "
            f"one row per feature plus the bias row and one column per class - pass theta.T."
        )
    if rows == d:
        ones = [j for j in range(d) if np.all(X[:, j] == 1.0)]
        if ones:
            hints.append(
                f"X's column {ones[0]} is all ones: softmax_lab adds the bias itself, so "
                f"drop that column from X (e.g. np.delete(X, {ones[0]}, axis=1))."
            )
        else:
            hints.append(
                "theta seems to lack its bias row [b_1 ... b_k]: put it first, e.g. "
                "np.vstack([b, W]) (np.vstack([np.zeros((1, k)), W]) for zero biases)."
            )
    elif rows == d + 2 and cols != d + 1:
        hints.append(
            "Either theta has one row too many, or X misses a feature column: theta "
            "needs exactly one row per column of X, plus the bias row."
        )
    extra = "".join(" " + ("Or: " if i else "") + h for i, h in enumerate(hints))
    raise ValueError(
        f"theta has {rows} rows but X has {d} feature(s); theta needs n_features + 1 = "
        f"{d + 1} rows (row 0 is the bias row).{extra}"
    )


def as_labels(y, n_samples: int | None, n_classes: int | None, source: str = "theta",
              name: str = "y") -> np.ndarray:
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
        Where n_classes came from, for the message ("theta", "n_classes" or
        "Z" for logits).
    """
    if type(y) is np.ndarray and y.ndim == 1 and (y.dtype.kind == "i" or (
            y.dtype.kind == "u" and y.dtype.itemsize < np.dtype(np.intp).itemsize)):
        return _label_range(y.astype(np.intp, copy=False), n_samples, n_classes, source, name)
    if isinstance(y, (numbers.Number, np.number)) and not isinstance(y, (bool, np.bool_)):
        y = [y]
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"{name} must be an array of integer class labels, got {y!r}.")
    if isinstance(y, np.ma.MaskedArray):
        if np.ma.getmaskarray(y).any():
            raise ValueError(
                f"{name} is a masked array with masked labels; softmax_lab does not honour masks: "
                "drop those samples (from X and y) and pass a plain array."
            )
        y = np.ma.getdata(y)
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError):
        arr = None
    if arr is None or (arr.dtype.kind in "USaO" and isinstance(y, (list, tuple))):
        bad = _first_bad_item(y, name) if isinstance(y, (list, tuple)) else None
        if bad:
            raise TypeError(
                f"{bad}; {name} must be a flat list of integer class labels 0..n_classes-1 - "
                f"map class names to numbers first (e.g. np.unique(y, return_inverse=True))."
            )
        if arr is None:
            raise TypeError(
                f"{name} is not a flat array of integer labels (ragged or mixed types); pass one "
                "integer label per sample."
            )
    if arr.ndim == 0:
        raise TypeError(
            f"{name} must be a list or array of integer labels (one per sample), got "
            f"{_describe(y)}; pass e.g. list(y) or np.array([...])."
        )
    if arr.ndim == 2 and 1 in arr.shape:
        raise ValueError(
            f"{name} must be 1-D (one label per sample) but has shape {arr.shape}; "
            f"use {name}.ravel(). If y is one-hot, convert it with {name}.argmax(axis=1)."
        )
    if arr.ndim == 2:
        raise ValueError(
            f"{name} must be 1-D integer labels but has shape {arr.shape}. If it is "
            f"one-hot encoded, pass {name}.argmax(axis=1)."
        )
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D integer labels (one per sample) but has shape {arr.shape}.")
    kind = arr.dtype.kind
    if kind == "O":
        try:
            as_float_array(arr, name)
        except TypeError as exc:
            raise TypeError(
                f"{exc} {name} must hold integer class labels 0..n_classes-1."
            ) from None
        arr = arr.astype(np.float64)
        kind = "f"
    if kind == "b":
        arr = arr.astype(np.intp)
    elif kind == "f":
        if not np.isfinite(arr).all():
            raise ValueError(
                f"{name} contains NaN or inf; every sample needs an integer label - drop the "
                "unlabelled samples (from X and y)."
            )
        if not np.all(arr == np.round(arr)):
            bad = arr[arr != np.round(arr)][0]
            raise ValueError(
                f"{name} must hold integer class labels, but it contains {bad}; "
                f"labels are 0..n_classes-1 (did you pass probabilities or X by mistake?)."
            )
        if arr.size and np.abs(arr).max() > 2**31:
            raise ValueError(f"{name} contains the label {arr[np.argmax(np.abs(arr))]:g}; labels "
                             f"are 0..n_classes-1.")
        arr = arr.astype(np.intp)
    elif kind in "iu":
        if arr.dtype.kind == "u" and arr.size and arr.max() > np.iinfo(np.intp).max:
            raise ValueError(f"{name} contains the label {arr.max()} (dtype {arr.dtype}); labels "
                             f"are 0..n_classes-1 - check how {name} was made (a -1 stored "
                             f"as unsigned?).")
        arr = arr.astype(np.intp, copy=False)
    else:
        raise TypeError(
            f"{name} must hold integer class labels, but it has dtype {arr.dtype}; "
            f"map class names to 0..n_classes-1 first (e.g. with np.unique(y, "
            f"return_inverse=True))."
        )
    return _label_range(arr, n_samples, n_classes, source, name)


def _label_range(arr, n_samples, n_classes, source, name="y"):
    """Length and range of 1-D integer labels (the end of :func:`as_labels`)."""
    if n_samples is not None and arr.shape[0] != n_samples:
        rows = "Z" if source == "Z" else "X"
        raise ValueError(
            f"{name} has {arr.shape[0]} labels but {rows} has {n_samples} samples (rows); "
            f"they must have one label per row of {rows}."
        )
    if arr.size and arr.min() < 0:
        raise ValueError(
            f"{name} contains the negative label {arr.min()} (at index {int(np.argmin(arr))}); "
            f"labels must be 0..n_classes-1. If negative labels mark unlabelled samples, "
            f"drop those samples from X and {name}."
        )
    if n_classes is not None and arr.size and arr.max() >= n_classes:
        top = int(arr.max())
        where = {
            "theta": f"theta has {n_classes} classes",
            "Z": f"Z has {n_classes} columns (classes)",
        }.get(source, f"n_classes={n_classes}")
        msg = f"{name} contains label {top} but {where} (labels must be 0..{n_classes - 1})"
        if top == n_classes:
            looks = f"{name} looks 1-based" if arr.min() >= 1 else f"if {name} is 1-based"
            msg += (
                f"; {looks}: the slides number classes from 1 - subtract 1 from {name} "
                f"({name} = {name}_slide - 1)."
            )
        elif source == "theta":
            msg += "; give theta one column per class, or fix the labels."
        elif source == "Z":
            msg += "; give Z one column per class, or fix the labels."
        else:
            msg += "; pass the right n_classes, or fix the labels."
        raise ValueError(msg)
    return arr


# ---------------------------------------------------------------- finiteness
def require_finite_logits(Z: np.ndarray, X: np.ndarray) -> None:
    """Raise a clear error if the logits are not finite, saying why.

    theta has already been checked, so a non-finite logit means X holds NaN or
    inf (found and reported by position), or the logits overflowed.
    """
    if np.isfinite(Z).all():
        return
    require_finite_X(X)
    raise ValueError(
        "the logits overflowed to inf (X @ theta is too large for float64); "
        "standardise the features of X and use a smaller learning rate."
    )


def require_finite_X(X: np.ndarray) -> None:
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


# ---------------------------------------------------------------- scalars
def _describe(value) -> str:
    return f"{value!r} (a {type(value).__name__})"


def _refuse_bool_or_text(value, what: str, kind: str, example: str) -> None:
    """``True`` would silently mean 1 and ``"0.1"`` is text from a form or a CSV: both are refused."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} must be {kind}, not the boolean {value!r}; pass e.g. {example}.")
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} must be {kind}, not the string {value!r}; "
                        f"pass the number without quotes, e.g. {example}.")


def as_int(value, name: str, *, minimum: int | None = None, maximum: int | None = None,
           allow_none: bool = False, example: str | None = None):
    """A whole number (``int`` or numpy integer, never ``bool``), in range.

    ``True`` is refused (it would silently mean 1), and so are floats such as
    ``1.5`` or ``2.0`` and strings such as ``"3"``: each gets a message naming
    the argument and showing a valid call.
    """
    if type(value) is int and (minimum is None or value >= minimum) and (
            maximum is None or value <= maximum):
        return value  # the common case, fast
    if value is None and allow_none:
        return None
    example = example or f"{name}={minimum if minimum is not None else 0}"
    _refuse_bool_or_text(value, name, "a whole number", example)
    try:
        index = operator.index(value)  # int, numpy integers, 0-d integer arrays
    except TypeError:
        none = " or None" if allow_none else ""
        raise TypeError(f"{name} must be a whole number{none}, got {_describe(value)}; "
                        f"pass e.g. {example}.") from None
    if minimum is not None and index < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {index}; pass e.g. {example}.")
    if maximum is not None and index > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {index}; pass e.g. {example}.")
    return int(index)


def as_seed(seed):
    """A seed for ``numpy.random.default_rng``: None, an int >= 0, or a Generator.

    Also accepted: a ``SeedSequence`` or ``BitGenerator``.  Anything else
    (``True``, ``-1``, ``1.5``, ``"abc"``, ``np.random.RandomState``) gets a
    message naming ``seed``.  Returned unchanged.
    """
    if seed is None or (type(seed) is int and seed >= 0):
        return seed
    if isinstance(seed, (np.random.Generator, np.random.SeedSequence, np.random.BitGenerator)):
        return seed
    if isinstance(seed, np.random.RandomState):
        raise TypeError(
            "seed is a legacy np.random.RandomState; pass an int (e.g. seed=0) or a "
            "np.random.Generator (np.random.default_rng(0))."
        )
    return as_int(seed, "seed", minimum=0, example="seed=0 or seed=np.random.default_rng(0)")


def as_axis(axis, ndim: int, name: str = "axis") -> int:
    """A valid axis of an ndim-dimensional array, as a non-negative int."""
    axis = as_int(axis, name, example=f"{name}=-1 (the class axis)")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{name}={axis} does not exist: the logits have {ndim} dimension(s), so {name} "
            f"must be in {-ndim}..{ndim - 1}; the classes are usually the last axis ({name}=-1)."
        )
    return axis % ndim


def as_bool(value, name: str) -> bool:
    """True or False (also numpy booleans); not 0/1, not strings."""
    if value is True or value is False:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {_describe(value)}; pass {name}=True or {name}=False.")


def as_positive_float(value, name: str, *, allow_zero: bool = False, what: str = "",
                      example: str = "") -> float:
    """A finite real number > 0 (>= 0 with ``allow_zero``); not a bool or string."""
    if type(value) is float and math.isfinite(value) and (value > 0 or (allow_zero and value == 0)):
        return value  # the common case, fast (fit and the core take it on every call)
    what = what or name
    bound = ">= 0" if allow_zero else "> 0"
    example = example or f"{name}=0.1"
    _refuse_bool_or_text(value, what, f"a number {bound}", example)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number {bound}, got {_describe(value)}; pass e.g. {example}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{what} must be a finite number {bound}, got {value}; pass e.g. {example}.")
    return value


def as_lr(lr) -> float:
    """The learning rate as a float, finite and > 0."""
    return as_positive_float(lr, "lr", what="lr (the learning rate)")


def as_reg(reg) -> float:
    """The L2 strength as a float, finite and >= 0."""
    return as_positive_float(reg, "reg", allow_zero=True, what="reg (the L2 strength)",
                             example="reg=0.0 or reg=0.01")


def as_batch_size(batch_size, n_samples: int) -> int:
    """Samples per update: None (full batch) or a whole number in 1..n_samples."""
    if batch_size is None:
        return n_samples
    return as_int(batch_size, "batch_size", minimum=1, maximum=n_samples,
                  example=f"batch_size=1 (stochastic), a number up to n_samples={n_samples}, "
                          f"or None (full batch)")


# ---------------------------------------------------------------- row indices
def as_row_indices(value, n_rows: int | None, name: str = "indices") -> np.ndarray:
    """The one rule for "a row index of X", used by every function that takes one.

    A row index is a whole number (a Python or numpy integer; not a bool, not
    a float such as ``2.0``, not text) in ``-n_rows .. n_rows - 1``: as in
    Python, ``-1`` is the last row.  ``value`` is one index or a non-empty
    1-D sequence of them.  Returns a 1-D ``intp`` array with every index in
    ``0 .. n_rows - 1``.  With ``n_rows=None`` (the number of rows is not
    known) negative indices are refused.

    Used by ``TrainingStepper.step(indices=...)``, ``TrainingStepper(order=...)``,
    :func:`softmax_lab.training.batch_schedule` (``order``) and the plotting
    displays' ``highlight``.

    >>> as_row_indices(-1, 5).tolist(), as_row_indices([0, 3], 5).tolist()
    ([4], [0, 3])
    """
    example = f"{name}=[0] or {name}=[0, 3, 6]"
    if isinstance(value, (bool, np.bool_)) or (
            isinstance(value, np.ndarray) and value.dtype.kind == "b"):
        raise TypeError(f"{name} must be row indices (whole numbers), not booleans {value!r}; "
                        f"for a boolean mask use np.flatnonzero(mask), e.g. {example}.")
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a row index or a list of them, got {_describe(value)}; "
                        f"pass e.g. {example}.")
    if isinstance(value, np.ma.MaskedArray):
        if np.ma.getmaskarray(value).any():
            raise ValueError(f"{name} is a masked array with masked entries; softmax_lab does not "
                             f"honour masks: pass only the indices you mean, e.g. {name}.compressed().")
        value = np.ma.getdata(value)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        arr = None
    if arr is None or (arr.dtype.kind == "O" and not isinstance(value, (list, tuple, np.ndarray, numbers.Integral))):
        raise TypeError(f"{name} must be a row index or a flat list of them, got "
                        f"{_describe(value)}; pass e.g. {example}.")
    arr = np.atleast_1d(arr)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be one row index or a non-empty 1-D list of them, "
                         f"got shape {arr.shape}; pass e.g. {example}.")
    if arr.dtype.kind in "Of":
        # floats (2.0), Python ints beyond int64 (10**20), anything else: one by one
        items = []
        for item in arr.tolist():
            if isinstance(item, (bool, np.bool_, str, bytes)):
                raise TypeError(f"{name} must hold whole numbers, but it holds {item!r}; "
                                f"pass e.g. {example}.")
            try:
                items.append(operator.index(item))
            except TypeError:
                if isinstance(item, float) and item.is_integer():
                    raise TypeError(
                        f"{name} must hold integers, but it holds the float {item!r}; row indices "
                        f"are whole numbers - pass int({item!r}) (e.g. {name}=[{int(item)}])."
                    ) from None
                raise TypeError(f"{name} must hold whole numbers (row indices), but it holds "
                                f"{_describe(item)}; pass e.g. {example}.") from None
        lo, hi = min(items), max(items)
    elif arr.dtype.kind in "iu":
        lo, hi = int(arr.min()), int(arr.max())   # Python ints: no wrap-around for uint64
        items = None
    else:
        raise TypeError(f"{name} must hold whole numbers (row indices), but it has dtype "
                        f"{arr.dtype}; pass e.g. {example}.")
    if n_rows is None:
        if lo < 0:
            raise ValueError(f"{name} holds the negative row index {lo}, but the number of rows is "
                             f"not known here; pass 0-based indices 0, 1, 2, ...")
    elif lo < -n_rows or hi >= n_rows:
        bad = hi if hi >= n_rows else lo
        raise ValueError(
            f"{name} holds the row index {bad}, but X has rows 0..{n_rows - 1} only ({n_rows} "
            f"rows; -{n_rows}..-1 count from the end); pass e.g. {example}."
        )
    arr = np.array(items, dtype=np.intp) if items is not None else arr.astype(np.intp)
    return arr % n_rows if n_rows else arr


# ---------------------------------------------------------------- sizes
def count(n: int) -> str:
    """A whole number for a message: ``1,000,000``, or ``about 10^400`` when it is absurd."""
    return f"{n:,}" if abs(n) < 10**15 else f"about 10^{len(str(abs(n))) - 1}"


def require_size(n_entries: int, limit: int, what: str, fix: str) -> None:
    """Refuse to allocate or compute something absurdly large, before numpy tries.

    ``n_entries`` (a Python int, so it cannot overflow) is compared with
    ``limit``; the message says what would be made, its size and ``fix``.
    """
    if n_entries > limit:
        raise ValueError(f"{what} would hold {count(n_entries)} numbers ({count(n_entries * 8 // 2**30)} "
                         f"GiB or more as float64), more than the limit of {limit:,}; {fix}")
