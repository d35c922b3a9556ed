"""No picture anywhere lacks a real alternative text, and none is generic.

Every picture is an output of a notebook, stored with the sentence that says what it
shows (``output.metadata["image/png"]["alt"]``: ``softmax_lab.plotting.show`` and
``softmax_lab.still.WithStill`` write it, from the plotted numbers). Checked here:

* every image output of every lesson (notebooks/) and homework solution (homework/*.ipynb),
  widget stills included, carries one that :func:`softmax_lab.alt.check_alt` accepts;
* every ``<img>`` on the course website's pages and in the decks has that same text as
  its ``alt`` (never nbconvert's "No description has been provided for this image").

A notebook that fails the first test is re-executed after its cells call
``slp.show(fig, alt=...)``: ``python tools/run_notebooks.py notebooks/NN_x.ipynb``.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from offline_browser import NB_ROOT, lessons_to_view
from softmax_lab.alt import GENERIC_ALT, check_alt

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((NB_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted((NB_ROOT / "homework").glob("[0-9]*.ipynb"))
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
NBCONVERT_DEFAULT = "No description has been provided for this image"


def pictures(nb):
    """(cell number, mime type, alt or None) of every image output of ``nb``."""
    for n, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            for mime in IMAGE_TYPES:
                if mime in out.get("data", {}):
                    yield n, mime, out.get("metadata", {}).get(mime, {}).get("alt")


def problems(items):
    bad = []
    for where, alt in items:
        try:
            check_alt(alt)
        except ValueError as exc:
            bad.append(f"{where}: {exc}")
    return bad


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_stored_picture_says_what_it_shows(path):
    nb = nbformat.read(path, as_version=4)
    bad = problems((f"cell {n} ({mime})", alt) for n, mime, alt in pictures(nb))
    assert not bad, (f"{path.name}: {len(bad)} picture(s) without a real alt text; show figures with "
                     f"slp.show(fig, alt=...) and widgets with WithStill(..., text), then re-execute "
                     f"(python tools/run_notebooks.py {path.relative_to(NB_ROOT)}):\n  " + "\n  ".join(bad[:10]))


def test_the_check_refuses_what_says_nothing():
    for text in (None, "", "   ", NBCONVERT_DEFAULT, "Figure.", "plot", "Loss curve",
                 "<Figure size 640x480 with 2 Axes>", "VBox(children=(IntSlider(value=3), Output()))"):
        with pytest.raises(ValueError):
            check_alt(text)
    assert NBCONVERT_DEFAULT.lower() in GENERIC_ALT
    assert check_alt("Loss of each update: falls from 0.912 to 0.208 over 10 updates.")


# ------------------------------------------------------------------ the built views
class _Images(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.alts = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def img_alts(html_text: str) -> list:
    parser = _Images()
    parser.feed(html_text)
    return parser.alts


def stored_alts(path: Path) -> list:
    """The alt texts stored in a notebook, in output order, as a static view shows them."""
    sys.path.insert(0, str(ROOT / "tools"))
    from offline_assets import static_notebook

    nb = static_notebook(nbformat.read(path, as_version=4))
    return [alt for _, mime, alt in pictures(nb) if mime == "image/png"]


def _build(tool, out, notebooks, *extra):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / tool), "--out", str(out), *extra,
                           *map(str, notebooks)], capture_output=True, text=True, timeout=900)
    if done.returncode != 0 and "could not be fetched" in done.stdout + done.stderr:
        pytest.skip("npm could not fetch MathJax (needed once, then cached in build/.vendor/)")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    notebooks = lessons_to_view()  # one lesson; all under make test-static
    site, slides = tmp_path_factory.mktemp("site"), tmp_path_factory.mktemp("slides")
    _build("build_site.py", site, notebooks, "--repo", "example-org/softmax-lab")
    _build("build_slides.py", slides, notebooks, "--cdn")  # offline copies do not change the <img>s
    pages = [(nb, site / f"{nb.stem}.html") for nb in notebooks] + \
            [(nb, slides / f"{nb.stem}.slides.html") for nb in notebooks]
    return pages, [site / "index.html", slides / "index.html"]


def test_every_img_on_the_site_and_in_the_decks_carries_the_stored_alt_text(views):
    pages, indexes = views
    for nb, page in pages:
        text = page.read_text(encoding="utf-8")
        assert NBCONVERT_DEFAULT not in text, f"{page.name}: nbconvert's generic alt text"
        alts = img_alts(text)
        stored = stored_alts(nb)
        # the templates write each output's stored sentence, in order, and nothing else
        assert len(alts) == len(stored), f"{page.name}: {len(alts)} <img>, {len(stored)} stored pictures"
        assert [a or None for a in alts] == [s or None for s in stored], f"{page.name}: an alt differs from the stored one"
        bad = problems((f"{page.name} <img> {i}", a) for i, a in enumerate(alts))
        assert not bad, "\n  ".join(bad[:10])
    for index in indexes:
        assert not problems((index.name, a) for a in img_alts(index.read_text(encoding="utf-8")))


def test_the_templates_write_a_stored_alt_and_mark_a_missing_one(tmp_path):
    # a notebook made here: one figure with its sentence, one without, one widget still
    import base64

    from softmax_lab.still import WithStill, png_bytes  # noqa: F401  (png_bytes: a real PNG)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=20)
    fig.add_subplot().plot([0, 1], [1, 0])
    png = base64.b64encode(png_bytes(fig)).decode()
    said = "A falling line from (0, 1) to (1, 0), the whole of the picture."
    outs = [
        nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"},
                               metadata={"image/png": {"alt": said}}),
        nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"}),
        nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "m", "version_major": 2, "version_minor": 0},
            "image/png": png, "text/plain": "A slider at 3. (Live controls need a running Jupyter kernel.)"},
            metadata={"image/png": {"alt": "A slider set to 3 of 10, with its value shown beside it."}}),
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 00 · A test"),
                                         nbformat.v4.new_code_cell("x", outputs=outs, execution_count=1)])
    path = tmp_path / "00_test.ipynb"
    nbformat.write(nb, path)
    _build("build_site.py", tmp_path / "site", [path], "--repo", "example-org/softmax-lab")
    _build("build_slides.py", tmp_path / "slides", [path], "--cdn")
    for page in (tmp_path / "site" / "00_test.html", tmp_path / "slides" / "00_test.slides.html"):
        text = page.read_text(encoding="utf-8")
        alts = img_alts(text)
        assert alts == [said, "", "A slider set to 3 of 10, with its value shown beside it."], (page.name, alts)
        assert text.count("softmax-missing-alt") == 1 and NBCONVERT_DEFAULT not in text
        assert "need a running Jupyter kernel" in text  # the still keeps its note
