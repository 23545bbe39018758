"""Lean's printed goals, read back as a context and a conclusion, and sketches printed as Lean.

Lean prints a goal as hypothesis lines (``x y : ℝ``, continuation lines
indented) and ``⊢ conclusion``; several goals are separated by blank lines and
may start with ``case name``. Inaccessible names (``h✝``) cannot be mentioned
in a proof, so a context with them cannot carry a sketch; instance
hypotheses (``inst✝ : Fintype α``) become instance binders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemmata.dsl.sketch import PrintedSketch, Sketch, plan_lemmas

_HYP = re.compile(r"^(?P<names>[^\s:][^:]*?) : (?P<type>.*)$")


class LeanGoalError(ValueError):
    pass


@dataclass(frozen=True)
class LeanHypothesis:
    names: tuple[str, ...]
    type: str

    @property
    def instance(self) -> bool:
        return all(n.startswith("inst✝") for n in self.names)

    def binder(self) -> str:
        if self.instance:
            return f"[{self.type}]"
        names = [re.sub(r"✝(\d*)", lambda m: f"_{m[1] or 0}", n) for n in self.names]
        return f"({' '.join(names)} : {self.type})"


@dataclass(frozen=True)
class LeanGoal:
    hypotheses: tuple[LeanHypothesis, ...]
    conclusion: str

    @property
    def names(self) -> list[str]:
        return [n for h in self.hypotheses for n in h.names]

    def argument_names(self) -> list[str]:
        names = [n for h in self.hypotheses if not h.instance for n in h.names]
        if any("✝" in n for n in names):
            raise LeanGoalError("the context has inaccessible names (✝): a proof cannot refer to them")
        return names

    def declaration(self, name: str, extra: list[tuple[str, str]] = (), claim: str | None = None) -> str:
        binders = [h.binder() for h in self.hypotheses] + [f"({n} : {t})" for n, t in extra]
        return " ".join(["theorem", name, *binders, ":", claim or self.conclusion])


def parse_lean_goal(display: str) -> LeanGoal:
    """The first goal of a display."""
    first = re.split(r"\n\s*\n", display.strip())[0]
    lines = [line for line in first.splitlines() if not re.match(r"case\s", line)]
    turnstile = next((i for i, line in enumerate(lines) if line.startswith("⊢")), None)
    if turnstile is None:
        raise LeanGoalError("no '⊢' line in the goal display")
    conclusion = " ".join([lines[turnstile][1:].strip(), *(l.strip() for l in lines[turnstile + 1:])]).strip()
    hypotheses: list[LeanHypothesis] = []
    for line in lines[:turnstile]:
        if line.startswith((" ", "\t")) and hypotheses:
            last = hypotheses.pop()
            hypotheses.append(LeanHypothesis(last.names, f"{last.type} {line.strip()}"))
            continue
        m = _HYP.match(line)
        if not m:
            raise LeanGoalError(f"cannot read the context line {line!r}")
        if " := " in m["type"]:
            raise LeanGoalError("let-bound hypotheses cannot be theorem binders")
        hypotheses.append(LeanHypothesis(tuple(m["names"].split()), m["type"].strip()))
    return LeanGoal(tuple(hypotheses), conclusion)


def print_lean_sketch(theorem: str, goal: LeanGoal, sketch: Sketch) -> PrintedSketch:
    lemmas, lemma_of = plan_lemmas(theorem, sketch, goal.declaration)
    args = goal.argument_names()
    lines = ["intros"]
    lines += [f"have {step.name} : {step.claim} := {' '.join([lemma_of[step.name], *args, *step.uses])}"
              for step in sketch.steps]
    lines.append(f"exact {' '.join([lemmas[-1].name, *args, *sketch.conclusion_uses])}")
    return PrintedSketch(tuple(lemmas), "\n".join(lines))


__all__ = ["LeanGoal", "LeanGoalError", "LeanHypothesis", "parse_lean_goal", "print_lean_sketch"]
