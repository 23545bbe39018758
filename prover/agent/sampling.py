"""Stage c: whole proofs sampled from the model, each checked as it arrives while the server writes the rest.

Identical answers (the same code once layout is ignored) are checked once. A
completion that arrives as the budget's wall clock ends is still checked,
within one check's time of grace: it was paid for.
"""

from __future__ import annotations

from dataclasses import dataclass

from lemmata.prover.agent.language import Draft, Extracted, Problem, ProofScript
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.run import Outcome, Run
from lemmata.verifiers.result import CheckResult


@dataclass
class Candidate:
    """A checked attempt that failed, kept for repair."""

    extracted: Extracted
    script: ProofScript
    draft: Draft
    result: CheckResult

    @property
    def progress(self) -> int:
        """How many body sentences the checker got through before its first error."""
        error = self.result.first_error()
        if error is None or error.span is None:
            return len(self.script.sentences)
        return max(0, error.span.line - self.draft.body_line)


def attempt(run: Run, problem: Problem, extracted: Extracted, *, stage: str,
            grace: float = 0.0) -> Outcome | Candidate | None:
    """Check one extracted answer: an Outcome if it proves the goal, else a Candidate (None if unreadable)."""
    try:
        script = run.language.script(extracted.body)
    except ValueError:  # e.g. an unterminated comment
        return None
    if not script.sentences:
        return None
    body = script.render()
    draft = run.language.draft(problem, body, imports=extracted.imports, preamble=extracted.preamble)
    result = run.checker.check(draft, stage=stage, timeout=run.settings.check_timeout, grace=grace)
    if result.accepted:
        return Outcome(ProofStatus.PROVED, script.pretty(), extracted.imports, extracted.preamble, found_by=stage)
    return Candidate(extracted, script, draft, result)


def _same(extracted: Extracted) -> tuple:
    """What makes two answers the same attempt: their code, layout aside."""
    return (" ".join(extracted.body.split()), extracted.imports, " ".join(extracted.preamble.split()))


def by_sampling(run: Run, problem: Problem, k: int, *, stage: str = "sampling") -> tuple[Outcome | None, list[Candidate]]:
    candidates: list[Candidate] = []
    seen: set[tuple] = set()
    arrivals = run.ask_stream(run.language.whole_proof_prompt(problem), k, stage)
    try:
        for text in arrivals:
            extracted = run.language.extract(text, problem)
            if extracted is None:
                run.trace.emit("unusable", stage=stage, reason="no code in the completion", text=text[:2000])
                continue
            if _same(extracted) in seen:
                run.trace.emit("duplicate", stage=stage, reason="an identical answer was checked already")
                continue
            seen.add(_same(extracted))
            checked = attempt(run, problem, extracted, stage=stage, grace=run.settings.check_timeout)
            if isinstance(checked, Outcome):
                return checked, candidates
            if checked is None:
                run.trace.emit("unusable", stage=stage, reason="the code does not split into sentences",
                               text=text[:2000])
            else:
                candidates.append(checked)
    finally:
        arrivals.close()  # a proof found, or the budget gone: stop waiting for the rest (all counted)
    candidates.sort(key=lambda c: -c.progress)
    if candidates:
        best = candidates[0]
        run.trace.emit("best", stage=stage, summary=f"{best.progress}/{len(best.script.sentences)} steps checked")
    return None, candidates


__all__ = ["Candidate", "attempt", "by_sampling"]
