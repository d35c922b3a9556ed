"""Plotting helpers for softmax regression (matplotlib only; never imported by
``import softmax_lab``).

Every helper follows one pattern (scikit-learn's ``DecisionBoundaryDisplay``):
the numbers are computed by a separate, plain function (``decision_grid``,
``decision_boundaries``, ``probability_thresholds``, ``simplex_coordinates``),
and the drawing function takes an ``ax`` (it creates a figure with
``layout="constrained"`` only when ``ax`` is None) and returns a dict of the
artists it drew.  Each ``plot_*`` has an ``update_*`` twin that moves those
artists in place for a new θ, which is what the interactive stepper uses so a
training step does not redraw the whole figure.

Conventions (the package's, stated once): ``theta`` has shape
``(n_features + 1, n_classes)`` with row 0 the bias row; ``X`` has one sample
per row and no column of ones; labels ``y`` are 0-based.

Colours are the Okabe–Ito colour-blind-safe palette and every class also has
its own marker, so nothing depends on colour alone.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np, softmax_lab as sl
>>> from softmax_lab.plotting import plot_decision_regions
>>> theta = sl.datasets.slide_theta(3)
>>> X = np.array([[1.5, 0.2], [4.7, 1.6], [5.6, 2.2]]); y = np.array([0, 1, 2])
>>> art = plot_decision_regions(theta, X, y)
>>> sorted(key for key in art if not key.startswith("_"))
['ax', 'boundaries', 'highlight', 'points', 'regions']
"""

from contextlib import contextmanager
from itertools import combinations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.patches import Polygon

from . import core as _core

__all__ = [
    "PALETTE",
    "MARKERS",
    "class_colors",
    "class_markers",
    "light_colors",
    "lecture_style",
    "decision_grid",
    "decision_boundaries",
    "decision_polygons",
    "probability_thresholds",
    "simplex_coordinates",
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


def _check_theta(theta, n_features, who):
    theta = np.asarray(theta, dtype=float)
    if theta.ndim != 2 or theta.shape[0] != n_features + 1:
        raise ValueError(
            f"{who} needs theta of shape ({n_features + 1}, n_classes) for a "
            f"{n_features}-feature model (row 0 = bias row), got shape {theta.shape}."
        )
    return theta


def _highlight_label(highlight):
    """Legend label of the highlight ring: hidden when nothing is highlighted."""
    return "_current sample" if highlight is None else "current sample"


def _as_indices(highlight):
    if highlight is None:
        return np.array([], dtype=int)
    return np.atleast_1d(np.asarray(highlight, dtype=int)).ravel()


def _names(names, n, default):
    if names is None:
        return [default.format(i) for i in range(n)]
    names = list(names)
    if len(names) != n:
        raise ValueError(f"got {len(names)} names for {n} classes; pass one name per class.")
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
    theta = _check_theta(theta, 1, "probability_thresholds")
    b, w = theta[0], theta[1]
    lo, hi = float(x_range[0]), float(x_range[1])
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
    theta = _check_theta(theta, 2, "decision_grid")
    xlim, ylim = _limits(X, xlim, ylim, padding)
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    P = _predict_proba(theta, np.column_stack([xx.ravel(), yy.ravel()]))
    return xx, yy, P.reshape(resolution, resolution, -1)


def _limits(X, xlim, ylim, padding):
    if X is None and (xlim is None or ylim is None):
        raise ValueError("pass X (to fit the view to the data) or both xlim and ylim.")
    if X is not None:
        X = np.asarray(X, dtype=float)
        if xlim is None:
            xlim = (X[:, 0].min() - padding, X[:, 0].max() + padding)
        if ylim is None:
            ylim = (X[:, 1].min() - padding, X[:, 1].max() + padding)
    return tuple(map(float, xlim)), tuple(map(float, ylim))


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
    theta = _check_theta(theta, 2, "decision_boundaries")
    k = theta.shape[1]
    (x0, x1), (y0, y1) = xlim, ylim
    box = [np.array(h, dtype=float) for h in ([-x0, 1, 0], [x1, -1, 0], [-y0, 0, 1], [y1, 0, -1])]
    out = {}
    for a, b in combinations(range(k), 2):
        d = theta[:, a] - theta[:, b]
        nrm2 = d[1] ** 2 + d[2] ** 2
        if nrm2 < 1e-300:
            out[(a, b)] = None
            continue
        p0 = -d[0] * d[1:] / nrm2
        direction = np.array([-d[2], d[1]]) / np.sqrt(nrm2)
        lo, hi = -np.inf, np.inf
        halfplanes = box + [theta[:, a] - theta[:, c] for c in range(k) if c not in (a, b)]
        for h in halfplanes:  # h0 + h1*x + h2*y >= 0
            g0 = h[0] + h[1:] @ p0
            g1 = h[1:] @ direction
            if abs(g1) < 1e-15:
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
    theta = _check_theta(theta, 2, "decision_polygons")
    (x0, x1), (y0, y1) = xlim, ylim
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
    P = np.atleast_2d(np.asarray(P, dtype=float))
    if P.ndim != 2 or P.shape[1] != 3:
        raise ValueError(
            f"plot_simplex needs probabilities of shape (n_samples, 3) (three classes), "
            f"got shape {P.shape}."
        )
    return P @ _SIMPLEX_VERTICES


_SIMPLEX_VERTICES = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


# --------------------------------------------------------------------------- #
# 1 feature: probability curves
# --------------------------------------------------------------------------- #
def plot_probability_curves(
    theta,
    X=None,
    y=None,
    *,
    x_range=None,
    ax=None,
    class_names=None,
    feature_name=None,
    highlight=None,
    points_at="proba",
):
    """Predicted probability of each class against the one feature x.

    Parameters
    ----------
    theta : ndarray of shape (2, n_classes)
    X : ndarray of shape (n_samples, 1) or (n_samples,), optional
    y : ndarray of shape (n_samples,), optional, 0-based labels
    x_range : (float, float), optional
        default: the data range ± 1 (or (0, 7), petal lengths in cm, without data).
    highlight : int or sequence of int, optional
        indices of samples to circle (the current training sample).
    points_at : {"proba", "axis"}
        draw each sample at the probability the model gives its own class
        (``ŷ_{y_i}``), or along the bottom axis.

    Returns
    -------
    dict with "ax", "curves" (Line2D per class), "thresholds" (dashed Line2D per
    change of the predicted class), "threshold_labels" (Text), "points"
    (PathCollection per class), "highlight" (PathCollection or None).
    """
    theta = _check_theta(theta, 1, "plot_probability_curves")
    k = theta.shape[1]
    ax = _new_ax(ax, (6.4, 3.8))
    names = _names(class_names, k, "class {}")
    colors, markers = class_colors(k), class_markers(k)
    Xc = None if X is None else np.asarray(X, dtype=float).reshape(-1)
    if x_range is None:
        x_range = (0.0, 7.0) if Xc is None else (Xc.min() - 1.0, Xc.max() + 1.0)
    grid = np.linspace(float(x_range[0]), float(x_range[1]), 400)
    P = _predict_proba(theta, grid[:, None])
    curves = [
        ax.plot(grid, P[:, c], color=colors[c], label=rf"$\hat y_{{{c}}}$ = P({names[c]} | x)")[0]
        for c in range(k)
    ]
    art = {"ax": ax, "curves": curves, "thresholds": [], "threshold_labels": [],
           "points": [], "highlight": None}
    art["_state"] = {"grid": grid, "x_range": tuple(map(float, x_range)), "points_at": points_at}
    if Xc is not None and y is not None:
        y = np.asarray(y, dtype=int)
        Px = _predict_proba(theta, Xc[:, None])
        for c in range(k):
            m = y == c
            yv = Px[m, c] if points_at == "proba" else np.zeros(m.sum())
            art["points"].append(
                ax.scatter(Xc[m], yv, marker=markers[c], s=70, color=colors[c],
                           edgecolors="black", linewidths=0.8, zorder=4,
                           label=f"{names[c]} (data)")
            )
    art["highlight"] = ax.scatter([], [], **_HIGHLIGHT_KW, label=_highlight_label(highlight))
    ax.set_xlim(*x_range)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(feature_name or "x")
    ax.set_ylabel(r"predicted probability $\hat y$")
    ax.grid(alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small", framealpha=0.9)
    update_probability_curves(art, theta, X, y, highlight=highlight)
    return art


def update_probability_curves(art, theta, X=None, y=None, *, highlight=None):
    """Move the artists of :func:`plot_probability_curves` to a new θ (in place)."""
    theta = _check_theta(theta, 1, "update_probability_curves")
    ax, st = art["ax"], art["_state"]
    P = _predict_proba(theta, st["grid"][:, None])
    for c, line in enumerate(art["curves"]):
        line.set_ydata(P[:, c])
    for artist in art["thresholds"] + art["threshold_labels"]:
        artist.remove()
    art["thresholds"], art["threshold_labels"] = [], []
    lo, hi = st["x_range"]
    cuts = probability_thresholds(theta, (lo, hi))
    for x, _, _ in cuts:
        art["thresholds"].append(ax.axvline(x, color="0.25", ls="--", lw=1.8, zorder=3))
        art["threshold_labels"].append(
            ax.text(x, 1.02, f" threshold x = {x:.2f}", ha="left", va="bottom",
                    fontsize="small", transform=ax.get_xaxis_transform(), clip_on=False)
        )
    if not cuts:
        # where would it be? (the whole view predicts one class)
        b, w = theta[0], theta[1]
        order = np.argsort(b + w * (lo + hi) / 2)[::-1]
        a, c = order[0], order[1]
        if w[a] != w[c]:
            x = (b[c] - b[a]) / (w[a] - w[c])
            side, xt, ha = ("←", lo, "left") if x < lo else ("→", hi, "right")
            art["threshold_labels"].append(
                ax.text(xt, 1.02, f"{side} threshold x = {x:.2f} (off view)" if side == "←"
                        else f"threshold x = {x:.2f} (off view) {side}",
                        ha=ha, va="bottom", fontsize="small",
                        transform=ax.get_xaxis_transform(), clip_on=False)
            )
    if X is not None and y is not None and art["points"]:
        Xc = np.asarray(X, dtype=float).reshape(-1)
        y = np.asarray(y, dtype=int)
        Px = _predict_proba(theta, Xc[:, None])
        for c, sc in enumerate(art["points"]):
            m = y == c
            yv = Px[m, c] if st["points_at"] == "proba" else np.zeros(m.sum())
            sc.set_offsets(np.column_stack([Xc[m], yv]))
    idx = _as_indices(highlight)
    if X is not None and idx.size:
        Xc = np.asarray(X, dtype=float).reshape(-1)
        if y is not None and st["points_at"] == "proba":
            yy = _predict_proba(theta, Xc[idx, None])[np.arange(idx.size), np.asarray(y)[idx]]
        else:
            yy = np.zeros(idx.size)
        art["highlight"].set_offsets(np.column_stack([Xc[idx], yy]))
    else:
        art["highlight"].set_offsets(np.empty((0, 2)))
    return art


# --------------------------------------------------------------------------- #
# 2 features: decision regions
# --------------------------------------------------------------------------- #
def plot_decision_regions(
    theta,
    X,
    y=None,
    *,
    ax=None,
    feature_names=None,
    class_names=None,
    highlight=None,
    resolution=200,
    padding=0.5,
    method="exact",
):
    """Decision regions of a 2-feature softmax model, with the data on top.

    Regions are shaded with light palette colours: by default the exact
    convex polygon where each class wins (:func:`decision_polygons`), or with
    ``method="grid"`` an image of ``argmax`` on a ``resolution × resolution``
    grid (:func:`decision_grid`, the usual "evaluate on a mesh" recipe, which
    also works for any model); boundaries are the exact line segments from
    :func:`decision_boundaries`;
    samples are drawn with one colour *and* one marker per class.

    Parameters
    ----------
    theta : ndarray of shape (3, n_classes)
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), optional, 0-based labels
    highlight : int or sequence of int, optional
        indices of samples to circle (the current sample or mini-batch).

    Returns
    -------
    dict with "ax", "regions" (list of Polygon, one per class; an AxesImage
    with ``method="grid"``), "boundaries" (list of Line2D, one per
    class pair, empty data where the pair shares no boundary), "points" (list of
    PathCollection, one per class), "highlight" (PathCollection).
    """
    theta = _check_theta(theta, 2, "plot_decision_regions")
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_regions needs X of shape (n_samples, 2), got {X.shape}.")
    k = theta.shape[1]
    ax = _new_ax(ax, (5.6, 4.4))
    names = _names(class_names, k, "class {}")
    colors, markers = class_colors(k), class_markers(k)
    xlim, ylim = _limits(X, None, None, padding)
    light = light_colors(k)
    if method == "grid":
        xx, yy, Pg = decision_grid(theta, xlim=xlim, ylim=ylim, resolution=resolution)
        regions = ax.imshow(
            Pg.argmax(-1), origin="lower", extent=(*xlim, *ylim), aspect="auto",
            cmap=ListedColormap(light), vmin=-0.5, vmax=k - 0.5,
            interpolation="nearest", zorder=0,
        )
        grid_state = {"xy": np.column_stack([xx.ravel(), yy.ravel()]), "shape": xx.shape}
    elif method == "exact":
        regions = [ax.add_patch(Polygon(np.zeros((0, 2)), closed=True, facecolor=light[c],
                                        edgecolor="none", zorder=0)) for c in range(k)]
        grid_state = {}
    else:
        raise ValueError(f'method must be "exact" (polygons) or "grid" (an image), got {method!r}.')
    boundaries = []
    for a, b in combinations(range(k), 2):
        boundaries.append(ax.plot([], [], color="0.15", lw=2.0, zorder=2)[0])
    points = []
    if y is not None:
        y = np.asarray(y, dtype=int)
        for c in range(k):
            m = y == c
            points.append(
                ax.scatter(X[m, 0], X[m, 1], marker=markers[c], s=60, color=colors[c],
                           edgecolors="black", linewidths=0.8, zorder=4, label=names[c])
            )
    hl = ax.scatter([], [], **_HIGHLIGHT_KW, label=_highlight_label(highlight))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    fn = list(feature_names) if feature_names is not None else ["$x_1$", "$x_2$"]
    ax.set_xlabel(fn[0])
    ax.set_ylabel(fn[1])
    if y is not None:
        ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
    art = {"ax": ax, "regions": regions, "boundaries": boundaries, "points": points,
           "highlight": hl}
    art["_state"] = {"xlim": xlim, "ylim": ylim, "method": method, **grid_state}
    update_decision_regions(art, theta, X, highlight=highlight)
    return art


def update_decision_regions(art, theta, X=None, *, highlight=None):
    """Move the artists of :func:`plot_decision_regions` to a new θ (in place)."""
    theta = _check_theta(theta, 2, "update_decision_regions")
    st = art["_state"]
    if st["method"] == "grid":
        labels = _predict_proba(theta, st["xy"]).argmax(-1).reshape(st["shape"])
        art["regions"].set_data(labels)
    else:
        for patch, poly in zip(art["regions"], decision_polygons(theta, st["xlim"], st["ylim"])):
            patch.set_xy(poly if len(poly) else np.zeros((0, 2)))
    segs = decision_boundaries(theta, st["xlim"], st["ylim"])
    for line, pair in zip(art["boundaries"], combinations(range(theta.shape[1]), 2)):
        s = segs[pair]
        if s is None:
            line.set_data([], [])
        else:
            line.set_data(s[:, 0], s[:, 1])
    idx = _as_indices(highlight)
    if X is not None and idx.size:
        art["highlight"].set_offsets(np.asarray(X, dtype=float)[idx])
    else:
        art["highlight"].set_offsets(np.empty((0, 2)))
    return art


# --------------------------------------------------------------------------- #
# 3 classes: probability simplex
# --------------------------------------------------------------------------- #
def plot_simplex(P, y=None, *, ax=None, class_names=None, highlight=None):
    """Probability rows of a 3-class model as points in a triangle.

    Each vertex is one class (ŷ = 1 for that class); the centre is
    ŷ = (1/3, 1/3, 1/3); the dashed guides from the centre to the edge midpoints
    separate where each class has the largest probability.  Points take the
    colour and marker of their *true* class, so a well-trained model moves every
    point toward its own vertex.

    Parameters
    ----------
    P : ndarray of shape (n_samples, 3)
    y : ndarray of shape (n_samples,), optional, 0-based labels
    highlight : int or sequence of int, optional

    Returns
    -------
    dict with "ax", "triangle" (Line2D), "guides" (list of Line2D),
    "vertex_labels" (list of Text), "points" (list of PathCollection),
    "highlight" (PathCollection).
    """
    S = simplex_coordinates(P)
    ax = _new_ax(ax, (4.6, 4.2))
    names = _names(class_names, 3, "class {}")
    colors, markers = class_colors(3), class_markers(3)
    V = _SIMPLEX_VERTICES
    tri = ax.plot(*np.vstack([V, V[:1]]).T, color="0.2", lw=1.5, zorder=1)[0]
    centre = V.mean(0)
    guides = [
        ax.plot(*np.array([centre, (V[i] + V[j]) / 2]).T, color="0.55", ls="--", lw=1, zorder=1)[0]
        for i, j in ((0, 1), (1, 2), (0, 2))
    ]
    offsets = [(0, -0.03, "right", "top"), (0, -0.03, "left", "top"), (0, 0.03, "center", "bottom")]
    vlabels = [
        ax.text(V[i, 0] + dx, V[i, 1] + dy, f"{names[i]}\n" + rf"$\hat y_{{{i}}}=1$"
                if i == 2 else rf"$\hat y_{{{i}}}=1$" + f"\n{names[i]}",
                ha=ha, va=va, color="black", fontsize="small")
        for i, (dx, dy, ha, va) in enumerate(offsets)
    ]
    points = []
    if y is None:
        points.append(ax.scatter(S[:, 0], S[:, 1], marker="o", s=45, color="0.3", zorder=3))
    else:
        y = np.asarray(y, dtype=int)
        for c in range(3):
            m = y == c
            points.append(
                ax.scatter(S[m, 0], S[m, 1], marker=markers[c], s=55, color=colors[c],
                           edgecolors="black", linewidths=0.7, zorder=3, label=names[c])
            )
    hl = ax.scatter([], [], **_HIGHLIGHT_KW)
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.17, np.sqrt(3) / 2 + 0.15)
    ax.set_aspect("equal")
    ax.axis("off")
    art = {"ax": ax, "triangle": tri, "guides": guides, "vertex_labels": vlabels,
           "points": points, "highlight": hl}
    update_simplex(art, P, y, highlight=highlight)
    return art


def update_simplex(art, P, y=None, *, highlight=None):
    """Move the points of :func:`plot_simplex` to new probabilities (in place)."""
    S = simplex_coordinates(P)
    if y is None:
        art["points"][0].set_offsets(S)
    else:
        y = np.asarray(y, dtype=int)
        for c, sc in enumerate(art["points"]):
            sc.set_offsets(S[y == c])
    idx = _as_indices(highlight)
    art["highlight"].set_offsets(S[idx] if idx.size else np.empty((0, 2)))
    return art


# --------------------------------------------------------------------------- #
# loss curve
# --------------------------------------------------------------------------- #
def plot_loss(losses, *, ax=None, label=None, xlabel="update", color=None, linestyle="-",
              marker="o"):
    """Loss against update number (update 1 is the first step).

    Several calls on one ``ax`` draw several curves; the axes then cover all
    of them (x up to a round number, so they stay still while stepping). Give
    each its own ``color``/``linestyle``/``marker``; on long curves the markers
    are thinned to about a dozen, ``marker=""`` draws none.

    Returns
    -------
    dict with "ax" and "line" (Line2D).
    """
    ax = _new_ax(ax, (5.0, 3.2))
    losses = np.asarray(losses, dtype=float).ravel()
    steps = np.arange(1, losses.size + 1)
    line = ax.plot(steps, losses, marker=marker, ms=4, ls=linestyle,
                   color=PALETTE[3] if color is None else color, label=label)[0]
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss (cross-entropy)")
    ax.grid(alpha=0.3)
    if label is not None:
        ax.legend(fontsize="small")
    art = {"ax": ax, "line": line, "marker": marker}
    update_loss(art, losses)
    return art


def _nice_ceiling(value, steps=(1, 2, 5)):
    """Smallest number of the form m * 10**e (m in steps) that is >= value."""
    if value <= 0:
        return 1.0
    e = np.floor(np.log10(value))
    for m in steps + (10,):
        if m * 10**e >= value * (1 - 1e-12):
            return float(m * 10**e)
    return float(10 ** (e + 1))


def update_loss(art, losses, *, ymax=None):
    """Replace the data of :func:`plot_loss`'s line.

    The axes grow in round steps (x: 10, 20, 50, 100, …; y from 0 to a round
    value above the largest loss), so they stay still while a lecture steps.
    """
    losses = np.asarray(losses, dtype=float).ravel()
    steps = np.arange(1, losses.size + 1)
    line = art["line"]
    line.set_data(steps, losses)
    # long curves keep their markers (they tell curves apart without colour), thinned to ~12
    line.set_marker(art.get("marker", "o"))
    line.set_markevery(None if losses.size <= 60 else max(1, losses.size // 12))
    ax = art["ax"]
    # the axes cover every curve on them, not only this one
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
    return art
