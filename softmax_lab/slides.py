"""The "slide vs computed" table every worked-example notebook ends a step with.

A number printed on a slide is compared with the number the notebook computes,
*at the precision the slide printed it*, under one of three stated rules:

``"rounded"``
    the computed value, rounded to the slide's decimals, equals the slide.
``"truncated"``
    the computed value, cut toward zero at the slide's decimals, equals the
    slide, *and rounding would not*: the slide really truncates here, and the
    table says so instead of fudging.
``"slide arithmetic"``
    the slide computed this from its own rounded numbers (e.g. -0.385 * 1.4 =
    -0.539 while the exact value rounds to -0.538): the slide's formula on the
    slide's printed inputs rounds to the printed value, and the exact value is
    within one unit of the last printed digit.

The slide's precision is read from the printed string ("0.3096" -> 4 decimals),
so values are typed in exactly as the slide prints them.  Pure Python; the
library never prints: the notebook prints the returned table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["check_against_slides", "how_printed", "SlideCheck", "SlideRow", "SlideMismatch"]

RULES = ("rounded", "truncated", "slide arithmetic")


class SlideMismatch(AssertionError):
    """A computed value does not match the slide under the stated rule."""


@dataclass(frozen=True)
class SlideRow:
    """One checked quantity."""

    quantity: str
    printed: str
    computed: float
    rule: str
    ok: bool
    note: str
    decimals: int

    def line(self, width: int = 34) -> str:
        return (
            f"{self.quantity:<{width}} {self.printed:>9} "
            f"{self.computed:>11.{self.decimals + 2}f}  {self.note if self.ok else 'NO - ' + self.note}"
        )


@dataclass(frozen=True)
class SlideCheck:
    """The whole table; ``str()`` gives the text a notebook prints."""

    rows: tuple

    @property
    def all_match(self) -> bool:
        return all(r.ok for r in self.rows)

    def __str__(self) -> str:
        width = max([34] + [len(r.quantity) for r in self.rows])
        header = f"{'quantity':<{width}} {'slide':>9} {'computed':>11}  match at slide precision"
        lines = [header, "-" * len(header)] + [r.line(width) for r in self.rows]
        lines.append(f"all {len(self.rows)} rows match" if self.all_match else "SOME ROWS DO NOT MATCH")
        return "\n".join(lines)

    __repr__ = __str__


def _decimals(printed: str) -> int:
    if not isinstance(printed, str):
        raise TypeError(
            f"type the slide's value as a string exactly as printed (e.g. '0.3096'), "
            f"got {printed!r}: the number of decimals is the slide's precision."
        )
    float(printed)  # a clear ValueError if it is not a number
    return len(printed.split(".")[1]) if "." in printed else 0


def how_printed(printed: str, computed) -> str | None:
    """How a slide got its printed value from the exact one.

    Parameters
    ----------
    printed : str
        The value exactly as the slide prints it, e.g. ``"0.3096"``.
    computed : float
        The exact value.

    Returns
    -------
    {"rounded", "truncated", None}
        ``"rounded"`` if rounding to the slide's decimals gives the printed
        value; ``"truncated"`` if only cutting toward zero does; None if
        neither (a typo, or arithmetic on already-rounded numbers).

    Examples
    --------
    >>> how_printed("0.3096", 0.3096621), how_printed("0.615", 0.6153837), how_printed("-0.539", -0.5384627)
    ('truncated', 'rounded', None)
    """
    unit = 10 ** _decimals(printed)
    slide_units = round(float(printed) * unit)
    if round(float(computed) * unit) == slide_units:
        return "rounded"
    if math.trunc(float(computed) * unit) == slide_units:
        return "truncated"
    return None


def _check_row(row) -> SlideRow:
    if len(row) not in (4, 5):
        raise ValueError(
            "each row is (quantity, printed_on_slide, computed, rule) or, for rule "
            "'slide arithmetic', (quantity, printed, computed, rule, from_slide_inputs)."
        )
    quantity, printed, computed, rule, *extra = row
    if rule not in RULES:
        raise ValueError(f"unknown match rule {rule!r}; use one of {', '.join(RULES)}.")
    decimals = _decimals(printed)
    computed = float(computed)
    unit = 10**decimals
    slide_units = round(float(printed) * unit)
    rounded = round(computed * unit)
    if rule == "rounded":
        ok = how_printed(printed, computed) == "rounded"
        note = f"yes, rounded to {decimals} d.p."
    elif rule == "truncated":
        ok = how_printed(printed, computed) == "truncated"
        note = f"yes, TRUNCATED to {decimals} d.p. (rounding gives {rounded / unit:.{decimals}f})"
    else:
        if len(extra) != 1:
            raise ValueError("rule 'slide arithmetic' needs a fifth item: the slide's formula on its printed inputs.")
        from_slide = float(extra[0])
        ok = round(from_slide * unit) == slide_units and abs(rounded - slide_units) <= 1
        note = f"yes, from the slide's rounded inputs (exact value rounds to {rounded / unit:.{decimals}f})"
    return SlideRow(quantity, printed, computed, rule, ok, note, decimals)


def check_against_slides(rows) -> SlideCheck:
    """Compare computed values with the slide's printed ones, and insist they match.

    Parameters
    ----------
    rows : iterable of tuple
        ``(quantity, printed, computed, rule)``, or for ``rule="slide
        arithmetic"`` ``(quantity, printed, computed, rule, from_slide_inputs)``.
        ``printed`` is a string typed exactly as on the slide.

    Returns
    -------
    SlideCheck
        The table; ``print()`` it.

    Raises
    ------
    SlideMismatch
        If any row does not match under its rule (all rows are listed).

    Examples
    --------
    >>> table = check_against_slides([
    ...     ("y_hat_1", "0.615", 0.6153837, "rounded"),
    ...     ("y_hat_3", "0.3096", 0.3096621, "truncated"),
    ... ])
    >>> table.all_match
    True
    """
    table = SlideCheck(tuple(_check_row(r) for r in rows))
    if not table.all_match:
        bad = [f"{r.quantity}: slide prints {r.printed}, computed {r.computed!r} ({r.rule})" for r in table.rows if not r.ok]
        raise SlideMismatch("values do not match the slide:\n  " + "\n  ".join(bad) + "\n" + str(table))
    return table
