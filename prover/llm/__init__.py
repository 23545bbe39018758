"""LLM backends behind one client interface: OpenAI-compatible servers and recorded replays."""

from prover.llm.client import Completion, LLMClient, LLMError, Message, Usage
from prover.llm.config import LLMConfig

__all__ = ["Completion", "LLMClient", "LLMConfig", "LLMError", "Message", "Usage"]
