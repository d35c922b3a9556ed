"""Local copies of the front-end libraries the static views load (slides and site).

Lecture halls and phones are often offline, and a page that loads MathJax or
reveal.js from a CDN shows raw ``$$`` and no slides there. ``make slides`` and
``make site`` therefore copy these libraries next to the pages they build. The
copies come from the npm registry with ``npm pack`` (no Node.js runtime is
needed, only the ``npm`` client to download), are unpacked once into
``build/.vendor/`` and copied from there into each output folder.

Used by ``tools/build_slides.py`` and ``tools/build_site.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / ".vendor"

# key: (npm spec, folder, paths to keep from the package, the file pages load)
LIBRARIES = {
    "reveal": ("reveal.js@4", "reveal.js", ("dist/", "plugin/", "LICENSE"), "dist/reveal.js"),
    "require": ("requirejs@2", "requirejs", ("require.js", "package.json"), "require.js"),
    "jquery": ("jquery@3", "jquery", ("dist/jquery.min.js", "LICENSE.txt"), "dist/jquery.min.js"),
    # the MathJax 2.7 that nbconvert's reveal template is written for (it re-renders
    # each slide with MathJax.Hub), with the config, TeX input, CommonHTML output and
    # web fonts of its "TeX-AMS_CHTML-full" configuration
    "mathjax2": ("mathjax@2.7.9", "mathjax",
                 ("MathJax.js", "config/", "extensions/", "jax/input/TeX/", "jax/output/CommonHTML/",
                  "jax/element/", "fonts/HTML-CSS/TeX/woff/", "localization/en/", "LICENSE"),
                 "MathJax.js"),
    # MathJax 3 for the site: one file with every TeX extension, and its fonts
    "mathjax3": ("mathjax@3.2.2", "mathjax3",
                 ("es5/tex-chtml-full.js", "es5/output/chtml/fonts/woff-v2/", "LICENSE"),
                 "es5/tex-chtml-full.js"),
    # the accessibility engine the tests inject into every page, deck and the stepper
    # (WCAG 2 A/AA rules; tests only, never loaded by a page a reader opens)
    "axe": ("axe-core@4", "axe-core", ("axe.min.js", "LICENSE"), "axe.min.js"),
}


def npm_fetch(spec: str, dest: Path, keep: tuple, log=print) -> bool:
    """``npm pack spec`` and unpack the paths starting with one of ``keep`` into ``dest``."""
    npm = shutil.which("npm")
    if npm is None:
        log(f"offline assets: npm not found, cannot fetch {spec}")
        return False
    with tempfile.TemporaryDirectory() as tmp:
        try:
            done = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                                  capture_output=True, text=True, timeout=300, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            log(f"offline assets: `npm pack {spec}` failed ({type(exc).__name__})")
            return False
        tgz = Path(tmp) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            members = [m for m in tar.getmembers()
                       if m.name.startswith(tuple("package/" + k for k in keep))]
            tar.extractall(tmp, members=members, filter="data")
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(tmp) / "package"), dest)
        log(f"offline assets: fetched {tgz.name}")
    return True


def vendor(out: Path, key: str, log=print) -> str | None:
    """Copy library ``key`` into ``out``; return the path pages load, relative to ``out``.

    None (after saying why) when it is not cached and npm cannot fetch it.
    """
    spec, folder, keep, main_file = LIBRARIES[key]
    cached = CACHE / folder
    if not (cached / main_file).exists() and not npm_fetch(spec, cached, keep, log):
        return None
    target = out / folder
    if not (target / main_file).exists():
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(cached, target)
    return f"{folder}/{main_file}"


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def static_notebook(nb):
    """Prepare ``nb`` (in memory) for a view without a kernel; return it.

    Drops the Binder/Colab header cells and a stored widget state, so nbconvert draws each
    widget's still PNG instead of loading the widget renderer from a CDN. Outputs are left
    as stored: each picture's alt text is the sentence the notebook stored with it
    (``output.metadata["image/png"]["alt"]``, written by ``softmax_lab.plotting.show`` and
    ``softmax_lab.still.WithStill``), which the templates write into ``<img alt>``; a picture
    stored without one is reported by tests/test_alt_text.py, not papered over here.
    """
    nb.metadata.pop("widgets", None)
    # the Binder/Colab header (tools/notebook_header.py): its badges are images on other
    # hosts and its install cell means nothing without a kernel; static views carry their
    # own launch links
    nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get("softmax_lab", {}).get("header")]
    return nb
