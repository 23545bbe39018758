"""Where benchmark jobs run: local child processes (default) or Ray tasks across a cluster.

Both take jobs and yield ``(job, record)`` as jobs finish, in any order. Each
local job runs in a child process of its own, so a job that crashes its
process (a segfault, the kernel's OOM killer) costs that job only: it comes
back as an ``error`` record and the run goes on. Interrupting the run stops
the children (they close their checkers on the way out) or cancels the Ray
tasks.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from lemmata.benchmarks.worker import Job, crashed, run_job


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so the job's checker session closes


def _child(runner: Callable[[Job], dict], job: Job, conn: Connection) -> None:
    # Ctrl-C reaches the whole process group; only the parent acts on it (it stops the children with SIGTERM).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    conn.send(runner(job))
    conn.close()


class LocalExecutor:
    def __init__(self, workers: int = 1, runner: Callable[[Job], dict] = run_job) -> None:
        self.workers = max(1, workers)
        self.runner = runner  # a module-level function: the spawned child imports it
        self._context = multiprocessing.get_context("spawn")  # no inherited threads or locks from the parent

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, dict]]:
        queue = list(jobs)
        running: dict[object, tuple[Job, multiprocessing.Process, Connection]] = {}
        try:
            while queue or running:
                while queue and len(running) < self.workers:
                    job = queue.pop(0)
                    receive, send = self._context.Pipe(duplex=False)
                    process = self._context.Process(target=_child, args=(self.runner, job, send), daemon=True,
                                                    name=f"lemmata-bench-{job.problem}")
                    # The child starts with SIGINT blocked (the mask survives exec), so a Ctrl-C to the whole
                    # process group reaches only this parent, even while the child is still importing. Blocked,
                    # not ignored, here too: a Ctrl-C that lands during start() is held and delivered just after.
                    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                    try:
                        process.start()
                    finally:
                        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                    send.close()
                    running[process.sentinel] = (job, process, receive)
                for ready in wait(list(running)):
                    job, process, receive = running.pop(ready)
                    record = None
                    if receive.poll():
                        try:
                            record = receive.recv()
                        except (EOFError, OSError):
                            record = None
                    process.join()
                    receive.close()
                    if record is None:
                        record = crashed(job, f"the worker process died (exit code {process.exitcode})")
                    yield job, record
        finally:
            for _, process, receive in running.values():
                process.terminate()  # SIGTERM: the child unwinds and closes its checker
            for _, process, receive in running.values():
                process.join(timeout=10)
                if process.is_alive():
                    process.kill()
                receive.close()

    def close(self) -> None:
        pass


def init_ray(address: str | None):
    """Join the Ray cluster at ``address``, or start a local one listening on loopback only; returns ``ray``.

    Raises ``InputError`` when Ray is not installed or the cluster cannot be reached.
    """
    from lemmata.verifiers.errors import InputError

    if address and "RAY_AUTH_MODE" not in os.environ and (Path.home() / ".ray" / "auth_token").exists():
        # Ray 2.6x sends the token it keeps in ~/.ray/auth_token when joining address="auto" but not
        # when joining an explicit address, so a cluster started after any local Ray refuses the driver.
        # (Read when Ray is imported: set before.)
        os.environ["RAY_AUTH_MODE"] = "token"
    try:
        import ray
    except ImportError:
        raise InputError("--executor ray needs Ray: pip install 'lemmata[distributed]'") from None
    local = {} if address else {"_node_ip_address": "127.0.0.1"}
    try:
        ray.init(address=address, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False,
                 configure_logging=False, **local)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise InputError(f"cannot join the Ray cluster at {address or '(local)'}: {exc}") from None
    return ray


class RayExecutor:
    def __init__(self, address: str | None = None, workers: int = 2) -> None:
        self.ray = ray = init_ray(address)
        self.workers = max(1, workers)
        self._remote = ray.remote(max_retries=0)(run_job)

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, dict]]:
        ray = self.ray
        queue = list(jobs)
        pending: dict[object, Job] = {}
        try:
            while queue or pending:
                while queue and len(pending) < self.workers:
                    job = queue.pop(0)
                    pending[self._remote.remote(job)] = job
                done, _ = ray.wait(list(pending), num_returns=1)
                for ref in done:
                    job = pending.pop(ref)
                    try:
                        record = ray.get(ref)
                    except ray.exceptions.RayError as exc:
                        record = crashed(job, f"the Ray task failed: {type(exc).__name__}: {str(exc)[:300]}")
                    yield job, record
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)

    def close(self) -> None:
        self.ray.shutdown()


__all__ = ["LocalExecutor", "RayExecutor", "init_ray"]
