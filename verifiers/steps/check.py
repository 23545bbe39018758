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

import re
import string
import time
from tokenize import TokenError
from dataclasses import dataclass, field

import sympy
from sympy.parsing.sympy_parser import (convert_xor, implicit_multiplication_application, parse_expr, rationalize,
                                        standard_transformations)

from lemmata.dsl.mathtext import ClaimText
from lemmata.verifiers.steps.rounding import judge, written

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


MAX_EXPONENT = 10_000  # 9^9^9 is not arithmetic anyone checks by hand, and would exhaust memory
MAX_DIGITS = 400


def _magnitude(node: sympy.Basic) -> float | None:
    try:
        return float(abs(node.evalf(15)))
    except (TypeError, ValueError, OverflowError):
        return None


def _too_big(node: sympy.Basic) -> str | None:
    """Why evaluating ``node`` could take unbounded time or memory (a hostile ``9^9^9^9``), or None."""
    if isinstance(node, sympy.Integer) and abs(node) >= 10**MAX_DIGITS:
        return "a number too long to evaluate"
    for arg in node.args:
        reason = _too_big(arg)
        if reason:
            return reason
    if isinstance(node, sympy.Pow) and not node.exp.free_symbols:
        exponent = _magnitude(node.exp)  # its parts passed, so it is small enough to evaluate
        base = _magnitude(node.base) if not node.base.free_symbols else 1.0
        if exponent is None or exponent > MAX_EXPONENT or (base is not None and base > 1e100 and exponent > 100):
            return "an exponent too large to evaluate"
    return None


def parse_side(text: str) -> sympy.Expr:
    try:
        unevaluated = parse_expr(text, local_dict=dict(_NAMES), transformations=_TRANSFORMS, evaluate=False)
    except (SyntaxError, TypeError, ValueError, AttributeError, ZeroDivisionError, TokenError) as exc:
        raise NotMath(f"cannot read {text!r} as math ({type(exc).__name__})") from None
    reason = _too_big(unevaluated)
    if reason:
        raise NotMath(f"{text[:60]!r} holds {reason}")
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


def _ground(claim: ClaimText, rel: sympy.Basic, method: str, done, **shown: str) -> ClaimVerdict | None:
    """Decide a variable-free relation exactly, reading a written number as a rounding where it is one."""
    truth = _truth(rel)
    if truth is None:
        return None
    if truth:
        return done("verified", method, left=_show(rel.lhs), right=_show(rel.rhs), **shown)
    if isinstance(rel, sympy.Eq):
        as_number = _percent_as_number(claim)
        if as_number is not None:
            return done("verified", f"{method}, reading the percentage as its number (the ×100 convention)",
                        **as_number, **shown)
        for shown_side, exact in ((claim.right, rel.lhs), (claim.left, rel.rhs)):
            value = written(shown_side)
            other = claim.left if shown_side is claim.right else claim.right
            if value is None or written(other) is not None:
                continue  # a written number against a written number is not a rounding
            rounding = judge(exact, value, approximate=claim.approximate)
            if rounding is not None and rounding.verdict != "exact":
                named = method if rounding.verdict == "refuted" else f"{method}, as a rounding"
                return done(rounding.verdict, named, **rounding.evidence, **shown)
            break
    return done("refuted", method, left=_show(rel.lhs), right=_show(rel.rhs), **shown)


_PERCENT = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*/\s*100\s*\)")


def _percent_as_number(claim: ClaimText) -> dict[str, str] | None:
    """``(500 / 2000) * 100 = 25%`` means 25 percent, i.e. the number 25: true on that reading?"""
    sides = [claim.left, claim.right]
    marked = [bool(_PERCENT.search(side)) for side in sides]
    if marked.count(True) != 1 or not re.search(r"(?<![\d.])100(?![\d.])", sides[marked.index(False)]):
        return None
    read = [_PERCENT.sub(r"\1", side) if has else side for side, has in zip(sides, marked)]
    try:
        left, right = parse_side(read[0]), parse_side(read[1])
    except NotMath:
        return None
    if (left - right).free_symbols or _truth(sympy.Eq(left, right, evaluate=False)) is not True:
        return None
    return {"left": _show(left), "right": _show(right)}


def decide(claim: ClaimText, facts: list[sympy.Basic], *, timeout: float = 5.0) -> ClaimVerdict:
    """The claim's verdict; a claim whose reading is in doubt (``claim.doubt``) is never refuted."""
    verdict = _decide(claim, facts, timeout)
    if verdict.verdict == "refuted" and claim.doubt:
        return ClaimVerdict("unknown", verdict.method, {**verdict.evidence, "reason": f"not refuted: {claim.doubt}"},
                            verdict.seconds)
    return verdict


def _decide(claim: ClaimText, facts: list[sympy.Basic], timeout: float) -> ClaimVerdict:
    started = time.monotonic()

    def done(verdict: str, method: str, **evidence: str) -> ClaimVerdict:
        return ClaimVerdict(verdict, method, evidence, round(time.monotonic() - started, 5))

    try:
        rel = relation(claim)
    except NotMath as exc:
        return done("unknown", "unreadable", reason=str(exc))
    variables = (rel.lhs - rel.rhs).free_symbols
    if not variables:
        return _ground(claim, rel, "exact arithmetic", done) or done("unknown", "exact arithmetic",
                                                                       reason="cannot decide exactly")
    if isinstance(rel, sympy.Eq) and sympy.cancel(sympy.expand(rel.lhs - rel.rhs)) == 0:
        return done("verified", "algebraic identity")
    values = _unique_values(facts, variables)
    if values is not None:
        grounded = rel.func(rel.lhs.subs(values), rel.rhs.subs(values), evaluate=False)
        if not (grounded.lhs - grounded.rhs).free_symbols:
            shown = {str(k): _show(v) for k, v in values.items()}
            decided = _ground(claim, grounded, "exact values from the givens", done, **shown)
            if decided is not None:
                return decided
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
