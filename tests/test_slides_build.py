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
