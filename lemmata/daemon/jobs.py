"""What a client may ask of the daemon, and how each kind of job runs through the public API.

Requests are validated before anything is queued: the schema (pydantic), then
the input itself (a language the table knows, text that is not binary or
empty), so a bad submission is a 4xx and never a job. A job's result is the
JSON the matching CLI command prints with ``--json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

import lemmata
from lemmata.prover.languages import language_named, text_document
from lemmata.prover.proving import prove_options
from lemmata.prover.repair_file import repair_document
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.interface import Statement
from lemmata.verifiers.warm import SessionPool, warm_key

Emit = Callable[[str, dict[str, Any]], None]
MAX_TEXT = 2 * 1024 * 1024


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timeout: float | None = Field(default=None, gt=0, description="seconds the whole job may take")


class CheckJob(_Request):
    """Check a proof with its checker and audit it (`lemmata check`)."""

    kind: Literal["check"]
    language: str = Field(description="coq, lean, ... (the language table's names and aliases)")
    proof: str = Field(max_length=MAX_TEXT)
    statement: str | None = Field(default=None, max_length=MAX_TEXT, description="the problem file's text")
    theorem: str | None = None


class ProveJob(_Request):
    """Prove a theorem (`lemmata prove`), with the daemon's configured model if any."""

    kind: Literal["prove"]
    language: str
    problem: str = Field(max_length=MAX_TEXT)
    theorem: str | None = None
    no_llm: bool = False
    samples: int = Field(default=4, ge=1, le=64)
    budget: str | None = Field(default=None, description="e.g. samples=32,checks=2000,seconds=300")
    tactics: list[str] | None = None
    tactic_timeout: float = Field(default=3.0, gt=0, le=600)


class RepairJob(_Request):
    """Repair a proof file that no longer checks (`lemmata repair`), statements unchanged."""

    kind: Literal["repair"]
    language: str
    proof: str = Field(max_length=MAX_TEXT, description="the file that no longer checks")
    statement: str | None = Field(default=None, max_length=MAX_TEXT,
                                  description="the problem file its theorems must prove (default: its own statements)")
    no_llm: bool = False
    samples: int = Field(default=4, ge=1, le=64)
    budget: str | None = None
    tactics: list[str] | None = None
    tactic_timeout: float = Field(default=3.0, gt=0, le=600)


class SmtJob(_Request):
    """Decide a statement with SMT (`lemmata smt`)."""

    kind: Literal["smt"]
    language: str
    statement: str = Field(max_length=MAX_TEXT)
    theorem: str | None = None
    solver: Literal["z3", "cvc5", "both"] = "z3"
    solver_timeout: float = Field(default=10.0, gt=0, le=600)


class StepsJob(_Request):
    """Check each step of a reasoning chain (``lemmata.verify_steps``)."""

    kind: Literal["steps"]
    problem: str = Field(max_length=MAX_TEXT)
    steps: list[str] = Field(max_length=1000)
    context: str | list[str] | None = None


JobRequest = Annotated[CheckJob | ProveJob | RepairJob | SmtJob | StepsJob, Field(discriminator="kind")]
AnyJob = CheckJob | ProveJob | RepairJob | SmtJob | StepsJob


def validate(request: AnyJob) -> None:
    """Refuse what cannot run or must not (raises ``InputError``): an unknown language, binary or empty text,
    commands that reach outside the document."""
    if isinstance(request, StepsJob):
        if not request.problem.strip() or "\x00" in request.problem or any("\x00" in s for s in request.steps):
            raise InputError("the problem must be non-empty text")
        return
    entry = language_named(request.language)
    texts = [request.proof, request.statement] if isinstance(request, (CheckJob, RepairJob)) else \
        [request.problem] if isinstance(request, ProveJob) else [request.statement]
    for text in filter(None, texts):
        text_document(text, entry.name)
        entry.refuse_outside_access(text)  # Redirect, Load, Cd, Declare ML Module, ... in a stranger's text
    if isinstance(request, (CheckJob, ProveJob, RepairJob)):
        entry.make_verifier()  # a language without a checker is refused here, not in a worker
    if isinstance(request, ProveJob):
        entry.make_adapter()  # a language the agent does not prove (an F* interface)
    if isinstance(request, RepairJob):
        entry.make_adapter().proofs(request.proof)  # a language whose files cannot be repaired yet, too


def _statement(request: CheckJob) -> Statement | None:
    return Statement(request.statement, request.theorem, "<statement>") if request.statement is not None else None


def session_key(request: AnyJob) -> str | None:
    """Which warm session can run the job (``lemmata.verifiers.warm.warm_key``), for a worker that has it open."""
    if not isinstance(request, CheckJob):
        return None
    return warm_key(language_named(request.language).make_verifier(), request.proof, _statement(request))


def run(request: AnyJob, emit: Emit, timeout: float, sessions: SessionPool | None = None) -> Any:
    """The job's result as JSON data; raises ``LemmataError`` for what the CLI would call a usage error.

    ``sessions``: the worker's warm checkers, for check jobs (the result does not depend on them)."""
    if isinstance(request, CheckJob):
        return lemmata.check(text=request.proof, language=request.language, statement=_statement(request),
                             theorem=request.theorem, timeout=timeout, sessions=sessions).model_dump(mode="json")
    if isinstance(request, ProveJob):
        budget = request.budget or f"seconds={max(1.0, timeout - 5):g}"
        return lemmata.prove(text=request.problem, language=request.language, theorem=request.theorem,
                             no_llm=request.no_llm, samples=request.samples, budget=budget,
                             tactics=request.tactics, tactic_timeout=request.tactic_timeout,
                             listener=emit).model_dump(mode="json")
    if isinstance(request, RepairJob):
        document = text_document(request.proof, request.language)
        budget = request.budget or f"seconds={max(1.0, (timeout - 5) / 2):g}"  # per theorem repaired
        options = prove_options(document.entry, no_llm=request.no_llm, samples=request.samples, budget=budget,
                                tactics=request.tactics, tactic_timeout=request.tactic_timeout)
        return repair_document(document, options, statement=request.statement, listener=emit).model_dump(mode="json")
    if isinstance(request, SmtJob):
        return lemmata.smt(text=request.statement, language=request.language, theorem=request.theorem,
                           solver=request.solver, timeout=request.solver_timeout).model_dump(mode="json")
    return lemmata.verify_steps(request.problem, request.steps, context=request.context).model_dump(mode="json")


__all__ = ["AnyJob", "CheckJob", "JobRequest", "ProveJob", "RepairJob", "SmtJob", "StepsJob", "run", "session_key", "validate"]
