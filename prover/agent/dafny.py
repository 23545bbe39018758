"""The program agent's Dafny: problems, Houdini invariant inference, and what the prompts say."""

from __future__ import annotations

from lemmata.dsl.dafny.program import parse
from lemmata.prover.agent.language import Problem
from lemmata.prover.agent.programs import Check, ProgramLanguage
from lemmata.prover.houdini import infer
from lemmata.verifiers.result import CheckResult

_TARGETS = ("method", "lemma", "function", "predicate", "constructor")


class DafnyLanguage(ProgramLanguage):
    name = "dafny"
    title = "Dafny"
    fence_tags = ("dafny", "dfy")
    search_stage = "invariant inference"
    system = ("You are an expert in Dafny program verification. You add the annotations that make Dafny verify a "
              "program (loop invariants, decreases clauses, assertions, lemmas) without changing what it "
              "specifies or computes.")

    nothing_to_prove = "no method, lemma or function to verify"

    def targets(self, text: str) -> list[str]:
        return [d.name for d in parse(text).declarations if d.kind in _TARGETS]

    def search(self, problem: Problem, check: Check, alone: CheckResult) -> tuple[str, CheckResult] | None:
        found = infer(problem.text, check, alone=alone)
        return (found.text, found.result) if found.proved and found.result is not None else None


__all__ = ["DafnyLanguage"]
