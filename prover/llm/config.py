"""Where an LLM endpoint's settings come from: flags, then environment, then a config file.

Environment: ``OPENAI_BASE_URL``, ``OPENAI_API_KEY``, ``LEMMATA_MODEL`` (the
names vLLM, SGLang, llama.cpp and Ollama users already export), and
``LEMMATA_CONFIG`` for the file. The file is TOML with an ``[llm]`` table whose
keys are this model's fields; the default file is ``~/.config/lemmata/config.toml``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from lemmata.prover.llm.client import LLMError

DEFAULT_CONFIG = Path("~/.config/lemmata/config.toml")


class LLMConfig(BaseModel):
    model: str | None = None
    base_url: str | None = None  # None: the openai package's default (api.openai.com)
    api_key: str | None = None
    replay: Path | None = Field(default=None, description="serve recorded completions from this JSONL file")
    concurrency: int = Field(default=8, ge=1, description="requests in flight at once")
    request_timeout: float = Field(default=300.0, gt=0)
    max_attempts: int = Field(default=6, ge=1, description="tries per request, the first included")
    max_wait: float = Field(default=60.0, gt=0, description="longest pause between tries, seconds")
    temperature: float = 0.8
    max_tokens: int = Field(default=4096, ge=1, description="tokens per completion, at most")
    stop: tuple[str, ...] = Field(default=("\n```\n",), description="stop sequences: by default the end of the "
                                  "answer's code block (set [] for models that think in code blocks)")
    price_prompt_per_mtok: float = Field(default=0.0, ge=0, description="USD per million prompt tokens")
    price_completion_per_mtok: float = Field(default=0.0, ge=0, description="USD per million completion tokens")

    @property
    def configured(self) -> bool:
        return self.replay is not None or self.model is not None

    def describe(self) -> str:
        if self.replay is not None:
            return f"replay of {self.replay}"
        if self.model is None:
            return "no model"
        return f"{self.model} at {self.base_url or 'api.openai.com'}"

    @classmethod
    def resolve(cls, flags: dict[str, object] | None = None, *, config_file: Path | None = None,
                environ: dict[str, str] | None = None) -> LLMConfig:
        """Flags win over the environment, which wins over the file. Raises ``LLMError``."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        path = config_file or (Path(env["LEMMATA_CONFIG"]) if env.get("LEMMATA_CONFIG") else None)
        default = DEFAULT_CONFIG.expanduser()
        if path is None and default.is_file():
            path = default
        if path is not None:
            try:
                values.update(tomllib.loads(path.read_text(encoding="utf-8")).get("llm", {}))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise LLMError(f"cannot read the config file {path}: {exc}") from None
        for key, name in (("base_url", "OPENAI_BASE_URL"), ("api_key", "OPENAI_API_KEY"), ("model", "LEMMATA_MODEL")):
            if env.get(name):
                values[key] = env[name]
        values.update({k: v for k, v in (flags or {}).items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise LLMError(f"bad LLM settings: {problems}") from None


def open_client(config: LLMConfig):
    """The client ``config`` describes, or None when no model is configured."""
    if config.replay is not None:
        from lemmata.prover.llm.replay import ReplayClient

        return ReplayClient.from_file(config.replay)
    if config.model is None:
        return None
    from lemmata.prover.llm.openai_backend import OpenAIClient

    return OpenAIClient(config)


__all__ = ["DEFAULT_CONFIG", "LLMConfig", "open_client"]
