"""One problem's run: its settings, the shared services every stage uses, and what a stage returns."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from lemmata.prover.agent.budget import Spending
from lemmata.prover.agent.checking import Checker
from lemmata.prover.agent.language import Problem, ProofLanguage, Tactic
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.trace import Trace
from lemmata.prover.languages import LanguageEntry
from lemmata.prover.llm.client import LLMClient, LLMError, Message, Usage
from lemmata.prover.timing import Activity


class AgentSettings(BaseModel):
    samples_per_round: int = Field(default=4, ge=1, description="whole proofs asked for at once (k)")
    tactic_timeout: float = Field(default=3.0, gt=0, description="seconds per automation tactic")
    check_timeout: float = Field(default=20.0, gt=0, description="seconds per check of a model's proof")
    smt_timeout: float = Field(default=10.0, gt=0)
    smt_solver: str = "z3"
    repair_candidates: int = Field(default=2, ge=0, description="failed proofs repaired per round")
    repair_rounds: int = Field(default=2, ge=1)
    hole_samples: int = Field(default=2, ge=1, description="completions per hole the repair asks for")
    sketch_revisions: int = Field(default=2, ge=0)
    workers: int = Field(default=4, ge=1, description="sub-lemmas proved at once")
    tactics: tuple[str, ...] | None = Field(default=None, description="automation to try (default: the whole portfolio)")


@dataclass
class Outcome:
    """How a goal (the theorem, a sub-lemma, a hole) ended."""

    status: ProofStatus
    body: str | None = None
    imports: tuple[str, ...] = ()
    preamble: str = ""
    found_by: str | None = None
    counterexample: dict[str, str] | None = None
    smt_parts: list[str] = field(default_factory=list)  # goals that rest on an SMT solver, not the checker


@dataclass
class Run:
    entry: LanguageEntry  # the language's row of the table: its checker, adapter and SMT reader
    language: ProofLanguage
    checker: Checker
    llm: LLMClient | None
    spending: Spending
    trace: Trace
    settings: AgentSettings
    usage: Usage = field(default_factory=Usage)
    activity: RunActivity = field(default_factory=lambda: RunActivity())
    lemmas: dict[str, Outcome] = field(default_factory=dict)  # sub-lemma statement -> how it ended, across sketches
    _usage_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # sub-lemmas ask concurrently

    def automation(self, problem: Problem | None = None, tiers: tuple[str, ...] | None = None) -> list[Tactic]:
        """The portfolio for ``problem``'s shape, in ``tiers`` (default all), restricted to ``settings.tactics``."""
        portfolio = [t for t in self.language.automation(problem) if tiers is None or t.tier in tiers]
        if self.settings.tactics is None:
            return portfolio
        return [t for t in portfolio if t.name in self.settings.tactics]

    def ask(self, messages: list[Message], n: int, stage: str) -> list[str]:
        """``n`` completions (fewer if the budget has fewer samples left). Raises ``LLMError``."""
        return list(self.ask_stream(messages, n, stage))

    def ask_stream(self, messages: list[Message], n: int, stage: str) -> Iterator[str]:
        """``ask``'s completions one by one, as the server delivers them; closing it stops waiting for the rest."""
        assert self.llm is not None
        return sampled(self.llm, self.spending, self.trace, messages, n, stage, usage=self.usage,
                       lock=self._usage_lock, activity=self.activity.generating)

    def throughput(self) -> dict[str, float]:
        return throughput(self.activity, self.usage, self.spending.elapsed)


@dataclass
class RunActivity:
    """When the model server and the checker were busy during a run (``busy``: either)."""

    busy: Activity = field(default_factory=Activity)
    generating: Activity = field(init=False)
    checking: Activity = field(init=False)

    def __post_init__(self) -> None:
        self.generating = Activity(self.busy)
        self.checking = Activity(self.busy)


def throughput(activity: RunActivity, usage: Usage, wall: float) -> dict[str, float]:
    """Samples and tokens per second, and how the wall clock split between the server, the checker and neither."""
    wall = max(wall, 1e-9)
    generating, checking = activity.generating.seconds(), activity.checking.seconds()
    return {"wall_seconds": round(wall, 3), "generating_seconds": round(generating, 3),
            "checking_seconds": round(checking, 3), "idle_seconds": round(max(0.0, wall - activity.busy.seconds()), 3),
            "samples_per_second": round(usage.samples / wall, 4),
            "tokens_per_second": round(usage.completion_tokens / generating, 2) if generating else 0.0,
            "checker_utilisation": round(checking / wall, 4)}


def sampled(llm: LLMClient, spending: Spending, trace: Trace, messages: list[Message], n: int, stage: str, *,
            usage: Usage, lock: threading.Lock | None = None, activity: Activity | None = None) -> Iterator[str]:
    """``n`` completions (fewer if the budget has fewer samples left), each traced and handed over as it arrives.

    Whatever happens (the budget ends, the caller stops early, the server fails half-way), every completion
    received stays in the trace and its cost in ``usage``, and samples not delivered go back to the budget.
    Raises ``LLMError`` only when none came.
    """
    granted = spending.take_samples(n)
    trace.emit("prompt", stage=stage, n=granted, messages=[m.as_dict() for m in messages])
    received = 0
    stream = None
    try:
        stream = llm.stream(messages, n=granted, deadline=time.monotonic() + spending.seconds_left(),
                            activity=activity)
        for sample in stream:
            received += 1
            trace.emit("completion", stage=stage, texts=[sample.text], truncated=[sample.truncated],
                       samples_used=spending.samples - granted + received)
            yield sample.text
    except LLMError:
        if received == 0:
            spending.ensure_time()  # a request cut off by the deadline is the budget's doing
            raise
    finally:
        if stream is not None:
            stream.close()
            with lock or contextlib.nullcontext():
                usage.add(stream.usage)
            trace.emit("usage", stage=stage, usage=stream.usage.as_dict())
        spending.refund_samples(granted - received)


def ask_model(llm: LLMClient, spending: Spending, trace: Trace, messages: list[Message], n: int,
              stage: str, activity: Activity | None = None) -> tuple[list[str], Usage]:
    """All of ``sampled``'s completions and what they cost. Raises ``LLMError`` when none came."""
    usage = Usage()
    texts = list(sampled(llm, spending, trace, messages, n, stage, usage=usage, activity=activity))
    return texts, usage


__all__ = ["AgentSettings", "Outcome", "Run", "RunActivity", "ask_model", "sampled", "throughput"]
