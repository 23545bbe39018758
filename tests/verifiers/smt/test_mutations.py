"""Mutation corpus: mutants of every parseable miniF2F-rocq valid statement.

For each mutant (a constant changed, a comparison flipped, a hypothesis
dropped) the SMT backend must never answer smt-proved when a counterexample
exists: the two solvers must not contradict each other, a reported
counterexample must hold under exact evaluation, and an independent search
over small values with the exact evaluator must find none for a smt-proved
mutant.
"""

import functools
import itertools
import os
import random
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from lemmata.dsl.coq.conjecture import read_coq_conjecture
from lemmata.dsl.lean.conjecture import read_lean_conjecture
from lemmata.dsl.evaluate import NotExact, holds
from lemmata.dsl.ir import Compare, Logic, Num, Op, Sort, Conjecture, Unsupported
from lemmata.verifiers.smt import SmtVerdict, decide

from paths import DATA
ROCQ = DATA / "minif2f" / "rocq" / "valid"
LEAN = DATA / "minif2f" / "lean4" / "MiniF2F" / "Valid"
FLIP = {"lt": "le", "le": "lt", "gt": "ge", "ge": "gt", "eq": "ne", "ne": "eq"}

pytestmark = [pytest.mark.slow,  # Z3 and cvc5 on hundreds of mutants
              pytest.mark.skipif(not ROCQ.is_dir(), reason=f"miniF2F-rocq data not found at {ROCQ} (set LEMMATA_DATA)")]


@functools.lru_cache(maxsize=1)
def parsed_statements() -> list[Conjecture]:
    """Every statement of both valid splits that the parsers accept, Coq and Lean interleaved."""
    coq, lean = [], []
    for folder, pattern, parse, out in ((ROCQ, "*.v", read_coq_conjecture, coq),
                                         (LEAN, "*.lean", read_lean_conjecture, lean)):
        for path in sorted(folder.glob(pattern)):
            try:
                out.append(parse(path.read_text()))
            except Unsupported:
                pass
    return [s for pair in itertools.zip_longest(coq, lean) for s in pair if s is not None]


def _bump_first_constant(node):
    """The same formula with its first numeral increased by one (None if it has none)."""
    if isinstance(node, Num):
        return Num(node.value + 1, node.sort)
    if isinstance(node, (Op, Logic)):
        args = list(node.args)
        for i, arg in enumerate(args):
            bumped = _bump_first_constant(arg)
            if bumped is not None:
                args[i] = bumped
                return replace(node, args=tuple(args))
    if isinstance(node, Compare):
        for side in ("right", "left"):
            bumped = _bump_first_constant(getattr(node, side))
            if bumped is not None:
                return replace(node, **{side: bumped})
    return None


def mutants(statement: Conjecture):
    bumped = _bump_first_constant(statement.goal)
    if bumped is not None:
        yield "constant", replace(statement, goal=bumped)
    if isinstance(statement.goal, Compare):
        yield "flip", replace(statement, goal=replace(statement.goal, op=FLIP[statement.goal.op]))
    if statement.hypotheses:
        yield "drop", replace(statement, hypotheses=statement.hypotheses[1:])


def small_values(sort: Sort) -> list[Fraction]:
    ints = [Fraction(i) for i in range(-6, 7)]
    if sort is Sort.NAT:
        return [v for v in ints if v >= 0] + [Fraction(10), Fraction(100)]
    if sort is Sort.INT:
        return ints + [Fraction(10), Fraction(-10)]
    return ints + [Fraction(1, 2), Fraction(-1, 2), Fraction(1, 3), Fraction(3, 2)]


def find_counterexample(statement: Conjecture, budget: int = 3000) -> dict | None:
    if statement.functions:
        return None
    names = [v.name for v in statement.variables]
    pools = [small_values(v.sort) for v in statement.variables]
    rng = random.Random(0)
    combos = itertools.product(*pools) if len(names) <= 3 else (
        tuple(rng.choice(p) for p in pools) for _ in range(budget))
    for values in itertools.islice(combos, budget):
        env = dict(zip(names, values))
        try:
            if all(holds(h, env) for h in statement.hypotheses) and not holds(statement.goal, env):
                return env
        except NotExact:
            continue
    return None


def test_enough_statements_parse():
    statements = parsed_statements()
    assert sum(s.language == "coq" for s in statements) >= 100
    assert sum(s.language == "lean" for s in statements) >= 100


@pytest.mark.parametrize("statement", parsed_statements() if ROCQ.is_dir() else [],
                         ids=lambda s: f"{s.language}-{s.name}")
def test_mutants_are_never_proved_when_refutable(statement):
    for kind, mutant in mutants(statement):
        z3 = decide(mutant, solver="z3", timeout=3)
        cvc5 = decide(mutant, solver="cvc5", timeout=3)
        verdicts = {z3.verdict, cvc5.verdict}
        assert not {SmtVerdict.SMT_PROVED, SmtVerdict.DISPROVED} <= verdicts, (statement.name, kind, verdicts)
        if SmtVerdict.SMT_PROVED in verdicts:
            assert find_counterexample(mutant) is None, (statement.name, kind)


def test_original_statements_are_not_disproved():
    # miniF2F statements are true; a counterexample would mean a translation bug
    for statement in parsed_statements()[::3]:
        assert decide(statement, solver="z3", timeout=2).verdict is not SmtVerdict.DISPROVED, statement.name
