"""The daemon's workers: started, watched and replaced; time limits, cancels and lost leases enforced.

Each worker is a process of its own (``lemmata.daemon.worker``) in its own
process group, killed with everything it started (checkers, solvers) when it
must go, and dying with the daemon however the daemon dies. At start every job
a previous daemon left ``running`` is queued again: its workers died with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

from lemmata.daemon.settings import ServeSettings
from lemmata.daemon.store import Store
from lemmata.verifiers.process import kill_group, limit_resources

GRACE = 5.0  # seconds past its time limit before a job's worker is killed


class Workers(Protocol):
    """What runs the daemon's jobs: local worker processes (``Supervisor``) or Ray actors (``RayWorkers``)."""

    replaced: int  # workers replaced because they died, hung or ran past a job's limit

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def alive(self) -> int: ...


def requeue_orphans(store: Store, settings: ServeSettings) -> None:
    """At start, every job a previous daemon left ``running`` is queued again: its workers died with it."""
    for job in store.running():
        store.requeue(job.id, "the daemon restarted while it ran", settings.max_attempts)


@dataclass
class Slot:
    name: str
    proc: subprocess.Popen | None = None
    started: float = field(default_factory=time.time)
    restarts: int = 0


class Supervisor:
    def __init__(self, settings: ServeSettings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.slots = [Slot(f"w{i}") for i in range(settings.workers)]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.replaced = 0  # workers replaced because they died, hung or ran past a job's limit

    def start(self) -> None:
        requeue_orphans(self.store, self.settings)
        for slot in self.slots:
            self._spawn(slot)
        self._thread = threading.Thread(target=self._watch, daemon=True, name="supervisor")
        self._thread.start()

    def alive(self) -> int:
        return sum(1 for s in self.slots if s.proc is not None and s.proc.poll() is None)

    def _spawn(self, slot: Slot) -> None:
        argv = [sys.executable, "-m", "lemmata.daemon.worker", "--db", str(self.settings.db), "--name", slot.name,
                "--lease", str(self.settings.lease_seconds), "--sessions", str(self.settings.warm_sessions)]
        slot.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True,
                                     env={**os.environ, **self.settings.worker_env()},
                                     preexec_fn=limit_resources(self.settings.worker_memory_mb))
        slot.started = time.time()

    def _replace(self, slot: Slot) -> None:
        if slot.proc is not None:
            kill_group(slot.proc)
        slot.restarts += 1
        self.replaced += 1
        if not self._stop.is_set():
            self._spawn(slot)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            try:
                self.check_once()
            except Exception:  # noqa: BLE001 - the watcher must outlive a locked database or a bad row
                continue

    def check_once(self) -> None:
        by_name = {s.name: s for s in self.slots}
        now = time.time()
        for slot in self.slots:
            if slot.proc is not None and slot.proc.poll() is not None:
                for job in self.store.running():
                    if job.worker == slot.name:
                        self.store.requeue(job.id, "its worker died", self.settings.max_attempts)
                self._replace(slot)
        for job in self.store.running():
            slot = by_name.get(job.worker or "")
            if job.cancel_requested:
                if slot is not None:
                    self._replace(slot)
                self.store.finish(job.id, None, "cancelled")
            elif job.started is not None and now > job.started + job.timeout + GRACE:
                if slot is not None:
                    self._replace(slot)
                self.store.finish(job.id, None, "failed", error=f"ran past its time limit of {job.timeout:g} s")
        for job in self.store.expired(now):
            slot = by_name.get(job.worker or "")
            if slot is not None:
                self._replace(slot)  # alive but silent: hung hard
            self.store.requeue(job.id, "its worker stopped answering", self.settings.max_attempts)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for slot in self.slots:
            if slot.proc is not None:
                kill_group(slot.proc)
        for job in self.store.running():
            self.store.requeue(job.id, "the daemon stopped while it ran", self.settings.max_attempts + 1)


__all__ = ["GRACE", "Supervisor", "Workers", "requeue_orphans"]
