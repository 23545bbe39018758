"""`lemmata serve`: one daemon per store file, its workers, and the HTTP API on uvicorn.

A lock on ``DB.lock`` keeps a second daemon off the same store (two
supervisors would each re-queue the other's jobs). Stopping (Ctrl-C, SIGTERM)
kills the workers and queues their jobs again; ``kill -9`` leaves them
``running``, and the next start queues them again: either way no accepted job
is lost, and each one's result is written once.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import uvicorn

from lemmata.daemon.app import create_app
from lemmata.daemon.settings import ServeSettings
from lemmata.daemon.store import Store
from lemmata.daemon.supervisor import Supervisor, Workers
from lemmata.prover.languages import language_named
from lemmata.prover.proving import prove_options
from lemmata.verifiers.errors import LemmataError
from lemmata.watcher import Keeper, open_project


def serve(settings: ServeSettings, *, watch: Path | None = None) -> None:
    """Run the daemon until it is stopped; raises ``LemmataError`` when the store is taken or the port is busy.

    ``watch``: a Coq project kept green alongside (as `lemmata watch`, writing patches), shown on the status page.
    """
    settings.db.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(f"{settings.db}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise LemmataError(f"another lemmata serve is using {settings.db}") from None
    store = Store(settings.db)
    keeper, stop = None, threading.Event()
    if watch is not None:  # before the workers start: they inherit the project's load path
        keeper = Keeper(open_project(watch), prove_options(language_named("coq")), write=False,
                        timeout=settings.default_job_seconds)
    supervisor = _workers(settings, store)
    try:
        supervisor.start()
    except BaseException:
        os.close(lock)
        raise
    if keeper is not None:
        threading.Thread(target=_keep, args=(keeper, stop), daemon=True, name="watch").start()
    try:
        config = uvicorn.Config(create_app(settings, store, supervisor, keeper), host=settings.host, port=settings.port,
                                log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            raise LemmataError(f"cannot listen on {settings.host}:{settings.port} (is the port in use?)")
    finally:
        stop.set()
        supervisor.stop()
        os.close(lock)


def _workers(settings: ServeSettings, store: Store) -> Workers:
    if settings.executor == "ray":
        from lemmata.daemon.ray_workers import RayWorkers

        return RayWorkers(settings, store, settings.ray_address)
    if settings.executor != "local":
        raise LemmataError(f"unknown executor {settings.executor!r}; use local or ray")
    return Supervisor(settings, store)


def _keep(keeper: Keeper, stop: threading.Event) -> None:
    keeper.check(keeper.project.files)
    keeper.watch(stop)


__all__ = ["serve"]
