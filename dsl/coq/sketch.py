"""Printing a proof sketch as Coq: one lemma per step and the proof that combines them.

Every step becomes a lemma over the goal's context (as Coq printed it after
``intros``) plus the claims the step uses, so each can be proved, checked and
cached on its own; steps with the same claim from the same premises share one
lemma. The closing step is a lemma too: the goal from the claims ``show`` names.
"""

from __future__ import annotations

from lemmata.dsl.coq.goals import CoqGoal
from lemmata.dsl.sketch import PrintedSketch, Sketch, plan_lemmas


def print_coq_sketch(theorem: str, context: CoqGoal, sketch: Sketch) -> PrintedSketch:
    lemmas, lemma_of = plan_lemmas(theorem, sketch, context.declaration)
    args = " ".join(context.argument_names())
    lines = ["intros."]
    lines += [f"pose proof ({_apply(lemma_of[step.name], args, step.uses)}) as {step.name}." for step in sketch.steps]
    lines.append(f"exact ({_apply(lemmas[-1].name, args, sketch.conclusion_uses)}).")
    return PrintedSketch(tuple(lemmas), "\n".join(lines))


def _apply(function: str, args: str, more: tuple[str, ...]) -> str:
    return " ".join(part for part in (function, args, *more) if part)


__all__ = ["print_coq_sketch"]
