"""The figures' colours on the light card, and the site's colours, checked by number (WCAG 2).

The figures keep the Okabe–Ito palette (colour-blind safe). Several of its colours are light
(orange, sky blue, yellow): against the white figure background and the light region shading
they fall below the 3:1 that WCAG 1.4.11 asks of graphics. So nothing may depend on the fill
colour: every class has its own marker shape, and every marker has a black edge, which is what
gives the contrast. This prints the ratios (``pytest -s``) and asserts the rules that carry the
meaning. The page colours (contrast.css) are checked in the browser by axe (tests/test_site.py,
tests/test_slides_build.py); here, the ones this file states are re-computed.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb, to_rgba  # noqa: E402

import softmax_lab as sl  # noqa: E402
from softmax_lab import plotting as P  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CARD = "#ffffff"          # the figure background and the page's card
CODE_CARD = "#f5f5f5"     # the code cells' background on the site and in the decks
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000")


def luminance(colour) -> float:
    """WCAG 2 relative luminance."""
    c = np.array(to_rgb(colour))
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)   # the classic "just fails AA"
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_figures_keep_okabe_ito_and_carry_class_by_shape_and_black_edge():
    assert tuple(c.upper() for c in P.PALETTE) == OKABE_ITO
    lines = ["class colour  vs card (white)  vs its region shade  black edge vs region shade"]
    for c, (colour, shade) in enumerate(zip(P.class_colors(8), P.light_colors(8))):
        lines.append(f"{c}  {colour}  {contrast(colour, CARD):5.2f}  {contrast(colour, shade):5.2f}"
                     f"  {contrast('#000000', shade):5.2f}")
        assert contrast("#000000", shade) >= 3.0  # the marker's outline is always visible on its region
    print("\n".join(lines))
    # the palette's light colours are below 3:1 on white: that is why shape and edge carry the class
    assert min(contrast(c, CARD) for c in OKABE_ITO) < 3.0

    d = sl.datasets.load_slide_table("iris9_petal")
    theta = sl.datasets.slide_theta(3)
    for disp in (P.RegionsDisplay(theta, d.data, d.target).plot(),
                 P.SimplexDisplay(sl.predict_proba(theta, d.data), d.target).plot()):
        shapes = {sc.get_paths()[0].vertices.round(6).tobytes() for sc in disp.points}
        assert len(shapes) == len(disp.points), "two classes share a marker shape"
        for sc in disp.points:
            edge = sc.get_edgecolor()[0]
            assert contrast(edge[:3], CARD) >= 3.0 and sc.get_linewidths()[0] > 0, \
                "a class marker has no dark edge: on white it would be told apart by colour only"
        # the highlight ring is black on everything
        assert to_rgba(disp.highlight.get_edgecolor()[0])[:3] == (0.0, 0.0, 0.0)


def test_the_site_colours_pass_aa_on_the_code_card():
    css = (ROOT / "tools" / "templates" / "softmax_site" / "assets" / "contrast.css").read_text(encoding="utf-8")
    colours = re.findall(r"--jp-[a-z-]+-color:\s*(#[0-9a-fA-F]{3,6})", css)
    assert len(colours) >= 12
    for colour in colours:
        assert contrast(colour, CODE_CARD) >= 4.5, f"{colour} is {contrast(colour, CODE_CARD):.2f}:1 on {CODE_CARD}"
    # each stated ratio is the real one (the comments are what a reviewer reads)
    for colour, stated in re.findall(r"(#[0-9a-fA-F]{3,6});\s*/\*\s*(\d\.\d\d)", css):
        assert contrast(colour, CODE_CARD) == pytest.approx(float(stated), abs=0.01), colour
