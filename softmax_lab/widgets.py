r"""Interactive stepping UI for a :class:`~softmax_lab.stepper.TrainingStepper`.

Wiring only: all state lives in the stepper; this module turns the browser's
messages into ``stepper.step() / back() / reset()`` calls, keeps the controls
(synced traits) and the stepper in agreement, and sends what to show.  What is
shown is described by :mod:`softmax_lab.frame` (the contract between Python
and the browser is written there, once); the still picture is drawn from the
same description by :mod:`softmax_lab.stepper_still`.

>>> import softmax_lab as sl
>>> from softmax_lab.stepper import TrainingStepper
>>> from softmax_lab.widgets import stepper_widget
>>> d = sl.datasets.load_slide_table("iris9_petal")
>>> st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1)
>>> ui = stepper_widget(st, feature_names=d.feature_names, class_names=d.target_names)
>>> ui.press("next"); st.step_count
1
>>> ui.lr = 0.5           # a control is a trait: Python can set, observe and link it
>>> st.lr, ui.frame["step"]
(0.5, 1)
>>> ui.batch_size = 0
Traceback (most recent call last):
...
traitlets.traitlets.TraitError: batch_size must be >= 1, got 0; pass e.g. batch_size=1 (stochastic), a number up to n_samples=9, or None (full batch).

Design (chosen from bench/click_to_paint.py's measurement, see bench/RESULTS.md)
-------------------------------------------------------------------------------
* One front-end widget (anywidget: pip-only, runs in JupyterLab 4, Notebook 7,
  VS Code and Colab).  The browser draws the panels on canvases at the
  screen's pixel ratio from the frame Python sends per click (texts formatted
  here, geometry from :mod:`softmax_lab.plotting`); no PNG per step, no math
  typesetting.
* The round trip through the Jupyter server is taken off the click: a frame
  sent outside play also carries ``ahead`` and ``behind``, the frames of the
  next and the previous step, made by the stepper itself
  (:meth:`TrainingStepper.preview`).  A click paints one of them at once; the
  kernel's answer replaces it unless its ``key`` is the same.
* Play runs the kernel at most ``frame.PLAY_AHEAD`` steps ahead of the screen
  and paints on a fixed clock in the browser; pause sends the step on screen
  and the stepper goes back to exactly that step.
* The keyboard drives it too: Tab reaches every control, ← / → are back /
  next and space is play / pause while the widget has the focus, and a live
  region announces each step to a screen reader.
* The output also carries a still PNG and its alt text, both from the frame
  description, for views without a kernel (:func:`softmax_lab.still.with_still`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

try:
    import anywidget
    import traitlets as T
except ImportError as _err:  # the core needs numpy only; the widget needs the `lab` extra
    raise ImportError(
        f"softmax_lab.widgets needs {_err.name or 'anywidget, ipywidgets and matplotlib'}, which is "
        'not installed here; install the notebook extras with: pip install "softmax-lab[lab]"'
    ) from _err

from . import _validation as V
from . import plotting as plots
from .frame import MODES, PLAY_CHUNK, FrameMaker, make_static
from .still import with_still
from .stepper import TrainingStepper

__all__ = ["stepper_widget", "StepperWidget", "esm_bundle"]

_STATIC = Path(__file__).with_name("static")
#: The browser half, in dependency order: pure modules first (node --test imports them), the widget last.
JS_MODULES = ("stepper_contract.js", "stepper_layout.js", "stepper_draw.js", "stepper_keys.js", "stepper.js")
_RESTARTED = "training restarted from the starting θ (step 0)"


def esm_bundle(modules=JS_MODULES, folder=_STATIC):
    """The browser half as ONE ES module (anywidget loads one): the files joined in order.

    Each file is an ES module of its own (``node --test tests/js/`` imports them);
    here their ``import … from "./…"`` lines go and ``export`` becomes a plain
    declaration, except the last file's ``export default``.
    """
    parts = []
    for name in modules:
        lines = []
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("import ") and ' from "./' in line:
                continue
            if line.startswith("export ") and not line.startswith("export default"):
                line = line[len("export "):]
            lines.append(line)
        parts.append(f"// ---- {name}\n" + "\n".join(lines))
    return "\n".join(parts) + "\n"


def _checked(check):
    """A trait validator from one of softmax_lab._validation's checks (its message, as a TraitError)."""
    def validate(self, proposal):
        try:
            return check(self, proposal.value)
        except (TypeError, ValueError) as err:
            raise T.TraitError(str(err)) from None
    return validate


def _check_seed(_self, value):
    seed = V.as_seed(value)
    if seed is not None and not isinstance(seed, int):
        raise TypeError("the seed control holds a whole number >= 0 or None (a Generator stays in the stepper: "
                        "stepper.seed = np.random.default_rng(0)).")
    return seed


def _check_mode(_self, value):
    if value not in [m for _, m in MODES]:
        raise ValueError(f"mode must be one of stochastic, mini-batch, full batch; got {value!r}.")
    return value


class _Controls(anywidget.AnyWidget):
    """The controls as synced traits, checked by the package's validators, kept equal to the stepper.

    Setting one (from Python or the browser) changes the stepper; a value the
    validators or the stepper refuse leaves both as they were and the note
    says why.  :meth:`_pull` copies the stepper's values back (after every
    action, so a stepper changed in code shows its real values).
    """

    lr = T.Any(0.1).tag(sync=True)
    mode = T.Any("stochastic").tag(sync=True)
    batch_size = T.Any(1).tag(sync=True)
    shuffle = T.Any(False).tag(sync=True)
    seed = T.Any(None).tag(sync=True)
    sample = T.Any(-1).tag(sync=True)
    interval_ms = T.Any(400).tag(sync=True)
    presentation = T.Any(False).tag(sync=True)

    _lr = T.validate("lr")(_checked(lambda self, v: V.as_lr(v)))
    _mode = T.validate("mode")(_checked(_check_mode))
    _batch_size = T.validate("batch_size")(_checked(lambda self, v: V.as_batch_size(v, self.stepper.n_samples)))
    _shuffle = T.validate("shuffle")(_checked(lambda self, v: V.as_bool(v, "shuffle")))
    _seed = T.validate("seed")(_checked(_check_seed))
    _sample = T.validate("sample")(_checked(
        lambda self, v: V.as_int(v, "sample", minimum=-1, maximum=self.stepper.n_samples - 1,
                                 example="sample=-1 (the next one in order) or a row index")))
    _interval = T.validate("interval_ms")(_checked(
        lambda self, v: V.as_int(v, "interval_ms", minimum=10, maximum=60_000, example="interval_ms=400")))
    _presentation = T.validate("presentation")(_checked(lambda self, v: V.as_bool(v, "presentation")))

    def _pull(self):
        """Copy the stepper's values into the traits (without acting on them)."""
        st = self.stepper
        self._pulling = True
        try:
            with self.hold_sync():
                self.lr, self.mode, self.batch_size = float(st.lr), st.mode, int(st.batch_size)
                self.shuffle = bool(st.shuffle)
                self.seed = st.seed if st.seed is None or isinstance(st.seed, int) else None
                self.sample = self._sample_pick
        finally:
            self._pulling = False

    @T.observe("lr", "mode", "batch_size", "shuffle", "seed", "sample")
    def _on_control(self, change):
        if self._pulling:
            return
        act = {"lr": self._set_lr, "mode": self._set_mode, "batch_size": self._set_batch_size,
               "shuffle": self._set_shuffle, "seed": self._set_seed, "sample": self._set_sample}
        self._act(lambda: act[change["name"]](change["new"]))
        self.refresh()

    def set_state(self, sync_data):
        """The browser set traits: a refused value is put back in the browser and the note says why."""
        try:
            super().set_state(sync_data)
        except T.TraitError as err:
            self._note, self._error = str(err), True
            self.send_state(list(sync_data))
            self.refresh()

    # what each control does to the stepper (the stepper checks the value again)
    def _set_lr(self, value):
        self.stepper.lr = value

    def _set_mode(self, mode):
        st = self.stepper
        note = f"mode changed: {_RESTARTED}"
        if mode == "stochastic":
            st.batch_size = 1
        elif mode == "full batch":
            st.batch_size = None
        elif st.mode != "mini-batch":
            st.batch_size = min(3, max(st.n_samples - 1, 1))
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
        if value != self.stepper.batch_size:
            self.stepper.batch_size = value
            return f"batch size changed: {_RESTARTED}"

    def _set_shuffle(self, on):
        st = self.stepper
        if on == st.shuffle:
            return None
        if on:
            self._shuffle_on()
            return f"shuffle on (seed {st.seed}): {_RESTARTED}"
        st.shuffle = False
        if self._fixed_order is not None:
            st.order = self._fixed_order
        return f"shuffle off: {_RESTARTED}"

    def _set_seed(self, value):
        self.stepper.seed = value
        return f"seed changed: {_RESTARTED}"

    def _set_sample(self, value):
        self._sample_pick = value


class StepperWidget(_Controls):
    """The stepping UI; build it with :func:`stepper_widget`.

    Python side: :meth:`press` (``"next"``, ``"back"``, ``"reset"``) does what
    the buttons do; the controls are traits (``lr``, ``mode``, ``batch_size``,
    ``shuffle``, ``seed``, ``sample``, ``interval_ms``, ``presentation``);
    ``frame`` is what the browser shows and ``static`` what does not change
    (both described in :mod:`softmax_lab.frame`).
    """

    _esm = esm_bundle()
    _css = (_STATIC / "stepper.css").read_text(encoding="utf-8")
    static = T.Dict().tag(sync=True)
    frame = T.Dict().tag(sync=True)

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
        self._sample_pick = -1
        self._note, self._error, self._pulling = "", False, True
        self._static = make_static(st, self.class_names, self.feature_names, title or "")
        self._maker = FrameMaker(st, self._static)
        super().__init__(static=self._static, presentation=V.as_bool(presentation, "presentation"),
                         lr=float(st.lr), mode=st.mode, batch_size=int(st.batch_size), shuffle=bool(st.shuffle))
        self._pull()
        self.on_msg(self._on_msg)
        self.refresh()

    # ------------------------------------------------------------ the step protocol
    def press(self, name, *, _seq=0):
        """Do what a button does: ``"next"``, ``"back"`` or ``"reset"``; then show the result."""
        actions = {"next": self._next, "back": self.stepper.back, "reset": self.stepper.reset}
        if name not in actions:
            raise ValueError(f"press takes one of {sorted(actions)}, got {name!r}.")
        self._act(actions[name])
        self.refresh(seq=_seq)

    def _play(self, count, seq):
        """Play asks for up to PLAY_CHUNK steps in one message; the answer is the last step's frame
        with the ones before it in ``earlier``.  A step that fails ends the run there (its frame
        says why, and the browser stops playing on it)."""
        frames = []
        for _ in range(max(1, min(count, PLAY_CHUNK))):
            self._act(self._next)
            frames.append(self._wire())
            if self._error:
                break
        frame = frames[-1]
        frame.update(earlier=frames[:-1], seq=seq, play=True)
        self.frame = frame

    def _pause(self, target, seq):
        st = self.stepper
        target = V.as_int(target, "step", minimum=0)
        while st.step_count > target:
            st.back()
        self._note, self._error = "", False
        self.refresh(seq=seq)

    def _on_msg(self, _widget, content, _buffers):
        event, seq = content.get("event"), int(content.get("seq", 0))
        if event == "press":
            self.press(content.get("name"), _seq=seq)
        elif event == "play":
            self._play(int(content.get("count", 1)), seq)
        elif event == "pause":
            self._pause(content.get("step", self.stepper.step_count), seq)
        elif event == "history":
            self.send({**self._maker.history_message(), "seq": seq})

    def _act(self, fn):
        self._note, self._error = "", False
        try:
            note = fn()
            self._note = note if isinstance(note, str) else ""
        except (ValueError, TypeError, FloatingPointError) as err:
            self._note, self._error = str(err), True
        self._pull()

    def _next(self):
        pick = self._sample_pick
        self.stepper.step(indices=None if pick < 0 else [pick])

    # ------------------------------------------------------------- frames
    def _wire(self, note=None, error=None):
        return self._maker.wire(note=self._note if note is None else note,
                                error=self._error if error is None else error, sample=self._sample_pick)

    def refresh(self, *, seq=0):
        """Send the stepper's state to the browser, with the look-ahead frames.

        ``ahead`` and ``behind`` are the frames of the next and the previous
        step, made by the stepper itself (``TrainingStepper.preview``, which
        restores its state exactly); ``ahead["then"]`` is the step after that
        (play's second step).
        """
        self._pull()
        frame = self._wire()
        st = self.stepper
        nxt = ("next", None if self._sample_pick < 0 else [self._sample_pick])
        with st.preview(nxt) as moved:
            if moved:
                frame["ahead"] = self._wire("", False)
                with st.preview(nxt) as moved:  # play's second step is due one interval after the click
                    if moved:
                        frame["ahead"]["then"] = self._wire("", False)
        with st.preview("back") as moved:
            if moved:
                frame["behind"] = self._wire("", False)
        frame.update(seq=seq, play=False)
        self.frame = frame

    # ------------------------------------------------------------- still picture
    def describe(self):
        """The full frame description of the state now (what the still draws; loss history whole)."""
        return self._maker.describe(note=self._note, error=self._error, sample=self._sample_pick)

    def snapshot_png(self):
        """One PNG with every panel in its current state (the picture for views without a kernel)."""
        from .stepper_still import still_png

        return still_png(self._static, self.describe(), dpi=self.dpi)

    def still_text(self):
        """The still's alt text: what every panel shows now, from the frame description."""
        return self.describe()["alt"]

    def _repr_mimebundle_(self, **kwargs):
        from .stepper_still import still_png

        desc = self.describe()
        return with_still(super()._repr_mimebundle_(**kwargs), still_png(self._static, desc, dpi=self.dpi),
                          desc["alt"])


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
        ↺ reset, ◀ back, next ▶, ▶ play / ❚❚ pause with a speed menu (ms / step),
        presentation, the learning rate η (log slider and the exact value),
        mode / s / shuffle each epoch / seed, next sample; a status line, the
        5-step recipe of the last update with its numbers, and the panels:
        decision regions (2 features) or probability curves (1 feature), the
        simplex (3 classes), the loss curve.  Exact labels:
        :data:`softmax_lab.frame.CONTROL_LABELS`.
    """
    return StepperWidget(stepper, feature_names=feature_names, class_names=class_names, title=title,
                         presentation=presentation, dpi=dpi)
