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

import uvicorn

from lemmata.daemon.app import create_app
from lemmata.daemon.settings import ServeSettings
from lemmata.daemon.store import Store
from lemmata.daemon.supervisor import Supervisor
from lemmata.verifiers.errors import LemmataError


def serve(settings: ServeSettings) -> None:
    """Run the daemon until it is stopped; raises ``LemmataError`` when the store is taken or the port is busy."""
    settings.db.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(f"{settings.db}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(lock)
        raise LemmataError(f"another lemmata serve is using {settings.db}") from None
    store = Store(settings.db)
    supervisor = Supervisor(settings, store)
    supervisor.start()
    try:
        config = uvicorn.Config(create_app(settings, store, supervisor), host=settings.host, port=settings.port,
                                log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            raise LemmataError(f"cannot listen on {settings.host}:{settings.port} (is the port in use?)")
    finally:
        supervisor.stop()
        os.close(lock)


__all__ = ["serve"]
