"""docs/errata.md and the errata lab (notebook 10) list the same entries with the same classes.

Notebook 10 registers every erratum it demonstrates (id -> class) and prints the list, by class, in its
summary cell; the stored output of that cell is compared here with the tables of docs/errata.md, so the
two cannot drift apart (an entry added to one only, or classed differently, fails).
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("author error", "OCR damage", "truncation", "pitfall")


def doc_entries():
    text = (ROOT / "docs" / "errata.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ((?:S00\d|D)-\d+) \| ([^|]+?) \|", text, flags=re.M))


def notebook_entries():
    nb = json.loads((ROOT / "notebooks" / "10_errata_lab.ipynb").read_text(encoding="utf-8"))
    found = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", ""))
            for cls in CLASSES:
                m = re.search(rf"^{cls}\s+\d+: (.+)$", text, flags=re.M)
                if m:
                    found.update({i.strip(): cls for i in m.group(1).split(",")})
    return found


def test_the_summary_cell_was_found():
    entries = notebook_entries()
    assert len(entries) > 30 and set(entries.values()) == set(CLASSES)


def test_docs_and_notebook_list_the_same_entries_with_the_same_classes():
    docs, nb = doc_entries(), notebook_entries()
    assert set(docs.values()) <= set(CLASSES), sorted(set(docs.values()) - set(CLASSES))
    only_docs = sorted(set(docs) - set(nb))
    only_nb = sorted(set(nb) - set(docs))
    assert not only_docs and not only_nb, f"only in docs/errata.md: {only_docs}; only in notebook 10: {only_nb}"
    differ = {k: (docs[k], nb[k]) for k in docs if docs[k] != nb[k]}
    assert not differ, f"classed differently (docs, notebook): {differ}"


def test_the_summary_line_of_the_docs_matches_the_counts():
    text = (ROOT / "docs" / "errata.md").read_text(encoding="utf-8")
    counts = {cls: list(doc_entries().values()).count(cls) for cls in CLASSES}
    summary = re.search(r"\*\*Summary: (\d+) entries — author error (\d+), OCR damage (\d+), truncation (\d+), "
                        r"pitfall (\d+)\*\*", text)
    assert summary, "docs/errata.md lost its summary line"
    assert [int(g) for g in summary.groups()] == [sum(counts.values()), *counts.values()]
