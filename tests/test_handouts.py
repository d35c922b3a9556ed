"""Printable handouts (``make handouts``): one PDF per lesson, every figure, formula and still in it.

Each PDF is rendered page by page with poppler's ``pdftoppm``: the page count is what a
lesson of this length needs and no page is blank. ``pdfimages`` counts the pictures in the
PDF (every figure and widget still of the notebook), ``pdftotext`` reads the text (no
untypeset TeX, the lesson's title and section headings are there). ``make test`` prints
one lesson; ``make test-static`` (SOFTMAX_LAB_FULL_STATIC=1) prints all of them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from offline_browser import lab_harness, lessons_to_view

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.browser, pytest.mark.slow]
POPPLER = ("pdftoppm", "pdfinfo", "pdfimages", "pdftotext")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"poppler-utils is not installed ({', '.join(missing)} missing): apt-get install poppler-utils")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright (Python) prints the handouts: pip install playwright")
    with sync_api.sync_playwright() as p:
        problem = lab_harness.chromium_problem(p)
    if problem:
        pytest.skip(f"{problem} (to print the handouts)")
    out = tmp_path_factory.mktemp("handouts")
    notebooks = lessons_to_view()
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_handouts.py"), "--out", str(out),
                           *map(str, notebooks)], capture_output=True, text=True, timeout=1800)
    if done.returncode != 0 and "could not be fetched" in done.stdout + done.stderr:
        pytest.skip("npm could not fetch MathJax (needed once, then cached in build/.vendor/)")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out, notebooks


def _run(*cmd) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300).stdout


def _pictures(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def _text_size(nb_path):
    """Characters of source and text output the lesson has (what the pages must hold)."""
    nb = nbformat.read(nb_path, as_version=4)
    n = sum(len(c.source) for c in nb.cells)
    for c in nb.cells:
        for o in c.get("outputs", []):
            n += len(o.get("text", "")) + len(o.get("data", {}).get("text/plain", "")) \
                if "image/png" not in o.get("data", {}) else 0
    return n


def test_one_pdf_per_lesson_with_every_picture_and_no_blank_page(handouts, tmp_path):
    out, notebooks = handouts
    manifest = json.loads((out / "handouts.json").read_text(encoding="utf-8"))
    from PIL import Image

    for nb_path in notebooks:
        pdf = out / f"{nb_path.stem}.pdf"
        assert pdf.exists(), f"no handout for {nb_path.name}"
        pages = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))
        # an A4 page holds at most ~4,000 characters of this layout, and a lesson is never one page
        # per 100 characters: a PDF outside these bounds lost content or broke the layout
        size = _text_size(nb_path)
        assert max(2, size // 4000) <= pages <= max(4, size // 100), f"{pdf.name}: {pages} pages for {size} characters"
        # every page rendered; none blank (a page of white is a layout or font failure)
        prefix = tmp_path / nb_path.stem
        _run("pdftoppm", "-r", "24", "-gray", str(pdf), str(prefix))
        images = sorted(tmp_path.glob(f"{nb_path.stem}*.pgm"))
        assert len(images) == pages
        for image in images:
            ink = np.asarray(Image.open(image)) < 200
            body = ink[: int(0.93 * ink.shape[0])]  # above the footer (title and page number)
            assert body.mean() > 0.0003, f"{pdf.name}: page {image.stem} is blank ({body.mean():.5f} of it inked)"
        # every figure and widget still of the notebook is a picture in the PDF
        listed = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
        n_png = _pictures(nb_path)
        assert manifest[pdf.name]["images"] == n_png, f"{pdf.name}: the page shows {manifest[pdf.name]} pictures"
        assert len([line for line in listed if " image " in line]) >= n_png, f"{pdf.name}: a picture is missing"
        # formulas typeset (no TeX source printed), the title and the section headings are there
        text = _run("pdftotext", "-layout", str(pdf), "-")
        # TeX may be printed only where the notebook's code or its text output holds it (a label=r"$...$")
        nb = nbformat.read(nb_path, as_version=4)
        code = " ".join(" ".join(c.source.split()) + " " + " ".join(
            " ".join(str(o.get("text", "")).split()) for o in c.get("outputs", [])) for c in nb.cells
            if c.cell_type == "code")
        raw = [m.group(0) for line in text.splitlines()
               for m in re.finditer(r"\\(hat|frac|theta|partial|sum)\b|\$[^$\s][^$]*\$", line)
               if m.group(0) not in code]
        assert not raw, f"{pdf.name}: untypeset TeX in the printed text: {raw[:5]}"
        has_math = any(c.cell_type == "markdown" and "$" in c.source
                       for c in nbformat.read(nb_path, as_version=4).cells)
        assert manifest[pdf.name]["formulas"] > 0 or not has_math
        flat = " ".join(text.split())
        headings = [line.lstrip("#").strip() for c in nbformat.read(nb_path, as_version=4).cells
                    if c.cell_type == "markdown" for line in c.source.splitlines()
                    if line.startswith("## ") and "$" not in line and "`" not in line and "*" not in line]
        for heading in headings:
            assert " ".join(heading.split())[:30] in flat, f"{pdf.name}: section {heading!r} is not in the PDF"
