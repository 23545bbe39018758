"""What a check returns: the one result schema shared by every backend.

These are pydantic models because they cross every boundary Lemmata has: the
CLI prints them as JSON, the agent and benchmark runner store them, and
pipeline users parse them.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class Verdict(str, Enum):
    """A check's outcome; only ``accepted`` means the checker accepted the document and the audit passed."""

    ACCEPTED = "accepted"  # the checker accepted and the audit passed
    REJECTED = "rejected"  # the checker or the audit refused the document
    ERROR = "error"  # no verdict could be reached (checker crashed, out of memory)
    TIMEOUT = "timeout"  # the check ran past its time limit and was killed


class Severity(str, Enum):
    """How serious a checker message is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Span(BaseModel):
    """A source range: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class Diagnostic(BaseModel):
    """One checker message mapped to the checked file: severity, text, where, and the goals at a failure."""

    severity: Severity
    message: str
    span: Span | None = None
    goals: str | None = Field(default=None, description="goal state at the failure, as the checker prints it")


class Hole(BaseModel):
    """An unfinished part of a proof (Coq admit/Admitted, Lean sorry)."""

    kind: str
    span: Span
    goal: str | None = None


class TargetReport(BaseModel):
    """What the audit found about one theorem the document had to prove."""

    name: str
    found: bool = False
    statement_matches: bool | None = None  # None when no reference statement was given
    axioms: list[str] = Field(default_factory=list, description="every assumption the theorem depends on")
    disallowed: list[str] = Field(default_factory=list, description="assumptions outside the allow-list")


class MemberReport(BaseModel):
    """How the checker fared on one declaration, where it reports them one by one (Dafny)."""

    name: str
    outcome: str = Field(description="verified, error, timeout or out of resource")
    seconds: float = 0.0
    obligations: int | None = None


class CheckResult(BaseModel):
    """What `lemmata check` prints with ``--json`` and every ``Verifier.check`` returns.

    ``reasons`` say why a document was not accepted (checker errors, holes, disallowed axioms, a statement
    that differs from the reference); ``targets`` report the audited theorems and their axioms.
    """

    verdict: Verdict
    language: str
    reasons: list[str] = Field(default_factory=list, description="why the verdict is not 'accepted'")
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    holes: list[Hole] = Field(default_factory=list)
    targets: list[TargetReport] = Field(default_factory=list)
    members: list[MemberReport] = Field(default_factory=list, description="per-declaration outcomes (Dafny)")
    seconds: float = 0.0
    checker: str = ""

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.ACCEPTED

    def first_error(self) -> Diagnostic | None:
        return next((d for d in self.diagnostics if d.severity is Severity.ERROR), None)
