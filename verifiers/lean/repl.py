"""One Lean REPL process: send a request, read its response, and never wait past a deadline.

A command that runs past its timeout cannot be interrupted through the
protocol, so the process is killed (with its whole group) and the caller gets
``ReplTimeout``; a process that dies mid-command gives ``ReplDied``. Either way
the object can be started again, with fresh environments: ids from the dead
process mean nothing to the new one, which is why ``generation`` counts starts.
"""

from __future__ import annotations

import time

from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.lean.interface import Response, decode, encode
from lemmata.verifiers.process import PipedTool, ToolDied, ToolTimeout, resident_mb


class ReplTimeout(Exception):
    pass


class ReplDied(Exception):
    pass


class ReplProtocolError(Exception):
    """The process answered something that is not a REPL response."""


class LeanRepl:
    def __init__(self, config: LeanConfig) -> None:
        self.config = config
        # No address-space cap: Lean maps Mathlib's .olean files (gigabytes) into memory. The pool
        # replaces a process whose resident size passes config.memory_mb instead.
        # stderr apart: a multi-line warning there must not shift the blank-line framing of the answers
        self._tool = PipedTool(config.command, cwd=config.project, env=config.env or None, merge_stderr=False)
        self.commands = 0
        self.generation = 0

    @property
    def alive(self) -> bool:
        return self._tool.alive

    def start(self) -> None:
        self._tool.start()
        self.commands = 0
        self.generation += 1

    def send(self, request: dict, timeout: float) -> Response:
        if not self.alive:
            self.start()
        deadline = time.monotonic() + timeout
        try:
            self._tool.write(encode(request))
            while True:
                chunk = self._tool.read_until(b"\n\n", deadline).decode("utf-8", "replace")
                if chunk.strip():
                    break
        except ToolTimeout:
            self._tool.close()
            raise ReplTimeout(f"no answer within {timeout:g} s") from None
        except ToolDied:
            said = self._tool.stderr_tail()
            raise ReplDied("the Lean REPL exited" + (f"; it said: {said[-500:]}" if said else "")) from None
        self.commands += 1
        text = chunk.strip()
        if not text.startswith("{"):  # a tool's stray line (lake's warnings) before the JSON
            brace = text.find("\n{")
            text = text[brace + 1:] if brace >= 0 else text
        try:
            return decode(text)
        except ValueError as exc:
            self._tool.close()
            raise ReplProtocolError(f"not a REPL response ({exc}): {text[:300]}") from None

    def resident_mb(self) -> float:
        proc = self._tool.proc
        return resident_mb(proc.pid) if proc is not None else 0.0

    def close(self) -> None:
        self._tool.close()


__all__ = ["LeanRepl", "ReplDied", "ReplProtocolError", "ReplTimeout"]
