#!/usr/bin/env python
"""Build reveal.js slide decks of the lesson notebooks into build/slides/.

``make slides`` runs this. For every ``notebooks/NN_*.ipynb`` it writes
``build/slides/NN_*.slides.html`` (nbconvert's SlidesExporter, stored outputs,
nothing is re-executed) and an ``index.html`` linking them.

Offline, and fitting the slide (issue 12): nbconvert's reveal template loads
reveal.js, require.js, jQuery, MathJax, mermaid, Google Fonts and the widget
renderer from CDNs. The decks here use ``tools/templates/softmax_reveal``
instead: reveal.js 4 and MathJax 2.7 are local copies fetched once with ``npm
pack`` (``tools/offline_assets.py``) into ``build/slides/``; nothing else is
loaded, so the decks open, move and typeset in a lecture hall without network.
If npm is missing or offline the build says so and falls back to the CDNs
(presenting then needs the network). Long code lines wrap, images keep within
the slide's width, and a slide still taller than the slide is zoomed to fit.

Slide boundaries come from each cell's ``slideshow.slide_type`` metadata
(``tools/add_slide_metadata.py``). A notebook without any is annotated in
memory with the same rules for this build (the file is not changed).

Widgets: a deck shows each widget's stored still picture (the PNG its output
carries, see ``softmax_lab.still``) and its one-line note that the live controls
need a kernel. A stored widget state is ignored (dropped in memory), so the
picture is shown even for a notebook saved from JupyterLab with its widget state.

Usage::

    python tools/build_slides.py [NOTEBOOK ...] [--out build/slides] [--cdn]
"""

from __future__ import annotations

import argparse
import base64
import html
import struct
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
from add_slide_metadata import annotate  # noqa: E402
from build_site import plain_text  # noqa: E402
from offline_assets import static_notebook, vendor  # noqa: E402

CDN = {"reveal": "https://unpkg.com/reveal.js@4.6.1",
       "mathjax2": "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.9/MathJax.js"}
MATHJAX_CONFIG = "?config=TeX-AMS_CHTML-full,Safe"  # as nbconvert's default mathjax_url


# --------------------------------------------------------------- pagination
# A slide is 960 x 700 CSS px; the deck's CSS sets text to 20 px and code to 19 px.
# The browser zooms a slide down to fit (to 60 % at most) and scrolls what still
# does not fit; so that few slides need either, a slide whose cells are estimated
# to be taller than BUDGET continues on a new vertical sub-slide (in memory only).
BUDGET = 780          # px of content per slide before a continuation sub-slide starts
TEXT_LINE, CODE_LINE = 31, 25
TEXT_COLS, CODE_COLS = 80, 72
IMAGE_WIDTH = 830     # px available to an output image beside the prompt


def _wrapped(text: str, cols: int) -> int:
    return sum(max(1, -(-len(line) // cols)) for line in text.splitlines()) if text else 0


def _png_size(output):
    """(width, height) in CSS px of an output's PNG: its metadata, else the PNG header."""
    meta = output.get("metadata", {}).get("image/png", {})
    if "width" in meta and "height" in meta:
        return float(meta["width"]), float(meta["height"])
    head = base64.b64decode(output["data"]["image/png"][:44])
    return float(struct.unpack(">I", head[16:20])[0]), float(struct.unpack(">I", head[20:24])[0])


def estimated_height(cell) -> float:
    """A rough height in px of ``cell`` on a slide (text, code, outputs, images)."""
    src = cell.source if isinstance(cell.source, str) else "".join(cell.source)
    if cell.cell_type == "markdown":
        h = 20.0
        for line in src.splitlines():
            if line.startswith("#"):
                h += 75
            elif not line.strip():
                h += 12
            else:
                h += TEXT_LINE * _wrapped(line, TEXT_COLS)
        return h + 45 * (src.count("$$") // 2)
    if cell.cell_type != "code":
        return 0.0
    h = 30.0 + CODE_LINE * _wrapped(src, CODE_COLS)
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            h += CODE_LINE * _wrapped(out.get("text", ""), CODE_COLS) + 10
        elif out.get("output_type") == "error":
            h += CODE_LINE * len(out.get("traceback", []))
        elif "image/png" in data:
            w, ih = _png_size(out)
            h += ih * min(1.0, IMAGE_WIDTH / max(w, 1.0)) + 20
        elif "text/html" in data:
            html_text = data["text/html"]
            h += 35 * max(1, html_text.count("<tr")) + 20
        elif "text/latex" in data or "text/markdown" in data:
            h += 60
        elif "text/plain" in data:
            h += CODE_LINE * _wrapped(data["text/plain"], CODE_COLS) + 10
    return h


def paginate(nb) -> int:
    """Start a continuation sub-slide wherever a slide would exceed BUDGET; return how many."""
    added, running = 0, 0.0
    for cell in nb.cells:
        show = cell.metadata.setdefault("slideshow", {})
        kind = show.get("slide_type", "-")
        if kind in ("skip", "notes"):
            continue
        h = estimated_height(cell)
        if kind in ("slide", "subslide"):
            running = h
        elif running > 0 and running + h > BUDGET:
            show["slide_type"] = "subslide"
            running, added = h, added + 1
        else:
            running += h
    return added


def has_slide_metadata(nb) -> bool:
    return any("slideshow" in c.metadata for c in nb.cells)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build reveal.js decks of the lesson notebooks.")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument("--cdn", action="store_true",
                        help="do not fetch reveal.js and MathJax; load them from CDNs (presenting needs network)")
    args = parser.parse_args(argv)

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("slides: no notebooks found in notebooks/", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    local = {} if args.cdn else {k: vendor(args.out, k) for k in CDN}
    offline = bool(local) and all(local.values())
    reveal = local["reveal"].split("/")[0] if local.get("reveal") else CDN["reveal"]
    mathjax = local.get("mathjax2") or CDN["mathjax2"]
    exporter = SlidesExporter(
        extra_template_basedirs=[str(TOOLS / "templates")],
        template_name="softmax_reveal",
        extra_template_paths=[str(TOOLS / "templates")],  # softmax_common/ (figures with alt text)
        reveal_url_prefix=reveal,
        reveal_theme="white",  # its fonts ship with reveal.js ("simple" asks Google Fonts)
        mathjax_url=mathjax + MATHJAX_CONFIG,
    )

    built = []
    for path in notebooks:
        nb = static_notebook(nbformat.read(path, as_version=4))  # widgets: their still PNG
        if not has_slide_metadata(nb):
            annotate(nb)
            print(f"slides: {path.name} has no slide metadata; using tools/add_slide_metadata.py's rules for this build")
        continued = paginate(nb)
        title = next((line.lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown"
                      for line in c.source.splitlines() if line.startswith("#")), path.stem)
        # the tab title (nbconvert appends " slides"): the lesson's heading, math as Unicode
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": plain_text(title)}})
        target = args.out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        n_slides = sum(1 for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide"))
        built.append((target.name, path.stem, n_slides))
        print(f"slides: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
              f"({n_slides} slides, {continued} of them continuations of a long section)")

    items = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(s)}</a> ({n} slides)</li>'
                      for f, s, n in built)
    (args.out / "index.html").write_text(
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1.0'>"
        "<title>softmax-lab slides</title>"
        "<style>body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 2em; color: #1f2328; }"
        " a { color: #0b57d0; }</style></head>\n"
        f"<body><main><h1>softmax-lab slides</h1><ul>\n{items}\n</ul></main></body></html>\n", encoding="utf-8")

    print(f"slides: {len(built)} deck(s) in {args.out}; open index.html in a browser "
          "(arrow keys to move, Esc for the overview).")
    if offline:
        print("slides: reveal.js and MathJax are local copies in "
              f"{args.out.name}/, so the decks open, move and typeset formulas without network "
              "(copy the whole folder to the presenting machine).")
    else:
        missing = [k for k in CDN if not local.get(k)]
        print(f"slides: no local copy of {', '.join(missing)}: they load from a CDN, so "
              "PRESENTING NEEDS THE NETWORK (run without --cdn, with npm available, for local copies).")
    print("slides: widgets appear as their stored still picture; run live demos in JupyterLab.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
