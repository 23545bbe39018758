"""Stage b: the statement through the IR to an SMT solver, when it translates."""

from __future__ import annotations

from lemmata.dsl.ir import Unsupported
from lemmata.prover.agent.language import Problem
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run
from lemmata.verifiers.smt.backend import SmtVerdict, decide


def by_smt(run: Run, problem: Problem, *, stage: str = "smt") -> Outcome | None:
    """``smt-proved`` or ``disproved`` (with the counterexample); None when the solver cannot say."""
    try:
        conjecture = run.entry.read_conjecture(problem.text, problem.theorem)
    except Unsupported as exc:
        run.trace.emit("smt", stage=stage, theorem=problem.theorem, verdict="unsupported", reason=exc.reason)
        return None
    timeout = max(0.5, min(run.settings.smt_timeout, run.spending.ensure_time()))
    result = decide(conjecture, solver=run.settings.smt_solver, timeout=timeout)
    run.trace.emit("smt", stage=stage, theorem=problem.theorem, verdict=result.verdict.value,
                   reason=result.reason, counterexample=result.counterexample, seconds=result.seconds)
    if result.verdict is SmtVerdict.SMT_PROVED:
        return Outcome(ProofStatus.SMT_PROVED, found_by=f"smt ({result.solver})", smt_parts=[problem.theorem])
    if result.verdict is SmtVerdict.DISPROVED:
        return Outcome(ProofStatus.DISPROVED, found_by=f"smt ({result.solver})", counterexample=result.counterexample)
    return None


__all__ = ["by_smt"]
