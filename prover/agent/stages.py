"""Recording a stage of a run: announced in the trace, timed, its samples and checks counted, its outcome kept."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from lemmata.prover.agent.budget import BudgetExhausted, Spending
from lemmata.prover.agent.result import ProofResult, StageRecord
from lemmata.prover.agent.trace import Trace
from lemmata.prover.llm.client import LLMError


@contextmanager
def staged(name: str, result: ProofResult, spending: Spending, trace: Trace) -> Iterator[StageRecord]:
    """A ``StageRecord`` for the block to set ``outcome`` on; appended to ``result.stages`` however it ends."""
    started, samples, checks = time.monotonic(), spending.samples, spending.checks
    trace.emit("stage", stage=name, samples=spending.samples, checks=spending.checks)
    record = StageRecord(stage=name, outcome="nothing found", seconds=0.0, samples=0, checks=0)
    try:
        yield record
    except BudgetExhausted:
        record.outcome = "budget exhausted"
        raise
    except LLMError:
        record.outcome = "LLM error"
        raise
    finally:
        record.seconds = round(time.monotonic() - started, 3)
        record.samples, record.checks = spending.samples - samples, spending.checks - checks
        result.stages.append(record)


__all__ = ["staged"]
