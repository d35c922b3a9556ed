#!/usr/bin/env python
"""Add reveal.js slide metadata (``slideshow.slide_type``) to lesson notebooks.

Rules, applied to every cell:

* a Markdown cell whose first line starts with ``# `` or ``## ``  -> ``"slide"``
* a Markdown cell whose first line starts with ``### ``           -> ``"subslide"``
* a code cell that produces a figure (image output)               -> ``"fragment"``
* every other cell                                                -> ``"-"`` (continues the slide)

Idempotent: running it twice gives the same file. Metadata only: sources,
outputs and execution counts are never touched, so nbval's stored outputs stay
valid. A cell whose slide type was set by hand to something else (e.g.
``"skip"`` or ``"notes"``) keeps it; ``--force`` overwrites those too.

Usage::

    python tools/add_slide_metadata.py notebooks/*.ipynb
    python tools/add_slide_metadata.py --check notebooks/*.ipynb   # exit 1 if any would change
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

AUTO_TYPES = {"slide", "subslide", "fragment", "-"}


def slide_type(cell) -> str:
    if cell.get("cell_type") == "markdown":
        source = cell.get("source", "")
        first = ("".join(source) if isinstance(source, list) else source).lstrip("\n").split("\n", 1)[0]
        if first.startswith("# ") or first.startswith("## "):
            return "slide"
        if first.startswith("### "):
            return "subslide"
        return "-"
    if cell.get("cell_type") == "code":
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {}):
                return "fragment"
    return "-"


def annotate(nb: dict, force: bool = False) -> int:
    """Set slide types in place on the JSON dict; return how many cells changed."""
    changed = 0
    for cell in nb.get("cells", []):
        meta = cell.setdefault("metadata", {})
        show = meta.setdefault("slideshow", {})
        current = show.get("slide_type")
        if current is not None and current not in AUTO_TYPES and not force:
            continue  # set by hand (skip, notes): keep
        wanted = slide_type(cell)
        if current != wanted:
            show["slide_type"] = wanted
            changed += 1
    return changed


def process(path: Path, check: bool, force: bool) -> int:
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    changed = annotate(nb, force=force)
    if changed and not check:
        # nbformat's on-disk style: indent=1, sorted keys, final newline
        path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Add slideshow metadata to notebooks.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    parser.add_argument("--force", action="store_true", help="also overwrite hand-set slide types")
    args = parser.parse_args(argv)
    stale = 0
    for path in args.notebooks:
        n = process(path, args.check, args.force)
        verb = "would change" if args.check else "changed"
        print(f"{path}: {verb} {n} cell(s)" if n else f"{path}: up to date")
        stale += bool(n)
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
