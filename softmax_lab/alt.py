"""Alternative text: every picture says what it shows, in words made by the code that draws it.

A screen reader cannot see a plot, and neither can a student who reads the
course on a phone with images off.  Each picture therefore carries one or more
plain sentences (the *alt text*) stored with the notebook output, where
JupyterLab, nbconvert, the course site, the slide decks and the handouts all
find it (``output.metadata["image/png"]["alt"]``).

The sentences are made by the code that drew the picture, from the same
numbers, so that they stay true when the picture changes:

* a plotting helper calls :func:`describe` on the axes it drew
  ("decision regions of θ after 5 steps: class 1 covers 100 % of the view");
* the notebook cell adds what only it knows, in the call that shows the figure
  (``slp.show(fig, alt=f"... falls from {first:.3f} to {last:.3f}")``);
* :func:`alt_text` joins them: the cell's sentence first, then each panel's.

This module imports the standard library only (a Figure is duck-typed), so the
core stays numpy-only.

>>> class FakeFigure:          # a matplotlib Figure works the same way
...     pass
>>> fig = FakeFigure()
>>> describe(fig, "Loss of each update: falls from 0.912 to 0.208 over 10 updates.")
>>> alt_text(fig, "Stochastic gradient descent on the deck's six flowers.")
"Stochastic gradient descent on the deck's six flowers. Loss of each update: falls from 0.912 to 0.208 over 10 updates."
>>> check_alt("No description has been provided for this image")
Traceback (most recent call last):
...
ValueError: alt text 'No description has been provided for this image' is generic; say what the picture shows (what is plotted and its state), e.g. 'loss of each update: falls from 0.912 to 0.208'.
"""

from __future__ import annotations

import re

__all__ = ["describe", "descriptions", "alt_text", "check_alt", "image_metadata", "GENERIC_ALT", "MIN_ALT_WORDS"]

#: The attribute on a Figure (or any object) that holds its sentences.
_ATTR = "_softmax_lab_alt"

#: Alt texts that say nothing about the picture (nbconvert's default among them).
GENERIC_ALT = (
    "no description has been provided for this image",
    "image",
    "figure",
    "plot",
    "chart",
    "picture",
    "graph",
    "output",
    "png",
)

#: An object's repr is not a description ("<Figure size 640x480 with 1 Axes>", "VBox(children=...)").
_REPR = re.compile(r"^\s*(<[\w.]+[ >]|[A-Z]\w*\((children|value|layout)=)")

#: The fewest words an alt text may have: "what is plotted" plus "its state".
MIN_ALT_WORDS = 6


def _figure_of(target):
    """The Figure that ``target`` (a Figure, an Axes, or any artist) belongs to."""
    get = getattr(target, "get_figure", None)
    if callable(get):
        fig = get()
        # a SubFigure's get_figure() may return itself or its parent; follow to the root
        root = getattr(fig, "figure", None)
        while root is not None and root is not fig:
            fig, root = root, getattr(root, "figure", None)
        if fig is not None:
            return fig
    return target


def describe(target, sentence: str) -> None:
    """Add ``sentence`` to the alt text of the figure that ``target`` belongs to.

    Parameters
    ----------
    target : matplotlib Figure, Axes or artist (anything with ``get_figure``), or any object
        Where the sentence belongs; an Axes or artist adds it to its figure.
    sentence : str
        What this part of the picture shows, with its state ("decision regions after
        step 5: all of the plane is versicolor"). Describing the same panel again
        (a display object's ``update``) replaces that panel's sentence instead of adding one.
    """
    sentence = " ".join(str(sentence).split())
    if not sentence:
        raise ValueError("describe: the sentence is empty; say what the picture shows.")
    fig = _figure_of(target)
    store = getattr(fig, _ATTR, None)
    if store is None:
        store = {}
        setattr(fig, _ATTR, store)
    # one sentence per panel: an update replaces the panel's old sentence
    store[id(target) if target is not fig else ("figure", len(store))] = sentence


def descriptions(target) -> list[str]:
    """The sentences added to ``target``'s figure, in the order they were added."""
    return list(getattr(_figure_of(target), _ATTR, {}).values())


def alt_text(target, alt: str | None = None) -> str:
    """The whole alt text of ``target``'s figure: ``alt`` first, then each described panel.

    Raises ValueError (through :func:`check_alt`) when the result is empty or generic.
    """
    parts = ([" ".join(str(alt).split())] if alt else []) + descriptions(target)
    text = " ".join(p if p.endswith((".", "!", "?", ":")) else p + "." for p in parts if p)
    return check_alt(text)


def check_alt(text) -> str:
    """Return ``text`` if it is a real description; raise ValueError if it is missing or generic."""
    text = " ".join(str(text or "").split())
    hint = ("say what the picture shows (what is plotted and its state), "
            "e.g. 'loss of each update: falls from 0.912 to 0.208'.")
    if not text:
        raise ValueError(f"alt text is missing; {hint}")
    if text.lower().rstrip(".") in GENERIC_ALT or _REPR.match(text):
        raise ValueError(f"alt text {text!r} is generic; {hint}")
    if len(text.split()) < MIN_ALT_WORDS:
        raise ValueError(f"alt text {text!r} has fewer than {MIN_ALT_WORDS} words; {hint}")
    return text


def image_metadata(text: str, mime: str = "image/png") -> dict:
    """The output metadata that stores ``text`` as the alt text of a ``mime`` picture.

    >>> image_metadata("Bar chart of softmax([2, 1, 0.1]): 0.659, 0.242, 0.099.")
    {'image/png': {'alt': 'Bar chart of softmax([2, 1, 0.1]): 0.659, 0.242, 0.099.'}}
    """
    return {mime: {"alt": check_alt(text)}}
