"""Views without a kernel (GitHub, ``jupyter nbconvert --to html``) show each widget's still picture.

The mechanism (tools/run_notebooks.py): a live widget's output carries the
widget view, a PNG and one sentence; the notebook stores NO widget state, so
nbconvert (and GitHub, which renders with nbconvert) falls back from the widget
view to the PNG instead of loading the widget renderer from a CDN.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import run_notebooks  # noqa: E402

# SOFTMAX_LAB_NOTEBOOK_ROOT=/path/to/a/copy checks re-executed copies instead of the checkout
NB_ROOT = Path(os.environ.get("SOFTMAX_LAB_NOTEBOOK_ROOT", ROOT))
NOTEBOOKS = sorted((NB_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted((NB_ROOT / "homework").glob("[0-9]*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# the widget renderer nbconvert loads when a widget state is stored (from unpkg by default)
WIDGET_RENDERER = re.compile(r"html-manager|embed-amd\.js|jupyter-js-widgets")


def _widget_outputs(nb):
    return [out for cell in nb.cells for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]


def _tiny_png() -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=20)
    fig.add_subplot().plot([0, 1], [1, 0])
    from softmax_lab.still import png_bytes
    return png_bytes(fig)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_for_views_without_a_kernel(path):
    # executed top to bottom, no error, no stored widget state, every widget with its PNG and sentence
    found = run_notebooks.problems(nbformat.read(path, as_version=4))
    assert not found, (f"{path.name} is not stored the way static views need; re-execute it with "
                       f"`python tools/run_notebooks.py {path.relative_to(NB_ROOT)}`:\n  " + "\n  ".join(found))


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if _widget_outputs(nbformat.read(p, as_version=4))],
                         ids=lambda p: p.name)
def test_nbconvert_html_shows_every_widget_as_its_still_picture(path):
    nb = nbformat.read(path, as_version=4)
    widgets = _widget_outputs(nb)
    assert all("image/png" in out["data"] for out in widgets), (
        f"{path.name}: a widget output carries no still PNG (display it through softmax_lab.still.WithStill)")
    stills = [out["data"]["image/png"] for out in widgets]
    body, _ = HTMLExporter().from_notebook_node(nb)  # what `jupyter nbconvert --to html` writes
    for png in stills:
        assert f"data:image/png;base64,{png}" in body, f"{path.name}: a widget's still PNG is missing from the HTML"
    assert not WIDGET_RENDERER.search(body), f"{path.name}: the HTML loads the widget renderer from a CDN"
    assert WIDGET_STATE not in body


def test_a_stored_widget_state_would_hide_the_still():
    # why run_notebooks.py stores no widget state: with the model in the state, nbconvert
    # draws the widget view (a blank <div> offline) and drops the PNG
    png = base64.b64encode(_tiny_png()).decode()
    out = nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "m1"},
        "image/png": png, "text/plain": "A widget. (Live controls need a running Jupyter kernel.)"})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w", outputs=[out], execution_count=1)])
    without, _ = HTMLExporter().from_notebook_node(nb)
    nb.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
        "m1": {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
               "model_module_version": "2.0.0", "state": {}}}}}
    with_state, _ = HTMLExporter().from_notebook_node(nb)
    assert png in without and not WIDGET_RENDERER.search(without)
    assert png not in with_state and WIDGET_RENDERER.search(with_state)


WIDGET_NOTEBOOK = [
    "import ipywidgets as W\nfrom softmax_lab.still import WithStill\nfrom matplotlib.figure import Figure",
    "fig = Figure(figsize=(2, 1), dpi=50)\nfig.add_subplot().plot([0, 1], [0, 1])\n"
    "WithStill(W.IntSlider(value=3), fig, 'A slider at 3.')",
    "print('done')",
]


@pytest.mark.slow
def test_run_notebooks_executes_in_place_without_widget_state(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in WIDGET_NOTEBOOK])
    nb.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {}}}  # stale
    good = tmp_path / "good.ipynb"
    nbformat.write(nb, good)
    bad_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    bad = tmp_path / "bad.ipynb"
    nbformat.write(bad_nb, bad)
    before_bad = bad.read_bytes()

    done = subprocess.run([sys.executable, str(ROOT / "tools" / "run_notebooks.py"), str(good), str(bad)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr  # bad.ipynb failed ...
    assert "bad.ipynb: FAILED" in done.stdout and "ZeroDivisionError" in done.stdout
    assert bad.read_bytes() == before_bad  # ... and was left as it was

    stored = nbformat.read(good, as_version=4)
    assert "widgets" not in stored.metadata
    assert [c.execution_count for c in stored.cells] == [1, 2, 3]
    assert all("execution" not in c.metadata for c in stored.cells)  # no timings
    (out,) = stored.cells[1].outputs
    assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(out.data)
    assert "need a running Jupyter kernel" in out.data["text/plain"]
    assert run_notebooks.problems(stored) == []

    check = subprocess.run([sys.executable, str(ROOT / "tools" / "run_notebooks.py"), "--check", str(good), str(bad)],
                           capture_output=True, text=True)
    assert check.returncode == 1 and "bad.ipynb" in check.stdout and "good.ipynb" not in check.stdout

    # the real command a reader runs, offline: the still picture, no widget renderer
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(good)],
                   capture_output=True, text=True, check=True, timeout=120)
    page = (tmp_path / "good.html").read_text(encoding="utf-8")
    assert f"data:image/png;base64,{out.data['image/png']}" in page
    assert not WIDGET_RENDERER.search(page)


def test_check_names_what_is_wrong():
    png = base64.b64encode(_tiny_png()).decode()
    bare = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "x"}, "text/plain": "VBox(...)"})
    err = nbformat.v4.new_output("error", ename="ValueError", evalue="boom", traceback=[])
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("a", outputs=[bare], execution_count=1),
        nbformat.v4.new_code_cell("b", outputs=[err], execution_count=3),
    ])
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": {}}}
    found = "\n".join(run_notebooks.problems(nb))
    assert "metadata.widgets" in found
    assert "without image/png" in found and "WithStill" in found
    assert "execution_count is 3, expected 2" in found
    assert "ValueError: boom" in found
    ok = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "x"}, "image/png": png,
                                                      "text/plain": "A widget."})
    tagged = nbformat.v4.new_code_cell("c", outputs=[err], execution_count=2, metadata={"tags": ["raises-exception"]})
    nb2 = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("a", outputs=[ok], execution_count=1), tagged])
    assert run_notebooks.problems(nb2) == []
    assert json.dumps(nb2)  # still a plain notebook
