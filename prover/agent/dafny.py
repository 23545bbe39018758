"""The program agent's Dafny: problems, Houdini invariant inference, and what the prompts say."""

from __future__ import annotations

from lemmata.dsl.dafny.program import parse
from lemmata.dsl.dafny.tokens import DafnySyntaxError
from lemmata.prover.agent.language import Problem, ProblemError
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

    def load(self, text: str, theorem: str | None, origin: str) -> Problem:
        """The whole program is the problem; ``theorem`` (a member's name) only names the run."""
        try:
            program = parse(text)
        except DafnySyntaxError as exc:
            raise ProblemError(f"{origin}: {exc}") from None
        members = [d.name for d in program.declarations if d.kind in _TARGETS]
        if not members:
            raise ProblemError(f"{origin}: no method, lemma or function to verify")
        if theorem is not None and theorem not in members:
            raise ProblemError(f"{origin}: no member named {theorem}; it has {', '.join(members)}")
        return Problem(language="dafny", text=text, theorem=theorem or members[-1], header="", declaration="",
                       origin=origin)

    def search(self, problem: Problem, check: Check, alone: CheckResult) -> tuple[str, CheckResult] | None:
        found = infer(problem.text, check, alone=alone)
        return (found.text, found.result) if found.proved and found.result is not None else None


__all__ = ["DafnyLanguage"]
