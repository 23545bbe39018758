"""Exact evaluation of IR terms and formulas with rational arithmetic.

This is the independent judge of counterexamples: a model a solver returns is
only reported as a counterexample once this module, which shares no code with
the SMT translation, finds that it satisfies every hypothesis and falsifies
the goal. Anything it cannot evaluate exactly (an irrational square root, a
quantifier, an unknown function value) raises ``NotExact``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction

from lemmata.dsl.ir import (
    Apply, BigOp, Cast, Compare, Dvd, Formula, Logic, Num, Op, Quant, Sort, Term, Truth, Var,
)


class NotExact(Exception):
    """The value cannot be computed exactly in rational arithmetic."""


Functions = Mapping[str, Callable[..., Fraction]]


def _floor_div(a: int, b: int) -> int:
    return a // b  # Python floors


def _euclid_div(a: int, b: int) -> int:
    q = a // b
    return q + 1 if b < 0 and a - b * q != 0 else q


def _int(x: Fraction) -> int:
    if x.denominator != 1:
        raise NotExact(f"{x} is not an integer")
    return x.numerator


def _sqrt(x: Fraction) -> Fraction:
    if x <= 0:
        return Fraction(0)
    n, d = math.isqrt(x.numerator), math.isqrt(x.denominator)
    if n * n == x.numerator and d * d == x.denominator:
        return Fraction(n, d)
    raise NotExact(f"sqrt({x}) is irrational")


def term(t: Term, env: Mapping[str, Fraction], fns: Functions | None = None) -> Fraction:
    fns = fns or {}
    if isinstance(t, Num):
        return t.value
    if isinstance(t, Var):
        if t.name not in env:
            raise NotExact(f"no value for {t.name}")
        return env[t.name]
    if isinstance(t, Cast):
        return term(t.arg, env, fns)
    if isinstance(t, Apply):
        if t.fn not in fns:
            raise NotExact(f"no interpretation for {t.fn}")
        return Fraction(fns[t.fn](*(term(a, env, fns) for a in t.args)))
    if isinstance(t, BigOp):
        acc = Fraction(0 if t.op == "sum" else 1)
        for i in range(t.lo, t.hi + 1):
            value = term(t.body, {**env, t.var.name: Fraction(i)}, fns)
            acc = acc + value if t.op == "sum" else acc * value
        return acc
    assert isinstance(t, Op)
    a = [term(x, env, fns) for x in t.args]
    return _apply(t, a)


def _apply(t: Op, a: list[Fraction]) -> Fraction:
    op, sort = t.op, t.sort
    if op == "add":
        return a[0] + a[1]
    if op == "sub":
        r = a[0] - a[1]
        return max(r, Fraction(0)) if sort is Sort.NAT else r
    if op == "mul":
        return a[0] * a[1]
    if op == "neg":
        return -a[0]
    if op == "div":
        if a[1] == 0:
            return Fraction(0)
        if sort.integral:
            x, y = _int(a[0]), _int(a[1])
            return Fraction(_euclid_div(x, y) if t.lang == "lean" and sort is Sort.INT else _floor_div(x, y))
        return a[0] / a[1]
    if op == "mod":
        x, y = _int(a[0]), _int(a[1])
        if y == 0:
            return Fraction(x)
        q = _euclid_div(x, y) if t.lang == "lean" and sort is Sort.INT else _floor_div(x, y)
        return Fraction(x - y * q)
    if op == "pow":
        base, exp = a
        e = _int(exp)
        if e < 0:
            if sort.integral:
                return Fraction(0)  # Coq Z.pow with a negative exponent
            raise NotExact("negative exponent")
        return base ** e
    if op == "abs":
        return abs(a[0])
    if op == "min":
        return min(a)
    if op == "max":
        return max(a)
    if op == "floor":
        return Fraction(math.floor(a[0]))
    if op == "ceil":
        return Fraction(math.ceil(a[0]))
    if op == "sqrt":
        return _sqrt(a[0])
    if op == "gcd":
        return Fraction(math.gcd(_int(a[0]), _int(a[1])))
    if op == "lcm":
        return Fraction(math.lcm(_int(a[0]), _int(a[1])))
    if op == "tonat":
        return max(a[0], Fraction(0))
    raise NotExact(f"unknown operation {op}")


def holds(f: Formula, env: Mapping[str, Fraction], fns: Functions | None = None) -> bool:
    if isinstance(f, Truth):
        return f.value
    if isinstance(f, Compare):
        x, y = term(f.left, env, fns), term(f.right, env, fns)
        return {"eq": x == y, "ne": x != y, "lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[f.op]
    if isinstance(f, Dvd):
        x, y = _int(term(f.left, env, fns)), _int(term(f.right, env, fns))
        return y == 0 if x == 0 else y % x == 0
    if isinstance(f, Logic):
        if f.op == "not":
            return not holds(f.args[0], env, fns)
        if f.op == "and":
            return all(holds(g, env, fns) for g in f.args)
        if f.op == "or":
            return any(holds(g, env, fns) for g in f.args)
        if f.op == "implies":
            return (not holds(f.args[0], env, fns)) or holds(f.args[1], env, fns)
        return holds(f.args[0], env, fns) == holds(f.args[1], env, fns)
    if isinstance(f, Quant):
        raise NotExact("quantified formula")
    raise NotExact(f"cannot evaluate {type(f).__name__}")
