"""Every widget control a lesson or docs/teaching.md names exists in the widget.

Lesson 00 once described a "■ stop" button and "the speed the slider sets"; the stepper has
"❚❚ pause" and a speed menu.  Words about controls are claims about the widget, so they are
checked against the widget's own labels, which live in ``softmax_lab/frame.py``
(``CONTROL_LABELS`` and ``MODES``, which the browser and the still draw), the JavaScript modules
under ``softmax_lab/static/`` and ``softmax_lab/widgets.py``:

* every bold span that contains a control glyph (↺ ◀ ▶ ■ ❚ ⏸ ⏹), e.g. ``**▶ play**``, must occur in
  the widget's labels;
* in a markdown table whose first header cell is ``control``, every bold span of the first column
  (``**learning rate η**``, ``**seed**`` …) must occur in the widget's labels;
* the speed is a menu, not a slider: no "speed slider" / "the speed the slider sets".

One test per file, so a failure names the lesson.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + [ROOT / "docs" / "teaching.md"]
GLYPHS = "↺◀▶■❚⏸⏹"


def widget_labels():
    """Every label the widget shows: the control labels and menus of the frame description
    (softmax_lab/frame.py, from which the canvas and the still both draw), the JavaScript
    modules and widgets.py."""
    from softmax_lab import frame, widgets

    return "\n".join([*frame.CONTROL_LABELS.values(), *(label for label, _ in frame.MODES),
                      widgets.esm_bundle(), (ROOT / "softmax_lab" / "widgets.py").read_text(encoding="utf-8")])


def markdown_of(path):
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                       for c in nb["cells"] if c["cell_type"] == "markdown")


_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")


def named_controls(markdown):
    """The control names a text uses: bold spans with a glyph, and bold first cells of 'control' tables."""
    names = [m.group(1).strip() for m in _BOLD.finditer(markdown) if any(g in m.group(1) for g in GLYPHS)]
    lines = markdown.splitlines()
    for k, line in enumerate(lines):
        if re.match(r"^\|\s*control\s*\|", line):
            for row in lines[k + 2:]:
                if not row.startswith("|"):
                    break
                first = row.split("|")[1]
                names += [m.group(1).strip() for m in _BOLD.finditer(first)]
    return names


def missing_controls(markdown, labels):
    missing = [name for name in named_controls(markdown) if name.rstrip(" =") not in labels]
    for phrase in ("speed slider", "the speed the slider sets", "speed the slider"):
        if phrase in markdown:
            missing.append(f"{phrase!r} (the speed is a menu of ms / step)")
    return missing


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_named_controls_exist_in_the_widget(path):
    if not path.exists():
        pytest.skip(f"{path.name} does not exist")
    missing = missing_controls(markdown_of(path), widget_labels())
    assert not missing, (f"{path.relative_to(ROOT)} names widget controls the stepper does not have: {missing} "
                         "(labels: softmax_lab/static/stepper.js)")


def test_the_check_finds_a_control_that_does_not_exist():
    labels = widget_labels()
    assert missing_controls("**▶ play** / **❚❚ pause**, **next ▶**, **◀ back**, **↺ reset**", labels) == []
    assert missing_controls("| control | what |\n|---|---|\n| **learning rate η** | x |\n| **seed** | y |", labels) == []
    assert missing_controls("**▶** (play) / **■** (stop)", labels) == ["■"]
    assert missing_controls("| control | what |\n|---|---|\n| **speed knob** | x |", labels) == ["speed knob"]
    assert missing_controls("at the speed the slider sets", labels)
