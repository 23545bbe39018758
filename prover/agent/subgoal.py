"""Proving a sub-goal on its own: a sketch's sub-lemma, under the same stages as the theorem, smaller."""

from __future__ import annotations

from lemmata.prover.agent.automation import by_automation
from lemmata.prover.agent.language import Problem
from lemmata.prover.agent.repair import repair
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run
from lemmata.prover.agent.sampling import by_sampling
from lemmata.prover.agent.smt_stage import by_smt
from lemmata.prover.llm.client import LLMError


def prove_subgoal(run: Run, goal: Problem, *, stage: str) -> Outcome:
    """Automation, then SMT, then (with a model) a few samples and a repair of the best one."""
    proved = by_automation(run, goal, stage=stage)
    if proved is not None:
        return proved
    decided = by_smt(run, goal, stage=stage)
    if decided is not None and decided.status is ProofStatus.DISPROVED:
        return decided
    if run.llm is not None:
        try:
            outcome, candidates = by_sampling(run, goal, run.settings.hole_samples, stage=stage)
            if outcome is None and candidates:
                outcome = repair(run, goal, candidates[0])
            if outcome is not None and outcome.status is ProofStatus.PROVED:
                return outcome
        except LLMError as exc:
            run.trace.emit("note", stage=stage, theorem=goal.theorem, message=str(exc))
    return decided or Outcome(ProofStatus.FAILED)


__all__ = ["prove_subgoal"]
