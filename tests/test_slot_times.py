"""docs/teaching.md's lesson times and course plans are the output of tools/slot_times.py, and every core path fits.

The script computes each lesson's core-path time (markdown words at a stated pace, the code cells' measured run
time stored in tools/slot_times.json, two minutes per Stop-and-ask prompt); these tests check that the block it
writes into docs/teaching.md is the block it would write now, that the stored run times cover every code cell of
every core path, that every core path fits its slot, and that no course session is over-full.
"""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("slot_times", ROOT / "tools" / "slot_times.py")
slot_times = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slot_times)


@pytest.fixture(scope="module")
def rows():
    timings = json.loads(slot_times.TIMINGS.read_text(encoding="utf-8"))
    return slot_times.lesson_times(timings)


def test_every_lesson_has_a_slot_and_a_row(rows):
    numbers = [p.name[:2] for p in slot_times.lessons()]
    assert [r["number"] for r in rows] == numbers
    assert set(slot_times.SLOTS) == set(numbers)


def test_teaching_guide_block_is_the_scripts_output(rows):
    text = slot_times.TEACHING.read_text(encoding="utf-8")
    block = slot_times.block_in(text)
    assert block is not None, "docs/teaching.md lost its slot-times block"
    assert block == slot_times.render(rows), (
        "docs/teaching.md's lesson times or course plans differ from what tools/slot_times.py computes now; "
        "run: python tools/slot_times.py --write (after --measure if code cells changed)")


def test_the_guide_states_no_other_minutes_for_a_lesson():
    # the per-lesson headings carry no times of their own: the only lesson minutes are in the generated block
    text = slot_times.TEACHING.read_text(encoding="utf-8")
    outside = text.replace(slot_times.block_in(text), "")
    import re
    headings = re.findall(r"^### \d\d · .*$", outside, flags=re.M)
    assert len(headings) == len(slot_times.SLOTS)
    assert not [h for h in headings if re.search(r"\d+\s*min", h)], headings


@pytest.mark.parametrize("number", sorted(slot_times.SLOTS))
def test_core_path_fits_its_slot(rows, number):
    row = next(r for r in rows if r["number"] == number)
    assert row["minutes"] <= row["slot"], (
        f"lesson {number}: core path {row['minutes']:.1f} min ({row['words']} words, {row['seconds']:.0f} s run, "
        f"{row['stops']} stops) does not fit its {row['slot']}-minute slot; move what does not fit after "
        "'## Going further'")


def test_no_session_is_over_full(rows):
    assert not slot_times.plan_overflows(rows)


def test_core_path_stops_at_going_further():
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["# t\n", "**Stop and ask:** one"], "metadata": {}},
        {"cell_type": "code", "source": ["1"], "metadata": {}, "id": "a"},
        {"cell_type": "markdown", "source": ["## Going further\n", "**Stop and ask:** two"], "metadata": {}},
        {"cell_type": "code", "source": ["2"], "metadata": {}, "id": "b"},
    ]}
    core = slot_times.core_cells(nb)
    assert [c.get("id") for c in core] == [None, "a"]
