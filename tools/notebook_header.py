#!/usr/bin/env python
"""Put the "Open in Binder / Open in Colab" header at the top of every notebook.

Two cells, inserted (or refreshed) as the first cells of each notebook:

1. a Markdown cell with the two badges, pointing at this notebook's own path in the
   repository (links from ``softmax_lab/_repo.py``, the one repository setting);
2. a code cell that installs ``softmax-lab`` when ``import softmax_lab`` would fail
   (Colab, or any Jupyter kernel without the package), from the repository's zip
   on GitHub or from ``$SOFTMAX_LAB_SOURCE`` (a checkout, a wheel or any pip URL;
   the tests point it at the local checkout).  Where the package is installed
   (Binder, ``make lab``, ``pip install``) it does nothing and prints nothing, so
   nbval's stored outputs stay the same.  On Colab, and only there, it switches on
   Colab's custom widget manager, which draws ipywidgets 8.

The cells are found again by their metadata (``metadata.softmax_lab.header`` =
``"badges"`` / ``"install"``) and carry ``slideshow.slide_type = "skip"`` (not
part of the slides) and the tag ``nbval-ignore-output`` (the install messages,
when the package is missing, are not a lesson's output).

Idempotent: a notebook whose header is current is not rewritten; a stale one gets
new header cells (execution count and outputs cleared), nothing else changes.

Usage::

    python tools/notebook_header.py                  # lessons, homework, homework/student
    python tools/notebook_header.py --check          # exit 1 if a header is missing or stale
    python tools/notebook_header.py --root DIR A.ipynb ...   # paths relative to DIR (copies)

Standard library only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER_KEY = "header"
BADGES, INSTALL = "badges", "install"
ENV_SOURCE = "SOFTMAX_LAB_SOURCE"
# what the install cell installs: the kernel-side dependencies only (plots, widgets,
# scikit-learn), never a second JupyterLab/notebook server (on Colab that breaks the
# runtime, whose google-colab package pins its own notebook/ipykernel)
EXTRA = "kernel"


def load_repo_setting(root: Path = ROOT):
    """The module ``softmax_lab/_repo.py`` under ``root``, loaded by path (no numpy needed).

    How every tool reads the repository setting (``set_repo.py``, ``build_site.py`` and the
    tests import this); ``setup.py`` loads the same file the same way, the Makefile runs it.
    """
    path = Path(root) / "softmax_lab" / "_repo.py"
    spec = importlib.util.spec_from_file_location("_softmax_lab_repo_setting", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def default_notebooks(root: Path = ROOT) -> list[Path]:
    root = Path(root)
    return (sorted((root / "notebooks").glob("[0-9]*.ipynb"))
            + sorted((root / "homework").glob("[0-9]*.ipynb"))
            + sorted((root / "homework" / "student").glob("[0-9]*.ipynb")))


def badges_source(relpath: str, repo) -> str:
    return (
        f"[![Open in Binder]({repo.BINDER_BADGE})]({repo.binder_url(relpath)}) "
        f"[![Open in Colab]({repo.COLAB_BADGE})]({repo.colab_url(relpath)})\n"
        "\n"
        "*Binder* and a local install (`make lab`) need no setup. *Colab* or another Jupyter "
        "without the course package: run the first code cell below; it installs `softmax-lab`."
    )


def install_source(repo) -> str:
    return f'''\
# Colab, or a Jupyter kernel without the course package: install it (about a minute).
# Where softmax_lab is installed already (Binder, `make lab`, pip) this cell does nothing.
import importlib.util, os, pathlib, subprocess, sys

if importlib.util.find_spec("softmax_lab") is None:
    source = os.environ.get("{ENV_SOURCE}", "{repo.archive_url()}")
    if os.path.exists(source):  # a local checkout or wheel (the tests use one)
        source = pathlib.Path(source).resolve().as_uri()
    print(f"softmax-lab is not installed: pip install softmax-lab[{EXTRA}] from {{source}}")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"softmax-lab[{EXTRA}] @ {{source}}"],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        raise RuntimeError("pip could not install softmax-lab:\\n" + pip.stdout[-3000:] + pip.stderr[-3000:])
    importlib.invalidate_caches()
    old = sys.modules.get("ipywidgets")
    if old is not None and not old.__version__.startswith("8."):
        raise RuntimeError(f"softmax-lab is installed, but this kernel had loaded ipywidgets {{old.__version__}} "
                           "before ipywidgets 8 arrived: restart the kernel (Colab: Runtime > Restart session) "
                           "and run the notebook again.")
    print("softmax-lab installed.")
if "google.colab" in sys.modules:  # Colab draws ipywidgets 8 with its custom widget manager
    from google.colab import output
    output.enable_custom_widget_manager()'''


def _lines(text: str) -> list[str]:
    """A cell source as nbformat stores it on disk: a list of lines, newlines kept."""
    return text.splitlines(keepends=True)


def header_cells(relpath: str, repo=None) -> list[dict]:
    """The two header cells (notebook JSON dicts) for the notebook at ``relpath``."""
    repo = load_repo_setting() if repo is None else repo
    badges = {
        "cell_type": "markdown",
        "id": "softmax-lab-header-badges",
        "metadata": {"slideshow": {"slide_type": "skip"}, "softmax_lab": {HEADER_KEY: BADGES}},
        "source": _lines(badges_source(relpath, repo)),
    }
    install = {
        "cell_type": "code",
        "execution_count": None,
        "id": "softmax-lab-header-install",
        "metadata": {"slideshow": {"slide_type": "skip"}, "softmax_lab": {HEADER_KEY: INSTALL},
                     "tags": ["nbval-ignore-output"]},
        "outputs": [],
        "source": _lines(install_source(repo)),
    }
    return [badges, install]


def header_kind(cell: dict):
    """``"badges"`` / ``"install"`` for a header cell, None for any other cell."""
    meta = cell.get("metadata", {}).get("softmax_lab", {})
    return meta.get(HEADER_KEY) if isinstance(meta, dict) else None


def _same(current: dict, wanted: dict) -> bool:
    """Same cell apart from what an execution records (count, outputs, timing)."""
    meta = {k: v for k, v in current.get("metadata", {}).items() if k not in ("execution", "collapsed", "scrolled")}
    src = current.get("source", "")
    src = "".join(src) if isinstance(src, list) else src
    return (current.get("cell_type") == wanted["cell_type"] and meta == wanted["metadata"]
            and src == "".join(wanted["source"]) and current.get("id") == wanted["id"])


def apply(nb: dict, relpath: str, repo=None) -> bool:
    """Insert or refresh the header of ``nb`` (a JSON dict) in place; True if it changed."""
    wanted = header_cells(relpath, repo)
    cells = nb.setdefault("cells", [])
    n = len(wanted)
    if (len(cells) >= n and all(_same(c, w) for c, w in zip(cells[:n], wanted))
            and not any(header_kind(c) for c in cells[n:])):
        return False
    body = [c for c in cells if not header_kind(c)]
    taken = {c.get("id") for c in body}
    clash = [w["id"] for w in wanted if w["id"] in taken]
    if clash:
        raise ValueError(f"{relpath}: a non-header cell already uses the id {clash[0]!r}; "
                         "give that cell another id and run the tool again.")
    nb["cells"] = wanted + body
    return True


def relative_path(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        raise SystemExit(f"notebook_header: {path} is not inside the root {root}; "
                         "pass --root with the directory the links should be relative to.") from None


def process(path: Path, root: Path, repo, check: bool) -> bool:
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    changed = apply(nb, relative_path(path, root), repo)
    if changed and not check:
        # nbformat's on-disk style: indent=1, sorted keys, final newline
        path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Insert or refresh the Binder/Colab header of notebooks.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="default: notebooks/, homework/ and homework/student/ under --root")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="repository root the badge links are relative to (default: this checkout)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a header is missing or stale")
    args = parser.parse_args(argv)
    repo = load_repo_setting(args.root if (args.root / "softmax_lab" / "_repo.py").exists() else ROOT)
    paths = args.notebooks or default_notebooks(args.root)
    if not paths:
        print(f"notebook_header: no notebooks under {args.root}", file=sys.stderr)
        return 1
    stale = []
    for path in paths:
        if process(path, args.root, repo, args.check):
            stale.append(path)
            print(f"{path}: {'header missing or stale' if args.check else 'header written'}")
    if not stale:
        print(f"notebook_header: {len(paths)} notebook(s) up to date")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
