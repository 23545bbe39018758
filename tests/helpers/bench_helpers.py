"""Job runners for executor tests; importable by the spawned worker processes."""

import os

from lemmata.benchmarks.worker import Job


def crash_on_second(job: Job) -> dict:
    if job.problem == "second":
        os._exit(3)  # what a segfault or the OOM killer looks like from outside: no answer, an exit code
    return {"problem": job.problem, "suite": job.suite, "split": job.split, "attempt": job.attempt,
            "status": "failed", "reason": "stand-in"}
