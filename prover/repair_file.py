"""Repairing a whole proof file that no longer checks: what `lemmata repair`, repair jobs and `watch` call.

The file is checked; the theorem holding the first error is repaired on its
own, with everything before it as its header: its broken proof is cut at the
failing step into holes that automation, SMT, then the model (when one is
configured) fill, or it is proved afresh. Its proof is put back and the file
checked again, until it passes or a theorem cannot be repaired. Statements are
never touched, proofs that check are kept byte for byte, and the result is
``repaired`` only when the whole file passes the audit and every repaired
theorem states exactly what the original file states, as the checker
elaborates it.
"""

from __future__ import annotations

import difflib
import time
from typing import Literal

from pydantic import BaseModel, Field

from lemmata.prover.agent import ProofStatus
from lemmata.prover.agent.trace import Listener
from lemmata.prover.languages import Document
from lemmata.prover.llm.client import LLMClient
from lemmata.prover.proving import ProveOptions, prove_problem
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.result import CheckResult, Diagnostic


class TheoremRepair(BaseModel):
    """What happened to one theorem whose proof failed."""

    theorem: str
    status: Literal["repaired", "failed"]
    found_by: str | None = None
    reason: str | None = None
    lines: tuple[int, int] = (0, 0)  # in the original file


class RepairResult(BaseModel):
    """What `lemmata repair` prints with ``--json`` and repair jobs return."""

    status: Literal["unchanged", "repaired", "failed"]
    origin: str
    text: str = Field(description="the repaired file (repaired), else the file as given")
    theorems: list[TheoremRepair] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list, description="why the file could not be repaired")
    diagnostics: list[Diagnostic] = Field(default_factory=list, description="the checker's, when it failed")
    seconds: float = 0.0


def unified_diff(before: str, after: str, name: str) -> str:
    """The change from ``before`` to ``after`` as a unified diff of ``name`` (``patch -p1`` applies it)."""
    name = name.lstrip("/")
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}"))


def _failing_site(result: CheckResult, sites, text: str):
    """The proof site holding the check's first error (or first hole), None when it is outside every proof."""
    error = result.first_error()
    line = error.span.line if error is not None and error.span is not None else \
        min((h.span.line for h in result.holes), default=None)
    if line is None:
        return None
    for site in sites:
        first, last = site.line_range(text)
        if first <= line <= last:
            return site
    return None


def repair_document(document: Document, options: ProveOptions, *, statement: str | None = None,
                    timeout: float = 60.0, listener: Listener | None = None,
                    llm: LLMClient | None = None) -> RepairResult:
    """Repair ``document``; raises ``InputError`` for a language whose files cannot be repaired yet.

    ``statement``: the problem file the repaired theorems must prove (default: ``document`` itself with
    every proof given up, so that no statement changes).
    """
    started = time.monotonic()
    entry = document.entry
    language, verifier = entry.make_adapter(), entry.make_verifier()
    original = current = document.text
    # where each theorem lies in the file as given (unsupported languages and unreadable text stop here)
    original_lines = {site.theorem: site.line_range(original) for site in language.proofs(original)}
    repairs: dict[str, TheoremRepair] = {}

    def done(status: str, reasons: list[str] | None = None, result: CheckResult | None = None) -> RepairResult:
        return RepairResult(status=status, origin=document.name, text=current if status == "repaired" else original,
                            theorems=list(repairs.values()), reasons=reasons or [],
                            diagnostics=result.diagnostics if result is not None else [],
                            seconds=round(time.monotonic() - started, 3))

    for _ in range(len(original_lines) + 1):
        result = verifier.check(current, timeout=timeout)
        if result.accepted:
            break
        sites = language.proofs(current)
        site = _failing_site(result, sites, current)
        if site is None:
            return done("failed", ["the first failure is outside every proof (a statement or a definition): "
                                   "repair never changes those", *result.reasons], result)
        if site.theorem in repairs:
            repairs[site.theorem] = repairs[site.theorem].model_copy(
                update={"status": "failed", "reason": "its repaired proof fails in the whole file"})
            return done("failed", [f"{site.theorem}: its repaired proof fails in the whole file", *result.reasons],
                        result)
        lines = original_lines.get(site.theorem, (0, 0))
        problem = language.site_problem(current, site, document.name)
        try:
            proved = prove_problem(problem, options, listener=listener, llm=llm,
                                   broken_body=current[site.body_start: site.body_end])
        except InputError as exc:
            repairs[site.theorem] = TheoremRepair(theorem=site.theorem, status="failed", reason=str(exc), lines=lines)
            return done("failed", [f"{site.theorem}: {exc}"], result)
        if proved.status is not ProofStatus.PROVED or proved.body is None:
            why = proved.reason or "; ".join(f"{r.stage}: {r.outcome}" for r in proved.stages) or proved.status.value
            repairs[site.theorem] = TheoremRepair(theorem=site.theorem, status="failed", reason=why, lines=lines)
            return done("failed", [f"{site.theorem} could not be repaired ({why})", *result.reasons], result)
        current = language.splice(current, site, proved.body, tuple(proved.imports), proved.preamble)
        repairs[site.theorem] = TheoremRepair(theorem=site.theorem, status="repaired", found_by=proved.found_by,
                                              lines=lines)
    else:
        return done("failed", ["the file still fails after every proof was repaired once"])
    if not repairs:
        return done("unchanged")
    reference = Statement(statement, None, "the statement") if statement is not None else \
        Statement(language.statements_only(original), None, f"{document.name} (statements)")
    for name in repairs:
        audit = verifier.check(current, statement=Statement(reference.text, name, reference.origin), theorem=name,
                               timeout=timeout)
        if not audit.accepted:
            repairs[name] = repairs[name].model_copy(update={"status": "failed", "reason": "; ".join(audit.reasons)})
            return done("failed", [f"{name}: the final audit refused it: {'; '.join(audit.reasons)}"], audit)
    return done("repaired")


__all__ = ["RepairResult", "TheoremRepair", "repair_document", "unified_diff"]
