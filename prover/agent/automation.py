"""Stage a: the automation portfolio, each tactic under its own timeout, no model involved.

The portfolio comes in tiers (cheap decision procedures, scripts for the
goal's shape, heavy ATP calls); the loop runs each tier as a stage of its own,
so the record says what each tier proved and what it cost.
"""

from __future__ import annotations

from lemmata.prover.agent.language import Problem
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run


def by_automation(run: Run, problem: Problem, *, stage: str = "automation",
                  tiers: tuple[str, ...] | None = None) -> Outcome | None:
    for tactic in run.automation(problem, tiers):
        draft = run.language.draft(problem, tactic.body, imports=tactic.imports)
        result = run.checker.check(draft, stage=stage, timeout=run.settings.tactic_timeout * tactic.timeout_factor)
        if result.accepted:
            return Outcome(ProofStatus.PROVED, tactic.body, tactic.imports, found_by=f"automation ({tactic.name})")
    return None


__all__ = ["by_automation"]
