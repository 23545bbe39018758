"""Checking each step of a reasoning chain: ``verify_steps``, and ``StepChecker`` for batches.

The problem's own relations (``If 2x + 3 = 11 ...``) and any ``context`` are
the givens; a step's claims are decided against the givens plus the claims of
earlier *verified* steps (a refuted or undecided step adds nothing). A step is
``refuted`` if one of its claims is, ``verified`` if it has claims and all are,
``unchecked`` if it states no claim this reads, ``unknown`` otherwise. The
first refuted step is the chain's ``first_error``; ``score`` sums the chain up
for a pipeline that filters or rewards reasoning.

``StepChecker`` keeps its worker processes (each with SymPy and Z3 loaded)
between calls, so a training loop can hand it one batch after another.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from pydantic import BaseModel, Field

from lemmata.dsl.mathtext import claims
from lemmata.prover.llm.client import LLMClient
from lemmata.verifiers.steps.check import NotMath, decide, relation
from lemmata.verifiers.steps.smt import entailment


class ClaimReport(BaseModel):
    """One claim of a step (``2x = 8``) and how it was decided: exact arithmetic, algebra, givens, SMT, formal."""

    claim: str
    verdict: str  # verified / refuted / unknown
    method: str
    evidence: dict[str, str] = Field(default_factory=dict)
    seconds: float = 0.0


class StepReport(BaseModel):
    """A step's verdict: ``verified`` (has claims, all hold), ``refuted``, ``unchecked`` (nothing to check) or ``unknown``."""

    index: int
    text: str = Field(default="", description="the step as given")
    verdict: str  # verified / refuted / unchecked / unknown
    claims: list[ClaimReport] = Field(default_factory=list)
    formal: str | None = Field(default=None, description="the model-written formal statement (formal mode)")
    stated: list[str] = Field(default_factory=list, description="equations this step sets up that nothing decides; "
                                                                  "later steps are checked against them too")


class ChainScore(BaseModel):
    """A chain summed up for filtering or rewarding: counts of step verdicts and a reward in [0, 1] or None.

    A step is *checkable* when a claim was read from it (``verified``,
    ``refuted`` or ``unknown``). ``reward`` is 0 when a step is refuted,
    otherwise the share of checkable steps verified; None when no step is
    checkable (no signal: neither reward nor punish it).
    """

    steps: int
    checkable: int
    verified: int
    refuted: int
    unknown: int
    unchecked: int
    verified_fraction: float | None = Field(description="verified / checkable; None when nothing is checkable")
    first_refuted: int | None = Field(description="0-based index of the first refuted step")
    reward: float | None = Field(description="0 if a step is refuted, else verified_fraction")


def score(steps: list[StepReport]) -> ChainScore:
    count = {v: sum(s.verdict == v for s in steps) for v in ("verified", "refuted", "unknown", "unchecked")}
    checkable = len(steps) - count["unchecked"]
    fraction = round(count["verified"] / checkable, 4) if checkable else None
    first = next((s.index for s in steps if s.verdict == "refuted"), None)
    return ChainScore(steps=len(steps), checkable=checkable, **count, verified_fraction=fraction, first_refuted=first,
                      reward=None if fraction is None else 0.0 if first is not None else fraction)


class ChainReport(BaseModel):
    """What ``verify_steps`` returns: every step's report, the first refuted step (or None) and the score."""

    first_error: int | None = Field(description="0-based index of the first refuted step, None if none is")
    steps: list[StepReport]
    givens: list[str] = Field(default_factory=list, description="relations read from the problem and context")
    score: ChainScore
    seconds: float = 0.0


class ChainInput(BaseModel):
    """One chain to check: the problem, its solution's steps and optional extra givens."""

    problem: str
    steps: list[str]
    context: str | list[str] | None = None


def _givens(texts: list[str]) -> tuple[list, list[str]]:
    facts, shown = [], []
    for text in texts:
        for claim in claims(text):
            try:
                rel = relation(claim)
            except NotMath:
                continue
            if rel.free_symbols and rel not in facts:
                facts.append(rel)
                shown.append(str(claim))
    if facts and entailment(facts, facts[0]) == "the givens contradict each other":
        return [], []  # a question that quotes a false equation must not make everything provable
    return facts, shown


# A step that supposes, tries or checks a case states no equation the rest of the chain may rely on.
_HYPOTHETICAL = re.compile(r"\b(?:if|suppose|supposing|assume|assuming|say|try|trying|guess|case|would|could|might|"
                           r"check|checking|test|testing|whether)\b", re.IGNORECASE)
# A step that sets up an equation ("we can write: 54 - x = 34") may give a letter a new meaning.
_SETS_UP = re.compile(r"\b(?:we can write|write|set up|setting up|given|let|we know|denote|represents?|equation)\b",
                      re.IGNORECASE)
# A step that derives ("solving for x, we get x = 10") claims its equation follows from the ones before.
_DERIVES = re.compile(r"\b(?:solving|simplifying|combining|dividing|multiplying|subtracting|adding|cross[- ]multiplying|"
                      r"rearranging|isolating|expanding|factoring|substituting|we get|we find|we obtain|gives|yields)\b",
                      re.IGNORECASE)


def _decide(claim, facts: list, stated: list, timeout: float, *, derives: bool) -> tuple[ClaimReport, bool]:
    """The claim's report, and whether its verdict rests on stated (unverified) equations.

    Against stated equations a claim is verified when it follows from them, and
    refuted when it contradicts them only if its step says it derives the claim
    (``solving for x, we get``): elsewhere the chain may have given a letter a
    new meaning, and a contradiction would be a false alarm.
    """
    verdict, relative = decide(claim, facts, timeout=timeout), False
    if verdict.verdict == "unknown" and stated:
        given = decide(claim, facts + [rel for rel, _ in stated], timeout=timeout)
        if given.verdict == "verified" or (given.verdict == "refuted" and derives):
            verdict, relative = given, True
            verdict.method += ", taking stated equations as given"
            verdict.evidence["stated_at"] = ", ".join(str(i) for i in sorted({index for _, index in stated}))
    return ClaimReport(claim=str(claim), verdict=verdict.verdict, method=verdict.method, evidence=verdict.evidence,
                       seconds=verdict.seconds), relative


def _statable(claim, report: ClaimReport) -> bool:
    """An undecided equation that sets up an unknown (``14x = 84``), not a rewriting (``a*x = b*x``)."""
    if report.verdict != "unknown" or report.method != "undetermined" or claim.relation != "=" \
            or claim.approximate or claim.doubt:
        return False
    rel = relation(claim)
    return not (rel.lhs.free_symbols and rel.rhs.free_symbols)


def verify_steps(problem: str, steps: list[str], *, context: str | list[str] | None = None,
                 timeout: float = 10.0, llm: LLMClient | None = None) -> ChainReport:
    """Check each step of ``steps`` (a solution to ``problem``); returns a ``ChainReport``.

    Givens are the problem's own relations and ``context`` (text or a list of
    texts); a step's claims are decided against them and the verified claims of
    earlier steps. An equation a step states that nothing decides (``36 + 3x =
    84``, the chain setting up its unknown) is kept as *stated*: later claims
    that only follow from, or contradict, stated equations say so in their
    method. Undecidable claims are ``unknown``, never ``refuted``; the whole
    chain gets ``timeout`` seconds. With ``llm``, a step this cannot decide from
    its text is formalised by the model as a Coq theorem (the problem's givens
    as hypotheses) and decided through the IR by the SMT backend; the statement
    is kept in the report.
    """
    started = time.monotonic()
    extra = [context] if isinstance(context, str) else list(context or [])
    facts, shown = _givens([problem, *extra])
    stated: list[tuple[Any, int]] = []  # (relation, step index) of equations steps stated but nothing decided
    reports: list[StepReport] = []
    for index, step in enumerate(steps):
        found = claims(step)
        decided, relative = [], []
        sets_up = bool(_SETS_UP.search(step))
        derives = bool(_DERIVES.search(step)) and not sets_up
        for claim in found:
            left = timeout - (time.monotonic() - started)
            decision, rests = (_decide(claim, facts, stated, left, derives=derives) if left > 0 else
                               (ClaimReport(claim=str(claim), verdict="unknown", method="timeout"), False))
            decided.append(decision)
            relative.append(rests)
        verdicts = {c.verdict for c in decided}
        verdict = ("unchecked" if not found else "refuted" if "refuted" in verdicts
                   else "verified" if verdicts == {"verified"} else "unknown")
        report = StepReport(index=index, text=step, verdict=verdict, claims=decided)
        if verdict != "refuted":
            for claim, claim_report, rests in zip(found, decided, relative):
                rel = relation(claim) if claim_report.verdict == "verified" or _statable(claim, claim_report) else None
                if rel is None or not rel.free_symbols:
                    continue
                if claim_report.verdict == "verified" and not rests:
                    facts.append(rel)
                elif rests:
                    stated.append((rel, index))
                else:
                    if sets_up and not _consistent(facts, stated, rel):  # the letter means something new now
                        stated = [(r, i) for r, i in stated if not r.free_symbols & rel.free_symbols]
                    if not _HYPOTHETICAL.search(step) and _consistent(facts, stated, rel):
                        stated.append((rel, index))
                        report.stated.append(str(claim))
        if verdict in ("unknown", "unchecked") and llm is not None:
            report = _formal(llm, problem, steps[:index], step, report, timeout)
        reports.append(report)
    first_error = next((r.index for r in reports if r.verdict == "refuted"), None)
    return ChainReport(first_error=first_error, steps=reports, givens=shown, score=score(reports),
                       seconds=round(time.monotonic() - started, 4))


def _consistent(facts: list, stated: list, rel) -> bool:
    return entailment([*facts, *(r for r, _ in stated), rel], rel) != "the givens contradict each other"


FORMALISE = ("You formalise one step of a math solution. Write the claim the step makes as one Coq theorem "
             "over the reals (R_scope is open), with the problem's givens as hypotheses, e.g.\n```coq\nTheorem step : forall x : R, "
             "2 * x + 3 = 11 -> x = 4.\n```\nAnswer with that block only, or NONE if the step claims nothing "
             "that can be stated so.")


def _formal(llm: LLMClient, problem: str, before: list[str], step: str, report: StepReport,
            timeout: float) -> StepReport:
    from lemmata.dsl.coq.conjecture import read_coq_conjecture
    from lemmata.dsl.ir import Unsupported
    from lemmata.prover.agent.extract import code_blocks
    from lemmata.prover.llm.client import LLMError, Message
    from lemmata.verifiers.smt.backend import SmtVerdict, decide

    earlier = "\n".join(f"{k + 1}. {s}" for k, s in enumerate(before)) or "(none)"
    messages = [Message("system", FORMALISE),
                Message("user", f"Problem: {problem}\nEarlier steps:\n{earlier}\nStep to formalise: {step}")]
    try:
        answer = llm.complete(messages, n=1).texts[0]
    except LLMError:
        return report  # no formal statement: the step stays as plain reading left it
    blocks = code_blocks(answer, ("coq", "rocq", "v"))
    if not blocks:
        return report
    statement = blocks[-1].strip()
    report.formal = statement
    try:
        ir = read_coq_conjecture("Require Import Reals.\nOpen Scope R_scope.\n" + statement)
    except (Unsupported, ValueError) as exc:
        reason = getattr(exc, "reason", str(exc))
        report.claims.append(ClaimReport(claim=statement, verdict="unknown", method="formal", evidence={"reason": reason}))
        report.verdict = "refuted" if report.verdict == "refuted" else "unknown"
        return report
    result = decide(ir, timeout=min(timeout, 10.0))
    verdict = {SmtVerdict.SMT_PROVED: "verified", SmtVerdict.DISPROVED: "refuted"}.get(result.verdict, "unknown")
    evidence = dict(result.counterexample or {}) | ({"reason": result.reason} if result.reason else {})
    report.claims.append(ClaimReport(claim=statement, verdict=verdict, method=f"formal statement by the model, smt ({result.solver})",
                                     evidence=evidence, seconds=result.seconds))
    verdicts = {c.verdict for c in report.claims}
    report.verdict = "refuted" if "refuted" in verdicts else "verified" if verdicts == {"verified"} else "unknown"
    return report


_worker_llm: LLMClient | None = None


def _check(chain: ChainInput, timeout: float, llm_config: dict | None) -> ChainReport:
    global _worker_llm
    if llm_config is not None and _worker_llm is None:
        from lemmata.prover.llm.config import LLMConfig, open_client

        _worker_llm = open_client(LLMConfig(**llm_config))
    return verify_steps(chain.problem, chain.steps, context=chain.context, timeout=timeout, llm=_worker_llm)


def _warm() -> None:
    """Load what checking needs in a fresh worker, so the first batch does not pay for it."""
    verify_steps("1 + 1 = 2", ["1 + 1 = 2"])


class StepChecker:
    """``verify_steps`` over many chains on worker processes that live as long as the checker.

        with lemmata.StepChecker(workers=4) as checker:
            for batch in batches:
                reports = checker.verify_many(batch)    # list[ChainReport], in order

    ``imap`` streams: results come in input order with at most ``window``
    chains in flight, so memory stays flat however many chains go in.
    ``llm_config`` (``LLMConfig`` fields) turns on formal mode; each worker
    opens its own client. With ``workers=1`` chains are checked in this process.
    """

    def __init__(self, workers: int = 1, *, timeout: float = 10.0, llm_config: dict | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers, self.timeout, self.llm_config = workers, timeout, llm_config
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm)

    def submit(self, chain: ChainInput | dict[str, Any]) -> Future:
        """A future of the chain's ``ChainReport``."""
        chain = chain if isinstance(chain, ChainInput) else ChainInput.model_validate(chain)
        if self._pool is not None:
            return self._pool.submit(_check, chain, self.timeout, self.llm_config)
        future: Future = Future()
        try:
            future.set_result(_check(chain, self.timeout, self.llm_config))
        except Exception as exc:  # noqa: BLE001 - delivered through the future, as the pool would
            future.set_exception(exc)
        return future

    def imap(self, chains: Iterable[ChainInput | dict[str, Any]], *, window: int | None = None) -> Iterator[ChainReport]:
        pending: deque[Future] = deque()
        limit = window or self.workers * 8
        for chain in chains:
            pending.append(self.submit(chain))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def verify_many(self, chains: Iterable[ChainInput | dict[str, Any]]) -> list[ChainReport]:
        return list(self.imap(chains))

    def verify(self, problem: str, steps: list[str], *, context: str | list[str] | None = None) -> ChainReport:
        return self.submit(ChainInput(problem=problem, steps=steps, context=context)).result()

    def close(self, *, wait: bool = True) -> None:
        """Stop the workers; chains not started are dropped (``wait=False``: do not wait for running ones)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "StepChecker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["ChainInput", "ChainReport", "ChainScore", "ClaimReport", "StepChecker", "StepReport", "score",
           "verify_steps"]
