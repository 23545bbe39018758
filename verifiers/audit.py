"""The audit policy: when a checker run counts as an accepted proof.

Backends gather facts (did the checker get to the end without error, which
holes and suspicious declarations the text has, what each target theorem's
statement and assumptions are); this module alone turns them into a verdict
and the reasons for it, so that every language is held to the same rule:
accepted only when the real checker accepted, nothing is left unfinished, no
assumption falls outside the allow-list, and each target states exactly what
was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lemmata.verifiers.result import CheckResult, Diagnostic, Hole, MemberReport, Severity, TargetReport, Verdict


@dataclass
class AuditFacts:
    language: str
    checker: str
    seconds: float = 0.0
    completed: bool = False  # the checker processed the whole document without error
    timed_out: bool = False
    failure: str | None = None  # why no verdict could be reached (crash, memory)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    holes: list[Hole] = field(default_factory=list)
    hole_offsets: list[int] = field(default_factory=list)  # character offset of each hole, for backends
    findings: list[str] = field(default_factory=list)  # readable reasons from the source scan
    targets: list[TargetReport] = field(default_factory=list)
    members: list[MemberReport] = field(default_factory=list)
    audit_complete: bool = False  # every audit query answered with its expected marker
    not_run: str | None = None  # why the checker was never given the text (the source scan refused it)


def judge(facts: AuditFacts) -> CheckResult:
    reasons: list[str] = []
    if facts.timed_out:
        verdict = Verdict.TIMEOUT
        reasons.append("the check ran past its time limit and was stopped")
    elif facts.failure:
        verdict = Verdict.ERROR
        reasons.append(facts.failure)
    else:
        reasons.extend(_refusals(facts))
        verdict = Verdict.REJECTED if reasons else Verdict.ACCEPTED
    return CheckResult(
        verdict=verdict,
        language=facts.language,
        reasons=reasons,
        diagnostics=facts.diagnostics,
        holes=facts.holes,
        targets=facts.targets,
        members=facts.members,
        seconds=round(facts.seconds, 4),
        checker=facts.checker,
    )


def headline(message: str) -> str:
    """The gist of a checker message in one line: Coq's "In environment" context block is skipped."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if lines and lines[0] == "In environment":
        lines = lines[1:]
        while lines and re.match(r"^[\w',\s]+ :(?!=)", lines[0]):
            lines = lines[1:]
    return " ".join(lines)[:300] if lines else "(no message)"


def _refusals(facts: AuditFacts) -> list[str]:
    if facts.not_run is not None:
        return [*facts.findings, facts.not_run]
    reasons: list[str] = []
    first_error = next((d for d in facts.diagnostics if d.severity is Severity.ERROR), None)
    if first_error is not None:
        where = f"line {first_error.span.line}: " if first_error.span else ""
        reasons.append(f"checker error at {where}{headline(first_error.message)}")
    elif not facts.completed:
        reasons.append("the checker did not get to the end of the document")
    for hole in facts.holes:
        reasons.append(f"unfinished proof: '{hole.kind}' at line {hole.span.line}")
    reasons.extend(facts.findings)
    if facts.completed and first_error is None:
        if not facts.targets:
            reasons.append("no theorem to audit: the document declares none at top level")
        for target in facts.targets:
            if not target.found:
                reasons.append(f"theorem {target.name} is not defined at the top level of the document")
                continue
            if target.statement_matches is False:
                reasons.append(f"theorem {target.name} does not state exactly the reference statement")
            for axiom in target.disallowed:
                reasons.append(f"theorem {target.name} rests on an assumption outside the allow-list: {axiom}")
        if facts.targets and not facts.audit_complete:
            reasons.append("the audit queries did not all answer; refusing to accept")
    return reasons
