"""The read-only course website (``make site``), checked in Chromium with the network blocked.

Every page loads without a request leaving the machine, its formulas are
typeset (local MathJax), every image and every widget's still picture is drawn,
each lesson links to Binder and Colab, and search finds a lesson's section.
``make test`` builds one lesson (the first that shows a widget);
``make test-static`` (SOFTMAX_LAB_FULL_STATIC=1) builds and checks all of them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from offline_browser import WIDGET_VIEW, Offline, chromium, lessons_to_view

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    notebooks = lessons_to_view()
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(out),
                           "--repo", "example-org/softmax-lab", *map(str, notebooks)],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0 and "MathJax 3 could not be fetched" in done.stdout + done.stderr:
        pytest.skip("npm could not fetch MathJax (needed once, then cached in build/.vendor/)")
    assert done.returncode == 0, done.stdout + done.stderr
    print(done.stdout.splitlines()[-1])
    return out, notebooks, done.stdout


def _cells(nb_path):
    return json.loads(nb_path.read_text(encoding="utf-8"))["cells"]


# text of rendered Markdown outside code and typeset math: a '$' left here is an untypeset formula
RAW_MATH_JS = """
() => {
  const raw = [];
  for (const md of document.querySelectorAll('.jp-RenderedMarkdown')) {
    const walker = document.createTreeWalker(md, NodeFilter.SHOW_TEXT, { acceptNode: (n) =>
      n.parentElement.closest('code, pre, mjx-container, script') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (/\\$|\\\\frac|\\\\hat|\\\\theta/.test(n.textContent)) raw.push(n.textContent.trim().slice(0, 80));
    }
  }
  return raw;
}
"""


def test_every_page_is_built_with_a_table_of_contents(site):
    out, notebooks, stdout = site
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == sorted([f"{p.stem}.html" for p in notebooks] + ["index.html"])
    assert f"site: {len(notebooks) + 1} pages" in stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    for nb in notebooks:
        assert f'href="{nb.stem}.html"' in index
        page = (out / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert all(f'href="{other.stem}.html"' in page for other in notebooks)  # the lessons' TOC


def test_pages_load_offline_with_math_figures_stills_and_launch_links(site):
    out, notebooks, _ = site
    with chromium() as browser:
        offline = Offline(browser, viewport=(1280, 900))
        for nb_path in notebooks:
            cells = _cells(nb_path)
            page = offline.open(out / f"{nb_path.stem}.html")
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=60_000)
            page.evaluate("() => MathJax.startup.promise")
            name = nb_path.name

            has_math = any(c["cell_type"] == "markdown" and "$" in "".join(c["source"]) for c in cells)
            n_math = page.evaluate("() => document.querySelectorAll('mjx-container').length")
            assert n_math > 0 or not has_math, f"{name}: no formula was typeset"
            raw = page.evaluate(RAW_MATH_JS)
            assert not raw, f"{name}: formulas left as TeX: {raw[:3]}"

            n_png = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
            n_widgets = sum(WIDGET_VIEW in o.get("data", {}) for c in cells for o in c.get("outputs", []))
            images = page.evaluate("() => Array.from(document.querySelectorAll('.site-main img'))"
                                   ".map(i => [i.complete, i.naturalWidth, i.closest('.softmax-still') !== null])")
            assert len(images) == n_png, f"{name}: {n_png} stored PNG outputs, {len(images)} images on the page"
            assert all(done and width > 0 for done, width, _ in images), f"{name}: an image is not drawn"
            assert sum(still for *_, still in images) == n_widgets, f"{name}: a widget has no still picture"
            notes = page.evaluate("() => Array.from(document.querySelectorAll('.softmax-still-note'))"
                                  ".map(p => p.innerText)")
            assert len(notes) == n_widgets and all("kernel" in n for n in notes), notes
            # no blank widget area: every rich output (all but plain text, which may be an
            # empty print()) shows text or a picture, and no widget-renderer <div> is left
            blank = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.jp-OutputArea-output:not([data-mime-type="text/plain"]), .jupyter-widgets, .output_widget_view'))
                .filter(o => !o.innerText.trim() && !o.querySelector('img, svg, table')).length""")
            assert blank == 0, f"{name}: {blank} blank output area(s)"

            links = page.evaluate("() => Array.from(document.querySelectorAll('a.launch-link')).map(a => a.href)")
            assert any(u.startswith("https://mybinder.org/v2/gh/example-org/softmax-lab/")
                       and u.endswith(f"labpath=notebooks/{name}") for u in links), links
            assert f"https://colab.research.google.com/github/example-org/softmax-lab/blob/main/notebooks/{name}" in links
            assert not page.errors, f"{name}: {page.errors}"
            page.close()

        index = offline.open(out / "index.html")
        assert index.locator("a[href$='.html']").count() >= len(notebooks)
        assert not offline.external, f"requests left the machine: {offline.external[:5]}"
        offline.close()


def test_search_finds_a_section_and_opens_it(site):
    out, notebooks, _ = site
    nb_path = notebooks[-1]
    # a word from one of the lesson's section headings (typed in, not taken from the page)
    headings = [line.lstrip("#").strip() for c in _cells(nb_path) if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("## ")]
    words = [w for h in headings for w in re.findall(r"[A-Za-z]{6,}", h)]
    assert words, f"{nb_path.name} has no '## ' heading with a long word to search for"
    word = words[0].lower()
    with chromium() as browser:
        offline = Offline(browser)
        page = offline.open(out / "index.html")
        page.fill("#site-search", word)
        results = page.locator("#site-search-results a")
        results.first.wait_for(timeout=10_000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any(h.startswith(f"{nb_path.stem}.html#") for h in hrefs), (word, hrefs)
        page.press("#site-search", "Escape")
        page.fill("#site-search", "zzqxnotaword")
        assert "No section mentions" in page.locator("#site-search-results").inner_text()
        page.fill("#site-search", word)
        target = next(h for h in hrefs if h.startswith(f"{nb_path.stem}.html#"))
        page.locator(f"#site-search-results a[href='{target}']").first.click()
        page.wait_for_url(re.compile(re.escape(nb_path.stem) + r"\.html#"))
        assert not offline.external
        offline.close()


# ------------------------------------------------------------------ what a reader sees
# Visible text outside code and typeset math, including the tab title and search results:
# raw Markdown (**bold**, *em*, `code`, [text](url)) or TeX ($…$, \hat) left there was never rendered.
VISIBLE_TEXT_JS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, { acceptNode: (n) =>
    n.parentElement.closest('code, pre, kbd, samp, mjx-container, script, style, noscript, .highlight')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent.replace(/\\s+/g, ' ').trim();
    if (t) out.push(t);
  }
  return [document.title, ...out];
}
"""
RAW_MARKUP = {
    "TeX between dollars": re.compile(r"\$[^$\s][^$]*\$|\$\$"),
    "a TeX command": re.compile(r"\\[A-Za-z]{2,}"),
    "Markdown bold": re.compile(r"\*\*\S|\S\*\*|__\w"),
    "Markdown emphasis": re.compile(r"(?<![\w*\\])\*[A-Za-z][^*\n]{0,80}[A-Za-z.]\*(?![\w*])"),
    "a Markdown code span": re.compile(r"`"),
    "a Markdown link": re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
}


def raw_markup(texts):
    return [(name, t[:100]) for t in texts for name, rx in RAW_MARKUP.items() if rx.search(t)]


def test_the_raw_markup_check_finds_what_it_is_for():
    found = {name for name, _ in raw_markup([
        "05 · Four roads to $\\hat y - y$", "*Binder* and a local install", "run `make lab`",
        "see [the notes](docs/notes.md)", "**You will learn**"])}
    assert found == set(RAW_MARKUP)
    assert raw_markup(["05 · Four roads to ŷ − y", "P(y = 1 | x) = 0.62, 3 * 4 = 12", "x² · 2"]) == []


def test_index_summarises_each_lesson_by_its_own_you_will_learn(site):
    out, notebooks, _ = site
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Binder</em> and a local install" not in index and "need no setup" not in index
    sections = re.findall(r'<section class="lesson".*?</section>', index, re.S)
    assert len(sections) == len(notebooks)
    for nb_path, section in zip(notebooks, sections):
        assert f'href="{nb_path.stem}.html"' in section
        source = "\n".join("".join(c["source"]) for c in _cells(nb_path) if c["cell_type"] == "markdown")
        if "You will learn" not in source:
            continue
        assert "You will learn" in section, f"{nb_path.name}: the index does not show its own summary"
        # the first thing the lesson promises, in its own words (outside math and code)
        after = source.split("You will learn", 1)[1]
        words = re.findall(r"[A-Za-z]{5,}", re.sub(r"\$[^$]*\$|`[^`]*`", " ", after))[:4]
        text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
        assert words and all(w in text for w in words), (nb_path.name, words)


def test_no_page_shows_raw_markdown_or_tex(site):
    out, notebooks, _ = site
    with chromium() as browser:
        offline = Offline(browser, viewport=(1280, 900))
        for html_file in [out / "index.html"] + [out / f"{nb.stem}.html" for nb in notebooks]:
            page = offline.open(html_file)
            page.wait_for_function("() => window.softmaxSiteReady === true", timeout=60_000)
            found = raw_markup(page.evaluate(VISIBLE_TEXT_JS))
            assert not found, f"{html_file.name}: raw markup in the visible text: {found[:5]}"
            page.close()
        # the search results too: every heading of the course (so formulas in headings are met)
        page = offline.open(out / "index.html")
        page.wait_for_function("() => window.softmaxSiteReady === true", timeout=60_000)
        entries = page.evaluate("() => window.SOFTMAX_SEARCH.map(e => [e.t, e.p, e.x.slice(0, 300)])")
        found = raw_markup([t for e in entries for t in e])
        assert not found, f"search results would show raw markup: {found[:5]}"
        for word in ("update", "forward", "gradient"):
            page.fill("#site-search", word)
            found = raw_markup([page.locator("#site-search-results").inner_text()])
            assert not found, f"search for {word!r} shows raw markup: {found[:5]}"
        offline.close()


def test_no_serious_wcag_findings_on_any_page(site):
    # axe-core (WCAG 2.0/2.1 A and AA rules) on every page once its formulas are typeset and its
    # scrolling blocks labelled: no serious or critical finding (contrast, keyboard, names, links)
    from a11y import axe_script, check_page, findings

    out, notebooks, _ = site
    axe = axe_script()
    if axe is None:
        pytest.skip("npm could not fetch axe-core (needed once, then cached in build/.vendor/)")
    report = {}
    with chromium() as browser:
        offline = Offline(browser, viewport=(1280, 900))
        for html_file in [out / "index.html"] + [out / f"{nb.stem}.html" for nb in notebooks]:
            page = offline.open(html_file)
            page.wait_for_function("() => window.softmaxSiteReady === true", timeout=60_000)
            report[html_file.name] = findings(check_page(page, axe))
            page.close()
        assert not offline.external
        offline.close()
    bad = {name: fs for name, fs in report.items() if fs}
    assert not bad, "serious/critical axe findings:\n" + "\n".join(
        f"  {name}: {rule} ({impact}) at {target}: {summary[:200]}"
        for name, fs in bad.items() for rule, impact, target, _, summary in fs[:5])
