"""One problem's run: its settings, the shared services every stage uses, and what a stage returns."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from lemmata.prover.agent.budget import Spending
from lemmata.prover.agent.checking import Checker
from lemmata.prover.agent.language import Problem, ProofLanguage, Tactic
from lemmata.prover.agent.result import ProofStatus
from lemmata.prover.agent.trace import Trace
from lemmata.prover.languages import LanguageEntry
from lemmata.prover.llm.client import LLMClient, LLMError, Message, Usage


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
        assert self.llm is not None
        texts, usage = ask_model(self.llm, self.spending, self.trace, messages, n, stage)
        with self._usage_lock:
            self.usage.add(usage)
        return texts


def ask_model(llm: LLMClient, spending: Spending, trace: Trace, messages: list[Message], n: int,
              stage: str) -> tuple[list[str], Usage]:
    """``n`` completions (fewer if the budget has fewer samples left) and what they cost, traced; samples not
    delivered go back to the budget. Raises ``LLMError``."""
    granted = spending.take_samples(n)
    trace.emit("prompt", stage=stage, n=granted, messages=[m.as_dict() for m in messages])
    try:
        completion = llm.complete(messages, n=granted, deadline=time.monotonic() + spending.seconds_left())
    except LLMError:
        spending.refund_samples(granted)
        spending.ensure_time()  # a request cut off by the deadline is the budget's doing
        raise
    spending.refund_samples(granted - len(completion.texts))
    trace.emit("completion", stage=stage, texts=completion.texts, truncated=completion.truncated,
               usage=completion.usage.as_dict(), samples_used=spending.samples)
    return completion.texts, completion.usage


__all__ = ["AgentSettings", "Outcome", "Run", "ask_model"]
