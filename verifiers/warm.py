"""Warm checker sessions kept between whole-document checks, keyed by the header each document needs.

``lemmata check`` starts a checker per document and pays its start-up and the
document's imports every time. A service checking many documents keeps a few
sessions open instead: each backend says which header a document can be
checked under (``Verifier.warm_header``: for Coq, the libraries the document
requires, loaded but not imported), and documents with the same header and
the same reference statement go to the same session. A session checks a whole
document from its clean state with the same script and audit as the one-shot
path, so the result is the same apart from the time it took.

A document no backend can warm, or whose header does not load, is checked
the one-shot way, which reports its errors as ``lemmata check`` does.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from lemmata.verifiers.errors import InputError
from lemmata.verifiers.interface import Session, Statement, Verifier
from lemmata.verifiers.result import CheckResult


def warm_key(verifier: Verifier, text: str, statement: Statement | None = None) -> str | None:
    """Which warm session can check ``text`` (equal keys: the same session), or None when none can.

    A scheduler that sends documents with the same key to the same pool saves a session start per document.
    """
    header = verifier.warm_header(text)
    return None if header is None else _key(verifier.language, header, statement)


def _key(language: str, header: str, statement: Statement | None) -> str:
    parts = [language, header, statement.text if statement else "", statement.theorem or "" if statement else ""]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:24]


@dataclass
class WarmSession:
    """One open session and what it has done, for the status page and metrics."""

    key: str
    language: str
    header: str
    statement: str | None  # the reference statement's origin, when the session audits against one
    session: Session
    checks: int = 0
    opened: float = field(default_factory=time.time)
    used: float = field(default_factory=time.time)

    def describe(self) -> dict[str, object]:
        return {"key": self.key, "language": self.language, "header": self.header, "statement": self.statement,
                "checks": self.checks, "opened": self.opened, "used": self.used}


class SessionPool:
    """At most ``capacity`` warm sessions, the least recently used closed first; a context manager.

    Thread-safe: checks on one pool run one at a time (a session is one checker process).
    """

    def __init__(self, capacity: int = 4) -> None:
        if capacity < 1:
            raise ValueError("a session pool holds at least one session")
        self.capacity = capacity
        self._sessions: OrderedDict[str, WarmSession] = OrderedDict()
        self._unwarmable: set[str] = set()  # headers that did not load: one-shot from then on
        self._lock = threading.Lock()
        self.opened = 0
        self.warm_checks = 0
        self.cold_checks = 0

    def check(self, verifier: Verifier, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        """``verifier.check(text, ...)``'s result, from a warm session where one can serve the document."""
        header = verifier.warm_header(text)
        key = None if header is None else _key(verifier.language, header, statement)
        with self._lock:
            warm = None if key is None or key in self._unwarmable else self._session(verifier, key, header, statement)
            if warm is None:
                self.cold_checks += 1
                return verifier.check(text, statement=statement, theorem=theorem, timeout=timeout)
            warm.checks += 1
            warm.used = time.time()
            self.warm_checks += 1
            return _as_one_shot(warm.session.check(text, theorem=theorem, timeout=timeout))

    def keys(self) -> list[str]:
        """The keys (``warm_key``) of the open sessions."""
        with self._lock:
            return list(self._sessions)

    def _session(self, verifier: Verifier, key: str, header: str, statement: Statement | None) -> WarmSession | None:
        warm = self._sessions.get(key)
        if warm is not None:
            self._sessions.move_to_end(key)
            return warm
        try:
            session = verifier.session(header, statement=statement)
        except InputError:  # the header or the statement does not load: the one-shot check says why
            if len(self._unwarmable) > 1000:
                self._unwarmable.clear()
            self._unwarmable.add(key)
            return None
        self.opened += 1
        while len(self._sessions) >= self.capacity:
            _, oldest = self._sessions.popitem(last=False)
            oldest.session.close()
        warm = WarmSession(key, verifier.language, header, statement.origin if statement else None, session)
        self._sessions[key] = warm
        return warm

    def describe(self) -> list[dict[str, object]]:
        """The open sessions, most recently used last."""
        with self._lock:
            return [w.describe() for w in self._sessions.values()]

    def close(self) -> None:
        with self._lock:
            for warm in self._sessions.values():
                warm.session.close()
            self._sessions.clear()

    def __enter__(self) -> SessionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _as_one_shot(result: CheckResult) -> CheckResult:
    """The session's result in the one-shot path's shape: a session also shows the goals at a failure and at
    each hole, which coqc cannot, and the result must not depend on which path checked the document."""
    for diagnostic in result.diagnostics:
        diagnostic.goals = None
    for hole in result.holes:
        hole.goal = None
    return result


__all__ = ["SessionPool", "WarmSession", "warm_key"]
