r"""What the stepper shows, described once: the contract between Python and the browser.

The stepper (:func:`softmax_lab.widgets.stepper_widget`) has two renderers:
the live view draws on ``<canvas>`` in the browser (``static/stepper*.js``),
and the still picture stored in the notebook is drawn by matplotlib
(:mod:`softmax_lab.stepper_still`) for views without a kernel.  Both draw
from the same **frame description** made here, in Python, from the
:class:`~softmax_lab.stepper.TrainingStepper`: every title, legend entry,
axis label, threshold label ("off view" included), the ring's name ("current
sample" for one ring in stochastic mode or a hand pick, "current batch"
otherwise; "next sample" / "next batch" at step 0), each panel's spoken description
(``aria``), the sentence a screen reader announces after a step and the
still's alt text.  Neither renderer makes up a word of its own.

This docstring and :data:`CONTRACT` below are the contract; ``pytest``
(``tests/test_widgets.py``) checks every frame Python makes against
:data:`CONTRACT`, and ``node --test tests/js/`` runs the JavaScript's pure
functions (validation, loss merging, layout, drawing commands) on frames
that Python made (``tests/js/fixtures/frames.json``, written by
``python -m softmax_lab.frame tests/js/fixtures/frames.json``; a pytest
checks that the file is what Python makes now).

Who sends what, and when
------------------------
* ``static`` (a synced trait, sent once): what never changes while the
  widget lives: the data, names, colours, markers, the panels, the control
  labels and the play constants :data:`PLAY_AHEAD` and :data:`PLAY_CHUNK`.
* ``frame`` (a synced trait, Python → browser, after every change): the
  state on screen.  Outside play it also carries ``ahead`` (the next step's
  frame, with ``ahead.then`` the one after) and ``behind`` (the previous
  step's): the browser paints one of them the moment next / back is pressed,
  and the kernel's answer replaces it unless its ``key`` is the same.
* Controls are synced traits of the widget (``lr``, ``mode``, ``batch_size``,
  ``shuffle``, ``seed``, ``sample``, ``interval_ms``, ``presentation``): set
  from either side; Python checks each value with the package's validators
  and, when it refuses one, puts the trait back and says why in
  ``frame.note_html``.
* Messages (browser → Python) carry the step protocol only:
  ``{"event": "press", "name": "next" | "back" | "reset", "seq"}``;
  ``{"event": "play", "count", "seq"}`` (``count`` ≤ :data:`PLAY_CHUNK` steps;
  the answer is a frame with ``play: true`` and the frames of the steps
  before it in ``earlier``); ``{"event": "pause", "step", "seq"}`` (go back to
  the step on screen); ``{"event": "history", "seq"}`` (the view lacks loss
  values: Python answers with the message ``{"event": "history", "batch",
  "train", "hashes"}``).  ``seq`` is the view's own counter; the frame that
  answers a message carries it.
* Play: the browser keeps the kernel at most :data:`PLAY_AHEAD` steps ahead of
  the screen, asking :data:`PLAY_CHUNK` steps per message, and paints one step
  per ``interval_ms`` on its own clock.
* Keys stay in the browser: ← / → press back / next and space play / pause
  while the widget has the focus; after each painted step the live region
  says ``frame.announce`` (while playing, at most once a second) and each
  canvas's ``aria-label`` is its panel's ``aria``.

The loss history is **not** resent with every frame: ``frame.loss`` carries the
number of updates ``n`` and the values from index ``start`` on (normally the
last one), with ``base``, the chain hash of the values before ``start``.  The
browser keeps the values and their hashes; when its hash at ``start − 1`` is
not ``base`` it asks for the history (see :func:`chain_hash`).

Units: data coordinates are the features' own units (e.g. cm); probabilities
in [0, 1]; simplex coordinates in the unit triangle (class 0 at (0, 0),
class 1 at (1, 0), class 2 at (1/2, √3/2)); losses in nats; times in ms;
sample indices 0-based rows of X.  Numbers are rounded to 5 decimals
(probability curves and simplex coordinates to 4).
"""

from __future__ import annotations

import hashlib
import html
import json
import sys

import numpy as np

from . import plotting as plots
from .core import predict_proba

__all__ = ["CONTRACT", "PLAY_AHEAD", "PLAY_CHUNK", "FrameMaker", "make_static", "validate", "chain_hash"]

#: While playing, the kernel runs at most this many steps ahead of the screen.
PLAY_AHEAD = 8
#: Steps asked for in one play message (PLAY_AHEAD / 2: one chunk is painted while the next is made).
PLAY_CHUNK = 4
#: A click painted from the look-ahead that the kernel has not answered after this long says so.
STALL_MS = 2000
#: Play speeds offered by the speed menu (ms per step).
SPEEDS_MS = (50, 100, 200, 400, 800, 1500)
#: Samples shown as columns in the recipe's matrices.
MAX_COLUMNS = 4
#: The learning-rate slider's ends (log scale); typed values may go beyond.
LR_RANGE = (1e-3, 10.0)
#: The modes: (menu label, value of the ``mode`` trait).
MODES = (("stochastic (s = 1)", "stochastic"), ("mini-batch (s samples)", "mini-batch"),
         ("full batch (all samples)", "full batch"))
#: The exact label of every control (lessons and docs/teaching.md name them so; a test checks).
CONTROL_LABELS = {
    "reset": "↺ reset", "back": "◀ back", "next": "next ▶", "play": "▶ play", "pause": "❚❚ pause",
    "speed": "speed", "speed_unit": "ms / step", "presentation": "presentation",
    "lr": "learning rate η", "mode": "mode", "batch_size": "s =", "shuffle": "shuffle each epoch",
    "seed": "seed", "sample": "next sample",
}
#: Colours of the two loss curves (Okabe–Ito blue and vermillion).
LOSS_COLORS = (plots.PALETTE[3], plots.PALETTE[4])

# ------------------------------------------------------------------ the contract
# type names: int, number, bool, str, html, list, dict, "int|null", "number|null", "list|null";
# a dict value is a nested contract.  "?" after a name: present only sometimes.
_LEGEND = ("list of [text, kind, colour, marker]: kind 'marker' | 'line' | 'dash' | 'ring' "
           "(a line with a non-empty marker shows the marker on it)")
CONTRACT = {
    "static": {
        "version": ("int", "contract version (1)"),
        "title": ("str", "the widget's heading ('' for none)"),
        "n_samples": ("int", "m, rows of X"),
        "n_features": ("int", "n"),
        "n_classes": ("int", "k"),
        "class_names": ("list", "k names"),
        "feature_names": ("list", "n names (axis labels)"),
        "colors": ("list", "k CSS colours, one per class (Okabe–Ito)"),
        "light": ("list", "k light CSS colours (region fills)"),
        "markers": ("list", "k matplotlib marker codes: o s ^ D v P X * < >"),
        "y": ("list", "m 0-based labels"),
        "kind": ("str|null", "'regions' (2 features), 'curves' (1 feature) or null"),
        "panels": ("list", "panel keys in drawing order: 'main'?, 'simplex'?, 'loss'"),
        "X?": ("list", "regions: m rows [x1, x2], data units"),
        "xlim?": ("list", "[lo, hi] of the main panel's x axis, data units"),
        "ylim?": ("list", "regions: [lo, hi] of the y axis, data units"),
        "grid?": ("list", "curves: the x values of the probability curves"),
        "modes": ("list", "[menu label, mode value] per mode"),
        "sample_options": ("list", "[menu label, row or -1] for the sample menu"),
        "labels": ("dict", "the control labels (CONTROL_LABELS)"),
        "speeds": ("list", "speed menu: ms per step"),
        "lr_range": ("list", "[lo, hi] of the learning-rate slider"),
        "play_ahead": ("int", "PLAY_AHEAD: steps the kernel may run ahead of the screen"),
        "play_chunk": ("int", "PLAY_CHUNK: steps per play message"),
        "stall_ms": ("int", "STALL_MS"),
        "batch_size_max": ("int", "largest s the mini-batch box offers"),
    },
    "frame": {
        "step": ("int", "updates made (0 = the starting θ)"),
        "error": ("bool", "the last action failed (play stops on it)"),
        "key": ("str", "digest of everything shown: equal keys, equal pictures"),
        "status_html": ("html", "the status line"),
        "recipe_html": ("html", "the 5-step recipe of the last update, with its numbers"),
        "note_html": ("html", "a note or an error ('' for none)"),
        "announce": ("str", "what the live region says after this step"),
        "alt?": ("str", "the still picture's alt text (in the full description only: the browser has aria)"),
        "recipe_lines?": ("list", "the recipe as plain lines, printed under the still (full description only)"),
        "controls": {
            "lr_note": ("str", "why the slider cannot show η ('' if it can)"),
            "seed_text": ("str", "the seed box's text"),
            "seed_note": ("str", "the seed box's hint"),
            "batch_size_shown": ("int", "the s box's value (the mini-batch size, or the one it would get)"),
        },
        "main?": {
            "title": ("str", "panel title (names the ring)"),
            "xlabel": ("str", "x axis label"),
            "ylabel": ("str", "y axis label"),
            "legend": ("list", _LEGEND),
            "aria": ("str", "what the panel shows now, in words"),
            "highlight": ("list", "rows of X in the ring"),
            "polygons?": ("list", "regions: per class a list of [x, y] vertices (data units)"),
            "boundaries?": ("list", "regions: per class pair [x0, y0, x1, y1] or null"),
            "curves?": ("list", "curves: per class ŷ_c on static.grid"),
            "thresholds?": ("list", "curves: x of each change of the predicted class inside the view"),
            "threshold_labels?": ("list", "curves: [x, text, align] (x null and align left/right: off view)"),
            "points?": ("list", "curves: per sample [x, ŷ of its class]"),
        },
        "simplex?": {
            "title": ("str", "panel title"),
            "title_short": ("str", "title for a narrow panel"),
            "vertex_labels": ("list", "per class [name, 'ŷ_c = 1']"),
            "legend": ("list", _LEGEND),
            "aria": ("str", "what the panel shows now"),
            "S": ("list", "per sample [u, v] in the unit triangle (4 decimals)"),
            "highlight": ("list", "rows of X in the ring"),
        },
        "loss": {
            "xlabel": ("str", "x axis label"),
            "ylabel": ("str", "y axis label"),
            "ylabel_short": ("str", "y axis label, narrow panel"),
            "legend": ("list", _LEGEND),
            "legend_short": ("str", "one-line legend, narrow panel"),
            "empty": ("str", "text shown before the first update"),
            "aria": ("str", "what the panel shows now"),
            "xmax": ("number", "x axis end (a round number of updates)"),
            "ymax": ("number", "y axis end (nats)"),
            "n": ("int", "updates so far (= step)"),
            "start": ("int", "index of batch[0] / train[0] in the history"),
            "base": ("str", "chain hash of the values before start ('' when start is 0)"),
            "batch": ("list", "batch loss before each update, from start on"),
            "train": ("list", "loss on all samples after each update, from start on"),
            "hashes": ("list", "chain hash after each value, from start on"),
        },
        "seq?": ("int", "the message this frame answers (0: none)"),
        "play?": ("bool", "an answer to play"),
        "earlier?": ("list", "play: the frames of the steps before this one, oldest first"),
        "ahead?": ("dict", "the next step's frame (outside play); its 'then': the step after"),
        "behind?": ("dict", "the previous step's frame (outside play)"),
        "then?": ("dict", "inside ahead: the step after it"),
    },
}

_PY_TYPES = {"int": int, "number": (int, float), "bool": bool, "str": str, "html": str, "list": list,
             "dict": dict}


def validate(obj, part="frame"):
    """Check ``obj`` against :data:`CONTRACT` [part]; raise ValueError naming the field.

    Look-ahead frames (``ahead``, ``behind``, ``then``) and play's ``earlier``
    frames are checked too.

    >>> validate({"step": 0}, "frame")
    Traceback (most recent call last):
    ...
    ValueError: frame: field 'error' is missing (CONTRACT['frame']: the last action failed (play stops on it))
    """
    _check(obj, CONTRACT[part], part)
    if part == "frame":
        for name in ("ahead", "behind", "then"):
            if name in obj:
                validate(obj[name], "frame")
        for f in obj.get("earlier", []):
            validate(f, "frame")


def _check(obj, spec, where):
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: expected a dict, got {type(obj).__name__}")
    names = {}
    for name, rule in spec.items():
        key, optional = name.rstrip("?"), name.endswith("?")
        names[key] = rule
        if key not in obj:
            if optional:
                continue
            doc = rule[1] if isinstance(rule, tuple) else "a section"
            raise ValueError(f"{where}: field {key!r} is missing (CONTRACT[{where.split('.')[0]!r}]: {doc})")
        value = obj[key]
        if isinstance(rule, dict):
            _check(value, rule, f"{where}.{key}")
            continue
        types = rule[0].split("|")
        if value is None and "null" in types:
            continue
        ok = any(isinstance(value, _PY_TYPES[t]) and not (t in ("int", "number") and isinstance(value, bool))
                 for t in types if t != "null")
        if not ok:
            raise ValueError(f"{where}: field {key!r} should be {rule[0]}, got {type(value).__name__} {value!r:.60}")
    extra = sorted(set(obj) - set(names))
    if extra:
        raise ValueError(f"{where}: fields {extra} are not in the contract (add them to frame.CONTRACT first)")


# ------------------------------------------------------------------ formatting
def num(x, decimals=4):
    """Fixed decimals with a real minus sign; never "−0.0000"."""
    s = f"{float(x):.{decimals}f}"
    return "0." + "0" * decimals if s == "-0." + "0" * decimals else s.replace("-", "−")


def _html_matrix(M, decimals=4):
    """A matrix as a small HTML table (the recipe needs no math typesetting)."""
    M = np.atleast_2d(M)
    rows = "".join("<tr>" + "".join(f"<td>{num(x, decimals)}</td>" for x in row) + "</tr>" for row in M)
    return f"<table class='sl-m'>{rows}</table>"


def rows_text(indices, limit=12):
    """'index 1 (row 2 counting from 1)': code counts from 0, the slides from 1."""
    idx = [int(i) for i in np.atleast_1d(indices)]
    more = " …" if len(idx) > limit else ""
    idx = idx[:limit]
    zero = ", ".join(map(str, idx)) + more
    one = ", ".join(str(i + 1) for i in idx) + more
    if len(idx) == 1 and not more:
        return f"index {zero} (row {one} counting from 1)"
    return f"indices {zero} (rows {one} counting from 1)"


def _r(a, digits=5):
    return np.round(np.asarray(a, dtype=float), digits).tolist()


_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(c):
    """A class index as a subscript: sub(2) == '₂'."""
    return str(int(c)).translate(_SUB)


def chain_hash(prev, batch, train):
    """Hash of the loss history up to and including one more value pair.

    ``h_i = chain_hash(h_{i-1}, batch_i, train_i)`` with ``h_{-1} = ""``; the
    values are the rounded ones sent.  Equal hashes at index i mean equal
    histories up to i, so the browser can append new values to what it has.

    >>> chain_hash("", 0.91227, 1.25902)
    '...'
    """
    text = f"{prev}|{batch!r}|{train!r}"
    return hashlib.blake2b(text.encode(), digest_size=5).hexdigest()


chain_hash.__doc__ = chain_hash.__doc__.replace("'...'", repr(chain_hash("", 0.91227, 1.25902)))


def _hex(rgb):
    return "#%02x%02x%02x" % tuple(int(round(255 * v)) for v in rgb[:3])


# ------------------------------------------------------------------ static
def make_static(stepper, class_names, feature_names, title=""):
    """What never changes while a widget lives (see CONTRACT['static'])."""
    st = stepper
    k, n = st.n_classes, st.n_features
    out = {
        "version": 1, "title": title or "", "n_samples": st.n_samples, "n_features": n, "n_classes": k,
        "class_names": list(class_names), "feature_names": list(feature_names),
        "colors": list(plots.class_colors(k)), "light": [_hex(c) for c in plots.light_colors(k)],
        "markers": list(plots.class_markers(k)), "y": st.y.tolist(),
        "modes": [list(m) for m in MODES],
        "sample_options": [["the next one in order", -1]] + [
            [f"row {i}: x = ({', '.join(f'{v:g}' for v in st.X[i])}), {class_names[st.y[i]]}", i]
            for i in range(st.n_samples)],
        "labels": dict(CONTROL_LABELS), "speeds": list(SPEEDS_MS), "lr_range": list(LR_RANGE),
        "play_ahead": PLAY_AHEAD, "play_chunk": PLAY_CHUNK, "stall_ms": STALL_MS,
        "batch_size_max": max(st.n_samples - 1, 2),
    }
    panels = []
    if n == 2:
        out["kind"] = "regions"
        disp = plots.RegionsDisplay(st.theta, st.X)  # its limits: the data's box, padded
        out["xlim"], out["ylim"] = [float(v) for v in disp.xlim], [float(v) for v in disp.ylim]
        out["X"] = _r(st.X)
        panels.append("main")
    elif n == 1:
        out["kind"] = "curves"
        x = st.X[:, 0]
        out["xlim"] = [float(x.min() - 1.0), float(x.max() + 1.0)]
        out["grid"] = _r(np.linspace(*out["xlim"], 200))
        panels.append("main")
    else:
        out["kind"] = None
    if k == 3:
        panels.append("simplex")
    panels.append("loss")
    out["panels"] = panels
    return out


# ------------------------------------------------------------------ frames
def _polygon_area(poly):
    if len(poly) < 3:
        return 0.0
    p = np.asarray(poly, dtype=float)
    x, y = p[:, 0], p[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _and(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class FrameMaker:
    """Makes the frames of one stepper: the full description and its wire form.

    Parameters
    ----------
    stepper : TrainingStepper
    static : dict
        From :func:`make_static`.

    ``describe(...)`` gives the full description (the still draws it; its
    ``loss`` holds the whole history), ``wire(...)`` the frame the browser is
    sent (the loss from the last value on, with its ``key``).
    """

    def __init__(self, stepper, static):
        self.stepper, self.static = stepper, static
        self.names = static["class_names"]
        self._ymax = float(stepper.train_loss())
        self._grid = np.asarray(static["grid"]) if static["kind"] == "curves" else None
        self._chain = []  # per update: (record, batch, train, hash, running max)

    # ---------------------------------------------------------- loss history
    def _history(self):
        """The loss values so far, rounded as sent, with their chain hashes (cached per record)."""
        recs = self.stepper.records
        chain = self._chain
        keep = min(len(chain), len(recs))
        while keep and chain[keep - 1][0] is not recs[keep - 1]:
            keep -= 1  # records form a stack: the same record at i means the same records before it
        del chain[keep:]
        for rec in recs[keep:]:
            b, t = round(float(rec.loss), 5), round(float(rec.train_loss), 5)
            prev_h, prev_m = (chain[-1][3], chain[-1][4]) if chain else ("", 0.0)
            chain.append((rec, b, t, chain_hash(prev_h, b, t), max(prev_m, b, t)))
        return chain

    def history_message(self):
        """The whole loss history, for a view that asked for it (the ``history`` message)."""
        chain = self._history()
        return {"event": "history", "batch": [c[1] for c in chain], "train": [c[2] for c in chain],
                "hashes": [c[3] for c in chain]}

    # ---------------------------------------------------------- one frame
    def wire(self, *, note="", error=False, sample=-1):
        """The frame the browser is sent for the stepper's state now (loss: the last value)."""
        # without the still's alt text: the live view says the same per panel (aria)
        frame = self.describe(note=note, error=error, sample=sample, full_history=False, alt=False)
        frame["key"] = hashlib.blake2b(json.dumps(frame, sort_keys=True).encode(), digest_size=8).hexdigest()
        return frame

    def describe(self, *, note="", error=False, sample=-1, full_history=True, alt=True):
        """The full frame description of the stepper's state now (CONTRACT['frame'] without ``key``)."""
        st = self.stepper
        rec = st.last
        hand = sample >= 0
        hl = rec.indices if rec is not None else (np.array([sample]) if hand else st.next_indices())
        hl = [int(i) for i in hl]
        ring = self.ring_label(rec, hl, hand)
        P = predict_proba(st.theta, st.X)
        frame = {
            "step": st.step_count, "error": bool(error),
            "status_html": self._status_html(), "recipe_html": self._recipe_html(sample),
            "note_html": ("" if not note else
                          f"<span class='{'sl-error' if error else 'sl-info'}'>{html.escape(note)}</span>"),
            "announce": self._announce(rec, hl, note if error else ""),
            "controls": self._controls(),
        }
        kind = self.static["kind"]
        if kind == "regions":
            frame["main"] = self._regions(hl, ring, P)
        elif kind == "curves":
            frame["main"] = self._curves(hl, ring, P)
        if "simplex" in self.static["panels"]:
            frame["simplex"] = self._simplex(hl, ring, P)
        frame["loss"] = self._loss(full_history)
        if alt:  # the still's words: its alt text and the recipe printed under its panels
            frame["alt"] = self._alt(frame)
            frame["recipe_lines"] = self._recipe_lines(sample)
        return frame

    def ring_label(self, rec, highlight, hand):
        """What the ring marks: the next sample/batch at step 0, else the one the last update used."""
        one = len(highlight) == 1 and (self.stepper.mode == "stochastic" or hand
                                       or (rec is not None and rec.epoch is None))
        what = "sample" if one else "batch"
        return f"next {what}" if rec is None else f"current {what}"

    def _when(self):
        k = self.stepper.step_count
        return "at the starting θ (step 0)" if k == 0 else f"after step {k}"

    def _who(self, highlight):
        """'sample index 1 (setosa)' / 'batch of 3: indices 0, 3, 6'."""
        if len(highlight) == 1:
            i = highlight[0]
            return f"sample index {i} ({self.names[self.stepper.y[i]]})"
        return f"batch of {len(highlight)}: {rows_text(highlight).split(' (')[0]}"

    def _regions(self, hl, ring, P):
        st, static = self.stepper, self.static
        xlim, ylim = static["xlim"], static["ylim"]
        polys = plots.decision_polygons(st.theta, xlim, ylim)
        segs = plots.decision_boundaries(st.theta, xlim, ylim)
        box = (xlim[1] - xlim[0]) * (ylim[1] - ylim[0])
        shares = [(100 * _polygon_area(p) / box, c) for c, p in enumerate(polys)]
        shown = [f"{self.names[c]} {s:.0f} %" for s, c in sorted(shares, reverse=True) if s >= 0.5]
        pred = sorted({self.names[P[i].argmax()] for i in hl})
        ringed = (f"predicted {pred[0]}" if len(hl) == 1 else f"all predicted {pred[0]}" if len(pred) == 1
                  else f"predicted {_and(pred)}")
        aria = (f"Decision regions {self._when()}: "
                + (f"{shown[0].rsplit(' ', 2)[0]} covers the whole view" if len(shown) == 1
                   else "of the view, " + _and(shown))
                + f"; the ring ({ring}) marks {self._who(hl)}, {ringed}.")
        return {
            "title": f"regions at the current θ · ring = {ring}",
            "xlabel": static["feature_names"][0], "ylabel": static["feature_names"][1],
            "legend": [[n, "marker", static["colors"][c], static["markers"][c]] for c, n in enumerate(self.names)]
                      + [[ring, "ring", "#000000", ""]],
            "aria": aria, "highlight": hl,
            "polygons": [_r(p) for p in polys],
            "boundaries": [None if s is None else _r(s.ravel()) for s in segs.values()],
        }

    def _curves(self, hl, ring, P):
        st, static = self.stepper, self.static
        Pg = predict_proba(st.theta, self._grid[:, None])
        x = st.X[:, 0]
        Px = P[np.arange(st.n_samples), st.y]
        lo, hi = static["xlim"]
        cuts = plots.probability_thresholds(st.theta, (lo, hi))
        labels = [[x0, f"threshold x = {num(x0, 2)}", "center"] for x0, _, _ in cuts]
        if not cuts:  # the whole view predicts one class: where would the threshold be?
            b, w = st.theta[0], st.theta[1]
            order = np.argsort(b + w * (lo + hi) / 2)[::-1]
            a, c = order[0], order[1]
            if w[a] != w[c]:
                x0 = float((b[c] - b[a]) / (w[a] - w[c]))
                labels = [[None, f"← threshold x = {num(x0, 2)} (off view)", "left"] if x0 < lo else
                          [None, f"threshold x = {num(x0, 2)} (off view) →", "right"]]
        pieces = []
        edges = [lo] + [c[0] for c in cuts] + [hi]
        winners = [cuts[0][1]] + [c[2] for c in cuts] if cuts else [int(Pg[len(Pg) // 2].argmax())]
        for (a, b), c in zip(zip(edges[:-1], edges[1:]), winners):
            pieces.append(f"{self.names[c]} from x = {a:.2f} to {b:.2f}")
        i = hl[0]
        aria = (f"Probability curves {self._when()}: the predicted class is " + _and(pieces)
                + f"; the ring ({ring}) marks {self._who(hl)} at x = {x[i]:g}, whose own class gets "
                  f"ŷ = {Px[i]:.2f}.")
        return {
            "title": f"probabilities ŷ at the current θ · ring = {ring}",
            "xlabel": static["feature_names"][0], "ylabel": "predicted probability ŷ",
            "legend": [[f"ŷ{sub(c)} = P({n} | x)", "line", static["colors"][c], static["markers"][c]]
                       for c, n in enumerate(self.names)] + [[ring, "ring", "#000000", ""]],
            "aria": aria, "highlight": hl,
            "curves": [_r(Pg[:, c], 4) for c in range(st.n_classes)],
            "thresholds": [float(c[0]) for c in cuts], "threshold_labels": labels,
            "points": _r(np.column_stack([x, Px])),
        }

    def _simplex(self, hl, ring, P):
        st = self.stepper
        right = int((P.argmax(1) == st.y).sum())
        aria = (f"Probabilities ŷ of all {st.n_samples} samples as points in a triangle {self._when()}: "
                f"{right} of {st.n_samples} lie in their own class's third (predicted "
                f"correctly); the ring ({ring}) marks {self._who(hl)}.")
        return {
            "title": "ŷ of every sample at the current θ", "title_short": "ŷ of every sample",
            "vertex_labels": [[n, f"ŷ{sub(c)} = 1"] for c, n in enumerate(self.names)],
            "legend": [[n, "marker", self.static["colors"][c], self.static["markers"][c]]
                       for c, n in enumerate(self.names)],
            "aria": aria, "S": _r(plots.simplex_coordinates(P), 4), "highlight": hl,  # 1e-4 of a side: sub-pixel
        }

    def _loss(self, full_history):
        st = self.stepper
        chain = self._history()
        n = len(chain)
        top = max(self._ymax, 1e-3, chain[-1][4] if chain else 0.0)
        start = 0 if full_history else max(0, n - 1)
        m = st.n_samples
        if n:
            first, last = chain[0][0], chain[-1][0]
            trend = "falls" if last.loss < first.loss else "rises" if last.loss > first.loss else "stays"
            batch = (f"the batch loss was {num(last.loss)}" if n == 1 else
                     f"the batch loss {trend} from {num(first.loss)} to {num(last.loss)}")
            aria = (f"Loss after {n} update{'s' * (n != 1)}: {batch}; "
                    f"the loss on all {m} samples is now {num(last.train_loss)}.")
        else:
            aria = f"Loss: no update yet; the loss on all {m} samples is {num(st.train_loss())}."
        return {
            "xlabel": "update", "ylabel": "loss (cross-entropy)", "ylabel_short": "loss",
            "legend": [["batch, before the update", "line", LOSS_COLORS[0], "o"],
                       [f"all {m} samples, after the update", "dash", LOSS_COLORS[1], ""]],
            "legend_short": "— batch  - - all",
            "empty": "no update yet: press next ▶", "aria": aria,
            "xmax": plots._nice_ceiling(max(n, 10)),
            "ymax": plots._nice_ceiling(1.05 * top, steps=(1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)),
            "n": n, "start": start, "base": chain[start - 1][3] if start else "",
            "batch": [c[1] for c in chain[start:]], "train": [c[2] for c in chain[start:]],
            "hashes": [c[3] for c in chain[start:]],
        }

    # ---------------------------------------------------------- words
    def _announce(self, rec, hl, error):
        st = self.stepper
        if error:
            return f"step {st.step_count}: {error}"
        if rec is None:
            return (f"step 0, the starting θ, loss on all {st.n_samples} samples {num(st.train_loss())}; "
                    f"next: {self._who(hl)}")
        return (f"step {st.step_count}, loss {num(rec.loss)}, {self._who(hl)}, "
                f"loss on all {st.n_samples} samples {num(rec.train_loss)}")

    def _alt(self, frame):
        st = self.stepper
        head = (f"Training stepper at step {st.step_count} ({self._mode_text()}, η = {st.lr:.3g}, "
                f"{st.n_samples} samples, {st.n_classes} classes).")
        return " ".join([head] + [frame[p]["aria"] for p in self.static["panels"]])

    def _mode_text(self):
        st = self.stepper
        return st.mode + ("" if st.mode != "mini-batch" else f", s = {st.batch_size}")

    def _controls(self):
        st = self.stepper
        lo, hi = LR_RANGE
        lr = float(st.lr)
        lr_note = ("" if lo <= lr <= hi else
                   f"η = {lr:.3g} is beyond the slider ({lo:g} … {hi:g}); the box shows the real value")
        seed = st.seed
        if seed is None:
            seed_text, seed_note = "", "no seed: a fresh random order each reset (type a number to fix it)"
        elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            seed_text, seed_note = str(int(seed)), "a whole number >= 0, or empty for none"
        else:
            seed_text = type(seed).__name__
            seed_note = (f"the stepper was given a {type(seed).__name__} in code; "
                         "type a whole number to replace it")
        shown = int(st.batch_size) if st.mode == "mini-batch" else min(3, self.static["batch_size_max"])
        return {"lr_note": lr_note, "seed_text": seed_text, "seed_note": seed_note, "batch_size_shown": shown}

    def _status_html(self):
        st = self.stepper
        rec = st.last
        if rec is None:
            loss_txt = "L = —"
            full = f"loss on all {st.n_samples} samples = {num(st.train_loss())}"
        else:
            loss_txt = f"L = {num(rec.loss)}"
            full = f"loss on all {st.n_samples} samples = {num(rec.train_loss)}"
        return (f"<b class='sl-step'>step {st.step_count}</b> · {self._mode_text().replace(', s', ' s')} · "
                f"η = {st.lr:.3g} · batch loss <b class='sl-loss'>{loss_txt}</b> · {full}")

    def _recipe_lines(self, sample):
        """The recipe as plain lines for the still (same formulas as the widget's, ᵀ a real superscript)."""
        st = self.stepper
        rec = st.last

        def vec(v, d=4):
            return "[" + ", ".join(num(x, d) for x in np.ravel(v)) + "]"

        def mat(M, d=4):
            return "[" + "; ".join(", ".join(num(x, d) for x in row) for row in np.atleast_2d(M)) + "]"

        if rec is None:
            nxt = st.next_indices() if sample < 0 else np.array([sample])
            return [f"Step 0: the starting θ (bias row first) = {mat(st.theta)}",
                    f"{CONTROL_LABELS['next']} runs the 5-step recipe on {rows_text(nxt)}: z = θᵀx, "
                    "ŷ = softmax(z), L = −log ŷ of the true class, ∇L = x(ŷ − y)ᵀ, θ ← θ − η ∇L"]
        n, s = min(len(rec.indices), MAX_COLUMNS), len(rec.indices)
        cols = "" if s == 1 else f" (columns: the first {n} of the {s} samples)" if s > n else " (one column per sample)"
        one = s == 1
        Xt = np.column_stack([np.ones(n), rec.X[:n]]).T
        labels = ", ".join(f"{int(c)} ({self.names[int(c)]})" for c in rec.y[:n])
        pick = vec(Xt[:, 0], 2) if one else mat(Xt, 2)
        Z, P, dZ = (rec.Z[0], rec.P[0], rec.dZ[0]) if one else (rec.Z[:n].T, rec.P[:n].T, rec.dZ[:n].T)
        show = vec if one else mat
        head = f"Step {rec.step}" + (f", epoch {rec.epoch + 1}" if rec.epoch is not None else ", picked by hand") + cols
        return [
            head,
            f"1. pick {rows_text(rec.indices)}; y = {labels}; x = {pick}",
            f"2. z = θᵀx = {show(Z)};   ŷ = softmax(z) = {show(P)}",
            ("3. L = −log ŷ of the true class" if one else f"3. L = −(1/{s}) Σ log ŷ⁽ⁱ⁾ of each true class")
            + f" = {num(rec.loss)}",
            f"4. ∂L/∂z = ŷ − y = {show(dZ)};   ∇L = " + ("x(ŷ − y)ᵀ" if one else f"(1/{s}) Σ x⁽ⁱ⁾(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)ᵀ")
            + f" = {mat(rec.grad)}",
            f"5. θ ← θ − η ∇L = {mat(rec.theta_before)} − {rec.lr:.3g} · ∇L = {mat(rec.theta_after)}",
        ]

    def _recipe_html(self, sample):
        """The deck's 5-step recipe with the last update's numbers (θᵀx with a real superscript T)."""
        st = self.stepper
        rec = st.last
        if rec is None:
            nxt = st.next_indices() if sample < 0 else np.array([sample])
            return (f"<b>Step 0</b>: the starting θ (bias row first)"
                    f"<div class='sl-eq'><span class='sl-sym'>θ</span> = {_html_matrix(st.theta)}</div>"
                    f"<p>Press <b>{CONTROL_LABELS['next']}</b> to run the 5-step recipe on {rows_text(nxt)}.</p>")
        n = min(len(rec.indices), MAX_COLUMNS)
        s = len(rec.indices)
        shown = "" if s <= n else f" (first {n} of {s} samples shown as columns)"
        Xt = np.column_stack([np.ones(n), rec.X[:n]]).T
        labels = ", ".join(f"{int(c)} ({html.escape(self.names[int(c)])})" for c in rec.y[:n])
        # ᵀ (U+1D40) is a superscript letter: the text reads θᵀx even where markup is dropped
        if s == 1:
            loss_formula = "L = −log ŷ<sub>y</sub>"
            grad_formula = "<b>x</b>(ŷ − <b>y</b>)ᵀ"
        else:
            loss_formula = f"L = −(1/{s}) Σ<sub>i∈B</sub> log ŷ<sup>(i)</sup><sub>y⁽ⁱ⁾</sub>"
            grad_formula = f"(1/{s}) Σ<sub>i∈B</sub> <b>x</b>⁽ⁱ⁾(ŷ⁽ⁱ⁾ − <b>y</b>⁽ⁱ⁾)ᵀ"
        def eq(*parts):  # a line of the recipe: each formula one flex item, each matrix another
            return ("<span class='sl-eq'>" + " ".join(p if p.startswith("<table") else f"<span>{p}</span>"
                                                        for p in parts) + "</span>")
        head = (f"<b>Step {rec.step}</b>"
                + (f" · epoch {rec.epoch + 1}" if rec.epoch is not None else " · picked by hand") + shown)
        items = [
            f"<li class='sl-r1'>pick {rows_text(rec.indices)}; y = {labels} "
            + eq("<b>x</b> =", _html_matrix(Xt, 2)) + "</li>",
            "<li class='sl-r2'>" + eq("<b>z</b> = θᵀ<b>x</b> =", _html_matrix(rec.Z[:n].T),
                                      "&nbsp; ŷ = softmax(<b>z</b>) =", _html_matrix(rec.P[:n].T)) + "</li>",
            f"<li class='sl-r3'>{loss_formula} = {num(rec.loss)}</li>",
            "<li class='sl-r4'>" + eq("∂L/∂<b>z</b> = ŷ − <b>y</b> =", _html_matrix(rec.dZ[:n].T),
                                      f"&nbsp; ∇L = {grad_formula} =", _html_matrix(rec.grad)) + "</li>",
            "<li class='sl-r5'>" + eq("θ ← θ − η ∇L =", _html_matrix(rec.theta_before),
                                      f"− {rec.lr:.3g} ·", _html_matrix(rec.grad), "=",
                                      _html_matrix(rec.theta_after)) + "</li>",
        ]
        return head + "<ol>" + "".join(items) + "</ol>"


# ------------------------------------------------------------------ fixtures for node --test
def fixtures():
    """Frames Python makes for the JavaScript tests (tests/js/fixtures/frames.json)."""
    from . import datasets
    from .stepper import TrainingStepper

    out = {"contract": CONTRACT, "cases": []}
    d = datasets.load_slide_table("iris9_petal")
    st = TrainingStepper(d.data, d.target, datasets.slide_theta(3), lr=0.1, order=[1, 0, 2, 3, 4, 5, 6, 7, 8])
    cases = [("regions, stochastic", st, d.feature_names, d.target_names)]
    d2 = datasets.load_slide_table("petal_2class")
    st2 = TrainingStepper(d2.data, d2.target, datasets.slide_theta(2), lr=0.1)
    cases.append(("curves, 2 classes", st2, d2.feature_names, d2.target_names))
    for name, stepper, features, classes in cases:
        static = make_static(stepper, list(classes), list(features), title=name)
        maker = FrameMaker(stepper, static)
        frames = [maker.wire()]
        for _ in range(3):
            stepper.step()
            frames.append(maker.wire())
        stepper.back()
        frames.append(maker.wire())
        out["cases"].append({"name": name, "static": static, "frames": frames,
                             "history": maker.history_message()})
    return out


def fixtures_json():
    return json.dumps(fixtures(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m softmax_lab.frame tests/js/fixtures/frames.json
    if len(sys.argv) != 2:
        sys.exit("usage: python -m softmax_lab.frame OUT.json  (the JavaScript tests' fixture)")
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        fh.write(fixtures_json())
