"""Deciding a statement with SMT: ``smt-proved``, ``disproved``, ``unknown`` or ``unsupported``.

``smt-proved`` means the solver found hypotheses ∧ ¬goal unsatisfiable; it is
never called ``proved``, which Lemmata reserves for a checker-accepted proof.
``disproved`` is only reported after the exact evaluator (``lemmata.dsl.evaluate``)
confirms, without the solver, that the model satisfies every hypothesis and
falsifies the goal; a model it cannot confirm is reported as ``unknown``.
"""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from fractions import Fraction

from pydantic import BaseModel

from lemmata.dsl.evaluate import NotExact, holds
from lemmata.dsl.ir import Conjecture, Unsupported
from lemmata.dsl.values import show
from lemmata.verifiers.process import run
from lemmata.verifiers.smt.smtlib import Translation, translate

SOLVERS = ("z3", "cvc5")
GRACE = 5.0  # seconds past the solver's own limit before its worker is killed


class SmtVerdict(str, Enum):
    """An SMT answer. ``smt-proved`` is the solver's word, never a checker proof."""

    SMT_PROVED = "smt-proved"
    DISPROVED = "disproved"
    UNKNOWN = "unknown"
    UNSUPPORTED = "unsupported"
    ERROR = "error"  # the solvers disagree (cross-check), or a solver failed


class SmtResult(BaseModel):
    """What `lemmata smt` prints with ``--json``: the verdict, the solver, a checked counterexample or the reason."""

    verdict: SmtVerdict
    solver: str
    seconds: float
    reason: str | None = None
    counterexample: dict[str, str] | None = None  # variable -> value in the source language's syntax

    def counterexample_text(self) -> str | None:
        if not self.counterexample:
            return None
        return ", ".join(f"{k} = {v}" for k, v in self.counterexample.items())


def decide(statement: Conjecture, *, solver: str = "z3", timeout: float = 10.0) -> SmtResult:
    started = time.monotonic()
    try:
        translation = translate(statement)
    except Unsupported as exc:
        return SmtResult(verdict=SmtVerdict.UNSUPPORTED, solver=solver, seconds=0.0, reason=exc.reason)
    if solver == "both":
        return _cross_check(statement, translation, timeout, started)
    result = _solve(statement, translation, solver, timeout)
    result.seconds = round(time.monotonic() - started, 4)
    return result


def _cross_check(statement: Conjecture, translation: Translation, timeout: float, started: float) -> SmtResult:
    results = [_solve(statement, translation, s, timeout) for s in SOLVERS]
    seconds = round(time.monotonic() - started, 4)
    definite = {r.verdict for r in results} & {SmtVerdict.SMT_PROVED, SmtVerdict.DISPROVED}
    if len(definite) > 1:
        detail = "; ".join(f"{s}: {r.verdict.value}" for s, r in zip(SOLVERS, results))
        return SmtResult(verdict=SmtVerdict.ERROR, solver="both", seconds=seconds,
                         reason=f"the solvers disagree ({detail})")
    best = next((r for r in results if r.verdict in definite), results[0])
    best = best.model_copy(update={"solver": "both", "seconds": seconds})
    return best


def _solve(statement: Conjecture, translation: Translation, solver: str, timeout: float) -> SmtResult:
    request = json.dumps({"solver": solver, "script": translation.script, "timeout_ms": int(timeout * 1000)})
    done = run([sys.executable, "-m", "lemmata.verifiers.smt.worker"], timeout=timeout + GRACE, stdin=request)
    if done.timed_out:
        return SmtResult(verdict=SmtVerdict.UNKNOWN, solver=solver, seconds=0, reason="timeout")
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return SmtResult(verdict=SmtVerdict.ERROR, solver=solver, seconds=0, reason=f"{solver} failed: {tail[0]}")
    status = answer["status"]
    if status == "unsat":
        return SmtResult(verdict=SmtVerdict.SMT_PROVED, solver=solver, seconds=0)
    if status == "sat":
        return _counterexample(statement, translation, answer, solver)
    if status == "error":
        return SmtResult(verdict=SmtVerdict.ERROR, solver=solver, seconds=0, reason=answer["reason"])
    reason = answer.get("reason") or "unknown"
    return SmtResult(verdict=SmtVerdict.UNKNOWN, solver=solver, seconds=0,
                     reason="timeout" if "timeout" in reason.lower() or "canceled" in reason else reason)


def _counterexample(statement: Conjecture, translation: Translation, answer: dict, solver: str) -> SmtResult:
    def unknown(reason: str) -> SmtResult:
        return SmtResult(verdict=SmtVerdict.UNKNOWN, solver=solver, seconds=0, reason=reason)

    model: dict[str, str | None] = answer.get("model", {})
    env: dict[str, Fraction] = {}
    for var in translation.variables:
        text = model.get(var.name, "0/1")  # a variable the solver left free: any value works, 0 included
        if text is None:
            return unknown(f"the model gives {var.name} an irrational value; not checkable exactly")
        env[var.name] = Fraction(text)
    functions = {}
    for name in translation.functions:
        table = answer.get("functions", {}).get(name)
        if table is None:
            return unknown(f"the model's interpretation of {name} is not available")
        functions[name] = _table(table)
    try:
        hypotheses_hold = all(holds(h, env, functions) for h in statement.hypotheses)
        goal_holds = holds(statement.goal, env, functions)
    except NotExact as exc:
        return unknown(f"the model could not be checked exactly: {exc}")
    if not hypotheses_hold or goal_holds:
        return unknown("the solver's model does not check out under exact evaluation")
    shown = {v.name: show(env[v.name], v.sort, statement.language) for v in translation.variables}
    return SmtResult(verdict=SmtVerdict.DISPROVED, solver=solver, seconds=0, counterexample=shown)


def _table(table: dict):
    entries = {tuple(Fraction(x) for x in row[:-1]): row[-1] for row in table["entries"]}
    default = table["else"]

    def apply(*args: Fraction) -> Fraction:
        value = entries.get(tuple(args), default)
        if value is None:
            raise NotExact("function value is irrational")
        return Fraction(value)

    return apply
