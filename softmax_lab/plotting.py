"""Plotting helpers for softmax regression (matplotlib only; never imported by
``import softmax_lab``).

Every picture follows one pattern (scikit-learn's ``DecisionBoundaryDisplay``):
the numbers are computed by a separate, plain function (``decision_grid``,
``decision_boundaries``, ``decision_polygons``, ``probability_thresholds``,
``simplex_coordinates``), and the drawing is a small display object:

* built from the data (``RegionsDisplay(theta, X, y, ...)``), checked there;
* ``.plot(ax=None)`` draws on the ``ax`` it is given (it creates a figure
  with ``layout="constrained"`` only when ``ax`` is None) and returns itself;
* ``.update(theta, highlight=...)`` moves what it drew to a new θ, in place
  (what the interactive stepper does at every step);
* its artists are attributes (``.ax``, ``.points``, ``.highlight`` ...);
  ``display["highlight"]`` reads them too (lessons 03, 04 and 08 use it).

The ``plot_*`` functions are one-line shortcuts that build, plot and return
the display; ``update_*`` call ``.update``.

Conventions (the package's, stated once): ``theta`` has shape
``(n_features + 1, n_classes)`` with row 0 the bias row; ``X`` has one sample
per row and no column of ones; labels ``y`` are 0-based.  Bad input (1-based
or fractional labels, a label beyond θ's classes, a ``highlight`` that is not
a row of X, a loss history holding NaN) is refused with an error that names
the argument and the fix, never drawn wrongly.

Colours are the Okabe–Ito colour-blind-safe palette and every class also has
its own marker, so nothing depends on colour alone.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np, softmax_lab as sl
>>> from softmax_lab.plotting import RegionsDisplay
>>> theta = sl.datasets.slide_theta(3)
>>> X = np.array([[1.5, 0.2], [4.7, 1.6], [5.6, 2.2]]); y = np.array([0, 1, 2])
>>> disp = RegionsDisplay(theta, X, y, highlight=[1]).plot()
>>> disp.highlight.get_offsets().tolist()
[[4.7, 1.6]]
>>> _ = disp.update(theta, highlight=[2])
>>> disp.highlight.get_offsets().tolist()
[[5.6, 2.2]]
"""

from contextlib import contextmanager
from itertools import combinations

import numpy as np

try:
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap, to_rgb
    from matplotlib.patches import Polygon
except ImportError as _err:  # the core needs numpy only; pictures need the `lab` extra
    raise ImportError(
        "softmax_lab.plotting needs matplotlib, which is not installed here; "
        'install the notebook extras with: pip install "softmax-lab[lab]"'
    ) from _err

from . import _validation as _v
from .alt import alt_text, describe
from . import core as _core

__all__ = [
    "show",
    "describe",
    "PALETTE",
    "MARKERS",
    "class_colors",
    "class_markers",
    "class_labels",
    "light_colors",
    "lecture_style",
    "decision_grid",
    "decision_boundaries",
    "decision_polygons",
    "probability_thresholds",
    "simplex_coordinates",
    "RegionsDisplay",
    "CurvesDisplay",
    "SimplexDisplay",
    "LossDisplay",
    "plot_probability_curves",
    "update_probability_curves",
    "plot_decision_regions",
    "update_decision_regions",
    "plot_simplex",
    "update_simplex",
    "plot_loss",
    "update_loss",
]

#: Okabe & Ito (2008) colour-blind-safe palette, in the order classes use it:
#: orange, sky blue, bluish green, blue, vermillion, reddish purple, yellow, black.
PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#F0E442",
    "#000000",
)

#: One marker per class (10 distinct shapes, enough for the digits notebook).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")

_HIGHLIGHT_KW = dict(s=230, facecolors="none", edgecolors="black", linewidths=2.2, zorder=5)


# --------------------------------------------------------------------------- #
# small helpers
# --------------------------------------------------------------------------- #
def class_colors(n_classes):
    """Okabe–Ito colour of each class (cycles after 8 classes; markers stay distinct)."""
    return [PALETTE[i % len(PALETTE)] for i in range(n_classes)]


def class_markers(n_classes):
    """A distinct marker per class (up to ``len(MARKERS)`` classes)."""
    if n_classes > len(MARKERS):
        raise ValueError(
            f"{n_classes} classes but only {len(MARKERS)} distinct markers; "
            "plot at most 10 classes at once."
        )
    return list(MARKERS[:n_classes])


def light_colors(n_classes, strength=0.28):
    """Palette colours blended with white, for shaded decision regions."""
    out = []
    for c in class_colors(n_classes):
        rgb = np.array(to_rgb(c))
        out.append(tuple(1.0 - strength * (1.0 - rgb)))
    return out


def _predict_proba(theta, X):
    # the package's one implementation of the model
    return _core.predict_proba(theta, X)


def _as_theta(theta, n_features, who):
    theta = _v.as_theta(theta)
    if theta.shape[0] != n_features + 1:
        raise ValueError(
            f"{who} needs theta of shape ({n_features + 1}, n_classes) for a "
            f"{n_features}-feature model (row 0 = bias row), got shape {theta.shape}."
        )
    return theta


def _as_X(X, n_features, who):
    """X as a finite float array of shape (n_samples, n_features); a 1-D X is one feature."""
    X = _v.as_float_array(X, "X")  # the core's rule: no strings, complex, masked or ragged input
    if n_features == 1 and X.ndim == 1:
        X = X[:, None]
    X = _v.as_X(X)
    if X.shape[1] != n_features:
        raise ValueError(f"{who} needs X of shape (n_samples, {n_features}), got {X.shape}.")
    _v.require_finite_X(X)
    return X


def _scale_free(theta):
    """θ divided by its largest entry in absolute value: the same regions, boundaries and
    thresholds (argmax z is unchanged by a positive factor), with numbers near 1, so that
    θ scaled by 1e300 does not overflow and θ scaled by 1e-150 does not underflow."""
    top = np.max(np.abs(theta))
    return theta / top if top > 0 else theta


def _as_range(lim, name):
    """(lo, hi): two finite numbers with lo < hi (an axis range or a box side)."""
    try:
        lo, hi = (float(v) for v in lim)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be two numbers (low, high), got {lim!r}; pass e.g. {name}=(0.0, 7.0).") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be two finite numbers with low < high, got {lim!r}; "
                         f"pass e.g. {name}=(0.0, 7.0).")
    return lo, hi


def _as_padding(padding):
    """The margin around the data, a finite number >= 0 (in the data's units)."""
    return _v.as_positive_float(padding, "padding", allow_zero=True, example="padding=0.5")


def _as_probabilities(P, who):
    """Probability rows of 3 classes: real, finite, each in [0, 1], each row summing to 1."""
    P = np.atleast_2d(_v.as_float_array(P, "P"))
    if P.ndim != 2 or P.shape[1] != 3:
        raise ValueError(
            f"{who} needs probabilities of shape (n_samples, 3) (three classes), got shape {P.shape}; "
            "compute them with sl.predict_proba(theta, X) for a 3-class θ."
        )
    if not np.isfinite(P).all():
        raise ValueError(f"{who} got probabilities holding NaN or inf; compute them with "
                         "sl.predict_proba(theta, X) from a finite θ.")
    tol = 1e-6  # float32 probabilities sum to 1 within about 1e-7
    bad = np.flatnonzero((P < -tol).any(1) | (P > 1 + tol).any(1) | (np.abs(P.sum(1) - 1) > tol))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{who}: row {i} of P, {np.array2string(P[i], precision=4)}, is not a probability row "
            f"(entries in [0, 1] summing to 1; its entries run from {P[i].min():.6g} to {P[i].max():.6g} and "
            f"sum to {P[i].sum():.6g}) - the point would lie outside "
            "the triangle. Pass ŷ = sl.predict_proba(theta, X), or sl.softmax(Z) of logits, not the logits."
        )
    return P


def _as_y(y, n_samples, n_classes, source="theta"):
    """0-based integer labels, one per sample, each below n_classes (or a clear error)."""
    return None if y is None else _v.as_labels(y, n_samples, n_classes, source)


def _highlight_label(highlight):
    """Legend label of the highlight ring: hidden when nothing is highlighted, "current sample"
    for one ring, "current batch" for several (``disp.highlight.set_label`` names other rings)."""
    if highlight is None or np.size(highlight) == 0:
        return "_current sample"
    return "current sample" if np.size(highlight) == 1 else "current batch"


def _relabel_highlight(ring, idx):
    """Give the ring the label its count now calls for, in the drawn legend too (an update
    that rings a whole batch after one sample must not leave "current sample" in the legend)."""
    old, new = ring.get_label(), _highlight_label(idx)
    if old == new:
        return
    ring.set_label(new)
    legend = ring.axes.get_legend() if ring.axes is not None else None
    if legend is not None:
        for text in legend.get_texts():
            if text.get_text() == old:
                text.set_text(new)


def _as_indices(highlight, n_samples=None):
    """Row indices to circle: none, or the package's one rule for a row index of X."""
    if highlight is None or (np.ndim(highlight) and np.size(highlight) == 0
                             and not isinstance(highlight, (str, bytes))):
        return np.array([], dtype=int)
    return _v.as_row_indices(highlight, n_samples, "highlight")


def class_labels(names, n, default="class {}"):
    """``names`` as a list of n strings (checked), or ``default.format(i)`` for each class."""
    if names is None:
        return [default.format(i) for i in range(n)]
    if isinstance(names, str):
        raise TypeError(f"class_names must be a list of {n} names, got the single string {names!r}.")
    names = list(names)
    if len(names) != n:
        raise ValueError(f"got {len(names)} class names for {n} classes; pass one name per class.")
    return [str(s) for s in names]



def _new_ax(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


@contextmanager
def lecture_style(scale=1.0):
    """Matplotlib settings for projecting in a lecture room: big fonts, thick lines.

    Use as ``with lecture_style(): plot_...``; nothing changes outside the block.
    """
    rc = {
        "font.size": 15 * scale,
        "axes.titlesize": 17 * scale,
        "axes.labelsize": 16 * scale,
        "xtick.labelsize": 14 * scale,
        "ytick.labelsize": 14 * scale,
        "legend.fontsize": 13 * scale,
        "lines.linewidth": 3.0 * scale,
        "lines.markersize": 9 * scale,
        "axes.linewidth": 1.4 * scale,
        "grid.linewidth": 1.0 * scale,
        "figure.dpi": 100,
    }
    with matplotlib.rc_context(rc):
        yield


# --------------------------------------------------------------------------- #
# computations (no drawing)
# --------------------------------------------------------------------------- #
def probability_thresholds(theta, x_range):
    """Points where the predicted class (argmax of z) changes, 1-feature model.

    Parameters
    ----------
    theta : ndarray of shape (2, n_classes)
    x_range : (float, float)

    Returns
    -------
    list of (x, left_class, right_class)
        exact crossing ``z_a(x) = z_b(x)`` i.e. ``x = (b_b - b_a) / (w_a - w_b)``
        for every change of argmax inside ``x_range``.
    """
    theta = _scale_free(_as_theta(theta, 1, "probability_thresholds"))
    b, w = theta[0], theta[1]
    lo, hi = _as_range(x_range, "x_range")
    grid = np.linspace(lo, hi, 2001)
    winner = np.argmax(b + grid[:, None] * w, axis=1)
    out = []
    for i in np.flatnonzero(winner[1:] != winner[:-1]):
        a, c = int(winner[i]), int(winner[i + 1])
        x = (b[c] - b[a]) / (w[a] - w[c])
        out.append((float(x), a, c))
    return out


def decision_grid(theta, X=None, *, xlim=None, ylim=None, resolution=200, padding=0.5):
    """Evaluate a 2-feature model on a grid (the "response" of the display).

    Returns
    -------
    xx, yy : ndarray of shape (resolution, resolution)
    P : ndarray of shape (resolution, resolution, n_classes)
        predicted probabilities on the grid; ``P.argmax(-1)`` are the regions.
    """
    theta = _as_theta(theta, 2, "decision_grid")
    resolution = _v.as_int(resolution, "resolution", minimum=2, example="resolution=200")
    if X is not None:
        X = _as_X(X, 2, "decision_grid")
    xlim, ylim = _limits(X, xlim, ylim, padding)
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    P = _predict_proba(theta, np.column_stack([xx.ravel(), yy.ravel()]))
    return xx, yy, P.reshape(resolution, resolution, -1)


def _limits(X, xlim, ylim, padding):
    if X is None and (xlim is None or ylim is None):
        raise ValueError("pass X (to fit the view to the data) or both xlim and ylim.")
    padding = _as_padding(padding)
    if X is not None:
        X = np.asarray(X, dtype=float)
        if xlim is None:
            lo, hi = X[:, 0].min() - padding, X[:, 0].max() + padding
            xlim = (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)  # one x value and padding=0: a unit view
        if ylim is None:
            lo, hi = X[:, 1].min() - padding, X[:, 1].max() + padding
            ylim = (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)
    return _as_range(xlim, "xlim"), _as_range(ylim, "ylim")


def decision_boundaries(theta, xlim, ylim):
    """Exact boundary segments of a 2-feature linear softmax model inside a box.

    The boundary between classes a and b is the part of the line
    ``(θ_a − θ_b)ᵀ [1, x1, x2] = 0`` where a and b beat every other class.

    Returns
    -------
    dict {(a, b): ndarray of shape (2, 2) or None}
        the two end points ``[[x1, x2], [x1, x2]]`` of each pair's segment, or
        None when the pair shares no boundary inside the box.
    """
    theta = _scale_free(_as_theta(theta, 2, "decision_boundaries"))
    k = theta.shape[1]
    (x0, x1), (y0, y1) = _as_range(xlim, "xlim"), _as_range(ylim, "ylim")
    box = [np.array(h, dtype=float) for h in ([-x0, 1, 0], [x1, -1, 0], [-y0, 0, 1], [y1, 0, -1])]
    out = {}
    for a, b in combinations(range(k), 2):
        d = theta[:, a] - theta[:, b]
        nrm = np.hypot(d[1], d[2])
        if nrm <= 1e-12 * np.max(np.abs(d)) or nrm == 0:  # equal weights: parallel, no boundary line
            out[(a, b)] = None
            continue
        d = d / nrm  # the line, with a unit normal: the tolerances below are relative
        p0 = -d[0] * d[1:]
        direction = np.array([-d[2], d[1]])
        lo, hi = -np.inf, np.inf
        halfplanes = box + [theta[:, a] - theta[:, c] for c in range(k) if c not in (a, b)]
        for h in halfplanes:  # h0 + h1*x + h2*y >= 0
            scale = np.hypot(h[1], h[2])
            if scale == 0:  # only the biases differ: this half-plane is everything or nothing
                if h[0] < 0:
                    lo, hi = 1.0, 0.0
                    break
                continue
            h = h / scale
            g0 = h[0] + h[1:] @ p0
            g1 = h[1:] @ direction
            if abs(g1) < 1e-12:  # parallel to the line: all of it or none of it
                if g0 < 0:
                    lo, hi = 1.0, 0.0
                    break
                continue
            t = -g0 / g1
            if g1 > 0:
                lo = max(lo, t)
            else:
                hi = min(hi, t)
        out[(a, b)] = np.array([p0 + lo * direction, p0 + hi * direction]) if hi > lo else None
    return out


def decision_polygons(theta, xlim, ylim):
    """Exact region of each class of a 2-feature linear softmax model in a box.

    Class c wins where ``z_c >= z_j`` for every j: an intersection of
    half-planes, i.e. a convex polygon (the box clipped by k − 1 lines).

    Returns
    -------
    list of ndarray of shape (n_vertices, 2)
        one polygon per class (``n_vertices == 0`` where the class never wins
        inside the box).
    """
    theta = _scale_free(_as_theta(theta, 2, "decision_polygons"))
    (x0, x1), (y0, y1) = _as_range(xlim, "xlim"), _as_range(ylim, "ylim")
    box = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)
    out = []
    for c in range(theta.shape[1]):
        poly = box
        for j in range(theta.shape[1]):
            if j == c or len(poly) == 0:
                continue
            h = theta[:, c] - theta[:, j]  # keep h0 + h1*x + h2*y >= 0
            poly = _clip_polygon(poly, h)
        out.append(poly)
    return out


def _clip_polygon(poly, h):
    """Sutherland–Hodgman: the part of a convex polygon where h0 + h·p >= 0."""
    g = h[0] + poly @ h[1:]
    inside = g >= 0
    if inside.all():
        return poly
    if not inside.any():
        return np.empty((0, 2))
    out = []
    n = len(poly)
    for i in range(n):
        j = (i + 1) % n
        if inside[i]:
            out.append(poly[i])
        if inside[i] != inside[j]:
            t = g[i] / (g[i] - g[j])
            out.append(poly[i] + t * (poly[j] - poly[i]))
    return np.array(out)


def simplex_coordinates(P):
    """Map probability rows with 3 entries to 2-D points in an equilateral triangle.

    Vertex of class 0 at (0, 0), class 1 at (1, 0), class 2 at (1/2, √3/2);
    a row ``[p0, p1, p2]`` goes to ``p0·V0 + p1·V1 + p2·V2`` (barycentric).
    """
    return _as_probabilities(P, "simplex_coordinates") @ _SIMPLEX_VERTICES


_SIMPLEX_VERTICES = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])




# --------------------------------------------------------------------------- #
# display objects
# --------------------------------------------------------------------------- #
class _Display:
    """Base of the display objects: artists are attributes; ``d["name"]`` reads them too."""

    _keys: tuple = ()

    def __getitem__(self, key):
        if key not in self._keys:
            raise KeyError(f"{type(self).__name__} has no {key!r}; it has {', '.join(self._keys)}.")
        return getattr(self, key)

    def __iter__(self):
        return iter(self._keys)

    def __len__(self):
        return len(self._keys)

    def keys(self):
        return list(self._keys)

    def _require_plotted(self):
        if self.ax is None:
            raise RuntimeError(f"call {type(self).__name__}.plot(ax) before update(...).")


class CurvesDisplay(_Display):
    """Predicted probability of each class against the one feature x (1-feature model).

    Parameters
    ----------
    theta : ndarray of shape (2, n_classes)
    X : ndarray of shape (n_samples, 1) or (n_samples,), optional
    y : ndarray of shape (n_samples,), optional, 0-based labels
    x_range : (float, float), optional
        default: the data range ± 1 (or (0, 7), petal lengths in cm, without data).
    class_names : sequence of str, optional
    feature_name : str, optional
    highlight : int or sequence of int, optional
        rows of X to circle (the current training sample).
    points_at : {"proba", "axis"}
        draw each sample at the probability the model gives its own class
        (``ŷ_{y_i}``), or along the bottom axis.

    Attributes (after ``plot``): ``ax``, ``curves`` (Line2D per class),
    ``thresholds`` (dashed Line2D per change of the predicted class),
    ``threshold_labels`` (Text), ``points`` (PathCollection per class),
    ``highlight`` (PathCollection).
    """


    _keys = ("ax", "curves", "thresholds", "threshold_labels", "points", "highlight")

    def __init__(self, theta, X=None, y=None, *, x_range=None, class_names=None, feature_name=None,
                 highlight=None, points_at="proba"):
        self.theta = _as_theta(theta, 1, "plot_probability_curves")
        k = self.theta.shape[1]
        self.X = None if X is None else _as_X(X, 1, "plot_probability_curves")[:, 0]
        if y is not None and self.X is None:
            raise ValueError("plot_probability_curves got y without X; pass the samples X with their labels y.")
        self.y = _as_y(y, None if self.X is None else self.X.size, k)
        if points_at not in ("proba", "axis"):
            raise ValueError(f'points_at must be "proba" or "axis", got {points_at!r}.')
        self.points_at = points_at
        self.names = class_labels(class_names, k)
        self.feature_name = feature_name
        if x_range is None:
            x_range = (0.0, 7.0) if self.X is None else (self.X.min() - 1.0, self.X.max() + 1.0)
        self.x_range = _as_range(x_range, "x_range")
        self.grid = np.linspace(*self.x_range, 400)
        self.highlight_idx = _as_indices(highlight, None if self.X is None else self.X.size)
        self.ax = None
        self.curves, self.thresholds, self.threshold_labels, self.points = [], [], [], []
        self.highlight = None

    def plot(self, ax=None):
        ax = self.ax = _new_ax(ax, (6.4, 3.8))
        k = self.theta.shape[1]
        colors, markers = class_colors(k), class_markers(k)
        self.curves = [
            ax.plot(self.grid, np.zeros_like(self.grid), color=colors[c],
                    label=rf"$\hat y_{{{c}}}$ = P({self.names[c]} | x)")[0]
            for c in range(k)
        ]
        if self.X is not None and self.y is not None:
            self.points = [
                ax.scatter(self.X[self.y == c], np.zeros((self.y == c).sum()), marker=markers[c], s=70,
                           color=colors[c], edgecolors="black", linewidths=0.8, zorder=4,
                           label=f"{self.names[c]} (data)")
                for c in range(k)
            ]
        self.highlight = ax.scatter([], [], **_HIGHLIGHT_KW, label=_highlight_label(self.highlight_idx))
        ax.set_xlim(*self.x_range)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel(self.feature_name or "x")
        ax.set_ylabel(r"predicted probability $\hat y$")
        ax.grid(alpha=0.3)
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", framealpha=0.9)
        return self.update(self.theta, highlight=self.highlight_idx)

    def update(self, theta, *, highlight=None):
        """Move the curves, thresholds and points to a new θ (in place); returns self."""
        self._require_plotted()
        theta = self.theta = _as_theta(theta, 1, "CurvesDisplay.update")
        if theta.shape[1] != len(self.curves):
            raise ValueError(f"update got theta with {theta.shape[1]} classes; this display has {len(self.curves)}.")
        ax = self.ax
        P = _predict_proba(theta, self.grid[:, None])
        for c, line in enumerate(self.curves):
            line.set_ydata(P[:, c])
        for artist in self.thresholds + self.threshold_labels:
            artist.remove()
        self.thresholds, self.threshold_labels = [], []
        lo, hi = self.x_range
        cuts = probability_thresholds(theta, (lo, hi))
        for x, _, _ in cuts:
            self.thresholds.append(ax.axvline(x, color="0.25", ls="--", lw=1.8, zorder=3))
            self.threshold_labels.append(
                ax.text(x, 1.02, f" threshold x = {x:.2f}", ha="left", va="bottom",
                        fontsize="small", transform=ax.get_xaxis_transform(), clip_on=False))
        if not cuts:  # where would it be? (the whole view predicts one class)
            b, w = theta[0], theta[1]
            order = np.argsort(b + w * (lo + hi) / 2)[::-1]
            a, c = order[0], order[1]
            if w[a] != w[c]:
                x = (b[c] - b[a]) / (w[a] - w[c])
                side, xt, ha = ("←", lo, "left") if x < lo else ("→", hi, "right")
                self.threshold_labels.append(
                    ax.text(xt, 1.02, f"{side} threshold x = {x:.2f} (off view)" if side == "←"
                            else f"threshold x = {x:.2f} (off view) {side}",
                            ha=ha, va="bottom", fontsize="small",
                            transform=ax.get_xaxis_transform(), clip_on=False))
        if self.points:
            Px = _predict_proba(theta, self.X[:, None])
            for c, sc in enumerate(self.points):
                m = self.y == c
                yv = Px[m, c] if self.points_at == "proba" else np.zeros(m.sum())
                sc.set_offsets(np.column_stack([self.X[m], yv]))
        idx = self.highlight_idx = _as_indices(highlight, None if self.X is None else self.X.size)
        if self.X is not None and idx.size:
            if self.y is not None and self.points_at == "proba":
                yy = _predict_proba(theta, self.X[idx, None])[np.arange(idx.size), self.y[idx]]
            else:
                yy = np.zeros(idx.size)
            self.highlight.set_offsets(np.column_stack([self.X[idx], yy]))
        else:
            self.highlight.set_offsets(np.empty((0, 2)))
        _relabel_highlight(self.highlight, idx)
        describe(self.highlight, _describe_curves(self))  # what the panel shows now
        return self



class RegionsDisplay(_Display):
    """Decision regions of a 2-feature softmax model, with the data on top.

    Regions are shaded with light palette colours: by default the exact
    convex polygon where each class wins (:func:`decision_polygons`), or with
    ``method="grid"`` an image of ``argmax`` on a ``resolution × resolution``
    grid (:func:`decision_grid`, the usual "evaluate on a mesh" recipe);
    boundaries are the exact segments from :func:`decision_boundaries`;
    samples get one colour *and* one marker per class.

    Parameters
    ----------
    theta : ndarray of shape (3, n_classes)
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), optional, 0-based labels
    feature_names, class_names : sequence of str, optional
    highlight : int or sequence of int, optional
        rows of X to circle (the current sample or mini-batch).
    method : {"exact", "grid"}

    Attributes (after ``plot``): ``ax``, ``regions`` (list of Polygon, one per
    class; an AxesImage with ``method="grid"``), ``boundaries`` (Line2D per
    class pair, empty where the pair shares no boundary), ``points``
    (PathCollection per class), ``highlight`` (PathCollection); ``xlim``, ``ylim``.
    """


    _keys = ("ax", "regions", "boundaries", "points", "highlight")

    def __init__(self, theta, X, y=None, *, feature_names=None, class_names=None, highlight=None,
                 resolution=200, padding=0.5, method="exact"):
        self.theta = _as_theta(theta, 2, "plot_decision_regions")
        k = self.theta.shape[1]
        self.X = _as_X(X, 2, "plot_decision_regions")
        self.y = _as_y(y, self.X.shape[0], k)
        if method not in ("exact", "grid"):
            raise ValueError(f'method must be "exact" (polygons) or "grid" (an image), got {method!r}.')
        self.method = method
        self.resolution = _v.as_int(resolution, "resolution", minimum=2, example="resolution=200")
        self.names = class_labels(class_names, k)
        if isinstance(feature_names, str):
            raise TypeError(f"feature_names must be a list of 2 names (x axis, y axis), got the single string "
                            f"{feature_names!r}; pass e.g. feature_names=['petal length (cm)', 'petal width (cm)'].")
        self.feature_names = list(feature_names) if feature_names is not None else ["$x_1$", "$x_2$"]
        if len(self.feature_names) != 2:
            raise ValueError(f"feature_names needs 2 names (x axis, y axis), got {len(self.feature_names)}.")
        self.xlim, self.ylim = _limits(self.X, None, None, padding)
        self.highlight_idx = _as_indices(highlight, self.X.shape[0])
        self.ax, self.regions, self.boundaries, self.points, self.highlight = None, None, [], [], None

    def plot(self, ax=None):
        ax = self.ax = _new_ax(ax, (5.6, 4.4))
        k = self.theta.shape[1]
        colors, markers, light = class_colors(k), class_markers(k), light_colors(k)
        if self.method == "grid":
            xx, yy = np.meshgrid(np.linspace(*self.xlim, self.resolution), np.linspace(*self.ylim, self.resolution))
            self._grid_xy, self._grid_shape = np.column_stack([xx.ravel(), yy.ravel()]), xx.shape
            self.regions = ax.imshow(
                np.zeros(xx.shape), origin="lower", extent=(*self.xlim, *self.ylim), aspect="auto",
                cmap=ListedColormap(light), vmin=-0.5, vmax=k - 0.5, interpolation="nearest", zorder=0)
        else:
            self.regions = [ax.add_patch(Polygon(np.zeros((0, 2)), closed=True, facecolor=light[c],
                                                 edgecolor="none", zorder=0)) for c in range(k)]
        self.boundaries = [ax.plot([], [], color="0.15", lw=2.0, zorder=2)[0]
                           for _ in combinations(range(k), 2)]
        if self.y is not None:
            self.points = [
                ax.scatter(self.X[self.y == c, 0], self.X[self.y == c, 1], marker=markers[c], s=60,
                           color=colors[c], edgecolors="black", linewidths=0.8, zorder=4, label=self.names[c])
                for c in range(k)
            ]
        self.highlight = ax.scatter([], [], **_HIGHLIGHT_KW, label=_highlight_label(self.highlight_idx))
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel(self.feature_names[0])
        ax.set_ylabel(self.feature_names[1])
        if self.y is not None:
            ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
        return self.update(self.theta, highlight=self.highlight_idx)

    def update(self, theta, *, highlight=None):
        """Move the regions, boundaries and the highlight ring to a new θ (in place); returns self."""
        self._require_plotted()
        theta = self.theta = _as_theta(theta, 2, "RegionsDisplay.update")
        if self.method == "grid":
            labels = _predict_proba(theta, self._grid_xy).argmax(-1).reshape(self._grid_shape)
            self.regions.set_data(labels)
        else:
            if theta.shape[1] != len(self.regions):
                raise ValueError(f"update got theta with {theta.shape[1]} classes; this display has {len(self.regions)}.")
            for patch, poly in zip(self.regions, decision_polygons(theta, self.xlim, self.ylim)):
                patch.set_xy(poly if len(poly) else np.zeros((0, 2)))
        segs = decision_boundaries(theta, self.xlim, self.ylim)
        for line, pair in zip(self.boundaries, combinations(range(theta.shape[1]), 2)):
            s = segs[pair]
            line.set_data(([], []) if s is None else (s[:, 0], s[:, 1]))
        idx = self.highlight_idx = _as_indices(highlight, self.X.shape[0])
        self.highlight.set_offsets(self.X[idx] if idx.size else np.empty((0, 2)))
        _relabel_highlight(self.highlight, idx)
        describe(self.highlight, _describe_regions(self))  # what the panel shows now
        return self



class SimplexDisplay(_Display):
    """Probability rows of a 3-class model as points in a triangle.

    Each vertex is one class (ŷ = 1 for that class); the centre is
    ŷ = (1/3, 1/3, 1/3); the dashed guides from the centre to the edge midpoints
    separate where each class has the largest probability.  Points take the
    colour and marker of their *true* class, so a well-trained model moves every
    point toward its own vertex.

    Parameters
    ----------
    P : ndarray of shape (n_samples, 3)
        Probability rows (e.g. ``sl.predict_proba(theta, X)``).
    y : ndarray of shape (n_samples,), optional, 0-based labels
    class_names : sequence of 3 str, optional
    highlight : int or sequence of int, optional

    ``update(P, highlight=...)`` moves the points to new probabilities; for a
    model, :meth:`update_theta` takes θ and X.

    Attributes (after ``plot``): ``ax``, ``triangle``, ``guides``,
    ``vertex_labels``, ``points`` (PathCollection per class), ``highlight``.
    """


    _keys = ("ax", "triangle", "guides", "vertex_labels", "points", "highlight")

    def __init__(self, P, y=None, *, class_names=None, highlight=None):
        self.S = self._coords(P)
        self.y = _as_y(y, self.S.shape[0], 3, "the simplex (P)")
        self.names = class_labels(class_names, 3)
        self.highlight_idx = _as_indices(highlight, self.S.shape[0])
        self.ax, self.triangle, self.guides, self.vertex_labels, self.points = None, None, [], [], []
        self.highlight = None

    @staticmethod
    def _coords(P):
        return _as_probabilities(P, "plot_simplex") @ _SIMPLEX_VERTICES

    def plot(self, ax=None):
        ax = self.ax = _new_ax(ax, (4.6, 4.2))
        colors, markers = class_colors(3), class_markers(3)
        V = _SIMPLEX_VERTICES
        self.triangle = ax.plot(*np.vstack([V, V[:1]]).T, color="0.2", lw=1.5, zorder=1)[0]
        centre = V.mean(0)
        self.guides = [
            ax.plot(*np.array([centre, (V[i] + V[j]) / 2]).T, color="0.55", ls="--", lw=1, zorder=1)[0]
            for i, j in ((0, 1), (1, 2), (0, 2))
        ]
        offsets = [(0, -0.03, "right", "top"), (0, -0.03, "left", "top"), (0, 0.03, "center", "bottom")]
        self.vertex_labels = [
            ax.text(V[i, 0] + dx, V[i, 1] + dy, f"{self.names[i]}\n" + rf"$\hat y_{{{i}}}=1$"
                    if i == 2 else rf"$\hat y_{{{i}}}=1$" + f"\n{self.names[i]}",
                    ha=ha, va=va, color="black", fontsize="small")
            for i, (dx, dy, ha, va) in enumerate(offsets)
        ]
        if self.y is None:
            self.points = [ax.scatter([], [], marker="o", s=45, color="0.3", zorder=3)]
        else:
            self.points = [
                ax.scatter([], [], marker=markers[c], s=55, color=colors[c], edgecolors="black",
                           linewidths=0.7, zorder=3, label=self.names[c])
                for c in range(3)
            ]
        self.highlight = ax.scatter([], [], **_HIGHLIGHT_KW)
        ax.set_xlim(-0.15, 1.15)
        ax.set_ylim(-0.17, np.sqrt(3) / 2 + 0.15)
        ax.set_aspect("equal")
        ax.axis("off")
        return self._move(self.S, self.highlight_idx)

    def update(self, P, *, highlight=None):
        """Move the points to new probability rows (same samples, same order); returns self."""
        self._require_plotted()
        S = self._coords(P)
        if S.shape[0] != self.S.shape[0]:
            raise ValueError(f"update got {S.shape[0]} probability rows; this display has {self.S.shape[0]} samples.")
        return self._move(S, highlight)

    def update_theta(self, theta, X, *, highlight=None):
        """Move the points to the probabilities of θ on X; returns self."""
        return self.update(_predict_proba(theta, X), highlight=highlight)

    def _move(self, S, highlight):
        self.S = S
        if self.y is None:
            self.points[0].set_offsets(S)
        else:
            for c, sc in enumerate(self.points):
                sc.set_offsets(S[self.y == c])
        idx = self.highlight_idx = _as_indices(highlight, S.shape[0])
        self.highlight.set_offsets(S[idx] if idx.size else np.empty((0, 2)))
        _relabel_highlight(self.highlight, idx)
        describe(self.highlight, _describe_simplex(self))  # what the panel shows now
        return self



def _nice_ceiling(value, steps=(1, 2, 5)):
    """Smallest number of the form m * 10**e (m in steps) that is >= value."""
    if value <= 0:
        return 1.0
    e = np.floor(np.log10(value))
    for m in steps + (10,):
        if m * 10**e >= value * (1 - 1e-12):
            return float(m * 10**e)
    return float(10 ** (e + 1))


def _as_losses(losses, who="plot_loss"):
    """Losses as a 1-D float array: real, finite, >= 0 (cross-entropy), one per update."""
    if np.isscalar(losses) and not isinstance(losses, (str, bytes)):
        raise TypeError(f"{who} needs a sequence of numbers (one loss per update), got the single number "
                        f"{losses!r}; pass e.g. [{losses!r}] or the history's losses.")
    losses = _v.as_float_array(losses, "losses")
    if losses.ndim != 1:
        raise ValueError(f"{who} needs a 1-D sequence of losses (one per update), got shape {losses.shape}; "
                         "pass one curve at a time (a LossDisplay per curve), e.g. losses[0] or losses[:, 0].")
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:
        raise ValueError(
            f"{who}: the loss at update {bad[0] + 1} is {losses[bad[0]]} (training diverged there); "
            f"plot the finite part, e.g. losses[:{bad[0]}], and lower the learning rate."
        )
    negative = np.flatnonzero(losses < 0)
    if negative.size:
        raise ValueError(
            f"{who}: the loss at update {negative[0] + 1} is {losses[negative[0]]}, but a cross-entropy is "
            "never negative; pass the loss values themselves (e.g. history.loss), not log-probabilities "
            "or differences."
        )
    return losses


class LossDisplay(_Display):
    """Loss against update number (update 1 is the first step).

    Several displays on one ``ax`` draw several curves; the axes then cover
    all of them (x up to a round number, so they stay still while stepping).
    Give each its own ``color``/``linestyle``/``marker``; on long curves the
    markers are thinned to about a dozen, ``marker=""`` draws none.

    Parameters
    ----------
    losses : sequence of float
        Finite values (a NaN or inf is refused with the update where it happened).

    Attributes (after ``plot``): ``ax``, ``line`` (Line2D), ``marker``.
    """


    _keys = ("ax", "line", "marker")

    def __init__(self, losses, *, label=None, xlabel="update", color=None, linestyle="-", marker="o"):
        self.losses = _as_losses(losses)
        self.label, self.xlabel, self.color, self.linestyle, self.marker = label, xlabel, color, linestyle, marker
        self.ax = self.line = None

    def plot(self, ax=None):
        ax = self.ax = _new_ax(ax, (5.0, 3.2))
        self.line = ax.plot([], [], marker=self.marker, ms=4, ls=self.linestyle,
                            color=PALETTE[3] if self.color is None else self.color, label=self.label)[0]
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel("loss (cross-entropy)")
        ax.grid(alpha=0.3)
        if self.label is not None:
            ax.legend(fontsize="small")
        return self.update(self.losses)

    def update(self, losses, *, ymax=None):
        """Replace the curve's data; the axes grow in round steps (x: 10, 20, 50, 100, …;
        y from 0 to a round value above the largest loss), so they stay still while a
        lecture steps.  Returns self."""
        self._require_plotted()
        losses = self.losses = _as_losses(losses, "LossDisplay.update")
        if ymax is not None:
            ymax = _v.as_positive_float(ymax, "ymax", example="ymax=2.0 (the y axis reaches at least 2)")
        steps = np.arange(1, losses.size + 1)
        line = self.line
        line.set_data(steps, losses)
        # long curves keep their markers (they tell curves apart without colour), thinned to ~12
        line.set_marker(self.marker)
        line.set_markevery(None if losses.size <= 60 else max(1, losses.size // 12))
        ax = self.ax
        others = [ln for ln in ax.get_lines() if ln is not line and len(ln.get_xdata())]
        n_max = max([losses.size, 10] + [float(np.max(ln.get_xdata())) for ln in others])
        xmax = _nice_ceiling(n_max)
        finite = [float(np.nanmax(ln.get_ydata())) for ln in others]
        top = max([float(np.max(losses)) if losses.size else 0.0, ymax or 0.0, 1e-3] + finite)
        ytop = _nice_ceiling(1.05 * top, steps=(1, 1.5, 2, 2.5, 3, 4, 5, 6, 8))
        if ax.get_xlim() != (0.0, xmax):
            ax.set_xlim(0.0, xmax)
        if ax.get_ylim() != (0.0, ytop):
            ax.set_ylim(0.0, ytop)
        describe(self.line, _describe_loss(self))  # what the curve shows now
        return self


# --------------------------------------------------------------------------- #
# one-line shortcuts (build + plot), and the older update_* names
# --------------------------------------------------------------------------- #
def plot_probability_curves(theta, X=None, y=None, *, x_range=None, ax=None, class_names=None,
                            feature_name=None, highlight=None, points_at="proba"):
    """Draw a :class:`CurvesDisplay` on ``ax`` and return it (see there for the parameters)."""
    return CurvesDisplay(theta, X, y, x_range=x_range, class_names=class_names, feature_name=feature_name,
                         highlight=highlight, points_at=points_at).plot(ax)


def update_probability_curves(art, theta, X=None, y=None, *, highlight=None):
    """``art.update(theta, highlight=...)`` (X and y are the display's own; kept for older calls)."""
    return art.update(theta, highlight=highlight)


def plot_decision_regions(theta, X, y=None, *, ax=None, feature_names=None, class_names=None,
                          highlight=None, resolution=200, padding=0.5, method="exact"):
    """Draw a :class:`RegionsDisplay` on ``ax`` and return it (see there for the parameters)."""
    return RegionsDisplay(theta, X, y, feature_names=feature_names, class_names=class_names,
                          highlight=highlight, resolution=resolution, padding=padding,
                          method=method).plot(ax)


def update_decision_regions(art, theta, X=None, *, highlight=None):
    """``art.update(theta, highlight=...)`` (X is the display's own; kept for older calls)."""
    return art.update(theta, highlight=highlight)


def plot_simplex(P, y=None, *, ax=None, class_names=None, highlight=None):
    """Draw a :class:`SimplexDisplay` on ``ax`` and return it (see there for the parameters)."""
    return SimplexDisplay(P, y, class_names=class_names, highlight=highlight).plot(ax)


def update_simplex(art, P, y=None, *, highlight=None):
    """``art.update(P, highlight=...)`` (y is the display's own; kept for older calls)."""
    return art.update(P, highlight=highlight)


def plot_loss(losses, *, ax=None, label=None, xlabel="update", color=None, linestyle="-", marker="o"):
    """Draw a :class:`LossDisplay` on ``ax`` and return it (see there for the parameters)."""
    return LossDisplay(losses, label=label, xlabel=xlabel, color=color, linestyle=linestyle,
                       marker=marker).plot(ax)


def update_loss(art, losses, *, ymax=None):
    """``art.update(losses, ymax=ymax)``."""
    return art.update(losses, ymax=ymax)


def show(fig=None, alt=None):
    """Show ``fig`` in the notebook with its alt text stored in the output, then close it.

    Use it where a cell would call ``plt.show()``. The alt text is ``alt`` (what the
    cell knows: the data, the state, the comparison the figure makes) followed by the
    sentences the plotting helpers added with :func:`describe` for each panel they drew;
    an empty or generic alt text is refused (:func:`softmax_lab.alt.check_alt`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure, optional
        The figure (default: the current one).
    alt : str, optional
        The cell's own sentence(s) about the picture, made from the plotted numbers.

    The alt text is stored with the picture; :func:`softmax_lab.alt.alt_text` gives the
    same text for a test (nothing is returned, so a last-line call prints nothing).
    """
    from IPython.display import display

    fig = plt.gcf() if fig is None else fig
    text = alt_text(fig, alt)
    display(fig, metadata={"image/png": {"alt": text}})
    plt.close(fig)


# --------------------------------------------------------------------------- #
# what each display shows now, in words (its alt text; softmax_lab.alt.describe)
# --------------------------------------------------------------------------- #
_TEX_WORDS = {r"\hat y": "ŷ", r"\hat{y}": "ŷ", r"\theta": "θ", r"\eta": "η", r"\lambda": "λ"}


def _plain(text):
    """A label as a screen reader should say it: TeX and its dollar signs removed."""
    s = str(text)
    for tex, word in _TEX_WORDS.items():
        s = s.replace(tex, word)
    s = s.replace("$", "").replace("{", "").replace("}", "").replace("_", "").replace("\\", "")
    return " ".join(s.split())


def _fmt(x):
    """A coordinate in at most 3 significant figures (4.7, 0.25, 12.3)."""
    return f"{x:.3g}"


def _percent(share):
    """A share of the view as a whole percent, never rounding a sliver to 0 % or most to 100 %."""
    pct = 100.0 * share
    if 0 < pct < 1:
        return "under 1 %"
    if 99 < pct < 100:
        return "over 99 %"
    return f"{pct:.0f} %"


def _where(fx, fy):
    """Where a point at fractions (fx, fy) of the view lies, in words ("the lower left")."""
    col = "left" if fx < 1 / 3 else "right" if fx > 2 / 3 else ""
    row = "lower" if fy < 1 / 3 else "upper" if fy > 2 / 3 else ""
    if row and col:
        return f"the {row} {col}"
    if row:
        return "the bottom" if row == "lower" else "the top"
    return f"the {col}" if col else "the middle"


def _and(words):
    """["a", "b", "c"] -> "a, b and c"."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _cls(names, c):
    """A class as the reader sees it, with its 0-based index: "versicolor (class 1)", or "class 1"."""
    c = int(c)
    return names[c] if names[c] == f"class {c}" else f"{names[c]} (class {c})"


def _polygon_area_centroid(poly):
    """Area and centroid of a simple polygon (shoelace formula); (0, None) for an empty one."""
    if len(poly) < 3:
        return 0.0, None
    x, y = poly[:, 0], poly[:, 1]
    xs, ys = np.roll(x, -1), np.roll(y, -1)
    cross = x * ys - xs * y
    area = cross.sum() / 2
    if abs(area) < 1e-300:
        return 0.0, None
    return abs(area), np.array([((x + xs) * cross).sum(), ((y + ys) * cross).sum()]) / (6 * area)


def _describe_regions(disp):
    """RegionsDisplay: which class covers how much of the view and where, the samples, the ring."""
    theta, k = disp.theta, disp.theta.shape[1]
    (x0, x1), (y0, y1) = disp.xlim, disp.ylim
    box = (x1 - x0) * (y1 - y0)
    if disp.method == "grid":
        labels = disp.regions.get_array()
        shares = np.bincount(np.asarray(labels, dtype=int).ravel(), minlength=k) / labels.size
        centres = []
        for c in range(k):
            rows, cols = np.nonzero(np.asarray(labels) == c)
            centres.append(None if rows.size == 0 else
                           ((cols.mean() + 0.5) / labels.shape[1], (rows.mean() + 0.5) / labels.shape[0]))
    else:
        shares, centres = [], []
        for poly in decision_polygons(theta, disp.xlim, disp.ylim):
            area, cen = _polygon_area_centroid(np.asarray(poly, dtype=float))
            shares.append(area / box)
            centres.append(None if cen is None else ((cen[0] - x0) / (x1 - x0), (cen[1] - y0) / (y1 - y0)))
    fx, fy = _plain(disp.feature_names[0]), _plain(disp.feature_names[1])
    order = sorted(range(k), key=lambda c: -shares[c])
    covered = [c for c in order if shares[c] > 0]
    if len(covered) == 1:
        parts = f"all of the view is {_cls(disp.names, covered[0])}"
    else:
        parts = "; ".join(f"{_cls(disp.names, c)} covers {_percent(shares[c])}, centred at {_where(*centres[c])}"
                          for c in covered)
    absent = [disp.names[c] for c in range(k) if shares[c] == 0]
    text = (f"Decision regions of a {k}-class softmax model over {fx} from {_fmt(x0)} to {_fmt(x1)} "
            f"and {fy} from {_fmt(y0)} to {_fmt(y1)}: {parts}")
    if absent:
        text += f"; {_and(absent)} {'wins' if len(absent) == 1 else 'win'} nowhere in the view"
    text += "."
    pred = _predict_proba(theta, disp.X).argmax(1)
    n = disp.X.shape[0]
    if disp.y is not None:
        text += (f" {int((pred == disp.y).sum())} of {n} samples lie in the region of their own class "
                 f"(each class has its own colour and marker).")
    else:
        text += f" {n} samples are drawn on top."
    idx = disp.highlight_idx
    if idx.size == 1:
        i = int(idx[0])
        own = "" if disp.y is None else f"a {_cls(disp.names, disp.y[i])} sample, "
        text += (f" The ringed sample (row {i}) at ({_fmt(disp.X[i, 0])}, {_fmt(disp.X[i, 1])}) is "
                 f"{own}in the {disp.names[pred[i]]} region.")
    elif idx.size > 1:
        inside = int((pred[idx] == disp.y[idx]).sum()) if disp.y is not None else None
        text += f" {idx.size} samples of the current batch are ringed"
        text += f"; {inside} of them lie in their own class's region." if inside is not None else "."
    return text


def _describe_curves(disp):
    """CurvesDisplay: which class is most probable where (the thresholds), the samples, the ring."""
    theta, k = disp.theta, disp.theta.shape[1]
    lo, hi = disp.x_range
    feature = _plain(disp.feature_name or "x")
    text = (f"Predicted probability of each of {k} classes ({', '.join(disp.names)}) against {feature} "
            f"from {_fmt(lo)} to {_fmt(hi)}: ")
    cuts = probability_thresholds(theta, (lo, hi))
    if not cuts:
        winner = int(np.argmax(theta[0] + theta[1] * (lo + hi) / 2))
        text += f"{_cls(disp.names, winner)} is the most probable over the whole view, no threshold inside it."
    else:
        spans = [f"{disp.names[cuts[0][1]]} is the most probable below {feature} = {cuts[0][0]:.2f}"]
        for (xa, _, c), (xb, _, _) in zip(cuts, cuts[1:]):
            spans.append(f"{disp.names[c]} between {xa:.2f} and {xb:.2f}")
        spans.append(f"{disp.names[cuts[-1][2]]} above {cuts[-1][0]:.2f}")
        noun = "threshold" if len(cuts) == 1 else "thresholds"
        text += "; ".join(spans) + f" (dashed {noun} at " + ", ".join(f"{x:.2f}" for x, _, _ in cuts) + ")."
    if disp.X is not None and disp.y is not None:
        P = _predict_proba(theta, disp.X[:, None])
        ok = int((P.argmax(1) == disp.y).sum())
        where = "at the probability the model gives their own class" if disp.points_at == "proba" \
            else "along the bottom axis"
        text += (f" {disp.X.size} samples are drawn {where}; {ok} of them have their own class "
                 f"as the most probable.")
        idx = disp.highlight_idx
        if idx.size == 1:
            i = int(idx[0])
            text += (f" The ringed sample at {feature} = {_fmt(disp.X[i])} is a {disp.names[disp.y[i]]}; "
                     f"the model gives it probability {P[i, disp.y[i]]:.2f} of its own class.")
        elif idx.size > 1:
            text += f" {idx.size} samples of the current batch are ringed."
    return text


def _describe_simplex(disp):
    """SimplexDisplay: which corner the points sit nearest, how sure, the ring."""
    S = disp.S
    p2 = S[:, 1] / (np.sqrt(3) / 2)
    p1 = S[:, 0] - 0.5 * p2
    P = np.column_stack([1.0 - p1 - p2, p1, p2])
    n, top = P.shape[0], P.argmax(1)
    counts = np.bincount(top, minlength=3)
    text = (f"Probability triangle of {n} sample{'s' if n != 1 else ''}, one corner per class "
            f"({', '.join(f'{disp.names[c]} at ŷ{c} = 1' for c in range(3))}), the centre is "
            f"(1/3, 1/3, 1/3), dashed guides split it where each class is the most probable: ")
    text += _and(f"{counts[c]} {'point sits' if counts[c] == 1 else 'points sit'} in the {disp.names[c]} part"
                 for c in range(3))
    text += f"; the largest probability is {P.max(1).mean():.2f} on average."
    if disp.y is not None:
        ok = int((top == disp.y).sum())
        text += (f" {ok} of {n} points sit in the part of their own class; the mean probability "
                 f"of the true class is {P[np.arange(n), disp.y].mean():.2f}.")
    idx = disp.highlight_idx
    if idx.size == 1:
        i = int(idx[0])
        text += (f" The ringed sample (row {i}) is at ŷ = ("
                 + ", ".join(f"{p:.2f}" for p in P[i]) + ").")
    elif idx.size > 1:
        text += f" {idx.size} samples of the current batch are ringed."
    return text


def _describe_loss(disp):
    """LossDisplay: the curve's first, last and lowest values and how many updates."""
    L = disp.losses
    name = f"{_plain(disp.label)}: loss" if disp.label else "Loss"
    if L.size == 0:
        return f"{name} (cross-entropy) against {_plain(disp.xlabel)}: no {_plain(disp.xlabel)} yet, the curve is empty."
    if L.size == 1:
        return f"{name} (cross-entropy) after 1 {_plain(disp.xlabel)}: {L[0]:.3f}."
    unit = _plain(disp.xlabel)
    if np.all(L == L[0]):
        return f"{name} (cross-entropy) of each of {L.size} {unit}s: stays at {L[0]:.3f}."
    trend = (f"falls from {L[0]:.3f} to {L[-1]:.3f}" if L[-1] < L[0] else
             f"rises from {L[0]:.3f} to {L[-1]:.3f}" if L[-1] > L[0] else f"starts and ends at {L[0]:.3f}")
    text = f"{name} (cross-entropy) of each of {L.size} {unit}s: {trend}"
    j = int(np.argmin(L))
    text += (f", lowest {L[j]:.3f} at {_plain(disp.xlabel)} {j + 1}." if j + 1 != L.size
             else f", the lowest value at the last {_plain(disp.xlabel)}.")
    return text
