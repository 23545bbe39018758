"""What a Coq statement is made of, read from its text: sorts, operators, hypotheses that matter to tactics.

Automation is scheduled by shape: `lia` is pointless on a goal over ℝ with
division, a case split on `Rabs` needs an `Rabs`, `ZifyNat` is only worth
loading when `mod` or `/` appears over ℕ. The reading is lexical (comments
and strings removed, tokens matched), so it works on statements the IR cannot
represent; it errs towards "may apply", since a skipped tactic that would have
worked costs a proof while a tried one costs only a check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemmata.dsl.coq.sentences import blank_comments
from lemmata.dsl.text import top_level_operators

_LARGE_NAT = 5000  # from here Coq abstracts nat literals as Nat.of_num_uint (lia cannot see through them)


@dataclass(frozen=True)
class Shape:
    """Facts about one statement that decide which automation can apply."""

    naturals: bool  # nat appears
    integers: bool  # Z appears
    reals: bool  # R appears (or Q)
    division_mod: bool  # mod or / over the integers
    large_nat_literal: bool
    real_division: bool  # / or Rinv over the reals
    absolute: bool  # Rabs, Rmax, Rmin (case splits); Z.abs and friends zify handles itself
    sqrt: bool
    transcendental: bool  # ln, exp, PI, sin, cos, powers with real exponents: `interval` territory
    quantified_hypothesis: str | None  # "nat" / "R" / "other": a hypothesis that is itself forall
    function_variable: bool  # f : R -> R and the like
    inequality_goal: bool
    existential: bool
    prime: bool
    prime_literals: tuple[int, ...] = ()  # N in "prime N": a primality certificate may prove it

    @property
    def integral(self) -> bool:
        return (self.naturals or self.integers) and not self.reals


def _conclusion(text: str) -> str:
    """The statement after its last top-level arrow, roughly: what the goal compares."""
    arrows = top_level_operators(text, ("->",))
    return text[arrows[-1][1] + 2:] if arrows else text


def shape_of(statement: str, header: str = "") -> Shape:
    """The shape of a ``Theorem name binders : type.`` sentence (or just its type).

    ``header`` is what precedes it: an ``Open Scope R_scope`` there makes bare
    numerals reals. A statement whose sorts cannot be told is taken to have
    them all, so nothing that might apply is skipped.
    """
    text = blank_comments(statement)
    scopes = set(re.findall(r"Open\s+Scope\s+(\w+)_scope", blank_comments(header)))
    words = set(re.findall(r"[A-Za-z_][\w']*(?:\.[A-Za-z_][\w']*)*", text))
    naturals = bool({"nat", "Nat.modulo", "Nat.div"} & words or "%nat" in text or "INR" in words)
    integers = bool({"Z", "Z.modulo", "Z.div", "Z.abs", "IZR"} & words or "%Z" in text)
    reals = bool({"R", "Q", "Rabs", "sqrt", "Rdiv", "Rinv", "IZR", "INR", "PI", "ln", "exp"} & words or "%R" in text)
    if not (naturals or integers or reals):
        reals, integers = "R" in scopes, "Z" in scopes
        naturals = not (reals or integers)
        if not scopes:
            naturals = integers = reals = True
    integral_ops = bool({"mod", "Nat.modulo", "Z.modulo", "Nat.div", "Z.div", "Z.rem", "Z.quot"} & words)
    slash = "/" in re.sub(r"/\\|\\/", " ", text)
    large = any(int(n) >= _LARGE_NAT for n in re.findall(r"(?<![\w.])\d+(?![\w.])", text)) and naturals
    quantified = None
    # A hypothesis that is itself universal: "(h : forall x : R, ...)", "(forall n, ...) ->"; untyped: the sort at hand.
    hypothesis = re.search(r"(?:\(\s*[\w'₀-₉]+\s*:|->|\()\s*forall\s*\(?\s*[\w'\s]+?(?::\s*(\w+)|,)", text)
    if hypothesis:
        sort = hypothesis[1] or ("R" if reals else "nat" if naturals else "other")
        quantified = {"nat": "nat", "R": "R"}.get(sort, "other")
    return Shape(
        naturals=naturals, integers=integers, reals=reals,
        division_mod=integral_ops or (slash and (naturals or integers) and not reals),
        large_nat_literal=large,
        real_division=reals and (slash or "Rinv" in words or bool(re.search(r"(?<![\w)])/\s", text))),
        absolute=bool({"Rabs", "Rmax", "Rmin"} & words),
        sqrt=bool({"sqrt", "Rsqrt", "Rpower"} & words),
        transcendental=bool({"ln", "exp", "PI", "sin", "cos", "tan", "Rpower", "atan"} & words),
        quantified_hypothesis=quantified,
        function_variable=bool(re.search(r":\s*(?:R|nat|Z)\s*->\s*(?:R|nat|Z)\s*\)", text)),
        inequality_goal=bool(re.search(r"<=|>=|<|>", _conclusion(text).replace("->", " ").replace("<>", " "))),
        existential="exists" in words,
        prime=bool({"prime", "Znumtheory.prime"} & words),
        prime_literals=tuple(dict.fromkeys(int(n) for n in re.findall(
            r"(?<![\w.])(?:Znumtheory\.)?prime\s+\(?\s*(\d+)(?:%Z)?\s*\)?", text))),
    )


__all__ = ["Shape", "shape_of"]
