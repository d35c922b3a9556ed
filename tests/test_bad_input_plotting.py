"""Hostile inputs to softmax_lab.plotting: a correct picture, or an error that names the
argument, the problem and the fix. One test per class of bad input:

1. θ scaled by a huge or tiny factor: the regions, boundaries and thresholds are those
   of θ itself (argmax z does not change with a positive factor);
2. simplex points that are not probability rows (outside the triangle, logits,
   complex, masked);
3. loss histories that are not losses (negative, complex, 2-D, masked, a scalar);
4. view settings that make no view (negative or NaN padding, a fractional
   resolution, an empty range);
5. ``ymax`` that is not a number > 0 (NaN, negative, text).
"""

from __future__ import annotations

from itertools import combinations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import softmax_lab as sl  # noqa: E402
from softmax_lab import plotting as P  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _theta(seed, k):
    return np.random.default_rng(seed).normal(size=(3, k))


# ------------------------------------------------------------------ 1. scale of θ
@pytest.mark.parametrize("scale", [1e300, 1e-16, 1e-150])
@pytest.mark.parametrize("seed,k", [(0, 3), (5, 4), (7, 3), (11, 5)])
def test_regions_and_boundaries_do_not_change_with_the_scale_of_theta(iris9, scale, seed, k):
    X, _ = iris9
    theta = _theta(seed, k)
    xlim, ylim = (X[:, 0].min() - 0.5, X[:, 0].max() + 0.5), (X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
    ref = P.decision_boundaries(theta, xlim, ylim)
    got = P.decision_boundaries(theta * scale, xlim, ylim)
    assert set(got) == set(ref)
    for pair in combinations(range(k), 2):
        assert (got[pair] is None) == (ref[pair] is None), (pair, got[pair], ref[pair])
        if got[pair] is not None:
            assert np.isfinite(got[pair]).all()
            np.testing.assert_allclose(got[pair], ref[pair], rtol=1e-9, atol=1e-9)
            # independent of the code: along the segment the pair ties and beats every other class
            a, b = pair
            for t in (0.1, 0.5, 0.9):
                p = got[pair][0] + t * (got[pair][1] - got[pair][0])
                z = theta[0] + p @ theta[1:]
                assert z[a] == pytest.approx(z[b], abs=1e-9 * np.abs(z).max())
                assert z[a] >= np.delete(z, [a, b]).max(initial=-np.inf) - 1e-9 * np.abs(z).max()
    for poly_ref, poly in zip(P.decision_polygons(theta, xlim, ylim), P.decision_polygons(theta * scale, xlim, ylim)):
        assert poly.shape == poly_ref.shape and np.isfinite(poly).all()
        np.testing.assert_allclose(poly, poly_ref, rtol=1e-9, atol=1e-9)

    disp = P.RegionsDisplay(theta * scale, X).plot()
    drawn = [line.get_xydata() for line in disp.boundaries]
    for line, pair in zip(drawn, combinations(range(k), 2)):
        if ref[pair] is None:
            assert len(line) == 0
        else:
            assert np.isfinite(line).all()
            np.testing.assert_allclose(line, ref[pair], rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("scale", [1e300, 1e-16, 1e-150])
def test_probability_thresholds_do_not_change_with_the_scale_of_theta(scale):
    theta = np.array([[4.0, 1.0, -3.0], [-1.0, 0.0, 1.0]])  # z = b + w x: crossings at x = 3 and x = 4
    got = P.probability_thresholds(theta * scale, (0.0, 7.0))
    assert [(round(x, 9), a, c) for x, a, c in got] == [(3.0, 0, 1), (4.0, 1, 2)]


# ------------------------------------------------------------------ 2. not probability rows
@pytest.mark.parametrize("bad, match", [
    (np.array([[0.7, 0.5, -0.2]]), r"row 0 of P\b.* not a probability row.* from -0\.2 to 0\.7"),      # outside the triangle
    (np.array([[0.2, 0.2, 0.2], [0.5, 0.3, 0.2]]), r"row 0 of P\b.* sum to 0\.6"),  # does not sum to 1
    (np.array([[2.0, 0.5, -1.0]]), r"predict_proba"),                             # logits, not ŷ
])
def test_simplex_refuses_points_outside_the_triangle(bad, match):
    with pytest.raises(ValueError, match=match):
        P.SimplexDisplay(bad)
    with pytest.raises(ValueError, match=match.replace("plot_simplex", "simplex_coordinates")):
        P.simplex_coordinates(bad)
    disp = P.SimplexDisplay(np.full((bad.shape[0], 3), 1 / 3)).plot()
    with pytest.raises(ValueError, match=match):
        disp.update(bad)


def test_simplex_refuses_complex_and_masked_probabilities():
    with pytest.raises(TypeError, match="P holds complex numbers"):
        P.SimplexDisplay(np.array([[0.5, 0.25, 0.25 + 0.1j]]))
    masked = np.ma.masked_array([[0.5, 0.25, 0.25], [0.2, 0.3, 0.5]], mask=[[0, 0, 0], [1, 0, 0]])
    with pytest.raises(ValueError, match="P is a masked array with 1 masked value"):
        P.SimplexDisplay(masked)
    with pytest.raises(ValueError, match="highlight is a masked array"):  # a mask is never ignored
        P.SimplexDisplay(np.full((2, 3), 1 / 3), highlight=np.ma.masked_array([0, 1], mask=[0, 1]))


def test_regions_refuse_a_single_string_as_two_feature_names(iris9):
    X, y = iris9
    with pytest.raises(TypeError, match="feature_names must be a list of 2 names.*single string 'ab'"):
        P.RegionsDisplay(sl.datasets.slide_theta(3), X, y, feature_names="ab")


# ------------------------------------------------------------------ 3. not losses
@pytest.mark.parametrize("bad, error, match", [
    ([1.0, 0.5, -0.1], ValueError, r"update 3 is -0\.1.* never negative"),
    (np.array([1.0, 0.5 + 0.1j]), TypeError, "losses holds complex numbers"),
    (np.ones((3, 2)), ValueError, r"1-D sequence of losses .* shape \(3, 2\)"),
    (np.ma.masked_array([1.0, 99.0, 0.5], mask=[0, 1, 0]), ValueError, "losses is a masked array"),
    (0.7, TypeError, "single number 0.7"),
])
def test_loss_display_refuses_what_is_not_a_loss_history(bad, error, match):
    with pytest.raises(error, match=match):
        P.LossDisplay(bad)
    disp = P.LossDisplay([1.0, 0.8]).plot()
    with pytest.raises(error, match=match):
        disp.update(bad)


# ------------------------------------------------------------------ 4. no view
@pytest.mark.parametrize("kwargs, error, match", [
    ({"padding": -100}, ValueError, r"padding must be a finite number >= 0, got -100"),
    ({"padding": float("nan")}, ValueError, r"padding must be a finite number >= 0"),
    ({"resolution": 2.5, "method": "grid"}, TypeError, "resolution must be a whole number"),
    ({"resolution": 1, "method": "grid"}, ValueError, "resolution must be >= 2"),
])
def test_regions_refuse_settings_that_make_no_view(iris9, kwargs, error, match):
    X, y = iris9
    with pytest.raises(error, match=match):
        P.RegionsDisplay(sl.datasets.slide_theta(3), X, y, **kwargs)
    with pytest.raises(error, match=match):
        P.decision_grid(sl.datasets.slide_theta(3), X, **kwargs if "method" not in kwargs else
                        {"resolution": kwargs["resolution"]})


@pytest.mark.parametrize("lim", [(5.0, 1.0), (1.0, 1.0), (0.0, float("inf")), ("a", "b"), (1.0,)])
def test_ranges_must_be_low_then_high(lim):
    theta = sl.datasets.slide_theta(3)
    with pytest.raises((ValueError, TypeError), match="xlim must be two"):
        P.decision_boundaries(theta, lim, (0.0, 3.0))
    with pytest.raises((ValueError, TypeError), match="xlim must be two"):
        P.decision_polygons(theta, lim, (0.0, 3.0))
    with pytest.raises((ValueError, TypeError), match="x_range must be two"):
        P.CurvesDisplay(np.array([[0.0, 1.0], [1.0, -1.0]]), x_range=lim)


# ------------------------------------------------------------------ 5. ymax
@pytest.mark.parametrize("ymax, error", [(float("nan"), ValueError), (-1.0, ValueError), (float("inf"), ValueError),
                                         ("2", TypeError), (True, TypeError)])
def test_loss_ymax_must_be_a_number_above_zero(ymax, error):
    disp = P.LossDisplay([1.0, 0.8]).plot()
    with pytest.raises(error, match="ymax"):
        disp.update([1.0, 0.8, 0.7], ymax=ymax)
    assert disp.update([1.0, 0.8, 0.7], ymax=3.0).ax.get_ylim()[1] >= 3.0
