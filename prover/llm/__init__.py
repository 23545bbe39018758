"""LLM backends behind one client interface: OpenAI-compatible servers and recorded replays."""

from lemmata.prover.llm.client import Completion, LLMClient, LLMError, Message, Usage
from lemmata.prover.llm.config import LLMConfig

__all__ = ["Completion", "LLMClient", "LLMConfig", "LLMError", "Message", "Usage"]
