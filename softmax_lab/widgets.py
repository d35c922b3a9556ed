r"""Interactive stepping UI for a :class:`~softmax_lab.stepper.TrainingStepper`.

Wiring only: all state lives in the stepper; this module turns buttons and
sliders into ``stepper.step() / back() / reset()`` calls and redraws.

>>> import softmax_lab as sl
>>> from softmax_lab.stepper import TrainingStepper
>>> from softmax_lab.widgets import stepper_widget
>>> d = sl.datasets.load_slide_table("iris9_petal")
>>> st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1)
>>> ui = stepper_widget(st, feature_names=d.feature_names, class_names=d.target_names)
>>> ui.next_button.click(); st.step_count
1

Design notes
------------
* Figures are plain ``matplotlib.figure.Figure`` objects on the Agg canvas
  (never pyplot, so ``%matplotlib inline`` does not print a stray copy and no
  figure leaks); each panel is its own figure rendered to PNG bytes in an
  ``ipywidgets.Image``.  A step moves the existing artists
  (``plotting.update_*``) and re-encodes the PNG; the layout is computed once
  and then frozen.  No ipympl, no JavaScript of ours: it runs wherever
  ipywidgets 8 runs (JupyterLab 4, Notebook 7, VS Code, Binder).
* No ``Output`` widget and no ``clear_output``: executing the notebook
  headless stores a stable output.
* The returned container also carries an ``image/png`` rendering of the state
  at display time and a short, fixed ``text/plain`` line in the same output,
  so a notebook viewed without a kernel (GitHub, nbviewer) still shows the
  figure, and nbval compares a deterministic text.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import plotting as P
from .core import predict_proba
from .stepper import TrainingStepper

__all__ = ["stepper_widget", "StepperWidget", "format_vector", "format_matrix"]

_MODES = (("stochastic (s = 1)", "stochastic"), ("mini-batch (s samples)", "mini-batch"),
          ("full batch (all samples)", "full batch"))
_MAX_COLUMNS = 4  # samples shown in the recipe's matrices


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


def _encode_png(rgba):
    """PNG bytes of an RGBA pixel array (fast zlib level: these are redrawn per step)."""
    from PIL import Image as _PILImage  # matplotlib depends on Pillow

    buf = io.BytesIO()
    _PILImage.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()



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

class _Panel:
    """One figure drawn once, then per step only its moving artists (Agg blitting).

    ``dynamic()`` returns the artists that change with θ (drawn over the cached
    background, in order); ``overlays`` are opaque artists that must stay on
    top of them (legends inside the axes): their pixels are cached and pasted
    back after the moving artists.
    """

    def __init__(self, fig, dynamic, overlays=(), relayout=False):
        self.fig, self.dynamic, self.overlays = fig, dynamic, list(overlays)
        self.relayout = relayout  # re-run constrained layout on every full draw (new tick labels)
        self._background = None

    def full_draw(self):
        fig = self.fig
        for a in self.dynamic():
            a.set_animated(True)
        if self.relayout:
            fig.set_layout_engine("constrained")
        fig.canvas.draw()  # animated artists are left out of the background
        if fig.get_layout_engine() is not None:
            fig.set_layout_engine("none")  # then frozen: fast draws move nothing
        self._background = fig.canvas.copy_from_bbox(fig.bbox)
        self._overlay_pixels = [fig.canvas.copy_from_bbox(o.get_window_extent()) for o in self.overlays]
        self._draw_dynamic()

    def fast_draw(self):
        if self._background is None:
            return self.full_draw()
        self.fig.canvas.restore_region(self._background)
        self._draw_dynamic()

    def _draw_dynamic(self):
        for a in self.dynamic():
            self.fig.draw_artist(a)
        for px in self._overlay_pixels:
            self.fig.canvas.restore_region(px)

    def rgba(self):
        return np.asarray(self.fig.canvas.buffer_rgba())

    def png(self):
        return _encode_png(self.rgba())


# --------------------------------------------------------------------- the UI
class StepperWidget(W.VBox):
    """The stepping UI (an ``ipywidgets.VBox``); build it with :func:`stepper_widget`.

    Attributes of interest (for tests and for rearranging): ``stepper``,
    ``reset_button``, ``back_button``, ``next_button``, ``play``, ``speed``,
    ``lr_slider``, ``mode``, ``batch_size``, ``shuffle``, ``seed``,
    ``sample``, ``status``, ``recipe``, ``images`` (dict of ``ipywidgets.Image``).
    """

    def __init__(self, stepper, *, feature_names=None, class_names=None, title=None,
                 dpi=96):
        if not isinstance(stepper, TrainingStepper):
            raise TypeError(
                f"stepper_widget needs a softmax_lab.stepper.TrainingStepper, got "
                f"{type(stepper).__name__}; build one with TrainingStepper(X, y, theta, lr=...)."
            )
        self.stepper = st = stepper
        self.dpi = dpi
        k, d = st.n_classes, st.n_features
        self.class_names = P._names(class_names, k, "class {}")
        if feature_names is None:
            feature_names = [f"x{j + 1}" for j in range(d)] if d > 1 else ["x"]
        self.feature_names = [str(f) for f in feature_names]
        self._busy = False

        # ---- controls
        bl = W.Layout(width="auto")
        self.reset_button = W.Button(description="↺ reset", tooltip="back to step 0 (the starting θ)", layout=bl)
        self.back_button = W.Button(description="◀ back", tooltip="undo the last update exactly", layout=bl)
        self.next_button = W.Button(description="next ▶", tooltip="make one update (the 5-step recipe)",
                                    button_style="primary", layout=bl)
        self.play = W.Play(value=0, min=0, max=100_000, step=1, interval=600, description="play",
                           tooltip="play / pause: one update per tick", show_repeat=False)
        self.speed = W.IntSlider(value=600, min=50, max=2000, step=50, description="ms / step",
                                 style={"description_width": "initial"}, layout=W.Layout(width="260px"))
        W.jslink((self.speed, "value"), (self.play, "interval"))
        self.lr_slider = W.FloatLogSlider(value=st.lr, base=10, min=-3, max=1, step=0.05,
                                          description="learning rate η", readout_format=".3g",
                                          style={"description_width": "initial"},
                                          layout=W.Layout(width="330px"))
        self.mode = W.Dropdown(options=_MODES, value=st.mode, description="mode",
                               layout=W.Layout(width="270px"))
        n = st.n_samples
        self.batch_size = W.IntSlider(value=st.batch_size if st.mode == "mini-batch" else min(3, max(n - 1, 2)),
                                      min=2, max=max(n - 1, 2), description="s",
                                      disabled=st.mode != "mini-batch", layout=W.Layout(width="220px"))
        self.shuffle = W.Checkbox(value=st.shuffle, description="shuffle each epoch", indent=False,
                                  disabled=st.order is not None, layout=W.Layout(width="auto"))
        self.seed = W.IntText(value=st.seed if isinstance(st.seed, (int, np.integer)) else 0,
                              description="seed", layout=W.Layout(width="150px"))
        self.sample = W.Dropdown(options=self._sample_options(), value=-1, description="next sample",
                                 style={"description_width": "initial"},
                                 layout=W.Layout(width="420px"),
                                 disabled=False)
        self.status = W.HTML()
        self.recipe = W.HTMLMath(layout=W.Layout(overflow="auto", padding="0 0 0 8px"))
        self.note = W.HTML()

        # ---- figures (one per panel; never pyplot)
        self.panels, self.artists, self.images = {}, {}, {}
        self._build_figures()

        buttons = W.HBox([self.reset_button, self.back_button, self.next_button, self.play, self.speed])
        knobs = W.HBox([self.lr_slider, self.mode, self.batch_size, self.shuffle, self.seed],
                       layout=W.Layout(flex_flow="row wrap"))
        plots = W.HBox([self.images[key] for key in ("main", "simplex", "loss") if key in self.images],
                       layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))
        lower = self.recipe
        header = [W.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>")] if title else []
        super().__init__(header + [buttons, knobs, W.HBox([self.sample, self.note]), self.status,
                                   plots, lower])
        self.add_class("softmax-lab-stepper")

        # ---- wiring
        self.reset_button.on_click(lambda _b: self._act(self._reset))
        self.back_button.on_click(lambda _b: self._act(self._back))
        self.next_button.on_click(lambda _b: self._act(self._next))
        self.play.observe(self._on_play, names="value")
        self.lr_slider.observe(self._on_lr, names="value")
        self.mode.observe(self._on_mode, names="value")
        self.batch_size.observe(self._on_batch_size, names="value")
        self.shuffle.observe(self._on_shuffle, names="value")
        self.seed.observe(self._on_seed, names="value")
        self.refresh()

    # ------------------------------------------------------------ figures
    def _new_figure(self, size):
        fig = Figure(figsize=size, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(fig)
        return fig, fig.add_subplot()

    def _build_figures(self):
        st = self.stepper
        theta, X, y = st.theta, st.X, st.y
        hl = st.next_indices()
        if st.n_features == 2:
            fig, ax = self._new_figure((5.2, 4.0))
            art = P.plot_decision_regions(
                theta, X, y, ax=ax, feature_names=self.feature_names,
                class_names=self.class_names, highlight=hl)
            ax.set_title("regions at the current θ · ring = current batch", fontsize="medium")
            legend = ax.get_legend()
            legend.get_frame().set_alpha(1.0)
            self.artists["main"] = art
            self.panels["main"] = _Panel(
                fig, lambda art=art: [*art["regions"], *art["boundaries"], *art["points"], art["highlight"]],
                overlays=[legend])
        elif st.n_features == 1:
            fig, ax = self._new_figure((6.6, 4.0))
            art = P.plot_probability_curves(
                theta, X, y, ax=ax, feature_name=self.feature_names[0],
                class_names=self.class_names, highlight=hl)
            ax.set_title("probabilities at the current θ · ring = current batch", fontsize="medium", pad=16)
            self.artists["main"] = art
            self.panels["main"] = _Panel(
                fig, lambda art=art: [*art["thresholds"], *art["curves"], *art["threshold_labels"],
                                      *art["points"], art["highlight"]])
        if st.n_classes == 3:
            fig, ax = self._new_figure((4.0, 4.0))
            art = P.plot_simplex(predict_proba(theta, X), y, ax=ax,
                                 class_names=self.class_names, highlight=hl)
            ax.set_title("ŷ of every sample at the current θ", fontsize="medium")
            self.artists["simplex"] = art
            self.panels["simplex"] = _Panel(fig, lambda art=art: [*art["points"], art["highlight"]])
        fig, ax = self._new_figure((5.0, 3.2))
        art = P.plot_loss([], ax=ax, label="batch (before the update)")
        self._train_line = ax.plot([], [], color=P.PALETTE[4], lw=2, ls="--",
                                   label=f"all {st.n_samples} samples (after)")[0]
        ax.legend(fontsize="small", loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2,
                  frameon=False, handlelength=1.6, columnspacing=1.0)
        self._loss_hint = ax.text(0.5, 0.45, "no update yet: press next ▶", transform=ax.transAxes,
                                  ha="center", va="center", color="0.35")
        self.artists["loss"] = art
        self.panels["loss"] = _Panel(fig, lambda art=art: [art["line"], self._train_line, self._loss_hint],
                                     relayout=True)
        self._ymax = self.stepper.train_loss()
        P.update_loss(art, [], ymax=self._ymax)
        for key, panel in self.panels.items():
            panel.full_draw()
            w, h = panel.fig.canvas.get_width_height()
            # fixed pixel size: a flex row must neither stretch nor squeeze the figure
            self.images[key] = W.Image(format="png", layout=W.Layout(
                width=f"{w}px", height=f"{h}px", flex="0 0 auto", align_self="flex-start"))

    def _update_figures(self):
        st = self.stepper
        rec = st.last
        hl = rec.indices if rec is not None else st.next_indices()
        theta, X, y = st.theta, st.X, st.y
        if "main" in self.artists:
            if st.n_features == 2:
                P.update_decision_regions(self.artists["main"], theta, X, highlight=hl)
            else:
                P.update_probability_curves(self.artists["main"], theta, X, y, highlight=hl)
        if "simplex" in self.artists:
            P.update_simplex(self.artists["simplex"], predict_proba(theta, X), y, highlight=hl)
        ax = self.artists["loss"]["ax"]
        limits = (ax.get_xlim(), ax.get_ylim())
        tl = st.train_loss_history
        ymax = max([self._ymax] + ([float(tl.max())] if tl.size else []))
        P.update_loss(self.artists["loss"], st.loss_history, ymax=ymax)
        self._train_line.set_data(np.arange(1, tl.size + 1), tl)
        self._loss_hint.set_visible(tl.size == 0)
        if (ax.get_xlim(), ax.get_ylim()) != limits:
            self.panels["loss"].full_draw()  # new tick labels: redraw the background
        for key, panel in self.panels.items():
            if key != "loss" or (ax.get_xlim(), ax.get_ylim()) == limits:
                panel.fast_draw()
            self.images[key].value = panel.png()

    def snapshot_png(self):
        """One PNG with every panel in its current state (the static rendering)."""
        canvases = [panel.rgba() for panel in self.panels.values()]
        h = max(c.shape[0] for c in canvases)
        padded = [np.pad(c, ((0, h - c.shape[0]), (0, 0), (0, 0)), constant_values=255) for c in canvases]
        return _encode_png(np.concatenate(padded, axis=1))

    # ------------------------------------------------------------ actions
    def _act(self, fn, note=""):
        if self._busy:
            return
        self._busy = True
        try:
            fn()
            self.note.value = note
        except (ValueError, FloatingPointError) as err:
            self.note.value = f"<span style='color:#D55E00'>{html.escape(str(err))}</span>"
        finally:
            self._busy = False
        self.refresh()

    def _next(self):
        pick = self.sample.value
        self.stepper.step(indices=None if pick < 0 else [pick])

    def _back(self):
        self.stepper.back()

    def _reset(self):
        self.stepper.reset()

    def _on_play(self, change):
        if change["new"] > change["old"]:
            self._act(self._next)

    def _on_lr(self, change):
        self.stepper.lr = change["new"]
        self._render_text()

    def _on_mode(self, change):
        st = self.stepper
        self.batch_size.disabled = change["new"] != "mini-batch"
        size = {"stochastic": 1, "full batch": None}.get(change["new"], self.batch_size.value)
        self._act(lambda: setattr(st, "batch_size", size),
                  note="mode changed: training restarted from the starting θ (step 0)")

    def _on_batch_size(self, change):
        if self.mode.value == "mini-batch":
            self._act(lambda: setattr(self.stepper, "batch_size", change["new"]),
                      note="batch size changed: training restarted from the starting θ (step 0)")

    def _on_shuffle(self, change):
        self._act(lambda: setattr(self.stepper, "shuffle", change["new"]))

    def _on_seed(self, change):
        self._act(lambda: setattr(self.stepper, "seed", int(change["new"])))

    # ------------------------------------------------------------- text
    def _sample_options(self):
        st = self.stepper
        opts = [("the next one in order", -1)]
        for i in range(st.n_samples):
            x = ", ".join(f"{v:g}" for v in st.X[i])
            opts.append((f"row {i}: x = ({x}), {self.class_names[st.y[i]]}", i))
        return opts

    def refresh(self):
        """Redraw the panels and rewrite the texts from the stepper's state."""
        self._update_figures()
        self._render_text()
        self.back_button.disabled = self.stepper.step_count == 0

    def _render_text(self):
        st = self.stepper
        rec = st.last
        if rec is None:
            loss_txt = "L = —"
            full = f"loss on all {st.n_samples} samples = {_num(st.train_loss())}"
        else:
            loss_txt = f"L = {_num(rec.loss)}"
            full = f"loss on all {st.n_samples} samples = {_num(rec.train_loss)}"
        self.status.value = (
            "<div style='font-size:1.15em'>"
            f"<b class='sl-step'>step {st.step_count}</b> &nbsp;·&nbsp; {st.mode}"
            f"{'' if st.mode != 'mini-batch' else f' s = {st.batch_size}'} &nbsp;·&nbsp; "
            f"η = {st.lr:.3g} &nbsp;·&nbsp; batch loss <b class='sl-loss'>{loss_txt}</b>"
            f" &nbsp;·&nbsp; {full}</div>"
        )
        self.recipe.value = self._recipe_html()

    def _recipe_html(self):
        st = self.stepper
        rec = st.last
        theta_now = format_matrix(st.theta)
        if rec is None:
            nxt = st.next_indices() if self.sample.value < 0 else np.array([self.sample.value])
            return (
                "<b>Step 0</b>: the starting θ (bias row first)"
                f"<p>$$\\theta = {theta_now}$$</p>"
                f"<p>Press <b>next ▶</b> to run the 5-step recipe on {_rows(nxt)}.</p>"
            )
        cols = rec.indices[:_MAX_COLUMNS]
        more = len(rec.indices) - len(cols)
        s = len(rec.indices)
        Xt = np.column_stack([np.ones(len(cols)), rec.X[:len(cols)]]).T
        labels = ", ".join(f"{int(c)} ({html.escape(self.class_names[int(c)])})" for c in rec.y[:len(cols)])
        shown = "" if more <= 0 else f" (first {len(cols)} of {s} samples shown as columns)"
        mean = "" if s == 1 else r"\frac{1}{" + str(s) + r"}\sum_u"
        loss_formula = (r"L = -\log \hat y_{y}" if s == 1
                        else r"L = -\frac{1}{" + str(s) + r"}\sum_{u} \log \hat y^{(u)}_{y^{(u)}}")
        grad_formula = (r"\mathbf x (\hat{\mathbf y} - \mathbf y)^T" if s == 1 else
                        mean + r" \mathbf x^{(u)} (\hat{\mathbf y}^{(u)} - \mathbf y^{(u)})^T")
        parts = [
            f"<b>Step {rec.step}</b>" + (f" · epoch {rec.epoch + 1}" if rec.epoch is not None else " · picked by hand")
            + f"{shown}",
            f"<p>1) pick: {_rows(rec.indices)}; y = {labels}"
            f"$$\\mathbf{{x}} = {format_matrix(Xt, 2)}$$</p>",
            f"<p>2) $$\\mathbf z = \\theta^T \\mathbf x = {format_matrix(rec.Z[:len(cols)].T)}"
            f"\\quad \\hat{{\\mathbf y}} = \\mathrm{{softmax}}(\\mathbf z) = {format_matrix(rec.P[:len(cols)].T)}$$</p>",
            f"<p>3) $${loss_formula} = {_latex_num(rec.loss)}$$</p>",
            f"<p>4) $$\\frac{{\\partial L}}{{\\partial \\mathbf z}} = \\hat{{\\mathbf y}} - \\mathbf y = "
            f"{format_matrix(rec.dZ[:len(cols)].T)}$$ $$L'_\\theta = {grad_formula} = {format_matrix(rec.grad)}$$</p>",
            f"<p>5) $$\\theta \\leftarrow \\theta - \\eta L'_\\theta = {format_matrix(rec.theta_before)}"
            f" - {rec.lr:.3g}\\,{format_matrix(rec.grad)} = {format_matrix(rec.theta_after)}$$</p>",
        ]
        return "\n".join(parts)

    # ------------------------------------------------------------- display
    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):  # (data, metadata)
            data, meta = bundle
        else:
            data, meta = bundle, {}
        data = dict(data or {})
        data["image/png"] = base64.b64encode(self.snapshot_png()).decode("ascii")
        st = self.stepper
        data["text/plain"] = (
            f"softmax-lab stepper: {st.n_samples} samples, {st.n_features} feature(s), "
            f"{st.n_classes} classes, {st.mode}, lr={st.lr:g}, step {st.step_count}. "
            "(Interactive controls need a running Jupyter kernel; the image shows the current state.)"
        )
        return data, meta


def stepper_widget(stepper, *, feature_names=None, class_names=None, title=None, dpi=96):
    """Build the interactive stepping UI for ``stepper`` (display it as a cell's last line).

    Parameters
    ----------
    stepper : TrainingStepper
        Holds all state; the UI only calls its methods.
    feature_names, class_names : sequence of str, optional
        Axis labels and legend names (e.g. ``d.feature_names``, ``d.target_names``).
    title : str, optional
    dpi : int, default=96
        Resolution of the panel images.

    Returns
    -------
    StepperWidget
        An ``ipywidgets.VBox``: ⏮ reset, ◀ back, next ▶, play/pause with a
        speed, learning-rate (log) slider, mode / batch size / shuffle / seed,
        a sample picker; a status line (step count and loss), the 5-step recipe
        of the last update with its numbers, and the panels: decision regions
        (2 features) or probability curves (1 feature), the simplex (3
        classes), the loss curve.
    """
    return StepperWidget(stepper, feature_names=feature_names, class_names=class_names,
                         title=title, dpi=dpi)
