"""The one interface every LLM backend implements, and the types it speaks.

The agent asks for ``n`` completions of a chat prompt and gets their texts and
the tokens they cost; it never sees which server (or replay file) answered.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Literal

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
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    def add(self, other: Usage) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cost_usd += other.cost_usd

    def as_dict(self) -> dict[str, float]:
        return {"requests": self.requests, "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens, "cost_usd": round(self.cost_usd, 6)}


@dataclass
class Completion:
    texts: list[str]
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    truncated: list[bool] = field(default_factory=list)  # finish_reason == "length", per text


class LLMClient(ABC):
    model: str

    @abstractmethod
    def complete(self, messages: list[Message], *, n: int = 1, temperature: float | None = None,
                 max_tokens: int | None = None, deadline: float | None = None) -> Completion:
        """``n`` completions of the chat ``messages`` (fewer only when the backend has no more).

        ``deadline`` (a ``time.monotonic()`` instant) bounds the whole call, retries included.
        """

    def close(self) -> None:
        """Release connections. Idempotent."""


__all__ = ["Completion", "LLMClient", "LLMError", "Message", "Role", "Usage"]
