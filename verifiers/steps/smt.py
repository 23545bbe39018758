"""Polynomial claims and facts over the reals, to Z3: is the claim entailed, contradicted, or neither?"""

from __future__ import annotations

import sympy

_SKIP = "not polynomial (division by a variable, roots, or functions)"


def _to_z3(expr: sympy.Basic, variables: dict):
    import z3

    if isinstance(expr, sympy.Symbol):
        if expr not in variables:
            variables[expr] = z3.Real(str(expr))
        return variables[expr]
    if isinstance(expr, sympy.Rational):
        return z3.RealVal(f"{expr.p}/{expr.q}")
    if isinstance(expr, sympy.Add):
        return z3.Sum([_to_z3(a, variables) for a in expr.args])
    if isinstance(expr, sympy.Mul):
        product = _to_z3(expr.args[0], variables)
        for factor in expr.args[1:]:
            product = product * _to_z3(factor, variables)
        return product
    if isinstance(expr, sympy.Pow) and isinstance(expr.exp, sympy.Integer) and expr.exp >= 0:
        base = _to_z3(expr.base, variables)
        result = z3.RealVal(1)
        for _ in range(int(expr.exp)):
            result = result * base
        return result
    raise ValueError(_SKIP)


def _formula(rel: sympy.Basic, variables: dict):
    left, right = _to_z3(rel.lhs, variables), _to_z3(rel.rhs, variables)
    return {sympy.Eq: left == right, sympy.Ne: left != right, sympy.Lt: left < right, sympy.Le: left <= right,
            sympy.Gt: left > right, sympy.Ge: left >= right}[type(rel)]


def entailment(facts: list[sympy.Basic], claim: sympy.Basic, *, timeout: float = 5.0) -> str:
    """``entailed``, ``contradicted``, or why neither could be shown."""
    import z3

    variables: dict = {}
    try:
        goal = _formula(claim, variables)
        known = [_formula(f, variables) for f in facts if f.free_symbols]
    except (ValueError, KeyError):
        return _SKIP
    def unsat(*formulas) -> bool:
        solver = z3.Solver()
        solver.set("timeout", int(timeout * 1000))
        solver.add(*known, *formulas)
        return solver.check() == z3.unsat

    if unsat():  # inconsistent facts prove anything: decide nothing from them
        return "the givens contradict each other"
    if unsat(z3.Not(goal)):
        return "entailed"
    if unsat(goal):
        return "contradicted"
    return "neither entailed nor contradicted by the givens"


__all__ = ["entailment"]
