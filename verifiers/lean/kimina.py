"""Lean checks through a Kimina Lean Server: its HTTP API, and the audit as one snippet.

Kimina (project-numina/kimina-lean-server) serves a pool of Lean REPLs over
HTTP: ``POST /api/check`` takes ``snippets`` (``id``, ``code``) with a
``timeout`` and ``reuse`` (run after a REPL that already holds the snippet's
imports) and answers ``results``, each the REPL's own command response
(``messages``, ``sorries``) or an ``error`` (a timeout among them); servers
from before that API answer ``POST /verify`` (``codes``: ``custom_id``,
``proof``). ``GET /health`` says whether it is up; an API key goes in
``X-Auth-Token``.

Every snippet starts from a fresh environment after its imports, so the
audit the local REPL runs as several commands in one environment (the
reference statement under a nonce, the proof, ``#print axioms``, the
comparison of the two theorems) goes as one snippet, and each message is
attributed to its part by line. A first line that prints a known marker
says where Kimina counts lines from (the snippet, or the body after its
imports), so the attribution does not depend on the server's version.

Requests are bounded in number (``in_flight``) and retried with backoff on
429 (no free REPL), 5xx and dropped connections (``tenacity``); a server
that does not answer at all is a ``KiminaUnavailable`` that says where.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from dataclasses import dataclass

import httpx
from tenacity import RetryError, Retrying, retry_if_exception, stop_after_attempt, stop_before_delay, \
    wait_random_exponential

from lemmata.verifiers.errors import LemmataError
from lemmata.verifiers.lean.interface import CommandResponse, Message, ReplError, Sorry

PROBE = "lemmata-probe"


class KiminaUnavailable(LemmataError):
    """The server cannot be reached or keeps failing."""


class _Retry(Exception):
    """A response worth trying again (429, 5xx)."""


@dataclass(frozen=True)
class KiminaAnswer:
    """What the server said about one snippet: the REPL's response, or an error (``timed_out`` when it was one)."""

    response: CommandResponse | ReplError | None
    error: str | None
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.error is not None and "timed out" in self.error


def parse_result(result: dict) -> KiminaAnswer:
    """One entry of ``results`` (``/api/check``) or of the older ``/verify`` answer."""
    error = result.get("error")
    data = result.get("response")
    seconds = float(result.get("time") or (data.get("time") if isinstance(data, dict) else None) or 0.0)
    if error:
        return KiminaAnswer(None, str(error), seconds)
    if not isinstance(data, dict):
        return KiminaAnswer(None, "the server answered with neither a response nor an error", seconds)
    if "message" in data and "messages" not in data:
        return KiminaAnswer(ReplError(message=str(data["message"])), None, seconds)
    return KiminaAnswer(CommandResponse.model_validate({**data, "env": data.get("env") or 0}), None, seconds)


class KiminaClient:
    def __init__(self, url: str, *, api_key: str | None = None, in_flight: int = 8, attempts: int = 5,
                 max_wait: float = 30.0) -> None:
        self.url = url.rstrip("/")
        headers = {"X-Auth-Token": api_key} if api_key else {}
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=httpx.Timeout(30.0, connect=10.0))
        self._slots = threading.BoundedSemaphore(in_flight)
        self._attempts, self._max_wait = attempts, max_wait
        self._legacy: bool | None = None  # None: not known yet whether only /verify is there

    def health(self) -> str:
        """``ok`` when the server answers; raises ``KiminaUnavailable`` saying why not."""
        try:
            answer = self._http.get("/health", timeout=10.0)
        except httpx.HTTPError as exc:
            raise KiminaUnavailable(f"the Kimina Lean Server at {self.url} does not answer ({exc})") from None
        if answer.status_code == 401:
            raise KiminaUnavailable(f"the Kimina Lean Server at {self.url} refused the API key (HTTP 401)")
        if answer.status_code != 200:
            raise KiminaUnavailable(f"the Kimina Lean Server at {self.url} is not healthy (HTTP {answer.status_code})")
        return str(answer.json().get("status", "ok")) if answer.headers.get("content-type", "").startswith(
            "application/json") else "ok"

    def check(self, code: str, timeout: float) -> KiminaAnswer:
        """One snippet through ``/api/check`` (``/verify`` on servers without it)."""
        deadline = time.monotonic() + timeout + 30.0  # the server's own timeout, then its answer's journey
        snippet_id = uuid.uuid4().hex
        if self._legacy is not True:
            body = {"snippets": [{"id": snippet_id, "code": code}], "timeout": max(1, int(timeout)), "reuse": True,
                    "debug": False}
            answer = self._post("/api/check", body, deadline)
            if answer is not None:
                self._legacy = False
                return parse_result(_only(answer, "results"))
            self._legacy = True
        body = {"codes": [{"custom_id": snippet_id, "proof": code}], "timeout": max(1, int(timeout)),
                "disable_cache": False}
        answer = self._post("/verify", body, deadline)
        if answer is None:
            raise KiminaUnavailable(f"{self.url} has neither /api/check nor /verify: is it a Kimina Lean Server?")
        return parse_result(_only(answer, "results"))

    def _post(self, path: str, body: dict, deadline: float) -> dict | None:
        """The JSON answer; None on 404 (the route is not there)."""
        stop = stop_after_attempt(self._attempts) | stop_before_delay(max(1.0, deadline - time.monotonic()))
        retrying = Retrying(retry=retry_if_exception(lambda e: isinstance(e, (_Retry, httpx.TransportError))),
                            wait=wait_random_exponential(multiplier=0.5, max=self._max_wait), stop=stop,
                            reraise=False)
        try:
            for attempt in retrying:
                with attempt, self._slots:
                    left = max(1.0, deadline - time.monotonic())
                    answer = self._http.post(path, json=body, timeout=httpx.Timeout(left, connect=10.0))
                    if answer.status_code == 404:
                        return None
                    if answer.status_code == 429 or answer.status_code >= 500:
                        raise _Retry(f"HTTP {answer.status_code}: {answer.text[:200]}")
                    if answer.status_code == 401:
                        raise KiminaUnavailable(f"the Kimina Lean Server at {self.url} refused the API key")
                    if answer.status_code >= 400:
                        raise KiminaUnavailable(f"the Kimina Lean Server refused the request: HTTP "
                                                f"{answer.status_code}: {answer.text[:300]}")
                    return answer.json()
        except RetryError as exc:
            last = exc.last_attempt.exception()
            raise KiminaUnavailable(f"the Kimina Lean Server at {self.url} failed "
                                    f"{exc.last_attempt.attempt_number} times; last: {last}") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._http.close()


def _only(answer: dict, key: str) -> dict:
    results = answer.get(key)
    if not isinstance(results, list) or len(results) != 1 or not isinstance(results[0], dict):
        raise KiminaUnavailable(f"the Kimina Lean Server answered in an unknown shape: {str(answer)[:300]}")
    return results[0]


@dataclass
class Part:
    """One part of an audit snippet: its name and the snippet lines (1-based, inclusive) it takes."""

    name: str
    first: int
    last: int


class Snippet:
    """The audit as one snippet: the imports, a probe line, then named parts, each starting on a new line."""

    def __init__(self, header: str) -> None:
        self.nonce = secrets.token_hex(4)
        self.header = header if header.endswith("\n") or not header else header + "\n"
        self.marker = f"{PROBE}-{self.nonce}"
        self.lines = self.header.count("\n")
        self.code = self.header + f'#print "{self.marker}"\n'
        self.probe_line = self.lines + 1
        self.lines += 1
        self.parts: list[Part] = []

    def add(self, name: str, code: str) -> Part:
        code = code if code.endswith("\n") else code + "\n"
        part = Part(name, self.lines + 1, self.lines + code.count("\n"))
        self.code += code
        self.lines += code.count("\n")
        self.parts.append(part)
        return part

    def shift(self, response: CommandResponse) -> int:
        """How many lines Kimina's positions are behind the snippet's own (0, or the imports' lines)."""
        for message in response.messages:
            if self.marker in message.data:
                return self.probe_line - message.pos.line
        return 0

    def of(self, response: CommandResponse, part: Part) -> tuple[list[Message], list[Sorry]]:
        """The part's messages and sorries, their lines counted from the part's first line (1)."""
        shift = self.shift(response)

        def local(line: int) -> int:
            return line + shift - part.first + 1

        def moved(pos):
            return pos.model_copy(update={"line": local(pos.line)}) if pos is not None else None

        messages = [m.model_copy(update={"pos": moved(m.pos), "end_pos": moved(m.end_pos)})
                    for m in response.messages
                    if self.marker not in m.data and part.first <= m.pos.line + shift <= part.last]
        sorries = [s.model_copy(update={"pos": moved(s.pos), "end_pos": moved(s.end_pos)})
                   for s in response.sorries
                   if s.pos is not None and part.first <= s.pos.line + shift <= part.last]
        return messages, sorries


__all__ = ["KiminaAnswer", "KiminaClient", "KiminaUnavailable", "Part", "Snippet", "parse_result"]
