"""Busy time: the wall-clock seconds during which at least one piece of some kind of work was in progress.

A run samples from a model while it checks earlier samples; what a user needs
to know is how much of the wall clock the model server was busy, how much the
checker was, and how much neither (Lemmata's own overhead). Each is the union
of the intervals its pieces of work ran in, however many overlapped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Activity:
    """Counts work in progress; ``seconds()`` is the time with any in progress. ``parents`` see the same work."""

    def __init__(self, *parents: Activity) -> None:
        self.parents = parents
        self._running = 0
        self._since = 0.0
        self._total = 0.0
        self._lock = threading.Lock()

    def begin(self) -> None:
        with self._lock:
            if self._running == 0:
                self._since = time.monotonic()
            self._running += 1
        for parent in self.parents:
            parent.begin()

    def end(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                self._total += time.monotonic() - self._since
        for parent in self.parents:
            parent.end()

    @contextmanager
    def track(self) -> Iterator[None]:
        self.begin()
        try:
            yield
        finally:
            self.end()

    def seconds(self) -> float:
        with self._lock:
            return self._total + (time.monotonic() - self._since if self._running else 0.0)


__all__ = ["Activity"]
