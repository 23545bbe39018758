"""Printing exact values in a source language's syntax (for counterexamples)."""

from __future__ import annotations

from fractions import Fraction

from lemmata.dsl.ir import Language, Sort

_LEAN_TYPE = {Sort.NAT: "ℕ", Sort.INT: "ℤ", Sort.RAT: "ℚ", Sort.REAL: "ℝ"}
_COQ_SCOPE = {Sort.NAT: "nat", Sort.INT: "Z", Sort.RAT: "Q", Sort.REAL: "R"}


def show(value: Fraction, sort: Sort, language: Language) -> str:
    text = str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if language == "lean":
        return f"({text} : {_LEAN_TYPE[sort]})"
    if sort is Sort.RAT:  # Coq's Q literals are written p # q
        return f"({value.numerator} # {value.denominator})"
    return f"({text})%{_COQ_SCOPE[sort]}"
