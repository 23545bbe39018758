"""A pool of Lean REPL processes keyed by header.

Elaborating ``import Mathlib`` takes seconds and gigabytes; a REPL that has
done it keeps the resulting environment, and every later command with the same
header starts from that environment's id. So a lease goes to an idle process
that already holds the header when there is one; otherwise to a fresh process
while the pool has room; otherwise the least recently used idle process
elaborates the new header. A process is replaced after ``max_commands``
commands or when its resident memory passes ``memory_mb`` (Lean's memory only
grows), and whenever a command timed out or it died.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from lemmata.verifiers.lean.config import LeanConfig
from lemmata.verifiers.lean.interface import CommandResponse, command
from lemmata.verifiers.lean.repl import LeanRepl


class HeaderError(Exception):
    """The header itself does not elaborate."""


@dataclass
class _Slot:
    repl: LeanRepl
    envs: dict[str, int] = field(default_factory=dict)  # header -> env id, valid for repl.generation
    generation: int = 0
    busy: bool = False
    last_used: float = 0.0


@dataclass
class Lease:
    repl: LeanRepl
    env: int  # the header's environment


class ReplPool:
    def __init__(self, config: LeanConfig, factory: Callable[[LeanConfig], LeanRepl] = LeanRepl) -> None:
        self.config = config
        self.factory = factory
        self._slots: list[_Slot] = []
        self._changed = threading.Condition()
        self.header_elaborations = 0

    @contextmanager
    def lease(self, header: str) -> Iterator[Lease]:
        slot = self._take(header)
        try:
            env = self._header_env(slot, header)
            yield Lease(slot.repl, env)
        finally:
            self._give_back(slot)

    def _take(self, header: str) -> _Slot:
        with self._changed:
            while True:
                idle = [s for s in self._slots if not s.busy]
                holding = [s for s in idle if header in s.envs and s.generation == s.repl.generation]
                if holding:
                    slot = holding[0]
                elif len(self._slots) < self.config.pool_size:
                    slot = _Slot(self.factory(self.config))
                    self._slots.append(slot)
                elif idle:
                    slot = min(idle, key=lambda s: s.last_used)
                else:
                    self._changed.wait()
                    continue
                slot.busy = True
                return slot

    def _header_env(self, slot: _Slot, header: str) -> int:
        if slot.generation != slot.repl.generation or not slot.repl.alive:
            slot.envs.clear()
        if header in slot.envs:
            return slot.envs[header]
        answer = slot.repl.send(command(header), self.config.startup_timeout)
        slot.generation = slot.repl.generation
        self.header_elaborations += 1
        if not isinstance(answer, CommandResponse):
            raise HeaderError(f"the Lean REPL refused the header: {answer.message}")
        if answer.errors():
            raise HeaderError(f"the header does not elaborate: {answer.errors()[0].data}")
        slot.envs[header] = answer.env
        return answer.env

    def _give_back(self, slot: _Slot) -> None:
        repl = slot.repl
        if repl.alive and (repl.commands >= self.config.max_commands or repl.resident_mb() > self.config.memory_mb):
            repl.close()  # the next lease restarts it and elaborates its header again
        if not repl.alive:
            slot.envs.clear()
        with self._changed:
            slot.busy = False
            slot.last_used = time.monotonic()
            self._changed.notify()

    def close(self) -> None:
        with self._changed:
            for slot in self._slots:
                slot.repl.close()
            self._slots.clear()


__all__ = ["HeaderError", "Lease", "ReplPool"]
