"""The one interface every checker backend implements.

A backend checks a whole document (``Verifier.check``) or opens a warm
``Session``: a checker process that has loaded a header (imports, shared
definitions) once and then checks many attempts against it, each from the same
clean state. Both return the same ``CheckResult`` and apply the same audit, so
callers never branch on the language except to pick a backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from lemmata.verifiers.result import CheckResult


@dataclass(frozen=True)
class Statement:
    """The reference problem a proof must prove: a problem file and its theorem.

    The audit elaborates this file itself, apart from the proof, and requires
    the proof's theorem to have exactly the elaborated type.
    """

    text: str
    theorem: str | None = None  # None: the file's only (or last) top-level theorem
    origin: str = "<statement>"


@dataclass(frozen=True)
class ToolStatus:
    """Whether a checker or solver is installed: its name, version, and where it is or how to install it."""

    name: str
    available: bool
    version: str = ""
    detail: str = ""  # where it was found, or how to install it


class Verifier(ABC):
    """A checker backend: ``check`` one document in a fresh process, or open a warm ``session``."""

    language: ClassVar[str]

    @abstractmethod
    def status(self) -> ToolStatus:
        """Whether the checker is installed, and its version."""

    @abstractmethod
    def require(self) -> None:
        """Raise ``ToolMissing`` with install instructions unless the checker can run."""

    @abstractmethod
    def check(self, text: str, *, statement: Statement | None = None, theorem: str | None = None,
              timeout: float | None = None) -> CheckResult:
        """Check one self-contained document in a fresh checker process."""

    @abstractmethod
    def session(self, header: str = "", *, statement: Statement | None = None) -> Session:
        """Open a warm session whose attempts are checked after ``header``."""

    def warm_header(self, text: str) -> str | None:
        """The header under which a warm session checks the whole document ``text`` exactly as ``check`` would,
        or None when this backend cannot (``SessionPool`` then uses ``check``)."""
        return None


class Session(ABC):
    """A warm checker with a header loaded once; a context manager that stops its process on exit."""

    @abstractmethod
    def check(self, attempt: str, *, theorem: str | None = None, timeout: float | None = None) -> CheckResult:
        """Check ``attempt`` after the header; nothing from earlier attempts is visible."""

    @abstractmethod
    def close(self) -> None:
        """Stop the checker process. Idempotent."""

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
