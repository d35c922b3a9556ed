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

The slide's precision is read from the printed string ("0.3096" -> 4 decimals,
"1e-3" -> 3 decimals), so values are typed in exactly as the slide prints them.
Rounding is the schoolbook rule a slide uses, half away from zero on the
decimal value (0.125 -> "0.13", not numpy's half-to-even "0.12"), done in
``decimal`` arithmetic so binary floating point cannot tip a tie.  Pure
Python; the library never prints: the notebook prints the returned table.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_DOWN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

__all__ = ["compare_with_slides", "how_printed", "SlideCheck",
           "SlideRow", "SlideMismatch"]

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


def _printed(printed, quantity=None) -> Decimal:
    """The slide's value as an exact Decimal (its exponent is the slide's precision)."""
    who = f" for {quantity!r}" if quantity is not None else ""
    if not isinstance(printed, str):
        raise TypeError(
            f"type the slide's value{who} as a string exactly as printed (e.g. '0.3096'), "
            f"got {printed!r}: the number of decimals is the slide's precision."
        )
    text = printed.strip().replace("\u2212", "-")  # OCR'd slides: a typographic minus
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "," in text or "_" in text:
        raise ValueError(
            f"the printed value{who} {printed!r} is not a number as a slide prints it; type "
            f"it like '0.3096', '-0.153' or '1e-3' (a decimal point, no thousands separators)."
        )
    if -value.as_tuple().exponent > _MAX_DECIMALS or value.adjusted() > 308:
        raise ValueError(
            f"the printed value{who} {printed!r} has "
            f"{'more than ' + str(_MAX_DECIMALS) + ' decimals' if value.adjusted() <= 308 else 'a magnitude beyond float64 (1e308)'}"
            f"; no slide prints that - type the value exactly as printed, e.g. '0.3096'."
        )
    return value


def _computed(computed, quantity) -> Decimal:
    """The computed value as the Decimal of its shortest repr, refusing non-numbers."""
    if isinstance(computed, (bool, str, bytes)) or computed is None:
        raise TypeError(
            f"the computed value for {quantity!r} is {computed!r}; pass the number your code "
            f"computed (a float), e.g. float(P[0, 0])."
        )
    if hasattr(computed, "shape") and getattr(computed, "size", 1) == 1:
        computed = computed.reshape(()).item() if hasattr(computed, "reshape") else computed
    if not isinstance(computed, numbers.Real):
        raise TypeError(
            f"the computed value for {quantity!r} must be one real number, got {computed!r}; "
            f"pick the entry to compare, e.g. P[0, 0]."
        )
    try:
        value = float(computed)
    except OverflowError:
        raise ValueError(
            f"the computed value for {quantity!r} has {len(str(abs(int(computed))))} digits, beyond "
            f"float64's range (1.8e308); a "
            f"slide never prints that. Find where the computation produced it first."
        ) from None
    if not math.isfinite(value):
        raise ValueError(
            f"the computed value for {quantity!r} is {value}; a slide never prints that. "
            f"Find where the computation produced it (an overflow, a log of 0?) first."
        )
    return Decimal(repr(value))


# a slide prints a handful of decimals; more than this is a typo in the printed string
_MAX_DECIMALS = 40


def _at(value: Decimal, places: Decimal, rounding) -> Decimal:
    """``value`` rounded (or cut) at ``places``, exactly, whatever its size.

    decimal's default context holds 28 digits, so quantizing 1e30 to 0.1 would
    raise InvalidOperation; the context here holds every digit needed.
    """
    digits = max(value.adjusted(), 0) - places.as_tuple().exponent + 2
    exact = Context(prec=max(digits, 28), Emax=MAX_EMAX, Emin=MIN_EMIN)
    return value.quantize(places, rounding=rounding, context=exact)


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
    slide = _printed(printed)
    value = _computed(computed, printed)
    places = Decimal(1).scaleb(min(slide.as_tuple().exponent, 0))
    if _at(value, places, ROUND_HALF_UP) == slide:
        return "rounded"
    if _at(value, places, ROUND_DOWN) == slide:
        return "truncated"
    return None


def _compare_row(row) -> SlideRow:
    if not isinstance(row, (tuple, list)) or len(row) not in (4, 5):
        raise ValueError(
            f"each row is (quantity, printed_on_slide, computed, rule) or, for rule "
            f"'slide arithmetic', (quantity, printed, computed, rule, from_slide_inputs); "
            f"got {row!r}."
        )
    quantity, printed, computed, rule, *extra = row
    if not isinstance(rule, str) or rule not in RULES:
        raise ValueError(f"unknown match rule {rule!r} for {quantity!r}; use one of {', '.join(RULES)}.")
    slide = _printed(printed, quantity)
    value = _computed(computed, quantity)
    decimals = max(-slide.as_tuple().exponent, 0)
    places = Decimal(1).scaleb(-decimals)
    rounded = _at(value, places, ROUND_HALF_UP)
    if rule == "rounded":
        ok = rounded == slide
        note = f"yes, rounded to {decimals} d.p."
    elif rule == "truncated":
        ok = rounded != slide and _at(value, places, ROUND_DOWN) == slide
        note = f"yes, TRUNCATED to {decimals} d.p. (rounding gives {rounded})"
    else:
        if len(extra) != 1:
            raise ValueError(
                f"rule 'slide arithmetic' for {quantity!r} needs a fifth item: the slide's "
                f"formula on its printed inputs."
            )
        from_slide = _computed(extra[0], f"{quantity} (from the slide's inputs)")
        unit = places
        ok = _at(from_slide, places, ROUND_HALF_UP) == slide and abs(rounded - slide) <= unit
        note = f"yes, from the slide's rounded inputs (exact value rounds to {rounded})"
    return SlideRow(str(quantity), printed.strip(), float(value), rule, ok, note, decimals)


def compare_with_slides(rows) -> SlideCheck:
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
    >>> table = compare_with_slides([
    ...     ("y_hat_1", "0.615", 0.6153837, "rounded"),
    ...     ("y_hat_3", "0.3096", 0.3096621, "truncated"),
    ... ])
    >>> table.all_match
    True
    """
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows must be a list of (quantity, printed, computed, rule) tuples, got {rows!r}.")
    rows = list(rows)
    if not rows:
        raise ValueError(
            "no rows to compare: pass at least one (quantity, printed, computed, rule) row "
            "(an empty table would claim that all 0 rows match)."
        )
    table = SlideCheck(tuple(_compare_row(r) for r in rows))
    if not table.all_match:
        bad = [f"{r.quantity}: slide prints {r.printed}, computed {r.computed!r} ({r.rule})" for r in table.rows if not r.ok]
        raise SlideMismatch("values do not match the slide:\n  " + "\n  ".join(bad) + "\n" + str(table))
    return table
