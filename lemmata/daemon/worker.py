"""One worker process: claim a job, run it through the public API, write its outcome under the job's lease.

    python -m lemmata.daemon.worker --db PATH --name NAME [--lease SECONDS]

Started by the supervisor in a process group of its own that dies with the
daemon; a thread renews the lease while the job runs, so a worker that hangs
(or dies) loses its job to another. Progress events are recorded for the
server-sent-events stream; prompts and completions are not (they can be large
and are the trace's business).
"""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

from pydantic import TypeAdapter

from lemmata.daemon import jobs
from lemmata.daemon.store import Job, Store
from lemmata.verifiers.errors import LemmataError

FORWARDED = {"stage", "check", "smt", "sketch", "note", "result"}  # trace events a client sees
_REQUEST = TypeAdapter(jobs.JobRequest)


def _small(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v[:300] + "…" if isinstance(v, str) and len(v) > 300 else v) for k, v in data.items()
            if not isinstance(v, (list, dict)) or len(str(v)) < 2000}


def run_one(store: Store, job: Job, lease_seconds: float) -> None:
    assert job.lease is not None
    lease = job.lease
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease_seconds / 3):
            if not store.renew(job.id, lease, lease_seconds):
                return  # requeued or cancelled under us: the supervisor ends this process

    threading.Thread(target=renew, daemon=True, name="lease").start()
    try:
        request = _REQUEST.validate_python(job.request)
        result = jobs.run(request, lambda kind, data: kind in FORWARDED and store.event(job.id, lease, kind, _small(data)),
                          job.timeout)
        store.finish(job.id, lease, "done", result=result)
    except LemmataError as exc:
        store.finish(job.id, lease, "failed", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one job's bug must not take the worker down
        store.finish(job.id, lease, "failed", error=f"internal error: {type(exc).__name__}: {exc}")
    finally:
        stop.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--lease", type=float, default=30.0)
    args = parser.parse_args(argv)
    store = Store(args.db)
    while True:
        job = store.claim(args.name, args.lease)
        if job is None:
            time.sleep(0.2)
            continue
        run_one(store, job, args.lease)


if __name__ == "__main__":
    raise SystemExit(main())
