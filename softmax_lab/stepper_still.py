"""The stepper's still picture, drawn by matplotlib from the frame description.

The live view draws the same description on canvases in the browser
(``static/stepper/draw.js``); see :mod:`softmax_lab.frame` for the contract.
Every word on the picture (titles, legends, axis labels, threshold labels)
comes from the description; this module only places it.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

__all__ = ["still_figure", "still_png"]

_WIDTHS = {"simplex": 4.0, "loss": 5.0}
_RING = dict(s=230, facecolors="none", edgecolors="black", linewidths=2.2, zorder=5)


def _handles(legend):
    out = []
    for text, kind, colour, marker in legend:
        if kind == "ring":
            h = Line2D([], [], ls="", marker="o", ms=13, mfc="none", mec="black", mew=2.2)
        elif kind in ("line", "dash"):
            h = Line2D([], [], color=colour, lw=2, ls="--" if kind == "dash" else "-", marker=marker or None,
                       ms=4 if kind == "dash" or marker == "o" else 7, mec="black" if marker not in ("", "o") else colour)
        else:
            h = Line2D([], [], ls="", marker=marker, ms=8, color=colour, mec="black", mew=0.8)
        out.append((h, text))
    return zip(*out)


def _points(ax, static, xy, highlight, size):
    xy = np.asarray(xy, dtype=float)
    y = np.asarray(static["y"])
    for c, (colour, marker) in enumerate(zip(static["colors"], static["markers"])):
        m = y == c
        ax.scatter(xy[m, 0], xy[m, 1], marker=marker, s=size, color=colour, edgecolors="black",
                   linewidths=0.8, zorder=4)
    if highlight:
        ax.scatter(xy[highlight, 0], xy[highlight, 1], **_RING)


def _regions(ax, static, p):
    for c, poly in enumerate(p["polygons"]):
        if poly:
            ax.add_patch(Polygon(poly, closed=True, facecolor=static["light"][c], edgecolor="none", zorder=0))
    for s in p["boundaries"]:
        if s is not None:
            ax.plot([s[0], s[2]], [s[1], s[3]], color="0.15", lw=2.0, zorder=2)
    _points(ax, static, static["X"], p["highlight"], 60)
    ax.set_xlim(*static["xlim"])
    ax.set_ylim(*static["ylim"])
    ax.legend(*_handles(p["legend"]), loc="upper left", fontsize="small", framealpha=0.9)


def _curves(ax, static, p):
    grid = np.asarray(static["grid"])
    for c, ys in enumerate(p["curves"]):
        ax.plot(grid, ys, color=static["colors"][c], lw=2.2)
    for t in p["thresholds"]:
        ax.axvline(t, color="0.25", ls="--", lw=1.8, zorder=3)
    _points(ax, static, p["points"], p["highlight"], 70)
    lo, hi = static["xlim"]
    trans = ax.get_xaxis_transform()
    for x, text, align in p["threshold_labels"]:
        xt = x if x is not None else (lo if align == "left" else hi)
        ax.text(xt, 1.02, text, ha=align, va="bottom", fontsize="small", transform=trans, clip_on=False)
    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.05, 1.05)
    ax.grid(alpha=0.3)
    ax.legend(*_handles(p["legend"]), loc="best", fontsize="small", framealpha=0.9)  # clear of the samples


def _simplex(ax, static, p):
    V = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    ax.plot(*np.vstack([V, V[:1]]).T, color="0.2", lw=1.5, zorder=1)
    centre = V.mean(0)
    for i, j in ((0, 1), (1, 2), (0, 2)):
        ax.plot(*np.array([centre, (V[i] + V[j]) / 2]).T, color="0.55", ls="--", lw=1, zorder=1)
    place = [(0, -0.03, "right", "top"), (0, -0.03, "left", "top"), (0, 0.03, "center", "bottom")]
    for i, ((name, formula), (dx, dy, ha, va)) in enumerate(zip(p["vertex_labels"], place)):
        text = f"{name}\n{formula}" if i == 2 else f"{formula}\n{name}"
        ax.text(V[i, 0] + dx, V[i, 1] + dy, text, ha=ha, va=va, fontsize="small")
    _points(ax, static, p["S"], p["highlight"], 55)
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.17, np.sqrt(3) / 2 + 0.15)
    ax.set_aspect("equal")
    ax.axis("off")


def _loss(ax, static, p):
    batch, train = np.asarray(p["batch"], dtype=float), np.asarray(p["train"], dtype=float)
    steps = np.arange(p["start"] + 1, p["start"] + batch.size + 1)
    (_, _, c1, m1), (_, _, c2, _) = p["legend"]
    if batch.size:
        ax.plot(steps, batch, color=c1, lw=2, marker=m1, ms=4,
                markevery=None if batch.size <= 60 else max(1, batch.size // 12))
        ax.plot(steps, train, color=c2, lw=2, ls="--")
    else:
        ax.text(0.5, 0.45, p["empty"], transform=ax.transAxes, ha="center", va="center", color="0.35")
    ax.set_xlim(0, p["xmax"])
    ax.set_ylim(0, p["ymax"])
    ax.grid(alpha=0.3)
    ax.legend(*_handles(p["legend"]), fontsize="small", loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=2, frameon=False)


def still_figure(static, frame, *, dpi=96):
    """A Figure with every panel of ``frame`` (a full description: ``FrameMaker.describe()``)."""
    panels = static["panels"]
    widths = [(5.2 if static["kind"] == "regions" else 6.6) if key == "main" else _WIDTHS[key] for key in panels]
    lines = frame.get("recipe_lines", [])
    text_h = 0.22 * len(lines) + (0.15 if lines else 0.0)
    fig = Figure(figsize=(max(sum(widths), 9.0), 4.0 + text_h), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    top, bottom = fig.subfigures(2, 1, height_ratios=[4.0, max(text_h, 1e-3)]) if lines else (fig, None)
    axes = top.subplots(1, len(panels), width_ratios=widths, squeeze=False)[0]
    if bottom is not None:  # the recipe of the last update, as the live widget shows it beside the panels
        bottom.text(0.01, 0.98, "\n".join(lines), ha="left", va="top", fontsize="small", linespacing=1.35)
    draw = {"regions": _regions, "curves": _curves}
    for ax, key in zip(axes, panels):
        p = frame[key]
        if key == "main":
            draw[static["kind"]](ax, static, p)
        elif key == "simplex":
            _simplex(ax, static, p)
        else:
            _loss(ax, static, p)
        if "title" in p:
            ax.set_title(p["title"], fontsize="medium", pad=16 if key == "main" and static["kind"] == "curves" else 6)
        if "xlabel" in p:
            ax.set_xlabel(p["xlabel"])
            ax.set_ylabel(p["ylabel"])
    return fig


def still_png(static, frame, *, dpi=96):
    """The still as PNG bytes: the same state gives the same bytes.

    matplotlib's ``Software`` chunk (its version) is kept: the stale-picture test reads it to
    know whether the running matplotlib drew the stored picture.
    """
    buf = io.BytesIO()
    still_figure(static, frame, dpi=dpi).savefig(buf, format="png")
    return buf.getvalue()
