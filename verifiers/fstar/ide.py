"""One ``fstar.exe --ide FILE`` process: send a request, collect what F* answers for it, never wait past a deadline.

F* reads one JSON request a line and answers each with ``message`` lines and
a ``response`` carrying the request's id. A ``full-buffer`` request is
answered declaration by declaration under sub-ids (``2.2``, ``2.4``, ...) and
F*'s recorded transcripts show no final answer with the request's own id, so
the client sends a barrier after it: a query F* does not know, which F*
answers with a ``protocol-violation`` response once everything queued before
it is done. A request that runs past its deadline cannot be interrupted
reliably, so the process is killed with its whole group and ``IdeTimeout``
raised; the object can then be started again (``generation`` counts starts).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lemmata.verifiers.fstar.interface import (Issue, Message, ProtocolError, ProtocolInfo, Response, decode,
                                               full_buffer, push, request)
from lemmata.verifiers.process import PipedTool, ToolDied, ToolTimeout

BARRIER = "lemmata-barrier"  # no F* query has this name: F* answers it as a protocol violation
MAX_LINE = 64 * 1024 * 1024  # one answer line; F* prints a whole proof state on one line


class IdeTimeout(Exception):
    pass


class IdeDied(Exception):
    pass


@dataclass
class Reply:
    """Everything F* sent for one request: its messages and its response(s) (several for ``full-buffer``)."""

    query_id: str
    messages: list[Message] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def response(self) -> Response:
        return self.responses[-1]

    @property
    def ok(self) -> bool:
        """F* accepted the request: every response succeeded, and no response or message carries an error
        (a ``peek`` answers ``success`` with its errors in the response)."""
        return bool(self.responses) and all(r.status == "success" for r in self.responses) and \
            not any(issue.level == "error" for issue in self.issues()) and \
            not any(m.level == "error" for m in self.messages)

    def issues(self) -> list[Issue]:
        return [issue for response in self.responses for issue in response.issues()]

    def proof_states(self) -> list[dict[str, Any]]:
        return [m.contents for m in self.messages if m.level == "proof-state" and isinstance(m.contents, dict)]


class FStarIde:
    """``fstar.exe --ide FILE`` in ``cwd``; ``FILE`` must exist there (F* reads its dependencies from it)."""

    def __init__(self, argv: list[str], *, cwd: Path, memory_mb: int | None = None,
                 env: dict[str, str] | None = None) -> None:
        self._tool = PipedTool(argv, cwd=cwd, memory_mb=memory_mb, env=env, merge_stderr=False)
        self.protocol: ProtocolInfo | None = None
        self.generation = 0
        self._next_id = 0

    @property
    def alive(self) -> bool:
        return self._tool.alive

    def start(self, timeout: float) -> ProtocolInfo:
        """Start F* and read its ``protocol-info`` line."""
        self._tool.start()
        self.generation += 1
        self._next_id = 0
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read(deadline)
            if isinstance(answer, ProtocolInfo):
                self.protocol = answer
                return answer

    def _read(self, deadline: float):
        try:
            line = self._tool.read_until(b"\n", deadline)
        except ToolTimeout:
            self._tool.close()
            raise IdeTimeout("F* did not answer in time; it was stopped") from None
        except ToolDied:
            said = self._tool.stderr_tail()
            raise IdeDied("F* exited" + (f"; it said: {said[-600:]}" if said else "")) from None
        if len(line) > MAX_LINE:
            self._tool.close()
            raise IdeDied(f"F* sent a {len(line):,}-byte line; stopped")
        if not line.strip():
            return None
        try:
            return decode(line)
        except ProtocolError:
            # F* prints some things outside the protocol (a Z3 warning, a debug line): not an answer
            return None

    def _id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def query(self, name: str, timeout: float, **args: Any) -> Reply:
        """One request; its reply when F* sends the response with its id."""
        query_id = self._id()
        return self._exchange(request(query_id, name, **args), query_id, time.monotonic() + timeout)

    def push(self, code: str, line: int, column: int = 0, *, kind: str = "full", timeout: float) -> Reply:
        """Check ``code`` as the next fragment of the file, starting at ``line`` (1-based) and ``column``."""
        query_id = self._id()
        return self._exchange(push(query_id, code, line, column, kind=kind), query_id, time.monotonic() + timeout)

    def pop(self, timeout: float) -> Reply:
        """Undo the last successful push."""
        return self.query("pop", timeout)

    def vfs_add(self, filename: str | None, contents: str, timeout: float) -> Reply:
        """Tell F* the contents of ``filename`` (None: the file being edited) instead of what is on disk."""
        return self.query("vfs-add", timeout, filename=filename, contents=contents)

    def lookup(self, symbol: str, *, timeout: float, filename: str = "", line: int = 1, column: int = 0,
               info: tuple[str, ...] = ("type", "defined-at", "documentation")) -> Reply:
        """What F* knows of ``symbol`` at a position: its type, where it is defined, its documentation."""
        return self.query("lookup", timeout, context="code", symbol=symbol, **{"requested-info": list(info)},
                          location={"filename": filename, "line": line, "column": column})

    def full_buffer(self, code: str, *, kind: str = "full", to: tuple[int, int] | None = None,
                    timeout: float) -> Reply:
        """Check the whole buffer; F* re-checks only the declarations that changed since the last one."""
        query_id = self._id()
        barrier = self._id()
        deadline = time.monotonic() + timeout
        self._write(full_buffer(query_id, code, kind=kind, to=to) + request(barrier, BARRIER))
        reply = self._collect(query_id, deadline, until=barrier)
        return reply

    def _write(self, data: str) -> None:
        if not self.alive:
            raise IdeDied("F* is not running")
        try:
            self._tool.write(data.encode("utf-8"))
        except ToolDied:
            raise IdeDied("F* closed its input") from None

    def _exchange(self, line: str, query_id: str, deadline: float) -> Reply:
        self._write(line)
        return self._collect(query_id, deadline, until=query_id)

    def _collect(self, query_id: str, deadline: float, *, until: str) -> Reply:
        started = time.monotonic()
        reply = Reply(query_id)
        while True:
            answer = self._read(deadline)
            if isinstance(answer, Message) and answer.query_id.split(".", 1)[0] == query_id:
                reply.messages.append(answer)
            elif isinstance(answer, Response):
                if answer.query_id == until and until != query_id:
                    break  # the barrier: everything for the request has come
                if answer.request_id == query_id:
                    reply.responses.append(answer)
                    if answer.query_id == until:
                        break
        reply.seconds = time.monotonic() - started
        return reply

    def close(self) -> None:
        self._tool.close()


__all__ = ["BARRIER", "FStarIde", "IdeDied", "IdeTimeout", "Reply"]
