"""The one interface every LLM backend implements, and the types it speaks.

The agent asks for ``n`` completions of a chat prompt and gets their texts and
the tokens they cost; it never sees which server (or replay file) answered.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lemmata.prover.llm.sampling import Samples
    from lemmata.prover.timing import Activity

Role = Literal["system", "user", "assistant"]


class LLMError(Exception):
    """A request failed for good (after retries, or on an error retrying cannot fix)."""


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass
class Usage:
    """What requests cost and gave: counted when they answer, so nothing received goes unrecorded."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    samples: int = 0  # completions received
    abandoned: int = 0  # requests still running when their caller stopped waiting (deadline, proof found)
    generating_seconds: float = 0.0  # wall clock with a request in flight (summed over calls)
    request_seconds: float = 0.0  # summed durations of the requests that answered (their tokens' time)

    def add(self, other: Usage) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cost_usd += other.cost_usd
        self.samples += other.samples
        self.abandoned += other.abandoned
        self.generating_seconds += other.generating_seconds
        self.request_seconds += other.request_seconds

    def as_dict(self) -> dict[str, float]:
        return {"requests": self.requests, "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens, "cost_usd": round(self.cost_usd, 6),
                "samples": self.samples, "abandoned": self.abandoned,
                "generating_seconds": round(self.generating_seconds, 3),
                "request_seconds": round(self.request_seconds, 3)}


@dataclass
class Completion:
    texts: list[str]
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    truncated: list[bool] = field(default_factory=list)  # finish_reason == "length", per text


class LLMClient(ABC):
    model: str

    @abstractmethod
    def stream(self, messages: list[Message], *, n: int = 1, temperature: float | None = None,
               max_tokens: int | None = None, deadline: float | None = None,
               activity: Activity | None = None) -> Samples:
        """``n`` completions of the chat ``messages``, each handed over as it arrives (``Samples``).

        ``deadline`` (a ``time.monotonic()`` instant) bounds the waiting, retries included; what arrived
        before it is still delivered. ``activity`` is told while requests are in flight. Raises
        ``LLMError`` (when called or while iterating) only when no completion came at all.
        """

    def complete(self, messages: list[Message], *, n: int = 1, temperature: float | None = None,
                 max_tokens: int | None = None, deadline: float | None = None) -> Completion:
        """All of ``stream``'s completions at once (fewer only when the backend has no more in time)."""
        with self.stream(messages, n=n, temperature=temperature, max_tokens=max_tokens, deadline=deadline) as got:
            samples = list(got)
        return Completion(texts=[s.text for s in samples], usage=got.usage, model=self.model,
                          truncated=[s.truncated for s in samples])

    def close(self) -> None:
        """Release connections. Idempotent."""


__all__ = ["Completion", "LLMClient", "LLMError", "Message", "Role", "Usage"]
