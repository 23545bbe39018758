"""The record of a run: every prompt, completion, check and stage, as JSON Lines.

The same events feed the CLI's live progress, so what the user watches and
what ``--trace`` keeps are one stream.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]


class Trace:
    def __init__(self, path: Path | None = None, listener: Listener | None = None) -> None:
        self.path = path
        self.listener = listener
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._file = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")

    def emit(self, kind: str, **data: Any) -> None:
        with self._lock:
            if self._file is not None:
                event = {"t": round(time.monotonic() - self.started, 4), "event": kind, **data}
                self._file.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
                self._file.flush()
        if self.listener is not None:
            self.listener(kind, data)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


__all__ = ["Listener", "Trace"]
