"""Stage c: an SMT proof turned into a kernel-checked one, from what the solver knows about the goal.

Runs only after the solver proved the statement (``smt-proved``) and the
automation did not. Two facts are asked of the solver, each as a statement of
its own: which hypotheses its proof needs (each one dropped in turn, kept out
when the solver still proves the goal without it), and the bounds of the
integer variables. Unused hypotheses are cleared before the arithmetic
tactics, so `nra`/`nia` combine fewer products; a bounded integer variable
becomes a finite case split closed by `lia`/`nia`. The language writes the
scripts (``cleared``, ``case_split``); every one is an ordinary proof that the
checker and the audit then judge.
"""

from __future__ import annotations

from lemmata.dsl.ir import Sort, Unsupported
from lemmata.prover.agent.language import Problem, ProblemError, Tactic
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run
from lemmata.verifiers.smt.knowledge import integer_bounds, proves

MAX_CASES = 100  # a wider split is slower to check than the budget is worth
SOLVER_TIMEOUT = 2.0  # seconds per question to the solver
LOOSER = (1, 5)  # the solver's bound, and one five times wider (capped at MAX_CASES)


def _conjecture(run: Run, problem: Problem, goal, name: str):
    try:
        standalone = run.language.standalone(problem, goal, name)
        return run.entry.read_conjecture(standalone.text, standalone.theorem)
    except (Unsupported, ProblemError, ValueError):
        return None


def unused_hypotheses(run: Run, problem: Problem, goal, base=None) -> list[str]:
    """Hypotheses (not variables) the solver proves the goal without, dropped one at a time.

    ``base``: the goal already read as a conjecture (read here when not given).
    """
    base = base or _conjecture(run, problem, goal, f"{problem.theorem}_core")
    if base is None:
        return []
    variables = {v.name for v in base.variables} | {f.name for f in base.functions}
    dropped: list[str] = []
    for name in [n for n in goal.names if n not in variables]:
        smaller = run.language.without_hypothesis(goal, name)
        if smaller is None:
            continue
        conjecture = _conjecture(run, problem, smaller, f"{problem.theorem}_core")
        if conjecture is not None and proves(conjecture, solver=run.settings.smt_solver,
                                             timeout=min(SOLVER_TIMEOUT, run.spending.ensure_time())):
            goal, dropped = smaller, dropped + [name]
    return dropped


def candidates(run: Run, problem: Problem, display: str) -> list[Tactic]:
    try:
        goal = run.language.read_goal(display)
    except ValueError:
        return []
    conjecture = _conjecture(run, problem, goal, f"{problem.theorem}_core")
    if conjecture is None:
        return []
    found: list[Tactic] = []
    dropped = unused_hypotheses(run, problem, goal, conjecture)
    if dropped:
        for tactic in run.automation(problem, tiers=("cheap", "shape")):
            cleared = run.language.cleared(dropped, tactic)
            if cleared is not None:
                found.append(cleared)
    ranges = []
    for variable in conjecture.variables:
        bounds = integer_bounds(conjecture, variable, solver=run.settings.smt_solver,
                                timeout=min(SOLVER_TIMEOUT, run.spending.ensure_time()))
        if bounds is not None and bounds[1] - bounds[0] < MAX_CASES:
            ranges.append((bounds[1] - bounds[0], variable, bounds))
    for _, variable, (low, high) in sorted(ranges, key=lambda r: r[0])[:2]:
        # The solver's tightest bound may be beyond what `nia` re-proves in Coq; looser ones are easier.
        for scale in LOOSER:
            wide_low = low * scale
            wide_high = min(high * scale, wide_low + MAX_CASES - 1)
            split = run.language.case_split(variable.name, variable.sort is Sort.NAT, wide_low, wide_high)
            if split is not None and all(split.name != t.name for t in found):
                found.append(split)
    return found


def by_reconstruction(run: Run, problem: Problem, display: str | None, *, stage: str = "reconstruction") -> Outcome | None:
    """A proof built from the solver's facts, or None."""
    if display is None or (run.settings.tactics is not None and "reconstruction" not in run.settings.tactics):
        return None
    tactics = candidates(run, problem, display)
    run.trace.emit("reconstruction", stage=stage, theorem=problem.theorem, candidates=[t.name for t in tactics])
    for tactic in tactics:
        draft = run.language.draft(problem, tactic.body, imports=tactic.imports)
        result = run.checker.check(draft, stage=stage, timeout=run.settings.tactic_timeout * tactic.timeout_factor)
        if result.accepted:
            return Outcome(ProofStatus.PROVED, tactic.body, tactic.imports, found_by=f"reconstruction ({tactic.name})")
    return None


__all__ = ["by_reconstruction", "candidates", "unused_hypotheses"]
