"""Checking each step of a reasoning chain: ``verify_steps`` and its batch form.

The problem's own relations (``If 2x + 3 = 11 ...``) and any ``context`` are
the givens; a step's claims are decided against the givens plus the claims of
earlier *verified* steps (a refuted or undecided step adds nothing). A step is
``refuted`` if one of its claims is, ``verified`` if it has claims and all are,
``unchecked`` if it states no claim this reads, ``unknown`` otherwise. The
first refuted step is the chain's ``first_error``.
"""

from __future__ import annotations

import functools
import time
from concurrent.futures import ProcessPoolExecutor
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
    verdict: str  # verified / refuted / unchecked / unknown
    claims: list[ClaimReport] = Field(default_factory=list)
    formal: str | None = Field(default=None, description="the model-written formal statement (formal mode)")


class ChainReport(BaseModel):
    """What ``verify_steps`` returns: every step's report and the index of the first refuted step (or None)."""

    first_error: int | None
    steps: list[StepReport]
    givens: list[str] = Field(default_factory=list)
    seconds: float = 0.0


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


def verify_steps(problem: str, steps: list[str], *, context: str | list[str] | None = None,
                 timeout: float = 10.0, llm: LLMClient | None = None) -> ChainReport:
    """Check each step of ``steps`` (a solution to ``problem``); returns a ``ChainReport``.

    Givens are the problem's own relations and ``context`` (text or a list of texts); a step's claims
    are decided against them and the claims of earlier verified steps, each solver call within
    ``timeout`` seconds. Undecidable claims are ``unknown``, never ``refuted``. With ``llm``, a step this cannot decide from its text is formalised by the
    model as a Coq theorem (the problem's givens as hypotheses) and decided
    through the IR by the SMT backend; the statement is kept in the report.
    """
    started = time.monotonic()
    extra = [context] if isinstance(context, str) else list(context or [])
    facts, shown = _givens([problem, *extra])
    reports: list[StepReport] = []
    first_error = None
    for index, step in enumerate(steps):
        found = claims(step)
        if not found:
            report = StepReport(index=index, verdict="unchecked")
            if llm is not None:
                report = _formal(llm, problem, steps[:index], step, report, timeout)
                first_error = index if report.verdict == "refuted" and first_error is None else first_error
            reports.append(report)
            continue
        decided = []
        for claim in found:
            left = timeout - (time.monotonic() - started)
            if left <= 0:
                decided.append(ClaimReport(claim=str(claim), verdict="unknown", method="timeout"))
                continue
            verdict = decide(claim, facts, timeout=left)
            decided.append(ClaimReport(claim=str(claim), verdict=verdict.verdict, method=verdict.method,
                                       evidence=verdict.evidence, seconds=verdict.seconds))
        verdicts = {c.verdict for c in decided}
        verdict = "refuted" if "refuted" in verdicts else "verified" if verdicts == {"verified"} else "unknown"
        if verdict == "refuted" and first_error is None:
            first_error = index
        if verdict == "verified":
            for claim in found:
                rel = relation(claim)
                if rel.free_symbols:
                    facts.append(rel)
        report = StepReport(index=index, verdict=verdict, claims=decided)
        if verdict == "unknown" and llm is not None:
            report = _formal(llm, problem, steps[:index], step, report, timeout)
            first_error = index if report.verdict == "refuted" and first_error is None else first_error
        reports.append(report)
    return ChainReport(first_error=first_error, steps=reports, givens=shown,
                       seconds=round(time.monotonic() - started, 4))


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


def _one(item: dict[str, Any], llm_config: dict | None = None) -> dict[str, Any]:
    global _worker_llm
    if llm_config is not None and _worker_llm is None:
        from lemmata.prover.llm.config import LLMConfig, open_client

        _worker_llm = open_client(LLMConfig(**llm_config))
    report = verify_steps(item["problem"], item["steps"], context=item.get("context"), llm=_worker_llm)
    return {**item, **report.model_dump(mode="json")}


def verify_many(items: list[dict[str, Any]], *, workers: int = 1, llm_config: dict | None = None):
    """``verify_steps`` over many chains, in order, on ``workers`` processes; yields one output line each.

    ``llm_config`` (``LLMConfig`` fields) turns on formal mode; each process opens its own client.
    """
    run = functools.partial(_one, llm_config=llm_config)
    if workers <= 1:
        yield from map(run, items)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(run, items, chunksize=max(1, min(64, len(items) // (workers * 4) or 1)))


__all__ = ["ChainReport", "ClaimReport", "StepReport", "verify_many", "verify_steps"]
