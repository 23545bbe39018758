"""What ``fstar.exe FILE`` prints, as common diagnostics: both formats F* has used for an issue.

Recent F* prints ``* Error 147 at Test.fst:1.0-1.0:`` (or, a little older,
``at Test.fst(1,0-1,0):``) followed by indented ``- `` bullets; older F* one
line, ``Test.fst(774,0-776,62): (Error 147) text``. Ranges count lines from 1
and columns from 0, as in the IDE protocol. Both shapes are in F*'s recorded
IDE transcripts, where F* forwards batch-style errors as ``message`` lines;
no batch run was recorded, so ``completed`` rests on the exit status first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lemmata.verifiers.result import Diagnostic, Severity, Span

_LEVEL = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
_RANGE = r"(?P<file>[^\s(][^()]*?)\((?P<l1>\d+),(?P<c1>\d+)-(?P<l2>\d+),(?P<c2>\d+)\)"
_DOTTED_RANGE = r"(?P<file>[^\s(:][^():]*?):(?P<l1>\d+)\.(?P<c1>\d+)-(?P<l2>\d+)\.(?P<c2>\d+)"
_BULLETED = [re.compile(r"^\* (?P<level>Error|Warning|Info)(?: (?P<number>\d+))? at " + where + r":\s*$")
             for where in (_RANGE, _DOTTED_RANGE, r"(?P<file>)[^:]*")]
_ONE_LINE = re.compile(r"^" + _RANGE + r": \((?P<level>Error|Warning|Info)(?: (?P<number>\d+))?\) (?P<text>.*)$")
_PLAIN_ERROR = re.compile(r"^(?:\(Error(?: \d+)?\)|Error:|error:)\s*(?P<text>.+)$")
_SUCCESS = re.compile(r"All verification conditions discharged successfully|^Verified module: ", re.MULTILINE)


@dataclass
class BatchOutput:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    succeeded: bool = False  # F* said every verification condition was discharged


def _diagnostic(match: re.Match, text: str, filename: str) -> Diagnostic:
    level = _LEVEL[match["level"].lower()]
    number = f" (F* {match['level'].lower()} {match['number']})" if match["number"] else ""
    span = None
    if match["file"]:
        where = (int(match["l1"]), int(match["c1"]) + 1, int(match["l2"]), int(match["c2"]) + 1)
        if match["file"].rsplit("/", 1)[-1] in (filename, "<input>"):
            span = Span(line=where[0], column=where[1], end_line=where[2], end_column=where[3])
        else:
            text += f"\n(at {match['file']}:{where[0]}:{where[1]})"
    return Diagnostic(severity=level, message=text.strip() + number, span=span)


def _bulleted(line: str) -> re.Match | None:
    return next((m for pattern in _BULLETED if (m := pattern.match(line))), None)


def parse_batch(output: str, filename: str) -> BatchOutput:
    """The issues F* printed checking ``filename`` (ranges in other files go into the message)."""
    result = BatchOutput(succeeded=bool(_SUCCESS.search(output)))
    lines = output.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := _bulleted(line):
            body = []
            i += 1
            while i < len(lines) and (lines[i].startswith("  ") or not lines[i].strip()) and \
                    not _bulleted(lines[i]):
                body.append(lines[i].strip())
                i += 1
            text = "\n".join(re.sub(r"^- ", "", b) for b in body if b)
            result.diagnostics.append(_diagnostic(m, text, filename))
            continue
        if m := _ONE_LINE.match(line):
            result.diagnostics.append(_diagnostic(m, m["text"], filename))
        elif m := _PLAIN_ERROR.match(line.strip()):
            result.diagnostics.append(Diagnostic(severity=Severity.ERROR, message=m["text"].strip()))
        i += 1
    return result


__all__ = ["BatchOutput", "parse_batch"]
