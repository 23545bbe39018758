"""Stage d: compiler-guided repair of a failed proof (APOLLO-style).

The checker's first error pins a step; that step and the rest of its block
become a hole, and the cut repeats until the skeleton checks with only holes
left. Each hole's goal (as the checker printed it) is then proved on its own —
automation, then SMT, then the model with the error and the goal in its
prompt — and put back. Holes are filled from the last to the first so that the
positions and goals taken from the skeleton stay valid. The whole is then
checked again; an error in the recombined proof starts another round.
"""

from __future__ import annotations

from lemmata.prover.agent.language import Extracted, Problem, ProblemError, ProofScript
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run
from lemmata.prover.agent.sampling import Candidate
from lemmata.prover.agent.smt_stage import by_smt
from lemmata.verifiers.result import CheckResult


def _cut_until_skeleton(run: Run, problem: Problem, extracted: Extracted, script: ProofScript,
                        result: CheckResult, body_line: int) -> tuple[ProofScript, CheckResult, dict[int, str]] | None:
    errors: dict[int, str] = {}
    for _ in range(len(script.sentences) + 2):
        error = result.first_error()
        if error is None:
            return script, result, errors
        index = error.span.line - body_line if error.span else len(script.sentences)
        if index < 0:
            return None  # the error is in the statement or the helpers: no step to cut
        cut = script.hole_at(index)
        if cut.render() == script.render():
            return None  # the error sits on a hole already: cutting again changes nothing
        script = cut
        errors[min(index, len(script.sentences) - 1)] = error.message
        draft = run.language.draft(problem, script.render(), imports=extracted.imports,
                                   preamble=extracted.preamble, holes_allowed=True)
        body_line = draft.body_line
        result = run.checker.check(draft, stage="repair", timeout=run.settings.check_timeout)
    return None


def _fill(run: Run, problem: Problem, extracted: Extracted, script: ProofScript, hole: int,
          display: str, error: str | None) -> tuple[ProofScript, tuple[str, ...], bool] | None:
    """The script with the hole filled (and imports it needs), or left as an SMT-proved hole; None if stuck."""

    def works(filled: ProofScript, imports: tuple[str, ...], timeout: float) -> bool:
        draft = run.language.draft(problem, filled.render(), imports=extracted.imports + imports,
                                   preamble=extracted.preamble, holes_allowed=True)
        return run.checker.check(draft, stage="repair", timeout=timeout).first_error() is None

    for tactic in run.automation(problem):
        filled = script.fill(hole, tactic.body)
        if works(filled, tactic.imports, run.settings.tactic_timeout * tactic.timeout_factor):
            return filled, tactic.imports, False
    try:
        goal = run.language.goal_problem(problem, display, f"{problem.theorem}_hole{hole}")
    except ProblemError:
        goal = None
    if goal is not None:
        decided = by_smt(run, goal, stage="repair")
        if decided is not None and decided.status is ProofStatus.SMT_PROVED:
            return script, (), True
    if run.llm is None or goal is None:
        return None
    for text in run.ask(run.language.hole_prompt(goal, display, error), run.settings.hole_samples, "repair"):
        answer = run.language.extract(text, goal)
        if answer is None or answer.preamble:
            continue
        try:
            filled = script.fill(hole, answer.body)
        except ValueError:
            continue
        if works(filled, answer.imports, run.settings.check_timeout):
            return filled, answer.imports, False
    return None


def repair(run: Run, problem: Problem, candidate: Candidate) -> Outcome | None:
    extracted, script, result, body_line = candidate.extracted, candidate.script, candidate.result, candidate.draft.body_line
    for round_ in range(run.settings.repair_rounds):
        cut = _cut_until_skeleton(run, problem, extracted, script, result, body_line)
        if cut is None:
            return None
        script, skeleton, errors = cut
        run.trace.emit("skeleton", stage="repair", round=round_, holes=len(script.holes), script=script.render())
        goals = {h.span.line: h.goal for h in skeleton.holes if h.goal}
        body_line = run.language.draft(problem, script.render(), imports=extracted.imports,
                                       preamble=extracted.preamble, holes_allowed=True).body_line
        smt_holes: list[int] = []
        for hole in sorted(script.holes, reverse=True):
            display = goals.get(body_line + hole)
            if display is None:
                return None
            filled = _fill(run, problem, extracted, script, hole, display, errors.get(hole))
            if filled is None:
                run.trace.emit("stuck", stage="repair", hole=hole, goal=display)
                return None
            script, imports, by_smt_solver = filled
            extracted = Extracted(extracted.body, extracted.imports + imports, extracted.preamble)
            if by_smt_solver:
                smt_holes.append(hole)
        if smt_holes:
            return Outcome(ProofStatus.SMT_PROVED, script.pretty(), extracted.imports, extracted.preamble,
                           found_by="repair", smt_parts=[f"hole at step {h + 1}" for h in sorted(smt_holes)])
        draft = run.language.draft(problem, script.render(), imports=extracted.imports, preamble=extracted.preamble)
        result = run.checker.check(draft, stage="repair", timeout=run.settings.check_timeout)
        if result.accepted:
            return Outcome(ProofStatus.PROVED, script.pretty(), extracted.imports, extracted.preamble, found_by="repair")
        body_line = draft.body_line
    return None


__all__ = ["repair"]
