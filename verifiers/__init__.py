"""Checkers and solvers behind one interface: a document in, a ``CheckResult`` out."""

from lemmata.verifiers.errors import InputError, LemmataError, ToolMissing, UnknownLanguage
from lemmata.verifiers.interface import Session, Statement, ToolStatus, Verifier
from lemmata.verifiers.result import CheckResult, Diagnostic, Hole, Severity, Span, TargetReport, Verdict

__all__ = [
    "CheckResult", "Diagnostic", "Hole", "InputError", "LemmataError", "Session", "Severity", "Span",
    "Statement", "TargetReport", "ToolMissing", "ToolStatus", "UnknownLanguage", "Verdict", "Verifier",
]
