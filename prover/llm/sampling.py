"""Completions as they arrive: ``n`` per request where the server can, concurrent single requests where it cannot.

Bulk sampling is bound by the model server; the client's job is to keep it
full and hand over every completion the moment it exists, so the checker
works on the first while the server writes the rest. ``stream_samples`` asks
for all ``n`` in one request (vLLM and SGLang share the prompt's cache
across them); a server that refuses ``n > 1`` or silently answers with fewer
choices (llama.cpp) gets the rest as concurrent single requests, and is
remembered as such. At the deadline the stream stops waiting, but still hands
over what had already arrived; requests still running are counted as
abandoned. Every received completion and every request is in ``usage``,
whatever happens to the caller.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from lemmata.prover.llm.client import LLMError, Usage
from lemmata.prover.timing import Activity


@dataclass(frozen=True)
class Sample:
    text: str
    truncated: bool = False  # the server stopped it at the token limit


class NRefused(Exception):
    """The server refused a request for more than one completion."""


# One request for k completions, sent while ``pending`` of the stream's samples have not arrived (this request's
# among them): [(text, finish_reason)], and what it cost. Raises LLMError or NRefused.
Request = Callable[[int, int], tuple[list[tuple[str, str | None]], Usage]]


class Samples:
    """An iterator of ``Sample``s; ``usage`` grows as they come; ``close()`` stops waiting for the rest."""

    def __init__(self, source: Iterator[Sample], usage: Usage) -> None:
        self._source = source
        self.usage = usage

    def __iter__(self) -> Samples:
        return self

    def __next__(self) -> Sample:
        return next(self._source)

    def close(self) -> None:
        close = getattr(self._source, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Samples:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def of(cls, samples: list[Sample], usage: Usage) -> Samples:
        return cls(iter(samples), usage)


class NSupport:
    """What the client has learnt about the server: whether it answers ``n > 1`` with ``n`` choices."""

    def __init__(self) -> None:
        self.supported = True


def stream_samples(request: Request, n: int, *, pool: ThreadPoolExecutor, support: NSupport,
                   deadline: float | None = None, activity: Activity | None = None) -> Samples:
    usage = Usage()
    return Samples(_arrivals(request, n, pool, support, deadline, activity or Activity(), usage), usage)


def _arrivals(request: Request, n: int, pool: ThreadPoolExecutor, support: NSupport, deadline: float | None,
              activity: Activity, usage: Usage) -> Iterator[Sample]:
    done: queue.Queue[tuple[int, Future]] = queue.Queue()
    outstanding = 0
    generating = Activity()
    errors: list[str] = []
    delivered = 0

    def timed(k: int):
        started = time.monotonic()
        with activity.track(), generating.track():
            choices, used = request(k, max(k, n - usage.samples))
        used.request_seconds += time.monotonic() - started
        return choices, used

    def submit(k: int) -> None:
        nonlocal outstanding
        outstanding += 1
        pool.submit(timed, k).add_done_callback(lambda future, k=k: done.put((k, future)))

    def received(k: int, future: Future) -> list[Sample]:
        nonlocal outstanding
        outstanding -= 1
        error = future.exception()
        if isinstance(error, NRefused):
            support.supported = False
            for _ in range(k):
                submit(1)
            return []
        if error is not None:
            errors.append(str(error) if isinstance(error, LLMError) else f"{type(error).__name__}: {error}")
            return []
        choices, used = future.result()
        usage.add(used)
        if k > 1 and len(choices) < k:  # the server ignored n: ask for the rest one at a time, concurrently
            support.supported = False
            for _ in range(k - len(choices)):
                submit(1)
        out = [Sample(text, finish == "length") for text, finish in choices[:k]]
        usage.samples += len(out)
        return out

    if support.supported and n > 1:
        submit(n)
    else:
        for _ in range(n):
            submit(1)
    try:
        while outstanding:
            wait = None if deadline is None else deadline - time.monotonic()
            try:
                k, future = done.get(timeout=max(0.0, wait)) if wait is not None else done.get()
            except queue.Empty:
                break
            for sample in received(k, future):
                delivered += 1
                yield sample
        while True:  # what arrived while the caller was busy, or right at the deadline, is still delivered
            try:
                k, future = done.get_nowait()
            except queue.Empty:
                break
            for sample in received(k, future):
                delivered += 1
                yield sample
        if not delivered and errors:
            raise LLMError(errors[-1])
        if not delivered and outstanding:
            raise LLMError(f"the request timed out: no completion arrived before the deadline "
                           f"({outstanding} request{'s' if outstanding > 1 else ''} still running)")
    finally:
        usage.abandoned += outstanding
        usage.generating_seconds += generating.seconds()


__all__ = ["NRefused", "NSupport", "Request", "Sample", "Samples", "stream_samples"]
