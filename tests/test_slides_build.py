"""Classroom decks: every lesson notebook carries slide metadata, and a deck builds from it."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_lesson_notebook_carries_slide_metadata():
    # --check changes nothing and exits 1 if any notebook lacks (or has stale) metadata
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "add_slide_metadata.py"), "--check", *map(str, LESSONS)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for path in LESSONS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        kinds = [c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in cells]
        assert kinds.count("slide") >= 1, f"{path.name} has no slide"


def test_a_deck_builds_with_one_slide_per_section(tmp_path):
    nb = ROOT / "notebooks" / "02_one_example_two_classes.ipynb"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_slides.py"), "--cdn", "--out", str(tmp_path), str(nb)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    html = (tmp_path / "02_one_example_two_classes.slides.html").read_text(encoding="utf-8")
    n_slides = sum(
        c.get("metadata", {}).get("slideshow", {}).get("slide_type") == "slide"
        for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
    )
    assert html.count("<section") >= n_slides
    assert "0.615" in html  # the stored outputs (the slide's numbers) are in the deck
    assert "NEEDS THE NETWORK" in done.stdout  # --cdn: the build says presenting needs network
    assert (tmp_path / "index.html").exists()


# ------------------------------------------------------------------ offline, and fitting the slide

import pytest  # noqa: E402

from offline_browser import FULL, WIDGET_VIEW, Offline, chromium, lessons_to_view, walk_deck  # noqa: E402

# SOFTMAX_LAB_NOTEBOOK_ROOT=/path/to/a/copy builds the decks from re-executed copies
# `make test-static` sets this: check every slide of every deck, not only the widget slides


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    notebooks = lessons_to_view()
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_slides.py"), "--out", str(out),
                           *map(str, notebooks)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    if "NEEDS THE NETWORK" in done.stdout:
        pytest.skip("npm could not fetch reveal.js / MathJax (needed once, then cached in build/.vendor/): "
                    + done.stdout[-300:])
    return {nb: out / f"{nb.stem}.slides.html" for nb in notebooks}


@pytest.mark.browser
@pytest.mark.slow
def test_decks_open_offline_and_widget_slides_fit(decks):
    # each deck opens with the network blocked: no request leaves the machine, no script
    # error; the checked slides keep every element inside the slide and axe-core finds no
    # serious or critical WCAG 2 A/AA issue on them (contrast, names, links). `make test` checks one
    # deck (the first lesson with a widget): its first slide and every slide with a widget's
    # still picture; `make test-static` (SOFTMAX_LAB_FULL_STATIC=1)
    # checks every slide of every deck
    from a11y import AXE_RUN_JS, AXE_SLIDE_JS, WCAG_TAGS, axe_script, findings

    axe = axe_script()  # None (and no accessibility check) only when npm cannot fetch axe-core
    report, wcag = [], {}
    with chromium() as browser:
        for nb_path, deck in decks.items():
            n_widgets = sum(WIDGET_VIEW in out.get("data", {})
                            for c in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
                            for out in c.get("outputs", []))
            offline = Offline(browser, viewport=(1280, 800))
            page = offline.open(deck)
            if axe is not None:  # the whole document once (lang, title, reveal's controls), then each slide
                page.wait_for_function("() => window.Reveal && Reveal.isReady && Reveal.isReady()", timeout=20_000)
                page.add_script_tag(path=str(axe))
                for f in findings(page.evaluate(AXE_RUN_JS, [None, WCAG_TAGS])):
                    wcag.setdefault(f"{deck.name} (document)", []).append(f)
            seen_stills = 0
            for label, problems, zoom, text in walk_deck(page, only=None if FULL else ".softmax-still"):
                assert not problems, f"{deck.name} slide {label} (zoom {zoom}): " + "; ".join(problems[:5])
                report.append(f"{deck.name} {label} zoom={zoom:.2f}")
                seen_stills += text.count("need a running Jupyter kernel")
                if axe is not None:  # WCAG 2 A/AA on the slide as it is shown (axe-core)
                    for f in findings(page.evaluate(AXE_SLIDE_JS, WCAG_TAGS)):
                        wcag.setdefault(f"{deck.name} slide {label}", []).append(f)
            stills = page.evaluate("""() => Array.from(document.querySelectorAll('.softmax-still img'))
                .map(img => img.naturalWidth)""")
            assert len(stills) == n_widgets and all(w > 0 for w in stills), (
                f"{deck.name}: {n_widgets} widget output(s) but still pictures {stills}")
            assert seen_stills == n_widgets, f"{deck.name}: a widget slide does not say it needs a kernel"
            assert not offline.external, f"{deck.name} asked the network for {offline.external}"
            assert not page.errors, f"{deck.name}: {page.errors}"
            offline.close()
        if axe is not None:  # the decks' index page
            offline = Offline(browser)
            page = offline.open(next(iter(decks.values())).parent / "index.html")
            page.add_script_tag(path=str(axe))
            for f in findings(page.evaluate(AXE_RUN_JS, [None, WCAG_TAGS])):
                wcag.setdefault("index.html", []).append(f)
            offline.close()
    print("\n".join(report))
    assert axe is not None, "npm could not fetch axe-core: the decks' accessibility was not checked"
    assert not wcag, "serious/critical axe findings on the decks:\n" + "\n".join(
        f"  {where}: {rule} ({impact}) at {target}: {summary[:200]}"
        for where, fs in wcag.items() for rule, impact, target, _, summary in fs[:3])
