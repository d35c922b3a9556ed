#!/usr/bin/env python
"""Build reveal.js slide decks of the lesson notebooks into build/slides/.

``make slides`` runs this. For every ``notebooks/NN_*.ipynb`` it writes
``build/slides/NN_*.slides.html`` (nbconvert's SlidesExporter, stored outputs,
nothing is re-executed) and an ``index.html`` linking them.

reveal.js: nbconvert's template loads it from a CDN by default. This script
fetches a local copy once with ``npm pack reveal.js@4`` into
``build/slides/reveal.js/`` and points the decks at it, so the slides
themselves work offline. If npm is missing or offline it says so and falls back
to the CDN (presenting then needs the network). nbconvert's template still
loads MathJax (formulas) and require.js from a CDN; the build prints that too.

Slide boundaries come from each cell's ``slideshow.slide_type`` metadata
(``tools/add_slide_metadata.py``). A notebook without any is annotated in
memory with the same rules for this build (the file is not changed).

Widgets show their stored initial state (a static figure); live demos happen
in JupyterLab.

Usage::

    python tools/build_slides.py [NOTEBOOK ...] [--out build/slides] [--cdn]
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from add_slide_metadata import annotate  # noqa: E402

CDN = "https://unpkg.com/reveal.js@4.6.1"
REVEAL_SPEC = "reveal.js@4"


def local_reveal(out: Path) -> str | None:
    """Return the relative URL prefix of a local reveal.js copy, fetching it if needed."""
    dest = out / "reveal.js"
    if (dest / "dist" / "reveal.js").exists():
        return "reveal.js"
    npm = shutil.which("npm")
    if npm is None:
        print("slides: npm not found, cannot fetch a local reveal.js")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            done = subprocess.run([npm, "pack", REVEAL_SPEC, "--silent", "--pack-destination", tmp],
                                  capture_output=True, text=True, timeout=180, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            print(f"slides: `npm pack {REVEAL_SPEC}` failed ({type(exc).__name__}); no local reveal.js")
            return None
        tgz = Path(tmp) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            members = [m for m in tar.getmembers()
                       if m.name.startswith(("package/dist/", "package/plugin/"))
                       or m.name in ("package/LICENSE", "package/package.json")]
            tar.extractall(tmp, members=members, filter="data")
        if dest.exists():
            shutil.rmtree(dest)
        shutil.move(str(Path(tmp) / "package"), dest)
    print(f"slides: fetched {tgz.name} into {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}")
    return "reveal.js"


def has_slide_metadata(nb) -> bool:
    return any("slideshow" in c.metadata for c in nb.cells)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build reveal.js decks of the lesson notebooks.")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument("--cdn", action="store_true", help="do not fetch reveal.js; load it from a CDN")
    args = parser.parse_args(argv)

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("slides: no notebooks found in notebooks/", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    prefix = None if args.cdn else local_reveal(args.out)
    offline = prefix is not None
    exporter = SlidesExporter(reveal_url_prefix=prefix or CDN, reveal_scroll=True)

    built = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        if not has_slide_metadata(nb):
            annotate(nb)
            print(f"slides: {path.name} has no slide metadata; using tools/add_slide_metadata.py's rules for this build")
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = args.out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        n_slides = sum(1 for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide"))
        built.append((target.name, path.stem, n_slides))
        print(f"slides: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} ({n_slides} slides)")

    items = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(s)}</a> ({n} slides)</li>'
                      for f, s, n in built)
    (args.out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>softmax-lab slides</title>"
        f"<h1>softmax-lab slides</h1><ul>\n{items}\n</ul>\n", encoding="utf-8")

    print(f"slides: {len(built)} deck(s) in {args.out}; open index.html in a browser "
          "(arrow keys to move, Esc for the overview).")
    if offline:
        print("slides: reveal.js is a local copy, so the decks open without network; "
              "nbconvert's template still loads MathJax (formulas) and require.js from a CDN: "
              "for formulas to render while presenting, the projector machine needs the network.")
    else:
        print(f"slides: reveal.js is loaded from {CDN}: PRESENTING NEEDS THE NETWORK "
              "(run without --cdn with npm available to get a local copy).")
    print("slides: widgets appear as their stored initial state; run live demos in JupyterLab.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
