"""IR → SMT-LIB 2 (QF/quantified LIRA/NIRA with uninterpreted functions).

SMT-LIB leaves ``(div a 0)``, ``(mod a 0)`` and ``(/ x 0)`` unconstrained, so
every division is guarded to give the source language's value; ``div``/``mod``
are Euclidean in SMT-LIB, which is Lean's ``Int./``/``%``, and Coq's floor
division is derived from them. ℕ becomes ``Int`` with a ``>= 0`` side
condition, ℚ becomes ``Real`` (sound for proofs because the ℚ variables are
universally quantified at the top; a counterexample must still consist of
rationals, which the exact evaluator checks). ``sqrt``, ``gcd`` and ``lcm``
have no SMT-LIB symbol; each occurrence gets a fresh constant pinned by
constraints that determine it uniquely, which is why they are refused under a
quantifier.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from lemmata.dsl.ir import (
    Apply, BigOp, Cast, Compare, Dvd, Formula, Logic, Num, Op, Quant, Sort, Conjecture, Term, Truth,
    Unsupported, Var,
)

MAX_UNROLL = 2000
MAX_POWER = 64


def _smt_sort(sort: Sort) -> str:
    return "Int" if sort.integral else "Real"


def _lit(value, sort: Sort) -> str:
    from fractions import Fraction

    value = Fraction(value)
    if sort.integral:
        if value.denominator != 1:
            raise Unsupported(f"non-integer literal {value} of sort {sort.value}")
        n = value.numerator
        return str(n) if n >= 0 else f"(- {-n})"
    n, d = value.numerator, value.denominator
    body = f"{abs(n)}.0" if d == 1 else f"(/ {abs(n)}.0 {d}.0)"
    return body if n >= 0 else f"(- {body})"


_SIMPLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = {"div", "mod", "abs", "and", "or", "not", "ite", "let", "forall", "exists", "true", "false",
             "to_real", "to_int", "is_int", "distinct", "select", "store", "par", "as", "assert"}


def symbol(name: str) -> str:
    """An SMT-LIB symbol for a source name: quoted unless it is a plain ASCII identifier."""
    if _SIMPLE.fullmatch(name) and name not in _RESERVED:
        return name
    return "|" + name.replace("|", "_").replace("\\", "_") + "|"


@dataclass
class Translation:
    """The SMT-LIB text of "hypotheses ∧ ¬goal", and how to read a model back."""

    script: str
    variables: list[Var]  # the statement's free variables, whose values make a counterexample
    functions: list[str]


@dataclass
class _Context:
    fresh: list[tuple[str, str]] = field(default_factory=list)  # (name, smt sort)
    definitions: list[str] = field(default_factory=list)
    counter: int = 0
    bound: int = 0  # quantifier depth

    def new(self, prefix: str, sort: str) -> str:
        # '%' appears in no Coq or Lean identifier, so these never meet a source name
        self.counter += 1
        name = f"|lemmata%{prefix}%{self.counter}|"
        self.fresh.append((name, sort))
        return name


def translate(statement: Conjecture) -> Translation:
    ctx = _Context()
    hyps = [_formula(h, ctx, {}) for h in statement.hypotheses]
    negated_goal = f"(not {_formula(statement.goal, ctx, {})})"
    lines = ["(set-logic ALL)", "(set-option :produce-models true)"]
    for v in statement.variables:
        lines.append(f"(declare-const {symbol(v.name)} {_smt_sort(v.sort)})")
    for f in statement.functions:
        domain = " ".join(_smt_sort(s) for s in f.domain)
        lines.append(f"(declare-fun {symbol(f.name)} ({domain}) {_smt_sort(f.codomain)})")
    for name, sort in ctx.fresh:
        lines.append(f"(declare-const {name} {sort})")
    for v in statement.variables:
        if v.sort is Sort.NAT:
            lines.append(f"(assert (>= {symbol(v.name)} 0))")
    for d in ctx.definitions:
        lines.append(f"(assert {d})")
    for h in hyps:
        lines.append(f"(assert {h})")
    lines.append(f"(assert {negated_goal})")
    lines.append("(check-sat)")
    return Translation("\n".join(lines) + "\n", list(statement.variables), [f.name for f in statement.functions])


def _formula(f: Formula, ctx: _Context, env: dict[str, str]) -> str:
    if isinstance(f, Truth):
        return "true" if f.value else "false"
    if isinstance(f, Compare):
        a, b = _term(f.left, ctx, env), _term(f.right, ctx, env)
        return {"eq": f"(= {a} {b})", "ne": f"(not (= {a} {b}))", "lt": f"(< {a} {b})", "le": f"(<= {a} {b})",
                "gt": f"(> {a} {b})", "ge": f"(>= {a} {b})"}[f.op]
    if isinstance(f, Dvd):
        a, b = _term(f.left, ctx, env), _term(f.right, ctx, env)
        return f"(ite (= {a} 0) (= {b} 0) (= (mod {b} {a}) 0))"
    if isinstance(f, Logic):
        args = [_formula(g, ctx, env) for g in f.args]
        if f.op == "not":
            return f"(not {args[0]})"
        op = {"and": "and", "or": "or", "implies": "=>", "iff": "="}[f.op]
        return f"({op} {' '.join(args)})" if len(args) > 1 else args[0]
    if isinstance(f, Quant):
        if any(v.sort is Sort.RAT for v in f.vars):
            raise Unsupported("a quantifier over ℚ (SMT has no rationals apart from the reals)")
        inner = dict(env)
        binders = []
        guards = []
        ctx.bound += 1
        for v in f.vars:
            ctx.counter += 1
            name = f"|lemmata%bound%{ctx.counter}%{_safe(v.name)}|"
            inner[v.name] = name
            binders.append(f"({name} {_smt_sort(v.sort)})")
            if v.sort is Sort.NAT:
                guards.append(f"(>= {name} 0)")
        body = _formula(f.body, ctx, inner)
        ctx.bound -= 1
        guard = ("(and " + " ".join(guards) + ")") if len(guards) > 1 else (guards[0] if guards else None)
        if f.kind == "forall":
            body = f"(=> {guard} {body})" if guard else body
            return f"(forall ({' '.join(binders)}) {body})"
        body = f"(and {guard} {body})" if guard else body
        return f"(exists ({' '.join(binders)}) {body})"
    raise Unsupported(f"formula {type(f).__name__}")


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c == "_" else "_" for c in name)


def _term(t: Term, ctx: _Context, env: dict[str, str]) -> str:
    if isinstance(t, Num):
        return _lit(t.value, t.sort)
    if isinstance(t, Var):
        return env.get(t.name, symbol(t.name))
    if isinstance(t, Cast):
        inner = _term(t.arg, ctx, env)
        return f"(to_real {inner})" if t.arg.sort.integral and not t.sort.integral else inner
    if isinstance(t, Apply):
        return f"({symbol(t.fn)} {' '.join(_term(a, ctx, env) for a in t.args)})"
    if isinstance(t, BigOp):
        count = t.hi - t.lo + 1
        if count > MAX_UNROLL:
            raise Unsupported(f"a {t.op} over {count} terms (more than {MAX_UNROLL})")
        if count <= 0:
            return _lit(0 if t.op == "sum" else 1, t.sort)
        parts = [_term(t.body, ctx, {**env, t.var.name: _lit(i, t.var.sort)}) for i in range(t.lo, t.hi + 1)]
        if len(parts) == 1:
            return parts[0]
        return f"({'+' if t.op == 'sum' else '*'} {' '.join(parts)})"
    assert isinstance(t, Op)
    return _op(t, ctx, env)


def _op(t: Op, ctx: _Context, env: dict[str, str]) -> str:
    a = [_term(x, ctx, env) for x in t.args]
    op, sort = t.op, t.sort
    zero = _lit(0, sort)
    if op == "add":
        return f"(+ {a[0]} {a[1]})"
    if op == "sub":
        return f"(ite (>= {a[0]} {a[1]}) (- {a[0]} {a[1]}) 0)" if sort is Sort.NAT else f"(- {a[0]} {a[1]})"
    if op == "mul":
        return f"(* {a[0]} {a[1]})"
    if op == "neg":
        return f"(- {a[0]})"
    if op == "div":
        if not sort.integral:
            return f"(ite (= {a[1]} {zero}) {zero} (/ {a[0]} {a[1]}))"
        if sort is Sort.INT and t.lang == "coq":  # floor division from Euclidean
            exact = f"(or (> {a[1]} 0) (= (mod {a[0]} {a[1]}) 0))"
            return f"(ite (= {a[1]} 0) 0 (ite {exact} (div {a[0]} {a[1]}) (- (div {a[0]} {a[1]}) 1)))"
        return f"(ite (= {a[1]} 0) 0 (div {a[0]} {a[1]}))"
    if op == "mod":
        if sort is Sort.INT and t.lang == "coq":
            exact = f"(or (> {a[1]} 0) (= (mod {a[0]} {a[1]}) 0))"
            return f"(ite (= {a[1]} 0) {a[0]} (ite {exact} (mod {a[0]} {a[1]}) (+ (mod {a[0]} {a[1]}) {a[1]})))"
        return f"(ite (= {a[1]} 0) {a[0]} (mod {a[0]} {a[1]}))"
    if op == "pow":
        exponent = t.args[1]
        if not isinstance(exponent, Num) or exponent.value.denominator != 1:
            raise Unsupported("a power with a non-constant exponent")
        e = exponent.value.numerator
        if e < 0:
            if sort.integral:
                return "0"
            raise Unsupported("a negative exponent")
        if e > MAX_POWER:
            raise Unsupported(f"an exponent above {MAX_POWER}")
        if e == 0:
            return _lit(1, sort)
        return a[0] if e == 1 else f"(* {' '.join([a[0]] * e)})"
    if op == "abs":
        return f"(ite (>= {a[0]} {zero}) {a[0]} (- {a[0]}))"
    if op in ("min", "max"):
        cmp = "<=" if op == "min" else ">="
        return f"(ite ({cmp} {a[0]} {a[1]}) {a[0]} {a[1]})"
    if op == "floor":
        return f"(to_int {a[0]})"
    if op == "ceil":
        return f"(- (to_int (- {a[0]})))"
    if op == "tonat":
        return f"(ite (>= {a[0]} 0) {a[0]} 0)"
    if op in ("sqrt", "gcd", "lcm"):
        return _defined(t, a, ctx)
    raise Unsupported(f"operation {op}")


def _defined(t: Op, a: list[str], ctx: _Context) -> str:
    """A fresh constant pinned to the value of sqrt/gcd/lcm by constraints that determine it."""
    if all(isinstance(x, Num) for x in t.args) and t.op in ("gcd", "lcm"):
        x, y = (int(arg.value) for arg in t.args)  # type: ignore[union-attr]
        return _lit(math.gcd(x, y) if t.op == "gcd" else math.lcm(x, y), t.sort)
    if ctx.bound:
        raise Unsupported(f"{t.op} under a quantifier")
    if t.op == "sqrt":
        s = ctx.new("sqrt", "Real")
        ctx.definitions.append(f"(ite (<= {a[0]} 0.0) (= {s} 0.0) (and (>= {s} 0.0) (= (* {s} {s}) {a[0]})))")
        return s
    g = ctx.new("gcd", "Int")
    u, v = ctx.new("bezout", "Int"), ctx.new("bezout", "Int")
    # g >= 0 divides both and is an integer combination of them: exactly gcd(a, b)
    ctx.definitions.append(
        f"(and (>= {g} 0) (ite (= {g} 0) (and (= {a[0]} 0) (= {a[1]} 0)) "
        f"(and (= (mod {a[0]} {g}) 0) (= (mod {a[1]} {g}) 0))) (= {g} (+ (* {a[0]} {u}) (* {a[1]} {v}))))")
    if t.op == "gcd":
        return g
    lcm = ctx.new("lcm", "Int")
    product = f"(* {a[0]} {a[1]})"
    ctx.definitions.append(
        f"(ite (= {g} 0) (= {lcm} 0) (and (>= {lcm} 0) (= (* {lcm} {g}) (ite (>= {product} 0) {product} (- {product})))))")
    return lcm
