"""The proving loop for one problem: stages in order, under one budget, every step recorded.

Order: the cheap automation, then the scripts for the goal's shape; SMT
through the IR (a counterexample ends the run, a proof is kept as
``smt-proved`` while a checker proof is still sought, and what the solver
knows is turned into candidate proofs: reconstruction); the heavy ATP calls;
symbolic decomposition (conjunctions, equivalences); then, with a model,
rounds of whole-proof sampling, repair of the best failures and model-written
sketches until something is proved or the budget runs out. Whatever a stage
claims to have proved is re-checked end to end by the audit against the
original problem file; only that check makes a result ``proved``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from lemmata.prover.agent.automation import by_automation
from lemmata.prover.agent.budget import Budget, BudgetExhausted, Spending
from lemmata.prover.agent.checking import Checker
from lemmata.prover.agent.decompose import decompose, goal_display
from lemmata.prover.agent.language import Extracted, Problem
from lemmata.prover.agent.programs import ProgramAgent, ProgramLanguage
from lemmata.prover.agent.reconstruct import by_reconstruction
from lemmata.prover.agent.repair import repair
from lemmata.prover.agent.result import ProofResult, ProofStatus
from lemmata.prover.agent.run import AgentSettings, Outcome, Run, RunActivity
from lemmata.prover.agent.sampling import Candidate, attempt, by_sampling
from lemmata.prover.agent.stages import staged
from lemmata.prover.agent.smt_stage import by_smt
from lemmata.prover.agent.trace import Trace
from lemmata.prover.llm.client import LLMClient, LLMError
from lemmata.prover.languages import language_named

T = TypeVar("T")


class Agent:
    def __init__(self, *, llm: LLMClient | None = None, budget: Budget | None = None,
                 settings: AgentSettings | None = None, trace: Trace | None = None) -> None:
        self.llm = llm
        self.budget = budget or Budget()
        self.settings = settings or AgentSettings()
        self.trace = trace or Trace()

    def prove(self, problem: Problem, *, broken_body: str | None = None) -> ProofResult:
        """Prove ``problem``; with ``broken_body`` (its proof that no longer checks) repair that first."""
        entry = language_named(problem.language)
        language = entry.make_adapter()
        if isinstance(language, ProgramLanguage):  # programs are proved by annotating them, not by tactics
            return ProgramAgent(llm=self.llm, budget=self.budget, settings=self.settings, trace=self.trace).prove(
                problem, language, entry.make_verifier())
        spending = Spending(self.budget)
        activity = RunActivity()
        checker = Checker(entry.make_verifier(), problem.header, spending, self.trace, self.settings.check_timeout,
                          activity.checking)
        run = Run(entry, language, checker, self.llm, spending, self.trace, self.settings, activity=activity)
        result = ProofResult(status=ProofStatus.FAILED, theorem=problem.theorem, language=problem.language,
                             origin=problem.origin, model=self.llm.model if self.llm else None)
        if self.llm is None:
            result.notes.append("no LLM configured: ran automation, SMT and symbolic splitting only")
        self.trace.emit("problem", theorem=problem.theorem, origin=problem.origin, budget=self.budget.model_dump())
        smt_fallback: Outcome | None = None

        def stage(name: str, action: Callable[[], T]) -> T:
            with staged(name, result, spending, self.trace) as record:
                value = action()
                found = value[0] if isinstance(value, tuple) else value
                if isinstance(found, Outcome):
                    record.outcome = found.status.value
                return value

        def settle(outcome: Outcome | None) -> bool:
            """Take a stage's outcome; True when the run is over."""
            nonlocal smt_fallback
            if outcome is None:
                return False
            if outcome.status is ProofStatus.DISPROVED:
                result.status, result.counterexample, result.found_by = outcome.status, outcome.counterexample, outcome.found_by
                return True
            if outcome.status is ProofStatus.SMT_PROVED:
                if smt_fallback is None or (smt_fallback.body is None and outcome.body is not None):
                    smt_fallback = outcome
                return False
            draft = language.draft(problem, outcome.body or "", imports=outcome.imports, preamble=outcome.preamble)
            audit = checker.audit(draft, problem)
            if not audit.accepted:
                result.notes.append(f"{outcome.found_by}: a proof the session accepted failed the final audit: "
                                    + "; ".join(audit.reasons))
                return False
            result.status, result.proof, result.found_by = ProofStatus.PROVED, draft.text, outcome.found_by
            result.body, result.imports, result.preamble = outcome.body, list(outcome.imports), outcome.preamble
            return True

        def mend(body: str) -> Outcome | None:
            """The broken proof as it is (it may check again), else cut to holes and filled (APOLLO-style)."""
            checked = attempt(run, problem, Extracted(body), stage="repair")
            return repair(run, problem, checked) if isinstance(checked, Candidate) else checked

        try:
            display = goal_display(run, problem)
            done = broken_body is not None and settle(stage("repair", lambda: mend(broken_body)))
            done = done or settle(stage("automation", lambda: by_automation(run, problem, tiers=("cheap",))))
            if run.automation(problem, ("shape",)):  # a stage only for goals some script fits
                done = done or settle(stage("automation (by shape)",
                                            lambda: by_automation(run, problem, stage="automation (by shape)",
                                                                  tiers=("shape",))))
            done = done or settle(stage("smt", lambda: by_smt(run, problem)))
            if not done and smt_fallback is not None:
                done = settle(stage("reconstruction", lambda: by_reconstruction(run, problem, display)))
            done = done or settle(stage("automation (hammer)",
                                        lambda: by_automation(run, problem, stage="automation (hammer)",
                                                              tiers=("heavy",))))
            done = done or settle(stage("decomposition (symbolic)", lambda: decompose(run, problem, display, with_model=False)))
            while not done and self.llm is not None:
                outcome, candidates = stage("sampling", lambda: by_sampling(run, problem, self.settings.samples_per_round))
                done = settle(outcome)
                for candidate in candidates[: self.settings.repair_candidates]:
                    if done:
                        break
                    done = settle(stage("repair", lambda c=candidate: repair(run, problem, c)))
                done = done or settle(stage("decomposition", lambda: decompose(run, problem, display, with_model=True)))
        except BudgetExhausted as exc:
            result.reason = str(exc)
        except LLMError as exc:
            result.reason = f"LLM unavailable: {exc}"
        finally:
            checker.close()
        if result.status is ProofStatus.FAILED and smt_fallback is not None:
            result.status, result.found_by = ProofStatus.SMT_PROVED, smt_fallback.found_by
            if smt_fallback.body is not None:
                result.proof = language.draft(problem, smt_fallback.body, imports=smt_fallback.imports,
                                              preamble=smt_fallback.preamble, holes_allowed=True).text
            result.notes.append("rests on an SMT solver for: " + ", ".join(smt_fallback.smt_parts))
        result.samples, result.checks = spending.samples, spending.checks
        result.seconds = round(spending.elapsed, 3)
        result.usage = run.usage.as_dict()
        result.throughput = run.throughput()
        self.trace.emit("result", **result.model_dump(mode="json", exclude={"stages"}))
        return result


__all__ = ["Agent"]
