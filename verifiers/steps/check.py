"""Deciding one claim (``lhs REL rhs``) given facts, as soundly as the methods allow.

In order: exact evaluation when the claim has no variables (SymPy's exact
rationals and algebraic numbers); an algebraic identity (``expand``/``cancel``
to zero); the unique values the facts' equations give its variables, then
exact evaluation; Z3 over the reals for polynomial claims and facts (entailed:
``verified``; contradicted: ``refuted``). Over the reals is sound for integer
problems too: what holds (or fails) for every real solution holds (or fails)
for the integer ones. Anything else is ``unknown``; a text that does not parse
as math is ``unknown`` too, never ``refuted``.
"""

from __future__ import annotations

import string
import time
from tokenize import TokenError
from dataclasses import dataclass, field

import sympy
from sympy.parsing.sympy_parser import (convert_xor, implicit_multiplication_application, parse_expr, rationalize,
                                        standard_transformations)

from lemmata.dsl.mathtext import ClaimText

_TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor, rationalize)
# Every single letter is a variable: sympy's own one-letter names (I, E, N, S, O, Q) must not leak in.
_NAMES = {c: sympy.Symbol(c) for c in string.ascii_letters} | {"sqrt": sympy.sqrt, "pi": sympy.pi}
_RELATION = {"=": sympy.Eq, "!=": sympy.Ne, "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}


class NotMath(ValueError):
    pass


@dataclass
class ClaimVerdict:
    verdict: str  # verified / refuted / unknown
    method: str
    evidence: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def parse_side(text: str) -> sympy.Expr:
    try:
        value = parse_expr(text, local_dict=dict(_NAMES), transformations=_TRANSFORMS, evaluate=True)
    except (SyntaxError, TypeError, ValueError, AttributeError, ZeroDivisionError, TokenError) as exc:
        raise NotMath(f"cannot read {text!r} as math ({type(exc).__name__})") from None
    if not isinstance(value, sympy.Expr) or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise NotMath(f"{text!r} is not a finite number or expression")
    return value


def relation(claim: ClaimText) -> sympy.Basic:
    return _RELATION[claim.relation](parse_side(claim.left), parse_side(claim.right), evaluate=False)


def _truth(rel: sympy.Basic) -> bool | None:
    """The truth of a variable-free relation, exactly (None when SymPy cannot tell)."""
    difference = rel.lhs - rel.rhs
    if isinstance(rel, (sympy.Eq, sympy.Ne)):
        zero = difference.equals(0)
        if zero is None:
            return None
        return zero if isinstance(rel, sympy.Eq) else not zero
    decided = type(rel)(rel.lhs, rel.rhs)
    return bool(decided) if decided in (sympy.true, sympy.false) else None


def _show(value: sympy.Expr) -> str:
    return str(sympy.nsimplify(value)) if value.is_number else str(value)


def decide(claim: ClaimText, facts: list[sympy.Basic], *, timeout: float = 5.0) -> ClaimVerdict:
    started = time.monotonic()

    def done(verdict: str, method: str, **evidence: str) -> ClaimVerdict:
        return ClaimVerdict(verdict, method, evidence, round(time.monotonic() - started, 5))

    try:
        rel = relation(claim)
    except NotMath as exc:
        return done("unknown", "unreadable", reason=str(exc))
    variables = (rel.lhs - rel.rhs).free_symbols
    if not variables:
        truth = _truth(rel)
        if truth is None:
            return done("unknown", "exact arithmetic", reason="cannot decide exactly")
        return done("verified" if truth else "refuted", "exact arithmetic",
                    left=_show(rel.lhs), right=_show(rel.rhs))
    if isinstance(rel, sympy.Eq) and sympy.cancel(sympy.expand(rel.lhs - rel.rhs)) == 0:
        return done("verified", "algebraic identity")
    values = _unique_values(facts, variables)
    if values is not None:
        grounded = rel.func(rel.lhs.subs(values), rel.rhs.subs(values), evaluate=False)
        if not (grounded.lhs - grounded.rhs).free_symbols:
            truth = _truth(grounded)
            if truth is not None:
                shown = {str(k): _show(v) for k, v in values.items()}
                return done("verified" if truth else "refuted", "exact values from the givens", **shown)
    from lemmata.verifiers.steps.smt import entailment

    answer = entailment(facts, rel, timeout=min(timeout, 5.0))
    if answer == "entailed":
        return done("verified", "smt (z3) over the reals")
    if answer == "contradicted":
        return done("refuted", "smt (z3) over the reals", reason="contradicts the givens and earlier verified steps")
    return done("unknown", "undetermined", reason=answer)


def _unique_values(facts: list[sympy.Basic], variables: set) -> dict | None:
    equations = [f for f in facts if isinstance(f, sympy.Eq)]
    if not equations:
        return None
    unknowns = sorted(set().union(*(e.free_symbols for e in equations)), key=str)
    if not variables <= set(unknowns) or len(unknowns) > 6:
        return None
    try:
        solutions = sympy.solve(equations, unknowns, dict=True)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if len(solutions) != 1:
        return None
    solution = solutions[0]
    if not all(v in solution and not solution[v].free_symbols for v in variables):
        return None
    return {v: solution[v] for v in variables}


__all__ = ["ClaimVerdict", "NotMath", "decide", "parse_side", "relation"]
