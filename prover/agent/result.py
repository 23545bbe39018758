"""What ``lemmata prove`` returns for one problem."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field


class ProofStatus(str, Enum):
    """How a proving run ended; only ``proved`` means a checker accepted the proof and the audit passed."""

    PROVED = "proved"  # a checker accepted the final proof and the audit passed
    SMT_PROVED = "smt-proved"  # an SMT solver proved it (or the parts no checker proof was found for)
    DISPROVED = "disproved"  # an SMT solver found a counterexample
    FAILED = "failed"


class StageRecord(BaseModel):
    """One stage of a run (automation, smt, sampling, repair, decomposition): outcome and what it spent."""

    stage: str
    outcome: str
    seconds: float
    samples: int = 0
    checks: int = 0
    detail: str | None = None


class ProofResult(BaseModel):
    """What `lemmata prove` prints with ``--json`` and ``lemmata.prove`` returns for one problem.

    ``proof`` is the whole checked document when ``proved`` (a skeleton whose holes rest on SMT when
    ``smt-proved``); ``counterexample`` is set when ``disproved``; ``stages`` says what each stage did.
    """

    status: ProofStatus
    theorem: str
    language: str
    origin: str = ""
    proof: str | None = Field(default=None, description="the complete checked document (proved), or the skeleton")
    counterexample: dict[str, str] | None = None
    found_by: str | None = None
    reason: str | None = None
    stages: list[StageRecord] = Field(default_factory=list)
    samples: int = 0
    checks: int = 0
    seconds: float = 0.0
    usage: dict[str, float] = Field(default_factory=dict)
    throughput: dict[str, float] = Field(default_factory=dict, description="samples and tokens per second; wall "
                                         "seconds the model server, the checker and neither were busy")
    model: str | None = None
    notes: list[str] = Field(default_factory=list)
    # the proof's parts, for tools that put it into a file of their own (file repair): the script under the
    # theorem, the imports it needs and the helper declarations that go before the theorem
    body: str | None = None
    imports: list[str] = Field(default_factory=list)
    preamble: str = ""


__all__ = ["ProofResult", "ProofStatus", "StageRecord"]
