"""Stored pictures are what the code draws now.

nbval compares a notebook's text outputs, not its pictures, so a figure or a widget still
that was stored before a plotting change (a legend relabelled, a title fixed) would stay in
the repository, and in the site and decks built from it, without any test failing.  This
test executes every lesson and every homework solution in a fresh kernel, exactly as
``tools/run_notebooks.py`` does, and compares each PNG it draws with the PNG stored in the
same place (same cell, same position among the cell's outputs):

* the number of pictures per cell must match;
* each pair must agree within ``TOLERANCE`` (``matplotlib.testing.compare.compare_images``,
  RMS difference of the pixel values, 0-255);
* the alt text stored with each picture (``output.metadata["image/png"]["alt"]``) must be
  the one the code writes now.

A cell tagged ``nbval-ignore-output`` (its output is measured at run time, e.g. lesson 07's
timings) is compared by its number of pictures only.

A failure names the notebook, the cell and the RMS difference, and leaves the fresh and the
stored PNG (and matplotlib's diff image) in pytest's tmp_path to look at.  The fix is always
``python tools/run_notebooks.py <notebook>`` (never editing the output JSON).

The tolerance is measured, not guessed, and the measurement decides the design. Rendered twice
with the same matplotlib, every picture comes out identical (RMS 0). Rendered with the oldest
matplotlib the project supports (3.7.5, numpy 1.24.4) and with the current one (3.11), the same
notebooks differ by RMS 25 to 57 on every picture, and 8 of 56 pictures even differ in size by a
few pixels: text is rasterised differently, so every glyph moves. A real stale picture, lesson 04's
stepper still with the old "current sample" legend on three rings, differs from the fresh one by
RMS 2.7. No tolerance can pass the first and fail the second, so:

* the pixels are compared (``TOLERANCE``, far below the 2.7 of a one-word legend change) when the
  running matplotlib is the one that drew the stored pictures, read from the ``Software`` text
  chunk matplotlib writes into each PNG (``make outputs`` and ``make test`` run in the same
  environment, so CI compares pixels);
* with another matplotlib (``make test-oldest``, a newer release) the picture count and the alt
  texts, which are made from the plotted numbers, are still compared, and the pixel comparison is
  skipped with a message that names both versions.

Marked ``slow`` (every notebook runs, about one to two minutes in all): ``make test-unit``
skips it, ``make test`` runs it.
"""

import base64
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted((ROOT / "homework").glob("[0-9]*.ipynb"))

# RMS (0-255) allowed between a stored picture and the fresh one drawn by the same matplotlib.
# Measured: 0 for every picture of every lesson and homework solution (rendering is deterministic);
# a one-word legend change in a widget still measures 2.7. See the module docstring.
TOLERANCE = 0.5

pytestmark = pytest.mark.slow


MEASURED = "nbval-ignore-output"   # a cell whose output is measured at run time (timings): count only


def stored_pictures(nb):
    """{cell index: [(png bytes, alt text), ...]} for every code cell with a picture; a cell tagged
    MEASURED contributes (None, None) per picture, so only the count is compared."""
    found = {}
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        measured = MEASURED in cell.get("metadata", {}).get("tags", [])
        pics = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                png = data["image/png"]
                png = "".join(png) if isinstance(png, list) else png
                alt = out.get("metadata", {}).get("image/png", {}).get("alt")
                pics.append((None, None) if measured else (base64.b64decode(png), alt))
        if pics:
            found[index] = pics
    return found


def renderer(png):
    """The matplotlib version that wrote a PNG (its 'Software' text chunk), or None."""
    import io
    import re

    from PIL import Image

    software = Image.open(io.BytesIO(png)).info.get("Software", "")
    m = re.search(r"Matplotlib version\s*([\w.]+)", software)
    return m.group(1) if m else None


def execute(path):
    """The notebook executed in a fresh kernel in its own folder, as tools/run_notebooks.py does."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return json.loads(nbformat.writes(nb))


def rms_difference(expected_png, actual_png, tmp_path, name):
    """compare_images' RMS between two PNGs (None if equal within TOLERANCE), files kept in tmp_path."""
    from matplotlib.testing.compare import compare_images

    expected, actual = tmp_path / f"{name}-stored.png", tmp_path / f"{name}.png"
    expected.write_bytes(expected_png)
    actual.write_bytes(actual_png)
    try:
        result = compare_images(str(expected), str(actual), tol=TOLERANCE, in_decorator=True)
    except Exception as exc:  # ImageComparisonFailure: the sizes differ
        return {"rms": float("inf"), "message": str(exc)}
    return result


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_stored_pictures_are_current(path, tmp_path):
    import matplotlib

    stored = stored_pictures(json.loads(path.read_text(encoding="utf-8")))
    fresh = stored_pictures(execute(path))
    drawn_with = sorted({v for pics in stored.values() for png, _ in pics if png and (v := renderer(png))})
    compare_pixels = drawn_with in ([], [matplotlib.__version__])
    problems = []
    for index in sorted(set(stored) | set(fresh)):
        old, new = stored.get(index, []), fresh.get(index, [])
        if len(old) != len(new):
            problems.append(f"cell {index}: {len(old)} stored picture(s), the code draws {len(new)}")
            continue
        for k, ((old_png, old_alt), (new_png, new_alt)) in enumerate(zip(old, new)):
            where = f"cell {index}, picture {k + 1}"
            if compare_pixels and old_png != new_png:
                result = rms_difference(old_png, new_png, tmp_path, f"cell{index}-{k}")
                if result is not None:
                    problems.append(f"{where}: differs from what the code draws now (RMS {result['rms']:.2f} > "
                                    f"{TOLERANCE}; files in {tmp_path})")
            if old_alt != new_alt:
                problems.append(f"{where}: stored alt text {old_alt!r}, the code writes {new_alt!r}")
    assert not problems, (f"{path.relative_to(ROOT)}: stale stored pictures; re-run "
                          f"`python tools/run_notebooks.py {path.relative_to(ROOT)}`:\n  " + "\n  ".join(problems))
    if not compare_pixels and stored:
        pytest.skip(f"pictures counted and alt texts compared, pixels not: the stored pictures were drawn by "
                    f"matplotlib {', '.join(drawn_with)}, this is {matplotlib.__version__} (text is rasterised "
                    "differently, RMS 25-57 between 3.7.5 and 3.11)")


def test_the_comparison_sees_a_changed_picture(tmp_path):
    """The comparison itself: a one-word title change fails, an identical drawing passes, and the
    renderer of a PNG is read back from it."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def png(title):
        fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
        ax.plot([0, 1, 2], [1.0, 0.5, 0.2], marker="o", label="current batch")
        ax.legend()
        ax.set_title(title)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        return buf.getvalue()

    same = png("ring = current batch")
    assert rms_difference(same, png("ring = current batch"), tmp_path, "same") is None
    changed = rms_difference(same, png("ring = current sample"), tmp_path, "changed")
    assert changed is not None and changed["rms"] > TOLERANCE
    assert renderer(same) == matplotlib.__version__
