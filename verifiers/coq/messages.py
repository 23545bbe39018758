"""Parsing what coqc and coqtop print into located messages.

coqc locates a message as ``File "f.v", line L, characters A-B:`` (A and B are
byte offsets from the start of line L; B may run past its end). coqtop in
``-emacs`` mode locates one as ``Toplevel input, characters A-B:`` relative to
the sentence it was sent, and wraps output in ``<prompt>``/``<infomsg>``/
``<warning>`` tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lemmata.verifiers.result import Severity

_TAGS = re.compile(r"</?(?:infomsg|warning|goals?|error)>")
_PROMPT = re.compile(r"<prompt>.*?</prompt>", re.S)
_FILE_LOC = re.compile(r'^File "(?P<file>[^"]*)", line (?P<line>\d+), characters (?P<a>\d+)-(?P<b>\d+):\s*$')
_TOP_LOC = re.compile(r"^Toplevel input, characters (?P<a>\d+)-(?P<b>\d+):\s*$")
_HEAD = re.compile(r"^(?P<sev>Error|Warning)(?::\s?|$)(?P<rest>.*)$")
# Artefacts of Lemmata wrapping documents in a module, not the user's concern.
IGNORED_WARNINGS = ("require-in-module",)


@dataclass(frozen=True)
class RawMessage:
    severity: Severity
    text: str
    file: str | None = None
    line: int | None = None  # 1-based, coqc only
    start: int | None = None  # byte offset (coqc: from line start; coqtop: from sentence start)
    end: int | None = None


def clean_toplevel(output: str) -> str:
    """Drop coqtop's emacs-mode prompt and markup tags."""
    return _TAGS.sub("", _PROMPT.sub("", output))


def parse_messages(output: str) -> list[RawMessage]:
    """Errors and warnings in coqc or (cleaned) coqtop output, in order."""
    messages: list[RawMessage] = []
    lines = output.splitlines()
    loc: dict[str, object] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := _FILE_LOC.match(line):
            loc = {"file": m["file"], "line": int(m["line"]), "start": int(m["a"]), "end": int(m["b"])}
            i += 1
            continue
        if m := _TOP_LOC.match(line):
            loc = {"start": int(m["a"]), "end": int(m["b"])}
            i += 1
            continue
        if loc is not None and line.startswith("> "):
            i += 1  # coqtop echoes the offending input with carets
            continue
        if m := _HEAD.match(line):
            body = [m["rest"].strip()] if m["rest"].strip() else []
            i += 1
            while i < len(lines) and not _FILE_LOC.match(lines[i]) and not _TOP_LOC.match(lines[i]) \
                    and not _HEAD.match(lines[i]):
                body.append(lines[i].rstrip())
                i += 1
            text = "\n".join(body).strip()
            severity = Severity.ERROR if m["sev"] == "Error" else Severity.WARNING
            if not (severity is Severity.WARNING and any(w in text for w in IGNORED_WARNINGS)):
                messages.append(RawMessage(severity, text, **(loc or {})))  # type: ignore[arg-type]
            loc = None
            continue
        if line.strip():
            loc = None
        i += 1
    return messages


def first_error(output: str) -> str | None:
    """The text of the first error in coqtop output (markup removed), if any."""
    return next((m.text for m in parse_messages(clean_toplevel(output)) if m.severity is Severity.ERROR), None)
