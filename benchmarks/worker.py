"""One benchmark job: the agent on one problem, in whatever process or Ray worker runs it.

Everything a job needs travels in the ``Job`` (plain data, so it pickles to a
child process or a Ray task); every way it can fail ends as a result record
with status ``error`` and the reason, never as an exception out of the worker.
"""

from __future__ import annotations

import functools
import importlib.metadata
import time

from pydantic import BaseModel

from lemmata.benchmarks.results import ResultRecord
from lemmata.prover.languages import language_named, load_document
from lemmata.prover.llm.client import LLMError
from lemmata.prover.proving import ProveOptions, load_problem, prove_problem
from lemmata.verifiers.errors import LemmataError


class Job(BaseModel):
    problem: str
    path: str
    language: str
    suite: str
    split: str
    attempt: int = 0
    options: ProveOptions = ProveOptions()  # the same options `lemmata prove` runs with


@functools.lru_cache(maxsize=1)
def lemmata_version() -> str:
    try:
        return importlib.metadata.version("lemmata")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@functools.lru_cache(maxsize=4)
def checker_version(language: str) -> str:
    try:
        status = language_named(language).make_verifier().status()
    except LemmataError:
        return f"{language} (no backend)"
    return f"{status.name} {status.version}" if status.available else f"{status.name} (missing)"


def run_job(job: Job) -> dict:
    started = time.monotonic()
    base = {"problem": job.problem, "suite": job.suite, "split": job.split, "attempt": job.attempt,
            "lemmata": lemmata_version(), "checker": checker_version(job.language)}
    try:
        document = load_document(job.path, language=job.language)
        result = prove_problem(load_problem(document, job.options.theorem), job.options)
        record = ResultRecord(
            **base, status=result.status.value, found_by=result.found_by, proof=result.proof, reason=result.reason,
            samples=result.samples, checks=result.checks,
            tokens=int(result.usage.get("prompt_tokens", 0) + result.usage.get("completion_tokens", 0)),
            cost_usd=result.usage.get("cost_usd", 0.0), seconds=result.seconds, model=result.model,
            stages=[s.model_dump() for s in result.stages], usage=result.usage, throughput=result.throughput)
    except (LemmataError, LLMError) as exc:
        record = ResultRecord(**base, status="error", reason=str(exc), seconds=round(time.monotonic() - started, 3))
    except Exception as exc:  # noqa: BLE001 - one problem's bug must not stop a run of hundreds
        record = ResultRecord(**base, status="error", reason=f"internal error: {type(exc).__name__}: {exc}",
                              seconds=round(time.monotonic() - started, 3))
    return record.model_dump(mode="json")


def crashed(job: Job, why: str) -> dict:
    """The record of a job whose worker died before it could answer."""
    return ResultRecord(problem=job.problem, suite=job.suite, split=job.split, attempt=job.attempt,
                        status="error", reason=why, lemmata=lemmata_version()).model_dump(mode="json")


__all__ = ["Job", "crashed", "run_job"]
