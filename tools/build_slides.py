#!/usr/bin/env python
"""Build reveal.js slide decks of the lesson notebooks into build/slides/.

``make slides`` runs this. For every ``notebooks/NN_*.ipynb`` it writes
``build/slides/NN_*.slides.html`` (nbconvert's SlidesExporter, stored outputs,
nothing is re-executed) and an ``index.html`` linking them.

reveal.js: nbconvert's template loads it, require.js (which starts reveal.js)
and jQuery from CDNs by default. This script fetches local copies once with
``npm pack`` (reveal.js@4, requirejs@2, jquery@3, and MathJax 2.7 for the
formulas) into ``build/slides/`` and points the decks at them, so the decks
open, move and typeset offline: lecture halls often have no network. If npm
is missing or offline it says so and falls back to the CDNs (presenting then
needs the network).

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


def npm_fetch(spec: str, dest: Path, keep: tuple) -> bool:
    """``npm pack spec`` and unpack the paths starting with ``keep`` into dest."""
    npm = shutil.which("npm")
    if npm is None:
        print(f"slides: npm not found, cannot fetch {spec}")
        return False
    with tempfile.TemporaryDirectory() as tmp:
        try:
            done = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                                  capture_output=True, text=True, timeout=180, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            print(f"slides: `npm pack {spec}` failed ({type(exc).__name__})")
            return False
        tgz = Path(tmp) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            members = [m for m in tar.getmembers()
                       if m.name.startswith(tuple("package/" + k for k in keep))]
            tar.extractall(tmp, members=members, filter="data")
        if dest.exists():
            shutil.rmtree(dest)
        shutil.move(str(Path(tmp) / "package"), dest)
        print(f"slides: fetched {tgz.name} into {dest}")
    return True


# (npm spec, folder under build/slides, files to keep, the file the decks load)
VENDORED = {
    "reveal": ("reveal.js@4", "reveal.js", ("dist/", "plugin/", "LICENSE"), "dist/reveal.js"),
    "require": ("requirejs@2", "requirejs", ("require.js", "package.json"), "require.js"),
    "jquery": ("jquery@3", "jquery", ("dist/jquery.min.js", "LICENSE.txt"), "dist/jquery.min.js"),
    # the same MathJax 2.7 that nbconvert loads from its CDN, with the config, TeX input,
    # CommonHTML output and web fonts its "TeX-AMS_CHTML-full" configuration needs
    "mathjax": ("mathjax@2.7.9", "mathjax",
                ("MathJax.js", "config/", "extensions/", "jax/input/TeX/", "jax/output/CommonHTML/",
                 "jax/element/", "fonts/HTML-CSS/TeX/woff/", "localization/en/", "LICENSE"),
                "MathJax.js"),
}

MATHJAX_CONFIG = "?config=TeX-AMS_CHTML-full,Safe"  # as nbconvert's default mathjax_url


def vendor(out: Path, key: str) -> str | None:
    """Relative path of a local copy of a front-end library, fetching it if needed."""
    spec, folder, keep, main_file = VENDORED[key]
    if not (out / folder / main_file).exists() and not npm_fetch(spec, out / folder, keep):
        return None
    return f"{folder}/{main_file}" if key != "reveal" else folder


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
    local = {} if args.cdn else {k: vendor(args.out, k) for k in VENDORED}
    offline = bool(local) and all(local.values())
    options = {"reveal_url_prefix": local.get("reveal") or CDN, "reveal_scroll": True}
    if local.get("require"):
        options["require_js_url"] = local["require"]
    if local.get("jquery"):
        options["jquery_url"] = local["jquery"]
    if local.get("mathjax"):
        options["mathjax_url"] = local["mathjax"] + MATHJAX_CONFIG
    exporter = SlidesExporter(**options)

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
        print("slides: reveal.js, require.js, jQuery and MathJax are local copies in "
              f"{args.out.name}/, so the decks open, move and typeset formulas without network "
              "(copy the whole folder to the presenting machine).")
    else:
        missing = [k for k in VENDORED if not local.get(k)]
        print(f"slides: no local copy of {', '.join(missing)}: they load from a CDN, so "
              "PRESENTING NEEDS THE NETWORK (run without --cdn, with npm available, for local copies).")
    print("slides: widgets appear as their stored initial state; run live demos in JupyterLab.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
