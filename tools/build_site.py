#!/usr/bin/env python
"""Build the read-only course website (``make site``) into build/site/.

One HTML page per lesson notebook (``notebooks/NN_*.ipynb``), made from the
STORED outputs (nothing is executed), plus an index page. Every page has:

* the lessons' table of contents and previous / next links;
* search over every section of every lesson (a small index in
  ``_static/search_index.js`` and ~100 lines of JavaScript; it works from a
  web server and from ``file://``);
* formulas typeset by a local copy of MathJax 3 (``tools/offline_assets.py``
  fetches it once with ``npm pack``): no request leaves the reader's machine;
* every figure, and every widget as its still picture with the one line that
  says live controls need a kernel (a stored widget state is ignored, see
  ``tools/run_notebooks.py``);
* "launch" links that open the same notebook on Binder and on Colab, from the
  repository setting ``softmax_lab/_repo.py`` (``make set-repo``; ``--repo`` overrides).

Why a small nbconvert-based builder rather than Jupyter Book or Sphinx +
myst-nb: nbconvert is already installed with JupyterLab, so the site adds no
Python dependency; it renders the notebooks exactly as ``jupyter nbconvert``
does (the same still-picture fallback for widgets that GitHub shows); and
offline math, search and launch links are a template and two small files here,
where Jupyter Book 2 / MyST needs Node.js and downloads its theme at build time,
and Sphinx + myst-nb brings ~30 packages and loads MathJax from a CDN unless
configured otherwise.

Usage::

    python tools/build_site.py [NOTEBOOK ...] [--out build/site] [--repo owner/name] [--branch main]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
from offline_assets import static_notebook, vendor  # noqa: E402

TITLE = "softmax-lab: softmax regression, step by step"
STATIC = "_static"


# ------------------------------------------------------------------ repository
def repository_setting():
    """(owner/name, branch) from the one repository setting, ``softmax_lab/_repo.py``."""
    sys.path.insert(0, str(TOOLS))
    import notebook_header

    setting = notebook_header.load_repo_setting(ROOT)
    return setting.REPO, setting.BRANCH


def launch_links(repo: str, branch: str, rel_path: str) -> list[tuple[str, str]]:
    """(label, url) pairs that open ``rel_path`` (a notebook path in the repository) live."""
    return [
        ("Binder", f"https://mybinder.org/v2/gh/{repo}/{quote(branch)}?labpath={quote(rel_path)}"),
        ("Colab", f"https://colab.research.google.com/github/{repo}/blob/{quote(branch)}/{quote(rel_path)}"),
    ]


# ------------------------------------------------------------------ pages
# TeX a title or a search entry may hold, as the Unicode a reader sees (navigation,
# the tab title and search results are plain text: no MathJax runs there)
_TEX_SYMBOLS = {
    r"\theta": "θ", r"\Theta": "Θ", r"\eta": "η", r"\delta": "δ", r"\Delta": "Δ", r"\lambda": "λ",
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\sigma": "σ", r"\mu": "μ", r"\epsilon": "ε",
    r"\varepsilon": "ε", r"\pi": "π", r"\partial": "∂", r"\nabla": "∇", r"\sum": "Σ", r"\prod": "Π",
    r"\leq": "≤", r"\le": "≤", r"\geq": "≥", r"\ge": "≥", r"\neq": "≠", r"\ne": "≠", r"\approx": "≈",
    r"\cdot": "·", r"\times": "×", r"\to": "→", r"\rightarrow": "→", r"\leftarrow": "←",
    r"\Longrightarrow": "⟹", r"\Rightarrow": "⇒", r"\infty": "∞", r"\in": "∈", r"\ldots": "…",
    r"\dots": "…", r"\cdots": "⋯", r"\log": "log", r"\exp": "exp", r"\max": "max", r"\min": "min",
    r"\arg": "arg", r"\top": "ᵀ", r"\|": "‖", r"\lVert": "‖", r"\rVert": "‖", r"\quad": " ", r"\qquad": " ",
    r"\,": " ", r"\;": " ", r"\!": "", r"\{": "{", r"\}": "}", r"\%": "%", r"\&": "&", r"\_": "_",
    r"\left": "", r"\right": "", r"\mid": "|",
}
_SUPER = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzT",
                  "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ"))
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_ARG = r"(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[^\s{}\\])"  # {group}, \command or one character


def _strip_braces(arg: str) -> str:
    return arg[1:-1] if arg.startswith("{") and arg.endswith("}") else arg


def _script(arg: str, table: dict, mark: str) -> str:
    arg = _strip_braces(arg)
    return "".join(table[ch] for ch in arg) if arg and all(ch in table for ch in arg) else f"{mark}{arg}"


def tex_to_text(tex: str) -> str:
    """Unicode for the simple TeX of a heading: ``\\hat y - y`` -> ``ŷ − y``, ``\\eta = 0.1`` -> ``η = 0.1``."""
    import unicodedata

    s = tex
    for _ in range(3):  # nested: \hat{\mathbf y}, \frac{\partial L}{\partial z}
        s = re.sub(r"\\(?:operatorname|mathrm|mathbf|mathit|boldsymbol|text|textbf|mathbb|bm)\s*" + _ARG,
                   lambda m: {"R": "ℝ", "N": "ℕ", "Z": "ℤ"}.get(_strip_braces(m.group(1)), _strip_braces(m.group(1)))
                   if "mathbb" in m.group(0) else _strip_braces(m.group(1)), s)
        s = re.sub(r"\\(hat|tilde|bar|vec)\s*" + _ARG,
                   lambda m: _strip_braces(m.group(2)) + {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304",
                                                          "vec": "\u20d7"}[m.group(1)], s)
        s = re.sub(r"\\[dt]?frac\s*" + _ARG + r"\s*" + _ARG,
                   lambda m: f"{_strip_braces(m.group(1))}/{_strip_braces(m.group(2))}", s)
    s = re.sub(r"\\begin\{[pbvBV]?matrix\}(.*?)\\end\{[pbvBV]?matrix\}",
               lambda m: "[" + "; ".join(", ".join(c.strip() for c in row.split("&"))
                                         for row in re.split(r"\\\\", m.group(1)) if row.strip()) + "]",
               s, flags=re.S)
    for cmd in sorted(_TEX_SYMBOLS, key=len, reverse=True):
        s = re.sub(re.escape(cmd) + (r"(?![A-Za-z])" if cmd[-1].isalpha() else ""), _TEX_SYMBOLS[cmd], s)
    s = re.sub(r"\^\s*" + _ARG, lambda m: _script(m.group(1), _SUPER, "^"), s)
    s = re.sub(r"_\s*" + _ARG, lambda m: _script(m.group(1), _SUB, "_"), s)
    s = s.replace("{", "").replace("}", "").replace(" - ", " − ")
    return unicodedata.normalize("NFC", " ".join(s.split()))


def math_to_text(text: str) -> str:
    """Every ``$...$`` / ``$$...$$`` formula in ``text`` as Unicode (search entries, titles);
    one too rich for plain text (a TeX command is left) reads "[formula]"."""
    def one(m):
        out = tex_to_text(m.group(1) or m.group(2))
        return "[formula]" if re.search(r"\\[A-Za-z]", out) else out

    return re.sub(r"\$\$(.+?)\$\$|\$(.+?)\$", one, text, flags=re.S)


def plain_text(markdown: str) -> str:
    """A line of Markdown as the plain text a reader sees: math as Unicode, no markup left."""
    s = math_to_text(markdown)
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)           # [text](url) -> text
    s = re.sub(r"`([^`]*)`", r"\1", s)                          # `code` -> code
    s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)                   # **bold**
    s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", s)  # *em*
    s = re.sub(r"(?<![\w])_(?!\s)(.+?)(?<!\s)_(?![\w])", r"\1", s)     # _em_
    return " ".join(s.split())


def notebook_title(nb, fallback: str) -> str:
    """The first Markdown heading of the notebook as plain text (``05 · Four roads to ŷ − y``)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return plain_text(line.lstrip("#").strip())
    return fallback


def notebook_summary(nb) -> str:
    """The lesson's own "You will learn" block (Markdown; its list included), for the index page.

    Without one: the first paragraph of plain text after the title. ``nb`` is the notebook
    as a static view shows it (``static_notebook``: no Binder/Colab header cells).
    """
    blocks = [block.strip() for cell in nb.cells if cell.cell_type == "markdown"
              for block in re.split(r"\n\s*\n", cell.source)]
    for block in blocks:
        at = re.search(r"\*\*You will learn\b", block, re.I)
        if at:
            return block[at.start():]
    for text in blocks:
        if text and not text.startswith(("#", "[!", "<", "|", "```", ">")):
            return text
    return ""


def summary_html(markdown: str) -> str:
    """The summary rendered as on the lesson page (Markdown to HTML; MathJax typesets the math)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(markdown)


def rewrite_links(body: str, lessons: set[str], repo: str, branch: str, nb_dir: str) -> str:
    """Lesson links go to their pages; other relative links go to the file on GitHub."""
    own = {f"{name}.html" for name in lessons} | {"index.html"}

    def fix(m):
        attr, url = m.group(1), html.unescape(m.group(2))
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|//)", url, re.I) or url.startswith(STATIC + "/") \
                or url.partition("#")[0] in own:
            return m.group(0)
        path, _, frag = url.partition("#")
        name = Path(path).name
        if path.endswith(".ipynb") and Path(name).stem in lessons and "/" not in path.strip("./"):
            new = Path(name).stem + ".html" + (f"#{frag}" if frag else "")
        else:
            target = os.path.normpath(os.path.join(nb_dir, path)).replace(os.sep, "/")
            new = f"https://github.com/{repo}/blob/{quote(branch)}/{quote(target)}" + (f"#{frag}" if frag else "")
        return f'{attr}="{html.escape(new, quote=True)}"'
    return re.sub(r'(href)="([^"]*)"', fix, body)


class _Sections(HTMLParser):
    """Split a page's <main> into sections at headings that carry an id."""

    SKIP = {"script", "style", "svg", "math", "mjx-container"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = []  # [anchor, title, [text]]
        self._heading = None
        self._skip = 0
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self._in_main = True
        if tag in self.SKIP:
            self._skip += 1
        if re.fullmatch(r"h[1-4]", tag) and a.get("id"):
            self._heading = [a["id"], []]
        if tag == "a" and "anchor-link" in (a.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP or tag == "a" and self._skip and self._heading is not None:
            self._skip = max(0, self._skip - 1)
        if self._heading is not None and re.fullmatch(r"h[1-4]", tag):
            anchor, words = self._heading
            self.sections.append([anchor, " ".join("".join(words).split()), []])
            self._heading = None

    def handle_data(self, data):
        if not self._in_main or self._skip:
            return
        if self._heading is not None:
            self._heading[1].append(data)
        elif self.sections:
            self.sections[-1][2].append(data)


def search_entries(body: str, page: str, page_title: str, limit: int = 3000) -> list[dict]:
    parser = _Sections()
    parser.feed(body)
    entries = []
    for anchor, title, words in parser.sections:
        text = math_to_text(" ".join(" ".join(words).replace("¶", " ").split()))
        title = math_to_text(title.replace("¶", " ")).strip()
        entries.append({"u": f"{page}#{anchor}", "t": title or page_title, "p": page_title, "x": text[:limit]})
    return entries


MATHJAX_CONFIG = r"""<script>
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
        processEscapes: true, processEnvironments: true},
  options: {ignoreHtmlClass: 'highlight|tex2jax_ignore'},
  chtml: {displayOverflow: 'scroll'}
};
</script>"""


def index_page(lessons, launch_all, mathjax: str) -> str:
    """The index: each lesson's title (plain text) and its own "You will learn" summary (HTML)."""
    items = "\n".join(
        f'<section class="lesson" aria-labelledby="lesson-{n}"><h2 id="lesson-{n}"><a href="{html.escape(href)}">'
        f'{html.escape(title)}</a></h2>\n<div class="lesson-summary">{summary}</div></section>'
        for n, (href, title, summary) in enumerate(lessons))
    launch = " ".join(f'<a class="launch-link" href="{html.escape(u)}" rel="noopener">{l}</a>'
                      for l, u in launch_all)
    toc = "\n".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>' for h, t, _ in lessons)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(TITLE)}</title>
{MATHJAX_CONFIG}
<script defer src="{STATIC}/{mathjax}"></script>
<script defer src="{STATIC}/search_index.js"></script>
<script defer src="{STATIC}/site.js"></script>
<link rel="stylesheet" href="{STATIC}/site.css">
<style>body {{ font-family: system-ui, sans-serif; line-height: 1.5; }}</style>
</head>
<body class="softmax-site">
<a class="skip-link" href="#content">Skip to the lessons</a>
<header class="site-header">
  <a class="site-home" href="index.html">{html.escape(TITLE)}</a>
  <span class="site-launch">{launch}</span>
  <span class="site-search" role="search">
    <input type="search" id="site-search" placeholder="Search the course" aria-label="Search the course" autocomplete="off">
    <ol id="site-search-results" aria-label="Search results" hidden></ol>
  </span>
</header>
<div class="site-body">
<nav class="site-toc" aria-label="Lessons"><details open><summary>Lessons</summary><ol>
{toc}
</ol></details></nav>
<main class="site-main site-index" id="content">
<h1>Softmax regression, step by step</h1>
<p>The lessons of the softmax-lab course, read-only: every number, figure and widget
picture on these pages is the notebook's stored output. To run a lesson and use its
live controls, open it on Binder or Colab from the links at the top of its page, or
locally with <code>make lab</code>. To print a lesson or read it on a tablet, use its PDF handout
(<code>make handouts</code>) or your browser's print command: the pages have a print layout.</p>
{items}
</main></div>
</body></html>
"""


# ------------------------------------------------------------------ main
def build(notebooks, out: Path, repo: str, branch: str) -> dict:
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    static = out / STATIC
    static.mkdir(exist_ok=True)
    mathjax = vendor(static, "mathjax3")
    if mathjax is None:
        raise SystemExit("site: MathJax 3 could not be fetched with npm (needed once, then cached in "
                         "build/.vendor/); install npm or run where the npm registry is reachable")
    for f in (TOOLS / "templates" / "softmax_site" / "assets").iterdir():
        shutil.copy2(f, static / f.name)

    nbs = [(p, nbformat.read(p, as_version=4)) for p in notebooks]
    pages = [(f"{p.stem}.html", notebook_title(nb, p.stem)) for p, nb in nbs]
    lessons = {p.stem for p, _ in nbs}
    exporter = HTMLExporter(extra_template_basedirs=[str(TOOLS / "templates")], template_name="softmax_site",
                            extra_template_paths=[str(TOOLS / "templates")])  # softmax_common/
    entries, index_items = [], []
    for i, (path, nb) in enumerate(nbs):
        rel = path.resolve().relative_to(ROOT).as_posix() if path.resolve().is_relative_to(ROOT) \
            else f"notebooks/{path.name}"
        href, title = pages[i]
        site = {
            "title": TITLE, "home": "index.html", "pages": pages, "current": href,
            "prev": pages[i - 1] if i > 0 else None, "next": pages[i + 1] if i + 1 < len(pages) else None,
            "launch": launch_links(repo, branch, rel), "static": STATIC, "mathjax": mathjax,
        }
        nb = static_notebook(nb)  # as a reader sees it: no Binder/Colab header cells
        summary = summary_html(notebook_summary(nb))
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "site": site})
        body = rewrite_links(body, lessons, repo, branch, str(Path(rel).parent))
        (out / href).write_text(body, encoding="utf-8")
        entries += search_entries(body, href, title)
        index_items.append((href, title, summary))
        print(f"site: {href}  ({title})")

    index = index_page(index_items, launch_links(repo, branch, "notebooks/00_start_here.ipynb"), mathjax)
    (out / "index.html").write_text(rewrite_links(index, lessons, repo, branch, "notebooks"), encoding="utf-8")
    (static / "search_index.js").write_text(
        "window.SOFTMAX_SEARCH = " + json.dumps(entries, ensure_ascii=False) + ";\n", encoding="utf-8")
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ as is
    seconds = time.perf_counter() - start
    return {"pages": len(pages) + 1, "sections": len(entries), "seconds": seconds}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the read-only course website from the stored outputs.")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--repo", help="owner/name on GitHub (default: softmax_lab/_repo.py, set by make set-repo)")
    parser.add_argument("--branch", help="branch the launch links open (default: softmax_lab/_repo.py)")
    args = parser.parse_args(argv)

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("site: no notebooks found in notebooks/", file=sys.stderr)
        return 1
    setting_repo, setting_branch = repository_setting()
    repo, branch = args.repo or setting_repo, args.branch or setting_branch
    if repo.split("/")[0].upper() == "OWNER":
        print(f"site: warning: the repository is the placeholder {repo!r}: the Binder/Colab links will "
              "not work until it is set (make set-repo REPO=owner/name, or --repo owner/name)")
    stats = build(notebooks, args.out, repo, branch)
    print(f"site: {stats['pages']} pages ({stats['sections']} searchable sections) in {args.out} "
          f"in {stats['seconds']:.1f} s; open {args.out / 'index.html'} (works offline; "
          "publish with the GitHub Pages workflow, see README)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
