"""Printing a proof sketch as Coq: one lemma per step and the proof that combines them.

Every step becomes a lemma over the goal's context (as Coq printed it after
``intros``) plus the claims the step uses, so each can be proved, checked and
cached on its own; steps with the same claim from the same premises share one
lemma. The closing step is a lemma too: the goal from the claims ``show`` names.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsl.coq.goals import Goal
from dsl.sketch import Sketch


@dataclass(frozen=True)
class CoqLemma:
    name: str
    statement: str  # ``Lemma name binders : claim.``
    uses: tuple[str, ...]  # lemma names whose claims it takes as premises
    label: str = ""  # the step as the sketch wrote it


@dataclass(frozen=True)
class CoqSketch:
    lemmas: tuple[CoqLemma, ...]  # the steps, then the closing lemma (last)
    proof: str  # the theorem's proof body, applying the lemmas

    @property
    def closing(self) -> CoqLemma:
        return self.lemmas[-1]


def print_coq_sketch(theorem: str, context: Goal, sketch: Sketch) -> CoqSketch:
    args = " ".join(context.argument_names())
    lemma_of: dict[str, str] = {}  # step name -> lemma name
    by_key: dict[tuple[str, tuple[str, ...]], str] = {}
    lemmas: list[CoqLemma] = []
    lines = ["intros."]
    for step in sketch.steps:
        premises = tuple(sketch.step(u).claim for u in step.uses)
        key = (step.claim, premises)
        if key not in by_key:
            name = f"{theorem}_{step.name}"
            extra = [(u, sketch.step(u).claim) for u in step.uses]
            by_key[key] = name
            lemmas.append(CoqLemma(name, context.lemma(name, extra, step.claim), tuple(lemma_of[u] for u in step.uses),
                                   f"{step.name} : {step.claim}"))
        lemma_of[step.name] = by_key[key]
        lines.append(f"pose proof ({_apply(by_key[key], args, step.uses)}) as {step.name}.")
    closing = f"{theorem}_show"
    extra = [(u, sketch.step(u).claim) for u in sketch.conclusion_uses]
    lemmas.append(CoqLemma(closing, context.lemma(closing, extra), tuple(lemma_of[u] for u in sketch.conclusion_uses),
                           f"show: the goal from {', '.join(sketch.conclusion_uses)}"))
    lines.append(f"exact ({_apply(closing, args, sketch.conclusion_uses)}).")
    return CoqSketch(tuple(lemmas), "\n".join(lines))


def _apply(function: str, args: str, more: tuple[str, ...]) -> str:
    return " ".join(part for part in (function, args, *more) if part)


__all__ = ["CoqLemma", "CoqSketch", "print_coq_sketch"]
