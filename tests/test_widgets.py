"""The stepper UI without a browser: build it, press its buttons, set its
controls, check the stepper's state and what the browser would be sent.

Expected numbers come from the stepper (the library) or from the deck, never
from the widget itself.  The drawing itself is checked in a real browser
(tests/test_browser.py).
"""

import base64
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import traitlets  # noqa: E402

pytest.importorskip("anywidget")

import softmax_lab as sl  # noqa: E402
from softmax_lab import frame  # noqa: E402
from softmax_lab.still import KERNEL_NOTE  # noqa: E402
from softmax_lab.stepper import TrainingStepper  # noqa: E402
from softmax_lab.widgets import StepperWidget, stepper_widget  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _text(html):
    return re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ")


def _numbers(html):
    return re.sub(r"\s+", " ", _text(html)).replace("−", "-")


@pytest.fixture
def iris9():
    return sl.datasets.load_slide_table("iris9_petal")


@pytest.fixture
def ui(iris9):
    d = iris9
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1,
                         order=[1, 0, 2, 3, 4, 5, 6, 7, 8])
    return stepper_widget(st, feature_names=d.feature_names, class_names=d.target_names,
                          title="3 classes, stochastic")


def _message(ui, **content):
    """What the browser sends (model.send) arrives here."""
    ui._on_msg(ui, content, [])


def test_builds_one_front_end_widget_with_all_panels(ui):
    assert isinstance(ui, StepperWidget)
    assert ui.static["panels"] == ["main", "simplex", "loss"]
    assert ui.static["kind"] == "regions"
    assert ui.static["class_names"] == ["setosa", "versicolor", "virginica"]
    assert ui.frame["step"] == 0 and "step 0" in _text(ui.frame["status_html"])
    frame.validate(ui.static, "static")
    frame.validate(ui.frame)
    # the frame is small JSON (no images): what one click sends
    assert len(json.dumps(ui.frame)) < 20_000
    assert plt.get_fignums() == []  # no figure left registered with pyplot


def test_next_shows_the_deck_numbers(ui):
    before = ui.frame
    ui.press("next")
    st = ui.stepper
    assert st.step_count == 1
    np.testing.assert_array_equal(st.last.indices, [1])  # the deck's sample, row index 1
    status = _text(ui.frame["status_html"])
    assert "step 1" in status and f"L = {st.last.loss:.4f}" in status
    recipe = _numbers(ui.frame["recipe_html"])
    # the deck: z = [0.28, -0.05, 0.02], y_hat = 0.4016 0.2887 0.3096 (truncated on the slide)
    for number in ["0.2800", "-0.0500", "0.0200", "0.4016", "0.2887"]:
        assert number in recipe
    for row in st.theta:  # the new theta, row by row, in step 5
        assert " ".join(f"{v:.4f}" for v in row).replace("-0.0000", "0.0000") in recipe
    assert ui.frame["main"]["highlight"] == [1]
    assert ui.frame["simplex"]["S"] != before["simplex"]["S"]  # the points moved
    assert ui.frame["loss"]["batch"] == [pytest.approx(st.last.loss, abs=1e-5)]


def test_geometry_is_the_models(ui):
    ui.press("next")
    st = ui.stepper
    P = sl.predict_proba(st.theta, st.X)
    S = np.array(ui.frame["simplex"]["S"])
    np.testing.assert_allclose(S[:, 0], P[:, 1] + 0.5 * P[:, 2], atol=6e-5)
    np.testing.assert_allclose(S[:, 1], np.sqrt(3) / 2 * P[:, 2], atol=6e-5)
    # every vertex of class c's polygon is a point where class c wins (or ties)
    for c, poly in enumerate(ui.frame["main"]["polygons"]):
        for x in poly:
            z = st.theta[0] + np.asarray(x) @ st.theta[1:]
            assert z[c] >= z.max() - 1e-4


def test_back_and_reset(ui):
    for _ in range(3):
        ui.press("next")
    st = ui.stepper
    theta2 = st.records[1].theta_after.copy()
    ui.press("back")
    assert st.step_count == 2 and ui.frame["step"] == 2
    np.testing.assert_array_equal(st.theta, theta2)
    assert f"L = {st.last.loss:.4f}" in _text(ui.frame["status_html"])
    ui.press("reset")
    assert st.step_count == 0
    np.testing.assert_array_equal(st.theta, sl.datasets.slide_theta(3))
    assert "Step 0" in ui.frame["recipe_html"]
    with pytest.raises(ValueError, match="press takes one of"):
        ui.press("forward")


def test_browser_messages_and_pause_goes_back_to_the_step_on_screen(ui):
    _message(ui, event="press", name="next", seq=1)
    assert ui.stepper.step_count == 1 and ui.frame["seq"] == 1
    for seq in (2, 3, 4):  # play: requests answered one by one
        _message(ui, event="play", count=1, seq=seq)
        assert ui.frame["play"] and ui.frame["seq"] == seq
    # pause pressed while step 3 was on screen and the request for step 4 in flight
    _message(ui, event="pause", step=3, seq=5)
    assert ui.stepper.step_count == 3 and ui.frame["step"] == 3 and not ui.frame["play"]
    expected = _expected_run(3)
    np.testing.assert_array_equal(ui.stepper.theta, expected.theta)


def _shown(frame):
    """What a frame puts on screen (without the message bookkeeping)."""
    return {k: v for k, v in frame.items() if k not in ("seq", "play", "ahead", "behind", "then", "earlier")}


@pytest.mark.parametrize("mode", ["stochastic", "mini-batch", "full batch"])
def test_look_ahead_frames_are_what_next_and_back_then_show(iris9, mode):
    """The browser paints ``ahead`` / ``behind`` at the click; the answer must be identical
    (same key, same content), at every step, across epoch boundaries, after a hand pick."""
    d = iris9
    ui = stepper_widget(TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.2))
    ui.mode = mode
    assert "behind" not in ui.frame  # step 0: nothing to go back to (the button is disabled)
    then = ui.frame["ahead"]["then"]
    assert then["step"] == 2
    for k in range(1, 12):
        if k == 7:
            ui.sample = 4
        ahead = ui.frame["ahead"]
        ui.press("next")
        assert ui.frame["step"] == k and ui.frame["key"] == ahead["key"]
        assert _shown(ui.frame) == _shown(ahead)
        if k != 7:  # (the hand pick changed what comes after)
            assert _shown(ui.frame["ahead"]) == _shown(then)  # play's second step, sent a click earlier
        then = ui.frame["ahead"]["then"]
    for k in range(10, 6, -1):
        behind = ui.frame["behind"]
        ui.press("back")
        assert ui.frame["step"] == k and _shown(ui.frame) == _shown(behind)
    # a different picture has a different key: the browser repaints when they differ
    assert ui.frame["key"] != ui.frame["ahead"]["key"] != ui.frame["behind"]["key"]


def test_no_look_ahead_during_play_or_past_a_divergence(ui, iris9):
    _message(ui, event="play", count=1, seq=1)
    assert "ahead" not in ui.frame and "behind" not in ui.frame  # play: one frame per answer
    _message(ui, event="pause", step=1, seq=2)
    assert "ahead" in ui.frame and "behind" in ui.frame
    d = iris9
    st = TrainingStepper(d.data * 1e150, d.target, sl.datasets.slide_theta(3), lr=1e200, batch_size=None)
    with np.errstate(all="ignore"):
        bad = stepper_widget(st)
    assert "ahead" not in bad.frame  # the click waits for the kernel, which shows the error


def test_play_asks_for_several_steps_per_message(ui, iris9):
    _message(ui, event="play", count=4, seq=7)
    assert ui.stepper.step_count == 4 and ui.frame["play"] and ui.frame["seq"] == 7
    assert [f["step"] for f in ui.frame["earlier"]] + [ui.frame["step"]] == [1, 2, 3, 4]
    # each frame is the one a single click would have shown (the keys agree)
    clicks = stepper_widget(TrainingStepper(iris9.data, iris9.target, sl.datasets.slide_theta(3), lr=0.1,
                                            order=[1, 0, 2, 3, 4, 5, 6, 7, 8]),
                            feature_names=iris9.feature_names, class_names=iris9.target_names,
                            title="3 classes, stochastic")
    for f in ui.frame["earlier"] + [ui.frame]:
        clicks.press("next")
        assert _shown(clicks.frame) == _shown(f)
    # a step that fails ends the chunk on the frame that says why
    d = iris9
    st = TrainingStepper(d.data * 1e150, d.target, sl.datasets.slide_theta(3), lr=1e200, batch_size=None)
    with np.errstate(all="ignore"):
        bad = stepper_widget(st)
    with np.errstate(all="ignore"):
        _message(bad, event="play", count=4, seq=1)
    assert bad.frame["error"] and bad.frame["step"] == bad.stepper.step_count < 4


def _expected_run(n):
    d = sl.datasets.load_slide_table("iris9_petal")
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1, order=[1, 0, 2, 3, 4, 5, 6, 7, 8])
    st.run(n)
    return st


def test_learning_rate_shows_the_real_value(ui):
    ui.set_state({"lr": 1.0})  # what the browser does when the slider moves
    assert ui.stepper.lr == pytest.approx(1.0)
    ui.press("next")
    assert ui.stepper.last.lr == pytest.approx(1.0) and "η = 1" in _text(ui.frame["status_html"])
    # beyond the slider (issue 11: the old widget showed 10 for lr = 100)
    ui.set_state({"lr": 100})
    assert ui.stepper.lr == 100 and ui.lr == 100
    assert "beyond the slider" in ui.frame["controls"]["lr_note"]
    # refused (by _validation.as_lr): the stepper and the trait keep their value, the note says why
    for bad in (-3, "abc", None):
        ui.set_state({"lr": bad})
        assert ui.stepper.lr == 100 and ui.lr == 100
        assert ui.frame["error"] and "lr (the learning rate)" in _text(ui.frame["note_html"])
    # from Python the same rule raises
    with pytest.raises(traitlets.TraitError, match="lr"):
        ui.lr = 0.0


def test_seed_control_never_breaks_the_stepper(iris9):
    d = iris9
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), shuffle=True,
                         seed=np.random.default_rng(3))
    ui = stepper_widget(st)
    # a Generator given in code is shown as such, not as seed 0
    assert ui.frame["controls"]["seed_text"] == "Generator" and ui.seed is None
    ui.set_state({"seed": -1})  # issue 11: this used to leave every later reset raising
    assert ui.frame["error"] and "seed" in _text(ui.frame["note_html"])
    ui.press("reset")
    ui.press("next")
    assert st.step_count == 1
    ui.set_state({"seed": 5})
    assert st.seed == 5 and ui.seed == 5 and st.step_count == 0 and ui.frame["controls"]["seed_text"] == "5"
    ui.press("next")
    expected = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), shuffle=True, seed=5)
    np.testing.assert_array_equal(st.last.indices, expected.step().indices)
    ui.set_state({"seed": None})
    assert st.seed is None and ui.frame["controls"]["seed_text"] == ""
    ui.set_state({"seed": 1.5})
    assert st.seed is None and ui.frame["error"] and "seed must be a whole number" in _text(ui.frame["note_html"])


def test_minibatch_turns_shuffle_on_so_batches_mix_classes(ui):
    st = ui.stepper
    ui.press("next")
    ui.set_state({"mode": "mini-batch"})
    assert st.mode == "mini-batch" and st.step_count == 0 and st.shuffle
    assert "shuffle switched on" in _text(ui.frame["note_html"])
    assert ui.shuffle and ui.batch_size == 3 and ui.mode == "mini-batch"
    classes_per_batch = []
    for _ in range(3):  # one epoch of 3 batches of 3
        ui.press("next")
        classes_per_batch.append(len(set(st.last.y.tolist())))
    assert max(classes_per_batch) > 1  # not every batch is one class (the fixed order's problem)
    # unticking shuffle gives the notebook's fixed order back
    ui.set_state({"shuffle": False})
    assert not st.shuffle and st.order.tolist() == [1, 0, 2, 3, 4, 5, 6, 7, 8]
    ui.set_state({"batch_size": 4})
    assert st.batch_size == 4
    ui.set_state({"mode": "full batch"})
    assert ui.batch_size == 9
    ui.press("next")
    assert st.last.indices.size == 9
    assert f"L = {sl.cross_entropy(sl.datasets.slide_theta(3), st.X, st.y):.4f}" in _text(ui.frame["status_html"])
    ui.set_state({"mode": "stochastic"})
    assert st.batch_size == 1 and ui.batch_size == 1


def test_sample_picker(iris9):
    d = iris9
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3))
    ui = stepper_widget(st)
    ui.set_state({"sample": 6})
    ui.press("next")
    np.testing.assert_array_equal(st.last.indices, [6])
    assert "picked by hand" in ui.frame["recipe_html"]
    ui.set_state({"sample": 99})
    assert ui.frame["error"] and "sample must be &lt;= 8" in ui.frame["note_html"] and ui.sample == 6


def test_error_is_shown_not_raised(iris9):
    d = iris9
    st = TrainingStepper(d.data * 1e150, d.target, sl.datasets.slide_theta(3), lr=1e200, batch_size=None)
    ui = stepper_widget(st)
    with np.errstate(all="ignore"):
        ui.press("next")
    assert st.step_count == 0
    assert ui.frame["error"]  # play stops on it
    assert "learning rate" in ui.frame["note_html"] or "theta" in ui.frame["note_html"]


def test_one_feature_two_classes_shows_probability_curves():
    d = sl.datasets.load_slide_table("petal_2class")
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(2), lr=0.1)
    ui = stepper_widget(st, feature_names=d.feature_names, class_names=d.target_names)
    assert ui.static["panels"] == ["main", "loss"] and ui.static["kind"] == "curves"
    ui.press("next")
    # the deck's one-example update: theta -> [[0.138, 0.011], [0.253, -0.153]] (truncated)
    recipe = _numbers(ui.frame["recipe_html"])
    for number in ["0.1385", "0.0115", "0.2538", "-0.1538"]:
        assert number in recipe
    curves = np.array(ui.frame["main"]["curves"])
    np.testing.assert_allclose(curves.sum(0), 1.0, atol=2e-4)  # probabilities at every x


def test_four_features_no_region_panel():
    d = sl.datasets.load_slide_table("iris9_4features")
    ui = stepper_widget(TrainingStepper(d.data, d.target, np.zeros((5, 3))))
    assert ui.static["panels"] == ["simplex", "loss"]
    ui.press("next")
    assert ui.stepper.step_count == 1


def test_display_bundle_has_still_png_and_stable_text(ui):
    data, _meta = ui._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    png = base64.b64decode(data["image/png"])
    assert png[:8] == PNG_MAGIC
    text = data["text/plain"]
    assert "step 0" in text and text.endswith(KERNEL_NOTE) and "0x" not in text
    # the picture's alt text is the frame description's, stored where nbconvert and the site read it
    assert _meta["image/png"]["alt"] == ui.describe()["alt"] == text[: -len(KERNEL_NOTE) - 1]
    again = stepper_widget(ui.stepper, feature_names=ui.feature_names,
                           class_names=ui.class_names)._repr_mimebundle_()[0]
    assert again["text/plain"] == text  # deterministic (nbval compares it)
    assert base64.b64decode(again["image/png"]) == png  # and so is the picture


def test_presentation_option(iris9):
    d = iris9
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3))
    assert stepper_widget(st, presentation=True).presentation is True
    assert stepper_widget(st).presentation is False


def test_rejects_bad_arguments(iris9):
    with pytest.raises(TypeError, match="TrainingStepper"):
        stepper_widget(object())
    d = iris9
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3))
    with pytest.raises(ValueError, match="class names for 3 classes"):
        stepper_widget(st, class_names=["a", "b"])
    with pytest.raises(ValueError, match="feature_names needs 2 names"):
        stepper_widget(st, feature_names=["only one"])


def test_import_without_the_extras_names_the_extra():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('anywidget', 'ipywidgets', 'matplotlib'):\n"
        "            raise ImportError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "for mod in ('softmax_lab.plotting', 'softmax_lab.widgets'):\n"
        "    try:\n"
        "        __import__(mod)\n"
        "    except ImportError as err:\n"
        "        print(mod, '->', err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert len(lines) == 2, out
    for line in lines:
        assert 'pip install "softmax-lab[lab]"' in line, line


# ------------------------------------------------------------------ the frame contract
def _steppers(iris9):
    d = iris9
    yield "regions", TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1), d
    d2 = sl.datasets.load_slide_table("petal_2class")
    yield "curves", TrainingStepper(d2.data, d2.target, sl.datasets.slide_theta(2), lr=0.1), d2
    d4 = sl.datasets.load_slide_table("iris9_4features")
    yield "none", TrainingStepper(d4.data, d4.target, np.zeros((5, 3))), d4


@pytest.mark.parametrize("mode", ["stochastic", "mini-batch", "full batch"])
def test_every_frame_follows_the_contract(iris9, mode):
    for kind, st, d in _steppers(iris9):
        ui = stepper_widget(st, feature_names=d.feature_names, class_names=d.target_names)
        frame.validate(ui.static, "static")
        assert ui.static["kind"] == (None if kind == "none" else kind)
        ui.set_state({"mode": mode})
        for _ in range(4):
            frame.validate(ui.frame)  # with its look-ahead frames
            ui.press("next")
        _message(ui, event="play", count=3, seq=9)
        frame.validate(ui.frame)  # play's answer, with `earlier`
        ui.set_state({"lr": -1})
        frame.validate(ui.frame)  # an error frame
        frame.validate({**ui.describe(), "key": "-"})  # the full description (its key is made for the wire)
    with pytest.raises(ValueError, match="'expect' .*not in the contract|fields \\['expect'\\]"):
        frame.validate({**ui.frame, "expect": 3})


def test_a_click_sends_what_changed_not_the_whole_history():
    """The loss history is not resent per click: the frame's size does not grow with the steps."""
    iris = sl.datasets.load_iris()
    st = TrainingStepper(iris.data[:, 2:], iris.target, sl.datasets.slide_theta(3), lr=0.1, batch_size=1)
    ui = stepper_widget(st, feature_names=iris.feature_names[2:], class_names=iris.target_names)
    def loss_bytes(fr):  # the loss parts of a click's frame and its look-ahead frames
        frames = [fr, fr["ahead"], fr["ahead"]["then"], fr["behind"]]
        return sum(len(json.dumps(f["loss"])) for f in frames)

    for _ in range(20):
        ui.press("next")
    early = loss_bytes(ui.frame)
    for _ in range(580):
        st.step()
    ui.press("next")
    late = loss_bytes(ui.frame)
    assert st.step_count == 601 and len(ui.frame["loss"]["batch"]) == 1
    assert late - early < 100, (early, late)  # a few digits more, not 601 values × 4 frames
    assert len(json.dumps(ui.frame)) < 32_000  # what one click sends, look-ahead included
    # the whole history is one message away, for a view that lacks it
    sent = []
    ui.send = sent.append
    _message(ui, event="history", seq=5)
    assert sent[0]["event"] == "history" and sent[0]["seq"] == 5
    np.testing.assert_allclose(sent[0]["batch"], st.history.loss, atol=1e-5)
    np.testing.assert_allclose(sent[0]["train"], st.train_loss_history, atol=1e-5)
    assert sent[0]["hashes"][-1] == ui.frame["loss"]["hashes"][-1]


def test_loss_hashes_chain_the_history(ui):
    for _ in range(3):
        ui.press("next")
    h = ui.frame["loss"]["hashes"][-1]
    ui.press("back")
    assert ui.frame["loss"]["n"] == 2 and ui.frame["loss"]["start"] == 1
    ui.press("next")
    assert ui.frame["loss"]["hashes"][-1] == h  # the same values: the same hash
    ui.press("back")
    ui.lr = 0.7
    ui.press("next")
    assert ui.frame["loss"]["hashes"][-1] != h  # another third step: another history


def test_the_node_fixture_is_what_python_makes_now():
    """tests/js/ runs the JavaScript on frames Python made; they must be today's frames."""
    path = Path(__file__).with_name("js") / "fixtures" / "frames.json"
    stored, now = json.loads(path.read_text(encoding="utf-8")), json.loads(frame.fixtures_json())
    stale = "tests/js/fixtures/frames.json is stale: run python -m softmax_lab.frame tests/js/fixtures/frames.json"

    def same(a, b, where="fixture"):  # words and shapes exactly; numbers to 1e-4 (numpy versions round alike)
        if isinstance(a, dict) and isinstance(b, dict):
            assert sorted(a) == sorted(b), f"{stale} ({where}: keys differ)"
            for k in a:
                same(a[k], b[k], f"{where}.{k}")
        elif isinstance(a, list) and isinstance(b, list):
            assert len(a) == len(b), f"{stale} ({where}: lengths differ)"
            for i, (x, y) in enumerate(zip(a, b)):
                same(x, y, f"{where}[{i}]")
        elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
            assert b == pytest.approx(a, abs=1e-4), f"{stale} ({where}: {a} != {b})"
        elif where.endswith((".key", ".base", ".hashes")) or ".hashes[" in where or ".history.hashes" in where:
            pass  # digests of the numbers: equal when the numbers are, otherwise checked above
        else:
            assert a == b, f"{stale} ({where}: {a!r} != {b!r})"

    same(stored, now)


def test_the_javascript_bundle_is_one_module_node_can_import(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    bundle = tmp_path / "stepper.mjs"
    bundle.write_text(StepperWidget._esm, encoding="utf-8")
    out = subprocess.run([node, "--input-type=module", "-e",
                          f"import m from {json.dumps(bundle.as_uri())}; console.log(typeof m.render)"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "function", out.stderr
    assert "import " not in "".join(l for l in StepperWidget._esm.splitlines() if l.startswith("import "))


# ------------------------------------------------------------------ words: ring, recipe, still
def test_the_ring_label_follows_the_mode(iris9):
    d = iris9
    ui = stepper_widget(TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), lr=0.1))
    assert ui.frame["main"]["title"].endswith("ring = next sample")
    ui.press("next")
    assert ui.frame["main"]["title"].endswith("ring = current sample")
    assert ui.frame["main"]["legend"][-1][:2] == ["current sample", "ring"]
    ui.mode = "mini-batch"
    assert ui.frame["main"]["title"].endswith("ring = next batch")
    ui.press("next")
    assert ui.frame["main"]["title"].endswith("ring = current batch") and len(ui.frame["main"]["highlight"]) == 3
    ui.sample = 4  # a hand pick is one sample, in any mode
    ui.press("next")
    assert ui.frame["main"]["title"].endswith("ring = current sample") and ui.frame["main"]["highlight"] == [4]
    ui.sample = -1
    ui.mode = "full batch"
    ui.press("next")
    assert ui.frame["main"]["title"].endswith("ring = current batch") and len(ui.frame["main"]["highlight"]) == 9
    assert "ring (current batch)" in ui.frame["main"]["aria"]


def test_recipe_has_real_superscripts(ui):
    ui.press("next")
    recipe = ui.frame["recipe_html"]
    assert "θᵀ<b>x</b>" in recipe and "(ŷ − <b>y</b>)ᵀ" in recipe
    assert "<sup>T</sup>" not in recipe and " T " not in _text(recipe)
    # the still prints the same recipe under its panels
    from softmax_lab.stepper_still import still_figure

    fig = still_figure(ui.static, ui.describe())
    printed = "\n".join(t.get_text() for sub in fig.subfigs for t in sub.texts)
    assert "z = θᵀx = [0.2800, −0.0500, 0.0200]" in printed and "∇L = x(ŷ − y)ᵀ = " in printed
    assert " T " not in printed
    ui.mode = "mini-batch"
    ui.press("next")
    assert "(ŷ⁽ⁱ⁾ − <b>y</b>⁽ⁱ⁾)ᵀ" in ui.frame["recipe_html"] and "<sup>T</sup>" not in ui.frame["recipe_html"]
    assert any("x⁽ⁱ⁾(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)ᵀ" in line for line in ui.describe()["recipe_lines"])


def _still_words(fig):
    out = []
    for ax in fig.axes:
        legend = ax.get_legend()
        out.append({"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                    "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
                    "texts": [t.get_text() for t in ax.texts]})
    return out


def test_the_still_draws_the_frame_description(ui):
    from softmax_lab.stepper_still import still_figure

    for _ in range(2):
        ui.press("next")
    desc = ui.describe()
    words = _still_words(still_figure(ui.static, desc))
    for w, key in zip(words, ui.static["panels"]):
        p = desc[key]
        assert w["title"] == p.get("title", "")
        assert w["legend"] == ([] if key == "simplex" else [item[0] for item in p["legend"]])
        if "xlabel" in p:
            assert (w["xlabel"], w["ylabel"]) == (p["xlabel"], p["ylabel"])
    simplex = words[ui.static["panels"].index("simplex")]
    assert any("ŷ₂ = 1" in t and "virginica" in t for t in simplex["texts"])
    # the still's history is whole (the wire frame carries only the last value)
    assert len(desc["loss"]["batch"]) == 2 and desc["loss"]["start"] == 0


def test_threshold_labels_off_view_in_both_renderers():
    from softmax_lab.stepper_still import still_figure

    d = sl.datasets.load_slide_table("petal_2class")
    theta = [[5.0, 0.0], [0.1, 0.0]]  # class 0 wins on the whole view; the threshold is at x = -50
    ui = stepper_widget(TrainingStepper(d.data, d.target, theta, lr=0.1), class_names=d.target_names)
    labels = ui.frame["main"]["threshold_labels"]
    assert labels == [[None, "← threshold x = −50.00 (off view)", "left"]]
    assert ui.frame["main"]["thresholds"] == []
    words = _still_words(still_figure(ui.static, ui.describe()))
    assert labels[0][1] in words[0]["texts"]
    ui2 = stepper_widget(TrainingStepper(d.data, d.target, [[-3.0, 3.0], [1.0, -1.0]], lr=0.1))
    (x0, text, align), = ui2.frame["main"]["threshold_labels"]
    assert x0 == pytest.approx(3.0) and text == "threshold x = 3.00" and align == "center"
    assert text in _still_words(still_figure(ui2.static, ui2.describe()))[0]["texts"]


def test_the_still_png_is_a_picture_of_the_state(ui, tmp_path):
    png = ui.snapshot_png()
    assert png[:8] == PNG_MAGIC
    ui.press("next")
    assert ui.snapshot_png() != png  # the picture moved with the step
    from matplotlib.image import imread

    path = tmp_path / "still.png"
    path.write_bytes(png)
    img = imread(path)
    assert img.shape[0] > 300 and img.shape[1] > 1000


# ------------------------------------------------------------------ controls as traits
def test_controls_are_traits_python_can_observe_and_link(ui):
    class Knob(traitlets.HasTraits):
        value = traitlets.Float(0.1)

    knob = Knob()
    seen = []
    ui.observe(lambda change: seen.append(change["new"]), names="lr")
    link = traitlets.link((knob, "value"), (ui, "lr"))
    knob.value = 0.25
    assert ui.lr == 0.25 and ui.stepper.lr == 0.25 and seen[-1] == 0.25
    link.unlink()
    # a stepper changed in code shows its real values at the next action
    ui.stepper.lr = 0.3
    ui.press("next")
    assert ui.lr == 0.3 and ui.stepper.last.lr == 0.3
    # the traits are synced: a saved notebook's widget state keeps them
    state = ui.get_state()
    for name in ("lr", "mode", "batch_size", "shuffle", "seed", "sample", "interval_ms", "presentation"):
        assert name in state
    with pytest.raises(traitlets.TraitError, match="mode must be one of"):
        ui.mode = "batch"
    with pytest.raises(traitlets.TraitError, match="interval_ms must be >= 10"):
        ui.interval_ms = 0


def test_the_widget_wires_one_still_function():
    """StepperWidget and WithStill store a still the same way (one function, still.with_still)."""
    import inspect

    from softmax_lab import still, widgets

    assert "with_still(" in inspect.getsource(widgets.StepperWidget._repr_mimebundle_)
    assert "with_still(" in inspect.getsource(still.WithStill._repr_mimebundle_)
    assert "b64encode" not in inspect.getsource(widgets)


# ------------------------------------------------------------------ control names in the lessons
SYMBOLS = "▶◀↺❚■⏸⏹⏯⏮⏭"
CONTROL_WORDS = {"play", "pause", "stop", "next", "back", "reset", "speed", "ms / step", "learning rate",
                 "learning rate η", "mode", "s", "s =", "shuffle", "shuffle each epoch", "seed", "next sample",
                 "presentation", "sample", "slider", ""}


def _stepper_paragraphs(root=Path(__file__).resolve().parents[1]):
    sources = [(p.name, "".join(c["source"]))
               for p in sorted((root / "notebooks").glob("*.ipynb"))
               for c in json.loads(p.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown"]
    sources.append(("docs/teaching.md", (root / "docs" / "teaching.md").read_text(encoding="utf-8")))
    for where, text in sources:
        for para in re.split(r"\n\s*\n", text):
            if re.search(r"stepper|widget|[▶◀↺]", para, re.I):
                yield where, para


def test_every_control_a_lesson_or_the_teaching_guide_names_exists():
    problems = control_name_problems(_stepper_paragraphs())
    assert not problems, ("controls named in the lessons must exist in the widget (labels: "
                          + ", ".join(frame.CONTROL_LABELS.values()) + "):\n" + "\n".join(problems))


def control_name_problems(paragraphs):
    """What the lessons call a control that the widget does not have (symbols, emphasised names, a speed slider)."""
    labels = list(frame.CONTROL_LABELS.values())
    words = {re.sub(f"[{SYMBOLS}=]", "", label).strip().lower() for label in labels}
    problems = []
    for where, para in paragraphs:
        for ch in set(para) & set(SYMBOLS):
            if not any(ch in label for label in labels):
                problems.append(f"{where}: symbol {ch!r} is on no control ({labels})")
        # emphasised names: **next ▶**, *pause*, **▶** ...
        for m in re.finditer(r"(\*\*|(?<![*\w])\*(?![*\s]))(\S(?:.*?\S)?)\1", para):
            span = m.group(2).strip()
            bare = re.sub(f"[{SYMBOLS}]", "", span).strip().lower()
            if bare not in CONTROL_WORDS:
                continue  # not a control's name
            ok = (span.lower() in (label.lower() for label in labels) or bare in words
                  or (not bare and all(ch in "".join(labels) for ch in span if ch in SYMBOLS)))
            if not ok:
                problems.append(f"{where}: names the control {span!r}, which the widget does not have")
        if re.search(r"speed[^.;,]*\bslider|\bslider[^.;,]*\bspeed", para):
            problems.append(f"{where}: the speed is a menu ({frame.CONTROL_LABELS['speed']}), not a slider")
    return problems


def test_the_control_name_check_catches_a_control_the_widget_lacks():
    bad = [("x", "The stepper: **▶** (play) / **■** (stop) and **ms / step**, at the speed the slider sets; *stop*.")]
    found = "\n".join(control_name_problems(bad))
    assert "'■'" in found and "'stop'" in found and "not a slider" in found
    good = [("x", "The stepper: **next ▶**, **◀ back**, **▶ play** / **❚❚ pause**, the speed menu (**ms / step**), "
                  "**s =**, *pause*, **Stop and ask:** …")]
    assert control_name_problems(good) == []


def test_control_labels_reach_the_browser(ui):
    assert ui.static["labels"] == frame.CONTROL_LABELS
    assert ui.static["speeds"] == list(frame.SPEEDS_MS) and ui.static["play_ahead"] == frame.PLAY_AHEAD
