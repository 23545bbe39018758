"""Is a written value the exact value rounded to the digits shown? Decided in exact arithmetic.

``1000 / 12 = 83.33`` is false as an equation and true as a rounding: the
written side has two decimals and 1000/12 rounded to two decimals is 83.33.
The written side must be a plain number (or a percentage, whose digits count
two more places); the other side's exact value is a SymPy number, rational or
algebraic. A value whose exact form fits in the digits shown is not a rounding
(``24 * 864 = 21456`` is simply wrong). Rounding to the digits shown (either
way at a tie) is a rounding; truncating or rounding the other way is a common
human habit this cannot tell from a slip, so it is reported as such and left
undecided; anything else is not the exact value at any reading. No floats are
compared: irrational values are bracketed by a 60-digit rational enclosure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy

_WRITTEN = re.compile(r"(?:\(\s*)?(?P<sign>-\s*)?(?P<digits>\d+(?:\.(?P<decimals>\d+))?)"
                      r"(?P<percent>\s*/\s*100)?(?:\s*\))?")


@dataclass(frozen=True)
class Written:
    """A number as the text wrote it: its value and how many decimal places it shows."""

    value: Fraction
    places: int
    trailing_zeros: int  # of an integer: 20000 shows 4 (read as a rounding only when marked approximate)


def written(side: str) -> Written | None:
    """The side as a written number (``83.33``, ``( 12.5 / 100 )`` for ``12.5%``), or None."""
    m = _WRITTEN.fullmatch(side.strip())
    if m is None or (side.strip().startswith("(") != side.strip().endswith(")")):
        return None
    value = Fraction(m["digits"]) * (-1 if m["sign"] else 1)
    places = len(m["decimals"] or "")
    if m["percent"]:
        value, places = value / 100, places + 2
    zeros = len(m["digits"]) - len(m["digits"].rstrip("0")) if not m["decimals"] and value else 0
    return Written(value, places, zeros)


def _bracket(value: sympy.Expr) -> tuple[Fraction, Fraction] | None:
    """Rationals ``lo <= value <= hi``: exact for a rational value, a tight enclosure for an algebraic one."""
    if value.is_Rational:
        exact = Fraction(int(value.p), int(value.q))
        return exact, exact
    if not value.is_real:
        return None
    approx = sympy.Rational(sympy.N(value, 60))
    slack = abs(approx) / 10**50 + sympy.Rational(1, 10**50)
    return Fraction(int((approx - slack).p), int((approx - slack).q)), Fraction(int((approx + slack).p), int((approx + slack).q))


@dataclass(frozen=True)
class RoundingVerdict:
    verdict: str  # verified / unknown / refuted, or "exact" when the digits shown could hold the exact value
    evidence: dict[str, str]


def _decimal(value: Fraction, places: int) -> str:
    scaled = round(value * 10**places)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    return sign + (f"{digits[:-places]}.{digits[-places:]}" if places else digits)


def _exact_text(lo: Fraction, hi: Fraction, places: int) -> str:
    """The exact value in decimals, ``…`` marking where it goes on."""
    if lo == hi:
        for shown in range(places + 1):
            if (lo * 10**shown).denominator == 1:
                return _decimal(lo, shown)
    return _decimal((lo + hi) / 2, places) + "…"


def _rounded(scaled: Fraction) -> set[int]:
    """The integers ``scaled`` rounds to: the nearest; at a tie both away from zero and to even."""
    low = math.floor(scaled)
    step = scaled - low
    if step != Fraction(1, 2):
        return {low if step < Fraction(1, 2) else low + 1}
    away = low + 1 if scaled > 0 else low
    return {away, low if low % 2 == 0 else low + 1}


def judge(exact: sympy.Expr, shown: Written, *, approximate: bool) -> RoundingVerdict | None:
    """How ``shown`` relates to ``exact`` as a rounding; None when ``exact`` cannot be bracketed."""
    bracket = _bracket(exact)
    if bracket is None:
        return None
    lo, hi = bracket
    places = shown.places
    if approximate and shown.places == 0 and shown.trailing_zeros:
        places = -shown.trailing_zeros  # "about 21,000": rounded to thousands
    unit = Fraction(1, 10**places) if places >= 0 else Fraction(10**-places)
    if lo == hi and (lo / unit).denominator == 1:
        return RoundingVerdict("exact", {})  # the exact value fits in the digits shown: no rounding to speak of
    target = shown.value / unit
    if target.denominator != 1:
        return None
    target_int = int(target)
    low, high = math.floor(lo / unit), math.ceil(hi / unit)
    if high - low > 1:
        return None  # the enclosure straddles a rounding step: cannot tell (never happens at 60 digits)
    shown_text = _decimal(shown.value, max(places, 0))
    exact_text = _exact_text(lo, hi, max(places, 0) + 4)
    where = f"{places} decimal place{'s' if places != 1 else ''}" if places >= 0 else f"the nearest {10**-places}"
    rounded = _rounded(lo / unit)
    evidence = {"exact": exact_text, "shown": shown_text}
    if places == 0 and not approximate and target_int in rounded | {low, high}:
        # "3 * 16.50 = 50": a whole number for a fraction, unmarked, may be whole-unit rounding or a slip.
        return RoundingVerdict("unknown", {**evidence, "reason": f"{shown_text} is a whole number next to the exact "
                                                                 "value: rounded or a slip, the text does not say"})
    if target_int in rounded:
        return RoundingVerdict("verified", {**evidence, "rounding": f"the exact value rounded to {where} is {shown_text}"})
    cut = math.floor(lo / unit) if lo >= 0 else math.ceil(hi / unit)  # digits dropped, towards zero
    if target_int == cut:
        return RoundingVerdict("unknown", {**evidence, "reason": f"{shown_text} is the exact value cut (not rounded) "
                                                                 f"to {where}: a habit or a slip"})
    correct = " or ".join(_decimal(Fraction(r) * unit, max(places, 0)) for r in sorted(rounded))
    return RoundingVerdict("refuted", {**evidence, "reason": f"rounded to {where} the exact value is {correct}"})


__all__ = ["RoundingVerdict", "Written", "judge", "written"]
