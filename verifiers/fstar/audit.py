"""The F* audit as facts for the common verdict: scan before F* runs, holes and targets after.

Both ways of checking (one-shot ``fstar.exe FILE`` and the warm IDE session)
go through here, so they refuse, accept and report alike. A document whose
source asks F* to take anything on trust is refused before F* sees it: F*
runs tactics (meta-programs) while it checks, and the daemon checks
strangers' text.
"""

from __future__ import annotations

from dataclasses import dataclass

from lemmata.dsl.fstar.audit import compare, expects_failure, findings, holes, inherited, targets
from lemmata.dsl.fstar.source import Declaration, FStarSyntaxError, declarations, module_name
from lemmata.verifiers.audit import AuditFacts
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.result import Diagnostic, Hole, MemberReport, Severity, Span, TargetReport

DEFAULT_MODULE = "Proof"


@dataclass(frozen=True)
class Document:
    """A document to check: its text, its declarations, and the file name F* must see it under."""

    text: str
    declarations: tuple[Declaration, ...]
    module: str
    suffix: str

    @property
    def filename(self) -> str:
        return f"{self.module}{self.suffix}"


def read(text: str, suffix: str, facts: AuditFacts, problem: list[Declaration] | None = None) -> Document | None:
    """The document, or None when F* must not run on it (``facts`` then says why). What the problem itself
    states (its own ``assume val``s, its options) is the user's and not held against the document."""
    try:
        found = declarations(text)
        module = module_name(text) or DEFAULT_MODULE
    except FStarSyntaxError as exc:
        facts.findings.append(f"the audit cannot read the document: {exc}")
        facts.not_run = "F* was not run on it: the source could not be read"
        return None
    for declaration in found:
        if not inherited(declaration, problem):
            facts.findings += [str(f) for f in findings(declaration)]
    if facts.findings:
        facts.not_run = "F* was not run on it: the source asks F* to take something on trust"
        return None
    return Document(text, tuple(found), module, suffix)


def reference(statement: Statement) -> list[Declaration]:
    """The problem's declarations; raises ``InputError`` when the problem itself cannot be read."""
    try:
        return declarations(statement.text)
    except FStarSyntaxError as exc:
        raise InputError(f"{statement.origin}: {exc}") from None


def audit(document: Document, problem: list[Declaration] | None, theorem: str | None, facts: AuditFacts,
          *, interface: bool = False) -> None:
    """Holes, targets and (with a problem) the statement comparison; marks the audit complete."""
    for declaration in document.declarations:
        for token in holes(declaration):
            span = Span(line=token.line, column=token.column + 1, end_line=token.line, end_column=token.column + 9)
            facts.holes.append(Hole(kind="admit ()", span=span))
            facts.hole_offsets.append(token.offset)
    mine = list(document.declarations)
    if problem is not None:
        reasons = compare(problem, mine, theorem)
        facts.findings += reasons
        defined = {n for d in mine if d.kind == "let" and not expects_failure(d) for n in d.names}
        axioms = [n for d in problem if d.kind == "val" and "assume" in d.qualifiers for n in d.names]
        facts.targets = [TargetReport(name=t.name or "?", found=t.name in defined, axioms=axioms,
                                      statement_matches=not any(reason.startswith(f"{t.name} ") for reason in reasons))
                         for t in targets(problem, theorem)]
        if not facts.targets:  # nothing left open: every definition must be there, unchanged
            facts.targets = [TargetReport(name=n, found=n in defined, statement_matches=True)
                             for d in problem if d.kind == "let" for n in d.names
                             if n != "_" and (theorem is None or n == theorem)]
    else:
        kinds = ("val",) if interface else ("let",)
        named = [n for d in mine if d.kind in kinds and not expects_failure(d) for n in d.names if n != "_"]
        chosen = [n for n in named if theorem is None or n == theorem] or ([theorem] if theorem else [])
        facts.targets = [TargetReport(name=n, found=n in named) for n in chosen]
    facts.audit_complete = True


def members(document: Document, diagnostics: list[Diagnostic], completed: bool) -> list[MemberReport]:
    """Each named ``let``'s outcome: an error on its lines fails it; the rest verified when F* finished."""
    lines = [(d, d.line, _last_line(document, d)) for d in document.declarations if d.kind == "let" and d.names]
    errors = [x.span.line for x in diagnostics if x.severity is Severity.ERROR and x.span is not None]
    out = []
    for declaration, first, last in lines:
        failed = any(first <= line <= last for line in errors)
        outcome = "error" if failed else "verified" if completed or errors else "unknown"
        out += [MemberReport(name=name, outcome=outcome) for name in declaration.names if name != "_"]
    return out


def _last_line(document: Document, declaration: Declaration) -> int:
    return document.text.count("\n", 0, max(declaration.start, declaration.end - 1)) + 1


__all__ = ["DEFAULT_MODULE", "Document", "audit", "members", "read", "reference"]
