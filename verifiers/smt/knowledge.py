"""What the solver knows about a statement beyond its verdict: the bounds of its integer variables.

Reconstruction turns an SMT proof into a kernel-checked one by handing Coq
facts it can re-prove and then use: a bound ``x <= 80`` makes an integer goal
a finite case split closed by computation. Each fact is asked of the solver as
a statement of its own (the hypotheses, and the fact as the goal), so what
comes back is exactly what it proved, within ``timeout`` seconds a question.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from lemmata.dsl.ir import Compare, Conjecture, Formula, Num, Sort, Var
from lemmata.verifiers.smt.backend import SmtVerdict, decide

BOUND_STEPS = (1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 80, 100)


def proves(conjecture: Conjecture, *, goal: Formula | None = None, hypotheses: tuple[Formula, ...] | None = None,
           solver: str = "z3", timeout: float = 2.0) -> bool:
    """Whether the solver proves the statement, with its goal or hypotheses replaced."""
    changed = replace(conjecture, goal=conjecture.goal if goal is None else goal,
                      hypotheses=conjecture.hypotheses if hypotheses is None else hypotheses)
    return decide(changed, solver=solver, timeout=timeout).verdict is SmtVerdict.SMT_PROVED


def integer_bounds(conjecture: Conjecture, variable: Var, *, steps: tuple[int, ...] = BOUND_STEPS,
                   solver: str = "z3", timeout: float = 2.0) -> tuple[int, int] | None:
    """The smallest ``(lo, hi)`` among ``±steps`` the hypotheses force on an integer variable, or None."""
    if not variable.sort.integral:
        return None

    def bound(op: str, sign: int) -> int | None:
        for step in steps:
            if proves(conjecture, goal=Compare(op, variable, Num(Fraction(sign * step), variable.sort)),
                      solver=solver, timeout=timeout):
                return sign * step
        return None

    high = bound("le", 1)
    if high is None:
        return None
    if variable.sort is Sort.NAT:
        return 0, high
    if proves(conjecture, goal=Compare("ge", variable, Num(Fraction(0), variable.sort)), solver=solver,
              timeout=timeout):
        return 0, high
    low = bound("ge", -1)
    return (low, high) if low is not None else None


__all__ = ["BOUND_STEPS", "integer_bounds", "proves"]
