"""One notation in every lesson: the table in docs/notation.md, enforced where a program can.

``docs/notation.md`` holds the one notation table (symbol | written | meaning | code | what the
other sources write).  This file parses it and checks every lesson notebook (00 … 10) against it,
one test per lesson and rule, so a failure names the lesson, the cell and the offending text:

* ``metadata["softmax_lab"]["symbols"]`` exists, is a subset of the table's first column, and
  declares every Greek symbol (and ŷ, z_max) the lesson's markdown uses outside quotes;
* outside quotes, no class subscript of ŷ, θ, b or z is k or more, where k is
  ``metadata["softmax_lab"]["k"]`` of the notebook (a cell's own ``metadata["softmax_lab"]["k"]``
  overrides it, for a two-class cell in a three-class lesson).  Checked in markdown math
  (``\\hat y_3``, ``\\theta_{3}``), in Unicode (``ŷ₃``) and in the LaTeX strings of code cells
  (figure titles and labels);
* no "slide's class 2" (a 1-based class number) outside a quote;
* θ₀ is never the bias row: no ``\\theta_{1:}``, no θ₀ within a few words of "bias" unless
  "column" is there too;
* one form of the sample mean: no ``\\frac{1}{n}``, ``\\frac{1}{N}``, ``\\frac{1}{S}``, ``1/n``,
  ``1/N`` outside quotes; no ``m = \\max`` (the max logit is z_max) and no ``\\sum_k`` (classes
  are summed over c′);
* no citation of the raw course files (``seeds/…``, "seed 004") in notebooks/, docs/ or
  softmax_lab/;
* lesson 00's notation table equals the first four columns of docs/notation.md's.

A quote is a markdown blockquote whose first line starts with ``> **Slide quote:`` (the deck) or
``> **Quote:`` (the notes); inside it the source's own notation is allowed.

Not checkable here (read by a person instead): whether a letter is used in the table's meaning
in a sentence, whether a quote's conversion is right, 1-based class numbers written in words.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTATION = ROOT / "docs" / "notation.md"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSON_IDS = [p.stem[:2] for p in LESSONS]


# ---------------------------------------------------------------- the table
def _table_rows(text):
    """The rows of the first markdown table whose header starts with ``| symbol |``."""
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if re.match(r"^\|\s*symbol\s*\|", line):
            break
    else:
        return None
    rows = []
    for line in lines[start + 2:]:          # skip the header and the |---| line
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in _split_row(line)]
        rows.append(cells)
    header = [c.strip() for c in _split_row(lines[start])]
    return header, rows


def _split_row(line):
    """Split a markdown table row on |, not on \\| or on | inside $...$ or `...`."""
    cells, current, math, code = [], "", False, False
    body = line.strip()[1:-1] if line.strip().endswith("|") else line.strip()[1:]
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current += body[i:i + 2]
            i += 2
            continue
        if ch == "`":
            code = not code
        elif ch == "$" and not code:
            math = not math
        if ch == "|" and not math and not code:
            cells.append(current)
            current = ""
        else:
            current += ch
        i += 1
    cells.append(current)
    return cells


def notation_table():
    parsed = _table_rows(NOTATION.read_text(encoding="utf-8"))
    assert parsed is not None, f"{NOTATION} has no table whose header starts with '| symbol |'"
    return parsed


def table_symbols():
    return [row[0] for row in notation_table()[1]]


def test_notation_table_is_well_formed():
    header, rows = notation_table()
    assert [h.lower() for h in header[:4]] == ["symbol", "written", "meaning", "code"], header
    assert len(header) == 5 and "other sources" in header[4], header
    symbols = [row[0] for row in rows]
    assert len(symbols) == len(set(symbols)), f"a symbol appears twice: {symbols}"
    for row in rows:
        assert len(row) == len(header), f"row {row[0]!r} has {len(row)} cells, the header {len(header)}"
        assert all(cell for cell in row[:4]), f"row {row[0]!r} has an empty cell: {row}"
    # the deck's letters (COMMON notation): m examples, n features, k classes, s batch size
    meaning = {row[0]: row[2].lower() for row in rows}
    for symbol, word in [("m", "examples"), ("n", "features"), ("k", "classes"), ("s", "mini-batch"),
                         ("η", "learning rate"), ("λ", "l2"), ("T", "temperature"), ("z_max", "largest logit"),
                         ("b", "bias"), ("W", "weight"), ("θ_c", "column")]:
        assert symbol in meaning and word in meaning[symbol], f"{symbol!r} must mean {word!r}: {meaning.get(symbol)}"
    code = {row[0]: row[3] for row in rows}
    assert "theta[1:]" in code["W"] and "theta[0]" in code["b"] and "theta[:, c]" in code["θ_c"]


# ---------------------------------------------------------------- notebook text
def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


_QUOTE_START = re.compile(r"^>\s*\*\*(Slide quote|Quote):")


def strip_quotes(markdown):
    """The markdown with every marked quote (a blockquote starting '> **Slide quote:' or
    '> **Quote:') replaced by blank lines, so that line numbers still match."""
    out, inside = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(">"):
            if not inside and _QUOTE_START.match(line.lstrip()):
                inside = True
            out.append("" if inside else line)
        else:
            inside = False
            out.append(line)
    return "\n".join(out)


_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def math_segments(markdown):
    """LaTeX segments ($$...$$ and $...$) of markdown, code spans removed first."""
    text = _CODE_SPAN.sub(" ", markdown)
    segments = re.findall(r"\$\$(.+?)\$\$", text, re.S)
    text = re.sub(r"\$\$(.+?)\$\$", " ", text, flags=re.S)
    segments += re.findall(r"(?<![\\$])\$([^$\n]+?)\$", text)
    return segments


def string_math(code):
    """LaTeX inside string literals of a code cell (figure titles, labels): $...$ on one line."""
    return re.findall(r"\$([^$\n\"']+?)\$", code)


def lesson_cells(path):
    """(index, cell, text outside quotes, k for this cell) for every cell of a lesson."""
    nb = load(path)
    k_nb = nb["metadata"].get("softmax_lab", {}).get("k")
    for index, cell in enumerate(nb["cells"]):
        k = cell.get("metadata", {}).get("softmax_lab", {}).get("k", k_nb)
        text = source(cell)
        if cell["cell_type"] == "markdown":
            text = strip_quotes(text)
        yield index, cell, text, k


# class subscripts: \hat y_3, \hat{y}_{3}, \hat{\mathbf y}_3, \theta_3, \boldsymbol\theta_{3}, b_3, z_3
_SUBSCRIPTED = re.compile(
    r"(?P<sym>\\hat\s*\{?\s*(?:\\mathbf\s*|\\boldsymbol\s*)?\{?\s*y\s*\}?\s*\}?"
    r"|\\theta|\\boldsymbol\s*\{?\s*\\theta\s*\}?|(?<![A-Za-z\\])b|(?<![A-Za-z\\])z)"
    r"\s*_\s*(?:\{\s*(?P<braced>\d+)\s*\}|(?P<digit>\d))"
)
_UNICODE_SUB = re.compile(r"(?P<sym>ŷ|θ|(?<![A-Za-z])b|(?<![A-Za-z])z)(?P<sub>[₀₁₂₃₄₅₆₇₈₉]+)")
_SUB_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def class_subscripts(text, code=False):
    """(symbol, subscript) pairs of class-indexed symbols in the LaTeX (and Unicode) of text."""
    segments = string_math(text) if code else math_segments(text)
    found = []
    for seg in segments:
        for m in _SUBSCRIPTED.finditer(seg):
            found.append((m.group(0), int(m.group("braced") or m.group("digit"))))
    if not code:
        prose = _CODE_SPAN.sub(" ", text)
        for m in _UNICODE_SUB.finditer(prose):
            found.append((m.group(0), int(m.group("sub").translate(_SUB_DIGITS))))
    return found


# ---------------------------------------------------------------- per-lesson rules
@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_lesson_declares_its_symbols(path):
    meta = load(path)["metadata"].get("softmax_lab", {})
    symbols = meta.get("symbols")
    assert isinstance(symbols, list) and symbols, (
        f"{path.name}: metadata['softmax_lab']['symbols'] must list the symbols of docs/notation.md "
        "that the lesson uses")
    unknown = sorted(set(symbols) - set(table_symbols()))
    assert not unknown, f"{path.name}: symbols not in docs/notation.md's table: {unknown}"
    k = meta.get("k")
    assert isinstance(k, int) and k >= 2, f"{path.name}: metadata['softmax_lab']['k'] (number of classes) missing"


# a LaTeX command or Unicode letter in the markdown -> the table symbol it needs declared
_USES = [(re.compile(r"\\eta\b|η"), "η"), (re.compile(r"\\lambda\b|λ"), "λ"),
         (re.compile(r"\\theta\b|θ"), "θ"), (re.compile(r"\\hat\s*\{?\s*y|ŷ"), "ŷ"),
         (re.compile(r"\\delta\b|δ"), "δ"), (re.compile(r"\\sigma\b|σ"), "σ"),
         (re.compile(r"z_\{?\\max"), "z_max"), (re.compile(r"\\nabla\b|∇"), "∇L")]


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_symbols_used_are_declared(path):
    declared = set(load(path)["metadata"].get("softmax_lab", {}).get("symbols") or [])
    missing = {}
    for index, cell, text, _ in lesson_cells(path):
        if cell["cell_type"] != "markdown":
            continue
        for pattern, symbol in _USES:
            if symbol not in declared and pattern.search(text):
                missing.setdefault(symbol, index)
    assert not missing, (f"{path.name}: symbols used in markdown but not in metadata softmax_lab.symbols "
                         f"(symbol: first cell): {missing}")


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_class_subscripts_are_0_based(path):
    bad = []
    for index, cell, text, k in lesson_cells(path):
        if k is None or cell["cell_type"] not in ("markdown", "code"):
            continue
        for written, sub in class_subscripts(text, code=cell["cell_type"] == "code"):
            if sub >= k:
                bad.append(f"cell {index}: {written} (class {sub}, but k = {k}: classes are 0..{k - 1})")
    assert not bad, (f"{path.name}: class subscripts outside 0..k-1 outside a slide quote "
                     "(1-based slide numbers belong in a '> **Slide quote:' with the code index):\n  "
                     + "\n  ".join(bad))


_SLIDE_CLASS = re.compile(r"slide(?:'s|s'|’s|s’)?\s+class(?:es)?\s+\d", re.I)


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_one_based_class_numbers_only_in_quotes(path):
    bad = [f"cell {index}: {m.group(0)!r}"
           for index, cell, text, _ in lesson_cells(path) if cell["cell_type"] == "markdown"
           for m in _SLIDE_CLASS.finditer(text)]
    assert not bad, (f"{path.name}: the slides' 1-based class numbers outside a marked slide quote:\n  "
                     + "\n  ".join(bad))


_THETA0 = re.compile(r"\\theta_\{?0\}?|θ₀|θ_0")
_THETA_ROWS = re.compile(r"\\theta_\{\s*1\s*:\s*\}|θ₁:|θ_\{?1:")


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_theta0_is_never_the_bias_row(path):
    bad = []
    for index, cell, text, _ in lesson_cells(path):
        if cell["cell_type"] != "markdown":
            continue
        if _THETA_ROWS.search(text):
            bad.append(f"cell {index}: {_THETA_ROWS.search(text).group(0)} (weights are W = θ[1:])")
        for m in _THETA0.finditer(text):
            window = text[max(0, m.start() - 60): m.end() + 60].lower()
            if "bias" in window and "column" not in window and "class 0" not in window:
                bad.append(f"cell {index}: ...{text[max(0, m.start() - 40): m.end() + 40]!s}...")
    assert not bad, (f"{path.name}: θ₀ is class 0's column; the bias row is b (theta[0]):\n  "
                     + "\n  ".join(bad))


_OTHER_MEANS = re.compile(r"\\frac\s*\{?\s*1\s*\}?\s*\{?\s*[nNS]\s*\}|\\tfrac\s*\{?1\}?\s*\{?[nNS]\}"
                          r"|(?<![\w/])1\s*/\s*[nN](?![\w])|\\frac1[nNS]")
_MAX_AS_M = re.compile(r"(?<![\w\\])m\s*=\s*\\max|\bm\s*=\s*max_")
_SUM_OVER_K = re.compile(r"\\sum_\{?k(?![\w])")


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_one_form_of_the_mean_and_no_reused_letters(path):
    bad = []
    for index, cell, text, _ in lesson_cells(path):
        if cell["cell_type"] != "markdown":
            continue
        prose = _CODE_SPAN.sub(" ", text)
        for pattern, why in [(_OTHER_MEANS, "the mean is 1/m over the data, 1/s over a batch"),
                             (_MAX_AS_M, "m counts examples; the max logit is z_max"),
                             (_SUM_OVER_K, "k is the number of classes; sum over c'")]:
            for m in pattern.finditer(prose):
                bad.append(f"cell {index}: {m.group(0)!r} ({why})")
    assert not bad, f"{path.name}: outside quotes:\n  " + "\n  ".join(bad)


# ---------------------------------------------------------------- no raw source files cited
_RAW_SOURCE = re.compile(r"seeds?/\d{3}|seeds/|\bseed\s*0{2}[0-4]\b|\b00[0-4]_[0-9a-f]{8,}")
CITING_FILES = sorted([*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "docs").rglob("*.md"),
                       *(ROOT / "softmax_lab").rglob("*.py")])


@pytest.mark.parametrize("path", CITING_FILES, ids=[str(p.relative_to(ROOT)) for p in CITING_FILES])
def test_no_raw_source_citation(path):
    text = path.read_text(encoding="utf-8")
    hits = sorted({m.group(0) for m in _RAW_SOURCE.finditer(text)})
    assert not hits, (f"{path.relative_to(ROOT)} cites the course's raw source files {hits}; a reader does "
                      "not have them: cite the deck by its title and slide title, the notes by their title "
                      "(docs/sources.md)")


# ---------------------------------------------------------------- 00 repeats the table
def test_lesson_00_table_equals_docs_notation():
    header, rows = notation_table()
    start = next(p for p in LESSONS if p.name.startswith("00_"))
    tables = [_table_rows(source(c)) for c in load(start)["cells"] if c["cell_type"] == "markdown"]
    tables = [t for t in tables if t is not None]
    assert len(tables) == 1, f"00 must hold exactly one '| symbol |' table, found {len(tables)}"
    header00, rows00 = tables[0]
    assert header00 == header[:4], f"00's header {header00} != docs/notation.md's first four {header[:4]}"
    expected = [row[:4] for row in rows]
    assert rows00 == expected, "00's notation table differs from docs/notation.md:\n" + "\n".join(
        f"  00: {a}\n  docs: {b}" for a, b in zip(rows00 + [None] * len(expected), expected + [None] * len(rows00))
        if a != b)


# ---------------------------------------------------------------- the checker checks
def test_checker_finds_what_it_should():
    """The rules above on known text, so a regex that matches nothing cannot pass silently."""
    assert ("\\hat y_3", 3) in class_subscripts("the slide's $\\hat y_3$ is cut off")
    assert [s for _, s in class_subscripts("$\\hat{y}_{2}$ and $\\theta_{1}$ and $b_2$ and ŷ₃")] == [2, 1, 2, 3]
    assert class_subscripts("$x_3$ and $w_{12}$ and $z_{\\max}$ and $\\hat y^{(3)}$") == []
    assert [s for _, s in class_subscripts("ax.set_ylabel(r'$\\hat y_2$')", code=True)] == [2]
    quoted = strip_quotes('> **Slide quote: the deck, slide "Loss function".** $\\hat y_3$\n> more $b_3$\n\nafter $b_1$')
    assert "\\hat y_3" not in quoted and "b_3" not in quoted and "b_1" in quoted
    assert "b_3" in strip_quotes("> **Erratum.** $b_3$")          # an unmarked blockquote is not a quote
    assert _OTHER_MEANS.search("$\\frac{1}{n}\\sum$") and _OTHER_MEANS.search("(1/N) sum")
    assert not _OTHER_MEANS.search("$\\frac{1}{m}\\sum$ and $1/k$ and $\\frac{1}{s}$ and 1/n_features")
    assert _MAX_AS_M.search("$m = \\max_j z_j$") and not _MAX_AS_M.search("$z_{\\max} = \\max_c z_c$")
    assert _SUM_OVER_K.search("$\\sum_k y_k$") and not _SUM_OVER_K.search("$\\sum_{c'} y_{c'}$")
    assert _THETA_ROWS.search("$Z = X\\theta_{1:} + \\theta_0$")
    assert _RAW_SOURCE.search("slide deck (seed 004)") and _RAW_SOURCE.search("see seeds/001_x.txt")
    assert not _RAW_SOURCE.search("seed=0, seed 42")
    assert _SLIDE_CLASS.search("class 1 (the slide's class 2)")
    assert _split_row("| a | $x|y$ | `a|b` |") == [" a ", " $x|y$ ", " `a|b` "]
