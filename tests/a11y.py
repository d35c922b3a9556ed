"""axe-core (the accessibility engine behind Lighthouse) in offline Chromium: WCAG 2 A and AA.

Used by tests/test_a11y.py; also a script that prints the findings of built pages::

    python tests/a11y.py build/site/*.html build/slides/*.slides.html

axe-core is a local copy fetched once with npm (``tools/offline_assets.py``, key
"axe"); it is injected by Playwright into the page under test and never loaded by
a page a reader opens. A deck is checked slide by slide (reveal.js hides every
slide but the current one), each leaf slide as it is shown, zoomed to fit.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: the WCAG 2.0 and 2.1 level A and AA rules (axe-core's tags)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: the impacts that fail the check
SERIOUS = ("serious", "critical")

AXE_RUN_JS = """
async ([context, tags]) => {
  const where = context === null ? document : (typeof context === 'string' ? document.querySelector(context) : context);
  const result = await axe.run(where, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              summary: (n.failureSummary || '').slice(0, 300)}))}));
}
"""

AXE_SLIDE_JS = """
async (tags) => {
  const result = await axe.run(Reveal.getCurrentSlide(), {runOnly: {type: 'tag', values: tags},
                                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              summary: (n.failureSummary || '').slice(0, 300)}))}));
}
"""


def axe_script(log=print) -> Path | None:
    """The local axe.min.js (fetched with npm once, then cached in build/.vendor/), or None."""
    from offline_assets import CACHE, vendor

    rel = vendor(CACHE.parent / ".axe", "axe", log=log)
    return None if rel is None else CACHE.parent / ".axe" / rel


def findings(violations, impacts=SERIOUS):
    """[(rule, impact, target, html, summary)] of the violations with an impact in ``impacts``."""
    return [(v["id"], v["impact"], n["target"], n["html"], n["summary"])
            for v in violations if v["impact"] in impacts for n in v["nodes"]]


def check_page(page, axe: Path, context=None):
    """axe's WCAG A/AA violations on an open page (a site page: after MathJax has typeset it)."""
    page.add_script_tag(path=str(axe))
    return page.evaluate(AXE_RUN_JS, [context, WCAG_TAGS])


def wait_for_mathjax3(page, timeout=60_000):
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=timeout)
    page.evaluate("() => MathJax.startup.promise")


def check_deck(page, axe: Path):
    """axe on every leaf slide of an open reveal.js deck (each as it is shown), plus the deck's
    own controls; the same node found on two slides is counted once."""
    from offline_browser import walk_deck

    page.add_script_tag(path=str(axe))
    seen, out = set(), []
    for _label, _problems, _zoom, _text in walk_deck(page):
        for v in page.evaluate(AXE_SLIDE_JS, WCAG_TAGS):
            nodes = [n for n in v["nodes"] if (v["id"], n["target"], n["html"]) not in seen]
            seen.update((v["id"], n["target"], n["html"]) for n in nodes)
            if nodes:
                out.append({**v, "nodes": nodes})
    controls = page.evaluate(AXE_RUN_JS, [".reveal > .controls", WCAG_TAGS]) \
        if page.locator(".reveal > .controls").count() else []
    return out + controls


def audit(paths, impacts=SERIOUS):
    """{page name: [finding]} for the given built pages (``*.slides.html`` are decks)."""
    from offline_browser import Offline, chromium

    axe = axe_script()
    if axe is None:
        raise RuntimeError("axe-core could not be fetched with npm (needed once, then cached in build/.vendor/)")
    result = {}
    with chromium() as browser:
        offline = Offline(browser, viewport=(1280, 900))
        for path in map(Path, paths):
            page = offline.open(path)
            if path.name.endswith(".slides.html"):
                violations = check_deck(page, axe)
            else:
                if page.evaluate("() => !!window.MathJax"):
                    wait_for_mathjax3(page)
                violations = check_page(page, axe)
            result[path.name] = findings(violations, impacts)
            page.close()
        offline.close()
    return result


def main(argv=None) -> int:
    import pytest  # chromium() skips through pytest when Chromium or Playwright is missing

    paths = (argv if argv is not None else sys.argv[1:])
    try:
        result = audit(paths)
    except pytest.skip.Exception as exc:
        print(f"a11y: {exc}")
        return 2
    rules = Counter(f[0] for fs in result.values() for f in fs)
    for name, fs in result.items():
        print(f"{name}: {len(fs)} serious/critical " + (str(dict(Counter(f[0] for f in fs))) if fs else ""))
    print(f"total: {sum(rules.values())} serious/critical findings on {len(result)} pages; by rule: {dict(rules)}")
    for rule in rules:
        example = next(f for fs in result.values() for f in fs if f[0] == rule)
        print(f"  e.g. {rule}: {example[2]} {example[3][:100]!r} -- {example[4][:200]!r}")
    return 0 if not rules else 1


if __name__ == "__main__":
    sys.exit(main())
