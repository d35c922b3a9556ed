"""A number in a lesson's prose is a claim: the notebook computes it, or says why not.

Every number with three or more significant digits written in a markdown cell
of a lesson must appear in that notebook's code (a typed-in slide value, an
assertion) or in its stored outputs (a printed result).  Exceptions live in the
notebook itself, with the reason, in its metadata::

    "metadata": {"softmax_lab": {"prose_allow": {"1936": "year of Fisher's paper"}}}

so whoever edits a lesson sees them, and a stale exception (a number that is no
longer in the prose) fails too.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# a number: optional sign, digits with optional thousands commas, optional decimals
_NUMBER = re.compile(r"(?<![\w.])[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])[-−]?\d+(?:\.\d+)?(?![\w])")
# where digits are not claims: link targets, inline HTML tags, file names, LaTeX labels
_NOT_PROSE = [
    re.compile(r"\]\([^)]*\)"),          # markdown link targets
    re.compile(r"<[^>]+>"),              # html tags and autolinks
    re.compile(r"https?://\S+"),         # bare URLs
    re.compile(r"\b\w*\d\w*\.(?:ipynb|md|py|csv|png|txt)\b"),  # file names
    re.compile(r"\b\d\d[a-z]?_\w+"),     # notebook stems such as 03_three_classes
]


def _canonical(token: str) -> str:
    return token.replace("−", "-").replace(",", "").lstrip("+")


def significant_digits(token: str) -> int:
    digits = _canonical(token).lstrip("-").replace(".", "").lstrip("0")
    return len(digits)


def prose_numbers(markdown: str) -> list[str]:
    """Numbers with >= 3 significant digits in a markdown text, as written (sign dropped)."""
    for pattern in _NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    found = []
    for m in _NUMBER.finditer(markdown):
        token = _canonical(m.group()).lstrip("-")
        if significant_digits(token) >= 3:
            found.append(token)
    return found


def _text_of_outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                parts.append(value if isinstance(value, str) else json.dumps(value) if not isinstance(value, list)
                             else "".join(value))
    return "\n".join(parts)


def evidence(nb) -> str:
    """Everything the notebook computes or types in: code sources and stored text outputs."""
    chunks = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            chunks.append("".join(cell["source"]))
            chunks.append(_text_of_outputs(cell))
    text = "\n".join(chunks).replace("−", "-")
    return text + "\n" + re.sub(r"(?<=\d),(?=\d{3})", "", text)


def test_number_finder_knows_what_a_claim_is():
    text = ("L = 0.9122 and ŷ₁ = −0.539, 150 flowers, 1,797 digits; θ₁ = 0.5 and 12 steps; "
            "see [notebook 03](03_three_classes_stochastic.ipynb) or <https://x.org/1234>.")
    assert prose_numbers(text) == ["0.9122", "0.539", "150", "1797"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_computed_or_explained(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    allow = nb.get("metadata", {}).get("softmax_lab", {}).get("prose_allow", {})
    seen = evidence(nb)
    missing, used = [], set()
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for token in prose_numbers("".join(cell["source"])):
            if token in allow:
                used.add(token)
                assert allow[token].strip(), f"{path.name}: prose_allow[{token!r}] needs a reason"
            elif not re.search(rf"(?<![\d.]){re.escape(token)}", seen):
                missing.append(f"cell {i}: {token}")
    assert not missing, (
        f"{path.name}: these numbers in the prose appear in no code cell or stored output. "
        "Compute and print them next to the sentence, reword, or list them with a reason under "
        "metadata.softmax_lab.prose_allow:\n  " + "\n  ".join(missing)
    )
    stale = sorted(set(allow) - used)
    assert not stale, f"{path.name}: prose_allow lists numbers the prose no longer has: {stale}"
