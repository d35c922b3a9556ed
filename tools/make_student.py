#!/usr/bin/env python
"""Generate the student versions of the homework notebooks.

The solution notebooks in ``homework/`` use nbgrader's format, so an
instructor who runs nbgrader can use them unchanged. Students who do not
have nbgrader get the notebooks this script writes into
``homework/student/``. The transform is the same one nbgrader's
``generate_assignment`` applies (ClearSolutions, ClearHiddenTests,
ClearMarkScheme, ClearOutput), written out here so that the lab does not
depend on nbgrader:

* in code cells, every region between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` is replaced by ``# YOUR CODE HERE`` and
  ``raise NotImplementedError()``, indented like the ``BEGIN`` line; a
  solution cell (``nbgrader.solution: true``) without markers is replaced
  whole;
* in Markdown cells, a solution region (or a whole solution cell without
  markers) becomes ``YOUR ANSWER HERE``;
* every region between ``### BEGIN HIDDEN TESTS`` and
  ``### END HIDDEN TESTS`` is removed, markers included;
* every region between ``=== BEGIN MARK SCHEME ===`` and
  ``=== END MARK SCHEME ===`` is removed;
* outputs are cleared and execution counts set to null; the nbgrader cell
  metadata is kept (so the student notebook still says which cells are
  graded), the execution timing metadata is dropped.

Usage::

    python tools/make_student.py              # homework/*.ipynb -> homework/student/
    python tools/make_student.py --check      # exit 1 if homework/student/ is stale
    python tools/make_student.py SRC.ipynb --out-dir DIR

Only the standard library and nbformat are used.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent

CODE_STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
TEXT_STUB = ["YOUR ANSWER HERE"]

# nbgrader matches its delimiters case-insensitively, after leading whitespace
# and a comment leader ("### BEGIN SOLUTION", "# BEGIN SOLUTION", "// BEGIN SOLUTION").
_LEAD = r"^(?P<indent>[ \t]*)(?:#+|//)?[ \t]*"


def _marker(words):
    return re.compile(_LEAD + words + r"[ \t]*$", re.IGNORECASE)


def _label(regex):
    """The marker words of a delimiter regex, for error messages."""
    return re.search(r"(BEGIN|END) [A-Z ]*[A-Z]", regex.pattern).group(0)


BEGIN_SOLUTION = _marker("BEGIN SOLUTION")
END_SOLUTION = _marker("END SOLUTION")
BEGIN_HIDDEN = _marker("BEGIN HIDDEN TESTS")
END_HIDDEN = _marker("END HIDDEN TESTS")
BEGIN_MARK = re.compile(r"^(?P<indent>[ \t]*)=*[ \t]*BEGIN MARK SCHEME[ \t]*=*[ \t]*$", re.IGNORECASE)
END_MARK = re.compile(r"^(?P<indent>[ \t]*)=*[ \t]*END MARK SCHEME[ \t]*=*[ \t]*$", re.IGNORECASE)

# cell metadata that records a particular execution; never shipped to students
VOLATILE_METADATA = ("execution", "collapsed", "scrolled")


class MarkerError(ValueError):
    """A BEGIN marker without its END marker (or the reverse)."""


def _replace_regions(lines, begin, end, stub, where):
    """Replace every begin..end region of ``lines`` by ``stub`` lines.

    ``stub`` is a list of lines (indented like the BEGIN line) or None to
    delete the region. Returns (new_lines, number_of_regions).
    """
    out, n_regions, inside, indent = [], 0, False, ""
    for number, line in enumerate(lines, start=1):
        if not inside:
            match = begin.match(line)
            if match:
                inside, n_regions = True, n_regions + 1
                indent = match.group("indent")
                continue
            if end.match(line):
                raise MarkerError(
                    f"{where}: line {number} closes a region that was never opened "
                    f"({line.strip()!r}); add the matching BEGIN line or remove it."
                )
            out.append(line)
        else:
            if end.match(line):
                inside = False
                if stub is not None:
                    out.extend(indent + s for s in stub)
            elif begin.match(line):
                raise MarkerError(
                    f"{where}: line {number} opens a region inside another one; "
                    "close the first region before opening the next."
                )
    if inside:
        raise MarkerError(
            f"{where}: a region opened with {_label(begin)!r} is never closed; "
            f"add the matching {_label(end)!r} line."
        )
    return out, n_regions


def student_cell(cell, where="cell"):
    """Return the student version of one notebook cell (a new object)."""
    cell = copy.deepcopy(cell)
    lines = cell.source.split("\n")
    nbmeta = cell.metadata.get("nbgrader", {})

    if cell.cell_type == "code":
        lines, n_solution = _replace_regions(lines, BEGIN_SOLUTION, END_SOLUTION, CODE_STUB, where)
        if nbmeta.get("solution") and n_solution == 0:
            lines = list(CODE_STUB)
        lines, _ = _replace_regions(lines, BEGIN_HIDDEN, END_HIDDEN, None, where)
        cell.outputs = []
        cell.execution_count = None
    else:
        lines, n_solution = _replace_regions(lines, BEGIN_SOLUTION, END_SOLUTION, TEXT_STUB, where)
        if nbmeta.get("solution") and n_solution == 0:
            lines = list(TEXT_STUB)
        lines, _ = _replace_regions(lines, BEGIN_HIDDEN, END_HIDDEN, None, where)
        lines, _ = _replace_regions(lines, BEGIN_MARK, END_MARK, None, where)

    cell.source = "\n".join(lines).rstrip("\n")
    for key in VOLATILE_METADATA:
        cell.metadata.pop(key, None)
    return cell


def student_notebook(nb, name="notebook"):
    """Return the student version of a whole notebook (a new object)."""
    nb = copy.deepcopy(nb)
    nb.cells = [student_cell(c, where=f"{name}, cell {i}") for i, c in enumerate(nb.cells)]
    return with_student_header(nb, name)


def with_student_header(nb, name):
    """Point a copied Binder/Colab header (tools/notebook_header.py) at the student notebook.

    The solution's header links to ``homework/NAME``; the student version gets the same
    header linking to ``homework/student/NAME``.  Without a header: unchanged.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    import notebook_header

    if not any(notebook_header.header_kind(c) for c in nb.cells):
        return nb
    notebook_header.apply(nb, f"homework/student/{name}")
    nb.cells = [nbformat.from_dict(c) for c in nb.cells]
    for cell in nb.cells:  # nbformat keeps sources as one string in memory
        if isinstance(cell.source, list):
            cell.source = "".join(cell.source)
    return nb


def render(nb):
    """The exact text that is written to disk (stable key order, final newline)."""
    return nbformat.writes(nb) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path,
                        help="solution notebooks (default: homework/*.ipynb)")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "homework" / "student")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a student notebook is missing or stale")
    args = parser.parse_args(argv)

    sources = args.sources or sorted((ROOT / "homework").glob("[0-9]*.ipynb"))
    if not sources:
        print("make_student: no solution notebooks found in homework/", file=sys.stderr)
        return 1
    stale = []
    if not args.check:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    for src in sources:
        nb = nbformat.read(src, as_version=4)
        try:
            text = render(student_notebook(nb, name=src.name))
        except MarkerError as exc:
            print(f"make_student: {exc}", file=sys.stderr)
            return 1
        dest = args.out_dir / src.name
        try:
            shown = dest.relative_to(ROOT)
        except ValueError:
            shown = dest
        if args.check:
            if not dest.exists() or dest.read_text(encoding="utf-8") != text:
                stale.append(str(shown))
            continue
        dest.write_text(text, encoding="utf-8")
        print(f"make_student: wrote {shown}")
    if stale:
        print("make_student: out of date (run `make homework`): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
