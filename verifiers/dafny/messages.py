"""Reading what Dafny prints (2.x and 4.x): errors with their related locations, per-member outcomes, the summary.

Dafny prints ``FILE(LINE,COL): Error ...`` with a 1-based line and a 0-based
column; each error may be followed by ``Related location`` lines (the
postcondition or invariant that failed) and an execution trace. Parse and
resolution errors end with ``N parse errors detected in FILE`` or ``N
resolution/type errors detected in FILE``; a verification run ends with
``Dafny program verifier finished with V verified, E errors[, T time outs]``.
With ``/trace`` (2.x) each procedure is announced (``Verifying Impl$$M.C.m
...``) and its outcome follows (``[0.1 s, 3 proof obligations]  verified``).

Dafny 2.3 on Debian also prints a block of ``Prover error: ... unknown
parameter 'model_compress'`` noise from its Z3 for every prover start; it is
dropped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lemmata.verifiers.result import Diagnostic, MemberReport, Severity, Span

_LOCATED = re.compile(r"^(?P<file>.*?)\((?P<line>\d+),(?P<col>\d+)\): (?P<rest>.*)$")
_SUMMARY = re.compile(r"Dafny program verifier finished with (\d+) verified, (\d+) errors?"
                      r"(?:, (\d+) time outs?)?(?:, (\d+) out of resource)?")
_STATIC_ERRORS = re.compile(r"^(\d+) (parse|resolution/type) errors? detected in ")
_VERIFYING = re.compile(r"^Verifying (?P<proc>\S+) \.\.\.")
_OUTCOME = re.compile(r"^\s*\[(?P<s>[\d.]+) s, (?P<n>\d+) proof obligations?\]\s+(?P<outcome>.+?)\s*$")
_TIMED_OUT = re.compile(r"Verification of '(?P<proc>[^']+)' timed out after (?P<s>\d+) seconds")
_NOISE = re.compile(r"^(Prover error: .*unknown parameter|Legal parameters are:|\s+\w+ \((bool|string|unsigned int)\))")
_OUTCOMES = {"verified": "verified", "error": "error", "errors": "error", "timed out": "timeout",
             "out of resource": "out of resource"}
_RANK = {"verified": 0, "out of resource": 1, "timeout": 2, "error": 3}


@dataclass
class DafnyOutput:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    members: list[MemberReport] = field(default_factory=list)
    static_errors: int = 0  # parse and resolution/type errors: nothing was verified
    verified: int | None = None  # from the summary line; None when there was none
    errors: int = 0
    timeouts: int = 0
    out_of_resource: int = 0
    timed_out_members: list[str] = field(default_factory=list)


def member_name(procedure: str) -> str:
    """``Impl$$_module.__default.Foo`` -> ``Foo``; ``CheckWellformed$$M.C.m`` -> ``M.C.m``."""
    name = procedure.split("$$", 1)[-1]
    parts = [p for p in name.split(".") if p not in ("_module", "__default")]
    return ".".join(parts) or name


def _span(line: str, column: str, width: int = 1) -> Span:
    line_no, col = int(line), int(column) + 1  # Dafny's columns count from 0
    return Span(line=line_no, column=col, end_line=line_no, end_column=col + width)


def parse_output(text: str, file_name: str) -> DafnyOutput:
    """Diagnostics located in ``file_name`` (others, from included files, keep their file in the message)."""
    out = DafnyOutput()
    outcomes: dict[str, MemberReport] = {}
    current: str | None = None
    last: Diagnostic | None = None
    for raw in text.splitlines():
        if _NOISE.match(raw):
            continue
        line = raw.rstrip()
        if m := _VERIFYING.match(line):
            current = member_name(m["proc"])
            continue
        if current and (m := _OUTCOME.match(line)):
            outcome = _OUTCOMES.get(m["outcome"], m["outcome"])
            report = outcomes.setdefault(current, MemberReport(name=current, outcome="verified"))
            report.seconds = round(report.seconds + float(m["s"]), 3)
            report.obligations = (report.obligations or 0) + int(m["n"])
            if _RANK.get(outcome, 3) > _RANK.get(report.outcome, 3):
                report.outcome = outcome
            current = None
            continue
        if m := _SUMMARY.search(line):
            out.verified, out.errors = int(m[1]), int(m[2])
            out.timeouts, out.out_of_resource = int(m[3] or 0), int(m[4] or 0)
            continue
        if m := _STATIC_ERRORS.match(line):
            out.static_errors += int(m[1])
            continue
        m = _LOCATED.match(line)
        if m is None:
            continue
        rest, here = m["rest"], m["file"].endswith(file_name)
        where = "" if here else f"{m['file']}({m['line']},{m['col']}): "
        if t := _TIMED_OUT.search(rest):
            out.timed_out_members.append(member_name(t["proc"]))
            last = Diagnostic(severity=Severity.ERROR, message=where + rest, span=_span(m["line"], m["col"]))
            out.diagnostics.append(last)
        elif rest.startswith(("Related location", "Related message")):
            if last is not None:
                note = rest.partition(":")[2].strip() or "related location"
                last.message += f"\n  related location, line {m['line']}" + \
                    (f" column {int(m['col']) + 1}" if here else f" of {m['file']}") + f": {note}"
        elif rest.startswith(("Error", "Timed out on")):
            message = re.sub(r"^Error(?: [A-Z]+\d+)?:\s*", "", rest)
            if rest.startswith("Timed out on"):
                message = "timed out: " + re.sub(r"^Timed out on(?: [A-Z]+\d+)?:\s*", "", rest)
            last = Diagnostic(severity=Severity.ERROR, message=where + message, span=_span(m["line"], m["col"]))
            out.diagnostics.append(last)
        elif rest.startswith("Warning"):
            last = None
            out.diagnostics.append(Diagnostic(severity=Severity.WARNING, message=where + rest.partition(":")[2].strip(),
                                              span=_span(m["line"], m["col"])))
    out.members = list(outcomes.values())
    for name in out.timed_out_members:
        if name not in outcomes:
            out.members.append(MemberReport(name=name, outcome="timeout"))
    return out


__all__ = ["DafnyOutput", "member_name", "parse_output"]
