"""Plotting helpers: draw on the ax given, return their artists, leak no figure,
one distinct marker per class, and the boundaries sit where the model's argmax
changes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

import softmax_lab as sl  # noqa: E402
from softmax_lab import plotting as P  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def iris9():
    d = sl.datasets.load_slide_table("iris9_petal")
    return d.data, d.target


@pytest.fixture
def trained9(iris9):
    X, y = iris9
    return sl.fit(X, y, sl.datasets.slide_theta(3), lr=0.5, epochs=300, shuffle=False).theta


def _marker_of(collection):
    return collection.get_paths()[0].vertices.round(6).tobytes()


def test_palette_and_markers():
    assert len(set(P.PALETTE)) == len(P.PALETTE) == 8
    assert len(set(P.MARKERS)) == len(P.MARKERS) >= 10
    assert P.class_colors(10)[8] == P.PALETTE[0]  # colours cycle...
    assert len(set(P.class_markers(10))) == 10  # ...markers never do
    with pytest.raises(ValueError, match="markers"):
        P.class_markers(11)


# -------------------------------------------------------------- decision regions
def test_decision_regions_draws_on_given_ax(iris9, trained9):
    X, y = iris9
    fig, ax = plt.subplots()
    n_figs = len(plt.get_fignums())
    art = P.plot_decision_regions(trained9, X, y, ax=ax, feature_names=["petal length", "petal width"],
                                  class_names=["setosa", "versicolor", "virginica"], highlight=[1])
    assert len(plt.get_fignums()) == n_figs  # no new figure
    assert art["ax"] is ax
    assert len(art["regions"]) == 3 and all(p.axes is ax for p in art["regions"])
    assert len(art["boundaries"]) == 3 and all(isinstance(b, Line2D) for b in art["boundaries"])
    assert len(art["points"]) == 3 and all(isinstance(p, PathCollection) for p in art["points"])
    # one marker shape per class, all different
    assert len({_marker_of(p) for p in art["points"]}) == 3
    # every sample drawn once, at its own place
    drawn = np.concatenate([p.get_offsets() for p in art["points"]])
    assert drawn.shape == (9, 2)
    np.testing.assert_allclose(art["highlight"].get_offsets(), X[[1]])
    assert ax.get_xlabel() == "petal length"
    assert [t.get_text() for t in ax.get_legend().get_texts()][:3] == ["setosa", "versicolor", "virginica"]


def test_decision_regions_creates_one_constrained_figure_without_ax(iris9):
    X, y = iris9
    art = P.plot_decision_regions(sl.datasets.slide_theta(3), X, y)
    fig = art["ax"].figure
    assert plt.get_fignums() == [fig.number]
    assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"


def test_boundaries_and_polygons_agree_with_predict(iris9, trained9):
    X, _ = iris9
    xlim, ylim = (0.5, 6.5), (-0.5, 2.7)
    segs = P.decision_boundaries(trained9, xlim, ylim)
    assert any(s is not None for s in segs.values())
    for (a, b), seg in segs.items():
        if seg is None:
            continue
        # midpoint of a boundary: classes a and b tie and beat every other class
        mid = seg.mean(0)
        Z = sl.logits(trained9, mid[None])[0]
        assert Z[a] == pytest.approx(Z[b], abs=1e-9)
        assert Z[a] >= Z.max() - 1e-9
    # every grid point lies in the polygon of the class predict() gives it
    from matplotlib.path import Path

    polys = P.decision_polygons(trained9, xlim, ylim)
    xx, yy, Pg = P.decision_grid(trained9, xlim=xlim, ylim=ylim, resolution=41)
    pts = np.column_stack([xx.ravel(), yy.ravel()])
    pred = Pg.argmax(-1).ravel()
    for c, poly in enumerate(polys):
        if len(poly) == 0:
            assert not (pred == c).any()
            continue
        inside = Path(poly).contains_points(pts, radius=1e-9) | Path(poly[::-1]).contains_points(pts, radius=1e-9)
        margin = np.sort(sl.logits(trained9, pts), axis=1)
        clear = margin[:, -1] - margin[:, -2] > 1e-3  # skip points on a boundary
        assert (inside[clear] == (pred[clear] == c)).all()
    area = sum(0.5 * abs(np.dot(p[:, 0], np.roll(p[:, 1], 1)) - np.dot(p[:, 1], np.roll(p[:, 0], 1)))
               for p in polys if len(p))
    assert area == pytest.approx((xlim[1] - xlim[0]) * (ylim[1] - ylim[0]), rel=1e-9)


def test_update_decision_regions_moves_artists_in_place(iris9, trained9):
    X, y = iris9
    art = P.plot_decision_regions(sl.datasets.slide_theta(3), X, y, highlight=0)
    ids = [id(p) for p in art["regions"]] + [id(b) for b in art["boundaries"]]
    before = [b.get_xydata().copy() for b in art["boundaries"]]
    P.update_decision_regions(art, trained9, X, highlight=[0, 3, 6])
    assert ids == [id(p) for p in art["regions"]] + [id(b) for b in art["boundaries"]]
    after = [b.get_xydata() for b in art["boundaries"]]
    assert any(a.shape != b.shape or not np.allclose(a, b) for a, b in zip(before, after))
    np.testing.assert_allclose(art["highlight"].get_offsets(), X[[0, 3, 6]])


def test_grid_method_and_bad_input(iris9):
    X, y = iris9
    art = P.plot_decision_regions(sl.datasets.slide_theta(3), X, y, method="grid", resolution=30)
    assert art["regions"].get_array().shape == (30, 30)
    with pytest.raises(ValueError, match="shape"):
        P.plot_decision_regions(sl.datasets.slide_theta(3), X[:, :1], y)
    with pytest.raises(ValueError, match="method"):
        P.plot_decision_regions(sl.datasets.slide_theta(3), X, y, method="contour")


# ------------------------------------------------------------ probability curves
def test_probability_curves_and_threshold():
    d = sl.datasets.load_slide_table("petal_2class")
    theta = sl.fit(d.data, d.target, sl.datasets.slide_theta(2), lr=0.5, epochs=500,
                   shuffle=False).theta
    fig, ax = plt.subplots()
    art = P.plot_probability_curves(theta, d.data, d.target, ax=ax, feature_name="petal length",
                                    highlight=0)
    assert art["ax"] is ax
    assert len(art["curves"]) == 2
    # the curves are the model's probabilities
    x = art["curves"][0].get_xdata()
    np.testing.assert_allclose(art["curves"][0].get_ydata(), sl.predict_proba(theta, x[:, None])[:, 0])
    # one threshold where the two logits are equal, between the classes' data
    assert len(art["thresholds"]) == 1
    xt = art["thresholds"][0].get_xdata()[0]
    z = sl.logits(theta, [[xt]])[0]
    assert z[0] == pytest.approx(z[1], abs=1e-9)
    assert 1.5 < xt < 4.1
    assert f"{xt:.2f}" in art["threshold_labels"][0].get_text()
    assert len({_marker_of(p) for p in art["points"]}) == 2
    # points sit at the probability of their own class
    off = art["points"][1].get_offsets()
    np.testing.assert_allclose(off[:, 1], sl.predict_proba(theta, off[:, :1])[:, 1])


def test_probability_curves_threshold_off_view_is_announced():
    # slide theta: z1 = z2 at x = -0.05 / 0.3 = -0.1667, left of the petal data
    d = sl.datasets.load_slide_table("petal_2class")
    art = P.plot_probability_curves(sl.datasets.slide_theta(2), d.data, d.target)
    assert art["thresholds"] == []
    assert "-0.17" in art["threshold_labels"][0].get_text()
    assert "off view" in art["threshold_labels"][0].get_text()


def test_probability_curves_three_classes_two_thresholds():
    d = sl.datasets.load_slide_table("petal_3class")
    theta = sl.fit(d.data, d.target, np.zeros((2, 3)), lr=0.5, epochs=2000, shuffle=False).theta
    art = P.plot_probability_curves(theta, d.data, d.target, points_at="axis")
    assert len(art["thresholds"]) == 2
    assert (np.concatenate([p.get_offsets()[:, 1] for p in art["points"]]) == 0).all()


# ----------------------------------------------------------------------- simplex
def test_simplex(iris9):
    X, y = iris9
    Pr = sl.predict_proba(sl.datasets.slide_theta(3), X)
    fig, ax = plt.subplots()
    art = P.plot_simplex(Pr, y, ax=ax, class_names=["setosa", "versicolor", "virginica"], highlight=1)
    assert art["ax"] is ax
    assert len({_marker_of(p) for p in art["points"]}) == 3
    # barycentric map: vertices go to the corners, the centre to the centroid
    V = P.simplex_coordinates(np.eye(3))
    np.testing.assert_allclose(V, [[0, 0], [1, 0], [0.5, np.sqrt(3) / 2]])
    np.testing.assert_allclose(P.simplex_coordinates([[1 / 3] * 3]), [V.mean(0)])
    np.testing.assert_allclose(art["points"][0].get_offsets(), P.simplex_coordinates(Pr[y == 0]))
    np.testing.assert_allclose(art["highlight"].get_offsets(), P.simplex_coordinates(Pr[[1]]))
    texts = " ".join(t.get_text() for t in art["vertex_labels"])
    assert all(name in texts for name in ["setosa", "versicolor", "virginica"])
    P.update_simplex(art, np.eye(3)[y], y)
    np.testing.assert_allclose(art["points"][2].get_offsets(), [V[2]] * 3)
    with pytest.raises(ValueError, match="three classes"):
        P.plot_simplex(np.full((2, 4), 0.25))


# -------------------------------------------------------------------------- loss
def test_plot_loss_and_update():
    fig, ax = plt.subplots()
    art = P.plot_loss([1.3, 1.1, 0.9], ax=ax, label="train")
    assert art["ax"] is ax and art["line"] in ax.lines
    np.testing.assert_allclose(art["line"].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "update"
    assert ax.get_ylim()[1] >= 1.3
    P.update_loss(art, np.linspace(2.0, 0.1, 25))
    assert ax.get_xlim()[1] >= 25 and ax.get_ylim()[1] >= 2.0
    assert ax.get_ylim()[0] == 0


def test_lecture_style_is_scoped():
    base = matplotlib.rcParams["font.size"]
    with P.lecture_style():
        assert matplotlib.rcParams["font.size"] > base
    assert matplotlib.rcParams["font.size"] == base


def test_import_softmax_lab_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, softmax_lab; print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _legend_texts(ax):
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def test_highlight_ring_is_in_the_legend_only_when_something_is_highlighted():
    theta = sl.datasets.slide_theta(3)
    d = sl.datasets.load_slide_table("iris9_petal")
    fig, (a, b, c) = plt.subplots(1, 3)
    try:
        P.plot_decision_regions(theta, d.data, d.target, ax=a)
        P.plot_decision_regions(theta, d.data, d.target, ax=b, highlight=[1])
        P.plot_decision_regions(theta, d.data, d.target, ax=c, highlight=[0, 3, 6])
        for ax in (a, b, c):
            ax.legend()
        assert not {"current sample", "current batch"} & set(_legend_texts(a))
        assert "current sample" in _legend_texts(b)
        assert "current batch" in _legend_texts(c)  # several rings: a mini-batch, not "sample"
    finally:
        plt.close(fig)


def test_loss_axes_cover_every_curve_drawn_on_them():
    fig, ax = plt.subplots()
    try:
        long = P.plot_loss(np.linspace(3.0, 1.0, 300), ax=ax, label="stochastic", color="C0")
        short = P.plot_loss([2.0, 1.5, 1.2], ax=ax, label="batch", color="C1", linestyle="--")
        x_lo, x_hi = ax.get_xlim()
        assert x_hi >= 300, "the short curve drawn last must not clip the long one"
        assert ax.get_ylim()[1] >= 3.0
        assert long["line"].get_color() != short["line"].get_color()
        assert short["line"].get_linestyle() == "--"
    finally:
        plt.close(fig)


# -------------------------------------------------------------- display objects
def test_display_objects_plot_then_update(iris9, trained9):
    X, y = iris9
    fig, ax = plt.subplots()
    disp = P.RegionsDisplay(sl.datasets.slide_theta(3), X, y, highlight=[1])
    assert disp.ax is None  # computed and checked, nothing drawn yet
    assert disp.plot(ax) is disp and disp.ax is ax
    before = [p.get_xy().copy() for p in disp.regions]
    assert disp.update(trained9, highlight=[4]) is disp
    assert any(b.shape != p.get_xy().shape or not np.allclose(b, p.get_xy())
               for b, p in zip(before, disp.regions))
    np.testing.assert_allclose(disp.highlight.get_offsets(), X[[4]])
    # older code reads the artists by name
    assert disp["highlight"] is disp.highlight and disp["ax"] is ax
    with pytest.raises(KeyError, match="has no 'line'"):
        disp["line"]
    with pytest.raises(RuntimeError, match="plot"):
        P.RegionsDisplay(trained9, X, y).update(trained9)


def test_simplex_and_loss_displays_update(iris9, trained9):
    X, y = iris9
    Pr = sl.predict_proba(trained9, X)
    disp = P.SimplexDisplay(sl.predict_proba(sl.datasets.slide_theta(3), X), y).plot()
    disp.update_theta(trained9, X, highlight=[0])
    np.testing.assert_allclose(np.concatenate([p.get_offsets() for p in disp.points]),
                               P.simplex_coordinates(Pr)[np.argsort(y, kind="stable")])
    loss = P.LossDisplay([2.0, 1.0]).plot()
    loss.update([3.0, 2.0, 1.0])
    assert loss.line.get_xdata().tolist() == [1, 2, 3] and loss.ax.get_ylim()[1] >= 3.0


# -------------------------------------------------------------- bad input: refused, never drawn wrongly
@pytest.mark.parametrize("labels, match", [
    ([1, 1, 1, 2, 2, 2, 3, 3, 3], "1-based"),           # the slides' labels
    ([0, 0, 0.5, 1, 1, 1, 2, 2, 2], "integer class labels"),
    ([0, 0, 0, 1, 1, 1, 2, 2, 7], "label 7"),
    ([0, 1, 2], "3 labels but X has 9 samples"),        # wrong length (was an IndexError)
])
def test_bad_labels_are_refused(iris9, labels, match):
    X, _ = iris9
    theta = sl.datasets.slide_theta(3)
    with pytest.raises(ValueError, match=match):
        P.plot_decision_regions(theta, X, labels)
    with pytest.raises(ValueError, match=match):
        P.plot_simplex(sl.predict_proba(theta, X), labels)


def test_bad_highlight_is_refused(iris9):
    """highlight follows the package's one rule for a row index (as TrainingStepper.step does)."""
    X, y = iris9
    theta = sl.datasets.slide_theta(3)
    with pytest.raises(ValueError, match=r"highlight holds the row index 99, but X has rows 0..8"):
        P.plot_decision_regions(theta, X, y, highlight=99)
    with pytest.raises(ValueError, match=r"row index -10, but X has rows 0..8"):
        P.plot_simplex(sl.predict_proba(theta, X), y, highlight=[-10])
    with pytest.raises(TypeError, match="highlight"):
        P.plot_decision_regions(theta, X, y, highlight=1.5)
    disp = P.plot_decision_regions(theta, X, y)
    with pytest.raises(ValueError, match="row index 9"):
        disp.update(theta, highlight=[9])
    # -1 is the last row, as in Python and in stepper.step([-1])
    last = P.plot_decision_regions(theta, X, y, highlight=-1)
    assert last.highlight.get_offsets().tolist() == [X[-1].tolist()]


def test_non_finite_loss_history_is_refused_with_the_update():
    with pytest.raises(ValueError, match=r"loss at update 3 is nan .* losses\[:2\]"):
        P.plot_loss([1.0, 0.5, np.nan, 0.2])
    disp = P.plot_loss([1.0, 0.5])
    with pytest.raises(ValueError, match="update 2 is inf"):
        disp.update([1.0, np.inf])


def test_curves_refuse_bad_labels_and_names():
    d = sl.datasets.load_slide_table("petal_2class")
    theta = sl.datasets.slide_theta(2)
    with pytest.raises(ValueError, match="1-based"):
        P.plot_probability_curves(theta, d.data, d.target + 1)
    with pytest.raises(ValueError, match="2 class names for 3 classes|3 class names for 2 classes"):
        P.plot_probability_curves(theta, d.data, d.target, class_names=["a", "b", "c"])


# --------------------------------------------------------------------------- #
# alt text: each display says what it shows now (softmax_lab.alt.describe)
# --------------------------------------------------------------------------- #
from softmax_lab.alt import alt_text, check_alt, descriptions  # noqa: E402


def test_regions_say_how_much_of_the_view_each_class_covers_and_where_the_ring_is():
    # two classes split by the vertical line x1 = 2 (θ_1 − θ_0 = [-2, 1, 0]); the view is
    # x1 in [0, 4] (data 0.5..3.5 padded by 0.5): each class covers half, class 1 on the right
    theta = np.array([[0.0, -2.0], [0.0, 1.0], [0.0, 0.0]])
    X = np.array([[0.5, 0.0], [1.5, 1.0], [2.5, 0.0], [3.5, 1.0]])
    y = np.array([0, 1, 1, 1])
    disp = P.RegionsDisplay(theta, X, y, class_names=["left", "right"], highlight=1).plot()
    (text,) = descriptions(disp.ax)
    assert "left (class 0) covers 50 %" in text and "right (class 1) covers 50 %" in text
    assert "right (class 1) covers 50 %, centred at the right" in text
    assert "3 of 4 samples lie in the region of their own class" in text  # row 1 (x1 = 1.5) is on the left
    assert "ringed sample (row 1) at (1.5, 1) is a right (class 1) sample, in the left region" in text
    # after an update, the panel's sentence is replaced (one sentence per panel), not added
    disp.update(np.array([[0.0, -9.0], [0.0, 1.0], [0.0, 0.0]]), highlight=[0, 2])
    (text,) = descriptions(disp.ax)
    assert "all of the view is left (class 0)" in text and "right wins nowhere" in text
    assert "2 samples of the current batch are ringed; 1 of them lie" in text
    check_alt(text)


def test_grid_regions_give_the_same_shares_as_the_exact_polygons(iris9, trained9):
    X, y = iris9
    exact = descriptions(P.RegionsDisplay(trained9, X, y).plot().ax)[0]
    grid = descriptions(P.RegionsDisplay(trained9, X, y, method="grid", resolution=300).plot().ax)[0]
    share = lambda s, c: int(s.split(f"class {c} covers ")[1].split(" %")[0])  # noqa: E731
    for c in range(3):
        assert abs(share(exact, c) - share(grid, c)) <= 1, (exact, grid)


def test_curves_name_the_thresholds_and_the_ringed_sample():
    # z_1 − z_0 = −4 + 2x: class 1 wins above x = 2
    theta = np.array([[0.0, -4.0], [0.0, 2.0]])
    X = np.array([1.0, 3.0]); y = np.array([0, 1])
    disp = P.CurvesDisplay(theta, X, y, class_names=["short", "long"], feature_name="length (cm)",
                           highlight=1).plot()
    text = descriptions(disp.ax)[0]
    assert "short is the most probable below length (cm) = 2.00" in text and "long above 2.00" in text
    p_own = sl.predict_proba(theta, np.array([[3.0]]))[0, 1]  # softmax of [0, 2] = 0.881
    assert f"probability {p_own:.2f} of its own class" in text and "0.88" in text
    assert "2 of them have their own class as the most probable" in text
    disp.update(np.array([[0.0, -40.0], [0.0, 2.0]]))  # threshold at x = 20, off the view
    assert "short (class 0) is the most probable over the whole view" in descriptions(disp.ax)[0]


def test_simplex_says_where_the_points_sit():
    Pr = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    disp = P.SimplexDisplay(Pr, np.array([0, 1, 2, 1]), class_names=["a", "b", "c"], highlight=2).plot()
    text = descriptions(disp.ax)[0]
    assert "2 points sit in the a part, 1 point sits in the b part and 1 point sits in the c part" in text
    assert "3 of 4 points sit in the part of their own class" in text
    assert "mean probability of the true class is 0.62" in text  # (0.8 + 0.7 + 0.7 + 0.3) / 4 = 0.625
    assert "ringed sample (row 2) is at ŷ = (0.10, 0.20, 0.70)" in text


def test_loss_gives_first_last_lowest_and_count_for_each_curve_on_one_ax():
    fig, ax = plt.subplots()
    P.plot_loss([1.0, 0.5, 0.25, 0.3], ax=ax, label="batch")
    P.plot_loss([2.0, 1.5], ax=ax, label="stochastic")
    texts = descriptions(fig)
    assert texts[0] == ("batch: loss (cross-entropy) of each of 4 updates: falls from 1.000 to 0.300, "
                        "lowest 0.250 at update 3.")
    assert texts[1].startswith("stochastic: loss (cross-entropy) of each of 2 updates: falls from 2.000 to 1.500")
    whole = alt_text(fig, "Two training modes from the same start")
    assert whole.startswith("Two training modes from the same start. batch: loss")


def test_labels_in_tex_are_read_as_words():
    disp = P.plot_probability_curves(np.array([[0.0, -4.0], [0.0, 2.0]]), feature_name=r"$x_1$ (cm)")
    text = descriptions(disp.ax)[0]
    assert "$" not in text and "\\" not in text and "x1 (cm)" in text


@pytest.mark.parametrize("kind", ["regions", "simplex", "curves"])
def test_the_ring_legend_follows_the_count_after_an_update(kind, iris9):
    """One ring is "current sample", several "current batch", in the drawn legend too."""
    X, y = iris9
    theta = sl.datasets.slide_theta(3)
    if kind == "regions":
        disp = P.plot_decision_regions(theta, X, y, highlight=[0])
    elif kind == "simplex":
        disp = P.plot_simplex(sl.predict_proba(theta, X), y, highlight=[0])
    else:
        X1 = X[:, :1]
        theta1 = np.vstack([theta[0], theta[1]])
        disp = P.plot_probability_curves(theta1, X1, y, highlight=[0])
    disp.ax.legend()
    texts = lambda: [t.get_text() for t in disp.ax.get_legend().get_texts()]
    assert "current sample" in texts() and "current batch" not in texts()
    if kind == "simplex":
        disp.update(sl.predict_proba(theta, X), highlight=[0, 3, 6])
    elif kind == "curves":
        disp.update(theta1, highlight=[0, 3, 6])
    else:
        disp.update(theta, highlight=[0, 3, 6])
    assert "current batch" in texts() and "current sample" not in texts()
    assert disp.highlight.get_label() == "current batch"
