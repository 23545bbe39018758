"""Live progress of a proving run in the terminal, fed by the agent's trace events."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.status import Status


class Progress:
    """One status line: stage, samples and checks spent, the best attempt so far."""

    def __init__(self, console: Console, theorem: str, max_samples: int) -> None:
        self.console = console
        self.theorem = theorem
        self.max_samples = max_samples
        self.stage = "starting"
        self.samples = 0
        self.checks = 0
        self.best = ""
        self.started = time.monotonic()
        self._status: Status | None = None

    def __enter__(self) -> Progress:
        if self.console.is_terminal:
            self._status = self.console.status(self._text())
            self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()

    def _text(self) -> str:
        best = f" | best: {self.best}" if self.best else ""
        return (f"{self.theorem}: {self.stage} | samples {self.samples}/{self.max_samples} | checks {self.checks}"
                f"{best} | {time.monotonic() - self.started:.0f} s")

    def __call__(self, kind: str, data: dict[str, Any]) -> None:
        if kind == "stage":
            self.stage = data["stage"]
        elif kind == "check":
            self.checks += 1
        elif kind == "completion":
            self.samples = data.get("samples_used", self.samples)
        elif kind == "best":
            self.best = data["summary"]
        if self._status is not None:
            self._status.update(self._text())


__all__ = ["Progress"]
