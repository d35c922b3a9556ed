#!/usr/bin/env python
"""Printable handouts (``make handouts``): one PDF per lesson, into build/handouts/.

Each PDF is the lesson's page of the course website (``tools/build_site.py``, made from
the STORED outputs, nothing is executed) printed by the local Chromium through
Playwright, offline, with the site's print stylesheet (``site.css``, ``@media print``):
no navigation, A4, code and output lines wrapped instead of cut at the page edge,
figures and formulas kept whole on a page where they fit, page numbers and the
lesson's title in the footer. Every figure, formula (typeset by the local MathJax,
which must finish before printing) and widget still picture is in the PDF; a folded
answer stays folded (a handout is for working through the questions first).

Before printing, each page is checked in print layout: MathJax has typeset every
formula, no ``$...$`` is left, and no code block, output, table or formula is wider
than the printed page (else it would be cut off): a table or display formula that the
stylesheet cannot wrap narrowly enough gets smaller type (a table, to 5.5 pt) or is zoomed
down (a formula, to 60 % at most) until it fits. A page that fails is not printed
and the build fails, naming the element.

Usage::

    python tools/build_handouts.py [NOTEBOOK ...] [--out build/handouts] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
import build_site  # noqa: E402

# which Chromium: the project's one rule (bench/lab_harness.py): $SOFTMAX_LAB_CHROMIUM, else
# Debian's /usr/bin/chromium, else Playwright's own (None)
sys.path.insert(0, str(ROOT / "bench"))
import lab_harness  # noqa: E402

CHROMIUM = lab_harness.chromium_executable()
ARGS = lab_harness.CHROMIUM_ARGS
# A4 minus the print stylesheet's margins (12 mm left and right), in CSS px (96 per inch)
PRINT_WIDTH_PX = round((210 - 24) / 25.4 * 96)

# in print layout: a table or display formula still wider than the page after the print
# stylesheet has wrapped what it can (a formula cannot wrap) is zoomed down to fit, to 60 % at most
FIT_JS = """
() => {
  const main = document.querySelector('.site-main');
  const width = main.clientWidth;
  const fitted = [];
  for (const el of main.querySelectorAll('table')) {  // smaller type until it fits (to 5.5 pt)
    for (const pt of [7, 6.5, 6, 5.5]) {
      if (el.getBoundingClientRect().width <= width + 1) break;
      el.style.fontSize = pt + 'pt';
      fitted.push('table at ' + pt + ' pt');
    }
  }
  for (const el of main.querySelectorAll('mjx-container[display="true"]')) {
    const w = el.getBoundingClientRect().width;
    if (w > width + 1) {
      const z = Math.max(0.6, Math.floor(1000 * width / w) / 1000);
      el.style.zoom = String(z);
      fitted.push('formula at ' + z);
    }
  }
  return fitted;
}
"""

# in print layout: what is wider than the page (would be cut off), and TeX left untypeset
PRINT_CHECK_JS = """
() => {
  const wide = [];
  const main = document.querySelector('.site-main');
  const limit = main.getBoundingClientRect().right + 2;
  for (const el of main.querySelectorAll('pre, table, img, mjx-container, .jp-OutputArea-output, .jp-InputArea')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1) continue;
    if (r.right > limit || el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflowX !== 'visible')
      wide.push(el.tagName.toLowerCase() + ' "' + (el.innerText || el.getAttribute('alt') || '').slice(0, 60)
                + '" is ' + Math.round(Math.max(r.width, el.scrollWidth)) + ' px wide');
  }
  const raw = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, { acceptNode: (n) =>
    n.parentElement.closest('code, pre, mjx-container, script, style, .highlight')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    if (/\\$[^$\\s][^$]*\\$|\\\\(hat|frac|theta|partial)/.test(n.textContent)) raw.push(n.textContent.trim().slice(0, 60));
  return {wide: wide, raw: raw,
          formulas: document.querySelectorAll('mjx-container').length,
          images: main.querySelectorAll('img').length,
          stills: main.querySelectorAll('.softmax-still img').length};
}
"""


def _offline(route):
    parsed = urlparse(route.request.url)
    if parsed.scheme in ("file", "data", "blob", "about"):
        route.continue_()
    else:
        route.abort("internetdisconnected")


def print_pages(pages, out: Path, chromium: str | None = CHROMIUM, log=print) -> dict:
    """Print each (html page, pdf path, title); return {pdf name: what it holds}. Raises on a bad page."""
    from playwright.sync_api import sync_playwright

    manifest, problems = {}, []
    with sync_playwright() as p:
        problem = lab_harness.chromium_problem(p) if chromium == CHROMIUM else None
        if problem:
            raise SystemExit(f"handouts: {problem}")
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        context = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
        context.route("**/*", _offline)
        for page_file, pdf, title in pages:
            page = context.new_page()
            page.goto(Path(page_file).resolve().as_uri(), wait_until="load")
            page.wait_for_function("() => window.softmaxSiteReady === true", timeout=120_000)
            page.emulate_media(media="print")
            page.evaluate("() => document.fonts.ready")
            fitted = page.evaluate(FIT_JS)
            found = page.evaluate(PRINT_CHECK_JS)
            if found["wide"] or found["raw"]:
                problems.append(f"{pdf.name}: wider than the printed page: {found['wide'][:5]}; "
                                f"untypeset TeX: {found['raw'][:5]}")
                page.close()
                continue
            footer = ('<div style="font-size:8px; width:100%; padding:0 12mm; display:flex; '
                      'justify-content:space-between; color:#333;"><span>' + html.escape(title) +
                      '</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')
            page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True,
                     display_header_footer=True, header_template="<span></span>", footer_template=footer)
            manifest[pdf.name] = {**{k: found[k] for k in ("formulas", "images", "stills")}, "zoomed to fit": fitted}
            log(f"handouts: {pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}  "
                f"({found['images']} pictures, {found['stills']} widget stills, {found['formulas']} formulas)")
            page.close()
        browser.close()
    if problems:
        raise SystemExit("handouts: not printed, content would be cut off or untypeset:\n  " + "\n  ".join(problems))
    return manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Print one PDF handout per lesson (offline Chromium).")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "handouts")
    parser.add_argument("--chromium", default=CHROMIUM,
                        help=f"Chromium to print with (default: {CHROMIUM or 'Playwright’s own'})")
    args = parser.parse_args(argv)

    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("handouts: no notebooks found in notebooks/", file=sys.stderr)
        return 1
    if args.chromium is not None and not Path(args.chromium).exists():
        print(f"handouts: {args.chromium} not found; install Chromium (apt-get install chromium), "
              "set SOFTMAX_LAB_CHROMIUM or pass --chromium PATH", file=sys.stderr)
        return 1
    start = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    repo, branch = build_site.repository_setting()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site.build(notebooks, site, repo, branch)
        pages = []
        for nb in notebooks:
            import nbformat

            title = build_site.notebook_title(nbformat.read(nb, as_version=4), nb.stem)
            pages.append((site / f"{nb.stem}.html", args.out / f"{nb.stem}.pdf", title))
        manifest = print_pages(pages, args.out, args.chromium)
    (args.out / "handouts.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"handouts: {len(manifest)} PDF(s) in {args.out} in {time.perf_counter() - start:.1f} s "
          "(A4, from the stored outputs; re-run `make outputs` first if a notebook changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
