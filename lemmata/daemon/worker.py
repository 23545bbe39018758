"""One worker process: claim a job, run it through the public API, write its outcome under the job's lease.

    python -m lemmata.daemon.worker --db PATH --name NAME [--lease SECONDS] [--sessions N]

Started by the supervisor in a process group of its own that dies with the
daemon; a thread renews the lease while the job runs, so a worker that hangs
(or dies) loses its job to another. The worker keeps up to N warm checker
sessions (``SessionPool``) between check jobs, takes first the queued jobs
one of them can run, and tells the store which it holds (the status page
shows them). Progress events are recorded for the
server-sent-events stream; prompts and completions are not (they can be large
and are the trace's business).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from typing import Any

from pydantic import TypeAdapter

from lemmata.daemon import jobs
from lemmata.daemon.store import Job, Store
from lemmata.verifiers.errors import LemmataError
from lemmata.verifiers.warm import SessionPool

FORWARDED = {"stage", "check", "smt", "sketch", "note", "result"}  # trace events a client sees
_REQUEST = TypeAdapter(jobs.JobRequest)
HEARTBEAT = 2.0  # seconds between an idle worker's reports
IDLE_POLL = 0.05  # seconds an idle worker waits before it looks at the queue again (a cheap indexed query)


def small(data: dict[str, Any]) -> dict[str, Any]:
    """An event's data without long texts (prompts, completions, whole proofs)."""
    return {k: (v[:300] + "…" if isinstance(v, str) and len(v) > 300 else v) for k, v in data.items()
            if not isinstance(v, (list, dict)) or len(str(v)) < 2000}


def outcome(request: dict[str, Any], emit: jobs.Emit, timeout: float, sessions: SessionPool | None) -> dict[str, Any]:
    """Run a stored request: {"status": "done", "result": ...} or {"status": "failed", "error": ...}."""
    try:
        result = jobs.run(_REQUEST.validate_python(request), emit, timeout, sessions)
        return {"status": "done", "result": result}
    except LemmataError as exc:
        return {"status": "failed", "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one job's bug must not take the worker down
        return {"status": "failed", "error": f"internal error: {type(exc).__name__}: {exc}"}


def run_one(store: Store, job: Job, lease_seconds: float, sessions: SessionPool | None = None) -> None:
    assert job.lease is not None
    lease = job.lease
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease_seconds / 3):
            if not store.renew(job.id, lease, lease_seconds):
                return  # requeued or cancelled under us: the supervisor ends this process

    def emit(kind: str, data: dict[str, Any]) -> None:
        if kind in FORWARDED:
            store.event(job.id, lease, kind, small(data))

    threading.Thread(target=renew, daemon=True, name="lease").start()
    try:
        done = outcome(job.request, emit, job.timeout, sessions)
        store.finish(job.id, lease, done["status"], result=done.get("result"), error=done.get("error"))
    finally:
        stop.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--lease", type=float, default=30.0)
    parser.add_argument("--sessions", type=int, default=4, help="warm checker sessions kept between jobs")
    args = parser.parse_args(argv)
    store = Store(args.db)
    pid = os.getpid()
    heard = 0.0
    with SessionPool(max(1, args.sessions)) as sessions:
        while True:
            if time.monotonic() - heard > HEARTBEAT:
                store.heartbeat(args.name, pid, None, sessions.describe())
                heard = time.monotonic()
            job = store.claim(args.name, args.lease, warm=sessions.keys())
            if job is None:
                time.sleep(IDLE_POLL)
                continue
            store.heartbeat(args.name, pid, job.id, sessions.describe())
            run_one(store, job, args.lease, sessions)
            heard = 0.0


if __name__ == "__main__":
    raise SystemExit(main())
