"""The stepper UI without a browser: build it, click, check state and text.

Expected numbers come from the stepper (the library) or from the deck, never
from the widget itself.
"""

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("ipywidgets")

import ipywidgets as W  # noqa: E402

import softmax_lab as sl  # noqa: E402
from softmax_lab.stepper import TrainingStepper  # noqa: E402
from softmax_lab.widgets import StepperWidget, format_matrix, stepper_widget  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _text(html):
    return re.sub(r"<[^>]+>", "", html).replace("&nbsp;", " ")


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


def test_builds_a_container_with_controls(ui):
    assert isinstance(ui, W.VBox) and isinstance(ui, StepperWidget)
    assert ui.reset_button.description.endswith("reset")
    assert ui.back_button.description.endswith("back")
    assert ui.next_button.description.startswith("next")
    assert isinstance(ui.play, W.Play)
    assert isinstance(ui.lr_slider, W.FloatLogSlider) and ui.lr_slider.value == pytest.approx(0.1)
    assert set(ui.images) == {"main", "simplex", "loss"}
    for img in ui.images.values():
        assert img.value[:8] == PNG_MAGIC
    assert "step 0" in _text(ui.status.value)
    assert ui.back_button.disabled
    # no figure left registered with pyplot (no stray inline output, no leak)
    assert plt.get_fignums() == []


def test_next_shows_the_deck_numbers(ui):
    before = {k: img.value for k, img in ui.images.items()}
    ui.next_button.click()
    st = ui.stepper
    assert st.step_count == 1
    np.testing.assert_array_equal(st.last.indices, [1])  # the deck's sample, row index 1
    status = _text(ui.status.value)
    assert "step 1" in status
    assert f"L = {st.last.loss:.4f}" in status
    # the recipe shows the deck's numbers (z = [0.28, -0.05, 0.02], y_hat_1 = 0.4016...)
    recipe = ui.recipe.value
    for number in ["0.2800", "-0.0500", "0.0200", "0.4016", "0.2887"]:
        assert number in recipe
    assert format_matrix(st.theta) in recipe  # the new theta
    for key in ("simplex", "loss"):  # redrawn (the regions: still all setosa at step 1)
        assert bytes(ui.images[key].value) != bytes(before[key])
    assert not ui.back_button.disabled


def test_back_and_reset_buttons(ui):
    for _ in range(3):
        ui.next_button.click()
    st = ui.stepper
    loss3 = st.last.loss
    theta2 = st.records[1].theta_after.copy()
    assert f"L = {loss3:.4f}" in _text(ui.status.value) and "step 3" in _text(ui.status.value)
    ui.back_button.click()
    assert st.step_count == 2
    np.testing.assert_array_equal(st.theta, theta2)
    assert "step 2" in _text(ui.status.value)
    assert f"L = {st.last.loss:.4f}" in _text(ui.status.value)
    ui.reset_button.click()
    assert st.step_count == 0
    np.testing.assert_array_equal(st.theta, sl.datasets.slide_theta(3))
    assert "step 0" in _text(ui.status.value)
    assert "Step 0" in ui.recipe.value


def test_play_ticks_step(ui):
    ui.play.value += 1
    ui.play.value += 1
    assert ui.stepper.step_count == 2
    main = bytes(ui.images["main"].value)
    ui.lr_slider.value = 5.0
    ui.play.value += 1  # a big step moves the boundaries
    assert bytes(ui.images["main"].value) != main


def test_learning_rate_slider_sets_lr(ui):
    ui.lr_slider.value = 1.0
    assert ui.stepper.lr == pytest.approx(1.0)
    ui.next_button.click()
    assert ui.stepper.last.lr == pytest.approx(1.0)
    assert "η = 1" in _text(ui.status.value)


def test_mode_and_batch_size_controls(ui):
    ui.next_button.click()
    ui.mode.value = "mini-batch"
    st = ui.stepper
    assert st.mode == "mini-batch" and st.step_count == 0  # restarted
    assert not ui.batch_size.disabled
    ui.batch_size.value = 3
    assert st.batch_size == 3
    ui.next_button.click()
    np.testing.assert_array_equal(st.last.indices, [1, 0, 2])  # follows the given order
    assert "mini-batch" in _text(ui.status.value)
    ui.mode.value = "full batch"
    assert st.batch_size == 9 and ui.batch_size.disabled
    ui.next_button.click()
    assert st.last.indices.size == 9
    assert f"L = {sl.cross_entropy(sl.datasets.slide_theta(3), st.X, st.y):.4f}" in _text(ui.status.value)
    ui.mode.value = "stochastic"
    assert st.batch_size == 1


def test_sample_picker_and_seed(iris9):
    d = iris9
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), shuffle=True, seed=0)
    ui = stepper_widget(st)
    ui.sample.value = 6
    ui.next_button.click()
    np.testing.assert_array_equal(st.last.indices, [6])
    assert "picked by hand" in ui.recipe.value
    ui.sample.value = -1
    ui.seed.value = 5
    assert st.seed == 5 and st.step_count == 0
    ui.next_button.click()
    expected = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(3), shuffle=True, seed=5)
    np.testing.assert_array_equal(st.last.indices, expected.step().indices)


def test_error_is_shown_not_raised(iris9):
    d = iris9
    st = TrainingStepper(d.data * 1e150, d.target, sl.datasets.slide_theta(3), lr=1e200, batch_size=None)
    ui = stepper_widget(st)
    with np.errstate(all="ignore"):
        ui.next_button.click()
    assert st.step_count == 0
    assert "learning rate" in ui.note.value or "theta" in ui.note.value


def test_one_feature_two_classes_shows_probability_curves():
    d = sl.datasets.load_slide_table("petal_2class")
    st = TrainingStepper(d.data, d.target, sl.datasets.slide_theta(2), lr=0.1)
    ui = stepper_widget(st, feature_names=d.feature_names, class_names=d.target_names)
    assert set(ui.images) == {"main", "loss"}  # no simplex for 2 classes
    assert "curves" in ui.artists["main"]
    ui.next_button.click()
    # the deck's one-example update: theta -> [[0.138, 0.011], [0.253, -0.153]] (truncated)
    for number in ["0.1385", "0.0115", "0.2538", "-0.1538"]:
        assert number in ui.recipe.value


def test_four_features_no_region_panel():
    d = sl.datasets.load_slide_table("iris9_4features")
    theta = np.zeros((5, 3))
    ui = stepper_widget(TrainingStepper(d.data, d.target, theta))
    assert set(ui.images) == {"simplex", "loss"}
    ui.next_button.click()
    assert ui.stepper.step_count == 1


def test_display_bundle_has_static_png_and_stable_text(ui):
    data, _meta = ui._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert base64.b64decode(data["image/png"])[:8] == PNG_MAGIC
    text = data["text/plain"]
    assert "step 0" in text and "0x" not in text
    ui2_text = stepper_widget(ui.stepper)._repr_mimebundle_()[0]["text/plain"]
    assert ui2_text == text  # deterministic (nbval compares it)


def test_rejects_non_stepper():
    with pytest.raises(TypeError, match="TrainingStepper"):
        stepper_widget(object())
