"""F*'s JSON IDE protocol (``fstar.exe --ide FILE``): requests, the lines F* answers with, issues as diagnostics.

One JSON object a line each way. F* first prints ``protocol-info``; each
request carries a ``query-id`` and is answered by ``"kind": "message"`` lines
(levels ``info``, ``error``, ``proof-state``, ...) and then a ``"kind":
"response"`` with ``status`` ``success``, ``failure`` or
``protocol-violation``. A push's ``response`` is a list of issues (``level``,
``message``, ``number``, ``ranges`` of ``beg``/``end`` ``[line, column]``
pairs, lines 1-based, columns 0-based, and the file each lies in); other
queries answer null, a string or an object. A ``full-buffer`` request is
answered per declaration with sub-ids (``2.2``, ``2.4``, ...): those belong to
request ``2``, and F* recorded with its own test suite sends no response with
the bare id, so a reader must not wait for one. Built against F*'s recorded
transcripts (``../shared/fixtures/fstar-ide``); no F* ran here.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lemmata.verifiers.result import Diagnostic, Severity, Span

_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
# F* names the pushed text "<input>" in some versions, the file itself in others.
INPUT_NAMES = ("<input>",)


class ProtocolError(ValueError):
    """A line that is not a message of F*'s IDE protocol."""


class Range(BaseModel):
    beg: tuple[int, int]
    end: tuple[int, int]
    fname: str = ""

    def span(self) -> Span:
        """1-based lines and columns (F*'s columns count from 0), end column exclusive."""
        return Span(line=self.beg[0], column=self.beg[1] + 1, end_line=self.end[0], end_column=self.end[1] + 1)


class Issue(BaseModel):
    """One error, warning or note F* reports for a request."""

    level: str
    message: str
    number: int | None = None
    ranges: list[Range] = Field(default_factory=list)

    def text(self) -> str:
        """The message without F*'s ``- `` bullets: one line per bullet."""
        lines = [re.sub(r"^- ", "", line) for line in self.message.strip().splitlines()]
        return "\n".join(line for line in lines if line.strip())

    def diagnostic(self, filename: str) -> Diagnostic:
        """As a common diagnostic of ``filename``: a range in another file (a library) is named in the message."""
        here = next((r for r in self.ranges if r.fname == filename or r.fname in INPUT_NAMES
                     or r.fname.lower() == filename.lower()), None)
        message = self.text()
        if here is None and self.ranges:
            elsewhere = self.ranges[0]
            message += f"\n(at {elsewhere.fname}:{elsewhere.beg[0]}:{elsewhere.beg[1] + 1})"
        return Diagnostic(severity=_SEVERITY.get(self.level, Severity.ERROR), message=message,
                          span=here.span() if here else None)


class ProtocolInfo(BaseModel):
    kind: Literal["protocol-info"]
    version: int | None = None
    features: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="allow")


class Message(BaseModel):
    """A progress, info, error or proof-state message sent while a request runs."""

    kind: Literal["message"]
    query_id: str = Field(alias="query-id")
    level: str
    contents: Any = None

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class Response(BaseModel):
    """The answer to a request (or, for ``full-buffer``, to one of its declarations)."""

    kind: Literal["response"]
    query_id: str = Field(alias="query-id")
    status: Literal["success", "failure", "protocol-violation"]
    response: Any = None

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    @property
    def request_id(self) -> str:
        """The id of the request this answers: ``2`` for ``2`` and for a full-buffer's ``2.4``."""
        return self.query_id.split(".", 1)[0]

    def issues(self) -> list[Issue]:
        if not isinstance(self.response, list):
            return []
        return [Issue.model_validate(item) for item in self.response if isinstance(item, dict) and "level" in item]


Answer = ProtocolInfo | Message | Response


def request(query_id: str, query: str, **args: Any) -> str:
    """One request line. Argument names are F*'s (``to-position``, ``requested-info``): pass them in ``args``."""
    return json.dumps({"query-id": query_id, "query": query, "args": args}) + "\n"


def push(query_id: str, code: str, line: int, column: int = 0, *, kind: str = "full") -> str:
    """Check ``code`` as the next fragment, placed at ``line``/``column`` (1-based line) of the file."""
    return request(query_id, "push", kind=kind, code=code, line=line, column=column)


def full_buffer(query_id: str, code: str, *, kind: str = "full", to: tuple[int, int] | None = None) -> str:
    """Check the whole buffer incrementally (F* re-checks only what changed); ``to``: stop at that position."""
    args: dict[str, Any] = {"kind": "verify-to-position" if to else kind, "with-symbols": False, "code": code,
                            "line": 0, "column": 0}
    if to:
        args["to-position"] = {"line": to[0], "column": to[1]}
    return request(query_id, "full-buffer", **args)


def decode(line: str | bytes) -> Answer:
    """One line F* printed; raises ``ProtocolError`` for anything else."""
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"not JSON: {str(line)[:120]!r} ({exc})") from None
    kind = data.get("kind") if isinstance(data, dict) else None
    model = {"protocol-info": ProtocolInfo, "message": Message, "response": Response}.get(kind)
    if model is None:
        raise ProtocolError(f"not an IDE message (kind {kind!r}): {str(line)[:120]!r}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ProtocolError(f"malformed {kind}: {exc.errors()[0]['msg']}") from None


__all__ = ["Answer", "INPUT_NAMES", "Issue", "Message", "ProtocolError", "ProtocolInfo", "Range", "Response",
           "decode", "full_buffer", "push", "request"]
