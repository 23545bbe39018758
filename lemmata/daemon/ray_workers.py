"""``lemmata serve --executor ray``: jobs run in Ray actors on a cluster; the daemon stays the one coordinator.

The store, the leases and every decision stay in the daemon: one dispatcher
thread per worker slot claims a job, hands it to that slot's actor (a Ray
actor that keeps warm checker sessions between jobs, like a local worker),
renews the lease while it runs, copies its progress events into the store, and
writes its outcome once. An actor that dies is replaced and its job queued
again; one that runs past the job's limit, or whose job is cancelled, is
killed and replaced. Nothing on the cluster writes to the store, so the
cluster's nodes need no access to the daemon's disk.

``--address``: the cluster to join (``ray start --head`` prints it); without
it the daemon starts a local Ray instance and stops it when it stops.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from lemmata.daemon.settings import ServeSettings
from lemmata.daemon.store import Job, Store
from lemmata.daemon.supervisor import GRACE, requeue_orphans
from lemmata.daemon.worker import HEARTBEAT, IDLE_POLL, outcome
from lemmata.benchmarks.executors import init_ray

POLL = 0.25  # seconds between looks at a running job (events, cancel, limit)


class JobActor:
    """Runs one job at a time (``run``) while the coordinator drains its progress events (``drain``)."""

    def __init__(self, sessions: int) -> None:
        import os

        from lemmata.verifiers.warm import SessionPool

        self.pool = SessionPool(max(1, sessions))
        self.pid = os.getpid()
        self._events: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        from lemmata.daemon.worker import FORWARDED, small

        if kind in FORWARDED:
            with self._lock:
                self._events.append((kind, small(data)))

    def run(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """{"status", "result" | "error", "sessions": the open sessions, "keys": their keys}."""
        done = outcome(request, self._emit, timeout, self.pool)
        return {**done, "sessions": self.pool.describe(), "keys": self.pool.keys()}

    def drain(self) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            events, self._events = self._events, []
        return events

    def info(self) -> dict[str, Any]:
        return {"pid": self.pid}


@dataclass
class _Slot:
    name: str
    actor: Any = None
    pid: int = 0
    keys: list[str] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)


class RayWorkers:
    """The Ray counterpart of ``Supervisor``: same store, same leases, same outcomes."""

    def __init__(self, settings: ServeSettings, store: Store, address: str | None = None) -> None:
        self.ray: Any = None
        self.settings = settings
        self.store = store
        self.address = address
        self.slots = [_Slot(f"ray{i}") for i in range(settings.workers)]
        self.replaced = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._actor_class: Any = None

    def start(self) -> None:
        self.ray = init_ray(self.address)
        self._actor_class = self.ray.remote(num_cpus=1, max_restarts=0, max_concurrency=2,
                                            runtime_env={"env_vars": self.settings.worker_env()})(JobActor)
        requeue_orphans(self.store, self.settings)
        for slot in self.slots:
            self._spawn(slot)
            thread = threading.Thread(target=self._serve, args=(slot,), daemon=True, name=slot.name)
            thread.start()
            self._threads.append(thread)

    def _spawn(self, slot: _Slot) -> None:
        slot.actor = self._actor_class.remote(self.settings.warm_sessions)
        slot.keys, slot.sessions = [], []
        try:
            slot.pid = self.ray.get(slot.actor.info.remote(), timeout=120)["pid"]
        except self.ray.exceptions.RayError:
            slot.pid = 0

    def _replace(self, slot: _Slot) -> None:
        try:
            self.ray.kill(slot.actor, no_restart=True)
        except (self.ray.exceptions.RayError, ValueError):
            pass
        self.replaced += 1
        if not self._stop.is_set():
            self._spawn(slot)

    def alive(self) -> int:
        return sum(1 for slot in self.slots if slot.pid)

    def _serve(self, slot: _Slot) -> None:
        heard = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() - heard > HEARTBEAT:
                    self.store.heartbeat(slot.name, slot.pid, None, slot.sessions)
                    heard = time.monotonic()
                job = self.store.claim(slot.name, self.settings.lease_seconds, warm=slot.keys)
                if job is None:
                    self._stop.wait(IDLE_POLL)
                    continue
                self.store.heartbeat(slot.name, slot.pid, job.id, slot.sessions)
                self._run(slot, job)
                heard = 0.0
            except Exception:  # noqa: BLE001 - a dispatcher must outlive a locked database or a cluster hiccup
                self._stop.wait(1.0)

    def _run(self, slot: _Slot, job: Job) -> None:
        ray, lease = self.ray, job.lease
        assert lease is not None
        ref = slot.actor.run.remote(job.request, job.timeout)
        renewed = time.monotonic()
        while True:
            ready, _ = ray.wait([ref], timeout=POLL)
            self._copy_events(slot, job.id, lease)
            if ready:
                break
            if time.monotonic() - renewed > self.settings.lease_seconds / 3:
                self.store.renew(job.id, lease, self.settings.lease_seconds)
                renewed = time.monotonic()
            current = self.store.get(job.id)
            if current is None or current.status != "running" or current.lease != lease:
                self._replace(slot)  # taken from us (the daemon is stopping): the actor must not go on
                return
            if current.cancel_requested:
                self._replace(slot)
                self.store.finish(job.id, lease, "cancelled")
                return
            if self._stop.is_set():
                return  # stop() queues it again
            if job.started is not None and time.time() > job.started + job.timeout + GRACE:
                self._replace(slot)
                self.store.finish(job.id, lease, "failed", error=f"ran past its time limit of {job.timeout:g} s")
                return
        try:
            done = ray.get(ref)
        except ray.exceptions.RayError as exc:  # the actor died: out of memory, a crash, its node lost
            self._replace(slot)
            self.store.requeue(job.id, f"its Ray actor died ({type(exc).__name__})", self.settings.max_attempts)
            return
        slot.keys, slot.sessions = done.pop("keys"), done.pop("sessions")
        self.store.finish(job.id, lease, done["status"], result=done.get("result"), error=done.get("error"))

    def _copy_events(self, slot: _Slot, job_id: str, lease: str) -> None:
        try:
            events = self.ray.get(slot.actor.drain.remote(), timeout=10)
        except self.ray.exceptions.RayError:
            return  # the actor is gone; the job's outcome says so
        for kind, data in events:
            self.store.event(job_id, lease, kind, data)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)
        for slot in self.slots:
            try:
                self.ray.kill(slot.actor, no_restart=True)
            except (self.ray.exceptions.RayError, ValueError):
                pass
        for job in self.store.running():
            self.store.requeue(job.id, "the daemon stopped while it ran", self.settings.max_attempts + 1)
        self.ray.shutdown()


__all__ = ["JobActor", "RayWorkers"]
