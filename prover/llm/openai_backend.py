"""An OpenAI-compatible chat endpoint (OpenAI, vLLM, SGLang, llama.cpp, Ollama) through ``openai``.

Completions stream through ``sampling.py``: ``n`` per request where the server
honours it, else concurrent single requests (``config.concurrency`` at once).
Each request stops at the end of the answer's code block (``config.stop``)
and at a token limit cut to what the server can write before the deadline.

The package's own retries are turned off: ``tenacity`` retries rate limits,
server errors, dropped connections and timeouts with jittered exponential
backoff, honouring ``Retry-After`` when the server sends one, and then raises
one ``LLMError`` that says what the last failure was. Errors a retry cannot fix
(bad key, unknown model, malformed request) fail at once.
"""

from __future__ import annotations

import email.utils
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import openai
from tenacity import (RetryCallState, RetryError, Retrying, retry_if_exception, stop_after_attempt, stop_before_delay,
                      wait_random_exponential)

from lemmata.prover.llm.client import LLMClient, LLMError, Message, Usage
from lemmata.prover.llm.config import LLMConfig
from lemmata.prover.llm.sampling import NRefused, NSupport, Samples, stream_samples
from lemmata.prover.timing import Activity

_RETRIED_STATUS = {408, 409, 429}
MIN_TOKENS = 256  # a per-sample limit sized to the time left never goes below this
ASSUMED_RATE = 20.0  # tokens per second of one sequence until the server's own is measured (a small model on CPU)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in _RETRIED_STATUS or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The server's ``Retry-After`` (seconds or an HTTP date) or ``retry-after-ms``, if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if value := headers.get("retry-after-ms"):
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, when.timestamp() - time.time()) if when else None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}: {exc.message}"
    if isinstance(exc, openai.APITimeoutError):
        return "the request timed out"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot connect ({exc.__cause__ or exc})"
    return str(exc)


class OpenAIClient(LLMClient):
    def __init__(self, config: LLMConfig) -> None:
        if config.model is None:
            raise LLMError("no model given: pass --model or set LEMMATA_MODEL")
        self.config = config
        self.model = config.model
        # Local servers need no key, but the package insists on one.
        self._client = openai.OpenAI(base_url=config.base_url, api_key=config.api_key or "not-needed",
                                     max_retries=0, timeout=config.request_timeout)
        self._n_support = NSupport()
        self._executor: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._rate: float | None = None  # completion tokens per second of one sequence, as observed
        self._backoff = wait_random_exponential(multiplier=0.5, max=config.max_wait)

    def _wait(self, state: RetryCallState) -> float:
        hinted = retry_after_seconds(state.outcome.exception() if state.outcome else None)
        if hinted is not None:
            return min(hinted, self.config.max_wait)
        return self._backoff(state)

    def stream(self, messages: list[Message], *, n: int = 1, temperature: float | None = None,
               max_tokens: int | None = None, deadline: float | None = None,
               activity: Activity | None = None) -> Samples:
        def request(k: int, pending: int) -> tuple[list[tuple[str, str | None]], Usage]:
            started = time.monotonic()
            limit = max_tokens or self._token_limit(deadline, k, pending)
            try:
                response = self._request(messages, k, temperature, limit, deadline)
            except openai.BadRequestError as exc:
                if k > 1:
                    raise NRefused() from None
                raise LLMError(f"{self.config.describe()}: request refused: {_describe(exc)}") from None
            if not response.choices:
                raise LLMError(f"{self.config.describe()}: the server answered with no choices")
            used = self._usage(response)
            self._observe(used.completion_tokens / len(response.choices), time.monotonic() - started)
            return [(self._closed(c.message.content or "", c.finish_reason), c.finish_reason)
                    for c in response.choices], used

        return stream_samples(request, n, pool=self._pool(), support=self._n_support, deadline=deadline,
                              activity=activity)

    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="llm")
            return self._executor

    def _closed(self, text: str, finish_reason: str | None) -> str:
        """A text the server stopped at a stop sequence that ends a code block gets its fence back."""
        if finish_reason == "stop" and self.config.stop and text.count("```") % 2 == 1:
            return text.rstrip() + "\n```"
        return text

    def _observe(self, tokens_per_sample: float, seconds: float) -> None:
        if tokens_per_sample > 0 and seconds > 0:
            rate = tokens_per_sample / seconds
            self._rate = rate if self._rate is None else 0.7 * self._rate + 0.3 * rate

    def _token_limit(self, deadline: float | None, k: int, pending: int) -> int:
        """The configured token limit, cut to what the server can write for this request in the time left: the
        samples still to come share that time in waves of ``concurrency`` requests of ``k``. A completion the
        deadline cuts off is lost work; one cut by the limit is at least received and checked."""
        limit = self.config.max_tokens
        if deadline is None:
            return limit
        rate = self._rate if self._rate is not None else ASSUMED_RATE
        waves = math.ceil(pending / (k * self.config.concurrency))
        affordable = int(rate * max(0.0, deadline - time.monotonic()) * 0.9 / max(1, waves))
        return max(min(MIN_TOKENS, limit), min(limit, affordable))

    def _usage(self, response) -> Usage:
        used = response.usage
        prompt = getattr(used, "prompt_tokens", 0) or 0
        completion = getattr(used, "completion_tokens", 0) or 0
        cost = (prompt * self.config.price_prompt_per_mtok + completion * self.config.price_completion_per_mtok) / 1e6
        return Usage(requests=1, prompt_tokens=prompt, completion_tokens=completion, cost_usd=cost)

    def _request(self, messages: list[Message], n: int, temperature: float | None, max_tokens: int | None,
                 deadline: float | None):
        stop = stop_after_attempt(self.config.max_attempts)
        if deadline is not None:
            stop = stop | stop_before_delay(max(0.0, deadline - time.monotonic()))
        retrying = Retrying(retry=retry_if_exception(_retryable), wait=self._wait, stop=stop, reraise=False)
        try:
            for attempt in retrying:
                with attempt:
                    timeout = self.config.request_timeout
                    if deadline is not None:
                        timeout = max(0.1, min(timeout, deadline - time.monotonic()))
                    return self._client.chat.completions.create(
                        model=self.model, messages=[m.as_dict() for m in messages], n=n,
                        temperature=self.config.temperature if temperature is None else temperature,
                        max_tokens=max_tokens or self.config.max_tokens, timeout=timeout,
                        stop=list(self.config.stop) if self.config.stop else openai.NOT_GIVEN)
        except RetryError as exc:
            last = exc.last_attempt.exception()
            tries = exc.last_attempt.attempt_number
            raise LLMError(f"{self.config.describe()}: gave up after {tries} attempt{'s' if tries > 1 else ''}; "
                           f"last error: {_describe(last)}") from None
        except openai.BadRequestError:
            raise
        except openai.APIError as exc:
            raise LLMError(f"{self.config.describe()}: {_describe(exc)}") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._client.close()


__all__ = ["OpenAIClient", "retry_after_seconds"]
