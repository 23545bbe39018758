"""Stage a: the automation portfolio, each tactic under its own timeout, no model involved."""

from __future__ import annotations

from lemmata.prover.agent.language import Problem
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run


def by_automation(run: Run, problem: Problem, *, stage: str = "automation") -> Outcome | None:
    for tactic in run.automation():
        draft = run.language.draft(problem, tactic.body, imports=tactic.imports)
        result = run.checker.check(draft, stage=stage, timeout=run.settings.tactic_timeout * tactic.timeout_factor)
        if result.accepted:
            return Outcome(ProofStatus.PROVED, tactic.body, tactic.imports, found_by=f"automation ({tactic.name})")
    return None


__all__ = ["by_automation"]
