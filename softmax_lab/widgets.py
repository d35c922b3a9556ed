r"""Interactive stepping UI for a :class:`~softmax_lab.stepper.TrainingStepper`.

Wiring only: all state lives in the stepper; this module turns clicks into
``stepper.step() / back() / reset()`` calls and sends what to show.

>>> import softmax_lab as sl
>>> from softmax_lab.stepper import TrainingStepper
>>> from softmax_lab.widgets import stepper_widget
>>> d = sl.datasets.load_slide_table("iris9_petal")
>>> st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1)
>>> ui = stepper_widget(st, feature_names=d.feature_names, class_names=d.target_names)
>>> ui.press("next"); st.step_count
1
>>> ui.frame["step"], ui.frame["controls"]["lr_text"]
(1, '0.1')

Design (chosen from bench/click_to_paint.py's measurement, see bench/RESULTS.md)
-------------------------------------------------------------------------------
* One front-end widget (anywidget: pip-only, runs in JupyterLab 4, Notebook 7,
  VS Code and Colab).  The browser draws the panels on canvases at the
  screen's pixel ratio; Python sends, per click, one small JSON ``frame``:
  the texts (status line, the 5-step recipe, control values, all formatted
  here from the stepper's numbers) and the geometry (decision polygons and
  boundary segments from :mod:`softmax_lab.plotting`, simplex coordinates,
  the loss histories).  No PNG is encoded or decoded per step and no math is
  typeset: the recipe is HTML with small tables for the matrices.
* The round trip through the Jupyter server (20-50 ms on a 2-core machine)
  is taken off the click: a frame sent outside play also carries ``ahead``
  and ``behind``, the frames of the next and the previous step, made by the
  stepper itself (:meth:`TrainingStepper.preview` steps or goes back, then
  restores its state exactly).  A click on next / back paints one of them at
  once; the kernel then really steps, and its answer replaces the picture
  unless its ``key`` (a digest of everything shown) is the same.  So the
  numbers on screen are always the stepper's: ahead of the answer, or
  corrected by it (e.g. when code changed the stepper behind the widget's
  back).  A view with a request unanswered waits for the kernel instead.
* Play runs the kernel up to four steps ahead of the screen and paints the
  answers on a fixed clock in the browser (50 ms per step = 20 steps/s, each
  step on screen for at least one frame); pause sends the step on screen and
  the stepper goes back to exactly that step.
* ``presentation=True`` (or the checkbox in the widget) fills the screen
  below JupyterLab's toolbar: 20 px text, 19 px figure text, recipe beside
  the pictures.
* The output also carries a still PNG (matplotlib, through the same
  :mod:`softmax_lab.plotting` displays) and one fixed sentence, for views
  without a kernel; nbval compares the sentence.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from pathlib import Path

import numpy as np

try:
    import anywidget
    import traitlets as T
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
except ImportError as _err:  # the core needs numpy only; the widget needs the `lab` extra
    raise ImportError(
        f"softmax_lab.widgets needs {_err.name or 'anywidget, ipywidgets and matplotlib'}, which is "
        'not installed here; install the notebook extras with: pip install "softmax-lab[lab]"'
    ) from _err

from . import plotting as plots
from .core import predict_proba
from .still import KERNEL_NOTE
from .stepper import TrainingStepper

__all__ = ["stepper_widget", "StepperWidget", "format_vector", "format_matrix"]

_STATIC = Path(__file__).with_name("static")
_MODES = (("stochastic (s = 1)", "stochastic"), ("mini-batch (s samples)", "mini-batch"),
          ("full batch (all samples)", "full batch"))
_MAX_COLUMNS = 4  # samples shown in the recipe's matrices
_LR_RANGE = (1e-3, 10.0)  # the slider's ends (log scale); typed values may go beyond


# ------------------------------------------------------------------ formatting
def _num(x, decimals=4):
    s = f"{float(x):.{decimals}f}"
    return "0." + "0" * decimals if s == "-0." + "0" * decimals else s.replace("-", "−")


def _latex_num(x, decimals=4):
    return _num(x, decimals).replace("−", "-")


def format_vector(v, decimals=4):
    """LaTeX column vector, fixed decimals: ``\\begin{bmatrix} 0.2800 \\\\ … \\end{bmatrix}``."""
    return r"\begin{bmatrix}" + r" \\ ".join(_latex_num(x, decimals) for x in np.ravel(v)) + r"\end{bmatrix}"


def format_matrix(M, decimals=4):
    """LaTeX matrix (rows as printed), fixed decimals."""
    M = np.atleast_2d(M)
    rows = [" & ".join(_latex_num(x, decimals) for x in row) for row in M]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def _html_matrix(M, decimals=4):
    """A matrix as a small HTML table (the recipe needs no math typesetting)."""
    M = np.atleast_2d(M)
    rows = "".join("<tr>" + "".join(f"<td>{_num(x, decimals)}</td>" for x in row) + "</tr>" for row in M)
    return f"<table class='sl-m'>{rows}</table>"


def _rows(indices, limit=12):
    """'index 1 (row 2)' / 'indices 0, 3, 6 (rows 1, 4, 7)': code counts from 0, the slides from 1."""
    idx = [int(i) for i in np.atleast_1d(indices)]
    more = " …" if len(idx) > limit else ""
    idx = idx[:limit]
    zero = ", ".join(map(str, idx)) + more
    one = ", ".join(str(i + 1) for i in idx) + more
    if len(idx) == 1 and not more:
        return f"index {zero} (row {one} counting from 1)"
    return f"indices {zero} (rows {one} counting from 1)"


def _batch_losses(st):
    """Batch loss before each update (``stepper.history.loss``)."""
    return np.asarray(st.history.loss, dtype=float)


def _round(a, digits=5):
    return np.round(np.asarray(a, dtype=float), digits).tolist()


def _parse_seed(text):
    """The seed typed in the widget: the whole number it spells, or None for empty / "none".

    Only the text is read here; the range is the stepper's rule (``_validation.as_seed``).
    """
    s = str(text).strip()
    if s.lower() in ("", "none"):
        return None
    try:
        return int(s)
    except ValueError:
        raise ValueError(f"seed must be a whole number >= 0 or empty (no seed), got {s!r}.") from None


# --------------------------------------------------------------------- the UI
class StepperWidget(anywidget.AnyWidget):
    """The stepping UI; build it with :func:`stepper_widget`.

    Python side: :meth:`press` (``"next"``, ``"back"``, ``"reset"``) and
    :meth:`set_control` do exactly what the buttons and controls do;
    ``frame`` is what the browser shows (texts and geometry; outside play
    also ``ahead`` / ``behind``, the frames of the neighbouring steps),
    ``static`` what does not change (data, names, colours).  ``presentation`` and
    ``interval_ms`` (play speed) are shared with the browser.
    """

    _esm = (_STATIC / "stepper.js").read_text(encoding="utf-8")
    _css = (_STATIC / "stepper.css").read_text(encoding="utf-8")
    static = T.Dict().tag(sync=True)
    frame = T.Dict().tag(sync=True)
    presentation = T.Bool(False).tag(sync=True)
    interval_ms = T.Int(400).tag(sync=True)

    def __init__(self, stepper, *, feature_names=None, class_names=None, title=None,
                 presentation=False, dpi=96):
        if not isinstance(stepper, TrainingStepper):
            raise TypeError(
                f"stepper_widget needs a softmax_lab.stepper.TrainingStepper, got "
                f"{type(stepper).__name__}; build one with TrainingStepper(X, y, theta, lr=...)."
            )
        self.stepper = st = stepper
        self.dpi = dpi
        k, d = st.n_classes, st.n_features
        self.class_names = plots.class_labels(class_names, k)
        if feature_names is None:
            feature_names = [f"x{j + 1}" for j in range(d)] if d > 1 else ["x"]
        if isinstance(feature_names, str) or len(list(feature_names)) != d:
            raise ValueError(f"feature_names needs {d} names (one per feature), got {feature_names!r}.")
        self.feature_names = [str(f) for f in feature_names]
        self.title = title
        self._fixed_order = st.order
        self._sample = -1
        self._note = ""
        self._error = False
        self._ymax = float(st.train_loss())
        self._static = self._make_static()
        super().__init__(static=self._static, presentation=bool(presentation))
        self.on_msg(self._on_msg)
        self.refresh()

    # ------------------------------------------------------------ static data
    def _make_static(self):
        st = self.stepper
        k = st.n_classes
        panels = []
        out = {
            "title": self.title or "", "n_samples": st.n_samples, "n_features": st.n_features,
            "class_names": self.class_names, "feature_names": self.feature_names,
            "colors": plots.class_colors(k), "markers": plots.class_markers(k),
            "light": ["#%02x%02x%02x" % tuple(int(round(255 * v)) for v in c) for c in plots.light_colors(k)],
            "y": st.y.tolist(), "modes": [list(m) for m in _MODES],
            "sample_options": [[label, v] for label, v in self._sample_options()],
        }
        if st.n_features == 2:
            out["kind"] = "regions"
            self._regions = plots.RegionsDisplay(st.theta, st.X, st.y)
            out["xlim"], out["ylim"] = list(self._regions.xlim), list(self._regions.ylim)
            out["X"] = _round(st.X)
            panels.append("main")
        elif st.n_features == 1:
            out["kind"] = "curves"
            x = st.X[:, 0]
            out["xlim"] = [float(x.min() - 1.0), float(x.max() + 1.0)]
            self._grid = np.linspace(*out["xlim"], 200)
            out["grid"] = _round(self._grid)
            panels.append("main")
        else:
            out["kind"] = None
        if k == 3:
            panels.append("simplex")
        panels.append("loss")
        out["panels"] = panels
        return out

    def _sample_options(self):
        st = self.stepper
        opts = [("the next one in order", -1)]
        for i in range(st.n_samples):
            x = ", ".join(f"{v:g}" for v in st.X[i])
            opts.append((f"row {i}: x = ({x}), {self.class_names[st.y[i]]}", i))
        return opts

    # ------------------------------------------------------------ actions
    def press(self, name, *, _seq=0):
        """Do what a button does: ``"next"``, ``"back"`` or ``"reset"``; then show the result."""
        actions = {"next": self._next, "back": self.stepper.back, "reset": self.stepper.reset}
        if name not in actions:
            raise ValueError(f"press takes one of {sorted(actions)}, got {name!r}.")
        self._act(actions[name])
        self.refresh(seq=_seq)

    def _play(self, count, seq):
        """Play asks for ``count`` steps in one message (fewer messages through the server and
        fewer kernel busy/idle round trips per step); the answer is the last step's frame with
        the ones before it in ``earlier``.  A step that fails ends the run there (its frame says
        why, and the browser stops playing on it)."""
        frames = []
        for _ in range(max(1, min(count, 16))):
            self._act(self._next)
            frames.append(self._frame())
            if self._error:
                break
        frame = frames[-1]
        frame.update(earlier=frames[:-1], seq=seq, play=True)
        self.frame = frame

    def set_control(self, name, value, *, _seq=0):
        """Do what a control does: ``lr``, ``mode``, ``batch_size``, ``shuffle``, ``seed``, ``sample``.

        The stepper checks the value; a refused value leaves the stepper as it
        was, the control shows the stepper's real value and the note says why.
        """
        setters = {"lr": self._set_lr, "mode": self._set_mode, "batch_size": self._set_batch_size,
                   "shuffle": self._set_shuffle, "seed": self._set_seed, "sample": self._set_sample}
        if name not in setters:
            raise ValueError(f"set_control takes one of {sorted(setters)}, got {name!r}.")
        self._act(lambda: setters[name](value))
        self.refresh(seq=_seq)

    def _act(self, fn):
        self._note, self._error = "", False
        try:
            note = fn()
            self._note = note if isinstance(note, str) else ""
        except (ValueError, TypeError, FloatingPointError) as err:
            self._note, self._error = str(err), True

    def _next(self):
        pick = self._sample
        self.stepper.step(indices=None if pick < 0 else [pick])

    def _set_lr(self, value):
        try:
            value = float(str(value).strip()) if isinstance(value, str) else value
        except ValueError:
            raise ValueError(f"the learning rate must be a number > 0, got {value!r}; try 0.1.") from None
        self.stepper.lr = value

    def _set_mode(self, mode):
        st = self.stepper
        if mode == "stochastic":
            st.batch_size = 1
            return "mode changed: training restarted from the starting θ (step 0)"
        if mode == "full batch":
            st.batch_size = None
            return "mode changed: training restarted from the starting θ (step 0)"
        if mode != "mini-batch":
            raise ValueError(f"mode must be one of stochastic, mini-batch, full batch; got {mode!r}.")
        size = st.batch_size if st.mode == "mini-batch" else min(3, max(st.n_samples - 1, 1))
        st.batch_size = size
        note = "mode changed: training restarted from the starting θ (step 0)"
        if not st.shuffle:
            self._shuffle_on()
            note += ("; shuffle switched on, so each mini-batch mixes the classes (in table order "
                     "a batch of neighbouring rows often holds one class only); untick it for the fixed order")
        return note

    def _shuffle_on(self):
        st = self.stepper
        if st.order is not None:
            st.order = None
        st.shuffle = True
        if st.seed is None:
            st.seed = 0  # the same batches every time the lecture restarts

    def _set_batch_size(self, value):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"s (the batch size) must be a whole number, got {value!r}.") from None
        self.stepper.batch_size = value
        return "batch size changed: training restarted from the starting θ (step 0)"

    def _set_shuffle(self, on):
        st = self.stepper
        if bool(on):
            self._shuffle_on()
            return f"shuffle on (seed {st.seed}): training restarted from the starting θ (step 0)"
        st.shuffle = False
        if self._fixed_order is not None:
            st.order = self._fixed_order
        return "shuffle off: training restarted from the starting θ (step 0)"

    def _set_seed(self, text):
        self.stepper.seed = _parse_seed(text)  # a seed the stepper refuses leaves it as it was
        return "seed changed: training restarted from the starting θ (step 0)"

    def _set_sample(self, value):
        value = int(value)
        if not -1 <= value < self.stepper.n_samples:
            raise ValueError(f"sample must be -1 (next in order) or a row 0..{self.stepper.n_samples - 1}, got {value}.")
        self._sample = value

    def _on_msg(self, _widget, content, _buffers):
        event = content.get("event")
        seq = int(content.get("seq", 0))
        if event == "press" and content.get("play"):
            self._play(int(content.get("count", 1)), seq)
        elif event == "press":
            self.press(content.get("name"), _seq=seq)
        elif event == "pause":
            target = content.get("step")
            st = self.stepper
            if target is not None:
                while st.step_count > int(target):
                    st.back()
            self._note, self._error = "", False
            self.refresh(seq=seq)
        elif event == "set":
            self.set_control(content.get("name"), content.get("value"), _seq=seq)

    # ------------------------------------------------------------- the frame
    def refresh(self, *, seq=0):
        """Send the stepper's state to the browser (texts, control values, geometry).

        The frame also carries ``ahead`` and ``behind`` (play's answers, sent by
        :meth:`_play`, do not): the
        frames of the next and the previous step, made by the stepper itself
        (``TrainingStepper.preview``, which restores its state exactly);
        ``ahead["then"]`` is the step after that (play's second step).  The
        browser paints one of them the moment next / back is clicked, and the
        frame that answers the click (the stepper really stepped) replaces it
        unless its ``key`` (a digest of everything shown) is the same.
        """
        frame = self._frame()
        st = self.stepper
        nxt = ("next", None if self._sample < 0 else [self._sample])
        with st.preview(nxt) as moved:
            if moved:
                frame["ahead"] = self._frame(note="", error=False)
                with st.preview(nxt) as moved:  # play's second step is due one interval after the click
                    if moved:
                        frame["ahead"]["then"] = self._frame(note="", error=False)
        with st.preview("back") as moved:
            if moved:
                frame["behind"] = self._frame(note="", error=False)
        frame.update(seq=seq, play=False)
        self.frame = frame

    def _frame(self, *, note=None, error=None):
        """What the browser shows for the stepper's state now, with its ``key``."""
        st = self.stepper
        note = self._note if note is None else note
        error = self._error if error is None else error
        rec = st.last
        hl = (rec.indices if rec is not None else st.next_indices()).tolist()
        theta = st.theta
        frame = {"step": st.step_count, "error": error,
                 "status_html": self._status_html(), "recipe_html": self._recipe_html(),
                 "note_html": ("" if not note else
                               f"<span class='{'sl-error' if error else 'sl-info'}'>"
                               f"{html.escape(note)}</span>"),
                 "controls": self._controls()}
        kind = self._static["kind"]
        if kind == "regions":
            disp = self._regions
            polys = plots.decision_polygons(theta, disp.xlim, disp.ylim)
            segs = plots.decision_boundaries(theta, disp.xlim, disp.ylim)
            frame["main"] = {"polygons": [_round(p) for p in polys],
                             "boundaries": [None if s is None else _round(s.ravel()) for s in segs.values()],
                             "highlight": hl}
        elif kind == "curves":
            P = predict_proba(theta, self._grid[:, None])
            x = st.X[:, 0]
            Px = predict_proba(theta, st.X)[np.arange(st.n_samples), st.y]
            lo, hi = self._static["xlim"]
            cuts = plots.probability_thresholds(theta, (lo, hi))
            labels = [[x0, f"threshold x = {x0:.2f}"] for x0, _, _ in cuts]
            frame["main"] = {"curves": [_round(P[:, c], 4) for c in range(st.n_classes)],
                             "thresholds": [float(c[0]) for c in cuts], "threshold_labels": labels,
                             "points": _round(np.column_stack([x, Px])), "highlight": hl}
        if "simplex" in self._static["panels"]:
            frame["simplex"] = {"S": _round(plots.simplex_coordinates(predict_proba(theta, st.X))),
                                "highlight": hl}
        batch = _batch_losses(st)
        train = np.asarray(st.train_loss_history, dtype=float)
        top = max([self._ymax, 1e-3] + ([float(batch.max())] if batch.size else [])
                  + ([float(train.max())] if train.size else []))
        frame["loss"] = {"batch": _round(batch), "train": _round(train),
                         "xmax": plots._nice_ceiling(max(batch.size, 10)),
                         "ymax": plots._nice_ceiling(1.05 * top, steps=(1, 1.5, 2, 2.5, 3, 4, 5, 6, 8))}
        frame["key"] = hashlib.blake2b(json.dumps(frame, sort_keys=True).encode(), digest_size=8).hexdigest()
        return frame

    def _controls(self):
        st = self.stepper
        lo, hi = _LR_RANGE
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
        return {"step": st.step_count, "lr": lr, "lr_text": f"{lr:.3g}", "lr_note": lr_note,
                "mode": st.mode, "batch_size": int(st.batch_size),
                "batch_size_shown": int(st.batch_size) if st.mode == "mini-batch" else min(3, max(st.n_samples - 1, 2)),
                "shuffle": bool(st.shuffle), "seed_text": seed_text, "seed_note": seed_note,
                "sample": self._sample}

    # ------------------------------------------------------------- text
    def _status_html(self):
        st = self.stepper
        rec = st.last
        if rec is None:
            loss_txt = "L = —"
            full = f"loss on all {st.n_samples} samples = {_num(st.train_loss())}"
        else:
            loss_txt = f"L = {_num(rec.loss)}"
            full = f"loss on all {st.n_samples} samples = {_num(rec.train_loss)}"
        mode = st.mode + ("" if st.mode != "mini-batch" else f" s = {st.batch_size}")
        return (f"<b class='sl-step'>step {st.step_count}</b> · {mode} · η = {st.lr:.3g} · "
                f"batch loss <b class='sl-loss'>{loss_txt}</b> · {full}")

    def _recipe_html(self):
        st = self.stepper
        rec = st.last
        if rec is None:
            nxt = st.next_indices() if self._sample < 0 else np.array([self._sample])
            return (f"<b>Step 0</b>: the starting θ (bias row first)"
                    f"<div class='sl-eq'><span class='sl-sym'>θ</span> = {_html_matrix(st.theta)}</div>"
                    f"<p>Press <b>next ▶</b> to run the 5-step recipe on {_rows(nxt)}.</p>")
        cols = rec.indices[:_MAX_COLUMNS]
        n = len(cols)
        s = len(rec.indices)
        shown = "" if s <= n else f" (first {n} of {s} samples shown as columns)"
        Xt = np.column_stack([np.ones(n), rec.X[:n]]).T
        labels = ", ".join(f"{int(c)} ({html.escape(self.class_names[int(c)])})" for c in rec.y[:n])
        mean = "" if s == 1 else f"1/{s} Σ<sub>u</sub> "
        loss_formula = ("L = −log ŷ<sub>y</sub>" if s == 1 else f"L = −1/{s} Σ<sub>u</sub> log ŷ<sup>(u)</sup><sub>y<sup>(u)</sup></sub>")
        grad_formula = "<b>x</b> (ŷ − y)<sup>T</sup>" if s == 1 else f"{mean}<b>x</b><sup>(u)</sup> (ŷ<sup>(u)</sup> − y<sup>(u)</sup>)<sup>T</sup>"
        eq = lambda *parts: "<span class='sl-eq'>" + " ".join(parts) + "</span>"  # noqa: E731
        head = (f"<b>Step {rec.step}</b>"
                + (f" · epoch {rec.epoch + 1}" if rec.epoch is not None else " · picked by hand") + shown)
        items = [
            f"<li class='sl-r1'>pick {_rows(rec.indices)}; y = {labels} "
            + eq("<b>x</b> =", _html_matrix(Xt, 2)) + "</li>",
            "<li class='sl-r2'>" + eq("<b>z</b> = θ<sup>T</sup><b>x</b> =", _html_matrix(rec.Z[:n].T),
                                      "&nbsp; ŷ = softmax(<b>z</b>) =", _html_matrix(rec.P[:n].T)) + "</li>",
            f"<li class='sl-r3'>{loss_formula} = {_num(rec.loss)}</li>",
            "<li class='sl-r4'>" + eq("∂L/∂<b>z</b> = ŷ − y =", _html_matrix(rec.dZ[:n].T),
                                      f"&nbsp; L′<sub>θ</sub> = {grad_formula} =", _html_matrix(rec.grad)) + "</li>",
            "<li class='sl-r5'>" + eq("θ ← θ − η L′<sub>θ</sub> =", _html_matrix(rec.theta_before),
                                      f"− {rec.lr:.3g} ·", _html_matrix(rec.grad), "=",
                                      _html_matrix(rec.theta_after)) + "</li>",
        ]
        return head + "<ol>" + "".join(items) + "</ol>"

    # ------------------------------------------------------------- still picture
    def snapshot_png(self):
        """One PNG with every panel in its current state (the picture for views without a kernel)."""
        st = self.stepper
        panels = self._static["panels"]
        widths = {"main": 5.2 if st.n_features == 2 else 6.6, "simplex": 4.0, "loss": 5.0}
        fig = Figure(figsize=(sum(widths[p] for p in panels), 4.0), dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, len(panels), width_ratios=[widths[p] for p in panels], squeeze=False)[0]
        rec = st.last
        hl = rec.indices if rec is not None else st.next_indices()
        for ax, key in zip(axes, panels):
            if key == "main" and st.n_features == 2:
                plots.RegionsDisplay(st.theta, st.X, st.y, feature_names=self.feature_names,
                                     class_names=self.class_names, highlight=hl).plot(ax)
                ax.set_title("regions at the current θ · ring = current batch", fontsize="medium")
            elif key == "main":
                plots.CurvesDisplay(st.theta, st.X, st.y, feature_name=self.feature_names[0],
                                    class_names=self.class_names, highlight=hl).plot(ax)
                ax.set_title("probabilities at the current θ · ring = current batch", fontsize="medium", pad=16)
            elif key == "simplex":
                plots.SimplexDisplay(predict_proba(st.theta, st.X), st.y, class_names=self.class_names,
                                     highlight=hl).plot(ax)
                ax.set_title("ŷ of every sample at the current θ", fontsize="medium")
            else:
                disp = plots.LossDisplay(_batch_losses(st), label="batch (before the update)").plot(ax)
                train = np.asarray(st.train_loss_history, dtype=float)
                ax.plot(np.arange(1, train.size + 1), train, color=plots.PALETTE[4], lw=2, ls="--",
                        label=f"all {st.n_samples} samples (after)")
                disp.update(_batch_losses(st), ymax=max([self._ymax] + train.tolist()))
                ax.legend(fontsize="small", loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
                if train.size == 0:
                    ax.text(0.5, 0.45, "no update yet: press next ▶", transform=ax.transAxes,
                            ha="center", va="center", color="0.35")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()

    def still_text(self):
        st = self.stepper
        return (f"softmax-lab stepper: {st.n_samples} samples, {st.n_features} feature(s), "
                f"{st.n_classes} classes, {st.mode}, lr={st.lr:g}, step {st.step_count}. {KERNEL_NOTE}")

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data, meta = bundle if isinstance(bundle, tuple) else (bundle or {}, {})
        data = dict(data or {})
        data["image/png"] = base64.b64encode(self.snapshot_png()).decode("ascii")
        data["text/plain"] = self.still_text()
        return data, dict(meta or {})


def stepper_widget(stepper, *, feature_names=None, class_names=None, title=None, presentation=False,
                   dpi=96):
    """Build the interactive stepping UI for ``stepper`` (display it as a cell's last line).

    Parameters
    ----------
    stepper : TrainingStepper
        Holds all state; the UI only calls its methods.
    feature_names, class_names : sequence of str, optional
        Axis labels and legend names (e.g. ``d.feature_names``, ``d.target_names``).
    title : str, optional
    presentation : bool, default=False
        Start in the projector layout (the widget has a checkbox for it too).
    dpi : int, default=96
        Resolution of the still picture stored for views without a kernel.

    Returns
    -------
    StepperWidget
        ↺ reset, ◀ back, next ▶, play / pause with a speed, the learning rate
        (log slider and the exact value), mode / batch size / shuffle / seed,
        a sample picker; a status line (step count and loss), the 5-step
        recipe of the last update with its numbers, and the panels: decision
        regions (2 features) or probability curves (1 feature), the simplex
        (3 classes), the loss curve.
    """
    return StepperWidget(stepper, feature_names=feature_names, class_names=class_names, title=title,
                         presentation=presentation, dpi=dpi)
