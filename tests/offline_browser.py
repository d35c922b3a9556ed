"""Open built pages (slides, site) in headless Chromium with the network blocked.

Every request whose URL is not ``file:``, ``data:``, ``blob:`` or localhost is
recorded and aborted, so a page that still needs a CDN shows it twice: in
``Offline.external`` and in what it fails to draw. Used by
tests/test_slides_build.py, tests/test_static_views.py and tests/test_site.py.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

# which Chromium (SOFTMAX_LAB_CHROMIUM, Debian's, Playwright's own) and its flags: one rule,
# bench/lab_harness.py's, shared with the browser test and the click-to-paint benchmark
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import lab_harness  # noqa: E402
LOCAL_SCHEMES = ("file", "data", "blob", "about", "chrome", "devtools")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")



# ------------------------------------------------------------ which notebooks
#: a copy of the notebooks to test instead of the checkout's (e.g. freshly re-executed ones)
NB_ROOT = Path(os.environ.get("SOFTMAX_LAB_NOTEBOOK_ROOT", Path(__file__).resolve().parents[1]))
#: `make test-static` sets this: every deck and page, not one lesson's
FULL = os.environ.get("SOFTMAX_LAB_FULL_STATIC") == "1"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def lessons_to_view():
    """All lesson notebooks under SOFTMAX_LAB_FULL_STATIC=1; else the first one that shows a widget."""
    notebooks = sorted((NB_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if FULL:
        return notebooks
    with_widget = [p for p in notebooks if WIDGET_VIEW in p.read_text(encoding="utf-8")]
    return with_widget[:1] or notebooks[:1]

def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or (parsed.hostname or "") in LOCAL_HOSTS


class Offline:
    """A Chromium context in which every non-local request is recorded and aborted."""

    def __init__(self, browser, viewport=(1280, 800)):
        self.external: list[str] = []
        self.failed: list[str] = []
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.context.route("**/*", self._route)
        self.context.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))

    def _route(self, route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.external.append(url)
            route.abort("internetdisconnected")

    def open(self, path: Path, wait_until="load"):
        page = self.context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        page.goto(Path(path).resolve().as_uri(), wait_until=wait_until)
        return page

    def close(self):
        self.context.close()


@contextlib.contextmanager
def chromium():
    """A headless Chromium from Playwright; skips (saying why) when either is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright (Python) is not installed: pip install playwright")
    with sync_playwright() as p:
        problem = lab_harness.chromium_problem(p)
        if problem:
            pytest.skip(f"{problem} (to run the offline browser tests)")
        browser = lab_harness.launch_chromium(p)
        try:
            yield browser
        finally:
            browser.close()


# Everything in the current leaf slide that lies outside the slide's box, or whose
# content is clipped by its own overflow (a long line cut off at the edge).
OVERFLOW_JS = """
() => {
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const cur = Reveal.getCurrentSlide();
  const scrolls = cur.classList.contains('softmax-scroll');  // zoomed to the minimum and scrolling
  const bad = [];
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
  for (const el of [cur, ...cur.querySelectorAll('*')]) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    if (el.closest('.MJX_Assistive_MathML')) continue;  // MathJax's hidden copy for screen readers
    const closed = el.closest('details:not([open])');   // folded answers are not drawn
    if (closed && closed !== el && !el.closest('summary')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const outX = r.left < box.left - 2 || r.right > box.right + 2;
    const outY = r.top < box.top - 2 || r.bottom > box.bottom + 2;
    if (outX || (outY && !(scrolls && el !== cur))) {
      bad.push(`${name(el)} at [${Math.round(r.left - box.left)}, ${Math.round(r.top - box.top)}, ` +
               `${Math.round(r.right - box.left)}, ${Math.round(r.bottom - box.top)}] outside the ` +
               `${Math.round(box.width)}x${Math.round(box.height)} slide`);
    } else if ((/hidden|clip/.test(cs.overflowX) && el.scrollWidth > el.clientWidth + 2) ||
               (/hidden|clip/.test(cs.overflowY) && el !== cur && el.scrollHeight > el.clientHeight + 2)) {
      // content cut off for good (a scroll container, overflow auto/scroll, keeps it reachable)
      bad.push(`${name(el)} clips its content (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
    }
  }
  return bad;
}
"""


def walk_deck(page, only=None, first=1, timeout_ms=20_000):
    """Visit the leaf slides of a reveal.js deck; yield (label, problems, zoom, text).

    All of them, or (``only``: a CSS selector) the first ``first`` slides and those
    containing a match.
    """
    page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=timeout_ms)
    page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    leaves = page.evaluate("""() => Array.from(document.querySelectorAll('.reveal .slides section'))
        .filter(s => !s.querySelector('section')).map(s => { const i = Reveal.getIndices(s);
        return [i.h, i.v || 0]; })""")
    if only:
        keep = page.evaluate("""(sel) => Array.from(document.querySelectorAll('.reveal .slides section'))
            .filter(s => !s.querySelector('section') && s.querySelector(sel))
            .map(s => { const i = Reveal.getIndices(s); return (i.h) + '/' + (i.v || 0); })""", only)
        leaves = [hv for n, hv in enumerate(leaves) if n < first or f"{hv[0]}/{hv[1]}" in keep]
    for h, v in leaves:
        label = f"{h}/{v}"
        page.evaluate(f"() => Reveal.slide({h}, {v})")
        page.wait_for_function(f"() => window.softmaxLabFit && window.softmaxLabFit['{label}'] !== undefined",
                               timeout=timeout_ms)
        page.wait_for_timeout(30)
        problems = page.evaluate(OVERFLOW_JS)
        zoom = page.evaluate(f"() => window.softmaxLabFit['{label}']")
        text = page.evaluate("() => Reveal.getCurrentSlide().innerText")
        yield label, problems, zoom, text
